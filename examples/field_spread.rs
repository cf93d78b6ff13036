//! Diagnostic: how strung out the simulated field is, averaged over many races of a scenario —
//! the time gap of the last runner behind the first at 100, 200, 300, 500, 750 and 1100 m (when
//! each passes the point, interpolated in a trace sampled every 0.25 s), the largest growth
//! of that gap over any 150 m (a break), and the winning margin. The sampled progression chart shows one
//! race; this gives the averages to read it against (docs/validation.md).
//!
//!     cargo run --release --example field_spread -- scenarios/paris-2024-olympic-1500.toml [RACES]
use racesim::input::scenario::Scenario;

/// Time at which position `d` is first reached, interpolated between frames (None if never).
fn time_at(t: &[f64], s: &[f64], d: f64) -> Option<f64> {
    (1..t.len()).find_map(|f| {
        let (s0, s1) = (s[f - 1], s[f]);
        (s0.is_finite() && s1.is_finite() && s0 < d && s1 >= d)
            .then(|| t[f - 1] + (t[f] - t[f - 1]) * (d - s0) / (s1 - s0))
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "scenarios/paris-2024-olympic-1500.toml".into());
    let races: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let sc = Scenario::load(&path)?;
    let built = sc.build(&racesim::field::FitCache::new())?;
    let su = &built.setup;
    let seed = sc.seed.unwrap_or(1);
    let n_r = su.runners.len();
    let dist = su.distance_m;
    let points = [100.0, 200.0, 300.0, 500.0, 750.0, 1100.0];
    let mut last_gap = vec![0.0; points.len()];
    let mut worst150 = 0.0;
    let mut margin = Vec::new();
    for race in 0..races {
        let (out, tr) = racesim::montecarlo::trace_race(su, seed, race, 0.25);
        // every 50 m: the gap of the last runner (who reaches the point last) behind the first
        let grid: Vec<f64> = (1..(dist / 50.0) as usize)
            .map(|k| k as f64 * 50.0)
            .collect();
        let spread: Vec<f64> = grid
            .iter()
            .map(|&d| {
                let ts: Vec<f64> = (0..n_r)
                    .filter_map(|i| time_at(&tr.t, &tr.s[i], d))
                    .collect();
                let lo = ts.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = ts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                hi - lo
            })
            .collect();
        for (k, &d) in points.iter().enumerate() {
            if let Some(j) = grid.iter().position(|&g| (g - d).abs() < 1e-9) {
                last_gap[k] += spread[j] / races as f64;
            }
        }
        let w = spread.windows(4).map(|w| w[3] - w[0]).fold(0.0, f64::max);
        worst150 += w / races as f64;
        let mut f = out.finish_s.clone();
        f.sort_by(f64::total_cmp);
        if f.len() > 1 {
            margin.push(f[1] - f[0]);
        }
    }
    margin.sort_by(f64::total_cmp);
    println!("{path}: {races} races, seed {seed}, {n_r} runners");
    for (d, g) in points.iter().zip(&last_gap) {
        println!("  last runner behind the first at {d:>6.0} m: {g:.2} s (mean)");
    }
    println!(
        "  largest growth of that gap over 150 m: {worst150:.2} s (mean of each race's largest)"
    );
    if margin.is_empty() {
        return Ok(());
    }
    println!(
        "  winning margin: median {:.2} s, 10-90 % {:.2}-{:.2} s",
        margin[margin.len() / 2],
        margin[margin.len() / 10],
        margin[margin.len() * 9 / 10]
    );
    Ok(())
}
