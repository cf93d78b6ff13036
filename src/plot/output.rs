//! Rendering one chart to PNG and SVG without ever leaving a half-written file.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;

use super::supersample::{self, Supersample};
use super::{ChartBytes, ChartFiles, PlotError, font};

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

/// `<stem>.<ext>`, appending rather than replacing (a stem such as `out/race.1500m` keeps its dot).
fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    let mut s: OsString = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// A fresh hidden name next to `target`, still ending in `.ext` (the PNG encoder picks the
/// format from the extension).
fn temp_path(target: &Path, ext: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "chart".into());
    let tmp = format!(".{name}.tmp-{}-{n}.{ext}", std::process::id());
    target.with_file_name(tmp)
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PlotError + '_ {
    move |source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Draw `chart` in memory: the PNG file's bytes and the SVG text.
pub(crate) fn render_bytes<C: Chart>(chart: &C) -> Result<ChartBytes, PlotError> {
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

/// Write `bytes` to `path` through a fresh temporary name in the same directory and a rename.
fn write_atomic(path: &Path, ext: &str, bytes: &[u8]) -> Result<(), PlotError> {
    let tmp = temp_path(path, ext);
    fs::write(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io_err(path)(e)
        })
}

/// Draw `chart` into `<stem>.png` and `<stem>.svg`.
pub(crate) fn render<C: Chart>(chart: &C, stem: &Path) -> Result<ChartFiles, PlotError> {
    let bytes = render_bytes(chart)?;
    let png = with_ext(stem, "png");
    let svg = with_ext(stem, "svg");
    if let Some(dir) = png.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    write_atomic(&png, "png", &bytes.png)?;
    write_atomic(&svg, "svg", bytes.svg.as_bytes())?;
    Ok(ChartFiles { png, svg })
}

fn draw_on<C: Chart, DB: DrawingBackend>(
    chart: &C,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), PlotError> {
    root.fill(&WHITE)?;
    chart.draw(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_is_appended_not_replaced() {
        assert_eq!(
            with_ext(Path::new("out/race.1500m"), "png"),
            PathBuf::from("out/race.1500m.png")
        );
        let t = temp_path(Path::new("out/split.png"), "png");
        assert_eq!(t.parent(), Some(Path::new("out")));
        assert!(t.to_string_lossy().ends_with(".png"));
        assert_ne!(t, temp_path(Path::new("out/split.png"), "png"));
    }
}
