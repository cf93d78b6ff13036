//! One race: its setup (checked once), the step-by-step loop, and what it produced.
//!
//! Data flows setup → [`Simulator::run`] → outcome: the loop reads a [`RaceSetup`] and writes a
//! [`RaceOutcome`] (and, on request, a [`Trace`]), nothing else.

mod outcome;
mod setup;
mod sim;

pub use outcome::{RaceOutcome, Trace};
pub use setup::{MAX_AGENTS, RaceSetup, RunnerSpec, SetupError, default_split_points};
pub use sim::{RunnerDraw, Simulator, draw_runner};
