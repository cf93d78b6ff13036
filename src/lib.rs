//! racesim: Monte Carlo simulation of elite middle-distance track races.
//!
//! Data flows one way: a scenario (or a real race record) is parsed and validated into a race
//! setup; the Monte Carlo engine runs many races of that setup; the aggregated result is turned
//! into reports (tables, JSON, CSV, charts).

pub mod base;
pub mod calibrate;
pub mod compare;
pub mod engine;
pub mod error;
pub mod montecarlo;
pub mod optimize;
pub mod plot;
pub mod record;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod tune;
pub mod validate;
