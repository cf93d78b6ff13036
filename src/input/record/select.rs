//! Choosing the marks a runner is built from.
//!
//! An athlete may have many marks per event (a PB progression, season bests, heat times). A
//! runner model wants one number per event and condition: the best that athlete had shown, and
//! recently enough to still say something about current form.

use std::collections::BTreeMap;

use super::{Date, Mark};
use crate::base::units::Event;

/// Marks set more than this many years before the race are ignored by [`select_marks`].
///
/// A modelling default, not a fact: elite middle-distance careers change over a few seasons, and
/// four years (one Olympic cycle) keeps a PB from the previous Games while dropping junior-era
/// marks from the Tilastopaja progressions.
pub const STALE_AFTER_YEARS: u32 = 4;

/// Where a mark was set, as far as known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Condition {
    /// Set outdoors.
    Outdoor,
    /// Set indoors.
    Indoor,
    /// `indoor` was `null` in the data.
    Unknown,
}

impl Condition {
    /// The condition of a mark's `indoor` flag.
    pub fn of(indoor: Option<bool>) -> Condition {
        match indoor {
            Some(false) => Condition::Outdoor,
            Some(true) => Condition::Indoor,
            None => Condition::Unknown,
        }
    }
}

/// The best mark for one event and condition.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectedMark {
    /// The event.
    pub event: Event,
    /// Where it was set.
    pub condition: Condition,
    /// The mark.
    pub mark: Mark,
    /// Days from the mark to the race, when both dates are known.
    pub age_days: Option<i64>,
}

/// Pick, per event and per condition (outdoor / indoor / unknown), the single fastest mark.
///
/// Rules (modelling defaults):
/// * With a known `race_date`, dated marks older than [`STALE_AFTER_YEARS`] years before it
///   (strictly before the same calendar day that many years earlier) are ignored, and so are
///   marks dated on or after the race date (they would leak the result).
/// * Undated marks are kept whatever their age (their note may give a year; it is not parsed),
///   and every mark is kept when `race_date` is `None`.
/// * Marks with a non-positive or non-finite time are ignored.
/// * Ties go to the more recent mark, then to a dated one over an undated one, then to the first
///   in `marks`.
///
/// The result is ordered by event (shortest first), then condition (outdoor, indoor, unknown).
///
/// # Example
/// ```
/// use racesim::base::date::Date;
/// use racesim::input::record::{Condition, Mark, select_marks};
/// use racesim::base::units::Event;
/// let mark = |t: f64, date: &str| Mark {
///     event: Event::M1500, time_s: t, date: Some(date.parse().unwrap()),
///     indoor: Some(false), venue: None, note: None,
/// };
/// let marks = [mark(212.0, "2024-06-01"), mark(209.5, "2023-07-01"), mark(205.0, "2015-07-01")];
/// let race: Date = "2024-08-06".parse().unwrap();
/// let best = select_marks(&marks, Some(race));
/// assert_eq!(best.len(), 1);
/// assert_eq!(best[0].mark.time_s, 209.5); // the 2015 mark is stale
/// assert_eq!(best[0].condition, Condition::Outdoor);
/// assert_eq!(best[0].age_days, Some(402));
/// ```
pub fn select_marks(marks: &[Mark], race_date: Option<Date>) -> Vec<SelectedMark> {
    let cutoff = race_date.map(|r| r.years_earlier(STALE_AFTER_YEARS));
    let mut best: BTreeMap<(Event, Condition), SelectedMark> = BTreeMap::new();
    for m in marks {
        if !(m.time_s.is_finite() && m.time_s > 0.0) {
            continue;
        }
        let out_of_window = match (race_date, cutoff, m.date) {
            (Some(race), Some(cut), Some(d)) => d >= race || d < cut,
            _ => false,
        };
        if out_of_window {
            continue;
        }
        let age_days = match (race_date, m.date) {
            (Some(r), Some(d)) => Some(d.days_between(r)),
            _ => None,
        };
        let cand = SelectedMark {
            event: m.event,
            condition: Condition::of(m.indoor),
            mark: m.clone(),
            age_days,
        };
        best.entry((cand.event, cand.condition))
            .and_modify(|cur| {
                if better(&cand, cur) {
                    *cur = cand.clone();
                }
            })
            .or_insert(cand);
    }
    best.into_values().collect()
}

/// Whether `a` should replace `b` (same event and condition).
fn better(a: &SelectedMark, b: &SelectedMark) -> bool {
    if a.mark.time_s != b.mark.time_s {
        return a.mark.time_s < b.mark.time_s;
    }
    match (a.mark.date, b.mark.date) {
        (Some(da), Some(db)) => da > db,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mk(event: Event, t: f64, date: Option<&str>, indoor: Option<bool>) -> Mark {
        Mark {
            event,
            time_s: t,
            date: date.map(|s| s.parse().unwrap()),
            indoor,
            venue: None,
            note: None,
        }
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn picks_fastest_per_event_and_condition() {
        let marks = [
            mk(Event::M1500, 212.0, Some("2024-06-01"), Some(false)),
            mk(Event::M1500, 209.0, Some("2023-07-01"), Some(false)),
            mk(Event::M1500, 211.0, Some("2024-02-01"), Some(true)),
            mk(Event::M1500, 213.0, Some("2024-02-15"), Some(true)),
            mk(Event::Mile, 228.0, None, Some(true)),
            mk(Event::M800, 104.0, Some("2022-06-01"), None),
            mk(Event::M800, 103.5, Some("2022-07-01"), Some(false)),
        ];
        let s = select_marks(&marks, Some(d("2024-08-06")));
        let got: Vec<_> = s
            .iter()
            .map(|m| (m.event, m.condition, m.mark.time_s))
            .collect();
        assert_eq!(
            got,
            vec![
                (Event::M800, Condition::Outdoor, 103.5),
                (Event::M800, Condition::Unknown, 104.0),
                (Event::M1500, Condition::Outdoor, 209.0),
                (Event::M1500, Condition::Indoor, 211.0),
                (Event::Mile, Condition::Indoor, 228.0),
            ]
        );
        assert_eq!(
            s[2].age_days,
            Some(d("2023-07-01").days_between(d("2024-08-06")))
        );
        assert_eq!(s[4].age_days, None);
    }

    #[test]
    fn drops_stale_and_future_marks_but_keeps_undated() {
        let race = d("2024-08-06");
        let marks = [
            mk(Event::M1500, 205.0, Some("2020-08-05"), Some(false)), // 4 years + 1 day: stale
            mk(Event::M1500, 206.0, Some("2020-08-06"), Some(false)), // exactly 4 years: kept
            mk(Event::M1500, 204.0, Some("2024-08-06"), Some(false)), // race day: leak
            mk(Event::M1500, 203.0, Some("2025-01-01"), Some(false)), // later: leak
            mk(Event::Mile, 220.0, None, Some(false)),                // undated: kept
        ];
        let s = select_marks(&marks, Some(race));
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].mark.time_s, 206.0);
        assert_eq!(s[0].age_days, Some(1461));
        assert_eq!(s[1].mark.time_s, 220.0);
        // without a race date nothing is dropped for age
        let s = select_marks(&marks, None);
        assert_eq!(s[0].mark.time_s, 203.0);
        assert!(s.iter().all(|m| m.age_days.is_none()));
    }

    #[test]
    fn ties_prefer_recent_then_dated() {
        let marks = [
            mk(Event::M1500, 210.0, None, Some(false)),
            mk(Event::M1500, 210.0, Some("2022-01-01"), Some(false)),
            mk(Event::M1500, 210.0, Some("2023-01-01"), Some(false)),
            mk(Event::M1500, 210.0, Some("2021-01-01"), Some(false)),
        ];
        let s = select_marks(&marks, Some(d("2024-01-01")));
        assert_eq!(s[0].mark.date, Some(d("2023-01-01")));
        let s = select_marks(&marks[..1], Some(d("2024-01-01")));
        assert_eq!(s[0].mark.date, None);
    }

    #[test]
    fn ignores_nonsense_times_and_empty_input() {
        assert!(select_marks(&[], None).is_empty());
        let marks = [
            mk(Event::M1500, f64::NAN, None, None),
            mk(Event::M1500, -1.0, None, None),
            mk(Event::M1500, 0.0, None, None),
        ];
        assert!(select_marks(&marks, None).is_empty());
    }

    #[test]
    fn works_on_real_entrants() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/races/paris2024_oly_m1500_final.json");
        let r = super::super::RaceRecord::load(path).unwrap();
        let jakob = r.entrant("Jakob Ingebrigtsen").unwrap();
        let s = select_marks(&jakob.reported, Some(r.date));
        let m1500: Vec<_> = s.iter().filter(|m| m.event == Event::M1500).collect();
        assert_eq!(m1500.len(), 1);
        assert_eq!(m1500[0].mark.time_s, 206.73); // Monaco 2024 PB, not the semi-final
        // his 5000 m PB (2021-06-10) is within four years of 2024-08-06
        assert!(s.iter().any(|m| m.event == Event::M5000));
    }
}
