//! Variants and parameter paths: a scenario changed by patching its document, then checked again
//! exactly as a file is.
//!
//! A `[[variant]]` overrides fields of runners (by name), pacers (by name or 1-based number), the
//! model, the race or the lights, and may remove runners. A parameter path such as
//! `runner."Josh Kerr".kick_m` sets one numeric field: which fields exist, and whether they are
//! written as whole numbers, is the parameter table's ([`crate::input::params`]).

use super::check::check_doc;
use super::noop::Patch;
use super::raw::{RawDoc, RawVariant};
use super::{Origin, Scenario};
use crate::base::error::FieldPath;
use crate::error::{Error, Result};
use crate::input::params::{Section, Written};

impl Scenario {
    /// The scenario with variant `name` applied.
    ///
    /// # Errors
    /// [`Error::Usage`] for an unknown variant; [`Error::Input`] if the patched scenario is invalid.
    pub fn variant(&self, name: &str) -> Result<Scenario> {
        let idx = self
            .variants
            .iter()
            .position(|v| v.name == name)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "no variant `{name}` in {} (variants: {})",
                    self.file.display(),
                    if self.variants.is_empty() {
                        "none".to_string()
                    } else {
                        self.variants
                            .iter()
                            .map(|v| v.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ))
            })?;
        let vpath = FieldPath::root().key("variant").index(idx);
        let v_table = self
            .doc
            .get("variant")
            .and_then(|v| v.as_array())
            .and_then(|a| a.get(idx))
            .and_then(|v| v.as_table())
            .ok_or_else(|| self.origin.err(&vpath, "must be a table ([[variant]])"))?;
        let raw_v: RawVariant = toml::Value::Table(v_table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| self.origin.err(&vpath, e.message()))?;
        let mut doc = self.doc.clone();
        let verr = |sub: FieldPath, msg: String| self.origin.err(&vpath.join(&sub), msg);
        if let Some(rs) = &raw_v.runner {
            for (rname, patch) in rs {
                let at = FieldPath::root().key("runner").key(rname.as_str());
                let patch = patch
                    .as_table()
                    .ok_or_else(|| verr(at.clone(), "must be a table of runner fields".into()))?;
                let entry = find_named(&mut doc, "runner", rname).ok_or_else(|| {
                    verr(
                        at.clone(),
                        format!(
                            "no runner `{rname}` in the scenario ({})",
                            self.runner_names()
                        ),
                    )
                })?;
                merge_into(entry, patch);
            }
        }
        if let Some(ps) = &raw_v.pacer {
            for (pname, patch) in ps {
                let at = FieldPath::root().key("pacer").key(pname.as_str());
                let patch = patch
                    .as_table()
                    .ok_or_else(|| verr(at.clone(), "must be a table of pacer fields".into()))?;
                let entry = find_pacer(&mut doc, pname).ok_or_else(|| {
                    verr(
                        at.clone(),
                        format!("no pacer `{pname}` (by name or 1-based number)"),
                    )
                })?;
                merge_into(entry, patch);
            }
        }
        for (key, patch) in [
            ("model", &raw_v.model),
            ("race", &raw_v.race),
            ("wavelight", &raw_v.wavelight),
        ] {
            if let Some(p) = patch {
                let e = doc
                    .entry(key.to_string())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let Some(t) = e.as_table_mut() {
                    merge_into(t, p);
                }
            }
        }
        if let Some(rm) = &raw_v.remove {
            for rname in rm {
                let arr = doc.get_mut("runner").and_then(|v| v.as_array_mut());
                let Some(arr) = arr else { break };
                let before = arr.len();
                arr.retain(|r| r.get("name").and_then(|n| n.as_str()) != Some(rname.as_str()));
                if arr.len() == before {
                    return Err(verr(
                        FieldPath::root().key("remove"),
                        format!("no runner `{rname}` to remove ({})", self.runner_names()),
                    ));
                }
            }
        }
        let mut sc = self.reparse(doc, format!("variant `{name}`"), Some(vpath))?;
        sc.patches = self.patches.clone();
        sc.patches.push(Patch::Variant {
            name: name.to_string(),
            index: idx,
            runners: raw_v
                .runner
                .iter()
                .flatten()
                .map(|(r, t)| {
                    let keys = t.as_table().map(|t| t.keys().cloned().collect());
                    (r.clone(), keys.unwrap_or_default())
                })
                .collect(),
            model: raw_v.model.iter().flat_map(|t| t.keys().cloned()).collect(),
        });
        Ok(sc)
    }

    /// The scenario with one numeric field set, addressed by a path such as
    /// `runner."Josh Kerr".kick_m`, `pacer.1.drop_out_m`, `model.draft_scale` or `race.seed`.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the path and listing the paths that exist, if it does not;
    /// [`Error::Input`] naming the path and value if the scenario rejects the value.
    pub fn with_param(&self, path: &str, value: f64) -> Result<Scenario> {
        let segs = split_param_path(path).ok_or_else(|| {
            Error::Usage(format!(
                "`{path}` is not a parameter path. {}",
                self.param_help(path)
            ))
        })?;
        let mut doc = self.doc.clone();
        let bad = |why: String| Error::Usage(format!("{why}. {}", self.param_help(path)));
        let (section, table, field): (Section, &mut toml::Table, &str) = match segs.as_slice() {
            [sec, name, field] if sec == "runner" => (
                Section::Runner,
                find_named(&mut doc, "runner", name)
                    .ok_or_else(|| bad(format!("`{path}`: no runner `{name}`")))?,
                field,
            ),
            [sec, name, field] if sec == "pacer" => (
                Section::Pacer,
                find_pacer(&mut doc, name)
                    .ok_or_else(|| bad(format!("`{path}`: no pacer `{name}`")))?,
                field,
            ),
            [sec, field] if sec == "model" || sec == "race" || sec == "wavelight" => {
                let section = Section::of_key(sec)
                    .ok_or_else(|| bad(format!("`{path}` is not a parameter path")))?;
                let e = doc
                    .entry(sec.to_string())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                let table = e
                    .as_table_mut()
                    .ok_or_else(|| bad(format!("`{path}`: `[{sec}]` is not a table")))?;
                (section, table, field)
            }
            _ => return Err(bad(format!("`{path}` is not a parameter path"))),
        };
        let Some(param) = section.param(field) else {
            return Err(bad(if section == Section::Model {
                format!("`{path}`: the model has no numeric parameter `{field}`")
            } else {
                format!(
                    "`{path}`: `{field}` is not a numeric {} field",
                    section.key()
                )
            }));
        };
        let v = match param.written {
            Written::Whole => toml::Value::Integer(value.round() as i64),
            Written::Real => toml::Value::Float(value),
        };
        table.insert(field.to_string(), v);
        let key = field.to_string();
        let runner = (section == Section::Runner).then(|| segs[1].clone());
        let mut sc = self.reparse(doc, format!("{path} = {value}"), None)?;
        sc.patches = self.patches.clone();
        sc.patches.push(Patch::Param {
            path: path.to_string(),
            section,
            runner,
            key,
        });
        Ok(sc)
    }

    /// Check a patched document as a file is checked; errors name the patch (`context`).
    fn reparse(
        &self,
        doc: toml::Table,
        context: String,
        anchor: Option<FieldPath>,
    ) -> Result<Scenario> {
        let o = Origin {
            source: self.origin.source.clone(),
            context: Some(context),
            anchor,
        };
        let raw: RawDoc = toml::Value::Table(doc.clone())
            .try_into()
            .map_err(|e: toml::de::Error| o.err(&FieldPath::root(), e.message()))?;
        let mut sc = check_doc(&raw, doc, o)?;
        sc.origin.context = None;
        sc.origin.anchor = None;
        Ok(sc)
    }

    /// Every numeric parameter path of this scenario, for help and error messages.
    pub fn param_paths(&self) -> Vec<String> {
        let mut v = Vec::new();
        for r in &self.runners {
            for p in Section::Runner.params() {
                v.push(format!("runner.\"{}\".{}", r.name, p.key));
            }
        }
        for (i, _) in self.pacers.iter().enumerate() {
            for p in Section::Pacer.params() {
                v.push(format!("pacer.{}.{}", i + 1, p.key));
            }
        }
        for s in [Section::Race, Section::Model] {
            for p in s.params() {
                v.push(format!("{}.{}", s.key(), p.key));
            }
        }
        v
    }

    /// What a user can set, for error messages: the nearest existing path when there is one
    /// ("did you mean …?"), then the paths of each section — the model's ~50 keys only when the
    /// path was a model one.
    fn param_help(&self, path: &str) -> String {
        let keys = |s: Section| s.params().map(|p| p.key).collect::<Vec<_>>().join(",");
        let mut ex: Vec<String> = Vec::new();
        if let Some(r) = self.runners.first() {
            ex.push(format!(
                "runner.\"{}\".{{{}}}",
                r.name,
                keys(Section::Runner)
            ));
        }
        if !self.pacers.is_empty() {
            ex.push(format!(
                "pacer.N.{{{}}} (N = 1..{}, or the pacer's name)",
                keys(Section::Pacer),
                self.pacers.len()
            ));
        }
        ex.push(format!("race.{{{}}}", keys(Section::Race)));
        if path.starts_with("model.") {
            ex.push(format!("model.{{{}}}", keys(Section::Model)));
        } else {
            ex.push("model.KEY (any numeric [model] parameter)".to_string());
        }
        let mean = match nearest_path(path, &self.param_paths()) {
            Some(p) => format!("Did you mean {p}? "),
            None => String::new(),
        };
        format!(
            "{mean}Paths that exist: {} — runners: {}",
            ex.join("; "),
            self.runners
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Edit distance (Levenshtein) between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(row[j] + 1).min(up + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// The existing path nearest to `path` (quotes ignored, case-insensitive), if it is near enough to
/// be a typing slip: at most a quarter of its length away, and at least 1.
fn nearest_path(path: &str, paths: &[String]) -> Option<String> {
    let norm = |s: &str| s.replace('"', "").to_lowercase();
    let want = norm(path);
    let (d, best) = paths
        .iter()
        .map(|p| (edit_distance(&want, &norm(p)), p))
        .min_by_key(|(d, _)| *d)?;
    (d <= (want.chars().count() / 4).max(1)).then(|| best.clone())
}

/// Split `runner."Josh Kerr".kick_m` into ["runner", "Josh Kerr", "kick_m"].
fn split_param_path(path: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    for c in path.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                if cur.is_empty() && !was_quoted {
                    return None;
                }
                out.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            c => cur.push(c),
        }
    }
    if quoted || (cur.is_empty() && !was_quoted) {
        return None;
    }
    out.push(cur);
    Some(out)
}

fn find_named<'a>(
    doc: &'a mut toml::Table,
    section: &str,
    name: &str,
) -> Option<&'a mut toml::Table> {
    doc.get_mut(section)?
        .as_array_mut()?
        .iter_mut()
        .filter_map(|v| v.as_table_mut())
        .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(name))
}

fn find_pacer<'a>(doc: &'a mut toml::Table, key: &str) -> Option<&'a mut toml::Table> {
    if let Ok(i) = key.parse::<usize>() {
        return doc
            .get_mut("pacer")?
            .as_array_mut()?
            .get_mut(i.checked_sub(1)?)?
            .as_table_mut();
    }
    find_named(doc, "pacer", key)
}

/// Overwrite `base` with `patch`, key by key; a patch that sets one way of giving a pace plan
/// (`splits`, `lap`, `target`) removes the others, so that a variant can switch between them.
fn merge_into(base: &mut toml::Table, patch: &toml::Table) {
    let plan = ["splits", "lap", "target"];
    if patch.keys().any(|k| plan.contains(&k.as_str())) && base.contains_key("drop_out_m") {
        for p in plan {
            base.remove(p);
        }
    }
    for (k, v) in patch {
        base.insert(k.clone(), v.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_paths_split_outside_quotes() {
        assert_eq!(
            split_param_path("runner.\"Josh Kerr\".kick_m").unwrap(),
            ["runner", "Josh Kerr", "kick_m"]
        );
        assert_eq!(
            split_param_path("runner.\"A.B\".kick_m").unwrap(),
            ["runner", "A.B", "kick_m"]
        );
        assert_eq!(
            split_param_path("model.draft_scale").unwrap(),
            ["model", "draft_scale"]
        );
        for bad in ["", "model.", ".x", "runner.\"open.kick_m", "a..b"] {
            assert!(split_param_path(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_new_plan_replaces_the_old_one() {
        let mut pacer: toml::Table =
            toml::from_str("name = \"P\"\ndrop_out_m = 800\nlap = 55.0").unwrap();
        let patch: toml::Table = toml::from_str("target = \"3:40\"").unwrap();
        merge_into(&mut pacer, &patch);
        assert!(!pacer.contains_key("lap") && pacer.contains_key("target"));
        assert_eq!(pacer["drop_out_m"].as_integer(), Some(800));
        // a runner's `target` is not a pace plan: nothing else goes
        let mut runner: toml::Table = toml::from_str("name = \"R\"\nkick_m = 300.0").unwrap();
        merge_into(&mut runner, &patch);
        assert!(runner.contains_key("kick_m") && runner.contains_key("target"));
    }
}
