//! A race record (or a pre-race field file) written as a commented scenario: `racesim scenario
//! from-record` and `from-field`, and the web app's "a real race as TOML".
//!
//! The scenario is written from the record's [`RecordField`] — the very value `validate` builds its
//! race from — so it describes the same field: each entrant's marks as `validate` selects them
//! (the fastest per event and condition in the four years before the race, each with its date,
//! condition and note, in the same order), the field prior for an entrant with none, the pacers'
//! plans and drop-out points as the record gives them or as `validate` assumes them, the lights,
//! every split point the record gives, and the model. Nothing of the result is written. A test
//! holds the fits of the written scenario to the record's, bit for bit, for every shared record.
//!
//! Numbers are written so that they read back to the same bits: a time as people write it
//! (`"3:29.05"`) when that parses back to the same seconds, else in seconds; a distance as a whole
//! number when it is one, else in full.

use std::fmt::Write as _;
use std::path::Path;

use super::{Condition, RaceRecord, select_marks};
use crate::base::params::ModelParams;
use crate::base::units::{fmt_time, parse_time};
use crate::engine::pacing::Schedule;
use crate::error::Result;
use crate::field::FitCache;
use crate::input::scenario::why_model_unused;

/// Which kind of file the scenario was written from (its header says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// A race record (`shared/data/races/`): its result is left out.
    Race,
    /// A pre-race field (`shared/data/fields/`): a start list, no result.
    Field,
}

/// A TOML string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A number that reads back to the same bits: a whole number without decimals, else in full
/// (Rust's shortest round-trip form).
fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    }
}

/// A time that reads back to the same seconds: `"3:29.05"` when it does, else seconds.
fn time(t: f64) -> String {
    let human = fmt_time(t);
    match parse_time(&human) {
        Ok(back) if back.to_bits() == t.to_bits() => q(&human),
        _ => num(t),
    }
}

/// Text as comment lines of at most `width` characters (a word longer than that stays whole),
/// each starting with `indent` + `# `. Control characters become spaces: a comment is one line.
fn comment(out: &mut String, indent: &str, text: &str, width: usize) {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    // a bullet ("  - text") hangs its continuation lines under its text
    let (first, hang, body) = match clean.strip_prefix("  - ") {
        Some(rest) => ("  - ", "    ", rest),
        None => ("", "", clean.as_str()),
    };
    let mut line = first.to_string();
    let mut empty = true;
    for word in body.split_whitespace() {
        if !empty && indent.len() + 2 + line.len() + 1 + word.len() > width {
            let _ = writeln!(out, "{indent}# {line}");
            line = hang.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        let _ = writeln!(out, "{indent}# {line}");
    }
}

/// A pace plan's points as a TOML list of `{ at_m, time }`.
fn splits_list(out: &mut String, key: &str, sch: &Schedule) {
    let _ = writeln!(out, "{key} = [");
    for &(at, t) in sch.points() {
        let _ = writeln!(out, "  {{ at_m = {}, time = {} }},", num(at), time(t));
    }
    let _ = writeln!(out, "]");
}

/// The `[model]` values that differ from the shipped model, as `(key, "key = value")`.
fn model_lines(params: &ModelParams) -> Vec<(String, String)> {
    let table = |p: &ModelParams| match toml::Value::try_from(p) {
        Ok(toml::Value::Table(t)) => t,
        _ => toml::Table::new(),
    };
    let (given, shipped) = (table(params), table(&ModelParams::default()));
    given
        .iter()
        .filter(|(k, v)| shipped.get(*k) != Some(*v))
        .map(|(k, v)| {
            let line = match v {
                toml::Value::Float(x) => format!("{k} = {}", num_float(*x)),
                v => format!("{k} = {v}"),
            };
            (k.clone(), line)
        })
        .collect()
}

/// A float that TOML reads back as a float with the same bits.
fn num_float(x: f64) -> String {
    format!("{x:?}")
}

/// The record (or field) `rec`, read from `file`, as a commented scenario that builds the same
/// field as `validate` with the model `params` (see the module docs).
///
/// # Errors
/// As [`RaceRecord::field`]: no entrant has a mark, or a pacer's plan cannot be run.
pub fn scenario_toml(
    rec: &RaceRecord,
    file: &Path,
    params: &ModelParams,
    kind: RecordKind,
) -> Result<String> {
    let rf = rec.field(file, params)?;
    let spec = &rf.spec;
    let race_date = rec.race_date();
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let (command, what) = match kind {
        RecordKind::Race => (
            "from-record",
            "the record's pre-race part only (the entrants and their marks, the pacers' plan, the \
             track, the distance, the date); nothing of the result",
        ),
        RecordKind::Field => (
            "from-field",
            "a pre-race field (a start list: the entrants and their marks, the pacers' plan, the \
             track, the distance, the date)",
        ),
    };
    let mut o = String::new();
    let w = 100;
    comment(
        &mut o,
        "",
        &format!("{} — {}, {}", rec.event, rec.date, rec.venue),
        w,
    );
    comment(
        &mut o,
        "",
        &format!(
            "Written by `racesim scenario {command}` from `{file_name}`: {what}. It builds the \
             field `racesim validate` builds from the same file — the same marks, so the same \
             fits — and runs as is (`racesim run THIS.toml`)."
        ),
        w,
    );
    o.push_str("#\n");
    comment(
        &mut o,
        "",
        &format!(
            "Marks: per entrant, the fastest mark per event and condition (outdoor, indoor, not \
             known) set in the {} years before the race, as `validate` selects them, each with \
             its date (older marks count less) and the record's note. A mark whose condition is \
             not known counts as outdoor. Times read as people write them where that gives back \
             the record's exact seconds, else in seconds.",
            super::STALE_AFTER_YEARS
        ),
        w,
    );
    comment(
        &mut o,
        "",
        "Tactics: none is set, as in `validate`: when the race is built, runners follow the \
         pacers in a paced race, else each gets a tactic from his profile (see the README, \
         \"Scenario files\", to set one).",
        w,
    );
    if !rec.sources.is_empty() {
        o.push_str("#\n# Sources (the record's):\n");
        for s in &rec.sources {
            comment(&mut o, "", &format!("  - {s}"), w);
        }
    }
    if !rf.assumptions.is_empty() {
        o.push_str("#\n# Assumed, as `validate` assumes (the record does not say):\n");
        for a in &rf.assumptions {
            comment(&mut o, "", &format!("  - {a}"), w);
        }
    }
    if !rec.uncertain.is_empty() {
        o.push_str("#\n# Known gaps and doubts (the record's `uncertain`):\n");
        for u in &rec.uncertain {
            comment(&mut o, "", &format!("  - {u}"), w);
        }
    }

    // ---- the race ----
    o.push_str("\n[race]\n");
    let _ = writeln!(o, "name = {}", q(&rec.event));
    let sex = match rec.sex {
        super::Sex::Men => "men's race",
        super::Sex::Women => "women's race",
    };
    let _ = writeln!(
        o,
        "description = {}",
        q(&format!(
            "{}, {}; {sex}; from the record `{}`",
            rec.venue, rec.date, rec.id
        ))
    );
    let _ = writeln!(o, "track = {}", q(spec.track.name()));
    let _ = writeln!(o, "distance = {}", q(rec.event_kind.name()));
    let _ = writeln!(o, "date = {}", q(&race_date.to_string()));
    if !spec.extra_splits_m.is_empty() {
        let pts: Vec<String> = spec.extra_splits_m.iter().map(|&x| num(x)).collect();
        let _ = writeln!(
            o,
            "splits = [{}]   # every split point the record gives (m from the start)",
            pts.join(", ")
        );
    }
    let model = model_lines(&spec.params);
    if !model.is_empty() {
        o.push_str("\n[model]   # the model validate was given (--model), where it differs from the shipped one\n");
        // a value this race cannot use (the pacers' noise in a race without pacers) would make
        // the scenario an error (`input::scenario`'s no-effect check): it is written as a comment
        let built = crate::field::build(spec, &FitCache::new()).ok();
        let ov: Vec<_> = spec.runners.iter().map(|r| r.tactic.clone()).collect();
        for (k, l) in model {
            match built.as_ref().and_then(|f| why_model_unused(f, &ov, &k)) {
                Some(why) => {
                    let _ = writeln!(o, "# {l}   # no effect in this race: {why}");
                }
                None => {
                    let _ = writeln!(o, "{l}");
                }
            }
        }
    }

    // ---- the runners ----
    for (e, (entry, used)) in rec.entrants.iter().zip(spec.runners.iter().zip(&rf.marks)) {
        o.push_str("\n[[runner]]\n");
        let _ = writeln!(o, "name = {}", q(&entry.name));
        if let Some(c) = &entry.country {
            let _ = writeln!(o, "country = {}", q(c));
        }
        if let Some(n) = &e.note {
            comment(&mut o, "", &format!("Record: {n}"), w);
        }
        if used.is_empty() {
            let _ = writeln!(
                o,
                "prior = \"field\"   # no pre-race mark in the record: the field prior (the slower \
                 quartile of the known runners), as in validate"
            );
            continue;
        }
        let selected = select_marks(&e.reported, Some(race_date));
        debug_assert_eq!(selected.len(), used.len());
        comment(
            &mut o,
            "",
            &format!(
                "{} of his {} reported marks: the fastest per event and condition in the {} \
                 years before {race_date}",
                used.len(),
                e.reported.len(),
                super::STALE_AFTER_YEARS
            ),
            w,
        );
        o.push_str("reported = [\n");
        for (sm, cm) in selected.iter().zip(used) {
            let mut fields = vec![
                format!("event = {}", q(cm.event.name())),
                format!("time = {}", time(cm.time_s)),
            ];
            if let Some(d) = sm.mark.date {
                fields.push(format!("date = {}", q(&d.to_string())));
            }
            if cm.indoor {
                fields.push("indoor = true".into());
            }
            if !cm.note.is_empty() {
                fields.push(format!("note = {}", q(&cm.note)));
            }
            let unknown = if sm.condition == Condition::Unknown {
                "   # indoor or outdoor not known: counted as outdoor"
            } else {
                ""
            };
            let _ = writeln!(o, "  {{ {} }},{unknown}", fields.join(", "));
        }
        o.push_str("]\n");
    }

    // ---- the pacers and the lights ----
    if let Some(n) = &rec.pacemakers.note {
        o.push('\n');
        comment(&mut o, "", &format!("Pacing (the record): {n}"), w);
    }
    for p in &spec.pacers {
        let plan = rec.human_pacers().find(|pp| pp.name == p.name);
        o.push_str("\n[[pacer]]\n");
        let _ = writeln!(o, "name = {}", q(&p.name));
        let known = plan.is_some_and(|pp| pp.drop_out_m.is_some());
        let _ = writeln!(
            o,
            "drop_out_m = {}   # {}",
            num(p.drop_out_m),
            if known {
                "the record's (approximate) drop-out point".to_string()
            } else {
                format!(
                    "not in the record: validate's default (about {} m)",
                    crate::base::units::fmt_m(p.drop_out_m.round())
                )
            }
        );
        if let Some(n) = plan.and_then(|pp| pp.note.as_deref()) {
            comment(&mut o, "", &format!("Plan: {n}"), w);
        }
        splits_list(&mut o, "splits", &p.schedule);
    }
    for pp in rec.human_pacers() {
        if !spec.pacers.iter().any(|p| p.name == pp.name) {
            o.push('\n');
            comment(
                &mut o,
                "",
                &format!(
                    "Pacer {} is in the record with no plan at all (no splits, no race plan, no \
                     lights): left out, as validate leaves him out.",
                    pp.name
                ),
                w,
            );
        }
    }
    if let Some(l) = &spec.wavelight {
        o.push_str("\n[wavelight]   # the pace lights' plan, from the record\n");
        splits_list(&mut o, "splits", l);
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FitCache;
    use crate::input::record::tests_support::{RECORD, record};
    use crate::input::scenario::Scenario;

    #[test]
    fn numbers_read_back_to_the_same_bits() {
        for t in [
            211.0,
            209.05,
            110.9,
            54.82,
            228.08,
            206.734,
            485.7,
            0.1 + 0.2,
        ] {
            let s = time(t);
            let back: toml::Value =
                toml::from_str::<toml::Table>(&format!("x = {s}")).unwrap()["x"].clone();
            let b = match back {
                toml::Value::String(h) => parse_time(&h).unwrap(),
                toml::Value::Float(f) => f,
                toml::Value::Integer(i) => i as f64,
                v => panic!("{v}"),
            };
            assert_eq!(b.to_bits(), t.to_bits(), "{t} written {s}");
        }
        assert_eq!(time(209.05), "\"3:29.05\"");
        assert_eq!(num(795.0), "795");
        assert_eq!(num(1609.344), "1609.344");
        assert!(model_lines(&ModelParams::default()).is_empty());
        let p = ModelParams {
            draft_scale: 0.8,
            ..ModelParams::default()
        };
        assert_eq!(
            model_lines(&p),
            [("draft_scale".to_string(), "draft_scale = 0.8".to_string())]
        );
    }

    #[test]
    fn a_record_becomes_a_scenario_of_the_same_field() {
        let rec = record();
        let path = Path::new("test.json");
        let text = scenario_toml(&rec, path, &ModelParams::default(), RecordKind::Race).unwrap();
        let sc = Scenario::from_str(&text, "test.toml").unwrap();
        let rf = rec.field(path, &ModelParams::default()).unwrap();
        // the same field as data: marks (ages and notes too), prior, pacer, splits, model
        assert_eq!(sc.field_spec(), rf.spec, "{text}");
        assert!(text.contains("prior = \"field\""));
        assert!(text.contains("note = \"SB\""));
        assert!(text.contains("not in the record: validate's default"));
        assert!(text.contains("drop-out point not in the record; default 800 m"));
        assert!(!text.contains("210.4"), "nothing of the result: {text}");
        let cache = FitCache::new();
        let (a, b) = (
            sc.build(&cache).unwrap(),
            rf.build(&FitCache::new()).unwrap(),
        );
        for (x, y) in a.setup.runners.iter().zip(&b.setup.runners) {
            assert_eq!(x.physiology, y.physiology);
            assert_eq!(x.solo_time_s.to_bits(), y.solo_time_s.to_bits());
        }
        // a model file's value this race cannot use is written as a comment, so that the
        // scenario runs; one it uses is written as is
        let p = ModelParams {
            draft_scale: 0.8,
            pace_sd_wavelight: 0.005,
            ..ModelParams::default()
        };
        let text = scenario_toml(&rec, path, &p, RecordKind::Race).unwrap();
        assert!(text.contains("\ndraft_scale = 0.8\n"), "{text}");
        assert!(
            text.contains(
                "\n# pace_sd_wavelight = 0.005   # no effect in this race: the race has no pace \
                 lights\n"
            ),
            "{text}"
        );
        let sc = Scenario::from_str(&text, "test.toml").unwrap();
        assert_eq!(sc.params.draft_scale, 0.8);
        sc.build(&cache).unwrap();
        // a pacer with no plan at all is left out, and the scenario says so
        let t = RECORD.replace(
            r#"[{"at_m": 400, "time_s": 55.0}, {"at_m": 800, "time_s": 111.0}]"#,
            "[]",
        );
        let rec = RaceRecord::from_str(&t, "t.json").unwrap();
        let text = scenario_toml(&rec, path, &ModelParams::default(), RecordKind::Field).unwrap();
        assert!(text.contains("Pacer Pace Maker is in the record with no plan at all"));
        assert!(!text.contains("[[pacer]]"));
        assert!(text.contains("scenario from-field"));
        Scenario::from_str(&text, "t.toml").unwrap();
    }
}
