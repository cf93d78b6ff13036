//! Simulating a scenario (`racesim run`), possibly beside a real race: the race recording the
//! real race's split points too, so the report can put each real time in its simulated
//! distribution without interpolating.

use crate::base::units::fmt_m;
use crate::engine::race::{RaceSetup, SetupError};
use crate::field::Field;
use crate::input::record::RaceRecord;

/// Why a race record cannot be put beside a simulation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareWithError {
    /// A different distance, or nothing to compare.
    #[error("{0}")]
    Incompatible(String),
    /// The record's split points cannot be recorded.
    #[error(transparent)]
    Setup(#[from] SetupError),
}

/// Check that `rec` can be compared with a race of `setup`; returns notes for the reader (the
/// track differs ...).
///
/// # Errors
/// [`CompareWithError::Incompatible`] when the distance differs, or the record has neither
/// results nor splits.
pub fn check_compatible(
    rec: &RaceRecord,
    setup: &RaceSetup,
) -> Result<Vec<String>, CompareWithError> {
    let incompatible = |m: String| Err(CompareWithError::Incompatible(m));
    if (rec.distance_m - setup.distance_m).abs() > 0.01 {
        return incompatible(format!(
            "the record is a {} m race and the scenario {} m",
            fmt_m(rec.distance_m),
            fmt_m(setup.distance_m)
        ));
    }
    if rec.results.is_empty() && rec.splits.is_empty() && rec.athlete_splits.is_empty() {
        return incompatible("the record has no results or splits (a pre-race field file?)".into());
    }
    let mut notes = Vec::new();
    if rec.track != setup.track.kind {
        notes.push(format!(
            "the real race was on a {} track, the simulation on a {} track",
            rec.track, setup.track.kind
        ));
    }
    Ok(notes)
}

/// Split points of the record (leader and athletes) to record in the run as well.
pub fn extra_split_points(rec: &RaceRecord) -> Vec<f64> {
    let mut v: Vec<f64> = rec.splits.iter().map(|s| s.at_m).collect();
    v.extend(rec.athlete_splits.values().flatten().map(|s| s.at_m));
    v.retain(|x| *x > 0.0 && *x <= rec.distance_m);
    v.sort_by(f64::total_cmp);
    v.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    v
}

/// Prepare `field` to be compared with `rec`: check they can be compared, and record splits at
/// the record's split points too (recording a split changes no race). Returns the notes of
/// [`check_compatible`].
///
/// # Errors
/// As [`check_compatible`]; [`CompareWithError::Setup`] if a split point cannot be recorded.
pub fn compare_with(field: &mut Field, rec: &RaceRecord) -> Result<Vec<String>, CompareWithError> {
    let notes = check_compatible(rec, &field.setup)?;
    field.setup = field.setup.with_extra_splits(&extra_split_points(rec))?;
    Ok(notes)
}
