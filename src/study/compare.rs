//! Comparing variants of a scenario (`racesim compare`): which variants, and which runners are
//! worth reporting.

use crate::engine::race::RaceSetup;
use crate::error::{Error, Result};
use crate::input::scenario::Scenario;

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
        } else {
            out.last_mut().unwrap().push(c);
        }
    }
    out
}

/// Split `PATH=VALUE` at the last `=` outside quotes.
pub fn split_assignment(s: &str) -> Option<(String, String)> {
    let mut quoted = false;
    let mut at = None;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '=' if !quoted => at = Some(i),
            _ => {}
        }
    }
    let i = at?;
    Some((s[..i].trim().to_string(), s[i + 1..].trim().to_string()))
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
}
