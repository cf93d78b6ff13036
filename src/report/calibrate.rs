//! `racesim calibrate`: each runner's fitted parameters and his marks beside the engine's own
//! time trial.

use std::fmt::Write as _;

use super::output::json_bytes;
use crate::base::units::fmt_time;
use crate::study::calibrate::CalibrationRow;

/// The terminal report: each runner's fit, his marks beside the time trial, and the notes.
pub fn text(rows: &[CalibrationRow]) -> String {
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

/// The JSON document (`--json`).
pub fn json(rows: &[CalibrationRow]) -> Vec<u8> {
    json_bytes(&rows)
}
