//! Everything kept about many races of one setup: win and podium counts, places, and time
//! histograms of finishes, splits, gaps, laps and segments — all integer, so merging is exact.

use crate::base::params::Regime;
use crate::engine::race::{RaceOutcome, RaceSetup};
use crate::stats::{ExactMoments, Proportion, TimeHistogram};

/// Fixed point of the split-card lap sums: 0.1 ms.
const CARD_UNITS: f64 = 10_000.0;

/// Bin width of the finish times that pick a runner's fastest races for his split card [s].
const FAST_BIN_S: f64 = 0.1;

/// Lap sums of a runner's races by finish time, to read off the mean laps of his fastest races
/// without knowing beforehand where his fastest 10 % end (a one-pass, exactly mergeable
/// record: per 0.1 s finish-time bin, the races and the sum of each lap, fixed point 0.1 ms).
///
/// The window is 0.7–1.15 × his solo time: races below go to the first bin, races above count
/// only in `above` (a runner whose fastest tenth is slower than 1.15 × his solo time gets no
/// card).
#[derive(Debug, Clone, PartialEq)]
pub struct FastCard {
    lo_s: f64,
    n_laps: usize,
    counts: Vec<u64>,
    lap_units: Vec<i64>,
    above: u64,
}

impl FastCard {
    fn new(solo_s: f64, n_laps: usize) -> FastCard {
        let lo_s = 0.7 * solo_s.max(1.0);
        let bins = ((0.45 * solo_s.max(1.0)) / FAST_BIN_S).ceil() as usize + 1;
        FastCard {
            lo_s,
            n_laps,
            counts: vec![0; bins],
            lap_units: vec![0; bins * n_laps],
            above: 0,
        }
    }

    fn add(&mut self, finish_s: f64, laps: impl Iterator<Item = f64>) {
        let b = ((finish_s - self.lo_s) / FAST_BIN_S).floor().max(0.0);
        // NaN (no finish) or beyond the window
        if b.is_nan() || b >= self.counts.len() as f64 {
            self.above += 1;
            return;
        }
        let b = b as usize;
        self.counts[b] += 1;
        for (u, t) in self.lap_units[b * self.n_laps..(b + 1) * self.n_laps]
            .iter_mut()
            .zip(laps)
        {
            *u += (t * CARD_UNITS).round() as i64;
        }
    }

    fn merge(&mut self, o: &FastCard) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        for (a, b) in self.lap_units.iter_mut().zip(&o.lap_units) {
            *a += b;
        }
        self.above += o.above;
    }

    /// Mean lap times [s] over the fastest `share` of the races: whole finish-time bins from
    /// the fastest up, and of the bin where the share is reached the fraction needed to make it
    /// exactly `share` (that bin's races weighted by its mean laps). `None` if the share is
    /// less than one race or lies beyond the window.
    pub fn mean_laps(&self, share: f64) -> Option<Vec<f64>> {
        let n = self.counts.iter().sum::<u64>() + self.above;
        let want = share * n as f64;
        if want < 1.0 {
            return None;
        }
        let mut taken = 0.0;
        let mut sums = vec![0.0; self.n_laps];
        for (b, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let f = ((want - taken) / c as f64).min(1.0);
            for (s, &u) in sums
                .iter_mut()
                .zip(&self.lap_units[b * self.n_laps..(b + 1) * self.n_laps])
            {
                *s += f * u as f64 / CARD_UNITS;
            }
            taken += f * c as f64;
            if taken >= want - 1e-9 {
                return Some(sums.into_iter().map(|s| s / want).collect());
            }
        }
        None
    }
}

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
    /// Each lap's duration over the races he won (fixed point 0.1 ms): his winning split card.
    pub won_laps: Vec<ExactMoments<10_000>>,
    /// Lap sums by finish time: his fastest-races split card.
    pub fast_laps: FastCard,
}

impl RunnerAcc {
    /// His winning split card: each lap's mean over the races he won (`None` if he never won).
    ///
    /// This is the "median winning race" of issue 12 made precise as a card that adds up: the
    /// mean of each lap over his wins, so the laps sum to his mean winning time (per-lap medians
    /// do not add up to anything a runner can aim at; within his wins a lap's mean and median
    /// differ by hundredths).
    pub fn win_card(&self) -> Option<Vec<f64>> {
        self.won_laps.iter().map(|m| m.mean()).collect()
    }

    /// His fastest-races split card: each lap's mean over the fastest `share` of his races
    /// (0.1 for the fastest 10 %), see [`FastCard::mean_laps`].
    pub fn fast_card(&self, share: f64) -> Option<Vec<f64>> {
        self.fast_laps.mean_laps(share)
    }

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
    /// Order statistics of the finish: `place_time[k]` is the time of the (k+1)-th finisher
    /// (pacers excluded), whoever he is.
    pub place_time: Vec<TimeHistogram>,
    /// `place_gap[k]`: the (k+1)-th finisher's time behind the winner [s] (0 for k = 0). How
    /// tightly a field finishes, which no runner's own time distribution shows.
    pub place_gap: Vec<TimeHistogram>,
}

/// Bin width of the order-statistic histograms [s]: the 0.01 s to which results are published
/// (gaps of 0.01–0.2 s between places are common in a championship final).
const PLACE_BIN_S: f64 = 0.01;

/// Upper edge of the gap-behind-the-winner window [s]: 60 s covers the last man of a 2-mile race
/// run in a pack that broke up; a larger gap lands in the overflow count, still counted exactly.
const GAP_WINDOW_S: f64 = 60.0;

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
    TimeHistogram::covering(0.6 * e, 1.7 * e, width)
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
                        .map(|_| TimeHistogram::covering(0.0, 60.0, SPLIT_BIN_S))
                        .collect(),
                    laps: seg_hists(&setup.lap_segments, v),
                    seg200: seg_hists(&setup.segments_200, v),
                    seg400: seg_hists(&segs_400, v),
                    bell_reserve: ExactMoments::new(),
                    kick_from: ExactMoments::new(),
                    won_laps: vec![ExactMoments::new(); setup.lap_segments.len()],
                    fast_laps: FastCard::new(r.solo_time_s, setup.lap_segments.len()),
                }
            })
            .collect();
        let v_ref = setup.v_ref;
        let lap = setup.track.lap_m.min(setup.distance_m);
        // the k-th finisher is at least as fast as the slowest and no faster than the fastest
        let (fastest, slowest) = setup
            .runners
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(a, b), r| {
                (a.min(r.solo_time_s), b.max(r.solo_time_s))
            });
        let place_window = TimeHistogram::covering(
            0.6 * fastest.max(1.0),
            1.7 * slowest.max(fastest).max(1.0),
            PLACE_BIN_S,
        );
        let gap_window = TimeHistogram::covering(0.0, GAP_WINDOW_S, PLACE_BIN_S);
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
            place_time: vec![place_window; n_r],
            place_gap: vec![gap_window; n_r],
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
        self.add_order_statistics(out);
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
            if place == 1 {
                for (m, &seg) in ra.won_laps.iter_mut().zip(&setup.lap_segments) {
                    m.add(dur(seg));
                }
            }
            ra.fast_laps.add(
                out.finish_s[i],
                setup.lap_segments.iter().map(|&seg| dur(seg)),
            );
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

    /// The finish as order statistics: each runner's time goes to the histogram of the place he
    /// took (places are a permutation of 1..n, so no sort and no buffer are needed).
    fn add_order_statistics(&mut self, out: &RaceOutcome) {
        let Some(first) = out.place.iter().position(|&p| p == 1) else {
            return;
        };
        let winner_s = out.finish_s[first];
        for (&p, &t) in out.place.iter().zip(&out.finish_s) {
            let k = p as usize - 1;
            self.place_time[k].add(t);
            self.place_gap[k].add(t - winner_s);
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
            for (x, y) in a.won_laps.iter_mut().zip(&b.won_laps) {
                x.merge(y);
            }
            a.fast_laps.merge(&b.fast_laps);
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
        for (x, y) in self.place_time.iter_mut().zip(&o.place_time) {
            x.merge(y);
        }
        for (x, y) in self.place_gap.iter_mut().zip(&o.place_gap) {
            x.merge(y);
        }
    }

    /// Fraction of races run in each regime (None when no championship regime was drawn).
    pub fn regime_share(&self, r: Regime) -> Option<f64> {
        let tot: u64 = self.regimes.iter().sum();
        (tot > 0).then(|| self.regimes[r.index()] as f64 / tot as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::small_setup;

    /// A hand-made finish: times and places of four runners.
    fn finish(times: [f64; 4]) -> RaceOutcome {
        let mut place = [0u32; 4];
        for i in 0..4 {
            place[i] = 1
                + (0..4)
                    .filter(|&j| times[j] < times[i] || (times[j] == times[i] && j < i))
                    .count() as u32;
        }
        RaceOutcome {
            finish_s: times.to_vec(),
            place: place.to_vec(),
            ..RaceOutcome::default()
        }
    }

    #[test]
    fn order_statistics_of_hand_made_races() {
        let setup = small_setup(300.0);
        let mut acc = Accumulator::new(&setup);
        // race 1: runner 2 wins in 210.00, then 210.40, 211.00, 213.50
        acc.add_order_statistics(&finish([211.0, 213.5, 210.0, 210.4]));
        // race 2: a dead heat for 2nd (split by runner order), the last man 1.2 s down
        acc.add_order_statistics(&finish([212.3, 212.0, 212.3, 213.2]));
        let med = |h: &TimeHistogram| (h.min().unwrap(), h.max().unwrap());
        assert_eq!(med(&acc.place_time[0]), (210.0, 212.0));
        assert_eq!(med(&acc.place_time[1]), (210.4, 212.3));
        assert_eq!(med(&acc.place_time[2]), (211.0, 212.3));
        assert_eq!(med(&acc.place_time[3]), (213.2, 213.5));
        // the winner's gap is exactly 0 in every race
        assert_eq!(med(&acc.place_gap[0]), (0.0, 0.0));
        let (lo, hi) = med(&acc.place_gap[1]);
        assert!(
            (lo - 0.3).abs() < 1e-9 && (hi - 0.4).abs() < 1e-9,
            "{lo} {hi}"
        );
        let (lo, hi) = med(&acc.place_gap[3]);
        assert!(
            (lo - 1.2).abs() < 1e-9 && (hi - 3.5).abs() < 1e-9,
            "{lo} {hi}"
        );
        for k in 0..4 {
            assert_eq!(acc.place_time[k].count(), 2);
            assert_eq!(acc.place_gap[k].invalid(), 0);
        }
    }

    #[test]
    fn simulated_order_statistics_are_sorted_and_merge_exactly() {
        use crate::montecarlo::{RunOptions, run};
        let setup = small_setup(300.0);
        let opts = |threads| RunOptions {
            runs: 300,
            seed: 5,
            threads: Some(threads),
            progress: false,
        };
        let a = run(&setup, &opts(1)).unwrap();
        let b = run(&setup, &opts(2)).unwrap();
        assert_eq!(a.place_time, b.place_time);
        assert_eq!(a.place_gap, b.place_gap);
        let q: Vec<[f64; 7]> = a
            .place_time
            .iter()
            .map(|h| h.quantiles().unwrap().to_array())
            .collect();
        let g: Vec<[f64; 7]> = a
            .place_gap
            .iter()
            .map(|h| h.quantiles().unwrap().to_array())
            .collect();
        assert!(g[0].iter().all(|&x| x == 0.0), "{:?}", g[0]);
        for k in 1..q.len() {
            for j in 0..7 {
                assert!(q[k][j] >= q[k - 1][j], "place {} p{j}: {:?}", k + 1, q);
                assert!(g[k][j] >= g[k - 1][j] && g[k][j] >= 0.0, "{g:?}");
            }
        }
        // the winner's time is the first order statistic
        assert_eq!(a.place_time[0].count(), a.winner.count());
        assert!((a.place_time[0].mean().unwrap() - a.winner.mean().unwrap()).abs() < 1e-9);
    }

    /// Issue 12 item 5: the split cards of a hand-made set of races.
    #[test]
    fn split_cards_of_hand_made_races() {
        let setup = small_setup(300.0);
        let n = setup.runners.len();
        let nk = setup.n_splits();
        let laps = setup.lap_segments.len();
        assert_eq!(laps, 4, "1500 m: a 300 m start and three laps");
        // runner A's cumulative times at the split points come from his four lap times
        let race = |a_laps: [f64; 4], others: f64| {
            let mut lap_end = vec![0.0; laps];
            let mut t = 0.0;
            for (k, l) in a_laps.iter().enumerate() {
                t += l;
                lap_end[k] = t;
            }
            let a_finish = t;
            let mut splits_s = vec![0.0; n * nk];
            for (k, &x) in setup.split_points_m.iter().enumerate() {
                // A: linear within each lap segment; the others: even pace to `others`
                let seg = setup
                    .lap_segments
                    .iter()
                    .position(|&(_, b)| setup.split_points_m[b] >= x - 1e-9)
                    .unwrap();
                let (a0, t0) = match setup.lap_segments[seg].0 {
                    Some(j) => (setup.split_points_m[j], lap_end[seg - 1]),
                    None => (0.0, 0.0),
                };
                let b = setup.split_points_m[setup.lap_segments[seg].1];
                splits_s[k] = t0 + a_laps[seg] * (x - a0) / (b - a0);
                for i in 1..n {
                    splits_s[i * nk + k] = others * x / 1500.0 + i as f64 * 0.01;
                }
            }
            let finish_s: Vec<f64> = (0..n)
                .map(|i| {
                    if i == 0 {
                        a_finish
                    } else {
                        others + i as f64 * 0.01
                    }
                })
                .collect();
            let mut place = vec![0u32; n];
            for i in 0..n {
                place[i] = 1 + (0..n).filter(|&j| finish_s[j] < finish_s[i]).count() as u32;
            }
            RaceOutcome {
                finish_s,
                place,
                splits_s,
                leader_splits_s: vec![100.0; nk],
                reserve_at_bell: vec![0.5; n],
                kick_from_m: vec![f64::NAN; n],
                ..RaceOutcome::default()
            }
        };
        let mut acc = Accumulator::new(&setup);
        // ten races: A wins the two fastest (207.0, 208.0), loses the rest to a 208.5 field
        acc.add(&setup, &race([43.0, 54.0, 55.0, 55.0], 208.5));
        acc.add(&setup, &race([42.0, 56.0, 56.0, 54.0], 208.5));
        for k in 0..8 {
            acc.add(
                &setup,
                &race([44.0, 56.0, 56.0, 54.0 + k as f64 * 0.5], 208.5),
            );
        }
        let a = &acc.runners[0];
        assert_eq!(a.win.k, 2);
        let won = a.win_card().unwrap();
        let close = |x: &[f64], y: &[f64]| x.iter().zip(y).all(|(a, b)| (a - b).abs() < 1e-6);
        assert!(close(&won, &[42.5, 55.0, 55.5, 54.5]), "{won:?}");
        // his fastest 10 % is his fastest race (207.0 s); 20 % his two fastest
        let f10 = a.fast_card(0.1).unwrap();
        assert!(close(&f10, &[43.0, 54.0, 55.0, 55.0]), "{f10:?}");
        let f20 = a.fast_card(0.2).unwrap();
        assert!(close(&f20, &[42.5, 55.0, 55.5, 54.5]), "{f20:?}");
        // 15 %: the fastest race and half of the second, by mean laps: (1 × r1 + 0.5 × r2) / 1.5
        let f15 = a.fast_card(0.15).unwrap();
        let want: Vec<f64> = [43.0, 54.0, 55.0, 55.0]
            .iter()
            .zip([42.0, 56.0, 56.0, 54.0])
            .map(|(x, y)| (x + 0.5 * y) / 1.5)
            .collect();
        assert!(close(&f15, &want), "{f15:?} {want:?}");
        // a runner who never won has no winning card; the cards merge exactly
        assert!(acc.runners[3].win_card().is_none());
        let mut b = Accumulator::new(&setup);
        b.add(&setup, &race([43.0, 54.0, 55.0, 55.0], 208.5));
        let mut c = Accumulator::new(&setup);
        c.add(&setup, &race([42.0, 56.0, 56.0, 54.0], 208.5));
        for k in 0..8 {
            c.add(
                &setup,
                &race([44.0, 56.0, 56.0, 54.0 + k as f64 * 0.5], 208.5),
            );
        }
        b.merge(&c);
        assert_eq!(b.runners[0].won_laps, acc.runners[0].won_laps);
        assert_eq!(b.runners[0].fast_laps, acc.runners[0].fast_laps);
    }
}
