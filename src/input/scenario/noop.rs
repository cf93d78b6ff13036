//! Settings that would change nothing: an error, or a note where something else legitimately
//! overrides them.
//!
//! A scenario, a variant or a parameter path (`sweep`/`optimize --param`, `compare --variants
//! NAME@PATH=VALUE`) may set a tactic parameter the runner's tactic never reads — `surge_rise` on
//! a runner who does not surge, `max_place` on a front-runner. Run as written, that is a silent
//! no-op (a sweep over it draws a flat line and calls its edge "best"). Which tactic reads which
//! parameter is the parameter table's "used by" column ([`crate::input::params::PARAMS`], one
//! table beside the paths); the tactic is known only once the field is built (a runner without
//! `tactic` gets one from his profile), so the check runs in [`Scenario::build`]:
//!
//! * set by the scenario itself, by the variant being run, or by a `--param` path: an error
//!   (exit 2) naming the file, line and field, or the path, and why the value has no effect;
//! * set by the scenario when a variant (or a parameter path) changed the runner's tactic, or
//!   his profile tactic, since then: a note ([`Scenario::notes`]) — the variant legitimately
//!   runs him otherwise;
//! * a `front-run` pace faster than the runner's solo even pace: a note. The engine never lets a
//!   front-runner run faster than the pace he believes he can hold to the line (the hang-on
//!   limit), so he runs slower than he was told and may not lead.

use super::Scenario;
use crate::base::error::FieldPath;
use crate::base::units::fmt_time;
use crate::engine::tactics::TacticKind;
use crate::error::Error;
use crate::field::Field;
use crate::field::tactics::TacticOverrides;
use crate::input::params::Section;

/// A change applied to a scenario's document, remembered so that a setting without effect is
/// blamed on what set it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Patch {
    /// A `[[variant]]`: its name, its index in the file, and the fields it set per runner.
    Variant {
        name: String,
        index: usize,
        runners: Vec<(String, Vec<String>)>,
    },
    /// A parameter path (`--param`): the path, and the runner and field it names (if a runner's).
    Param {
        path: String,
        runner: Option<String>,
        key: String,
    },
}

impl Patch {
    fn sets(&self, runner: &str, key: &str) -> bool {
        match self {
            Patch::Variant { runners, .. } => runners
                .iter()
                .any(|(n, keys)| n == runner && keys.iter().any(|k| k == key)),
            Patch::Param {
                runner: Some(r),
                key: k,
                ..
            } => r == runner && k == key,
            Patch::Param { .. } => false,
        }
    }
}

/// The tactic fields an input set for a runner, by their scenario key.
pub fn set_tactic_keys(t: &TacticOverrides) -> Vec<&'static str> {
    let mut v = Vec::new();
    let mut add = |set: bool, k| {
        if set {
            v.push(k)
        }
    };
    add(t.kick_m.is_some(), "kick_m");
    add(t.drive_m.is_some(), "drive_m");
    add(t.pace_lap_s.is_some(), "pace");
    add(t.target_s.is_some(), "target");
    add(t.max_place.is_some(), "max_place");
    add(t.surge_at_m.is_some(), "surge_at_m");
    add(t.surge_len_m.is_some(), "surge_len_m");
    add(t.surge_rise.is_some(), "surge_rise");
    add(t.follow_pacers.is_some(), "follow_pacers");
    v
}

/// Why runner `i`'s `key` has no effect in `field`, or `None` if it has one.
fn why_unused(field: &Field, ov: &TacticOverrides, i: usize, key: &str) -> Option<String> {
    let r = &field.setup.runners[i];
    let kind = r.tactic.kind;
    let chosen = if field.runners[i].default_tactic {
        " (chosen by his profile; set `tactic` to choose another)"
    } else {
        ""
    };
    if key == "follow_pacers" {
        return (field.setup.pacers.is_empty() && field.setup.wavelight.is_none()).then(|| {
            "the race has no pacers and no pace lights, so there is nothing to follow or ignore"
                .to_string()
        });
    }
    if key == "target" && kind == TacticKind::FrontRun && ov.pace_lap_s.is_some() {
        return Some(format!(
            "{} is a front-runner with a `pace` too, and a front-runner runs his `pace`: \
             `target` would only set that pace; give one of them",
            r.name
        ));
    }
    let param = Section::Runner.param(key)?;
    if param.used_by.includes(kind) {
        return None;
    }
    let users: Vec<&str> = TacticKind::ALL
        .into_iter()
        .filter(|&k| param.used_by.includes(k))
        .map(TacticKind::name)
        .collect();
    Some(format!(
        "{}'s tactic is {kind}{chosen}, which does not use it: only {} read{} `{key}` ({})",
        r.name,
        users.join(" and "),
        if users.len() == 1 { "s" } else { "" },
        param.label
    ))
}

impl Scenario {
    /// Every setting without effect in `field` (built from this scenario), as an error (the
    /// first one) and notes.
    fn findings(&self, field: &Field) -> (Option<Error>, Vec<String>) {
        let mut notes = Vec::new();
        let mut error = None;
        for (i, entry) in self.runners.iter().enumerate() {
            let name = entry.name.as_str();
            for key in set_tactic_keys(&entry.tactic) {
                let Some(why) = why_unused(field, &entry.tactic, i, key) else {
                    continue;
                };
                let msg = format!("`{key}` has no effect: {why}");
                let setter = self.patches.iter().rev().find(|p| p.sets(name, key));
                let e = match setter {
                    Some(Patch::Param { path, .. }) => {
                        Some(Error::Usage(format!("`{path}`: {msg}")))
                    }
                    Some(Patch::Variant { name: v, index, .. }) => {
                        let path = FieldPath::root()
                            .key("variant")
                            .index(*index)
                            .key("runner")
                            .key(name)
                            .key(key);
                        let e = self
                            .origin
                            .source
                            .error(&path, format!("{msg} (variant `{v}`)"));
                        Some(Error::Input(e))
                    }
                    None => {
                        // Set in the file. A patch that changed his tactic (or anything that
                        // moves a profile tactic) since legitimately runs him otherwise.
                        let retactic = self.patches.iter().any(|p| p.sets(name, "tactic"))
                            || (field.runners[i].default_tactic && !self.patches.is_empty());
                        if retactic {
                            notes.push(format!(
                                "{name}: `{key}` in {} is not used here: {why}",
                                self.file.display()
                            ));
                            None
                        } else {
                            let path = FieldPath::root().key("runner").index(i).key(key);
                            Some(Error::Input(self.origin.source.error(&path, msg)))
                        }
                    }
                };
                if error.is_none() {
                    error = e;
                }
            }
            let r = &field.setup.runners[i];
            let set_pace = entry.tactic.pace_lap_s.is_some() || entry.tactic.target_s.is_some();
            let own = field.setup.distance_m / r.solo_time_s;
            if r.tactic.kind == TacticKind::FrontRun && set_pace && r.tactic.pace_mps > own {
                let lap = field.setup.track.lap_m.min(field.setup.distance_m);
                notes.push(format!(
                    "{name} (front-run) is set {:.2} s a lap ({} for the race), faster than his \
                     solo even pace ({:.2} s a lap, {}): a front-runner never runs faster than the \
                     pace he believes he can hold to the line, so the engine slows him toward \
                     that and he may not lead (his lap times show what he ran)",
                    lap / r.tactic.pace_mps,
                    fmt_time(field.setup.distance_m / r.tactic.pace_mps),
                    lap / own,
                    fmt_time(r.solo_time_s),
                ));
            }
        }
        (error, notes)
    }

    /// The first setting of this scenario without effect in `field`, as an error.
    pub(super) fn no_effect_error(&self, field: &Field) -> Option<Error> {
        self.findings(field).0
    }

    /// Notes on settings the run legitimately overrides (see the module docs), one line each,
    /// for the command to print.
    pub fn notes(&self, field: &Field) -> Vec<String> {
        self.findings(field).1
    }
}
