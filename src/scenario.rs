//! Scenario files: a race described in TOML, checked, and turned into a [`RaceSetup`].
//!
//! Two stages (engineering notes, after ripgrep's `lowargs` → `hiargs`): serde structs that mirror
//! the file and reject unknown fields and wrong types, then a validated domain value where units
//! and ranges are checked. Every error names the file, the line and the field.
//!
//! Variants (`[[variant]]`) and sweep points are *patches* of the document: a variant overrides
//! fields of runners (addressed by name), pacers (by name or 1-based index), the model or the race,
//! and may remove runners. The patched document goes through exactly the same checks.
//!
//! The format is documented field by field in the README ("Scenario files").

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Deserialize;

use crate::calibrate::{self, CalMark, Fit};
use crate::error::{Error, InputError, Result, line_of_offset};
use crate::engine::pacing::{PacerSpec, Schedule};
use crate::base::params::ModelParams;
use crate::engine::physiology::Physiology;
use crate::engine::race::{RaceSetup, RunnerSpec};
use crate::base::date::Date;
use crate::engine::tactics::{self, Profile, Tactic, TacticKind};
use crate::base::track::{Track, TrackKind};
use crate::base::units::{Event, parse_time};

// ------------------------------------------------------------------------------------------
// Stage 1: the file as written
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawDoc {
    race: RawRace,
    #[serde(default)]
    model: Option<toml::Table>,
    #[serde(default)]
    runner: Vec<RawRunner>,
    #[serde(default)]
    pacer: Vec<RawPacer>,
    #[serde(default)]
    wavelight: Option<RawPlan>,
    #[serde(default)]
    variant: Vec<RawVariant>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawRace {
    name: String,
    #[serde(default)]
    description: Option<String>,
    track: String,
    distance: toml::Value,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    runs: Option<i64>,
    #[serde(default)]
    seed: Option<i64>,
    #[serde(default)]
    splits: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawRunner {
    name: String,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    reported: Option<toml::Table>,
    #[serde(default)]
    prior: Option<String>,
    #[serde(default)]
    cs: Option<f64>,
    #[serde(default)]
    d_prime: Option<f64>,
    #[serde(default)]
    mss: Option<f64>,
    #[serde(default)]
    tactic: Option<String>,
    #[serde(default)]
    kick_m: Option<f64>,
    #[serde(default)]
    drive_m: Option<f64>,
    #[serde(default)]
    pace: Option<toml::Value>,
    #[serde(default)]
    target: Option<toml::Value>,
    #[serde(default)]
    max_place: Option<f64>,
    #[serde(default)]
    surge_at_m: Option<f64>,
    #[serde(default)]
    surge_len_m: Option<f64>,
    #[serde(default)]
    surge_rise: Option<f64>,
    #[serde(default)]
    follow_pacers: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawSplit {
    at_m: f64,
    time: toml::Value,
}

/// A pace plan: explicit splits, an even lap time, or an even target over the race.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    #[serde(default)]
    splits: Option<Vec<RawSplit>>,
    #[serde(default)]
    lap: Option<toml::Value>,
    #[serde(default)]
    target: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawPacer {
    name: String,
    drop_out_m: f64,
    #[serde(default)]
    splits: Option<Vec<RawSplit>>,
    #[serde(default)]
    lap: Option<toml::Value>,
    #[serde(default)]
    target: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    runner: Option<toml::Table>,
    #[serde(default)]
    pacer: Option<toml::Table>,
    #[serde(default)]
    model: Option<toml::Table>,
    #[serde(default)]
    race: Option<toml::Table>,
    #[serde(default)]
    wavelight: Option<toml::Table>,
    #[serde(default)]
    remove: Option<Vec<String>>,
}

// ------------------------------------------------------------------------------------------
// Locating fields in the source text
// ------------------------------------------------------------------------------------------

/// One step of a field path.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn path_str(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                if k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    s.push_str(k);
                } else {
                    s.push_str(&format!("\"{k}\""));
                }
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Line of the deepest part of `path` found in `text` (1-based), using toml's spanned parse.
fn line_of(text: &str, path: &[Seg]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut best = None;
    let mut cur: Option<&toml::Spanned<DeValue>> = None;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    for seg in path {
        let next = match (seg, cur, table) {
            (Seg::Key(k), _, Some(t)) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                .map(|(_, v)| v),
            (Seg::Key(k), Some(v), None) => v.get_ref().get(k.as_str()),
            (Seg::Index(i), Some(v), _) => v.get_ref().get(*i),
            _ => None,
        };
        match next {
            Some(v) => {
                best = Some(line_of_offset(text, v.span().start));
                cur = Some(v);
                table = None;
            }
            None => break,
        }
    }
    best
}

/// Where the scenario came from, for error messages.
#[derive(Debug, Clone)]
struct Origin {
    file: PathBuf,
    text: Option<String>,
    /// When checking a patched document: the variant (or sweep point) being applied.
    context: Option<String>,
}

impl Origin {
    fn err(&self, path: &[Seg], msg: impl std::fmt::Display) -> Error {
        let line = match (&self.text, &self.context) {
            (Some(t), None) => line_of(t, path),
            _ => None,
        };
        let field = match &self.context {
            Some(c) => format!("{} ({c})", path_str(path)),
            None => path_str(path),
        };
        Error::Input(InputError::new(&self.file, line, field, msg.to_string()))
    }
}

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

fn with(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut v = path.to_vec();
    v.extend_from_slice(more);
    v
}

// ------------------------------------------------------------------------------------------
// Stage 2: checked values
// ------------------------------------------------------------------------------------------

/// Where a runner's parameters come from.
#[derive(Debug, Clone, PartialEq)]
pub enum RunnerSource {
    /// Fitted to reported times.
    Reported(Vec<CalMark>),
    /// Given explicitly.
    Explicit(Physiology),
    /// No reported time is known: a documented prior relative to the field
    /// ([`field_prior`]).
    FieldPrior,
}

/// Tactic parameters as written (None: default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TacticOverrides {
    pub kind: Option<TacticKind>,
    pub kick_m: Option<f64>,
    pub drive_m: Option<f64>,
    /// Lap time for front-running [s per lap].
    pub pace_lap_s: Option<f64>,
    pub target_s: Option<f64>,
    pub max_place: Option<u32>,
    pub surge_at_m: Option<f64>,
    pub surge_len_m: Option<f64>,
    pub surge_rise: Option<f64>,
    pub follow_pacers: Option<bool>,
}

/// A runner as the scenario describes him.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRunner {
    pub name: String,
    pub country: Option<String>,
    pub source: RunnerSource,
    pub tactic: TacticOverrides,
}

/// A named variant (its patch is kept as TOML and applied on demand).
#[derive(Debug, Clone, PartialEq)]
pub struct VariantInfo {
    pub name: String,
    pub description: Option<String>,
}

/// A checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub file: PathBuf,
    pub name: String,
    pub description: Option<String>,
    pub track: TrackKind,
    pub distance_m: f64,
    pub date: Option<Date>,
    pub runs: Option<u64>,
    pub seed: Option<u64>,
    pub extra_splits: Vec<f64>,
    pub params: ModelParams,
    pub runners: Vec<ScenarioRunner>,
    pub pacers: Vec<PacerSpec>,
    pub wavelight: Option<Schedule>,
    pub variants: Vec<VariantInfo>,
    /// The document as parsed, for patching.
    doc: toml::Table,
    origin: Origin,
}

fn time_value(v: &toml::Value, o: &Origin, path: &[Seg]) -> Result<f64> {
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
    path: &[Seg],
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
            let p = with(path, &[k("splits"), Seg::Index(i)]);
            if !(s.at_m.is_finite() && s.at_m > 0.0 && s.at_m <= distance_m + 1e-9) {
                return Err(o.err(
                    &with(&p, &[k("at_m")]),
                    format!("{} m is not within the race (0–{distance_m} m)", s.at_m),
                ));
            }
            let t = time_value(&s.time, o, &with(&p, &[k("time")]))?;
            pts.push((s.at_m, t));
        }
        return Schedule::new(pts).map_err(|e| o.err(&with(path, &[k("splits")]), e));
    }
    if let Some(l) = lap {
        let lap_s = time_value(l, o, &with(path, &[k("lap")]))?;
        return Schedule::from_lap_time(lap_m, lap_s, until_m.max(lap_m))
            .map_err(|e| o.err(&with(path, &[k("lap")]), e));
    }
    let t = time_value(target.as_ref().unwrap(), o, &with(path, &[k("target")]))?;
    Schedule::even(distance_m, t).map_err(|e| o.err(&with(path, &[k("target")]), e))
}

fn parse_distance(v: &toml::Value, o: &Origin) -> Result<f64> {
    let p = [k("race"), k("distance")];
    match v {
        toml::Value::String(s) => s
            .parse::<Event>()
            .map(|e| e.metres())
            .map_err(|e| o.err(&p, e.to_string())),
        toml::Value::Float(_) | toml::Value::Integer(_) => {
            let m = v
                .as_float()
                .unwrap_or_else(|| v.as_integer().unwrap() as f64);
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

fn check_doc(raw: &RawDoc, doc: toml::Table, o: Origin) -> Result<Scenario> {
    let r = &raw.race;
    if r.name.trim().is_empty() {
        return Err(o.err(&[k("race"), k("name")], "must not be empty"));
    }
    let track: TrackKind = r
        .track
        .parse()
        .map_err(|e: crate::base::track::UnknownTrack| o.err(&[k("race"), k("track")], e.to_string()))?;
    let distance_m = parse_distance(&r.distance, &o)?;
    let tr = Track::new(track);
    let date = match &r.date {
        Some(d) => Some(
            d.parse::<Date>()
                .map_err(|e| o.err(&[k("race"), k("date")], e.to_string()))?,
        ),
        None => None,
    };
    let runs = match r.runs {
        Some(n) if !(1..=100_000_000).contains(&n) => {
            return Err(o.err(&[k("race"), k("runs")], "must be between 1 and 100 000 000"));
        }
        n => n.map(|n| n as u64),
    };
    let seed = match r.seed {
        Some(n) if n < 0 => return Err(o.err(&[k("race"), k("seed")], "must not be negative")),
        n => n.map(|n| n as u64),
    };
    let extra_splits = r.splits.clone().unwrap_or_default();
    for (i, x) in extra_splits.iter().enumerate() {
        if !(x.is_finite() && *x > 0.0 && *x <= distance_m) {
            return Err(o.err(
                &[k("race"), k("splits"), Seg::Index(i)],
                format!("{x} m is not within the race (0–{distance_m} m)"),
            ));
        }
    }
    let params: ModelParams = match &raw.model {
        Some(t) => toml::Value::Table(t.clone())
            .try_into()
            .map_err(|e: toml::de::Error| o.err(&[k("model")], e.message().to_string()))?,
        None => ModelParams::default(),
    };
    params
        .validate()
        .map_err(|e| o.err(&[k("model"), k(e.param)], e.message))?;

    if raw.runner.is_empty() {
        return Err(o.err(&[k("runner")], "a scenario needs at least one [[runner]]"));
    }
    let mut runners = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, rr) in raw.runner.iter().enumerate() {
        let p = [k("runner"), Seg::Index(i)];
        let name = rr.name.trim().to_string();
        if name.is_empty() {
            return Err(o.err(&with(&p, &[k("name")]), "must not be empty"));
        }
        if let Some(j) = seen.insert(name.clone(), i) {
            return Err(o.err(
                &with(&p, &[k("name")]),
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
                    &with(&p, &[k("prior")]),
                    format!("unknown prior `{pr}` (the only one is \"field\")"),
                ));
            }
            if rr.reported.is_some() || n_explicit > 0 {
                return Err(o.err(
                    &with(&p, &[k("prior")]),
                    "`prior = \"field\"` is for a runner with no known times: remove `reported`, `cs`, `d_prime`, `mss`",
                ));
            }
        }
        let source = match (&rr.reported, n_explicit) {
            (None, 0) if rr.prior.is_some() => RunnerSource::FieldPrior,
            (Some(_), n) if n > 0 => {
                return Err(o.err(
                    &with(&p, &[k("reported")]),
                    "give either `reported` times or `cs`, `d_prime` and `mss`, not both",
                ));
            }
            (None, 3) => {
                let ph = Physiology {
                    cs: rr.cs.unwrap(),
                    d_prime: rr.d_prime.unwrap(),
                    mss: rr.mss.unwrap(),
                };
                ph.check().map_err(|e| o.err(&with(&p, &[k("cs")]), e))?;
                RunnerSource::Explicit(ph)
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
                    &with(&p, &[k("cs")]),
                    "give all three of `cs`, `d_prime` and `mss` (or `reported` times instead)",
                ));
            }
            (Some(t), _) => {
                let mut marks = Vec::new();
                if t.is_empty() {
                    return Err(o.err(&with(&p, &[k("reported")]), "has no times"));
                }
                for (ev, val) in t {
                    let mp = with(&p, &[k("reported"), k(ev)]);
                    let event: Event = ev.parse().map_err(|e: crate::base::units::UnknownEvent| {
                        o.err(&mp, e.to_string())
                    })?;
                    let (time_s, indoor, mdate) = match val {
                        toml::Value::Table(mt) => {
                            for key in mt.keys() {
                                if !["time", "indoor", "date"].contains(&key.as_str()) {
                                    return Err(o.err(
                                        &with(&mp, &[k(key)]),
                                        "unknown field (expected `time`, `indoor`, `date`)",
                                    ));
                                }
                            }
                            let tv = mt.get("time").ok_or_else(|| {
                                o.err(
                                    &mp,
                                    "needs a `time`, e.g. { time = \"8:00.67\", indoor = true }",
                                )
                            })?;
                            let ts = time_value(tv, &o, &with(&mp, &[k("time")]))?;
                            let indoor = match mt.get("indoor") {
                                None => false,
                                Some(toml::Value::Boolean(b)) => *b,
                                Some(_) => {
                                    return Err(
                                        o.err(&with(&mp, &[k("indoor")]), "must be true or false")
                                    );
                                }
                            };
                            let md = match mt.get("date") {
                                None => None,
                                Some(toml::Value::String(s)) => {
                                    Some(s.parse::<Date>().map_err(|e| {
                                        o.err(&with(&mp, &[k("date")]), e.to_string())
                                    })?)
                                }
                                Some(toml::Value::Datetime(d)) => {
                                    Some(d.to_string().parse::<Date>().map_err(|e| {
                                        o.err(&with(&mp, &[k("date")]), e.to_string())
                                    })?)
                                }
                                Some(_) => {
                                    return Err(o.err(
                                        &with(&mp, &[k("date")]),
                                        "must be a date YYYY-MM-DD",
                                    ));
                                }
                            };
                            (ts, indoor, md)
                        }
                        other => (time_value(other, &o, &mp)?, false, None),
                    };
                    crate::base::units::check_time_plausible(time_s, event.metres())
                        .map_err(|e| o.err(&mp, e.to_string()))?;
                    let mut cm = CalMark::new(event, time_s, indoor);
                    if let (Some(md), Some(rd)) = (mdate, date) {
                        if md >= rd {
                            return Err(o.err(
                                &with(&mp, &[k("date")]),
                                "is not before the race date: a reported time must come before the race",
                            ));
                        }
                        cm.age_days = Some(md.days_between(rd) as f64);
                    }
                    marks.push(cm);
                }
                RunnerSource::Reported(marks)
            }
        };
        let tactic = check_tactic(rr, &o, &p, distance_m)?;
        runners.push(ScenarioRunner {
            name,
            country: rr.country.clone(),
            source,
            tactic,
        });
    }

    let mut pacers = Vec::new();
    for (i, rp) in raw.pacer.iter().enumerate() {
        let p = [k("pacer"), Seg::Index(i)];
        let name = rp.name.trim().to_string();
        if name.is_empty() {
            return Err(o.err(&with(&p, &[k("name")]), "must not be empty"));
        }
        if seen.insert(name.clone(), usize::MAX).is_some() {
            return Err(o.err(
                &with(&p, &[k("name")]),
                format!("`{name}` appears twice in the field (names must be unique)"),
            ));
        }
        if !(rp.drop_out_m.is_finite() && rp.drop_out_m > 0.0 && rp.drop_out_m < distance_m) {
            return Err(o.err(
                &with(&p, &[k("drop_out_m")]),
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
            &[k("wavelight")],
        )?),
        None => None,
    };
    let mut vnames: HashMap<&str, usize> = HashMap::new();
    let mut variants = Vec::new();
    for (i, v) in raw.variant.iter().enumerate() {
        if let Some(j) = vnames.insert(v.name.as_str(), i) {
            return Err(o.err(
                &[k("variant"), Seg::Index(i), k("name")],
                format!("`{}` is already variant {}", v.name, j + 1),
            ));
        }
        variants.push(VariantInfo {
            name: v.name.clone(),
            description: v.description.clone(),
        });
    }
    Ok(Scenario {
        file: o.file.clone(),
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
    })
}

fn check_tactic(rr: &RawRunner, o: &Origin, p: &[Seg], distance_m: f64) -> Result<TacticOverrides> {
    let kind = match &rr.tactic {
        Some(t) => Some(
            t.parse::<TacticKind>()
                .map_err(|e| o.err(&with(p, &[k("tactic")]), e))?,
        ),
        None => None,
    };
    let dist_field = |v: Option<f64>, name: &str| -> Result<Option<f64>> {
        match v {
            Some(x) if !(x.is_finite() && x >= 0.0 && x <= distance_m) => Err(o.err(
                &with(p, &[k(name)]),
                format!("{x} m must be between 0 and the race distance ({distance_m} m)"),
            )),
            v => Ok(v),
        }
    };
    let pace_lap_s = match &rr.pace {
        Some(v) => Some(time_value(v, o, &with(p, &[k("pace")]))?),
        None => None,
    };
    if let Some(l) = pace_lap_s {
        if !(25.0..=120.0).contains(&l) {
            return Err(o.err(
                &with(p, &[k("pace")]),
                format!("{l} s per lap is outside 25–120 s"),
            ));
        }
    }
    let target_s = match &rr.target {
        Some(v) => Some(time_value(v, o, &with(p, &[k("target")]))?),
        None => None,
    };
    if let Some(t) = target_s {
        crate::base::units::check_time_plausible(t, distance_m)
            .map_err(|e| o.err(&with(p, &[k("target")]), e.to_string()))?;
    }
    let max_place = match rr.max_place {
        Some(x) if !((1.0..=50.0).contains(&x) && x.fract() == 0.0) => {
            return Err(o.err(
                &with(p, &[k("max_place")]),
                "must be a whole number from 1 to 50",
            ));
        }
        x => x.map(|x| x as u32),
    };
    if let Some(r) = rr.surge_rise {
        if !(0.0..=0.3).contains(&r) {
            return Err(o.err(
                &with(p, &[k("surge_rise")]),
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

// ------------------------------------------------------------------------------------------
// Loading and patching
// ------------------------------------------------------------------------------------------

fn toml_error(file: &Path, text: &str, e: toml::de::Error) -> Error {
    let line = e.span().map(|s| line_of_offset(text, s.start));
    // toml's messages are multi-line with a source excerpt; keep the first sentence.
    let msg = e
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string();
    // name the field for unknown-field and type errors when the span points at a key
    let field = e
        .span()
        .map(|s| text[s.clone()].trim().trim_matches('"').to_string())
        .filter(|f| !f.is_empty() && f.len() < 60 && !f.contains('\n'))
        .unwrap_or_default();
    Error::Input(InputError::new(file, line, field, msg))
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
    pub fn from_str(text: &str, path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path.as_ref();
        let raw: RawDoc = toml::from_str(text).map_err(|e| toml_error(path, text, e))?;
        let doc: toml::Table = toml::from_str(text).map_err(|e| toml_error(path, text, e))?;
        let o = Origin {
            file: path.to_path_buf(),
            text: Some(text.to_string()),
            context: None,
        };
        let sc = check_doc(&raw, doc, o)?;
        // check every variant now, so that a bad variant is reported when the file is loaded
        for v in &sc.variants {
            sc.variant(&v.name)?;
        }
        Ok(sc)
    }

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
        let raw_v: RawVariant = toml::Value::Table(
            self.doc["variant"].as_array().unwrap()[idx]
                .as_table()
                .unwrap()
                .clone(),
        )
        .try_into()
        .map_err(|e: toml::de::Error| {
            self.origin
                .err(&[k("variant"), Seg::Index(idx)], e.message().to_string())
        })?;
        let mut doc = self.doc.clone();
        let vpath = [k("variant"), Seg::Index(idx)];
        let verr = |sub: &[Seg], msg: String| self.origin.err(&with(&vpath, sub), msg);
        if let Some(rs) = &raw_v.runner {
            for (rname, patch) in rs {
                let patch = patch.as_table().ok_or_else(|| {
                    verr(
                        &[k("runner"), k(rname)],
                        "must be a table of runner fields".into(),
                    )
                })?;
                let entry = find_named(&mut doc, "runner", rname).ok_or_else(|| {
                    verr(
                        &[k("runner"), k(rname)],
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
                let patch = patch.as_table().ok_or_else(|| {
                    verr(
                        &[k("pacer"), k(pname)],
                        "must be a table of pacer fields".into(),
                    )
                })?;
                let entry = find_pacer(&mut doc, pname).ok_or_else(|| {
                    verr(
                        &[k("pacer"), k(pname)],
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
                        &[k("remove")],
                        format!("no runner `{rname}` to remove ({})", self.runner_names()),
                    ));
                }
            }
        }
        self.reparse(doc, format!("variant `{name}`"))
    }

    /// The scenario with one numeric field set, addressed by a path such as
    /// `runner."Josh Kerr".kick_m`, `pacer.1.drop_out_m`, `model.draft_scale` or `race.seed`.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the path and listing the paths that exist, if it does not.
    pub fn with_param(&self, path: &str, value: f64) -> Result<Scenario> {
        let segs = split_param_path(path).ok_or_else(|| {
            Error::Usage(format!(
                "`{path}` is not a parameter path. {}",
                self.param_help()
            ))
        })?;
        let mut doc = self.doc.clone();
        let bad = |why: String| Error::Usage(format!("{why}. {}", self.param_help()));
        let (table, field): (&mut toml::Table, &str) = match segs.as_slice() {
            [sec, name, field] if sec == "runner" => (
                find_named(&mut doc, "runner", name)
                    .ok_or_else(|| bad(format!("`{path}`: no runner `{name}`")))?,
                field,
            ),
            [sec, name, field] if sec == "pacer" => (
                find_pacer(&mut doc, name)
                    .ok_or_else(|| bad(format!("`{path}`: no pacer `{name}`")))?,
                field,
            ),
            [sec, field] if sec == "model" || sec == "race" || sec == "wavelight" => {
                let e = doc
                    .entry(sec.to_string())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                (e.as_table_mut().unwrap(), field)
            }
            _ => return Err(bad(format!("`{path}` is not a parameter path"))),
        };
        let known: &[&str] = match segs[0].as_str() {
            "runner" => RUNNER_NUMERIC,
            "pacer" => PACER_NUMERIC,
            "race" => RACE_NUMERIC,
            "wavelight" => LIGHT_NUMERIC,
            _ => &[],
        };
        if segs[0] == "model" {
            let names = model_numeric_fields();
            if !names.iter().any(|n| n == field) {
                return Err(bad(format!(
                    "`{path}`: the model has no numeric parameter `{field}`"
                )));
            }
        } else if !known.contains(&field) {
            return Err(bad(format!(
                "`{path}`: `{field}` is not a numeric {} field",
                segs[0]
            )));
        }
        let v = if ["runs", "seed", "max_place"].contains(&field) {
            toml::Value::Integer(value.round() as i64)
        } else {
            toml::Value::Float(value)
        };
        table.insert(field.to_string(), v);
        self.reparse(doc, format!("{path} = {value}"))
    }

    fn reparse(&self, doc: toml::Table, context: String) -> Result<Scenario> {
        let o = Origin {
            file: self.file.clone(),
            text: self.origin.text.clone(),
            context: Some(context.clone()),
        };
        let raw: RawDoc = toml::Value::Table(doc.clone())
            .try_into()
            .map_err(|e: toml::de::Error| o.err(&[], e.message().to_string()))?;
        let mut sc = check_doc(&raw, doc, o)?;
        sc.origin.context = None;
        sc.origin.text = self.origin.text.clone();
        Ok(sc)
    }

    fn runner_names(&self) -> String {
        let names: Vec<&str> = self.runners.iter().map(|r| r.name.as_str()).collect();
        format!("runners: {}", names.join(", "))
    }

    /// Every numeric parameter path of this scenario, for help and error messages.
    pub fn param_paths(&self) -> Vec<String> {
        let mut v = Vec::new();
        for r in &self.runners {
            for f in RUNNER_NUMERIC {
                v.push(format!("runner.\"{}\".{f}", r.name));
            }
        }
        for (i, _) in self.pacers.iter().enumerate() {
            for f in PACER_NUMERIC {
                v.push(format!("pacer.{}.{f}", i + 1));
            }
        }
        for f in RACE_NUMERIC {
            v.push(format!("race.{f}"));
        }
        for f in model_numeric_fields() {
            v.push(format!("model.{f}"));
        }
        v
    }

    fn param_help(&self) -> String {
        let mut ex: Vec<String> = Vec::new();
        if let Some(r) = self.runners.first() {
            ex.push(format!(
                "runner.\"{}\".{{{}}}",
                r.name,
                RUNNER_NUMERIC.join(",")
            ));
        }
        if !self.pacers.is_empty() {
            ex.push(format!(
                "pacer.N.{{{}}} (N = 1..{}, or the pacer's name)",
                PACER_NUMERIC.join(","),
                self.pacers.len()
            ));
        }
        ex.push(format!("race.{{{}}}", RACE_NUMERIC.join(",")));
        ex.push(format!("model.{{{}}}", model_numeric_fields().join(",")));
        format!(
            "Paths that exist: {} — runners: {}",
            ex.join("; "),
            self.runners
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Numeric fields a sweep may set on a runner.
pub const RUNNER_NUMERIC: &[&str] = &[
    "kick_m",
    "drive_m",
    "pace",
    "target",
    "max_place",
    "surge_at_m",
    "surge_len_m",
    "surge_rise",
    "cs",
    "d_prime",
    "mss",
];
/// Numeric fields a sweep may set on a pacer.
pub const PACER_NUMERIC: &[&str] = &["drop_out_m", "lap", "target"];
/// Numeric fields a sweep may set on the race.
pub const RACE_NUMERIC: &[&str] = &["seed"];
/// Numeric fields a sweep may set on the WaveLight.
pub const LIGHT_NUMERIC: &[&str] = &["lap", "target"];

/// The numeric fields of [`ModelParams`] (scalars only).
pub fn model_numeric_fields() -> Vec<String> {
    let v = toml::Value::try_from(ModelParams::default()).expect("params serialize");
    v.as_table()
        .unwrap()
        .iter()
        .filter(|(_, x)| x.is_float() || x.is_integer())
        .map(|(k, _)| k.clone())
        .collect()
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

// ------------------------------------------------------------------------------------------
// Building a race
// ------------------------------------------------------------------------------------------

/// One runner of a built race, with where his numbers came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BuiltRunner {
    pub name: String,
    pub country: Option<String>,
    /// The calibration, when he was fitted to reported times.
    pub fit: Option<Fit>,
    /// Whether the tactic is the profile default (not set in the scenario).
    pub default_tactic: bool,
    /// Whether no time was known and the field prior was used.
    pub field_prior: bool,
}

/// A scenario turned into a race setup.
#[derive(Debug, Clone)]
pub struct Built {
    pub setup: RaceSetup,
    pub runners: Vec<BuiltRunner>,
}

type CacheKey = String;
static FIT_CACHE: Mutex<Option<HashMap<CacheKey, Fit>>> = Mutex::new(None);
static TT_CACHE: Mutex<Option<HashMap<CacheKey, f64>>> = Mutex::new(None);

/// The model parameters a solo time trial depends on. Alone on the track a runner has no draft,
/// nobody to follow, block or answer, no pacer and no regime; his time-trial tactic has no kick and
/// no noise. So only the step, the bend cost, the energetics and the dynamics matter — and the
/// calibration priors for a fit. Keying the caches on these alone lets tuning and sweeps of
/// race-level parameters reuse every fit.
fn tt_key(p: &ModelParams) -> String {
    format!(
        "{:?}",
        [
            p.dt_s,
            p.bend_psi,
            p.banked_factor,
            p.k_rec,
            p.tie_up_floor,
            p.tie_up_onset,
            p.tau_keller_s,
            p.tau_response_s,
            p.max_decel_mps2,
            p.prior_d_prime_m,
            p.prior_ln_d_prime_sd,
            p.prior_speed_reserve,
            p.prior_ln_reserve_sd,
        ]
    )
}

/// Fit a runner to his marks, memoised (fits are deterministic; variants and sweeps re-build the
/// same runners many times).
pub fn fit_cached(marks: &[CalMark], params: &ModelParams) -> std::result::Result<Fit, String> {
    let key = format!(
        "{}|{}",
        serde_json::to_string(marks).unwrap(),
        tt_key(params)
    );
    if let Some(f) = FIT_CACHE.lock().unwrap().as_ref().and_then(|m| m.get(&key)) {
        return Ok(f.clone());
    }
    let f = calibrate::fit(marks, params)?;
    FIT_CACHE
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .insert(key, f.clone());
    Ok(f)
}

/// A runner's solo time trial, memoised.
pub fn time_trial_cached(
    ph: &Physiology,
    track: TrackKind,
    distance_m: f64,
    params: &ModelParams,
) -> f64 {
    let key = format!(
        "{:?}|{}|{distance_m}|{}",
        (ph.cs.to_bits(), ph.d_prime.to_bits(), ph.mss.to_bits()),
        track,
        tt_key(params)
    );
    if let Some(t) = TT_CACHE.lock().unwrap().as_ref().and_then(|m| m.get(&key)) {
        return *t;
    }
    let t = calibrate::time_trial(ph, track, distance_m, params);
    TT_CACHE
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .insert(key, t);
    t
}

/// Quantile of the known runners' solo times that a runner with no known time is put at: the
/// slower quartile, 0.75 [U]. A starter whose marks could not be found is, in the shared data,
/// usually a less documented (and so, usually, a less accomplished) one; putting him at the
/// field's median would flatter him, at its slowest would ignore that he qualified.
pub const FIELD_PRIOR_QUANTILE: f64 = 0.75;

/// Physiology for a runner with no known time: the population priors for D′ and MSS/CS
/// ([`ModelParams::prior_d_prime_m`], [`ModelParams::prior_speed_reserve`]) and the CS that puts
/// his solo time at the [`FIELD_PRIOR_QUANTILE`] of the known runners' solo times.
pub fn field_prior(
    known_solo: &[f64],
    track: TrackKind,
    distance_m: f64,
    params: &ModelParams,
) -> (Physiology, f64) {
    let mut v = known_solo.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pos = FIELD_PRIOR_QUANTILE * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let target = v[lo] + (v[hi] - v[lo]) * (pos - lo as f64);
    let make = |cs: f64| Physiology {
        cs,
        d_prime: params.prior_d_prime_m,
        mss: cs * (1.0 + params.prior_speed_reserve),
    };
    let (mut a, mut b) = (3.0, 8.0);
    for _ in 0..30 {
        let mid = 0.5 * (a + b);
        if time_trial_cached(&make(mid), track, distance_m, params) > target {
            a = mid;
        } else {
            b = mid;
        }
    }
    let ph = make(0.5 * (a + b));
    (ph, time_trial_cached(&ph, track, distance_m, params))
}

/// Resolve tactics: the scenario's choices, profile defaults for the rest.
pub fn resolve_tactics(
    overrides: &[TacticOverrides],
    physiology: &[Physiology],
    solo: &[f64],
    paced: bool,
    distance_m: f64,
    lap_m: f64,
    params: &ModelParams,
) -> Vec<(Tactic, bool)> {
    let profiles: Vec<Profile> = physiology
        .iter()
        .zip(solo)
        .map(|(ph, &t)| Profile {
            solo_time_s: t,
            d_prime: ph.d_prime,
        })
        .collect();
    let defaults = tactics::default_kinds(&profiles, paced, params.favourite_margin);
    overrides
        .iter()
        .enumerate()
        .map(|(i, ov)| {
            let kind = ov.kind.unwrap_or(defaults[i]);
            let mut t = Tactic::with_defaults(kind, params, distance_m, solo[i]);
            if let Some(x) = ov.kick_m {
                t.kick_m = x;
            }
            if let Some(x) = ov.drive_m {
                t.drive_m = x;
            }
            if let Some(x) = ov.target_s {
                t.target_s = x;
                t.pace_mps = distance_m / x;
                t.pace_from_ability = false;
            }
            if let Some(x) = ov.pace_lap_s {
                t.pace_mps = lap_m / x;
                t.pace_from_ability = false;
            }
            if let Some(x) = ov.max_place {
                t.max_place = x;
            }
            if let Some(x) = ov.surge_at_m {
                t.surge_at_m = x;
            }
            if let Some(x) = ov.surge_len_m {
                t.surge_len_m = x;
            }
            if let Some(x) = ov.surge_rise {
                t.surge_rise = x;
            }
            if let Some(x) = ov.follow_pacers {
                t.follow_pacers = x;
            }
            (t, ov.kind.is_none())
        })
        .collect()
}

impl Scenario {
    /// Calibrate the runners and build the race.
    ///
    /// # Errors
    /// [`Error::Input`] (naming the runner) if a runner's times cannot be fitted, or if the race
    /// itself is impossible.
    pub fn build(&self) -> Result<Built> {
        let params = &self.params;
        let fits: Vec<std::result::Result<(Physiology, Option<Fit>), Error>> = self
            .runners
            .par_iter()
            .enumerate()
            .map(|(i, r)| match &r.source {
                RunnerSource::Explicit(ph) => Ok((*ph, None)),
                // placeholder, replaced below once the field is known
                RunnerSource::FieldPrior => Ok((
                    Physiology {
                        cs: 6.0,
                        d_prime: params.prior_d_prime_m,
                        mss: 6.0 * (1.0 + params.prior_speed_reserve),
                    },
                    None,
                )),
                RunnerSource::Reported(marks) => fit_cached(marks, params)
                    .map(|f| (f.physiology, Some(f)))
                    .map_err(|e| {
                        self.origin
                            .err(&[k("runner"), Seg::Index(i), k("reported")], e)
                    }),
            })
            .collect();
        let mut phys = Vec::new();
        let mut fit_out = Vec::new();
        for f in fits {
            let (ph, fit) = f?;
            phys.push(ph);
            fit_out.push(fit);
        }
        let mut solo: Vec<f64> = phys
            .par_iter()
            .map(|ph| time_trial_cached(ph, self.track, self.distance_m, params))
            .collect();
        let unknown: Vec<usize> = (0..self.runners.len())
            .filter(|&i| self.runners[i].source == RunnerSource::FieldPrior)
            .collect();
        if !unknown.is_empty() {
            let known: Vec<f64> = (0..self.runners.len())
                .filter(|i| !unknown.contains(i))
                .map(|i| solo[i])
                .collect();
            if known.is_empty() {
                return Err(self.origin.err(
                    &[k("runner")],
                    "`prior = \"field\"` needs at least one runner with known times to be relative to",
                ));
            }
            let (ph, t) = field_prior(&known, self.track, self.distance_m, params);
            for i in unknown {
                phys[i] = ph;
                solo[i] = t;
            }
        }
        let paced = !self.pacers.is_empty() || self.wavelight.is_some();
        let lap_m = Track::new(self.track).lap_m;
        let overrides: Vec<TacticOverrides> =
            self.runners.iter().map(|r| r.tactic.clone()).collect();
        let tactics = resolve_tactics(
            &overrides,
            &phys,
            &solo,
            paced,
            self.distance_m,
            lap_m,
            params,
        );
        let specs: Vec<RunnerSpec> = self
            .runners
            .iter()
            .enumerate()
            .map(|(i, r)| RunnerSpec {
                name: r.name.clone(),
                physiology: phys[i],
                tactic: tactics[i].0,
                solo_time_s: solo[i],
            })
            .collect();
        let setup = RaceSetup::new(
            Track::new(self.track),
            self.distance_m,
            specs,
            self.pacers.clone(),
            self.wavelight.clone(),
            &self.extra_splits,
            params.clone(),
        )
        .map_err(|e| Error::Input(InputError::new(&self.file, None, "", e.to_string())))?;
        let runners = self
            .runners
            .iter()
            .enumerate()
            .map(|(i, r)| BuiltRunner {
                name: r.name.clone(),
                country: r.country.clone(),
                fit: fit_out[i].clone(),
                default_tactic: tactics[i].1,
                field_prior: r.source == RunnerSource::FieldPrior,
            })
            .collect();
        Ok(Built { setup, runners })
    }
}

/// Names of the scenario's variants with the base first (`"base"`).
pub fn variant_names(sc: &Scenario) -> Vec<String> {
    let mut v = vec!["base".to_string()];
    v.extend(sc.variants.iter().map(|x| x.name.clone()));
    v
}
