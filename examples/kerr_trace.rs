//! Diagnostic: one race of the Millrose 2025 scenario, Josh Kerr's position, speed, lane and
//! reserve every 6 s, with the runner directly ahead of him and the gap to the leader (see
//! docs/kerr.md, "Why").
//!
//!     cargo run --release --example kerr_trace -- race-the-field 1 [KICK_M]
use racesim::input::scenario::Scenario;

fn main() {
    let base = Scenario::load("scenarios/millrose-2025-kerr-plan.toml").expect("scenario");
    let variant = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "race-the-field".into());
    let race: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut sc = base.variant(&variant).expect("variant");
    if let Some(kick) = std::env::args().nth(3).and_then(|s| s.parse::<f64>().ok()) {
        sc = sc
            .with_param("runner.\"Josh Kerr\".kick_m", kick)
            .expect("kick_m");
    }
    let built = sc.build(&racesim::field::FitCache::new()).expect("build");
    let su = &built.setup;
    let k = su.runner_index("Josh Kerr").expect("Kerr");
    let seed = sc.seed.unwrap_or(1);
    let (out, tr) = racesim::montecarlo::trace_race(su, seed, race, 2.0);
    let n_r = su.runners.len();
    println!(
        "{:>6} {:>7} {:>7} {:>7} {:>6} {:>5} {:>5} {:>5} {:>5}  {:<18} {:>6} {:>5}",
        "t",
        "pacer",
        "leader",
        "Kerr",
        "behind",
        "place",
        "v",
        "lane",
        "D'",
        "runner ahead",
        "gap",
        "his v"
    );
    for (f, t) in tr.t.iter().enumerate().step_by(3) {
        let ks = tr.s[k][f];
        if !ks.is_finite() {
            continue;
        }
        let lead = (0..n_r)
            .map(|i| tr.s[i][f])
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let ahead: Vec<usize> = (0..n_r).filter(|&i| tr.s[i][f] > ks).collect();
        let next = ahead
            .iter()
            .copied()
            .min_by(|&a, &b| tr.s[a][f].partial_cmp(&tr.s[b][f]).unwrap());
        let (nm, gap, nv) = match next {
            Some(j) => (su.runners[j].name.as_str(), tr.s[j][f] - ks, tr.v[j][f]),
            None => ("-", f64::NAN, f64::NAN),
        };
        println!(
            "{t:6.1} {:7.1} {lead:7.1} {ks:7.1} {:6.1} {:5} {:5.2} {:5.2} {:5.2}  {nm:<18} {gap:6.1} {nv:5.2}",
            tr.s[n_r][f],
            lead - ks,
            ahead.len() + 1,
            tr.v[k][f],
            tr.y[k][f],
            tr.reserve[k][f],
        );
    }
    println!("Kerr finished {} in {:.2} s", out.place[k], out.finish_s[k]);
}
