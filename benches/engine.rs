//! Speed of the engine: one 12-runner 1500 m race, and 10 000 races in parallel.
//!
//! Run with `cargo bench --bench engine`. Besides criterion's timings, the benchmark prints the
//! number of runner-steps in the measured races, so that time per runner-step can be read off:
//! ns per runner-step = time per race / runner-steps per race.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use racesim::engine::race::Simulator;
use racesim::input::scenario::Scenario;
use racesim::montecarlo::{self, RunOptions};

fn paris() -> racesim::field::Field {
    Scenario::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/paris-2024-olympic-1500.toml"
    ))
    .expect("scenario loads")
    .build(&racesim::field::FitCache::new())
    .expect("scenario builds")
}

fn bench(c: &mut Criterion) {
    let built = paris();
    let setup = &built.setup;
    let dt = setup.params.dt_s;

    // runner-steps per race, averaged over the races the benchmark cycles through
    let mut sim = Simulator::new(setup);
    let mut out = sim.new_outcome();
    let n = 200u64;
    let mut steps = 0.0;
    for race in 0..n {
        sim.run(1, race, &mut out, None);
        steps += out.finish_s.iter().map(|t| (t / dt).ceil()).sum::<f64>();
    }
    eprintln!(
        "[engine] {} runners; mean runner-steps per race: {:.0} (dt = {dt} s)",
        setup.runners.len(),
        steps / n as f64
    );

    let mut g = c.benchmark_group("race");
    g.throughput(Throughput::Elements(1));
    let mut race = 0u64;
    g.bench_function("one 12-runner 1500 m race", |b| {
        b.iter(|| {
            race = (race + 1) % n;
            sim.run(1, black_box(race), &mut out, None);
            black_box(out.finish_s[0])
        })
    });
    // the same race with the runners deciding every step (`decision_steps` = 1, the engine before
    // stop 20; the default decides every 0.2 s, docs/performance.md has what that moves)
    let mut every_step = setup.clone();
    every_step.params.decision_steps = 1.0;
    let mut sim1 = Simulator::new(&every_step);
    let mut out1 = sim1.new_outcome();
    g.bench_function("one 12-runner 1500 m race, deciding every step", |b| {
        b.iter(|| {
            race = (race + 1) % n;
            sim1.run(1, black_box(race), &mut out1, None);
            black_box(out1.finish_s[0])
        })
    });
    g.finish();

    let mut g = c.benchmark_group("monte-carlo");
    g.sample_size(10);
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("10 000 races, all cores", |b| {
        b.iter(|| {
            let acc = montecarlo::run(
                setup,
                &RunOptions {
                    runs: 10_000,
                    seed: 1,
                    threads: None,
                    progress: false,
                },
            )
            .unwrap();
            black_box(acc.races)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
