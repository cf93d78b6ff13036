//! `racesim optimize`: one runner's tactic parameters against the field as it is.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use racesim::stats::Estimate;
use racesim::study::optimize::{Objective, OptimizeConfig, OptimizeResult, Point, optimize};
use racesim::plot::{self, HeatmapData, SweepLineData, ValueFormat};
use racesim::report::OutputSet;
use racesim::input::scenario::Scenario;
use racesim::study::sweep::ParamRange;
use racesim::base::units::fmt_time;

use super::SimArgs;
use super::compare::{chart_bytes, check_runners};
use super::print_written;
use super::run::options;

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The runner whose tactic is searched (the others keep theirs).
    #[arg(long, value_name = "NAME")]
    pub runner: String,
    /// A tactic field of that runner and the range to search, PATH=FROM..TO[:STEP], e.g.
    /// 'runner."Josh Kerr".kick_m=150..450:25' (kick_m, drive_m, pace, target, max_place,
    /// surge_at_m, surge_len_m, surge_rise). Once or twice. STEP is the coarse grid's (default:
    /// 8 intervals for one parameter, 5 for two).
    #[arg(long = "param", value_name = "PATH=FROM..TO[:STEP]", required = true)]
    pub params: Vec<String>,
    /// Maximise the win probability, or minimise the median time.
    #[arg(long, default_value = "win", value_parser = |s: &str| s.parse::<Objective>())]
    pub objective: Objective,
    /// Start from this variant of the scenario instead of the base.
    #[arg(long)]
    pub variant: Option<String>,
    /// (`--runs` is the number of races per refined point; the coarse grid runs a quarter.)
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write optimize.json, optimize.csv and the curve (optimize_curve or optimize_heatmap).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

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
            format!("{f} = {}", (v * 1000.0).round() / 1000.0)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn curve_table(
    o: &mut String,
    r: &OptimizeResult,
    pts: &[Point],
    with_gain: bool,
    best: Option<usize>,
) {
    for (k, p) in pts.iter().enumerate() {
        let mark = if Some(k) == best {
            "  ← best"
        } else if p.current {
            "  ← current"
        } else {
            ""
        };
        let gain = match (&p.best_gain, with_gain) {
            (Some(g), true) => format!(
                "   best − this: {}{}",
                gain_str(r.objective, g),
                if g.excludes_zero() {
                    ""
                } else {
                    "  (within noise)"
                }
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "  {:<28} {:>26}{gain}{mark}",
            at(r, &p.values),
            obj_str(r.objective, &p.objective)
        );
    }
}

/// The terminal report.
pub fn render(r: &OptimizeResult, scenario: &str) -> String {
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
         {} points × {} races on a FRESH seed ({}), so the estimates are not the ones the choice \
         was made on;",
        r.fine_step
            .iter()
            .map(|s| format!("{}", (s * 1000.0).round() / 1000.0))
            .collect::<Vec<_>>()
            .join(" × "),
        r.fine.len(),
        r.fine_runs,
        r.fine_seed
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
    curve_table(&mut o, r, &r.coarse, false, None);
    let _ = writeln!(
        o,
        "\nRefined ({} races per point, fresh seed):",
        r.fine_runs
    );
    curve_table(&mut o, r, &r.fine, true, Some(r.best));

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
        .map(|(p, v)| format!("{} = {v}", p.path))
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
    o
}

fn csv(r: &OptimizeResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
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
    w.write_record(&head).expect("in-memory csv");
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
            w.write_record(&row).expect("in-memory csv");
        }
    }
    w.into_inner().expect("in-memory csv")
}

pub fn run(a: OptimizeArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let base = Scenario::load(&a.scenario)?;
    let sc = match &a.variant {
        Some(v) => base.variant(v)?,
        None => base.clone(),
    };
    check_runners(&sc, std::slice::from_ref(&a.runner))?;
    let ranges = a
        .params
        .iter()
        .map(|s| ParamRange::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let opts = options(&a.sim, &sc);
    let cfg = OptimizeConfig {
        runner: a.runner.clone(),
        params: ranges,
        objective: a.objective,
        runs: opts.runs,
        seed: opts.seed,
        threads: opts.threads,
        progress: opts.progress,
    };
    let r = optimize(&sc, &cfg, &racesim::field::FitCache::new())?;
    let title = format!(
        "{}{}",
        sc.name,
        a.variant
            .as_deref()
            .map(|v| format!(" (variant `{v}`)"))
            .unwrap_or_default()
    );
    print!("{}", render(&r, &title));
    use std::io::Write;
    let _ = std::io::stdout().flush();

    if let Some(dir) = &a.out {
        let mut files = OutputSet::new();
        let mut js = serde_json::to_vec_pretty(&r).expect("result serializes");
        js.push(b'\n');
        files.add("optimize.json", js);
        files.add("optimize.csv", csv(&r));
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
            sc.name, r.coarse_runs, r.fine_runs
        );
        let chart = if r.params.len() == 1 {
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
                v.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
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
                    a.variant
                        .as_deref()
                        .map(|v| format!(" ({v})"))
                        .unwrap_or_default(),
                    match r.objective {
                        Objective::Win => "win %",
                        Objective::Median => "median time",
                    },
                    r.params[0]
                        .path
                        .rsplit_once('.')
                        .map(|x| x.1)
                        .unwrap_or(&r.params[0].path)
                ),
                subtitle,
                x_label: r.params[0].path.clone(),
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
            chart_bytes("optimize_curve", |p| plot::sweep_line_chart(&data, p))?
        } else {
            let (nx, ny) = (r.coarse_axes[0].len(), r.coarse_axes[1].len());
            let data = HeatmapData {
                title: format!("{title}: {} (coarse grid)", r.runner),
                subtitle,
                x_label: r.params[0].path.clone(),
                y_label: r.params[1].path.clone(),
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
            chart_bytes("optimize_heatmap", |p| plot::heatmap_chart(&data, p))?
        };
        for (name, bytes) in chart {
            files.add(name, bytes);
        }
        let written = files.commit(dir)?;
        print_written(dir, &written);
    }
    eprintln!(
        "({} + {} points, {:.1} s)",
        r.coarse.len(),
        r.fine.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
