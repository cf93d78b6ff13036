//! Bad input: a one-line error naming the file, the line and the field; exit status 2; no panic;
//! nothing written (issue 2, item 10).

use super::common::{racesim, stderr, stdout, tmpdir, write};

const GOOD: &str = r#"[race]
name = "test"
track = "outdoor400"
distance = "1500m"

[[runner]]
name = "A"
reported = { "1500m" = "3:30.00" }

[[runner]]
name = "B"
reported = { "1500m" = "3:31.00", mile = "3:48.00" }
"#;

/// Run a scenario expected to be rejected; check status 2, one line naming file/line/field, and
/// that the output directory stayed empty.
fn rejected(name: &str, text: &str, line: usize, field: &str) {
    let dir = tmpdir(name);
    let sc = write(&dir, "scenario.toml", text);
    let out = dir.join("out");
    let o = racesim(&[
        "run",
        sc.to_str().unwrap(),
        "--runs",
        "20",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{name}: status; stderr: {err}");
    let first = err.lines().next().unwrap_or("");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{name}: one line, got: {err}"
    );
    assert!(
        first.contains("scenario.toml"),
        "{name}: names the file: {first}"
    );
    assert!(
        first.contains(&format!("scenario.toml:{line}:")),
        "{name}: names line {line}: {first}"
    );
    assert!(
        first.contains(field),
        "{name}: names the field `{field}`: {first}"
    );
    assert!(
        first.matches("scenario.toml").count() == 1,
        "{name}: said once: {first}"
    );
    assert!(!err.contains("panicked"), "{name}: panicked: {err}");
    assert!(!out.exists(), "{name}: output written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_good_scenario_runs() {
    let dir = tmpdir("good");
    let sc = write(&dir, "scenario.toml", GOOD);
    let out = dir.join("out");
    let o = racesim(&[
        "run",
        sc.to_str().unwrap(),
        "--runs",
        "50",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["summary.json", "runners.csv", "splits.csv"] {
        assert!(out.join(f).exists(), "{f} written");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_field() {
    let t = GOOD.replace("name = \"A\"", "name = \"A\"\nspeed = 7.0");
    rejected("unknown-field", &t, 8, "speed");
}

#[test]
fn wrong_type() {
    let t = GOOD.replace("distance = \"1500m\"", "distance = true");
    rejected("wrong-type", &t, 4, "distance");
}

#[test]
fn negative_time() {
    let t = GOOD.replace("\"3:30.00\"", "\"-3:30.00\"");
    rejected("negative-time", &t, 8, "reported.1500m");
}

#[test]
fn absurd_time() {
    let t = GOOD.replace("\"3:30.00\"", "\"1:10.00\"");
    rejected("absurd-time", &t, 8, "reported.1500m");
}

#[test]
fn unknown_distance() {
    let t = GOOD.replace("distance = \"1500m\"", "distance = \"1400m\"");
    rejected("unknown-distance", &t, 4, "race.distance");
}

#[test]
fn pacer_dropping_out_beyond_the_finish() {
    let t = format!("{GOOD}\n[[pacer]]\nname = \"Rabbit\"\ndrop_out_m = 1600\nlap = \"55.0\"\n");
    rejected("pacer-beyond-finish", &t, 16, "pacer[0].drop_out_m");
}

#[test]
fn duplicate_runner() {
    let t = GOOD.replace("name = \"B\"", "name = \"A\"");
    rejected("duplicate-runner", &t, 11, "runner[1].name");
}

#[test]
fn syntax_error() {
    let t = GOOD.replace("track = \"outdoor400\"", "track = \"outdoor400");
    rejected("syntax", &t, 3, "");
}

#[test]
fn missing_file_and_bad_arguments() {
    let o = racesim(&["run", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no/such/file.toml"));
    let o = racesim(&[
        "run",
        "scenarios/paris-2024-olympic-1500.toml",
        "--runs",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = racesim(&[
        "run",
        "scenarios/paris-2024-olympic-1500.toml",
        "--variant",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope"));
    // a tuning knob that does not exist: one line naming it, before anything is simulated
    let o = racesim(&[
        "tune",
        "../shared/data/races/oslo2023_dl_m1500.json",
        "--knobs",
        "form_common_share,nope",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim_end().lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("`nope`"), "{}", stderr(&o));
}

/// `racesim` or `racesim plot` with no command: exit 2 and one line naming the commands (not
/// clap's multi-line help, which `--help` prints).
#[test]
fn a_missing_command_is_one_line_naming_the_commands() {
    for (args, want) in [
        (
            &[][..],
            &["`racesim` needs a command", "run", "validate", "scenario"][..],
        ),
        (&["plot"][..], &["`racesim plot` needs a command: race"][..]),
        (&["scenario"][..], &["from-record", "from-field"][..]),
    ] {
        let o = racesim(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = stderr(&o);
        assert_eq!(e.trim_end().lines().count(), 1, "{args:?}: {e}");
        for w in want {
            assert!(e.contains(w), "{args:?}: {e}");
        }
        assert!(!e.contains(", help"), "{e}");
    }
    let o = racesim(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Commands:"));
}

/// Ctrl-C during a run: exit status 130 from racesim's own handler, and no `--out` folder (the
/// signal is reset to its default in the child, as a shell's background job would ignore it).
#[test]
fn ctrl_c_ends_with_130_and_leaves_no_output() {
    use std::os::unix::process::CommandExt;
    let dir = tmpdir("ctrl-c");
    let out = dir.join("out");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_racesim"));
    cmd.args([
        "run",
        "scenarios/solo-time-trial.toml",
        "--runs",
        "100000000",
        "--threads",
        "1",
        "--out",
    ])
    .arg(&out)
    .current_dir(super::common::root())
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::piped());
    // SAFETY: only async-signal-safe `signal` between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    // let it get past start-up (the handler is installed before any work)
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let mut status = None;
    for _ in 0..600 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("racesim did not stop on SIGINT");
    };
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(!out.exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}

/// With nobody left reading its stderr (a harness that died, `2>&1 | head` that exited), a run
/// still stops on SIGTERM with 143 and leaves nothing, and a run left alone still finishes with
/// 0 and its files. Before stop 23 the interrupt thread panicked writing its last line, which
/// left SIGINT and SIGTERM blocked with nobody to take them (only SIGKILL stopped it), and a
/// finished run ended with a panic's 101.
#[test]
fn a_run_whose_stderr_reader_is_gone_still_stops_on_sigterm_and_still_finishes() {
    let dir = tmpdir("stderr-gone");
    let spawn = |runs: &str, out: &std::path::Path| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_racesim"))
            .args(["run", "scenarios/solo-time-trial.toml", "--runs", runs])
            .args(["--threads", "1", "--no-charts", "--out"])
            .arg(out)
            .current_dir(super::common::root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // the reader goes away: every later write to stderr is a broken pipe
        drop(child.stderr.take());
        child
    };
    let wait = |child: &mut std::process::Child, what: &str| {
        for _ in 0..600 {
            if let Some(s) = child.try_wait().unwrap() {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = child.kill();
        panic!("racesim did not stop: {what}");
    };

    let done = dir.join("done");
    let mut child = spawn("300", &done);
    let status = wait(&mut child, "a short run");
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(done.join("summary.json").is_file());

    let stopped = dir.join("stopped");
    let mut child = spawn("100000000", &stopped);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let status = wait(&mut child, "SIGTERM");
    assert_eq!(status.code(), Some(143), "{status:?}");
    assert!(!stopped.exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_named_like_an_output_file_in_out_is_exit_2_before_simulating() {
    let dir = tmpdir("out-folder");
    std::fs::create_dir_all(dir.join("out/summary.json")).unwrap();
    let o = racesim(&[
        "run",
        "scenarios/solo-time-trial.toml",
        "--runs",
        "2000",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("summary.json") && e.lines().count() == 1, "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
