//! A distribution of times that merges exactly: fixed bins, integer counts and sums.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{
    Interval, MAX_ABS_UNITS, MICROS_PER_SECOND, StatsError, centred_sum_of_squares, to_units,
};

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

    /// Like [`new`](Self::new) but never fails: for the engine's windows, which are derived from
    /// times a checked input produced. Edges that are not finite or lie beyond ±10⁶ s are
    /// clamped into range, an empty window gets one bin, and a layout that would need more than
    /// [`MAX_BINS`] bins gets wider bins. For every window `new` accepts, the layout is the same.
    pub fn covering(lo_s: f64, hi_s: f64, width_s: f64) -> Self {
        let scale = MICROS_PER_SECOND as f64;
        let limit = 1e6 * scale;
        let us = |x: f64, fallback: f64| {
            let v = if x.is_finite() { x * scale } else { fallback };
            v.round().clamp(-limit, limit) as i64
        };
        let lo_us = us(lo_s, 0.0);
        let width_us = us(width_s, scale).max(1);
        let hi_us = us(hi_s, limit).max(lo_us + width_us);
        let span = (hi_us - lo_us) as u64;
        let mut bins = span.div_ceil(width_us as u64);
        let mut width_us = width_us;
        if bins > MAX_BINS as u64 {
            width_us = span.div_ceil(MAX_BINS as u64) as i64;
            bins = span.div_ceil(width_us as u64);
        }
        Self::empty(HistWindow {
            lo_us,
            width_us,
            bins: bins as usize,
        })
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
    /// ([`empty_like`](Self::empty_like)), so a mismatch is a programming error that no input can
    /// cause — and a merge that went on would give silently wrong quantiles; use
    /// [`try_merge`](Self::try_merge) where a mismatch is possible.
    #[allow(
        clippy::panic,
        reason = "an invariant of the accumulators, not reachable from input (reviewed, issue 14)"
    )]
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
    /// 5 % quantile.
    pub p05: f64,
    /// 10 % quantile.
    pub p10: f64,
    /// 25 % quantile (lower quartile).
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75 % quantile (upper quartile).
    pub p75: f64,
    /// 90 % quantile.
    pub p90: f64,
    /// 95 % quantile.
    pub p95: f64,
}

impl Quantiles {
    /// The levels, in field order.
    pub const LEVELS: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

    /// Every quantile unknown (an empty distribution): reports print `-`, JSON `null`.
    pub const NAN: Quantiles = Quantiles {
        p05: f64::NAN,
        p10: f64::NAN,
        p25: f64::NAN,
        p50: f64::NAN,
        p75: f64::NAN,
        p90: f64::NAN,
        p95: f64::NAN,
    };

    /// The values, in field order.
    pub fn to_array(&self) -> [f64; 7] {
        [
            self.p05, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::SecondMoments;
    use crate::stats::testutil::{close, order_stat, uniform_grid};
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_distr::{Distribution, Normal};

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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

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
