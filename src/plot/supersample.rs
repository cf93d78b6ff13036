//! A supersampling wrapper for the bitmap backend.
//!
//! plotters' bitmap rasteriser does not anti-alias lines, polygons or circles, so thick sloped
//! lines look jagged. [`Supersample`] draws everything at `K`× the size into an inner backend
//! (coordinates, stroke widths, radii and font sizes scaled) and [`downsample`] averages each
//! `K`×`K` block afterwards, which smooths every edge. Charts see the logical size.
//!
//! It also corrects plotters' `ab_glyph` text placement, which puts glyphs about 0.2 of the
//! font size higher than their layout box (the baseline is set at half the font size), so that
//! tick labels sit centred on their ticks as they do in the SVG output.

use plotters::prelude::*;
use plotters::style::{FontDesc, FontTransform, TextStyle};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// Scale factor.
pub(crate) const K: i32 = 2;

/// Downward shift of bitmap text, as a fraction of the font size.
const GLYPH_DROP: f64 = 0.2;

pub(crate) struct Supersample<B> {
    pub(crate) inner: B,
}

/// A style with the stroke width scaled by [`K`].
struct Scaled {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Scaled {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

fn scaled<S: BackendStyle>(s: &S) -> Scaled {
    Scaled {
        color: s.color(),
        width: s.stroke_width().saturating_mul(K as u32),
    }
}

/// A logical point to the centre of its block.
fn pt((x, y): BackendCoord) -> BackendCoord {
    (
        x.saturating_mul(K).saturating_add(K / 2),
        y.saturating_mul(K).saturating_add(K / 2),
    )
}

impl<B: DrawingBackend> DrawingBackend for Supersample<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        let (w, h) = self.inner.get_size();
        (w / K as u32, h / K as u32)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let (x, y) = (x.saturating_mul(K), y.saturating_mul(K));
        self.inner
            .draw_rect((x, y), (x + K - 1, y + K - 1), &color, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path([pt(from), pt(to)], &scaled(style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        // Logical pixel rows/columns x0..=x1 cover K·x0 ..= K·x1 + K − 1.
        let (a0, b0) = (x0.saturating_mul(K), y0.saturating_mul(K));
        let (a1, b1) = (
            x1.saturating_mul(K).saturating_add(K - 1),
            y1.saturating_mul(K).saturating_add(K - 1),
        );
        let color = style.color();
        if fill {
            return self.inner.draw_rect((a0, b0), (a1, b1), &color, true);
        }
        let t = (style.stroke_width().max(1) as i32).saturating_mul(K) - 1;
        self.inner.draw_rect((a0, b0), (a1, b0 + t), &color, true)?;
        self.inner.draw_rect((a0, b1 - t), (a1, b1), &color, true)?;
        self.inner.draw_rect((a0, b0), (a0 + t, b1), &color, true)?;
        self.inner.draw_rect((a1 - t, b0), (a1, b1), &color, true)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner
            .draw_path(path.into_iter().map(pt), &scaled(style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(
            pt(center),
            radius.saturating_mul(K as u32),
            &scaled(style),
            fill,
        )
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner
            .fill_polygon(vert.into_iter().map(pt), &scaled(style))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        (x, y): BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let trans = style.transform();
        let font = FontDesc::new(style.family(), style.size() * K as f64, style.style())
            .transform(trans.clone());
        let big = TextStyle {
            font,
            color: style.color(),
            pos: style.anchor(),
        };
        let d = (style.size() * GLYPH_DROP * K as f64).round() as i32;
        let (dx, dy) = match trans {
            FontTransform::None => (0, d),
            FontTransform::Rotate90 => (-d, 0),
            FontTransform::Rotate180 => (0, -d),
            FontTransform::Rotate270 => (d, 0),
        };
        let (x, y) = (x.saturating_mul(K), y.saturating_mul(K));
        self.inner.draw_text(text, &big, (x + dx, y + dy))
    }
}

/// Average each `K`×`K` block of the RGB buffer `big` (`w·K` × `h·K`) into a `w` × `h` buffer.
pub(crate) fn downsample(big: &[u8], (w, h): (u32, u32)) -> Vec<u8> {
    let (w, h, k) = (w as usize, h as usize, K as usize);
    let big_w = w * k;
    let mut out = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in 0..k {
                    let row = (y * k + dy) * big_w;
                    for dx in 0..k {
                        sum += big[(row + x * k + dx) * 3 + c] as u32;
                    }
                }
                out[(y * w + x) * 3 + c] = ((sum + (k * k / 2) as u32) / (k * k) as u32) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsample_averages_blocks() {
        // 2×1 logical pixels: a black block and a white block.
        let mut big = vec![255u8; 4 * 2 * 3];
        for (x, y) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let i = (y * 4 + x) * 3;
            big[i..i + 3].copy_from_slice(&[0, 0, 0]);
        }
        big[(2) * 3] = 0; // one red-channel sample of the white block
        let small = downsample(&big, (2, 1));
        assert_eq!(&small[..3], &[0, 0, 0]);
        assert_eq!(&small[3..], &[191, 255, 255]);
    }
}
