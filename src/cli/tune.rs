//! `racesim tune`: the documented coordinate search of `racesim::study::tune`.

use std::process::ExitCode;

use racesim::montecarlo::RunOptions;
use racesim::base::params::ModelParams;
use racesim::input::record::RaceRecord;
use racesim::report::OutputSet;
use racesim::study::tune;

use super::TuneArgs;

pub fn run(a: TuneArgs) -> anyhow::Result<ExitCode> {
    let mut recs = Vec::new();
    for p in &a.races {
        recs.push((p.clone(), RaceRecord::load(p)?));
    }
    let start = match &a.model {
        Some(p) => super::load_model(p)?,
        None => ModelParams::default(),
    };
    let opts = RunOptions {
        runs: a.sim.runs.unwrap_or(1000),
        seed: a.sim.seed.unwrap_or(1),
        threads: a.sim.threads.map(|t| t as usize),
        progress: false,
    };
    eprintln!(
        "tuning on {} races, {} simulated races each, seed {}, up to {} passes",
        recs.len(),
        opts.runs,
        opts.seed,
        a.passes
    );
    let cache = racesim::field::FitCache::new();
    let rep = tune::tune(&recs, &start, &opts, a.passes, &cache, |s| {
        eprintln!(
            "  pass {} {:>18} = {:<8} objective {:.4}",
            s.pass, s.knob, s.value, s.objective
        );
    })?;
    super::say(&format!(
        "objective {:.4} -> {:.4}\n",
        rep.objective_before, rep.objective_after
    ));
    for (k, v) in &rep.tuned {
        super::say(&format!("  {k} = {v}\n"));
    }
    super::say(&format!(
        "coverage80 times {:.2} -> {:.2}, splits {:.2} -> {:.2}; winner log-loss {:.3} -> {:.3}\n",
        rep.before.coverage80_times.unwrap_or(f64::NAN),
        rep.after.coverage80_times.unwrap_or(f64::NAN),
        rep.before.coverage80_splits.unwrap_or(f64::NAN),
        rep.after.coverage80_splits.unwrap_or(f64::NAN),
        rep.before.winner_log_loss.unwrap_or(f64::NAN),
        rep.after.winner_log_loss.unwrap_or(f64::NAN),
    ));
    if let Some(dir) = &a.out {
        let mut files = OutputSet::new();
        let mut j = serde_json::to_vec_pretty(&rep)?;
        j.push(b'\n');
        files.add("tune.json", j);
        files.add(
            "tuned-model.toml",
            toml::to_string(&rep.params)?.into_bytes(),
        );
        files.commit(dir)?;
    }
    Ok(ExitCode::SUCCESS)
}
