//! Command-line arguments and dispatch.

mod calibrate;
mod compare;
mod optimize;
mod plot;
mod run;
mod sweep;
mod tune;
mod validate;

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
    /// Simulate real races from their pre-race information and score what actually happened.
    Validate(ValidateArgs),
    /// Tune the model's global parameters on real races (documented coordinate search).
    Tune(TuneArgs),
    /// Fit runners to their reported times: CS, D′, sprint speed, and how well they reproduce.
    Calibrate(CalibrateArgs),
    /// Compare variants of a scenario on common random numbers: paired differences with 95 % CIs.
    Compare(compare::CompareArgs),
    /// Sweep one or two numeric fields over a grid (common random numbers across grid points).
    Sweep(sweep::SweepArgs),
    /// Search one runner's tactic parameters for the best win chance (or median time).
    Optimize(optimize::OptimizeArgs),
    /// Charts of a real race record: `racesim plot race RACE.json --out DIR`.
    Plot(plot::PlotArgs),
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// A scenario whose runners to calibrate.
    pub scenario: Option<PathBuf>,
    /// Or: an athlete database (../shared/data/athletes.json) ...
    #[arg(long, conflicts_with = "scenario")]
    pub athletes: Option<PathBuf>,
    /// ... using the marks set before this date (YYYY-MM-DD).
    #[arg(long, requires = "athletes")]
    pub as_of: Option<String>,
    /// Only these athletes (default: all).
    #[arg(long = "name", requires = "athletes")]
    pub names: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Model parameters to use instead of the defaults.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Print "Wrote N files to DIR: a, b, c".
pub fn print_written(dir: &std::path::Path, written: &[PathBuf]) {
    say(&format!(
        "\nWrote {} files to {}: {}\n",
        written.len(),
        dir.display(),
        written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
}

/// Print to stdout; a closed pipe (`racesim ... | head`) ends the program quietly.
pub fn say(s: &str) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_all(s.as_bytes()).and_then(|_| o.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
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

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Race records in the format of ../shared/data/README.md.
    #[arg(required = true)]
    pub races: Vec<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write validation.json, validation.txt and the PIT histogram chart here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Model parameters to use instead of the defaults (a TOML file of `ModelParams` fields).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TuneArgs {
    /// Race records to tune on.
    #[arg(required = true)]
    pub races: Vec<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Passes of the coordinate descent.
    #[arg(long, default_value_t = 2)]
    pub passes: usize,
    /// Start from these parameters instead of the defaults.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Write tune.json and the tuned parameters (tuned-model.toml) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

/// Read a `[model]`-style TOML file of parameters (missing fields keep their defaults).
pub fn load_model(path: &std::path::Path) -> anyhow::Result<racesim::base::params::ModelParams> {
    use racesim::error::{Error, InputError};
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let p: racesim::base::params::ModelParams = toml::from_str(&text).map_err(|e| {
        Error::Input(InputError::new(
            path,
            e.span()
                .map(|s| racesim::error::line_of_offset(&text, s.start)),
            "",
            e.message()
                .lines()
                .next()
                .unwrap_or("invalid model file")
                .to_string(),
        ))
    })?;
    p.validate()
        .map_err(|e| Error::Input(InputError::new(path, None, e.param, e.message)))?;
    Ok(p)
}

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Tune(a) => tune::run(a),
        Command::Calibrate(a) => calibrate::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Optimize(a) => optimize::run(a),
        Command::Plot(a) => plot::run(a),
    }
}
