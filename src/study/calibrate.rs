//! Calibrating runners to their marks (`racesim calibrate`): the runners of a scenario, or the
//! athletes of the database as of a date.

use std::path::Path;

use serde::Serialize;

use crate::base::date::Date;
use crate::base::error::InputError;
use crate::base::params::ModelParams;
use crate::engine::physiology::Physiology;
use crate::error::{Error, Result};
use crate::field::calibrate::Fit;
use crate::field::{FitCache, RunnerSource};
use crate::input::record::{AthleteDb, cal_marks, select_marks};
use crate::input::scenario::Scenario;

/// One runner's calibration, as printed and as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationRow {
    /// The runner.
    pub name: String,
    /// Where his parameters come from: "reported", "explicit parameters", or why there is no fit.
    pub source: String,
    /// The fit, when he has marks (and they could be fitted).
    pub fit: Option<Fit>,
    /// His parameters, when given explicitly.
    pub physiology: Option<Physiology>,
}

/// Fit every runner of `sc` who has reported times.
///
/// # Errors
/// [`Error::Input`] naming the runner whose marks cannot be fitted.
pub fn scenario_runners(
    sc: &Scenario,
    params: &ModelParams,
    cache: &FitCache,
) -> Result<Vec<CalibrationRow>> {
    sc.runners
        .iter()
        .map(|r| match &r.source {
            RunnerSource::Reported(marks) => Ok(CalibrationRow {
                name: r.name.clone(),
                source: "reported".into(),
                fit: Some(cache.fit(marks, params).map_err(|e| {
                    Error::Input(InputError::new(
                        &sc.file,
                        None,
                        format!("runner `{}`", r.name),
                        e.to_string(),
                    ))
                })?),
                physiology: None,
            }),
            RunnerSource::Explicit(ph) => Ok(CalibrationRow {
                name: r.name.clone(),
                source: "explicit parameters".into(),
                fit: None,
                physiology: Some(*ph),
            }),
            RunnerSource::FieldPrior => Ok(CalibrationRow {
                name: r.name.clone(),
                source: "no reported time: field prior, set when the race is built".into(),
                fit: None,
                physiology: None,
            }),
        })
        .collect()
}

/// Fit the athletes `names` of the database (all of them when empty) to the marks they had set
/// before `date` (the best per event and condition of the four years before it).
///
/// # Errors
/// [`Error::Usage`] for a name the database does not have.
pub fn athletes(
    db: &AthleteDb,
    db_path: &Path,
    date: Date,
    names: &[String],
    params: &ModelParams,
    cache: &FitCache,
) -> Result<Vec<CalibrationRow>> {
    let names: Vec<String> = if names.is_empty() {
        db.names().map(|s| s.to_string()).collect()
    } else {
        for n in names {
            if db.get(n).is_none() {
                return Err(Error::Usage(format!(
                    "no athlete `{n}` in {} (athletes: {})",
                    db_path.display(),
                    db.names().collect::<Vec<_>>().join(", ")
                )));
            }
        }
        names.to_vec()
    };
    Ok(names
        .iter()
        .map(|n| {
            let marks = cal_marks(&select_marks(&db.marks_as_of(n, date), Some(date)));
            if marks.is_empty() {
                return CalibrationRow {
                    name: n.clone(),
                    source: format!("no dated mark in the four years before {date}"),
                    fit: None,
                    physiology: None,
                };
            }
            CalibrationRow {
                name: n.clone(),
                source: "reported".into(),
                fit: cache.fit(&marks, params).ok(),
                physiology: None,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::SCENARIO;

    #[test]
    fn each_runner_says_where_his_numbers_come_from() {
        let t = SCENARIO.replace(
            "cs = 6.15\nd_prime = 280\nmss = 8.9\n",
            "reported = { \"1500m\" = \"3:32.0\" }\n",
        );
        let sc = Scenario::from_str(&t, "t.toml").unwrap();
        let rows = scenario_runners(&sc, &ModelParams::default(), &FitCache::new()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].source, "explicit parameters");
        assert!(rows[0].physiology.is_some() && rows[0].fit.is_none());
        assert_eq!(rows[2].source, "reported");
        let f = rows[2].fit.as_ref().unwrap();
        assert!(f.marks[0].rel_error.abs() < 0.005, "{f:?}");
    }
}
