//! One function per command: read the inputs, call the study, print the report, write the files.
//! Wall-clock timings, measured here, go to stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use racesim::base::date::Date;
use racesim::base::params::ModelParams;
use racesim::error::Error;
use racesim::field::FitCache;
use racesim::input::model::load_model;
use racesim::input::record::{AthleteDb, RaceRecord, RecordKind, scenario_toml};
use racesim::input::scenario::Scenario;
use racesim::montecarlo;
use racesim::report::realrace::RealRace;
use racesim::report::summary::Summary;
use racesim::report::sweep::SweepView;
use racesim::report::versus::Comparison;
use racesim::report::{self, OutputSet};
use racesim::study::compare::VariantSpec;
use racesim::study::optimize::OptimizeConfig;
use racesim::study::run::CompareWithError;
use racesim::study::sweep::{MAX_GRID_POINTS, ParamRange};
use racesim::study::validate::Note;
use racesim::study::{self, calibrate, tune};

use super::args::{
    CalibrateArgs, CompareArgs, FromRecordArgs, OptimizeArgs, PlotArgs, PlotCommand, PlotRaceArgs,
    RunArgs, ServeArgs, SweepArgs, TuneArgs, ValidateArgs,
};
use super::{options, print_written, record_options, say, width};
use racesim::report::table::{Format, wrap};

/// Default races per record for validation.
pub const VALIDATE_RUNS: u64 = 4000;
/// Default races per record and evaluation for tuning.
pub const TUNE_RUNS: u64 = 1000;

/// Read a race record named on the command line; every problem is the user's input (exit 2).
fn read_record(path: &Path, prefix: &str) -> Result<RaceRecord, Error> {
    RaceRecord::load(path).map_err(|e| match e {
        Error::Io { path, source } => Error::Usage(format!(
            "{prefix}cannot read race record {}: {source}",
            path.display()
        )),
        e => e,
    })
}

/// Read and check every record first: a bad file fails before anything is simulated.
fn read_records(paths: &[PathBuf]) -> Result<Vec<(PathBuf, RaceRecord)>, Error> {
    paths
        .iter()
        .map(|p| Ok((p.clone(), RaceRecord::load(p)?)))
        .collect()
}

/// The model of `--model FILE`, or the shipped one.
fn model(path: Option<&Path>) -> Result<ModelParams, Error> {
    path.map(load_model)
        .transpose()
        .map(Option::unwrap_or_default)
}

/// `--out DIR`, when given, checked before anything runs: a folder that cannot be written
/// fails at once, not after the simulation.
fn check_out(out: Option<&Path>) -> Result<(), Error> {
    match out {
        Some(dir) => racesim::report::output::check_out_dir(dir),
        None => Ok(()),
    }
}

/// The inputs of a command over race records (`validate`, `tune`): the output folder checked
/// first, then every record read and checked, then the model of `--model FILE`, so bad input
/// fails before anything is simulated.
fn record_inputs(
    out: Option<&Path>,
    races: &[PathBuf],
    model_path: Option<&Path>,
) -> Result<(Vec<(PathBuf, RaceRecord)>, ModelParams), Error> {
    check_out(out)?;
    Ok((read_records(races)?, model(model_path)?))
}

/// `racesim run`.
pub fn run(a: RunArgs) -> anyhow::Result<ExitCode> {
    check_out(a.out.as_deref())?;
    let t0 = Instant::now();
    let base = Scenario::load(&a.scenario)?;
    let sc = match &a.variant {
        Some(v) => base.variant(v)?,
        None => base,
    };
    let opts = options(&a.sim, &sc);
    // The record is read and checked before anything runs, so bad input costs nothing and
    // writes nothing.
    let record = a
        .compare_with
        .as_deref()
        .map(|p| read_record(p, "--compare-with: "))
        .transpose()?;
    let cache = FitCache::new();
    let mut field = sc.build(&cache)?;
    for n in sc.notes(&field) {
        stderr_line!("note: {n}");
    }
    let mut notes = Vec::new();
    if let (Some(rec), Some(path)) = (&record, &a.compare_with) {
        notes = study::run::compare_with(&mut field, rec).map_err(|e| match e {
            CompareWithError::Incompatible(m) => {
                Error::Usage(format!("--compare-with {}: {m}", path.display()))
            }
            CompareWithError::Setup(s) => Error::Race(s),
        })?;
    }
    if let Some(h) = a
        .highlight
        .iter()
        .find(|h| !field.setup.runners.iter().any(|r| &r.name == *h))
    {
        return Err(Error::Usage(format!(
            "--highlight {h:?}: no runner of that name in {}",
            a.scenario.display()
        ))
        .into());
    }
    let t_cal = t0.elapsed();
    if opts.progress && std::io::stderr().is_terminal() {
        // the calibration line, before the progress bar
        stderr_line!(
            "calibration: {} runners ready in {:.2} s",
            field.setup.runners.len(),
            t_cal.as_secs_f64()
        );
    }
    let acc = montecarlo::run(&field.setup, &opts).map_err(|e| match e {
        e @ montecarlo::RunError::Unfinished { .. } => {
            Error::Usage(format!("{}: {e}", a.scenario.display()))
        }
        e => e.into(),
    })?;
    let t_sim = t0.elapsed() - t_cal;
    let summary = Summary::new(
        &sc.name,
        a.variant.as_deref(),
        &field.setup,
        &field.runners,
        &acc,
        opts.seed,
    )
    .with_targets(&acc, &a.targets);
    match a.format {
        Format::Text => {
            say(&report::run::table::render_width(&summary, width()));
            if a.h2h {
                say(&report::run::table::h2h_text(&summary, width()));
            }
        }
        f if a.h2h => say(&f.table(&report::run::table::h2h_table(&summary), None)),
        f if !a.targets.is_empty() => {
            say(&f.table(&report::run::table::targets_table(&summary), None))
        }
        f => say(&f.table(&report::run::table::runners_table(&summary), None)),
    }
    let comparison = record.as_ref().map(|rec| {
        Comparison::new(
            RealRace::from_record(rec),
            notes.clone(),
            &summary,
            &field.setup,
            &acc,
        )
    });
    if let (Some(c), Format::Text) = (&comparison, a.format) {
        say(&wrap(&format!("\n{}", c.render_text()), width()));
    }
    let t_charts = Instant::now();
    if let Some(dir) = &a.out {
        let files = report::run::files(
            &summary,
            &field.setup,
            &acc,
            comparison.as_ref(),
            a.no_charts,
            &a.highlight,
        )
        .map_err(Error::Chart)?;
        let written = files.commit(dir)?;
        print_written(dir, &written);
    }
    let t_out = t_charts.elapsed();
    stderr_line!(
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

/// `racesim scenario from-record` / `from-field`: the record as a scenario, on stdout or in
/// `--out FILE` (written whole or not at all; an existing file only with `--force`).
pub fn scenario_from(a: FromRecordArgs, kind: RecordKind) -> anyhow::Result<ExitCode> {
    if let Some(out) = &a.out {
        if out.is_dir() {
            return Err(
                Error::Usage(format!("--out {}: is a folder, not a file", out.display())).into(),
            );
        }
        if out.exists() && !a.force {
            return Err(Error::Usage(format!(
                "--out {}: the file exists (give --force to replace it)",
                out.display()
            ))
            .into());
        }
    }
    let rec = read_record(&a.record, "")?;
    if kind == RecordKind::Race && rec.is_field_only() {
        stderr_line!(
            "{}: a pre-race field (no result): written as `scenario from-field` would",
            a.record.display()
        );
    }
    let kind = if rec.is_field_only() {
        RecordKind::Field
    } else {
        kind
    };
    let params = model(a.model.as_deref())?;
    let text = scenario_toml(&rec, &a.record, &params, kind)?;
    match &a.out {
        None => say(&text),
        Some(out) => {
            racesim::report::output::write_atomic(out, text.as_bytes()).map_err(|e| match e {
                Error::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
                    Error::Usage(format!(
                        "--out {}: cannot be written ({source}; does its folder exist?)",
                        path.display()
                    ))
                }
                e => e,
            })?;
            stderr_line!("wrote {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `racesim validate`.
pub fn validate(a: ValidateArgs) -> anyhow::Result<ExitCode> {
    let (recs, params) = record_inputs(a.out.as_deref(), &a.races, a.model.as_deref())?;
    let opts = record_options(&a.sim, VALIDATE_RUNS, !a.json);
    let cache = FitCache::new();
    let v = study::validate::validate_all(&recs, &params, &opts, &cache, |note| match note {
        Note::Skipped(path) => stderr_line!(
            "{}: pre-race field only (no result): skipped",
            path.display()
        ),
        Note::Assumption { race, text } => {
            if !a.json {
                stderr_line!("{race}: {text}");
            }
        }
    })?;
    if a.json {
        say(&String::from_utf8(report::validate::json(&v))?);
    } else if a.format == Format::Text {
        say(&report::validate::table_width(
            &v.races,
            &v.overall,
            width(),
        ));
        say(&report::validate::calibration_text_width(
            &v.calibration,
            width(),
        ));
    } else {
        say(&a
            .format
            .table(&report::validate::scores_table(&v.races, &v.overall), None));
    }
    if let Some(dir) = &a.out {
        let written = report::validate::files(&v)?.commit(dir)?;
        if !a.json {
            print_written(dir, &written);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `racesim tune`.
pub fn tune(a: TuneArgs) -> anyhow::Result<ExitCode> {
    let (recs, start) = record_inputs(a.out.as_deref(), &a.races, a.model.as_deref())?;
    let ks = tune::select_knobs(&a.knobs)?;
    let opts = record_options(&a.sim, TUNE_RUNS, false);
    stderr_line!(
        "tuning on {} races, {} simulated races each, seed {}, up to {} passes",
        recs.len(),
        opts.runs,
        opts.seed,
        a.passes
    );
    let cache = FitCache::new();
    let rep = tune::tune(&recs, &start, &ks, &opts, a.passes, &cache, |s| {
        stderr_line!("{}", report::tune::step_line(s));
    })?;
    say(&report::tune::text(&rep));
    if let Some(dir) = &a.out {
        report::tune::files(&rep)?.commit(dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `racesim calibrate`.
pub fn calibrate(a: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let params = model(a.model.as_deref())?;
    let cache = FitCache::new();
    let rows = match (&a.scenario, &a.athletes) {
        (Some(path), None) => calibrate::scenario_runners(&Scenario::load(path)?, &params, &cache)?,
        (None, Some(db_path)) => {
            let db = AthleteDb::load(db_path)?;
            let date: Date = a
                .as_of
                .as_deref()
                .ok_or_else(|| Error::Usage("--athletes needs --as-of YYYY-MM-DD".into()))?
                .parse()
                .map_err(|e| Error::Usage(format!("--as-of: {e}")))?;
            calibrate::athletes(&db, db_path, date, &a.names, &params, &cache)?
        }
        _ => {
            return Err(Error::Usage(
                "give a scenario file, or --athletes FILE --as-of DATE (not both)".into(),
            )
            .into());
        }
    };
    if a.json {
        say(&String::from_utf8(report::calibrate::json(&rows))?);
    } else if a.format == Format::Text {
        say(&report::calibrate::text_width(&rows, width()));
    } else {
        say(&a.format.table(&report::calibrate::marks_table(&rows), None));
    }
    Ok(ExitCode::SUCCESS)
}

/// `racesim compare`.
pub fn compare(a: CompareArgs) -> anyhow::Result<ExitCode> {
    check_out(a.out.as_deref())?;
    let t0 = Instant::now();
    let base = Scenario::load(&a.scenario)?;
    let specs = match &a.variants {
        Some(v) => VariantSpec::parse_list(v)?,
        None => study::compare::default_specs(&base)?,
    };
    let cache = FitCache::new();
    let prepared = study::compare::prepare(&base, specs, &a.runners, &cache)?;
    for n in &prepared.notes {
        stderr_line!("note: {n}");
    }
    let opts = options(&a.sim, &base);
    let t_cal = t0.elapsed();
    let rep = study::compare::run(&base, &prepared, &opts, a.independent_streams)?;
    let t_sim = t0.elapsed() - t_cal;
    match a.format {
        Format::Text => say(&report::compare::render_width(&rep, width())),
        Format::Csv => say(&String::from_utf8(report::compare::csv(&rep))?),
        Format::Json => say(&String::from_utf8(report::output::json_bytes(&rep))?),
    }
    if let Some(dir) = &a.out {
        let written = report::compare::files(&rep)
            .map_err(Error::Chart)?
            .commit(dir)?;
        print_written(dir, &written);
    }
    let n = prepared.specs.len() as u64;
    stderr_line!(
        "({} variants × {} races in {:.1} s: calibration {:.1} s, simulation {:.1} s = {:.0} races/s)",
        n,
        rep.races,
        t0.elapsed().as_secs_f64(),
        t_cal.as_secs_f64(),
        t_sim.as_secs_f64(),
        (n * rep.races) as f64 / t_sim.as_secs_f64().max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

/// The scenario of a command that may start from a variant.
fn scenario_or_variant(path: &Path, variant: Option<&str>) -> Result<Scenario, Error> {
    let base = Scenario::load(path)?;
    match variant {
        Some(v) => base.variant(v),
        None => Ok(base),
    }
}

/// `racesim sweep`.
pub fn sweep(a: SweepArgs) -> anyhow::Result<ExitCode> {
    check_out(a.out.as_deref())?;
    let t0 = Instant::now();
    let sc = scenario_or_variant(&a.scenario, a.variant.as_deref())?;
    let ranges = a
        .params
        .iter()
        .map(|s| ParamRange::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let opts = options(&a.sim, &sc);
    let cache = FitCache::new();
    let prepared = study::sweep::prepare(&sc, ranges, &a.runners, &cache)?;
    for n in &prepared.notes {
        stderr_line!("note: {n}");
    }
    let t_cal = t0.elapsed();
    let res = study::sweep::run(prepared, &opts)?;
    let t_sim = t0.elapsed() - t_cal;
    let view = SweepView {
        scenario: &sc.name,
        variant: a.variant.as_deref(),
        seed: opts.seed,
        metric: a.metric,
        result: &res,
    };
    match a.format {
        Format::Text => say(&view.text_width(width())),
        f => say(&f.table(&view.table(), None)),
    }
    if let Some(dir) = &a.out {
        let written = view.files().map_err(Error::Chart)?.commit(dir)?;
        print_written(dir, &written);
    }
    let points = res.grid.points.len() as u64;
    stderr_line!(
        "({} points × {} races = {} races in {:.1} s: calibration {:.1} s, simulation {:.1} s = {:.0} races/s; at most {MAX_GRID_POINTS} points)",
        points,
        res.crn.races,
        points * res.crn.races,
        t0.elapsed().as_secs_f64(),
        t_cal.as_secs_f64(),
        t_sim.as_secs_f64(),
        (points * res.crn.races) as f64 / t_sim.as_secs_f64().max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

/// `racesim optimize`.
pub fn optimize(a: OptimizeArgs) -> anyhow::Result<ExitCode> {
    check_out(a.out.as_deref())?;
    let t0 = Instant::now();
    let sc = scenario_or_variant(&a.scenario, a.variant.as_deref())?;
    sc.check_runners(std::slice::from_ref(&a.runner))?;
    let ranges = a
        .params
        .iter()
        .map(|s| ParamRange::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let opts = options(&a.sim, &sc);
    let cfg = OptimizeConfig {
        runner: a.runner.clone(),
        params: ranges,
        objective: a.objective,
        runs: opts.runs,
        seed: opts.seed,
        threads: opts.threads,
        progress: opts.progress,
    };
    // the notes of the scenario as given (its grid points change only the runner's tactic
    // field); the fits are shared with the search
    let cache = FitCache::new();
    for n in sc.notes(&sc.build(&cache)?) {
        stderr_line!("note: {n}");
    }
    let r = study::optimize::optimize(&sc, &cfg, &cache)?;
    let title = format!(
        "{}{}",
        sc.name,
        a.variant
            .as_deref()
            .map(|v| format!(" (variant `{v}`)"))
            .unwrap_or_default()
    );
    match a.format {
        Format::Text => say(&report::optimize::render_width(&r, &title, width())),
        Format::Csv => say(&String::from_utf8(report::optimize::csv(&r))?),
        f => say(&f.table(
            &report::optimize::curve_table(&r, &r.fine, true, Some(r.best)),
            None,
        )),
    }
    if let Some(dir) = &a.out {
        let written = report::optimize::files(&r, &sc.name, a.variant.as_deref(), &title)
            .map_err(Error::Chart)?
            .commit(dir)?;
        print_written(dir, &written);
    }
    stderr_line!(
        "({} + {} points, {:.1} s)",
        r.coarse.len(),
        r.fine.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `racesim plot`.
pub fn plot(a: PlotArgs) -> anyhow::Result<ExitCode> {
    match a.what {
        PlotCommand::Race(a) => plot_race(a),
    }
}

/// `racesim plot race`.
fn plot_race(a: PlotRaceArgs) -> anyhow::Result<ExitCode> {
    racesim::report::output::check_out_dir(&a.out)?;
    // A file that cannot be read is the user's input too (exit 2).
    let rec = read_record(&a.record, "")?;
    let real = RealRace::from_record(&rec);
    let charts = real.render().map_err(Error::Chart)?;
    if charts.is_empty() {
        // asked for charts of a race that has nothing to draw: the input's problem (exit 2)
        let path = racesim::error::FieldPath::root().key("splits");
        let line = std::fs::read_to_string(&a.record)
            .ok()
            .and_then(|t| racesim::input::json::line_of_path_or_ancestor(&t, &path));
        return Err(Error::Input(racesim::error::InputError::new(
            &a.record,
            line,
            "splits",
            "nothing to draw: the record has no leader splits and no athlete with splits",
        ))
        .into());
    }
    say(&real.describe(&charts));
    let mut files = OutputSet::new();
    for c in &charts {
        c.queue(&mut files);
    }
    let written = files.commit(&a.out)?;
    say(&format!(
        "\nWrote {} files to {}\n",
        written.len(),
        a.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// `racesim serve`: the web app until Ctrl-C.
pub fn serve(a: ServeArgs) -> anyhow::Result<ExitCode> {
    let cfg = racesim::web::Config {
        scenarios: a.scenarios,
        records: a.records,
        limits: racesim::web::Limits::default(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let served = rt.block_on(racesim::web::server::run(&a.host, a.port, cfg));
    // a simulation still running on a blocking thread is abandoned, not waited for
    rt.shutdown_background();
    served.map_err(|e| Error::Usage(format!("serve on {}:{}: {e}", a.host, a.port)))?;
    Ok(ExitCode::SUCCESS)
}
