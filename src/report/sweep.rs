//! `racesim sweep`: the terminal table, `sweep.csv`, `sweep.json` and the chart (a line for one
//! parameter, a heatmap for two) of a [`SweepResult`].

use crate::report::output::csv_bytes;
use std::fmt::Write as _;

use serde::Serialize;

use super::chart::Rendered;
use super::format::{csv_num, surname};
use super::output::{OutputSet, json_bytes};
use super::table::{Align, Table, wrap};
use crate::base::units::fmt_time;
use crate::plot::{self, HeatmapData, PlotError, SweepLineData, ValueFormat};
use crate::stats::Estimate;
use crate::study::sweep::{Metric, ParamRange, SweepResult};

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

/// A parameter path in words: `runner."Josh Kerr".kick_m` → `Josh Kerr: kick distance (m)`,
/// from the parameter table's label and unit.
pub fn param_label(path: &str) -> String {
    crate::input::params::describe_path(path).unwrap_or_else(|| path.to_string())
}

fn short_path(p: &str) -> String {
    p.rsplit_once('.')
        .map(|(_, f)| f.to_string())
        .unwrap_or(p.into())
}

/// A sweep's result with what its report needs to say about it.
#[derive(Debug, Clone, Copy)]
pub struct SweepView<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The variant swept, if any.
    pub variant: Option<&'a str>,
    /// The seed.
    pub seed: u64,
    /// What to chart and tabulate.
    pub metric: Metric,
    /// The sweep.
    pub result: &'a SweepResult,
}

impl SweepView<'_> {
    /// The metric of runner `name` at grid point `k` (NaN if he is not in it).
    fn get(&self, k: usize, name: &str) -> Estimate {
        self.result
            .crn
            .runner_stats(k, name)
            .map(|s| self.metric.of(s))
            .unwrap_or(Estimate::normal(f64::NAN, f64::NAN))
    }

    /// The swept fields' short names (`kick_m`).
    fn names(&self) -> Vec<String> {
        self.result
            .grid
            .params
            .iter()
            .map(|p| short_path(&p.path))
            .collect()
    }

    /// The terminal report: the grid, the metric at every point for each focus runner, and each
    /// swept runner's best point.
    pub fn text(&self) -> String {
        self.text_width(None)
    }

    /// The grid as a table: the swept values, then the metric for each focus runner (headed by
    /// his surname).
    pub fn table(&self) -> Table {
        let res = self.result;
        let mut t = Table::new();
        for (n, p) in self.names().iter().zip(&res.grid.params) {
            t = t.col(n, n, Align::Right, &param_label(&p.path));
        }
        for r in &res.focus {
            t = t.col(
                r,
                surname(r),
                Align::Right,
                &format!("{r}'s {} (95 % CI)", self.metric.label()),
            );
        }
        for (k, pt) in res.grid.points.iter().enumerate() {
            let mut row: Vec<String> = pt
                .iter()
                .zip(&res.grid.params)
                .map(|(v, p)| crate::input::params::fmt_value(&p.path, *v))
                .collect();
            row.extend(
                res.focus
                    .iter()
                    .map(|r| fmt_metric(self.metric, &self.get(k, r))),
            );
            t.row(row);
        }
        t
    }

    /// The terminal report for a terminal `width` columns wide (`None`: no limit).
    pub fn text_width(&self, width: Option<usize>) -> String {
        let res = self.result;
        let grid = &res.grid;
        let metric = self.metric;
        let focus: &[String] = &res.focus;
        let get = |k: usize, name: &str| self.get(k, name);
        let names = self.names();
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{}{} — sweep on common random numbers",
            self.scenario,
            self.variant
                .map(|v| format!(" (variant `{v}`)"))
                .unwrap_or_default()
        );
        let _ = writeln!(
            o,
            "{} grid points × {} races (race i of every point has the same day form and noise) · seed {}",
            grid.points.len(),
            res.crn.races,
            self.seed
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
        o.push_str(&self.table().render(width));
        // the best point for each runner whose own field is swept
        for r in focus.iter().filter(|r| res.own.contains(r)) {
            let vals: Vec<f64> = (0..grid.points.len()).map(|k| get(k, r).value).collect();
            let best = (0..vals.len())
                .filter(|&k| vals[k].is_finite())
                .max_by(|&x, &y| {
                    let (vx, vy) = (vals[x], vals[y]);
                    if metric.higher_is_better() {
                        vx.total_cmp(&vy)
                    } else {
                        vy.total_cmp(&vx)
                    }
                });
            if let Some(b) = best {
                let at: Vec<String> = names
                    .iter()
                    .zip(&grid.points[b])
                    .zip(&grid.params)
                    .map(|((n, v), p)| {
                        format!("{n} = {}", crate::input::params::fmt_value(&p.path, *v))
                    })
                    .collect();
                let edge = grid.points[b].iter().zip(&grid.axes).any(|(v, axis)| {
                    axis.len() > 1 && (axis.first() == Some(v) || axis.last() == Some(v))
                });
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
        wrap(&o, width)
    }

    /// `sweep.json`: the grid and every point's results for every runner.
    pub fn json(&self) -> Vec<u8> {
        let res = self.result;
        let grid = &res.grid;
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
        json_bytes(&JsonSweep {
            scenario: self.scenario,
            variant: self.variant,
            races_per_point: res.crn.races,
            seed: self.seed,
            params: &grid.params,
            axes: &grid.axes,
            metric: self.metric,
            points,
        })
    }

    /// The line under the chart's title: the metric against the swept parameters in words, as
    /// on the axes ("win % vs Josh Kerr: kick distance (m) · …").
    fn chart_subtitle(&self) -> String {
        let res = self.result;
        let swept: Vec<String> = res
            .grid
            .params
            .iter()
            .map(|p| param_label(&p.path))
            .collect();
        format!(
            "{} vs {} · {} races per point on common random numbers · 95 % CI",
            self.metric.label(),
            swept.join(" and "),
            res.crn.races
        )
    }

    /// The chart: `sweep_line` (one parameter) or `sweep_heatmap` (two; the first focus runner).
    ///
    /// # Errors
    /// [`PlotError`] if drawing fails.
    pub fn chart(&self) -> Result<Rendered, PlotError> {
        let res = self.result;
        let grid = &res.grid;
        let metric = self.metric;
        let focus = &res.focus;
        let get = |k: usize, name: &str| self.get(k, name);
        let y_format = if metric.is_time() {
            ValueFormat::Time
        } else {
            ValueFormat::Plain
        };
        let title = format!(
            "{}{}",
            self.scenario,
            self.variant.map(|v| format!(" ({v})")).unwrap_or_default()
        );
        let subtitle = self.chart_subtitle();
        if grid.params.len() == 1 {
            let data = SweepLineData {
                title,
                subtitle,
                x_label: param_label(&grid.params[0].path),
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
            Rendered::draw("sweep_line", &data.title.clone(), || {
                plot::sweep_line_chart(&data)
            })
        } else {
            let r = &focus[0];
            let (nx, ny) = (grid.axes[0].len(), grid.axes[1].len());
            let data = HeatmapData {
                title: format!("{title}: {r}"),
                subtitle,
                x_label: param_label(&grid.params[0].path),
                y_label: param_label(&grid.params[1].path),
                xs: grid.axes[0].clone(),
                ys: grid.axes[1].clone(),
                values: (0..ny)
                    .map(|j| (0..nx).map(|i| get(j * nx + i, r).value).collect())
                    .collect(),
                value_label: format!("{r}: {}", metric.label()),
                value_format: y_format,
            };
            Rendered::draw("sweep_heatmap", &data.title.clone(), || {
                plot::heatmap_chart(&data)
            })
        }
    }

    /// Everything `sweep --out` writes: `sweep.csv`, `sweep.json`, the chart.
    ///
    /// # Errors
    /// [`PlotError`] if drawing fails.
    pub fn files(&self) -> Result<OutputSet, PlotError> {
        let mut files = OutputSet::new();
        files.add("sweep.csv", csv(self.result));
        files.add("sweep.json", self.json());
        self.chart()?.queue(&mut files);
        Ok(files)
    }
}

/// `sweep.csv`: one row per grid point and runner (every runner, whatever the focus): the
/// parameter values, win and podium probabilities (with SE and 95 % Wilson interval), median time
/// (with a 95 % interval), mean place (with SE).
pub fn csv(res: &SweepResult) -> Vec<u8> {
    let mut head: Vec<String> = vec!["point".into()];
    head.extend(res.grid.params.iter().map(|p| p.path.clone()));
    head.extend(
        [
            "runner",
            "races",
            "p_win",
            "p_win_se",
            "p_win_lo95",
            "p_win_hi95",
            "p_podium",
            "p_podium_se",
            "p_podium_lo95",
            "p_podium_hi95",
            "median_s",
            "median_lo95_s",
            "median_hi95_s",
            "mean_time_s",
            "mean_place",
            "mean_place_se",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut rows: Vec<Vec<String>> = vec![head];
    for (k, pt) in res.grid.points.iter().enumerate() {
        for (r, name) in res.crn.runners.iter().enumerate() {
            let Some(s) = res.crn.stats[k][r].as_ref() else {
                continue;
            };
            let (wi, po, me, pl) = (s.win_est(), s.podium_est(), s.median(), s.mean_place());
            let mut row = vec![k.to_string()];
            row.extend(pt.iter().map(|v| format!("{v}")));
            row.extend([
                name.clone(),
                s.win.n.to_string(),
                csv_num(wi.value, 5),
                csv_num(wi.se, 5),
                csv_num(wi.lo, 5),
                csv_num(wi.hi, 5),
                csv_num(po.value, 5),
                csv_num(po.se, 5),
                csv_num(po.lo, 5),
                csv_num(po.hi, 5),
                csv_num(me.value, 3),
                csv_num(me.lo, 3),
                csv_num(me.hi, 3),
                csv_num(s.finish.mean().unwrap_or(f64::NAN), 3),
                csv_num(pl.value, 4),
                csv_num(pl.se, 4),
            ]);
            rows.push(row);
        }
    }
    csv_bytes(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FitCache;
    use crate::input::scenario::Scenario;
    use crate::montecarlo::RunOptions;
    use crate::study::sweep::{self, ParamRange};
    use crate::testkit::SCENARIO;

    #[test]
    fn a_sweep_reports_every_point_and_the_best() {
        let sc = Scenario::from_str(SCENARIO, "t.toml").unwrap();
        let ranges = vec![ParamRange::parse("runner.Ann.kick_m=200..400:100").unwrap()];
        let p = sweep::prepare(&sc, ranges, &[], &FitCache::new()).unwrap();
        assert_eq!(
            (p.focus.clone(), p.own.clone()),
            (vec!["Ann".into()], vec!["Ann".into()])
        );
        let opts = RunOptions {
            runs: 80,
            seed: 3,
            threads: Some(2),
            progress: false,
        };
        let res = sweep::run(p, &opts).unwrap();
        assert_eq!(res.grid.points, [[200.0], [300.0], [400.0]]);
        let view = SweepView {
            scenario: &sc.name,
            variant: None,
            seed: 3,
            metric: Metric::Win,
            result: &res,
        };
        let text = view.text();
        assert!(
            text.starts_with(
                "Test mile — sweep on common random numbers\n3 grid points × 80 races"
            )
        );
        assert!(text.contains("Best grid point for Ann:"), "{text}");
        // the CSV has every runner at every point; the JSON every point too
        let csv = String::from_utf8(csv(&res)).unwrap();
        assert_eq!(csv.lines().count(), 1 + 3 * 3);
        assert!(csv.starts_with("point,runner.Ann.kick_m,runner,races,p_win,"));
        let js: serde_json::Value = serde_json::from_slice(&view.json()).unwrap();
        assert_eq!(js["points"].as_array().unwrap().len(), 9);
        assert_eq!(js["metric"], "win");
        // the chart speaks of the parameter in words, never of its path
        assert_eq!(
            view.chart_subtitle(),
            "win % vs Ann: kick distance (m) · 80 races per point on common random numbers · \
             95 % CI"
        );
        let files = view.files().unwrap();
        assert_eq!(files.names().len(), 5, "csv, json, png, svg, narrow svg");
    }
}
