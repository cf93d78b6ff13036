//! Reports: what a person reads in the terminal, and the files a run writes.
//!
//! Everything is computed first and written last: a run that fails writes nothing, and each file
//! is written to a temporary name and renamed into place, so no reader ever sees half a file.

pub mod charts;
pub mod compare;
pub mod html;
pub mod realrace;
pub mod table;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::summary::Summary;

/// Files to write, held in memory until [`OutputSet::commit`].
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl OutputSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push((name.into(), bytes));
    }

    /// Names of the files queued so far.
    pub fn names(&self) -> Vec<&Path> {
        self.files.iter().map(|(p, _)| p.as_path()).collect()
    }

    /// Write every file under `dir` (created if missing), each through a temporary name.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file that could not be written.
    pub fn commit(self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut out = Vec::new();
        for (name, bytes) in self.files {
            let path = dir.join(&name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            write_atomic(&path, &bytes)?;
            out.push(path);
        }
        Ok(out)
    }
}

/// Write `bytes` to `path` through `path.tmp` and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// `summary.json`.
pub fn summary_json(s: &Summary) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(s).expect("summary serializes");
    v.push(b'\n');
    v
}

fn csv_bytes(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).expect("in-memory csv");
    }
    w.into_inner().expect("in-memory csv")
}

fn f(x: f64, d: usize) -> String {
    if x.is_finite() {
        format!("{x:.d$}")
    } else {
        String::new()
    }
}

/// `runners.csv`: one row per runner.
pub fn runners_csv(s: &Summary) -> Vec<u8> {
    let mut rows = vec![
        [
            "name",
            "country",
            "tactic",
            "cs_mps",
            "d_prime_m",
            "mss_mps",
            "solo_time_s",
            "p_win",
            "p_win_se",
            "p_podium",
            "p_podium_se",
            "mean_place",
            "time_mean_s",
            "time_sd_s",
            "p05",
            "p10",
            "p25",
            "p50",
            "p75",
            "p90",
            "p95",
        ]
        .iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>(),
    ];
    for r in &s.runners {
        let q = r.time_q.to_array();
        let mut row = vec![
            r.name.clone(),
            r.country.clone().unwrap_or_default(),
            r.tactic.kind.to_string(),
            f(r.physiology.cs, 4),
            f(r.physiology.d_prime, 1),
            f(r.physiology.mss, 3),
            f(r.solo_time_s, 2),
            f(r.p_win.p, 5),
            f(r.p_win.se, 5),
            f(r.p_podium.p, 5),
            f(r.p_podium.se, 5),
            f(r.mean_place, 3),
            f(r.time_mean_s, 3),
            f(r.time_sd_s, 3),
        ];
        row.extend(q.iter().map(|x| f(*x, 2)));
        rows.push(row);
    }
    csv_bytes(rows)
}

/// `splits.csv`: long format, one row per runner and split or segment.
///
/// `kind` is `split` (cumulative time at `to_m`), `lap` or `200m` (time for the segment
/// `from_m`–`to_m`), or `leader` (first agent past `to_m`, pacers included).
pub fn splits_csv(s: &Summary) -> Vec<u8> {
    let mut rows = vec![
        [
            "runner", "kind", "from_m", "to_m", "p05", "p10", "p25", "p50", "p75", "p90", "p95",
        ]
        .iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>(),
    ];
    let push = |rows: &mut Vec<Vec<String>>, who: &str, kind: &str, a: f64, b: f64, q: [f64; 7]| {
        let mut row = vec![who.to_string(), kind.to_string(), f(a, 3), f(b, 3)];
        row.extend(q.iter().map(|x| f(*x, 2)));
        rows.push(row);
    };
    for r in &s.runners {
        for sp in &r.splits {
            push(&mut rows, &r.name, "split", 0.0, sp.at_m, sp.q.to_array());
        }
        for sg in &r.laps {
            push(
                &mut rows,
                &r.name,
                "lap",
                sg.from_m,
                sg.to_m,
                sg.q.to_array(),
            );
        }
        for sg in &r.segments_200 {
            push(
                &mut rows,
                &r.name,
                "200m",
                sg.from_m,
                sg.to_m,
                sg.q.to_array(),
            );
        }
    }
    for sp in &s.leader_splits {
        push(
            &mut rows,
            "(leader)",
            "leader",
            0.0,
            sp.at_m,
            sp.q.to_array(),
        );
    }
    csv_bytes(rows)
}
