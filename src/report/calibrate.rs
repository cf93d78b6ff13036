//! `racesim calibrate`: each runner's fitted parameters and his marks beside the engine's own
//! time trial.

use std::fmt::Write as _;

use super::output::json_bytes;
use super::table::{Align, Table, wrap};
use crate::base::units::fmt_time;
use crate::study::calibrate::CalibrationRow;

/// Every fitted mark beside the engine's time trial, one row per mark.
pub fn marks_table(rows: &[CalibrationRow]) -> Table {
    let mut t = Table::new()
        .col("runner", "runner", Align::Left, "")
        .col(
            "event",
            "event",
            Align::Left,
            "the mark's event (i: indoors)",
        )
        .col("reported", "reported", Align::Right, "the time he reported")
        .col(
            "time_trial",
            "trial",
            Align::Right,
            "the engine's own solo, evenly paced race over that event with the fitted runner",
        )
        .col(
            "error_pct",
            "error %",
            Align::Right,
            "(trial − reported) / reported",
        )
        .col(
            "years_before",
            "years",
            Align::Right,
            "how long before the race the mark was set",
        );
    for r in rows {
        let Some(f) = &r.fit else { continue };
        for m in &f.marks {
            t.row(vec![
                r.name.clone(),
                format!("{}{}", m.mark.event, if m.mark.indoor { " i" } else { "" }),
                fmt_time(m.mark.time_s),
                fmt_time(m.simulated_s),
                format!("{:+.2}", 100.0 * m.rel_error),
                m.mark
                    .age_days
                    .map(|d| format!("{:.1}", d / 365.25))
                    .unwrap_or_default(),
            ]);
        }
    }
    t
}

/// The terminal report at full width (see [`text_width`]).
pub fn text(rows: &[CalibrationRow]) -> String {
    text_width(rows, None)
}

/// The terminal report for a terminal `width` columns wide: each runner's fit, his marks beside
/// the time trial (a table with every column explained), and the notes.
pub fn text_width(rows: &[CalibrationRow], width: Option<usize>) -> String {
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
    let marks = marks_table(rows);
    if !marks.rows.is_empty() {
        let _ = writeln!(o);
        o.push_str(&marks.render(width));
    }
    let fitted: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.fit.as_ref())
        .flat_map(|f| f.marks.iter().map(|m| m.rel_error.abs()))
        .collect();
    if !fitted.is_empty() {
        let mut v = fitted.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        let _ = writeln!(
            o,
            "\n{} marks: median |error| {:.2} %, worst {:.2} %. The time trial is the engine's own \
             solo, evenly paced race on the mark's track (indoor marks indoors).",
            v.len(),
            100.0 * v[v.len() / 2],
            100.0 * v[v.len() - 1]
        );
    }
    wrap(&o, width)
}

/// The JSON document (`--json`).
pub fn json(rows: &[CalibrationRow]) -> Vec<u8> {
    json_bytes(&rows)
}
