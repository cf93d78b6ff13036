//! Studies: what the commands ask of the model, as library code that returns values.
//!
//! Each study takes its inputs (a scenario, race records, options, a [`FitCache`]
//! (crate::field::FitCache)) and returns a report value; printing and writing it is the report
//! room's job. [`run`] a scenario (beside a real race), [`compare`] variants on common random
//! numbers, [`sweep`] a grid of parameter values, [`optimize`] a runner's tactic, [`calibrate`]
//! runners to their marks, [`validate`] against real races, [`tune`] the global parameters.

pub mod calibrate;
pub mod compare;
pub mod optimize;
pub mod run;
pub mod sweep;
pub mod tune;
pub mod validate;

use crate::error::Result;
use crate::field::{Field, FitCache};
use crate::input::scenario::Scenario;

/// Build every scenario (variants, grid points), sharing `cache`: the first alone, the rest in
/// parallel ([`crate::field::build_many`]).
///
/// # Errors
/// The first build error, in order.
pub fn build_all(scenarios: &[Scenario], cache: &FitCache) -> Result<Vec<Field>> {
    crate::field::build_many(scenarios, |s| s.build(cache))
}

/// The notes of every built scenario ([`Scenario::notes`]: a setting a variant legitimately
/// overrides, a front-run pace the runner cannot hold, …), each once, in order. A note that only
/// some of them give names the first (its label) and how many more.
pub fn notes_of(labels: &[String], scenarios: &[Scenario], fields: &[Field]) -> Vec<String> {
    let mut seen: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, (sc, f)) in scenarios.iter().zip(fields).enumerate() {
        for n in sc.notes(f) {
            match seen.iter_mut().find(|(m, _)| *m == n) {
                Some((_, at)) => at.push(k),
                None => seen.push((n, vec![k])),
            }
        }
    }
    seen.into_iter()
        .map(|(n, at)| {
            if at.len() == scenarios.len() {
                n
            } else {
                let label = labels.get(at[0]).map_or("", String::as_str);
                let more = match at.len() - 1 {
                    0 => String::new(),
                    m => format!(" (and {m} more)"),
                };
                format!("{label}{more}: {n}")
            }
        })
        .collect()
}
