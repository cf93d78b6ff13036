//! `racesim run`.

use std::process::ExitCode;
use std::time::Instant;

use racesim::error::Error;
use racesim::montecarlo::{self, RunOptions};
use racesim::input::record::RaceRecord;
use racesim::report::charts::{RunCharts, SampleRace};
use racesim::report::compare::{self, Comparison};
use racesim::report::html::{self, HtmlReport};
use racesim::report::realrace::RealRace;
use racesim::report::{self, OutputSet};
use racesim::input::scenario::Scenario;
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

/// Read a `--compare-with` record; every problem is the user's input (exit 2).
fn load_record(path: &std::path::Path) -> Result<RaceRecord, Error> {
    RaceRecord::load(path).map_err(|e| match e {
        Error::Io { path, source } => Error::Usage(format!(
            "--compare-with: cannot read race record {}: {source}",
            path.display()
        )),
        e => e,
    })
}

pub fn run(a: RunArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let base = Scenario::load(&a.scenario)?;
    let sc = match &a.variant {
        Some(v) => base.variant(v)?,
        None => base,
    };
    let opts = options(&a.sim, &sc);
    // The record is read and checked before anything runs, so bad input costs nothing and
    // writes nothing.
    let record = a.compare_with.as_deref().map(load_record).transpose()?;
    let mut built = sc.build(&racesim::field::FitCache::new())?;
    let mut compare_notes = Vec::new();
    if let Some(rec) = &record {
        compare_notes = compare::check_compatible(rec, &built.setup).map_err(|m| {
            Error::Usage(format!(
                "--compare-with {}: {m}",
                a.compare_with
                    .as_deref()
                    .unwrap_or(std::path::Path::new(""))
                    .display()
            ))
        })?;
        // Record splits at the real race's split points too (it changes no race: splits are
        // only observed).
        built.setup = built
            .setup
            .with_extra_splits(&compare::extra_split_points(rec))
            .map_err(|e| Error::Other(e.to_string()))?;
    }
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
    let comparison = record.as_ref().map(|rec| {
        Comparison::new(
            RealRace::from_record(rec),
            compare_notes.clone(),
            &summary,
            &built.setup,
            &acc,
        )
    });
    if let Some(c) = &comparison {
        super::say(&format!("\n{}", c.render_text()));
    }
    let t_charts = Instant::now();
    if let Some(dir) = &a.out {
        let mut files = OutputSet::new();
        files.add("summary.json", report::summary_json(&summary));
        files.add("runners.csv", report::runners_csv(&summary));
        files.add("splits.csv", report::splits_csv(&summary));
        let charts = if a.no_charts {
            Vec::new()
        } else {
            let sample = SampleRace::trace(&built.setup, opts.seed, 0);
            RunCharts {
                summary: &summary,
                setup: &built.setup,
                acc: &acc,
                sample: Some(&sample),
                real: comparison.as_ref(),
            }
            .render()
            .map_err(|e| Error::Other(format!("drawing the charts failed: {e}")))?
        };
        for c in &charts {
            c.queue(&mut files);
        }
        let page = html::render(&HtmlReport {
            summary: &summary,
            charts: &charts,
            comparison: comparison.as_ref(),
            no_charts_reason: a
                .no_charts
                .then_some("Charts were not drawn (--no-charts)."),
        });
        files.add("report.html", page.into_bytes());
        let written = files.commit(dir)?;
        super::print_written(dir, &written);
    }
    let t_out = t_charts.elapsed();
    eprintln!(
        "({} races in {:.1} s: calibration {:.1} s, simulation {:.1} s = {:.0} races/s{})",
        acc.races,
        t0.elapsed().as_secs_f64(),
        t_cal.as_secs_f64(),
        t_sim.as_secs_f64(),
        acc.races as f64 / t_sim.as_secs_f64().max(1e-9),
        if a.out.is_some() {
            format!(", output files {:.2} s", t_out.as_secs_f64())
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}
