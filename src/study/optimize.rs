//! Searching one runner's tactic parameters (`racesim optimize`) without chasing Monte Carlo
//! noise.
//!
//! The best of many noisy estimates is biased upwards (the "winner's curse"): with 13 kick points
//! whose true win chances are all equal, the largest estimate is about 1.7 standard errors above
//! the truth. The search therefore separates *choosing* from *measuring*:
//!
//! 1. **Coarse grid** over the given range(s), every point on common random numbers (race `i` of
//!    every point shares seed and index), [`COARSE_SHARE`] of the races.
//! 2. **Smoothing**: the objective is averaged with its grid neighbours (weights 1-2-1 along each
//!    axis) and the centre of the refinement is the best *smoothed* point, so a single lucky grid
//!    point does not decide where to look.
//! 3. **Refinement on fresh random numbers**: a finer grid around that centre (a quarter of the
//!    coarse step in one dimension, half in two), plus the runner's current setting and the raw
//!    coarse best, run with the full number of races on a *different seed*, so that the
//!    estimates are not the ones the choice was made on.
//! 4. **Paired verdict**: the best fine point is compared with every other fine point by paired
//!    differences on the same races. The runner-up is "statistically distinguishable" only if
//!    the 95 % interval of the difference excludes zero; every point whose difference from the
//!    best is within the noise belongs to the *plateau*, reported as a range. The improvement
//!    over the current setting is reported the same way.
//!
//! For the median-time objective the paired comparison uses the mean time difference (the
//! paired statistic that exists for times); the ranking uses the medians.

use serde::Serialize;

use super::build_all;
use super::sweep::{Grid, ParamRange};
use crate::base::rng;
use crate::error::{Error, Result};
use crate::field::FitCache;
use crate::input::params::{Param, Section};
use crate::input::scenario::Scenario;
use crate::montecarlo::RunOptions;
use crate::montecarlo::crn::{CrnConfig, PairSummary, Pairs, RunnerStats, run_crn};
use crate::stats::Estimate;

/// A runner's tactic parameter (what optimize may search), from the parameter table.
fn tactic_param(field: &str) -> Option<&'static Param> {
    Section::Runner.param(field).filter(|p| p.is_tactic())
}

/// The tactic fields, comma-separated, for messages.
fn tactic_fields() -> String {
    Section::Runner
        .params()
        .filter(|p| p.is_tactic())
        .map(|p| p.key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Share of the races per point used by the coarse stage.
pub const COARSE_SHARE: f64 = 0.25;
/// Fewest races per coarse point.
pub const MIN_COARSE_RUNS: u64 = 100;
/// Coarse intervals per axis when no step is given: 8 in one dimension (9 points), 5 in two
/// (6 × 6 = 36 points).
pub const DEFAULT_INTERVALS: [usize; 2] = [8, 5];

/// What to optimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Maximise the win probability.
    Win,
    /// Minimise the median finish time.
    Median,
}

/// An objective name that is not win or median.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown objective `{0}` (win, median)")]
pub struct UnknownObjective(pub String);

impl std::str::FromStr for Objective {
    type Err = UnknownObjective;
    fn from_str(s: &str) -> std::result::Result<Objective, UnknownObjective> {
        match s {
            "win" => Ok(Objective::Win),
            "median" => Ok(Objective::Median),
            _ => Err(UnknownObjective(s.to_string())),
        }
    }
}

impl Objective {
    /// The objective of a point: win % or median time [s].
    pub fn of(self, s: &RunnerStats) -> Estimate {
        match self {
            Objective::Win => s.win_est().scaled(100.0),
            Objective::Median => s.median(),
        }
    }

    /// Larger is better.
    fn score(self, s: &RunnerStats) -> f64 {
        match self {
            Objective::Win => s.win.p().unwrap_or(0.0),
            Objective::Median => -s.median().value,
        }
    }

    /// The paired difference A − B of the objective, oriented so that positive means A is
    /// better (win percentage points, or seconds faster on average).
    pub fn gain(self, d: &PairSummary) -> Estimate {
        match self {
            Objective::Win => d.win.scaled(100.0),
            Objective::Median => d.time_s.negated(),
        }
    }
}

/// What to search.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeConfig {
    /// The runner whose tactic is searched.
    pub runner: String,
    /// His tactic parameters and their ranges (one or two).
    pub params: Vec<ParamRange>,
    /// What to optimise.
    pub objective: Objective,
    /// Races per point in the refinement (the coarse stage runs [`COARSE_SHARE`] of them).
    pub runs: u64,
    /// The coarse stage's seed (the refinement runs on a fresh one).
    pub seed: u64,
    /// Worker threads.
    pub threads: Option<usize>,
    /// Show progress bars.
    pub progress: bool,
}

/// One evaluated point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The parameters' values.
    pub values: Vec<f64>,
    /// Win % or median time.
    pub objective: Estimate,
    /// Win probability [%].
    pub win_pct: Estimate,
    /// Median finish time [s].
    pub median_s: Estimate,
    /// Mean place.
    pub mean_place: Estimate,
    /// Whether this is the runner's current setting.
    pub current: bool,
    /// Paired gain of the best point over this one (refinement only; positive: the best is
    /// better).
    pub best_gain: Option<Estimate>,
}

/// Where the search ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptimizeResult {
    /// The runner searched.
    pub runner: String,
    /// What was optimised.
    pub objective: Objective,
    /// The parameters searched.
    pub params: Vec<ParamRange>,
    /// The runner's setting of each parameter before the search.
    pub current_values: Vec<f64>,
    /// Races per coarse point.
    pub coarse_runs: u64,
    /// The coarse stage's seed.
    pub coarse_seed: u64,
    /// The coarse grid's values per parameter.
    pub coarse_axes: Vec<Vec<f64>>,
    /// Every coarse point.
    pub coarse: Vec<Point>,
    /// The centre the refinement was placed on (best after smoothing).
    pub centre: Vec<f64>,
    /// Races per refined point.
    pub fine_runs: u64,
    /// The refinement's seed.
    pub fine_seed: u64,
    /// The refinement's step per parameter.
    pub fine_step: Vec<f64>,
    /// Every refined point.
    pub fine: Vec<Point>,
    /// Index into `fine` of the best point.
    pub best: usize,
    /// Index into `fine` of the second best point.
    pub runner_up: Option<usize>,
    /// Paired gain of the best over the runner-up.
    pub best_vs_runner_up: Option<Estimate>,
    /// Index into `fine` of the current setting.
    pub current: Option<usize>,
    /// Paired differences best − current (all four metrics).
    pub best_vs_current: Option<PairSummary>,
    /// Fine points whose paired difference from the best is within the noise (best included).
    pub plateau: Vec<usize>,
    /// Whether every fine point gave exactly the same races: the parameter does nothing under
    /// this runner's tactic.
    pub no_effect: bool,
}

/// Split a `runner."NAME".field` path into (name, field).
fn runner_path(path: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix("runner.")?;
    let (name, field) = rest.rsplit_once('.')?;
    let name = name.trim_matches('"');
    Some((name.to_string(), field.to_string()))
}

/// 1-2-1 smoothing along each axis of a grid stored first-axis-fastest.
fn smooth(values: &[f64], dims: &[usize]) -> Vec<f64> {
    let mut v = values.to_vec();
    let mut stride = 1;
    for &len in dims {
        let mut out = v.clone();
        for (k, o) in out.iter_mut().enumerate() {
            let i = (k / stride) % len;
            let (mut s, mut w) = (2.0 * v[k], 2.0);
            if i > 0 {
                s += v[k - stride];
                w += 1.0;
            }
            if i + 1 < len {
                s += v[k + stride];
                w += 1.0;
            }
            *o = s / w;
        }
        v = out;
        stride *= len;
    }
    v
}

fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

fn point(values: Vec<f64>, s: &RunnerStats, obj: Objective, current: &[f64]) -> Point {
    Point {
        current: values == current,
        values,
        objective: obj.of(s),
        win_pct: s.win_est().scaled(100.0),
        median_s: s.median(),
        mean_place: s.mean_place(),
        best_gain: None,
    }
}

/// Run the search described in the module documentation.
///
/// # Errors
/// [`Error::Usage`] for an unknown runner, a path that is not one of his tactic fields, or a bad
/// range; as [`Scenario::with_param`] and [`Scenario::build`] otherwise.
pub fn optimize(base: &Scenario, cfg: &OptimizeConfig, cache: &FitCache) -> Result<OptimizeResult> {
    if !base.runners.iter().any(|r| r.name == cfg.runner) {
        return Err(Error::Usage(format!(
            "--runner `{}`: no such runner (runners: {})",
            cfg.runner,
            base.runners
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if cfg.params.is_empty() || cfg.params.len() > 2 {
        return Err(Error::Usage(format!(
            "optimize searches one or two parameters (got {}): --param 'runner.\"{}\".kick_m=150..450:25'",
            cfg.params.len(),
            cfg.runner
        )));
    }
    let mut fields = Vec::new();
    for p in &cfg.params {
        let ok =
            runner_path(&p.path).filter(|(n, f)| n == &cfg.runner && tactic_param(f).is_some());
        let Some((_, field)) = ok else {
            return Err(Error::Usage(format!(
                "--param `{}`: optimize searches {}'s tactic, so the path must be \
                 runner.\"{}\".FIELD with FIELD one of {} (use `racesim sweep` for anything else)",
                p.path,
                cfg.runner,
                cfg.runner,
                tactic_fields()
            )));
        };
        fields.push(field);
    }
    // the current setting
    let built0 = base.build(cache)?;
    let missing = |what: &str| Error::Internal(format!("optimize: {what} for `{}`", cfg.runner));
    let ri = built0
        .setup
        .runner_index(&cfg.runner)
        .ok_or_else(|| missing("no runner"))?;
    let lap_m = built0.setup.track.lap_m;
    let current: Vec<f64> = fields
        .iter()
        .map(|f| {
            let v = tactic_param(f)
                .and_then(|p| p.tactic_value(&built0.setup.runners[ri].tactic, lap_m))
                .unwrap_or(f64::NAN);
            (v * 1e6).round() / 1e6
        })
        .collect();

    // ---- 1. coarse grid ----
    let dims = cfg.params.len();
    let steps: Vec<f64> = cfg
        .params
        .iter()
        .map(|p| {
            p.step
                .unwrap_or((p.to - p.from) / DEFAULT_INTERVALS[dims - 1] as f64)
        })
        .collect();
    let axes: Vec<Vec<f64>> = cfg
        .params
        .iter()
        .zip(&steps)
        .map(|(p, &h)| {
            if p.is_single() {
                vec![p.from]
            } else {
                p.values_with_step(h)
            }
        })
        .collect();
    let grid = Grid::new(cfg.params.clone(), axes.clone())?;
    let scen = grid.scenarios(base)?;
    let built = build_all(&scen, cache)?;
    let coarse_runs = ((cfg.runs as f64 * COARSE_SHARE) as u64).max(MIN_COARSE_RUNS);
    let opts1 = RunOptions {
        runs: coarse_runs,
        seed: cfg.seed,
        threads: cfg.threads,
        progress: cfg.progress,
    };
    let focus = CrnConfig {
        focus: vec![cfg.runner.clone()],
        pairs: Pairs::None,
        independent: false,
    };
    let setups: Vec<_> = built.iter().map(|b| &b.setup).collect();
    let r1 = run_crn(&setups, &focus, &opts1)?;
    let stats1: Vec<&RunnerStats> = (0..grid.points.len())
        .map(|k| {
            r1.runner_stats(k, &cfg.runner)
                .ok_or_else(|| missing("no statistics at a grid point"))
        })
        .collect::<Result<_>>()?;
    let coarse: Vec<Point> = grid
        .points
        .iter()
        .zip(&stats1)
        .map(|(pt, s)| point(pt.clone(), s, cfg.objective, &current))
        .collect();

    // ---- 2. smoothing: where to refine ----
    let scores: Vec<f64> = stats1.iter().map(|s| cfg.objective.score(s)).collect();
    let dim_lens: Vec<usize> = axes.iter().map(Vec::len).collect();
    let centre_k = argmax(&smooth(&scores, &dim_lens));
    let centre = grid.points[centre_k].clone();
    let raw_best = grid.points[argmax(&scores)].clone();

    // ---- 3. refinement on fresh random numbers ----
    let fine_step: Vec<f64> = steps
        .iter()
        .zip(&fields)
        .map(|(&h, f)| {
            let s = if dims == 1 { h / 4.0 } else { h / 2.0 };
            if f == "max_place" {
                s.max(1.0).round()
            } else {
                s
            }
        })
        .collect();
    let fine_axes: Vec<Vec<f64>> = (0..dims)
        .map(|d| {
            let p = &cfg.params[d];
            if p.is_single() {
                return vec![p.from];
            }
            let (h, s) = (steps[d], fine_step[d]);
            let mut v: Vec<f64> = Vec::new();
            let n = (h / s).round() as i64;
            for k in -n..=n {
                let x = centre[d] + k as f64 * s;
                let x = if fields[d] == "max_place" {
                    x.round()
                } else {
                    x
                };
                let x = (x * 1e9).round() / 1e9;
                if x >= p.from - 1e-9 && x <= p.to + 1e-9 && !v.contains(&x) {
                    v.push(x);
                }
            }
            v
        })
        .collect();
    let mut fine_pts: Vec<Vec<f64>> = Grid::new(cfg.params.clone(), fine_axes)?.points;
    for extra in [raw_best, current.clone()] {
        if extra.iter().all(|x| x.is_finite()) && !fine_pts.contains(&extra) {
            fine_pts.push(extra);
        }
    }
    let scen2: Vec<Scenario> = fine_pts
        .iter()
        .map(|pt| {
            let mut sc = base.clone();
            for (p, &v) in cfg.params.iter().zip(pt) {
                sc = sc.with_param(&p.path, v)?;
            }
            Ok(sc)
        })
        .collect::<Result<_>>()?;
    let built2 = build_all(&scen2, cache)?;
    let fine_seed = rng::mix64(cfg.seed ^ 0x0b71_5eed_f12e_0002);
    let opts2 = RunOptions {
        runs: cfg.runs,
        seed: fine_seed,
        threads: cfg.threads,
        progress: cfg.progress,
    };
    let setups2: Vec<_> = built2.iter().map(|b| &b.setup).collect();
    let r2 = run_crn(
        &setups2,
        &CrnConfig {
            pairs: Pairs::All,
            ..focus
        },
        &opts2,
    )?;
    let stats2: Vec<&RunnerStats> = (0..fine_pts.len())
        .map(|k| {
            r2.runner_stats(k, &cfg.runner)
                .ok_or_else(|| missing("no statistics at a fine point"))
        })
        .collect::<Result<_>>()?;
    let scores2: Vec<f64> = stats2.iter().map(|s| cfg.objective.score(s)).collect();
    let best = argmax(&scores2);
    let mut fine: Vec<Point> = fine_pts
        .iter()
        .zip(&stats2)
        .map(|(pt, s)| point(pt.clone(), s, cfg.objective, &current))
        .collect();

    // ---- 4. paired verdict ----
    let mut plateau = vec![best];
    let mut no_effect = true;
    for (k, p) in fine.iter_mut().enumerate() {
        if k == best {
            continue;
        }
        let d = r2
            .diff(best, k, &cfg.runner)
            .ok_or_else(|| missing("a pair not kept"))?;
        no_effect &= d.identical();
        let g = cfg.objective.gain(&d);
        if !g.excludes_zero() {
            plateau.push(k);
        }
        p.best_gain = Some(g);
    }
    plateau.sort_by(|&a, &b| {
        (fine_pts[a].iter().zip(&fine_pts[b]))
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(fine_pts[a].len().cmp(&fine_pts[b].len()))
    });
    let runner_up = (0..fine.len())
        .filter(|&k| k != best)
        .max_by(|&a, &b| scores2[a].total_cmp(&scores2[b]));
    let pair = |k: usize| {
        r2.diff(best, k, &cfg.runner)
            .ok_or_else(|| missing("a pair not kept"))
    };
    let best_vs_runner_up = runner_up
        .map(|k| pair(k).map(|d| cfg.objective.gain(&d)))
        .transpose()?;
    let current_k = fine_pts.iter().position(|p| *p == current);
    let best_vs_current = current_k.filter(|&k| k != best).map(pair).transpose()?;
    Ok(OptimizeResult {
        runner: cfg.runner.clone(),
        objective: cfg.objective,
        params: cfg.params.clone(),
        current_values: current,
        coarse_runs,
        coarse_seed: cfg.seed,
        coarse_axes: axes,
        coarse,
        centre,
        fine_runs: cfg.runs,
        fine_seed,
        fine_step,
        fine,
        best,
        runner_up,
        best_vs_runner_up,
        current: current_k,
        best_vs_current,
        plateau,
        no_effect: no_effect && fine_pts.len() > 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_is_1_2_1_with_renormalised_edges() {
        let v = smooth(&[0.0, 4.0, 0.0, 0.0], &[4]);
        assert_eq!(v, vec![4.0 / 3.0, 2.0, 1.0, 0.0]);
        // a single spike next to a broad hump: the hump wins after smoothing
        let v = [0.10, 0.10, 0.30, 0.10, 0.22, 0.24, 0.22];
        assert_eq!(argmax(&v), 2);
        assert_eq!(argmax(&smooth(&v, &[7])), 5);
        // two dimensions, first axis fastest
        let g = smooth(&[0.0, 0.0, 0.0, 0.0, 8.0, 0.0, 0.0, 0.0, 0.0], &[3, 3]);
        assert_eq!(g[4], 2.0);
        assert_eq!(g[0], 8.0 / 9.0);
    }

    #[test]
    fn runner_paths() {
        assert_eq!(
            runner_path("runner.\"Josh Kerr\".kick_m"),
            Some(("Josh Kerr".into(), "kick_m".into()))
        );
        assert_eq!(
            runner_path("runner.Kerr.max_place"),
            Some(("Kerr".into(), "max_place".into()))
        );
        assert_eq!(runner_path("pacer.1.lap"), None);
    }
}
