//! `racesim run`.

use std::process::ExitCode;
use std::time::Instant;

use racesim::montecarlo::{self, RunOptions};
use racesim::report::{self, OutputSet};
use racesim::scenario::Scenario;
use racesim::summary::Summary;

use super::{RunArgs, SimArgs};

/// Default number of races when neither the command line nor the scenario says.
pub const DEFAULT_RUNS: u64 = 10_000;
/// Default seed when neither the command line nor the scenario says.
pub const DEFAULT_SEED: u64 = 1;

pub fn options(sim: &SimArgs, sc: &Scenario) -> RunOptions {
    RunOptions {
        runs: sim.runs.or(sc.runs).unwrap_or(DEFAULT_RUNS),
        seed: sim.seed.or(sc.seed).unwrap_or(DEFAULT_SEED),
        threads: sim.threads.map(|t| t as usize),
        progress: true,
    }
}

pub fn run(a: RunArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let base = Scenario::load(&a.scenario)?;
    let sc = match &a.variant {
        Some(v) => base.variant(v)?,
        None => base,
    };
    let opts = options(&a.sim, &sc);
    let built = sc.build()?;
    let t_cal = t0.elapsed();
    let acc = montecarlo::run(&built.setup, &opts)?;
    let t_sim = t0.elapsed() - t_cal;
    let summary = Summary::new(
        &sc.name,
        a.variant.as_deref(),
        &built.setup,
        &built.runners,
        &acc,
        opts.seed,
    );
    super::say(&report::table::render(&summary));
    if let Some(dir) = &a.out {
        let mut files = OutputSet::new();
        files.add("summary.json", report::summary_json(&summary));
        files.add("runners.csv", report::runners_csv(&summary));
        files.add("splits.csv", report::splits_csv(&summary));
        let written = files.commit(dir)?;
        super::say(&format!(
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
    eprintln!(
        "({} races in {:.1} s: calibration {:.1} s, simulation {:.1} s = {:.0} races/s)",
        acc.races,
        t0.elapsed().as_secs_f64(),
        t_cal.as_secs_f64(),
        t_sim.as_secs_f64(),
        acc.races as f64 / t_sim.as_secs_f64().max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
