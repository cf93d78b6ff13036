//! An estimate as reports print it: a value, its standard error and a 95 % interval.
//!
//! Every command that compares (compare, sweep, optimize) reports its numbers this way, so one
//! type carries them from the Monte Carlo accumulators to the tables, CSV files and charts.

use serde::Serialize;

use super::{Proportion, Z95};

/// An estimate with its standard error and 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimate.
    pub value: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end of the 95 % interval.
    pub hi: f64,
}

impl Estimate {
    /// `value ± 1.96·se`.
    pub fn normal(value: f64, se: f64) -> Estimate {
        Estimate {
            value,
            se,
            lo: value - Z95 * se,
            hi: value + Z95 * se,
        }
    }

    /// A proportion, with the Wilson interval.
    pub fn proportion(p: &Proportion) -> Estimate {
        let w = p.wilson95();
        Estimate {
            value: p.p().unwrap_or(f64::NAN),
            se: p.se().unwrap_or(f64::NAN),
            lo: w.map(|i| i.lo).unwrap_or(f64::NAN),
            hi: w.map(|i| i.hi).unwrap_or(f64::NAN),
        }
    }

    /// All four numbers multiplied by `k` (a positive `k`; e.g. 100 for percent).
    pub fn scaled(self, k: f64) -> Estimate {
        Estimate {
            value: self.value * k,
            se: self.se * k,
            lo: self.lo * k,
            hi: self.hi * k,
        }
    }

    /// The estimate of the opposite quantity.
    pub fn negated(self) -> Estimate {
        Estimate {
            value: -self.value,
            se: self.se,
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    /// Whether the 95 % interval excludes zero.
    pub fn excludes_zero(&self) -> bool {
        self.lo > 0.0 || self.hi < 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_scale_negate_and_test_zero() {
        let e = Estimate::normal(0.02, 0.005);
        assert!((e.lo - (0.02 - Z95 * 0.005)).abs() < 1e-15);
        assert!(e.excludes_zero());
        let pct = e.scaled(100.0);
        assert!((pct.value - 2.0).abs() < 1e-12 && (pct.hi - 100.0 * e.hi).abs() < 1e-12);
        let n = e.negated();
        assert_eq!((n.value, n.lo, n.hi, n.se), (-e.value, -e.hi, -e.lo, e.se));
        assert!(!Estimate::normal(0.001, 0.01).excludes_zero());
        let p = Estimate::proportion(&Proportion { k: 3, n: 10 });
        assert_eq!(p.value, 0.3);
        assert!(p.lo > 0.0 && p.hi < 1.0 && p.lo < 0.3 && 0.3 < p.hi);
        assert!(Estimate::proportion(&Proportion::default()).value.is_nan());
    }
}
