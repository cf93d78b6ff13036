//! Comparing variants of a scenario (`racesim compare`): which variants, which runners are worth
//! reporting, and their paired differences on common random numbers, in numbers and in words.

use std::fmt::Write as _;

use serde::Serialize;

use crate::base::units::{fmt_time, signed};
use crate::engine::race::RaceSetup;
use crate::error::{Error, Result};
use crate::field::{Field, FitCache};
use crate::input::params::split_assignment;
use crate::input::scenario::Scenario;
use crate::montecarlo::Progress;
use crate::montecarlo::RunOptions;
use crate::montecarlo::crn::{CrnConfig, CrnResult, PairSummary, Pairs, run_crn_with_progress};
use crate::stats::Estimate;

/// One entry of `compare --variants`: a scenario variant (or `base`), optionally with numeric
/// fields set on top, written `NAME@PATH=VALUE@PATH=VALUE`, e.g.
/// `base@runner."Josh Kerr".kick_m=300`.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantSpec {
    /// As written (the label in reports).
    pub label: String,
    /// The scenario variant, `base` for none.
    pub variant: String,
    /// Fields set on top of it.
    pub sets: Vec<(String, f64)>,
}

/// Split at `sep` outside double quotes.
fn split_unquoted(s: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in s.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == sep && !quoted {
            out.push(String::new());
        } else if let Some(cell) = out.last_mut() {
            cell.push(c);
        }
    }
    out
}

impl VariantSpec {
    /// Parse one entry (see the type's documentation).
    ///
    /// # Errors
    /// [`Error::Usage`] naming the entry if it is empty or a `@PATH=VALUE` part is malformed.
    pub fn parse(s: &str) -> Result<VariantSpec> {
        let parts = split_unquoted(s.trim(), '@');
        let variant = parts[0].trim().to_string();
        if variant.is_empty() {
            return Err(Error::Usage(format!(
                "`{s}`: a variant needs a name (`base` for the scenario as written)"
            )));
        }
        let mut sets = Vec::new();
        for p in &parts[1..] {
            let (path, value) = split_assignment(p).ok_or_else(|| {
                Error::Usage(format!(
                    "`{s}`: `{p}` should be PATH=VALUE, e.g. base@runner.\"Josh Kerr\".kick_m=300"
                ))
            })?;
            let v: f64 = value
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "`{s}`: `{value}` (for `{path}`) is not a number (times in seconds)"
                    ))
                })?;
            if path == "race.seed" {
                return Err(Error::Usage(format!(
                    "`{s}`: every variant runs on the same seed (common random numbers), so \
                     `race.seed` cannot differ between them; use --seed, or \
                     --independent-streams to give each variant its own"
                )));
            }
            sets.push((path, v));
        }
        Ok(VariantSpec {
            label: s.trim().to_string(),
            variant,
            sets,
        })
    }

    /// Parse a comma-separated list (commas inside quotes do not split).
    ///
    /// # Errors
    /// As [`VariantSpec::parse`], and for an empty list.
    pub fn parse_list(s: &str) -> Result<Vec<VariantSpec>> {
        let v: Vec<VariantSpec> = split_unquoted(s, ',')
            .iter()
            .filter(|x| !x.trim().is_empty())
            .map(|x| VariantSpec::parse(x))
            .collect::<Result<_>>()?;
        if v.is_empty() {
            return Err(Error::Usage("--variants: the list is empty".into()));
        }
        Ok(v)
    }

    /// The scenario this entry describes.
    ///
    /// # Errors
    /// [`Error::Usage`] for an unknown variant or parameter path (listing what exists);
    /// [`Error::Input`] if the result is not a valid scenario.
    pub fn apply(&self, base: &Scenario) -> Result<Scenario> {
        let mut sc = if self.variant == "base" {
            base.clone()
        } else {
            base.variant(&self.variant)?
        };
        for (path, v) in &self.sets {
            sc = sc.with_param(path, *v)?;
        }
        Ok(sc)
    }
}

/// The runners worth reporting in a comparison: those whose tactic or physiology differs between
/// the setups, or who are missing from some; all runners if none differs (e.g. only the pacers
/// changed).
pub fn runners_that_differ(setups: &[&RaceSetup]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for s in setups {
        for r in &s.runners {
            if !all.contains(&r.name) {
                all.push(r.name.clone());
            }
        }
    }
    let differ: Vec<String> = all
        .iter()
        .filter(|name| {
            let specs: Vec<_> = setups
                .iter()
                .map(|s| s.runner_index(name).map(|i| &s.runners[i]))
                .collect();
            specs.iter().any(|x| match (x, specs[0]) {
                (Some(a), Some(b)) => a.tactic != b.tactic || a.physiology != b.physiology,
                (None, None) => false,
                _ => true,
            })
        })
        .cloned()
        .collect();
    if differ.is_empty() { all } else { differ }
}

// ------------------------------------------------------------------------------------------
// The comparison
// ------------------------------------------------------------------------------------------

/// One variant's results for one runner.
#[derive(Debug, Clone, Serialize)]
pub struct VariantRow {
    /// The variant's label.
    pub variant: String,
    /// Win probability [%].
    pub win_pct: Estimate,
    /// Podium probability [%].
    pub podium_pct: Estimate,
    /// Median finish time [s].
    pub median_s: Estimate,
    /// Mean finish time [s].
    pub mean_time_s: f64,
    /// Mean place.
    pub mean_place: Estimate,
}

/// One variant against the reference, for one runner.
#[derive(Debug, Clone, Serialize)]
pub struct DiffEntry {
    /// The variant's label.
    pub variant: String,
    /// The reference's label.
    pub reference: String,
    /// Win probability difference [percentage points].
    pub win_pts: Estimate,
    /// Podium probability difference [percentage points].
    pub podium_pts: Estimate,
    /// Mean finish-time difference [s] (positive: slower than under the reference).
    pub time_s: Estimate,
    /// Mean place difference.
    pub place: Estimate,
    /// Races paired.
    pub pairs: u64,
}

/// One runner's results under every variant, and his differences against the reference.
#[derive(Debug, Clone, Serialize)]
pub struct RunnerReport {
    /// The runner.
    pub name: String,
    /// His results per variant (variants he is in).
    pub variants: Vec<VariantRow>,
    /// His paired differences, variant by variant.
    pub differences: Vec<DiffEntry>,
    /// The differences in words.
    pub plain: Vec<String>,
}

/// A variant as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct VariantLabel {
    /// As written on the command line (repeats numbered).
    pub label: String,
    /// What it is, in words.
    pub description: Option<String>,
}

/// `compare.json`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file.
    pub file: String,
    /// Races per variant.
    pub races: u64,
    /// The seed.
    pub seed: u64,
    /// Whether the variants shared their random numbers.
    pub common_random_numbers: bool,
    /// The reference's label.
    pub reference: String,
    /// The variants, reference first.
    pub variants: Vec<VariantLabel>,
    /// The runners reported.
    pub runners: Vec<RunnerReport>,
}

/// `a–b` for a positive interval, `−a to +b` otherwise.
fn range(e: &Estimate, d: usize) -> String {
    if e.lo >= 0.0 {
        format!("{:.d$}–{:.d$}", e.lo, e.hi)
    } else if e.hi <= 0.0 {
        format!("{:.d$}–{:.d$}", -e.hi, -e.lo)
    } else {
        format!("{} to {}", signed(e.lo, d), signed(e.hi, d))
    }
}

/// The differences of one variant in words, e.g. "`chase-record` instead of `race-the-field`
/// lowers Josh Kerr's win chance by 9.1 points (95 % CI 8.4–9.8), from 12.3 % to 3.2 % …".
pub fn plain_words(name: &str, d: &DiffEntry, a: &VariantRow, r: &VariantRow) -> String {
    let mut s = format!("`{}` instead of `{}`", d.variant, d.reference);
    let prob = |who: &str, what: &str, e: &Estimate, va: &Estimate, vr: &Estimate| -> String {
        if e.excludes_zero() {
            format!(
                "{} {who} {what} chance by {:.1} points (95 % CI {}), from {:.1} % to {:.1} %",
                if e.value > 0.0 { "raises" } else { "lowers" },
                e.value.abs(),
                range(e, 1),
                vr.value,
                va.value
            )
        } else {
            format!(
                "makes no clear difference to {who} {what} chance ({} points, 95 % CI {}; \
                 {:.1} % vs {:.1} %)",
                signed(e.value, 1),
                range(e, 1),
                va.value,
                vr.value
            )
        }
    };
    let possessive = format!("{name}'s");
    let _ = write!(
        s,
        " {}",
        prob(&possessive, "win", &d.win_pts, &a.win_pct, &r.win_pct)
    );
    let _ = write!(
        s,
        "; it {}",
        prob("his", "podium", &d.podium_pts, &a.podium_pct, &r.podium_pct)
    );
    let t = &d.time_s;
    if t.excludes_zero() {
        let _ = write!(
            s,
            "; he finishes {:.2} s {} on average (95 % CI {} s; median {} vs {}).",
            t.value.abs(),
            if t.value > 0.0 { "slower" } else { "faster" },
            range(t, 2),
            fmt_time(a.median_s.value),
            fmt_time(r.median_s.value)
        );
    } else {
        let _ = write!(
            s,
            "; no clear difference in his time ({} s on average, 95 % CI {} s).",
            signed(t.value, 2),
            range(t, 2)
        );
    }
    s
}

fn row(label: &str, crn: &CrnResult, k: usize, name: &str) -> Option<VariantRow> {
    let st = crn.runner_stats(k, name)?;
    Some(VariantRow {
        variant: label.to_string(),
        win_pct: st.win_est().scaled(100.0),
        podium_pct: st.podium_est().scaled(100.0),
        median_s: st.median(),
        mean_time_s: st.finish.mean().unwrap_or(f64::NAN),
        mean_place: st.mean_place(),
    })
}

fn diff_entry(label: &str, reference: &str, d: &PairSummary) -> DiffEntry {
    DiffEntry {
        variant: label.to_string(),
        reference: reference.to_string(),
        win_pts: d.win.scaled(100.0),
        podium_pts: d.podium.scaled(100.0),
        time_s: d.time_s,
        place: d.place,
        pairs: d.pairs,
    }
}

/// The variants to compare when the command line names none: the scenario's, with `base` first
/// if it has only one.
///
/// # Errors
/// [`Error::Usage`] if the scenario has no variant (saying how to name some).
pub fn default_specs(base: &Scenario) -> Result<Vec<VariantSpec>> {
    let names: Vec<String> = match base.variants.len() {
        0 => {
            return Err(Error::Usage(format!(
                "{} has no [[variant]]: name what to compare, e.g. \
                 --variants 'base,base@runner.\"{}\".kick_m=300'",
                base.file.display(),
                base.runners
                    .first()
                    .map(|r| r.name.as_str())
                    .unwrap_or("NAME")
            )));
        }
        1 => vec!["base".into(), base.variants[0].name.clone()],
        _ => base.variants.iter().map(|v| v.name.clone()).collect(),
    };
    names.iter().map(|n| VariantSpec::parse(n)).collect()
}

/// Variants ready to run: built (calibrated), with the runners to report.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The variants, labels unique (the same entry twice is numbered `#2`, …).
    pub specs: Vec<VariantSpec>,
    /// Each variant's race.
    pub fields: Vec<Field>,
    /// The runners to report.
    pub focus: Vec<String>,
    /// The other runners, when none was named: each is reported too if his win chance moves by
    /// more than its Monte Carlo error (the 95 % interval of his paired difference excludes 0).
    pub candidates: Vec<String>,
    /// The variants' notes for the reader ([`super::notes_of`]), to print as `run` does.
    pub notes: Vec<String>,
}

/// Build every variant of `base`, sharing `cache`; the runners to report are `runners`, else
/// those whose tactic or ability differs between the variants ([`runners_that_differ`]).
///
/// # Errors
/// [`Error::Usage`] for an unknown variant, parameter path or runner; [`Error::Input`] if a
/// variant is not a valid scenario.
pub fn prepare(
    base: &Scenario,
    mut specs: Vec<VariantSpec>,
    runners: &[String],
    cache: &FitCache,
) -> Result<Prepared> {
    // the same entry twice is allowed (a check that identical variants give zero difference):
    // number the repeats so that every label is unique
    for k in 1..specs.len() {
        let n = specs[..k]
            .iter()
            .filter(|s| {
                s.label == specs[k].label || s.label.starts_with(&format!("{} #", specs[k].label))
            })
            .count();
        if n > 0 {
            specs[k].label = format!("{} #{}", specs[k].label, n + 1);
        }
    }
    let scenarios: Vec<Scenario> = specs.iter().map(|s| s.apply(base)).collect::<Result<_>>()?;
    scenarios[0].check_runners(runners)?;
    let fields = super::build_all(&scenarios, cache)?;
    let focus = if runners.is_empty() {
        let setups: Vec<&RaceSetup> = fields.iter().map(|b| &b.setup).collect();
        runners_that_differ(&setups)
    } else {
        runners.to_vec()
    };
    let candidates = if runners.is_empty() {
        fields[0]
            .setup
            .runners
            .iter()
            .map(|r| r.name.clone())
            .filter(|n| !focus.contains(n))
            .collect()
    } else {
        Vec::new()
    };
    let labels: Vec<String> = specs
        .iter()
        .map(|s| format!("variant `{}`", s.label))
        .collect();
    let notes = super::notes_of(&labels, &scenarios, &fields);
    Ok(Prepared {
        specs,
        fields,
        focus,
        candidates,
        notes,
    })
}

/// Run the prepared variants on common random numbers (or, with `independent`, each on its own
/// seed) and measure every focus runner's differences against the first.
///
/// # Errors
/// As [`crate::montecarlo::crn::run_crn`].
pub fn run(
    base: &Scenario,
    prepared: &Prepared,
    opts: &RunOptions,
    independent: bool,
) -> Result<CompareReport> {
    run_with_progress(base, prepared, opts, independent, &|_| {})
}

/// [`run`], telling `progress` of the races done ([`run_crn_with_progress`]: the total is
/// `runs` × the number of variants).
///
/// # Errors
/// As [`crate::montecarlo::crn::run_crn`].
pub fn run_with_progress(
    base: &Scenario,
    prepared: &Prepared,
    opts: &RunOptions,
    independent: bool,
    progress: Progress,
) -> Result<CompareReport> {
    let setups: Vec<&RaceSetup> = prepared.fields.iter().map(|b| &b.setup).collect();
    let cfg = CrnConfig {
        focus: prepared
            .focus
            .iter()
            .chain(&prepared.candidates)
            .cloned()
            .collect(),
        pairs: Pairs::AgainstFirst,
        independent,
    };
    let crn = run_crn_with_progress(&setups, &cfg, opts, progress)?;
    let specs = &prepared.specs;
    let labels: Vec<&str> = specs.iter().map(|s| s.label.as_str()).collect();
    let reference = labels[0];
    let mut runners = Vec::new();
    for name in prepared.focus.iter().chain(&prepared.candidates) {
        let candidate = !prepared.focus.contains(name);
        if candidate
            && !(1..labels.len()).any(|k| {
                crn.diff(k, 0, name)
                    .is_some_and(|d| diff_entry(labels[k], reference, &d).win_pts.excludes_zero())
            })
        {
            continue;
        }
        let rows: Vec<Option<VariantRow>> = (0..labels.len())
            .map(|k| row(labels[k], &crn, k, name))
            .collect();
        let mut diffs = Vec::new();
        let mut plain = Vec::new();
        for k in 1..labels.len() {
            if let Some(d) = crn.diff(k, 0, name) {
                let e = diff_entry(labels[k], reference, &d);
                if let (Some(va), Some(vr)) = (&rows[k], &rows[0]) {
                    plain.push(if d.identical() {
                        format!(
                            "`{}` and `{}` give {name} exactly the same result in every one of \
                             the {} races.",
                            labels[k], reference, d.pairs
                        )
                    } else {
                        plain_words(name, &e, va, vr)
                    });
                }
                diffs.push(e);
            } else {
                plain.push(format!(
                    "{name} is not in both `{}` and `{reference}`: no paired difference.",
                    labels[k]
                ));
            }
        }
        runners.push(RunnerReport {
            name: name.clone(),
            variants: rows.into_iter().flatten().collect(),
            differences: diffs,
            plain,
        });
    }
    let descriptions: Vec<Option<String>> = specs
        .iter()
        .map(|s| {
            base.variants
                .iter()
                .find(|v| v.name == s.variant)
                .and_then(|v| v.description.clone())
                .or_else(|| (s.variant == "base").then(|| "the scenario as written".into()))
                .map(|d| {
                    if s.sets.is_empty() {
                        d
                    } else {
                        format!(
                            "{d}, with {}",
                            s.sets
                                .iter()
                                .map(|(p, v)| format!("{p} = {v}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                })
        })
        .collect();
    Ok(CompareReport {
        scenario: base.name.clone(),
        file: base.file.display().to_string(),
        races: crn.races,
        seed: opts.seed,
        common_random_numbers: !independent,
        reference: reference.to_string(),
        variants: labels
            .iter()
            .zip(&descriptions)
            .map(|(l, d)| VariantLabel {
                label: l.to_string(),
                description: d.clone(),
            })
            .collect(),
        runners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::small_setup;

    #[test]
    fn variant_specs_parse() {
        let v = VariantSpec::parse_list(
            "race-the-field, base@runner.\"Kerr, Josh\".kick_m=300@model.draft_scale=0.9",
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].variant, "race-the-field");
        assert!(v[0].sets.is_empty());
        assert_eq!(v[1].variant, "base");
        assert_eq!(
            v[1].sets,
            vec![
                ("runner.\"Kerr, Josh\".kick_m".to_string(), 300.0),
                ("model.draft_scale".to_string(), 0.9)
            ]
        );
        for bad in [
            "",
            "@x=1",
            "base@kick",
            "base@x=abc",
            "base@x=inf",
            "base@race.seed=3",
        ] {
            assert!(VariantSpec::parse_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn runners_that_differ_finds_the_changed_runner() {
        let (a, b) = (small_setup(250.0), small_setup(300.0));
        assert_eq!(runners_that_differ(&[&a, &b]), vec!["A".to_string()]);
        assert_eq!(runners_that_differ(&[&a, &a]).len(), 4);
    }

    use crate::testkit::SCENARIO;

    fn opts() -> RunOptions {
        RunOptions {
            runs: 120,
            seed: 2,
            threads: Some(2),
            progress: false,
        }
    }

    #[test]
    fn the_scenarios_variants_are_compared_by_default() {
        let base = Scenario::from_str(SCENARIO, "t.toml").unwrap();
        let specs = default_specs(&base).unwrap();
        let names: Vec<&str> = specs.iter().map(|s| s.variant.as_str()).collect();
        assert_eq!(names, ["kick-early", "no-cid"]);
        let one = Scenario::from_str(
            &SCENARIO.replace("[[variant]]\nname = \"no-cid\"\nremove = [\"Cid\"]\n", ""),
            "t.toml",
        )
        .unwrap();
        let names: Vec<String> = default_specs(&one)
            .unwrap()
            .into_iter()
            .map(|s| s.variant)
            .collect();
        assert_eq!(names, ["base", "kick-early"]);
    }

    #[test]
    fn a_comparison_measures_the_runner_who_changed() {
        let base = Scenario::from_str(SCENARIO, "t.toml").unwrap();
        let specs = VariantSpec::parse_list("base,kick-early,base").unwrap();
        let cache = FitCache::new();
        let p = prepare(&base, specs, &[], &cache).unwrap();
        // repeats are numbered; only Ann's tactic differs
        let labels: Vec<&str> = p.specs.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["base", "kick-early", "base #2"]);
        assert_eq!(p.focus, ["Ann"]);
        let r = run(&base, &p, &opts(), false).unwrap();
        assert_eq!(r.reference, "base");
        assert!(r.common_random_numbers);
        // Ann first (the runner who changed); anyone else only when his own win % moved by more
        // than its error in some variant
        assert_eq!(r.runners[0].name, "Ann");
        for other in &r.runners[1..] {
            assert!(
                other.differences.iter().any(|d| d.win_pts.excludes_zero()),
                "{} listed without a win change beyond its error",
                other.name
            );
        }
        let ann = &r.runners[0];
        assert_eq!(ann.variants.len(), 3);
        assert_eq!(ann.differences.len(), 2);
        // the repeated base is identical race by race: exactly zero, said in words
        let same = &ann.differences[1];
        assert_eq!((same.win_pts.value, same.time_s.value), (0.0, 0.0));
        assert!(ann.plain[1].contains("exactly the same result in every one of the 120 races"));
        // the real difference is paired and in words
        assert_eq!(ann.differences[0].pairs, 120);
        assert!(
            ann.plain[0].starts_with("`kick-early` instead of `base`"),
            "{}",
            ann.plain[0]
        );
        assert_eq!(
            r.variants[1].description.as_deref(),
            Some("Ann kicks from 400 m")
        );
        // an unknown runner on the command line
        let e = prepare(
            &base,
            VariantSpec::parse_list("base").unwrap(),
            &["Zed".into()],
            &cache,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("--runner `Zed`"));
    }
}
