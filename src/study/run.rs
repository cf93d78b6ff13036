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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FitCache;
    use crate::input::record::tests_support::record;
    use crate::input::scenario::Scenario;
    use crate::testkit::SCENARIO;

    #[test]
    fn a_record_is_compared_only_over_the_same_distance() {
        let rec = record();
        assert_eq!(extra_split_points(&rec), [400.0, 800.0, 1500.0]);
        let mile = Scenario::from_str(SCENARIO, "t.toml").unwrap();
        let mut field = mile.build(&FitCache::new()).unwrap();
        let e = compare_with(&mut field, &rec).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the record is a 1500 m race and the scenario 1609.34 m"
        );
        // the same field over 1500 m outdoors: compatible, with no note, and the record's split
        // points recorded too
        let t = SCENARIO
            .replace("track = \"indoor200\"", "track = \"outdoor400\"")
            .replace("distance = \"mile\"", "distance = \"1500m\"")
            .replace("lap = \"28.5\"", "lap = \"57.0\"");
        let mut field = Scenario::from_str(&t, "t.toml")
            .unwrap()
            .build(&FitCache::new())
            .unwrap();
        let before = field.setup.n_splits();
        let notes = compare_with(&mut field, &rec).unwrap();
        assert!(notes.is_empty());
        assert_eq!(
            field.setup.n_splits(),
            before,
            "400, 800 and 1500 m are split points already"
        );
        // indoors: a note, not an error
        let t = t.replace("track = \"outdoor400\"", "track = \"indoor200\"");
        let mut field = Scenario::from_str(&t, "t.toml")
            .unwrap()
            .build(&FitCache::new())
            .unwrap();
        let notes = compare_with(&mut field, &rec).unwrap();
        assert_eq!(
            notes,
            ["the real race was on a outdoor400 track, the simulation on a indoor200 track"]
        );
    }
}
