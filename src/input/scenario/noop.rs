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
use crate::field::tactics::TacticOverrides;
use crate::field::{Field, FitCache};
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
        /// The `[model]` keys it set.
        model: Vec<String>,
    },
    /// A parameter path (`--param`): the path, its section, and the runner and field it names
    /// (if a runner's).
    Param {
        path: String,
        section: Section,
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

    /// Whether this patch sets the model parameter `key`.
    fn sets_model(&self, key: &str) -> bool {
        match self {
            Patch::Variant { model, .. } => model.iter().any(|k| k == key),
            Patch::Param {
                section, key: k, ..
            } => *section == Section::Model && k == key,
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

/// Why the model parameter `key` changes nothing in `field`, or `None` if it may. Only the
/// parameters that matter with pacers, pace lights, a championship race (no pacers, no lights,
/// several runners) or a given tactic in the field are judged; every other one acts in every race.
/// Each condition mirrors where the engine reads the parameter (`engine::race::sim`,
/// `engine::tactics::decide`, `field::tactics::default_kinds`); the tests in
/// `input::scenario`'s module check each against a run.
pub fn why_model_unused(field: &Field, overrides: &[TacticOverrides], key: &str) -> Option<String> {
    let su = &field.setup;
    let kinds: Vec<TacticKind> = su.runners.iter().map(|r| r.tactic.kind).collect();
    let any = |f: &dyn Fn(TacticKind) -> bool| kinds.iter().any(|&k| f(k));
    let lights = su.wavelight.is_some();
    let pacers = !su.pacers.is_empty();
    let championship = su.is_championship();
    let names = |ks: &[TacticKind]| ks.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ");
    let no_tactic = |ks: &[TacticKind]| {
        (!any(&|k| ks.contains(&k))).then(|| {
            format!(
                "only {} runners read it, and nobody in this race runs {}",
                names(ks),
                if ks.len() == 1 { "it" } else { "one of them" }
            )
        })
    };
    // a pace of his own, judged with a per-race error: front-run and chase-clock
    let own_pace = [TacticKind::FrontRun, TacticKind::ChaseClock];
    match key {
        "pace_sd_wavelight" if !lights => Some("the race has no pace lights".into()),
        "pace_sd" if lights => Some(
            "the race has pace lights, so runners judge their pace with `pace_sd_wavelight`".into(),
        ),
        "pace_sd" | "pace_sd_wavelight" => no_tactic(&own_pace),
        "pacer_sd_per_400_s" | "pacer_wait_gap_m" | "pacer_wait_slow" | "post_pacer_sag"
            if !pacers =>
        {
            Some("the race has no pacers".into())
        }
        // the banked track's bend factor reaches a race on a banked track, and the fit of any
        // runner with an indoor mark (fitted on the banked 200 m track, `field::calibrate`)
        "banked_factor"
            if !su.track.banked
                && !field.runners.iter().any(|r| {
                    r.fit
                        .as_ref()
                        .is_some_and(|f| f.marks.iter().any(|m| m.mark.indoor))
                }) =>
        {
            Some(
                "the race is not on a banked track and no runner is fitted to an indoor mark \
                 (only those run on banked bends)"
                    .into(),
            )
        }
        "post_pacer_sag" if lights => Some(
            "the race has pace lights too, and a leader follows the lights, not the pacers' plan"
                .into(),
        ),
        "post_pacer_sag" if !su.runners.iter().any(|r| r.tactic.follow_pacers) => {
            Some("nobody follows the pacers (`follow_pacers = false` for every runner)".into())
        }
        "regime_prob" | "regime_surges" | "final_surge_m" | "surge_rise" | "surge_len_m"
        | "favourite_margin"
            if !championship =>
        {
            Some(
                "only a championship race (several runners, no pacers, no pace lights) draws a \
                 race regime, surges or a favourite's default tactic, and this race has \
                 pacers, pace lights or a single runner"
                    .into(),
            )
        }
        // a race surge (championship races) or the runner's own `surge` tactic
        "surge_from_start" if !championship => no_tactic(&[TacticKind::Surge]).map(|why| {
            format!(
                "only surges read it: a championship race's (several runners, no pacers, no \
                 pace lights) or a surge runner's, and {why}"
            )
        }),
        "favourite_margin" if !field.runners.iter().any(|r| r.default_tactic) => Some(
            "it chooses the favourite's default tactic, and every runner's tactic is set".into(),
        ),
        // the medium regime's pace is also the lead pace of a runner who ignores the pacers
        // or the lights (`engine::race::sim`'s `LeadRule::Medium`)
        "regime_pace"
            if !championship
                && !su.runners.iter().any(|r| {
                    let t = &r.tactic;
                    if lights {
                        !t.follow_pacers && t.kind != TacticKind::ChaseClock
                    } else {
                        pacers && !t.follow_pacers
                    }
                }) =>
        {
            Some(
                "it sets the lead pace of a championship race (several runners, no pacers, no \
                 pace lights) and of a runner who ignores the pacers or lights, and this race \
                 has neither"
                    .into(),
            )
        }
        "default_kick_m" if overrides.iter().all(|o| o.kick_m.is_some()) => {
            Some("every runner sets his own `kick_m`".into())
        }
        "default_drive_m"
            if !kinds
                .iter()
                .zip(overrides)
                .any(|(&k, o)| k == TacticKind::LongDrive && o.drive_m.is_none()) =>
        {
            Some(
                "only a long-drive runner without his own `drive_m` reads it, and nobody in this \
                 race is one"
                    .into(),
            )
        }
        "cover_window_factor" | "reaction_min_s" | "reaction_max_s" => {
            if kinds.len() < 2 {
                Some("it times the answer to a rival's kick, and the race has one runner".into())
            } else {
                let rivals: Vec<TacticKind> = TacticKind::ALL
                    .into_iter()
                    .filter(|k| k.races_rivals())
                    .collect();
                no_tactic(&rivals)
            }
        }
        "follow_margin" => no_tactic(&[
            TacticKind::Follow,
            TacticKind::SitAndKick,
            TacticKind::LongDrive,
            TacticKind::Surge,
        ]),
        "drive_margin" => no_tactic(&[
            TacticKind::RaceTheField,
            TacticKind::FrontRun,
            TacticKind::LongDrive,
        ]),
        _ => None,
    }
}

impl Scenario {
    /// Every setting without effect in `field` (built from this scenario), as an error (the
    /// first one) and notes.
    ///
    /// `variant_uses(key)` says whether one of the file's variants uses the model parameter
    /// `key`: a `[model]` value the file sets for a variant's sake (`pace_sd` for a variant that
    /// makes a runner chase the clock) is not an error in the base race.
    fn findings(
        &self,
        field: &Field,
        variant_uses: &dyn Fn(&str) -> bool,
    ) -> (Option<Error>, Vec<String>) {
        let mut notes = Vec::new();
        let mut error = None;
        let overrides: Vec<TacticOverrides> =
            self.runners.iter().map(|r| r.tactic.clone()).collect();
        let model_keys = self.doc.get("model").and_then(|m| m.as_table());
        for key in model_keys.iter().flat_map(|t| t.keys()) {
            let Some(why) = why_model_unused(field, &overrides, key) else {
                continue;
            };
            let msg = format!("`{key}` has no effect: {why}");
            let e = match self.patches.iter().rev().find(|p| p.sets_model(key)) {
                Some(Patch::Param { path, .. }) => Some(Error::Usage(format!("`{path}`: {msg}"))),
                Some(Patch::Variant { name: v, index, .. }) => {
                    let path = FieldPath::root()
                        .key("variant")
                        .index(*index)
                        .key("model")
                        .key(key);
                    let e = self
                        .origin
                        .source
                        .error(&path, format!("{msg} (variant `{v}`)"));
                    Some(Error::Input(e))
                }
                // set in the file, and a variant or a parameter path changed the race since:
                // it legitimately runs without it
                None if !self.patches.is_empty() => {
                    notes.push(format!(
                        "`model.{key}` in {} is not used here: {why}",
                        self.file.display()
                    ));
                    None
                }
                None if variant_uses(key) => None,
                None => {
                    let path = FieldPath::root().key("model").key(key);
                    Some(Error::Input(self.origin.source.error(&path, msg)))
                }
            };
            if error.is_none() {
                error = e;
            }
        }
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
    pub(super) fn no_effect_error(&self, field: &Field, cache: &FitCache) -> Option<Error> {
        let variant_uses = |key: &str| {
            self.patches.is_empty()
                && self.variants.iter().any(|v| {
                    let Ok(sc) = self.variant(&v.name) else {
                        return false;
                    };
                    let Ok(f) = crate::field::build(&sc.field_spec(), cache) else {
                        return false;
                    };
                    let ov: Vec<TacticOverrides> =
                        sc.runners.iter().map(|r| r.tactic.clone()).collect();
                    why_model_unused(&f, &ov, key).is_none()
                })
        };
        self.findings(field, &variant_uses).0
    }

    /// Notes on settings the run legitimately overrides (see the module docs), one line each,
    /// for the command to print.
    pub fn notes(&self, field: &Field) -> Vec<String> {
        self.findings(field, &|_| false).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::params::ModelParams;
    use crate::engine::race::Simulator;
    use crate::input::params::Section;
    use crate::testkit::SCENARIO;

    const PACER: &str = "[[pacer]]\nname = \"Rabbit\"\ndrop_out_m = 800\nlap = \"28.5\"\n";

    fn load(text: &str) -> Scenario {
        Scenario::from_str(text, "test.toml").unwrap()
    }

    fn with_model(text: &str, model: &str) -> String {
        format!("{text}\n[model]\n{model}\n")
    }

    fn input_error(e: Error) -> crate::base::error::InputError {
        match e {
            Error::Input(ie) => ie,
            e => panic!("not an input error: {e}"),
        }
    }

    #[test]
    fn a_model_parameter_the_race_cannot_use_is_an_error() {
        let cache = FitCache::new();
        let build = |t: &str| load(t).build(&cache);
        // the lights' pace error in a race without lights: file, line, field, why
        let t = with_model(SCENARIO, "pace_sd_wavelight = 0.005");
        let e = input_error(build(&t).unwrap_err());
        assert_eq!(e.field, "model.pace_sd_wavelight");
        assert_eq!(e.line, Some(t.lines().count()));
        assert_eq!(
            e.message,
            "`pace_sd_wavelight` has no effect: the race has no pace lights"
        );
        // the regime of a championship race, in a paced one
        let e =
            input_error(build(&with_model(SCENARIO, "regime_prob = [0.5, 0.3, 0.2]")).unwrap_err());
        assert!(e.message.contains("only a championship race"), "{e}");
        // the pacers' noise: fine with a pacer, an error without
        assert!(build(&with_model(SCENARIO, "pacer_sd_per_400_s = 0.5")).is_ok());
        let t = with_model(&SCENARIO.replace(PACER, ""), "pacer_sd_per_400_s = 0.5");
        let e = input_error(build(&t).unwrap_err());
        assert_eq!(
            e.message,
            "`pacer_sd_per_400_s` has no effect: the race has no pacers"
        );
        // the banked track's bend factor: used on a banked track and by the fit of an indoor
        // mark (run on the banked 200 m track), an error otherwise
        assert!(build(&with_model(SCENARIO, "banked_factor = 0.5")).is_ok());
        let outdoor = SCENARIO
            .replace("track = \"indoor200\"", "track = \"outdoor400\"")
            .replace("lap = \"28.5\"", "lap = \"57.0\"");
        let e = input_error(build(&with_model(&outdoor, "banked_factor = 0.5")).unwrap_err());
        assert_eq!(e.field, "model.banked_factor");
        assert!(e.message.contains("not on a banked track"), "{e}");
        let marked = outdoor.replace(
            "cs = 6.10\nd_prime = 320\nmss = 9.1\n",
            "reported = { mile = { time = \"3:55.00\", indoor = true }, \"1500m\" = \"3:37.00\" }\n",
        );
        assert!(build(&with_model(&marked, "banked_factor = 0.5")).is_ok());
        assert!(
            build(&with_model(
                &marked.replace(", indoor = true", ""),
                "banked_factor = 0.5"
            ))
            .is_err()
        );
        // a pace-judgement error with nobody holding a pace of his own, then with a clock chaser
        let t = with_model(SCENARIO, "pace_sd = 0.02");
        let e = input_error(build(&t).unwrap_err());
        assert!(
            e.message
                .contains("only front-run, chase-clock runners read it"),
            "{e}"
        );
        let t = t.replace(
            "mss = 8.9\n",
            "mss = 8.9\ntactic = \"chase-clock\"\ntarget = \"3:56\"\n",
        );
        assert!(build(&t).is_ok());
        // a default every runner overrides
        let t = SCENARIO
            .replace("mss = 9.1\n", "mss = 9.1\nkick_m = 300\n")
            .replace("mss = 8.9\n", "mss = 8.9\nkick_m = 300\n");
        let e = input_error(build(&with_model(&t, "default_kick_m = 320")).unwrap_err());
        assert!(
            e.message.contains("every runner sets his own `kick_m`"),
            "{e}"
        );
        assert!(build(&with_model(SCENARIO, "default_kick_m = 320")).is_ok());
        // what every race uses is never judged
        assert!(build(&with_model(SCENARIO, "draft_scale = 0.8")).is_ok());
    }

    #[test]
    fn a_parameter_path_or_a_variant_setting_an_unused_model_parameter_is_named() {
        let cache = FitCache::new();
        let sc = load(SCENARIO);
        let e = sc
            .with_param("model.pace_sd_wavelight", 0.005)
            .unwrap()
            .build(&cache)
            .unwrap_err();
        assert!(e.is_user_error());
        assert_eq!(
            e.to_string(),
            "`model.pace_sd_wavelight`: `pace_sd_wavelight` has no effect: the race has no pace \
             lights"
        );
        let t = SCENARIO.replace(
            "[variant.runner.Ann]\nkick_m = 400\n",
            "[variant.runner.Ann]\nkick_m = 400\n[variant.model]\nfavourite_margin = 0.02\n",
        );
        let sc = load(&t);
        assert!(sc.build(&cache).is_ok(), "the base does not set it");
        let e = input_error(sc.variant("kick-early").unwrap().build(&cache).unwrap_err());
        assert_eq!(e.field, "variant[0].model.favourite_margin");
        assert!(e.message.ends_with("(variant `kick-early`)"), "{e}");
    }

    #[test]
    fn a_model_value_the_file_sets_for_a_variant_is_no_error() {
        // pace_sd is for the variant that makes Cid chase the clock: the base runs, the other
        // variant notes that it does not use it
        let t = with_model(
            &SCENARIO.replace(
                "[variant.runner.Ann]\nkick_m = 400\n",
                "[variant.runner.Cid]\ntactic = \"chase-clock\"\ntarget = \"3:56\"\n",
            ),
            "pace_sd = 0.02",
        );
        let sc = load(&t);
        let cache = FitCache::new();
        let base = sc.build(&cache).unwrap();
        assert!(sc.notes(&base).is_empty());
        let v = sc.variant("kick-early").unwrap();
        assert!(v.notes(&v.build(&cache).unwrap()).is_empty(), "it uses it");
        let v = sc.variant("no-cid").unwrap();
        let notes = v.notes(&v.build(&cache).unwrap());
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with("`model.pace_sd` in test.toml is not used here: only front-run"),
            "{notes:?}"
        );
    }

    /// Every model parameter judged without effect really changes nothing: the same races, bit
    /// for bit, with another value (paced, championship, lights and solo races).
    #[test]
    fn what_is_judged_unused_changes_no_race() {
        let lights = SCENARIO.replace(PACER, "[wavelight]\nlap = \"28.6\"\n");
        let champ = SCENARIO.replace(PACER, "");
        let solo = SCENARIO
            .replace(PACER, "")
            .replace(
                "[[runner]]\nname = \"Bea Ola\"\ncs = 6.10\nd_prime = 320\nmss = 9.1\n\n",
                "",
            )
            .replace(
                "[[runner]]\nname = \"Cid\"\ncs = 6.15\nd_prime = 280\nmss = 8.9\n\n",
                "",
            );
        let solo = solo.split("[[variant]]").next().unwrap().to_string();
        let front = champ.replace("mss = 9.1\n", "mss = 9.1\ntactic = \"front-run\"\n");
        let cache = FitCache::new();
        let mut judged = 0;
        let outdoor = SCENARIO
            .replace("track = \"indoor200\"", "track = \"outdoor400\"")
            .replace("lap = \"28.5\"", "lap = \"57.0\"");
        for text in [SCENARIO.to_string(), lights, champ, solo, front, outdoor] {
            let sc = load(&text);
            let spec = sc.field_spec();
            let field = crate::field::build(&spec, &cache).unwrap();
            let ov: Vec<TacticOverrides> = sc.runners.iter().map(|r| r.tactic.clone()).collect();
            let races = |p: &ModelParams| {
                let mut s = spec.clone();
                s.params = p.clone();
                let f = crate::field::build(&s, &cache).unwrap();
                let mut sim = Simulator::new(&f.setup);
                let mut out = sim.new_outcome();
                let mut all = Vec::new();
                for race in 0..6 {
                    sim.run(11, race, &mut out, None);
                    all.extend(out.splits_s.iter().map(|x| x.to_bits()));
                }
                all
            };
            let reference = races(&spec.params);
            let mut changed: Vec<(&str, ModelParams)> = Section::Model
                .params()
                .map(|p| {
                    let mut q = spec.params.clone();
                    let v = p.model_value(&q).unwrap();
                    p.set_model(&mut q, v * 1.3 + 0.01);
                    if q.validate().is_err() {
                        // at the top of its range (`surge_from_start` is 1): move it down
                        p.set_model(&mut q, v * 0.5);
                    }
                    (p.key, q)
                })
                .collect();
            let mut arr = |key, f: fn(&mut ModelParams)| {
                let mut q = spec.params.clone();
                f(&mut q);
                changed.push((key, q));
            };
            arr("regime_prob", |q| q.regime_prob = [0.2, 0.3, 0.5]);
            arr("regime_pace", |q| q.regime_pace[1] = [0.9, 0.95]);
            arr("regime_surges", |q| q.regime_surges = [3.0, 4.0, 6.0]);
            arr("final_surge_m", |q| q.final_surge_m[0] = [500.0, 100.0]);
            arr("surge_rise", |q| q.surge_rise = [0.06, 0.1]);
            arr("surge_len_m", |q| q.surge_len_m = [150.0, 300.0]);
            for (key, q) in changed {
                if let Some(why) = why_model_unused(&field, &ov, key) {
                    judged += 1;
                    assert!(
                        races(&q) == reference,
                        "`{key}` is judged unused ({why}) but changes the race:\n{text}"
                    );
                }
            }
        }
        assert!(judged >= 30, "only {judged} judgements checked");
    }
}
