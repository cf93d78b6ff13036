//! Pacemakers and pace lights: target split schedules.
//!
//! A pacer is an agent on the track that runs a schedule of target splits, with small execution
//! noise, slows a little when the field lets a gap open, and steps off the track at its drop-out
//! distance (model notes §5). A WaveLight is a schedule with no body: it gives a pace reference to
//! whoever chooses to follow it, and no draft (§5 [S]).

/// A schedule that cannot be run ([`Schedule::new`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// No split at all.
    #[error("a schedule needs at least one split")]
    Empty,
    /// A split not after the previous one.
    #[error(
        "split {number} ({at_m} m at {time_s} s) must come after the previous one in distance and time"
    )]
    NotIncreasing {
        /// 1-based number of the split.
        number: usize,
        /// Its distance [m].
        at_m: f64,
        /// Its time [s].
        time_s: f64,
    },
    /// A segment no runner would run.
    #[error(
        "split {number} implies {speed:.2} m/s between {from_m:.0} m and {at_m:.0} m (outside 3–11 m/s)"
    )]
    Speed {
        /// 1-based number of the split.
        number: usize,
        /// The segment's average speed [m/s].
        speed: f64,
        /// Start of the segment [m].
        from_m: f64,
        /// End of the segment [m].
        at_m: f64,
    },
}

/// Cumulative target times at distances from the start: `(at_m, time_s)`, strictly increasing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    points: Vec<(f64, f64)>,
}

impl Schedule {
    /// A schedule through the given points (the start (0, 0) is implicit).
    ///
    /// # Errors
    /// [`ScheduleError`] if the list is empty or not strictly increasing in both distance and
    /// time, or implies an average speed outside 3–11 m/s on any segment (sanity bounds).
    pub fn new(points: Vec<(f64, f64)>) -> Result<Schedule, ScheduleError> {
        if points.is_empty() {
            return Err(ScheduleError::Empty);
        }
        let mut last = (0.0, 0.0);
        for (i, &(d, t)) in points.iter().enumerate() {
            if !(d.is_finite() && t.is_finite()) || d <= last.0 || t <= last.1 {
                return Err(ScheduleError::NotIncreasing {
                    number: i + 1,
                    at_m: d,
                    time_s: t,
                });
            }
            let v = (d - last.0) / (t - last.1);
            if !(3.0..=11.0).contains(&v) {
                return Err(ScheduleError::Speed {
                    number: i + 1,
                    speed: v,
                    from_m: last.0,
                    at_m: d,
                });
            }
            last = (d, t);
        }
        Ok(Schedule { points })
    }

    /// Even pace: `time_s` for `distance_m`.
    ///
    /// # Errors
    /// As [`Schedule::new`].
    pub fn even(distance_m: f64, time_s: f64) -> Result<Schedule, ScheduleError> {
        Schedule::new(vec![(distance_m, time_s)])
    }

    /// Even laps of `lap_s` seconds on a lap of `lap_m` metres, for `laps` laps ending at `until_m`
    /// measured from the start.
    ///
    /// # Errors
    /// As [`Schedule::new`].
    pub fn from_lap_time(lap_m: f64, lap_s: f64, until_m: f64) -> Result<Schedule, ScheduleError> {
        Schedule::new(vec![(until_m, until_m / lap_m * lap_s)])
    }

    /// The scheduled points `(at_m, time_s)`, the start excluded.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// Distance of the last scheduled split [m].
    pub fn last_m(&self) -> f64 {
        self.points.last().map(|p| p.0).unwrap_or(0.0)
    }

    /// Index of the segment containing distance `s` (past the end: the last segment).
    #[inline]
    pub fn segment(&self, s: f64) -> usize {
        self.points
            .iter()
            .position(|p| s < p.0)
            .unwrap_or(self.points.len() - 1)
    }

    /// Start of segment `k`.
    #[inline]
    pub fn seg_start(&self, k: usize) -> (f64, f64) {
        if k == 0 {
            (0.0, 0.0)
        } else {
            self.points[k - 1]
        }
    }

    /// Speed of segment `k` [m/s].
    #[inline]
    pub fn seg_speed(&self, k: usize) -> f64 {
        let a = self.seg_start(k);
        let b = self.points[k];
        (b.0 - a.0) / (b.1 - a.1)
    }

    /// Scheduled speed at distance `s` [m/s]; past the last split, the last segment's speed.
    #[inline]
    pub fn speed_at(&self, s: f64) -> f64 {
        self.seg_speed(self.segment(s))
    }

    /// Scheduled time at distance `s` [s] (linear within segments, extrapolated at the end).
    pub fn time_at(&self, s: f64) -> f64 {
        let k = self.segment(s);
        let a = self.seg_start(k);
        a.1 + (s - a.0) / self.seg_speed(k)
    }

    /// Scheduled distance at time `t` [m] (the position of a pace light).
    pub fn distance_at(&self, t: f64) -> f64 {
        let k = self
            .points
            .iter()
            .position(|p| t < p.1)
            .unwrap_or(self.points.len() - 1);
        let a = self.seg_start(k);
        a.0 + (t - a.1) * self.seg_speed(k)
    }
}

/// A pacemaker: a name, a schedule, and where he steps off.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PacerSpec {
    /// His name (unique in the field: it keys his random stream).
    pub name: String,
    /// The splits he is to run.
    pub schedule: Schedule,
    /// Distance from the start at which he leaves the track [m].
    pub drop_out_m: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_interpolates() {
        let s = Schedule::new(vec![(400.0, 54.82), (800.0, 111.38)]).unwrap();
        assert!((s.time_at(400.0) - 54.82).abs() < 1e-9);
        assert!((s.time_at(600.0) - (54.82 + 56.56 / 2.0)).abs() < 1e-9);
        assert!((s.time_at(1000.0) - (111.38 + 56.56 / 2.0)).abs() < 1e-9);
        assert!((s.distance_at(s.time_at(700.0)) - 700.0).abs() < 1e-9);
        assert!((s.speed_at(100.0) - 400.0 / 54.82).abs() < 1e-12);
    }

    #[test]
    fn schedule_rejects_nonsense() {
        assert!(Schedule::new(vec![]).is_err());
        assert!(Schedule::new(vec![(400.0, 55.0), (300.0, 60.0)]).is_err());
        assert!(Schedule::new(vec![(400.0, 55.0), (800.0, 50.0)]).is_err());
        assert!(Schedule::new(vec![(400.0, 20.0)]).is_err()); // 20 m/s
        assert!(Schedule::new(vec![(400.0, 200.0)]).is_err()); // 2 m/s
        assert_eq!(
            Schedule::new(vec![(400.0, 55.0), (300.0, 60.0)])
                .unwrap_err()
                .to_string(),
            "split 2 (300 m at 60 s) must come after the previous one in distance and time"
        );
        assert_eq!(
            Schedule::new(vec![(400.0, 20.0)]).unwrap_err().to_string(),
            "split 1 implies 20.00 m/s between 0 m and 400 m (outside 3–11 m/s)"
        );
    }
}
