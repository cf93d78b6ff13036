//! The Monte Carlo engine: many races of one setup, in parallel, into streaming accumulators.
//!
//! Race `i` of a run seeded with `s` depends on `(s, i)` only ([`crate::base::rng`]). Races are cut into
//! fixed chunks; each chunk is run on some rayon worker into a fresh [`Accumulator`], and the
//! chunk accumulators are merged. Every accumulator holds integer counts and fixed-point sums
//! ([`crate::stats`]), so merging is exact and the result is bit-identical on 1, 2 or 8 threads.
//! Memory does not grow with the number of races: fixed-bin histograms, not lists of times.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::base::params::Regime;
use crate::engine::race::{RaceOutcome, RaceSetup, Simulator, Trace};
use crate::stats::{ExactMoments, Proportion, TimeHistogram};

/// How to run a batch of races.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    pub runs: u64,
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

/// Bin width of split-time histograms [s] (finish times use 0.01 s).
const SPLIT_BIN_S: f64 = 0.02;

/// Everything kept about one runner over many races.
#[derive(Debug, Clone, PartialEq)]
pub struct RunnerAcc {
    pub win: Proportion,
    pub podium: Proportion,
    /// `places[k]` = number of races finished in place k+1.
    pub places: Vec<u64>,
    pub finish: TimeHistogram,
    /// Cumulative time at each split point.
    pub splits: Vec<TimeHistogram>,
    /// Seconds behind the first runner (pacers excluded) at each split point.
    pub gaps: Vec<TimeHistogram>,
    /// Duration of each lap segment ([`RaceSetup::lap_segments`]).
    pub laps: Vec<TimeHistogram>,
    /// Duration of each 200 m segment ([`RaceSetup::segments_200`]).
    pub seg200: Vec<TimeHistogram>,
    /// Duration of each 400 m segment ([`Accumulator::segments_400`]).
    pub seg400: Vec<TimeHistogram>,
    /// Reserve left at the bell, fraction of D′₀ (fixed point 1e-6).
    pub bell_reserve: ExactMoments<1_000_000>,
    /// Kick onset, metres from the finish (fixed point 1 mm), over races where he kicked.
    pub kick_from: ExactMoments<1_000>,
}

impl RunnerAcc {
    /// Mean finishing place over the races.
    pub fn mean_place(&self) -> f64 {
        let n: u64 = self.places.iter().sum();
        self.places
            .iter()
            .enumerate()
            .map(|(k, &c)| (k + 1) as f64 * c as f64)
            .sum::<f64>()
            / n.max(1) as f64
    }
}

/// Everything kept about a batch of races.
#[derive(Debug, Clone, PartialEq)]
pub struct Accumulator {
    pub races: u64,
    pub runners: Vec<RunnerAcc>,
    /// First agent past each split point (pacers included), as real race records give it.
    pub leader_splits: Vec<TimeHistogram>,
    /// Winning time.
    pub winner: TimeHistogram,
    /// The winner's last lap (from the last lap line before the finish).
    pub winner_last_lap: TimeHistogram,
    /// Championship regimes drawn: fast, medium, slow.
    pub regimes: [u64; 3],
    /// 400 m segments counted back from the finish, as split indices (see [`segments_400`]).
    pub segments_400: Vec<(Option<usize>, usize)>,
}

/// 400 m segments counted back from the finish, as `(start, end)` split indices like
/// [`RaceSetup::segments_200`] (`None`: the gun; the first segment may be shorter). On an
/// outdoor track they are the laps; on a 200 m track a lap is 200 m, and these are the 400 m
/// times coaches read.
pub fn segments_400(setup: &RaceSetup) -> Vec<(Option<usize>, usize)> {
    let mut ends = Vec::new();
    let mut d = setup.distance_m;
    while d > 0.01 {
        ends.push(d);
        d -= 400.0;
    }
    ends.reverse();
    let mut out = Vec::new();
    let mut prev: Option<usize> = None;
    // Every end is on the 200 m grid counted back from the finish, so it is a split point.
    for k in ends.into_iter().filter_map(|e| setup.split_index(e)) {
        out.push((prev, k));
        prev = Some(k);
    }
    out
}

fn hist(expected: f64, width: f64) -> TimeHistogram {
    let e = expected.max(1.0);
    TimeHistogram::new(0.6 * e, 1.7 * e, width).expect("window from a positive expected time")
}

impl Accumulator {
    pub fn new(setup: &RaceSetup) -> Accumulator {
        let n_r = setup.runners.len();
        let pts = &setup.split_points_m;
        let seg_hists = |segs: &[(Option<usize>, usize)], v: f64| -> Vec<TimeHistogram> {
            segs.iter()
                .map(|&(a, b)| {
                    let from = a.map(|k| pts[k]).unwrap_or(0.0);
                    hist((pts[b] - from) / v + 1.0, SPLIT_BIN_S)
                })
                .collect()
        };
        let segs_400 = segments_400(setup);
        let runners = setup
            .runners
            .iter()
            .map(|r| {
                let v = setup.distance_m / r.solo_time_s;
                RunnerAcc {
                    win: Proportion::default(),
                    podium: Proportion::default(),
                    places: vec![0; n_r],
                    finish: hist(r.solo_time_s, 0.01),
                    splits: pts
                        .iter()
                        .map(|&d| hist(d / v + 1.0, SPLIT_BIN_S))
                        .collect(),
                    gaps: pts
                        .iter()
                        .map(|_| TimeHistogram::new(0.0, 60.0, SPLIT_BIN_S).unwrap())
                        .collect(),
                    laps: seg_hists(&setup.lap_segments, v),
                    seg200: seg_hists(&setup.segments_200, v),
                    seg400: seg_hists(&segs_400, v),
                    bell_reserve: ExactMoments::new(),
                    kick_from: ExactMoments::new(),
                }
            })
            .collect();
        let v_ref = setup.v_ref;
        let lap = setup.track.lap_m.min(setup.distance_m);
        Accumulator {
            races: 0,
            runners,
            leader_splits: pts
                .iter()
                .map(|&d| hist(d / v_ref + 1.0, SPLIT_BIN_S))
                .collect(),
            winner: hist(setup.distance_m / v_ref, 0.01),
            winner_last_lap: hist(lap / v_ref, 0.01),
            regimes: [0; 3],
            segments_400: segs_400,
        }
    }

    /// Fold one race in.
    pub fn add(&mut self, setup: &RaceSetup, out: &RaceOutcome) {
        let nk = setup.n_splits();
        let n_r = setup.runners.len();
        self.races += 1;
        if let Some(r) = out.regime {
            self.regimes[r.index()] += 1;
        }
        // field leader at each split (pacers excluded) for gaps
        for k in 0..nk {
            let lead = (0..n_r)
                .map(|i| out.splits_s[i * nk + k])
                .fold(f64::INFINITY, f64::min);
            for i in 0..n_r {
                self.runners[i].gaps[k].add(out.splits_s[i * nk + k] - lead);
            }
            self.leader_splits[k].add(out.leader_splits_s[k]);
        }
        let last_lap_k = setup.lap_segments.last().and_then(|s| s.0);
        for i in 0..n_r {
            let ra = &mut self.runners[i];
            let place = out.place[i] as usize;
            ra.win.add(place == 1);
            ra.podium.add(place <= 3);
            ra.places[place - 1] += 1;
            ra.finish.add(out.finish_s[i]);
            let sp = &out.splits_s[i * nk..(i + 1) * nk];
            for (h, &t) in ra.splits.iter_mut().zip(sp) {
                h.add(t);
            }
            let dur = |seg: (Option<usize>, usize)| sp[seg.1] - seg.0.map(|k| sp[k]).unwrap_or(0.0);
            for (h, &seg) in ra.laps.iter_mut().zip(&setup.lap_segments) {
                h.add(dur(seg));
            }
            for (h, &seg) in ra.seg200.iter_mut().zip(&setup.segments_200) {
                h.add(dur(seg));
            }
            for (h, &seg) in ra.seg400.iter_mut().zip(&self.segments_400) {
                h.add(dur(seg));
            }
            if out.reserve_at_bell[i].is_finite() {
                ra.bell_reserve.add(out.reserve_at_bell[i]);
            }
            if out.kick_from_m[i].is_finite() {
                ra.kick_from.add(out.kick_from_m[i]);
            }
            if place == 1 {
                self.winner.add(out.finish_s[i]);
                if let Some(k) = last_lap_k {
                    self.winner_last_lap.add(out.finish_s[i] - sp[k]);
                }
            }
        }
    }

    /// Merge another accumulator of the same setup (exact; order does not matter).
    pub fn merge(&mut self, o: &Accumulator) {
        self.races += o.races;
        for (a, b) in self.runners.iter_mut().zip(&o.runners) {
            a.win.merge(&b.win);
            a.podium.merge(&b.podium);
            for (x, y) in a.places.iter_mut().zip(&b.places) {
                *x += y;
            }
            a.finish.merge(&b.finish);
            for (x, y) in a.splits.iter_mut().zip(&b.splits) {
                x.merge(y);
            }
            for (x, y) in a.gaps.iter_mut().zip(&b.gaps) {
                x.merge(y);
            }
            for (x, y) in a.laps.iter_mut().zip(&b.laps) {
                x.merge(y);
            }
            for (x, y) in a.seg200.iter_mut().zip(&b.seg200) {
                x.merge(y);
            }
            for (x, y) in a.seg400.iter_mut().zip(&b.seg400) {
                x.merge(y);
            }
            a.bell_reserve.merge(&b.bell_reserve);
            a.kick_from.merge(&b.kick_from);
        }
        for (x, y) in self.leader_splits.iter_mut().zip(&o.leader_splits) {
            x.merge(y);
        }
        self.winner.merge(&o.winner);
        self.winner_last_lap.merge(&o.winner_last_lap);
        for r in 0..3 {
            self.regimes[r] += o.regimes[r];
        }
    }

    /// Fraction of races run in each regime (None when no championship regime was drawn).
    pub fn regime_share(&self, r: Regime) -> Option<f64> {
        let tot: u64 = self.regimes.iter().sum();
        (tot > 0).then(|| self.regimes[r.index()] as f64 / tot as f64)
    }
}

/// Run `body` for races `0..runs` in parallel, each chunk into a state made by `init`, and merge
/// the states with `merge` (which must be exact for the result not to depend on threads).
///
/// # Errors
/// If the thread pool cannot be built.
pub fn par_races<S, I, B, M>(opts: &RunOptions, init: I, body: B, merge: M) -> Result<S>
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
            .map_err(|e| Error::Other(format!("cannot start {t} worker threads: {e}")))?
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
/// If the thread pool cannot be built.
pub fn run(setup: &RaceSetup, opts: &RunOptions) -> Result<Accumulator> {
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
