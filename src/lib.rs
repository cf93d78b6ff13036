//! racesim: Monte Carlo simulation of elite middle-distance track races.
//!
//! Data flows one way: a scenario (or a real race record) is parsed and validated into a race
//! setup; the Monte Carlo engine runs many races of that setup; the aggregated result is turned
//! into reports (tables, JSON, CSV, charts).

#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod base;
pub mod engine;
pub mod error;
pub mod field;
pub mod input;
pub mod montecarlo;
pub mod plot;
pub mod report;
pub mod stats;
pub mod study;
pub mod web;

#[cfg(test)]
pub(crate) mod testkit;
