//! `racesim compare`: variants of a scenario on common random numbers.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use serde::Serialize;

use racesim::field::FitCache;
use racesim::montecarlo::crn::{CrnConfig, CrnResult, PairSummary, Pairs, run_crn};
use racesim::study::compare::{VariantSpec, runners_that_differ};
use racesim::error::Error;
use racesim::plot::{self, ChartFiles, DiffData, DiffRow, PlotError};
use racesim::report::OutputSet;
use racesim::stats::Estimate;
use racesim::input::scenario::Scenario;
use racesim::base::units::fmt_time;

use super::SimArgs;
use super::run::options;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Variants to compare, comma-separated; the first is the reference the others are measured
    /// against. `base` is the scenario as written; `NAME@PATH=VALUE` sets a numeric field on top,
    /// e.g. `base,base@runner."Josh Kerr".kick_m=300`. Default: the scenario's variants (with
    /// `base` first if it has only one).
    #[arg(long, value_name = "A,B,...")]
    pub variants: Option<String>,
    /// A runner to report (repeat for several). Default: the runners whose tactic or ability
    /// differs between the variants, else everyone.
    #[arg(long = "runner", value_name = "NAME")]
    pub runners: Vec<String>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write compare.csv, compare.json and the difference charts (diff_win, diff_time; PNG and
    /// SVG) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Give each variant its own random numbers instead of common ones: the classical design,
    /// only useful to see how much wider its intervals are.
    #[arg(long)]
    pub independent_streams: bool,
}

/// One variant's results for one runner.
#[derive(Debug, Clone, Serialize)]
pub struct VariantRow {
    pub variant: String,
    /// Percent.
    pub win_pct: Estimate,
    pub podium_pct: Estimate,
    pub median_s: Estimate,
    pub mean_time_s: f64,
    pub mean_place: Estimate,
}

/// One variant against the reference, for one runner.
#[derive(Debug, Clone, Serialize)]
pub struct DiffEntry {
    pub variant: String,
    pub reference: String,
    /// Percentage points.
    pub win_pts: Estimate,
    pub podium_pts: Estimate,
    /// Seconds (positive: slower than under the reference).
    pub time_s: Estimate,
    pub place: Estimate,
    pub pairs: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunnerReport {
    pub name: String,
    pub variants: Vec<VariantRow>,
    pub differences: Vec<DiffEntry>,
    /// The differences in words.
    pub plain: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantInfo {
    pub label: String,
    pub description: Option<String>,
}

/// `compare.json`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    pub scenario: String,
    pub file: String,
    pub races: u64,
    pub seed: u64,
    pub common_random_numbers: bool,
    pub reference: String,
    pub variants: Vec<VariantInfo>,
    pub runners: Vec<RunnerReport>,
}

fn signed(x: f64, d: usize) -> String {
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

/// `a–b` for a positive interval, `−a to +b` otherwise.
fn range(e: &Estimate, d: usize) -> String {
    if e.lo >= 0.0 {
        format!("{:.d$}–{:.d$}", e.lo, e.hi)
    } else if e.hi <= 0.0 {
        format!("{:.d$}–{:.d$}", -e.hi, -e.lo)
    } else {
        format!("{} to {}", signed(e.lo, d), signed(e.hi, d))
    }
}

/// The differences of one variant in words, e.g. "`chase-record` instead of `race-the-field`
/// lowers Josh Kerr's win chance by 9.1 points (95 % CI 8.4–9.8), from 12.3 % to 3.2 % …".
pub fn plain_words(name: &str, d: &DiffEntry, a: &VariantRow, r: &VariantRow) -> String {
    let mut s = format!("`{}` instead of `{}`", d.variant, d.reference);
    let prob = |who: &str, what: &str, e: &Estimate, va: &Estimate, vr: &Estimate| -> String {
        if e.excludes_zero() {
            format!(
                "{} {who} {what} chance by {:.1} points (95 % CI {}), from {:.1} % to {:.1} %",
                if e.value > 0.0 { "raises" } else { "lowers" },
                e.value.abs(),
                range(e, 1),
                vr.value,
                va.value
            )
        } else {
            format!(
                "makes no clear difference to {who} {what} chance ({} points, 95 % CI {}; \
                 {:.1} % vs {:.1} %)",
                signed(e.value, 1),
                range(e, 1),
                va.value,
                vr.value
            )
        }
    };
    let possessive = format!("{name}'s");
    let _ = write!(
        s,
        " {}",
        prob(&possessive, "win", &d.win_pts, &a.win_pct, &r.win_pct)
    );
    let _ = write!(
        s,
        "; it {}",
        prob("his", "podium", &d.podium_pts, &a.podium_pct, &r.podium_pct)
    );
    let t = &d.time_s;
    if t.excludes_zero() {
        let _ = write!(
            s,
            "; he finishes {:.2} s {} on average (95 % CI {} s; median {} vs {}).",
            t.value.abs(),
            if t.value > 0.0 { "slower" } else { "faster" },
            range(t, 2),
            fmt_time(a.median_s.value),
            fmt_time(r.median_s.value)
        );
    } else {
        let _ = write!(
            s,
            "; no clear difference in his time ({} s on average, 95 % CI {} s).",
            signed(t.value, 2),
            range(t, 2)
        );
    }
    s
}

fn row(label: &str, crn: &CrnResult, k: usize, name: &str) -> Option<VariantRow> {
    let st = crn.runner_stats(k, name)?;
    Some(VariantRow {
        variant: label.to_string(),
        win_pct: st.win_est().scaled(100.0),
        podium_pct: st.podium_est().scaled(100.0),
        median_s: st.median(),
        mean_time_s: st.finish.mean().unwrap_or(f64::NAN),
        mean_place: st.mean_place(),
    })
}

fn diff_entry(label: &str, reference: &str, d: &PairSummary) -> DiffEntry {
    DiffEntry {
        variant: label.to_string(),
        reference: reference.to_string(),
        win_pts: d.win.scaled(100.0),
        podium_pts: d.podium.scaled(100.0),
        time_s: d.time_s,
        place: d.place,
        pairs: d.pairs,
    }
}

/// Render a chart into a scratch directory and return its files' bytes, so that the chart joins
/// the other outputs in one [`OutputSet`] (nothing is written to `--out` until all is ready).
pub fn chart_bytes(
    stem: &str,
    draw: impl FnOnce(&Path) -> Result<ChartFiles, PlotError>,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "racesim-chart-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let res = (|| -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        let files = draw(&dir.join(stem)).map_err(|e| Error::Other(e.to_string()))?;
        let mut out = Vec::new();
        for p in [files.png, files.svg] {
            let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((name, bytes));
        }
        Ok(out)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    res
}

/// Check that every named runner is in the scenario.
pub fn check_runners(sc: &Scenario, names: &[String]) -> Result<(), Error> {
    for n in names {
        if !sc.runners.iter().any(|r| &r.name == n) {
            return Err(Error::Usage(format!(
                "--runner `{n}`: no such runner in {} (runners: {})",
                sc.file.display(),
                sc.runners
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(())
}

pub fn run(a: CompareArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let base = Scenario::load(&a.scenario)?;
    let specs = match &a.variants {
        Some(v) => VariantSpec::parse_list(v)?,
        None => {
            let names: Vec<String> = match base.variants.len() {
                0 => {
                    return Err(Error::Usage(format!(
                        "{} has no [[variant]]: name what to compare, e.g. \
                         --variants 'base,base@runner.\"{}\".kick_m=300'",
                        a.scenario.display(),
                        base.runners
                            .first()
                            .map(|r| r.name.as_str())
                            .unwrap_or("NAME")
                    ))
                    .into());
                }
                1 => vec!["base".into(), base.variants[0].name.clone()],
                _ => base.variants.iter().map(|v| v.name.clone()).collect(),
            };
            names
                .iter()
                .map(|n| VariantSpec::parse(n))
                .collect::<Result<_, _>>()?
        }
    };
    // the same entry twice is allowed (a check that identical variants give zero difference):
    // number the repeats so that every label is unique
    let mut specs = specs;
    for k in 1..specs.len() {
        let n = specs[..k]
            .iter()
            .filter(|s| {
                s.label == specs[k].label || s.label.starts_with(&format!("{} #", specs[k].label))
            })
            .count();
        if n > 0 {
            specs[k].label = format!("{} #{}", specs[k].label, n + 1);
        }
    }
    let scenarios: Vec<Scenario> = specs
        .iter()
        .map(|s| s.apply(&base))
        .collect::<Result<_, _>>()?;
    check_runners(&scenarios[0], &a.runners)?;
    let opts = options(&a.sim, &base);
    let cache = FitCache::new();
    let built = racesim::study::sweep::build_all(&scenarios, &cache)?;
    let t_cal = t0.elapsed();
    let setups: Vec<_> = built.iter().map(|b| &b.setup).collect();
    let focus = if a.runners.is_empty() {
        runners_that_differ(&setups)
    } else {
        a.runners.clone()
    };
    let cfg = CrnConfig {
        focus: focus.clone(),
        pairs: Pairs::AgainstFirst,
        independent: a.independent_streams,
    };
    let crn = run_crn(&setups, &cfg, &opts)?;
    let t_sim = t0.elapsed() - t_cal;

    let labels: Vec<&str> = specs.iter().map(|s| s.label.as_str()).collect();
    let reference = labels[0];
    let mut runners = Vec::new();
    for name in &focus {
        let rows: Vec<Option<VariantRow>> = (0..labels.len())
            .map(|k| row(labels[k], &crn, k, name))
            .collect();
        let mut diffs = Vec::new();
        let mut plain = Vec::new();
        for k in 1..labels.len() {
            if let Some(d) = crn.diff(k, 0, name) {
                let e = diff_entry(labels[k], reference, &d);
                if let (Some(va), Some(vr)) = (&rows[k], &rows[0]) {
                    plain.push(if d.identical() {
                        format!(
                            "`{}` and `{}` give {name} exactly the same result in every one of \
                             the {} races.",
                            labels[k], reference, d.pairs
                        )
                    } else {
                        plain_words(name, &e, va, vr)
                    });
                }
                diffs.push(e);
            } else {
                plain.push(format!(
                    "{name} is not in both `{}` and `{reference}`: no paired difference.",
                    labels[k]
                ));
            }
        }
        runners.push(RunnerReport {
            name: name.clone(),
            variants: rows.into_iter().flatten().collect(),
            differences: diffs,
            plain,
        });
    }
    let descriptions: Vec<Option<String>> = specs
        .iter()
        .map(|s| {
            base.variants
                .iter()
                .find(|v| v.name == s.variant)
                .and_then(|v| v.description.clone())
                .or_else(|| (s.variant == "base").then(|| "the scenario as written".into()))
                .map(|d| {
                    if s.sets.is_empty() {
                        d
                    } else {
                        format!(
                            "{d}, with {}",
                            s.sets
                                .iter()
                                .map(|(p, v)| format!("{p} = {v}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                })
        })
        .collect();
    let report = CompareReport {
        scenario: base.name.clone(),
        file: a.scenario.display().to_string(),
        races: crn.races,
        seed: opts.seed,
        common_random_numbers: !a.independent_streams,
        reference: reference.to_string(),
        variants: labels
            .iter()
            .zip(&descriptions)
            .map(|(l, d)| VariantInfo {
                label: l.to_string(),
                description: d.clone(),
            })
            .collect(),
        runners,
    };
    print!("{}", render(&report));
    use std::io::Write;
    let _ = std::io::stdout().flush();

    if let Some(dir) = &a.out {
        let mut files = OutputSet::new();
        files.add("compare.csv", csv(&report));
        let mut js = serde_json::to_vec_pretty(&report).expect("report serializes");
        js.push(b'\n');
        files.add("compare.json", js);
        let (win, time) = charts_data(&report);
        for (stem, data) in [("diff_win", win), ("diff_time", time)] {
            for (name, bytes) in chart_bytes(stem, |p| plot::diff_chart(&data, p))? {
                files.add(name, bytes);
            }
        }
        let written = files.commit(dir)?;
        super::print_written(dir, &written);
    }
    eprintln!(
        "({} variants × {} races in {:.1} s: calibration {:.1} s, simulation {:.1} s = {:.0} races/s)",
        labels.len(),
        crn.races,
        t0.elapsed().as_secs_f64(),
        t_cal.as_secs_f64(),
        t_sim.as_secs_f64(),
        (labels.len() as u64 * crn.races) as f64 / t_sim.as_secs_f64().max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

fn est(e: &Estimate, d: usize) -> String {
    if e.value.is_finite() {
        format!("{:.d$} ({:.d$}–{:.d$})", e.value, e.lo, e.hi)
    } else {
        "-".into()
    }
}

fn diff_cell(e: &Estimate, d: usize) -> String {
    if e.value.is_finite() {
        format!(
            "{} [{}, {}]",
            signed(e.value, d),
            signed(e.lo, d),
            signed(e.hi, d)
        )
    } else {
        "-".into()
    }
}

/// The terminal report.
pub fn render(r: &CompareReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — comparison on {}",
        r.scenario,
        if r.common_random_numbers {
            "common random numbers"
        } else {
            "INDEPENDENT random streams (--independent-streams)"
        }
    );
    let _ = writeln!(
        o,
        "{} races per variant · seed {} · differences are measured against `{}`",
        r.races, r.seed, r.reference
    );
    let lw = r
        .variants
        .iter()
        .map(|v| v.label.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    for v in &r.variants {
        let _ = writeln!(
            o,
            "  {:lw$}  {}",
            v.label,
            v.description.as_deref().unwrap_or(""),
            lw = lw
        );
    }
    for rr in &r.runners {
        let _ = writeln!(o, "\n{}", rr.name);
        let _ = writeln!(
            o,
            "  {:lw$}  {:>19}  {:>19}  {:>9}  {:>10}",
            "variant",
            "win % (95 % CI)",
            "podium % (95 % CI)",
            "median",
            "mean place",
            lw = lw
        );
        for v in &rr.variants {
            let _ = writeln!(
                o,
                "  {:lw$}  {:>19}  {:>19}  {:>9}  {:>10.2}",
                v.variant,
                est(&v.win_pct, 1),
                est(&v.podium_pct, 1),
                fmt_time(v.median_s.value),
                v.mean_place.value,
                lw = lw
            );
        }
        if !rr.differences.is_empty() {
            let _ = writeln!(o, "  paired difference vs `{}` [95 % CI]:", r.reference);
            let _ = writeln!(
                o,
                "  {:lw$}  {:>22}  {:>22}  {:>22}  {:>22}",
                "variant",
                "win (points)",
                "podium (points)",
                "mean time (s)",
                "mean place",
                lw = lw
            );
            for d in &rr.differences {
                let _ = writeln!(
                    o,
                    "  {:lw$}  {:>22}  {:>22}  {:>22}  {:>22}",
                    d.variant,
                    diff_cell(&d.win_pts, 1),
                    diff_cell(&d.podium_pts, 1),
                    diff_cell(&d.time_s, 2),
                    diff_cell(&d.place, 2),
                    lw = lw
                );
            }
        }
        for p in &rr.plain {
            let _ = writeln!(o, "  • {p}");
        }
    }
    let _ = writeln!(
        o,
        "\nWin and podium %: 95 % Wilson intervals. Differences: race-by-race paired differences \
         (race i of every variant has the same day form and noise), 95 % normal intervals."
    );
    o
}

fn f(x: f64, d: usize) -> String {
    if x.is_finite() {
        format!("{x:.d$}")
    } else {
        String::new()
    }
}

/// `compare.csv`: one row per runner and variant, with the differences against the reference
/// (empty on the reference's own row).
pub fn csv(r: &CompareReport) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head = [
        "runner",
        "variant",
        "reference",
        "races",
        "win_pct",
        "win_pct_lo95",
        "win_pct_hi95",
        "podium_pct",
        "podium_pct_lo95",
        "podium_pct_hi95",
        "median_s",
        "median_lo95_s",
        "median_hi95_s",
        "mean_time_s",
        "mean_place",
        "d_win_pts",
        "d_win_pts_lo95",
        "d_win_pts_hi95",
        "d_podium_pts",
        "d_podium_pts_lo95",
        "d_podium_pts_hi95",
        "d_time_s",
        "d_time_s_lo95",
        "d_time_s_hi95",
        "d_place",
        "d_place_lo95",
        "d_place_hi95",
    ];
    w.write_record(head).expect("in-memory csv");
    for rr in &r.runners {
        for v in &rr.variants {
            let mut row = vec![
                rr.name.clone(),
                v.variant.clone(),
                r.reference.clone(),
                r.races.to_string(),
                f(v.win_pct.value, 3),
                f(v.win_pct.lo, 3),
                f(v.win_pct.hi, 3),
                f(v.podium_pct.value, 3),
                f(v.podium_pct.lo, 3),
                f(v.podium_pct.hi, 3),
                f(v.median_s.value, 3),
                f(v.median_s.lo, 3),
                f(v.median_s.hi, 3),
                f(v.mean_time_s, 3),
                f(v.mean_place.value, 3),
            ];
            match rr.differences.iter().find(|d| d.variant == v.variant) {
                Some(d) => {
                    for e in [&d.win_pts, &d.podium_pts] {
                        row.extend([f(e.value, 3), f(e.lo, 3), f(e.hi, 3)]);
                    }
                    for e in [&d.time_s, &d.place] {
                        row.extend([f(e.value, 4), f(e.lo, 4), f(e.hi, 4)]);
                    }
                }
                None => row.extend(std::iter::repeat_n(String::new(), 12)),
            }
            w.write_record(&row).expect("in-memory csv");
        }
    }
    w.into_inner().expect("in-memory csv")
}

/// The two difference charts: win and podium points; mean time in seconds.
fn charts_data(r: &CompareReport) -> (DiffData, DiffData) {
    let sub = format!(
        "Paired differences vs `{}` · {} races on {} · bars: 95 % CI",
        r.reference,
        r.races,
        if r.common_random_numbers {
            "common random numbers"
        } else {
            "independent streams"
        }
    );
    let mut win = DiffData {
        title: "Change in win and podium chances".into(),
        subtitle: sub.clone(),
        x_label: "difference (percentage points)".into(),
        rows: Vec::new(),
    };
    let mut time = DiffData {
        title: "Change in finish time".into(),
        subtitle: sub,
        x_label: "mean finish-time difference (s; negative = faster)".into(),
        rows: Vec::new(),
    };
    let multi = r.runners.len() > 1;
    for rr in &r.runners {
        for d in &rr.differences {
            let who = if multi {
                format!("{}: {}", rr.name, d.variant)
            } else {
                d.variant.clone()
            };
            let mk = |what: &str, e: &Estimate| DiffRow {
                label: if what.is_empty() {
                    who.clone()
                } else {
                    format!("{who} · {what}")
                },
                mean: e.value,
                lo: e.lo,
                hi: e.hi,
            };
            win.rows.push(mk("win", &d.win_pts));
            win.rows.push(mk("podium", &d.podium_pts));
            time.rows.push(mk("", &d.time_s));
        }
    }
    if !multi {
        if let Some(rr) = r.runners.first() {
            win.title = format!("{}: change in win and podium chances", rr.name);
            time.title = format!("{}: change in finish time", rr.name);
        }
    }
    (win, time)
}
