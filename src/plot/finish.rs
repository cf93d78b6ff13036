//! b. Finish-time distributions: one ridgeline per runner, fastest median at the top.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{decimals_for, finite_extent, fmt_pct, fmt_secs, pad_range, ticks, time_step};
use super::common::{
    Axis, GRID, INK, MARGIN, MUTED, Page, anchored, bold, chart_on, fit, no_data, put, text,
    text_width, widest,
};
use super::output::{Chart, render};
use super::palette::runner_color;
use super::{ChartBytes, FinishDistData, PlotError};
use crate::base::units::fmt_time;

/// Draw the finish-time distributions of `data` as a PNG and an SVG, in memory.
///
/// One row per runner, sorted by median finish time (fastest at the top); each row is the
/// runner's histogram turned into a density (lightly smoothed with a 1-2-1 kernel) on a shared
/// `m:ss` time axis, with the median marked by a vertical tick. All rows share one density
/// scale, so a consistent runner shows as a tall narrow peak and an erratic one as a low wide
/// hill. The runner's name is printed on the left, win % and median time on the right (win %
/// only in the narrow drawing, whose height grows with the number of runners).
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn finish_distribution_chart(data: &FinishDistData) -> Result<ChartBytes, PlotError> {
    render(data)
}

/// Peak height of the tallest ridge, in rows.
const PEAK_ROWS: f64 = 1.6;

/// A row's smoothed density curve: `(t, density)` points including zero ends.
fn density_curve(bins: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut b: Vec<(f64, f64)> = bins
        .iter()
        .copied()
        .filter(|(t, c)| t.is_finite() && c.is_finite() && *c >= 0.0)
        .collect();
    b.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = b.iter().map(|p| p.1).sum();
    if b.is_empty() || !(total > 0.0 && total.is_finite()) {
        return Vec::new();
    }
    let mut gaps: Vec<f64> = b
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .filter(|d| *d > 0.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let width = gaps.get(gaps.len() / 2).copied().unwrap_or(1.0);
    let dens = |i: isize| -> f64 {
        if i < 0 || i as usize >= b.len() {
            0.0
        } else {
            b[i as usize].1 / (total * width)
        }
    };
    let n = b.len() as isize;
    let t_at = |i: isize| -> f64 {
        if i < 0 {
            b[0].0 + i as f64 * width
        } else if i >= n {
            b[(n - 1) as usize].0 + (i - n + 1) as f64 * width
        } else {
            b[i as usize].0
        }
    };
    // 1-2-1 smoothing; one extra (tapering) bin each side, then zero.
    let mut out = vec![(t_at(-2), 0.0)];
    for i in -1..=n {
        let d = (dens(i - 1) + 2.0 * dens(i) + dens(i + 1)) / 4.0;
        out.push((t_at(i), d));
    }
    out.push((t_at(n + 1), 0.0));
    out
}

/// Curve height at `t` (linear interpolation), 0 outside.
fn height_at(curve: &[(f64, f64)], t: f64) -> f64 {
    curve
        .windows(2)
        .find(|w| w[0].0 <= t && t <= w[1].0)
        .map(|w| {
            let span = w[1].0 - w[0].0;
            if span > 0.0 {
                w[0].1 + (w[1].1 - w[0].1) * (t - w[0].0) / span
            } else {
                w[0].1
            }
        })
        .unwrap_or(0.0)
}

/// The reading aid under the title.
const NOTE: &str = "Black tick: median · peak height: how consistent";

impl Chart for FinishDistData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, NOTE)?;
        let (narrow, w) = (frame.is_narrow(), frame.w);
        // Narrow: about 44 px a row (a 19 px name).
        let h = if narrow {
            top + 20 + 90 + ((self.rows.len() as f64 + PEAK_ROWS) * 44.0) as i32
        } else {
            frame.h
        };
        if self.rows.is_empty() {
            return no_data(root, frame, top, "No finish-time data");
        }

        // Sort by median, fastest first; unknown medians last. Colour stays by input index.
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by(|&a, &b| {
            let (ma, mb) = (self.rows[a].median_s, self.rows[b].median_s);
            match (ma.is_finite(), mb.is_finite()) {
                (true, true) => ma.total_cmp(&mb),
                (true, false) => std::cmp::Ordering::Less,
                (false, true) => std::cmp::Ordering::Greater,
                (false, false) => a.cmp(&b),
            }
        });
        let curves: Vec<Vec<(f64, f64)>> =
            self.rows.iter().map(|r| density_curve(&r.bins)).collect();
        let peak = curves
            .iter()
            .flat_map(|c| c.iter().map(|p| p.1))
            .fold(0.0f64, f64::max);
        let scale = if peak > 0.0 { PEAK_ROWS / peak } else { 0.0 };
        // Time range: where any curve is visibly above zero (long empty tails are cut), and
        // every median.
        let visible = peak * 0.004;
        let t_ext = finite_extent(
            curves
                .iter()
                .flat_map(|c| {
                    let first = c.iter().position(|p| p.1 > visible).unwrap_or(0);
                    let last = c
                        .iter()
                        .rposition(|p| p.1 > visible)
                        .unwrap_or(c.len().saturating_sub(1));
                    c.get(first.saturating_sub(1)..=(last + 1).min(c.len().saturating_sub(1)))
                        .unwrap_or(&[])
                        .iter()
                        .map(|p| p.0)
                })
                .chain(self.rows.iter().map(|r| r.median_s)),
        );
        let Some(t_ext) = t_ext else {
            return no_data(root, frame, top, "No finish-time data");
        };

        let n = self.rows.len();
        let plot_h = (h - top - 90).max(50) as f64;
        let row_px = plot_h / (n as f64 + PEAK_ROWS);
        let label_size = (row_px * 0.5).clamp(10.0, 20.0);

        // Columns: names (left), win % and median (right).
        let name_style = anchored(text(label_size, INK), HPos::Right, VPos::Bottom);
        let name_w = widest(root, self.rows.iter().map(|r| &r.name), &name_style).min(if narrow {
            200
        } else {
            330
        });
        // Win % and median time columns (narrow: win % only, the median is in the tables).
        let (col_w, n_cols) = if narrow { (96, 1) } else { (120, 2) };
        let right_x = w - MARGIN - n_cols * col_w;

        let (x0, x1) = pad_range(t_ext, 0.01, 1.0);
        let x_step = time_step(x1 - x0, if narrow { 5 } else { 12 });
        let x_dec = decimals_for(x_step);
        let x_fmt = move |v: &f64| fmt_secs(*v, x_dec);
        let y_range = (-0.12, (n - 1) as f64 + PEAK_ROWS + 0.1);
        let area = root
            .clone()
            .shrink((0, top + 20), (right_x - 10, h - top - 20));
        let mut chart = chart_on(
            &area,
            &Axis::new(
                (x0, x1),
                ticks(x0, x1, x_step),
                &x_fmt,
                "Finish time (m:ss)",
            ),
            &Axis::bare(y_range),
            if narrow { MARGIN } else { MARGIN + name_w + 14 },
            72,
            (0, 16),
        )?;

        let col_head = anchored(bold(18.0, MUTED), HPos::Right, VPos::Bottom);
        let head_y = top + 18;
        put(root, "Win", &col_head, (right_x + col_w - 10, head_y))?;
        if !narrow {
            put(
                root,
                "Median",
                &col_head,
                (right_x + 2 * col_w - 10, head_y),
            )?;
        }

        let base_of = |rank: usize| (n - 1 - rank) as f64;
        // Baselines first, so ridges of lower rows hide them.
        for rank in 0..n {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x0, base_of(rank)), (x1, base_of(rank))],
                GRID.stroke_width(1),
            )))?;
        }
        let value_style = anchored(text(label_size, INK), HPos::Right, VPos::Bottom);
        for (rank, &i) in order.iter().enumerate() {
            let row = &self.rows[i];
            let base = base_of(rank);
            let color = runner_color(i);
            let curve = &curves[i];
            if !curve.is_empty() {
                let pts: Vec<(f64, f64)> = curve
                    .iter()
                    .map(|&(t, d)| (t.clamp(x0, x1), base + d * scale))
                    .collect();
                let mut poly = pts.clone();
                poly.push((pts[pts.len() - 1].0, base));
                poly.push((pts[0].0, base));
                chart.draw_series(std::iter::once(Polygon::new(poly.clone(), WHITE.filled())))?;
                chart.draw_series(std::iter::once(Polygon::new(poly, color.mix(0.5).filled())))?;
                chart.draw_series(LineSeries::new(pts, color.stroke_width(2)))?;
            }
            if row.median_s.is_finite() {
                let m = row.median_s.clamp(x0, x1);
                let top_y = base + height_at(curve, row.median_s) * scale;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(m, base), (m, top_y.max(base + 0.25))],
                    INK.stroke_width(2),
                )))?;
            }
            // Labels on the row's baseline.
            let (px, py) = chart.backend_coord(&(x0, base));
            if narrow {
                // The narrow drawing has no room for a name column: the names go inside the
                // plot once every ridge is drawn (below).
            } else {
                let label = fit(root, &row.name, &name_style, name_w.max(40));
                put(root, &label, &name_style, (px - 12, py - 1))?;
            }
            put(
                root,
                &fmt_pct(row.win_pct),
                &value_style,
                (right_x + col_w - 10, py - 1),
            )?;
            if !narrow {
                put(
                    root,
                    &fmt_time(row.median_s),
                    &value_style,
                    (right_x + 2 * col_w - 10, py - 1),
                )?;
            }
            root.draw(&PathElement::new(
                vec![(right_x + 14, py), (right_x + n_cols * col_w - 4, py)],
                GRID.stroke_width(1),
            ))?;
        }
        if narrow {
            // Each name just above its baseline, at whichever end of the time axis its own
            // ridge is lower (the fast runners' ridges lean left, the slow ones' right), on a
            // light backing so a neighbour's ridge does not hide it.
            let style = anchored(text(label_size, INK), HPos::Left, VPos::Bottom);
            let (px0, _) = chart.backend_coord(&(x0, 0.0));
            let (px1, _) = chart.backend_coord(&(x1, 0.0));
            let to_t = |px: i32| x0 + (px - px0) as f64 / (px1 - px0).max(1) as f64 * (x1 - x0);
            for (rank, &i) in order.iter().enumerate() {
                let base = base_of(rank);
                let (_, py) = chart.backend_coord(&(x0, base));
                let label = fit(root, &self.rows[i].name, &style, px1 - px0 - 12);
                let tw = text_width(root, &label, &style);
                let peak_over = |a: i32, b: i32| {
                    (0..=8)
                        .map(|k| height_at(&curves[i], to_t(a + (b - a) * k / 8)))
                        .fold(0.0, f64::max)
                };
                let left_x = px0 + 6;
                let right_x = px1 - 6 - tw;
                let lx = if peak_over(right_x, px1) < peak_over(px0, left_x + tw) {
                    right_x
                } else {
                    left_x
                };
                root.draw(&Rectangle::new(
                    [(lx - 4, py - 3 - label_size as i32), (lx + tw + 4, py - 2)],
                    WHITE.mix(0.8).filled(),
                ))?;
                put(root, &label, &style, (lx, py - 3))?;
            }
        }
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_integrates_to_one_and_tapers() {
        let bins: Vec<(f64, f64)> = (0..20)
            .map(|k| (200.0 + k as f64 * 0.5, (k % 7) as f64))
            .collect();
        let c = density_curve(&bins);
        assert_eq!(c.first().unwrap().1, 0.0);
        assert_eq!(c.last().unwrap().1, 0.0);
        let area: f64 = c
            .windows(2)
            .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
            .sum();
        assert!((area - 1.0).abs() < 0.05, "area {area}");
        assert!(density_curve(&[]).is_empty());
        assert!(density_curve(&[(1.0, 0.0)]).is_empty());
        assert!(density_curve(&[(f64::NAN, 3.0)]).is_empty());
        assert_eq!(density_curve(&[(200.0, 5.0)]).len(), 5);
    }
}
