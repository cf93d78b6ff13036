//! Axis ranges, tick positions and tick labels.
//!
//! plotters' automatic ticks are decimal (1, 2, 5 × 10ⁿ), which gives odd time ticks such as
//! 50 s; here time axes step by 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30 s, 1, 2, 5, 10 min, and
//! every axis gets explicit key points.

use crate::base::units::fmt_time_short;

use super::ValueFormat;

/// Most ticks any axis gets, whatever the data.
const MAX_TICKS: usize = 40;

/// `(min, max)` of the finite values, or `None`.
pub(crate) fn finite_extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Widen `(lo, hi)` by `frac` of its width on both sides; a zero-width range gets `min_half`
/// (or a relative width) on each side. The result is finite and strictly increasing.
pub(crate) fn pad_range((lo, hi): (f64, f64), frac: f64, min_half: f64) -> (f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && lo <= hi {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let w = hi - lo;
    let (mut a, mut b) = if w > 0.0 && w.is_finite() {
        (lo - w * frac, hi + w * frac)
    } else {
        let half = min_half.max(lo.abs() * 0.05).max(1e-9);
        (lo - half, hi + half)
    };
    // Extreme magnitudes (1e308 ± x) can overflow or lose the width entirely.
    let ok = |a: f64, b: f64| a.is_finite() && b.is_finite() && b > a;
    if !ok(a, b) {
        a = lo.max(-1e300);
        b = hi.min(1e300);
        if b <= a {
            (a, b) = (a - 1.0, a + 1.0);
        }
        if !ok(a, b) {
            (a, b) = (0.0, 1.0);
        }
    }
    (a, b)
}

/// The smallest step from `candidates` (ascending) giving at most `max_n` intervals over `width`;
/// falls back to decimal steps beyond the list.
fn pick_step(width: f64, max_n: usize, candidates: &[f64]) -> f64 {
    let max_n = max_n.max(1) as f64;
    for &c in candidates {
        if width / c <= max_n {
            return c;
        }
    }
    decimal_step(width, max_n as usize)
}

/// A 1/2/2.5/5 × 10ⁿ step giving at most `max_n` intervals over `width`.
pub(crate) fn decimal_step(width: f64, max_n: usize) -> f64 {
    let max_n = max_n.max(1) as f64;
    if !(width.is_finite() && width > 0.0) {
        return 1.0;
    }
    let raw = width / max_n;
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * (1.0 - 1e-9) {
            return m * mag;
        }
    }
    10.0 * mag
}

/// A step suited to times in seconds, giving at most `max_n` intervals over `width`.
pub(crate) fn time_step(width: f64, max_n: usize) -> f64 {
    const STEPS: [f64; 18] = [
        0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0,
        1800.0, 3600.0, 7200.0,
    ];
    if !(width.is_finite() && width > 0.0) {
        return 1.0;
    }
    pick_step(width, max_n, &STEPS)
}

/// Multiples of `step` inside `[lo, hi]` (at most [`MAX_TICKS`]; none for bad input).
pub(crate) fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && step.is_finite() && step > 0.0 && hi >= lo) {
        return Vec::new();
    }
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    if !(first.is_finite() && last.is_finite()) || last - first > MAX_TICKS as f64 * 4.0 {
        return vec![lo, hi];
    }
    let mut out = Vec::new();
    let mut k = first;
    while k <= last && out.len() < MAX_TICKS * 4 {
        let v = k * step;
        // Avoid "-0".
        out.push(if v == 0.0 { 0.0 } else { v });
        k += 1.0;
    }
    if out.len() > MAX_TICKS {
        let keep = out.len().div_ceil(MAX_TICKS);
        out = out.into_iter().step_by(keep).collect();
    }
    out
}

/// Decimals needed to print multiples of `step` exactly (0 to 6).
pub(crate) fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 2;
    }
    for d in 0..=6 {
        let s = step * 10f64.powi(d);
        if (s - s.round()).abs() < 1e-6 * s.max(1.0) {
            return d as usize;
        }
    }
    6
}

/// A number with `decimals` places, using a real minus sign and no "-0".
pub(crate) fn fmt_num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{v:.decimals$}");
    let neg_zero = s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.');
    if neg_zero {
        s[1..].to_string()
    } else if let Some(rest) = s.strip_prefix('-') {
        format!("−{rest}")
    } else {
        s
    }
}

/// Seconds as `m:ss.d…` / `ss.d…` with `decimals` places (`m:ss` / `ss` with none).
pub(crate) fn fmt_secs(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if decimals == 0 && v.abs() < 1e12 {
        let s = fmt_time_short(v);
        return match s.strip_prefix('-') {
            Some(rest) if rest.chars().all(|c| c == '0' || c == ':') => rest.to_string(),
            Some(rest) => format!("−{rest}"),
            None => s,
        };
    }
    let scale = 10f64.powi(decimals as i32);
    let total = (v.abs() * scale).round();
    if !(total.is_finite() && total < 1e15) {
        return fmt_num(v, decimals);
    }
    let per_min = 60.0 * scale;
    let m = (total / per_min).floor();
    let s = (total - m * per_min) / scale;
    let sign = if v < 0.0 && total > 0.0 { "−" } else { "" };
    if m > 0.0 {
        let w = if decimals > 0 { decimals + 3 } else { 2 };
        format!("{sign}{m}:{s:0w$.decimals$}")
    } else {
        format!("{sign}{s:.decimals$}")
    }
}

/// A value in the given format with the precision a tick step needs.
pub(crate) fn fmt_value(v: f64, format: ValueFormat, step: f64) -> String {
    match format {
        ValueFormat::Plain => fmt_num(v, decimals_for(step)),
        ValueFormat::Time => fmt_secs(v, decimals_for(step)),
    }
}

/// A percentage for printing next to a bar: `23.4 %`, `<0.1 %` for tiny non-zero values.
pub(crate) fn fmt_pct(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p > 0.0 && p < 0.05 {
        "<0.1 %".into()
    } else if (99.95..100.0).contains(&p) {
        ">99.9 %".into()
    } else {
        format!("{} %", fmt_num(p, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_are_round_times() {
        assert_eq!(time_step(10.0, 10), 1.0);
        assert_eq!(time_step(100.0, 8), 15.0);
        assert_eq!(ticks(206.3, 212.1, 1.0).len(), 6);
        assert_eq!(fmt_secs(207.0, 0), "3:27");
        assert_eq!(fmt_secs(55.0, 0), "55");
        assert_eq!(fmt_secs(60.0, 0), "1:00");
        assert_eq!(fmt_secs(27.5, 1), "27.5");
        assert_eq!(fmt_secs(61.5, 1), "1:01.5");
        assert_eq!(fmt_secs(-1.5, 1), "−1.5");
        assert_eq!(fmt_secs(-0.0, 1), "0.0");
        assert_eq!(fmt_secs(f64::NAN, 1), "–");
    }

    #[test]
    fn numbers_and_percent() {
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(5.0), 0);
        assert_eq!(fmt_num(-0.0001, 2), "0.00");
        assert_eq!(fmt_num(-1.5, 1), "−1.5");
        assert_eq!(fmt_pct(23.43), "23.4 %");
        assert_eq!(fmt_pct(0.01), "<0.1 %");
        assert_eq!(fmt_pct(0.0), "0.0 %");
    }

    #[test]
    fn degenerate_ranges_are_widened() {
        let (a, b) = pad_range((5.0, 5.0), 0.05, 1.0);
        assert!(a < 5.0 && b > 5.0);
        let (a, b) = pad_range((f64::NAN, 1.0), 0.05, 1.0);
        assert!(a < b);
        let (a, b) = pad_range((-f64::MAX, f64::MAX), 0.05, 1.0);
        assert!(a.is_finite() && b.is_finite() && a < b);
        let (a, b) = pad_range((1e300, 1e300), 0.05, 1.0);
        assert!(a < b);
        assert!(ticks(0.0, 1e300, 1e-3).len() <= MAX_TICKS);
        assert!(ticks(1.0, 0.0, 1.0).is_empty());
        assert_eq!(finite_extent([f64::NAN, 2.0, -1.0]), Some((-1.0, 2.0)));
        assert_eq!(finite_extent([f64::NAN]), None);
    }
}
