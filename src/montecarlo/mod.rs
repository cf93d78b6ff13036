//! The Monte Carlo engine: many races of one setup, in parallel, into streaming accumulators.
//!
//! Race `i` of a run seeded with `s` depends on `(s, i)` only ([`crate::base::rng`]). Races are
//! cut into fixed chunks ([`par_races`]); each chunk is run on some rayon worker into a fresh
//! state, and the chunk states are merged. Every accumulator holds integer counts and fixed-point
//! sums ([`crate::stats`]), so merging is exact and the result is bit-identical on 1, 2 or 8
//! threads. Memory does not grow with the number of races: fixed-bin histograms, not lists of
//! times.
//!
//! Two accumulations: everything about one setup ([`run`] into an [`Accumulator`]), and several
//! setups race by race on common random numbers with their paired differences ([`crn`]).

use std::io::IsTerminal;

use rayon::prelude::*;

use crate::engine::race::{RaceOutcome, RaceSetup, Simulator, Trace};

mod accumulator;
pub mod crn;

pub use accumulator::{Accumulator, FastCard, RunnerAcc, segments_400};

/// The worker threads could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {threads} worker threads: {reason}")]
pub struct ThreadPoolError {
    /// How many were asked for.
    pub threads: usize,
    /// Why the pool could not be built.
    pub reason: String,
}

/// Why a Monte Carlo run of one setup failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The worker threads could not be started.
    #[error(transparent)]
    Threads(#[from] ThreadPoolError),
    /// A race ran out of its step budget: the runner furthest from the line, and where.
    #[error(
        "race {race} (seed {seed}) cannot finish: {runner} reached {reached_m:.0} m of {distance_m:.0} m when its step budget ran out ({budget_s:.0} s of race time)"
    )]
    Unfinished {
        /// The race (the lowest such index: the same whatever the thread count).
        race: u64,
        /// The run's seed.
        seed: u64,
        /// The runner's name.
        runner: String,
        /// How far he got [m].
        reached_m: f64,
        /// The race distance [m].
        distance_m: f64,
        /// The race time at which the budget ran out [s].
        budget_s: f64,
    },
}

/// How to run a batch of races.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Number of races.
    pub runs: u64,
    /// The seed: race `i` depends on `(seed, i)` only.
    pub seed: u64,
    /// Worker threads (None: rayon's default, one per core).
    pub threads: Option<usize>,
    /// Show a progress bar on stderr (only if stderr is a terminal).
    pub progress: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            runs: 10_000,
            seed: 1,
            threads: None,
            progress: false,
        }
    }
}

/// Run `body` for races `0..runs` in parallel, each chunk into a state made by `init`, and merge
/// the states with `merge` (which must be exact for the result not to depend on threads).
///
/// # Errors
/// [`ThreadPoolError`] if the thread pool cannot be built.
pub fn par_races<S, I, B, M>(
    opts: &RunOptions,
    init: I,
    body: B,
    merge: M,
) -> Result<S, ThreadPoolError>
where
    S: Send,
    I: Fn() -> S + Sync,
    B: Fn(&mut S, u64) + Sync,
    M: Fn(S, S) -> S + Sync,
{
    let runs = opts.runs;
    let threads = opts
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    // Small chunks keep every thread busy to the end; a state is made per rayon split, not per
    // chunk (`fold`), so its set-up (a simulator, an accumulator's histograms) is paid a few
    // times per thread whatever the chunk size.
    let chunk = (runs / (threads as u64 * 64)).clamp(8, 256).max(1);
    let n_chunks = runs.div_ceil(chunk);
    let bar = (opts.progress && std::io::stderr().is_terminal() && runs >= 2000).then(|| {
        let pb = indicatif::ProgressBar::new(runs);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} races  {rate} races/s  eta {eta}",
            )
            // a constant template; the default bar if it ever failed to parse
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}", s.per_sec());
                },
            ),
        );
        // redrawn (and its rate and ETA re-estimated) a few times a second, whatever the races do
        pb.enable_steady_tick(std::time::Duration::from_millis(250));
        pb
    });
    let work = || {
        (0..n_chunks)
            .into_par_iter()
            .fold(
                || None,
                |st: Option<S>, c| {
                    let mut st = st.unwrap_or_else(&init);
                    let lo = c * chunk;
                    let hi = (lo + chunk).min(runs);
                    for i in lo..hi {
                        body(&mut st, i);
                        if let Some(pb) = &bar {
                            pb.inc(1);
                        }
                    }
                    Some(st)
                },
            )
            .reduce(
                || None,
                |a, b| match (a, b) {
                    (Some(a), Some(b)) => Some(merge(a, b)),
                    (a, None) => a,
                    (None, b) => b,
                },
            )
    };
    let out = match opts.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
            .map_err(|e| ThreadPoolError {
                threads: t,
                reason: e.to_string(),
            })?
            .install(work),
        None => work(),
    };
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    Ok(out.unwrap_or_else(init))
}

/// Run `opts.runs` races of `setup` and accumulate them.
///
/// # Errors
/// [`RunError::Threads`] if the thread pool cannot be built; [`RunError::Unfinished`] if a race
/// cannot finish within its step budget (the first such race, whatever the thread count).
pub fn run(setup: &RaceSetup, opts: &RunOptions) -> Result<Accumulator, RunError> {
    run_with_progress(setup, opts, &|_| {})
}

/// A progress hook: told, from any worker thread, how many more races are done (the web app's
/// progress bar). It sees the work, not the result: the accumulators are the same with any hook.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// [`run`], telling `progress` of each race as it is done.
///
/// # Errors
/// As [`run`].
pub fn run_with_progress(
    setup: &RaceSetup,
    opts: &RunOptions,
    progress: Progress,
) -> Result<Accumulator, RunError> {
    struct St<'a> {
        sim: Simulator<'a>,
        out: RaceOutcome,
        acc: Accumulator,
        unfinished: Option<(u64, crate::engine::race::Unfinished)>,
    }
    let st = par_races(
        opts,
        || {
            let sim = Simulator::new(setup);
            let out = sim.new_outcome();
            St {
                sim,
                out,
                acc: Accumulator::new(setup),
                unfinished: None,
            }
        },
        |st, i| {
            st.sim.run(opts.seed, i, &mut st.out, None);
            st.acc.add(setup, &st.out);
            progress(1);
            if let Some(u) = st.out.unfinished
                && st.unfinished.is_none_or(|(j, _)| i < j)
            {
                st.unfinished = Some((i, u));
            }
        },
        |mut a, b| {
            a.acc.merge(&b.acc);
            a.unfinished = match (a.unfinished, b.unfinished) {
                (Some(x), Some(y)) => Some(if y.0 < x.0 { y } else { x }),
                (x, y) => x.or(y),
            };
            a
        },
    )?;
    match st.unfinished {
        Some((race, u)) => Err(RunError::Unfinished {
            race,
            seed: opts.seed,
            runner: setup.runners[u.runner].name.clone(),
            reached_m: u.reached_m,
            distance_m: setup.distance_m,
            budget_s: u.budget_s,
        }),
        None => Ok(st.acc),
    }
}

/// Run one race with a trace sampled every `every_s` seconds (race index `race`).
pub fn trace_race(setup: &RaceSetup, seed: u64, race: u64, every_s: f64) -> (RaceOutcome, Trace) {
    let mut sim = Simulator::new(setup);
    let mut out = sim.new_outcome();
    let mut tr = Trace {
        every_s,
        ..Default::default()
    };
    sim.run(seed, race, &mut out, Some(&mut tr));
    (out, tr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{paced_setup, small_setup};

    fn opts(runs: u64, seed: u64, threads: usize) -> RunOptions {
        RunOptions {
            runs,
            seed,
            threads: Some(threads),
            progress: false,
        }
    }

    /// Races `range` of `setup`, accumulated one by one in order.
    fn sequential(setup: &RaceSetup, seed: u64, range: std::ops::Range<u64>) -> Accumulator {
        let mut sim = Simulator::new(setup);
        let mut out = sim.new_outcome();
        let mut acc = Accumulator::new(setup);
        for i in range {
            sim.run(seed, i, &mut out, None);
            acc.add(setup, &out);
        }
        acc
    }

    #[test]
    fn a_race_that_cannot_finish_is_an_error_naming_the_runner() {
        let mut setup = small_setup(300.0);
        // D chases a clock of 10 000 s: he crawls, and the step budget runs out
        let d = &mut setup.runners[3].tactic;
        d.kind = crate::engine::tactics::TacticKind::ChaseClock;
        d.target_s = 1e4;
        d.kick_m = 0.0;
        d.pace_from_ability = false;
        let e = run(&setup, &opts(20, 3, 2)).unwrap_err();
        match &e {
            RunError::Unfinished {
                race,
                runner,
                reached_m,
                ..
            } => {
                assert_eq!((*race, runner.as_str()), (0, "D"));
                assert!(*reached_m < 1500.0, "{e}");
            }
            other => panic!("{other}"),
        }
        assert!(e.to_string().contains("D reached"), "{e}");
        // the same error whatever the thread count
        assert_eq!(
            run(&setup, &opts(20, 3, 1)).unwrap_err().to_string(),
            e.to_string()
        );
    }

    #[test]
    fn merging_is_exact_in_any_order() {
        let setup = small_setup(300.0);
        let whole = sequential(&setup, 4, 0..90);
        let (a, b, c) = (
            sequential(&setup, 4, 0..17),
            sequential(&setup, 4, 17..60),
            sequential(&setup, 4, 60..90),
        );
        let mut abc = a.clone();
        abc.merge(&b);
        abc.merge(&c);
        let mut cba = c.clone();
        cba.merge(&b);
        cba.merge(&a);
        assert_eq!(abc, whole);
        assert_eq!(cba, whole);
        assert_eq!(whole.races, 90);
        // every race has exactly one winner
        let wins: u64 = whole.runners.iter().map(|r| r.win.k).sum();
        assert_eq!(wins, 90);
        let places: u64 = whole
            .runners
            .iter()
            .map(|r| r.places.iter().sum::<u64>())
            .sum();
        assert_eq!(places, 90 * setup.runners.len() as u64);
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        for setup in [small_setup(250.0), paced_setup()] {
            let one = run(&setup, &opts(150, 8, 1)).unwrap();
            let three = run(&setup, &opts(150, 8, 3)).unwrap();
            assert_eq!(one, three);
            // the 1, 2 and 8 threads (more threads than this machine's cores included)
            assert_eq!(one, run(&setup, &opts(150, 8, 2)).unwrap());
            assert_eq!(one, run(&setup, &opts(150, 8, 8)).unwrap());
            assert_eq!(one, sequential(&setup, 8, 0..150));
            assert_ne!(one, run(&setup, &opts(150, 9, 2)).unwrap());
        }
    }

    #[test]
    fn the_progress_hook_counts_every_race_and_changes_nothing() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let setup = small_setup(250.0);
        let done = AtomicU64::new(0);
        let hooked = run_with_progress(&setup, &opts(130, 8, 2), &|n| {
            done.fetch_add(n, Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(done.load(Ordering::Relaxed), 130);
        assert_eq!(hooked, run(&setup, &opts(130, 8, 2)).unwrap());
    }

    #[test]
    fn par_races_visits_every_race_once() {
        for (runs, threads) in [(0, 2), (1, 1), (15, 4), (1000, 3), (5001, 2)] {
            let sum = par_races(
                &opts(runs, 1, threads),
                || (0u64, 0u64),
                |s, i| {
                    s.0 += 1;
                    s.1 += i;
                },
                |a, b| (a.0 + b.0, a.1 + b.1),
            )
            .unwrap();
            assert_eq!(sum, (runs, runs * runs.saturating_sub(1) / 2), "{runs}");
        }
    }

    #[test]
    fn a_traced_race_is_the_race_run() {
        let setup = small_setup(300.0);
        let (out, tr) = trace_race(&setup, 6, 12, 0.5);
        let mut sim = Simulator::new(&setup);
        let mut plain = sim.new_outcome();
        sim.run(6, 12, &mut plain, None);
        assert_eq!(out, plain);
        assert!((tr.t[1] - tr.t[0] - 0.5).abs() < 1e-9);
        // positions only move forward while a runner is on the track
        for s in &tr.s {
            let on: Vec<f64> = s.iter().copied().filter(|x| x.is_finite()).collect();
            assert!(on.windows(2).all(|w| w[1] >= w[0]));
        }
    }
}
