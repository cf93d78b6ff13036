//! A simulation beside what really happened (`racesim run --compare-with RACE.json`).
//!
//! Runners are matched to the record's athletes by name (case and spacing ignored). For each
//! matched runner the table gives his actual place and time beside his simulated median and the
//! percentile of the actual time in his simulated distribution (the share of simulated races he
//! ran faster than he really did); for each leader split, the actual time beside the simulated
//! leader's quantiles at the same point. The run records splits at the record's split points
//! for this (`study::run::extra_split_points`), so no interpolation is needed.

use std::fmt::Write;

use crate::base::units::fmt_time;
use crate::engine::race::RaceSetup;
use crate::montecarlo::Accumulator;
use crate::report::format::fmt_m;
use crate::report::realrace::{RealRace, RealSeries};
use crate::report::summary::Summary;
use crate::stats::Quantiles;

/// Matched runner: actual beside simulated.
#[derive(Debug, Clone, PartialEq)]
pub struct RunnerVs {
    /// The simulated runner's name.
    pub name: String,
    /// Index in the summary's runners.
    pub sim_index: usize,
    /// His actual place.
    pub actual_place: Option<u32>,
    /// His actual time [s].
    pub actual_s: Option<f64>,
    /// DNF / DNS / DQ.
    pub status: Option<String>,
    /// His simulated finish-time quantiles [s].
    pub sim: Quantiles,
    /// His simulated mean place.
    pub sim_mean_place: f64,
    /// Share of simulated races faster than the actual time (0–1).
    pub percentile: Option<f64>,
}

/// One leader split: actual beside the simulated leader (pacers included in both).
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderVs {
    /// Where [m from the start].
    pub at_m: f64,
    /// The actual leader's time [s].
    pub actual_s: f64,
    /// A derived split.
    pub derived: bool,
    /// The simulated leader's quantiles there [s].
    pub sim: Option<Quantiles>,
    /// Share of simulated races whose leader was faster.
    pub percentile: Option<f64>,
}

/// The comparison of a run with a real race.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The real race.
    pub real: RealRace,
    /// Matched runners.
    pub runners: Vec<RunnerVs>,
    /// The leader's splits.
    pub leader: Vec<LeaderVs>,
    /// Athletes with splits matched to simulated runners: (runner index, series).
    pub athlete_matches: Vec<(usize, RealSeries)>,
    /// Record finishers not in the simulation, and simulated runners not in the record.
    pub not_simulated: Vec<String>,
    /// Simulated runners not in the record.
    pub not_in_record: Vec<String>,
    /// Things the reader should know (track differs ...).
    pub notes: Vec<String>,
}

/// Names compared without case and extra spaces.
fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Comparison {
    /// Compare `real` with a run (`setup` must record splits at the record's split points,
    /// `study::run::extra_split_points`).
    pub fn new(
        real: RealRace,
        notes: Vec<String>,
        summary: &Summary,
        setup: &RaceSetup,
        acc: &Accumulator,
    ) -> Comparison {
        let sim_index = |name: &str| {
            let k = key(name);
            summary.runners.iter().position(|r| key(&r.name) == k)
        };
        let mut runners = Vec::new();
        let mut not_simulated = Vec::new();
        for f in &real.results {
            match sim_index(&f.name) {
                Some(i) => {
                    let r = &summary.runners[i];
                    let actual_s = f.time_s.filter(|_| f.status.is_none());
                    runners.push(RunnerVs {
                        name: r.name.clone(),
                        sim_index: i,
                        actual_place: f.place.filter(|_| f.status.is_none()),
                        actual_s,
                        status: f.status.clone(),
                        sim: r.time_q,
                        sim_mean_place: r.mean_place,
                        percentile: actual_s.and_then(|t| acc.runners[i].finish.cdf(t)),
                    });
                }
                None => not_simulated.push(f.name.clone()),
            }
        }
        let not_in_record = summary
            .runners
            .iter()
            .filter(|r| !real.results.iter().any(|f| key(&f.name) == key(&r.name)))
            .map(|r| r.name.clone())
            .collect();
        let leader = real
            .leader
            .iter()
            .flat_map(|l| &l.points)
            .map(|p| {
                let k = setup.split_index(p.at_m);
                LeaderVs {
                    at_m: p.at_m,
                    actual_s: p.time_s,
                    derived: p.derived,
                    sim: k.and_then(|k| acc.leader_splits[k].quantiles()),
                    percentile: k.and_then(|k| acc.leader_splits[k].cdf(p.time_s)),
                }
            })
            .collect();
        let athlete_matches = real
            .drawn_athletes()
            .into_iter()
            .filter_map(|a| sim_index(&a.name).map(|i| (i, a.clone())))
            .collect();
        Comparison {
            real,
            runners,
            leader,
            athlete_matches,
            not_simulated,
            not_in_record,
            notes,
        }
    }

    /// The terminal table "real vs simulated".
    pub fn render_text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "Real vs simulated: {} ({}, {})",
            self.real.event, self.real.venue, self.real.date
        );
        for n in &self.notes {
            let _ = writeln!(o, "Note: {n}");
        }
        if !self.runners.is_empty() {
            let w = self
                .runners
                .iter()
                .map(|r| r.name.chars().count())
                .max()
                .unwrap_or(6)
                .max(6);
            let _ = writeln!(
                o,
                "{:w$}  {:>6}  {:>8}  {:>8}  {:>19}  {:>10}  {:>10}",
                "runner",
                "place",
                "actual",
                "sim med",
                "sim 10–90 %",
                "sim place",
                "percentile",
                w = w
            );
            for r in &self.runners {
                let pad = w - r.name.chars().count();
                let _ = writeln!(
                    o,
                    "{}{}  {:>6}  {:>8}  {:>8}  {:>19}  {:>10.1}  {:>10}",
                    r.name,
                    " ".repeat(pad),
                    place_text(r),
                    r.actual_s.map(fmt_time).unwrap_or_else(|| "-".into()),
                    fmt_time(r.sim.p50),
                    format!("{}–{}", fmt_time(r.sim.p10), fmt_time(r.sim.p90)),
                    r.sim_mean_place,
                    pct_text(r.percentile),
                );
            }
            let _ = writeln!(
                o,
                "percentile: share of the runner's simulated races faster than the actual time."
            );
        }
        if !self.leader.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "{:>10}  {:>8}  {:>8}  {:>19}  {:>10}",
                "leader at", "actual", "sim med", "sim 10–90 %", "percentile"
            );
            for l in &self.leader {
                let (med, band) = match &l.sim {
                    Some(q) => (
                        fmt_time(q.p50),
                        format!("{}–{}", fmt_time(q.p10), fmt_time(q.p90)),
                    ),
                    None => ("-".into(), "-".into()),
                };
                let _ = writeln!(
                    o,
                    "{:>8} m  {:>8}  {:>8}  {:>19}  {:>10}",
                    fmt_m(l.at_m),
                    format!(
                        "{}{}",
                        fmt_time(l.actual_s),
                        if l.derived { "*" } else { "" }
                    ),
                    med,
                    band,
                    pct_text(l.percentile)
                );
            }
        }
        if !self.not_simulated.is_empty() {
            let _ = writeln!(
                o,
                "In the race, not simulated: {}",
                self.not_simulated.join(", ")
            );
        }
        if !self.not_in_record.is_empty() {
            let _ = writeln!(
                o,
                "Simulated, not in the race: {}",
                self.not_in_record.join(", ")
            );
        }
        o
    }
}

/// "3", "DNF", "-".
pub(crate) fn place_text(r: &RunnerVs) -> String {
    match (&r.status, r.actual_place) {
        (Some(s), _) => s.clone(),
        (None, Some(p)) => p.to_string(),
        (None, None) => "-".into(),
    }
}

/// "37 %", "< 1 %", "-".
pub(crate) fn pct_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.005 => "< 1 %".into(),
        Some(p) if p > 0.995 => "> 99 %".into(),
        Some(p) => format!("{:.0} %", 100.0 * p),
        None => "-".into(),
    }
}
