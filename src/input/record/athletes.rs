//! The athlete database (`shared/data/athletes.json`): personal-best progressions by name.
//!
//! Format: `{ name: { country, sex, marks: [ {event, time_s, date, indoor, venue, note} ],
//! sources } }`. Every event in the shared file is one racesim knows (`800m` to `5000m`); a mark
//! at any other event is an error, like in a race record, rather than skipped: silently dropping
//! marks would change the runners built from them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Date, FieldProblem, Mark, Sex, check_country, check_mark};
use crate::base::error::{FieldPath, InputError};
use crate::error::Error;
use crate::input::json;

/// One athlete's entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Athlete {
    /// IOC / ISO-3 code.
    pub country: String,
    /// Men or women.
    pub sex: Sex,
    /// Marks in file order (for most athletes: the PB progression, oldest first).
    pub marks: Vec<Mark>,
    #[serde(default)]
    /// Where the marks come from.
    pub sources: Vec<String>,
}

/// Athletes by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AthleteDb {
    /// By name (alphabetical).
    pub athletes: BTreeMap<String, Athlete>,
}

impl AthleteDb {
    /// Read and check the athlete database.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Input`] naming file, line and field for
    /// malformed JSON, wrong types, missing fields, unknown events, bad dates, country codes that
    /// are not three capital letters, and times outside the sanity bounds
    /// ([`super::check_time_plausible`]).
    pub fn load(path: impl AsRef<Path>) -> Result<AthleteDb, Error> {
        let path = path.as_ref();
        let text = crate::input::source::read_input(path)?;
        Ok(AthleteDb::from_str(&text, path)?)
    }

    /// Parse and check the database given as text; `path` names it in errors.
    ///
    /// # Errors
    /// As [`AthleteDb::load`], for the input part.
    pub fn from_str(text: &str, path: impl AsRef<Path>) -> Result<AthleteDb, InputError> {
        let path = path.as_ref();
        let db: AthleteDb = json::from_json(text, path)?;
        db.validate().map_err(|p| p.locate(text, path))?;
        Ok(db)
    }

    /// Check names, country codes and marks; the first problem is returned.
    ///
    /// # Errors
    /// The field path and message of the first broken rule.
    pub fn validate(&self) -> Result<(), FieldProblem> {
        for (name, a) in &self.athletes {
            let ap = FieldPath::root().key(name.as_str());
            if name.trim().is_empty() {
                return Err(FieldProblem::new(ap, "athlete name must not be empty"));
            }
            check_country(&a.country, ap.key("country"))?;
            for (i, m) in a.marks.iter().enumerate() {
                check_mark(m, &ap.key("marks").index(i), None)?;
            }
        }
        Ok(())
    }

    /// The athlete called `name`.
    pub fn get(&self, name: &str) -> Option<&Athlete> {
        self.athletes.get(name)
    }

    /// Number of athletes.
    pub fn len(&self) -> usize {
        self.athletes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.athletes.is_empty()
    }

    /// Names in alphabetical order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.athletes.keys().map(String::as_str)
    }

    /// The marks of `name` known on the morning of `date`: those dated **strictly before** it,
    /// in file order.
    ///
    /// Undated marks are excluded: with only a year (or nothing) known, they cannot be shown to
    /// predate the race, and the database holds marks from after some races (a later mark would
    /// leak the result). Unknown names give no marks.
    pub fn marks_as_of(&self, name: &str, date: Date) -> Vec<Mark> {
        self.get(name)
            .map(|a| {
                a.marks
                    .iter()
                    .filter(|m| m.date.is_some_and(|d| d < date))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::units::Event;

    fn db_path() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/athletes.json")
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn shared_database_loads() {
        let db = AthleteDb::load(db_path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(db.len(), 20);
        let jakob = db.get("Jakob Ingebrigtsen").unwrap();
        assert_eq!(jakob.country, "NOR");
        assert_eq!(jakob.sex, Sex::Men);
        assert!(jakob.marks.len() > 50);
        assert_eq!(db.get("Faith Kipyegon").unwrap().sex, Sex::Women);
        assert!(db.names().any(|n| n == "Mario García"));
    }

    #[test]
    fn marks_as_of_is_strictly_before_and_drops_undated() {
        let db = AthleteDb::load(db_path()).unwrap();
        // Kessler's 3:46.90 indoor mile is from the 2025 Wanamaker Mile itself.
        let race = d("2025-02-08");
        let k = db.marks_as_of("Hobbs Kessler", race);
        assert!(!k.is_empty());
        assert!(k.iter().all(|m| m.date.unwrap() < race));
        assert!(!k.iter().any(|m| m.time_s == 226.9));
        let all = &db.get("Hobbs Kessler").unwrap().marks;
        assert!(
            all.iter()
                .any(|m| m.time_s == 226.9 && m.date == Some(race))
        );
        assert!(all.iter().any(|m| m.date.is_none()));
        // one day later it counts
        let later = db.marks_as_of("Hobbs Kessler", d("2025-02-09"));
        assert!(later.iter().any(|m| m.time_s == 226.9));
        assert!(db.marks_as_of("Nobody", race).is_empty());
        // Paris 2024: nothing from the final (2024-08-06) for Hocker
        let h = db.marks_as_of("Cole Hocker", d("2024-08-06"));
        assert!(h.iter().all(|m| m.time_s != 207.65));
        assert!(h.iter().any(|m| m.event == Event::M1500));
    }

    const SMALL: &str = r#"{
  "A B": {
    "country": "NOR",
    "sex": "men",
    "marks": [
      {"event": "1500m", "time_s": 210.0, "date": "2023-01-01", "indoor": false, "venue": "X", "note": ""},
      {"event": "mile", "time_s": 230.0, "date": null, "indoor": true, "venue": null, "note": "n"}
    ],
    "sources": []
  }
}"#;

    #[test]
    fn errors_are_located() {
        assert_eq!(AthleteDb::from_str(SMALL, "a.json").unwrap().len(), 1);
        let t = SMALL.replace("\"mile\"", "\"10000m\"");
        let e = AthleteDb::from_str(&t, "a.json").unwrap_err();
        assert_eq!(e.field, r#"["A B"].marks[1].event"#);
        assert_eq!(e.line, Some(7));
        assert!(e.message.contains("unknown event"), "{e}");
        let t = SMALL.replace("230.0", "23.0");
        let e = AthleteDb::from_str(&t, "a.json").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.line),
            (r#"["A B"].marks[1].time_s"#, Some(7))
        );
        let t = SMALL.replace("    \"sex\": \"men\",\n", "");
        let e = AthleteDb::from_str(&t, "a.json").unwrap_err();
        assert_eq!((e.field.as_str(), e.line), (r#"["A B"].sex"#, Some(2)));
        let t = SMALL.replace("\"NOR\"", "\"Norway\"");
        let e = AthleteDb::from_str(&t, "a.json").unwrap_err();
        assert_eq!((e.field.as_str(), e.line), (r#"["A B"].country"#, Some(3)));
        let t = SMALL.replace("2023-01-01", "2023-02-29");
        let e = AthleteDb::from_str(&t, "a.json").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.line),
            (r#"["A B"].marks[0].date"#, Some(6))
        );
    }
}
