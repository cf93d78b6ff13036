//! Track geometry: where the bends are, how far a lap is, where each race starts.
//!
//! Position on the track is measured along the lane-1 line of running, from the finish line, in
//! the running direction. A lap is: bend 1, back straight, bend 2, home straight; the finish line
//! is at the end of the home straight.
//!
//! # Notes
//! * Outdoor 400 m track: bends of kerb radius 36.50 m, straights 84.39 m, lane-1 line of running
//!   0.30 m from the kerb, lane width 1.22 m [^iaaf]. The line-of-running radius is therefore
//!   36.80 m and each bend 115.61 m long; two bends and two straights give 400.0 m (model notes §3.1).
//! * Indoor 200 m track: bend radius 17.2 m [^iaaf] (quoted by Taboga & Kram 2019); the line of
//!   running is taken 0.30 m out as outdoors (an assumption, model notes §9.4), and the straights
//!   are whatever makes the lap 200 m on that line (45.02 m each) — derived, not measured.
//! * A runner holding a lateral offset `y` from the line of running covers π·y extra metres per
//!   bend (model notes §3.1); the race step applies this through [`Track::progress_factor`].
//!
//! [^iaaf]: IAAF Track and Field Facilities Manual, 2008 edition, as quoted in model notes §3.1/§3.3.

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use crate::base::parse::deserialize_parsed;

/// The two track types racesim models.
///
/// Everything that depends on the kind of track — its geometry ([`Track::new`]), its name in
/// files, how reports describe it — is a method here, so that adding a track type is adding a
/// variant and following the compiler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackKind {
    /// Standard outdoor 400 m track.
    Outdoor400,
    /// Standard indoor 200 m track (banked, as most are).
    Indoor200,
}

impl TrackKind {
    /// Every track kind, in the order error messages list them.
    pub const ALL: [TrackKind; 2] = [TrackKind::Outdoor400, TrackKind::Indoor200];

    /// The name in scenario files, race records and `summary.json` (`outdoor400`, `indoor200`).
    pub fn name(self) -> &'static str {
        match self {
            TrackKind::Outdoor400 => "outdoor400",
            TrackKind::Indoor200 => "indoor200",
        }
    }

    /// How reports describe the track: "400 m outdoor", "200 m indoor".
    pub fn describe(self) -> &'static str {
        match self {
            TrackKind::Outdoor400 => "400 m outdoor",
            TrackKind::Indoor200 => "200 m indoor",
        }
    }

    /// "outdoor" or "indoor": the condition a mark set on this track is reported under.
    pub fn condition(self) -> &'static str {
        match self {
            TrackKind::Outdoor400 => "outdoor",
            TrackKind::Indoor200 => "indoor",
        }
    }

    /// The track a mark was set on: indoor marks on a 200 m track, the others outdoors.
    pub fn of_mark(indoor: bool) -> TrackKind {
        if indoor {
            TrackKind::Indoor200
        } else {
            TrackKind::Outdoor400
        }
    }

    /// What a chart calls a 400 m segment on this track: "lap" outdoors, "400 m" (two laps)
    /// indoors.
    pub fn lap_400_label(self) -> &'static str {
        match self {
            TrackKind::Outdoor400 => "lap",
            TrackKind::Indoor200 => "400 m",
        }
    }
}

/// A track name that is not one of [`TrackKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown track `{0}` (known: outdoor400, indoor200)")]
pub struct UnknownTrack(pub String);

impl fmt::Display for TrackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TrackKind {
    type Err = UnknownTrack;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "outdoor400" | "outdoor" => Ok(TrackKind::Outdoor400),
            "indoor200" | "indoor" => Ok(TrackKind::Indoor200),
            other => Err(UnknownTrack(other.to_string())),
        }
    }
}

impl serde::Serialize for TrackKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for TrackKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_parsed(d, "a track kind (`outdoor400` or `indoor200`)", |s| {
            s.parse::<TrackKind>()
        })
    }
}

/// Outdoor bend radius at the kerb [m] (IAAF 2008 manual).
pub const OUTDOOR_KERB_RADIUS_M: f64 = 36.50;
/// Outdoor straight length [m] (IAAF 2008 manual).
pub const OUTDOOR_STRAIGHT_M: f64 = 84.39;
/// Indoor bend radius [m] (IAAF 2008 manual, via Taboga & Kram 2019).
pub const INDOOR_KERB_RADIUS_M: f64 = 17.2;
/// Lane-1 line of running, measured from the kerb [m] (IAAF 2008 manual).
pub const LINE_OF_RUNNING_OFFSET_M: f64 = 0.30;
/// Lane width [m] (IAAF 2008 manual).
pub const LANE_WIDTH_M: f64 = 1.22;

/// Geometry of one track, with everything the race step needs precomputed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Track {
    /// Which track this is.
    pub kind: TrackKind,
    /// Radius of the lane-1 line of running on the bends [m].
    pub bend_radius_m: f64,
    /// Length of one bend along the line of running [m].
    pub bend_m: f64,
    /// Length of one straight [m].
    pub straight_m: f64,
    /// Lap length along the line of running [m].
    pub lap_m: f64,
    /// Whether the bends are banked (indoor tracks usually are).
    pub banked: bool,
}

impl Track {
    /// The geometry of a track of this kind (see the module notes for the numbers' sources).
    pub fn new(kind: TrackKind) -> Track {
        match kind {
            TrackKind::Outdoor400 => {
                let r = OUTDOOR_KERB_RADIUS_M + LINE_OF_RUNNING_OFFSET_M;
                let bend = PI * r;
                Track {
                    kind,
                    bend_radius_m: r,
                    bend_m: bend,
                    straight_m: OUTDOOR_STRAIGHT_M,
                    lap_m: 2.0 * bend + 2.0 * OUTDOOR_STRAIGHT_M,
                    banked: false,
                }
            }
            TrackKind::Indoor200 => {
                let r = INDOOR_KERB_RADIUS_M + LINE_OF_RUNNING_OFFSET_M;
                let bend = PI * r;
                let lap = 200.0;
                Track {
                    kind,
                    bend_radius_m: r,
                    bend_m: bend,
                    straight_m: (lap - 2.0 * bend) / 2.0,
                    lap_m: lap,
                    banked: true,
                }
            }
        }
    }

    /// Position on the lap [0, lap) of a point `s` metres into a race of `distance_m`.
    ///
    /// Races finish on the finish line, so the start is `distance_m` before it: the 1500 m starts
    /// 100 m past the finish line (inside bend 1), the mile 9.344 m before it on the home straight.
    #[inline]
    pub fn lap_position(&self, distance_m: f64, s: f64) -> f64 {
        (s - distance_m).rem_euclid(self.lap_m)
    }

    /// Whether lap position `p` (from [`Track::lap_position`]) is on a bend.
    #[inline]
    pub fn on_bend(&self, p: f64) -> bool {
        let half = self.bend_m + self.straight_m;
        let q = if p >= half { p - half } else { p };
        q < self.bend_m
    }

    /// Curvature of the lane-1 line at lap position `p` for a runner `y` metres out [1/m].
    #[inline]
    pub fn curvature(&self, p: f64, y: f64) -> f64 {
        if self.on_bend(p) {
            1.0 / (self.bend_radius_m + y)
        } else {
            0.0
        }
    }

    /// Metres of lane-1 progress per metre run, for a runner `y` metres outside the line.
    ///
    /// On a bend, running at radius R+y covers (R+y)/R metres of own path per metre of the
    /// reference line, i.e. π·y extra metres per bend; on a straight the factor is 1.
    #[inline]
    pub fn progress_factor(&self, p: f64, y: f64) -> f64 {
        if self.on_bend(p) {
            self.bend_radius_m / (self.bend_radius_m + y)
        } else {
            1.0
        }
    }

    /// Distances from the start (m) at which the lap line (the finish line) is crossed,
    /// excluding the start itself, ending with the finish.
    pub fn lap_lines(&self, distance_m: f64) -> Vec<f64> {
        let mut out = Vec::new();
        let mut d = distance_m;
        while d > 1e-6 {
            out.push(d);
            d -= self.lap_m;
        }
        out.reverse();
        out
    }

    /// Extra metres covered on one full bend at lateral offset `y` (π·y).
    pub fn extra_per_bend(&self, y: f64) -> f64 {
        PI * y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::units::MILE_M;

    #[test]
    fn names_parse_and_print() {
        for k in TrackKind::ALL {
            assert_eq!(k.name().parse::<TrackKind>().unwrap(), k);
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.name())
            );
        }
        assert_eq!("indoor".parse::<TrackKind>().unwrap(), TrackKind::Indoor200);
        assert_eq!(
            "clay".parse::<TrackKind>().unwrap_err().to_string(),
            "unknown track `clay` (known: outdoor400, indoor200)"
        );
        assert_eq!(TrackKind::of_mark(true), TrackKind::Indoor200);
        assert_eq!(TrackKind::Indoor200.describe(), "200 m indoor");
    }

    #[test]
    fn outdoor_lap_is_400() {
        let t = Track::new(TrackKind::Outdoor400);
        assert!((t.lap_m - 400.0).abs() < 0.01);
        assert!((t.bend_m - 115.61).abs() < 0.01);
        // bends are 57.8 % of a lap (model notes §3.1)
        assert!((2.0 * t.bend_m / t.lap_m - 0.578).abs() < 0.001);
    }

    #[test]
    fn indoor_lap_is_200() {
        let t = Track::new(TrackKind::Indoor200);
        assert!((t.lap_m - 200.0).abs() < 1e-9);
        assert!(t.straight_m > 40.0 && t.straight_m < 50.0);
    }

    #[test]
    fn start_positions() {
        let t = Track::new(TrackKind::Outdoor400);
        // 1500 m starts 100 m past the finish line, inside bend 1, ~15.6 m before the back straight
        let p0 = t.lap_position(1500.0, 0.0);
        assert!((p0 - 100.0).abs() < 0.01);
        assert!(t.on_bend(p0));
        assert!((t.bend_m - p0 - 15.61).abs() < 0.05);
        // the mile starts 9.344 m before the finish line, on the home straight
        let pm = t.lap_position(MILE_M, 0.0);
        assert!((t.lap_m - pm - 9.344).abs() < 0.01);
        assert!(!t.on_bend(pm));
        // lap lines
        let l = t.lap_lines(1500.0);
        assert_eq!(l.len(), 4);
        assert!((l[0] - 300.0).abs() < 0.01 && (l[3] - 1500.0).abs() < 1e-9);
        let lm = t.lap_lines(MILE_M);
        assert!((lm[0] - 9.344).abs() < 0.01 && (lm[1] - 409.344).abs() < 0.01);
    }

    #[test]
    fn extra_distance_in_lane_two() {
        // lane-2 line of running is 1.22 - 0.10 = 1.12 m outside lane 1's; +3.52 m per bend
        let t = Track::new(TrackKind::Outdoor400);
        let y = LANE_WIDTH_M - 0.10;
        assert!((t.extra_per_bend(y) - 3.52).abs() < 0.01);
        // integrating the progress factor over one bend's own path gives the same answer
        let own_path = PI * (t.bend_radius_m + y);
        let progress = own_path * t.progress_factor(50.0, y);
        assert!((own_path - progress - t.extra_per_bend(y)).abs() < 1e-9);
    }
}
