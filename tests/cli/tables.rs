//! Issue 12 item 2: every command's report fits an 80-column terminal (`COLUMNS=80`), the full
//! layout is used when there is room, and `--format csv|json` writes the main table for a pipe.

use std::process::{Command, Output};

use super::common::{root, shared_data};

fn racesim_cols(cols: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_racesim"));
    c.args(args).current_dir(root()).env("RUST_BACKTRACE", "0");
    match cols {
        Some(w) => c.env("COLUMNS", w),
        None => c.env_remove("COLUMNS"),
    };
    c.output().expect("racesim runs")
}

fn out80(args: &[&str]) -> String {
    let o = racesim_cols(Some("80"), args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn assert_fits(what: &str, text: &str) {
    assert!(text.lines().count() > 3, "{what}: {text}");
    for l in text.lines() {
        assert!(
            l.chars().count() <= 80,
            "{what}: a line of {} characters:\n{l}\n\n{text}",
            l.chars().count()
        );
    }
}

const PARIS: &str = "scenarios/paris-2024-olympic-1500.toml";
const MILLROSE: &str = "scenarios/millrose-2025-kerr-plan.toml";

#[test]
fn run_fits_80_columns_and_is_full_when_wide() {
    let narrow = out80(&["run", PARIS, "-n", "40", "-s", "3"]);
    assert_fits("run", &narrow);
    // compact: the tactic column goes, and the key says so
    assert!(narrow.contains("Not shown at this width"), "{narrow}");
    assert!(narrow.contains("win %: chance of winning"), "{narrow}");
    let wide = racesim_cols(Some("200"), &["run", PARIS, "-n", "40", "-s", "3"]);
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert!(wide.contains("long-drive"), "{wide}");
    assert!(!wide.contains("Not shown at this width"), "{wide}");
    // nothing wraps inside a time: every table row of the narrow layout carries whole times
    let kerr = narrow.lines().find(|l| l.starts_with("Josh Kerr")).unwrap();
    assert_eq!(
        kerr.split_whitespace()
            .filter(|c| c.contains(':') && c.contains('.'))
            .count(),
        3,
        "{kerr}"
    );
}

#[test]
fn compare_sweep_optimize_fit_80_columns() {
    assert_fits(
        "compare",
        &out80(&[
            "compare",
            MILLROSE,
            "--variants",
            "race-the-field,chase-record",
            "-n",
            "30",
        ]),
    );
    assert_fits(
        "sweep",
        &out80(&[
            "sweep",
            MILLROSE,
            "--variant",
            "race-the-field",
            "--param",
            "runner.\"Josh Kerr\".kick_m=200..400:100",
            "--runner",
            "Josh Kerr",
            "--runner",
            "Yared Nuguse",
            "--runner",
            "Neil Gourley",
            "-n",
            "20",
        ]),
    );
    assert_fits(
        "optimize",
        &out80(&[
            "optimize",
            MILLROSE,
            "--runner",
            "Josh Kerr",
            "--param",
            "runner.\"Josh Kerr\".kick_m=200..400:100",
            "-n",
            "20",
        ]),
    );
}

#[test]
fn validate_and_calibrate_fit_80_columns() {
    let races = shared_data().join("races");
    let rec = races.join("paris2024_oly_m1500_final.json");
    let v = out80(&["validate", rec.to_str().unwrap(), "-n", "30"]);
    assert_fits("validate", &v);
    // every printed column is explained under the table
    for h in ["cov80:", "lead80:", "logloss:", "brier:"] {
        assert!(v.contains(h), "{h} not explained:\n{v}");
    }
    assert_fits("calibrate", &out80(&["calibrate", PARIS]));
}

#[test]
fn format_csv_and_json_write_the_whole_table() {
    let csv = racesim_cols(Some("80"), &["run", PARIS, "-n", "20", "--format", "csv"]);
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    let head = lines.next().unwrap();
    assert!(head.starts_with("runner,tactic,win_pct,win_se,"), "{head}");
    assert_eq!(lines.count(), 12, "{csv}");
    let js = racesim_cols(None, &["run", PARIS, "-n", "20", "--format", "json"]);
    assert!(js.status.success());
    let v: serde_json::Value = serde_json::from_slice(&js.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    let total: f64 = rows.iter().map(|r| r["win_pct"].as_f64().unwrap()).sum();
    assert!((total - 100.0).abs() < 0.6, "win % add up to {total}");
    let bad = racesim_cols(None, &["run", PARIS, "--format", "xml"]);
    assert_eq!(bad.status.code(), Some(2));
}
