//! Rendering one chart to PNG and SVG, in memory: the chart's bytes are written (with every other
//! output file) by the report room, so nothing is ever half-written.

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;

use super::supersample::{self, Supersample};
use super::{ChartBytes, PlotError, font};

/// Size of every chart in pixels (PNG) and user units (SVG): legible on a laptop, and still
/// readable when a phone scales it down.
pub const CHART_SIZE: (u32, u32) = (1400, 900);

/// A chart that can draw itself on any plotters backend (the same code makes the PNG and the SVG).
pub(crate) trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
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

/// Draw `chart` in memory: the PNG file's bytes and the SVG text.
pub(crate) fn render<C: Chart>(chart: &C) -> Result<ChartBytes, PlotError> {
    font::ensure_registered()?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        draw_on(chart, &root)?;
        root.present()?;
    }

    // PNG: drawn at K× into memory, averaged down (anti-aliasing), then encoded.
    let (w, h) = CHART_SIZE;
    let k = supersample::K as u32;
    let mut big = vec![0u8; (w * k * h * k * 3) as usize];
    {
        let inner = BitMapBackend::with_buffer(&mut big, (w * k, h * k));
        let root = Supersample { inner }.into_drawing_area();
        draw_on(chart, &root)?;
        root.present()?;
    }
    let small = supersample::downsample(&big, CHART_SIZE);
    drop(big);
    let png = encode_png(&small, CHART_SIZE)?;
    Ok(ChartBytes { png, svg })
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
) -> Result<(), PlotError> {
    root.fill(&WHITE)?;
    chart.draw(root)
}
