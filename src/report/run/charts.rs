//! The charts of a run: chart inputs built from a [`Summary`], the Monte Carlo [`Accumulator`]
//! and one traced race, rendered in memory (so they can be queued in an
//! [`OutputSet`](crate::report::OutputSet) and inlined in `report.html`).
//!
//! Charts written by `racesim run --out DIR` (each as `.png` and `.svg`):
//!
//! | stem | what |
//! |---|---|
//! | `splits` | 400 m times (the laps outdoors, two laps on a 200 m track): median per runner, 10–90 % bars side by side for the top four, the pacers' plan, a real race's splits with `--compare-with` |
//! | `splits-200m` | the same for 200 m segments |
//! | `finish` | finish-time distributions (ridgelines), sorted by median, win % beside each name |
//! | `progression-median` | median gap behind the leader against distance |
//! | `progression-sample` | gap behind the leader in one simulated race (race 0 of the run's seed) |
//! | `probabilities` | P(win) and P(podium) with 95 % intervals |
//! | `gaps` | the k-th finisher's time behind the winner, bands per place, the real race's gaps with `--compare-with` |
//!
//! A race with a single runner (a time trial) gets the first three only.
//!
//! Segment times are shown per standard segment length: a shorter first segment (the first
//! 300 m of a 1500 m) is scaled to the same length, so every point reads as a pace; segments
//! shorter than half the standard length (the 9.34 m before the first lap line of a mile) are
//! left out.

use crate::base::params::Regime;
use crate::base::units::fmt_time;
use crate::engine::race::RaceSetup;
use crate::montecarlo::{self, Accumulator};
use crate::plot::{
    self, BandPoint, FinishDistData, FinishRow, GapBand, GapChartData, PlotError, ProbRow,
    ProbabilityData, ProgressionData, RefSeries, RefStyle, RunnerBands, SplitChartData,
};
use crate::report::chart::{Rendered, gap_cap};
use crate::report::format::{fmt_m, surname, thousands};
use crate::report::realrace::{self, RealSeries};
use crate::report::summary::{RunnerSummary, SegmentQ, Summary};
use crate::report::versus::Comparison;

/// Sampling interval of the traced race [s].
pub const SAMPLE_EVERY_S: f64 = 0.5;
/// Resolution of the sampled race's gap curves [m].
const SAMPLE_GRID_M: f64 = 10.0;

/// One simulated race, traced, reduced to what the progression chart needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleRace {
    /// The run's seed.
    pub seed: u64,
    /// The race's index.
    pub race: u64,
    /// Per runner: `(distance [m], seconds behind the first runner past that point)`.
    pub gaps: Vec<Vec<(f64, f64)>>,
    /// Finish times [s].
    pub finish_s: Vec<f64>,
    /// Places.
    pub place: Vec<u32>,
    /// Where each runner's kick began, metres from the finish (NaN: no kick).
    pub kick_from_m: Vec<f64>,
    /// The regime drawn.
    pub regime: Option<Regime>,
}

impl SampleRace {
    /// Run race `race` of `seed` with a trace every [`SAMPLE_EVERY_S`] and work out every
    /// runner's gap behind the leading runner (pacers excluded) every 10 m.
    pub fn trace(setup: &RaceSetup, seed: u64, race: u64) -> SampleRace {
        let (out, tr) = montecarlo::trace_race(setup, seed, race, SAMPLE_EVERY_S);
        let n_r = setup.runners.len();
        let dist = setup.distance_m;
        let mut grid: Vec<f64> = Vec::new();
        let mut x = SAMPLE_GRID_M;
        while x < dist - 0.5 {
            grid.push(x);
            x += SAMPLE_GRID_M;
        }
        // Passage times at the grid points (linear between frames), then the finish.
        let passage: Vec<Vec<f64>> = (0..n_r)
            .map(|i| {
                let s = &tr.s[i];
                let mut f = 1;
                let mut v: Vec<f64> = grid
                    .iter()
                    .map(|&x| {
                        while f < s.len() && (s[f] < x || s[f].is_nan()) {
                            f += 1;
                        }
                        if f >= s.len() || !s[f - 1].is_finite() {
                            return f64::NAN;
                        }
                        let (s0, s1) = (s[f - 1], s[f]);
                        let (t0, t1) = (tr.t[f - 1], tr.t[f]);
                        if s1 > s0 {
                            t0 + (t1 - t0) * (x - s0) / (s1 - s0)
                        } else {
                            t1
                        }
                    })
                    .collect();
                v.push(out.finish_s[i]);
                v
            })
            .collect();
        grid.push(dist);
        let gaps = (0..n_r)
            .map(|i| {
                grid.iter()
                    .enumerate()
                    .map(|(k, &x)| {
                        let lead = (0..n_r)
                            .map(|j| passage[j][k])
                            .filter(|t| t.is_finite())
                            .fold(f64::INFINITY, f64::min);
                        (x, passage[i][k] - lead)
                    })
                    .filter(|p| p.1.is_finite())
                    .collect()
            })
            .collect();
        SampleRace {
            seed,
            race,
            gaps,
            finish_s: out.finish_s.clone(),
            place: out.place.clone(),
            kick_from_m: out.kick_from_m.clone(),
            regime: out.regime,
        }
    }

    /// Index of the winner.
    pub fn winner(&self) -> Option<usize> {
        self.place.iter().position(|&p| p == 1)
    }
}

/// The standard segment of the main split chart [m].
pub const LAP_CHART_M: f64 = 400.0;

/// Whether a segment is drawn: at least half the standard length, and a first segment (from
/// the start line, where the standing start slows it) at least three quarters of it. The first
/// 300 m of a 1500 m is a lap segment; its first 100 m would only stretch the 200 m chart's axis.
fn drawn(s: &SegmentQ, len_m: f64) -> bool {
    let l = s.to_m - s.from_m;
    let min = if s.from_m < 0.01 { 0.75 } else { 0.5 };
    l >= min * len_m - 0.01
}

/// Band points of segment quantiles, as time per `len_m` (see the module docs).
fn band_points(segs: &[SegmentQ], len_m: f64) -> Vec<BandPoint> {
    segs.iter()
        .filter_map(|s| {
            let l = s.to_m - s.from_m;
            drawn(s, len_m).then(|| {
                let f = len_m / l;
                BandPoint {
                    x_m: s.to_m,
                    lo: s.q.p10 * f,
                    mid: s.q.p50 * f,
                    hi: s.q.p90 * f,
                }
            })
        })
        .collect()
}

/// Short description of scaled first segments, e.g. "first 300 m shown as 400 m pace".
fn scaled_note(segs: &[SegmentQ], len_m: f64) -> Option<String> {
    let s = segs.first()?;
    let l = s.to_m - s.from_m;
    if !drawn(s, len_m) {
        // a first stub left out; say so only when it is more than the 9 m before a mile's
        // first lap line
        return (l >= 0.25 * len_m).then(|| format!("first {} m left out", fmt_m(l)));
    }
    (l < len_m - 0.5).then(|| format!("first {} m shown as {} m pace", fmt_m(l), fmt_m(len_m)))
}

/// The pacers' (and pace lights') plans as reference series over the segments of `segs`.
fn plan_series(setup: &RaceSetup, segs: &[SegmentQ], len_m: f64) -> Vec<RefSeries> {
    let mut out = Vec::new();
    let pts = |sched: &crate::engine::pacing::Schedule, until_m: f64| -> Vec<(f64, f64)> {
        segs.iter()
            // up to the segment in which the plan ends (a pacer off at 800 m still sets
            // the pace of the lap to 819 m for most of it)
            .filter(|s| s.from_m < until_m - 0.5 && drawn(s, len_m))
            .map(|s| {
                let dt = sched.time_at(s.to_m) - sched.time_at(s.from_m);
                (s.to_m, dt * len_m / (s.to_m - s.from_m))
            })
            .collect()
    };
    // Every pacer's plan, to his own drop-out point, named: two pacers on one schedule are
    // two lines (the chart gives each its own dash pattern), so neither hides the other.
    for p in &setup.pacers {
        let points = pts(&p.schedule, p.drop_out_m);
        if !points.is_empty() {
            out.push(RefSeries {
                // short enough for the legend's width (a full name and "Pacer plan: … (off at
                // … m)" was cut at its edge): the surname says which pacer
                name: format!(
                    "Pacer plan: {}, off {} m",
                    crate::report::format::surname(&p.name),
                    fmt_m(p.drop_out_m)
                ),
                points,
                style: RefStyle::Plan,
                runner: None,
            });
        }
    }
    if let Some(w) = &setup.wavelight {
        let points = pts(w, setup.distance_m);
        if !points.is_empty() {
            out.push(RefSeries {
                name: "WaveLight plan".into(),
                points,
                style: RefStyle::Plan,
                runner: None,
            });
        }
    }
    out
}

/// A real race's series as references on a simulated split chart: the leader in black, each
/// matched athlete in his simulated colour.
fn real_refs(cmp: &Comparison, len_m: f64) -> realrace::RefBuild {
    let mut series: Vec<(&RealSeries, String, Option<usize>)> = Vec::new();
    if let Some(l) = &cmp.real.leader {
        series.push((l, format!("Leader, {} (actual)", cmp.real.short_name), None));
    }
    for (i, s) in &cmp.athlete_matches {
        series.push((s, format!("{} (actual)", s.name), Some(*i)));
    }
    realrace::ref_series(&series, cmp.real.distance_m, len_m)
}

/// Everything the run's charts are drawn from.
#[derive(Debug, Clone, Copy)]
pub struct RunCharts<'a> {
    /// The run's summary.
    pub summary: &'a Summary,
    /// The race run.
    pub setup: &'a RaceSetup,
    /// The runs' accumulator (the finish-time histograms).
    pub acc: &'a Accumulator,
    /// The traced race for `progression-sample` (None: that chart is not drawn).
    pub sample: Option<&'a SampleRace>,
    /// A real race to overlay (`--compare-with`).
    pub real: Option<&'a Comparison>,
    /// Runners named with `run --highlight`: a 10–90 % band on the split charts whatever
    /// their rank.
    pub highlight: &'a [String],
}

/// How many runners, by median finish time, get a 10–90 % band on the split charts by
/// default: more and the bands merge into a smear (issue 12) [U].
pub const BANDED_TOP: usize = 4;

/// Runner indices in finishing order: by median finish time, ties (and runners who never
/// finish, NaN) kept in scenario order at the end.
pub fn finishing_order(s: &Summary) -> Vec<usize> {
    let key = |i: usize| {
        let t = s.runners[i].time_q.p50;
        if t.is_finite() { t } else { f64::INFINITY }
    };
    let mut order: Vec<usize> = (0..s.runners.len()).collect();
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
    order
}

/// Per runner (scenario order): does he get a band? The top [`BANDED_TOP`] in `order` and
/// every runner named in `highlight`.
pub fn banded(s: &Summary, order: &[usize], highlight: &[String]) -> Vec<bool> {
    let mut b = vec![false; s.runners.len()];
    for &i in order.iter().take(BANDED_TOP) {
        b[i] = true;
    }
    for (i, r) in s.runners.iter().enumerate() {
        if highlight.iter().any(|h| h == &r.name) {
            b[i] = true;
        }
    }
    b
}

fn title_of(s: &Summary) -> String {
    match &s.variant {
        Some(v) => format!("{} (variant {v})", s.scenario),
        None => s.scenario.clone(),
    }
}

impl RunCharts<'_> {
    /// Render every chart.
    ///
    /// # Errors
    /// [`PlotError`] if drawing fails.
    pub fn render(&self) -> Result<Vec<Rendered>, PlotError> {
        let mut out = vec![
            self.splits(LAP_CHART_M)?,
            self.splits(200.0)?,
            self.finish()?,
        ];
        // Gaps and chances need rivals: a time trial has neither.
        if self.summary.runners.len() > 1 {
            out.push(self.progression_median()?);
            if let Some(sample) = self.sample {
                out.push(self.progression_sample(sample)?);
            }
            out.push(self.probabilities()?);
            out.push(self.gaps()?);
        }
        Ok(out)
    }

    fn marks(&self) -> Vec<(f64, String)> {
        let mut marks = Vec::new();
        let bell = self.setup.distance_m - self.setup.track.lap_m;
        if bell > 0.0 {
            marks.push((bell, "bell".to_string()));
        }
        let single = self.setup.pacers.len() == 1;
        for p in &self.setup.pacers {
            let label = if single {
                "pacer off".to_string()
            } else {
                format!("{} off", surname(&p.name))
            };
            marks.push((p.drop_out_m, label));
        }
        marks
    }

    /// `splits` (400 m) or `splits-200m`.
    pub fn splits(&self, len_m: f64) -> Result<Rendered, PlotError> {
        let s = self.summary;
        let pick = |r: &RunnerSummary| -> Vec<SegmentQ> {
            if len_m == LAP_CHART_M {
                r.segments_400.clone()
            } else {
                r.segments_200.clone()
            }
        };
        let order = finishing_order(s);
        let banded = banded(s, &order, self.highlight);
        let runners: Vec<RunnerBands> = s
            .runners
            .iter()
            .zip(&banded)
            .map(|(r, &b)| RunnerBands {
                name: r.name.clone(),
                points: band_points(&pick(r), len_m),
                line_only: !b,
            })
            .collect();
        let segs = s.runners.first().map(pick).unwrap_or_default();
        let mut references = plan_series(self.setup, &segs, len_m);
        let mut derived = false;
        let mut steps = false;
        if let Some(c) = self.real {
            let b = real_refs(c, len_m);
            references.extend(b.refs);
            derived = b.derived;
            steps = b.uneven;
        }
        let (stem, what, label) = if len_m == LAP_CHART_M {
            ("splits", "400 m times", s.track.lap_400_label().to_string())
        } else {
            ("splits-200m", "200 m times", "200 m".to_string())
        };
        let mut sub = vec![format!("{} simulated races", thousands(s.runs))];
        if let Some(n) = scaled_note(&segs, len_m) {
            sub.push(n);
        }
        if steps {
            sub.push("real race: bars over its split segments".into());
        }
        if derived {
            sub.push("* includes derived splits".into());
        }
        let data = SplitChartData {
            title: format!("{}: {what}", title_of(s)),
            subtitle: sub.join(" · "),
            x_label: "Distance at the end of the segment (m)".into(),
            segment_label: label,
            runners,
            references,
            legend_order: order,
        };
        let heading = if len_m == LAP_CHART_M {
            "Lap times (400 m)"
        } else {
            "200 m times"
        };
        Rendered::draw(stem, heading, || plot::split_chart(&data))
    }

    /// `finish`: ridgelines of the finish-time histograms.
    pub fn finish(&self) -> Result<Rendered, PlotError> {
        let s = self.summary;
        // One bin width for every row: about a fifth of the typical interquartile range,
        // wider for small runs so the curves are not all noise.
        let iqr = {
            let mut v: Vec<f64> = s
                .runners
                .iter()
                .map(|r| r.time_q.p75 - r.time_q.p25)
                .filter(|x| x.is_finite() && *x > 0.0)
                .collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(2.0)
        };
        let fd = 2.0 * iqr / (s.runs.max(1) as f64).cbrt();
        let width = (fd.max(iqr / 12.0) * 20.0).round().clamp(2.0, 100.0) / 20.0; // 0.05 s steps
        let rows = s
            .runners
            .iter()
            .zip(&self.acc.runners)
            .map(|(r, ra)| {
                let h = &ra.finish;
                let (lo, hi) = (
                    h.quantile(0.0005).unwrap_or(f64::NAN),
                    h.quantile(0.9995).unwrap_or(f64::NAN),
                );
                FinishRow {
                    name: r.name.clone(),
                    win_pct: 100.0 * r.p_win.p,
                    median_s: r.time_q.p50,
                    bins: rebin(h.bins(), lo, hi, width),
                }
            })
            .collect();
        let data = FinishDistData {
            title: format!("{}: finish times", title_of(s)),
            subtitle: format!(
                "{} simulated races · fastest median at the top · win % beside each name",
                thousands(s.runs)
            ),
            rows,
        };
        Rendered::draw("finish", "Finish-time distributions", || {
            plot::finish_distribution_chart(&data)
        })
    }

    /// `progression-median`: median gap behind the leading runner at every split point.
    pub fn progression_median(&self) -> Result<Rendered, PlotError> {
        let s = self.summary;
        let runners: Vec<(String, Vec<(f64, f64)>)> = s
            .runners
            .iter()
            .map(|r| {
                let mut pts = vec![(0.0, 0.0)];
                pts.extend(r.median_gap_s.iter().copied());
                (r.name.clone(), pts)
            })
            .collect();
        let mut sub = format!(
            "{} simulated races · each runner's median gap behind the first runner (pacers excluded)",
            thousands(s.runs)
        );
        // A real race's gaps where they mean something: athletes with splits before the
        // finish, in a record with at least two such athletes (else the gap is to himself).
        let mut references = Vec::new();
        if let Some(c) = self.real {
            if c.real.drawn_athletes().len() >= 2 {
                for (i, a) in &c.athlete_matches {
                    // without the start: a line from 0 m to a first split at 1300 m would
                    // claim knowledge of the race in between
                    let g: Vec<(f64, f64)> = c.real.gaps(a).into_iter().skip(1).collect();
                    if !g.is_empty() {
                        references.push(RefSeries {
                            name: format!("{} (actual)", a.name),
                            points: g,
                            style: RefStyle::Actual,
                            runner: Some(*i),
                        });
                    }
                }
            }
            if !references.is_empty() {
                sub.push_str(&format!(" · rings: {} (actual)", c.real.short_name));
            }
        }
        let mut all: Vec<Vec<(f64, f64)>> = runners.iter().map(|r| r.1.clone()).collect();
        all.extend(references.iter().map(|r| r.points.clone()));
        let data = ProgressionData {
            title: format!("{}: median race shape", title_of(s)),
            subtitle: sub,
            y_label: "Median gap behind the leader (s)".into(),
            max_gap_s: gap_cap(&all),
            runners,
            marks: self.marks(),
            references,
        };
        Rendered::draw(
            "progression-median",
            "Race progression: median gaps",
            || plot::progression_chart(&data),
        )
    }

    /// `progression-sample`: one traced race.
    pub fn progression_sample(&self, sample: &SampleRace) -> Result<Rendered, PlotError> {
        let s = self.summary;
        let runners: Vec<(String, Vec<(f64, f64)>)> = s
            .runners
            .iter()
            .zip(&sample.gaps)
            .map(|(r, g)| (r.name.clone(), g.clone()))
            .collect();
        let mut marks = self.marks();
        let mut sub = format!("Race {} of seed {}", sample.race, sample.seed);
        if let Some(w) = sample.winner() {
            let name = &s.runners[w].name;
            sub.push_str(&format!(
                " · won by {name} in {}",
                fmt_time(sample.finish_s[w])
            ));
            let k = sample.kick_from_m[w];
            if k.is_finite() && k > 0.0 {
                marks.push((
                    self.setup.distance_m - k,
                    format!("{} kicks", surname(name)),
                ));
            }
        }
        if let Some(r) = sample.regime {
            sub.push_str(&format!(" · {} race", r.name()));
        }
        sub.push_str(" · positions sampled every 0.5 s");
        let data = ProgressionData {
            title: format!("{}: one simulated race", title_of(s)),
            subtitle: sub,
            y_label: "Gap behind the leader (s)".into(),
            max_gap_s: gap_cap(&sample.gaps),
            runners,
            marks,
            references: Vec::new(),
        };
        Rendered::draw(
            "progression-sample",
            "Race progression: one simulated race",
            || plot::progression_chart(&data),
        )
    }

    /// `probabilities`: win and podium with 95 % intervals.
    pub fn probabilities(&self) -> Result<Rendered, PlotError> {
        let s = self.summary;
        let rows = s
            .runners
            .iter()
            .map(|r| ProbRow {
                name: r.name.clone(),
                win: r.p_win.p,
                win_lo: r.p_win.lo95,
                win_hi: r.p_win.hi95,
                podium: r.p_podium.p,
                podium_lo: r.p_podium.lo95,
                podium_hi: r.p_podium.hi95,
            })
            .collect();
        let data = ProbabilityData {
            title: format!("{}: chances", title_of(s)),
            subtitle: format!(
                "{} simulated races · bars: P(win) and P(top 3)",
                thousands(s.runs)
            ),
            rows,
        };
        Rendered::draw("probabilities", "Win and podium probabilities", || {
            plot::probability_chart(&data)
        })
    }
}

impl RunCharts<'_> {
    /// `gaps`: the order statistics of the finish as gaps behind the winner, one band per
    /// place, with the real race's gaps (its timed finishers who were simulated) when compared.
    pub fn gaps(&self) -> Result<Rendered, PlotError> {
        let s = self.summary;
        let places = s
            .gap_q
            .iter()
            .map(|g| GapBand {
                place: g.place,
                q: g.q.to_array(),
            })
            .collect();
        let (real, real_label) = match self.real {
            Some(c) => {
                let mut t: Vec<f64> = c
                    .runners
                    .iter()
                    .filter(|r| r.status.is_none())
                    .filter_map(|r| r.actual_s)
                    .collect();
                t.sort_by(f64::total_cmp);
                let gaps = t.iter().enumerate().map(|(k, &x)| (k + 1, x - t[0]));
                (
                    gaps.skip(1).collect(),
                    format!("{} (actual)", c.real.short_name),
                )
            }
            None => (Vec::new(), String::new()),
        };
        let data = GapChartData {
            title: format!("{}: gaps behind the winner", title_of(s)),
            subtitle: format!(
                "{} simulated races · the k-th finisher, whoever he is · bands 5–95, 10–90, 25–75 %",
                thousands(s.runs)
            ),
            places,
            real,
            real_label,
        };
        Rendered::draw("gaps", "Gaps behind the winner", || plot::gap_chart(&data))
    }
}

/// Sum fine histogram bins into bins of `width` seconds covering `[lo, hi]`.
fn rebin(bins: impl Iterator<Item = (f64, u64)>, lo: f64, hi: f64, width: f64) -> Vec<(f64, f64)> {
    if !(lo.is_finite() && hi.is_finite() && hi >= lo && width > 0.0) {
        return Vec::new();
    }
    let start = (lo / width).floor() * width;
    let n = (((hi - start) / width).floor() as usize + 1).min(100_000);
    let mut out: Vec<(f64, f64)> = (0..n)
        .map(|k| (start + (k as f64 + 0.5) * width, 0.0))
        .collect();
    for (c, cnt) in bins {
        if cnt == 0 || c < start {
            continue;
        }
        let k = ((c - start) / width).floor() as usize;
        if let Some(b) = out.get_mut(k) {
            b.1 += cnt as f64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebin_sums_counts() {
        let fine = (0..100).map(|k| (10.0 + 0.01 * (k as f64 + 0.5), 1u64));
        let b = rebin(fine, 10.0, 10.99, 0.25);
        assert_eq!(b.len(), 4);
        let total: f64 = b.iter().map(|x| x.1).sum();
        assert_eq!(total, 100.0);
        assert!((b[0].0 - 10.125).abs() < 1e-9);
    }

    #[test]
    fn short_first_segments_are_scaled_or_dropped() {
        use crate::stats::Quantiles;
        let q = |m: f64| Quantiles {
            p05: m,
            p10: m,
            p25: m,
            p50: m,
            p75: m,
            p90: m,
            p95: m,
        };
        let seg = |a: f64, b: f64, t: f64| SegmentQ {
            from_m: a,
            to_m: b,
            q: q(t),
        };
        let p = band_points(&[seg(0.0, 300.0, 42.0), seg(300.0, 700.0, 56.0)], 400.0);
        assert_eq!(p.len(), 2);
        assert!((p[0].mid - 56.0).abs() < 1e-9);
        let p = band_points(&[seg(0.0, 9.344, 2.0), seg(9.344, 409.344, 56.0)], 400.0);
        assert_eq!(p.len(), 1);
        let p = band_points(&[seg(0.0, 100.0, 16.0), seg(100.0, 300.0, 29.0)], 200.0);
        assert_eq!(p.len(), 1);
        assert_eq!(
            scaled_note(&[seg(0.0, 300.0, 42.0)], 400.0).as_deref(),
            Some("first 300 m shown as 400 m pace")
        );
    }
}
