//! Studies: what the commands ask of the model, as library code that returns values.
//!
//! Each study takes its inputs (a scenario, race records, options, a [`FitCache`]
//! (crate::field::FitCache)) and returns a report value; printing and writing it is the report
//! room's job. [`run`] a scenario (beside a real race), [`compare`] variants on common random
//! numbers, [`sweep`] a grid of parameter values, [`optimize`] a runner's tactic, [`calibrate`]
//! runners to their marks, [`validate`] against real races, [`tune`] the global parameters.

pub mod calibrate;
pub mod compare;
pub mod optimize;
pub mod run;
pub mod sweep;
pub mod tune;
pub mod validate;

use crate::error::Result;
use crate::field::{Field, FitCache};
use crate::input::scenario::Scenario;

/// Build every scenario (variants, grid points), sharing `cache`: the first alone, the rest in
/// parallel ([`crate::field::build_many`]).
///
/// # Errors
/// The first build error, in order.
pub fn build_all(scenarios: &[Scenario], cache: &FitCache) -> Result<Vec<Field>> {
    crate::field::build_many(scenarios, |s| s.build(cache))
}
