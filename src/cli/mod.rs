//! Command-line arguments and dispatch.

mod plot;
mod run;

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
    /// Charts of a real race record: `racesim plot race RACE.json --out DIR`.
    Plot(plot::PlotArgs),
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
    /// Write summary.json, runners.csv, splits.csv, the charts (PNG and SVG) and report.html here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// With --out: write the tables and report.html but no charts (faster).
    #[arg(long)]
    pub no_charts: bool,
    /// A real race record (JSON) to put beside the simulation: its splits on the charts and a
    /// "real vs simulated" table.
    #[arg(long, value_name = "RACE.json")]
    pub compare_with: Option<PathBuf>,
}

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Plot(a) => plot::run(a),
    }
}
