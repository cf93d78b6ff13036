//! The embedded chart font (DejaVu Sans, see `assets/fonts/LICENSE-DejaVu.txt`).
//!
//! plotters' `ab_glyph` renderer only knows fonts registered at run time; without this every
//! text draw fails with `FontUnavailable`. Registration happens once per process.

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use super::PlotError;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family name every chart uses (plotters' default family, so its own labels use it too).
pub(crate) const FAMILY: &str = "sans-serif";

static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();

/// Register the embedded fonts under [`FAMILY`] (normal and bold), once.
pub(crate) fn ensure_registered() -> Result<(), PlotError> {
    REGISTERED
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, REGULAR)
                .map_err(|_| "DejaVuSans.ttf is not a valid font".to_string())?;
            register_font(FAMILY, FontStyle::Bold, BOLD)
                .map_err(|_| "DejaVuSans-Bold.ttf is not a valid font".to_string())?;
            Ok(())
        })
        .clone()
        .map_err(PlotError::Font)
}
