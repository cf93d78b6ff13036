//! Several race setups run race by race on common random numbers (issue 5), with their paired
//! differences: the engine under `racesim compare`, `racesim sweep` and `racesim optimize`.
//!
//! # Common random numbers
//! Every random draw of a race comes from a stream keyed by (seed, race index, purpose, runner
//! name) ([`crate::base::rng`]), and every draw is made before the first step
//! ([`crate::engine::race`]): day form, tactical noise, pacer noise, regime, surges, start order.
//! So race `i` of two setups that differ in one runner's tactic draws *exactly* the same numbers
//! for everything; only the consequences differ. [`run_crn`] runs race `i` of every setup in the
//! same worker, one after the other, and accumulates the per-race differences
//! ([`PairedProportionDiff`], [`PairedTimeDiff`]), whose standard error is that of the
//! *difference*, far below the independent-streams one when the outcomes are correlated.
//!
//! What breaks the pairing: removing a runner (the start order and the runner a race-level surge
//! is given to are drawn by index) and changing whether the race is a championship (pacers
//! removed or added: the regime and surges then apply or not). Such setups are still compared
//! correctly, only with less variance reduction.
//!
//! Results are exactly reproducible whatever the thread count: races are cut into fixed chunks by
//! [`par_races`] and every accumulator is integer, so merging is exact.

use std::collections::HashMap;

use serde::Serialize;

use super::{Progress, RunOptions, ThreadPoolError, par_races};
use crate::base::rng;
use crate::engine::race::{RaceOutcome, RaceSetup, Simulator};
use crate::stats::{
    CountMoments, Estimate, PairedDiff, PairedProportionDiff, PairedTimeDiff, Proportion,
    TimeHistogram, Z95,
};

/// Why a common-random-numbers run cannot start.
#[derive(Debug, thiserror::Error)]
pub enum CrnError {
    /// Nothing to run.
    #[error("nothing to run: no setup")]
    NoSetup,
    /// A focus runner who is in no setup.
    #[error("no runner `{name}` (runners: {runners})")]
    UnknownRunner {
        /// The name asked for.
        name: String,
        /// Every runner of the setups, comma-separated.
        runners: String,
    },
    /// The worker threads could not be started.
    #[error(transparent)]
    Threads(#[from] ThreadPoolError),
    /// A race of one setup ran out of its step budget (see [`super::RunError::Unfinished`]).
    #[error(
        "setup {setup}, race {race}: cannot finish: {runner} reached {reached_m:.0} m when its step budget ran out ({budget_s:.0} s of race time)"
    )]
    Unfinished {
        /// The setup (0-based, in the order given).
        setup: usize,
        /// The race (the lowest such index).
        race: u64,
        /// The runner furthest from the line.
        runner: String,
        /// How far he got [m].
        reached_m: f64,
        /// The race time at which the budget ran out [s].
        budget_s: f64,
    },
}

/// Bin width of the finish-time histograms kept per setup and runner [s]: medians to a few
/// hundredths (quantiles interpolate inside a bin), memory small enough for 200 setups.
pub const FINISH_BIN_S: f64 = 0.02;

/// Which paired differences to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairs {
    /// None (a sweep that only reports each setup).
    None,
    /// Every setup against the first (compare).
    AgainstFirst,
    /// Every pair of setups (optimize: the best is not known in advance).
    All,
}

/// What [`run_crn`] should keep beyond the per-setup statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct CrnConfig {
    /// Runners (by name) whose paired differences are kept.
    pub focus: Vec<String>,
    /// Which pairs of setups.
    pub pairs: Pairs,
    /// Run setup `j > 0` on its own seed ([`independent_seed`]) instead of the common one: the
    /// classical, unpaired design, only useful to show what common random numbers buy.
    pub independent: bool,
}

/// The seed setup `j` uses in independent-streams mode (setup 0 keeps `seed`).
pub fn independent_seed(seed: u64, j: usize) -> u64 {
    if j == 0 {
        seed
    } else {
        rng::mix64(seed ^ (j as u64).wrapping_mul(0xd6e8_feb8_6659_fd93))
    }
}

/// One runner's results in one setup.
#[derive(Debug, Clone, PartialEq)]
pub struct RunnerStats {
    /// Races won.
    pub win: Proportion,
    /// Races in the first three.
    pub podium: Proportion,
    /// Finish times.
    pub finish: TimeHistogram,
    /// Places.
    pub place: CountMoments,
}

impl RunnerStats {
    fn new(solo_time_s: f64) -> RunnerStats {
        let e = solo_time_s.max(1.0);
        RunnerStats {
            win: Proportion::default(),
            podium: Proportion::default(),
            finish: TimeHistogram::covering(0.8 * e, 1.45 * e, FINISH_BIN_S),
            place: CountMoments::new(),
        }
    }

    #[inline]
    fn add(&mut self, out: &RaceOutcome, i: usize) {
        let place = out.place[i];
        self.win.add(place == 1);
        self.podium.add(place <= 3);
        self.finish.add(out.finish_s[i]);
        self.place.add_units(i64::from(place));
    }

    fn merge(&mut self, o: &RunnerStats) {
        self.win.merge(&o.win);
        self.podium.merge(&o.podium);
        self.finish.merge(&o.finish);
        self.place.merge(&o.place);
    }

    /// Median finish time with a distribution-free 95 % interval (the order statistics of ranks
    /// n/2 ± 1.96·√n/2, read from the histogram).
    pub fn median(&self) -> Estimate {
        let n = self.finish.count() as f64;
        let q = |p: f64| self.finish.quantile(p.clamp(0.0, 1.0)).unwrap_or(f64::NAN);
        let h = if n > 0.0 { Z95 * 0.5 / n.sqrt() } else { 0.5 };
        let mid = q(0.5);
        Estimate {
            value: mid,
            se: (q(0.5 + h) - q(0.5 - h)) / (2.0 * Z95),
            lo: q(0.5 - h),
            hi: q(0.5 + h),
        }
    }

    /// Win probability with its standard error and 95 % Wilson interval.
    pub fn win_est(&self) -> Estimate {
        Estimate::proportion(&self.win)
    }

    /// Podium probability with its standard error and 95 % Wilson interval.
    pub fn podium_est(&self) -> Estimate {
        Estimate::proportion(&self.podium)
    }

    /// Mean place with a normal 95 % interval.
    pub fn mean_place(&self) -> Estimate {
        let m = self.place.mean().unwrap_or(f64::NAN);
        let se = self.place.sem().unwrap_or(f64::NAN);
        Estimate::normal(m, se)
    }
}

/// Paired differences of one runner between two setups (A − B, race by race).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairStats {
    /// Won under A, under B.
    pub win: PairedProportionDiff,
    /// On the podium under A, under B.
    pub podium: PairedProportionDiff,
    /// Finish time under A minus under B.
    pub time: PairedTimeDiff,
    /// Place under A minus under B.
    pub place: PairedDiff<1>,
}

impl PairStats {
    #[inline]
    fn add(&mut self, a: &RaceOutcome, ia: usize, b: &RaceOutcome, ib: usize) {
        let (pa, pb) = (a.place[ia], b.place[ib]);
        self.win.add(pa == 1, pb == 1);
        self.podium.add(pa <= 3, pb <= 3);
        self.time.add_pair(a.finish_s[ia], b.finish_s[ib]);
        self.place.add_pair(f64::from(pa), f64::from(pb));
    }

    fn merge(&mut self, o: &PairStats) {
        self.win.merge(&o.win);
        self.podium.merge(&o.podium);
        self.time.merge(&o.time);
        self.place.merge(&o.place);
    }

    /// The four differences as estimates (probabilities as fractions, times in seconds).
    pub fn summary(&self) -> PairSummary {
        let prop = |d: &PairedProportionDiff| {
            Estimate::normal(
                d.mean_diff().unwrap_or(f64::NAN),
                d.se().unwrap_or(f64::NAN),
            )
        };
        PairSummary {
            pairs: self.time.count(),
            win: prop(&self.win),
            podium: prop(&self.podium),
            time_s: Estimate::normal(
                self.time.mean_diff().unwrap_or(f64::NAN),
                self.time.se().unwrap_or(f64::NAN),
            ),
            place: Estimate::normal(
                self.place.mean_diff().unwrap_or(f64::NAN),
                self.place.se().unwrap_or(f64::NAN),
            ),
            discordant_win: self.win.n10 + self.win.n01,
        }
    }
}

/// Paired differences A − B of one runner, as estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairSummary {
    /// Number of races paired.
    pub pairs: u64,
    /// Win probability difference (fraction; ×100 for percentage points).
    pub win: Estimate,
    /// Podium probability difference (fraction).
    pub podium: Estimate,
    /// Mean finish-time difference [s] (positive: slower under A).
    pub time_s: Estimate,
    /// Mean place difference (positive: worse under A).
    pub place: Estimate,
    /// Races he won under one setup and not the other.
    pub discordant_win: u64,
}

impl PairSummary {
    /// B − A instead of A − B.
    pub fn negated(self) -> PairSummary {
        PairSummary {
            win: self.win.negated(),
            podium: self.podium.negated(),
            time_s: self.time_s.negated(),
            place: self.place.negated(),
            ..self
        }
    }

    /// Whether the two setups gave this runner exactly the same result in every race.
    pub fn identical(&self) -> bool {
        self.discordant_win == 0
            && self.time_s.value == 0.0
            && self.time_s.se == 0.0
            && self.place.value == 0.0
            && self.place.se == 0.0
    }
}

/// What [`run_crn`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct CrnResult {
    /// Races per setup.
    pub races: u64,
    /// The seed of each setup (all equal unless independent streams were asked for).
    pub seeds: Vec<u64>,
    /// Every runner of any setup, in order of first appearance.
    pub runners: Vec<String>,
    /// `stats[setup][runner]`; `None` where the runner is not in that setup.
    pub stats: Vec<Vec<Option<RunnerStats>>>,
    /// The focus runners of the configuration.
    pub focus: Vec<String>,
    pairs_mode: Pairs,
    n_setups: usize,
    /// Per stored pair (see [`pair_slot`]), per focus runner.
    pairs: Vec<Vec<Option<PairStats>>>,
}

/// The stored pairs: `(a, b)` means A = setup a, B = setup b.
fn pair_list(mode: Pairs, n: usize) -> Vec<(usize, usize)> {
    match mode {
        Pairs::None => Vec::new(),
        Pairs::AgainstFirst => (1..n).map(|j| (j, 0)).collect(),
        Pairs::All => (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect(),
    }
}

/// Index of the stored pair for setups `(a, b)` and whether it is stored reversed.
fn pair_slot(mode: Pairs, n: usize, a: usize, b: usize) -> Option<(usize, bool)> {
    if a == b || a >= n || b >= n {
        return None;
    }
    match mode {
        Pairs::None => None,
        Pairs::AgainstFirst => match (a, b) {
            (j, 0) => Some((j - 1, false)),
            (0, j) => Some((j - 1, true)),
            _ => None,
        },
        Pairs::All => {
            let (lo, hi, rev) = if a < b { (a, b, false) } else { (b, a, true) };
            // pairs (lo, hi) in row-major order of the upper triangle
            let before = lo * n - lo * (lo + 1) / 2;
            Some((before + (hi - lo - 1), rev))
        }
    }
}

impl CrnResult {
    /// Index of a runner in [`CrnResult::runners`].
    pub fn runner_index(&self, name: &str) -> Option<usize> {
        self.runners.iter().position(|r| r == name)
    }

    /// One runner's statistics in one setup.
    pub fn runner_stats(&self, setup: usize, name: &str) -> Option<&RunnerStats> {
        self.stats
            .get(setup)?
            .get(self.runner_index(name)?)?
            .as_ref()
    }

    /// Paired differences setup `a` − setup `b` for focus runner `name` (None if that pair was not
    /// kept or the runner is missing from either setup).
    pub fn diff(&self, a: usize, b: usize, name: &str) -> Option<PairSummary> {
        let f = self.focus.iter().position(|r| r == name)?;
        let (slot, rev) = pair_slot(self.pairs_mode, self.n_setups, a, b)?;
        let s = self.pairs[slot][f].as_ref()?.summary();
        Some(if rev { s.negated() } else { s })
    }

    /// The raw paired accumulator for setups `a` − `b` (only for stored, unreversed pairs).
    pub fn pair_stats(&self, a: usize, b: usize, name: &str) -> Option<&PairStats> {
        let f = self.focus.iter().position(|r| r == name)?;
        match pair_slot(self.pairs_mode, self.n_setups, a, b)? {
            (slot, false) => self.pairs[slot][f].as_ref(),
            _ => None,
        }
    }
}

/// Run races `0..opts.runs` of every setup on common random numbers.
///
/// Race `i` of every setup is run with `(opts.seed, i)` in the same worker (unless
/// `cfg.independent`), so that its outcomes can be paired.
///
/// # Errors
/// [`CrnError`] if there is no setup, a focus runner is in no setup, or the thread pool cannot
/// be built.
pub fn run_crn(
    setups: &[&RaceSetup],
    cfg: &CrnConfig,
    opts: &RunOptions,
) -> Result<CrnResult, CrnError> {
    run_crn_with_progress(setups, cfg, opts, &|_| {})
}

/// [`run_crn`], telling `progress` of the races done: as race `i` of every setup is done, the
/// number of setups (so the total is `runs × setups`).
///
/// # Errors
/// As [`run_crn`].
pub fn run_crn_with_progress(
    setups: &[&RaceSetup],
    cfg: &CrnConfig,
    opts: &RunOptions,
    progress: Progress,
) -> Result<CrnResult, CrnError> {
    if setups.is_empty() {
        return Err(CrnError::NoSetup);
    }
    let n = setups.len();
    let mut runners: Vec<String> = Vec::new();
    let mut ix: HashMap<&str, usize> = HashMap::new();
    for s in setups {
        for r in &s.runners {
            if !ix.contains_key(r.name.as_str()) {
                ix.insert(r.name.as_str(), runners.len());
                runners.push(r.name.clone());
            }
        }
    }
    for f in &cfg.focus {
        if !ix.contains_key(f.as_str()) {
            return Err(CrnError::UnknownRunner {
                name: f.clone(),
                runners: runners.join(", "),
            });
        }
    }
    // where each runner of the union is in each setup
    let slot: Vec<Vec<Option<usize>>> = setups
        .iter()
        .map(|s| runners.iter().map(|r| s.runner_index(r)).collect())
        .collect();
    let focus_slot: Vec<Vec<Option<usize>>> = setups
        .iter()
        .map(|s| cfg.focus.iter().map(|r| s.runner_index(r)).collect())
        .collect();
    let pairs = pair_list(cfg.pairs, n);
    let seeds: Vec<u64> = (0..n)
        .map(|j| {
            if cfg.independent {
                independent_seed(opts.seed, j)
            } else {
                opts.seed
            }
        })
        .collect();
    let n_runners = runners.len();
    let n_focus = cfg.focus.len();

    let new_stats = || -> Vec<Vec<Option<RunnerStats>>> {
        (0..n)
            .map(|j| {
                (0..n_runners)
                    .map(|r| slot[j][r].map(|i| RunnerStats::new(setups[j].runners[i].solo_time_s)))
                    .collect()
            })
            .collect()
    };
    let new_pairs = || -> Vec<Vec<Option<PairStats>>> {
        pairs
            .iter()
            .map(|&(a, b)| {
                (0..n_focus)
                    .map(|f| {
                        (focus_slot[a][f].is_some() && focus_slot[b][f].is_some())
                            .then(PairStats::default)
                    })
                    .collect()
            })
            .collect()
    };

    struct St<'a> {
        sims: Vec<Simulator<'a>>,
        outs: Vec<RaceOutcome>,
        stats: Vec<Vec<Option<RunnerStats>>>,
        pairs: Vec<Vec<Option<PairStats>>>,
        unfinished: Option<(u64, usize, crate::engine::race::Unfinished)>,
    }
    let st = par_races(
        opts,
        || {
            let sims: Vec<Simulator> = setups.iter().map(|s| Simulator::new(s)).collect();
            let outs = sims.iter().map(|s| s.new_outcome()).collect();
            St {
                sims,
                outs,
                stats: new_stats(),
                pairs: new_pairs(),
                unfinished: None,
            }
        },
        |st, i| {
            for j in 0..n {
                st.sims[j].run(seeds[j], i, &mut st.outs[j], None);
                if let Some(u) = st.outs[j].unfinished
                    && st.unfinished.is_none_or(|(r, _, _)| i < r)
                {
                    st.unfinished = Some((i, j, u));
                }
                for (r, s) in st.stats[j].iter_mut().enumerate() {
                    if let (Some(s), Some(k)) = (s.as_mut(), slot[j][r]) {
                        s.add(&st.outs[j], k);
                    }
                }
            }
            for (row, &(a, b)) in st.pairs.iter_mut().zip(&pairs) {
                for (f, ps) in row.iter_mut().enumerate() {
                    if let (Some(ps), Some(ia), Some(ib)) =
                        (ps.as_mut(), focus_slot[a][f], focus_slot[b][f])
                    {
                        ps.add(&st.outs[a], ia, &st.outs[b], ib);
                    }
                }
            }
            progress(n as u64);
        },
        |mut x, y| {
            for (xa, ya) in x.stats.iter_mut().zip(&y.stats) {
                for (xs, ys) in xa.iter_mut().zip(ya) {
                    if let (Some(xs), Some(ys)) = (xs.as_mut(), ys.as_ref()) {
                        xs.merge(ys);
                    }
                }
            }
            for (xp, yp) in x.pairs.iter_mut().zip(&y.pairs) {
                for (xs, ys) in xp.iter_mut().zip(yp) {
                    if let (Some(xs), Some(ys)) = (xs.as_mut(), ys.as_ref()) {
                        xs.merge(ys);
                    }
                }
            }
            x.unfinished = match (x.unfinished, y.unfinished) {
                (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
                (a, b) => a.or(b),
            };
            x
        },
    )?;
    if let Some((race, j, u)) = st.unfinished {
        return Err(CrnError::Unfinished {
            setup: j,
            race,
            runner: setups[j].runners[u.runner].name.clone(),
            reached_m: u.reached_m,
            budget_s: u.budget_s,
        });
    }
    Ok(CrnResult {
        races: opts.runs,
        seeds,
        runners,
        stats: st.stats,
        focus: cfg.focus.clone(),
        pairs_mode: cfg.pairs,
        n_setups: n,
        pairs: st.pairs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::small_setup as setup;

    fn opts(runs: u64, threads: usize) -> RunOptions {
        RunOptions {
            runs,
            seed: 11,
            threads: Some(threads),
            progress: false,
        }
    }

    #[test]
    fn identical_setups_differ_by_exactly_zero() {
        let s = setup(250.0);
        let cfg = CrnConfig {
            focus: vec!["A".into(), "B".into()],
            pairs: Pairs::AgainstFirst,
            independent: false,
        };
        let r = run_crn(&[&s, &s], &cfg, &opts(200, 2)).unwrap();
        for name in ["A", "B"] {
            let d = r.diff(1, 0, name).unwrap();
            assert_eq!(d.pairs, 200);
            assert!(d.identical(), "{name}: {d:?}");
            assert_eq!(d.win.value, 0.0);
            assert_eq!(d.time_s.value, 0.0);
            assert_eq!(d.time_s.se, 0.0);
        }
        assert_eq!(r.stats[0], r.stats[1]);
    }

    #[test]
    fn paired_diff_equals_difference_of_means_and_flips_sign() {
        let (a, b) = (setup(250.0), setup(350.0));
        let cfg = CrnConfig {
            focus: vec!["A".into()],
            pairs: Pairs::All,
            independent: false,
        };
        let r = run_crn(&[&a, &b], &cfg, &opts(300, 2)).unwrap();
        let sa = r.runner_stats(0, "A").unwrap();
        let sb = r.runner_stats(1, "A").unwrap();
        let d = r.diff(1, 0, "A").unwrap();
        let pw = sb.win.p().unwrap() - sa.win.p().unwrap();
        assert!((d.win.value - pw).abs() < 1e-12, "{} vs {pw}", d.win.value);
        let mt = sb.finish.mean().unwrap() - sa.finish.mean().unwrap();
        assert!(
            (d.time_s.value - mt).abs() < 1e-6,
            "{} vs {mt}",
            d.time_s.value
        );
        let back = r.diff(0, 1, "A").unwrap();
        assert_eq!(back.win.value, -d.win.value);
        assert_eq!(back.time_s.lo, -d.time_s.hi);
        // a different kick point changes something
        assert!(!d.identical());
    }

    #[test]
    fn results_do_not_depend_on_threads() {
        let (a, b) = (setup(250.0), setup(300.0));
        let cfg = CrnConfig {
            focus: vec!["A".into()],
            pairs: Pairs::All,
            independent: false,
        };
        let r1 = run_crn(&[&a, &b], &cfg, &opts(150, 1)).unwrap();
        let r3 = run_crn(&[&a, &b], &cfg, &opts(150, 3)).unwrap();
        assert_eq!(r1, r3);
        // the progress hook hears of every race of every setup, and changes nothing
        let done = std::sync::atomic::AtomicU64::new(0);
        let hooked = run_crn_with_progress(&[&a, &b], &cfg, &opts(150, 2), &|n| {
            done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(done.into_inner(), 300);
        assert_eq!(hooked, r1);
    }

    #[test]
    fn pair_slots_cover_the_upper_triangle() {
        let n = 5;
        let list = pair_list(Pairs::All, n);
        for (k, &(a, b)) in list.iter().enumerate() {
            assert_eq!(pair_slot(Pairs::All, n, a, b), Some((k, false)));
            assert_eq!(pair_slot(Pairs::All, n, b, a), Some((k, true)));
        }
        assert_eq!(pair_slot(Pairs::All, n, 2, 2), None);
        assert_eq!(pair_slot(Pairs::AgainstFirst, n, 3, 0), Some((2, false)));
        assert_eq!(pair_slot(Pairs::AgainstFirst, n, 0, 3), Some((2, true)));
        assert_eq!(pair_slot(Pairs::AgainstFirst, n, 1, 2), None);
    }

    #[test]
    fn median_interval_brackets_the_median() {
        let mut s = RunnerStats::new(210.0);
        for k in 0..1000 {
            s.finish.add(205.0 + k as f64 * 0.01);
        }
        let m = s.median();
        assert!((m.value - 210.0).abs() < 0.03, "{m:?}");
        assert!(m.lo < m.value && m.value < m.hi);
        // ±1.96·√1000/2 ≈ ±31 ranks of 0.01 s
        assert!((m.hi - m.lo - 0.62).abs() < 0.06, "{m:?}");
    }
}
