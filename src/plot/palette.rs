//! Runner colours and marker shapes.
//!
//! The first ten colours are Tableau 10 (with its grey swapped for a navy, so no runner is
//! mistaken for the black/grey reference series); the next ten are darker or differently
//! saturated hues chosen to stay apart from the first ten and legible on white. Runners beyond
//! 20 reuse colours, but also get a different marker shape, so (colour, marker) stays unique
//! for 80 runners.

use plotters::style::RGBColor;

/// The runner palette, in assignment order.
pub const PALETTE: [RGBColor; 20] = [
    RGBColor(0x1f, 0x77, 0xb4), // blue
    RGBColor(0xff, 0x7f, 0x0e), // orange
    RGBColor(0x2c, 0xa0, 0x2c), // green
    RGBColor(0xd6, 0x27, 0x28), // red
    RGBColor(0x94, 0x67, 0xbd), // purple
    RGBColor(0x8c, 0x56, 0x4b), // brown
    RGBColor(0xe3, 0x77, 0xc2), // pink
    RGBColor(0x17, 0xbe, 0xcf), // cyan
    RGBColor(0xbc, 0xbd, 0x22), // olive
    RGBColor(0x1b, 0x2a, 0x6b), // navy
    RGBColor(0x0b, 0x5d, 0x1e), // dark green
    RGBColor(0x7a, 0x00, 0x19), // maroon
    RGBColor(0x00, 0x89, 0x7b), // teal
    RGBColor(0xa0, 0x00, 0x8c), // magenta
    RGBColor(0xb3, 0x58, 0x06), // burnt orange
    RGBColor(0x5e, 0x35, 0xb1), // deep violet
    RGBColor(0xc9, 0x9a, 0x00), // gold
    RGBColor(0x5f, 0x6b, 0x7a), // slate
    RGBColor(0x7c, 0xb3, 0x42), // lime
    RGBColor(0x3f, 0x9b, 0xff), // sky blue
];

/// The colour of runner `i` (its position in the chart input), the same in every chart.
pub fn runner_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Marker shapes, so runners are told apart by shape as well as colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// The marker of runner `i`: cycles every runner, shifted once per palette wrap.
pub(crate) fn runner_marker(i: usize) -> Marker {
    const ALL: [Marker; 4] = [
        Marker::Circle,
        Marker::Square,
        Marker::Triangle,
        Marker::Diamond,
    ];
    ALL[(i + i / PALETTE.len()) % ALL.len()]
}

/// Relative luminance (0 = black, 1 = white), to choose black or white text on a colour.
pub(crate) fn luminance(c: RGBColor) -> f64 {
    let f = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * f(c.0) + 0.7152 * f(c.1) + 0.0722 * f(c.2)
}

/// Viridis (matplotlib), sampled at nine stops and interpolated linearly; `t` in [0, 1].
pub(crate) fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    interpolate(&STOPS, t)
}

/// A diverging blue–white–red scale for values around zero; `t` in [0, 1], 0.5 is white.
pub(crate) fn diverging(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 7] = [
        (33, 102, 172),
        (103, 169, 207),
        (209, 229, 240),
        (247, 247, 247),
        (253, 219, 199),
        (239, 138, 98),
        (178, 24, 43),
    ];
    interpolate(&STOPS, t)
}

fn interpolate(stops: &[(u8, u8, u8)], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (stops.len() - 1) as f64;
    let i = (pos.floor() as usize).min(stops.len() - 2);
    let f = pos - i as f64;
    let lerp = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (stops[i], stops[i + 1]);
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_is_distinct_and_not_too_light() {
        for (i, a) in PALETTE.iter().enumerate() {
            assert!(luminance(*a) < 0.55, "colour {i} too light on white");
            for b in &PALETTE[i + 1..] {
                let d = (a.0 as i32 - b.0 as i32).abs()
                    + (a.1 as i32 - b.1 as i32).abs()
                    + (a.2 as i32 - b.2 as i32).abs();
                assert!(d > 60, "{a:?} and {b:?} too close");
            }
        }
        assert_eq!(runner_color(3), runner_color(23));
        assert_ne!(runner_marker(3), runner_marker(23));
    }

    #[test]
    fn colour_scales_are_total() {
        for t in [f64::NAN, -1.0, 0.0, 0.3, 1.0, 7.0] {
            let _ = viridis(t);
            let _ = diverging(t);
        }
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(diverging(0.5), RGBColor(247, 247, 247));
    }
}
