//! A scenario's second stage: the parsed document checked field by field — units, ranges, names,
//! dates, pace plans — into a [`Scenario`]. Every problem is an input error naming the field,
//! located in the file through the scenario's [`Origin`].

use std::collections::HashMap;

use super::raw::{RawDoc, RawRunner, RawSplit};
use super::{Origin, Scenario, VariantInfo};
use crate::base::date::Date;
use crate::base::error::FieldPath;
use crate::base::params::ModelParams;
use crate::base::track::{Track, TrackKind, UnknownTrack};
use crate::base::units::{Event, UnknownEvent, check_time_plausible, parse_time};
use crate::engine::pacing::{PacerSpec, Schedule};
use crate::engine::physiology::Physiology;
use crate::engine::tactics::TacticKind;
use crate::error::{Error, Result};
use crate::field::calibrate::CalMark;
use crate::field::tactics::TacticOverrides;
use crate::field::{RunnerEntry, RunnerSource};

fn time_value(v: &toml::Value, o: &Origin, path: &FieldPath) -> Result<f64> {
    match v {
        toml::Value::String(s) => parse_time(s).map_err(|e| o.err(path, e.to_string())),
        toml::Value::Float(f) if f.is_finite() && *f > 0.0 => Ok(*f),
        toml::Value::Integer(i) if *i > 0 => Ok(*i as f64),
        _ => Err(o.err(
            path,
            "must be a time such as \"3:29.05\" (or a positive number of seconds)",
        )),
    }
}

/// Where a pace plan applies: it runs until `until_m`, in a race of `distance_m` on laps of `lap_m`.
struct PlanSpan {
    until_m: f64,
    distance_m: f64,
    lap_m: f64,
}

fn plan_schedule(
    splits: &Option<Vec<RawSplit>>,
    lap: &Option<toml::Value>,
    target: &Option<toml::Value>,
    span: PlanSpan,
    o: &Origin,
    path: &FieldPath,
) -> Result<Schedule> {
    let PlanSpan {
        until_m,
        distance_m,
        lap_m,
    } = span;
    let given = splits.is_some() as u8 + lap.is_some() as u8 + target.is_some() as u8;
    if given != 1 {
        return Err(o.err(
            path,
            "give exactly one of `splits` (a list of {at_m, time}), `lap` (even lap time) or \
             `target` (even pace to a finish time)",
        ));
    }
    if let Some(sp) = splits {
        let mut pts = Vec::new();
        for (i, s) in sp.iter().enumerate() {
            let p = path.key("splits").index(i);
            if !(s.at_m.is_finite() && s.at_m > 0.0 && s.at_m <= distance_m + 1e-9) {
                return Err(o.err(
                    &p.key("at_m"),
                    format!("{} m is not within the race (0–{distance_m} m)", s.at_m),
                ));
            }
            let t = time_value(&s.time, o, &p.key("time"))?;
            pts.push((s.at_m, t));
        }
        return Schedule::new(pts).map_err(|e| o.err(&path.key("splits"), e));
    }
    match (lap, target) {
        (Some(l), _) => {
            let lap_s = time_value(l, o, &path.key("lap"))?;
            Schedule::from_lap_time(lap_m, lap_s, until_m.max(lap_m))
                .map_err(|e| o.err(&path.key("lap"), e))
        }
        (None, Some(tv)) => {
            let t = time_value(tv, o, &path.key("target"))?;
            Schedule::even(distance_m, t).map_err(|e| o.err(&path.key("target"), e))
        }
        // `given == 1` above: one of the three is set and `splits` returned already.
        (None, None) => Err(o.err(path, "give `splits`, `lap` or `target`")),
    }
}

fn parse_distance(v: &toml::Value, o: &Origin) -> Result<f64> {
    let p = FieldPath::root().key("race").key("distance");
    match v {
        toml::Value::String(s) => s
            .parse::<Event>()
            .map(|e| e.metres())
            .map_err(|e| o.err(&p, e.to_string())),
        toml::Value::Float(_) | toml::Value::Integer(_) => {
            let m = match v {
                toml::Value::Integer(i) => *i as f64,
                _ => v.as_float().unwrap_or(f64::NAN),
            };
            Event::from_metres(m).map(|e| e.metres()).ok_or_else(|| {
                o.err(
                    &p,
                    format!(
                        "{m} m is not a known race distance (known: {})",
                        Event::known_names()
                    ),
                )
            })
        }
        _ => Err(o.err(&p, "must be an event name such as \"1500m\" or \"mile\"")),
    }
}

/// Check a parsed document (see the module docs) and return the scenario it describes.
///
/// # Errors
/// [`Error::Input`] naming the field, located through `o`.
pub(super) fn check_doc(raw: &RawDoc, doc: toml::Table, o: Origin) -> Result<Scenario> {
    let r = &raw.race;
    if r.name.trim().is_empty() {
        return Err(o.err(
            &FieldPath::root().key("race").key("name"),
            "must not be empty",
        ));
    }
    let track: TrackKind = r
        .track
        .parse()
        .map_err(|e: UnknownTrack| o.err(&FieldPath::root().key("race").key("track"), e))?;
    let distance_m = parse_distance(&r.distance, &o)?;
    let tr = Track::new(track);
    let date = match &r.date {
        Some(d) => Some(
            d.parse::<Date>()
                .map_err(|e| o.err(&FieldPath::root().key("race").key("date"), e.to_string()))?,
        ),
        None => None,
    };
    let runs = match r.runs {
        Some(n) if !(1..=100_000_000).contains(&n) => {
            return Err(o.err(
                &FieldPath::root().key("race").key("runs"),
                "must be between 1 and 100 000 000",
            ));
        }
        n => n.map(|n| n as u64),
    };
    let seed = match r.seed {
        Some(n) if n < 0 => {
            return Err(o.err(
                &FieldPath::root().key("race").key("seed"),
                "must not be negative",
            ));
        }
        n => n.map(|n| n as u64),
    };
    let extra_splits = r.splits.clone().unwrap_or_default();
    for (i, x) in extra_splits.iter().enumerate() {
        if !(x.is_finite() && *x > 0.0 && *x <= distance_m) {
            return Err(o.err(
                &FieldPath::root().key("race").key("splits").index(i),
                format!("{x} m is not within the race (0–{distance_m} m)"),
            ));
        }
    }
    let params: ModelParams = match &raw.model {
        Some(t) => toml::Value::Table(t.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                o.err(&FieldPath::root().key("model"), e.message().to_string())
            })?,
        None => ModelParams::default(),
    };
    params
        .validate()
        .map_err(|e| o.err(&FieldPath::root().key("model").key(e.param), e.message))?;

    if raw.runner.is_empty() {
        // no `runner` to point at: the end of the file, where one is to be added
        let mut e = o.err(
            &FieldPath::root().key("runner"),
            "a scenario needs at least one [[runner]]",
        );
        if let Error::Input(ie) = &mut e {
            ie.line = ie.line.or(o.source.last_line());
        }
        return Err(e);
    }
    let mut runners = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, rr) in raw.runner.iter().enumerate() {
        let p = FieldPath::root().key("runner").index(i);
        let name = check_name(&rr.name, &o, &p)?;
        if let Some(j) = seen.insert(name.clone(), i) {
            return Err(o.err(
                &p.key("name"),
                format!(
                    "`{name}` is already runner {} — names must be unique",
                    j + 1
                ),
            ));
        }
        let explicit = [rr.cs, rr.d_prime, rr.mss];
        let n_explicit = explicit.iter().filter(|x| x.is_some()).count();
        if let Some(pr) = &rr.prior {
            if pr != "field" {
                return Err(o.err(
                    &p.key("prior"),
                    format!("unknown prior `{pr}` (the only one is \"field\")"),
                ));
            }
            if rr.reported.is_some() || n_explicit > 0 {
                return Err(o.err(
                    &p.key("prior"),
                    "`prior = \"field\"` is for a runner with no known times: remove `reported`, `cs`, `d_prime`, `mss`",
                ));
            }
        }
        let source = match (&rr.reported, n_explicit) {
            (None, 0) if rr.prior.is_some() => RunnerSource::FieldPrior,
            (None, 3) => {
                let (Some(cs), Some(d_prime), Some(mss)) = (rr.cs, rr.d_prime, rr.mss) else {
                    return Err(o.err(&p, "give all three of `cs`, `d_prime` and `mss`"));
                };
                let ph = Physiology { cs, d_prime, mss };
                ph.check().map_err(|e| o.err(&p.key("cs"), e))?;
                RunnerSource::Explicit(ph)
            }
            (Some(_), n) if n > 0 => {
                return Err(o.err(
                    &p.key("reported"),
                    "give either `reported` times or `cs`, `d_prime` and `mss`, not both",
                ));
            }
            (None, 0) => {
                return Err(o.err(
                    &p,
                    format!(
                        "runner `{name}` needs `reported` times (e.g. reported = {{ \"1500m\" = \"3:29.05\" }}), \
                         all of `cs`, `d_prime` and `mss`, or `prior = \"field\"` when nothing is known"
                    ),
                ));
            }
            (None, _) => {
                return Err(o.err(
                    &p.key("cs"),
                    "give all three of `cs`, `d_prime` and `mss` (or `reported` times instead)",
                ));
            }
            (Some(rep), _) => {
                RunnerSource::Reported(check_reported(rep, &o, &p.key("reported"), date)?)
            }
        };
        let tactic = check_tactic(rr, &o, &p, distance_m)?;
        runners.push(RunnerEntry {
            name,
            country: rr.country.clone(),
            source,
            tactic,
        });
    }

    let mut pacers = Vec::new();
    for (i, rp) in raw.pacer.iter().enumerate() {
        let p = FieldPath::root().key("pacer").index(i);
        let name = check_name(&rp.name, &o, &p)?;
        if seen.insert(name.clone(), usize::MAX).is_some() {
            return Err(o.err(
                &p.key("name"),
                format!("`{name}` appears twice in the field (names must be unique)"),
            ));
        }
        if !(rp.drop_out_m.is_finite() && rp.drop_out_m > 0.0 && rp.drop_out_m < distance_m) {
            return Err(o.err(
                &p.key("drop_out_m"),
                format!(
                    "{} m: a pacer must drop out within the race, after the start and before the \
                     finish (0–{distance_m} m)",
                    rp.drop_out_m
                ),
            ));
        }
        let schedule = plan_schedule(
            &rp.splits,
            &rp.lap,
            &rp.target,
            PlanSpan {
                until_m: rp.drop_out_m,
                distance_m,
                lap_m: tr.lap_m,
            },
            &o,
            &p,
        )?;
        pacers.push(PacerSpec {
            name,
            schedule,
            drop_out_m: rp.drop_out_m,
        });
    }
    let wavelight = match &raw.wavelight {
        Some(w) => Some(plan_schedule(
            &w.splits,
            &w.lap,
            &w.target,
            PlanSpan {
                until_m: distance_m,
                distance_m,
                lap_m: tr.lap_m,
            },
            &o,
            &FieldPath::root().key("wavelight"),
        )?),
        None => None,
    };
    let mut vnames: HashMap<&str, usize> = HashMap::new();
    let mut variants = Vec::new();
    for (i, v) in raw.variant.iter().enumerate() {
        if let Some(j) = vnames.insert(v.name.as_str(), i) {
            return Err(o.err(
                &FieldPath::root().key("variant").index(i).key("name"),
                format!("`{}` is already variant {}", v.name, j + 1),
            ));
        }
        variants.push(VariantInfo {
            name: v.name.clone(),
            description: v.description.clone(),
        });
    }
    Ok(Scenario {
        file: o.source.file.clone(),
        name: r.name.clone(),
        description: r.description.clone(),
        track,
        distance_m,
        date,
        runs,
        seed,
        extra_splits,
        params,
        runners,
        pacers,
        wavelight,
        variants,
        doc,
        origin: o,
        patches: Vec::new(),
    })
}

/// The `name` of the runner or pacer at `p`, trimmed: not empty, and without control
/// characters (it is printed in tables, CSV and charts).
fn check_name(raw: &str, o: &Origin, p: &FieldPath) -> Result<String> {
    let name = raw.trim().to_string();
    if name.is_empty() {
        return Err(o.err(&p.key("name"), "must not be empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(o.err(
            &p.key("name"),
            "must not contain control characters (a newline, a tab)",
        ));
    }
    Ok(name)
}

/// A runner's `reported` marks: a table of times by event (`{ "1500m" = "3:29.05", mile = {
/// time = "3:47.1", indoor = true } }`, one mark per event), or a list of marks that each name
/// their event (`[{ event = "mile", time = "3:47.1", indoor = true, date = "2024-02-11", note =
/// "PB" }, ...]`, any number per event, kept in the order written — what `scenario from-record`
/// writes, so that a scenario holds the same marks, in the same order, as `validate` selects).
fn check_reported(
    v: &toml::Value,
    o: &Origin,
    rp: &FieldPath,
    race_date: Option<Date>,
) -> Result<Vec<CalMark>> {
    let mut marks = Vec::new();
    match v {
        toml::Value::Table(t) => {
            if t.is_empty() {
                return Err(o.err(rp, "has no times"));
            }
            for (ev, val) in t {
                let mp = rp.key(ev);
                let event: Event = ev.parse().map_err(|e: UnknownEvent| o.err(&mp, e))?;
                marks.push(match val {
                    toml::Value::Table(mt) => check_mark(mt, event, o, &mp, race_date, false)?,
                    other => {
                        let time_s = time_value(other, o, &mp)?;
                        check_time_plausible(time_s, event.metres())
                            .map_err(|e| o.err(&mp, e.to_string()))?;
                        CalMark::new(event, time_s, false)
                    }
                });
            }
        }
        toml::Value::Array(a) => {
            if a.is_empty() {
                return Err(o.err(rp, "has no times"));
            }
            for (i, item) in a.iter().enumerate() {
                let mp = rp.index(i);
                let toml::Value::Table(mt) = item else {
                    return Err(o.err(
                        &mp,
                        "must be a mark such as { event = \"1500m\", time = \"3:29.05\" }",
                    ));
                };
                let event: Event = match mt.get("event") {
                    Some(toml::Value::String(s)) => s
                        .parse()
                        .map_err(|e: UnknownEvent| o.err(&mp.key("event"), e))?,
                    Some(_) => {
                        return Err(
                            o.err(&mp.key("event"), "must be an event name such as \"1500m\"")
                        );
                    }
                    None => {
                        return Err(o.err(
                            &mp,
                            "needs an `event`, e.g. { event = \"mile\", time = \"3:47.1\" }",
                        ));
                    }
                };
                marks.push(check_mark(mt, event, o, &mp, race_date, true)?);
            }
        }
        _ => {
            return Err(o.err(
                rp,
                "must be a table of times by event ({ \"1500m\" = \"3:29.05\" }) or a list of \
                 marks ([{ event = \"1500m\", time = \"3:29.05\" }])",
            ));
        }
    }
    Ok(marks)
}

/// One mark written as a table: `time`, and optionally `indoor`, `date` and `note` (and `event`
/// when `listed`, i.e. in the list form).
fn check_mark(
    mt: &toml::Table,
    event: Event,
    o: &Origin,
    mp: &FieldPath,
    race_date: Option<Date>,
    listed: bool,
) -> Result<CalMark> {
    for key in mt.keys() {
        let known = ["time", "indoor", "date", "note"].contains(&key.as_str())
            || (listed && key == "event");
        if !known {
            return Err(o.err(
                &mp.key(key),
                if listed {
                    "unknown field (expected `event`, `time`, `indoor`, `date`, `note`)"
                } else {
                    "unknown field (expected `time`, `indoor`, `date`, `note`)"
                },
            ));
        }
    }
    let tv = mt.get("time").ok_or_else(|| {
        o.err(
            mp,
            "needs a `time`, e.g. { time = \"8:00.67\", indoor = true }",
        )
    })?;
    let time_s = time_value(tv, o, &mp.key("time"))?;
    let indoor = match mt.get("indoor") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => return Err(o.err(&mp.key("indoor"), "must be true or false")),
    };
    let mdate = match mt.get("date") {
        None => None,
        Some(toml::Value::String(s)) => Some(
            s.parse::<Date>()
                .map_err(|e| o.err(&mp.key("date"), e.to_string()))?,
        ),
        Some(toml::Value::Datetime(d)) => Some(
            d.to_string()
                .parse::<Date>()
                .map_err(|e| o.err(&mp.key("date"), e.to_string()))?,
        ),
        Some(_) => return Err(o.err(&mp.key("date"), "must be a date YYYY-MM-DD")),
    };
    let note = match mt.get("note") {
        None => String::new(),
        Some(toml::Value::String(s)) => s.clone(),
        Some(_) => return Err(o.err(&mp.key("note"), "must be text")),
    };
    let time_at = if mt.contains_key("time") && listed {
        mp.key("time")
    } else {
        mp.clone()
    };
    check_time_plausible(time_s, event.metres()).map_err(|e| o.err(&time_at, e.to_string()))?;
    let mut cm = CalMark::new(event, time_s, indoor);
    cm.note = note;
    if let (Some(md), Some(rd)) = (mdate, race_date) {
        if md >= rd {
            return Err(o.err(
                &mp.key("date"),
                "is not before the race date: a reported time must come before the race",
            ));
        }
        cm.age_days = Some(md.days_between(rd) as f64);
    }
    Ok(cm)
}

fn check_tactic(
    rr: &RawRunner,
    o: &Origin,
    p: &FieldPath,
    distance_m: f64,
) -> Result<TacticOverrides> {
    let kind = match &rr.tactic {
        Some(t) => Some(
            t.parse::<TacticKind>()
                .map_err(|e| o.err(&p.key("tactic"), e))?,
        ),
        None => None,
    };
    let dist_field = |v: Option<f64>, name: &str| -> Result<Option<f64>> {
        match v {
            Some(x) if !(x.is_finite() && x >= 0.0 && x <= distance_m) => Err(o.err(
                &p.key(name),
                format!("{x} m must be between 0 and the race distance ({distance_m} m)"),
            )),
            v => Ok(v),
        }
    };
    let pace_lap_s = match &rr.pace {
        Some(v) => Some(time_value(v, o, &p.key("pace"))?),
        None => None,
    };
    if let Some(l) = pace_lap_s {
        if !(25.0..=120.0).contains(&l) {
            return Err(o.err(&p.key("pace"), format!("{l} s per lap is outside 25–120 s")));
        }
    }
    let target_s = match &rr.target {
        Some(v) => Some(time_value(v, o, &p.key("target"))?),
        None => None,
    };
    if let Some(t) = target_s {
        check_time_plausible(t, distance_m).map_err(|e| o.err(&p.key("target"), e.to_string()))?;
    }
    let max_place = match rr.max_place {
        Some(x) if !((1.0..=50.0).contains(&x) && x.fract() == 0.0) => {
            return Err(o.err(&p.key("max_place"), "must be a whole number from 1 to 50"));
        }
        x => x.map(|x| x as u32),
    };
    if let Some(r) = rr.surge_rise {
        if !(0.0..=0.3).contains(&r) {
            return Err(o.err(
                &p.key("surge_rise"),
                "is a fraction of speed between 0 and 0.3 (e.g. 0.05 for +5 %)",
            ));
        }
    }
    Ok(TacticOverrides {
        kind,
        kick_m: dist_field(rr.kick_m, "kick_m")?,
        drive_m: dist_field(rr.drive_m, "drive_m")?,
        pace_lap_s,
        target_s,
        max_place,
        surge_at_m: dist_field(rr.surge_at_m, "surge_at_m")?,
        surge_len_m: dist_field(rr.surge_len_m, "surge_len_m")?,
        surge_rise: rr.surge_rise,
        follow_pacers: rr.follow_pacers,
    })
}
