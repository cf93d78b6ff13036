//! The JSON API (documented in the README, "The web app"): the folders' listings, a scenario's
//! text, a record's field, validation with line and field, and jobs — a run or a comparison of
//! variants — with their progress (Server-Sent Events) and results.
//!
//! Every answer past a bound or to bad input is a 4xx with `{"error": {"message", "line",
//! "field"}}`; the work itself is the library's: `Scenario`, `RaceRecord::field`,
//! `montecarlo::run_with_progress`, `Summary`, `report::run::charts`, `study::compare` (its
//! progress hook) and `report::compare`; a record as TOML is `input::record::scenario_toml`.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::AppState;
use super::jobs::{Job, JobState};
use crate::base::params::ModelParams;
use crate::engine::tactics::TacticKind;
use crate::error::Error;
use crate::field::{Field, FitCache};
use crate::input::record::{RaceRecord, RecordKind, scenario_toml};
use crate::input::scenario::Scenario;
use crate::montecarlo::{self, RunOptions};
use crate::report;
use crate::report::chart::Rendered;
use crate::report::run::charts::{RunCharts, SampleRace};
use crate::report::summary::Summary;
use crate::study::compare::{self as compare_study, VariantSpec};

/// The name of the variant the page's form becomes.
pub const FORM_VARIANT: &str = "form";

// ------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------

/// An answer other than success: a status and a message, with the line and field of a bad
/// scenario when known.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What is wrong, in words.
    pub message: String,
    /// The 1-based line of the scenario text, when known.
    pub line: Option<usize>,
    /// The field, e.g. `runner[1].kick_m`.
    pub field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            line: None,
            field: None,
        }
    }
    /// 400.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    /// 403.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }
    /// 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
    /// 429.
    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, message)
    }
    /// 500.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        json!({ "error": { "message": self.message, "line": self.line, "field": self.field } })
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Input(ie) => ApiError {
                status: StatusCode::BAD_REQUEST,
                message: ie.message.clone(),
                line: ie.line,
                field: (!ie.field.is_empty()).then(|| ie.field.clone()),
            },
            Error::Usage(m) => ApiError::bad(m),
            e => ApiError::internal(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

// ------------------------------------------------------------------------------------------
// Listings and files
// ------------------------------------------------------------------------------------------

/// One entry of a listing.
#[derive(Debug, Serialize)]
struct Entry {
    name: String,
    title: Option<String>,
}

/// `GET /api/scenarios`.
pub async fn scenarios(State(st): State<AppState>) -> Json<Value> {
    let f = st.scenarios.clone();
    let list = tokio::task::spawn_blocking(move || {
        f.list()
            .into_iter()
            .map(|name| {
                let title = f
                    .resolve(&name)
                    .ok()
                    .and_then(|p| Scenario::load(p).ok())
                    .map(|s| s.name);
                Entry { name, title }
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    Json(json!({ "scenarios": list }))
}

/// `GET /api/scenarios/{name}`: the scenario's TOML text.
pub async fn scenario_text(
    State(st): State<AppState>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let path = st.scenarios.resolve(&name)?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ApiError::not_found(format!("cannot read `{name}`: {e}")))?;
    Ok((
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        text,
    )
        .into_response())
}

fn record_title(r: &RaceRecord) -> String {
    format!("{} ({})", r.event, r.date)
}

/// `GET /api/records`.
pub async fn records(State(st): State<AppState>) -> Json<Value> {
    let f = st.records.clone();
    let list = tokio::task::spawn_blocking(move || {
        f.list()
            .into_iter()
            .filter_map(|name| {
                // a record that does not load is not offered
                let r = RaceRecord::load(f.resolve(&name).ok()?).ok()?;
                Some(Entry {
                    title: Some(record_title(&r)),
                    name,
                })
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    Json(json!({ "records": list }))
}

/// What the page's form shows for one runner.
#[derive(Debug, Serialize)]
struct FormRunner {
    name: String,
    tactic: Option<String>,
    kick_m: Option<f64>,
}

/// What the page's form shows for one pacer: which pace key he is written with (`lap` or
/// `target`; `None` for explicit splits, which the form does not edit).
#[derive(Debug, Serialize)]
struct FormPacer {
    name: String,
    drop_out_m: f64,
    pace_key: Option<&'static str>,
    pace: Option<String>,
}

/// `GET /api/records/{name}`: the field built from the record's pre-race part, as the form
/// shows it, with the defaults the record forced.
pub async fn record_info(
    State(st): State<AppState>,
    UrlPath(name): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    let path = st.records.resolve(&name)?;
    let (rec, rf) = load_record(&path)?;
    let runners: Vec<FormRunner> = rf
        .spec
        .runners
        .iter()
        .map(|r| FormRunner {
            name: r.name.clone(),
            tactic: r.tactic.kind.map(|k| k.name().to_string()),
            kick_m: r.tactic.kick_m,
        })
        .collect();
    let pacers: Vec<FormPacer> = rf
        .spec
        .pacers
        .iter()
        .map(|p| FormPacer {
            name: p.name.clone(),
            drop_out_m: p.drop_out_m,
            pace_key: None,
            pace: None,
        })
        .collect();
    Ok(Json(json!({
        "name": name,
        "title": record_title(&rec),
        "runners": runners,
        "pacers": pacers,
        "tactics": tactic_names(),
        "assumptions": rf.assumptions,
    })))
}

/// `GET /api/records/{name}/toml`: the record as a scenario — its pre-race part, commented, the
/// field `validate` builds (`racesim scenario from-record`) — which the page edits and runs like
/// any scenario.
pub async fn record_toml(
    State(st): State<AppState>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let path = st.records.resolve(&name)?;
    let text = tokio::task::spawn_blocking(move || {
        let rec = RaceRecord::load(&path)?;
        let kind = if rec.is_field_only() {
            RecordKind::Field
        } else {
            RecordKind::Race
        };
        scenario_toml(&rec, &path, &ModelParams::default(), kind)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))??;
    Ok((
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        text,
    )
        .into_response())
}

fn tactic_names() -> Vec<&'static str> {
    TacticKind::ALL.iter().map(|k| k.name()).collect()
}

fn load_record(path: &Path) -> Result<(RaceRecord, crate::input::record::RecordField), ApiError> {
    let rec = RaceRecord::load(path)?;
    let rf = rec.field(path, &ModelParams::default())?;
    Ok((rec, rf))
}

// ------------------------------------------------------------------------------------------
// Validation
// ------------------------------------------------------------------------------------------

/// `POST /api/validate` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateReq {
    /// The scenario's text.
    pub toml: String,
    /// Its file name (for messages).
    #[serde(default)]
    pub name: Option<String>,
}

fn text_name(name: Option<&str>) -> String {
    name.filter(|n| !n.is_empty() && !n.contains(['/', '\\']))
        .unwrap_or("scenario.toml")
        .to_string()
}

/// The form of a checked scenario, from its document as written.
fn scenario_form(text: &str, sc: &Scenario) -> Value {
    let doc: toml::Table = text.parse().unwrap_or_default();
    let arr = |k: &str| {
        doc.get(k)
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default()
    };
    let runners: Vec<FormRunner> = arr("runner")
        .iter()
        .filter_map(|r| r.as_table())
        .map(|r| FormRunner {
            name: r.get("name").and_then(|v| v.as_str()).unwrap_or("").into(),
            tactic: r.get("tactic").and_then(|v| v.as_str()).map(String::from),
            kick_m: r
                .get("kick_m")
                .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64))),
        })
        .collect();
    let pacers: Vec<FormPacer> = arr("pacer")
        .iter()
        .filter_map(|p| p.as_table())
        .zip(&sc.pacers)
        .map(|(p, spec)| {
            let key = ["lap", "target"].into_iter().find(|k| p.contains_key(*k));
            FormPacer {
                name: spec.name.clone(),
                drop_out_m: spec.drop_out_m,
                pace_key: key,
                pace: key.and_then(|k| p.get(k)).map(|v| match v {
                    toml::Value::String(s) => s.clone(),
                    v => v.to_string(),
                }),
            }
        })
        .collect();
    json!({
        "title": sc.name,
        "runners": runners,
        "pacers": pacers,
        "variants": sc.variants.iter().map(|v| json!({"name": v.name, "description": v.description})).collect::<Vec<_>>(),
        "runs": sc.runs,
        "seed": sc.seed,
        "tactics": tactic_names(),
    })
}

/// `POST /api/validate`: 200 with the form's fields, or 400 with the line and field.
pub async fn validate(Json(req): Json<ValidateReq>) -> Result<Json<Value>, ApiError> {
    let name = text_name(req.name.as_deref());
    tokio::task::spawn_blocking(move || {
        let sc = Scenario::from_str(&req.toml, &name)?;
        Ok(Json(scenario_form(&req.toml, &sc)))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
}

// ------------------------------------------------------------------------------------------
// Jobs
// ------------------------------------------------------------------------------------------

/// The form's changes to a runner.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RunnerForm {
    /// Tactic name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tactic: Option<String>,
    /// Kick distance [m from the finish].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kick_m: Option<f64>,
}

/// The form's changes to a pacer.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PacerForm {
    /// Drop-out point [m from the start].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_out_m: Option<f64>,
    /// Lap time, as written ("56.5").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lap: Option<String>,
    /// Target finish time, as written ("3:47.0").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// What the page's form changes, by runner and pacer name.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Runners' changes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub runner: BTreeMap<String, RunnerForm>,
    /// Pacers' changes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pacer: BTreeMap<String, PacerForm>,
}

impl Form {
    fn is_empty(&self) -> bool {
        self.runner.is_empty() && self.pacer.is_empty()
    }
}

/// `POST /api/jobs` body: a scenario (its text, or its name in the scenarios folder) or a race
/// record (its name in the records folder), the form's changes, runs and seed; with `variants`,
/// a comparison on common random numbers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobReq {
    /// A scenario in the scenarios folder.
    #[serde(default)]
    pub scenario: Option<String>,
    /// A scenario's text (wins over `scenario`, which then only names it in messages).
    #[serde(default)]
    pub toml: Option<String>,
    /// A race record in the records folder.
    #[serde(default)]
    pub record: Option<String>,
    /// The form's changes.
    #[serde(default)]
    pub form: Form,
    /// Races (per variant).
    pub runs: u64,
    /// Seed.
    pub seed: u64,
    /// Variants to compare (`base`, the scenario's variants, `form`); the first is the reference.
    #[serde(default)]
    pub variants: Option<Vec<String>>,
    /// Times to beat ("3:50.00", as `run --target`): each runner's chance of beating each, in
    /// the run's `summary.targets`.
    #[serde(default)]
    pub targets: Vec<String>,
}

/// Most target times per job.
pub const MAX_TARGETS: usize = 8;

/// The request's target times, in seconds.
fn parse_targets(req: &JobReq) -> Result<Vec<f64>, ApiError> {
    if req.targets.len() > MAX_TARGETS {
        return Err(ApiError::bad(format!(
            "targets: at most {MAX_TARGETS} times (got {})",
            req.targets.len()
        )));
    }
    req.targets
        .iter()
        .map(|t| {
            crate::base::units::parse_time(t)
                .map_err(|e| ApiError::bad(format!("targets: `{t}`: {e}")))
        })
        .collect()
}

/// The scenario text with the form appended as the variant [`FORM_VARIANT`].
fn with_form(text: &str, form: &Form) -> Result<String, ApiError> {
    #[derive(Serialize)]
    struct Patch<'a> {
        name: &'a str,
        description: &'a str,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        runner: &'a BTreeMap<String, RunnerForm>,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        pacer: &'a BTreeMap<String, PacerForm>,
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        variant: Vec<Patch<'a>>,
    }
    let patch = toml::to_string(&Doc {
        variant: vec![Patch {
            name: FORM_VARIANT,
            description: "the page's form",
            runner: &form.runner,
            pacer: &form.pacer,
        }],
    })
    .map_err(|e| ApiError::bad(format!("form: {e}")))?;
    Ok(format!("{text}\n\n{patch}"))
}

/// A job's work after its input is checked.
enum Plan {
    Run {
        title: String,
        variant: Option<String>,
        source: RunSource,
        targets: Vec<f64>,
    },
    Compare {
        base: Box<Scenario>,
        specs: Vec<VariantSpec>,
    },
}

enum RunSource {
    Scenario(Box<Scenario>),
    Record(Box<crate::input::record::RecordField>),
}

/// Check a job request (fast: parsing, not fitting): the plan, the races in all.
fn plan(st: &AppState, req: &JobReq) -> Result<(Plan, RunOptions, u64), ApiError> {
    let lim = &st.limits;
    if req.runs == 0 || req.runs > lim.max_runs {
        return Err(ApiError::bad(format!(
            "runs: {} is outside 1..={} races per job",
            req.runs, lim.max_runs
        )));
    }
    let opts = RunOptions {
        runs: req.runs,
        seed: req.seed,
        threads: None,
        progress: false,
    };
    let targets = parse_targets(req)?;
    if let Some(rec) = &req.record {
        if req.toml.is_some() || req.scenario.is_some() {
            return Err(ApiError::bad("give a scenario or a record, not both"));
        }
        if req.variants.is_some() {
            return Err(ApiError::bad(
                "variants: a comparison needs a scenario (a record has no variants)",
            ));
        }
        let path = st.records.resolve(rec)?;
        let (r, mut rf) = load_record(&path)?;
        apply_form_to_record(&mut rf, &req.form)?;
        return Ok((
            Plan::Run {
                title: r.event.clone(),
                variant: (!req.form.is_empty()).then(|| FORM_VARIANT.to_string()),
                source: RunSource::Record(Box::new(rf)),
                targets,
            },
            opts,
            req.runs,
        ));
    }
    let (text, name) = match (&req.toml, &req.scenario) {
        (Some(t), n) => (t.clone(), text_name(n.as_deref())),
        (None, Some(n)) => {
            let p = st.scenarios.resolve(n)?;
            let t = std::fs::read_to_string(&p)
                .map_err(|e| ApiError::not_found(format!("cannot read `{n}`: {e}")))?;
            (t, n.clone())
        }
        (None, None) => return Err(ApiError::bad("give `scenario`, `toml` or `record`")),
    };
    // the text as written first, so that its errors point at the editor's lines
    Scenario::from_str(&text, &name)?;
    let uses_form = !req.form.is_empty()
        || req
            .variants
            .as_ref()
            .is_some_and(|v| v.iter().any(|x| x == FORM_VARIANT));
    let base = if uses_form {
        Scenario::from_str(&with_form(&text, &req.form)?, &name)?
    } else {
        Scenario::from_str(&text, &name)?
    };
    match &req.variants {
        None => {
            let (sc, variant) = if req.form.is_empty() {
                (base, None)
            } else {
                (base.variant(FORM_VARIANT)?, Some(FORM_VARIANT.to_string()))
            };
            Ok((
                Plan::Run {
                    title: sc.name.clone(),
                    variant,
                    source: RunSource::Scenario(Box::new(sc)),
                    targets,
                },
                opts,
                req.runs,
            ))
        }
        Some(v) => {
            if !targets.is_empty() {
                return Err(ApiError::bad(
                    "targets: a target time is for a run, not a comparison",
                ));
            }
            if v.len() < 2 || v.len() > lim.max_variants {
                return Err(ApiError::bad(format!(
                    "variants: compare 2 to {} variants (got {})",
                    lim.max_variants,
                    v.len()
                )));
            }
            let specs = v
                .iter()
                .map(|s| VariantSpec::parse(s))
                .collect::<Result<Vec<_>, _>>()?;
            for s in &specs {
                s.apply(&base)?;
            }
            let n = specs.len() as u64;
            Ok((
                Plan::Compare {
                    base: Box::new(base),
                    specs,
                },
                opts,
                req.runs * n,
            ))
        }
    }
}

fn apply_form_to_record(
    rf: &mut crate::input::record::RecordField,
    form: &Form,
) -> Result<(), ApiError> {
    for (name, f) in &form.runner {
        let r = rf
            .spec
            .runners
            .iter_mut()
            .find(|r| &r.name == name)
            .ok_or_else(|| ApiError::bad(format!("form: no runner `{name}` in the record")))?;
        if let Some(t) = &f.tactic {
            r.tactic.kind = Some(
                t.parse()
                    .map_err(|e| ApiError::bad(format!("form: {name}: {e}")))?,
            );
        }
        if let Some(k) = f.kick_m {
            if !(k.is_finite() && k > 0.0) {
                return Err(ApiError::bad(format!(
                    "form: {name}: kick_m must be a positive distance"
                )));
            }
            r.tactic.kick_m = Some(k);
        }
    }
    for (name, f) in &form.pacer {
        let p = rf
            .spec
            .pacers
            .iter_mut()
            .find(|p| &p.name == name)
            .ok_or_else(|| ApiError::bad(format!("form: no pacer `{name}` in the record")))?;
        if f.lap.is_some() || f.target.is_some() {
            return Err(ApiError::bad(format!(
                "form: pacer {name}: a record's pacer runs the record's plan; only his drop-out \
                 point can be changed"
            )));
        }
        if let Some(d) = f.drop_out_m {
            if !(d.is_finite() && d > 0.0 && d <= rf.spec.distance_m) {
                return Err(ApiError::bad(format!(
                    "form: pacer {name}: drop_out_m must be within the race"
                )));
            }
            p.drop_out_m = d;
        }
    }
    Ok(())
}

/// One chart as the API returns it.
fn chart_json(c: &Rendered) -> Value {
    json!({
        "stem": c.stem,
        "heading": c.heading,
        "svg": c.bytes.svg,
        "svg_narrow": c.bytes.narrow_svg
    })
}

/// Run a checked plan (on a blocking thread).
fn execute(plan: Plan, opts: RunOptions, job: &Job) -> Result<Value, ApiError> {
    let cache = FitCache::new();
    match plan {
        Plan::Run {
            title,
            variant,
            source,
            targets,
        } => {
            let field: Field = match &source {
                RunSource::Scenario(sc) => sc.build(&cache)?,
                RunSource::Record(rf) => rf.build(&cache)?,
            };
            let acc = montecarlo::run_with_progress(&field.setup, &opts, &|n| job.advance(n))
                .map_err(Error::from)?;
            job.complete();
            let summary = Summary::new(
                &title,
                variant.as_deref(),
                &field.setup,
                &field.runners,
                &acc,
                opts.seed,
            )
            .with_targets(&acc, &targets);
            let sample = SampleRace::trace(&field.setup, summary.seed, 0);
            let charts = RunCharts {
                summary: &summary,
                setup: &field.setup,
                acc: &acc,
                sample: Some(&sample),
                real: None,
                highlight: &[],
            }
            .render()
            .map_err(|e| ApiError::from(Error::Chart(e)))?;
            let assumptions = match &source {
                RunSource::Record(rf) => rf.assumptions.clone(),
                RunSource::Scenario(_) => Vec::new(),
            };
            Ok(json!({
                "kind": "run",
                "summary": summary,
                "table": report::run::table::render(&summary),
                "assumptions": assumptions,
                "charts": charts.iter().map(chart_json).collect::<Vec<_>>(),
            }))
        }
        Plan::Compare { base, specs } => {
            let prepared = compare_study::prepare(&base, specs, &[], &cache)?;
            let rep = compare_study::run_with_progress(&base, &prepared, &opts, false, &|n| {
                job.advance(n)
            })?;
            job.complete();
            let charts =
                report::compare::charts(&rep).map_err(|e| ApiError::from(Error::Chart(e)))?;
            Ok(json!({
                "kind": "compare",
                "compare": rep,
                "text": report::compare::render(&rep),
                "charts": charts.iter().map(chart_json).collect::<Vec<_>>(),
            }))
        }
    }
}

/// `POST /api/jobs`: 202 with the job's id, or 400/403/404/429.
pub async fn submit(
    State(st): State<AppState>,
    Json(req): Json<JobReq>,
) -> Result<Response, ApiError> {
    let st2 = st.clone();
    let (plan, opts, total) = tokio::task::spawn_blocking(move || plan(&st2, &req))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))??;
    let job = st
        .jobs
        .submit(total, Box::new(move |job: &Job| execute(plan, opts, job)))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "id": job.id, "total": total, "events": format!("/api/jobs/{}/events", job.id), "result": format!("/api/jobs/{}/result", job.id) })),
    )
        .into_response())
}

fn job_of(st: &AppState, id: &str) -> Result<Arc<Job>, ApiError> {
    st.jobs.get(id).ok_or_else(|| {
        ApiError::not_found(format!(
            "no job `{id}` (finished jobs are kept a while, not for ever)"
        ))
    })
}

/// `GET /api/jobs/{id}`: its progress.
pub async fn job_status(
    State(st): State<AppState>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    let j = job_of(&st, &id)?;
    Ok(Json(
        serde_json::to_value(j.progress()).unwrap_or(Value::Null),
    ))
}

/// `GET /api/jobs/{id}/result`: 200 with the result, 409 while it runs, the job's error if it
/// failed.
pub async fn job_result(
    State(st): State<AppState>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    let j = job_of(&st, &id)?;
    match j.state() {
        JobState::Done(v) => Ok(Json(v.as_ref().clone()).into_response()),
        JobState::Failed(e) => Err(e),
        s => Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("job `{id}` is {}: wait for its `done` event", s.name()),
        )),
    }
}

/// `GET /api/jobs/{id}/events`: Server-Sent Events — `progress` (`{state, done, total}`) four
/// times a second, then one `done` or `failed` event, then the stream ends.
pub async fn job_events(
    State(st): State<AppState>,
    UrlPath(id): UrlPath<String>,
) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let j = job_of(&st, &id)?;
    let stream = futures_util::stream::unfold((j, false), |(j, over)| async move {
        if over {
            return None;
        }
        let p = j.progress();
        let finished = j.state().finished();
        if !finished {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let ev = Event::default()
            .event(if finished { p.state } else { "progress" })
            .json_data(&p)
            .unwrap_or_default();
        Some((Ok(ev), (j, finished)))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
