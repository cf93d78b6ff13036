//! Test fixtures shared by the rooms' unit tests: small races that need no calibration.

use crate::base::params::ModelParams;
use crate::base::track::{Track, TrackKind};
use crate::engine::pacing::{PacerSpec, Schedule};
use crate::engine::physiology::Physiology;
use crate::engine::race::{RaceSetup, RunnerSpec};
use crate::engine::tactics::{Tactic, TacticKind};

/// A 1500 m runner with explicit physiology (MSS = 1.45·CS) and default tactic parameters.
pub fn runner(name: &str, cs: f64, d_prime: f64, solo: f64, kind: TacticKind) -> RunnerSpec {
    RunnerSpec {
        name: name.into(),
        physiology: Physiology {
            cs,
            d_prime,
            mss: cs * 1.45,
        },
        tactic: Tactic::with_defaults(kind, &ModelParams::default(), 1500.0, solo),
        solo_time_s: solo,
    }
}

/// A small, calibration-free 1500 m: four runners (A–D, A's kick point given), no pacers.
pub fn small_setup(kick_of_a: f64) -> RaceSetup {
    let p = ModelParams::default();
    let mk = |name: &str, cs: f64, d: f64, solo: f64, kind: TacticKind| {
        let mut r = runner(name, cs, d, solo, kind);
        if name == "A" {
            r.tactic.kick_m = kick_of_a;
        }
        r
    };
    RaceSetup::new(
        Track::new(TrackKind::Outdoor400),
        1500.0,
        vec![
            mk("A", 6.20, 300.0, 209.0, TacticKind::SitAndKick),
            mk("B", 6.25, 280.0, 208.5, TacticKind::RaceTheField),
            mk("C", 6.10, 320.0, 210.5, TacticKind::SitAndKick),
            mk("D", 6.15, 260.0, 210.8, TacticKind::Follow),
        ],
        vec![],
        None,
        &[],
        p,
    )
    .unwrap()
}

/// The same four runners behind a pacer who runs 56 s laps to 800 m, with a split at 1000 m.
pub fn paced_setup() -> RaceSetup {
    let small = small_setup(300.0);
    let runners = small
        .runners
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.tactic = Tactic::with_defaults(
                TacticKind::Follow,
                &ModelParams::default(),
                1500.0,
                r.solo_time_s,
            );
            r
        })
        .collect();
    RaceSetup::new(
        Track::new(TrackKind::Outdoor400),
        1500.0,
        runners,
        vec![PacerSpec {
            name: "Rabbit".into(),
            schedule: Schedule::from_lap_time(400.0, 56.0, 800.0).unwrap(),
            drop_out_m: 800.0,
        }],
        None,
        &[1000.0],
        ModelParams::default(),
    )
    .unwrap()
}

/// A scenario with explicit physiology (no calibration: builds in milliseconds), a pacer, and
/// two variants; line numbers matter to the tests that locate errors.
pub const SCENARIO: &str = r#"[race]
name = "Test mile"
track = "indoor200"
distance = "mile"
runs = 500
seed = 9

[[runner]]
name = "Ann"
cs = 6.20
d_prime = 300
mss = 9.0
tactic = "sit-and-kick"
kick_m = 250

[[runner]]
name = "Bea Ola"
cs = 6.10
d_prime = 320
mss = 9.1

[[runner]]
name = "Cid"
cs = 6.15
d_prime = 280
mss = 8.9

[[pacer]]
name = "Rabbit"
drop_out_m = 800
lap = "28.5"

[[variant]]
name = "kick-early"
description = "Ann kicks from 400 m"
[variant.runner.Ann]
kick_m = 400

[[variant]]
name = "no-cid"
remove = ["Cid"]
"#;
