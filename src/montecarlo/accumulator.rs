//! Everything kept about many races of one setup: win and podium counts, places, and time
//! histograms of finishes, splits, gaps, laps and segments — all integer, so merging is exact.

use crate::base::params::Regime;
use crate::engine::race::{RaceOutcome, RaceSetup};
use crate::stats::{ExactMoments, Proportion, TimeHistogram};

/// Bin width of split-time histograms [s] (finish times use 0.01 s).
const SPLIT_BIN_S: f64 = 0.02;

/// Everything kept about one runner over many races.
#[derive(Debug, Clone, PartialEq)]
pub struct RunnerAcc {
    /// Races won.
    pub win: Proportion,
    /// Races finished in the first three.
    pub podium: Proportion,
    /// `places[k]` = number of races finished in place k+1.
    pub places: Vec<u64>,
    /// Finish times.
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
    /// Races accumulated.
    pub races: u64,
    /// One per runner of the setup, in its order.
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
    /// Head to head: `ahead[i * n + j]` counts the races runner `i` finished ahead of runner `j`
    /// (`n` runners, row-major; the diagonal stays 0).
    pub ahead: Vec<u64>,
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
    /// An empty accumulator for races of `setup`: every histogram's window is set from the
    /// runners' solo times, so memory is fixed before the first race.
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
            ahead: vec![0; n_r * n_r],
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
        for i in 0..n_r {
            for j in 0..n_r {
                self.ahead[i * n_r + j] += u64::from(out.place[i] < out.place[j]);
            }
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
        for (x, y) in self.ahead.iter_mut().zip(&o.ahead) {
            *x += y;
        }
    }

    /// Fraction of races run in each regime (None when no championship regime was drawn).
    pub fn regime_share(&self, r: Regime) -> Option<f64> {
        let tot: u64 = self.regimes.iter().sum();
        (tot > 0).then(|| self.regimes[r.index()] as f64 / tot as f64)
    }
}
