//! `racesim calibrate`: fit runners to their reported times and show how well the engine's own
//! time trial reproduces them.

use std::fmt::Write as _;
use std::process::ExitCode;

use racesim::field::calibrate::CalMark;
use racesim::error::{Error, InputError};
use racesim::base::params::ModelParams;
use racesim::base::date::Date;
use racesim::input::record::{AthleteDb, Condition, select_marks};
use racesim::field::{FitCache, RunnerSource};
use racesim::input::scenario::Scenario;
use racesim::base::units::fmt_time;

use super::{CalibrateArgs, say};

/// One runner's calibration, as printed and as JSON.
#[derive(serde::Serialize)]
struct Row {
    name: String,
    /// "reported", "explicit" or "field prior".
    source: String,
    fit: Option<racesim::field::calibrate::Fit>,
    physiology: Option<racesim::engine::physiology::Physiology>,
}

fn render(rows: &[Row]) -> String {
    let mut o = String::new();
    for r in rows {
        let _ = write!(o, "{}", r.name);
        match (&r.fit, &r.physiology) {
            (Some(f), _) => {
                let ph = f.physiology;
                let _ = writeln!(
                    o,
                    "  CS {:.3} m/s · D′ {:.0} m{} · sprint speed {:.2} m/s{}",
                    ph.cs,
                    ph.d_prime,
                    if f.d_prime_identified { "" } else { " (prior)" },
                    ph.mss,
                    if f.mss_identified { "" } else { " (prior)" }
                );
                for m in &f.marks {
                    let _ = writeln!(
                        o,
                        "    {:>6}{:8} reported {:>8}  time trial {:>8}  {:+.2} %{}",
                        m.mark.event.to_string(),
                        if m.mark.indoor { " indoor" } else { "" },
                        fmt_time(m.mark.time_s),
                        fmt_time(m.simulated_s),
                        100.0 * m.rel_error,
                        m.mark
                            .age_days
                            .map(|d| format!("  ({:.1} years before)", d / 365.25))
                            .unwrap_or_default()
                    );
                }
                for w in &f.warnings {
                    let _ = writeln!(o, "    note: {w}");
                }
            }
            (None, Some(ph)) => {
                let _ = writeln!(
                    o,
                    "  CS {:.3} m/s · D′ {:.0} m · sprint speed {:.2} m/s ({})",
                    ph.cs, ph.d_prime, ph.mss, r.source
                );
            }
            _ => {
                let _ = writeln!(o, "  ({})", r.source);
            }
        }
    }
    let fitted: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.fit.as_ref())
        .flat_map(|f| f.marks.iter().map(|m| m.rel_error.abs()))
        .collect();
    if !fitted.is_empty() {
        let mut v = fitted.clone();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let _ = writeln!(
            o,
            "\n{} marks: median |error| {:.2} %, worst {:.2} %. The time trial is the engine's own \
             solo, evenly paced race on the mark's track (indoor marks indoors).",
            v.len(),
            100.0 * v[v.len() / 2],
            100.0 * v[v.len() - 1]
        );
    }
    o
}

pub fn run(a: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let params = match &a.model {
        Some(p) => super::load_model(p)?,
        None => ModelParams::default(),
    };
    let cache = FitCache::new();
    let rows: Vec<Row> = match (&a.scenario, &a.athletes) {
        (Some(path), None) => {
            let sc = Scenario::load(path)?;
            sc.runners
                .iter()
                .map(|r| match &r.source {
                    RunnerSource::Reported(marks) => Ok(Row {
                        name: r.name.clone(),
                        source: "reported".into(),
                        fit: Some(cache.fit(marks, &params).map_err(|e| {
                            Error::Input(InputError::new(
                                path,
                                None,
                                format!("runner `{}`", r.name),
                                e.to_string(),
                            ))
                        })?),
                        physiology: None,
                    }),
                    RunnerSource::Explicit(ph) => Ok(Row {
                        name: r.name.clone(),
                        source: "explicit parameters".into(),
                        fit: None,
                        physiology: Some(*ph),
                    }),
                    RunnerSource::FieldPrior => Ok(Row {
                        name: r.name.clone(),
                        source: "no reported time: field prior, set when the race is built".into(),
                        fit: None,
                        physiology: None,
                    }),
                })
                .collect::<anyhow::Result<_>>()?
        }
        (None, Some(db_path)) => {
            let db = AthleteDb::load(db_path)?;
            let date: Date = a
                .as_of
                .as_deref()
                .ok_or_else(|| Error::Usage("--athletes needs --as-of YYYY-MM-DD".into()))?
                .parse()
                .map_err(|e| Error::Usage(format!("--as-of: {e}")))?;
            let names: Vec<String> = if a.names.is_empty() {
                db.names().map(|s| s.to_string()).collect()
            } else {
                for n in &a.names {
                    if db.get(n).is_none() {
                        return Err(Error::Usage(format!(
                            "no athlete `{n}` in {} (athletes: {})",
                            db_path.display(),
                            db.names().collect::<Vec<_>>().join(", ")
                        ))
                        .into());
                    }
                }
                a.names.clone()
            };
            names
                .iter()
                .map(|n| {
                    let marks: Vec<CalMark> = select_marks(&db.marks_as_of(n, date), Some(date))
                        .into_iter()
                        .map(|sm| {
                            let mut m = CalMark::new(
                                sm.event,
                                sm.mark.time_s,
                                sm.condition == Condition::Indoor,
                            );
                            m.age_days = sm.age_days.map(|d| d as f64);
                            m
                        })
                        .collect();
                    if marks.is_empty() {
                        return Row {
                            name: n.clone(),
                            source: format!("no dated mark in the four years before {date}"),
                            fit: None,
                            physiology: None,
                        };
                    }
                    Row {
                        name: n.clone(),
                        source: "reported".into(),
                        fit: cache.fit(&marks, &params).ok(),
                        physiology: None,
                    }
                })
                .collect()
        }
        _ => {
            return Err(Error::Usage(
                "give a scenario file, or --athletes FILE --as-of DATE (not both)".into(),
            )
            .into());
        }
    };
    if a.json {
        say(&format!("{}\n", serde_json::to_string_pretty(&rows)?));
    } else {
        say(&render(&rows));
    }
    Ok(ExitCode::SUCCESS)
}
