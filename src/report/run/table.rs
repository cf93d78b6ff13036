//! The terminal table of a run.

use std::fmt::Write;

use crate::base::units::{Event, fmt_time};
use crate::report::summary::Summary;
use crate::report::table::{Align, Table, wrap};

fn distance_name(d: f64) -> String {
    Event::from_metres(d)
        .map(|e| match e {
            Event::Mile => "mile".to_string(),
            Event::TwoMile => "2 miles".to_string(),
            e => format!("{} m", e.metres()),
        })
        .unwrap_or_else(|| format!("{d} m"))
}

/// The runners in finishing order: by win probability, then median time.
pub fn order(s: &Summary) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..s.runners.len()).collect();
    idx.sort_by(|&a, &b| {
        s.runners[b]
            .p_win
            .p
            .partial_cmp(&s.runners[a].p_win.p)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(
                s.runners[a]
                    .time_q
                    .p50
                    .partial_cmp(&s.runners[b].time_q.p50)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
    });
    idx
}

/// The runners' table: one row per runner, in [`order`]; every column explained.
pub fn runners_table(s: &Summary) -> Table {
    let mut t = Table::new()
        .col("runner", "runner", Align::Left, "")
        .wide_col(
            "tactic",
            "tactic",
            Align::Left,
            "his tactic (* chosen by his profile; set `tactic` in the scenario to change it)",
        )
        .col("win_pct", "win %", Align::Right, "chance of winning")
        .col(
            "win_se",
            "±se",
            Align::Right,
            "Monte Carlo standard error of win %",
        )
        .col(
            "podium_pct",
            "podium %",
            Align::Right,
            "chance of a top-three place",
        )
        .wide_col("mean_place", "place", Align::Right, "mean finishing place")
        .col(
            "p05",
            "p05",
            Align::Right,
            "fast end of his finish times: 5 % of his races are faster",
        )
        .wide_col("p25", "p25", Align::Right, "25 % of his races are faster")
        .col(
            "median",
            "median",
            Align::Right,
            "half his races are faster",
        )
        .wide_col("p75", "p75", Align::Right, "75 % of his races are faster")
        .col(
            "p95",
            "p95",
            Align::Right,
            "slow end: 95 % of his races are faster",
        )
        .wide_col(
            "solo_tt",
            "solo TT",
            Align::Right,
            "his calibrated solo, evenly paced time over the distance",
        );
    for i in order(s) {
        let r = &s.runners[i];
        let tactic = if r.default_tactic {
            format!("{}*", r.tactic.kind)
        } else {
            r.tactic.kind.to_string()
        };
        t.row(vec![
            r.name.clone(),
            tactic,
            format!("{:.1}", 100.0 * r.p_win.p),
            format!("{:.1}", 100.0 * r.p_win.se),
            format!("{:.1}", 100.0 * r.p_podium.p),
            format!("{:.1}", r.mean_place),
            fmt_time(r.time_q.p05),
            fmt_time(r.time_q.p25),
            fmt_time(r.time_q.p50),
            fmt_time(r.time_q.p75),
            fmt_time(r.time_q.p95),
            fmt_time(r.solo_time_s),
        ]);
    }
    t
}

/// Each runner's chance of beating each `--target` time, with its Monte Carlo error (rows in
/// [`order`]).
pub fn targets_table(s: &Summary) -> Table {
    let mut t = Table::new().col("runner", "runner", Align::Left, "");
    for (k, tg) in s.targets.iter().enumerate() {
        let head = format!("< {} %", fmt_time(tg.time_s));
        t = t.col(
            &format!("p_beat_{}", fmt_time(tg.time_s)),
            &head,
            Align::Right,
            if k == 0 {
                "chance of finishing faster than that time, ± its Monte Carlo standard error"
            } else {
                ""
            },
        );
    }
    for i in order(s) {
        let mut row = vec![s.runners[i].name.clone()];
        row.extend(s.targets.iter().map(|tg| {
            let p = tg.p_beat[i];
            format!("{:.1} ±{:.1}", 100.0 * p.p, 100.0 * p.se)
        }));
        t.row(row);
    }
    t
}

/// Head to head: row runner's chance (%) of finishing ahead of the column runner; columns are
/// numbered as the rows, so the table stays narrow.
pub fn h2h_table(s: &Summary) -> Table {
    let idx = order(s);
    let mut t = Table::new().col("runner", "runner (row ahead of column, %)", Align::Left, "");
    for (k, &j) in idx.iter().enumerate() {
        t = t.col(&s.runners[j].name, &(k + 1).to_string(), Align::Right, "");
    }
    for (k, &i) in idx.iter().enumerate() {
        let mut row = vec![format!("{:>2} {}", k + 1, s.runners[i].name)];
        row.extend(idx.iter().map(|&j| {
            if i == j {
                "·".to_string()
            } else {
                format!("{:.0}", 100.0 * s.head_to_head[i][j].p)
            }
        }));
        t.row(row);
    }
    t
}

/// The head-to-head table for the terminal (`run --h2h`), with how to read it.
pub fn h2h_text(s: &Summary, width: Option<usize>) -> String {
    let mut o = String::from("\nHead to head:\n");
    o.push_str(&h2h_table(s).body(width));
    let _ = writeln!(
        o,
        "Each cell: the chance (%) that the runner of the row finishes ahead of the runner \
         numbered by the column, in {} races (Monte Carlo standard error at most ±{:.1} points).",
        s.runs,
        50.0 / (s.runs.max(1) as f64).sqrt()
    );
    wrap(&o, width)
}

/// The main table at full width (see [`render_width`]).
pub fn render(s: &Summary) -> String {
    render_width(s, None)
}

/// The main table for a terminal `width` columns wide (`None`: no limit), then the race shape.
pub fn render_width(s: &Summary, width: Option<usize>) -> String {
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
    o.push_str(&runners_table(s).render(width));
    if !s.targets.is_empty() {
        let _ = writeln!(o, "\nChance of beating a time:");
        o.push_str(&targets_table(s).render(width));
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
        .filter(|sp| sp.at_m >= 50.0)
        .filter(|sp| {
            s.runners
                .first()
                .map(|r| r.lap_splits.iter().any(|l| (l.at_m - sp.at_m).abs() < 0.01))
                .unwrap_or(false)
        })
        .map(|sp| format!("{:.0}\u{a0}m\u{a0}{}", sp.at_m, fmt_time(sp.q.p50)))
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
    wrap(&o, width)
}
