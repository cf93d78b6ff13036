//! Parameter sweeps (`racesim sweep`): one or two numeric scenario fields over a grid, every grid
//! point run on common random numbers ([`crate::montecarlo::crn::run_crn`]).
//!
//! A range is written `PATH=FROM..TO:STEP`, e.g. `runner."Josh Kerr".kick_m=150..450:25`; the path
//! is any numeric field [`Scenario::with_param`] accepts. Ranges are checked before anything runs:
//! FROM ≤ TO, STEP > 0, a whole number of steps, at most [`MAX_GRID_POINTS`] points in all.

use serde::Serialize;

use crate::engine::race::RaceSetup;
use crate::error::{Error, Result};
use crate::field::{Field, FitCache};
use crate::input::params::split_assignment;
use crate::input::scenario::Scenario;
use crate::montecarlo::RunOptions;
use crate::montecarlo::crn::{CrnConfig, CrnResult, Pairs, RunnerStats, run_crn};
use crate::stats::Estimate;

/// Most grid points a sweep may have (all parameters together). At 10 000 races a point, 200
/// points is two million races: about half an hour on two cores for a 12-runner 1500 m.
pub const MAX_GRID_POINTS: usize = 200;
/// Most parameters swept at once (a line or a heatmap).
pub const MAX_PARAMS: usize = 2;

/// A parameter and the values to give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamRange {
    /// The field, e.g. `runner."Josh Kerr".kick_m`.
    pub path: String,
    /// The first value.
    pub from: f64,
    /// The last value.
    pub to: f64,
    /// None: not given (optimize chooses one; a sweep needs it unless FROM = TO).
    pub step: Option<f64>,
}

fn usage(spec: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!(
        "--param `{spec}`: {why} (expected PATH=FROM..TO:STEP, e.g. \
         runner.\"Josh Kerr\".kick_m=150..450:25; values are numbers, times in seconds)"
    ))
}

/// Round away the binary noise of `from + k·step` (0.30000000000000004 → 0.3).
fn tidy(x: f64) -> f64 {
    let r = (x * 1e9).round() / 1e9;
    if r == 0.0 { 0.0 } else { r }
}

impl ParamRange {
    /// Parse `PATH=FROM..TO:STEP` (or `PATH=FROM..TO`, or `PATH=VALUE` for a single value).
    ///
    /// # Errors
    /// [`Error::Usage`] naming the spec: no `=`, an empty path, a value that is not a number,
    /// FROM above TO, a step that is not positive, or a range that is not a whole number of
    /// steps.
    pub fn parse(spec: &str) -> Result<ParamRange> {
        let (path, range) = split_assignment(spec).ok_or_else(|| usage(spec, "no `=`"))?;
        if path.is_empty() {
            return Err(usage(spec, "the parameter path is empty"));
        }
        if range.is_empty() {
            return Err(usage(spec, "no range after `=`"));
        }
        let num = |s: &str, what: &str| -> Result<f64> {
            let t = s.trim();
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| usage(spec, format!("{what} `{t}` is not a number")))
        };
        let (from, to, step) = match range.split_once("..") {
            None => {
                if range.contains(':') {
                    return Err(usage(spec, format!("`{range}` has a step but no `..`")));
                }
                let v = num(&range, "the value")?;
                (v, v, None)
            }
            Some((a, rest)) => {
                let (b, st) = match rest.split_once(':') {
                    Some((b, st)) => (b, Some(st)),
                    None => (rest, None),
                };
                let from = num(a, "FROM")?;
                let to = num(b, "TO")?;
                let step = st.map(|s| num(s, "STEP")).transpose()?;
                (from, to, step)
            }
        };
        if from > to {
            return Err(usage(
                spec,
                format!("FROM {from} is above TO {to}: write the range upwards ({to}..{from})"),
            ));
        }
        if let Some(s) = step {
            if s <= 0.0 {
                return Err(usage(spec, format!("the step {s} must be positive")));
            }
            let k = (to - from) / s;
            if (k - k.round()).abs() > 1e-6 * k.max(1.0) {
                let lower = tidy(from + k.floor() * s);
                return Err(usage(
                    spec,
                    format!(
                        "{from}..{to} is not a whole number of steps of {s} ({k:.2} steps); \
                         end at {lower} or choose another step"
                    ),
                ));
            }
            if k.round() + 1.0 > MAX_GRID_POINTS as f64 {
                return Err(usage(
                    spec,
                    format!(
                        "{} values, more than the {MAX_GRID_POINTS} a sweep may have: use a larger step",
                        k.round() + 1.0
                    ),
                ));
            }
        }
        Ok(ParamRange {
            path,
            from,
            to,
            step,
        })
    }

    /// Whether the range is a single value.
    pub fn is_single(&self) -> bool {
        self.from == self.to
    }

    /// The values FROM, FROM + STEP, …, TO.
    ///
    /// # Errors
    /// [`Error::Usage`] if no step was given and FROM ≠ TO.
    pub fn values(&self) -> Result<Vec<f64>> {
        if self.is_single() {
            return Ok(vec![self.from]);
        }
        let step = self.step.ok_or_else(|| {
            Error::Usage(format!(
                "--param `{}={}..{}`: give a step, e.g. `{}={}..{}:{}`",
                self.path,
                self.from,
                self.to,
                self.path,
                self.from,
                self.to,
                tidy((self.to - self.from) / 10.0)
            ))
        })?;
        Ok(self.values_with_step(step))
    }

    /// FROM, FROM + step, … up to TO (TO included when a whole number of steps away).
    pub fn values_with_step(&self, step: f64) -> Vec<f64> {
        let k = ((self.to - self.from) / step + 1e-6).floor() as usize;
        (0..=k).map(|i| tidy(self.from + i as f64 * step)).collect()
    }
}

/// Grid of one or two parameters; points ordered with the first parameter varying fastest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    /// The parameters, first varying fastest.
    pub params: Vec<ParamRange>,
    /// The values of each parameter.
    pub axes: Vec<Vec<f64>>,
    /// Each point: one value per parameter.
    pub points: Vec<Vec<f64>>,
}

impl Grid {
    /// The full grid of the given axes.
    ///
    /// # Errors
    /// [`Error::Usage`] for no parameter, more than [`MAX_PARAMS`], the same path twice, or more
    /// than [`MAX_GRID_POINTS`] points.
    pub fn new(params: Vec<ParamRange>, axes: Vec<Vec<f64>>) -> Result<Grid> {
        if params.is_empty() {
            return Err(Error::Usage(
                "give a parameter to sweep: --param PATH=FROM..TO:STEP".into(),
            ));
        }
        if params.len() > MAX_PARAMS {
            return Err(Error::Usage(format!(
                "at most {MAX_PARAMS} parameters at once (got {}): a line or a heatmap",
                params.len()
            )));
        }
        if let Some(p) = params.iter().find(|p| p.path == "race.seed") {
            return Err(Error::Usage(format!(
                "--param `{}`: every grid point runs on the same seed (common random numbers), \
                 so the seed cannot be swept; use --seed to run the whole sweep on another one",
                p.path
            )));
        }
        if params.len() == 2 && params[0].path == params[1].path {
            return Err(Error::Usage(format!(
                "--param `{}` is given twice",
                params[0].path
            )));
        }
        let total: usize = axes.iter().map(Vec::len).product();
        if total > MAX_GRID_POINTS {
            return Err(Error::Usage(format!(
                "{} grid points ({}), more than the {MAX_GRID_POINTS} a sweep may have: use larger steps",
                total,
                axes.iter()
                    .map(|a| a.len().to_string())
                    .collect::<Vec<_>>()
                    .join(" × ")
            )));
        }
        let mut points = vec![Vec::new()];
        for axis in &axes {
            let mut next = Vec::with_capacity(points.len() * axis.len());
            // later axes vary slower: prepend-major order
            for &v in axis {
                for p in &points {
                    let mut q: Vec<f64> = p.clone();
                    q.push(v);
                    next.push(q);
                }
            }
            points = next;
        }
        Ok(Grid {
            params,
            axes,
            points,
        })
    }

    /// A grid from ranges that all have steps (or single values).
    ///
    /// # Errors
    /// As [`ParamRange::values`] and [`Grid::new`].
    pub fn from_ranges(params: Vec<ParamRange>) -> Result<Grid> {
        let axes = params
            .iter()
            .map(ParamRange::values)
            .collect::<Result<Vec<_>>>()?;
        Grid::new(params, axes)
    }

    /// The scenario of every grid point.
    ///
    /// Each path is first tried alone on FROM, so that a bad path is reported once, naming it
    /// and listing the paths that exist.
    ///
    /// # Errors
    /// [`Error::Usage`] for a path that does not exist; [`Error::Input`] for a value the scenario
    /// rejects (naming the path and value).
    pub fn scenarios(&self, base: &Scenario) -> Result<Vec<Scenario>> {
        for (p, axis) in self.params.iter().zip(&self.axes) {
            base.with_param(&p.path, axis[0])?;
        }
        self.points
            .iter()
            .map(|pt| {
                let mut sc = base.clone();
                for (p, &v) in self.params.iter().zip(pt) {
                    sc = sc.with_param(&p.path, v)?;
                }
                Ok(sc)
            })
            .collect()
    }
}

/// What to plot and tabulate of each grid point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Win probability [%].
    Win,
    /// Podium probability [%].
    Podium,
    /// Median finish time [s].
    Median,
    /// Mean finishing place.
    MeanPlace,
}

impl Metric {
    /// The metric of one runner at one grid point, with its 95 % interval (percent for
    /// probabilities).
    pub fn of(self, s: &RunnerStats) -> Estimate {
        match self {
            Metric::Win => s.win_est().scaled(100.0),
            Metric::Podium => s.podium_est().scaled(100.0),
            Metric::Median => s.median(),
            Metric::MeanPlace => s.mean_place(),
        }
    }

    /// Label for axes and tables.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Win => "win %",
            Metric::Podium => "podium %",
            Metric::Median => "median time",
            Metric::MeanPlace => "mean place",
        }
    }

    /// Whether larger is better for the runner.
    pub fn higher_is_better(self) -> bool {
        matches!(self, Metric::Win | Metric::Podium)
    }

    /// Whether the metric is a time (charts print it as m:ss).
    pub fn is_time(self) -> bool {
        self == Metric::Median
    }
}

/// A metric name that is not one of win, podium, median, mean-place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown metric `{0}` (win, podium, median, mean-place)")]
pub struct UnknownMetric(pub String);

impl std::str::FromStr for Metric {
    type Err = UnknownMetric;
    fn from_str(s: &str) -> std::result::Result<Metric, UnknownMetric> {
        match s {
            "win" => Ok(Metric::Win),
            "podium" => Ok(Metric::Podium),
            "median" => Ok(Metric::Median),
            "mean-place" => Ok(Metric::MeanPlace),
            _ => Err(UnknownMetric(s.to_string())),
        }
    }
}

/// A sweep that has run.
#[derive(Debug, Clone)]
pub struct SweepResult {
    /// The grid.
    pub grid: Grid,
    /// Every grid point's results (setup `k` is grid point `k`).
    pub crn: CrnResult,
    /// The runners to chart and tabulate.
    pub focus: Vec<String>,
    /// The runners whose own field is swept (their best point is reported).
    pub own: Vec<String>,
}

/// The runners a parameter path names (`runner."NAME".field`).
pub fn runners_in_paths(params: &[ParamRange], sc: &Scenario) -> Vec<String> {
    let mut v = Vec::new();
    for p in params {
        if let Some(rest) = p.path.strip_prefix("runner.") {
            if let Some((name, _)) = rest.rsplit_once('.') {
                let name = name.trim_matches('"').to_string();
                if sc.runners.iter().any(|r| r.name == name) && !v.contains(&name) {
                    v.push(name);
                }
            }
        }
    }
    v
}

/// A sweep ready to run: every grid point built, and the runners to report.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The grid.
    pub grid: Grid,
    /// Each grid point's race.
    pub fields: Vec<Field>,
    /// The runners to chart and tabulate: `runners`, else those the paths name, else everyone.
    pub focus: Vec<String>,
    /// The runners the paths name.
    pub own: Vec<String>,
    /// The grid points' notes for the reader ([`super::notes_of`]), to print as `run` does.
    pub notes: Vec<String>,
}

/// Check the ranges, then build every grid point of `sc` (sharing `cache`).
///
/// # Errors
/// [`Error::Usage`] for a bad range, an unknown runner or path; [`Error::Input`] for a value the
/// scenario rejects.
pub fn prepare(
    sc: &Scenario,
    ranges: Vec<ParamRange>,
    runners: &[String],
    cache: &FitCache,
) -> Result<Prepared> {
    let grid = Grid::from_ranges(ranges)?;
    sc.check_runners(runners)?;
    let scenarios = grid.scenarios(sc)?;
    let fields = super::build_all(&scenarios, cache)?;
    let own = runners_in_paths(&grid.params, sc);
    let focus = if !runners.is_empty() {
        runners.to_vec()
    } else if own.is_empty() {
        sc.runners.iter().map(|r| r.name.clone()).collect()
    } else {
        own.clone()
    };
    let labels: Vec<String> = grid
        .points
        .iter()
        .map(|pt| {
            let at: Vec<String> = grid
                .params
                .iter()
                .zip(pt)
                .map(|(p, v)| {
                    format!(
                        "{} = {}",
                        p.path,
                        crate::input::params::fmt_value(&p.path, *v)
                    )
                })
                .collect();
            format!("at {}", at.join(", "))
        })
        .collect();
    let notes = super::notes_of(&labels, &scenarios, &fields);
    Ok(Prepared {
        grid,
        fields,
        focus,
        own,
        notes,
    })
}

/// Run every grid point on common random numbers.
///
/// # Errors
/// As [`run_crn`].
pub fn run(prepared: Prepared, opts: &RunOptions) -> Result<SweepResult> {
    let setups: Vec<&RaceSetup> = prepared.fields.iter().map(|b| &b.setup).collect();
    let cfg = CrnConfig {
        focus: Vec::new(),
        pairs: Pairs::None,
        independent: false,
    };
    let crn = run_crn(&setups, &cfg, opts)?;
    Ok(SweepResult {
        grid: prepared.grid,
        crn,
        focus: prepared.focus,
        own: prepared.own,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        ParamRange::parse(s).unwrap_err().to_string()
    }

    #[test]
    fn ranges_parse() {
        let r = ParamRange::parse("runner.\"Josh Kerr\".kick_m=150..450:25").unwrap();
        assert_eq!(r.path, "runner.\"Josh Kerr\".kick_m");
        assert_eq!((r.from, r.to, r.step), (150.0, 450.0, Some(25.0)));
        let v = r.values().unwrap();
        assert_eq!(v.len(), 13);
        assert_eq!(v[0], 150.0);
        assert_eq!(*v.last().unwrap(), 450.0);
        let r = ParamRange::parse("model.draft_scale=0..1:0.1").unwrap();
        let v = r.values().unwrap();
        assert_eq!(v.len(), 11);
        assert_eq!(v[3], 0.3, "binary noise must be tidied");
        assert_eq!(v[10], 1.0);
        let r = ParamRange::parse("pacer.1.drop_out_m = 1000").unwrap();
        assert_eq!(r.values().unwrap(), vec![1000.0]);
        let r = ParamRange::parse("pacer.1.lap=-1..1:0.5").unwrap();
        assert_eq!(r.values().unwrap(), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        // no step: fine to parse (optimize picks one), not for a sweep
        let r = ParamRange::parse("runner.A.kick_m=150..450").unwrap();
        assert_eq!(r.step, None);
        assert!(r.values().unwrap_err().to_string().contains("give a step"));
    }

    #[test]
    fn bad_ranges_are_rejected_with_the_reason() {
        assert!(err("runner.A.kick_m=300..150:25").contains("above TO"));
        assert!(err("runner.A.kick_m=0..1:0").contains("must be positive"));
        assert!(err("runner.A.kick_m=0..1:-0.5").contains("must be positive"));
        assert!(err("runner.A.kick_m=abc..300:25").contains("`abc` is not a number"));
        assert!(err("runner.A.kick_m=150..x:25").contains("`x` is not a number"));
        assert!(err("runner.A.kick_m=150..300:y").contains("`y` is not a number"));
        assert!(err("runner.A.kick_m=150..NaN:25").contains("not a number"));
        assert!(err("runner.A.kick_m").contains("no `=`"));
        assert!(err("=1..2:1").contains("path is empty"));
        assert!(err("runner.A.kick_m=").contains("no range"));
        assert!(err("runner.A.kick_m=150..450:40").contains("not a whole number of steps"));
        assert!(err("runner.A.kick_m=0..1000:1").contains("more than the 200"));
        assert!(err("runner.A.kick_m=150:25").contains("no `..`"));
        // every message names the spec
        assert!(err("runner.A.kick_m=300..150:25").contains("runner.A.kick_m=300..150:25"));
    }

    #[test]
    fn grids_are_capped_and_ordered() {
        let a = ParamRange::parse("runner.A.kick_m=100..300:100").unwrap();
        let b = ParamRange::parse("runner.A.drive_m=500..600:100").unwrap();
        let g = Grid::from_ranges(vec![a.clone(), b]).unwrap();
        assert_eq!(
            g.points,
            vec![
                vec![100.0, 500.0],
                vec![200.0, 500.0],
                vec![300.0, 500.0],
                vec![100.0, 600.0],
                vec![200.0, 600.0],
                vec![300.0, 600.0]
            ]
        );
        let big1 = ParamRange::parse("runner.A.kick_m=0..150:1").unwrap();
        let big2 = ParamRange::parse("runner.A.drive_m=0..2:1").unwrap();
        let e = Grid::from_ranges(vec![big1, big2]).unwrap_err().to_string();
        assert!(e.contains("453 grid points (151 × 3)"), "{e}");
        let e = Grid::from_ranges(vec![a.clone(), a.clone()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("given twice"), "{e}");
        let e = Grid::from_ranges(vec![a.clone(), a.clone(), a])
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 2"), "{e}");
        assert!(Grid::from_ranges(vec![]).is_err());
        let seed = ParamRange::parse("race.seed=1..3:1").unwrap();
        let e = Grid::from_ranges(vec![seed]).unwrap_err().to_string();
        assert!(e.contains("cannot be swept"), "{e}");
    }
}
