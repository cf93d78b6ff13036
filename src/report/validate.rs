//! `racesim validate`: the table of scores per race and pooled, the calibration check, the JSON
//! document, and the PIT chart of a [`Validation`].

use std::fmt::Write as _;

use super::chart::Rendered;
use super::output::{OutputSet, json_bytes};
use crate::base::units::fmt_time;
use crate::error::{Error, Result};
use crate::plot::{self, PitData};
use crate::study::validate::{CalibrationCheck, RaceValidation, Scores, Validation};

fn opt(x: Option<f64>, d: usize) -> String {
    x.map(|v| format!("{v:.d$}")).unwrap_or_else(|| "-".into())
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", 100.0 * v))
        .unwrap_or_else(|| "-".into())
}

/// The columns of the table after the race and winner columns: one race's scores or the pooled ones.
fn score_cols(s: &Scores) -> String {
    format!(
        "{:>15}  {:>5} {:>5} {:>5}  {:>6}  {:>6}|{:<6}  {:>6}|{:<6}  {:>6}|{:<6}  {:>5}",
        format!("{} times", s.n_times),
        pct(s.coverage50_times),
        pct(s.coverage80_times),
        pct(s.coverage95_times),
        pct(s.coverage80_leader_splits),
        opt(s.winner_log_loss, 2),
        opt(s.baseline_winner_log_loss, 2),
        opt(s.brier_win, 3),
        opt(s.baseline_brier_win, 3),
        opt(s.spearman_place, 2),
        opt(s.baseline_spearman_place, 2),
        pct(s.coverage80_gaps),
    )
}

/// The pooled scores of the gaps behind the winner, in one line.
fn gap_line(s: &Scores) -> String {
    format!(
        "Gaps behind the winner ({} real gaps, every place from 2nd down): cov50 {} cov80 {} \
         (misses: {} tighter, {} looser than simulated) cov95 {}; gap log score {} \
         (nats, ±0.25 s, higher is better).",
        s.n_gaps,
        pct(s.coverage50_gaps),
        pct(s.coverage80_gaps),
        s.gap_misses80_tight,
        s.gap_misses80_loose,
        pct(s.coverage95_gaps),
        opt(s.gap_log_score, 2),
    )
}

/// The terminal table: one row per race and the pooled scores, with a key.
pub fn table(races: &[RaceValidation], overall: &Scores) -> String {
    let mut o = String::new();
    let w = races.iter().map(|r| r.id.len()).max().unwrap_or(10).max(8);
    let _ = writeln!(
        o,
        "{:w$}  {:>15}  {:>15}  {:>5} {:>5} {:>5}  {:>6}  {:>13}  {:>13}  {:>13}  {:>5}",
        "race",
        "winner sim|real",
        "",
        "cov50",
        "cov80",
        "cov95",
        "lead80",
        "log-loss|base",
        "brier|base",
        "spearman|base",
        "gap80",
        w = w
    );
    for r in races {
        let winner = format!(
            "{:>7}|{:<7}",
            fmt_time(r.sim_winner_median_s),
            r.actual_winner_s
                .map(fmt_time)
                .unwrap_or_else(|| "-".into())
        );
        let _ = writeln!(o, "{:w$}  {winner}  {}", r.id, score_cols(&r.scores));
    }
    let _ = writeln!(o, "{:w$}  {:>15}  {}", "POOLED", "", score_cols(overall));
    let _ = writeln!(o, "\n{}", gap_line(overall));
    let _ = writeln!(
        o,
        "\ncovNN: share of actual finish times inside the simulated central NN % band (ideal: NN %); \
         lead80: the same for the leader's recorded splits (pooled: {:.0} % of {} leader splits; with \
         the athletes' own splits, {:.0} % of {}). log-loss: −ln P(actual winner) \
         (lower is better); brier: of the win probabilities (lower is better); spearman: rank \
         correlation of simulated mean place with actual place (higher is better); gap80: share of \
         the real gaps behind the winner inside the simulated 80 % band of that place's gap. \
         |base: the \
         baseline that knows only the reported times (best mark converted by Riegel, b = 1.06, \
         ±1 % race-to-race).",
        100.0 * overall.coverage80_leader_splits.unwrap_or(f64::NAN),
        races.iter().map(|r| r.leader_splits.len()).sum::<usize>(),
        100.0 * overall.coverage80_splits.unwrap_or(f64::NAN),
        overall.n_splits
    );
    o
}

/// The JSON document of issue 4 (`{"races": [...], "overall": {...}}`).
#[derive(serde::Serialize)]
struct Doc<'a> {
    races: &'a [RaceValidation],
    overall: &'a Scores,
    calibration: &'a CalibrationCheck,
}

/// The solo reproduction of the entrants' marks, and the outliers explained.
pub fn calibration_text(c: &CalibrationCheck) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nSolo reproduction of the entrants' reported times ({} marks): median |error| {:.2} %, worst {:.2} %.",
        c.marks,
        100.0 * c.median_abs_rel_error,
        100.0 * c.worst_abs_rel_error
    );
    for m in &c.outliers {
        let _ = writeln!(
            o,
            "  {} ({}): {} {}{} — simulated {} ({:+.1} %): {}",
            m.name,
            m.race,
            m.event,
            fmt_time(m.reported_s),
            if m.indoor { " indoor" } else { "" },
            fmt_time(m.simulated_s),
            100.0 * m.rel_error,
            m.explanation
        );
    }
    o
}

/// The JSON document (`--json`, and `validation.json`).
pub fn json(v: &Validation) -> Vec<u8> {
    json_bytes(&Doc {
        races: &v.races,
        overall: &v.overall,
        calibration: &v.calibration,
    })
}

/// The text report: the table and the calibration check (`validation.txt`, and the terminal).
pub fn text(v: &Validation) -> String {
    table(&v.races, &v.overall) + &calibration_text(&v.calibration)
}

/// The PIT histogram of every finish time and split scored.
///
/// # Errors
/// If a PIT value is outside [0, 1] (a bug upstream) or drawing fails.
pub fn pit_chart(v: &Validation) -> Result<Rendered> {
    let pits: Vec<f64> = v
        .races
        .iter()
        .flat_map(|r| r.pits.iter().copied())
        .collect();
    let counts = crate::stats::histogram_of_unit(&pits, 10)?;
    let data = PitData {
        title: "Where real results fell in the simulated distributions (PIT)".into(),
        subtitle: format!(
            "{} finish times and splits from {} races · flat = calibrated, U = too narrow, hump = too wide",
            pits.len(),
            v.races.len()
        ),
        counts,
    };
    Rendered::draw("pit", &data.title.clone(), || plot::pit_chart(&data)).map_err(Error::Chart)
}

/// Everything `validate --out` writes: `validation.json`, `validation.txt`, the PIT chart.
///
/// # Errors
/// As [`pit_chart`].
pub fn files(v: &Validation) -> Result<OutputSet> {
    let mut files = OutputSet::new();
    files.add("validation.json", json(v));
    files.add("validation.txt", text(v).into_bytes());
    pit_chart(v)?.queue(&mut files);
    Ok(files)
}
