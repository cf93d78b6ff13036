//! What one race produced: finish times, places, splits and the race's own observations
//! (reserves, kicks, the regime drawn), and optionally a trace of every agent's position.
//!
//! Kept apart from the loop that fills it ([`super::Simulator`]) so that the Monte Carlo
//! accumulators and the charts read one plain value, whatever the loop looks like inside.

use crate::base::params::Regime;

/// What one race produced. Buffers are sized once and reused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RaceOutcome {
    /// Finish time per runner [s].
    pub finish_s: Vec<f64>,
    /// Place per runner, 1-based (ties broken by runner order).
    pub place: Vec<u32>,
    /// Split times, runner-major: `splits_s[r * n_splits + k]` [s].
    pub splits_s: Vec<f64>,
    /// Time of the first agent (pacers included) past each split point [s].
    pub leader_splits_s: Vec<f64>,
    /// Reserve left at the bell, as a fraction of the day's D′₀, per runner.
    pub reserve_at_bell: Vec<f64>,
    /// Lowest reserve reached, as a fraction of D′₀, per runner (for invariant checks).
    pub min_reserve_frac: Vec<f64>,
    /// Highest reserve reached, as a fraction of D′₀, per runner (for invariant checks).
    pub max_reserve_frac: Vec<f64>,
    /// Distance from the finish at which each runner's kick began [m] (NaN: he never kicked).
    pub kick_from_m: Vec<f64>,
    /// Pacer split errors: scheduled minus actual time at each scheduled point passed before the
    /// pacer stepped off [s], pacer-major in schedule order (only filled when asked).
    pub pacer_errors_s: Vec<(usize, f64, f64)>,
    /// The championship regime drawn (None for paced races and time trials).
    pub regime: Option<Regime>,
    /// Set when the race ran out of its step budget before every runner finished: who was
    /// furthest from the line, and where (the finish times are then placeholders).
    pub unfinished: Option<Unfinished>,
}

/// A race that could not finish within its step budget (see [`RaceOutcome::unfinished`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unfinished {
    /// The runner (index into the setup's runners) furthest from the line.
    pub runner: usize,
    /// How far he got [m].
    pub reached_m: f64,
    /// The race time at which the budget ran out [s].
    pub budget_s: f64,
}

impl RaceOutcome {
    /// Runner `runner`'s time at split point `k` in a race with `n_splits` split points [s].
    pub fn split(&self, runner: usize, k: usize, n_splits: usize) -> f64 {
        self.splits_s[runner * n_splits + k]
    }
}

/// Positions of every agent over one race, sampled at a fixed interval (for charts).
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Sampling interval [s].
    pub every_s: f64,
    /// The time of each frame [s].
    pub t: Vec<f64>,
    /// Per agent (runners first, then pacers), per frame: position [m] (NaN once off the track).
    pub s: Vec<Vec<f64>>,
    /// Per agent, per frame: speed [m/s] (NaN once off the track).
    pub v: Vec<Vec<f64>>,
    /// Per agent, per frame: lateral offset from the line of running [m] (NaN once off).
    pub y: Vec<Vec<f64>>,
    /// Reserve fraction (runners only; NaN for pacers).
    pub reserve: Vec<Vec<f64>>,
}
