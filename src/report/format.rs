//! Small formatting rules every report shares: numbers in CSV cells, signed differences, surnames
//! for chart labels (and, from the units, metres without needless decimals).

pub use crate::base::units::{fmt_m, signed};

/// A number with `d` decimals for a CSV cell; empty when not finite (a missing value, not "NaN").
pub fn csv_num(x: f64, d: usize) -> String {
    if x.is_finite() {
        format!("{x:.d$}")
    } else {
        String::new()
    }
}

/// The surname (last word) of a name, for short labels.
pub fn surname(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name)
}

/// A count with thin spaces between thousands (`20 000`), as chart subtitles print it.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_m(300.0), "300");
        assert_eq!(fmt_m(409.344), "409.34");
        assert_eq!(csv_num(1.23456, 3), "1.235");
        assert_eq!(csv_num(f64::NAN, 3), "");
        assert_eq!(signed(1.25, 1), "+1.2");
        assert_eq!(signed(-0.3, 2), "−0.30");
        assert_eq!(signed(-0.001, 1), "0.0");
        assert_eq!(signed(f64::NAN, 1), "-");
        assert_eq!(surname("Narve Gilje Nordås"), "Nordås");
        assert_eq!(thousands(20_000), "20\u{202f}000");
        assert_eq!(thousands(999), "999");
    }
}
