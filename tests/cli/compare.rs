//! `racesim compare`, `sweep` and `optimize` from the command line (issue 5).
//!
//! Most tests use a small scenario written here with explicit physiology (no calibration), so that
//! each runs in a few seconds; the last ones run the shipped scenarios with a handful of races.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_racesim"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("racesim-cli-compare-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("racesim runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "racesim {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Run, expect exit 2, return stderr.
fn usage_error(args: &[&str]) -> String {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "racesim {args:?} should exit 2; stderr: {err}"
    );
    assert!(
        !err.contains("stack backtrace"),
        "an error must be one clean line, got: {err}"
    );
    err
}

/// A six-man championship 1500 m with explicit physiology: no calibration, so it runs fast.
/// Variants change runner "Kick" only: his kick point 250 m (twice, under two names) or 270 m.
const SMALL: &str = r#"
[race]
name = "Small test final"
track = "outdoor400"
distance = "1500m"
runs = 1000
seed = 5

[[runner]]
name = "Kick"
cs = 6.20
d_prime = 330
mss = 9.2
tactic = "sit-and-kick"
kick_m = 250

[[runner]]
name = "Drive"
cs = 6.28
d_prime = 260
mss = 8.9
tactic = "long-drive"

[[runner]]
name = "Field A"
cs = 6.15
d_prime = 300
mss = 9.0

[[runner]]
name = "Field B"
cs = 6.18
d_prime = 280
mss = 9.1

[[runner]]
name = "Field C"
cs = 6.10
d_prime = 320
mss = 9.3

[[runner]]
name = "Field D"
cs = 6.22
d_prime = 270
mss = 8.8

[[variant]]
name = "kick250"
[variant.runner.Kick]
kick_m = 250

[[variant]]
name = "same-as-kick250"
[variant.runner.Kick]
kick_m = 250

[[variant]]
name = "kick270"
[variant.runner.Kick]
kick_m = 270
"#;

fn small(dir: &Path) -> String {
    let p = dir.join("small.toml");
    std::fs::write(&p, SMALL).unwrap();
    p.to_string_lossy().into_owned()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The difference entry of `compare.json` for runner `name`.
fn diff<'a>(v: &'a Value, name: &str) -> &'a Value {
    let r = v["runners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no runner {name} in compare.json"));
    &r["differences"][0]
}

fn width(e: &Value) -> f64 {
    e["hi"].as_f64().unwrap() - e["lo"].as_f64().unwrap()
}

#[test]
fn identical_variants_differ_by_exactly_zero() {
    let d = tmp("zero");
    let sc = small(&d);
    let out = d.join("out");
    let text = ok(&[
        "compare",
        &sc,
        "--variants",
        "kick250,same-as-kick250",
        "--runner",
        "Kick",
        "--runner",
        "Drive",
        "-n",
        "400",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        text.contains("exactly the same result in every one of the 400 races"),
        "{text}"
    );
    let v = json(&out.join("compare.json"));
    for name in ["Kick", "Drive"] {
        let e = diff(&v, name);
        for k in ["win_pts", "podium_pts", "time_s", "place"] {
            assert_eq!(e[k]["value"].as_f64(), Some(0.0), "{name} {k}");
            assert_eq!(e[k]["se"].as_f64(), Some(0.0), "{name} {k}");
        }
    }
    // `base` twice too (labels are numbered)
    let text = ok(&["compare", &sc, "--variants", "base,base", "-n", "100"]);
    assert!(text.contains("base #2"), "{text}");
    assert!(text.contains("exactly the same result"), "{text}");
    for f in [
        "compare.csv",
        "diff_win.png",
        "diff_win.svg",
        "diff_time.png",
        "diff_time.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Kick at 250 m vs 270 m: with common random numbers the paired intervals are several times
/// narrower than with independent streams at the same number of races.
///
/// Measured (seed 5, 1200 races): mean-time CI 0.034 s paired vs 0.819 s independent (24×
/// narrower); win CI 1.69 vs 7.83 points (4.6× narrower) — the independent design would need about
/// 580× and 21× as many races for the same precision. (At 3000 races: 27× and 4.1×.) The
/// thresholds leave room for other seeds but fail if the streams are not shared.
#[test]
fn common_random_numbers_narrow_the_intervals() {
    let d = tmp("crn");
    let sc = small(&d);
    let (crn, ind) = (d.join("crn"), d.join("ind"));
    let args = |out: &Path| {
        vec![
            "compare".to_string(),
            sc.clone(),
            "--variants".into(),
            "kick250,kick270".into(),
            "--runner".into(),
            "Kick".into(),
            "-n".into(),
            "1200".into(),
            "-o".into(),
            out.to_string_lossy().into_owned(),
        ]
    };
    let a = args(&crn);
    ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let mut b = args(&ind);
    b.push("--independent-streams".into());
    let text = ok(&b.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(text.contains("INDEPENDENT"), "{text}");
    let (p, i) = (
        json(&crn.join("compare.json")),
        json(&ind.join("compare.json")),
    );
    assert_eq!(p["common_random_numbers"], true);
    assert_eq!(i["common_random_numbers"], false);
    let (dp, di) = (diff(&p, "Kick"), diff(&i, "Kick"));
    let time_ratio = width(&di["time_s"]) / width(&dp["time_s"]);
    let win_ratio = width(&di["win_pts"]) / width(&dp["win_pts"]);
    eprintln!(
        "CRN: time CI {:.3} s paired vs {:.3} s independent ({time_ratio:.1}×); win CI {:.2} vs {:.2} points ({win_ratio:.1}×)",
        width(&dp["time_s"]),
        width(&di["time_s"]),
        width(&dp["win_pts"]),
        width(&di["win_pts"])
    );
    assert!(time_ratio > 5.0, "time CI only {time_ratio:.1}× narrower");
    assert!(win_ratio > 2.5, "win CI only {win_ratio:.1}× narrower");
    // and the variants do differ: a real, small effect
    assert!(dp["pairs"].as_u64() == Some(1200));
    assert!(dp["time_s"]["value"].as_f64().unwrap() != 0.0);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn sweep_is_identical_on_1_and_4_threads() {
    let d = tmp("threads");
    let sc = small(&d);
    let mut csv = Vec::new();
    for t in ["1", "4"] {
        let out = d.join(format!("t{t}"));
        ok(&[
            "sweep",
            &sc,
            "--param",
            "runner.Kick.kick_m=200..300:50",
            "--param",
            "runner.Drive.drive_m=600..700:100",
            "-n",
            "150",
            "-t",
            t,
            "-o",
            out.to_str().unwrap(),
        ]);
        csv.push(std::fs::read_to_string(out.join("sweep.csv")).unwrap());
        assert!(out.join("sweep_heatmap.png").is_file());
        // the axes in words, not raw paths (issue 12)
        let svg = std::fs::read_to_string(out.join("sweep_heatmap.svg")).unwrap();
        assert!(svg.contains("Kick: kick distance (m)"), "x axis label");
        assert!(
            svg.contains("Drive: long-drive distance (m)"),
            "y axis label"
        );
        assert!(!svg.contains("runner.Kick.kick_m"));
    }
    assert_eq!(csv[0], csv[1], "sweep results depend on the thread count");
    // 6 grid points × 6 runners + header
    assert_eq!(csv[0].lines().count(), 37);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn sweep_points_share_random_numbers() {
    // Every grid point runs the same races as a plain `run` of the scenario with the point's
    // value and the same seed: the same random numbers at every point (common random numbers),
    // so what differs between points is the parameter alone. Checked for Kick at both points of
    // a draft-scale sweep against two runs.
    let d = tmp("crn");
    let sc = small(&d);
    let out = d.join("o");
    ok(&[
        "sweep",
        &sc,
        "--param",
        "model.draft_scale=0.5..1.0:0.5",
        "--runner",
        "Kick",
        "-n",
        "200",
        "-o",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let kick: Vec<Vec<&str>> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[col("runner")] == "Kick")
        .collect();
    assert_eq!(kick.len(), 2);
    let num = |s: &str| s.parse::<f64>().unwrap();
    let mut seen = Vec::new();
    for (point, value) in [(0, 0.5), (1, 1.0)] {
        let row = &kick[point];
        assert_eq!(num(row[col("model.draft_scale")]), value);
        let scenario = d.join(format!("point{point}.toml"));
        std::fs::write(
            &scenario,
            format!("{SMALL}\n[model]\ndraft_scale = {value:?}\n"),
        )
        .unwrap();
        let run_out = d.join(format!("run{point}"));
        ok(&[
            "run",
            scenario.to_str().unwrap(),
            "-n",
            "200",
            "--no-charts",
            "-o",
            run_out.to_str().unwrap(),
        ]);
        let runners = std::fs::read_to_string(run_out.join("runners.csv")).unwrap();
        let mut rl = runners.lines();
        let rhead: Vec<&str> = rl.next().unwrap().split(',').collect();
        let rcol = |name: &str| rhead.iter().position(|h| *h == name).unwrap();
        let k: Vec<&str> = rl
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| r[rcol("name")] == "Kick")
            .unwrap();
        for (sweep_col, run_col) in [
            ("p_win", "p_win"),
            ("p_podium", "p_podium"),
            ("mean_time_s", "time_mean_s"),
            ("mean_place", "mean_place"),
        ] {
            assert_eq!(
                num(row[col(sweep_col)]),
                num(k[rcol(run_col)]),
                "point {point}: {sweep_col} differs from a run with draft_scale = {value}"
            );
        }
        seen.push(num(row[col("mean_time_s")]));
    }
    // and the parameter does move the race (a sweep of an inert value is refused)
    assert_ne!(seen[0], seen[1]);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_input_is_exit_2_and_named() {
    let d = tmp("bad");
    let sc = small(&d);
    let sweep = |param: &str| usage_error(&["sweep", &sc, "--param", param]);
    let variants = |v: &str| usage_error(&["compare", &sc, "--variants", v]);
    let optimize = |runner: &str, param: &str| {
        usage_error(&["optimize", &sc, "--runner", runner, "--param", param])
    };
    // a bad path names it and lists what exists
    let e = sweep("runner.Kick.kik_m=200..300:50");
    assert!(e.contains("kik_m") && e.contains("Paths that exist"), "{e}");
    assert!(e.contains("kick_m") && e.contains("model."), "{e}");
    assert!(e.contains("Did you mean runner.\"Kick\".kick_m?"), "{e}");
    let e = sweep("runner.Nobody.kick_m=200..300:50");
    assert!(
        e.contains("no runner `Nobody`") && e.contains("Paths that exist"),
        "{e}"
    );
    // issue 12: a field the runner's tactic does not read is refused, not swept flat
    let e = sweep("runner.Kick.surge_rise=0.01..0.1:0.03");
    assert!(
        e.contains(
            "`runner.Kick.surge_rise`: `surge_rise` has no effect: Kick's tactic is sit-and-kick"
        ),
        "{e}"
    );
    let e = optimize("Drive", "runner.Drive.max_place=1..4");
    assert!(e.contains("only race-the-field reads `max_place`"), "{e}");
    let e = variants("base,base@runner.Kick.drive_m=600");
    assert!(e.contains("only long-drive reads `drive_m`"), "{e}");
    let e = sweep("model.no_such=1..2:1");
    assert!(e.contains("no_such"), "{e}");
    // bad ranges
    for (range, why) in [
        ("300..150:25", "above TO"),
        ("0..1:0", "must be positive"),
        ("abc..300:25", "`abc` is not a number"),
        ("150..450:40", "not a whole number of steps"),
        ("0..1000:1", "more than the 200"),
        ("150..450", "give a step"),
    ] {
        let spec = format!("runner.Kick.kick_m={range}");
        let e = sweep(&spec);
        assert!(e.contains(why) && e.contains(&spec), "{range}: {e}");
    }
    let e = usage_error(&[
        "sweep",
        &sc,
        "--param",
        "runner.Kick.kick_m=0..1400:100",
        "--param",
        "runner.Drive.drive_m=0..1400:100",
    ]);
    assert!(e.contains("225 grid points") && e.contains("200"), "{e}");
    // a value the scenario rejects names the path and value
    let e = sweep("runner.Kick.kick_m=1000..2000:500");
    assert!(e.contains("kick_m") && e.contains("2000"), "{e}");
    // unknown variant / runner
    let e = variants("kick250,nope");
    assert!(
        e.contains("no variant `nope`") && e.contains("kick270"),
        "{e}"
    );
    let e = usage_error(&[
        "sweep",
        &sc,
        "--variant",
        "nope",
        "--param",
        "runner.Kick.kick_m=200..300:50",
    ]);
    assert!(e.contains("no variant `nope`"), "{e}");
    let e = usage_error(&["compare", &sc, "--runner", "Nobody"]);
    assert!(e.contains("Nobody") && e.contains("Field A"), "{e}");
    let e = optimize("Nobody", "runner.Nobody.kick_m=200..300:50");
    assert!(e.contains("Nobody") && e.contains("Field A"), "{e}");
    // optimize searches the runner's own tactic only
    let e = optimize("Kick", "runner.Drive.kick_m=200..300:50");
    assert!(
        e.contains("runner.Drive.kick_m") && e.contains("tactic"),
        "{e}"
    );
    let e = optimize("Kick", "model.draft_scale=0..1:0.5");
    assert!(e.contains("model.draft_scale"), "{e}");
    // a malformed ad-hoc variant
    let e = variants("base,base@runner.Kick.kick_m=fast");
    assert!(e.contains("`fast`"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn optimize_finds_and_tests_an_optimum() {
    let d = tmp("opt");
    let sc = small(&d);
    let out = d.join("o");
    let text = ok(&[
        "optimize",
        &sc,
        "--runner",
        "Kick",
        "--param",
        "runner.Kick.kick_m=100..500:100",
        "-n",
        "400",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        text.contains("How the search avoids chasing Monte Carlo noise"),
        "{text}"
    );
    assert!(text.contains("on another seed ("), "{text}");
    assert!(text.contains("Best: kick_m ="), "{text}");
    let v = json(&out.join("optimize.json"));
    assert_eq!(v["coarse"].as_array().unwrap().len(), 5);
    assert_eq!(v["coarse_runs"].as_u64(), Some(100));
    let fine = v["fine"].as_array().unwrap();
    assert!(fine.len() >= 5, "{}", fine.len());
    let best = v["best"].as_u64().unwrap() as usize;
    // the best has the highest refined win %, and its gain over every other point is ≥ 0
    let bw = fine[best]["win_pct"]["value"].as_f64().unwrap();
    for (k, p) in fine.iter().enumerate() {
        assert!(p["win_pct"]["value"].as_f64().unwrap() <= bw);
        if k != best {
            assert!(p["best_gain"]["value"].as_f64().unwrap() >= 0.0);
        }
    }
    // his current setting (250) is among the refined points
    assert!(
        fine.iter()
            .any(|p| p["current"] == true && p["values"][0] == 250.0)
    );
    assert!(out.join("optimize_curve.png").is_file() && out.join("optimize.csv").is_file());
    // a parameter his tactic ignores is refused before anything runs (issue 12)
    let e = usage_error(&[
        "optimize",
        &sc,
        "--runner",
        "Kick",
        "--param",
        "runner.Kick.drive_m=500..800:150",
        "-n",
        "100",
    ]);
    assert!(e.contains("`drive_m` has no effect"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

fn shipped(name: &str) -> String {
    root()
        .join("scenarios")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn compare_runs_on_the_kerr_scenario() {
    let d = tmp("kerr");
    let text = ok(&[
        "compare",
        &shipped("millrose-2025-kerr-plan.toml"),
        "--variants",
        "race-the-field,chase-record",
        "-n",
        "30",
        "-o",
        d.to_str().unwrap(),
    ]);
    assert!(
        text.contains("Josh Kerr") && text.contains("instead of `race-the-field`"),
        "{text}"
    );
    let v = json(&d.join("compare.json"));
    // only Kerr's tactic differs, so he is the runner reported
    assert_eq!(v["runners"].as_array().unwrap().len(), 1);
    assert_eq!(v["runners"][0]["name"], "Josh Kerr");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn sweep_runs_on_shipped_scenarios() {
    let text = ok(&[
        "sweep",
        &shipped("solo-time-trial.toml"),
        "--param",
        "runner.\"Josh Kerr\".target=207..209:1",
        "--metric",
        "median",
        "-n",
        "30",
    ]);
    assert!(text.contains("median time"), "{text}");
    let text = ok(&[
        "sweep",
        &shipped("millrose-2025-kerr-plan.toml"),
        "--param",
        "pacer.1.drop_out_m=800..1200:400",
        "-n",
        "10",
    ]);
    assert!(
        text.contains("drop_out_m") && text.contains("Yared Nuguse"),
        "{text}"
    );
}

#[test]
fn optimize_runs_on_the_kerr_scenario() {
    let text = ok(&[
        "optimize",
        &shipped("millrose-2025-kerr-plan.toml"),
        "--variant",
        "race-the-field",
        "--runner",
        "Josh Kerr",
        "--param",
        "runner.\"Josh Kerr\".kick_m=200..300:100",
        "-n",
        "40",
    ]);
    assert!(text.contains("Best: kick_m"), "{text}");
}

#[test]
fn compare_sweep_and_optimize_print_the_notes_run_prints() {
    // Field A front-runs at 55 s a lap (a 3:26 1500 m), faster than his solo even pace: `run`
    // notes it; so must every command that builds the scenario. A variant that makes him sit
    // and kick leaves his `pace` unused: a note naming that variant.
    let d = tmp("notes");
    let text = SMALL.replace(
        "name = \"Field A\"\ncs = 6.15\nd_prime = 300\nmss = 9.0\n",
        "name = \"Field A\"\ncs = 6.15\nd_prime = 300\nmss = 9.0\ntactic = \"front-run\"\npace = \"55.0\"\n",
    ) + "\n[[variant]]\nname = \"a-sits\"\n[variant.runner.\"Field A\"]\ntactic = \"sit-and-kick\"\n";
    let sc = d.join("notes.toml");
    std::fs::write(&sc, text).unwrap();
    let sc = sc.to_str().unwrap();
    let stderr = |args: &[&str]| {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "racesim {args:?}: {err}");
        err
    };
    let front = "Field A (front-run) is set 55.00 s a lap";
    let run_err = stderr(&["run", sc, "-n", "20"]);
    assert!(run_err.contains(&format!("note: {front}")), "{run_err}");
    let err = stderr(&["compare", sc, "--variants", "base,a-sits", "-n", "40"]);
    assert!(
        err.contains(&format!("note: variant `base`: {front}")),
        "{err}"
    );
    assert!(
        err.contains("note: variant `a-sits`: Field A: `pace` in ")
            && err.contains("is not used here: Field A's tactic is sit-and-kick"),
        "{err}"
    );
    // every grid point gives the note: printed once, as `run` prints it
    let err = stderr(&[
        "sweep",
        sc,
        "--param",
        "runner.Kick.kick_m=250..270:20",
        "-n",
        "40",
    ]);
    assert_eq!(err.matches("note: ").count(), 1, "{err}");
    assert!(err.contains(&format!("note: {front}")), "{err}");
    let err = stderr(&[
        "optimize",
        sc,
        "--runner",
        "Kick",
        "--param",
        "runner.Kick.kick_m=200..300:50",
        "-n",
        "40",
    ]);
    assert!(err.contains(&format!("note: {front}")), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}
