//! `racesim scenario from-record` / `from-field` (issue 12 item 3): every shared record and field
//! file becomes a scenario that parses, checks, builds the very field `validate` builds from the
//! record (the same marks, so the same fits, bit for bit) and runs — the same races as the
//! record's own field; the command writes stdout or `--out FILE`, never over a file without
//! `--force`.

use std::path::{Path, PathBuf};

use racesim::base::params::ModelParams;
use racesim::field::FitCache;
use racesim::input::record::{RaceRecord, RecordKind, scenario_toml};
use racesim::input::scenario::Scenario;
use racesim::montecarlo::{self, RunOptions};

use crate::common::{racesim, shared_data, stderr, stdout, tmpdir};

fn shared_files() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["races", "fields"] {
        for e in std::fs::read_dir(shared_data().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                v.push(p);
            }
        }
    }
    v.sort();
    assert!(v.len() >= 10, "the shared races and fields: {v:?}");
    v
}

/// The scenario written from `path`, checked, with the record's own field beside it.
fn both(path: &Path) -> (String, Scenario, racesim::input::record::RecordField) {
    let rec = RaceRecord::load(path).unwrap();
    let kind = if rec.is_field_only() {
        RecordKind::Field
    } else {
        RecordKind::Race
    };
    let params = ModelParams::default();
    let text = scenario_toml(&rec, path, &params, kind).unwrap();
    let sc = Scenario::from_str(&text, "written.toml")
        .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
    let rf = rec.field(path, &params).unwrap();
    (text, sc, rf)
}

#[test]
fn every_shared_record_becomes_a_scenario_of_the_field_validate_builds() {
    let cache = FitCache::new();
    for path in shared_files() {
        let (text, sc, rf) = both(&path);
        let name = path.display();
        // the same field as data: runners, marks (event, time, condition, age, note, in order),
        // priors, pacers' schedules and drop-outs, lights, split points, model
        assert_eq!(sc.field_spec(), rf.spec, "{name}");
        assert_eq!(sc.date, Some(RaceRecord::load(&path).unwrap().race_date()));
        // the fits: the scenario through a shared cache, the record through a fresh one
        let a = sc.build(&cache).unwrap();
        let b = rf.build(&FitCache::new()).unwrap();
        assert_eq!(a.setup.runners.len(), b.setup.runners.len(), "{name}");
        for (x, y) in a.setup.runners.iter().zip(&b.setup.runners) {
            assert_eq!(x.name, y.name);
            assert_eq!(x.physiology, y.physiology, "{name}: {}", x.name);
            assert_eq!(x.solo_time_s.to_bits(), y.solo_time_s.to_bits(), "{name}");
            assert_eq!(x.tactic.kind, y.tactic.kind, "{name}: {}", x.name);
        }
        for (x, y) in a.runners.iter().zip(&b.runners) {
            assert_eq!(
                x.fit.as_ref().map(|f| f.physiology),
                y.fit.as_ref().map(|f| f.physiology)
            );
            assert_eq!(x.field_prior, y.field_prior);
        }
        // each runner says which marks were used; nothing of the result is written
        assert_eq!(
            text.matches("[[runner]]").count(),
            rf.spec.runners.len(),
            "{name}"
        );
        assert!(text.contains("as `validate` selects them"), "{name}");
        for (e, m) in RaceRecord::load(&path)
            .unwrap()
            .entrants
            .iter()
            .zip(&rf.marks)
        {
            if !m.is_empty() {
                let said = format!("{} of his {} reported marks", m.len(), e.reported.len());
                assert!(text.contains(&said), "{name}: {said}");
            }
        }
    }
}

#[test]
fn written_scenarios_run_the_same_races_as_the_records() {
    // a few races of each: the accumulators (every count and histogram) are equal
    let opts = RunOptions {
        runs: 24,
        seed: 5,
        threads: Some(2),
        progress: false,
    };
    let cache = FitCache::new();
    for path in shared_files() {
        let (_, sc, rf) = both(&path);
        let a = montecarlo::run(&sc.build(&cache).unwrap().setup, &opts).unwrap();
        let b = montecarlo::run(&rf.build(&cache).unwrap().setup, &opts).unwrap();
        assert_eq!(a.races, 24);
        assert!(
            a == b,
            "{}: the written scenario runs other races",
            path.display()
        );
    }
}

#[test]
fn the_command_writes_stdout_or_a_file_and_keeps_an_existing_one() {
    let rec = shared_data().join("races/paris2024_oly_m1500_final.json");
    let rec = rec.to_str().unwrap();
    let o = racesim(&["scenario", "from-record", rec]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("# Olympic Games men's 1500m final — 2024-08-06"),
        "{text}"
    );
    assert!(text.contains("name = \"Jakob Ingebrigtsen\""));
    Scenario::from_str(&text, "stdout.toml").unwrap();

    let dir = tmpdir("from-record");
    let out = dir.join("paris.toml");
    let out_s = out.to_str().unwrap();
    let o = racesim(&["scenario", "from-record", rec, "--out", out_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    // an existing file is kept unless --force
    std::fs::write(&out, "mine").unwrap();
    let o = racesim(&["scenario", "from-record", rec, "--out", out_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the file exists (give --force to replace it)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    let o = racesim(&["scenario", "from-record", rec, "--out", out_s, "--force"]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    assert!(!dir.join("paris.toml.tmp").exists());
    // and the file runs as is
    let o = racesim(&["run", out_s, "--runs", "40", "--seed", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Jakob Ingebrigtsen"));

    // a field file, and a record that is not one
    let field = shared_data().join("fields/millrose2025_wanamaker_mile.json");
    let o = racesim(&["scenario", "from-field", field.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("name = \"Josh Kerr\""));
    let bad = crate::common::write(&dir, "bad.json", "{\"id\": 3}");
    let o = racesim(&["scenario", "from-record", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.json"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}
