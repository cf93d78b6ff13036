//! The terminal table of a run.

use std::fmt::Write;

use crate::base::units::{Event, fmt_time};
use crate::report::summary::Summary;

fn pct(p: f64) -> String {
    format!("{:5.1}", 100.0 * p)
}

fn distance_name(d: f64) -> String {
    Event::from_metres(d)
        .map(|e| match e {
            Event::Mile => "mile".to_string(),
            Event::TwoMile => "2 miles".to_string(),
            e => format!("{} m", e.metres()),
        })
        .unwrap_or_else(|| format!("{d} m"))
}

/// The main table: one row per runner, sorted by win probability, then the race shape.
pub fn render(s: &Summary) -> String {
    let mut o = String::new();
    let title = match &s.variant {
        Some(v) => format!("{} — variant `{v}`", s.scenario),
        None => s.scenario.clone(),
    };
    let _ = writeln!(o, "{title}");
    let _ = writeln!(
        o,
        "{} on a {} track · {} races · seed {}{}",
        distance_name(s.distance_m),
        s.track.describe(),
        s.runs,
        s.seed,
        if s.pacers.is_empty() {
            String::new()
        } else {
            format!(" · pacers: {}", s.pacers.join(", "))
        }
    );
    let _ = writeln!(o);
    let w = s
        .runners
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let _ = writeln!(
        o,
        "{:w$}  {:14}  {:>6} {:>5}  {:>8}  {:>5}  {:>8} {:>8} {:>8} {:>8} {:>8}  {:>8}",
        "runner",
        "tactic",
        "win %",
        "±se",
        "podium %",
        "place",
        "p05",
        "p25",
        "median",
        "p75",
        "p95",
        "solo TT",
        w = w
    );
    let mut idx: Vec<usize> = (0..s.runners.len()).collect();
    idx.sort_by(|&a, &b| {
        s.runners[b]
            .p_win
            .p
            .partial_cmp(&s.runners[a].p_win.p)
            .unwrap()
            .then(
                s.runners[a]
                    .time_q
                    .p50
                    .partial_cmp(&s.runners[b].time_q.p50)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
    });
    for i in idx {
        let r = &s.runners[i];
        let pad = w - r.name.chars().count();
        let tactic = if r.default_tactic {
            format!("{}*", r.tactic.kind)
        } else {
            r.tactic.kind.to_string()
        };
        let _ = writeln!(
            o,
            "{}{}  {:14}  {} {:>5}  {:>8}  {:>5.1}  {:>8} {:>8} {:>8} {:>8} {:>8}  {:>8}",
            r.name,
            " ".repeat(pad),
            tactic,
            pct(r.p_win.p),
            format!("{:.1}", 100.0 * r.p_win.se),
            pct(r.p_podium.p),
            r.mean_place,
            fmt_time(r.time_q.p05),
            fmt_time(r.time_q.p25),
            fmt_time(r.time_q.p50),
            fmt_time(r.time_q.p75),
            fmt_time(r.time_q.p95),
            fmt_time(r.solo_time_s),
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Winning time: median {} (90 % of races between {} and {}); winner's last lap: median {:.2} s",
        fmt_time(s.winner_time_q.p50),
        fmt_time(s.winner_time_q.p05),
        fmt_time(s.winner_time_q.p95),
        s.winner_last_lap_q.p50,
    );
    let laps: Vec<String> = s
        .leader_splits
        .iter()
        .filter(|sp| {
            s.runners
                .first()
                .map(|r| r.lap_splits.iter().any(|l| (l.at_m - sp.at_m).abs() < 0.01))
                .unwrap_or(false)
        })
        .map(|sp| format!("{:.0} m {}", sp.at_m, fmt_time(sp.q.p50)))
        .collect();
    let _ = writeln!(o, "Leader at each lap (median): {}", laps.join(" · "));
    if let Some(r) = &s.regimes {
        let _ = writeln!(
            o,
            "Race regimes drawn: fast {:.0} %, medium {:.0} %, slow {:.0} % (championship race, no pacers)",
            100.0 * r.fast,
            100.0 * r.medium,
            100.0 * r.slow
        );
    }
    let _ = writeln!(
        o,
        "* tactic chosen by the runner's profile (set `tactic` in the scenario to change it). \
         ±se: Monte Carlo standard error of win %. solo TT: the runner's calibrated solo, evenly paced time."
    );
    let prior: Vec<&str> = s
        .runners
        .iter()
        .filter(|r| r.field_prior)
        .map(|r| r.name.as_str())
        .collect();
    if !prior.is_empty() {
        let _ = writeln!(
            o,
            "No reported time known for {}: placed at the field's slower quartile (field prior).",
            prior.join(", ")
        );
    }
    let warned: Vec<&str> = s
        .runners
        .iter()
        .filter(|r| {
            r.calibration
                .as_ref()
                .map(|c| c.worst_rel_error() > 0.005)
                .unwrap_or(false)
        })
        .map(|r| r.name.as_str())
        .collect();
    if !warned.is_empty() {
        let _ = writeln!(
            o,
            "Calibration: reported times of {} disagree by more than 0.5 % (see `racesim calibrate`).",
            warned.join(", ")
        );
    }
    o
}
