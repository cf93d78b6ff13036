//! `racesim run`: the terminal table ([`table`]), the charts ([`charts`]), `report.html`
//! ([`html`]), and the files `--out` writes — `summary.json`, `runners.csv`, `splits.csv`.

pub mod charts;
pub mod html;
pub mod table;

use super::chart::Rendered;
use super::format::csv_num;
use super::output::{OutputSet, csv_bytes, json_bytes};
use super::summary::Summary;
use super::versus::Comparison;
use crate::engine::race::RaceSetup;
use crate::montecarlo::Accumulator;
use crate::plot::PlotError;

/// Everything `run --out` writes, in order: `summary.json`, `runners.csv`, `splits.csv`, the
/// charts (unless `no_charts`: then the page says why; `highlight`: runners given a band on
/// the split charts beside the top four) and `report.html`.
///
/// # Errors
/// [`PlotError`] if a chart cannot be drawn.
pub fn files(
    summary: &Summary,
    setup: &RaceSetup,
    acc: &Accumulator,
    comparison: Option<&Comparison>,
    no_charts: bool,
    highlight: &[String],
) -> Result<OutputSet, PlotError> {
    let mut files = OutputSet::new();
    files.add("summary.json", summary_json(summary));
    files.add("runners.csv", runners_csv(summary));
    files.add("splits.csv", splits_csv(summary));
    let charts: Vec<Rendered> = if no_charts {
        Vec::new()
    } else {
        let sample = charts::SampleRace::trace(setup, summary.seed, 0);
        charts::RunCharts {
            summary,
            setup,
            acc,
            sample: Some(&sample),
            real: comparison,
            highlight,
        }
        .render()?
    };
    for c in &charts {
        c.queue(&mut files);
    }
    let page = html::render(&html::HtmlReport {
        summary,
        charts: &charts,
        comparison,
        no_charts_reason: no_charts.then_some("Charts were not drawn (--no-charts)."),
    });
    files.add("report.html", page.into_bytes());
    Ok(files)
}

/// `summary.json`.
pub fn summary_json(s: &Summary) -> Vec<u8> {
    json_bytes(s)
}

/// `runners.csv`: one row per runner.
///
/// After the finish-time quantiles, his two split cards ([`crate::report::summary::SplitCard`]):
/// `win_races` (races he won) and, per lap ending at X m, `win_lap_Xm_s` (the lap) and
/// `win_at_Xm_s` (the card's time at X m); then `fast10_races`, `fast10_lap_Xm_s`,
/// `fast10_at_Xm_s` for his fastest 10 % of races. Empty cells: no card (he never won).
pub fn runners_csv(s: &Summary) -> Vec<u8> {
    let lap_ends: Vec<f64> = s
        .runners
        .first()
        .map(|r| r.laps.iter().map(|l| l.to_m).collect())
        .unwrap_or_default();
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
        .chain(["win", "fast10"].into_iter().flat_map(|card| {
            std::iter::once(format!("{card}_races")).chain(lap_ends.iter().flat_map(move |&to| {
                let to = csv_num(to, 0);
                [format!("{card}_lap_{to}m_s"), format!("{card}_at_{to}m_s")]
            }))
        }))
        .collect::<Vec<_>>(),
    ];
    for r in &s.runners {
        let q = r.time_q.to_array();
        let mut row = vec![
            r.name.clone(),
            r.country.clone().unwrap_or_default(),
            r.tactic.kind.to_string(),
            csv_num(r.physiology.cs, 4),
            csv_num(r.physiology.d_prime, 1),
            csv_num(r.physiology.mss, 3),
            csv_num(r.solo_time_s, 2),
            csv_num(r.p_win.p, 5),
            csv_num(r.p_win.se, 5),
            csv_num(r.p_podium.p, 5),
            csv_num(r.p_podium.se, 5),
            csv_num(r.mean_place, 3),
            csv_num(r.time_mean_s, 3),
            csv_num(r.time_sd_s, 3),
        ];
        row.extend(q.iter().map(|x| csv_num(*x, 2)));
        for card in [&r.card_win, &r.card_fastest_10] {
            match card {
                Some(c) => {
                    row.push(csv_num(c.races, 1));
                    for l in &c.laps {
                        row.push(csv_num(l.lap_s, 2));
                        row.push(csv_num(l.cumulative_s, 2));
                    }
                }
                None => row.extend(std::iter::repeat_n(String::new(), 1 + 2 * lap_ends.len())),
            }
        }
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
        let mut row = vec![
            who.to_string(),
            kind.to_string(),
            csv_num(a, 3),
            csv_num(b, 3),
        ];
        row.extend(q.iter().map(|x| csv_num(*x, 2)));
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
