//! The result of a Monte Carlo run as people and other tools read it (`summary.json`).
//!
//! Quantiles are always keyed `p05`, `p10`, `p25`, `p50`, `p75`, `p90`, `p95` (seconds), and every
//! probability carries its Monte Carlo standard error.

use serde::Serialize;

use crate::base::params::{ModelParams, Regime};
use crate::base::track::TrackKind;
use crate::engine::physiology::Physiology;
use crate::engine::race::RaceSetup;
use crate::engine::tactics::Tactic;
use crate::field::BuiltRunner;
use crate::field::calibrate::Fit;
use crate::montecarlo::Accumulator;
use crate::stats::{Quantiles, TimeHistogram};

/// A probability with its Monte Carlo standard error and 95 % (Wilson) interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prob {
    /// The estimate.
    pub p: f64,
    /// Its Monte Carlo standard error.
    pub se: f64,
    /// Lower end of the 95 % Wilson interval.
    pub lo95: f64,
    /// Upper end of the 95 % Wilson interval.
    pub hi95: f64,
}

impl Prob {
    fn of(pr: &crate::stats::Proportion) -> Prob {
        let w = pr.wilson95();
        Prob {
            p: pr.p().unwrap_or(0.0),
            se: pr.se().unwrap_or(0.0),
            lo95: w.map(|i| i.lo).unwrap_or(0.0),
            hi95: w.map(|i| i.hi).unwrap_or(1.0),
        }
    }
}

/// Quantiles of one split point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitQ {
    /// Where [m from the start].
    pub at_m: f64,
    /// Quantiles of the cumulative time there [s].
    pub q: Quantiles,
}

/// Quantiles of one segment's duration (a lap, or 200 m).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentQ {
    /// Start of the segment [m].
    pub from_m: f64,
    /// End of the segment [m].
    pub to_m: f64,
    /// Quantiles of its duration [s].
    pub q: Quantiles,
}

/// Quantiles of one place's order statistic (the k-th finisher's time, or his gap behind the
/// winner), whoever took the place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceQ {
    /// The place, 1-based.
    pub place: usize,
    /// Quantiles [s].
    pub q: Quantiles,
}

/// [`PlaceQ`] of every place from a list of per-place histograms.
pub fn place_quantiles(h: &[TimeHistogram]) -> Vec<PlaceQ> {
    h.iter()
        .enumerate()
        .map(|(k, h)| PlaceQ {
            place: k + 1,
            q: q(h),
        })
        .collect()
}

/// One lap of a split card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardLap {
    /// Start of the lap [m from the start].
    pub from_m: f64,
    /// End of the lap [m].
    pub to_m: f64,
    /// The lap's time [s].
    pub lap_s: f64,
    /// Time at its end, from the gun: the card's laps added up [s].
    pub cumulative_s: f64,
}

/// A split card: the lap times a runner should aim at, and their running total.
///
/// Two cards per runner: `win` — each lap's mean over the races he won, so the laps add up to
/// his mean winning time (the "median winning race" of issue 12, as a card that adds up: see
/// [`crate::montecarlo::RunnerAcc::win_card`]); `fastest_10` — each lap's mean over
/// his fastest 10 % of races by finish time, whether he won them or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitCard {
    /// How many races it averages (for the fastest 10 %, a tenth of his races).
    pub races: f64,
    /// The laps, from the gun (the first may be a part lap).
    pub laps: Vec<CardLap>,
}

impl SplitCard {
    /// A card from per-lap times over `segments` (`(start, end)` split indices of `pts`).
    fn new(
        races: f64,
        laps_s: &[f64],
        segments: &[(Option<usize>, usize)],
        pts: &[f64],
    ) -> SplitCard {
        let mut cum = 0.0;
        SplitCard {
            races,
            laps: segments
                .iter()
                .zip(laps_s)
                .map(|(&(a, b), &lap_s)| {
                    cum += lap_s;
                    CardLap {
                        from_m: a.map(|k| pts[k]).unwrap_or(0.0),
                        to_m: pts[b],
                        lap_s,
                        cumulative_s: cum,
                    }
                })
                .collect(),
        }
    }
}

/// One runner's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunnerSummary {
    /// The runner.
    pub name: String,
    /// His country, when known.
    pub country: Option<String>,
    /// His tactic, resolved.
    pub tactic: Tactic,
    /// Whether the tactic is the profile default rather than set in the scenario.
    pub default_tactic: bool,
    /// Whether no reported time was known and the field prior was used.
    pub field_prior: bool,
    /// His physiology (before day form).
    pub physiology: Physiology,
    /// Solo, evenly paced time over this race (the calibration's time trial) [s].
    pub solo_time_s: f64,
    /// Win probability.
    pub p_win: Prob,
    /// Podium probability.
    pub p_podium: Prob,
    /// Mean place.
    pub mean_place: f64,
    /// Share of races finished in each place (index 0 = first).
    pub place_share: Vec<f64>,
    /// Finish-time quantiles [s].
    pub time_q: Quantiles,
    /// Mean finish time [s].
    pub time_mean_s: f64,
    /// Standard deviation of the finish time [s].
    pub time_sd_s: f64,
    /// Cumulative time at every lap line.
    pub lap_splits: Vec<SplitQ>,
    /// Cumulative time at every recorded split point (every 100 m, laps, 200 m marks).
    pub splits: Vec<SplitQ>,
    /// Lap times.
    pub laps: Vec<SegmentQ>,
    /// 200 m times (counted back from the finish).
    pub segments_200: Vec<SegmentQ>,
    /// 400 m times (counted back from the finish; the laps on an outdoor track).
    pub segments_400: Vec<SegmentQ>,
    /// Median seconds behind the first runner at each split point.
    pub median_gap_s: Vec<(f64, f64)>,
    /// Mean reserve left at the bell, as a fraction of D′.
    pub bell_reserve_mean: Option<f64>,
    /// Mean kick onset, metres from the finish.
    pub kick_from_mean_m: Option<f64>,
    /// The calibration, when fitted to reported times.
    pub calibration: Option<Fit>,
    /// His winning split card (`None`: he never won).
    pub card_win: Option<SplitCard>,
    /// His fastest-10 % split card (`None`: fewer than ten races).
    pub card_fastest_10: Option<SplitCard>,
}

/// The whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The scenario's name.
    pub scenario: String,
    /// The variant run, if any.
    pub variant: Option<String>,
    /// Races simulated.
    pub runs: u64,
    /// Their seed (the same seed gives the same summary).
    pub seed: u64,
    /// The track.
    pub track: TrackKind,
    /// Race distance [m].
    pub distance_m: f64,
    /// The pacemakers' names.
    pub pacers: Vec<String>,
    /// Per runner, in the scenario's order (colours follow it).
    pub runners: Vec<RunnerSummary>,
    /// First agent (pacers included) past each split point.
    pub leader_splits: Vec<SplitQ>,
    /// Winning-time quantiles [s].
    pub winner_time_q: Quantiles,
    /// Quantiles of the winner's last lap [s].
    pub winner_last_lap_q: Quantiles,
    /// For each place k: quantiles of the k-th finisher's time [s].
    pub place_time_q: Vec<PlaceQ>,
    /// For each place k: quantiles of the k-th finisher's time behind the winner [s] (place 1
    /// is 0): how tightly the field finishes.
    pub gap_q: Vec<PlaceQ>,
    /// Share of fast / medium / slow regimes (championship races only).
    pub regimes: Option<RegimeShare>,
    /// The model parameters used.
    pub model: ModelParams,
    /// Head to head: `head_to_head[i][j]` is the chance runner `i` finishes ahead of runner `j`
    /// (scenario order; the diagonal is 0).
    pub head_to_head: Vec<Vec<Prob>>,
    /// Each `run --target` time and every runner's chance of beating it (empty without targets).
    pub targets: Vec<TargetOdds>,
}

/// The chance of each runner breaking a given time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetOdds {
    /// The time to beat [s].
    pub time_s: f64,
    /// Per runner in scenario order: the share of his races faster than `time_s`, from his
    /// finish-time histogram (0.01 s bins, interpolated within the bin the time falls in).
    pub p_beat: Vec<Prob>,
}

impl Prob {
    /// A share `k / n` with its binomial standard error and 95 % Wilson interval.
    pub fn share(k: f64, n: u64) -> Prob {
        let n_f = n as f64;
        if n == 0 {
            return Prob {
                p: 0.0,
                se: 0.0,
                lo95: 0.0,
                hi95: 1.0,
            };
        }
        let p = (k / n_f).clamp(0.0, 1.0);
        let z = 1.959_963_984_540_054_f64;
        let d = 1.0 + z * z / n_f;
        let c = (p + z * z / (2.0 * n_f)) / d;
        let h = z * (p * (1.0 - p) / n_f + z * z / (4.0 * n_f * n_f)).sqrt() / d;
        Prob {
            p,
            se: (p * (1.0 - p) / n_f).sqrt(),
            lo95: (c - h).max(0.0),
            hi95: (c + h).min(1.0),
        }
    }
}

/// The head-to-head matrix of `acc` (see [`Summary::head_to_head`]).
pub fn head_to_head(acc: &Accumulator) -> Vec<Vec<Prob>> {
    let n = acc.runners.len();
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    Prob::share(
                        acc.ahead.get(i * n + j).copied().unwrap_or(0) as f64,
                        acc.races,
                    )
                })
                .collect()
        })
        .collect()
}

/// Every runner's chance of finishing faster than `time_s` (see [`TargetOdds`]).
pub fn target_odds(acc: &Accumulator, time_s: f64) -> TargetOdds {
    TargetOdds {
        time_s,
        p_beat: acc
            .runners
            .iter()
            .map(|r| {
                let n = r.finish.count();
                Prob::share(r.finish.cdf(time_s).unwrap_or(0.0) * n as f64, n)
            })
            .collect(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
/// Shares of the championship regimes drawn (fast, medium, slow), for reports to say how a
/// final was run.
pub struct RegimeShare {
    /// Share of fast races.
    pub fast: f64,
    /// Share of medium races.
    pub medium: f64,
    /// Share of slow races.
    pub slow: f64,
}

fn q(h: &TimeHistogram) -> Quantiles {
    h.quantiles().unwrap_or(Quantiles::NAN)
}

/// Whether split point `x` is a lap line of this race.
pub fn is_lap_line(setup: &RaceSetup, x: f64) -> bool {
    setup
        .track
        .lap_lines(setup.distance_m)
        .iter()
        .any(|l| (l - x).abs() < 0.01)
}

impl Summary {
    /// The summary of `acc`, the races of `setup` run with `seed`; `built` says where each
    /// runner's numbers came from.
    pub fn new(
        scenario: &str,
        variant: Option<&str>,
        setup: &RaceSetup,
        built: &[BuiltRunner],
        acc: &Accumulator,
        seed: u64,
    ) -> Summary {
        let pts = &setup.split_points_m;
        let seg = |segs: &[(Option<usize>, usize)], h: &[TimeHistogram]| -> Vec<SegmentQ> {
            segs.iter()
                .zip(h)
                .map(|(&(a, b), h)| SegmentQ {
                    from_m: a.map(|k| pts[k]).unwrap_or(0.0),
                    to_m: pts[b],
                    q: q(h),
                })
                .collect()
        };
        let runners = setup
            .runners
            .iter()
            .zip(&acc.runners)
            .zip(built)
            .map(|((spec, ra), br)| {
                let n: u64 = ra.places.iter().sum();
                let mean_place = ra.mean_place();
                let splits: Vec<SplitQ> = pts
                    .iter()
                    .zip(&ra.splits)
                    .map(|(&at_m, h)| SplitQ { at_m, q: q(h) })
                    .collect();
                RunnerSummary {
                    name: spec.name.clone(),
                    country: br.country.clone(),
                    tactic: spec.tactic,
                    default_tactic: br.default_tactic,
                    field_prior: br.field_prior,
                    physiology: spec.physiology,
                    solo_time_s: spec.solo_time_s,
                    p_win: Prob::of(&ra.win),
                    p_podium: Prob::of(&ra.podium),
                    mean_place,
                    place_share: ra
                        .places
                        .iter()
                        .map(|&c| c as f64 / n.max(1) as f64)
                        .collect(),
                    time_q: q(&ra.finish),
                    time_mean_s: ra.finish.mean().unwrap_or(f64::NAN),
                    time_sd_s: ra.finish.sd().unwrap_or(f64::NAN),
                    lap_splits: splits
                        .iter()
                        .filter(|s| is_lap_line(setup, s.at_m))
                        .cloned()
                        .collect(),
                    splits,
                    laps: seg(&setup.lap_segments, &ra.laps),
                    segments_200: seg(&setup.segments_200, &ra.seg200),
                    segments_400: seg(&acc.segments_400, &ra.seg400),
                    median_gap_s: pts
                        .iter()
                        .zip(&ra.gaps)
                        .map(|(&x, h)| (x, h.quantile(0.5).unwrap_or(f64::NAN)))
                        .collect(),
                    bell_reserve_mean: ra.bell_reserve.mean(),
                    kick_from_mean_m: ra.kick_from.mean(),
                    calibration: br.fit.clone(),
                    card_win: ra
                        .win_card()
                        .map(|l| SplitCard::new(ra.win.k as f64, &l, &setup.lap_segments, pts)),
                    card_fastest_10: ra
                        .fast_card(0.1)
                        .map(|l| SplitCard::new(0.1 * n as f64, &l, &setup.lap_segments, pts)),
                }
            })
            .collect();
        let regimes = setup.is_championship().then(|| RegimeShare {
            fast: acc.regime_share(Regime::Fast).unwrap_or(0.0),
            medium: acc.regime_share(Regime::Medium).unwrap_or(0.0),
            slow: acc.regime_share(Regime::Slow).unwrap_or(0.0),
        });
        Summary {
            scenario: scenario.to_string(),
            variant: variant.map(str::to_string),
            runs: acc.races,
            seed,
            track: setup.track.kind,
            distance_m: setup.distance_m,
            pacers: setup.pacers.iter().map(|p| p.name.clone()).collect(),
            runners,
            leader_splits: pts
                .iter()
                .zip(&acc.leader_splits)
                .map(|(&at_m, h)| SplitQ { at_m, q: q(h) })
                .collect(),
            winner_time_q: q(&acc.winner),
            winner_last_lap_q: q(&acc.winner_last_lap),
            place_time_q: place_quantiles(&acc.place_time),
            gap_q: place_quantiles(&acc.place_gap),
            regimes,
            model: setup.params.clone(),
            head_to_head: head_to_head(acc),
            targets: Vec::new(),
        }
    }

    /// The same summary with every runner's chance of beating each of `times_s`.
    pub fn with_targets(mut self, acc: &Accumulator, times_s: &[f64]) -> Summary {
        self.targets = times_s.iter().map(|&t| target_odds(acc, t)).collect();
        self
    }
}

#[cfg(test)]
mod tests {
    /// Issue 12 item 4: `--target` and head-to-head chances are the counts of a hand-made set
    /// of races.
    #[test]
    fn targets_and_head_to_head_are_the_counts() {
        use crate::engine::race::RaceOutcome;
        let setup = small_setup(300.0);
        let n = setup.runners.len();
        let nk = setup.n_splits();
        let mut acc = Accumulator::new(&setup);
        // 10 races: finish times for A, B, C, D (seconds)
        let races: [[f64; 4]; 10] = [
            [209.01, 209.50, 211.00, 212.00],
            [210.02, 209.10, 211.30, 210.50],
            [208.53, 209.95, 209.40, 212.20],
            [211.04, 210.20, 209.70, 213.00],
            [209.85, 208.90, 210.10, 211.40],
            [212.06, 211.00, 210.60, 209.90],
            [208.97, 209.30, 212.00, 210.10],
            [209.48, 210.40, 209.20, 211.70],
            [210.59, 209.80, 210.90, 209.60],
            [209.33, 211.10, 210.30, 212.40],
        ];
        for t in &races {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
            let mut place = vec![0u32; n];
            for (k, &i) in order.iter().enumerate() {
                place[i] = k as u32 + 1;
            }
            let splits_s = (0..n)
                .flat_map(|i| setup.split_points_m.iter().map(move |&x| t[i] * x / 1500.0))
                .collect();
            let out = RaceOutcome {
                finish_s: t.to_vec(),
                place,
                splits_s,
                leader_splits_s: vec![100.0; nk],
                reserve_at_bell: vec![0.5; n],
                min_reserve_frac: vec![0.0; n],
                max_reserve_frac: vec![1.0; n],
                kick_from_m: vec![300.0; n],
                pacer_errors_s: Vec::new(),
                regime: None,
                unfinished: None,
            };
            acc.add(&setup, &out);
        }
        let h2h = head_to_head(&acc);
        for i in 0..n {
            for j in 0..n {
                let count = races.iter().filter(|t| t[i] < t[j]).count();
                assert!(
                    (h2h[i][j].p - count as f64 / 10.0).abs() < 1e-12,
                    "{i} ahead of {j}"
                );
                if i != j {
                    assert!((h2h[i][j].p + h2h[j][i].p - 1.0).abs() < 1e-12);
                    let p = count as f64 / 10.0;
                    assert!((h2h[i][j].se - (p * (1.0 - p) / 10.0).sqrt()).abs() < 1e-12);
                }
            }
        }
        // targets fall between times (no interpolation inside an occupied bin): exact counts
        for target in [209.0, 209.45, 210.0, 211.5] {
            let odds = target_odds(&acc, target);
            for i in 0..n {
                let count = races.iter().filter(|t| t[i] < target).count();
                assert!(
                    (odds.p_beat[i].p - count as f64 / 10.0).abs() < 1e-9,
                    "runner {i} under {target}: {} vs {count}/10",
                    odds.p_beat[i].p
                );
            }
        }
    }

    use super::*;
    use crate::field::BuiltRunner;
    use crate::montecarlo::{self, RunOptions};
    use crate::testkit::{paced_setup, small_setup};

    fn summary(setup: &RaceSetup, runs: u64) -> Summary {
        let acc = montecarlo::run(
            setup,
            &RunOptions {
                runs,
                seed: 21,
                threads: Some(2),
                progress: false,
            },
        )
        .unwrap();
        let built: Vec<BuiltRunner> = setup
            .runners
            .iter()
            .map(|r| BuiltRunner {
                name: r.name.clone(),
                country: Some("NOR".into()),
                fit: None,
                default_tactic: r.name == "B",
                field_prior: false,
            })
            .collect();
        Summary::new("Test", Some("v"), setup, &built, &acc, 21)
    }

    #[test]
    fn probabilities_and_places_add_up() {
        let setup = small_setup(300.0);
        let s = summary(&setup, 400);
        assert_eq!((s.runs, s.seed, s.runners.len()), (400, 21, 4));
        let p_win: f64 = s.runners.iter().map(|r| r.p_win.p).sum();
        assert!((p_win - 1.0).abs() < 1e-12, "{p_win}");
        let p_podium: f64 = s.runners.iter().map(|r| r.p_podium.p).sum();
        assert!(
            (p_podium - 3.0).abs() < 1e-12,
            "three on every podium: {p_podium}"
        );
        for r in &s.runners {
            assert!(r.p_win.lo95 <= r.p_win.p && r.p_win.p <= r.p_win.hi95);
            assert!(r.p_podium.p >= r.p_win.p);
            let shares: f64 = r.place_share.iter().sum();
            assert!((shares - 1.0).abs() < 1e-12);
            let mean: f64 = r
                .place_share
                .iter()
                .enumerate()
                .map(|(k, s)| (k + 1) as f64 * s)
                .sum();
            assert!((mean - r.mean_place).abs() < 1e-9);
            let q = r.time_q.to_array();
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
            assert!((q[3] - r.time_mean_s).abs() < 3.0);
            // the laps of an outdoor 1500 m: 300 m, then three of 400 m; the last lap line is the
            // finish (its split histogram has 0.02 s bins, the finish 0.01 s)
            assert_eq!(r.laps.len(), 4);
            assert_eq!(r.segments_400.len(), 4);
            assert_eq!(r.lap_splits.len(), 4);
            let (at_finish, finish) = (r.lap_splits[3].q.to_array(), r.time_q.to_array());
            for (a, b) in at_finish.iter().zip(finish) {
                assert!((a - b).abs() <= 0.02, "{at_finish:?} vs {finish:?}");
            }
            assert!(r.splits.iter().all(|sp| sp.q.p50 > 0.0));
        }
        assert!(s.runners[1].default_tactic && !s.runners[0].default_tactic);
        let r = s.regimes.unwrap();
        assert!((r.fast + r.medium + r.slow - 1.0).abs() < 1e-12);
        // the winner is one of the runners: the winning time is no slower than anyone's
        let fastest_median = s
            .runners
            .iter()
            .map(|r| r.time_q.p50)
            .fold(f64::INFINITY, f64::min);
        assert!(s.winner_time_q.p50 <= fastest_median);
    }

    #[test]
    fn the_json_keeps_its_contract() {
        let s = summary(&paced_setup(), 100);
        assert!(s.regimes.is_none(), "a paced race draws no regime");
        assert_eq!(s.pacers, ["Rabbit"]);
        let v: serde_json::Value =
            serde_json::from_slice(&serde_json::to_vec(&s).unwrap()).unwrap();
        assert_eq!(v["track"], "outdoor400");
        assert_eq!(v["variant"], "v");
        for k in ["p05", "p10", "p25", "p50", "p75", "p90", "p95"] {
            assert!(v["runners"][0]["time_q"][k].is_number(), "{k}");
            assert!(v["winner_time_q"][k].is_number(), "{k}");
        }
        for k in ["p", "se", "lo95", "hi95"] {
            assert!(v["runners"][0]["p_win"][k].is_number(), "{k}");
        }
        assert_eq!(v["runners"][0]["country"], "NOR");
        assert_eq!(v["runners"][0]["tactic"]["kind"], "follow");
        // the extra split at 1000 m is reported
        let at: Vec<f64> = v["runners"][0]["splits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["at_m"].as_f64().unwrap())
            .collect();
        assert!(at.contains(&1000.0));
        assert_eq!(v["model"]["dt_s"], 0.1);
        // the order statistics: one entry per place, the winner's gap 0
        for key in ["place_time_q", "gap_q"] {
            let a = v[key].as_array().unwrap();
            assert_eq!(a.len(), s.runners.len(), "{key}");
            for (k, e) in a.iter().enumerate() {
                assert_eq!(e["place"], k + 1);
                for p in ["p05", "p10", "p25", "p50", "p75", "p90", "p95"] {
                    assert!(e["q"][p].is_number(), "{key} {p}");
                }
            }
        }
        assert_eq!(v["gap_q"][0]["q"]["p95"], 0.0);
        // the first order statistic is the winning time (both in 0.01 s bins)
        let (a, b) = (s.place_time_q[0].q.to_array(), s.winner_time_q.to_array());
        assert!(
            a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 0.01),
            "{a:?} {b:?}"
        );
    }
}
