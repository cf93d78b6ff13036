//! A field as data: who runs, what is known about each runner, the pacing, the track and the
//! model — everything a race is built from, before anything is fitted or defaulted.
//!
//! Every input produces a [`FieldSpec`]: a scenario file (`input::scenario`), a real race record
//! (`input::record`). [`super::build`] turns it into a race, the same way whichever input it came
//! from.

use super::calibrate::CalMark;
use super::tactics::TacticOverrides;
use crate::base::params::ModelParams;
use crate::base::track::TrackKind;
use crate::engine::pacing::{PacerSpec, Schedule};
use crate::engine::physiology::Physiology;

/// Where a runner's parameters come from.
#[derive(Debug, Clone, PartialEq)]
pub enum RunnerSource {
    /// Fitted to reported times.
    Reported(Vec<CalMark>),
    /// Given explicitly.
    Explicit(Physiology),
    /// No reported time is known: a documented prior relative to the field
    /// ([`super::prior::field_prior`]).
    FieldPrior,
}

/// One runner of a field.
#[derive(Debug, Clone, PartialEq)]
pub struct RunnerEntry {
    /// His name (unique in the field).
    pub name: String,
    /// IOC / ISO-3 code, when known (reports print it).
    pub country: Option<String>,
    /// What is known about his ability.
    pub source: RunnerSource,
    /// What the input said about his tactic.
    pub tactic: TacticOverrides,
}

/// A field as data (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    /// The track.
    pub track: TrackKind,
    /// Race distance [m].
    pub distance_m: f64,
    /// The runners, in the order every result keeps.
    pub runners: Vec<RunnerEntry>,
    /// The pacemakers.
    pub pacers: Vec<PacerSpec>,
    /// Pace lights, if any.
    pub wavelight: Option<Schedule>,
    /// Split points to record besides the standard ones [m from the start].
    pub extra_splits_m: Vec<f64>,
    /// The model.
    pub params: ModelParams,
}

impl FieldSpec {
    /// Whether the race is paced (pacers or lights): runners without a tactic then follow.
    pub fn is_paced(&self) -> bool {
        !self.pacers.is_empty() || self.wavelight.is_some()
    }
}
