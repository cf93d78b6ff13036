//! Count, mean and variance of any quantity, in fixed point so that merging is exact.

use super::{Interval, MAX_ABS_UNITS, Z95, centred_sum_of_squares, to_units};

/// Count, mean and variance of a quantity, kept in fixed point with `SCALE` units per unit of the
/// quantity so merging is exact.
///
/// A value `x` is stored as `round(x · SCALE)`: use `SCALE = 1` for integers such as places
/// ([`CountMoments`]), `1_000_000` for metres as micrometres ([`MetreMoments`]) or seconds as
/// microseconds ([`SecondMoments`]). Sums are `i128`; values whose fixed-point magnitude exceeds
/// [`MAX_ABS_UNITS`] (10¹²), NaN and infinities are counted in [`invalid`](Self::invalid) instead.
/// At `SCALE = 10⁶` that accepts |x| ≤ 10⁶ and the sums hold at least 1.7·10¹⁴ values of that
/// extreme size (10²⁰ and more for realistic gaps of a few metres).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ExactMoments<const SCALE: i64> {
    n: u64,
    pub(super) invalid: u64,
    sum: i128,
    sumsq: i128,
}

/// [`ExactMoments`] of integers (places, counts): scale 1.
pub type CountMoments = ExactMoments<1>;
/// [`ExactMoments`] of lengths in metres, stored in micrometres.
pub type MetreMoments = ExactMoments<1_000_000>;
/// [`ExactMoments`] of durations in seconds, stored in microseconds.
pub type SecondMoments = ExactMoments<1_000_000>;

impl<const SCALE: i64> ExactMoments<SCALE> {
    /// Fixed-point units per unit of the quantity.
    pub const SCALE: i64 = SCALE;

    pub(super) const SCALE_F: f64 = {
        assert!(SCALE > 0, "ExactMoments SCALE must be positive");
        SCALE as f64
    };

    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `x` (rounded to the nearest `1/SCALE`).
    #[inline]
    pub fn add(&mut self, x: f64) {
        match to_units(x, Self::SCALE_F) {
            Some(u) => self.record(u),
            None => self.invalid += 1,
        }
    }

    /// Adds a value already in fixed-point units (for `SCALE = 1`, simply an integer).
    #[inline]
    pub fn add_units(&mut self, units: i64) {
        if units.unsigned_abs() <= MAX_ABS_UNITS as u64 {
            self.record(units);
        } else {
            self.invalid += 1;
        }
    }

    #[inline]
    pub(super) fn record(&mut self, units: i64) {
        let w = i128::from(units);
        self.n += 1;
        self.sum += w;
        self.sumsq += w * w;
    }

    /// Adds all of `other`.
    pub fn merge(&mut self, other: &Self) {
        self.n += other.n;
        self.invalid += other.invalid;
        self.sum += other.sum;
        self.sumsq += other.sumsq;
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Values rejected by `add`: NaN, infinite, or beyond [`MAX_ABS_UNITS`] in fixed point.
    pub fn invalid(&self) -> u64 {
        self.invalid
    }

    /// Exact sum in fixed-point units.
    pub fn sum_units(&self) -> i128 {
        self.sum
    }

    /// Mean; `None` if empty.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64 / Self::SCALE_F)
    }

    /// Sample variance (divisor `n − 1`) from exact integer sums; `None` below 2 values.
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| {
            centred_sum_of_squares(self.n, self.sum, self.sumsq)
                / (self.n - 1) as f64
                / (Self::SCALE_F * Self::SCALE_F)
        })
    }

    /// Sample standard deviation; `None` below 2 values.
    pub fn sd(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// Standard error of the mean, `sd / √n`; `None` below 2 values.
    pub fn sem(&self) -> Option<f64> {
        self.variance().map(|v| (v / self.n as f64).sqrt())
    }

    /// Normal-approximation 95 % interval for the mean, `mean ± 1.96·sem`; `None` below 2 values.
    pub fn ci95(&self) -> Option<Interval> {
        Some(Interval::normal(self.mean()?, self.sem()?, Z95))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::close;

    #[test]
    fn exact_moments_of_places_and_metres() {
        let mut places = CountMoments::new();
        for pl in [1, 2, 3, 4, 5, 1] {
            places.add_units(pl);
        }
        // Mean 16/6; Σ(x − x̄)² = 56 − 256/6 = 40/3; variance (40/3)/5 = 8/3.
        assert!(close(places.mean().unwrap(), 16.0 / 6.0, 1e-15));
        assert!(close(places.variance().unwrap(), 8.0 / 3.0, 1e-14));
        assert_eq!(places.sum_units(), 16);

        let mut gaps = MetreMoments::new();
        for g in [0.5, 1.25, -0.75] {
            gaps.add(g);
        }
        assert_eq!(gaps.sum_units(), 1_000_000);
        assert!(close(gaps.mean().unwrap(), 1.0 / 3.0, 1e-15));
        // Deviations 1/6, 11/12, −13/12: Σ² = (16 + 484 + 676)/576 = 1176/576; /2 = 1.020833.
        assert!(close(gaps.variance().unwrap(), 1176.0 / 576.0 / 2.0, 1e-12));
        gaps.add(f64::NAN);
        gaps.add(2e6);
        assert_eq!((gaps.count(), gaps.invalid()), (3, 2));
        assert_eq!(CountMoments::new().mean(), None);
    }
}
