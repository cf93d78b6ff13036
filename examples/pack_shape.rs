//! Diagnostic: the shape of the pack in one race of a scenario — every `EVERY` seconds, each
//! runner's distance behind the leader and his lateral offset (`behind/y`, metres), front to
//! back — to see whether the field runs one, two or three wide (docs/validation.md, "The
//! two-three-wide pack").
//!
//!     cargo run --release --example pack_shape -- scenarios/paris-2024-olympic-1500.toml [RACE] [EVERY]
use racesim::input::scenario::Scenario;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "scenarios/paris-2024-olympic-1500.toml".into());
    let race: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let every: f64 = std::env::args()
        .nth(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let sc = Scenario::load(&path)?;
    let built = sc.build(&racesim::field::FitCache::new())?;
    let su = &built.setup;
    let seed = sc.seed.unwrap_or(1);
    let (_, tr) = racesim::montecarlo::trace_race(su, seed, race, every);
    let n_r = su.runners.len();
    let lp0 = su.track.lap_position(su.distance_m, 0.0);
    for (f, t) in tr.t.iter().enumerate() {
        let mut idx: Vec<usize> = (0..n_r).filter(|&i| tr.s[i][f].is_finite()).collect();
        if idx.len() < n_r {
            break;
        }
        idx.sort_by(|&a, &b| tr.s[b][f].total_cmp(&tr.s[a][f]));
        let lead = tr.s[idx[0]][f];
        let bend = su.track.on_bend((lp0 + lead).rem_euclid(su.track.lap_m));
        print!("t={t:5.1} s={lead:6.1} {} |", if bend { "B" } else { "S" });
        for i in idx {
            print!(" {:>4.1}/{:.2}", lead - tr.s[i][f], tr.y[i][f]);
        }
        println!();
    }
    Ok(())
}
