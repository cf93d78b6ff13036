//! The one path from a field as data to a race: fit the runners with marks, place the runners
//! with none, give everyone a tactic, check the race.
//!
//! `run`, `compare`, `sweep`, `optimize`, `calibrate`, `validate` and `tune` all build their races
//! here, so a scenario and a real race record with the same field give the same race.

use rayon::prelude::*;

use super::cache::FitCache;
use super::calibrate::{Fit, FitError};
use super::prior::field_prior;
use super::spec::{FieldSpec, RunnerSource};
use super::tactics::{TacticOverrides, resolve_tactics};
use crate::base::track::Track;
use crate::engine::physiology::Physiology;
use crate::engine::race::{RaceSetup, RunnerSpec, SetupError};

/// One runner of a built race, with where his numbers came from (reports show it).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BuiltRunner {
    /// His name.
    pub name: String,
    /// IOC / ISO-3 code, when known.
    pub country: Option<String>,
    /// The calibration, when he was fitted to reported times.
    pub fit: Option<Fit>,
    /// Whether the tactic is the profile default (not set in the input).
    pub default_tactic: bool,
    /// Whether no time was known and the field prior was used.
    pub field_prior: bool,
}

/// A field turned into a race.
#[derive(Debug, Clone)]
pub struct Field {
    /// The race, checked.
    pub setup: RaceSetup,
    /// Per runner, in the setup's order: how he was built.
    pub runners: Vec<BuiltRunner>,
}

/// Why a field cannot be built. The input that described the field says where the problem is in
/// its file (each input names its runners its own way).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuildError {
    /// A runner's marks cannot be fitted.
    #[error("{name}: {source}")]
    Fit {
        /// Index of the runner in the spec.
        index: usize,
        /// His name.
        name: String,
        /// Why.
        source: FitError,
    },
    /// Runners to place relative to the field, and nobody with a known time to place them by.
    #[error("`prior = \"field\"` needs at least one runner with known times to be relative to")]
    NoKnownRunner,
    /// The race itself is impossible.
    #[error(transparent)]
    Setup(#[from] SetupError),
}

/// A runner whose physiology is known (given, or fitted to his marks: the fit kept for reports).
type Known = (Physiology, Option<Fit>);

/// Build the race of `spec` (see the module docs). Fits and time trials go through `cache`.
///
/// Runners with reported times are fitted in parallel; runners with no time get the field prior
/// ([`field_prior`]) from the others' solo times; runners without a tactic get their profile's
/// default ([`resolve_tactics`]).
///
/// # Errors
/// [`BuildError`]: the first runner (in spec order) whose marks cannot be fitted, a field prior
/// with nobody to be relative to, or a race [`RaceSetup::new`] refuses.
pub fn build(spec: &FieldSpec, cache: &FitCache) -> Result<Field, BuildError> {
    let params = &spec.params;
    let fitted: Vec<Result<Option<Known>, FitError>> = spec
        .runners
        .par_iter()
        .map(|r| match &r.source {
            RunnerSource::Explicit(ph) => Ok(Some((*ph, None))),
            RunnerSource::FieldPrior => Ok(None),
            RunnerSource::Reported(marks) => cache
                .fit(marks, params)
                .map(|f| Some((f.physiology, Some(f)))),
        })
        .collect();
    let known: Vec<Option<Known>> = fitted
        .into_iter()
        .enumerate()
        .map(|(index, f)| {
            f.map_err(|source| BuildError::Fit {
                index,
                name: spec.runners[index].name.clone(),
                source,
            })
        })
        .collect::<Result<_, _>>()?;
    let solo_known: Vec<Option<f64>> = known
        .par_iter()
        .map(|k| {
            k.as_ref()
                .map(|(ph, _)| cache.time_trial(ph, spec.track, spec.distance_m, params))
        })
        .collect();
    // runners with nothing known are placed relative to the others
    let prior = if known.iter().any(Option::is_none) {
        let times: Vec<f64> = solo_known.iter().flatten().copied().collect();
        if times.is_empty() {
            return Err(BuildError::NoKnownRunner);
        }
        Some(field_prior(
            &times,
            spec.track,
            spec.distance_m,
            params,
            cache,
        ))
    } else {
        None
    };
    let n = known.len();
    let (mut phys, mut fits, mut solo, mut prior_flags) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (k, t) in known.into_iter().zip(solo_known) {
        let (ph, fit, t, from_prior) = match (k, t, prior) {
            (Some((ph, fit)), Some(t), _) => (ph, fit, t, false),
            (_, _, Some((ph, t))) => (ph, None, t, true),
            _ => unreachable!("a runner without physiology has the field prior"),
        };
        phys.push(ph);
        fits.push(fit);
        solo.push(t);
        prior_flags.push(from_prior);
    }
    let track = Track::new(spec.track);
    let overrides: Vec<TacticOverrides> = spec.runners.iter().map(|r| r.tactic.clone()).collect();
    let tactics = resolve_tactics(
        &overrides,
        &phys,
        &solo,
        spec.is_paced(),
        spec.distance_m,
        track.lap_m,
        params,
    );
    let specs: Vec<RunnerSpec> = spec
        .runners
        .iter()
        .enumerate()
        .map(|(i, r)| RunnerSpec {
            name: r.name.clone(),
            physiology: phys[i],
            tactic: tactics[i].0,
            solo_time_s: solo[i],
        })
        .collect();
    let setup = RaceSetup::new(
        track,
        spec.distance_m,
        specs,
        spec.pacers.clone(),
        spec.wavelight.clone(),
        &spec.extra_splits_m,
        params.clone(),
    )?;
    let runners = spec
        .runners
        .iter()
        .enumerate()
        .map(|(i, r)| BuiltRunner {
            name: r.name.clone(),
            country: r.country.clone(),
            fit: fits[i].clone(),
            default_tactic: tactics[i].1,
            field_prior: prior_flags[i],
        })
        .collect();
    Ok(Field { setup, runners })
}

/// Build several fields with `build_one` (which locates errors in its input): the first alone,
/// so that the others find its calibrations in the cache instead of repeating them side by side,
/// then the rest in parallel.
///
/// # Errors
/// The first error, in order.
pub fn build_many<T, E>(
    items: &[T],
    build_one: impl Fn(&T) -> Result<Field, E> + Sync,
) -> Result<Vec<Field>, E>
where
    T: Sync,
    E: Send,
{
    let Some(first) = items.first() else {
        return Ok(Vec::new());
    };
    let mut out = vec![build_one(first)?];
    let rest: Vec<Field> = items[1..]
        .par_iter()
        .map(&build_one)
        .collect::<Result<_, _>>()?;
    out.extend(rest);
    Ok(out)
}
