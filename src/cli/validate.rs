//! `racesim validate`: simulate real races from their pre-race information and score the result.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use racesim::montecarlo::RunOptions;
use racesim::base::params::ModelParams;
use racesim::plot;
use racesim::input::record::RaceRecord;
use racesim::report::OutputSet;
use racesim::base::units::fmt_time;
use racesim::study::validate::{self, RaceValidation, Scores};

use super::ValidateArgs;

/// Default races per record for validation.
pub const DEFAULT_RUNS: u64 = 4000;

fn opt(x: Option<f64>, d: usize) -> String {
    x.map(|v| format!("{v:.d$}")).unwrap_or_else(|| "-".into())
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", 100.0 * v))
        .unwrap_or_else(|| "-".into())
}

/// The columns of the table after the race and winner columns: one race's scores or the pooled ones.
fn score_cols(s: &Scores) -> String {
    format!(
        "{:>15}  {:>5} {:>5} {:>5}  {:>6}  {:>6}|{:<6}  {:>6}|{:<6}  {:>6}|{:<6}",
        format!("{} times", s.n_times),
        pct(s.coverage50_times),
        pct(s.coverage80_times),
        pct(s.coverage95_times),
        pct(s.coverage80_leader_splits),
        opt(s.winner_log_loss, 2),
        opt(s.baseline_winner_log_loss, 2),
        opt(s.brier_win, 3),
        opt(s.baseline_brier_win, 3),
        opt(s.spearman_place, 2),
        opt(s.baseline_spearman_place, 2),
    )
}

pub fn table(races: &[RaceValidation], overall: &Scores) -> String {
    let mut o = String::new();
    let w = races.iter().map(|r| r.id.len()).max().unwrap_or(10).max(8);
    let _ = writeln!(
        o,
        "{:w$}  {:>15}  {:>15}  {:>5} {:>5} {:>5}  {:>6}  {:>13}  {:>13}  {:>13}",
        "race",
        "winner sim|real",
        "",
        "cov50",
        "cov80",
        "cov95",
        "lead80",
        "log-loss|base",
        "brier|base",
        "spearman|base",
        w = w
    );
    for r in races {
        let winner = format!(
            "{:>7}|{:<7}",
            fmt_time(r.sim_winner_median_s),
            r.actual_winner_s
                .map(fmt_time)
                .unwrap_or_else(|| "-".into())
        );
        let _ = writeln!(o, "{:w$}  {winner}  {}", r.id, score_cols(&r.scores));
    }
    let _ = writeln!(o, "{:w$}  {:>15}  {}", "POOLED", "", score_cols(overall));
    let _ = writeln!(
        o,
        "\ncovNN: share of actual finish times inside the simulated central NN % band (ideal: NN %); \
         lead80: the same for the leader's recorded splits (pooled: {:.0} % of {} leader splits; with \
         the athletes' own splits, {:.0} % of {}). log-loss: −ln P(actual winner) \
         (lower is better); brier: of the win probabilities (lower is better); spearman: rank \
         correlation of simulated mean place with actual place (higher is better). |base: the \
         baseline that knows only the reported times (best mark converted by Riegel, b = 1.06, \
         ±1 % race-to-race).",
        100.0 * overall.coverage80_leader_splits.unwrap_or(f64::NAN),
        races.iter().map(|r| r.leader_splits.len()).sum::<usize>(),
        100.0 * overall.coverage80_splits.unwrap_or(f64::NAN),
        overall.n_splits
    );
    o
}

/// The JSON document of issue 4 (`{"races": [...], "overall": {...}}`).
#[derive(serde::Serialize)]
struct Doc<'a> {
    races: &'a [RaceValidation],
    overall: &'a Scores,
    calibration: &'a validate::CalibrationCheck,
}

fn calibration_text(c: &validate::CalibrationCheck) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nSolo reproduction of the entrants' reported times ({} marks): median |error| {:.2} %, worst {:.2} %.",
        c.marks,
        100.0 * c.median_abs_rel_error,
        100.0 * c.worst_abs_rel_error
    );
    for m in &c.outliers {
        let _ = writeln!(
            o,
            "  {} ({}): {} {}{} — simulated {} ({:+.1} %): {}",
            m.name,
            m.race,
            m.event,
            fmt_time(m.reported_s),
            if m.indoor { " indoor" } else { "" },
            fmt_time(m.simulated_s),
            100.0 * m.rel_error,
            m.explanation
        );
    }
    o
}

pub fn run(a: ValidateArgs) -> anyhow::Result<ExitCode> {
    // read and check every record first: a bad file fails before anything is simulated
    let mut recs = Vec::new();
    for p in &a.races {
        recs.push((p.clone(), RaceRecord::load(p)?));
    }
    let params = match &a.model {
        Some(p) => super::load_model(p)?,
        None => ModelParams::default(),
    };
    let opts = RunOptions {
        runs: a.sim.runs.unwrap_or(DEFAULT_RUNS),
        seed: a.sim.seed.unwrap_or(1),
        threads: a.sim.threads.map(|t| t as usize),
        progress: !a.json,
    };
    let cache = racesim::field::FitCache::new();
    let mut results = Vec::new();
    let mut built = Vec::new();
    for (path, rec) in &recs {
        if rec.is_field_only() {
            eprintln!(
                "{}: pre-race field only (no result): skipped",
                path.display()
            );
            continue;
        }
        let (rr, _acc, v) = validate::validate_record(rec, path, &params, &opts, &cache)?;
        if !a.json {
            for note in &rr.assumptions {
                eprintln!("{}: {note}", rec.id);
            }
        }
        results.push(v);
        built.push(rr);
    }
    let overall = validate::pool(&results);
    let calib = validate::calibration_check(&built);
    if a.json {
        super::say(&format!(
            "{}\n",
            serde_json::to_string_pretty(&Doc {
                races: &results,
                overall: &overall,
                calibration: &calib,
            })?
        ));
    } else {
        super::say(&table(&results, &overall));
        super::say(&calibration_text(&calib));
    }
    if let Some(dir) = &a.out {
        let mut files = OutputSet::new();
        let mut json = serde_json::to_vec_pretty(&Doc {
            races: &results,
            overall: &overall,
            calibration: &calib,
        })?;
        json.push(b'\n');
        files.add("validation.json", json);
        files.add(
            "validation.txt",
            (table(&results, &overall) + &calibration_text(&calib)).into_bytes(),
        );
        let pits: Vec<f64> = results
            .iter()
            .flat_map(|r| r.pits.iter().copied())
            .collect();
        let counts = racesim::stats::histogram_of_unit(&pits, 10)?;
        let tmp = tempdir_in(dir)?;
        let chart = plot::pit_chart(
            &plot::PitData {
                title: "Where real results fell in the simulated distributions (PIT)".into(),
                subtitle: format!(
                    "{} finish times and splits from {} races · flat = calibrated, U = too narrow, hump = too wide",
                    pits.len(),
                    results.len()
                ),
                counts,
            },
            &tmp.join("pit"),
        )?;
        for f in [&chart.png, &chart.svg] {
            let name = f.file_name().unwrap().to_owned();
            files.add(name, std::fs::read(f)?);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        let written = files.commit(dir)?;
        if !a.json {
            super::print_written(dir, &written);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A scratch directory beside the output (charts are rendered there, then queued).
pub fn tempdir_in(dir: &std::path::Path) -> anyhow::Result<PathBuf> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(parent)?;
    let t = parent.join(format!(".racesim-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&t)?;
    Ok(t)
}
