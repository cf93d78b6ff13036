//! c. Race progression: gap behind the leader against distance, one line per runner.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{decimal_step, decimals_for, finite_extent, fmt_num, pad_range, ticks};
use super::common::{
    AXIS, Axis, LegendItem, MUTED, Page, Swatch, anchored, chart_on, legend_below, legend_right,
    marker, no_data, plot_area, put, ring_marker, runs, text, text_width, y_label_room,
};
use super::output::{Chart, render};
use super::palette::{runner_color, runner_marker};
use super::{ChartBytes, PlotError, ProgressionData};

/// Draw the race progression of `data` as a PNG and an SVG, in memory.
///
/// X: distance (m). Y: gap behind the leader (s), the leader's 0 at the top and "behind"
/// reading downwards. One line per runner in [`runner_color`](super::runner_color)`(i)`, with
/// markers at every point of a sparse series (a median race at the splits) or at about 15
/// points of a dense trace (a sampled race every 10 m). Marks are dashed verticals labelled above
/// the plot. The legend on the right (below in the narrow drawing) lists runners in order of
/// their last gap, with that gap.
///
/// Call it once for the median race and once for a sampled race.
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn progression_chart(data: &ProgressionData) -> Result<ChartBytes, PlotError> {
    render(data)
}

/// Distance ticks: 100 m multiples and up when the range allows.
pub(crate) fn distance_step(width: f64, max_n: usize) -> f64 {
    if width >= 300.0 {
        for s in [100.0, 200.0, 400.0, 500.0, 1000.0, 2000.0] {
            if width / s <= max_n as f64 {
                return s;
            }
        }
    }
    decimal_step(width, max_n)
}

impl Chart for ProgressionData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, "")?;
        let h = frame.h;
        let ok = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
        let all_points = || {
            self.runners
                .iter()
                .map(|r| &r.1)
                .chain(self.references.iter().map(|r| &r.points))
                .flat_map(|pts| pts.iter().filter(|p| ok(p)))
        };
        let x_ext = finite_extent(all_points().map(|p| p.0));
        let g_ext = finite_extent(all_points().map(|p| p.1));
        let (Some(x_ext), Some(mut g_ext)) = (x_ext, g_ext) else {
            return no_data(root, frame, top, "No progression data");
        };
        let cap = self
            .max_gap_s
            .filter(|c| c.is_finite() && *c > g_ext.0.max(0.0) && *c < g_ext.1);
        if let Some(c) = cap {
            g_ext.1 = c;
        }
        let cap = cap.unwrap_or(f64::INFINITY);

        // Legend: runners by their last gap.
        let last_gap = |pts: &[(f64, f64)]| pts.iter().rev().find(|p| ok(p)).map(|p| p.1);
        let mut order: Vec<usize> = (0..self.runners.len()).collect();
        order.sort_by(|&a, &b| {
            let (ga, gb) = (last_gap(&self.runners[a].1), last_gap(&self.runners[b].1));
            match (ga, gb) {
                (Some(x), Some(y)) => x.total_cmp(&y).then(a.cmp(&b)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(&b),
            }
        });
        let gap_dec = if g_ext.1 - g_ext.0.min(0.0) < 10.0 {
            2
        } else {
            1
        };
        let mut items: Vec<LegendItem> = order
            .iter()
            .map(|&i| {
                let (name, pts) = &self.runners[i];
                let label = match last_gap(pts) {
                    Some(g) if g.abs() < 0.5 * 10f64.powi(-(gap_dec as i32)) => {
                        format!("{name}  {}", fmt_num(0.0, gap_dec))
                    }
                    Some(g) if g > 0.0 => format!("{name}  +{}", fmt_num(g, gap_dec)),
                    Some(g) => format!("{name}  {}", fmt_num(g, gap_dec)),
                    None => name.clone(),
                };
                LegendItem {
                    label,
                    swatch: Swatch::Line {
                        color: runner_color(i),
                        width: 3,
                        band: false,
                        marker: Some(runner_marker(i)),
                        dashed: false,
                    },
                }
            })
            .collect();
        for (k, r) in self.references.iter().enumerate() {
            items.push(LegendItem {
                label: r.name.clone(),
                swatch: Swatch::Points {
                    color: ref_color(r.runner),
                    marker: ref_marker(k),
                },
            });
        }
        let legend_title = "At the finish (s behind)";
        let (legend_x, _) =
            legend_right(root, frame, (top, h - 30), (230, 380), legend_title, &items)?;

        // Axes. y = −gap, so "behind" is down.
        let (x0, x1) = pad_range(x_ext, 0.01, 50.0);
        let max_x_ticks = if frame.is_narrow() { 8 } else { 17 };
        let x_ticks = ticks(x0, x1, distance_step(x1 - x0, max_x_ticks));
        let lo_gap = g_ext.0.min(0.0);
        let span = (g_ext.1 - lo_gap).max(0.2);
        let (y0, y1) = (-(g_ext.1 + span * 0.04), -lo_gap + span * 0.03);
        let y_step = decimal_step(y1 - y0, 10);
        let y_dec = decimals_for(y_step);
        let y_ticks = ticks(y0, y1, y_step);
        let x_fmt = |v: &f64| fmt_num(*v, 0);
        let y_fmt = move |v: &f64| fmt_num(-*v, y_dec);
        let y_desc = if self.y_label.trim().is_empty() {
            "Gap behind leader (s)"
        } else {
            self.y_label.trim()
        };

        // Marks: labels above the plot, staggered when they would overlap.
        let area_w = (legend_x - 24).max(100);
        let left = y_label_room(root, &y_ticks, &y_fmt);
        let right_margin = 12;
        let (px0, px1) = (left, area_w - right_margin);
        let to_px = |x: f64| px0 as f64 + (x - x0) / (x1 - x0) * (px1 - px0) as f64;
        let mark_style = anchored(text(17.0, MUTED), HPos::Center, VPos::Bottom);
        let mut marks: Vec<(f64, &str)> = self
            .marks
            .iter()
            .filter(|m| m.0.is_finite() && m.0 >= x0 && m.0 <= x1)
            .map(|m| (m.0, m.1.as_str()))
            .collect();
        marks.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut level_end = [i32::MIN; 3];
        let mut placed = Vec::new();
        for (x, label) in &marks {
            let half = text_width(root, label, &mark_style) / 2;
            let px = (to_px(*x) as i32).clamp(px0 + half, (px1 - half).max(px0 + half));
            let level = (0..3).find(|&l| level_end[l] < px - half - 8).unwrap_or(2);
            level_end[level] = px + half;
            placed.push((*x, *label, px, level));
        }
        let levels = placed.iter().map(|p| p.3 + 1).max().unwrap_or(0) as i32;
        let mark_top = 8 + levels * 24;

        let area = plot_area(root, top, area_w, h);
        let mut chart = chart_on(
            &area,
            &Axis::new((x0, x1), x_ticks, &x_fmt, "Distance (m)"),
            &Axis::new((y0, y1), y_ticks, &y_fmt, y_desc),
            left,
            72,
            (mark_top, right_margin),
        )?;

        for (x, label, px, level) in &placed {
            chart.draw_series(DashedLineSeries::new(
                [(*x, y0), (*x, y1)],
                8,
                6,
                AXIS.stroke_width(1),
            ))?;
            let (_, py) = chart.backend_coord(&(*x, y1));
            put(root, label, &mark_style, (*px, py - 6 - *level as i32 * 24))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x0, 0.0), (x1, 0.0)],
            AXIS.stroke_width(1),
        )))?;

        for (i, (_, pts)) in self.runners.iter().enumerate() {
            let color = runner_color(i);
            let dense = pts.len() > 30;
            let width = if dense { 2 } else { 3 };
            for run in runs(pts, ok) {
                for part in clip_below(run, cap) {
                    chart.draw_series(LineSeries::new(
                        part.iter().map(|&(x, g)| (x, -g)),
                        color.stroke_width(width),
                    ))?;
                }
            }
        }
        // Markers tell runners apart beyond colour: at every point of a sparse series, at about
        // 15 evenly spaced points of a dense trace (staggered per runner so they do not pile up).
        for (i, (_, pts)) in self.runners.iter().enumerate() {
            let every = pts.len().div_ceil(15).max(1);
            let offset = if every > 1 { (i * 3) % every } else { 0 };
            for p in pts
                .iter()
                .skip(offset)
                .step_by(every)
                .filter(|p| ok(p) && p.1 <= cap)
            {
                let at = chart.backend_coord(&(p.0, -p.1));
                marker(root, at, runner_marker(i), runner_color(i), 4)?;
            }
        }
        for (k, r) in self.references.iter().enumerate() {
            let color = ref_color(r.runner);
            for run in runs(&r.points, ok) {
                for part in clip_below(run, cap) {
                    let pts = part.iter().map(|&(x, g)| (x, -g));
                    if r.style == super::RefStyle::Plan {
                        chart.draw_series(DashedLineSeries::new(
                            pts,
                            10,
                            6,
                            color.stroke_width(2),
                        ))?;
                    } else {
                        chart.draw_series(LineSeries::new(pts, color.stroke_width(2)))?;
                    }
                }
            }
            for p in r.points.iter().filter(|p| ok(p) && p.1 <= cap) {
                let at = chart.backend_coord(&(p.0, -p.1));
                ring_marker(root, at, ref_marker(k), color, 7)?;
            }
        }
        if frame.is_narrow() {
            return legend_below(root, frame, h + 4, legend_title, &items, &[]);
        }
        Ok(h)
    }
}

/// The parts of a polyline with gap ≤ `cap`, cut where it crosses the cap.
fn clip_below(run: &[(f64, f64)], cap: f64) -> Vec<Vec<(f64, f64)>> {
    if run.iter().all(|p| p.1 <= cap) {
        return vec![run.to_vec()];
    }
    let mut parts = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let cross = |a: (f64, f64), b: (f64, f64)| {
        let f = (cap - a.1) / (b.1 - a.1);
        (a.0 + f * (b.0 - a.0), cap)
    };
    for (k, &p) in run.iter().enumerate() {
        let prev = k.checked_sub(1).map(|j| run[j]);
        match (prev, p.1 <= cap) {
            (_, true) => {
                if let Some(a) = prev.filter(|a| a.1 > cap) {
                    cur.push(cross(a, p));
                }
                cur.push(p);
            }
            (Some(a), false) if a.1 <= cap => {
                cur.push(cross(a, p));
                parts.push(std::mem::take(&mut cur));
            }
            _ => {}
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// Black, or the named runner's colour.
fn ref_color(runner: Option<usize>) -> RGBColor {
    runner.map_or(super::common::INK, runner_color)
}

fn ref_marker(k: usize) -> super::palette::Marker {
    use super::palette::Marker;
    [
        Marker::Circle,
        Marker::Square,
        Marker::Diamond,
        Marker::Triangle,
    ][k % 4]
}

#[cfg(test)]
mod tests {
    use super::clip_below;

    #[test]
    fn lines_are_cut_at_the_cap() {
        let run = [(0.0, 0.0), (10.0, 4.0), (20.0, 8.0), (30.0, 2.0)];
        let parts = clip_below(&run, 6.0);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], vec![(0.0, 0.0), (10.0, 4.0), (15.0, 6.0)]);
        assert_eq!(parts[1][0], (20.0 + 10.0 / 3.0, 6.0));
        assert_eq!(clip_below(&run, 10.0), vec![run.to_vec()]);
    }
}
