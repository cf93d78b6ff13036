//! `racesim sweep`: one or two numeric fields over a grid, on common random numbers.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use serde::Serialize;

use racesim::stats::Estimate;
use racesim::plot::{self, HeatmapData, SweepLineData, ValueFormat};
use racesim::report::OutputSet;
use racesim::input::scenario::Scenario;
use racesim::study::sweep::{Grid, MAX_GRID_POINTS, Metric, ParamRange, build_all, run_sweep};
use racesim::base::units::fmt_time;

use super::SimArgs;
use super::compare::{chart_bytes, check_runners};
use super::print_written;
use super::run::options;

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A field and its values, PATH=FROM..TO:STEP, e.g. 'runner."Josh Kerr".kick_m=150..450:25'
    /// or 'pacer.1.drop_out_m=800..1200:100' or 'model.draft_scale=0.5..1.5:0.25'. Once for a
    /// line, twice for a heatmap; at most 200 grid points in all. Times are in seconds.
    #[arg(long = "param", value_name = "PATH=FROM..TO:STEP", required = true)]
    pub params: Vec<String>,
    /// Start from this variant of the scenario instead of the base.
    #[arg(long)]
    pub variant: Option<String>,
    /// Runner to chart and tabulate (repeat for several). Default: the runners named in the
    /// parameter paths, else everyone. The CSV always has every runner.
    #[arg(long = "runner", value_name = "NAME")]
    pub runners: Vec<String>,
    /// What to chart and tabulate: win, podium, median, mean-place.
    #[arg(long, default_value = "win", value_parser = |s: &str| s.parse::<Metric>())]
    pub metric: Metric,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write sweep.csv, sweep.json and the chart (sweep_line or sweep_heatmap; PNG and SVG) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
struct JsonPoint {
    values: Vec<f64>,
    runner: String,
    win_pct: Estimate,
    podium_pct: Estimate,
    median_s: Estimate,
    mean_place: Estimate,
}

#[derive(Debug, Clone, Serialize)]
struct JsonSweep<'a> {
    scenario: &'a str,
    variant: Option<&'a str>,
    races_per_point: u64,
    seed: u64,
    params: &'a [ParamRange],
    axes: &'a [Vec<f64>],
    metric: Metric,
    points: Vec<JsonPoint>,
}

/// The runners a parameter path names (`runner."NAME".field`).
fn runners_in_paths(params: &[ParamRange], sc: &Scenario) -> Vec<String> {
    let mut v = Vec::new();
    for p in params {
        if let Some(rest) = p.path.strip_prefix("runner.") {
            if let Some((name, _)) = rest.rsplit_once('.') {
                let name = name.trim_matches('"').to_string();
                if sc.runners.iter().any(|r| r.name == name) && !v.contains(&name) {
                    v.push(name);
                }
            }
        }
    }
    v
}

fn fmt_metric(m: Metric, e: &Estimate) -> String {
    if !e.value.is_finite() {
        return "-".into();
    }
    match m {
        Metric::Median => format!("{} ±{:.2}", fmt_time(e.value), 0.5 * (e.hi - e.lo)),
        Metric::MeanPlace => format!("{:.2} ±{:.2}", e.value, 0.5 * (e.hi - e.lo)),
        _ => format!("{:.1} ({:.1}–{:.1})", e.value, e.lo, e.hi),
    }
}

fn short_path(p: &str) -> String {
    p.rsplit_once('.')
        .map(|(_, f)| f.to_string())
        .unwrap_or(p.into())
}

pub fn run(a: SweepArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let base = Scenario::load(&a.scenario)?;
    let sc = match &a.variant {
        Some(v) => base.variant(v)?,
        None => base.clone(),
    };
    let ranges = a
        .params
        .iter()
        .map(|s| ParamRange::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let grid = Grid::from_ranges(ranges)?;
    check_runners(&sc, &a.runners)?;
    let scenarios = grid.scenarios(&sc)?;
    let opts = options(&a.sim, &sc);
    let built = build_all(&scenarios, &racesim::field::FitCache::new())?;
    let t_cal = t0.elapsed();
    let setups: Vec<_> = built.iter().map(|b| &b.setup).collect();
    let res = run_sweep(grid, &setups, &opts)?;
    let t_sim = t0.elapsed() - t_cal;
    let grid = &res.grid;
    let focus: Vec<String> = if !a.runners.is_empty() {
        a.runners.clone()
    } else {
        let v = runners_in_paths(&grid.params, &sc);
        if v.is_empty() {
            sc.runners.iter().map(|r| r.name.clone()).collect()
        } else {
            v
        }
    };
    let metric = a.metric;
    let get = |k: usize, name: &str| -> Estimate {
        res.crn
            .runner_stats(k, name)
            .map(|s| metric.of(s))
            .unwrap_or(Estimate::normal(f64::NAN, f64::NAN))
    };

    // ---- terminal ----
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}{} — sweep on common random numbers",
        sc.name,
        a.variant
            .as_deref()
            .map(|v| format!(" (variant `{v}`)"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        o,
        "{} grid points × {} races (race i of every point has the same day form and noise) · seed {}",
        grid.points.len(),
        res.crn.races,
        opts.seed
    );
    for p in &grid.params {
        let _ = writeln!(
            o,
            "  {} = {}..{}{}",
            p.path,
            p.from,
            p.to,
            p.step.map(|s| format!(" step {s}")).unwrap_or_default()
        );
    }
    let _ = writeln!(o, "\n{} (95 % CI):", metric.label());
    let names: Vec<String> = grid.params.iter().map(|p| short_path(&p.path)).collect();
    let pw = names.iter().map(|n| n.len().max(8)).collect::<Vec<_>>();
    let cw = 20;
    let mut head = String::from("  ");
    for (n, w) in names.iter().zip(&pw) {
        let _ = write!(head, "{n:>w$}  ");
    }
    for r in &focus {
        let short: String = r.chars().take(cw).collect();
        let _ = write!(head, "{short:>cw$}  ");
    }
    let _ = writeln!(o, "{}", head.trim_end());
    for (k, pt) in grid.points.iter().enumerate() {
        let mut line = String::from("  ");
        for (v, w) in pt.iter().zip(&pw) {
            let _ = write!(line, "{v:>w$}  ");
        }
        for r in &focus {
            let _ = write!(line, "{:>cw$}  ", fmt_metric(metric, &get(k, r)));
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
    // the best point for each runner whose own field is swept
    let own = runners_in_paths(&grid.params, &sc);
    for r in focus.iter().filter(|r| own.contains(r)) {
        let vals: Vec<f64> = (0..grid.points.len()).map(|k| get(k, r).value).collect();
        let best = (0..vals.len())
            .filter(|&k| vals[k].is_finite())
            .max_by(|&x, &y| {
                let (vx, vy) = (vals[x], vals[y]);
                if metric.higher_is_better() {
                    vx.partial_cmp(&vy).unwrap()
                } else {
                    vy.partial_cmp(&vx).unwrap()
                }
            });
        if let Some(b) = best {
            let at: Vec<String> = names
                .iter()
                .zip(&grid.points[b])
                .map(|(n, v)| format!("{n} = {v}"))
                .collect();
            let edge = grid.points[b]
                .iter()
                .zip(&grid.axes)
                .any(|(v, axis)| axis.len() > 1 && (v == &axis[0] || v == axis.last().unwrap()));
            let _ = writeln!(
                o,
                "\n  Best grid point for {r}: {} at {}.{}\n  This is the raw maximum of {} noisy \
                 estimates: points whose intervals overlap it may be as good. `racesim optimize` \
                 refines it and tests it by paired differences.",
                fmt_metric(metric, &get(b, r)),
                at.join(", "),
                if edge {
                    " It is at the edge of the range: the optimum may lie beyond it."
                } else {
                    ""
                },
                grid.points.len()
            );
        }
    }
    print!("{o}");
    use std::io::Write;
    let _ = std::io::stdout().flush();

    // ---- files ----
    if let Some(dir) = &a.out {
        let mut files = OutputSet::new();
        files.add("sweep.csv", res.csv());
        let mut points = Vec::new();
        for (k, pt) in grid.points.iter().enumerate() {
            for name in &res.crn.runners {
                if let Some(s) = res.crn.runner_stats(k, name) {
                    points.push(JsonPoint {
                        values: pt.clone(),
                        runner: name.clone(),
                        win_pct: s.win_est().scaled(100.0),
                        podium_pct: s.podium_est().scaled(100.0),
                        median_s: s.median(),
                        mean_place: s.mean_place(),
                    });
                }
            }
        }
        let js = JsonSweep {
            scenario: &sc.name,
            variant: a.variant.as_deref(),
            races_per_point: res.crn.races,
            seed: opts.seed,
            params: &grid.params,
            axes: &grid.axes,
            metric,
            points,
        };
        let mut bytes = serde_json::to_vec_pretty(&js).expect("sweep serializes");
        bytes.push(b'\n');
        files.add("sweep.json", bytes);
        let y_format = if metric.is_time() {
            ValueFormat::Time
        } else {
            ValueFormat::Plain
        };
        let title = format!(
            "{}{}",
            sc.name,
            a.variant
                .as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        );
        let subtitle = format!(
            "{} vs {} · {} races per point on common random numbers · 95 % CI",
            metric.label(),
            names.join(" and "),
            res.crn.races
        );
        let chart = if grid.params.len() == 1 {
            let data = SweepLineData {
                title,
                subtitle,
                x_label: grid.params[0].path.clone(),
                y_label: metric.label().into(),
                y_format,
                series: focus
                    .iter()
                    .map(|r| {
                        (
                            r.clone(),
                            grid.points
                                .iter()
                                .enumerate()
                                .map(|(k, pt)| {
                                    let e = get(k, r);
                                    (pt[0], e.value, e.lo, e.hi)
                                })
                                .collect(),
                        )
                    })
                    .collect(),
            };
            chart_bytes("sweep_line", |p| plot::sweep_line_chart(&data, p))?
        } else {
            let r = &focus[0];
            let (nx, ny) = (grid.axes[0].len(), grid.axes[1].len());
            let data = HeatmapData {
                title: format!("{title}: {r}"),
                subtitle,
                x_label: grid.params[0].path.clone(),
                y_label: grid.params[1].path.clone(),
                xs: grid.axes[0].clone(),
                ys: grid.axes[1].clone(),
                values: (0..ny)
                    .map(|j| (0..nx).map(|i| get(j * nx + i, r).value).collect())
                    .collect(),
                value_label: format!("{r}: {}", metric.label()),
                value_format: y_format,
            };
            chart_bytes("sweep_heatmap", |p| plot::heatmap_chart(&data, p))?
        };
        for (name, bytes) in chart {
            files.add(name, bytes);
        }
        let written = files.commit(dir)?;
        print_written(dir, &written);
    }
    eprintln!(
        "({} points × {} races = {} races in {:.1} s: calibration {:.1} s, simulation {:.1} s = {:.0} races/s; at most {MAX_GRID_POINTS} points)",
        grid.points.len(),
        res.crn.races,
        grid.points.len() as u64 * res.crn.races,
        t0.elapsed().as_secs_f64(),
        t_cal.as_secs_f64(),
        t_sim.as_secs_f64(),
        (grid.points.len() as u64 * res.crn.races) as f64 / t_sim.as_secs_f64().max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
