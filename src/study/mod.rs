//! Studies: what the commands ask of the model, as library code that returns values.
//!
//! Each study takes its inputs (a scenario, race records, options, a [`FitCache`]
//! (crate::field::FitCache)) and returns a report value; printing and writing it is the report
//! room's job. [`compare`] variants on common random numbers, [`sweep`] a grid of parameter values,
//! [`optimize`] a runner's tactic, [`validate`] against real races, [`tune`] the global parameters.

pub mod compare;
pub mod optimize;
pub mod sweep;
pub mod tune;
pub mod validate;
