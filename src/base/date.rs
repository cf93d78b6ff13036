//! A calendar date (proleptic Gregorian), as race records write it: `YYYY-MM-DD`.
//!
//! Just enough for race data: parsing with a clear message, ordering, whole-day differences and
//! "n years earlier". No time zones and no times of day: a race date is the local date of the
//! meeting, and so are the dates of marks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::base::parse::deserialize_parsed;

/// Why a date is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// A year racesim does not handle.
    #[error("year {0} is outside 1000-9999")]
    Year(i32),
    /// Not a month.
    #[error("month {0} is outside 1-12")]
    Month(u8),
    /// A day the month does not have.
    #[error("day {day} does not exist ({year}-{month:02} has {days} days)")]
    Day {
        /// The year.
        year: i32,
        /// The month.
        month: u8,
        /// The day asked for.
        day: u8,
        /// The days that month has.
        days: u8,
    },
    /// Not `YYYY-MM-DD`.
    #[error("wrong shape")]
    Shape,
    /// A text that is not a date, and why.
    #[error("`{text}` is not a valid date (expected YYYY-MM-DD): {reason}")]
    Text {
        /// The text given.
        text: String,
        /// What is wrong with it.
        reason: Box<DateError>,
    },
}

/// A valid calendar date between the years 1000 and 9999.
///
/// Ordering is chronological.
///
/// # Example
/// ```
/// use racesim::base::date::Date;
/// let race: Date = "2024-08-06".parse().unwrap();
/// let pb: Date = "2023-09-16".parse().unwrap();
/// assert!(pb < race);
/// assert_eq!(pb.days_between(race), 325);
/// assert_eq!(race.years_earlier(4).to_string(), "2020-08-06");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order matters: the derived ordering is (year, month, day).
    year: i32,
    month: u8,
    day: u8,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date `year-month-day`, if it exists in the calendar.
    ///
    /// # Errors
    /// Year outside 1000..=9999, month outside 1..=12, or a day the month does not have.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1000..=9999).contains(&year) {
            return Err(DateError::Year(year));
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let days = days_in_month(year, month);
        if day == 0 || day > days {
            return Err(DateError::Day {
                year,
                month,
                day,
                days,
            });
        }
        Ok(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// Days since 1970-01-01 (negative before).
    ///
    /// # Notes
    /// Howard Hinnant's `days_from_civil` algorithm [^hinnant].
    ///
    /// [^hinnant]: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (2013).
    pub fn days_since_epoch(self) -> i64 {
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12; // March = 0
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole days from `self` to `later` (negative if `later` is in fact earlier).
    pub fn days_between(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The same calendar day `n` years earlier; 29 February becomes 28 February in a non-leap
    /// year. Saturates at the year 1000.
    pub fn years_earlier(self, n: u32) -> Date {
        let year = (i64::from(self.year) - i64::from(n)).max(1000) as i32;
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: DateError| DateError::Text {
            text: s.to_string(),
            reason: Box::new(why),
        };
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(bad(DateError::Shape));
        }
        // Ten ASCII bytes, digits checked above: each field parses (0 only if that were false).
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        Date::new(y as i32, m as u8, d as u8).map_err(bad)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_parsed(d, "a date as YYYY-MM-DD", str::parse::<Date>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(d("2024-08-06").ymd(), (2024, 8, 6));
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2023-4-1",
            "2023/04/01",
            "23-04-01",
            "2023-04-01T00:00",
            "",
            "０２３-04-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad} should be rejected");
        }
        let e = "2023-02-30".parse::<Date>().unwrap_err().to_string();
        assert_eq!(
            e,
            "`2023-02-30` is not a valid date (expected YYYY-MM-DD): day 30 does not exist \
             (2023-02 has 28 days)"
        );
        assert_eq!(
            "6 Aug".parse::<Date>().unwrap_err().to_string(),
            "`6 Aug` is not a valid date (expected YYYY-MM-DD): wrong shape"
        );
    }

    #[test]
    fn orders_chronologically() {
        assert!(d("2023-12-31") < d("2024-01-01"));
        assert!(d("2024-01-31") < d("2024-02-01"));
        assert!(d("2024-02-01") < d("2024-02-02"));
    }

    #[test]
    fn counts_days() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2000-03-01").days_since_epoch(), 11_017);
        assert_eq!(d("1969-12-31").days_since_epoch(), -1);
        assert_eq!(d("2024-02-28").days_between(d("2024-03-01")), 2);
        assert_eq!(d("2023-02-28").days_between(d("2023-03-01")), 1);
        assert_eq!(d("2021-08-07").days_between(d("2024-08-06")), 1095);
        assert_eq!(d("2024-08-06").days_between(d("2021-08-07")), -1095);
        // consecutive days over a long stretch differ by exactly one
        let mut prev = d("1999-12-25").days_since_epoch();
        let mut date = d("1999-12-26");
        for _ in 0..800 {
            let n = date.days_since_epoch();
            assert_eq!(n, prev + 1, "{date}");
            prev = n;
            let (y, m, dd) = date.ymd();
            date = Date::new(y, m, dd + 1)
                .or_else(|_| Date::new(y, m + 1, 1))
                .or_else(|_| Date::new(y + 1, 1, 1))
                .unwrap();
        }
    }

    #[test]
    fn steps_back_whole_years() {
        assert_eq!(d("2024-08-06").years_earlier(4), d("2020-08-06"));
        assert_eq!(d("2024-02-29").years_earlier(1), d("2023-02-28"));
        assert_eq!(d("2024-02-29").years_earlier(4), d("2020-02-29"));
    }

    #[test]
    fn serde_round_trip() {
        let x: Date = serde_json::from_str("\"2023-09-16\"").unwrap();
        assert_eq!(serde_json::to_string(&x).unwrap(), "\"2023-09-16\"");
        assert!(serde_json::from_str::<Date>("\"2023-09-31\"").is_err());
    }
}
