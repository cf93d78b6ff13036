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
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::engine::race::{RaceOutcome, RaceSetup, Simulator, Trace};

mod accumulator;
pub mod crn;

pub use accumulator::{Accumulator, RunnerAcc, segments_400};

/// The worker threads could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {threads} worker threads: {reason}")]
pub struct ThreadPoolError {
    /// How many were asked for.
    pub threads: usize,
    /// Why the pool could not be built.
    pub reason: String,
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
    // enough chunks to balance the load, few enough that per-chunk set-up is negligible
    let chunk = (runs / (threads as u64 * 8)).clamp(16, 2048).max(1);
    let n_chunks = runs.div_ceil(chunk);
    let done = AtomicU64::new(0);
    let bar = (opts.progress && std::io::stderr().is_terminal() && runs >= 2000).then(|| {
        let pb = indicatif::ProgressBar::new(runs);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} races  {per_sec}  eta {eta}",
            )
            .unwrap(),
        );
        pb
    });
    let work = || {
        (0..n_chunks)
            .into_par_iter()
            .map(|c| {
                let mut st = init();
                let lo = c * chunk;
                let hi = (lo + chunk).min(runs);
                for i in lo..hi {
                    body(&mut st, i);
                }
                let d = done.fetch_add(hi - lo, Ordering::Relaxed) + (hi - lo);
                if let Some(pb) = &bar {
                    pb.set_position(d);
                }
                Some(st)
            })
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
/// [`ThreadPoolError`] if the thread pool cannot be built.
pub fn run(setup: &RaceSetup, opts: &RunOptions) -> Result<Accumulator, ThreadPoolError> {
    struct St<'a> {
        sim: Simulator<'a>,
        out: RaceOutcome,
        acc: Accumulator,
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
            }
        },
        |st, i| {
            st.sim.run(opts.seed, i, &mut st.out, None);
            st.acc.add(setup, &st.out);
        },
        |mut a, b| {
            a.acc.merge(&b.acc);
            a
        },
    )?;
    Ok(st.acc)
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
