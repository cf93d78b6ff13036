//! `racesim validate`: the table of scores per race and pooled, the calibration check, the JSON
//! document, and the PIT chart of a [`Validation`].

use std::fmt::Write as _;

use super::chart::Rendered;
use super::output::{OutputSet, json_bytes};
use super::table::{Align, Table, wrap};
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

/// The scores per race and pooled, every column explained under it.
pub fn scores_table(races: &[RaceValidation], overall: &Scores) -> Table {
    let mut t = Table::new()
        .col("race", "race", Align::Left, "")
        .col(
            "sim_winner",
            "sim win",
            Align::Right,
            "simulated winner's median time",
        )
        .col(
            "real_winner",
            "real win",
            Align::Right,
            "actual winning time",
        )
        .wide_col("times", "times", Align::Right, "actual finish times scored")
        .wide_col(
            "cov50",
            "cov50",
            Align::Right,
            "share of actual finish times inside the simulated central 50 % band (ideal 50 %)",
        )
        .col(
            "cov80",
            "cov80",
            Align::Right,
            "share of actual finish times inside the simulated central 80 % band (ideal 80 %)",
        )
        .wide_col(
            "cov95",
            "cov95",
            Align::Right,
            "the same for the 95 % band (ideal 95 %)",
        )
        .col(
            "lead80",
            "lead80",
            Align::Right,
            "share of the leader's recorded splits inside the simulated 80 % band",
        )
        .col(
            "log_loss",
            "logloss",
            Align::Right,
            "−ln P(actual winner), lower is better",
        )
        .wide_col("log_loss_base", "base", Align::Right, "")
        .col(
            "brier",
            "brier",
            Align::Right,
            "Brier score of the win probabilities, lower is better",
        )
        .wide_col("brier_base", "base", Align::Right, "")
        .col(
            "spearman",
            "spearm",
            Align::Right,
            "rank correlation of simulated mean place with actual place, higher is better",
        )
        .wide_col(
            "spearman_base",
            "base",
            Align::Right,
            "the score of the baseline that knows only the reported times (best mark converted \
             by Riegel, b = 1.06, ±1 % race-to-race)",
        )
        .col(
            "gap80",
            "gap80",
            Align::Right,
            "share of the real gaps behind the winner inside the simulated 80 % band of that \
             place's gap",
        );
    let cols = |id: String, sim: String, real: String, s: &Scores| {
        vec![
            id,
            sim,
            real,
            s.n_times.to_string(),
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
        ]
    };
    for r in races {
        t.row(cols(
            r.id.clone(),
            fmt_time(r.sim_winner_median_s),
            r.actual_winner_s
                .map(fmt_time)
                .unwrap_or_else(|| "-".into()),
            &r.scores,
        ));
    }
    t.rule_before.push(races.len());
    t.row(cols("POOLED".into(), String::new(), String::new(), overall));
    t
}

/// The terminal table at full width (see [`table_width`]).
pub fn table(races: &[RaceValidation], overall: &Scores) -> String {
    table_width(races, overall, None)
}

/// The terminal table for a terminal `width` columns wide: one row per race and the pooled
/// scores, with a key.
pub fn table_width(races: &[RaceValidation], overall: &Scores, width: Option<usize>) -> String {
    let mut o = scores_table(races, overall).render(width);
    // a share of none (a record without splits) is said in words, never printed as NaN
    let share = |c: Option<f64>, n: usize| match c.filter(|c| c.is_finite() && n > 0) {
        Some(c) => format!("{:.0} % of {n} inside the 80 % band", 100.0 * c),
        None => "none in the records".to_string(),
    };
    let n_leader = races.iter().map(|r| r.leader_splits.len()).sum::<usize>();
    let _ = writeln!(
        o,
        "Leader splits pooled: {}; with the athletes' own splits, {}.",
        share(overall.coverage80_leader_splits, n_leader),
        share(overall.coverage80_splits, overall.n_splits)
    );
    let _ = writeln!(o, "{}", gap_line(overall));
    wrap(&o, width)
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
    calibration_text_width(c, None)
}

/// [`calibration_text`] folded to a terminal `width`.
pub fn calibration_text_width(c: &CalibrationCheck, width: Option<usize>) -> String {
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
    wrap(&o, width)
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
