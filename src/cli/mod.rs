//! Command-line arguments and dispatch.

mod compare;
mod optimize;
mod run;
mod sweep;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Monte Carlo simulation of elite middle-distance track races (800 m to 2 miles).
#[derive(Debug, Parser)]
#[command(name = "racesim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario many times: win and podium chances, finish times, splits.
    Run(RunArgs),
    /// Compare variants of a scenario on common random numbers: paired differences with 95 % CIs.
    Compare(compare::CompareArgs),
    /// Sweep one or two numeric fields over a grid (common random numbers across grid points).
    Sweep(sweep::SweepArgs),
    /// Search one runner's tactic parameters for the best win chance (or median time).
    Optimize(optimize::OptimizeArgs),
}

/// Options shared by every command that simulates.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Number of races to simulate (default: the scenario's `runs`, else 10 000).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub runs: Option<u64>,
    /// Random seed: the same seed gives the same results, whatever the thread count.
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 't', value_parser = clap::value_parser!(u64).range(1..=256))]
    pub threads: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML; see the README, "Scenario files").
    pub scenario: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Run this variant of the scenario instead of the base.
    #[arg(long)]
    pub variant: Option<String>,
    /// Write summary.json, runners.csv and splits.csv here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Optimize(a) => optimize::run(a),
    }
}
