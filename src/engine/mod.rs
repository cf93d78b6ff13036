//! The model: what a runner is ([`physiology`]), what pacers do ([`pacing`]), what a runner wants
//! ([`tactics`]) and one race run step by step ([`race`]).
//!
//! The engine knows nothing of files, commands or reports: it takes a checked
//! [`race::RaceSetup`] and a seed and returns a [`race::RaceOutcome`]. Everything that makes a
//! setup (calibration, default tactics, priors) lives in `field`; everything that runs many races
//! lives in `montecarlo`.

pub mod pacing;
pub mod physiology;
pub mod race;
pub mod solo;
pub mod tactics;
