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
//! The second half of the module is scoring maths for validating the simulator against real
//! races: the probability integral transform ([`pit`]), central-band coverage
//! ([`central_band_covers`]), [`log_loss`], Brier scores ([`brier_multi`], [`brier_binary`]),
//! rank correlation ([`spearman`]), paired comparisons of two model variants run on common random
//! numbers ([`PairedDiff`], [`PairedProportionDiff`]) and PIT histograms ([`histogram_of_unit`]).
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

use std::fmt;

use serde::{Deserialize, Serialize};

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

/// Default bin width of a [`TimeHistogram`], 0.01 s: the resolution to which race times are
/// published, so finer bins would only describe simulator noise.
pub const DEFAULT_BIN_WIDTH_S: f64 = 0.01;

/// Lower edge of the window of [`TimeHistogram::with_window_for`], as a multiple of the expected
/// time.
///
/// 0.7 × expected is far faster than any plausible race: the 1500 m world record (3:26.00) is
/// 0.96 × the 214 s that a "typical" 7 m/s gives.
pub const WINDOW_LO_FACTOR: f64 = 0.7;

/// Upper edge of the window of [`TimeHistogram::with_window_for`], as a multiple of the expected
/// time.
///
/// 1.6 × expected covers the slowest tactical championship races and jogged opening laps (a first
/// 400 m in 70 s against an expected 57 s is 1.23 ×).
pub const WINDOW_HI_FACTOR: f64 = 1.6;

/// Most bins a [`TimeHistogram`] may have (10⁷ bins, 80 MB), to catch a window or a bin width
/// given in the wrong unit before it exhausts memory.
pub const MAX_BINS: usize = 10_000_000;

/// Two-sided 95 % standard-normal quantile, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959_963_984_540_054;

/// Default floor for [`log_loss`]: a probability of 10⁻³.
///
/// A Monte Carlo estimate cannot resolve probabilities much below 1/(number of races), and a
/// single race the model called "impossible" should not give an infinite (or dominating) loss.
/// 10⁻³ caps the loss of one outcome at ln 1000 ≈ 6.91 nats, the loss of an outcome the model
/// rates 1-in-1000; with fewer than about 10,000 simulated races, use a larger floor such as
/// `10.0 / races`.
pub const DEFAULT_LOG_LOSS_FLOOR: f64 = 1e-3;

/// Errors of this module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// A histogram window or bin width is unusable (not finite, empty, reversed, a bin narrower
    /// than 1 µs, too many bins, or beyond [`MAX_ABS_UNITS`]).
    #[error("invalid histogram window [{lo_s} s, {hi_s} s) with bins of {width_s} s: {reason}")]
    InvalidWindow {
        lo_s: f64,
        hi_s: f64,
        width_s: f64,
        reason: &'static str,
    },
    /// The expected time given to [`TimeHistogram::with_window_for`] is not a positive number.
    #[error("expected time must be a positive number of seconds, got {0}")]
    InvalidExpectedTime(f64),
    /// Two histograms with different windows cannot be merged bin by bin.
    #[error("cannot merge histograms with different windows: {left} and {right}")]
    WindowMismatch { left: HistWindow, right: HistWindow },
    /// A value given to [`histogram_of_unit`] is outside [0, 1] (or NaN).
    #[error("value {value} at index {index} is outside [0, 1]")]
    OutsideUnitInterval { index: usize, value: f64 },
    /// A histogram needs at least one bin.
    #[error("the number of bins must be at least 1")]
    ZeroBins,
}

impl From<StatsError> for crate::error::Error {
    fn from(e: StatsError) -> Self {
        crate::error::Error::Other(e.to_string())
    }
}

/// Converts a value to fixed-point units (`x · scale`, rounded to nearest, ties away from zero),
/// or `None` if it is NaN, infinite or beyond [`MAX_ABS_UNITS`].
///
/// Branch-light on purpose: one comparison (which also rejects NaN) and a truncating conversion.
#[inline]
fn to_units(x: f64, scale: f64) -> Option<i64> {
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
fn centred_sum_of_squares(n: u64, sum: i128, sumsq: i128) -> f64 {
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
    pub lo: f64,
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
    fn normal(centre: f64, se: f64, z: f64) -> Interval {
        Interval {
            lo: centre - z * se,
            hi: centre + z * se,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// TimeHistogram
// ---------------------------------------------------------------------------------------------

/// The bin layout of a [`TimeHistogram`]: `bins` bins of `width` from `lo`, in integer
/// microseconds so that two layouts compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistWindow {
    lo_us: i64,
    width_us: i64,
    bins: usize,
}

impl HistWindow {
    /// Lower edge of the first bin \[s\] (included).
    pub fn lo_s(&self) -> f64 {
        self.lo_us as f64 / MICROS_PER_SECOND as f64
    }

    /// Upper edge of the last bin \[s\] (excluded).
    pub fn hi_s(&self) -> f64 {
        self.hi_us() as f64 / MICROS_PER_SECOND as f64
    }

    /// Bin width \[s\].
    pub fn width_s(&self) -> f64 {
        self.width_us as f64 / MICROS_PER_SECOND as f64
    }

    /// Number of bins.
    pub fn bins(&self) -> usize {
        self.bins
    }

    fn hi_us(&self) -> i64 {
        self.lo_us + self.width_us * self.bins as i64
    }
}

impl fmt::Display for HistWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{} s, {} s) in {} bins of {} s",
            self.lo_s(),
            self.hi_s(),
            self.bins,
            self.width_s()
        )
    }
}

/// A streaming, exactly mergeable distribution of times (a finish time, a split time).
///
/// Each time is rounded to the nearest microsecond and then
/// - counted in one fixed-width bin of the window `[lo, hi)`, or in the underflow (`< lo`) or
///   overflow (`≥ hi`) count;
/// - added to an `i128` sum and sum of squares, so [`mean`](Self::mean) and [`sd`](Self::sd) are
///   exact whatever the window;
/// - folded into the exact minimum and maximum.
///
/// All state is integer, so [`merge`](Self::merge) is exactly associative and commutative and the
/// result of a parallel run does not depend on the number of threads. Memory is fixed at
/// construction: 8 bytes per bin (a 1500 m window from [`with_window_for`](Self::with_window_for)
/// has about 19,000 bins, 150 kB; a 5000 m one about 70,000 bins, 560 kB).
///
/// # Quantiles and the CDF
///
/// Inside a bin the values are treated as spread evenly, so quantiles and the CDF interpolate
/// linearly and are accurate to one bin width. The ends are tightened with the exact extremes: the
/// lowest non-empty segment starts at the minimum and the highest ends at the maximum, so
/// `quantile(0.0)` is the minimum and `quantile(1.0)` the maximum exactly. The underflow and the
/// overflow are each treated as one wide bin, `[min, lo)` and `[hi, max]`: a quantile that falls
/// there is interpolated between the exact extreme and the window edge, which is a guess about a
/// region the histogram has not resolved. It is still honest in that the true sample quantile lies
/// in the range [`quantile_bounds`](Self::quantile_bounds) reports; check
/// [`underflow`](Self::underflow)/[`overflow`](Self::overflow) (or the bounds) when tail quantiles
/// matter.
#[derive(Clone, PartialEq, Eq)]
pub struct TimeHistogram {
    window: HistWindow,
    /// `bins · width_us`, cached for the single unsigned range check in `add`.
    span_us: u64,
    counts: Box<[u64]>,
    underflow: u64,
    overflow: u64,
    invalid: u64,
    /// Valid values: `underflow + overflow + Σ counts`.
    n: u64,
    sum_us: i128,
    sumsq_us2: i128,
    /// `i64::MAX` while empty.
    min_us: i64,
    /// `i64::MIN` while empty.
    max_us: i64,
}

impl fmt::Debug for TimeHistogram {
    /// Summarises instead of printing every bin (a window has tens of thousands).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeHistogram")
            .field("window", &self.window)
            .field("n", &self.n)
            .field("underflow", &self.underflow)
            .field("overflow", &self.overflow)
            .field("invalid", &self.invalid)
            .field("min_us", &self.min_us)
            .field("max_us", &self.max_us)
            .field("sum_us", &self.sum_us)
            .field("sumsq_us2", &self.sumsq_us2)
            .field(
                "nonempty_bins",
                &self.counts.iter().filter(|&&c| c > 0).count(),
            )
            .finish()
    }
}

impl TimeHistogram {
    /// An empty histogram with bins of `width_s` over `[lo_s, hi_s)`.
    ///
    /// The edges and the width are rounded to whole microseconds. If `hi_s − lo_s` is not a
    /// multiple of the width, the last bin reaches past `hi_s` (the window is widened, never
    /// narrowed); [`window`](Self::window) reports the layout actually used.
    ///
    /// # Errors
    ///
    /// [`StatsError::InvalidWindow`] if a bound is not finite or beyond ±10⁶ s, `hi_s ≤ lo_s`, the
    /// width rounds to less than 1 µs, or the layout would need more than [`MAX_BINS`] bins.
    pub fn new(lo_s: f64, hi_s: f64, width_s: f64) -> Result<Self, StatsError> {
        let err = |reason| StatsError::InvalidWindow {
            lo_s,
            hi_s,
            width_s,
            reason,
        };
        let scale = MICROS_PER_SECOND as f64;
        let lo_us = to_units(lo_s, scale).ok_or_else(|| err("lower edge out of range"))?;
        let hi_us = to_units(hi_s, scale).ok_or_else(|| err("upper edge out of range"))?;
        let width_us = to_units(width_s, scale).ok_or_else(|| err("bin width out of range"))?;
        if width_us < 1 {
            return Err(err("bin width must be at least 1 µs"));
        }
        if hi_us <= lo_us {
            return Err(err("upper edge must exceed lower edge by at least 1 µs"));
        }
        let span = (hi_us - lo_us) as u64;
        let bins = span.div_ceil(width_us as u64);
        if bins > MAX_BINS as u64 {
            return Err(err("too many bins (more than MAX_BINS)"));
        }
        let window = HistWindow {
            lo_us,
            width_us,
            bins: bins as usize,
        };
        Ok(Self::empty(window))
    }

    /// An empty histogram with a window wide enough for any plausible race whose typical time is
    /// `expected_s`: `[0.7, 1.6] × expected_s` ([`WINDOW_LO_FACTOR`], [`WINDOW_HI_FACTOR`]) in bins
    /// of [`DEFAULT_BIN_WIDTH_S`].
    ///
    /// The engine passes `distance / typical speed`. The factors are generous because a too-narrow
    /// window degrades tail quantiles, while a wide one only costs memory (8 bytes per 0.01 s).
    ///
    /// # Errors
    ///
    /// [`StatsError::InvalidExpectedTime`] if `expected_s` is not a positive finite number, or
    /// [`StatsError::InvalidWindow`] if the window is unrepresentable (beyond 10⁶ s).
    pub fn with_window_for(expected_s: f64) -> Result<Self, StatsError> {
        if !(expected_s.is_finite() && expected_s > 0.0) {
            return Err(StatsError::InvalidExpectedTime(expected_s));
        }
        Self::new(
            WINDOW_LO_FACTOR * expected_s,
            WINDOW_HI_FACTOR * expected_s,
            DEFAULT_BIN_WIDTH_S,
        )
    }

    fn empty(window: HistWindow) -> Self {
        TimeHistogram {
            window,
            span_us: window.width_us as u64 * window.bins as u64,
            counts: vec![0; window.bins].into_boxed_slice(),
            underflow: 0,
            overflow: 0,
            invalid: 0,
            n: 0,
            sum_us: 0,
            sumsq_us2: 0,
            min_us: i64::MAX,
            max_us: i64::MIN,
        }
    }

    /// An empty histogram with the same window: the identity for rayon's `fold`/`reduce`.
    pub fn empty_like(&self) -> Self {
        Self::empty(self.window)
    }

    /// The bin layout.
    pub fn window(&self) -> HistWindow {
        self.window
    }

    /// Adds one time \[s\].
    ///
    /// O(1), allocation-free: a range check, a rounding, two integer sums, min/max and one bin
    /// increment. NaN, infinite and out-of-range (|t| > 10⁶ s) values are not added but counted in
    /// [`invalid`](Self::invalid).
    #[inline]
    pub fn add(&mut self, t_s: f64) {
        match to_units(t_s, MICROS_PER_SECOND as f64) {
            Some(us) => self.record(us),
            None => self.invalid += 1,
        }
    }

    /// Adds one time given in whole microseconds (values beyond ±[`MAX_ABS_UNITS`] count as
    /// invalid).
    #[inline]
    pub fn add_us(&mut self, t_us: i64) {
        if t_us.unsigned_abs() <= MAX_ABS_UNITS as u64 {
            self.record(t_us);
        } else {
            self.invalid += 1;
        }
    }

    #[inline]
    fn record(&mut self, us: i64) {
        self.n += 1;
        let w = i128::from(us);
        self.sum_us += w;
        self.sumsq_us2 += w * w;
        self.min_us = self.min_us.min(us);
        self.max_us = self.max_us.max(us);
        // Both operands are within ±10¹², so the difference cannot overflow. A negative offset
        // becomes a huge u64, so one unsigned comparison tells "inside the window".
        let off = us - self.window.lo_us;
        if (off as u64) < self.span_us {
            self.counts[(off as u64 / self.window.width_us as u64) as usize] += 1;
        } else if off < 0 {
            self.underflow += 1;
        } else {
            self.overflow += 1;
        }
    }

    /// Adds all of `other` into `self`.
    ///
    /// # Panics
    ///
    /// If the windows differ. Histograms of one quantity are always made from one template
    /// ([`empty_like`](Self::empty_like)), so a mismatch is a programming error; use
    /// [`try_merge`](Self::try_merge) where it is not.
    pub fn merge(&mut self, other: &Self) {
        if let Err(e) = self.try_merge(other) {
            panic!("{e}");
        }
    }

    /// Adds all of `other` into `self`, or leaves `self` unchanged if the windows differ.
    ///
    /// # Errors
    ///
    /// [`StatsError::WindowMismatch`] if the two windows are not identical.
    pub fn try_merge(&mut self, other: &Self) -> Result<(), StatsError> {
        if self.window != other.window {
            return Err(StatsError::WindowMismatch {
                left: self.window,
                right: other.window,
            });
        }
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a += b;
        }
        self.underflow += other.underflow;
        self.overflow += other.overflow;
        self.invalid += other.invalid;
        self.n += other.n;
        self.sum_us += other.sum_us;
        self.sumsq_us2 += other.sumsq_us2;
        self.min_us = self.min_us.min(other.min_us);
        self.max_us = self.max_us.max(other.max_us);
        Ok(())
    }

    /// Number of valid values added (inside the window or not).
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Values below the window.
    pub fn underflow(&self) -> u64 {
        self.underflow
    }

    /// Values at or above the upper edge of the window.
    pub fn overflow(&self) -> u64 {
        self.overflow
    }

    /// Values rejected by [`add`](Self::add): NaN, infinite or beyond ±10⁶ s. Not in
    /// [`count`](Self::count).
    pub fn invalid(&self) -> u64 {
        self.invalid
    }

    /// Exact minimum \[s\] (to the microsecond), `None` if empty.
    pub fn min(&self) -> Option<f64> {
        (self.n > 0).then(|| us_to_s(self.min_us))
    }

    /// Exact maximum \[s\] (to the microsecond), `None` if empty.
    pub fn max(&self) -> Option<f64> {
        (self.n > 0).then(|| us_to_s(self.max_us))
    }

    /// Mean \[s\], exact up to the final rounding to `f64`; `None` if empty.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum_us as f64 / self.n as f64 / MICROS_PER_SECOND as f64)
    }

    /// Sample variance \[s²\] (divisor `n − 1`), from exact integer sums; `None` below 2 values.
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| {
            let m2 = centred_sum_of_squares(self.n, self.sum_us, self.sumsq_us2);
            m2 / (self.n - 1) as f64 / (MICROS_PER_SECOND as f64 * MICROS_PER_SECOND as f64)
        })
    }

    /// Sample standard deviation \[s\]; `None` below 2 values.
    pub fn sd(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// Non-empty segments in increasing order as `(a_us, b_us, count)`: underflow, the bins, then
    /// overflow, each clamped to the exact `[min, max]`.
    fn segments(&self) -> impl Iterator<Item = (i64, i64, u64)> + '_ {
        let (lo, w, hi) = (self.window.lo_us, self.window.width_us, self.window.hi_us());
        let (min, max) = (self.min_us, self.max_us);
        let clamp = move |a: i64, b: i64| (a.max(min), b.min(max));
        let under = std::iter::once((i64::MIN, lo, self.underflow));
        let bins = self
            .counts
            .iter()
            .enumerate()
            .map(move |(i, &c)| (lo + w * i as i64, lo + w * (i as i64 + 1), c));
        let over = std::iter::once((hi, i64::MAX, self.overflow));
        under
            .chain(bins)
            .chain(over)
            .filter(|&(_, _, c)| c > 0)
            .map(move |(a, b, c)| {
                let (a, b) = clamp(a, b);
                (a, b, c)
            })
    }

    /// The segment holding the `p`-quantile and the fraction of its mass below it.
    fn locate(&self, p: f64) -> Option<(i64, i64, f64)> {
        assert!(
            (0.0..=1.0).contains(&p),
            "quantile level must be in [0, 1], got {p}"
        );
        if self.n == 0 {
            return None;
        }
        let target = p * self.n as f64;
        let mut cum = 0u64;
        for (a, b, c) in self.segments() {
            if (cum + c) as f64 >= target {
                let frac = ((target - cum as f64) / c as f64).clamp(0.0, 1.0);
                return Some((a, b, frac));
            }
            cum += c;
        }
        // Unreachable: p·n ≤ n in floating point, and the last segment brings cum to n.
        Some((self.max_us, self.max_us, 1.0))
    }

    /// The `p`-quantile \[s\], interpolated linearly inside its bin; `None` if empty.
    ///
    /// `quantile(0.0)` is the exact minimum and `quantile(1.0)` the exact maximum. Inside the
    /// window the error is at most one bin width. If the quantile falls in the underflow or
    /// overflow it is interpolated between the exact extreme and the window edge (see the type
    /// documentation); [`quantile_bounds`](Self::quantile_bounds) says how far off that can be.
    ///
    /// # Panics
    ///
    /// If `p` is not in `[0, 1]` (NaN included).
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.locate(p)
            .map(|(a, b, frac)| (a as f64 + frac * (b - a) as f64) / MICROS_PER_SECOND as f64)
    }

    /// An interval `[lo, hi]` \[s\] guaranteed to contain the sample `p`-quantile, taken as the
    /// order statistic of rank `max(1, ⌈p·n⌉)`; `None` if empty.
    ///
    /// It is the bin holding that order statistic clamped to the exact extremes, or `[min, lo)` /
    /// `[hi, max]` when it is in the underflow / overflow: so its width says how much to trust
    /// [`quantile`](Self::quantile), which always lies inside it.
    ///
    /// # Panics
    ///
    /// If `p` is not in `[0, 1]`.
    pub fn quantile_bounds(&self, p: f64) -> Option<Interval> {
        self.locate(p).map(|(a, b, _)| Interval {
            lo: us_to_s(a),
            hi: us_to_s(b),
        })
    }

    /// The quantiles reported in every summary; `None` if empty.
    pub fn quantiles(&self) -> Option<Quantiles> {
        let q = |p| self.quantile(p);
        Some(Quantiles {
            p05: q(0.05)?,
            p10: q(0.10)?,
            p25: q(0.25)?,
            p50: q(0.50)?,
            p75: q(0.75)?,
            p90: q(0.90)?,
            p95: q(0.95)?,
        })
    }

    /// Fraction of values ≤ `x_s`, interpolated linearly within a bin (the inverse of
    /// [`quantile`](Self::quantile)): the PIT value of an observed time. `None` if empty or `x_s` is
    /// NaN.
    ///
    /// Exactly 0 below the minimum and exactly 1 from the maximum on. O(bins).
    pub fn cdf(&self, x_s: f64) -> Option<f64> {
        if self.n == 0 || x_s.is_nan() {
            return None;
        }
        let x = x_s * MICROS_PER_SECOND as f64;
        let mut below = 0u64;
        let mut partial = 0.0;
        for (a, b, c) in self.segments() {
            if x >= b as f64 {
                below += c;
            } else {
                if x > a as f64 {
                    // Here a < x < b, so b − a > 0.
                    partial = c as f64 * (x - a as f64) / (b - a) as f64;
                }
                break;
            }
        }
        Some(((below as f64 + partial) / self.n as f64).min(1.0))
    }

    /// The bins of the window as `(bin centre [s], count)`, for plotting. Underflow and overflow
    /// are not included: see [`underflow`](Self::underflow) and [`overflow`](Self::overflow).
    pub fn bins(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let w = self.window;
        self.counts.iter().enumerate().map(move |(i, &c)| {
            let centre_us = w.lo_us as f64 + (i as f64 + 0.5) * w.width_us as f64;
            (centre_us / MICROS_PER_SECOND as f64, c)
        })
    }

    /// The bins as `(bin centre [s], probability density [1/s])`, normalised by the total count
    /// (under- and overflow included), so the in-window area is the fraction of values inside the
    /// window. All densities are 0 when the histogram is empty.
    pub fn density(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let norm = if self.n == 0 {
            0.0
        } else {
            1.0 / (self.n as f64 * self.window.width_s())
        };
        self.bins().map(move |(x, c)| (x, c as f64 * norm))
    }
}

fn us_to_s(us: i64) -> f64 {
    us as f64 / MICROS_PER_SECOND as f64
}

/// The quantiles of a time distribution that every summary reports \[s\].
///
/// Part of the public JSON contract: serialised with exactly the keys `p05`, `p10`, `p25`, `p50`,
/// `p75`, `p90`, `p95`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    pub p05: f64,
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    pub p95: f64,
}

impl Quantiles {
    /// The levels, in field order.
    pub const LEVELS: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

    /// The values, in field order.
    pub fn to_array(&self) -> [f64; 7] {
        [
            self.p05, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Proportion
// ---------------------------------------------------------------------------------------------

/// A Monte Carlo probability estimate: `k` successes in `n` trials (e.g. races a runner won).
///
/// Two integer counts, so merging is exact. Invariant: `k ≤ n`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Proportion {
    pub k: u64,
    pub n: u64,
}

impl Proportion {
    /// Records one trial.
    #[inline]
    pub fn add(&mut self, success: bool) {
        self.n += 1;
        self.k += u64::from(success);
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &Self) {
        self.k += other.k;
        self.n += other.n;
    }

    /// `k / n`; `None` when `n = 0`.
    pub fn p(&self) -> Option<f64> {
        debug_assert!(self.k <= self.n);
        (self.n > 0).then(|| self.k as f64 / self.n as f64)
    }

    /// Binomial Monte Carlo standard error `√(p(1 − p)/n)`; `None` when `n = 0`.
    ///
    /// It is 0 when `k = 0` or `k = n`, which understates the uncertainty: prefer
    /// [`wilson95`](Self::wilson95) for intervals.
    pub fn se(&self) -> Option<f64> {
        self.p().map(|p| (p * (1.0 - p) / self.n as f64).sqrt())
    }

    /// Wilson score interval for standard-normal quantile `z`; `None` when `n = 0`.
    ///
    /// Unlike the Wald interval `p ± z·se`, it stays inside [0, 1] and does not collapse to a
    /// point when `k = 0` or `k = n`, which matters for rare events (a long shot's win
    /// probability).[^1]
    ///
    /// [^1]: Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    ///     inference. *JASA* 22, 209–212. Brown, Cai & DasGupta (2001), *Statistical Science* 16,
    ///     101–133, compare the alternatives.
    pub fn wilson(&self, z: f64) -> Option<Interval> {
        let p = self.p()?;
        let n = self.n as f64;
        let z2n = z * z / n;
        let denom = 1.0 + z2n;
        let centre = (p + z2n / 2.0) / denom;
        let half = z / denom * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
        // At k = 0 (k = n) the lower (upper) bound is exactly 0 (1); set it so rounding does not
        // leave 1e-17 or 0.9999999999999999.
        Some(Interval {
            lo: if self.k == 0 {
                0.0
            } else {
                (centre - half).max(0.0)
            },
            hi: if self.k == self.n {
                1.0
            } else {
                (centre + half).min(1.0)
            },
        })
    }

    /// 95 % Wilson score interval ([`Z95`]).
    pub fn wilson95(&self) -> Option<Interval> {
        self.wilson(Z95)
    }
}

// ---------------------------------------------------------------------------------------------
// ExactMoments
// ---------------------------------------------------------------------------------------------

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
    invalid: u64,
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

    const SCALE_F: f64 = {
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
    fn record(&mut self, units: i64) {
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

// ---------------------------------------------------------------------------------------------
// Paired comparisons (common random numbers)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Scoring against real races
// ---------------------------------------------------------------------------------------------

/// Probability integral transform of an observed value `x_s` in a simulated distribution: the
/// simulated fraction ≤ `x_s` ([`TimeHistogram::cdf`]). `None` if the histogram is empty or `x_s` is
/// NaN.
///
/// Over many real races, PIT values of a calibrated model are uniform on [0, 1]; a U-shaped PIT
/// histogram means the simulated spread is too narrow, a hump means it is too wide, a slope means
/// a bias.
pub fn pit(hist: &TimeHistogram, x_s: f64) -> Option<f64> {
    hist.cdf(x_s)
}

/// The central `level` band of a simulated distribution: `[q((1 − level)/2), q((1 + level)/2)]`.
/// `None` if the histogram is empty.
///
/// # Panics
///
/// If `level` is not in (0, 1).
pub fn central_band(hist: &TimeHistogram, level: f64) -> Option<Interval> {
    assert!(
        level > 0.0 && level < 1.0,
        "band level must be in (0, 1), got {level}"
    );
    let tail = (1.0 - level) / 2.0;
    Some(Interval {
        lo: hist.quantile(tail)?,
        hi: hist.quantile(1.0 - tail)?,
    })
}

/// Whether an observed value falls inside the central `level` band (bounds included) of the
/// simulated distribution; `None` if the histogram is empty or `x_s` is NaN.
///
/// Over many real races, a calibrated model covers about `level` of them (use 0.5, 0.8 and 0.95).
///
/// # Panics
///
/// If `level` is not in (0, 1).
pub fn central_band_covers(hist: &TimeHistogram, x_s: f64, level: f64) -> Option<bool> {
    let band = central_band(hist, level)?;
    (!x_s.is_nan()).then(|| band.contains(x_s))
}

/// Log loss (negative log-likelihood, in nats) of the outcome that happened, given the probability
/// the model gave it: `−ln(max(p, floor))`.
///
/// The floor keeps an outcome the simulation never produced from giving an infinite loss (see
/// [`DEFAULT_LOG_LOSS_FLOOR`]). Probabilities slightly above 1 from rounding are treated as 1. NaN
/// gives NaN.
///
/// # Panics
///
/// If `floor` is not in (0, 1].
pub fn log_loss(p_of_actual: f64, floor: f64) -> f64 {
    assert!(
        floor > 0.0 && floor <= 1.0,
        "log-loss floor must be in (0, 1], got {floor}"
    );
    if p_of_actual.is_nan() {
        return f64::NAN;
    }
    -p_of_actual.clamp(floor, 1.0).ln()
}

/// Multi-category Brier score: `Σᵢ (pᵢ − oᵢ)²` where `oᵢ` is 1 for the outcome that happened and
/// 0 otherwise. 0 is perfect; the range is [0, 2] for a probability vector.
///
/// # Panics
///
/// If `actual_index` is not an index of `probs`.
pub fn brier_multi(probs: &[f64], actual_index: usize) -> f64 {
    assert!(
        actual_index < probs.len(),
        "actual index {actual_index} out of range for {} outcomes",
        probs.len()
    );
    probs
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let o = if i == actual_index { 1.0 } else { 0.0 };
            (p - o) * (p - o)
        })
        .sum()
}

/// Binary Brier score `(p − o)²`, `o = 1` if the event happened: range [0, 1].
pub fn brier_binary(p: f64, outcome: bool) -> f64 {
    let o = if outcome { 1.0 } else { 0.0 };
    (p - o) * (p - o)
}

/// 1-based ranks of `xs`, ties sharing the average of the ranks they span (the "fractional"
/// ranking Spearman's coefficient needs). `-0.0` and `0.0` tie.
///
/// # Panics
///
/// If `xs` contains NaN.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&i, &j| {
        xs[i]
            .partial_cmp(&xs[j])
            .expect("average_ranks: NaN cannot be ranked")
    });
    let mut ranks = vec![0.0; xs.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && xs[order[end]] == xs[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1 ..= end; their mean is (start + 1 + end) / 2.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson correlation of two equally long samples; `None` if `n < 2`, either has zero variance,
/// or a value is not finite.
///
/// # Panics
///
/// If the lengths differ.
pub fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    assert_eq!(xs.len(), ys.len(), "pearson: samples of different lengths");
    let n = xs.len();
    if n < 2 || xs.iter().chain(ys).any(|v| !v.is_finite()) {
        return None;
    }
    let mx = xs.iter().sum::<f64>() / n as f64;
    let my = ys.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&x, &y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman rank correlation: Pearson correlation of the average ranks, so ties are handled
/// exactly (the `1 − 6Σd²/(n(n²−1))` shortcut is wrong with ties). `None` if `n < 2`, either
/// sample is constant, or a value is NaN.
///
/// Used to compare a simulated finishing order (e.g. mean simulated place) with the real one.
///
/// # Panics
///
/// If the lengths differ.
pub fn spearman(xs: &[f64], ys: &[f64]) -> Option<f64> {
    assert_eq!(xs.len(), ys.len(), "spearman: samples of different lengths");
    if xs.len() < 2 || xs.iter().chain(ys).any(|v| v.is_nan()) {
        return None;
    }
    pearson(&average_ranks(xs), &average_ranks(ys))
}

/// Counts of values of [0, 1] in `bins` equal bins `[i/bins, (i+1)/bins)`, the last bin closed
/// at 1: a PIT histogram.
///
/// # Errors
///
/// [`StatsError::ZeroBins`] if `bins == 0`; [`StatsError::OutsideUnitInterval`] for the first
/// value outside [0, 1] (or NaN), since a PIT value there means a bug upstream.
pub fn histogram_of_unit(values: &[f64], bins: usize) -> Result<Vec<u64>, StatsError> {
    if bins == 0 {
        return Err(StatsError::ZeroBins);
    }
    let mut counts = vec![0u64; bins];
    for (index, &value) in values.iter().enumerate() {
        if !(0.0..=1.0).contains(&value) {
            return Err(StatsError::OutsideUnitInterval { index, value });
        }
        let i = ((value * bins as f64) as usize).min(bins - 1);
        counts[i] += 1;
    }
    Ok(counts)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_distr::{Distribution, Normal};

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// 10,000 values evenly spread over [200, 210): 10 in each 0.01 s bin.
    fn uniform_grid() -> (TimeHistogram, Vec<f64>) {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        let xs: Vec<f64> = (0..10_000).map(|i| 200.0005 + i as f64 * 0.001).collect();
        xs.iter().for_each(|&x| h.add(x));
        (h, xs)
    }

    /// Order statistic of rank max(1, ⌈p·n⌉) of sorted data.
    fn order_stat(sorted: &[f64], p: f64) -> f64 {
        let k = ((p * sorted.len() as f64).ceil() as usize).max(1);
        sorted[k - 1]
    }

    // --- TimeHistogram -------------------------------------------------------------------------

    #[test]
    fn window_layout_and_validation() {
        let h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        assert_eq!(h.window().bins(), 1000);
        assert_eq!(h.window().lo_s(), 200.0);
        assert_eq!(h.window().hi_s(), 210.0);
        // A span that is not a multiple of the width is widened to a whole bin.
        let h = TimeHistogram::new(0.0, 1.005, 0.01).unwrap();
        assert_eq!(h.window().bins(), 101);
        assert!(close(h.window().hi_s(), 1.01, 1e-12));

        for (lo, hi, w) in [
            (210.0, 200.0, 0.01),
            (200.0, 200.0, 0.01),
            (200.0, 210.0, 0.0),
            (200.0, 210.0, -0.01),
            (200.0, 210.0, 1e-7),
            (f64::NAN, 210.0, 0.01),
            (200.0, f64::INFINITY, 0.01),
            (0.0, 1e5, 1e-6),
            (0.0, 2e6, 1.0),
        ] {
            assert!(
                matches!(
                    TimeHistogram::new(lo, hi, w),
                    Err(StatsError::InvalidWindow { .. })
                ),
                "({lo}, {hi}, {w}) should be rejected"
            );
        }
    }

    #[test]
    fn with_window_for_is_wide_and_validated() {
        let h = TimeHistogram::with_window_for(214.0).unwrap();
        let w = h.window();
        assert!(close(w.lo_s(), 0.7 * 214.0, 1e-6));
        assert!(w.hi_s() >= 1.6 * 214.0 - 1e-6 && w.hi_s() < 1.6 * 214.0 + 0.01);
        assert!(close(w.width_s(), 0.01, 1e-12));
        // The 1500 m world record and a very slow tactical race both fall inside.
        let mut h = h;
        h.add(206.0);
        h.add(260.0);
        assert_eq!((h.underflow(), h.overflow()), (0, 0));
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                TimeHistogram::with_window_for(bad),
                Err(StatsError::InvalidExpectedTime(_))
            ));
        }
    }

    #[test]
    fn empty_histogram_has_no_statistics() {
        let h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        assert_eq!(h.count(), 0);
        assert_eq!(h.mean(), None);
        assert_eq!(h.sd(), None);
        assert_eq!(h.min(), None);
        assert_eq!(h.quantile(0.5), None);
        assert_eq!(h.quantiles(), None);
        assert_eq!(h.cdf(205.0), None);
        assert!(h.density().all(|(_, d)| d == 0.0));
    }

    #[test]
    fn exact_mean_sd_min_max() {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        for x in [200.0, 200.5, 201.0] {
            h.add(x);
        }
        assert_eq!(h.mean(), Some(200.5));
        assert_eq!(h.variance(), Some(0.25));
        assert_eq!(h.sd(), Some(0.5));
        assert_eq!(h.min(), Some(200.0));
        assert_eq!(h.max(), Some(201.0));
        // One value: a mean but no sample sd.
        let mut one = h.empty_like();
        one.add(203.25);
        assert_eq!(one.mean(), Some(203.25));
        assert_eq!(one.sd(), None);
    }

    #[test]
    fn variance_has_no_cancellation_at_large_offsets() {
        // Values 10⁶ s + {0, 1, 2} µs: sample variance exactly 1 µs². The naive f64 formula
        // sumsq/n − mean² loses everything here (its terms are 10²⁴ µs²).
        let mut m = SecondMoments::new();
        for u in [0, 1, 2] {
            m.add_units(MAX_ABS_UNITS - u);
        }
        assert_eq!(m.variance(), Some(1e-12));
        let mut h = TimeHistogram::new(0.0, 10.0, 0.01).unwrap();
        for u in [0, 1, 2] {
            h.add_us(MAX_ABS_UNITS - u);
        }
        assert_eq!(h.variance(), Some(1e-12));
        assert_eq!(h.overflow(), 3);
        // And a negative sum (Euclidean division path): {−3, −1} µs, mean −2 µs, variance 2 µs².
        let mut neg = SecondMoments::new();
        neg.add_units(-3);
        neg.add_units(-1);
        assert_eq!(neg.mean(), Some(-2e-6));
        assert!(close(neg.variance().unwrap(), 2e-12, 1e-24));
    }

    #[test]
    fn invalid_values_are_counted_not_added() {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 2e6, -2e6] {
            h.add(x);
        }
        h.add_us(i64::MAX);
        h.add(205.0);
        assert_eq!(h.invalid(), 6);
        assert_eq!(h.count(), 1);
        assert_eq!(h.mean(), Some(205.0));
        assert_eq!((h.underflow(), h.overflow()), (0, 0));
    }

    #[test]
    fn bin_edges_follow_microseconds() {
        let mut h = TimeHistogram::new(200.0, 200.03, 0.01).unwrap();
        h.add(200.0); // first bin (lower edge included)
        h.add(200.009_999_6); // rounds to 200.010000: second bin
        h.add(200.019_999); // second bin
        h.add(200.03); // upper edge excluded: overflow
        h.add(199.999_999); // underflow
        let counts: Vec<u64> = h.bins().map(|(_, c)| c).collect();
        assert_eq!(counts, vec![1, 2, 0]);
        assert_eq!((h.underflow(), h.overflow()), (1, 1));
        let centres: Vec<f64> = h.bins().map(|(x, _)| x).collect();
        assert!(close(centres[0], 200.005, 1e-9) && close(centres[2], 200.025, 1e-9));
    }

    #[test]
    fn quantiles_of_uniform_grid_within_a_bin() {
        let (h, xs) = uniform_grid();
        for i in 0..=100 {
            let p = i as f64 / 100.0;
            let q = h.quantile(p).unwrap();
            assert!(close(q, 200.0 + 10.0 * p, 0.01), "p={p}: {q}");
            assert!(close(q, order_stat(&xs, p), 0.01), "p={p}: {q}");
        }
        assert_eq!(h.quantile(0.0), h.min());
        assert_eq!(h.quantile(1.0), h.max());
        // Median: 5000 of 10,000 values lie below 205.00 exactly, so interpolation gives the bin
        // edge 205.00 (up to the representation of the sum of f64 terms).
        assert!(close(h.quantile(0.5).unwrap(), 205.0, 1e-9));
        let q = h.quantiles().unwrap();
        assert!(close(q.p05, 200.5, 1e-9) && close(q.p95, 209.5, 1e-9));
        assert!(close(q.p25, 202.5, 1e-9) && close(q.p75, 207.5, 1e-9));
    }

    #[test]
    fn quantiles_and_cdf_of_normal_sample() {
        let mut rng = StdRng::seed_from_u64(20_240_601);
        let normal = Normal::new(210.0, 3.0).unwrap();
        let mut xs: Vec<f64> = (0..200_000).map(|_| normal.sample(&mut rng)).collect();
        let mut h = TimeHistogram::with_window_for(210.0).unwrap();
        xs.iter().for_each(|&x| h.add(x));
        xs.sort_by(f64::total_cmp);

        for p in [0.001, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.999] {
            let exact = order_stat(&xs, p);
            let q = h.quantile(p).unwrap();
            assert!(close(q, exact, 0.01), "p={p}: hist {q} vs sample {exact}");
            let b = h.quantile_bounds(p).unwrap();
            assert!(b.contains(exact) && b.contains(q), "p={p}: {b:?} {exact}");
            assert!(b.width() <= 0.01 + 1e-9);
        }
        // Against the population: z-quantiles 1.6449 and 0.6745, with sampling error < 0.05 s.
        let q = h.quantiles().unwrap();
        assert!(close(q.p50, 210.0, 0.05));
        assert!(close(q.p95, 210.0 + 1.644_854 * 3.0, 0.06));
        assert!(close(q.p25, 210.0 - 0.674_490 * 3.0, 0.05));
        assert!(close(h.mean().unwrap(), 210.0, 0.03));
        assert!(close(h.sd().unwrap(), 3.0, 0.03));
        // CDF against Φ: Φ(1) = 0.841345, Φ(−2) = 0.022750.
        assert!(close(h.cdf(213.0).unwrap(), 0.841_345, 0.004));
        assert!(close(h.cdf(204.0).unwrap(), 0.022_750, 0.002));
        // CDF against the empirical fraction ≤ x: within one bin's mass.
        for x in [203.0, 207.77, 210.0, 211.234, 216.0] {
            let frac = xs.partition_point(|&v| v <= x) as f64 / xs.len() as f64;
            assert!(close(h.cdf(x).unwrap(), frac, 0.002), "x={x}");
        }
        // The CDF inverts the quantile function.
        for p in [0.05, 0.3, 0.5, 0.8, 0.95] {
            assert!(close(h.cdf(h.quantile(p).unwrap()).unwrap(), p, 1e-9));
        }
    }

    #[test]
    fn cdf_of_uniform_grid_and_its_ends() {
        let (h, _) = uniform_grid();
        for x in [200.0, 201.234, 205.0, 207.5, 209.99] {
            assert!(close(h.cdf(x).unwrap(), (x - 200.0) / 10.0, 1e-3), "x={x}");
        }
        assert_eq!(h.cdf(199.0), Some(0.0));
        assert_eq!(h.cdf(200.0004), Some(0.0)); // below the minimum 200.0005
        assert_eq!(h.cdf(h.max().unwrap()), Some(1.0));
        assert_eq!(h.cdf(f64::INFINITY), Some(1.0));
        assert_eq!(h.cdf(f64::NEG_INFINITY), Some(0.0));
        assert_eq!(h.cdf(f64::NAN), None);
        // Monotone.
        let mut last = 0.0;
        for i in 0..2000 {
            let c = h.cdf(199.5 + i as f64 * 0.0055).unwrap();
            assert!(c >= last);
            last = c;
        }
    }

    #[test]
    fn underflow_and_overflow_are_honest() {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        for x in [195.0, 205.0, 215.0] {
            h.add(x);
        }
        assert_eq!((h.underflow(), h.overflow(), h.count()), (1, 1, 3));
        assert_eq!(h.quantile(0.0), Some(195.0));
        assert_eq!(h.quantile(1.0), Some(215.0));
        // The lowest third is the underflow, spread over [min, lo) = [195, 200): the 1/6-quantile
        // is half-way, and its bounds are that whole unresolved range.
        assert!(close(h.quantile(1.0 / 6.0).unwrap(), 197.5, 1e-9));
        assert_eq!(
            h.quantile_bounds(0.1),
            Some(Interval {
                lo: 195.0,
                hi: 200.0
            })
        );
        assert_eq!(
            h.quantile_bounds(0.9),
            Some(Interval {
                lo: 210.0,
                hi: 215.0
            })
        );
        // The median is the value 205 itself, resolved to its bin [205.00, 205.01).
        let b = h.quantile_bounds(0.5).unwrap();
        assert!(b.contains(205.0) && b.width() <= 0.01 + 1e-9);
        assert!(close(h.cdf(197.5).unwrap(), 1.0 / 6.0, 1e-12));
        assert!(close(h.cdf(212.5).unwrap(), 5.0 / 6.0, 1e-12));
        assert!(close(h.cdf(207.0).unwrap(), 2.0 / 3.0, 1e-12));
        // Mean and sd stay exact whatever the window.
        assert_eq!(h.mean(), Some(205.0));
        assert_eq!(h.sd(), Some(10.0));
    }

    #[test]
    fn everything_below_window_uses_min_and_max() {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        h.add(150.0);
        h.add(160.0);
        // Underflow segment is [min, max] = [150, 160], not [150, 200).
        assert_eq!(h.quantile(0.5), Some(155.0));
        assert_eq!(h.quantile(1.0), Some(160.0));
        assert_eq!(h.cdf(160.0), Some(1.0));
    }

    #[test]
    fn single_value_is_a_point_mass() {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        h.add(203.456);
        for p in [0.0, 0.3, 1.0] {
            assert_eq!(h.quantile(p), Some(203.456));
        }
        assert_eq!(h.cdf(203.455), Some(0.0));
        assert_eq!(h.cdf(203.456), Some(1.0));
    }

    #[test]
    #[should_panic(expected = "quantile level")]
    fn quantile_level_out_of_range_panics() {
        let (h, _) = uniform_grid();
        let _ = h.quantile(1.5);
    }

    #[test]
    fn density_integrates_to_in_window_fraction() {
        let mut h = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        for x in [190.0, 201.0, 202.0, 203.0] {
            h.add(x);
        }
        let area: f64 = h.density().map(|(_, d)| d * 0.01).sum();
        assert!(close(area, 0.75, 1e-12));
        let peak = h.density().map(|(_, d)| d).fold(0.0, f64::max);
        assert!(close(peak, 0.25 / 0.01, 1e-9));
    }

    #[test]
    fn merge_rejects_different_windows() {
        let mut a = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        a.add(201.0);
        let before = a.clone();
        let b = TimeHistogram::new(200.0, 210.0, 0.02).unwrap();
        assert!(matches!(
            a.try_merge(&b),
            Err(StatsError::WindowMismatch { .. })
        ));
        assert_eq!(a, before);
    }

    #[test]
    #[should_panic(expected = "different windows")]
    fn merge_panics_on_different_windows() {
        let mut a = TimeHistogram::new(200.0, 210.0, 0.01).unwrap();
        a.merge(&TimeHistogram::new(200.0, 211.0, 0.01).unwrap());
    }

    #[test]
    fn quantiles_json_keys_are_the_contract() {
        let q = Quantiles {
            p05: 1.0,
            p10: 2.0,
            p25: 3.0,
            p50: 4.0,
            p75: 5.0,
            p90: 6.0,
            p95: 7.0,
        };
        let v = serde_json::to_value(q).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["p05", "p10", "p25", "p50", "p75", "p90", "p95"]);
        assert_eq!(v["p50"], 4.0);
        let back: Quantiles = serde_json::from_value(v).unwrap();
        assert_eq!(back, q);
        assert_eq!(q.to_array(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
    }

    // --- Proportion ----------------------------------------------------------------------------

    #[test]
    fn proportion_p_se_and_wilson() {
        let mut p = Proportion::default();
        assert_eq!(p.p(), None);
        assert_eq!(p.wilson95(), None);
        for i in 0..10 {
            p.add(i < 3);
        }
        assert_eq!(p, Proportion { k: 3, n: 10 });
        assert_eq!(p.p(), Some(0.3));
        assert!(close(p.se().unwrap(), (0.021f64).sqrt(), 1e-15));
        // Wilson 95 % for 3/10, by hand with z = 1.96: centre 0.49208/1.38416 = 0.355508,
        // half-width 1.96·√(0.021 + 0.009604)/1.38416 = 0.247719 → [0.107789, 0.603227].
        let w = p.wilson95().unwrap();
        assert!(close(w.lo, 0.107_789, 1e-4), "{w:?}");
        assert!(close(w.hi, 0.603_227, 1e-4), "{w:?}");
        // 0/10: lower bound 0, upper z²/n/(1 + z²/n) = 0.38415/1.38415 = 0.277532.
        let w0 = Proportion { k: 0, n: 10 }.wilson95().unwrap();
        assert_eq!(w0.lo, 0.0);
        assert!(close(w0.hi, 0.277_532, 1e-5), "{w0:?}");
        // 10/10 mirrors it.
        let w1 = Proportion { k: 10, n: 10 }.wilson95().unwrap();
        assert!(close(w1.lo, 1.0 - 0.277_532, 1e-5) && w1.hi == 1.0);
        // Wald would collapse at 0; Wilson does not.
        assert_eq!(Proportion { k: 0, n: 10 }.se(), Some(0.0));
    }

    // --- ExactMoments --------------------------------------------------------------------------

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

    // --- Paired comparisons --------------------------------------------------------------------

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

    // --- Scoring -------------------------------------------------------------------------------

    #[test]
    fn pit_of_uniform_sample_is_identity() {
        let (h, _) = uniform_grid();
        for u in [0.01, 0.1, 0.37, 0.5, 0.9, 0.99] {
            let x = 200.0 + 10.0 * u;
            assert!(close(pit(&h, x).unwrap(), u, 1e-3), "u={u}");
        }
        assert_eq!(pit(&h, 150.0), Some(0.0));
        assert_eq!(pit(&h, 250.0), Some(1.0));
    }

    #[test]
    fn central_bands_of_uniform_sample() {
        let (h, _) = uniform_grid();
        let b50 = central_band(&h, 0.5).unwrap();
        assert!(close(b50.lo, 202.5, 1e-9) && close(b50.hi, 207.5, 1e-9));
        assert_eq!(central_band_covers(&h, 205.0, 0.5), Some(true));
        assert_eq!(central_band_covers(&h, 203.0, 0.5), Some(true));
        assert_eq!(central_band_covers(&h, 202.0, 0.5), Some(false));
        assert_eq!(central_band_covers(&h, 208.0, 0.5), Some(false));
        // 80 %: [201, 209].
        assert_eq!(central_band_covers(&h, 201.5, 0.8), Some(true));
        assert_eq!(central_band_covers(&h, 200.5, 0.8), Some(false));
        // 95 %: [200.25, 209.75].
        assert_eq!(central_band_covers(&h, 200.5, 0.95), Some(true));
        assert_eq!(central_band_covers(&h, 200.1, 0.95), Some(false));
        assert_eq!(central_band_covers(&h, 209.9, 0.95), Some(false));
        assert_eq!(central_band_covers(&h, f64::NAN, 0.95), None);
        assert_eq!(central_band_covers(&h.empty_like(), 205.0, 0.5), None);
    }

    #[test]
    fn log_loss_by_hand() {
        assert!(close(log_loss(0.5, 1e-3), std::f64::consts::LN_2, 1e-15));
        assert!(close(
            log_loss(0.25, 1e-3),
            2.0 * std::f64::consts::LN_2,
            1e-15
        ));
        assert_eq!(log_loss(1.0, 1e-3), 0.0);
        assert_eq!(log_loss(1.0 + 1e-12, 1e-3), 0.0);
        // Floored: ln 1000 = 6.907755.
        assert!(close(
            log_loss(0.0, DEFAULT_LOG_LOSS_FLOOR),
            6.907_755_279,
            1e-9
        ));
        assert!(close(log_loss(1e-9, 1e-3), 6.907_755_279, 1e-9));
        assert!(log_loss(f64::NAN, 1e-3).is_nan());
    }

    #[test]
    fn brier_by_hand() {
        let probs = [0.7, 0.2, 0.1];
        // Actual 0: 0.3² + 0.2² + 0.1² = 0.14. Actual 2: 0.7² + 0.2² + 0.9² = 1.34.
        assert!(close(brier_multi(&probs, 0), 0.14, 1e-15));
        assert!(close(brier_multi(&probs, 2), 1.34, 1e-15));
        assert_eq!(brier_multi(&[0.0, 1.0], 1), 0.0);
        assert_eq!(brier_multi(&[1.0, 0.0], 1), 2.0);
        assert!(close(brier_binary(0.8, true), 0.04, 1e-15));
        assert!(close(brier_binary(0.8, false), 0.64, 1e-15));
    }

    #[test]
    #[should_panic(expected = "out of range")]
    fn brier_multi_bad_index_panics() {
        brier_multi(&[0.5, 0.5], 2);
    }

    #[test]
    fn average_ranks_with_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 20.0, 5.0, 20.0]),
            vec![2.0, 4.0, 4.0, 1.0, 4.0]
        );
        assert_eq!(average_ranks(&[0.0, -0.0]), vec![1.5, 1.5]);
    }

    #[test]
    fn spearman_by_hand() {
        // No ties (the IQ / hours of television example in many textbooks): Σd² = 194,
        // ρ = 1 − 6·194/(10·99) = −29/165.
        let iq = [
            106.0, 100.0, 86.0, 101.0, 99.0, 103.0, 97.0, 113.0, 112.0, 110.0,
        ];
        let tv = [7.0, 27.0, 2.0, 50.0, 28.0, 29.0, 20.0, 12.0, 6.0, 17.0];
        assert!(close(spearman(&iq, &tv).unwrap(), -29.0 / 165.0, 1e-12));

        // Ties: x ranks (1, 2.5, 2.5, 4), y ranks (1, 3, 2, 4). Deviations (−1.5, 0, 0, 1.5) and
        // (−1.5, 0.5, −0.5, 1.5): Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5, ρ = 4.5/√22.5 = √0.9.
        let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        assert!(close(r, 0.9f64.sqrt(), 1e-12), "{r}");
        // The no-ties shortcut would give 1 − 6·0.5/60 = 0.95 here: the tie handling matters.
        assert!(!close(r, 0.95, 1e-3));

        // Ties in both, perfectly monotone: ±1.
        let x = [1.0, 2.0, 2.0, 3.0, 7.0];
        assert!(close(
            spearman(&x, &[10.0, 20.0, 20.0, 30.0, 31.0]).unwrap(),
            1.0,
            1e-12
        ));
        assert!(close(
            spearman(&x, &[5.0, 4.0, 4.0, 3.0, -1.0]).unwrap(),
            -1.0,
            1e-12
        ));
        // Undefined cases.
        assert_eq!(spearman(&[1.0], &[2.0]), None);
        assert_eq!(spearman(&[], &[]), None);
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(spearman(&[1.0, f64::NAN], &[1.0, 2.0]), None);
    }

    #[test]
    fn histogram_of_unit_by_hand() {
        let v = [0.0, 0.1, 0.25, 0.5, 0.99, 1.0];
        assert_eq!(histogram_of_unit(&v, 4).unwrap(), vec![2, 1, 1, 2]);
        assert_eq!(histogram_of_unit(&v, 1).unwrap(), vec![6]);
        assert_eq!(histogram_of_unit(&[], 3).unwrap(), vec![0, 0, 0]);
        assert_eq!(histogram_of_unit(&v, 0), Err(StatsError::ZeroBins));
        assert!(matches!(
            histogram_of_unit(&[0.5, 1.5], 4),
            Err(StatsError::OutsideUnitInterval { index: 1, .. })
        ));
        assert!(matches!(
            histogram_of_unit(&[f64::NAN], 4),
            Err(StatsError::OutsideUnitInterval { index: 0, .. })
        ));
    }

    // --- Merge order independence --------------------------------------------------------------

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

        /// For in-window data, every quantile is within one bin width of the sample order
        /// statistic and its bounds contain it.
        #[test]
        fn quantile_within_one_bin_of_sample(
            mut data in prop::collection::vec(150.0f64..340.0, 1..300),
            p in 0.0f64..=1.0,
        ) {
            let mut h = TimeHistogram::with_window_for(214.0).unwrap();
            data.iter().for_each(|&t| h.add(t));
            data.sort_by(f64::total_cmp);
            let exact = order_stat(&data, p);
            let q = h.quantile(p).unwrap();
            let b = h.quantile_bounds(p).unwrap();
            // Stored values are rounded to 1 µs.
            prop_assert!(b.lo <= exact + 1e-6 && exact <= b.hi + 1e-6, "{:?} {}", b, exact);
            prop_assert!(b.lo <= q && q <= b.hi);
            prop_assert!((q - exact).abs() <= 0.01 + 1e-6);
        }
    }
}
