//! The API in-process, through `tower::ServiceExt::oneshot`: listings, validation errors at their
//! line, paths outside the folders refused, bounds answered with 4xx, jobs to completion (the
//! same numbers as the library's own run), a failing job, and a burst of jobs.

use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

use racesim::field::FitCache;
use racesim::input::record::{RaceRecord, RecordKind, scenario_toml};
use racesim::input::scenario::Scenario;
use racesim::montecarlo::{self, RunOptions};
use racesim::report::summary::Summary;
use racesim::web::{Config, Limits, router};

const KERR: &str = "millrose-2025-kerr-plan.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config(limits: Limits) -> Config {
    Config {
        scenarios: root().join("scenarios"),
        records: root().join("../shared/data/races"),
        limits,
    }
}

fn app() -> Router {
    router(&config(Limits::default()))
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let body = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, body.to_vec())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (s, b) = call(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

async fn post(app: &Router, uri: &str, body: &Value) -> (StatusCode, Value) {
    let (s, b) = call(
        app,
        Request::post(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// Wait for a job to finish; its final state.
async fn wait(app: &Router, id: &str) -> Value {
    for _ in 0..2400 {
        let (s, p) = get(app, &format!("/api/jobs/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        if p["state"] == "done" || p["state"] == "failed" {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {id} did not finish in 4 minutes");
}

fn line_of(text: &str, needle: &str) -> u64 {
    (text[..text.find(needle).expect(needle)]
        .matches('\n')
        .count()
        + 1) as u64
}

#[tokio::test]
async fn the_folders_are_listed_and_served() {
    let app = app();
    let (s, v) = get(&app, "/api/scenarios").await;
    assert_eq!(s, StatusCode::OK);
    let kerr = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == KERR)
        .expect("the Kerr scenario is listed");
    assert_eq!(
        kerr["title"],
        "Millrose Games 2025 Wanamaker Mile, with Josh Kerr"
    );
    let (s, v) = get(&app, "/api/records").await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"paris2024_oly_m1500_final.json"),
        "{names:?}"
    );

    // a scenario as TOML, byte for byte
    let (s, b) = call(
        &app,
        Request::get(format!("/api/scenarios/{KERR}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        b,
        std::fs::read(root().join("scenarios").join(KERR)).unwrap()
    );

    // a record as the form shows it: its entrants, its pacers, what was assumed
    let (s, v) = get(&app, "/api/records/millrose2023_wanamaker_mile.json").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(!v["runners"].as_array().unwrap().is_empty());
    assert!(v["title"].as_str().unwrap().contains("2023"), "{v}");

    // a record as a scenario: what `racesim scenario from-record` writes, byte for byte
    let (s, b) = call(
        &app,
        Request::get("/api/records/paris2024_oly_m1500_final.json/toml")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let path = root().join("../shared/data/races/paris2024_oly_m1500_final.json");
    let rec = RaceRecord::load(&path).unwrap();
    let want = scenario_toml(&rec, &path, &Default::default(), RecordKind::Race).unwrap();
    assert_eq!(String::from_utf8(b).unwrap(), want);
    let (s, _) = get(&app, "/api/records/nope.json/toml").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = get(&app, "/api/records/..%2F..%2FCargo.toml/toml").await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );

    // the page and its assets are in the binary
    let (s, b) = call(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        String::from_utf8(b)
            .unwrap()
            .contains("<script src=\"/app.js\">")
    );
    let (s, _) = get(&app, "/app.js").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_bad_scenario_is_a_400_with_its_line_and_field() {
    let app = app();
    let text = std::fs::read_to_string(root().join("scenarios").join(KERR)).unwrap();
    let (s, v) = post(
        &app,
        "/api/validate",
        &json!({ "toml": text, "name": KERR }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["runners"].as_array().unwrap().len(), 9);
    assert_eq!(v["pacers"][0]["pace_key"], "target");
    assert_eq!(v["pacers"][0]["drop_out_m"], 1000.0);

    let bad = text.replace("drop_out_m = 1000", "drop_out_m = -3");
    let (s, v) = post(&app, "/api/validate", &json!({ "toml": bad })).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["line"], line_of(&bad, "drop_out_m = -3"));
    assert_eq!(v["error"]["field"], "pacer[0].drop_out_m");

    let bad = text.replace(
        "country = \"IRL\"",
        "country = \"IRL\"\ntactic = \"sprint\"",
    );
    let (s, v) = post(&app, "/api/validate", &json!({ "toml": bad })).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["line"], line_of(&bad, "tactic = \"sprint\""));
    assert_eq!(v["error"]["field"], "runner[0].tactic");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown tactic `sprint`"),
        "{v}"
    );

    // a job on bad text is refused the same way, before anything runs
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "toml": "[race]\nname = \"x\"\ntrack = \"moon\"\n", "runs": 10, "seed": 1 }),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["error"]["line"].is_u64(), "{v}");

    // a form that names nobody
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 10, "seed": 1, "form": { "runner": { "Nobody": { "kick_m": 400 } } } }),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("Nobody"),
        "{v}"
    );
}

#[tokio::test]
async fn no_request_reaches_outside_the_folders() {
    // a scenarios folder with a symbolic link to a file outside it
    let tmp = std::env::temp_dir().join(format!("racesim-web-{}", std::process::id()));
    let inside = tmp.join("scenarios");
    let outside = tmp.join("outside");
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let text = std::fs::read_to_string(root().join("scenarios/solo-time-trial.toml")).unwrap();
    std::fs::write(inside.join("ok.toml"), &text).unwrap();
    std::fs::write(outside.join("secret.toml"), &text).unwrap();
    let link = inside.join("evil.toml");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(outside.join("secret.toml"), &link).unwrap();
    let app = router(&Config {
        scenarios: inside.clone(),
        records: root().join("../shared/data/races"),
        limits: Limits::default(),
    });

    let (s, v) = get(&app, "/api/scenarios").await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ok.toml"], "the link out is not offered");

    for (uri, want) in [
        ("/api/scenarios/ok.toml", StatusCode::OK),
        ("/api/scenarios/evil.toml", StatusCode::FORBIDDEN),
        (
            "/api/scenarios/..%2Foutside%2Fsecret.toml",
            StatusCode::FORBIDDEN,
        ),
        ("/api/scenarios/%2Fetc%2Fpasswd", StatusCode::FORBIDDEN),
        ("/api/scenarios/..", StatusCode::FORBIDDEN),
        ("/api/scenarios/missing.toml", StatusCode::NOT_FOUND),
        (
            "/api/records/..%2F..%2F..%2FCargo.toml",
            StatusCode::FORBIDDEN,
        ),
        ("/api/records/%2Fetc%2Fhostname", StatusCode::FORBIDDEN),
        ("/api/scenarios/../../Cargo.toml", StatusCode::NOT_FOUND),
    ] {
        let (s, _) = call(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(s, want, "{uri}");
    }
    for body in [
        json!({ "scenario": "evil.toml", "runs": 10, "seed": 1 }),
        json!({ "scenario": "../outside/secret.toml", "runs": 10, "seed": 1 }),
        json!({ "scenario": outside.join("secret.toml"), "runs": 10, "seed": 1 }),
        json!({ "record": "/etc/passwd", "runs": 10, "seed": 1 }),
        json!({ "record": "../../../../etc/passwd", "runs": 10, "seed": 1 }),
    ] {
        let (s, v) = post(&app, "/api/jobs", &body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body} -> {v}");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test]
async fn bounds_are_answered_with_4xx() {
    let limits = Limits {
        max_body_bytes: 4096,
        max_runs: 1000,
        ..Limits::default()
    };
    let app = router(&config(limits));
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 1001, "seed": 1 }),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("1..=1000"),
        "{v}"
    );
    let (s, _) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 0, "seed": 1 }),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 10, "seed": 1, "variants": ["base", "form", "chase-record", "race-the-field", "base"] }),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // a body over the limit
    let big = "#".repeat(5000);
    let (s, _) = post(&app, "/api/validate", &json!({ "toml": big })).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // and a request that is not JSON at all
    let (s, _) = call(
        &app,
        Request::post("/api/jobs")
            .header("content-type", "application/json")
            .body(Body::from("{runs: many"))
            .unwrap(),
    )
    .await;
    assert!(s.is_client_error(), "{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_gives_the_librarys_numbers_and_its_charts() {
    let app = app();
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 150, "seed": 7 }),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    // the progress stream ends with the `done` event
    let (s, body) = call(
        &app,
        Request::get(format!("/api/jobs/{id}/events"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let events = String::from_utf8(body).unwrap();
    assert!(events.contains("event: done"), "{events}");
    assert!(events.contains("\"done\":150"), "{events}");
    let (s, res) = get(&app, &format!("/api/jobs/{id}/result")).await;
    assert_eq!(s, StatusCode::OK, "{res}");
    assert_eq!(res["kind"], "run");

    // the same numbers as the library's own run (what `racesim run --seed 7 --runs 150` does)
    let sc = Scenario::load(root().join("scenarios").join(KERR)).unwrap();
    let field = sc.build(&FitCache::new()).unwrap();
    let opts = RunOptions {
        runs: 150,
        seed: 7,
        threads: None,
        progress: false,
    };
    let acc = montecarlo::run(&field.setup, &opts).unwrap();
    let summary = Summary::new(&sc.name, None, &field.setup, &field.runners, &acc, 7);
    // both through JSON text (what `run --out` writes as summary.json), parsed the same way
    let cli: Value = serde_json::from_slice(&racesim::report::run::summary_json(&summary)).unwrap();
    assert!(
        res["summary"] == cli,
        "the web run differs from the library's run"
    );

    let stems: Vec<&str> = res["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stem"].as_str().unwrap())
        .collect();
    for want in ["splits", "finish"] {
        assert!(stems.iter().any(|s| s.starts_with(want)), "{stems:?}");
    }
    assert!(
        res["charts"][0]["svg"]
            .as_str()
            .unwrap()
            .starts_with("<svg")
    );

    // the form's change is a variant of the scenario: Kerr kicks from 500 m
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 100, "seed": 7,
                 "form": { "runner": { "Josh Kerr": { "tactic": "race-the-field", "kick_m": 500 } } } }),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let p = wait(&app, v["id"].as_str().unwrap()).await;
    assert_eq!(p["state"], "done", "{p}");
    let (_, res) = get(
        &app,
        &format!("/api/jobs/{}/result", v["id"].as_str().unwrap()),
    )
    .await;
    let kerr = res["summary"]["runners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Josh Kerr")
        .unwrap()
        .clone();
    assert_eq!(kerr["tactic"]["kind"], "race-the-field");
    assert_eq!(kerr["tactic"]["kick_m"], 500.0);
    assert_eq!(res["summary"]["variant"], "form");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comparison_pairs_the_variants() {
    let app = app();
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 100, "seed": 3, "variants": ["base", "form"],
                 "form": { "runner": { "Josh Kerr": { "kick_m": 500 } } } }),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_str().unwrap();
    assert_eq!(v["total"], 200, "two variants of 100 races");
    let p = wait(&app, id).await;
    assert_eq!(p["state"], "done");
    // the progress counted every race of both variants (run_crn's hook)
    assert_eq!(
        (p["done"].clone(), p["total"].clone()),
        (json!(200), json!(200))
    );
    let (_, res) = get(&app, &format!("/api/jobs/{id}/result")).await;
    assert_eq!(res["kind"], "compare");
    let c = &res["compare"];
    assert_eq!(c["reference"], "base");
    assert_eq!(c["races"], 100);
    let runners = c["runners"].as_array().unwrap();
    assert_eq!(runners.len(), 1, "only Kerr changed: {c}");
    assert_eq!(runners[0]["name"], "Josh Kerr");
    assert_eq!(runners[0]["differences"][0]["pairs"], 100);
    assert_eq!(res["charts"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_race_as_toml_runs_with_target_times() {
    let app = app();
    let name = "millrose2024_m2mile.json";
    let path = root().join("../shared/data/races").join(name);
    let (s, b) = call(
        &app,
        Request::get(format!("/api/records/{name}/toml"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let text = String::from_utf8(b).unwrap();
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": "millrose2024_m2mile.toml", "toml": text, "runs": 60, "seed": 4,
                 "targets": ["8:05.00", "480"] }),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_str().unwrap();
    assert_eq!(wait(&app, id).await["state"], "done");
    let (_, res) = get(&app, &format!("/api/jobs/{id}/result")).await;

    // the numbers of the record's own field (what validate builds), with the same targets
    let rec = RaceRecord::load(&path).unwrap();
    let rf = rec.field(&path, &Default::default()).unwrap();
    let field = rf.build(&FitCache::new()).unwrap();
    let opts = RunOptions {
        runs: 60,
        seed: 4,
        threads: None,
        progress: false,
    };
    let acc = montecarlo::run(&field.setup, &opts).unwrap();
    let summary = Summary::new(&rec.event, None, &field.setup, &field.runners, &acc, 4)
        .with_targets(&acc, &[485.0, 480.0]);
    let lib: Value = serde_json::from_slice(&racesim::report::run::summary_json(&summary)).unwrap();
    assert!(res["summary"] == lib, "the record's TOML runs another race");
    let targets = res["summary"]["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0]["time_s"], 485.0);
    assert_eq!(
        targets[0]["p_beat"].as_array().unwrap().len(),
        rf.spec.runners.len()
    );

    // a target that is not a time, and a target on a comparison, are refused
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 10, "seed": 1, "targets": ["soon"] }),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("targets: `soon`"),
        "{v}"
    );
    let (s, _) = post(
        &app,
        "/api/jobs",
        &json!({ "scenario": KERR, "runs": 10, "seed": 1, "targets": ["3:50"],
                 "variants": ["base", "chase-record"] }),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_returns_its_error_and_the_server_goes_on() {
    let app = app();
    // every runner on the field prior: nobody to be relative to, found when the field is built
    let text = "[race]\nname = \"Nobody known\"\ntrack = \"outdoor400\"\ndistance = \"1500m\"\n\n\
                [[runner]]\nname = \"A\"\nprior = \"field\"\n\n[[runner]]\nname = \"B\"\nprior = \"field\"\n";
    let (s, v) = post(
        &app,
        "/api/jobs",
        &json!({ "toml": text, "runs": 10, "seed": 1 }),
    )
    .await;
    let failed = if s == StatusCode::ACCEPTED {
        let id = v["id"].as_str().unwrap().to_string();
        let p = wait(&app, &id).await;
        assert_eq!(p["state"], "failed", "{p}");
        let (s, e) = get(&app, &format!("/api/jobs/{id}/result")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        e
    } else {
        // refused up front is as good: a 400 naming the problem
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        v
    };
    assert!(
        failed["error"]["message"].as_str().unwrap().contains("no"),
        "{failed}"
    );
    let (s, _) = get(&app, "/api/scenarios").await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = get(&app, "/api/jobs/ffffff").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_fifty_jobs_is_answered_and_memory_stays_bounded() {
    let limits = Limits {
        max_jobs: 4,
        keep_finished: 6,
        ..Limits::default()
    };
    let app = router(&config(limits));
    let text = std::fs::read_to_string(root().join("scenarios/solo-time-trial.toml")).unwrap();
    let mut handles = Vec::new();
    for k in 0..50u64 {
        let app = app.clone();
        let text = text.clone();
        handles.push(tokio::spawn(async move {
            post(
                &app,
                "/api/jobs",
                &json!({ "toml": text, "runs": 20, "seed": k }),
            )
            .await
        }));
    }
    let mut accepted = Vec::new();
    let mut busy = 0;
    for h in handles {
        let (s, v) = h.await.unwrap();
        match s {
            StatusCode::ACCEPTED => accepted.push(v["id"].as_str().unwrap().to_string()),
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(
                    v["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("at most 4")
                );
                busy += 1
            }
            s => panic!("unexpected {s}: {v}"),
        }
    }
    assert_eq!(accepted.len() + busy, 50);
    assert!(
        (1..=50).contains(&accepted.len()) && busy > 0,
        "{} accepted",
        accepted.len()
    );
    // every accepted job finishes (the newest six are still kept)
    for id in accepted.iter().rev().take(4) {
        assert_eq!(wait(&app, id).await["state"], "done");
    }
    let (s, _) = get(&app, "/api/scenarios").await;
    assert_eq!(s, StatusCode::OK, "the server is alive");
    // more jobs after the burst: the oldest finished ones are forgotten
    for k in 0..8u64 {
        let (s, v) = post(
            &app,
            "/api/jobs",
            &json!({ "toml": text, "runs": 20, "seed": 100 + k }),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        wait(&app, v["id"].as_str().unwrap()).await;
    }
    let (s, _) = get(&app, &format!("/api/jobs/{}", accepted[0])).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the oldest job was forgotten");
}

#[test]
fn only_loopback_is_local() {
    use racesim::web::server::is_loopback;
    assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
    assert!(!is_loopback("0.0.0.0") && !is_loopback("192.168.1.4"));
}
