//! `racesim serve`: the what-if page in a browser, on a local server.
//!
//! The page ([`assets`], embedded in the binary: HTML, CSS and plain JavaScript, no build step, no
//! network) talks to a JSON API ([`api`]) that runs the library's own studies as bounded jobs
//! ([`jobs`]) on files of the configured folders only ([`folders`]). [`server`] binds, announces
//! and shuts down gracefully on Ctrl-C.
//!
//! The web room sits beside the command line: it imports every room below it (input, study,
//! report...) and nothing imports it.

pub mod api;
pub mod assets;
pub mod folders;
pub mod jobs;
pub mod server;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

use folders::Folder;
use jobs::Jobs;

/// The bounds every request and job is held to.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest request body [bytes] (413 past it).
    pub max_body_bytes: usize,
    /// Most races per job, per variant (400 past it).
    pub max_runs: u64,
    /// Most variants in a comparison (400 past it).
    pub max_variants: usize,
    /// Most jobs queued or running at once (429 past it).
    pub max_jobs: usize,
    /// Jobs simulating at once (each uses every core).
    pub workers: usize,
    /// Finished jobs kept for their results (older ones are forgotten).
    pub keep_finished: usize,
}

impl Default for Limits {
    /// 256 KiB of scenario, 200 000 races per variant, 4 variants, 8 jobs queued or running, one
    /// at a time, 32 finished jobs kept [U: a laptop's worth].
    fn default() -> Limits {
        Limits {
            max_body_bytes: 256 * 1024,
            max_runs: 200_000,
            max_variants: 4,
            max_jobs: 8,
            workers: 1,
            keep_finished: 32,
        }
    }
}

/// What the server serves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The scenarios folder (`.toml` files).
    pub scenarios: PathBuf,
    /// The race records folder (`.json` files).
    pub records: PathBuf,
    /// The bounds.
    pub limits: Limits,
}

/// The handlers' shared state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Scenarios.
    pub scenarios: Arc<Folder>,
    /// Race records.
    pub records: Arc<Folder>,
    /// The bounds.
    pub limits: Arc<Limits>,
    /// The jobs.
    pub jobs: Arc<Jobs>,
}

impl AppState {
    /// The state of a server configured by `cfg`.
    pub fn new(cfg: &Config) -> AppState {
        AppState {
            scenarios: Arc::new(Folder {
                dir: cfg.scenarios.clone(),
                ext: "toml",
                what: "scenario",
            }),
            records: Arc::new(Folder {
                dir: cfg.records.clone(),
                ext: "json",
                what: "race record",
            }),
            limits: Arc::new(cfg.limits.clone()),
            jobs: Arc::new(Jobs::new(cfg.limits.clone())),
        }
    }
}

/// The whole application: the page, its assets and the API, with the body limit and
/// compression. Must be used inside a tokio runtime (jobs are spawned on it).
pub fn router(cfg: &Config) -> Router {
    let st = AppState::new(cfg);
    let max = cfg.limits.max_body_bytes;
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::script))
        .route("/style.css", get(assets::style))
        .route("/api/scenarios", get(api::scenarios))
        .route("/api/scenarios/{name}", get(api::scenario_text))
        .route("/api/records", get(api::records))
        .route("/api/records/{name}", get(api::record_info))
        .route("/api/records/{name}/toml", get(api::record_toml))
        .route("/api/validate", post(api::validate))
        .route("/api/jobs", post(api::submit))
        .route("/api/jobs/{id}", get(api::job_status))
        .route("/api/jobs/{id}/result", get(api::job_result))
        .route("/api/jobs/{id}/events", get(api::job_events))
        .fallback(assets::not_found)
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(max))
        .layer(CompressionLayer::new())
        .with_state(st)
}
