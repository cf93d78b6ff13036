//! a. Split chart: per-segment times over distance, median line per runner and a 10–90 % bar
//! per runner that matters, side by side.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{
    decimal_step, decimals_for, finite_extent, fmt_num, fmt_secs, pad_range, ticks, time_step,
};
use super::common::{
    Axis, INK, LegendItem, MUTED, Page, Swatch, anchored, legend_below, legend_right, no_data,
    plot_area, put, ring_marker, runs, text, value_chart,
};
use super::output::{Chart, render};
use super::palette::{Marker, runner_color, runner_marker};
use super::{ChartBytes, PlotError, RefSeries, RefStyle, SplitChartData};

/// Draw the split chart of `data` as a PNG and an SVG, in memory.
///
/// X: distance at the end of each segment (m), one tick per segment. Y: segment time, printed
/// `ss` / `m:ss` (or with a decimal when the range is narrow). Each runner is a median line with
/// markers, in [`runner_color`](super::runner_color)`(i)`; a runner with a band (not
/// `line_only`) has, at each segment end, a bar from his 10 % to his 90 % race, the bars of
/// those runners side by side (dodged) so that they do not merge;
/// references are drawn on top, dashed (plan) or points and line (actual), black unless they
/// name a runner. The legend sits outside the plot on the right (below it in the narrow
/// drawing).
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn split_chart(data: &SplitChartData) -> Result<ChartBytes, PlotError> {
    render(data)
}

impl Chart for SplitChartData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, "")?;
        let h = frame.h;

        let runner_vals = self
            .runners
            .iter()
            .flat_map(|r| r.points.iter())
            .filter(|p| p.x_m.is_finite())
            .flat_map(|p| [p.lo, p.mid, p.hi]);
        let ref_vals = self
            .references
            .iter()
            .flat_map(|r| r.points.iter())
            .filter(|p| p.0.is_finite())
            .map(|p| p.1);
        // Steps start where the previous point is (the first at the start line).
        let step_starts = self
            .references
            .iter()
            .filter(|r| r.style == RefStyle::Steps)
            .flat_map(|r| step_bars(&r.points).into_iter().map(|b| b.0));
        let y_ext = finite_extent(runner_vals.chain(ref_vals));
        let xs: Vec<f64> = self
            .runners
            .iter()
            .flat_map(|r| {
                r.points
                    .iter()
                    .filter(|p| p.mid.is_finite() || p.lo.is_finite())
                    .map(|p| p.x_m)
            })
            .chain(
                self.references
                    .iter()
                    .flat_map(|r| r.points.iter().filter(|p| p.1.is_finite()).map(|p| p.0)),
            )
            .chain(step_starts)
            .filter(|x| x.is_finite())
            .collect();
        let x_ext = finite_extent(xs.iter().copied());
        let (Some(y_ext), Some(x_ext)) = (y_ext, x_ext) else {
            return no_data(root, frame, top, "No split data");
        };

        // Legend (outside the plot, right).
        let order: Vec<usize> = if self.legend_order.is_empty() {
            (0..self.runners.len()).collect()
        } else {
            self.legend_order
                .iter()
                .copied()
                .filter(|&i| i < self.runners.len())
                .collect()
        };
        let mut items: Vec<LegendItem> = order
            .iter()
            .map(|&i| (i, &self.runners[i]))
            .map(|(i, r)| LegendItem {
                label: r.name.clone(),
                swatch: Swatch::Line {
                    color: runner_color(i),
                    width: 2,
                    band: !r.line_only,
                    marker: Some(runner_marker(i)),
                    dashed: false,
                },
            })
            .collect();
        for (k, r) in self.references.iter().enumerate() {
            let color = ref_color(r.runner);
            items.push(LegendItem {
                label: r.name.clone(),
                swatch: match r.style {
                    RefStyle::Plan => Swatch::Line {
                        color,
                        width: 2,
                        band: false,
                        marker: plan_marker(&self.references, k),
                        dashed: true,
                    },
                    RefStyle::Actual | RefStyle::Steps => Swatch::Points {
                        color,
                        marker: ref_marker(k),
                    },
                },
            });
        }
        // The reading aid is about simulated bands: a chart of references only (a real race)
        // has none.
        let (legend_x, bottom) =
            legend_right(root, frame, (top, h - 30 - 56), (220, 360), "", &items)?;
        if !self.runners.is_empty() && !frame.is_narrow() {
            let note = anchored(text(16.0, MUTED), HPos::Left, VPos::Top);
            put(
                root,
                "Line: median of simulated races",
                &note,
                (legend_x, bottom + 12),
            )?;
            put(
                root,
                "Bars: 10–90 % of races, side by side",
                &note,
                (legend_x, bottom + 34),
            )?;
        }

        // Axes.
        let (x0, x1) = pad_range(x_ext, 0.035, 50.0);
        let mut distinct = xs.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup_by(|a, b| (*a - *b).abs() < 0.5);
        // Every segment end is a tick, unless two are so close that their labels would
        // collide (1600 m and 1609.34 m): then the later one is left out.
        let min_gap = (x1 - x0) * if frame.is_narrow() { 0.08 } else { 0.045 };
        let mut x_ticks: Vec<f64> = Vec::new();
        for x in distinct {
            if x_ticks.last().is_none_or(|&l| x - l >= min_gap) {
                x_ticks.push(x);
            }
        }
        if x_ticks.len() > 24 {
            x_ticks = ticks(x0, x1, decimal_step(x1 - x0, 16));
        }
        let (y0, y1) = pad_range(y_ext, 0.06, 0.5);
        let y_step = time_step(y1 - y0, 9);
        let y_dec = decimals_for(y_step);
        let y_ticks = ticks(y0, y1, y_step);
        let x_fmt = |v: &f64| fmt_num(*v, 0);
        let y_fmt = move |v: &f64| fmt_secs(*v, y_dec);
        let seg = if self.segment_label.trim().is_empty() {
            "segment"
        } else {
            self.segment_label.trim()
        };
        let unit = if y1 >= 60.0 { "m:ss" } else { "s" };
        let y_desc = format!("Time per {seg} ({unit})");
        let x_desc = if self.x_label.trim().is_empty() {
            "Distance (m)"
        } else {
            self.x_label.trim()
        };

        let area = plot_area(root, top, legend_x - 24, h);
        let mut chart = value_chart(
            &area,
            &Axis::new((x0, x1), x_ticks, &x_fmt, x_desc),
            &Axis::new((y0, y1), y_ticks, &y_fmt, &y_desc),
            (8, 8),
        )?;

        // The runners with a band (the top four and any highlighted) are drawn side by side
        // ("dodged") at each segment end: a bar from the 10 % to the 90 % race in the runner's
        // colour, lightly filled and edged, his median marker on it and his median line through
        // it. Overlaid bands of runners whose medians are a few tenths apart merge into one
        // smear (issue 12); bars side by side stay apart. Then the other runners' median lines,
        // then markers, then references on top.
        let banded: Vec<usize> = (0..self.runners.len())
            .filter(|&i| !self.runners[i].line_only)
            .collect();
        let slot = (x1 - x0) * if frame.is_narrow() { 0.018 } else { 0.011 };
        let dodge = |i: usize| -> f64 {
            match banded.iter().position(|&b| b == i) {
                Some(k) if banded.len() > 1 => (k as f64 - (banded.len() - 1) as f64 / 2.0) * slot,
                _ => 0.0,
            }
        };
        let half = slot * 0.36;
        for &i in &banded {
            let color = runner_color(i);
            let dx = dodge(i);
            for p in self.runners[i]
                .points
                .iter()
                .filter(|p| p.x_m.is_finite() && p.lo.is_finite() && p.hi.is_finite())
            {
                let (a, b) = (p.x_m + dx - half, p.x_m + dx + half);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(a, p.lo), (b, p.hi)],
                    color.mix(0.22).filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(a, p.lo), (b, p.hi)],
                    color.stroke_width(1),
                )))?;
            }
        }
        for (i, r) in self.runners.iter().enumerate() {
            let color = runner_color(i);
            let dx = dodge(i);
            let pts: Vec<(f64, f64)> = r.points.iter().map(|p| (p.x_m + dx, p.mid)).collect();
            for run in runs(&pts, |p| p.0.is_finite() && p.1.is_finite()) {
                chart.draw_series(LineSeries::new(run.iter().copied(), color.stroke_width(2)))?;
            }
        }
        for (i, r) in self.runners.iter().enumerate() {
            let (color, shape) = (runner_color(i), runner_marker(i));
            let dx = dodge(i);
            for p in r
                .points
                .iter()
                .filter(|p| p.x_m.is_finite() && p.mid.is_finite())
            {
                let at = chart.backend_coord(&(p.x_m + dx, p.mid));
                super::common::marker(root, at, shape, color, 4)?;
            }
        }
        let dashes = [(12, 7), (5, 5), (18, 6)];
        for (k, r) in self.references.iter().enumerate() {
            let color = ref_color(r.runner);
            if r.style == RefStyle::Steps {
                let bars = step_bars(&r.points);
                for (j, &(a, b, v)) in bars.iter().enumerate() {
                    if let Some(&(_, pb, pv)) = j.checked_sub(1).map(|i| &bars[i]) {
                        if (a - pb).abs() < 1e-9 {
                            chart.draw_series(std::iter::once(PathElement::new(
                                vec![(a, pv), (a, v)],
                                color.mix(0.6).stroke_width(1),
                            )))?;
                        }
                    }
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(a, v), (b, v)],
                        color.stroke_width(3),
                    )))?;
                    let at = chart.backend_coord(&(b, v));
                    ring_marker(root, at, ref_marker(k), color, 7)?;
                }
                continue;
            }
            for run in runs(&r.points, |p| p.0.is_finite() && p.1.is_finite()) {
                match r.style {
                    RefStyle::Plan => {
                        let (dash, gap) = dashes[k % dashes.len()];
                        chart.draw_series(DashedLineSeries::new(
                            run.iter().copied(),
                            dash,
                            gap,
                            color.stroke_width(2),
                        ))?;
                    }
                    RefStyle::Actual | RefStyle::Steps => {
                        chart.draw_series(LineSeries::new(
                            run.iter().copied(),
                            color.stroke_width(3),
                        ))?;
                    }
                }
            }
            if let (RefStyle::Plan, Some(shape)) = (r.style, plan_marker(&self.references, k)) {
                for p in r
                    .points
                    .iter()
                    .filter(|p| p.0.is_finite() && p.1.is_finite())
                {
                    let at = chart.backend_coord(p);
                    ring_marker(root, at, shape, color, 6)?;
                }
            }
            if r.style == RefStyle::Actual {
                for p in r
                    .points
                    .iter()
                    .filter(|p| p.0.is_finite() && p.1.is_finite())
                {
                    let at = chart.backend_coord(p);
                    ring_marker(root, at, ref_marker(k), color, 7)?;
                }
            }
        }
        if frame.is_narrow() {
            let notes: &[&str] = if self.runners.is_empty() {
                &[]
            } else {
                &["Line: median of simulated races. Bars: 10–90 % of races, side by side."]
            };
            return legend_below(root, frame, h + 4, "", &items, notes);
        }
        Ok(h)
    }
}

/// The marker of the `k`-th reference when it is a plan: none for the first plan, ring
/// markers of distinct shapes for the others, so two pacers' plans (which may coincide until
/// the first steps off) stay apart in the plot and the legend.
fn plan_marker(refs: &[RefSeries], k: usize) -> Option<Marker> {
    let nth = refs[..k]
        .iter()
        .filter(|r| r.style == RefStyle::Plan)
        .count();
    (refs[k].style == RefStyle::Plan && nth > 0).then(|| ref_marker(nth))
}

/// Black, or the named runner's colour.
fn ref_color(runner: Option<usize>) -> RGBColor {
    runner.map_or(INK, runner_color)
}

fn ref_marker(k: usize) -> Marker {
    [
        Marker::Circle,
        Marker::Square,
        Marker::Diamond,
        Marker::Triangle,
    ][k % 4]
}

/// The bars of a [`RefStyle::Steps`] series: `(from_m, to_m, value)`, each from the previous
/// finite point (the first from 0 m); non-finite points are skipped.
fn step_bars(points: &[(f64, f64)]) -> Vec<(f64, f64, f64)> {
    let mut prev = 0.0;
    let mut out = Vec::new();
    for &(x, v) in points {
        if !(x.is_finite() && v.is_finite()) {
            continue;
        }
        if x > prev {
            out.push((prev, x, v));
        }
        prev = x;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{BandPoint, RunnerBands};

    /// The value of attribute `name` in an SVG element's text.
    fn attr<'a>(el: &'a str, name: &str) -> &'a str {
        let key = format!(" {name}=\"");
        let at = el.find(&key).map(|i| i + key.len()).unwrap_or(el.len());
        el[at..].split('"').next().unwrap_or("")
    }

    /// Two runners with identical splits, both with a band: their 10–90 % bars stand side by
    /// side at every segment end, none covering the other (overlaid bands merged into a smear);
    /// a line-only runner gets no bar.
    #[test]
    fn banded_runners_bars_stand_side_by_side() {
        let pts: Vec<BandPoint> = [400.0, 800.0, 1200.0, 1500.0]
            .iter()
            .map(|&x| BandPoint {
                x_m: x,
                lo: 55.0,
                mid: 56.0,
                hi: 57.0,
            })
            .collect();
        let runner = |name: &str, line_only| RunnerBands {
            name: name.into(),
            points: pts.clone(),
            line_only,
        };
        let data = SplitChartData {
            title: "t".into(),
            segment_label: "lap".into(),
            runners: vec![runner("A", false), runner("B", false), runner("C", true)],
            ..SplitChartData::default()
        };
        let svg = split_chart(&data).unwrap().svg;
        // the bars' fills (the legend's band swatches are wider)
        let bars: Vec<(String, i64, i64)> = svg
            .split("<rect")
            .skip(1)
            .filter(|r| attr(r, "opacity") == "0.22")
            .map(|r| {
                let x: i64 = attr(r, "x").parse().unwrap();
                let w: i64 = attr(r, "width").parse().unwrap();
                (attr(r, "fill").to_string(), x, w)
            })
            .filter(|b| b.2 < 30)
            .collect();
        assert_eq!(bars.len(), 8, "a bar per banded runner and point: {bars:?}");
        let (a, b): (Vec<_>, Vec<_>) = bars.iter().partition(|x| x.0 == bars[0].0);
        assert_eq!((a.len(), b.len()), (4, 4), "{bars:?}");
        for (fa, xa, wa) in &a {
            for (fb, xb, wb) in &b {
                assert_ne!(fa, fb);
                let apart = xa + wa <= *xb || xb + wb <= *xa;
                assert!(apart, "bars overlap: {xa}+{wa} and {xb}+{wb}");
            }
        }
    }
}
