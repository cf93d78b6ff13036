//! Fits and time trials already computed, kept for the length of a command.
//!
//! A fit runs hundreds of solo time trials; variants, sweep points, validation races and tuning
//! steps build the same runners again and again. Both are deterministic functions of their inputs,
//! so a [`FitCache`] remembers them. It is a value the command creates and passes down (not a
//! hidden global): what is shared, and for how long, is visible at the call site, and a test can
//! start from an empty cache.
//!
//! The keys hold exactly what the result depends on: the marks (bit for bit, notes included —
//! a fit reports its marks back) and the model parameters a *solo* time trial depends on
//! ([`TrialParams`]). Alone on the track a runner has no draft, nobody to follow, block or
//! answer, no pacer and no regime, and his time-trial tactic has no kick and no noise; so only
//! the step, the bend cost, the energetics, the dynamics and the calibration priors matter. Keying
//! on these alone lets tuning and sweeps of race-level parameters reuse every fit.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::calibrate::{self, CalMark, Fit, FitError};
use crate::base::params::ModelParams;
use crate::base::track::TrackKind;
use crate::base::units::Event;
use crate::engine::physiology::Physiology;

/// The model parameters a solo time trial (and so a fit) depends on, as bits: see the module
/// docs. The test `time_trial_ignores_race_level_parameters` (in `calibrate`) guards the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrialParams([u64; 13]);

impl TrialParams {
    /// The time-trial-relevant part of `p`.
    pub fn of(p: &ModelParams) -> TrialParams {
        TrialParams(
            [
                p.dt_s,
                p.bend_psi,
                p.banked_factor,
                p.k_rec,
                p.tie_up_floor,
                p.tie_up_onset,
                p.tau_keller_s,
                p.tau_response_s,
                p.max_decel_mps2,
                p.prior_d_prime_m,
                p.prior_ln_d_prime_sd,
                p.prior_speed_reserve,
                p.prior_ln_reserve_sd,
            ]
            .map(f64::to_bits),
        )
    }
}

/// One mark as a key: every field, times as bits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MarkKey {
    event: Event,
    time_bits: u64,
    indoor: bool,
    age_bits: Option<u64>,
    note: String,
}

impl MarkKey {
    fn of(m: &CalMark) -> MarkKey {
        MarkKey {
            event: m.event,
            time_bits: m.time_s.to_bits(),
            indoor: m.indoor,
            age_bits: m.age_days.map(f64::to_bits),
            note: m.note.clone(),
        }
    }
}

type FitKey = (Vec<MarkKey>, TrialParams);
type TrialKey = ([u64; 3], TrackKind, u64, TrialParams);

/// Fits and solo time trials computed so far (see the module docs). Shared by reference between
/// threads: builds of several scenarios run in parallel and fill it together.
#[derive(Debug, Default)]
pub struct FitCache {
    fits: Mutex<HashMap<FitKey, Fit>>,
    trials: Mutex<HashMap<TrialKey, f64>>,
}

impl FitCache {
    /// An empty cache.
    pub fn new() -> FitCache {
        FitCache::default()
    }

    /// [`calibrate::fit`], remembered.
    ///
    /// # Errors
    /// As [`calibrate::fit`] (failures are not remembered: they are cheap and end the command).
    pub fn fit(&self, marks: &[CalMark], params: &ModelParams) -> Result<Fit, FitError> {
        let key = (
            marks.iter().map(MarkKey::of).collect::<Vec<_>>(),
            TrialParams::of(params),
        );
        if let Some(f) = self
            .fits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(f.clone());
        }
        let f = calibrate::fit(marks, params)?;
        self.fits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, f.clone());
        Ok(f)
    }

    /// [`calibrate::time_trial`], remembered.
    pub fn time_trial(
        &self,
        ph: &Physiology,
        track: TrackKind,
        distance_m: f64,
        params: &ModelParams,
    ) -> f64 {
        let key = (
            [ph.cs.to_bits(), ph.d_prime.to_bits(), ph.mss.to_bits()],
            track,
            distance_m.to_bits(),
            TrialParams::of(params),
        );
        if let Some(t) = self
            .trials
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return *t;
        }
        let t = calibrate::time_trial(ph, track, distance_m, params);
        self.trials
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, t);
        t
    }

    /// How many fits and time trials are remembered (for tests and diagnostics).
    pub fn sizes(&self) -> (usize, usize) {
        (
            self.fits
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .len(),
            self.trials
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_fits_and_trials_and_ignores_race_level_parameters() {
        let cache = FitCache::new();
        assert_eq!(cache.sizes(), (0, 0));
        let p = ModelParams::default();
        let marks = vec![CalMark::new(Event::M1500, 212.0, false)];
        let a = cache.fit(&marks, &p).unwrap();
        assert_eq!(a, calibrate::fit(&marks, &p).unwrap());
        // a race-level parameter does not change the key: the same fit comes back
        let q = ModelParams {
            draft_scale: 0.5,
            default_kick_m: 250.0,
            ..p.clone()
        };
        assert_eq!(cache.fit(&marks, &q).unwrap(), a);
        assert_eq!(cache.sizes().0, 1);
        // a time-trial parameter does
        let r = ModelParams {
            k_rec: 0.8,
            ..p.clone()
        };
        cache.fit(&marks, &r).unwrap();
        assert_eq!(cache.sizes().0, 2);
        // a note is part of the key (a fit reports its marks back)
        let mut noted = marks.clone();
        noted[0].note = "PB".into();
        assert_eq!(cache.fit(&noted, &p).unwrap().marks[0].mark.note, "PB");
        assert_eq!(cache.sizes().0, 3);

        let ph = a.physiology;
        let t = cache.time_trial(&ph, TrackKind::Outdoor400, 1500.0, &p);
        assert_eq!(
            t,
            calibrate::time_trial(&ph, TrackKind::Outdoor400, 1500.0, &p)
        );
        assert_eq!(cache.time_trial(&ph, TrackKind::Outdoor400, 1500.0, &q), t);
        assert_eq!(cache.sizes().1, 1);
        assert!(cache.time_trial(&ph, TrackKind::Indoor200, 1500.0, &p) > t);
        assert_eq!(cache.sizes().1, 2);
        // failures are reported, not remembered
        assert!(cache.fit(&[], &p).is_err());
        assert_eq!(cache.sizes().0, 3);
    }
}
