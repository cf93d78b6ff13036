//! Test fixtures shared by the rooms' unit tests: small races that need no calibration.

use crate::base::params::ModelParams;
use crate::base::track::{Track, TrackKind};
use crate::engine::physiology::Physiology;
use crate::engine::race::{RaceSetup, RunnerSpec};
use crate::engine::tactics::{Tactic, TacticKind};

/// A small, calibration-free 1500 m: four runners (A–D, A's kick point given), no pacers.
pub fn small_setup(kick_of_a: f64) -> RaceSetup {
    let p = ModelParams::default();
    let mk = |name: &str, cs: f64, d: f64, solo: f64, kind: TacticKind| {
        let mut t = Tactic::with_defaults(kind, &p, 1500.0, solo);
        if name == "A" {
            t.kick_m = kick_of_a;
        }
        RunnerSpec {
            name: name.into(),
            physiology: Physiology {
                cs,
                d_prime: d,
                mss: cs * 1.45,
            },
            tactic: t,
            solo_time_s: solo,
        }
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
