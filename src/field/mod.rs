//! The field: from what is known about the runners to a race the engine can run.
//!
//! A field arrives as data ([`FieldSpec`], from a scenario file or a race record): runners with
//! reported times, explicit parameters or nothing known, tactic choices, pacers. This room owns
//! every step from there to a [`RaceSetup`](crate::engine::race::RaceSetup):
//!
//! * [`calibrate`] fits each runner's CS, D′ and sprint speed to his marks, through the engine's
//!   own solo time trial;
//! * [`cache`] remembers fits and time trials for the length of a command ([`FitCache`], passed
//!   in by the caller);
//! * [`prior`] places a runner with no known time relative to the field;
//! * [`tactics`] resolves each runner's tactic: the input's choices, profile defaults for the
//!   rest;
//! * [`build()`] is the one path through all of it.

pub mod build;
pub mod cache;
pub mod calibrate;
pub mod prior;
pub mod spec;
pub mod tactics;

pub use build::{BuildError, BuiltRunner, Field, build, build_many};
pub use cache::FitCache;
pub use spec::{FieldSpec, RunnerEntry, RunnerSource};
