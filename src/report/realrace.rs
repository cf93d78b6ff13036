//! A real race record as chart series: the leader's splits and each athlete's, turned into
//! segment times and gaps; the charts of `racesim plot race`.
//!
//! Records vary a lot: some have the leader's time at three points only, others every athlete
//! every 100 m; mile split points sit at 409.34 m or 402.34 m. So segments are not fixed in
//! advance: [`segments`] walks the points a series has and cuts segments of about the chart's
//! standard length (400 m or 200 m), preferring points on the grid counted back from the finish
//! (the lap lines), and reports each as time per standard length.

use std::fmt::Write;

use crate::base::track::{Track, TrackKind};
use crate::base::units::fmt_time;
use crate::input::record::RaceRecord;
use crate::plot::{self, PlotError, ProgressionData, RefSeries, RefStyle, SplitChartData};
use crate::report::chart::{Rendered, gap_cap};
use crate::report::format::{fmt_m, surname};

/// Two split points closer than this are the same point [m] (mile points are reported ±10 m).
const GRID_TOLERANCE_M: f64 = 10.0;
/// Points closer than this are the same point when comparing athletes [m].
const SAME_POINT_M: f64 = 0.5;

/// One cumulative time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RealPoint {
    /// Distance from the start [m].
    pub at_m: f64,
    /// Cumulative time [s].
    pub time_s: f64,
    /// Computed from other published values (flagged in the data).
    pub derived: bool,
}

/// A series of cumulative times (the start is implicit), increasing in distance.
#[derive(Debug, Clone, PartialEq)]
pub struct RealSeries {
    /// Whose ("Leader" for the leader's splits).
    pub name: String,
    /// His points.
    pub points: Vec<RealPoint>,
}

/// One segment of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Start [m].
    pub from_m: f64,
    /// End [m].
    pub to_m: f64,
    /// Time over the segment [s].
    pub time_s: f64,
    /// The same as time per standard length [s].
    pub per_len_s: f64,
    /// An end point is derived.
    pub derived: bool,
}

/// Cut `points` into segments of about `len_m` (see the module docs).
///
/// From each point the next end is the first point on the grid `distance − k·len_m` (±10 m)
/// between 0.5 and 1.25 lengths on, else the first point between 0.75 and 1.25 lengths on, else
/// the first point at least 0.75 lengths on (a long segment: sparse data). A remainder shorter
/// than half a length is merged into the previous segment.
pub fn segments(points: &[RealPoint], distance_m: f64, len_m: f64) -> Vec<Segment> {
    let on_grid = |x: f64| {
        let k = ((distance_m - x) / len_m).round();
        k >= 0.0 && (distance_m - k * len_m - x).abs() <= GRID_TOLERANCE_M
    };
    let pts: Vec<RealPoint> = points
        .iter()
        .copied()
        .filter(|p| p.at_m.is_finite() && p.time_s.is_finite() && p.at_m > 0.0)
        .collect();
    let mut out: Vec<Segment> = Vec::new();
    let mut cur = RealPoint {
        at_m: 0.0,
        time_s: 0.0,
        derived: false,
    };
    let mut i = 0;
    while i < pts.len() {
        let len = |p: &RealPoint| p.at_m - cur.at_m;
        let rest = &pts[i..];
        let pick = rest
            .iter()
            .position(|p| on_grid(p.at_m) && len(p) >= 0.5 * len_m && len(p) <= 1.25 * len_m)
            .or_else(|| {
                rest.iter()
                    .position(|p| len(p) >= 0.75 * len_m && len(p) <= 1.25 * len_m)
            })
            .or_else(|| rest.iter().position(|p| len(p) >= 0.75 * len_m));
        let Some(j) = pick else {
            // Only a short remainder is left: merge it into the previous segment, or keep it if
            // it is the whole series.
            let Some(&last) = pts.last() else { break };
            match out.last_mut() {
                Some(prev) if last.at_m - cur.at_m < 0.5 * len_m => {
                    prev.to_m = last.at_m;
                    prev.time_s += last.time_s - cur.time_s;
                    prev.per_len_s = prev.time_s * len_m / (prev.to_m - prev.from_m);
                    prev.derived |= last.derived;
                }
                _ => out.push(seg(cur, last, len_m)),
            }
            break;
        };
        let end = rest[j];
        out.push(seg(cur, end, len_m));
        cur = end;
        i += j + 1;
    }
    out
}

fn seg(a: RealPoint, b: RealPoint, len_m: f64) -> Segment {
    let time_s = b.time_s - a.time_s;
    Segment {
        from_m: a.at_m,
        to_m: b.at_m,
        time_s,
        per_len_s: time_s * len_m / (b.at_m - a.at_m),
        derived: a.derived || b.derived,
    }
}

/// Reference series for a split chart, built by [`ref_series`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RefBuild {
    /// The series, styled.
    pub refs: Vec<RefSeries>,
    /// Some point is derived (the names carry " *").
    pub derived: bool,
    /// Some segment is far from the standard length: all series are drawn as steps.
    pub uneven: bool,
    /// The largest number of about-standard segments of any series.
    pub most_full: usize,
    /// Length of a short first segment shown as pace per standard length, if any.
    pub short_first_m: Option<f64>,
}

/// Real series `(series, legend name, runner colour)` as split-chart references with segments
/// of about `len_m`: points and lines when every segment is about that long, steps (a bar over
/// each segment) when some are much longer or shorter.
pub fn ref_series(
    series: &[(&RealSeries, String, Option<usize>)],
    distance_m: f64,
    len_m: f64,
) -> RefBuild {
    let mut out = RefBuild::default();
    let mut built = Vec::new();
    for (s, name, runner) in series {
        let mut segs = segments(&s.points, distance_m, len_m);
        // As on the simulated charts: a first stub of under three quarters of a length (the
        // first 100 m in 200 m segments) mostly measures the start; leave it out.
        if segs.len() > 1 && segs[0].to_m - segs[0].from_m < 0.75 * len_m {
            segs.remove(0);
        }
        if segs.is_empty() {
            continue;
        }
        let full = segs
            .iter()
            .filter(|g| (0.74 * len_m..=1.26 * len_m).contains(&(g.to_m - g.from_m)))
            .count();
        out.most_full = out.most_full.max(full);
        // A short first segment (the first 300 m of a 1500 m, 100 m in 200 m segments) is a
        // normal lap segment, not an uneven one.
        out.uneven |= segs.iter().enumerate().any(|(k, g)| {
            let l = g.to_m - g.from_m;
            let tol = GRID_TOLERANCE_M + 2.5;
            let short_first = k == 0 && l >= 0.5 * len_m - 1.0 && l <= len_m;
            !short_first && (l - len_m).abs() > tol
        });
        if let Some(g) = segs
            .first()
            .filter(|g| g.to_m - g.from_m < len_m - GRID_TOLERANCE_M)
        {
            out.short_first_m = Some(g.to_m - g.from_m);
        }
        let d = segs.iter().any(|g| g.derived);
        out.derived |= d;
        built.push((
            segs,
            format!("{name}{}", if d { " *" } else { "" }),
            *runner,
        ));
    }
    let style = if out.uneven {
        RefStyle::Steps
    } else {
        RefStyle::Actual
    };
    out.refs = built
        .into_iter()
        .map(|(segs, name, runner)| RefSeries {
            name,
            points: segs.iter().map(|g| (g.to_m, g.per_len_s)).collect(),
            style,
            runner,
        })
        .collect();
    out
}

/// A finisher as the record gives him.
#[derive(Debug, Clone, PartialEq)]
pub struct Finisher {
    /// His place, when known.
    pub place: Option<u32>,
    /// His name.
    pub name: String,
    /// His time [s], when known.
    pub time_s: Option<f64>,
    /// DNF, DNS or DQ.
    pub status: Option<String>,
}

/// A real race, reduced to what the charts and the comparison need.
#[derive(Debug, Clone, PartialEq)]
pub struct RealRace {
    /// The record's id.
    pub id: String,
    /// Meeting and race.
    pub event: String,
    /// Where.
    pub venue: String,
    /// When (YYYY-MM-DD).
    pub date: String,
    /// "Paris 2024": city and year.
    pub short_name: String,
    /// The track.
    pub track: TrackKind,
    /// Race distance [m].
    pub distance_m: f64,
    /// The leader's splits (the finish added from the winner's time when missing).
    pub leader: Option<RealSeries>,
    /// Per leader point: whether the record names a pacer as the leader there.
    pub leader_is_pacer: Vec<bool>,
    /// Athletes with splits, in finishing order (their result added at the finish).
    pub athletes: Vec<RealSeries>,
    /// The result list.
    pub results: Vec<Finisher>,
    /// Pacers: name and drop-out point when known.
    pub pacers: Vec<(String, Option<f64>)>,
}

fn short_name(venue: &str, year: i32) -> String {
    let parts: Vec<&str> = venue.split(',').map(str::trim).collect();
    let city = if parts.len() >= 2 {
        parts[parts.len() - 2]
    } else {
        parts.first().copied().unwrap_or("")
    };
    let city = match (city.find('('), city.find(')')) {
        (Some(a), Some(b)) if b > a + 1 => &city[a + 1..b],
        _ => city,
    };
    format!("{} {year}", city.trim()).trim().to_string()
}

impl RealRace {
    /// Pick the series out of a checked record.
    pub fn from_record(rec: &RaceRecord) -> RealRace {
        let finish = |x: f64| (x - rec.distance_m).abs() < 0.01;
        let winner_time = rec.winner().and_then(|w| w.time_s);
        let mut leader_pts: Vec<RealPoint> = rec
            .splits
            .iter()
            .map(|s| RealPoint {
                at_m: s.at_m,
                time_s: s.leader_time_s,
                derived: s.derived,
            })
            .collect();
        let mut leader_is_pacer: Vec<bool> = rec
            .splits
            .iter()
            .map(|s| {
                s.leader_name.as_deref().is_some_and(|n| {
                    n.to_lowercase().contains("pacer")
                        || rec
                            .pacemakers
                            .pacers
                            .iter()
                            .any(|p| !p.is_wavelight() && p.name == n.trim())
                })
            })
            .collect();
        if let Some(t) = winner_time {
            if !leader_pts.iter().any(|p| finish(p.at_m)) && !leader_pts.is_empty() {
                leader_pts.push(RealPoint {
                    at_m: rec.distance_m,
                    time_s: t,
                    derived: false,
                });
                leader_is_pacer.push(false);
            }
        }
        let leader = (!leader_pts.is_empty()).then(|| RealSeries {
            name: "Leader".into(),
            points: leader_pts,
        });
        let results: Vec<Finisher> = rec
            .results
            .iter()
            .map(|r| Finisher {
                place: r.place,
                name: r.name.clone(),
                time_s: r.time_s,
                status: r.status.clone(),
            })
            .collect();
        // Athletes with splits, in result order, then any not in the results.
        let mut names: Vec<&String> = rec.athlete_splits.keys().collect();
        let rank = |n: &str| {
            rec.results
                .iter()
                .position(|r| r.name == n)
                .unwrap_or(usize::MAX)
        };
        names.sort_by_key(|n| (rank(n), (*n).clone()));
        let athletes = names
            .into_iter()
            .map(|n| {
                let mut points: Vec<RealPoint> = rec.athlete_splits[n]
                    .iter()
                    .map(|s| RealPoint {
                        at_m: s.at_m,
                        time_s: s.time_s,
                        derived: s.derived,
                    })
                    .collect();
                if let Some(t) = rec
                    .result_of(n)
                    .filter(|r| r.is_timed_finisher())
                    .and_then(|r| r.time_s)
                {
                    if !points.iter().any(|p| finish(p.at_m)) {
                        points.push(RealPoint {
                            at_m: rec.distance_m,
                            time_s: t,
                            derived: false,
                        });
                    }
                }
                RealSeries {
                    name: n.clone(),
                    points,
                }
            })
            .collect();
        RealRace {
            id: rec.id.clone(),
            event: rec.event.clone(),
            venue: rec.venue.clone(),
            date: rec.date.to_string(),
            short_name: short_name(&rec.venue, rec.date.year()),
            track: rec.track,
            distance_m: rec.distance_m,
            leader,
            leader_is_pacer,
            athletes,
            results,
            pacers: rec
                .pacemakers
                .pacers
                .iter()
                .filter(|p| !p.is_wavelight())
                .map(|p| (p.name.clone(), p.drop_out_m))
                .collect(),
        }
    }

    /// The leading athlete's time at `at_m` among everyone but `except`: the fastest other
    /// athlete with a split there, or the record's leader split when a runner (not a pacer) led.
    fn lead_time(&self, at_m: f64, except: &str) -> Option<f64> {
        let same = |p: &RealPoint| (p.at_m - at_m).abs() < SAME_POINT_M;
        let from_leader = self.leader.iter().flat_map(|l| {
            l.points
                .iter()
                .zip(&self.leader_is_pacer)
                .filter(|(p, pacer)| same(p) && !**pacer)
                .map(|(p, _)| p.time_s)
        });
        let from_athletes = self
            .athletes
            .iter()
            .filter(|a| a.name != except)
            .flat_map(|a| a.points.iter().filter(|p| same(p)).map(|p| p.time_s));
        let t = from_leader
            .chain(from_athletes)
            .fold(f64::INFINITY, f64::min);
        t.is_finite().then_some(t)
    }

    /// `series`' gap behind the leading athlete at each of its points where someone else's
    /// time is known too (a split only he has says nothing about a gap), after `(0, 0)` at the
    /// start.
    pub fn gaps(&self, series: &RealSeries) -> Vec<(f64, f64)> {
        let mut out = vec![(0.0, 0.0)];
        for p in &series.points {
            if let Some(lead) = self.lead_time(p.at_m, &series.name) {
                out.push((p.at_m, (p.time_s - lead).max(0.0)));
            }
        }
        if out.len() < 2 {
            return Vec::new();
        }
        out
    }

    fn place_label(&self, name: &str) -> String {
        match self.results.iter().find(|r| r.name == name) {
            Some(Finisher {
                place: Some(p),
                status: None,
                ..
            }) => format!("{p}. {name}"),
            Some(Finisher {
                status: Some(s), ..
            }) => format!("{name} ({s})"),
            _ => name.to_string(),
        }
    }

    fn marks(&self) -> Vec<(f64, String)> {
        let lap = Track::new(self.track).lap_m;
        let mut marks = Vec::new();
        if self.distance_m > lap {
            marks.push((self.distance_m - lap, "bell".to_string()));
        }
        let known: Vec<&(String, Option<f64>)> =
            self.pacers.iter().filter(|p| p.1.is_some()).collect();
        for (name, at) in &known {
            let label = if known.len() == 1 {
                "pacer off".to_string()
            } else {
                format!("{} off", surname(name))
            };
            marks.push((at.unwrap_or(0.0), label));
        }
        marks
    }

    /// The split chart of every series with segments of about `len_m`; `None` when no series
    /// has enough of them to be worth a chart (`min_full` segments of 0.75–1.25 lengths).
    fn split_chart(&self, len_m: f64, min_full: usize) -> Result<Option<Rendered>, PlotError> {
        let mut series: Vec<(&RealSeries, String, Option<usize>)> = Vec::new();
        if let Some(l) = &self.leader {
            series.push((l, "Leader".into(), None));
        }
        // athletes with a single point (the finish) have no segments worth drawing
        for (k, a) in self.drawn_athletes().into_iter().enumerate() {
            series.push((a, self.place_label(&a.name), Some(k)));
        }
        let RefBuild {
            refs,
            derived,
            uneven: scaled,
            most_full,
            short_first_m,
        } = ref_series(&series, self.distance_m, len_m);
        if most_full < min_full {
            return Ok(None);
        }
        let lap = Track::new(self.track).lap_m;
        let label = if len_m == 400.0 && (lap - 400.0).abs() < 1.0 {
            "lap".to_string()
        } else {
            format!("{} m", fmt_m(len_m))
        };
        let mut sub = vec![format!("{}, {}", self.event, self.date)];
        sub.push(if scaled {
            format!(
                "bars: time per {} m over each segment between splits",
                fmt_m(len_m)
            )
        } else {
            let mut t = format!("time over the {} m ending at each point", fmt_m(len_m));
            if let Some(l) = short_first_m {
                t.push_str(&format!(
                    " (the first {} m as {} m pace)",
                    fmt_m(l),
                    fmt_m(len_m)
                ));
            }
            t
        });
        if derived {
            sub.push("* includes derived splits".into());
        }
        let data = SplitChartData {
            title: format!("{} m times — {}", fmt_m(len_m), self.short_name),
            subtitle: sub.join(" · "),
            x_label: if scaled {
                "Distance (m)".into()
            } else {
                "Distance at the end of the segment (m)".into()
            },
            segment_label: label,
            runners: Vec::new(),
            references: refs,
            legend_order: Vec::new(),
        };
        let stem = if len_m == 400.0 {
            "splits"
        } else {
            "splits-200m"
        };
        Rendered::draw(stem, &format!("{} m times", fmt_m(len_m)), || {
            plot::split_chart(&data)
        })
        .map(Some)
    }

    /// Athletes with at least two points (the ones drawn), in finishing order; the index in
    /// this list is the colour in every chart.
    pub fn drawn_athletes(&self) -> Vec<&RealSeries> {
        self.athletes
            .iter()
            .filter(|a| a.points.len() >= 2)
            .collect()
    }

    fn progression_chart(&self) -> Result<Option<Rendered>, PlotError> {
        let runners: Vec<(String, Vec<(f64, f64)>)> = self
            .drawn_athletes()
            .into_iter()
            .map(|a| (self.place_label(&a.name), self.gaps(a)))
            .collect();
        // With one athlete the gap is only ever to himself.
        if runners.iter().filter(|r| r.1.len() >= 3).count() < 2 {
            return Ok(None);
        }
        let cap = gap_cap(&runners.iter().map(|r| r.1.clone()).collect::<Vec<_>>());
        let mut sub = format!(
            "{}, {} · gap behind the leading athlete at each recorded split",
            self.event, self.date
        );
        if let Some(c) = cap {
            sub.push_str(&format!(" · axis cut at {c:.0} s"));
        }
        let data = ProgressionData {
            title: format!("Race progression — {}", self.short_name),
            subtitle: sub,
            y_label: "Gap behind the leader (s)".into(),
            max_gap_s: cap,
            runners,
            marks: self.marks(),
            references: Vec::new(),
        };
        Rendered::draw("progression", "Race progression", || {
            plot::progression_chart(&data)
        })
        .map(Some)
    }

    /// Render the charts the record allows: `splits` always (when it has any splits),
    /// `splits-200m` and `progression` when the data are dense enough.
    ///
    /// # Errors
    /// [`PlotError`] if drawing fails.
    pub fn render(&self) -> Result<Vec<Rendered>, PlotError> {
        let mut out = Vec::new();
        if let Some(r) = self.split_chart(400.0, 1)? {
            out.push(r);
        }
        if let Some(r) = self.split_chart(200.0, 4)? {
            out.push(r);
        }
        if let Some(r) = self.progression_chart()? {
            out.push(r);
        }
        Ok(out)
    }

    /// A short text account of the record and what `render` drew from it.
    pub fn describe(&self, drawn: &[Rendered]) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "{}", self.event);
        let _ = writeln!(
            o,
            "{}, {} · {} m on a {} track",
            self.venue,
            self.date,
            fmt_m(self.distance_m),
            self.track.describe()
        );
        if let Some(w) = self.results.iter().find(|r| r.place == Some(1)) {
            let _ = writeln!(
                o,
                "Winner: {} {}",
                w.name,
                w.time_s
                    .map(fmt_time)
                    .unwrap_or_else(|| "(time unknown)".into())
            );
        }
        if let Some(l) = &self.leader {
            let segs = segments(&l.points, self.distance_m, 400.0);
            let pts: Vec<String> = l
                .points
                .iter()
                .map(|p| {
                    format!(
                        "{} m {}{}",
                        fmt_m(p.at_m),
                        fmt_time(p.time_s),
                        if p.derived { "*" } else { "" }
                    )
                })
                .collect();
            let _ = writeln!(o, "Leader: {}", pts.join(" · "));
            let segs: Vec<String> = segs
                .iter()
                .map(|g| {
                    format!(
                        "{}–{} m {:.2} s",
                        fmt_m(g.from_m),
                        fmt_m(g.to_m),
                        g.per_len_s
                    )
                })
                .collect();
            let _ = writeln!(o, "Leader's pace per 400 m: {}", segs.join(" · "));
        } else {
            let _ = writeln!(o, "No leader splits in the record.");
        }
        let with = self.drawn_athletes();
        if with.is_empty() {
            let _ = writeln!(o, "No per-athlete splits.");
        } else {
            let n_pts: usize = with.iter().map(|a| a.points.len()).max().unwrap_or(0);
            let n_derived: usize = with
                .iter()
                .map(|a| a.points.iter().filter(|p| p.derived).count())
                .sum();
            let _ = writeln!(
                o,
                "Athlete splits: {} athlete{}, up to {n_pts} points each{}",
                with.len(),
                if with.len() == 1 { "" } else { "s" },
                if n_derived > 0 {
                    format!(" ({n_derived} derived, marked *)")
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(o);
        for r in drawn {
            let _ = writeln!(o, "Drew {}: {}", r.stem, r.heading);
        }
        if !drawn.iter().any(|r| r.stem == "splits-200m") {
            let _ = writeln!(o, "No 200 m chart: no series has splits about every 200 m.");
        }
        if !drawn.iter().any(|r| r.stem == "progression") {
            let _ = writeln!(
                o,
                "No progression chart: it needs at least two athletes with splits before the finish."
            );
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[(f64, f64)]) -> Vec<RealPoint> {
        v.iter()
            .map(|&(at_m, time_s)| RealPoint {
                at_m,
                time_s,
                derived: false,
            })
            .collect()
    }

    fn ends(s: &[Segment]) -> Vec<f64> {
        s.iter().map(|g| g.to_m).collect()
    }

    #[test]
    fn every_100m_snaps_to_lap_lines() {
        let p: Vec<(f64, f64)> = (1..=15)
            .map(|k| (100.0 * k as f64, 15.0 * k as f64))
            .collect();
        let s = segments(&pts(&p), 1500.0, 400.0);
        assert_eq!(ends(&s), vec![300.0, 700.0, 1100.0, 1500.0]);
        assert!((s[0].per_len_s - 60.0).abs() < 1e-9);
        let s = segments(&pts(&p), 1500.0, 200.0);
        assert_eq!(ends(&s)[..3], [100.0, 300.0, 500.0]);
        assert_eq!(s.len(), 8);
    }

    #[test]
    fn sparse_leader_splits() {
        // Paris 2024
        let p = [
            (400.0, 54.82),
            (800.0, 111.38),
            (1000.0, 139.4),
            (1100.0, 154.3),
            (1200.0, 167.27),
            (1500.0, 207.65),
        ];
        let s = segments(&pts(&p), 1500.0, 400.0);
        assert_eq!(ends(&s), vec![400.0, 800.0, 1100.0, 1500.0]);
        // Three points of a two-mile
        let p = [(1600.0, 241.88), (1609.344, 243.63), (3218.688, 480.67)];
        let s = segments(&pts(&p), 3218.688, 400.0);
        assert_eq!(ends(&s), vec![1600.0, 3218.688]);
        assert!((s[0].per_len_s - 60.47).abs() < 1e-9);
        // A single point
        let s = segments(&pts(&[(1500.0, 208.0)]), 1500.0, 400.0);
        assert_eq!(s.len(), 1);
        assert!((s[0].per_len_s - 208.0 * 400.0 / 1500.0).abs() < 1e-9);
    }

    #[test]
    fn mile_quarters_and_short_remainders() {
        let p = [
            (402.34, 56.58),
            (804.67, 113.84),
            (1207.01, 173.15),
            (1609.344, 227.38),
        ];
        let s = segments(&pts(&p), 1609.344, 400.0);
        assert_eq!(s.len(), 4);
        // 1500 m then the mile: the last 109 m is merged into the segment before
        let p = [
            (409.34, 55.4),
            (809.34, 111.8),
            (1209.34, 166.3),
            (1500.0, 208.76),
            (1609.344, 223.73),
        ];
        let s = segments(&pts(&p), 1609.344, 400.0);
        assert_eq!(ends(&s), vec![409.34, 809.34, 1209.34, 1609.344]);
        assert!((s[3].time_s - (223.73 - 166.3)).abs() < 1e-9);
    }

    #[test]
    fn short_name_from_venue() {
        assert_eq!(
            short_name("Stade de France, Saint-Denis (Paris), FRA", 2024),
            "Paris 2024"
        );
        assert_eq!(
            short_name("The Armory, New York, USA", 2023),
            "New York 2023"
        );
        assert_eq!(short_name("Somewhere", 1998), "Somewhere 1998");
    }
}
