//! Scenario files: a race described in TOML, checked, and turned into a [`FieldSpec`].
//!
//! Two stages (engineering notes, after ripgrep's `lowargs` → `hiargs`): serde structs that mirror
//! the file and reject unknown fields and wrong types ([`raw`]), then a validated domain value
//! where units and ranges are checked ([`check`]). Every error names the file, the line and the
//! field.
//!
//! Variants (`[[variant]]`) and sweep points are *patches* of the document ([`patch`]): a variant
//! overrides fields of runners (addressed by name), pacers (by name or 1-based index), the model or
//! the race, and may remove runners. The patched document goes through exactly the same checks.
//!
//! A checked scenario is a [`FieldSpec`] plus what only a scenario has (a name, a default number
//! of races and seed, variants): [`Scenario::field_spec`]. The race itself is built by the one
//! path every input shares, [`crate::field::build()`].
//!
//! The format is documented field by field in the README ("Scenario files").

use std::path::{Path, PathBuf};

use crate::base::date::Date;
use crate::base::error::{FieldPath, InputError, PathSyntax};
use crate::base::params::ModelParams;
use crate::base::track::TrackKind;
use crate::engine::pacing::{PacerSpec, Schedule};
use crate::error::{Error, Result};
use crate::field::{BuildError, Field, FieldSpec, FitCache, RunnerEntry};
use crate::input::source::Source;

mod check;
mod patch;
mod raw;

/// A named variant (its patch is kept as TOML and applied on demand).
#[derive(Debug, Clone, PartialEq)]
pub struct VariantInfo {
    /// Its name (`--variant NAME`).
    pub name: String,
    /// What it changes, in words.
    pub description: Option<String>,
}

/// Where the scenario came from, for error messages: the file and its text, and, while a patched
/// document is checked, the variant (or sweep point) being applied — a patched value is not in the
/// text, so its error names the patch instead of a line.
#[derive(Debug, Clone)]
struct Origin {
    source: Source,
    context: Option<String>,
}

impl Origin {
    fn err(&self, path: &FieldPath, msg: impl std::fmt::Display) -> Error {
        let field = path.in_syntax(PathSyntax::Toml);
        Error::Input(match &self.context {
            None => self.source.error(path, msg),
            Some(c) => self.source.error_unlocated(format!("{field} ({c})"), msg),
        })
    }
}

/// A checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it was read from.
    pub file: PathBuf,
    /// The race's name (titles of tables, charts and the report).
    pub name: String,
    /// A description, when given.
    pub description: Option<String>,
    /// The track.
    pub track: TrackKind,
    /// Race distance [m].
    pub distance_m: f64,
    /// The race date, when given: marks are aged against it.
    pub date: Option<Date>,
    /// Default number of races (`--runs` wins).
    pub runs: Option<u64>,
    /// Default seed (`--seed` wins).
    pub seed: Option<u64>,
    /// Extra split points [m from the start].
    pub extra_splits: Vec<f64>,
    /// The model, with the scenario's `[model]` values.
    pub params: ModelParams,
    /// The runners.
    pub runners: Vec<RunnerEntry>,
    /// The pacemakers.
    pub pacers: Vec<PacerSpec>,
    /// Pace lights.
    pub wavelight: Option<Schedule>,
    /// The named variants.
    pub variants: Vec<VariantInfo>,
    /// The document as parsed, for patching.
    doc: toml::Table,
    origin: Origin,
}

impl Scenario {
    /// Read and check a scenario file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Input`] naming file, line and field for
    /// any problem in it.
    pub fn load(path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Scenario::from_str(&text, path)
    }

    /// Check a scenario given as text; `path` is used in messages.
    ///
    /// # Errors
    /// As [`Scenario::load`]; every variant is checked too, so a bad variant is reported when the
    /// file is loaded.
    pub fn from_str(text: &str, path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path.as_ref();
        let parse_err = |e: toml::de::Error| super::toml::parse_error(path, text, &e);
        let raw: raw::RawDoc = toml::from_str(text).map_err(parse_err)?;
        let doc: toml::Table = toml::from_str(text).map_err(parse_err)?;
        let o = Origin {
            source: Source::new(path, text, PathSyntax::Toml),
            context: None,
        };
        let sc = check::check_doc(&raw, doc, o)?;
        for v in &sc.variants {
            sc.variant(&v.name)?;
        }
        Ok(sc)
    }

    /// The field this scenario describes, as data.
    pub fn field_spec(&self) -> FieldSpec {
        FieldSpec {
            track: self.track,
            distance_m: self.distance_m,
            runners: self.runners.clone(),
            pacers: self.pacers.clone(),
            wavelight: self.wavelight.clone(),
            extra_splits_m: self.extra_splits.clone(),
            params: self.params.clone(),
        }
    }

    /// Calibrate the runners and build the race ([`crate::field::build()`]), through `cache`.
    ///
    /// # Errors
    /// [`Error::Input`] naming the runner whose times cannot be fitted (at his `reported` line),
    /// a field prior with nobody to be relative to, or a race that is impossible.
    pub fn build(&self, cache: &FitCache) -> Result<Field> {
        crate::field::build(&self.field_spec(), cache).map_err(|e| match e {
            BuildError::Fit { index, source, .. } => self.origin.err(
                &FieldPath::root().key("runner").index(index).key("reported"),
                source,
            ),
            BuildError::NoKnownRunner => self.origin.err(&FieldPath::root().key("runner"), e),
            BuildError::Setup(s) => {
                Error::Input(InputError::new(&self.file, None, "", s.to_string()))
            }
        })
    }

    /// The runners' names as error messages list them ("runners: A, B").
    fn runner_names(&self) -> String {
        let names: Vec<&str> = self.runners.iter().map(|r| r.name.as_str()).collect();
        format!("runners: {}", names.join(", "))
    }

    /// Whether the scenario has a runner called `name`.
    pub fn has_runner(&self, name: &str) -> bool {
        self.runners.iter().any(|r| r.name == name)
    }

    /// Check that every named runner is in the scenario (`--runner NAME` of the commands).
    ///
    /// # Errors
    /// [`Error::Usage`] naming the first unknown runner and listing the runners.
    pub fn check_runners(&self, names: &[String]) -> Result<()> {
        for n in names {
            if !self.has_runner(n) {
                return Err(Error::Usage(format!(
                    "--runner `{n}`: no such runner in {} (runners: {})",
                    self.file.display(),
                    self.runners
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(())
    }
}

/// Names of the scenario's variants with the base first (`"base"`).
pub fn variant_names(sc: &Scenario) -> Vec<String> {
    let mut v = vec!["base".to_string()];
    v.extend(sc.variants.iter().map(|x| x.name.clone()));
    v
}
