//! `racesim compare`: the terminal report, `compare.csv`, `compare.json` and the difference
//! charts (`diff_win`, `diff_time`) of a [`CompareReport`].

use crate::report::output::csv_bytes;
use std::fmt::Write as _;

use super::chart::Rendered;
use super::format::{csv_num, signed};
use super::output::{OutputSet, json_bytes};
use super::table::{Align, Table, wrap};
use crate::base::units::fmt_time;
use crate::plot::{self, DiffData, DiffRow, PlotError};
use crate::stats::Estimate;
use crate::study::compare::CompareReport;

fn diff_cell(e: &Estimate, d: usize) -> String {
    if e.value.is_finite() {
        format!(
            "{} [{}, {}]",
            signed(e.value, d),
            signed(e.lo, d),
            signed(e.hi, d)
        )
    } else {
        "-".into()
    }
}

/// The terminal report at full width (see [`render_width`]).
pub fn render(r: &CompareReport) -> String {
    render_width(r, None)
}

/// One runner's table: each variant's chances and times, and its paired difference from the
/// reference (compact: win and time only).
pub fn runner_table(r: &CompareReport, rr: &crate::study::compare::RunnerReport) -> Table {
    let mut t = Table::new()
        .col("variant", "variant", Align::Left, "")
        .col("win", "win %", Align::Right, "chance of winning")
        .wide_col(
            "podium",
            "podium %",
            Align::Right,
            "chance of a top-three place",
        )
        .col("median", "median", Align::Right, "median finish time")
        .wide_col("place", "place", Align::Right, "mean finishing place")
        .col(
            "d_win",
            "Δwin [95 % CI]",
            Align::Right,
            &format!(
                "change in win % against `{}`, in percentage points, race by race",
                r.reference
            ),
        )
        .wide_col(
            "d_podium",
            "Δpodium [95 % CI]",
            Align::Right,
            "the same for the podium",
        )
        .col(
            "d_time",
            "Δtime s [95 % CI]",
            Align::Right,
            "change in mean finish time (negative = faster)",
        )
        .wide_col(
            "d_place",
            "Δplace [95 % CI]",
            Align::Right,
            "change in mean place",
        );
    for v in &rr.variants {
        let d = rr.differences.iter().find(|d| d.variant == v.variant);
        let cell = |f: &dyn Fn(&crate::study::compare::DiffEntry) -> String| {
            d.map(f).unwrap_or_else(|| "ref.".into())
        };
        t.row(vec![
            v.variant.clone(),
            format!("{:.1}", v.win_pct.value),
            format!("{:.1}", v.podium_pct.value),
            fmt_time(v.median_s.value),
            format!("{:.2}", v.mean_place.value),
            cell(&|d| diff_cell(&d.win_pts, 1)),
            cell(&|d| diff_cell(&d.podium_pts, 1)),
            cell(&|d| diff_cell(&d.time_s, 2)),
            cell(&|d| diff_cell(&d.place, 2)),
        ]);
    }
    t
}

/// The terminal report for a terminal `width` columns wide (`None`: no limit).
pub fn render_width(r: &CompareReport, width: Option<usize>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — comparison on {}",
        r.scenario,
        if r.common_random_numbers {
            "common random numbers"
        } else {
            "INDEPENDENT random streams (--independent-streams)"
        }
    );
    let _ = writeln!(
        o,
        "{} races per variant · seed {} · differences are measured against `{}`",
        r.races, r.seed, r.reference
    );
    for v in &r.variants {
        let _ = writeln!(
            o,
            "  • {}: {}",
            v.label,
            v.description.as_deref().unwrap_or("")
        );
    }
    let mut key = String::new();
    for rr in &r.runners {
        let _ = writeln!(o, "\n{}", rr.name);
        let t = runner_table(r, rr);
        o.push_str(&t.body(width));
        key = t.key(width);
        for p in &rr.plain {
            let _ = writeln!(o, "  • {p}");
        }
    }
    let _ = writeln!(
        o,
        "\n{} Win and podium %: of {} races each. Differences: race-by-race paired differences \
         (race i of every variant has the same day form and noise), 95 % normal intervals; \
         ref.: the reference variant.",
        key.trim_start(),
        r.races
    );
    wrap(&o, width)
}

/// `compare.csv`: one row per runner and variant, with the differences against the reference
/// (empty on the reference's own row).
pub fn csv(r: &CompareReport) -> Vec<u8> {
    let head = [
        "runner",
        "variant",
        "reference",
        "races",
        "win_pct",
        "win_pct_lo95",
        "win_pct_hi95",
        "podium_pct",
        "podium_pct_lo95",
        "podium_pct_hi95",
        "median_s",
        "median_lo95_s",
        "median_hi95_s",
        "mean_time_s",
        "mean_place",
        "d_win_pts",
        "d_win_pts_lo95",
        "d_win_pts_hi95",
        "d_podium_pts",
        "d_podium_pts_lo95",
        "d_podium_pts_hi95",
        "d_time_s",
        "d_time_s_lo95",
        "d_time_s_hi95",
        "d_place",
        "d_place_lo95",
        "d_place_hi95",
    ];
    let mut rows: Vec<Vec<String>> = vec![head.iter().map(|s| s.to_string()).collect()];
    for rr in &r.runners {
        for v in &rr.variants {
            let mut row = vec![
                rr.name.clone(),
                v.variant.clone(),
                r.reference.clone(),
                r.races.to_string(),
                csv_num(v.win_pct.value, 3),
                csv_num(v.win_pct.lo, 3),
                csv_num(v.win_pct.hi, 3),
                csv_num(v.podium_pct.value, 3),
                csv_num(v.podium_pct.lo, 3),
                csv_num(v.podium_pct.hi, 3),
                csv_num(v.median_s.value, 3),
                csv_num(v.median_s.lo, 3),
                csv_num(v.median_s.hi, 3),
                csv_num(v.mean_time_s, 3),
                csv_num(v.mean_place.value, 3),
            ];
            match rr.differences.iter().find(|d| d.variant == v.variant) {
                Some(d) => {
                    for e in [&d.win_pts, &d.podium_pts] {
                        row.extend([csv_num(e.value, 3), csv_num(e.lo, 3), csv_num(e.hi, 3)]);
                    }
                    for e in [&d.time_s, &d.place] {
                        row.extend([csv_num(e.value, 4), csv_num(e.lo, 4), csv_num(e.hi, 4)]);
                    }
                }
                None => row.extend(std::iter::repeat_n(String::new(), 12)),
            }
            rows.push(row);
        }
    }
    csv_bytes(rows)
}

/// The two difference charts' data: win and podium points; mean time in seconds.
fn charts_data(r: &CompareReport) -> (DiffData, DiffData) {
    let sub = format!(
        "Paired differences vs `{}` · {} races on {} · bars: 95 % CI",
        r.reference,
        r.races,
        if r.common_random_numbers {
            "common random numbers"
        } else {
            "independent streams"
        }
    );
    let mut win = DiffData {
        title: "Change in win and podium chances".into(),
        subtitle: sub.clone(),
        x_label: "difference (percentage points)".into(),
        rows: Vec::new(),
    };
    let mut time = DiffData {
        title: "Change in finish time".into(),
        subtitle: sub,
        x_label: "mean finish-time difference (s; negative = faster)".into(),
        rows: Vec::new(),
    };
    let multi = r.runners.len() > 1;
    for rr in &r.runners {
        for d in &rr.differences {
            let who = if multi {
                format!("{}: {}", rr.name, d.variant)
            } else {
                d.variant.clone()
            };
            let mk = |what: &str, e: &Estimate| DiffRow {
                label: if what.is_empty() {
                    who.clone()
                } else {
                    format!("{who} · {what}")
                },
                mean: e.value,
                lo: e.lo,
                hi: e.hi,
            };
            win.rows.push(mk("win", &d.win_pts));
            win.rows.push(mk("podium", &d.podium_pts));
            time.rows.push(mk("", &d.time_s));
        }
    }
    if !multi {
        if let Some(rr) = r.runners.first() {
            win.title = format!("{}: change in win and podium chances", rr.name);
            time.title = format!("{}: change in finish time", rr.name);
        }
    }
    (win, time)
}

/// The difference charts: `diff_win` (win and podium points) and `diff_time` (mean time).
///
/// # Errors
/// [`PlotError`] if drawing fails.
pub fn charts(r: &CompareReport) -> Result<Vec<Rendered>, PlotError> {
    let (win, time) = charts_data(r);
    Ok(vec![
        Rendered::draw("diff_win", &win.title, || plot::diff_chart(&win))?,
        Rendered::draw("diff_time", &time.title, || plot::diff_chart(&time))?,
    ])
}

/// Everything `compare --out` writes: `compare.csv`, `compare.json`, the two charts.
///
/// # Errors
/// [`PlotError`] if drawing fails.
pub fn files(r: &CompareReport) -> Result<OutputSet, PlotError> {
    let mut files = OutputSet::new();
    files.add("compare.csv", csv(r));
    files.add("compare.json", json_bytes(r));
    for c in charts(r)? {
        c.queue(&mut files);
    }
    Ok(files)
}
