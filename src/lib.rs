//! racesim: Monte Carlo simulation of elite middle-distance track races.
//!
//! Data flows one way: a scenario (or a real race record) is parsed and validated into a race
//! setup; the Monte Carlo engine runs many races of that setup; the aggregated result is turned
//! into reports (tables, JSON, CSV, charts).

pub mod calibrate;
pub mod compare;
pub mod error;
pub mod montecarlo;
pub mod optimize;
pub mod pacing;
pub mod params;
pub mod physiology;
pub mod plot;
pub mod race;
pub mod record;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod tactics;
pub mod track;
pub mod tune;
pub mod units;
pub mod validate;
