//! Diagnostic: how strung out the simulated field is, averaged over many races of a scenario —
//! the time gap of the last runner behind the first at 100, 200, 300, 500, 750 and 1100 m (when
//! each passes the point, interpolated in a trace sampled every 0.25 s), the largest growth
//! of that gap over any 150 m (a break), the winning margin, and the extra distance each runner
//! covers for running outside lane 1's line on the bends (the trace's lateral offset y: a
//! bend's metre of progress is (R + y)/R metres run; real runners, where tracked, ran 2–27 m
//! extra in a 1500 m, the records' `distance_run_m`). The sampled progression chart shows one
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
    let mut per_race: Vec<Vec<f64>> = vec![Vec::new(); points.len()];
    let mut worst150 = 0.0;
    let mut margin = Vec::new();
    let (mut extra_mean, mut extra_lo, mut extra_hi, mut over27) = (0.0, 0.0, 0.0, 0usize);
    let track = su.track;
    let lp0 = track.lap_position(dist, 0.0);
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
                per_race[k].push(spread[j]);
            }
        }
        let w = spread.windows(4).map(|w| w[3] - w[0]).fold(0.0, f64::max);
        worst150 += w / races as f64;
        let extra: Vec<f64> = (0..n_r)
            .map(|i| {
                let (s, y) = (&tr.s[i], &tr.y[i]);
                (1..tr.t.len())
                    .filter(|&f| s[f].is_finite() && s[f - 1].is_finite())
                    .map(|f| {
                        let lp = (lp0 + 0.5 * (s[f] + s[f - 1])).rem_euclid(track.lap_m);
                        if track.on_bend(lp) {
                            (s[f] - s[f - 1]) * 0.5 * (y[f] + y[f - 1]) / track.bend_radius_m
                        } else {
                            0.0
                        }
                    })
                    .sum()
            })
            .collect();
        extra_mean += extra.iter().sum::<f64>() / (n_r * races as usize) as f64;
        extra_lo += extra.iter().copied().fold(f64::INFINITY, f64::min) / races as f64;
        extra_hi += extra.iter().copied().fold(0.0, f64::max) / races as f64;
        over27 += extra.iter().filter(|&&e| e > 27.0).count();
        let mut f = out.finish_s.clone();
        f.sort_by(f64::total_cmp);
        if f.len() > 1 {
            margin.push(f[1] - f[0]);
        }
    }
    margin.sort_by(f64::total_cmp);
    println!("{path}: {races} races, seed {seed}, {n_r} runners");
    for ((d, g), all) in points.iter().zip(&last_gap).zip(&mut per_race) {
        all.sort_by(f64::total_cmp);
        let med = all.get(all.len() / 2).copied().unwrap_or(f64::NAN);
        println!(
            "  last runner behind the first at {d:>6.0} m: {g:.2} s (mean), median {med:.2} s"
        );
    }
    println!(
        "  largest growth of that gap over 150 m: {worst150:.2} s (mean of each race's largest)"
    );
    println!(
        "  extra distance on the bends per runner: mean {extra_mean:.1} m, least {extra_lo:.1} m, most {extra_hi:.1} m (means over races); {:.1} % of runners over 27 m",
        100.0 * over27 as f64 / (n_r * races as usize) as f64
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
