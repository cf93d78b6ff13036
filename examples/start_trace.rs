//! Diagnostic: the first 60 s of one race of a scenario — every runner's progress, speed and
//! lateral offset every 2 s — to see how the field sorts itself out after the start.
//!
//!     cargo run --release --example start_trace -- scenarios/paris-2024-olympic-1500.toml [RACE]
use racesim::input::scenario::Scenario;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "scenarios/paris-2024-olympic-1500.toml".into());
    let race: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let sc = Scenario::load(&path).expect("scenario");
    let built = sc.build(&racesim::field::FitCache::new()).expect("build");
    let su = &built.setup;
    let seed = sc.seed.unwrap_or(1);
    let (_, tr) = racesim::montecarlo::trace_race(su, seed, race, 1.0);
    let n_r = su.runners.len();
    for (f, t) in tr.t.iter().enumerate() {
        if *t > 60.0 {
            break;
        }
        let lead = (0..n_r)
            .map(|i| tr.s[i][f])
            .fold(f64::NEG_INFINITY, f64::max);
        print!("t={t:5.1} lead={lead:6.1} |");
        let mut idx: Vec<usize> = (0..n_r).collect();
        idx.sort_by(|&a, &b| tr.s[b][f].partial_cmp(&tr.s[a][f]).unwrap());
        for i in idx {
            print!(
                " {:>4.1}/{:.2}/{:.1}",
                lead - tr.s[i][f],
                tr.v[i][f],
                tr.y[i][f]
            );
        }
        println!();
    }
}
