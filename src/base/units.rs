//! Units and formats at the boundary between people and the model.
//!
//! Inside racesim every quantity is SI: metres, seconds, metres per second. People write and read
//! times as `m:ss.ss` (or `h:mm:ss.ss`) and name race distances by event (`1500m`, `mile`, `2mile`);
//! this module converts between the two and nothing else.

use std::fmt;
use std::str::FromStr;

use crate::base::parse::deserialize_parsed;

/// One mile in metres (international yard and pound agreement, 1959: 1 yd = 0.9144 m exactly).
pub const MILE_M: f64 = 1609.344;

/// A standard race distance, as athletes report marks and as scenarios name races.
///
/// Marks are only comparable within an event (and a condition), and the calibration's time trial
/// needs a distance, so a mark's event is a closed set rather than free metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Event {
    /// 800 m.
    M800,
    /// 1000 m.
    M1000,
    /// 1500 m, the metric mile.
    M1500,
    /// The mile, 1609.344 m.
    Mile,
    /// 2000 m.
    M2000,
    /// 3000 m.
    M3000,
    /// Two miles, 3218.688 m.
    TwoMile,
    /// 5000 m.
    M5000,
}

/// A distance name that is not one of [`Event::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown distance `{0}` (known: {known})", known = Event::known_names())]
pub struct UnknownEvent(pub String);

/// Why a text is not a time ([`parse_time`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Nothing to parse.
    #[error("empty time")]
    Empty,
    /// Not of the form `m:ss.ss`.
    #[error("`{0}` is not a time (expected m:ss.ss)")]
    Malformed(String),
    /// Negative or not finite.
    #[error("`{0}` is not a valid time")]
    Invalid(String),
    /// A minutes or seconds field of 60 or more after the first field.
    #[error("`{0}`: minutes and seconds must be below 60")]
    FieldOver60(String),
    /// Zero.
    #[error("`{0}` is not a positive time")]
    NotPositive(String),
}

/// Slowest plausible average speed of any time in the data, in m/s (see [`check_time_plausible`]).
pub const MIN_PLAUSIBLE_SPEED_MPS: f64 = 3.0;
/// Fastest plausible average speed of any time in the data, in m/s (see [`check_time_plausible`]).
pub const MAX_PLAUSIBLE_SPEED_MPS: f64 = 11.0;

/// A time that cannot have been run over its distance ([`check_time_plausible`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImplausibleTime {
    /// Zero, negative, NaN or infinite.
    #[error("time {time_s} s must be positive and finite")]
    NotPositive {
        /// The time given [s].
        time_s: f64,
    },
    /// An average speed outside the sanity bounds.
    #[error(
        "time {time_s} s over {over_m} m is implausible: average speed {speed:.2} m/s is outside \
         the sanity bounds {MIN_PLAUSIBLE_SPEED_MPS}-{MAX_PLAUSIBLE_SPEED_MPS} m/s ({fastest} to \
         {slowest} over {over_m} m)",
        speed = over_m / time_s,
        fastest = fmt_time(over_m / MAX_PLAUSIBLE_SPEED_MPS),
        slowest = fmt_time(over_m / MIN_PLAUSIBLE_SPEED_MPS)
    )]
    OutOfBounds {
        /// The time given [s].
        time_s: f64,
        /// The distance it covers [m].
        over_m: f64,
    },
}

/// Check that `time_s` is a plausible time over `over_m` metres: positive, finite, and an average
/// speed within [`MIN_PLAUSIBLE_SPEED_MPS`]..=[`MAX_PLAUSIBLE_SPEED_MPS`] (a 1500 m between
/// 2:16.4 and 8:20.0).
///
/// The bounds are wide on purpose: they catch unit slips (minutes for seconds, a split for a
/// final time), not slow races. Scenarios and race records share them, so a mark accepted in one
/// is accepted in the other.
///
/// # Errors
/// [`ImplausibleTime`] for non-positive, non-finite or implausible times.
pub fn check_time_plausible(time_s: f64, over_m: f64) -> Result<(), ImplausibleTime> {
    if !time_s.is_finite() || time_s <= 0.0 {
        return Err(ImplausibleTime::NotPositive { time_s });
    }
    let v = over_m / time_s;
    if !(MIN_PLAUSIBLE_SPEED_MPS..=MAX_PLAUSIBLE_SPEED_MPS).contains(&v) {
        return Err(ImplausibleTime::OutOfBounds { time_s, over_m });
    }
    Ok(())
}

impl Event {
    /// Every event racesim knows, shortest first.
    pub const ALL: [Event; 8] = [
        Event::M800,
        Event::M1000,
        Event::M1500,
        Event::Mile,
        Event::M2000,
        Event::M3000,
        Event::TwoMile,
        Event::M5000,
    ];

    /// Race distance in metres.
    pub fn metres(self) -> f64 {
        match self {
            Event::M800 => 800.0,
            Event::M1000 => 1000.0,
            Event::M1500 => 1500.0,
            Event::Mile => MILE_M,
            Event::M2000 => 2000.0,
            Event::M3000 => 3000.0,
            Event::TwoMile => 2.0 * MILE_M,
            Event::M5000 => 5000.0,
        }
    }

    /// The name used in scenario files and in the shared data (`800m`, `mile`, `2mile`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Event::M800 => "800m",
            Event::M1000 => "1000m",
            Event::M1500 => "1500m",
            Event::Mile => "mile",
            Event::M2000 => "2000m",
            Event::M3000 => "3000m",
            Event::TwoMile => "2mile",
            Event::M5000 => "5000m",
        }
    }

    /// The event whose distance is `m` metres (to within 1 cm), if any.
    pub fn from_metres(m: f64) -> Option<Event> {
        Event::ALL
            .into_iter()
            .find(|e| (e.metres() - m).abs() < 0.01)
    }

    /// A comma-separated list of the known names, for error messages.
    pub fn known_names() -> String {
        Event::ALL
            .iter()
            .map(|e| e.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Event {
    type Err = UnknownEvent;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let e = match t.as_str() {
            "800m" | "800" => Event::M800,
            "1000m" | "1000" => Event::M1000,
            "1500m" | "1500" => Event::M1500,
            "mile" | "1mile" | "1 mile" => Event::Mile,
            "2000m" | "2000" => Event::M2000,
            "3000m" | "3000" => Event::M3000,
            "2mile" | "2miles" | "2 miles" | "two-mile" => Event::TwoMile,
            "5000m" | "5000" => Event::M5000,
            _ => return Err(UnknownEvent(s.to_string())),
        };
        Ok(e)
    }
}

/// Parse a time written by a person: `3:29.05`, `8:00.67`, `1:01:02.5`, `54.82` or `54.82s`.
///
/// Returns seconds. Rejects empty strings, negative or non-finite values, and minutes/seconds
/// fields of 60 or more after the first field.
///
/// # Errors
/// [`TimeError`] saying which of those it is.
pub fn parse_time(s: &str) -> Result<f64, TimeError> {
    let t = s.trim();
    let t = t.strip_suffix('s').unwrap_or(t);
    if t.is_empty() {
        return Err(TimeError::Empty);
    }
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() > 3 {
        return Err(TimeError::Malformed(s.to_string()));
    }
    let mut total = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let last = i == parts.len() - 1;
        let v: f64 = if last {
            p.parse().map_err(|_| TimeError::Malformed(s.to_string()))?
        } else {
            p.parse::<u32>()
                .map_err(|_| TimeError::Malformed(s.to_string()))? as f64
        };
        if !v.is_finite() || v < 0.0 {
            return Err(TimeError::Invalid(s.to_string()));
        }
        if i > 0 && v >= 60.0 {
            return Err(TimeError::FieldOver60(s.to_string()));
        }
        total = total * 60.0 + v;
    }
    if total <= 0.0 {
        return Err(TimeError::NotPositive(s.to_string()));
    }
    Ok(total)
}

/// Format seconds as `m:ss.ss` (or `ss.ss` under a minute, `h:mm:ss.ss` over an hour).
pub fn fmt_time(secs: f64) -> String {
    if !secs.is_finite() {
        return "-".into();
    }
    let neg = secs < 0.0;
    let cs = (secs.abs() * 100.0).round() as u64; // centiseconds
    let h = cs / 360_000;
    let m = (cs / 6000) % 60;
    let s = (cs % 6000) as f64 / 100.0;
    let sign = if neg { "-" } else { "" };
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:05.2}")
    } else if m > 0 {
        format!("{sign}{m}:{s:05.2}")
    } else {
        format!("{sign}{s:.2}")
    }
}

/// Metres without needless decimals: 300, 409.34 (a mile's first lap line).
pub fn fmt_m(x: f64) -> String {
    if (x - x.round()).abs() < 0.005 {
        format!("{:.0}", x)
    } else {
        format!("{:.2}", x)
    }
}

/// A difference with its sign, `−` for minus: `+1.2`, `−0.30`; no sign when it rounds to zero;
/// `-` when not finite.
pub fn signed(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let s = format!("{:.d$}", x.abs());
    if s.chars().all(|c| c == '0' || c == '.') {
        s
    } else if x < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

/// Format seconds as `m:ss` (whole seconds), for chart ticks.
pub fn fmt_time_short(secs: f64) -> String {
    let s = secs.round() as i64;
    if s.abs() >= 60 {
        format!("{}:{:02}", s / 60, (s % 60).abs())
    } else {
        format!("{s}")
    }
}

impl serde::Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Event {
    /// By name; an unknown name is reported as an unknown *event* (the word race records use),
    /// positioned at the offending string.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_parsed(d, "an event name such as `1500m` or `mile`", |s| {
            s.parse::<Event>()
                .map_err(|_| format!("unknown event `{s}` (known: {})", Event::known_names()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        assert!((parse_time("3:29.05").unwrap() - 209.05).abs() < 1e-9);
        assert!((parse_time("8:00.67").unwrap() - 480.67).abs() < 1e-9);
        assert!((parse_time("54.82").unwrap() - 54.82).abs() < 1e-9);
        assert!((parse_time("54.82s").unwrap() - 54.82).abs() < 1e-9);
        assert!((parse_time("1:01:02.5").unwrap() - 3662.5).abs() < 1e-9);
    }

    #[test]
    fn rejects_bad_times() {
        for bad in ["", "-3:29", "3:75.0", "abc", "3:29:1:2", "0", "nan", "3:-1"] {
            assert!(parse_time(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn formats_round_trip() {
        for t in [209.05, 480.67, 54.82, 3662.5, 59.999, 120.0] {
            let s = fmt_time(t);
            assert!((parse_time(&s).unwrap() - t).abs() < 0.006, "{t} -> {s}");
        }
        assert_eq!(fmt_time(207.65), "3:27.65");
        assert_eq!(fmt_time(54.82), "54.82");
        assert_eq!(fmt_time(59.999), "1:00.00");
    }

    #[test]
    fn events_by_name_and_distance() {
        assert_eq!("mile".parse::<Event>().unwrap(), Event::Mile);
        assert_eq!("2mile".parse::<Event>().unwrap(), Event::TwoMile);
        assert_eq!(Event::from_metres(1609.344), Some(Event::Mile));
        assert_eq!(Event::from_metres(3218.688), Some(Event::TwoMile));
        assert!("10000m".parse::<Event>().is_err());
        assert_eq!(
            "10000m".parse::<Event>().unwrap_err().to_string(),
            format!(
                "unknown distance `10000m` (known: {})",
                Event::known_names()
            )
        );
    }

    #[test]
    fn time_errors_say_why() {
        assert_eq!(parse_time(" ").unwrap_err(), TimeError::Empty);
        assert_eq!(
            parse_time("3:75.0").unwrap_err().to_string(),
            "`3:75.0`: minutes and seconds must be below 60"
        );
        assert_eq!(
            parse_time("fast").unwrap_err().to_string(),
            "`fast` is not a time (expected m:ss.ss)"
        );
    }

    #[test]
    fn sanity_bounds() {
        assert!(check_time_plausible(207.65, 1500.0).is_ok());
        assert!(check_time_plausible(275.6, 1500.0).is_ok());
        assert!(check_time_plausible(30.0, 1500.0).is_err());
        assert!(check_time_plausible(1200.0, 1500.0).is_err());
        assert!(check_time_plausible(0.0, 1500.0).is_err());
        assert!(check_time_plausible(-3.0, 1500.0).is_err());
        assert!(check_time_plausible(f64::NAN, 1500.0).is_err());
        assert!(check_time_plausible(f64::INFINITY, 1500.0).is_err());
        let m = check_time_plausible(30.0, 1500.0).unwrap_err().to_string();
        assert!(m.contains("sanity bounds") && m.contains("2:16.36"), "{m}");
        assert_eq!(
            m,
            "time 30 s over 1500 m is implausible: average speed 50.00 m/s is outside the sanity \
             bounds 3-11 m/s (2:16.36 to 8:20.00 over 1500 m)"
        );
    }
}
