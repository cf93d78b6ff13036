//! Scoring a simulation against what really happened: PIT, coverage, log loss, Brier,
//! rank correlation.

use super::{Interval, StatsError, TimeHistogram};

/// Default floor for [`log_loss`]: a probability of 10⁻³.
///
/// A Monte Carlo estimate cannot resolve probabilities much below 1/(number of races), and a
/// single race the model called "impossible" should not give an infinite (or dominating) loss.
/// 10⁻³ caps the loss of one outcome at ln 1000 ≈ 6.91 nats, the loss of an outcome the model
/// rates 1-in-1000; with fewer than about 10,000 simulated races, use a larger floor such as
/// `10.0 / races`.
pub const DEFAULT_LOG_LOSS_FLOOR: f64 = 1e-3;

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
/// Values are ordered by `f64::total_cmp`, so a NaN (which no caller passes: times and
/// probabilities are checked finite) ranks after every number instead of panicking.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&i, &j| xs[i].total_cmp(&xs[j]));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::{close, uniform_grid};

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
}
