//! `racesim tune`: the objective before and after, the tuned values, the scores that moved; and
//! the files `--out` writes (`tune.json`, `tuned-model.toml`).

use super::output::{OutputSet, json_bytes};
use crate::study::tune::{Step, TuneReport};

/// One evaluation of the descent, as the progress line on stderr prints it.
pub fn step_line(s: &Step) -> String {
    format!(
        "  pass {} {:>18} = {:<8} objective {:.4}",
        s.pass, s.knob, s.value, s.objective
    )
}

/// The terminal report.
pub fn text(rep: &TuneReport) -> String {
    let mut o = format!(
        "objective {:.4} -> {:.4}\n",
        rep.objective_before, rep.objective_after
    );
    for (k, v) in &rep.tuned {
        o.push_str(&format!("  {k} = {v}\n"));
    }
    o.push_str(&format!(
        "coverage80 times {:.2} -> {:.2}, splits {:.2} -> {:.2}; winner log-loss {:.3} -> {:.3}\n",
        rep.before.coverage80_times.unwrap_or(f64::NAN),
        rep.after.coverage80_times.unwrap_or(f64::NAN),
        rep.before.coverage80_splits.unwrap_or(f64::NAN),
        rep.after.coverage80_splits.unwrap_or(f64::NAN),
        rep.before.winner_log_loss.unwrap_or(f64::NAN),
        rep.after.winner_log_loss.unwrap_or(f64::NAN),
    ));
    o
}

/// Everything `tune --out` writes: the report as JSON and the tuned parameters as a model file
/// (`--model tuned-model.toml`).
///
/// # Errors
/// If the parameters cannot be written as TOML (they always can: plain numbers).
pub fn files(rep: &TuneReport) -> Result<OutputSet, toml::ser::Error> {
    let mut files = OutputSet::new();
    files.add("tune.json", json_bytes(rep));
    files.add(
        "tuned-model.toml",
        toml::to_string(&rep.params)?.into_bytes(),
    );
    Ok(files)
}
