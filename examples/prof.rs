//! Profiling helper: N races of a fixed 12-runner championship 1500 m (no calibration).
use racesim::base::params::ModelParams;
use racesim::base::track::*;
use racesim::engine::physiology::Physiology;
use racesim::engine::race::*;
use racesim::engine::tactics::*;
use racesim::field::tactics::{Profile, default_kinds};
fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let p = ModelParams::default();
    let ph = [
        (6.126, 302., 9.1, 210.8),
        (6.163, 332., 9.03, 208.9),
        (6.03, 399., 9.07, 208.2),
        (6.079, 395., 9.12, 206.9),
        (6.026, 321., 9.74, 211.2),
        (6.111, 300., 9.38, 211.4),
        (6.214, 287., 9.06, 210.4),
        (6.266, 250., 8.9, 212.1),
        (6.131, 250., 8.71, 216.8),
        (6.288, 257., 8.97, 210.8),
        (6.225, 293., 9.57, 208.1),
        (6.367, 250., 9.04, 208.8),
    ];
    let mut runners: Vec<RunnerSpec> = ph
        .iter()
        .enumerate()
        .map(|(i, &(cs, d, m, solo))| RunnerSpec {
            name: format!("R{i}"),
            physiology: Physiology {
                cs,
                d_prime: d,
                mss: m,
            },
            tactic: Tactic::with_defaults(TacticKind::Follow, &p, 1500.0, solo),
            solo_time_s: solo,
        })
        .collect();
    let prof: Vec<Profile> = runners
        .iter()
        .map(|r| Profile {
            solo_time_s: r.solo_time_s,
            d_prime: r.physiology.d_prime,
        })
        .collect();
    for (r, k) in runners
        .iter_mut()
        .zip(default_kinds(&prof, false, p.favourite_margin))
    {
        r.tactic = Tactic::with_defaults(k, &p, 1500.0, r.solo_time_s);
    }
    let setup = RaceSetup::new(
        Track::new(TrackKind::Outdoor400),
        1500.0,
        runners,
        vec![],
        None,
        &[],
        p,
    )
    .unwrap();
    let mut sim = Simulator::new(&setup);
    let mut out = sim.new_outcome();
    let t0 = std::time::Instant::now();
    let mut acc = 0.0;
    for r in 0..n {
        sim.run(1, r, &mut out, None);
        acc += out.finish_s[0];
    }
    let el = t0.elapsed().as_secs_f64();
    eprintln!(
        "{n} races {:.3}s {:.0} races/s (check {acc:.3})",
        el,
        n as f64 / el
    );
}
