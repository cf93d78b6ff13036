//! g. Parameter sweeps: a metric against one parameter (lines with CI bands) or two (heatmap).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{
    decimal_step, decimals_for, finite_extent, fmt_num, fmt_secs, fmt_value, pad_range, ticks,
    time_step,
};
use super::common::{
    AXIS, Axis, INK, LegendItem, MARGIN, Page, Swatch, anchored, legend_below, legend_right,
    marker, no_data, plot_area, put, runs, text, tick_label_width, value_chart, widest,
};
use super::output::{Chart, render};
use super::palette::{diverging, luminance, runner_color, runner_marker, viridis};
use super::{ChartBytes, HeatmapData, PlotError, SweepLineData, ValueFormat};

/// Draw the one-parameter sweep of `data` as a PNG and an SVG, in memory.
///
/// One line with markers per series (colour = index) over a translucent band from `lo` to
/// `hi`; ticks on x at the swept values when there are at most 15 of them (8 in the narrow
/// drawing). The legend on the right (below in the narrow drawing) names the series.
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn sweep_line_chart(data: &SweepLineData) -> Result<ChartBytes, PlotError> {
    render(data)
}

/// Draw the two-parameter heatmap of `data` as a PNG and an SVG, in memory.
///
/// One cell per `(xs[i], ys[j])`, coloured by `values[j][i]` on viridis (or on a blue–white–red
/// scale centred on zero when values have both signs), with a colour scale on the right. Values
/// are printed in the cells when the grid is small enough for them to fit. Missing or NaN
/// values are grey cells.
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn heatmap_chart(data: &HeatmapData) -> Result<ChartBytes, PlotError> {
    render(data)
}

/// Ticks for a value axis in the given format: `(ticks, step)`.
fn value_ticks(lo: f64, hi: f64, format: ValueFormat, max_n: usize) -> (Vec<f64>, f64) {
    let step = match format {
        ValueFormat::Plain => decimal_step(hi - lo, max_n),
        ValueFormat::Time => time_step(hi - lo, max_n),
    };
    (ticks(lo, hi, step), step)
}

/// Sorted distinct finite values (merging values closer than 1e-9 of the range).
fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let span = v.last().zip(v.first()).map(|(a, b)| a - b).unwrap_or(0.0);
    v.dedup_by(|a, b| (*a - *b).abs() <= span * 1e-9);
    v
}

/// Decimals that tell apart neighbouring values of `v` (sorted).
fn decimals_between(v: &[f64]) -> usize {
    let min_gap = v
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .fold(f64::INFINITY, f64::min);
    if min_gap.is_finite() {
        decimals_for(decimal_step(min_gap, 1)).min(4)
    } else {
        let m = v.iter().map(|x| x.abs()).fold(0.0, f64::max);
        if m >= 100.0 || m == 0.0 { 0 } else { 2 }
    }
}

impl Chart for SweepLineData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, "")?;
        let h = frame.h;
        let pts = || {
            self.series
                .iter()
                .flat_map(|s| s.1.iter())
                .filter(|p| p.0.is_finite())
        };
        let x_ext = finite_extent(
            pts()
                .filter(|p| p.1.is_finite() || p.2.is_finite())
                .map(|p| p.0),
        );
        let y_ext = finite_extent(pts().flat_map(|p| [p.1, p.2, p.3]));
        let (Some(x_ext), Some(y_ext)) = (x_ext, y_ext) else {
            return no_data(root, frame, top, "No sweep data");
        };

        let items: Vec<LegendItem> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendItem {
                label: s.0.clone(),
                swatch: Swatch::Line {
                    color: runner_color(i),
                    width: 3,
                    band: true,
                    marker: Some(runner_marker(i)),
                    dashed: false,
                },
            })
            .collect();
        let (legend_x, bottom) = legend_right(root, frame, (top, h - 60), (200, 360), "", &items)?;
        if !frame.is_narrow() {
            let note = anchored(text(16.0, super::common::MUTED), HPos::Left, VPos::Top);
            put(
                root,
                "Band: confidence interval",
                &note,
                (legend_x, bottom + 12),
            )?;
        }

        let (x0, x1) = pad_range(x_ext, 0.04, 0.5);
        let xs = distinct(pts().map(|p| p.0));
        let most = if frame.is_narrow() { 8 } else { 15 };
        let (x_ticks, x_dec) = if (2..=most).contains(&xs.len()) {
            let d = decimals_between(&xs);
            (xs, d)
        } else {
            let step = decimal_step(x1 - x0, if frame.is_narrow() { 6 } else { 10 });
            (ticks(x0, x1, step), decimals_for(step))
        };
        let x_fmt = move |v: &f64| fmt_num(*v, x_dec);
        let (y0, y1) = pad_range(y_ext, 0.06, 0.5);
        let (y_ticks, y_step) = value_ticks(y0, y1, self.y_format, 9);
        let fmt = self.y_format;
        let y_fmt = move |v: &f64| fmt_value(*v, fmt, y_step);

        let area = plot_area(root, top, legend_x - 24, h);
        let mut chart = value_chart(
            &area,
            &Axis::new((x0, x1), x_ticks, &x_fmt, self.x_label.trim()),
            &Axis::new((y0, y1), y_ticks, &y_fmt, self.y_label.trim()),
            (8, 12),
        )?;
        for (i, (_, pts)) in self.series.iter().enumerate() {
            let color = runner_color(i);
            for run in runs(pts, |p| {
                p.0.is_finite() && p.2.is_finite() && p.3.is_finite()
            }) {
                let poly: Vec<(f64, f64)> = run
                    .iter()
                    .map(|p| (p.0, p.3))
                    .chain(run.iter().rev().map(|p| (p.0, p.2)))
                    .collect();
                if run.len() == 1 {
                    chart.draw_series(std::iter::once(PathElement::new(
                        poly,
                        color.mix(0.4).stroke_width(6),
                    )))?;
                } else {
                    chart.draw_series(std::iter::once(Polygon::new(
                        poly,
                        color.mix(0.16).filled(),
                    )))?;
                }
            }
        }
        for (i, (_, pts)) in self.series.iter().enumerate() {
            let color = runner_color(i);
            for run in runs(pts, |p| p.0.is_finite() && p.1.is_finite()) {
                chart.draw_series(LineSeries::new(
                    run.iter().map(|p| (p.0, p.1)),
                    color.stroke_width(3),
                ))?;
            }
            if pts.len() <= 60 {
                for p in pts.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
                    let at = chart.backend_coord(&(p.0, p.1));
                    marker(root, at, runner_marker(i), color, 5)?;
                }
            }
        }
        if frame.is_narrow() {
            return legend_below(
                root,
                frame,
                h + 4,
                "",
                &items,
                &["Band: confidence interval."],
            );
        }
        Ok(h)
    }
}

const MISSING: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

impl Chart for HeatmapData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, "")?;
        let (w, h) = (frame.w, frame.h);
        let (nx, ny) = (self.xs.len(), self.ys.len());
        let value = |i: usize, j: usize| -> f64 {
            self.values
                .get(j)
                .and_then(|row| row.get(i))
                .copied()
                .filter(|v| v.is_finite())
                .unwrap_or(f64::NAN)
        };
        let ext = finite_extent(
            (0..ny)
                .flat_map(|j| (0..nx).map(move |i| (i, j)))
                .map(|(i, j)| value(i, j)),
        );
        let Some((vlo, vhi)) = ext.filter(|_| nx > 0 && ny > 0) else {
            return no_data(root, frame, top, "No sweep data");
        };
        // Colour scale: diverging around 0 when values have both signs, else viridis.
        let diverge = vlo < 0.0 && vhi > 0.0;
        let (slo, shi) = if diverge {
            let m = vlo.abs().max(vhi.abs());
            (-m, m)
        } else if vhi > vlo {
            (vlo, vhi)
        } else {
            pad_range((vlo, vhi), 0.0, 0.5)
        };
        let color_of = |v: f64| -> RGBColor {
            if !v.is_finite() {
                return MISSING;
            }
            let t = (v - slo) / (shi - slo);
            if diverge { diverging(t) } else { viridis(t) }
        };
        let (scale_ticks, scale_step) = value_ticks(slo, shi, self.value_format, 8);
        let vfmt = self.value_format;
        let scale_fmt = move |v: &f64| fmt_value(*v, vfmt, scale_step);
        let cell_dec = match self.value_format {
            ValueFormat::Plain => decimals_for(decimal_step(shi - slo, 100)).min(3),
            ValueFormat::Time => 1,
        };
        let cell_fmt = move |v: f64| match vfmt {
            ValueFormat::Plain => fmt_num(v, cell_dec),
            ValueFormat::Time => fmt_secs(v, cell_dec),
        };

        // Colour bar on the right.
        let tick_style = text(super::common::TICK_SIZE, INK);
        let scale_label_w = tick_label_width(root, &scale_ticks, &scale_fmt);
        let bar_w = 28;
        let bar_x = w - MARGIN - 34 - scale_label_w - 12 - bar_w;
        let area_w = bar_x - 40;

        // Cell-centre axes with labels from xs / ys (thinned when there are many).
        let label_ticks = |n: usize| -> Vec<f64> {
            let every = n.div_ceil(if frame.is_narrow() { 10 } else { 20 }).max(1);
            (0..n).step_by(every).map(|i| i as f64).collect()
        };
        let xd = decimals_between(&distinct(self.xs.iter().copied()));
        let yd = decimals_between(&distinct(self.ys.iter().copied()));
        let xs = &self.xs;
        let ys = &self.ys;
        let x_fmt = move |v: &f64| {
            let i = v.round();
            if i >= 0.0 && (i as usize) < xs.len() {
                fmt_num(xs[i as usize], xd)
            } else {
                String::new()
            }
        };
        let y_fmt = move |v: &f64| {
            let j = v.round();
            if j >= 0.0 && (j as usize) < ys.len() {
                fmt_num(ys[j as usize], yd)
            } else {
                String::new()
            }
        };
        let y_ticks = label_ticks(ny);
        let area = plot_area(root, top, area_w, h);
        let x_range = (-0.5, nx as f64 - 0.5);
        let y_range = (-0.5, ny as f64 - 0.5);
        let mut chart = value_chart(
            &area,
            &Axis::new(x_range, label_ticks(nx), &x_fmt, self.x_label.trim()).no_grid(),
            &Axis::new(y_range, y_ticks, &y_fmt, self.y_label.trim()).no_grid(),
            (8, 8),
        )?;
        chart.draw_series(
            (0..ny)
                .flat_map(|j| (0..nx).map(move |i| (i, j)))
                .map(|(i, j)| {
                    let (x, y) = (i as f64, j as f64);
                    Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        color_of(value(i, j)).filled(),
                    )
                }),
        )?;
        // Thin white cell borders when cells are big enough to show them.
        let (p00, p11) = (
            chart.backend_coord(&(-0.5, -0.5)),
            chart.backend_coord(&(0.5, 0.5)),
        );
        let (cell_w, cell_h) = ((p11.0 - p00.0).abs(), (p00.1 - p11.1).abs());
        if cell_w >= 12 && cell_h >= 12 {
            chart.draw_series((0..=nx).map(|i| {
                PathElement::new(
                    vec![(i as f64 - 0.5, y_range.0), (i as f64 - 0.5, y_range.1)],
                    WHITE.stroke_width(1),
                )
            }))?;
            chart.draw_series((0..=ny).map(|j| {
                PathElement::new(
                    vec![(x_range.0, j as f64 - 0.5), (x_range.1, j as f64 - 0.5)],
                    WHITE.stroke_width(1),
                )
            }))?;
        }
        // Values in cells, if every one fits.
        let cell_size = (cell_h as f64 * 0.4).min(20.0);
        if nx <= 16 && ny <= 16 && cell_size >= 11.0 {
            let probe = text(cell_size, INK);
            let cells = (0..ny).flat_map(|j| (0..nx).map(move |i| (i, j)));
            let widest_cell = widest(root, cells.map(|(i, j)| cell_fmt(value(i, j))), &probe);
            if widest_cell + 8 <= cell_w {
                for j in 0..ny {
                    for i in 0..nx {
                        let v = value(i, j);
                        let bg = color_of(v);
                        let ink = if luminance(bg) > 0.4 { INK } else { WHITE };
                        let style = anchored(text(cell_size, ink), HPos::Center, VPos::Center);
                        let s = if v.is_finite() {
                            cell_fmt(v)
                        } else {
                            "–".into()
                        };
                        let at = chart.backend_coord(&(i as f64, j as f64));
                        put(root, &s, &style, at)?;
                    }
                }
            }
        }

        // The colour bar, aligned with the plot's height.
        let (_, bar_top) = chart.backend_coord(&(0.0, y_range.1));
        let (_, bar_bot) = chart.backend_coord(&(0.0, y_range.0));
        let steps = 120;
        let span = (bar_bot - bar_top).max(1);
        for s in 0..steps {
            let a = bar_top + span * s / steps;
            let b = bar_top + span * (s + 1) / steps;
            let t = 1.0 - (s as f64 + 0.5) / steps as f64;
            let c = if diverge { diverging(t) } else { viridis(t) };
            root.draw(&Rectangle::new(
                [(bar_x, a), (bar_x + bar_w, b + 1)],
                c.filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [(bar_x, bar_top), (bar_x + bar_w, bar_bot)],
            AXIS.stroke_width(1),
        ))?;
        let to_py = |v: f64| bar_bot as f64 - (v - slo) / (shi - slo) * span as f64;
        let label_style = anchored(tick_style.clone(), HPos::Left, VPos::Center);
        for t in &scale_ticks {
            let py = to_py(*t).round() as i32;
            root.draw(&PathElement::new(
                vec![(bar_x + bar_w, py), (bar_x + bar_w + 6, py)],
                AXIS.stroke_width(1),
            ))?;
            put(root, &scale_fmt(t), &label_style, (bar_x + bar_w + 10, py))?;
        }
        let desc = anchored(
            text(super::common::DESC_SIZE, INK).transform(FontTransform::Rotate90),
            HPos::Center,
            // Rotated a quarter turn clockwise, the text's bottom faces left: anchoring at the
            // bottom puts the label to the right of `lx`.
            VPos::Bottom,
        );
        let lx = bar_x + bar_w + 10 + scale_label_w + 10;
        put(
            root,
            self.value_label.trim(),
            &desc,
            (lx, (bar_top + bar_bot) / 2),
        )?;
        Ok(h)
    }
}
