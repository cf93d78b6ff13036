//! The command line: every command's arguments (clap), with the help texts users read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use racesim::report::table::Format;
use racesim::study::optimize::Objective;
use racesim::study::sweep::Metric;

/// The help of `--format`, which every command with a main table takes.
const FORMAT_HELP: &str = "text: the report for the terminal (fitted to COLUMNS or the terminal's width); csv or json: only the main table, every column, for a pipe";

/// `--format text|csv|json`.
fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

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
    Compare(CompareArgs),
    /// Sweep one or two numeric fields over a grid (common random numbers across grid points).
    Sweep(SweepArgs),
    /// Search one runner's tactic parameters for the best win chance (or median time).
    Optimize(OptimizeArgs),
    /// Charts of a real race record: `racesim plot race RACE.json --out DIR`.
    Plot(PlotArgs),
    /// The what-if page in a browser: a local web server (open the address it prints).
    Serve(ServeArgs),
    /// Write a scenario: `racesim scenario from-record RACE.json` (or `from-field FIELD.json`).
    #[command(subcommand)]
    Scenario(ScenarioCommand),
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// A real race record as a commented scenario (TOML) of its pre-race part: the entrants with
    /// the marks validate uses, the pacers with their plan; it runs as is and builds the same
    /// field as `racesim validate`.
    FromRecord(FromRecordArgs),
    /// A pre-race field file (a start list, e.g. ../shared/data/fields/*.json) as a commented
    /// scenario (TOML) that runs as is.
    FromField(FromRecordArgs),
}

#[derive(Debug, Args)]
pub struct FromRecordArgs {
    /// The race record or field file (JSON; see ../shared/data/README.md).
    pub record: PathBuf,
    /// Write the scenario to this file (through a temporary file and a rename) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// With --out: replace the file if it exists (otherwise an existing file is an error).
    #[arg(long, requires = "out")]
    pub force: bool,
    /// The model validate would be given (--model): its values that differ from the shipped
    /// model go into the scenario's [model].
    #[arg(long)]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but a loopback address makes the page reachable from other
    /// machines (the server says so).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The scenarios the page offers (only files in this folder can be named).
    #[arg(long, default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// The race records the page offers (only files in this folder can be named).
    #[arg(long, default_value = "../shared/data/races")]
    pub records: PathBuf,
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
    #[arg(long, default_value = "text", value_name = "text|csv|json", value_parser = parse_format, help = FORMAT_HELP)]
    pub format: Format,
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
    /// Write summary.json, runners.csv (with each runner's split cards), splits.csv, the charts
    /// (PNG and SVG) and report.html here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// With --out: write the tables and report.html but no charts (faster).
    #[arg(long)]
    pub no_charts: bool,
    /// A real race record (JSON) to put beside the simulation: its splits on the charts and a
    /// "real vs simulated" table.
    #[arg(long, value_name = "RACE.json")]
    pub compare_with: Option<PathBuf>,
    /// A time to beat (a PB, a qualifying standard), e.g. 3:30.00: each runner's chance of
    /// finishing faster, with its Monte Carlo error. Repeat for several.
    #[arg(long = "target", value_name = "TIME", value_parser = |s: &str| racesim::base::units::parse_time(s).map_err(|e| e.to_string()))]
    pub targets: Vec<f64>,
    /// Give this runner a 10–90 % band on the split charts (the top four by median finish
    /// time always have one; the rest are plain lines). Repeat for several.
    #[arg(long = "highlight", value_name = "NAME")]
    pub highlight: Vec<String>,
    /// Print the head-to-head table: the chance each runner finishes ahead of each other one
    /// (always in summary.json and report.html).
    #[arg(long)]
    pub h2h: bool,
    #[arg(long, default_value = "text", value_name = "text|csv|json", value_parser = parse_format, help = FORMAT_HELP)]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(mut_arg("runs", |a| a.help("Races simulated for each race record (default 4 000)")))]
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
    #[arg(long, default_value = "text", value_name = "text|csv|json", value_parser = parse_format, help = FORMAT_HELP)]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(mut_arg("runs", |a| a.help("Races simulated for each race record, each time a parameter value is tried (default 1 000)")))]
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
    /// Search only these knobs, comma-separated (default: every knob, in the documented order).
    #[arg(long, value_delimiter = ',')]
    pub knobs: Vec<String>,
    /// Write tune.json and the tuned parameters (tuned-model.toml) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Variants to compare, comma-separated; the first is the reference the others are measured
    /// against. `base` is the scenario as written; `NAME@PATH=VALUE` sets a numeric field on top,
    /// e.g. `base,base@runner."Josh Kerr".kick_m=300`. Default: the scenario's variants (with
    /// `base` first if it has only one).
    #[arg(long, value_name = "A,B,...")]
    pub variants: Option<String>,
    /// A runner to report (repeat for several). Default: the runners whose tactic or ability
    /// differs between the variants (else everyone), and every other runner whose win % moves
    /// by more than its Monte Carlo error (95 % paired interval excluding 0).
    #[arg(long = "runner", value_name = "NAME")]
    pub runners: Vec<String>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write compare.csv, compare.json and the difference charts (diff_win, diff_time; PNG and
    /// SVG) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Give each variant its own random numbers instead of common ones: the classical design,
    /// only useful to see how much wider its intervals are.
    #[arg(long)]
    pub independent_streams: bool,
    #[arg(long, default_value = "text", value_name = "text|csv|json", value_parser = parse_format, help = FORMAT_HELP)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A field and its values, PATH=FROM..TO:STEP, e.g. 'runner."Josh Kerr".kick_m=150..450:25'
    /// or 'pacer.1.drop_out_m=800..1200:100' or 'model.draft_scale=0.5..1.5:0.25'. Once for a
    /// line, twice for a heatmap; at most 200 grid points in all. Times are in seconds. A
    /// runner's tactic field must be one his tactic reads (surge_rise only for surge, …): a
    /// field that would change nothing is refused.
    #[arg(long = "param", value_name = "PATH=FROM..TO:STEP", required = true)]
    pub params: Vec<String>,
    /// Start from this variant of the scenario instead of the base.
    #[arg(long)]
    pub variant: Option<String>,
    /// Runner to chart and tabulate (repeat for several). Default: the runners named in the
    /// parameter paths, else everyone. The CSV always has every runner.
    #[arg(long = "runner", value_name = "NAME")]
    pub runners: Vec<String>,
    /// What to chart and tabulate: win, podium, median, mean-place.
    #[arg(long, default_value = "win", value_parser = |s: &str| s.parse::<Metric>())]
    pub metric: Metric,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write sweep.csv, sweep.json and the chart (sweep_line or sweep_heatmap; PNG and SVG) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    #[arg(long, default_value = "text", value_name = "text|csv|json", value_parser = parse_format, help = FORMAT_HELP)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The runner whose tactic is searched (the others keep theirs).
    #[arg(long, value_name = "NAME")]
    pub runner: String,
    /// A tactic field of that runner and the range to search, PATH=FROM..TO[:STEP], e.g.
    /// 'runner."Josh Kerr".kick_m=150..450:25' (kick_m, drive_m, pace, target, max_place,
    /// surge_at_m, surge_len_m, surge_rise) that his tactic reads — drive_m only for
    /// long-drive, pace for front-run, target for chase-clock or front-run, max_place for
    /// race-the-field, surge_* for surge; any other is refused. Once or twice. STEP is the coarse
    /// grid's (default: 8 intervals for one parameter, 5 for two).
    #[arg(long = "param", value_name = "PATH=FROM..TO[:STEP]", required = true)]
    pub params: Vec<String>,
    /// Maximise the win probability, or minimise the median time.
    #[arg(long, default_value = "win", value_parser = |s: &str| s.parse::<Objective>())]
    pub objective: Objective,
    /// Start from this variant of the scenario instead of the base.
    #[arg(long)]
    pub variant: Option<String>,
    /// (`--runs` is the number of races per refined point; the coarse grid runs a quarter.)
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write optimize.json, optimize.csv and the curve (optimize_curve or optimize_heatmap; PNG
    /// and SVG) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    #[arg(long, default_value = "text", value_name = "text|csv|json", value_parser = parse_format, help = FORMAT_HELP)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    #[command(subcommand)]
    pub what: PlotCommand,
}

#[derive(Debug, Subcommand)]
pub enum PlotCommand {
    /// Split and progression charts of a real race record (the shared data's JSON format).
    Race(PlotRaceArgs),
}

#[derive(Debug, Args)]
pub struct PlotRaceArgs {
    /// Race record (JSON; see shared/data/README.md).
    pub record: PathBuf,
    /// Write the charts (PNG and SVG) here.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
}
