//! Charts for reports: split charts, finish-time ridgelines, race progression, win/podium
//! probabilities, PIT histograms, paired differences and parameter sweeps.
//!
//! This module knows nothing about the simulation engine. Each chart takes a plain input struct
//! defined here (the report room fills it) and draws the chart as a PNG (1400×900 px) and an
//! SVG, and once more for a phone as a narrow SVG ([`NARROW_WIDTH`] wide, as tall as it needs,
//! legend and notes below the plot), returned in memory as [`ChartBytes`]. That is the only way a chart becomes bytes:
//! writing them, with every other output file and never half-written, is the report room's
//! (`report::OutputSet`), and `report.html` inlines the SVG.
//!
//! # Conventions
//! - Times are seconds (`f64`); tick labels and printed values are `m:ss` / `ss.s` (see
//!   [`crate::base::units::fmt_time`]). Distances are metres.
//! - **Colours follow input order.** Runner `i` of any input vector gets [`runner_color`]`(i)`,
//!   so pass runners in the same (canonical) order to every chart — e.g. the scenario's order —
//!   and let the charts sort for display themselves (the finish and probability charts do).
//! - Nothing here panics on odd data: empty inputs, NaN or infinite values, a single runner,
//!   100 runners and zero-width ranges all give a chart (possibly saying "No data"). Non-finite
//!   values are skipped; lines break where they occur.
//! - Text is drawn with DejaVu Sans embedded in the binary (`assets/fonts/`), registered with
//!   plotters' `ab_glyph` renderer: no system fonts or fontconfig are needed. The SVG files name
//!   the `sans-serif` family, so a browser uses its own sans-serif font for them.
//! - PNGs are drawn at twice the size and averaged down, since plotters' bitmap rasteriser does
//!   not anti-alias lines and shapes (see `supersample.rs`).
//!
//! # Adding a chart
//! An input struct here, a file that implements the private `Chart` trait's `draw` for it on any
//! plotters backend and in both layouts of its `common::Frame` (wide: legend beside the plot;
//! narrow: `common::legend_below`), and a `pub fn` that calls `output::render`; the report room
//! fills the struct and queues the bytes. `draw` opens its `common::Page` with `Page::headed`
//! (the title block); `common` also places the wide legend (`legend_right`), the plot area
//! (`plot_area`) and a value plot with its axes and mesh (`value_chart`, `Axis::new`).
//!
//! # Example
//! ```
//! use racesim::plot::{pit_chart, PitData};
//! let data = PitData {
//!     title: "Calibration: PIT of real finish times".into(),
//!     counts: vec![12, 9, 11, 10, 8, 13, 10, 9, 11, 7],
//!     ..Default::default()
//! };
//! let chart = pit_chart(&data)?;
//! assert!(chart.png.starts_with(b"\x89PNG") && chart.svg.starts_with("<svg"));
//! # Ok::<(), racesim::plot::PlotError>(())
//! ```

mod axis;
mod common;
mod diff;
mod finish;
mod font;
mod gaps;
mod output;
mod palette;
mod pit;
mod probability;
mod progression;
mod split;
mod supersample;
mod sweep;
#[cfg(test)]
mod testdata;

pub use diff::diff_chart;
pub use finish::finish_distribution_chart;
pub use gaps::gap_chart;
pub use output::{CHART_SIZE, NARROW_WIDTH};
pub use palette::{PALETTE, runner_color};
pub use pit::pit_chart;
pub use probability::probability_chart;
pub use progression::progression_chart;
pub use split::split_chart;
pub use sweep::{heatmap_chart, sweep_line_chart};

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// plotters reported an error while drawing (its error types are generic over the backend,
    /// so the message is kept as text).
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The embedded font could not be loaded (should never happen: it is compiled in).
    #[error("the embedded chart font could not be loaded: {0}")]
    Font(String),
}

/// A chart rendered in memory, for callers that queue files and write them all at once (see
/// `crate::report::OutputSet`) or inline the SVG in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartBytes {
    /// The complete PNG file, [`CHART_SIZE`] pixels.
    pub png: Vec<u8>,
    /// The SVG document: a self-contained `<svg>` element.
    pub svg: String,
    /// The same chart drawn for a phone: an SVG [`NARROW_WIDTH`] units wide and as tall as it
    /// needs, the legend and notes below the plot instead of beside it, so that at a phone's
    /// width its text is as large as the wide chart's on a laptop.
    pub narrow_svg: String,
}

/// How to print the values of a generic numeric axis or cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueFormat {
    /// Plain numbers (`12.5`).
    #[default]
    Plain,
    /// Values are seconds, printed `m:ss` / `ss.s`.
    Time,
}

// ---------------------------------------------------------------------------------------------
// a. Split chart
// ---------------------------------------------------------------------------------------------

/// One segment of a runner's split band: where the segment ends and its time quantiles.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BandPoint {
    /// Distance at the end of the segment (m).
    pub x_m: f64,
    /// 10 % quantile of the segment time (s) (the chart's note calls the band "10–90 %").
    pub lo: f64,
    /// Median segment time (s).
    pub mid: f64,
    /// 90 % quantile of the segment time (s).
    pub hi: f64,
}

/// A runner's split band over the race.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunnerBands {
    /// Runner's name as printed in the legend.
    pub name: String,
    /// One point per segment, in distance order.
    pub points: Vec<BandPoint>,
    /// Draw only the median line, no 10–90 % band: in a big field only the runners that
    /// matter get a band, or the bands merge into a smear (issue 12).
    pub line_only: bool,
}

/// How a reference series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefStyle {
    /// A plan (e.g. the pacers' schedule): dashed line.
    #[default]
    Plan,
    /// Observed splits of a real race: solid thin line with filled points.
    Actual,
    /// Observed splits over segments of uneven length: each value is drawn as a horizontal bar
    /// over its segment, from the previous point's distance (the first from 0 m) to its own,
    /// with a point at the end. Honest for sparse data (three leader splits in a two-mile).
    Steps,
}

/// A reference series on the split chart (not a simulated runner).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RefSeries {
    /// Legend text, e.g. "Pacer plan" or "Kerr, Budapest 2023 (actual)".
    pub name: String,
    /// `(x_m, segment time (s))`, in distance order.
    pub points: Vec<(f64, f64)>,
    /// Dashed plan or points-and-line actual.
    pub style: RefStyle,
    /// `None`: drawn in black. `Some(i)`: drawn in the colour of `runners[i]` (e.g. that runner's
    /// real splits).
    pub runner: Option<usize>,
}

/// Input of [`split_chart`]: per-segment times over distance, one band per runner.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SplitChartData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty), e.g. "10 000 simulated races".
    pub subtitle: String,
    /// X axis label; empty gives "Distance (m)".
    pub x_label: String,
    /// What one segment is, for the y axis label: "lap" or "200 m".
    pub segment_label: String,
    /// The simulated runners (colour = index).
    pub runners: Vec<RunnerBands>,
    /// Reference series drawn on top (plan, actual splits).
    pub references: Vec<RefSeries>,
    /// The order of `runners` in the legend (indices), e.g. by median finish time; empty: as
    /// given. Colours stay by index, so a runner keeps his colour on every chart.
    pub legend_order: Vec<usize>,
}

// ---------------------------------------------------------------------------------------------
// b. Finish-time distributions
// ---------------------------------------------------------------------------------------------

/// One runner's finish-time distribution.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FinishRow {
    /// Runner's name.
    pub name: String,
    /// Win probability in percent (0–100), printed beside the row.
    pub win_pct: f64,
    /// Median finish time (s); rows are sorted by it and it is marked on the curve.
    pub median_s: f64,
    /// Histogram `(bin centre (s), count)`, equally spaced bins in time order. Counts may be any
    /// non-negative weights; each row is normalised to a density.
    pub bins: Vec<(f64, f64)>,
}

/// Input of [`finish_distribution_chart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FinishDistData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// One row per runner (colour = index; the chart sorts by median itself).
    pub rows: Vec<FinishRow>,
}

// ---------------------------------------------------------------------------------------------
// c. Race progression
// ---------------------------------------------------------------------------------------------

/// Input of [`progression_chart`]: gap behind the leader against distance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgressionData {
    /// Chart title, e.g. "Median race" or "Sampled race #4711".
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// Y axis label; empty gives "Gap behind leader (s)".
    pub y_label: String,
    /// `(name, [(x_m, gap (s) ≥ 0)])` per runner (colour = index), points in distance order.
    pub runners: Vec<(String, Vec<(f64, f64)>)>,
    /// Vertical markers `(x_m, label)`, e.g. `(1100.0, "bell")`, `(800.0, "pacer off")`.
    pub marks: Vec<(f64, String)>,
    /// Largest gap shown (s): lines beyond it leave the chart at the bottom edge, so one runner
    /// far behind does not squash the others. `None`: fit every gap. The legend still gives
    /// every runner's real final gap.
    pub max_gap_s: Option<f64>,
    /// Other series drawn over the runners, e.g. a real race's gaps (`points` are
    /// `(x_m, gap (s))`): a thinner line with ring markers, in the colour of `runners[i]` when
    /// `runner` is `Some(i)`, else black; listed after the runners in the legend.
    pub references: Vec<RefSeries>,
}

// ---------------------------------------------------------------------------------------------
// d. Win / podium probabilities
// ---------------------------------------------------------------------------------------------

/// One runner's win and podium probabilities with interval bounds, all as fractions in [0, 1].
///
/// A NaN bound draws no error bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProbRow {
    /// Runner's name.
    pub name: String,
    /// P(win).
    pub win: f64,
    /// Lower bound of P(win) (e.g. p − 1.96 SE, or a Wilson bound).
    pub win_lo: f64,
    /// Upper bound of P(win).
    pub win_hi: f64,
    /// P(top 3).
    pub podium: f64,
    /// Lower bound of P(top 3).
    pub podium_lo: f64,
    /// Upper bound of P(top 3).
    pub podium_hi: f64,
}

/// Input of [`probability_chart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProbabilityData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// One row per runner (colour = index; the chart sorts by P(win) itself).
    pub rows: Vec<ProbRow>,
}

// ---------------------------------------------------------------------------------------------
// e. PIT histogram
// ---------------------------------------------------------------------------------------------

/// Input of [`pit_chart`]: counts of probability-integral-transform values in equal bins of [0, 1].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PitData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// Count per bin; bin `k` of `n` covers `[k/n, (k+1)/n)`.
    pub counts: Vec<u64>,
}

// ---------------------------------------------------------------------------------------------
// g. Gaps behind the winner
// ---------------------------------------------------------------------------------------------

/// One place's simulated gap behind the winner.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GapBand {
    /// The place, 1-based (place 1 is not drawn: its gap is 0).
    pub place: usize,
    /// Quantiles of the gap [s]: 5, 10, 25, 50, 75, 90, 95 %.
    pub q: [f64; 7],
}

/// Input of [`gap_chart`]: the order statistics of the finish, as gaps behind the winner.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GapChartData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// One band per place.
    pub places: Vec<GapBand>,
    /// The real race's gaps `(place, seconds behind the winner)` (empty: none drawn).
    pub real: Vec<(usize, f64)>,
    /// Legend text of the real gaps, e.g. "Paris 2024 (actual)".
    pub real_label: String,
}

// ---------------------------------------------------------------------------------------------
// f. Paired differences
// ---------------------------------------------------------------------------------------------

/// One paired difference with its confidence interval.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffRow {
    /// Row label, e.g. "Kerr · finish time" or "Kerr · P(win)".
    pub label: String,
    /// Mean difference.
    pub mean: f64,
    /// Lower CI bound.
    pub lo: f64,
    /// Upper CI bound.
    pub hi: f64,
}

/// Input of [`diff_chart`]: point estimates with CI bars around a zero line, rows top to bottom
/// in the given order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// X axis label with unit, e.g. "Variant B − variant A, finish time (s)".
    pub x_label: String,
    /// The differences.
    pub rows: Vec<DiffRow>,
}

// ---------------------------------------------------------------------------------------------
// g. Sweeps
// ---------------------------------------------------------------------------------------------

/// One point of a sweep series: `(x, mid, lo, hi)` — parameter value, metric, and the bounds of
/// its confidence interval.
pub type SweepPoint = (f64, f64, f64, f64);

/// Input of [`sweep_line_chart`]: a metric (with CI band) against one parameter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SweepLineData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// X axis label with unit.
    pub x_label: String,
    /// Y axis label with unit.
    pub y_label: String,
    /// How y values are printed.
    pub y_format: ValueFormat,
    /// `(name, points)` per series (colour = index), points in x order.
    pub series: Vec<(String, Vec<SweepPoint>)>,
}

/// Input of [`heatmap_chart`]: a metric over a grid of two parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeatmapData {
    /// Chart title.
    pub title: String,
    /// Smaller line under the title (may be empty).
    pub subtitle: String,
    /// X axis label with unit.
    pub x_label: String,
    /// Y axis label with unit.
    pub y_label: String,
    /// Parameter values along x (cell centres).
    pub xs: Vec<f64>,
    /// Parameter values along y (cell centres), drawn bottom to top.
    pub ys: Vec<f64>,
    /// `values[j][i]` is the value at `(xs[i], ys[j])`; missing or NaN cells are drawn grey.
    pub values: Vec<Vec<f64>>,
    /// What the colour means, with unit (colour-scale label).
    pub value_label: String,
    /// How values are printed in cells and on the colour scale.
    pub value_format: ValueFormat,
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use super::testdata as td;
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("racesim-plot-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    /// Write a chart's bytes as `<dir>/<stem>.png` and `.svg` (for a person, or a parent process,
    /// to look at).
    fn save(c: &ChartBytes, dir: &Path, stem: &str) {
        fs::write(dir.join(format!("{stem}.png")), &c.png).unwrap();
        fs::write(dir.join(format!("{stem}.svg")), &c.svg).unwrap();
        fs::write(dir.join(format!("{stem}-narrow.svg")), &c.narrow_svg).unwrap();
    }

    /// The PNG's (width, height), after checking its signature and IHDR chunk.
    fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert!(bytes.len() > 24, "PNG too short");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
        assert_eq!(&bytes[12..16], b"IHDR");
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&bytes[16..20]), be(&bytes[20..24]))
    }

    /// Check both images of a chart and that the SVG names every one of `names`.
    fn check(c: &ChartBytes, names: &[String]) {
        assert_eq!(png_size(&c.png), CHART_SIZE);
        assert!(
            c.png.len() > 20_000,
            "the PNG is only {} bytes",
            c.png.len()
        );
        assert!(c.svg.starts_with("<svg"), "not an SVG");
        assert!(c.svg.trim_end().ends_with("</svg>"), "SVG not closed");
        for n in names {
            assert!(c.svg.contains(n.as_str()), "the SVG lacks {n}");
            assert!(
                c.narrow_svg.contains(n.as_str()),
                "the narrow SVG lacks {n}"
            );
        }
        let head = format!("<svg width=\"{NARROW_WIDTH}\" ");
        assert!(c.narrow_svg.starts_with(&head), "not a narrow SVG");
        assert!(
            c.narrow_svg.trim_end().ends_with("</svg>"),
            "narrow SVG not closed"
        );
    }

    /// Every chart with realistic 12-runner data, with its stem and the names it must show.
    fn render_all() -> Vec<(&'static str, ChartBytes, Vec<String>)> {
        let names = td::names(12);
        let diff = td::diff();
        let sweep = td::sweep();
        vec![
            ("split", split_chart(&td::split(12)).unwrap(), names.clone()),
            (
                "finish",
                finish_distribution_chart(&td::finish(12)).unwrap(),
                names.clone(),
            ),
            (
                "progression_median",
                progression_chart(&td::progression(12, false)).unwrap(),
                names.clone(),
            ),
            (
                "progression_sample",
                progression_chart(&td::progression(12, true)).unwrap(),
                names.clone(),
            ),
            (
                "probability",
                probability_chart(&td::probability(12)).unwrap(),
                names,
            ),
            (
                "pit",
                pit_chart(&td::pit()).unwrap(),
                vec!["Calibration".into()],
            ),
            (
                "diff",
                diff_chart(&diff).unwrap(),
                diff.rows.iter().map(|r| r.label.clone()).collect(),
            ),
            (
                "sweep",
                sweep_line_chart(&sweep).unwrap(),
                sweep.series.iter().map(|s| s.0.clone()).collect(),
            ),
            (
                "heatmap",
                heatmap_chart(&td::heatmap()).unwrap(),
                vec!["Josh Kerr".into()],
            ),
        ]
    }

    #[test]
    fn every_chart_draws_png_and_svg_with_all_names() {
        let all = render_all();
        for (_, c, names) in &all {
            check(c, names);
        }
        // Non-ASCII names survive into the SVG as text (escaping only touches markup).
        let svg = &all[0].1.svg;
        assert!(svg.contains("Narve Gilje Nordås") && svg.contains("Håkon Sørbø"));
        // The same data draws the same bytes (the golden check of a refactor relies on it).
        assert_eq!(split_chart(&td::split(12)).unwrap(), all[0].1);
    }

    /// Every `<text>` of an SVG as `(x, y, content)` (plotters writes the content on its own
    /// line).
    fn texts(svg: &str) -> Vec<(f64, f64, String)> {
        let num = |el: &str, key: &str| -> f64 {
            let key = format!(" {key}=\"");
            let at = el.find(&key).map(|i| i + key.len()).unwrap();
            el[at..].split('"').next().unwrap().parse().unwrap()
        };
        svg.split("<text")
            .skip(1)
            .map(|el| {
                let body = &el[el.find('>').unwrap() + 1..el.find("</text>").unwrap()];
                (num(el, "x"), num(el, "y"), body.trim().to_string())
            })
            .collect()
    }

    /// The `(width, height)` an SVG declares, after checking that its viewBox is the same.
    fn svg_size(svg: &str) -> (f64, f64) {
        let tag = &svg[..svg.find('>').unwrap()];
        let attr = |key: &str| -> &str {
            let key = format!(" {key}=\"");
            let at = tag.find(&key).map(|i| i + key.len()).unwrap();
            tag[at..].split('"').next().unwrap()
        };
        let (w, h): (f64, f64) = (
            attr("width").parse().unwrap(),
            attr("height").parse().unwrap(),
        );
        assert_eq!(attr("viewBox"), format!("0 0 {w} {h}"));
        (w, h)
    }

    /// Issue 12 (a phone): the narrow drawing is [`NARROW_WIDTH`] wide with a matching viewBox,
    /// its legend lies below the plot (every legend label lower than the x axis description,
    /// the lowest text of the plot), and nothing is cut off at the bottom; the wide drawing
    /// keeps its legend to the right of the plot.
    #[test]
    fn narrow_drawings_put_the_legend_below_the_plot() {
        let names = td::names(12);
        let sweep = td::sweep();
        let cases: Vec<(&str, ChartBytes, Vec<String>, &str)> = vec![
            (
                "split",
                split_chart(&td::split(12)).unwrap(),
                names.clone(),
                "Distance (m)",
            ),
            (
                "progression",
                progression_chart(&td::progression(12, true)).unwrap(),
                names.clone(),
                "Distance (m)",
            ),
            (
                "pit",
                pit_chart(&td::pit()).unwrap(),
                vec!["Expected if calibrated".into()],
                "PIT value (see below)",
            ),
            (
                "sweep",
                sweep_line_chart(&sweep).unwrap(),
                sweep.series.iter().map(|s| s.0.clone()).collect(),
                sweep.x_label.as_str(),
            ),
        ];
        for (stem, chart, labels, x_desc) in &cases {
            let (w, h) = svg_size(&chart.narrow_svg);
            assert_eq!(w, f64::from(NARROW_WIDTH), "{stem}");
            let all = texts(&chart.narrow_svg);
            let desc_y = all.iter().find(|t| t.2 == *x_desc).expect(x_desc).1;
            for label in labels {
                let (x, y, _) = all
                    .iter()
                    .find(|t| t.2.starts_with(label.as_str()))
                    .unwrap_or_else(|| panic!("{stem}: no legend label {label}"));
                assert!(
                    *y > desc_y + 10.0,
                    "{stem}: {label} at y {y}, axis at {desc_y}"
                );
                assert!(*x >= 0.0 && *x < w - 60.0, "{stem}: {label} at x {x}");
            }
            let lowest = all.iter().map(|t| t.1).fold(0.0, f64::max);
            assert!(
                lowest < h && lowest > h - 80.0,
                "{stem}: text down to {lowest}, {h} tall"
            );
            // The wide drawing: the legend right of the plot, level with it.
            let wide = texts(&chart.svg);
            // (the PIT chart's wide axis says more: match the start)
            let desc_y = wide
                .iter()
                .find(|t| t.2.starts_with(&x_desc[..9]))
                .unwrap()
                .1;
            for label in labels {
                let (x, y, _) = wide
                    .iter()
                    .find(|t| t.2.starts_with(label.as_str()))
                    .unwrap();
                assert!(
                    *x > 900.0 && *y < desc_y,
                    "{stem}: wide legend {label} at ({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn degenerate_inputs_give_charts_not_panics() {
        let nan = f64::NAN;
        let inf = f64::INFINITY;
        let mut drawn: Vec<ChartBytes> = Vec::new();

        // Split chart.
        let mut one = td::split(1);
        one.references.clear();
        let mut twenty = td::split(20);
        twenty.title = "x".repeat(300);
        let mut hundred = td::split(100);
        hundred.runners[0].name =
            "A very long name that goes on and on and on and on and on".into();
        let mut odd = td::split(3);
        odd.runners[0].points[2].mid = nan;
        odd.runners[1].points[0] = BandPoint {
            x_m: inf,
            lo: nan,
            mid: 1e300,
            hi: -inf,
        };
        odd.runners[2].points.truncate(1);
        odd.references[0].points.push((nan, nan));
        odd.references[1].runner = Some(1000);
        let mut huge = td::split(2);
        huge.runners[0].points[1].mid = 1e300;
        huge.runners[1].points[1].hi = f64::MAX;
        let flat = SplitChartData {
            runners: vec![RunnerBands {
                name: "Flat".into(),
                points: vec![
                    BandPoint {
                        x_m: 400.0,
                        lo: 60.0,
                        mid: 60.0,
                        hi: 60.0
                    };
                    3
                ],
                line_only: false,
            }],
            ..Default::default()
        };
        let no_points = SplitChartData {
            runners: vec![RunnerBands {
                name: "Nobody".into(),
                points: vec![],
                line_only: false,
            }],
            ..Default::default()
        };
        for d in [
            SplitChartData::default(),
            one,
            twenty,
            hundred,
            odd,
            huge,
            flat,
            no_points,
        ] {
            drawn.push(split_chart(&d).unwrap());
        }

        // Finish distributions.
        let mut odd = td::finish(4);
        odd.rows[0].bins.clear();
        odd.rows[1].median_s = nan;
        odd.rows[2].bins = vec![(nan, 5.0), (210.0, -3.0), (211.0, inf)];
        odd.rows[3].win_pct = nan;
        let single_bin = FinishDistData {
            rows: vec![FinishRow {
                name: "One bin".into(),
                win_pct: 100.0,
                median_s: 210.0,
                bins: vec![(210.0, 10.0)],
            }],
            ..Default::default()
        };
        let zero_counts = FinishDistData {
            rows: vec![FinishRow {
                name: "Zero".into(),
                win_pct: 0.0,
                median_s: nan,
                bins: vec![(210.0, 0.0), (211.0, 0.0)],
            }],
            ..Default::default()
        };
        for d in [
            FinishDistData::default(),
            td::finish(1),
            td::finish(20),
            td::finish(100),
            odd,
            single_bin,
            zero_counts,
        ] {
            drawn.push(finish_distribution_chart(&d).unwrap());
        }

        // Progression.
        let mut odd = td::progression(3, false);
        odd.runners[0].1.clear();
        odd.runners[1].1[3].1 = nan;
        odd.marks = vec![
            (nan, "nan".into()),
            (1e9, "far".into()),
            (1100.0, "a".into()),
            (1101.0, "b".into()),
            (1102.0, "c".into()),
            (1103.0, "d".into()),
        ];
        let all_zero = ProgressionData {
            runners: vec![("Alone".into(), vec![(0.0, 0.0), (1500.0, 0.0)])],
            ..Default::default()
        };
        let single_point = ProgressionData {
            runners: vec![("Point".into(), vec![(700.0, 1.0)])],
            ..Default::default()
        };
        for d in [
            ProgressionData::default(),
            td::progression(1, true),
            td::progression(20, true),
            td::progression(100, false),
            odd,
            all_zero,
            single_point,
        ] {
            drawn.push(progression_chart(&d).unwrap());
        }

        // Probabilities.
        let mut odd = td::probability(4);
        odd.rows[0].win = nan;
        odd.rows[1].win_lo = nan;
        odd.rows[2].podium_hi = 7.0;
        odd.rows[3] = ProbRow {
            name: "Neg".into(),
            win: -0.5,
            win_lo: 0.3,
            win_hi: 0.1,
            ..Default::default()
        };
        let zeros = ProbabilityData {
            rows: vec![ProbRow {
                name: "Zero".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        for d in [
            ProbabilityData::default(),
            td::probability(1),
            td::probability(20),
            td::probability(100),
            odd,
            zeros,
        ] {
            drawn.push(probability_chart(&d).unwrap());
        }

        // PIT.
        for counts in [
            vec![],
            vec![0],
            vec![0; 10],
            vec![5],
            vec![u64::MAX, 1],
            (0..500).collect(),
        ] {
            drawn.push(
                pit_chart(&PitData {
                    counts,
                    ..Default::default()
                })
                .unwrap(),
            );
        }

        // Differences.
        let row = |mean, lo, hi| DiffRow {
            label: "row".into(),
            mean,
            lo,
            hi,
        };
        for rows in [
            vec![],
            vec![row(0.0, 0.0, 0.0)],
            vec![row(nan, nan, nan)],
            vec![
                row(1.0, 2.0, 0.5),
                row(inf, -inf, 3.0),
                row(1e300, -1e300, 0.0),
            ],
            (0..100)
                .map(|k| row(k as f64, k as f64 - 1.0, k as f64 + 1.0))
                .collect(),
        ] {
            drawn.push(
                diff_chart(&DiffData {
                    rows,
                    ..Default::default()
                })
                .unwrap(),
            );
        }

        // Sweeps.
        for series in [
            vec![],
            vec![("empty".to_string(), vec![])],
            vec![("one".to_string(), vec![(1.0, 2.0, 1.0, 3.0)])],
            vec![(
                "nan".to_string(),
                vec![
                    (nan, 2.0, 1.0, 3.0),
                    (2.0, nan, nan, nan),
                    (3.0, 1.0, inf, 2.0),
                ],
            )],
            vec![(
                "flat".to_string(),
                vec![(1.0, 5.0, 5.0, 5.0), (1.0, 5.0, 5.0, 5.0)],
            )],
            (0..25)
                .map(|i| {
                    (
                        format!("s{i}"),
                        vec![(0.0, i as f64, 0.0, 1.0), (1.0, 1.0, 0.0, 2.0)],
                    )
                })
                .collect(),
        ] {
            let d = SweepLineData {
                series,
                y_format: ValueFormat::Time,
                ..Default::default()
            };
            drawn.push(sweep_line_chart(&d).unwrap());
        }
        let heat = |xs: Vec<f64>, ys: Vec<f64>, values: Vec<Vec<f64>>| HeatmapData {
            xs,
            ys,
            values,
            ..Default::default()
        };
        for d in [
            HeatmapData::default(),
            heat(vec![1.0], vec![1.0], vec![vec![3.0]]),
            heat(vec![1.0, 2.0], vec![1.0, 2.0, 3.0], vec![vec![1.0]]),
            heat(vec![1.0, 2.0], vec![1.0], vec![vec![nan, nan]]),
            heat(
                vec![1.0, 1.0],
                vec![nan, 2.0],
                vec![vec![-1.0, 2.0], vec![0.0, 0.5]],
            ),
            heat(
                (0..60).map(f64::from).collect(),
                (0..40).map(f64::from).collect(),
                (0..40)
                    .map(|j| (0..60).map(|i| (i * j) as f64).collect())
                    .collect(),
            ),
        ] {
            drawn.push(heatmap_chart(&d).unwrap());
        }
        // Every chart is complete, and no non-finite number leaked into the SVG coordinates.
        assert!(drawn.len() > 40);
        for (k, c) in drawn.iter().enumerate() {
            assert_eq!(png_size(&c.png), CHART_SIZE);
            assert!(c.svg.trim_end().ends_with("</svg>"));
            assert!(
                !c.svg.contains("NaN") && !c.svg.contains("inf"),
                "chart {k}"
            );
            assert!(c.narrow_svg.trim_end().ends_with("</svg>"), "chart {k}");
            assert!(
                !c.narrow_svg.contains("NaN") && !c.narrow_svg.contains("inf"),
                "narrow chart {k}"
            );
        }
    }

    /// Renders in a child process whose fontconfig knows no fonts at all; the child also checks
    /// that neither fontconfig nor freetype was loaded into it.
    #[test]
    fn renders_without_any_system_font() {
        let dir = temp_dir("nofonts");
        let conf = dir.join("fonts.conf");
        fs::write(
            &conf,
            "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n",
        )
        .unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "plot::tests::child_renders_without_fonts",
                "--ignored",
                "--test-threads=1",
                "--nocapture",
            ])
            .env("FONTCONFIG_FILE", &conf)
            .env("FONTCONFIG_PATH", &dir)
            .env("RACESIM_PLOT_CHILD_DIR", &dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("1 passed"),
            "child test did not run:\n{stdout}"
        );
        assert!(dir.join("nofonts.png").is_file() && dir.join("nofonts.svg").is_file());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[ignore = "run by renders_without_any_system_font in a child process"]
    fn child_renders_without_fonts() {
        let Some(dir) = std::env::var_os("RACESIM_PLOT_CHILD_DIR") else {
            return;
        };
        let dir = PathBuf::from(dir);
        let chart = split_chart(&td::split(12)).unwrap();
        check(&chart, &td::names(12));
        save(&chart, &dir, "nofonts");
        #[cfg(target_os = "linux")]
        {
            let maps = fs::read_to_string("/proc/self/maps").unwrap();
            assert!(!maps.contains("libfontconfig"), "fontconfig was loaded");
            assert!(!maps.contains("libfreetype"), "freetype was loaded");
        }
    }

    /// Writes every chart with realistic data to `$RACESIM_PLOT_PREVIEW` (default
    /// `/tmp/plot-preview`) for looking at: `cargo test --lib plot::tests::preview -- --ignored`.
    #[test]
    #[ignore = "writes preview images for people to look at"]
    fn preview() {
        let dir = PathBuf::from(
            std::env::var_os("RACESIM_PLOT_PREVIEW").unwrap_or_else(|| "/tmp/plot-preview".into()),
        );
        fs::create_dir_all(&dir).unwrap();
        for (stem, c, _) in render_all() {
            save(&c, &dir, stem);
        }
        save(&split_chart(&td::split(20)).unwrap(), &dir, "split_20");
        save(
            &progression_chart(&td::progression(20, true)).unwrap(),
            &dir,
            "progression_20",
        );
        save(
            &probability_chart(&td::probability(20)).unwrap(),
            &dir,
            "probability_20",
        );
        let mut mile = td::split(12);
        mile.title = "Mile: lap splits".into();
        mile.segment_label = "lap".into();
        for (i, r) in mile.runners.iter_mut().enumerate() {
            r.points = [409.344, 809.344, 1209.344, 1609.344]
                .iter()
                .zip([56.2, 57.0, 56.1, 53.4])
                .enumerate()
                .map(|(k, (&x_m, b))| {
                    let s = 0.5 + 0.3 * k as f64;
                    let mid =
                        b + 0.08 * i as f64 * k as f64 / 3.0 + 0.1 * ((i * 7 + k * 3) % 5) as f64;
                    BandPoint {
                        x_m,
                        lo: mid - s,
                        mid,
                        hi: mid + 1.3 * s,
                    }
                })
                .collect();
        }
        mile.references = vec![RefSeries {
            name: "Pacer plan (3:45)".into(),
            points: vec![(409.344, 56.0), (809.344, 56.0)],
            style: RefStyle::Plan,
            runner: None,
        }];
        save(&split_chart(&mile).unwrap(), &dir, "split_mile");
        save(
            &split_chart(&SplitChartData::default()).unwrap(),
            &dir,
            "split_empty",
        );
        let mut one = td::split(1);
        one.references.truncate(1);
        save(&split_chart(&one).unwrap(), &dir, "split_1");
        let mut hm = td::heatmap();
        hm.values = hm
            .values
            .iter()
            .map(|r| r.iter().map(|v| v - 22.0).collect())
            .collect();
        hm.value_label = "Change in P(win) (points)".into();
        hm.values[2][3] = f64::NAN;
        save(&heatmap_chart(&hm).unwrap(), &dir, "heatmap_diverging");
    }
}
