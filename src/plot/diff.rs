//! f. Paired differences: a point and CI bar per row, around a zero line.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{decimal_step, decimals_for, finite_extent, fmt_num, pad_range, ticks};
use super::common::{
    Axis, INK, MARGIN, MUTED, Page, anchored, bold, chart_on, fit, no_data, put, row_label_size,
    text, whisker, widest,
};
use super::output::{Chart, render};
use super::{ChartBytes, DiffData, PlotError};

/// Draw the paired differences of `data` as a PNG and an SVG, in memory.
///
/// One row per [`DiffRow`](super::DiffRow), top to bottom in input order: the mean as a dot,
/// the interval as a bar with caps, a vertical line at zero. Rows whose interval excludes zero
/// are drawn in blue, the others in grey. Mean and interval are printed on the right (narrow
/// drawing: the label and the values on a line above each row's bar, the plot full width).
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn diff_chart(data: &DiffData) -> Result<ChartBytes, PlotError> {
    render(data)
}

/// A difference with an explicit sign: `+0.12`, `−0.30`, `0.00`.
fn signed(v: f64, decimals: usize) -> String {
    let s = fmt_num(v, decimals);
    if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

const SIGNIFICANT: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const NEUTRAL: RGBColor = RGBColor(0x8a, 0x8a, 0x8a);
const STRIPE: RGBColor = RGBColor(0xf4, 0xf4, 0xf4);

/// The reading aid under the title.
const NOTE: &str = "Blue: interval excludes 0 · grey: no clear difference";

impl Chart for DiffData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, NOTE)?;
        let (narrow, w) = (frame.is_narrow(), frame.w);
        // Narrow: 96 px a row: the label, the values, then the bar.
        let h = if narrow {
            top + 34 + self.rows.len() as i32 * 96 + 84
        } else {
            frame.h
        };
        let ext = finite_extent(
            self.rows
                .iter()
                .flat_map(|r| [r.mean, r.lo, r.hi])
                .chain(std::iter::once(0.0)),
        );
        let n = self.rows.len();
        let Some(ext) = ext.filter(|_| n > 0) else {
            return no_data(root, frame, top, "No differences");
        };
        let (x0, x1) = pad_range(ext, 0.08, 0.5);
        let step = decimal_step(x1 - x0, if narrow { 6 } else { 10 });
        let dec = decimals_for(step);
        let x_fmt = move |v: &f64| fmt_num(*v, dec);
        let val_dec = (dec + 1).min(6);

        let size = row_label_size(frame, h - top - 110, n, 19.0);
        let label_style = anchored(text(size, INK), HPos::Right, VPos::Center);
        let label_w = widest(root, self.rows.iter().map(|r| &r.label), &label_style).min(420);
        let values: Vec<String> = self
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{}  [{}, {}]",
                    signed(r.mean, val_dec),
                    signed(r.lo, val_dec),
                    signed(r.hi, val_dec)
                )
            })
            .collect();
        let value_style = anchored(text(size, INK), HPos::Right, VPos::Center);
        let value_w = widest(root, &values, &value_style).clamp(120, 360);
        let value_x = w - MARGIN;
        let area_w = if narrow { w } else { value_x - value_w - 24 };

        let x_desc = if self.x_label.trim().is_empty() {
            "Difference"
        } else {
            self.x_label.trim()
        };
        let area = root.clone().shrink((0, top), (area_w, h - top));
        let y_range = (-0.6, n as f64 - 0.4);
        let mut chart = chart_on(
            &area,
            &Axis::new((x0, x1), ticks(x0, x1, step), &x_fmt, x_desc),
            &Axis::bare(y_range),
            if narrow {
                MARGIN
            } else {
                MARGIN + label_w + 16
            },
            72,
            (34, if narrow { MARGIN } else { 8 }),
        )?;
        let (_, head_y) = chart.backend_coord(&(x0, y_range.1));
        if narrow {
            let head = anchored(bold(17.0, MUTED), HPos::Left, VPos::Bottom);
            let (lx, _) = chart.backend_coord(&(x0, 0.0));
            put(
                root,
                "Each row: mean  [interval]",
                &head,
                (lx + 4, head_y - 8),
            )?;
        } else {
            let head = anchored(bold(17.0, MUTED), HPos::Right, VPos::Bottom);
            put(root, "mean  [interval]", &head, (value_x, head_y - 8))?;
        }
        // Narrow: each row's bar sits low, under its two text lines.
        let bar_dy = if narrow { -0.27 } else { 0.0 };

        for k in 0..n {
            let y = (n - 1 - k) as f64;
            if k % 2 == 0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y - 0.5), (x1, y + 0.5)],
                    STRIPE.filled(),
                )))?;
            }
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, y_range.0), (0.0, y_range.1)],
            INK.stroke_width(2),
        )))?;
        for (k, r) in self.rows.iter().enumerate() {
            let row_y = (n - 1 - k) as f64;
            let y = row_y + bar_dy;
            let has_ci = r.lo.is_finite() && r.hi.is_finite();
            let sig = has_ci && (r.lo > 0.0 || r.hi < 0.0);
            let color = if sig { SIGNIFICANT } else { NEUTRAL };
            if has_ci {
                let (a, b) = (r.lo.min(r.hi).clamp(x0, x1), r.lo.max(r.hi).clamp(x0, x1));
                let cap = 0.18;
                whisker(&mut chart, (a, b), y, cap, color.stroke_width(3))?;
            }
            if r.mean.is_finite() {
                let at = chart.backend_coord(&(r.mean.clamp(x0, x1), y));
                root.draw(&Circle::new(at, 8, WHITE.filled()))?;
                root.draw(&Circle::new(at, 6, color.filled()))?;
            }
            if narrow {
                let left_style = anchored(text(size, INK), HPos::Left, VPos::Center);
                let (lx, py) = chart.backend_coord(&(x0, row_y + 0.3));
                let label = fit(root, &r.label, &left_style, value_x - lx - 8);
                put(root, &label, &left_style, (lx + 4, py))?;
                let (_, py) = chart.backend_coord(&(x0, row_y + 0.04));
                put(root, &values[k], &left_style, (lx + 4, py))?;
                continue;
            }
            let (lx, py) = chart.backend_coord(&(x0, y));
            let label = fit(root, &r.label, &label_style, label_w.max(40));
            put(root, &label, &label_style, (lx - 12, py))?;
            put(root, &values[k], &value_style, (value_x, py))?;
        }
        Ok(h)
    }
}
