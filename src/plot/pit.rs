//! e. PIT histogram: are real results distributed like the simulated ones predict?

use plotters::prelude::*;

use super::axis::{decimal_step, decimals_for, fmt_num, ticks};
use plotters::style::text_anchor::{HPos, VPos};

use super::common::{
    Axis, LegendItem, MUTED, Page, Swatch, anchored, legend_below, legend_right, no_data,
    plot_area, put, text, value_chart,
};
use super::output::{Chart, render};
use super::{ChartBytes, PitData, PlotError};

/// Draw the PIT histogram of `data` as a PNG and an SVG, in memory.
///
/// Bars of counts in equal bins of [0, 1], drawn over a grey band; a dashed red line at the count a calibrated model
/// gives on average (total / bins) and a grey band for its 95 % binomial range
/// (± 1.96 √(N p (1 − p)), p = 1 / bins). A U shape means the model is over-confident (real
/// results fall in its tails too often), a hump under-confident, a slope biased.
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn pit_chart(data: &PitData) -> Result<ChartBytes, PlotError> {
    render(data)
}

const BAR: RGBColor = RGBColor(0x4e, 0x79, 0xa7);
const EXPECT: RGBColor = RGBColor(0xc0, 0x1c, 0x28);
const BAND: RGBColor = RGBColor(0x90, 0x90, 0x90);

impl Chart for PitData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, "")?;
        let h = frame.h;
        let k = self.counts.len();
        if k == 0 {
            return no_data(root, frame, top, "No PIT values");
        }
        let total: f64 = self.counts.iter().map(|&c| c as f64).sum();
        let p = 1.0 / k as f64;
        let expect = total * p;
        let sd = (total * p * (1.0 - p)).sqrt();
        let (band_lo, band_hi) = ((expect - 1.96 * sd).max(0.0), expect + 1.96 * sd);
        let max = self
            .counts
            .iter()
            .map(|&c| c as f64)
            .fold(band_hi, f64::max);
        let y1 = (max * 1.12).max(1.0);
        let y_step = decimal_step(y1, 8).max(1.0);
        let y_ticks = ticks(0.0, y1, y_step);
        let y_dec = decimals_for(y_step);
        let y_fmt = move |v: &f64| fmt_num(*v, y_dec);
        let x_step = if k <= 20 { decimal_step(1.0, 10) } else { 0.2 };
        let x_fmt = |v: &f64| fmt_num(*v, 1);

        let items = [
            LegendItem {
                label: format!("Real results (n = {})", fmt_num(total, 0)),
                swatch: Swatch::Fill {
                    color: BAR,
                    alpha: 0.85,
                },
            },
            LegendItem {
                label: "Expected if calibrated".into(),
                swatch: Swatch::Line {
                    color: EXPECT,
                    width: 3,
                    band: false,
                    marker: None,
                    dashed: true,
                },
            },
            LegendItem {
                label: "95 % range if calibrated".into(),
                swatch: Swatch::Fill {
                    color: BAND,
                    alpha: 0.45,
                },
            },
        ];
        let lines = [
            "Flat: calibrated.",
            "U shape: real results fall in",
            "the simulated tails too often",
            "(simulation over-confident).",
            "Hump: under-confident.",
            "Slope: biased fast or slow.",
            "PIT near 0: the real time was",
            "faster than nearly every",
            "simulation; near 1: slower.",
        ];
        let (legend_x, bottom) = legend_right(root, frame, (top, h - 30), (220, 360), "", &items)?;
        if !frame.is_narrow() {
            let note = anchored(text(16.0, MUTED), HPos::Left, VPos::Top);
            for (k, line) in lines.iter().enumerate() {
                put(root, line, &note, (legend_x, bottom + 16 + k as i32 * 22))?;
            }
        }

        let area = plot_area(root, top, legend_x - 24, h);
        let x_desc = if frame.is_narrow() {
            "PIT value (see below)"
        } else {
            "PIT value: simulated probability of a time at most the real one"
        };
        let mut chart = value_chart(
            &area,
            &Axis::new((0.0, 1.0), ticks(0.0, 1.0, x_step), &x_fmt, x_desc).no_grid(),
            &Axis::new((0.0, y1), y_ticks, &y_fmt, "Real results (count)"),
            (8, 12),
        )?;
        // The calibrated range first, the bars over it: a bar is read whole, and where its top
        // falls against the band says whether it is within chance.
        if total > 0.0 {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, band_lo), (1.0, band_hi)],
                BAND.mix(0.3).filled(),
            )))?;
            for v in [band_lo, band_hi] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, v), (1.0, v)],
                    BAND.stroke_width(1),
                )))?;
            }
        }
        chart.draw_series(self.counts.iter().enumerate().map(|(j, &c)| {
            let (a, b) = (j as f64 * p, (j + 1) as f64 * p);
            let mut r = Rectangle::new([(a, 0.0), (b, (c as f64).min(y1))], BAR.mix(0.85).filled());
            r.set_margin(0, 0, 1, 1);
            r
        }))?;
        chart.draw_series(DashedLineSeries::new(
            [(0.0, expect), (1.0, expect)],
            12,
            7,
            EXPECT.stroke_width(3),
        ))?;
        if frame.is_narrow() {
            let note = format!(
                "PIT value: the simulated probability of a time at most the real one. {}",
                lines.join(" ")
            );
            return legend_below(root, frame, h + 4, "", &items, &[&note]);
        }
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: the bars are drawn over the calibrated band (not hidden under it), and the
    /// chart says what a PIT near 0 or 1 means.
    #[test]
    fn bars_over_the_band_and_the_ends_explained() {
        let data = PitData {
            title: "PIT".into(),
            subtitle: String::new(),
            counts: vec![9, 4, 5, 6, 5, 4, 5, 6, 4, 12],
        };
        let svg = pit_chart(&data).unwrap().svg.to_lowercase();
        let hex = |c: RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        // the legend (drawn first) has a swatch of each; in the plot, after it, the band's
        // rectangle must come before the last bar
        let band = svg
            .rfind(&format!("fill=\"{}\"", hex(BAND)))
            .expect("band drawn");
        let bar = svg
            .rfind(&format!("fill=\"{}\"", hex(BAR)))
            .expect("bars drawn");
        assert!(band < bar, "the band is painted first, the bars over it");
        assert!(svg.contains("pit near 0: the real time was"));
        assert!(svg.contains("simulation; near 1: slower."));
    }
}
