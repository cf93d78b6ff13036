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
use crate::engine::race::SetupError;
use crate::error::{Error, Result};
use crate::field::{BuildError, Field, FieldSpec, FitCache, RunnerEntry};
use crate::input::source::Source;

mod check;
mod noop;
mod patch;
mod raw;

pub use noop::{set_tactic_keys, why_model_unused};

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
    /// While a variant is checked: where it is written (its errors carry that line).
    anchor: Option<FieldPath>,
}

impl Origin {
    fn err(&self, path: &FieldPath, msg: impl std::fmt::Display) -> Error {
        let field = path.in_syntax(PathSyntax::Toml);
        Error::Input(match &self.context {
            None => self.source.error(path, msg),
            Some(c) => {
                let mut e = self.source.error_unlocated(format!("{field} ({c})"), msg);
                e.line = self.anchor.as_ref().and_then(|a| self.source.line_of(a));
                e
            }
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
    /// The variant and parameter paths applied to the file, in order (a setting without effect
    /// is blamed on what set it).
    patches: Vec<noop::Patch>,
}

impl Scenario {
    /// Read and check a scenario file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Input`] naming file, line and field for
    /// any problem in it.
    pub fn load(path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path.as_ref();
        let text = crate::input::source::read_input(path)?;
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
            anchor: None,
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
    /// a field prior with nobody to be relative to, or a race that is impossible; an error
    /// naming the field (or the `--param` path) that sets a tactic parameter the runner's tactic
    /// does not use (see [`noop`]).
    pub fn build(&self, cache: &FitCache) -> Result<Field> {
        let f = crate::field::build(&self.field_spec(), cache).map_err(|e| self.build_error(e))?;
        match self.no_effect_error(&f, cache) {
            Some(e) => Err(e),
            None => Ok(f),
        }
    }

    /// A build error located at the field it comes from (the runner, the pacer, the distance).
    fn build_error(&self, e: BuildError) -> Error {
        let root = FieldPath::root();
        let runner = |name: &str| {
            self.runners
                .iter()
                .position(|r| r.name == name)
                .map(|i| root.key("runner").index(i))
        };
        let pacer = |name: &str| {
            self.pacers
                .iter()
                .position(|p| p.name == name)
                .map(|i| root.key("pacer").index(i))
        };
        let at = match &e {
            BuildError::Fit { index, .. } => Some(root.key("runner").index(*index).key("reported")),
            BuildError::NoKnownRunner | BuildError::Setup(SetupError::NoRunner) => {
                Some(root.key("runner"))
            }
            BuildError::Setup(s) => match s {
                SetupError::Distance(_) => Some(root.key("race").key("distance")),
                SetupError::TooMany(_) => Some(root.key("runner")),
                SetupError::Duplicate(n) => runner(n).or_else(|| pacer(n)),
                SetupError::Physiology { name, .. } | SetupError::SoloTime { name, .. } => {
                    runner(name)
                }
                SetupError::PacerDropOut { name, .. } => pacer(name),
                SetupError::Params(p) => Some(root.key("model").key(p.param)),
                SetupError::SplitPoint(_) => Some(root.key("race").key("splits")),
                _ => None,
            },
        };
        match at {
            Some(path) => self.origin.err(&path, e),
            None => Error::Input(InputError::new(&self.file, None, "", e.to_string())),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::track::TrackKind;
    use crate::base::units::MILE_M;
    use crate::engine::tactics::TacticKind;
    use crate::field::RunnerSource;
    use crate::testkit::SCENARIO;

    fn load(text: &str) -> Result<Scenario> {
        Scenario::from_str(text, "test.toml")
    }

    /// The 1-based line of the first occurrence of `needle`.
    fn line_of(text: &str, needle: &str) -> usize {
        text[..text.find(needle).expect(needle)]
            .matches('\n')
            .count()
            + 1
    }

    fn input_error(e: Error) -> InputError {
        match e {
            Error::Input(ie) => ie,
            e => panic!("not an input error: {e}"),
        }
    }

    #[test]
    fn a_scenario_parses_into_checked_values() {
        let sc = load(SCENARIO).unwrap();
        assert_eq!(sc.name, "Test mile");
        assert_eq!(sc.track, TrackKind::Indoor200);
        assert!((sc.distance_m - MILE_M).abs() < 1e-9);
        assert_eq!((sc.runs, sc.seed), (Some(500), Some(9)));
        let names: Vec<&str> = sc.runners.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Ann", "Bea Ola", "Cid"]);
        assert!(matches!(sc.runners[1].source, RunnerSource::Explicit(p) if p.cs == 6.10));
        assert_eq!(sc.runners[0].tactic.kind, Some(TacticKind::SitAndKick));
        assert_eq!(sc.runners[0].tactic.kick_m, Some(250.0));
        assert_eq!(sc.runners[1].tactic.kind, None);
        // a pacer's lap time becomes a schedule to his drop-out point: 4 laps of 28.5 s
        assert_eq!(sc.pacers[0].schedule.points(), &[(800.0, 114.0)]);
        let variants: Vec<&str> = sc.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(variants, ["kick-early", "no-cid"]);
        assert!(sc.has_runner("Bea Ola") && !sc.has_runner("Bea"));
        let paths = sc.param_paths();
        for p in [
            "runner.\"Bea Ola\".kick_m",
            "pacer.1.lap",
            "race.seed",
            "model.draft_scale",
        ] {
            assert!(paths.iter().any(|x| x == p), "{p}");
        }
    }

    #[test]
    fn problems_name_the_file_the_line_and_the_field() {
        let t = SCENARIO.replace("cs = 6.10", "cs = 1.0");
        let e = input_error(load(&t).unwrap_err());
        assert_eq!(e.field, "runner[1].cs");
        assert_eq!(e.line, Some(line_of(&t, "cs = 1.0")));
        assert!(e.message.contains("critical speed"), "{e}");
        assert_eq!(e.file, std::path::PathBuf::from("test.toml"));

        let t = SCENARIO.replace("tactic = \"sit-and-kick\"", "tactic = \"sprint\"");
        let e = input_error(load(&t).unwrap_err());
        assert_eq!(e.field, "runner[0].tactic");
        assert_eq!(e.line, Some(line_of(&t, "tactic = \"sprint\"")));
        assert!(
            e.message
                .starts_with("unknown tactic `sprint` (known: follow,")
        );

        let t = SCENARIO.replace("lap = \"28.5\"", "lap = \"28.5\"\ntarget = \"3:50\"");
        let e = input_error(load(&t).unwrap_err());
        assert_eq!(e.field, "pacer[0]");
        assert!(e.message.contains("exactly one of `splits`"), "{e}");

        // a runner with nothing known
        let t = SCENARIO.replace("cs = 6.15\nd_prime = 280\nmss = 8.9\n", "");
        let e = input_error(load(&t).unwrap_err());
        assert_eq!(e.field, "runner[2]");
        assert!(e.message.contains("needs `reported` times"), "{e}");

        // a variant that names nobody: reported when the file is loaded, with the variant's path
        let t = SCENARIO.replace("[variant.runner.Ann]", "[variant.runner.Anne]");
        let e = input_error(load(&t).unwrap_err());
        assert_eq!(e.field, "variant[0].runner.Anne");
        assert_eq!(e.line, Some(line_of(&t, "[variant.runner.Anne]")));
        assert!(
            e.message
                .contains("no runner `Anne` in the scenario (runners: Ann, Bea Ola, Cid)")
        );

        // a TOML syntax error
        let t = SCENARIO.replace("name = \"Test mile\"", "name = \"Test mile");
        let e = input_error(load(&t).unwrap_err());
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn variants_and_parameters_patch_the_document() {
        let sc = load(SCENARIO).unwrap();
        let early = sc.variant("kick-early").unwrap();
        assert_eq!(early.runners[0].tactic.kick_m, Some(400.0));
        assert_eq!(early.runners[1], sc.runners[1]);
        assert_eq!(sc.variant("no-cid").unwrap().runners.len(), 2);
        let e = sc.variant("nope").unwrap_err().to_string();
        assert_eq!(
            e,
            "no variant `nope` in test.toml (variants: kick-early, no-cid)"
        );

        // a whole number is rounded; a model parameter is set; the rest is untouched
        let p = sc.with_param("runner.Ann.max_place", 2.6).unwrap();
        assert_eq!(p.runners[0].tactic.max_place, Some(3));
        let m = sc.with_param("model.draft_scale", 0.8).unwrap();
        assert_eq!(m.params.draft_scale, 0.8);
        assert_eq!(m.runners, sc.runners);
        let q = sc.with_param("runner.\"Bea Ola\".target", 230.0).unwrap();
        assert_eq!(q.runners[1].tactic.target_s, Some(230.0));

        // paths that do not exist are usage errors listing what does
        let e = sc.with_param("runner.Ann.kik_m", 1.0).unwrap_err();
        assert!(e.is_user_error());
        let e = e.to_string();
        assert!(e.starts_with(
            "`runner.Ann.kik_m`: `kik_m` is not a numeric runner field. \
             Did you mean runner.\"Ann\".kick_m? Paths that exist:"
        ));
        assert!(e.contains("Paths that exist: runner.\"Ann\".{kick_m,drive_m,pace,target,"));
        assert!(e.contains("pacer.N.{drop_out_m,lap,target} (N = 1..1, or the pacer's name)"));
        // the model's fifty keys only for a model path; a near miss there is suggested too
        assert!(
            !e.contains("abreast_penalty") && e.contains("model.KEY"),
            "{e}"
        );
        let e = sc
            .with_param("model.draft_scal", 1.0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("Did you mean model.draft_scale?"), "{e}");
        assert!(e.contains("model.{abreast_penalty,air_share_at_6,"));
        // a name typed without quotes and a wrong case is still recognised
        let e = sc
            .with_param("runner.bea ola.kick_n", 1.0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("Did you mean runner.\"Bea Ola\".kick_m?"), "{e}");
        // nothing near: no guess
        let e = sc
            .with_param("runner.Ann.zzzzzz", 1.0)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("Did you mean"), "{e}");
        let e = sc
            .with_param("model.regime_prob", 0.5)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("`model.regime_prob`: the model has no numeric parameter"));
        assert!(sc.with_param("runner.Nobody.kick_m", 1.0).is_err());
        assert!(sc.with_param("runner.Ann", 1.0).is_err());

        // a value the scenario refuses names the patch, not a line
        let e = input_error(sc.with_param("pacer.1.drop_out_m", 2000.0).unwrap_err());
        assert_eq!(e.field, "pacer[0].drop_out_m (pacer.1.drop_out_m = 2000)");
        assert_eq!(e.line, None);
    }

    #[test]
    fn the_field_is_built_by_the_one_path() {
        let sc = load(SCENARIO).unwrap();
        let spec = sc.field_spec();
        assert_eq!(spec.runners, sc.runners);
        assert!(spec.is_paced());
        let cache = FitCache::new();
        let f = sc.build(&cache).unwrap();
        assert_eq!(f.setup.runners.len(), 3);
        assert_eq!(f.setup.pacers.len(), 1);
        assert_eq!(f.setup.track.kind, TrackKind::Indoor200);
        // in a paced race, runners without a tactic follow; Ann's is hers
        assert_eq!(f.setup.runners[0].tactic.kind, TacticKind::SitAndKick);
        assert_eq!(f.setup.runners[0].tactic.kick_m, 250.0);
        assert_eq!(f.setup.runners[1].tactic.kind, TacticKind::Follow);
        assert!(!f.runners[0].default_tactic && f.runners[1].default_tactic);
        assert!(f.runners.iter().all(|r| r.fit.is_none() && !r.field_prior));
        // solo times come from the engine's time trial, slower indoors than the closed form
        assert!(
            f.setup
                .runners
                .iter()
                .all(|r| r.solo_time_s > 220.0 && r.solo_time_s < 260.0)
        );
    }

    #[test]
    fn build_errors_point_at_the_runner() {
        // 800 m in 1:18 is within the sanity bounds of a mark but no runner the fit can make
        let t = SCENARIO.replace(
            "cs = 6.15\nd_prime = 280\nmss = 8.9\n",
            "reported = { \"800m\" = \"1:18.0\" }\n",
        );
        let sc = load(&t).unwrap();
        let e = input_error(sc.build(&FitCache::new()).unwrap_err());
        assert_eq!(e.field, "runner[2].reported");
        assert_eq!(e.line, Some(line_of(&t, "reported = {")));
        assert!(e.message.contains("outside 3–10 m/s"), "{e}");

        // field priors need someone with a known time to be relative to
        let t = "[race]\nname = \"t\"\ntrack = \"outdoor400\"\ndistance = \"1500m\"\n\n\
                 [[runner]]\nname = \"A\"\nprior = \"field\"\n\n[[runner]]\nname = \"B\"\n\
                 prior = \"field\"\n";
        let e = input_error(load(t).unwrap().build(&FitCache::new()).unwrap_err());
        assert_eq!((e.field.as_str(), e.line), ("runner", Some(6)));
        assert!(
            e.message
                .contains("needs at least one runner with known times")
        );
    }

    /// The error of building `text` (it must load).
    fn build_error(text: &str) -> Error {
        load(text).unwrap().build(&FitCache::new()).unwrap_err()
    }

    #[test]
    fn a_tactic_parameter_the_tactic_does_not_read_is_an_error() {
        // surge_rise on a sit-and-kick runner: file, line, field, and why
        let t = SCENARIO.replace("kick_m = 250\n", "kick_m = 250\nsurge_rise = 0.05\n");
        let e = input_error(build_error(&t));
        assert_eq!(e.field, "runner[0].surge_rise");
        assert_eq!(e.line, Some(line_of(&t, "surge_rise = 0.05")));
        assert_eq!(
            e.message,
            "`surge_rise` has no effect: Ann's tactic is sit-and-kick, which does not use it: \
             only surge reads `surge_rise` (surge speed rise)"
        );
        // max_place on a front-runner
        let t = SCENARIO.replace(
            "mss = 9.1\n",
            "mss = 9.1\ntactic = \"front-run\"\nmax_place = 2\n",
        );
        let e = input_error(build_error(&t));
        assert_eq!(e.field, "runner[1].max_place");
        assert!(e.message.contains("Bea Ola's tactic is front-run"), "{e}");
        assert!(e.message.contains("only race-the-field reads"), "{e}");
        // a tactic chosen by the profile (paced race: follow) that does not long-drive
        let t = SCENARIO.replace("mss = 8.9\n", "mss = 8.9\ndrive_m = 600\n");
        let e = input_error(build_error(&t));
        assert_eq!(e.field, "runner[2].drive_m");
        assert!(
            e.message
                .contains("Cid's tactic is follow (chosen by his profile; set `tactic`"),
            "{e}"
        );
        // a pace on a runner who chases the clock (which reads `target`)
        let t = SCENARIO.replace(
            "mss = 8.9\n",
            "mss = 8.9\ntactic = \"chase-clock\"\npace = \"29.0\"\n",
        );
        let e = input_error(build_error(&t));
        assert_eq!(e.field, "runner[2].pace");
        assert!(e.message.contains("only front-run reads `pace`"), "{e}");
        // a front-runner given a pace and a target: the target is not used
        let t = SCENARIO.replace(
            "mss = 8.9\n",
            "mss = 8.9\ntactic = \"front-run\"\npace = \"29.0\"\ntarget = \"3:55\"\n",
        );
        let e = input_error(build_error(&t));
        assert_eq!(e.field, "runner[2].target");
        assert!(e.message.contains("runs his `pace`"), "{e}");
        // follow_pacers in a race with neither pacers nor lights
        let t = SCENARIO
            .replace(
                "[[pacer]]\nname = \"Rabbit\"\ndrop_out_m = 800\nlap = \"28.5\"\n",
                "",
            )
            .replace("mss = 8.9\n", "mss = 8.9\nfollow_pacers = false\n");
        let e = input_error(build_error(&t));
        assert_eq!(e.field, "runner[2].follow_pacers");
        assert!(e.message.contains("no pacers and no pace lights"), "{e}");
        // what a tactic does read is accepted
        let t = SCENARIO.replace(
            "mss = 8.9\n",
            "mss = 8.9\ntactic = \"surge\"\nsurge_rise = 0.05\nsurge_at_m = 500\n",
        );
        assert!(load(&t).unwrap().build(&FitCache::new()).is_ok());
    }

    #[test]
    fn a_parameter_path_or_variant_without_effect_is_an_error_naming_it() {
        let sc = load(SCENARIO).unwrap();
        // the sweep / optimize path: names the path
        let p = sc.with_param("runner.Ann.surge_rise", 0.05).unwrap();
        let e = p.build(&FitCache::new()).unwrap_err();
        assert!(e.is_user_error());
        assert_eq!(
            e.to_string(),
            "`runner.Ann.surge_rise`: `surge_rise` has no effect: Ann's tactic is sit-and-kick, \
             which does not use it: only surge reads `surge_rise` (surge speed rise)"
        );
        // a variant that sets it: its line and its path
        let t = SCENARIO.replace("kick_m = 400\n", "kick_m = 400\nmax_place = 2\n");
        let sc = load(&t).unwrap();
        assert!(sc.build(&FitCache::new()).is_ok(), "the base is fine");
        let e = input_error(
            sc.variant("kick-early")
                .unwrap()
                .build(&FitCache::new())
                .unwrap_err(),
        );
        assert_eq!(e.field, "variant[0].runner.Ann.max_place");
        assert_eq!(e.line, Some(line_of(&t, "max_place = 2")));
        assert!(e.message.ends_with("(variant `kick-early`)"), "{e}");
    }

    #[test]
    fn a_setting_a_variant_overrides_is_a_note() {
        // the base races the field with max_place 2; the variant makes her sit and kick
        let t = SCENARIO
            .replace(
                "tactic = \"sit-and-kick\"\nkick_m = 250\n",
                "tactic = \"race-the-field\"\nmax_place = 2\n",
            )
            .replace("kick_m = 400\n", "tactic = \"sit-and-kick\"\n");
        let sc = load(&t).unwrap();
        let cache = FitCache::new();
        let base = sc.build(&cache).unwrap();
        assert!(sc.notes(&base).is_empty());
        let v = sc.variant("kick-early").unwrap();
        let f = v.build(&cache).unwrap();
        let notes = v.notes(&f);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with(
                "Ann: `max_place` in test.toml is not used here: Ann's tactic is sit-and-kick"
            ),
            "{notes:?}"
        );
    }

    #[test]
    fn a_front_run_pace_the_runner_cannot_hold_is_a_note() {
        // 27 s per 200 m lap is a 3:37 mile: far faster than Bea's solo even pace
        let t = SCENARIO.replace(
            "mss = 9.1\n",
            "mss = 9.1\ntactic = \"front-run\"\npace = \"27.0\"\n",
        );
        let sc = load(&t).unwrap();
        let f = sc.build(&FitCache::new()).unwrap();
        let notes = sc.notes(&f);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with("Bea Ola (front-run) is set 27.00 s a lap"),
            "{notes:?}"
        );
        assert!(
            notes[0].contains("faster than his solo even pace"),
            "{notes:?}"
        );
        // a pace he can hold: nothing to say
        let t = t.replace("pace = \"27.0\"", "pace = \"31.0\"");
        let sc = load(&t).unwrap();
        assert!(sc.notes(&sc.build(&FitCache::new()).unwrap()).is_empty());
    }

    #[test]
    fn runners_named_on_the_command_line_must_exist() {
        let sc = load(SCENARIO).unwrap();
        assert!(sc.check_runners(&["Cid".into()]).is_ok());
        let e = sc.check_runners(&["Dan".into()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--runner `Dan`: no such runner in test.toml (runners: Ann, Bea Ola, Cid)"
        );
    }
}
