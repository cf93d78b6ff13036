//! A real race as a field: what was known before the gun — the entrants' marks, the track, the
//! distance, the pacers' plan — and nothing from the result.
//!
//! Records are less complete than scenarios: a pacer without splits runs the race's plan, a pacer
//! without a drop-out point steps off at a default one, an entrant without marks gets the field
//! prior. Each such default is said in words ([`RecordField::assumptions`]).

use std::path::{Path, PathBuf};

use super::{Condition, RaceRecord, SelectedMark, select_marks};
use crate::base::error::{FieldPath, InputError};
use crate::base::params::ModelParams;
use crate::base::units::fmt_time;
use crate::engine::pacing::{PacerSpec, Schedule};
use crate::engine::race::SetupError;
use crate::error::{Error, Result};
use crate::field::calibrate::CalMark;
use crate::field::tactics::TacticOverrides;
use crate::field::{BuildError, Field, FieldSpec, FitCache, RunnerEntry, RunnerSource};

/// Default drop-out of the k-th pacer (k = 0, 1, 2…) when the record does not give it, as a
/// fraction of the race distance: 0.53 / 0.80 / 0.90 [U] — i.e. 800 m and 1200 m in a 1500 m, the
/// notes' typical drop-outs (pacer 1 at 600–800 m, pacer 2 at 1000–1200 m, model notes §5 [S
/// examples, range U]).
pub const DEFAULT_PACER_DROP_FRAC: [f64; 3] = [0.53, 0.80, 0.90];

/// An input error about a value derived from the record at `path` (a pacer plan that cannot be
/// run, marks that cannot be fitted): the record's text is read again — only on this error
/// path, the checked record keeps no text — to name the line of `path`, or of its nearest
/// ancestor that is in the file.
fn located(file: &Path, path: &FieldPath, msg: impl Into<String>) -> Error {
    let line = crate::input::source::read_input(file)
        .ok()
        .and_then(|text| crate::input::json::line_of_path_or_ancestor(&text, path));
    Error::Input(InputError::new(file, line, path.to_string(), msg))
}

/// Selected marks as calibration input (without their notes).
pub fn cal_marks(selected: &[SelectedMark]) -> Vec<CalMark> {
    selected
        .iter()
        .map(|sm| {
            let mut cm = CalMark::new(sm.event, sm.mark.time_s, sm.condition == Condition::Indoor);
            cm.age_days = sm.age_days.map(|d| d as f64);
            cm
        })
        .collect()
}

/// An entrant's marks as calibration input: the best per event and condition of the four years
/// before the race ([`select_marks`]), with their notes (reports show them). No entrant: none.
pub fn record_marks(rec: &RaceRecord, name: &str) -> Vec<CalMark> {
    let Some(e) = rec.entrant(name) else {
        return Vec::new();
    };
    let selected = select_marks(&e.reported, Some(rec.race_date()));
    let mut marks = cal_marks(&selected);
    for (cm, sm) in marks.iter_mut().zip(&selected) {
        cm.note = sm.mark.note.clone().unwrap_or_default();
    }
    marks
}

/// A record's field, with the marks each entrant was built from and the defaults assumed.
#[derive(Debug, Clone)]
pub struct RecordField {
    /// The field as data.
    pub spec: FieldSpec,
    /// Per entrant (in the record's order): the marks used.
    pub marks: Vec<Vec<CalMark>>,
    /// Defaults the record forced on us (field priors, pacer drop-outs, plans...), in words.
    pub assumptions: Vec<String>,
    file: PathBuf,
    /// The record's `pacemakers.pacers` names, in its order (to locate a pacer's error).
    pacer_names: Vec<String>,
}

impl RaceRecord {
    /// The field this record describes, from its pre-race part only; `file` names it in errors.
    ///
    /// # Errors
    /// [`Error::Input`] naming the record if no entrant has a mark, or a pacer plan cannot be run.
    pub fn field(&self, file: &Path, params: &ModelParams) -> Result<RecordField> {
        let root = FieldPath::root();
        let bad =
            |path: FieldPath, msg: &dyn std::fmt::Display| located(file, &path, msg.to_string());
        let dist = self.distance_m;
        let mut assumptions = Vec::new();
        let marks: Vec<Vec<CalMark>> = self
            .entrants
            .iter()
            .map(|e| record_marks(self, &e.name))
            .collect();
        if marks.iter().all(|m| m.is_empty()) {
            return Err(bad(
                root.key("entrants"),
                &"no entrant has a reported mark to build the field from",
            ));
        }
        let unknown: Vec<&str> = self
            .entrants
            .iter()
            .zip(&marks)
            .filter(|(_, m)| m.is_empty())
            .map(|(e, _)| e.name.as_str())
            .collect();
        if !unknown.is_empty() {
            assumptions.push(format!(
                "no pre-race mark for {}: field prior (slower quartile of the known runners)",
                unknown.join(", ")
            ));
        }

        // ---- pacers ----
        let plan_points: Vec<(f64, f64)> = {
            let mut pts: Vec<(f64, f64)> = self
                .human_pacers()
                .flat_map(|p| p.target_splits.iter().map(|s| (s.at_m, s.time_s)))
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            pts.dedup_by(|a, b| (a.0 - b.0).abs() < 0.5);
            pts
        };
        let light = self
            .wavelight()
            .filter(|w| !w.target_splits.is_empty())
            .map(|w| {
                w.target_splits
                    .iter()
                    .map(|s| (s.at_m, s.time_s))
                    .collect::<Vec<_>>()
            });
        let mut pacers = Vec::new();
        let humans = (self.pacemakers.pacers.iter().enumerate()).filter(|(_, p)| !p.is_wavelight());
        for (k, (j, pp)) in humans.enumerate() {
            let at = root.key("pacemakers").key("pacers").index(j);
            let pts: Vec<(f64, f64)> = if !pp.target_splits.is_empty() {
                pp.target_splits
                    .iter()
                    .map(|s| (s.at_m, s.time_s))
                    .collect()
            } else if !plan_points.is_empty() {
                assumptions.push(format!(
                    "pacer {}: no splits of his own; runs the race's pace plan ({})",
                    pp.name,
                    plan_points
                        .iter()
                        .map(|p| format!("{:.0} m {}", p.0, fmt_time(p.1)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                plan_points.clone()
            } else if let Some(l) = &light {
                assumptions.push(format!(
                    "pacer {}: no splits; runs the WaveLight plan",
                    pp.name
                ));
                l.clone()
            } else {
                assumptions.push(format!(
                    "pacer {}: no plan at all in the record; left out of the simulation",
                    pp.name
                ));
                continue;
            };
            let schedule = Schedule::new(pts).map_err(|e| bad(at.key("target_splits"), &e))?;
            let drop_out_m = match pp.drop_out_m {
                Some(d) => d,
                None => {
                    let d = DEFAULT_PACER_DROP_FRAC[k.min(2)] * dist;
                    // never before his own last scheduled split
                    let d = d.max(schedule.last_m().min(dist - 50.0));
                    assumptions.push(format!(
                        "pacer {}: drop-out point not in the record; default {:.0} m",
                        pp.name, d
                    ));
                    d
                }
            };
            pacers.push(PacerSpec {
                name: pp.name.clone(),
                schedule,
                drop_out_m,
            });
        }
        let wavelight = match light {
            Some(l) => {
                let j = (self.pacemakers.pacers.iter())
                    .position(|p| p.is_wavelight())
                    .unwrap_or(0);
                let at = root.key("pacemakers").key("pacers").index(j);
                Some(Schedule::new(l).map_err(|e| bad(at.key("target_splits"), &e))?)
            }
            None => None,
        };

        // ---- runners: marks, or the field prior; tactics from their profiles ----
        let runners = self
            .entrants
            .iter()
            .zip(&marks)
            .map(|(e, m)| RunnerEntry {
                name: e.name.clone(),
                country: Some(e.country.clone()),
                source: if m.is_empty() {
                    RunnerSource::FieldPrior
                } else {
                    RunnerSource::Reported(m.clone())
                },
                tactic: TacticOverrides::default(),
            })
            .collect();
        // record every split the record gives
        let mut extra: Vec<f64> = self.splits.iter().map(|s| s.at_m).collect();
        for v in self.athlete_splits.values() {
            extra.extend(v.iter().map(|s| s.at_m));
        }
        extra.retain(|&x| x > 0.0 && x <= dist);
        // once each, in order (the race setup merges them the same way; a scenario written from
        // the record then lists them as a person would)
        extra.sort_by(f64::total_cmp);
        extra.dedup_by(|a, b| (*a - *b).abs() < 0.01);
        Ok(RecordField {
            spec: FieldSpec {
                track: self.track,
                distance_m: dist,
                runners,
                pacers,
                wavelight,
                extra_splits_m: extra,
                params: params.clone(),
            },
            marks,
            assumptions,
            file: file.to_path_buf(),
            pacer_names: (self.pacemakers.pacers.iter())
                .map(|p| p.name.clone())
                .collect(),
        })
    }
}

impl RecordField {
    /// Build the race ([`crate::field::build()`]), through `cache`.
    ///
    /// # Errors
    /// [`Error::Input`] naming the record and the entrant whose marks cannot be fitted, or the
    /// race that is impossible.
    pub fn build(&self, cache: &FitCache) -> Result<Field> {
        let root = FieldPath::root();
        let entrant = |name: &str| {
            let i = (self.spec.runners.iter()).position(|r| r.name == name);
            match i {
                Some(i) => root.key("entrants").index(i),
                None => root.key("entrants"),
            }
        };
        let pacer = |name: &str| {
            let j = (self.pacer_names.iter()).position(|p| p == name);
            match j {
                Some(j) => root.key("pacemakers").key("pacers").index(j),
                None => root.key("pacemakers"),
            }
        };
        let bad = |path: FieldPath, msg: String| located(&self.file, &path, msg);
        crate::field::build(&self.spec, cache).map_err(|e| match e {
            BuildError::Fit {
                index,
                name,
                source,
            } => bad(
                root.key("entrants").index(index).key("reported"),
                format!("{name}: {source}"),
            ),
            BuildError::NoKnownRunner => bad(
                root.key("entrants"),
                "no entrant has a reported mark to build the field from".into(),
            ),
            BuildError::Setup(s) => {
                let path = match &s {
                    SetupError::Physiology { name, .. }
                    | SetupError::SoloTime { name, .. }
                    | SetupError::Duplicate(name) => entrant(name),
                    SetupError::PacerDropOut { name, .. } => pacer(name).key("drop_out_m"),
                    SetupError::Distance(_) => root.key("distance_m"),
                    SetupError::NoRunner | SetupError::TooMany(_) => root.key("entrants"),
                    _ => root.clone(),
                };
                bad(path, s.to_string())
            }
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::tactics::TacticKind;

    /// A small real-race record: three entrants (one with no mark), a pacer with a plan but no
    /// drop-out point, results and leader splits.
    pub(crate) const RECORD: &str = r#"{
  "id": "test_race",
  "event": "Test meeting 1500 m",
  "date": "2024-08-06",
  "venue": "Test Stadium, Oslo, Norway",
  "track": "outdoor400",
  "distance_m": 1500,
  "sex": "men",
  "pacemakers": {
    "used": true,
    "note": null,
    "pacers": [
      {"name": "Pace Maker", "drop_out_m": null,
       "target_splits": [{"at_m": 400, "time_s": 55.0}, {"at_m": 800, "time_s": 111.0}],
       "note": null}
    ]
  },
  "entrants": [
    {"name": "Ann A", "country": "NOR", "reported": [
      {"event": "1500m", "time_s": 211.0, "date": "2024-07-01", "indoor": false, "note": "SB"},
      {"event": "mile", "time_s": 228.5, "date": "2023-06-01", "indoor": false, "note": null}]},
    {"name": "Bea B", "country": "GBR", "reported": [
      {"event": "1500m", "time_s": 213.0, "date": "2024-06-01", "indoor": false, "note": null}]},
    {"name": "Cid C", "country": "USA", "reported": []}
  ],
  "results": [
    {"place": 1, "name": "Ann A", "time_s": 210.4},
    {"place": 2, "name": "Cid C", "time_s": 212.0},
    {"place": 3, "name": "Bea B", "time_s": 212.6}
  ],
  "splits": [
    {"at_m": 400, "leader_time_s": 55.3, "leader_name": "Pace Maker", "alt": []},
    {"at_m": 800, "leader_time_s": 111.5, "leader_name": null, "alt": []},
    {"at_m": 1500, "leader_time_s": 210.4, "leader_name": "Ann A", "alt": []}
  ],
  "sources": ["made up"],
  "notes": null,
  "uncertain": []
}"#;

    pub(crate) fn record() -> RaceRecord {
        RaceRecord::from_str(RECORD, "test.json").unwrap()
    }

    #[test]
    fn a_record_becomes_a_field_of_its_pre_race_part() {
        let rec = record();
        let rf = rec
            .field(Path::new("test.json"), &ModelParams::default())
            .unwrap();
        assert_eq!(rf.spec.runners.len(), 3);
        assert!(matches!(rf.spec.runners[0].source, RunnerSource::Reported(ref m) if m.len() == 2));
        assert_eq!(rf.spec.runners[2].source, RunnerSource::FieldPrior);
        // marks carry their age and note; a record's tactics are all left to the profiles
        assert_eq!(rf.marks[0][0].note, "SB");
        assert_eq!(rf.marks[0][0].age_days, Some(36.0));
        assert!(
            rf.spec
                .runners
                .iter()
                .all(|r| r.tactic == TacticOverrides::default())
        );
        // the pacer runs his plan and steps off at the default 0.53 × 1500 m
        assert_eq!(
            rf.spec.pacers[0].schedule.points(),
            &[(400.0, 55.0), (800.0, 111.0)]
        );
        assert!((rf.spec.pacers[0].drop_out_m - 800.0).abs() < 1e-9);
        assert_eq!(
            rf.assumptions,
            [
                "no pre-race mark for Cid C: field prior (slower quartile of the known runners)",
                "pacer Pace Maker: drop-out point not in the record; default 800 m"
            ]
        );
        // every split the record gives is recorded
        assert_eq!(rf.spec.extra_splits_m, [400.0, 800.0, 1500.0]);

        let f = rf.build(&FitCache::new()).unwrap();
        assert_eq!(f.setup.runners.len(), 3);
        assert!(f.runners[2].field_prior && !f.runners[0].field_prior);
        assert!(f.runners[0].fit.is_some() && f.runners[2].fit.is_none());
        // a paced race: everyone follows the pacer
        assert!(
            f.setup
                .runners
                .iter()
                .all(|r| r.tactic.kind == TacticKind::Follow)
        );
        // the prior runner is placed at the slower quartile of the others' solo times
        let (a, b) = (
            f.setup.runners[0].solo_time_s,
            f.setup.runners[1].solo_time_s,
        );
        let c = f.setup.runners[2].solo_time_s;
        assert!(c > a.min(b) && c < a.max(b) + 0.1, "{a} {b} {c}");
    }

    /// A mark that passes the record's sanity check (10 m/s) but that no physiology within the
    /// model's bounds can run: the build error names the file, the entrant's `reported` field
    /// and its line, read back from the file.
    #[test]
    fn an_unfittable_mark_names_its_line() {
        let dir = std::env::temp_dir().join(format!("racesim-unfit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("unfit.json");
        let text = RECORD.replace(
            r#"{"event": "1500m", "time_s": 213.0, "date": "2024-06-01""#,
            r#"{"event": "1500m", "time_s": 150.0, "date": "2024-06-01""#,
        );
        assert_ne!(text, RECORD);
        std::fs::write(&file, &text).unwrap();
        let rec = RaceRecord::load(&file).unwrap();
        let rf = rec.field(&file, &ModelParams::default()).unwrap();
        let Err(Error::Input(e)) = rf.build(&FitCache::new()) else {
            panic!("a 2:30 1500 m is not a runner the model can fit");
        };
        assert_eq!(e.field, "entrants[1].reported");
        let want = 1 + text[..text.find(r#"{"name": "Bea B""#).unwrap()]
            .matches('\n')
            .count();
        // her `reported` list opens on the line of her name
        assert_eq!(e.line, Some(want), "{e}");
        assert!(e.to_string().contains("unfit.json:"), "{e}");
        assert!(e.to_string().contains("Bea B"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_record_with_no_mark_at_all_cannot_be_built() {
        let t = RECORD.replace(
            r#"{"event": "1500m", "time_s": 213.0, "date": "2024-06-01", "indoor": false, "note": null}"#,
            "",
        );
        let t = t.replace(
            r#"
      {"event": "1500m", "time_s": 211.0, "date": "2024-07-01", "indoor": false, "note": "SB"},
      {"event": "mile", "time_s": 228.5, "date": "2023-06-01", "indoor": false, "note": null}"#,
            "",
        );
        let rec = RaceRecord::from_str(&t, "t.json").unwrap();
        let e = rec
            .field(Path::new("t.json"), &ModelParams::default())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json: field `entrants`: no entrant has a reported mark to build the field from"
        );
    }

    #[test]
    fn calibration_marks_keep_their_condition_and_age() {
        let rec = record();
        let m = record_marks(&rec, "Ann A");
        assert_eq!(m.len(), 2);
        assert!(m.iter().all(|c| !c.indoor));
        assert!(record_marks(&rec, "Nobody").is_empty());
        let plain = cal_marks(&select_marks(
            &rec.entrant("Ann A").unwrap().reported,
            Some(rec.race_date()),
        ));
        assert!(
            plain.iter().all(|c| c.note.is_empty()),
            "notes are not copied"
        );
        assert_eq!(plain[0].time_s, m[0].time_s);
    }
}
