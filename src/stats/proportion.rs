//! A Monte Carlo probability: successes in trials, two integers that merge exactly.

use serde::{Deserialize, Serialize};

use super::{Interval, Z95};

/// A Monte Carlo probability estimate: `k` successes in `n` trials (e.g. races a runner won).
///
/// Two integer counts, so merging is exact. Invariant: `k ≤ n`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Proportion {
    /// Successes.
    pub k: u64,
    /// Trials.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::close;

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
}
