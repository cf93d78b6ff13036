//! The command line: arguments ([`args`]) and dispatch ([`commands`]), nothing else.
//!
//! Each command reads its inputs, calls one study, prints its report through [`say`] and writes
//! its files; the work itself is library code (`racesim::study`, `racesim::report`).

mod args;
mod commands;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use args::SimArgs;
pub use args::{Cli, Command};
use racesim::input::scenario::Scenario;
use racesim::montecarlo::RunOptions;

/// Default number of races when neither the command line nor the scenario says.
pub const DEFAULT_RUNS: u64 = 10_000;
/// Default seed when neither the command line nor the scenario says.
pub const DEFAULT_SEED: u64 = 1;

/// Run the command.
///
/// # Errors
/// The command's error (the caller prints it on one line and chooses the exit status).
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(a) => commands::run(a),
        Command::Validate(a) => commands::validate(a),
        Command::Tune(a) => commands::tune(a),
        Command::Calibrate(a) => commands::calibrate(a),
        Command::Compare(a) => commands::compare(a),
        Command::Sweep(a) => commands::sweep(a),
        Command::Optimize(a) => commands::optimize(a),
        Command::Plot(a) => commands::plot(a),
        Command::Serve(a) => commands::serve(a),
        Command::Scenario(args::ScenarioCommand::FromRecord(a)) => {
            commands::scenario_from(a, racesim::input::record::RecordKind::Race)
        }
        Command::Scenario(args::ScenarioCommand::FromField(a)) => {
            commands::scenario_from(a, racesim::input::record::RecordKind::Field)
        }
    }
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

/// The width tables and prose must fit: `COLUMNS` when set, else the terminal's width when
/// stdout is a terminal, else none (a pipe or a file gets the full layout).
pub fn width() -> Option<usize> {
    if let Some(c) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
    {
        return Some(c);
    }
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` into the struct we own; fd 1 is stdout.
    let ok = unsafe { libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col >= 20).then_some(ws.ws_col as usize)
}

/// Print "Wrote N files to DIR: a, b, c".
pub fn print_written(dir: &Path, written: &[PathBuf]) {
    say(&racesim::report::table::wrap(
        &format!(
            "\nWrote {} files to {}: {}\n",
            written.len(),
            dir.display(),
            written
                .iter()
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        width(),
    ));
}

/// How many races, which seed, how many threads: the command line first, then the scenario, then
/// the defaults.
pub fn options(sim: &SimArgs, sc: &Scenario) -> RunOptions {
    RunOptions {
        runs: sim.runs.or(sc.runs).unwrap_or(DEFAULT_RUNS),
        seed: sim.seed.or(sc.seed).unwrap_or(DEFAULT_SEED),
        threads: sim.threads.map(|t| t as usize),
        progress: true,
    }
}

/// [`options`] for a command over race records, which have no scenario: the command line
/// first, then `default_runs` (races per record) and the default seed.
pub fn record_options(sim: &SimArgs, default_runs: u64, progress: bool) -> RunOptions {
    RunOptions {
        runs: sim.runs.unwrap_or(default_runs),
        seed: sim.seed.unwrap_or(DEFAULT_SEED),
        threads: sim.threads.map(|t| t as usize),
        progress,
    }
}
