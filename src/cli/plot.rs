//! `racesim plot`: charts of things that were not simulated (a real race record).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use racesim::error::Error;
use racesim::input::record::RaceRecord;
use racesim::report::OutputSet;
use racesim::report::realrace::RealRace;

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

pub fn run(a: PlotArgs) -> anyhow::Result<ExitCode> {
    match a.what {
        PlotCommand::Race(a) => race(a),
    }
}

fn race(a: PlotRaceArgs) -> anyhow::Result<ExitCode> {
    // A file that cannot be read is the user's input too (exit 2).
    let rec = RaceRecord::load(&a.record).map_err(|e| match e {
        Error::Io { path, source } => Error::Usage(format!(
            "cannot read race record {}: {source}",
            path.display()
        )),
        e => e,
    })?;
    let real = RealRace::from_record(&rec);
    let charts = real
        .render()
        .map_err(|e| Error::Other(format!("drawing the charts failed: {e}")))?;
    super::say(&real.describe(&charts));
    if charts.is_empty() {
        super::say("Nothing to draw: the record has no splits.\n");
        return Ok(ExitCode::SUCCESS);
    }
    let mut files = OutputSet::new();
    for c in &charts {
        c.queue(&mut files);
    }
    let written = files.commit(&a.out)?;
    super::say(&format!(
        "\nWrote {} files to {}\n",
        written.len(),
        a.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}
