//! The engine's physical and statistical invariants (issue 2).

use racesim::engine::race::Simulator;
use racesim::input::scenario::Scenario;
use racesim::montecarlo::{self, RunOptions};

use super::common::root;

fn built(name: &str) -> racesim::field::Field {
    Scenario::load(root().join("scenarios").join(name))
        .unwrap()
        .build(&racesim::field::FitCache::new())
        .unwrap()
}

#[test]
fn splits_increase_and_end_at_the_finish_and_reserve_stays_in_bounds() {
    for sc in [
        "paris-2024-olympic-1500.toml",
        "millrose-2025-kerr-plan.toml",
        "millrose-2024-two-mile.toml",
    ] {
        let b = built(sc);
        let setup = &b.setup;
        let nk = setup.n_splits();
        let mut sim = Simulator::new(setup);
        let mut out = sim.new_outcome();
        for race in 0..60 {
            sim.run(11, race, &mut out, None);
            let mut places: Vec<u32> = out.place.clone();
            places.sort();
            assert_eq!(places, (1..=setup.runners.len() as u32).collect::<Vec<_>>());
            for i in 0..setup.runners.len() {
                let sp = &out.splits_s[i * nk..(i + 1) * nk];
                assert!(sp[0] > 0.0, "{sc} race {race}: first split {}", sp[0]);
                for k in 1..nk {
                    assert!(
                        sp[k] > sp[k - 1],
                        "{sc} race {race} runner {i}: split {k} not after split {}",
                        k - 1
                    );
                }
                assert_eq!(
                    sp[nk - 1],
                    out.finish_s[i],
                    "{sc}: last split is the finish"
                );
                // physically possible: faster than a sprint, slower than a walk
                let v = setup.distance_m / out.finish_s[i];
                assert!(v > 4.0 && v < 8.5, "{sc}: average speed {v}");
                assert!(out.min_reserve_frac[i] >= 0.0, "reserve below its floor");
                assert!(out.max_reserve_frac[i] <= 1.0, "reserve above D′");
                assert!(out.min_reserve_frac[i] < 0.9, "a race spends some reserve");
            }
            // the leader (pacers included) is never behind the first runner
            for k in 0..nk {
                let first = (0..setup.runners.len())
                    .map(|i| out.splits_s[i * nk + k])
                    .fold(f64::INFINITY, f64::min);
                assert!(out.leader_splits_s[k] <= first + 1e-9);
            }
        }
    }
}

#[test]
fn same_seed_same_results_on_one_and_four_threads() {
    let b = built("paris-2024-olympic-1500.toml");
    let run = |threads| {
        montecarlo::run(
            &b.setup,
            &RunOptions {
                runs: 600,
                seed: 99,
                threads: Some(threads),
                progress: false,
            },
        )
        .unwrap()
    };
    let one = run(1);
    let four = run(4);
    assert_eq!(one.races, 600);
    assert!(one == four, "accumulators differ between 1 and 4 threads");
    // and a different seed gives different results
    let other = montecarlo::run(
        &b.setup,
        &RunOptions {
            runs: 600,
            seed: 100,
            threads: Some(2),
            progress: false,
        },
    )
    .unwrap();
    assert!(one != other);
}

#[test]
fn a_lone_runner_varies_by_about_one_percent() {
    // Hopkins (2005): race-to-race CV 0.8–1.0 % for elite runners up to 1500 m
    let b = built("solo-time-trial.toml");
    let acc = montecarlo::run(
        &b.setup,
        &RunOptions {
            runs: 4000,
            seed: 5,
            threads: None,
            progress: false,
        },
    )
    .unwrap();
    let h = &acc.runners[0].finish;
    let cv = h.sd().unwrap() / h.mean().unwrap();
    assert!(
        (0.008..=0.010).contains(&cv),
        "lone runner's CV {:.3} % is outside 0.8–1.0 %",
        100.0 * cv
    );
}

#[test]
fn pacers_hit_their_splits_until_they_drop() {
    // a pacer with lap-by-lap targets and a field that follows him
    let text = r#"
        [race]
        name = "pacer test"
        track = "outdoor400"
        distance = "1500m"
        [[pacer]]
        name = "Rabbit"
        drop_out_m = 1100
        splits = [ { at_m = 400, time = "55.0" }, { at_m = 800, time = "1:51.0" },
                   { at_m = 1100, time = "2:33.0" } ]
        [[runner]]
        name = "A"
        reported = { "1500m" = "3:29.0" }
        [[runner]]
        name = "B"
        reported = { "1500m" = "3:30.0" }
        [[runner]]
        name = "C"
        reported = { "1500m" = "3:31.0" }
    "#;
    let b = Scenario::from_str(text, "pacer-test.toml")
        .unwrap()
        .build(&racesim::field::FitCache::new())
        .unwrap();
    let mut sim = Simulator::new(&b.setup);
    sim.record_pacer_errors = true;
    let mut out = sim.new_outcome();
    let plan = [(400.0, 55.0), (800.0, 111.0), (1100.0, 153.0)];
    for race in 0..200 {
        sim.run(3, race, &mut out, None);
        let errs: Vec<(f64, f64)> = out.pacer_errors_s.iter().map(|e| (e.1, e.2)).collect();
        assert_eq!(
            errs.len(),
            plan.len(),
            "the pacer passes each planned point"
        );
        // per-lap error: each lap's time against the planned lap time
        let mut prev = 0.0;
        for (k, &(at, err)) in errs.iter().enumerate() {
            assert_eq!(at, plan[k].0);
            assert!(
                (err - prev).abs() <= 1.0,
                "race {race}: the pacer's segment to {at} m is {:.2} s off plan",
                err - prev
            );
            prev = err;
        }
    }
}
