//! g. Gaps behind the winner: how tightly the field finishes, place by place.

use plotters::prelude::*;

use super::axis::{decimal_step, decimals_for, fmt_num, ticks};

use super::common::{
    Axis, LegendItem, Page, Swatch, legend_below, legend_right, no_data, plot_area, value_chart,
};
use super::output::{Chart, render};
use super::palette::Marker;
use super::{ChartBytes, GapChartData, PlotError};

/// Draw the gaps behind the winner of `data` as a PNG and an SVG, in memory.
///
/// One column per place from 2nd down: the simulated 5–95 %, 10–90 % and 25–75 % bands of that
/// place's gap behind the winner (the order statistic, whoever takes the place), the median as
/// a bar across, and the real race's gap as a black dot when given.
///
/// # Errors
/// [`PlotError::Draw`] if plotters fails.
pub fn gap_chart(data: &GapChartData) -> Result<ChartBytes, PlotError> {
    render(data)
}

const BAND: RGBColor = RGBColor(0x4e, 0x79, 0xa7);
const REAL: RGBColor = RGBColor(0x11, 0x11, 0x11);

impl Chart for GapChartData {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError> {
        let (root, frame, top) = page.headed(&self.title, &self.subtitle, "")?;
        let h = frame.h;
        let bands: Vec<_> = self
            .places
            .iter()
            .filter(|b| b.place >= 2 && b.q.iter().all(|x| x.is_finite()))
            .collect();
        if bands.is_empty() {
            return no_data(root, frame, top, "No places behind the winner");
        }
        let last = bands.iter().map(|b| b.place).max().unwrap_or(2) as f64;
        let y_max = bands
            .iter()
            .map(|b| b.q[6])
            .chain(self.real.iter().map(|r| r.1))
            .filter(|x| x.is_finite())
            .fold(0.5, f64::max)
            * 1.06;
        let y_step = decimal_step(y_max, 8);
        let y_ticks = ticks(0.0, y_max, y_step);
        let y_dec = decimals_for(y_step);
        let y_fmt = move |v: &f64| fmt_num(*v, y_dec);
        let x_fmt = |v: &f64| fmt_num(*v, 0);
        let x_step = match (frame.is_narrow(), last) {
            (false, l) if l <= 16.0 => 1.0,
            (false, _) => 2.0,
            (true, l) => (l / 12.0).ceil().max(1.0),
        };

        let mut items = vec![
            LegendItem {
                label: "Simulated 5–95 %".into(),
                swatch: Swatch::Fill {
                    color: BAND,
                    alpha: 0.18,
                },
            },
            LegendItem {
                label: "10–90 %".into(),
                swatch: Swatch::Fill {
                    color: BAND,
                    alpha: 0.38,
                },
            },
            LegendItem {
                label: "25–75 %".into(),
                swatch: Swatch::Fill {
                    color: BAND,
                    alpha: 0.7,
                },
            },
            LegendItem {
                label: "Median".into(),
                swatch: Swatch::Line {
                    color: REAL,
                    width: 3,
                    band: false,
                    marker: None,
                    dashed: false,
                },
            },
        ];
        if !self.real.is_empty() {
            items.push(LegendItem {
                label: self.real_label.clone(),
                swatch: Swatch::Points {
                    color: REAL,
                    marker: Marker::Circle,
                },
            });
        }
        let (legend_x, _) = legend_right(root, frame, (top, h - 30), (220, 360), "", &items)?;

        let area = plot_area(root, top, legend_x - 24, h);
        let x_ticks = ticks(2.0, last, x_step);
        let mut chart = value_chart(
            &area,
            &Axis::new((1.4, last + 0.6), x_ticks, &x_fmt, "Place").no_grid(),
            &Axis::new((0.0, y_max), y_ticks, &y_fmt, "Behind the winner (s)"),
            (8, 12),
        )?;
        let half = 0.3;
        for (lo, hi, alpha) in [(0, 6, 0.18), (1, 5, 0.38), (2, 4, 0.7)] {
            chart.draw_series(bands.iter().map(|b| {
                let x = b.place as f64;
                Rectangle::new(
                    [(x - half, b.q[lo]), (x + half, b.q[hi])],
                    BAND.mix(alpha).filled(),
                )
            }))?;
        }
        chart.draw_series(bands.iter().map(|b| {
            let x = b.place as f64;
            PathElement::new(
                vec![(x - half, b.q[3]), (x + half, b.q[3])],
                REAL.stroke_width(3),
            )
        }))?;
        chart.draw_series(
            self.real
                .iter()
                .filter(|r| r.0 >= 2 && r.1.is_finite())
                .map(|&(p, g)| Circle::new((p as f64, g.min(y_max)), 7, REAL.filled())),
        )?;
        if frame.is_narrow() {
            return legend_below(root, frame, h + 4, "", &items, &[]);
        }
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::GapBand;

    fn data(n: usize) -> GapChartData {
        GapChartData {
            title: "Paris 2024: gaps behind the winner".into(),
            subtitle: "10 000 simulated races".into(),
            places: (1..=n)
                .map(|p| {
                    let m = 0.35 * (p - 1) as f64;
                    GapBand {
                        place: p,
                        q: [0.3, 0.5, 0.75, 1.0, 1.3, 1.6, 1.8].map(|f| f * m),
                    }
                })
                .collect(),
            real: vec![(2, 0.14), (3, 0.15), (4, 0.59), (12, 5.2)],
            real_label: "Paris 2024 (actual)".into(),
        }
    }

    #[test]
    fn draws_the_bands_and_the_real_gaps() {
        let c = gap_chart(&data(12)).unwrap();
        assert_eq!(&c.png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(c.png.len() > 20_000, "{} bytes", c.png.len());
        for s in [
            "Paris 2024 (actual)",
            "25–75 %",
            "Behind the winner (s)",
            "Place",
        ] {
            assert!(c.svg.contains(s), "the SVG lacks {s}");
        }
        // without a real race, no legend entry for it
        let mut d = data(12);
        d.real.clear();
        assert!(!gap_chart(&d).unwrap().svg.contains("(actual)"));
    }

    #[test]
    fn degenerate_inputs_give_charts_not_panics() {
        // a time trial (one place), NaN quantiles, a gap off the scale
        let mut d = data(1);
        assert!(gap_chart(&d).unwrap().svg.contains("No places"));
        d = data(3);
        d.places[1].q[2] = f64::NAN;
        d.real.push((3, f64::INFINITY));
        gap_chart(&d).unwrap();
    }
}
