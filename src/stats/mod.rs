//! Streaming statistics and scoring maths for Monte Carlo race results.
//!
//! The Monte Carlo engine runs many thousands of races in parallel: rayon folds per-race results
//! into per-worker accumulators in whatever order it likes, then merges the partial accumulators
//! along a tree whose shape depends on the number of threads and on work stealing. Two promises
//! follow from that, and every type in this module keeps them:
//!
//! 1. **Bit-identical results whatever the number of threads.** Floating-point addition is not
//!    associative, so an `f64` running sum (or a Welford mean/M2 update) depends on the order in
//!    which values arrive and partial results are merged. Here every accumulator holds only
//!    integers: counts as `u64`, sums of values in *fixed point* (an `i64` value in a documented
//!    unit such as microseconds, summed in `i128`) and sums of squares in `i128`. Integer addition
//!    is exactly associative and commutative, so any fold/merge order gives the same state, and
//!    every statistic derived from that state (mean, sd, quantiles, CDF) is the same bits.
//! 2. **Flat memory.** Nothing stores individual values. A [`TimeHistogram`] has a fixed number of
//!    bins chosen at construction; everything else is a handful of integers.
//!
//! The rooms: [`TimeHistogram`] (a distribution of times, `histogram`), [`ExactMoments`]
//! (count, mean and variance of any quantity, `moments`), [`Proportion`] (a Monte Carlo
//! probability, `proportion`), paired comparisons of two model variants run on common random
//! numbers ([`PairedDiff`], [`PairedProportionDiff`], `paired`), an estimate with its interval as
//! reports print it ([`Estimate`], `estimate`), and the scoring maths for validating the
//! simulator against real races (`scoring`): the probability integral transform ([`pit`]),
//! central-band coverage ([`central_band_covers`]), [`log_loss`], Brier scores ([`brier_multi`],
//! [`brier_binary`]), rank correlation ([`spearman`]) and PIT histograms ([`histogram_of_unit`]).
//!
//! # Fixed-point scales and their limits
//!
//! | accumulator | unit of the integer | per-value limit | sums |
//! |---|---|---|---|
//! | [`TimeHistogram`] | 1 µs ([`MICROS_PER_SECOND`]) | \|t\| ≤ 10⁶ s | `i128` sum and sum of squares |
//! | [`ExactMoments<S>`](ExactMoments) | 1/`S` of the quantity's unit | \|x·S\| ≤ 10¹² | `i128` sum and sum of squares |
//!
//! Values beyond the per-value limit ([`MAX_ABS_UNITS`] units), NaN and infinities are not added;
//! they are counted in `invalid()` so a bug upstream is visible rather than silently poisoning the
//! sums. With the per-value limit, the sum of squares (the first thing to overflow) holds at least
//! `i128::MAX / 10²⁴ ≈ 1.7·10¹⁴` worst-case values; for real race times (a 5000 m of 800 s is
//! 8·10⁸ µs, square 6.4·10¹⁷) it holds 2.6·10²⁰ values, more than the `u64` count itself
//! (1.8·10¹⁹). No realistic run comes near either limit.
//!
//! # Example
//!
//! Folding in parallel gives exactly the state a sequential loop gives:
//!
//! ```
//! use racesim::stats::TimeHistogram;
//! use rayon::prelude::*;
//!
//! let template = TimeHistogram::with_window_for(214.0).unwrap();
//! let time_of = |i: u64| 205.0 + (i % 997) as f64 * 0.0173;
//! let parallel = (0..20_000u64)
//!     .into_par_iter()
//!     .fold(|| template.empty_like(), |mut h, i| { h.add(time_of(i)); h })
//!     .reduce(|| template.empty_like(), |mut a, b| { a.merge(&b); a });
//! let mut sequential = template.empty_like();
//! (0..20_000u64).for_each(|i| sequential.add(time_of(i)));
//! assert_eq!(parallel, sequential);
//! assert_eq!(parallel.quantiles().unwrap(), sequential.quantiles().unwrap());
//! ```

use serde::{Deserialize, Serialize};

mod estimate;
mod histogram;
mod moments;
mod paired;
mod proportion;
mod scoring;

pub use estimate::Estimate;
pub use histogram::{
    DEFAULT_BIN_WIDTH_S, HistWindow, MAX_BINS, Quantiles, TimeHistogram, WINDOW_HI_FACTOR,
    WINDOW_LO_FACTOR,
};
pub use moments::{CountMoments, ExactMoments, MetreMoments, SecondMoments};
pub use paired::{PairedDiff, PairedProportionDiff, PairedTimeDiff};
pub use proportion::Proportion;
pub use scoring::{
    DEFAULT_LOG_LOSS_FLOOR, average_ranks, brier_binary, brier_multi, central_band,
    central_band_covers, histogram_of_unit, log_loss, pearson, pit, spearman,
};

/// Microseconds in a second: the fixed-point unit of [`TimeHistogram`].
///
/// One microsecond is far below timing resolution (photo-finish times are published to 0.01 s,
/// sometimes 0.001 s), so rounding to it never matters, while an `i64` of microseconds still spans
/// ±292,000 years.
pub const MICROS_PER_SECOND: i64 = 1_000_000;

/// Largest magnitude, in fixed-point units, that an accumulator accepts (10¹²).
///
/// For times that is 10⁶ s (11.6 days). Larger values (and NaN or infinities) are counted as
/// invalid instead of added, which bounds every square by 10²⁴ and keeps the `i128` sums of squares
/// far from overflow (see the module documentation).
pub const MAX_ABS_UNITS: i64 = 1_000_000_000_000;

/// Two-sided 95 % standard-normal quantile, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959_963_984_540_054;

/// Errors of this module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// A histogram window or bin width is unusable (not finite, empty, reversed, a bin narrower
    /// than 1 µs, too many bins, or beyond [`MAX_ABS_UNITS`]).
    #[error("invalid histogram window [{lo_s} s, {hi_s} s) with bins of {width_s} s: {reason}")]
    InvalidWindow {
        /// Lower edge asked for [s].
        lo_s: f64,
        /// Upper edge asked for [s].
        hi_s: f64,
        /// Bin width asked for [s].
        width_s: f64,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The expected time given to [`TimeHistogram::with_window_for`] is not a positive number.
    #[error("expected time must be a positive number of seconds, got {0}")]
    InvalidExpectedTime(f64),
    /// Two histograms with different windows cannot be merged bin by bin.
    #[error("cannot merge histograms with different windows: {left} and {right}")]
    WindowMismatch {
        /// The window merged into.
        left: HistWindow,
        /// The window merged.
        right: HistWindow,
    },
    /// A value given to [`histogram_of_unit`] is outside [0, 1] (or NaN).
    #[error("value {value} at index {index} is outside [0, 1]")]
    OutsideUnitInterval {
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A histogram needs at least one bin.
    #[error("the number of bins must be at least 1")]
    ZeroBins,
}

/// Converts a value to fixed-point units (`x · scale`, rounded to nearest, ties away from zero),
/// or `None` if it is NaN, infinite or beyond [`MAX_ABS_UNITS`].
///
/// Branch-light on purpose: one comparison (which also rejects NaN) and a truncating conversion.
#[inline]
pub(crate) fn to_units(x: f64, scale: f64) -> Option<i64> {
    let y = x * scale;
    if y.abs() <= MAX_ABS_UNITS as f64 {
        Some((y + 0.5f64.copysign(y)) as i64)
    } else {
        None
    }
}

/// Sum of squared deviations from the mean, `Σ(xᵢ − x̄)²`, in squared units, from exact integer
/// sums.
///
/// The textbook `sumsq − sum²/n` cancels catastrophically in floating point (race times have a
/// large mean and a small spread). Here the division is done exactly: with `sum = q·n + r`
/// (Euclidean division, `0 ≤ r < n`), `sum²/n = q²n + 2qr + r²/n`, so
/// `M2 = (sumsq − q²n − 2qr) − r²/n`. The bracket is an exact integer, at least `r²/n ≥ 0`, and the
/// only rounding left is converting it to `f64` and the final subtraction of a term below `n`.
pub(crate) fn centred_sum_of_squares(n: u64, sum: i128, sumsq: i128) -> f64 {
    debug_assert!(n > 0);
    let n_i = i128::from(n);
    let q = sum.div_euclid(n_i);
    let r = sum.rem_euclid(n_i);
    let int_part = sumsq - q * q * n_i - 2 * q * r;
    let rf = r as f64;
    (int_part as f64 - rf * rf / n as f64).max(0.0)
}

/// A closed interval `[lo, hi]`, used for confidence intervals and central bands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Interval {
    /// Whether `x` lies in `[lo, hi]` (bounds included).
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// `hi − lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }

    /// `centre ± z·se`: a normal-approximation interval.
    pub(crate) fn normal(centre: f64, se: f64, z: f64) -> Interval {
        Interval {
            lo: centre - z * se,
            hi: centre + z * se,
        }
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::TimeHistogram;

    /// Whether `a` and `b` are within `tol`.
    pub fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// 10,000 values evenly spread over [200, 210): 10 in each 0.01 s bin.
    pub fn uniform_grid() -> (TimeHistogram, Vec<f64>) {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        let xs: Vec<f64> = (0..10_000).map(|i| 200.0005 + i as f64 * 0.001).collect();
        xs.iter().for_each(|&x| h.add(x));
        (h, xs)
    }

    /// Order statistic of rank max(1, ⌈p·n⌉) of sorted data.
    pub fn order_stat(sorted: &[f64], p: f64) -> f64 {
        let k = ((p * sorted.len() as f64).ceil() as usize).max(1);
        sorted[k - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything a run accumulates, so one property test covers every accumulator.
    #[derive(Clone, PartialEq, Debug)]
    struct Acc {
        hist: TimeHistogram,
        moments: MetreMoments,
        places: CountMoments,
        prop: Proportion,
        paired: PairedTimeDiff,
        paired_prop: PairedProportionDiff,
    }

    impl Acc {
        fn new() -> Self {
            Acc {
                hist: TimeHistogram::with_window_for(214.0).unwrap(),
                moments: MetreMoments::new(),
                places: CountMoments::new(),
                prop: Proportion::default(),
                paired: PairedTimeDiff::new(),
                paired_prop: PairedProportionDiff::default(),
            }
        }
        fn add(&mut self, t: f64) {
            self.hist.add(t);
            self.moments.add(t - 214.0);
            self.places.add_units((t as i64).rem_euclid(12) + 1);
            self.prop.add(t < 214.0);
            self.paired.add_pair(t, t * 0.999 + 0.3);
            self.paired_prop.add(t < 214.0, t < 215.0);
        }
        fn merge(&mut self, o: &Self) {
            self.hist.merge(&o.hist);
            self.moments.merge(&o.moments);
            self.places.merge(&o.places);
            self.prop.merge(&o.prop);
            self.paired.merge(&o.paired);
            self.paired_prop.merge(&o.paired_prop);
        }
        /// Every derived statistic, as bits.
        fn fingerprint(&self) -> Vec<Option<u64>> {
            let bits = |x: Option<f64>| x.map(f64::to_bits);
            let mut v = vec![
                bits(self.hist.mean()),
                bits(self.hist.sd()),
                bits(self.hist.cdf(214.0)),
                bits(self.moments.mean()),
                bits(self.moments.sd()),
                bits(self.places.sd()),
                bits(self.prop.wilson95().map(|w| w.lo)),
                bits(self.paired.se()),
                bits(self.paired_prop.se()),
            ];
            for p in [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
                v.push(bits(self.hist.quantile(p)));
            }
            v
        }
    }

    fn race_time() -> impl Strategy<Value = f64> {
        prop_oneof![
            20 => 195.0f64..240.0,
            2 => 100.0f64..400.0, // under- and overflow of [149.8, 342.4)
            1 => Just(f64::NAN),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Split the data at random points, fold each chunk, merge the chunks pairwise in a random
        /// tree (as rayon's reduce does): the state and every statistic are bit-identical to one
        /// sequential accumulator.
        #[test]
        fn merging_in_any_split_and_order_is_bit_identical(
            data in prop::collection::vec(race_time(), 0..400),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
            order_seed in any::<u64>(),
        ) {
            let mut single = Acc::new();
            data.iter().for_each(|&t| single.add(t));

            let mut cut_points: Vec<usize> = cuts.iter().map(|i| i.index(data.len() + 1)).collect();
            cut_points.push(0);
            cut_points.push(data.len());
            cut_points.sort_unstable();
            let mut parts: Vec<Acc> = cut_points
                .windows(2)
                .map(|w| {
                    let mut a = Acc::new();
                    data[w[0]..w[1]].iter().for_each(|&t| a.add(t));
                    a
                })
                .collect();

            let mut state = order_seed | 1;
            let mut next = |m: usize| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % m as u64) as usize
            };
            while parts.len() > 1 {
                let i = next(parts.len());
                let left = parts.swap_remove(i);
                let j = next(parts.len());
                let mut right = parts.swap_remove(j);
                // Merge in either direction: commutativity as well as associativity.
                let merged = if next(2) == 0 {
                    right.merge(&left);
                    right
                } else {
                    let mut l = left;
                    l.merge(&right);
                    l
                };
                parts.push(merged);
            }
            let merged = parts.pop().unwrap();
            prop_assert_eq!(merged.fingerprint(), single.fingerprint());
            prop_assert_eq!(merged, single);
        }
    }
}
