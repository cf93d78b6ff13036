//! A race as the engine runs it: the field, the track, the pacers and where splits are recorded,
//! checked once so that the race loop never has to.
//!
//! Every way into a race — a scenario, a real race record, the calibration's solo time trial —
//! ends in [`RaceSetup::new`], so its checks (a field that exists, names that are unique, pacers
//! that step off within the race, a possible physiology for every runner) hold for every race.

use crate::base::params::{ModelParams, ParamError};
use crate::base::track::Track;
use crate::engine::pacing::{PacerSpec, Schedule};
use crate::engine::physiology::{Physiology, PhysiologyError};
use crate::engine::tactics::Tactic;

/// Why a race cannot be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SetupError {
    /// Not a middle-distance race.
    #[error("distance {0} m is outside 400–10000 m")]
    Distance(f64),
    /// Nobody to race.
    #[error("a race needs at least one runner")]
    NoRunner,
    /// More agents than the engine's fixed buffers hold.
    #[error("at most {MAX_AGENTS} runners and pacers together (got {0})")]
    TooMany(usize),
    /// Two agents share a name (their random streams are keyed by it).
    #[error("`{0}` appears twice in the field")]
    Duplicate(String),
    /// A runner the model cannot run.
    #[error("{name}: {source}")]
    Physiology {
        /// The runner.
        name: String,
        /// What is impossible about him.
        source: PhysiologyError,
    },
    /// A pacer who would still be on the track at the finish, or leaves before the start.
    #[error(
        "pacer `{name}` drops out at {drop_out_m} m, which is not within the race (0–{distance_m} m)"
    )]
    PacerDropOut {
        /// The pacer.
        name: String,
        /// Where he was to step off [m].
        drop_out_m: f64,
        /// The race distance [m].
        distance_m: f64,
    },
    /// A model parameter out of range.
    #[error("model parameter {0}")]
    Params(#[from] ParamError),
    /// A split point outside the race.
    #[error("split point {0} m is not within the race")]
    SplitPoint(f64),
    /// A lap or 200 m line that is not among the race's split points (the track's lap lines
    /// and the split points disagree: an internal inconsistency, reported rather than panicking).
    #[error("internal: the line at {0} m is not a split point of the race")]
    SegmentEnd(f64),
    /// A runner's solo time is not a time.
    #[error("{name}: solo time {solo_time_s} s is not positive")]
    SoloTime {
        /// The runner.
        name: String,
        /// The solo time given [s].
        solo_time_s: f64,
    },
}

/// A runner as the race needs him: parameters resolved, tactic resolved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunnerSpec {
    /// His name: it keys his random streams, so it must be unique in the field.
    pub name: String,
    /// Baseline physiology (before day form).
    pub physiology: Physiology,
    /// His tactic, every parameter resolved.
    pub tactic: Tactic,
    /// His solo, evenly paced time for this race's distance and track [s] (the calibration's
    /// time trial); used for defaults and as the "reported-times" strength of the runner.
    pub solo_time_s: f64,
}

/// Everything needed to run a race, validated.
#[derive(Debug, Clone)]
pub struct RaceSetup {
    /// The track's geometry.
    pub track: Track,
    /// Race distance [m].
    pub distance_m: f64,
    /// The runners, in the order every result keeps.
    pub runners: Vec<RunnerSpec>,
    /// The pacemakers.
    pub pacers: Vec<PacerSpec>,
    /// A pace light (no body, no draft).
    pub wavelight: Option<Schedule>,
    /// Distances from the start where splits are recorded, increasing, ending at the finish.
    pub split_points_m: Vec<f64>,
    /// Lap segments: (start, end) split indices; `None` start means the gun. The first segment
    /// runs from the start to the first lap line (300 m in a 1500 m, 9.34 m in a mile).
    pub lap_segments: Vec<(Option<usize>, usize)>,
    /// 200 m segments counted back from the finish (the first may be shorter).
    pub segments_200: Vec<(Option<usize>, usize)>,
    /// The global model parameters of this race.
    pub params: ModelParams,
    /// Median baseline CS of the field [m/s].
    pub cs_ref: f64,
    /// The pacer whose plan the leaders continue after the pacers have gone (the longest-serving).
    pub plan_pacer: Option<usize>,
    /// Median solo even pace of the field over this race [m/s]: the scale of the championship
    /// lead pace ([`ModelParams::regime_pace`]).
    pub v_ref: f64,
    /// Per runner, the factor on his speeds and reserve (CS, MSS, D′) that moves his solo time
    /// toward the field's median by [`ModelParams::field_shrinkage`] (1 when it is 0, and for a
    /// lone runner): see [`ability_factors`].
    pub ability: Vec<f64>,
}

/// Each runner's ability factor for [`ModelParams::field_shrinkage`] `k`: the marks are a noisy
/// measure of what a runner can do on the day, and being in this field is information too, so
/// his solo time is shrunk toward the field's median, `median + (1 − k)·(solo − median)`
/// (empirical Bayes). Scaling CS, MSS and D′ by one factor m scales the solo time by ≈ 1/m
/// (every speed and the distance the reserve buys scale together), so the factor is
/// `solo / target`.
pub fn ability_factors(solo_times_s: &[f64], k: f64) -> Vec<f64> {
    if k == 0.0 {
        return vec![1.0; solo_times_s.len()];
    }
    let med = median(solo_times_s.to_vec());
    solo_times_s
        .iter()
        .map(|&t| t / (med + (1.0 - k) * (t - med)))
        .collect()
}

/// Largest field (runners + pacers) the engine accepts.
pub const MAX_AGENTS: usize = 64;

impl RaceSetup {
    /// Build and check a race.
    ///
    /// # Errors
    /// [`SetupError`] naming what is wrong: no runners, duplicate names, a pacer dropping out
    /// beyond the finish, bad split points, impossible physiology.
    pub fn new(
        track: Track,
        distance_m: f64,
        runners: Vec<RunnerSpec>,
        pacers: Vec<PacerSpec>,
        wavelight: Option<Schedule>,
        extra_splits_m: &[f64],
        params: ModelParams,
    ) -> Result<RaceSetup, SetupError> {
        if !(distance_m.is_finite() && (400.0..=10_000.0).contains(&distance_m)) {
            return Err(SetupError::Distance(distance_m));
        }
        if runners.is_empty() {
            return Err(SetupError::NoRunner);
        }
        if runners.len() + pacers.len() > MAX_AGENTS {
            return Err(SetupError::TooMany(runners.len() + pacers.len()));
        }
        let mut names: Vec<&str> = runners.iter().map(|r| r.name.as_str()).collect();
        names.extend(pacers.iter().map(|p| p.name.as_str()));
        let mut sorted = names.clone();
        sorted.sort_unstable();
        for w in sorted.windows(2) {
            if w[0] == w[1] {
                return Err(SetupError::Duplicate(w[0].to_string()));
            }
        }
        for r in &runners {
            r.physiology
                .check()
                .map_err(|source| SetupError::Physiology {
                    name: r.name.clone(),
                    source,
                })?;
        }
        for p in &pacers {
            if !(p.drop_out_m > 0.0 && p.drop_out_m < distance_m) {
                return Err(SetupError::PacerDropOut {
                    name: p.name.clone(),
                    drop_out_m: p.drop_out_m,
                    distance_m,
                });
            }
        }
        params.validate()?;
        let mut split_points_m = default_split_points(&track, distance_m);
        for &x in extra_splits_m {
            if !(x > 0.0 && x <= distance_m) {
                return Err(SetupError::SplitPoint(x));
            }
            split_points_m.push(x);
        }
        split_points_m.sort_by(|a, b| a.total_cmp(b));
        split_points_m.dedup_by(|a, b| (*a - *b).abs() < 0.01);
        for r in &runners {
            if !(r.solo_time_s.is_finite() && r.solo_time_s > 0.0) {
                return Err(SetupError::SoloTime {
                    name: r.name.clone(),
                    solo_time_s: r.solo_time_s,
                });
            }
        }
        let cs_ref = median(runners.iter().map(|r| r.physiology.cs).collect());
        let v_ref = median(runners.iter().map(|r| distance_m / r.solo_time_s).collect());
        let ability = ability_factors(
            &runners.iter().map(|r| r.solo_time_s).collect::<Vec<_>>(),
            params.field_shrinkage,
        );
        let plan_pacer = (0..pacers.len())
            .max_by(|&a, &b| pacers[a].drop_out_m.total_cmp(&pacers[b].drop_out_m));
        let seg = |ends: Vec<f64>| {
            let mut out = Vec::new();
            let mut prev: Option<usize> = None;
            for e in ends {
                let k = split_points_m
                    .iter()
                    .position(|x| (x - e).abs() < 0.01)
                    .ok_or(SetupError::SegmentEnd(e))?;
                out.push((prev, k));
                prev = Some(k);
            }
            Ok::<_, SetupError>(out)
        };
        let lap_segments = seg(track.lap_lines(distance_m))?;
        let mut ends200 = Vec::new();
        let mut d = distance_m;
        while d > 0.01 {
            ends200.push(d);
            d -= 200.0;
        }
        ends200.reverse();
        let segments_200 = seg(ends200)?;
        Ok(RaceSetup {
            lap_segments,
            segments_200,
            plan_pacer,
            track,
            distance_m,
            runners,
            pacers,
            wavelight,
            split_points_m,
            params,
            cs_ref,
            v_ref,
            ability,
        })
    }

    /// The same race recording splits at `extra_m` as well: recording a split changes no race
    /// (splits are only observed), so a report can compare with a real race's split points.
    ///
    /// # Errors
    /// [`SetupError::SplitPoint`] for a point outside the race.
    pub fn with_extra_splits(&self, extra_m: &[f64]) -> Result<RaceSetup, SetupError> {
        let mut extra = self.split_points_m.clone();
        extra.extend_from_slice(extra_m);
        RaceSetup::new(
            self.track,
            self.distance_m,
            self.runners.clone(),
            self.pacers.clone(),
            self.wavelight.clone(),
            &extra,
            self.params.clone(),
        )
    }

    /// Whether this is a championship-style race: several runners, no pacers, no lights. Only
    /// these draw a race regime and surges (Sandford, Day & Rogers 2019 describe such finals).
    pub fn is_championship(&self) -> bool {
        self.pacers.is_empty() && self.wavelight.is_none() && self.runners.len() > 1
    }

    /// Number of split points (the width of a runner's row in [`super::RaceOutcome::splits_s`]).
    pub fn n_splits(&self) -> usize {
        self.split_points_m.len()
    }

    /// Index of the split point at `at_m` (within 1 cm), if recorded.
    pub fn split_index(&self, at_m: f64) -> Option<usize> {
        self.split_points_m
            .iter()
            .position(|x| (x - at_m).abs() < 0.01)
    }

    /// Index of a runner by name.
    pub fn runner_index(&self, name: &str) -> Option<usize> {
        self.runners.iter().position(|r| r.name == name)
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Splits every 100 m from the start, at every lap line, every 200 m back from the finish (for
/// 200 m segment times), and the finish.
pub fn default_split_points(track: &Track, distance_m: f64) -> Vec<f64> {
    let mut v: Vec<f64> = Vec::new();
    let mut d = 100.0;
    while d < distance_m - 0.01 {
        v.push(d);
        d += 100.0;
    }
    let mut d = distance_m - 200.0;
    while d > 0.01 {
        v.push(d);
        d -= 200.0;
    }
    v.extend(track.lap_lines(distance_m));
    v.push(distance_m);
    v.sort_by(|a, b| a.total_cmp(b));
    v.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    v
}
