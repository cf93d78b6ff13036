//! Rendering one chart to PNG and SVG, in memory: the chart's bytes are written (with every other
//! output file) by the report room, so nothing is ever half-written.

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;

use super::common::{Frame, Page};
use super::supersample::{self, Supersample};
use super::{ChartBytes, PlotError, font};

/// Size of every wide chart in pixels (PNG) and user units (SVG): legible on a laptop.
pub const CHART_SIZE: (u32, u32) = (1400, 900);

/// Width of the narrow (phone) drawing, in SVG user units. A 390 px phone shows it about
/// 372 CSS px wide (the report's margins), a scale of 0.72. plotters writes an SVG font size
/// as the layout size / 1.24, so the 19-unit tick and legend text shows at 11 CSS px and the
/// title at 17 px (issue 12: "text about 6 px" when the wide chart was shrunk to a phone).
pub const NARROW_WIDTH: u32 = 520;

/// Tallest narrow drawing: the first (measuring) pass draws on a canvas this tall.
const NARROW_MAX_HEIGHT: u32 = 4000;

/// A chart that can draw itself on any plotters backend (the same code makes the PNG and the
/// SVG) in either layout of `frame`. Returns the lowest y it drew at: the narrow layout's
/// drawing is then cut to that height (its legend below the plot has the height it needs).
pub(crate) trait Chart {
    fn draw<DB: DrawingBackend>(&self, page: Page<'_, DB>) -> Result<i32, PlotError>;
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PlotError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        PlotError::Draw(e.to_string())
    }
}

impl<E: std::error::Error + Send + Sync> From<plotters_backend::DrawingErrorKind<E>> for PlotError {
    fn from(e: plotters_backend::DrawingErrorKind<E>) -> Self {
        PlotError::Draw(e.to_string())
    }
}

/// Draw `chart` in memory: the wide PNG file's bytes and SVG text, and the narrow SVG.
pub(crate) fn render<C: Chart>(chart: &C) -> Result<ChartBytes, PlotError> {
    font::ensure_registered()?;
    let wide = Frame::wide();

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        draw_on(chart, &root, &wide)?;
        root.present()?;
    }

    // PNG: drawn at K× into memory, averaged down (anti-aliasing), then encoded.
    let (w, h) = CHART_SIZE;
    let k = supersample::K as u32;
    let mut big = vec![0u8; (w * k * h * k * 3) as usize];
    {
        let inner = BitMapBackend::with_buffer(&mut big, (w * k, h * k));
        let root = Supersample { inner }.into_drawing_area();
        draw_on(chart, &root, &wide)?;
        root.present()?;
    }
    let small = supersample::downsample(&big, CHART_SIZE);
    drop(big);
    let png = encode_png(&small, CHART_SIZE)?;
    let narrow_svg = render_narrow(chart)?;
    Ok(ChartBytes {
        png,
        svg,
        narrow_svg,
    })
}

/// The narrow drawing as SVG: drawn once on a tall canvas to learn how low it reaches, then
/// again on a canvas of exactly that height (the same code both times, so the same picture).
fn render_narrow<C: Chart>(chart: &C) -> Result<String, PlotError> {
    let frame = Frame::phone();
    let mut scratch = String::new();
    let bottom = {
        let root = SVGBackend::with_string(&mut scratch, (NARROW_WIDTH, NARROW_MAX_HEIGHT))
            .into_drawing_area();
        let bottom = draw_on(chart, &root, &frame)?;
        root.present()?;
        bottom
    };
    drop(scratch);
    let height = (bottom.max(0) as u32 + 20).clamp(200, NARROW_MAX_HEIGHT);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (NARROW_WIDTH, height)).into_drawing_area();
        draw_on(chart, &root, &frame)?;
        root.present()?;
    }
    Ok(svg)
}

/// Encode an RGB8 image as PNG.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let err = |e: png::EncodingError| PlotError::Draw(format!("PNG encoding failed: {e}"));
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(rgb).map_err(err)?;
        writer.finish().map_err(err)?;
    }
    Ok(out)
}

fn draw_on<C: Chart, DB: DrawingBackend>(
    chart: &C,
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
) -> Result<i32, PlotError> {
    root.fill(&WHITE)?;
    chart.draw(Page { root, frame })
}
