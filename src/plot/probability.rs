//! d. Win and podium probabilities: horizontal bars with interval whiskers, values printed.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{decimal_step, decimals_for, fmt_num, fmt_pct, ticks};
use super::common::{
    Axis, INK, MARGIN, Page, anchored, bold, chart_on, fit, no_data, put, row_label_size, text,
    whisker, widest,
};
use super::output::{Chart, render};
use super::palette::runner_color;
use super::{ChartBytes, PlotError, ProbRow, ProbabilityData};

/// Draw win and podium probabilities of `data` as a PNG and an SVG, in memory.
///
/// Two panels side by side sharing the runner rows (sorted by P(win), highest at the top):
/// P(win) and P(top 3), each a bar in [`runner_color`](super::runner_color)`(i)` with a black
/// whisker from the lower to the upper bound and the value printed in percent. The narrow
/// drawing puts the P(top 3) panel under the P(win) one, each with the names.
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn probability_chart(data: &ProbabilityData) -> Result<ChartBytes, PlotError> {
    render(data)
}

/// Picks (value, lower bound, upper bound) out of a row.
type Getter = fn(&ProbRow) -> (f64, f64, f64);

fn finite_or(v: f64, d: f64) -> f64 {
    if v.is_finite() { v } else { d }
}

/// The reading aid under the title.
const NOTE: &str = "Whiskers: 95 % interval of the simulation estimate";

impl Chart for ProbabilityData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, NOTE)?;
        let (narrow, w) = (frame.is_narrow(), frame.w);
        if self.rows.is_empty() {
            return no_data(root, frame, top, "No probabilities");
        }
        let n = self.rows.len();
        // Narrow: the two panels one above the other, 32 px a row.
        let row_narrow = 32;
        let panel_h = 40 + n as i32 * row_narrow + 76;
        let h = if narrow { top + 2 * panel_h } else { frame.h };
        let mut order: Vec<usize> = (0..n).collect();
        let key = |r: &ProbRow| (finite_or(r.win, -1.0), finite_or(r.podium, -1.0));
        order.sort_by(|&a, &b| {
            let (ka, kb) = (key(&self.rows[a]), key(&self.rows[b]));
            kb.0.total_cmp(&ka.0)
                .then(kb.1.total_cmp(&ka.1))
                .then(a.cmp(&b))
        });

        let label_size = row_label_size(frame, h - top - 130, n, 20.0);
        let name_style = anchored(text(label_size, INK), HPos::Right, VPos::Center);
        let name_w = widest(root, self.rows.iter().map(|r| &r.name), &name_style).min(if narrow {
            200
        } else {
            320
        });

        let left1 = MARGIN + name_w + 16;
        let gap = 40;
        let panel_w = (w - MARGIN - left1 - gap) / 2;
        let split_x = left1 + panel_w + gap / 2;

        let panels: [(&str, Getter); 2] = [
            ("Win probability", |r| (r.win, r.win_lo, r.win_hi)),
            ("Podium probability (top 3)", |r| {
                (r.podium, r.podium_lo, r.podium_hi)
            }),
        ];
        let value_size = label_size.min(18.0);
        for (k, (title, get)) in panels.iter().enumerate() {
            // Percent scale with room for the printed values.
            let max = self
                .rows
                .iter()
                .flat_map(|r| {
                    let (v, lo, hi) = get(r);
                    [v, lo, hi]
                })
                .filter(|v| v.is_finite())
                .fold(0.0f64, f64::max)
                .clamp(0.0, 1.0)
                * 100.0;
            let x1 = (max * 1.22).max(1.0);
            let step = decimal_step(x1, 6);
            let dec = decimals_for(step);
            let x_fmt = move |v: &f64| format!("{} %", fmt_num(*v, dec));
            let (area, left) = if narrow {
                let y = top + k as i32 * panel_h;
                (root.clone().shrink((0, y), (w, panel_h)), left1)
            } else if k == 0 {
                (root.clone().shrink((0, top), (split_x, h - top)), left1)
            } else {
                (
                    root.clone().shrink((split_x, top), (w - split_x, h - top)),
                    gap / 2,
                )
            };
            let mut chart = chart_on(
                &area,
                &Axis::new((0.0, x1), ticks(0.0, x1, step), &x_fmt, ""),
                &Axis::bare((-0.6, n as f64 - 0.4)),
                left,
                48,
                (40, if k == 0 && !narrow { gap / 2 } else { MARGIN }),
            )?;
            let (tx, ty) = chart.backend_coord(&(0.0, n as f64 - 0.4));
            put(
                root,
                title,
                &anchored(bold(22.0, INK), HPos::Left, VPos::Bottom),
                (tx, ty - 10),
            )?;

            let half = 0.34;
            let value_style = anchored(text(value_size, INK), HPos::Left, VPos::Center);
            for (rank, &i) in order.iter().enumerate() {
                let row = &self.rows[i];
                let y = (n - 1 - rank) as f64;
                let (v, lo, hi) = get(row);
                let pc = |p: f64| (p * 100.0).clamp(0.0, x1);
                if v.is_finite() {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - half), (pc(v), y + half)],
                        runner_color(i).mix(0.85).filled(),
                    )))?;
                }
                let mut text_at = if v.is_finite() { pc(v) } else { 0.0 };
                if lo.is_finite() && hi.is_finite() && hi >= lo {
                    let (a, b) = (pc(lo), pc(hi));
                    let cap = half * 0.45;
                    whisker(&mut chart, (a, b), y, cap, INK.stroke_width(2))?;
                    text_at = text_at.max(b);
                }
                let (px, py) = chart.backend_coord(&(text_at, y));
                let s = if v.is_finite() {
                    fmt_pct(v * 100.0)
                } else {
                    "–".into()
                };
                put(root, &s, &value_style, (px + 7, py))?;
                if k == 0 || narrow {
                    let label = fit(root, &row.name, &name_style, name_w.max(40));
                    let (lx, _) = chart.backend_coord(&(0.0, y));
                    put(root, &label, &name_style, (lx - 12, py))?;
                }
            }
        }
        Ok(h)
    }
}
