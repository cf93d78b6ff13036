//! racesim: Monte Carlo simulation of elite middle-distance track races.
//!
//! Data flows one way: a scenario (or a real race record) is parsed and validated into a race
//! setup; the Monte Carlo engine runs many races of that setup; the aggregated result is turned
//! into reports (tables, JSON, CSV, charts).

pub mod units;
pub mod error;
pub mod track;
pub mod plot;
