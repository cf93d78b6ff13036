//! Speed of the calibration: the twelve Paris 2024 finalists fitted to their reported times, and
//! their solo times for the race — what `racesim run scenarios/paris-2024-olympic-1500.toml`
//! does before its first race (here without the fit cache, on one thread).
//!
//! Run with `cargo bench --bench calibration`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use racesim::base::track::TrackKind;
use racesim::engine::physiology::Physiology;
use racesim::field::RunnerSource;
use racesim::field::calibrate::{self, CalMark};
use racesim::input::scenario::Scenario;

fn bench(c: &mut Criterion) {
    let sc = Scenario::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/paris-2024-olympic-1500.toml"
    ))
    .expect("scenario loads");
    let marks: Vec<Vec<CalMark>> = sc
        .runners
        .iter()
        .filter_map(|r| match &r.source {
            RunnerSource::Reported(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    eprintln!(
        "[calibration] {} runners, {} marks",
        marks.len(),
        marks.iter().map(Vec::len).sum::<usize>()
    );

    let mut g = c.benchmark_group("calibration");
    g.sample_size(10);
    g.bench_function("Paris 2024 final: 12 fits and solo times", |b| {
        b.iter(|| {
            let mut total = 0.0;
            for m in &marks {
                let f = calibrate::fit(black_box(m), &sc.params).expect("fit");
                total += calibrate::time_trial(&f.physiology, sc.track, sc.distance_m, &sc.params);
            }
            black_box(total)
        })
    });
    // Josh Kerr as fitted for Paris (one time trial: the unit of work of a fit)
    let kerr = Physiology {
        cs: 6.165728,
        d_prime: 331.2883,
        mss: 9.05338,
    };
    g.bench_function("one time trial, 1500 m outdoors", |b| {
        b.iter(|| {
            calibrate::time_trial(black_box(&kerr), TrackKind::Outdoor400, 1500.0, &sc.params)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
