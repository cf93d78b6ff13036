//! `racesim optimize`: the terminal report, `optimize.json`, `optimize.csv` and the curve
//! (`optimize_curve`, or `optimize_heatmap` for two parameters) of an [`OptimizeResult`].

use crate::input::params::fmt_value;
use crate::report::output::csv_bytes;
use std::fmt::Write as _;

use super::chart::Rendered;
use super::format::signed;
use super::output::{OutputSet, json_bytes};
use super::table::{Align, Table, wrap};
use crate::base::units::fmt_time;
use crate::plot::{self, HeatmapData, PlotError, SweepLineData, ValueFormat};
use crate::stats::Estimate;
use crate::study::optimize::{Objective, OptimizeResult, Point};

fn obj_str(o: Objective, e: &Estimate) -> String {
    if !e.value.is_finite() {
        return "-".into();
    }
    match o {
        Objective::Win => format!("{:.1} % ({:.1}–{:.1})", e.value, e.lo, e.hi),
        Objective::Median => format!(
            "{} ({}–{})",
            fmt_time(e.value),
            fmt_time(e.lo),
            fmt_time(e.hi)
        ),
    }
}

fn gain_str(o: Objective, e: &Estimate) -> String {
    let unit = match o {
        Objective::Win => "points",
        Objective::Median => "s",
    };
    let d = match o {
        Objective::Win => 1,
        Objective::Median => 2,
    };
    let sg = |x: f64| {
        if x < 0.0 {
            format!("−{:.d$}", -x)
        } else {
            format!("+{x:.d$}")
        }
    };
    format!(
        "{} {unit} (95 % CI {} to {})",
        sg(e.value),
        sg(e.lo),
        sg(e.hi)
    )
}

fn at(r: &OptimizeResult, values: &[f64]) -> String {
    r.params
        .iter()
        .zip(values)
        .map(|(p, v)| {
            let f = p.path.rsplit_once('.').map(|x| x.1).unwrap_or(&p.path);
            format!("{f} = {}", fmt_value(&p.path, *v))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A curve (coarse or refined) as a table: the parameter values, the objective, and (refined)
/// the paired gap from the best.
pub fn curve_table(
    r: &OptimizeResult,
    pts: &[Point],
    with_gain: bool,
    best: Option<usize>,
) -> Table {
    let mut t = Table::new();
    for p in &r.params {
        let f = p.path.rsplit_once('.').map(|x| x.1).unwrap_or(&p.path);
        t = t.col(f, f, Align::Right, &super::sweep::param_label(&p.path));
    }
    let (obj_head, obj_note) = match r.objective {
        Objective::Win => ("win % (95 % CI)", "his chance of winning"),
        Objective::Median => ("median (95 % CI)", "his median finish time"),
    };
    t = t.col("objective", obj_head, Align::Right, obj_note);
    if with_gain {
        t = t.col(
            "best_minus_this",
            "best − this [95 % CI]",
            Align::Right,
            "paired difference between the best point and this one, race by race",
        );
    }
    t = t.col("note", "", Align::Left, "");
    for (k, p) in pts.iter().enumerate() {
        let mut row: Vec<String> = p
            .values
            .iter()
            .zip(&r.params)
            .map(|(v, par)| fmt_value(&par.path, *v))
            .collect();
        row.push(obj_str(r.objective, &p.objective));
        let mut note = Vec::new();
        if with_gain {
            match &p.best_gain {
                Some(g) => {
                    row.push(gain_cell(r.objective, g));
                    if !g.excludes_zero() {
                        note.push("within noise");
                    }
                }
                None => row.push(String::new()),
            }
        }
        if Some(k) == best {
            note.push("← best");
        }
        if p.current {
            note.push("← current");
        }
        row.push(note.join(" "));
        t.row(row);
    }
    t
}

fn gain_cell(o: Objective, e: &Estimate) -> String {
    let d = match o {
        Objective::Win => 1,
        Objective::Median => 2,
    };
    format!(
        "{} [{}, {}]",
        signed(e.value, d),
        signed(e.lo, d),
        signed(e.hi, d)
    )
}

/// The terminal report at full width (see [`render_width`]).
pub fn render(r: &OptimizeResult, scenario: &str) -> String {
    render_width(r, scenario, None)
}

/// The terminal report for a terminal `width` columns wide (`None`: no limit).
pub fn render_width(r: &OptimizeResult, scenario: &str, width: Option<usize>) -> String {
    let mut o = String::new();
    let what = match r.objective {
        Objective::Win => "maximise his win probability",
        Objective::Median => "minimise his median time",
    };
    let _ = writeln!(o, "{scenario} — optimise {}'s tactic to {what}", r.runner);
    let _ = writeln!(o, "\nHow the search avoids chasing Monte Carlo noise:");
    let coarse_n: usize = r.coarse.len();
    let _ = writeln!(
        o,
        "  1. coarse grid: {coarse_n} points × {} races on common random numbers (seed {});",
        r.coarse_runs, r.coarse_seed
    );
    let _ = writeln!(
        o,
        "  2. the curve is smoothed (1-2-1 with its neighbours) and the refinement is centred on \
         the best smoothed point ({}), so one lucky grid point cannot decide;",
        at(r, &r.centre)
    );
    let _ = writeln!(
        o,
        "  3. a finer grid around it (step {}) plus his current setting and the raw coarse best: \
         {} points × {} races on another seed ({}, drawn from seed {}), so the estimates are not \
         the ones the choice was made on;",
        r.fine_step
            .iter()
            .map(|s| format!("{}", (s * 1000.0).round() / 1000.0))
            .collect::<Vec<_>>()
            .join(" × "),
        r.fine.len(),
        r.fine_runs,
        r.fine_seed,
        r.coarse_seed
    );
    let _ = writeln!(
        o,
        "  4. the best refined point is compared with each other one race by race (paired \
         differences); points whose difference from it is within the 95 % noise form the plateau{}.",
        if r.objective == Objective::Median {
            " (for times the paired test uses the mean time difference)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "\nCoarse curve ({} races per point), {} (95 % CI):",
        r.coarse_runs,
        match r.objective {
            Objective::Win => "win %",
            Objective::Median => "median time",
        }
    );
    o.push_str(&curve_table(r, &r.coarse, false, None).body(width));
    let _ = writeln!(
        o,
        "\nRefined ({} races per point, the second seed):",
        r.fine_runs
    );
    let fine = curve_table(r, &r.fine, true, Some(r.best));
    o.push_str(&fine.render(width));

    let best = &r.fine[r.best];
    let _ = writeln!(o, "\nResult:");
    if r.no_effect {
        let _ = writeln!(
            o,
            "  These parameters change nothing in any race for {} under his tactic: every point \
             gave exactly the same result. (A drive point only matters for long-drive, a pace for \
             front-run, a target for chase-clock, max_place for race-the-field, surge_* for surge.)",
            r.runner
        );
        return o;
    }
    let _ = writeln!(
        o,
        "  Best: {} → {} {}.",
        at(r, &best.values),
        match r.objective {
            Objective::Win => "win",
            Objective::Median => "median",
        },
        obj_str(r.objective, &best.objective)
    );
    let edge: Vec<String> = r
        .params
        .iter()
        .zip(&best.values)
        .filter(|(p, v)| !p.is_single() && (**v <= p.from || **v >= p.to))
        .map(|(p, v)| format!("{} = {}", p.path, fmt_value(&p.path, *v)))
        .collect();
    if !edge.is_empty() {
        let _ = writeln!(
            o,
            "  It is at the edge of the searched range ({}): the optimum may lie beyond it — \
             widen the range.",
            edge.join(", ")
        );
    }
    if let (Some(k), Some(g)) = (r.runner_up, &r.best_vs_runner_up) {
        let _ = writeln!(
            o,
            "  Runner-up: {}; the best is better by {}: {}.",
            at(r, &r.fine[k].values),
            gain_str(r.objective, g),
            if g.excludes_zero() {
                "statistically distinguishable"
            } else {
                "NOT statistically distinguishable — the two are equally good within the noise"
            }
        );
    }
    if r.plateau.len() > 1 {
        let vals: Vec<String> = r
            .plateau
            .iter()
            .map(|&k| at(r, &r.fine[k].values))
            .collect();
        let _ = writeln!(
            o,
            "  Plateau: {} of the {} refined points are as good as the best within the noise: {}.",
            r.plateau.len(),
            r.fine.len(),
            vals.join("; ")
        );
        if r.params.len() == 1 {
            let xs: Vec<f64> = r.plateau.iter().map(|&k| r.fine[k].values[0]).collect();
            let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let _ = writeln!(
                o,
                "  In plain words: anything from {lo} to {hi} is as good as the best the search \
                 can resolve with {} races per point.",
                r.fine_runs
            );
        }
    } else {
        let _ = writeln!(
            o,
            "  The best refined point is better than every other refined point beyond the noise."
        );
    }
    match (&r.best_vs_current, r.current) {
        (Some(d), Some(k)) => {
            let g = r.objective.gain(d);
            let _ = writeln!(
                o,
                "  Against his current setting ({}: {}): {}{}.",
                at(r, &r.fine[k].values),
                obj_str(r.objective, &r.fine[k].objective),
                gain_str(r.objective, &g),
                if g.excludes_zero() {
                    ""
                } else {
                    " — no clear gain over what he does now"
                }
            );
        }
        (None, Some(_)) => {
            let _ = writeln!(o, "  His current setting is the best refined point.");
        }
        _ => {}
    }
    let _ = writeln!(
        o,
        "  (The chosen best is still the maximum of {} noisy estimates, so its value is slightly \
         optimistic; the paired intervals above are the honest measure.)",
        r.fine.len()
    );
    wrap(&o, width)
}

/// `optimize.csv`: every coarse and refined point.
pub fn csv(r: &OptimizeResult) -> Vec<u8> {
    let mut head: Vec<String> = vec!["stage".into()];
    head.extend(r.params.iter().map(|p| p.path.clone()));
    head.extend(
        [
            "races",
            "objective",
            "objective_lo95",
            "objective_hi95",
            "win_pct",
            "median_s",
            "mean_place",
            "best_gain",
            "best_gain_lo95",
            "best_gain_hi95",
            "current",
            "best",
            "plateau",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut rows: Vec<Vec<String>> = vec![head];
    let f = |x: f64| {
        if x.is_finite() {
            format!("{x:.4}")
        } else {
            String::new()
        }
    };
    for (stage, pts, runs) in [
        ("coarse", &r.coarse, r.coarse_runs),
        ("refined", &r.fine, r.fine_runs),
    ] {
        for (k, p) in pts.iter().enumerate() {
            let mut row = vec![stage.to_string()];
            row.extend(p.values.iter().map(|v| format!("{v}")));
            let (g, glo, ghi) = p
                .best_gain
                .map(|g| (f(g.value), f(g.lo), f(g.hi)))
                .unwrap_or_default();
            row.extend([
                runs.to_string(),
                f(p.objective.value),
                f(p.objective.lo),
                f(p.objective.hi),
                f(p.win_pct.value),
                f(p.median_s.value),
                f(p.mean_place.value),
                g,
                glo,
                ghi,
                p.current.to_string(),
                (stage == "refined" && k == r.best).to_string(),
                (stage == "refined" && r.plateau.contains(&k)).to_string(),
            ]);
            rows.push(row);
        }
    }
    csv_bytes(rows)
}

/// The chart of the search: the coarse and refined curves (one parameter) or the coarse grid as a
/// heatmap (two). `scenario` and `variant` name what was searched; `title` is the report's
/// title (the heatmap repeats it).
///
/// # Errors
/// [`PlotError`] if drawing fails.
pub fn chart(
    r: &OptimizeResult,
    scenario: &str,
    variant: Option<&str>,
    title: &str,
) -> Result<Rendered, PlotError> {
    let y_format = match r.objective {
        Objective::Win => ValueFormat::Plain,
        Objective::Median => ValueFormat::Time,
    };
    let y_label = match r.objective {
        Objective::Win => format!("{}: win %", r.runner),
        Objective::Median => format!("{}: median time", r.runner),
    };
    let subtitle = format!(
        "{} · coarse grid {} races per point, refined {} per point on a fresh seed · 95 % CI",
        scenario, r.coarse_runs, r.fine_runs
    );
    if r.params.len() == 1 {
        // points further apart than a coarse step are not joined (the refined window and his
        // current setting, say): a NaN breaks the line
        let gap = r.fine_step[0] * 4.0 * 1.01;
        let series = |pts: &[Point], max_gap: f64| -> Vec<(f64, f64, f64, f64)> {
            let mut v: Vec<_> = pts
                .iter()
                .map(|p| {
                    (
                        p.values[0],
                        p.objective.value,
                        p.objective.lo,
                        p.objective.hi,
                    )
                })
                .collect();
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut out: Vec<(f64, f64, f64, f64)> = Vec::new();
            for p in v {
                if let Some(last) = out.last() {
                    if p.0 - last.0 > max_gap {
                        let nan = f64::NAN;
                        out.push((nan, nan, nan, nan));
                    }
                }
                out.push(p);
            }
            out
        };
        let data = SweepLineData {
            title: format!(
                "{}{}: {} against {}",
                r.runner,
                variant.map(|v| format!(" ({v})")).unwrap_or_default(),
                match r.objective {
                    Objective::Win => "win %",
                    Objective::Median => "median time",
                },
                // the parameter in words, without the runner the title already names
                {
                    let label = super::sweep::param_label(&r.params[0].path);
                    label
                        .strip_prefix(&format!("{}: ", r.runner))
                        .map(str::to_string)
                        .unwrap_or(label)
                }
            ),
            subtitle,
            x_label: super::sweep::param_label(&r.params[0].path),
            y_label,
            y_format,
            series: vec![
                (
                    format!("coarse ({} races)", r.coarse_runs),
                    series(&r.coarse, f64::INFINITY),
                ),
                (
                    format!("refined ({} races)", r.fine_runs),
                    series(&r.fine, gap),
                ),
            ],
        };
        Rendered::draw("optimize_curve", &data.title.clone(), || {
            plot::sweep_line_chart(&data)
        })
    } else {
        let (nx, ny) = (r.coarse_axes[0].len(), r.coarse_axes[1].len());
        let data = HeatmapData {
            title: format!("{title}: {} (coarse grid)", r.runner),
            subtitle,
            x_label: super::sweep::param_label(&r.params[0].path),
            y_label: super::sweep::param_label(&r.params[1].path),
            xs: r.coarse_axes[0].clone(),
            ys: r.coarse_axes[1].clone(),
            values: (0..ny)
                .map(|j| {
                    (0..nx)
                        .map(|i| r.coarse[j * nx + i].objective.value)
                        .collect()
                })
                .collect(),
            value_label: y_label,
            value_format: y_format,
        };
        Rendered::draw("optimize_heatmap", &data.title.clone(), || {
            plot::heatmap_chart(&data)
        })
    }
}

/// Everything `optimize --out` writes: `optimize.json`, `optimize.csv`, the chart.
///
/// # Errors
/// [`PlotError`] if drawing fails.
pub fn files(
    r: &OptimizeResult,
    scenario: &str,
    variant: Option<&str>,
    title: &str,
) -> Result<OutputSet, PlotError> {
    let mut files = OutputSet::new();
    files.add("optimize.json", json_bytes(r));
    files.add("optimize.csv", csv(r));
    chart(r, scenario, variant, title)?.queue(&mut files);
    Ok(files)
}
