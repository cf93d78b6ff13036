//! Paired differences of two model variants run on common random numbers.

use serde::{Deserialize, Serialize};

use super::{ExactMoments, Interval, Proportion, Z95, centred_sum_of_squares, to_units};

/// Paired differences `aᵢ − bᵢ` of a quantity measured under two model variants on the same
/// random numbers (race `i` of variant A and race `i` of variant B share their seed).
///
/// Common random numbers make `aᵢ` and `bᵢ` strongly correlated, so the variance of the difference
/// is far below the sum of the two variances; this accumulator estimates the mean difference with
/// the paired standard error that exploits it. Both values are rounded to fixed point (`SCALE`, as
/// in [`ExactMoments`]) *before* subtracting, so the difference is exact and the sums merge
/// exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PairedDiff<const SCALE: i64> {
    diffs: ExactMoments<SCALE>,
}

/// [`PairedDiff`] of times in seconds, stored in microseconds.
pub type PairedTimeDiff = PairedDiff<1_000_000>;

impl<const SCALE: i64> PairedDiff<SCALE> {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the pair `(a, b)`; if either is invalid (NaN, infinite, beyond [`MAX_ABS_UNITS`]) the
    /// pair is counted as invalid.
    #[inline]
    pub fn add_pair(&mut self, a: f64, b: f64) {
        let s = ExactMoments::<SCALE>::SCALE_F;
        match (to_units(a, s), to_units(b, s)) {
            // Each is within ±10¹², so the difference (within ±2·10¹²) is exact and its square
            // (≤ 4·10²⁴) is as safe in i128 as any single value.
            (Some(ua), Some(ub)) => self.diffs.record(ua - ub),
            _ => self.diffs.invalid += 1,
        }
    }

    /// Adds all of `other`.
    pub fn merge(&mut self, other: &Self) {
        self.diffs.merge(&other.diffs);
    }

    /// Number of pairs.
    pub fn count(&self) -> u64 {
        self.diffs.count()
    }

    /// Pairs rejected as invalid.
    pub fn invalid(&self) -> u64 {
        self.diffs.invalid()
    }

    /// Mean of `a − b`; `None` if empty.
    pub fn mean_diff(&self) -> Option<f64> {
        self.diffs.mean()
    }

    /// Sample standard deviation of `a − b`; `None` below 2 pairs.
    pub fn sd_diff(&self) -> Option<f64> {
        self.diffs.sd()
    }

    /// Paired standard error of the mean difference, `sd(a − b)/√n`; `None` below 2 pairs.
    pub fn se(&self) -> Option<f64> {
        self.diffs.sem()
    }

    /// Normal-approximation 95 % interval for the mean difference; `None` below 2 pairs.
    pub fn ci95(&self) -> Option<Interval> {
        self.diffs.ci95()
    }

    /// The underlying moments of the differences.
    pub fn moments(&self) -> &ExactMoments<SCALE> {
        &self.diffs
    }
}

/// Paired 0/1 outcomes `(aᵢ, bᵢ)` of an event under two model variants on common random numbers
/// (does runner X win race `i` under A, under B?): the difference of the two proportions with its
/// paired standard error.
///
/// Kept as the four cells of the 2×2 table, so merging is exact. Only discordant pairs carry
/// information on the difference: `dᵢ = aᵢ − bᵢ ∈ {−1, 0, 1}`, mean `(n₁₀ − n₀₁)/n`, sample
/// variance `(n₁₀ + n₀₁ − n·d̄²)/(n − 1)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PairedProportionDiff {
    /// Pairs with `a` and `b` both true.
    pub n11: u64,
    /// Pairs with `a` true, `b` false.
    pub n10: u64,
    /// Pairs with `a` false, `b` true.
    pub n01: u64,
    /// Pairs with both false.
    pub n00: u64,
}

impl PairedProportionDiff {
    /// Records one pair of outcomes.
    #[inline]
    pub fn add(&mut self, a: bool, b: bool) {
        match (a, b) {
            (true, true) => self.n11 += 1,
            (true, false) => self.n10 += 1,
            (false, true) => self.n01 += 1,
            (false, false) => self.n00 += 1,
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &Self) {
        self.n11 += other.n11;
        self.n10 += other.n10;
        self.n01 += other.n01;
        self.n00 += other.n00;
    }

    /// Number of pairs.
    pub fn count(&self) -> u64 {
        self.n11 + self.n10 + self.n01 + self.n00
    }

    /// The proportion for variant A alone.
    pub fn a(&self) -> Proportion {
        Proportion {
            k: self.n11 + self.n10,
            n: self.count(),
        }
    }

    /// The proportion for variant B alone.
    pub fn b(&self) -> Proportion {
        Proportion {
            k: self.n11 + self.n01,
            n: self.count(),
        }
    }

    /// `p(A) − p(B)`; `None` if empty.
    pub fn mean_diff(&self) -> Option<f64> {
        let n = self.count();
        (n > 0).then(|| (self.n10 as f64 - self.n01 as f64) / n as f64)
    }

    /// Paired standard error of the difference, `√(var(d)/n)`; `None` below 2 pairs.
    ///
    /// It is 0 when there are no discordant pairs (the interval then collapses to a point, as the
    /// Wald interval of a proportion does at 0 or 1).
    pub fn se(&self) -> Option<f64> {
        let n = self.count();
        (n > 1).then(|| {
            let sum = i128::from(self.n10) - i128::from(self.n01);
            let sumsq = i128::from(self.n10) + i128::from(self.n01);
            let var = centred_sum_of_squares(n, sum, sumsq) / (n - 1) as f64;
            (var / n as f64).sqrt()
        })
    }

    /// Normal-approximation 95 % interval for `p(A) − p(B)`; `None` below 2 pairs.
    pub fn ci95(&self) -> Option<Interval> {
        Some(Interval::normal(self.mean_diff()?, self.se()?, Z95))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::close;

    #[test]
    fn paired_diff_by_hand() {
        let mut d = PairedTimeDiff::new();
        for (a, b) in [(10.0, 9.0), (12.0, 12.0), (11.0, 10.0)] {
            d.add_pair(a, b);
        }
        // Differences 1, 0, 1: mean 2/3, variance 1/3, se √(1/9) = 1/3.
        assert!(close(d.mean_diff().unwrap(), 2.0 / 3.0, 1e-15));
        assert!(close(d.sd_diff().unwrap(), (1.0f64 / 3.0).sqrt(), 1e-15));
        assert!(close(d.se().unwrap(), 1.0 / 3.0, 1e-15));
        let ci = d.ci95().unwrap();
        assert!(close(ci.lo, 2.0 / 3.0 - Z95 / 3.0, 1e-12));
        assert!(close(ci.hi, 2.0 / 3.0 + Z95 / 3.0, 1e-12));
        d.add_pair(f64::NAN, 1.0);
        assert_eq!((d.count(), d.invalid()), (3, 1));
        // Rounding each side before subtracting keeps the difference exact.
        let mut e = PairedTimeDiff::new();
        e.add_pair(210.000_000_4, 210.000_000_6);
        assert_eq!(e.moments().sum_units(), -1);
    }

    #[test]
    fn paired_proportion_diff_by_hand() {
        let a = [true, true, false, true, false];
        let b = [false, true, false, false, true];
        let mut d = PairedProportionDiff::default();
        a.iter().zip(&b).for_each(|(&x, &y)| d.add(x, y));
        assert_eq!((d.n11, d.n10, d.n01, d.n00), (1, 2, 1, 1));
        assert_eq!(d.a(), Proportion { k: 3, n: 5 });
        assert_eq!(d.b(), Proportion { k: 2, n: 5 });
        // d = 1, 0, 0, 1, −1: mean 0.2; Σ(d − 0.2)² = 2.8, variance 0.7, se √0.14.
        assert!(close(d.mean_diff().unwrap(), 0.2, 1e-15));
        assert!(close(d.se().unwrap(), 0.14f64.sqrt(), 1e-15));
        let ci = d.ci95().unwrap();
        assert!(close(ci.lo, 0.2 - Z95 * 0.14f64.sqrt(), 1e-12));
        assert_eq!(PairedProportionDiff::default().mean_diff(), None);
    }
}
