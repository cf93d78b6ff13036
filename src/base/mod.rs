//! The ground floor: the vocabulary every other room speaks.
//!
//! SI units and the human formats at the boundary ([`units`]), calendar dates ([`date`]), track
//! geometry ([`track`]), the global model parameters ([`params`]), the random streams
//! ([`rng`]) and the path of a field in an input file ([`error`]). Nothing here knows about
//! races, runners or files: these modules import nothing from the rest of the crate.

pub mod date;
pub mod error;
pub mod params;
pub(crate) mod parse;
pub mod rng;
pub mod track;
pub mod units;
