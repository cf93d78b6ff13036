//! A runner with no known time: placed relative to the field he is in.
//!
//! A starter whose marks could not be found is, in the shared data, usually a less documented
//! (and so, usually, a less accomplished) one. Both the simulation and the validation baseline
//! put him at the same point of the field ([`field_quantile`]).

use super::cache::FitCache;
use crate::base::params::ModelParams;
use crate::base::track::TrackKind;
use crate::engine::physiology::Physiology;

/// Quantile of the known runners' solo times that a runner with no known time is put at: the
/// slower quartile, 0.75 [U]. Putting him at the field's median would flatter him, at its
/// slowest would ignore that he qualified.
pub const FIELD_PRIOR_QUANTILE: f64 = 0.75;

/// The [`FIELD_PRIOR_QUANTILE`] of `times` (linear between order statistics).
///
/// # Panics
/// If `times` is empty: a field prior needs someone to be relative to (builds check that).
pub fn field_quantile(times: &[f64]) -> f64 {
    let mut v = times.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let pos = FIELD_PRIOR_QUANTILE * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// Physiology for a runner with no known time: the population priors for D′ and MSS/CS
/// ([`ModelParams::prior_d_prime_m`], [`ModelParams::prior_speed_reserve`]) and the CS that puts
/// his solo time at the [`field_quantile`] of the known runners' solo times. Returns it with its
/// solo time.
pub fn field_prior(
    known_solo: &[f64],
    track: TrackKind,
    distance_m: f64,
    params: &ModelParams,
    cache: &FitCache,
) -> (Physiology, f64) {
    let target = field_quantile(known_solo);
    let make = |cs: f64| Physiology {
        cs,
        d_prime: params.prior_d_prime_m,
        mss: cs * (1.0 + params.prior_speed_reserve),
    };
    let (mut a, mut b) = (3.0, 8.0);
    for _ in 0..30 {
        let mid = 0.5 * (a + b);
        if cache.time_trial(&make(mid), track, distance_m, params) > target {
            a = mid;
        } else {
            b = mid;
        }
    }
    let ph = make(0.5 * (a + b));
    (ph, cache.time_trial(&ph, track, distance_m, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slower_quartile_interpolates() {
        assert_eq!(field_quantile(&[210.0]), 210.0);
        // positions 0..4: 0.75·4 = 3 → the fourth fastest
        assert_eq!(field_quantile(&[214.0, 210.0, 212.0, 211.0, 213.0]), 213.0);
        // 0.75·3 = 2.25 → between the third and fourth
        assert!((field_quantile(&[210.0, 211.0, 212.0, 216.0]) - 213.0).abs() < 1e-12);
    }

    #[test]
    fn a_prior_runner_runs_the_slower_quartile() {
        let p = ModelParams::default();
        let cache = FitCache::new();
        let known = [210.0, 211.0, 212.0, 216.0];
        let (ph, t) = field_prior(&known, TrackKind::Outdoor400, 1500.0, &p, &cache);
        assert!((t - 213.0).abs() < 0.1, "{t}");
        assert_eq!(ph.d_prime, p.prior_d_prime_m);
        assert!((ph.mss / ph.cs - 1.0 - p.prior_speed_reserve).abs() < 1e-12);
        assert!(ph.check().is_ok());
    }
}
