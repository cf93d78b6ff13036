//! Realistic fake chart inputs for tests and previews (a 1500 m final with 12 runners).

use super::*;

pub(crate) const NAMES: [&str; 12] = [
    "Jakob Ingebrigtsen",
    "Josh Kerr",
    "Narve Gilje Nordås",
    "Yared Nuguse",
    "Cole Hocker",
    "Timothy Cheruiyot",
    "Abel Kipsang",
    "Håkon Sørbø",
    "Neil Gourley",
    "George Mills",
    "Azeddine Habz",
    "Mario García Romo",
];

/// Deterministic noise in [-1, 1] (no RNG dependency in the test data).
fn noise(i: usize, k: usize) -> f64 {
    let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (k as u64 + 7).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    (x % 20_001) as f64 / 10_000.0 - 1.0
}

pub(crate) fn names(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            if i < NAMES.len() {
                NAMES[i].to_string()
            } else {
                format!("Runner {}", i + 1)
            }
        })
        .collect()
}

/// 1500 m in 200 m segments (100 m … 1500 m is 300 m then 200 m steps): splits per runner.
pub(crate) fn split(n: usize) -> SplitChartData {
    let xs: Vec<f64> = (0..7).map(|k| 300.0 + 200.0 * k as f64).collect();
    // A typical championship final: steady, a wind-up from 900 m, the last 200 m fastest.
    let base = [29.6, 28.9, 28.6, 28.1, 27.4, 26.6, 26.2];
    let runners = names(n)
        .into_iter()
        .enumerate()
        .map(|(i, name)| RunnerBands {
            name,
            points: xs
                .iter()
                .zip(base)
                .enumerate()
                .map(|(k, (&x_m, b))| {
                    let late = k as f64 / 6.0;
                    let mid = b + 0.05 * i as f64 * late + 0.12 * noise(i, k);
                    let spread = 0.35 + 0.45 * late + 0.04 * i as f64;
                    BandPoint {
                        x_m,
                        lo: mid - spread,
                        mid,
                        hi: mid + spread * 1.3,
                    }
                })
                .collect(),
            // the first four banded, the rest plain lines, as a run draws them
            line_only: i >= 4,
        })
        .collect();
    SplitChartData {
        title: "1500 m final: 200 m splits".into(),
        subtitle: "10 000 simulated races · championship tactics".into(),
        x_label: "Distance (m)".into(),
        segment_label: "200 m".into(),
        runners,
        references: vec![
            RefSeries {
                name: "Pacer plan".into(),
                points: xs[..4].iter().map(|&x| (x, 28.5)).collect(),
                style: RefStyle::Plan,
                runner: None,
            },
            RefSeries {
                name: "Kerr, Budapest 2023 (actual)".into(),
                points: xs
                    .iter()
                    .zip([30.2, 29.4, 29.0, 28.3, 27.1, 26.3, 26.9])
                    .map(|(&x, y)| (x, y))
                    .collect(),
                style: RefStyle::Actual,
                runner: Some(1),
            },
        ],
        legend_order: Vec::new(),
    }
}

fn gauss(x: f64, m: f64, s: f64) -> f64 {
    (-(x - m) * (x - m) / (2.0 * s * s)).exp()
}

pub(crate) fn finish(n: usize) -> FinishDistData {
    let rows = names(n)
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let median = 207.4 + 0.45 * i as f64 + 0.3 * noise(i, 1);
            let sd = 0.9 + 0.08 * i as f64;
            let bins = (0..60)
                .map(|k| {
                    let t = 204.0 + 0.25 * k as f64;
                    // Right-skewed: tie-ups make slow tails longer.
                    let s = if t > median { sd * 1.4 } else { sd };
                    let c = 10_000.0 * 0.25 / (sd * 2.5) * gauss(t, median, s);
                    (t, (c * (1.0 + 0.08 * noise(i, k))).max(0.0).round())
                })
                .collect();
            FinishRow {
                name,
                win_pct: (32.0 * 0.72f64.powi(i as i32)).max(0.0),
                median_s: median,
                bins,
            }
        })
        .collect();
    FinishDistData {
        title: "Finish-time distributions".into(),
        subtitle: "10 000 simulated races · sorted by median".into(),
        rows,
    }
}

/// Median race (every 100 m) or one sampled race (every 10 m, with surges and a tie-up).
pub(crate) fn progression(n: usize, dense: bool) -> ProgressionData {
    let step = if dense { 10 } else { 100 };
    let runners = names(n)
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let pts = (0..=1500 / step)
                .map(|k| {
                    let x = (k * step) as f64;
                    let f = x / 1500.0;
                    // Bunched early (0.1–0.6 s), strung out by the kick (up to ~2.5 s).
                    let mut gap =
                        0.04 * i as f64 * f.powf(0.5) + (0.03 + 0.17 * i as f64) * f.powf(6.0);
                    if dense {
                        gap += 0.05 * (1.0 + noise(i, k)) * f;
                        if i == 5 && x > 1250.0 {
                            gap += (x - 1250.0) / 250.0 * 1.6; // tie-up
                        }
                        if i == 3 && (900.0..1150.0).contains(&x) {
                            gap = (gap - 0.35 * ((x - 900.0) / 125.0).min(1.0)).max(0.0); // surge
                        }
                    }
                    (x, gap.max(0.0) * if i == 0 { 0.0 } else { 1.0 })
                })
                .collect();
            (name, pts)
        })
        .collect();
    ProgressionData {
        title: if dense {
            "Sampled race #4711".into()
        } else {
            "Median race".into()
        },
        subtitle: "Gap behind the leader at each point of the race".into(),
        y_label: "Gap behind leader (s)".into(),
        max_gap_s: None,
        references: Vec::new(),
        runners,
        marks: vec![
            (800.0, "pacer off".into()),
            (1100.0, "bell".into()),
            (1500.0, "finish".into()),
        ],
    }
}

pub(crate) fn probability(n: usize) -> ProbabilityData {
    let raw: Vec<f64> = (0..n).map(|i| 0.72f64.powi(i as i32)).collect();
    let sum: f64 = raw.iter().sum();
    let races = 2000.0;
    let rows = names(n)
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let win = raw[i] / sum;
            let podium = (3.0 * win * 1.6).min(0.92) * (1.0 - 0.02 * i as f64);
            let se = |p: f64| 1.96 * (p * (1.0 - p) / races).sqrt();
            ProbRow {
                name,
                win,
                win_lo: (win - se(win)).max(0.0),
                win_hi: win + se(win),
                podium,
                podium_lo: (podium - se(podium)).max(0.0),
                podium_hi: podium + se(podium),
            }
        })
        .collect();
    ProbabilityData {
        title: "Who wins? Win and podium probabilities".into(),
        subtitle: "2 000 simulated races".into(),
        rows,
    }
}

pub(crate) fn pit() -> PitData {
    PitData {
        title: "Calibration: PIT of real finish times".into(),
        subtitle: "Real results from 37 championship 1500 m races".into(),
        counts: vec![
            31, 24, 22, 19, 20, 18, 21, 17, 19, 18, 20, 19, 18, 22, 17, 19, 20, 21, 23, 25,
        ],
    }
}

pub(crate) fn diff() -> DiffData {
    let rows = NAMES
        .iter()
        .take(8)
        .enumerate()
        .flat_map(|(i, n)| {
            let m = -0.35 + 0.11 * i as f64 + 0.1 * noise(i, 3);
            let w = 0.12 + 0.02 * i as f64;
            [DiffRow {
                label: format!("{n} · finish time (s)"),
                mean: m,
                lo: m - w,
                hi: m + w,
            }]
        })
        .collect();
    DiffData {
        title: "Sit and kick vs. front running".into(),
        subtitle: "Paired differences, same 10 000 random draws (common random numbers)".into(),
        x_label: "Kick − front running: finish time (s)".into(),
        rows,
    }
}

pub(crate) fn sweep() -> SweepLineData {
    let series = NAMES
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, n)| {
            let pts = (0..7)
                .map(|k| {
                    let x = 54.0 + k as f64;
                    let mid = 30.0 - 8.0 * i as f64 + (3.0 - i as f64 * 2.0) * (x - 57.0);
                    let ci = 1.2 + 0.1 * k as f64;
                    (x, mid, mid - ci, mid + ci)
                })
                .collect();
            (n.to_string(), pts)
        })
        .collect();
    SweepLineData {
        title: "Win probability against first-lap pace".into(),
        subtitle: "2 000 races per point".into(),
        x_label: "First 400 m (s)".into(),
        y_label: "P(win) (%)".into(),
        y_format: ValueFormat::Plain,
        series,
    }
}

pub(crate) fn heatmap() -> HeatmapData {
    let xs: Vec<f64> = (0..6).map(|k| 150.0 + 50.0 * k as f64).collect();
    let ys: Vec<f64> = (0..7).map(|k| 54.0 + k as f64).collect();
    let values = ys
        .iter()
        .map(|y| {
            xs.iter()
                .map(|x| {
                    (22.0 + 2.5 * (y - 57.0)
                        - 0.04 * (x - 250.0)
                        - 0.0004 * (x - 250.0) * (x - 250.0)
                        + 0.6 * noise(*x as usize, *y as usize))
                    .max(0.4)
                })
                .collect()
        })
        .collect();
    HeatmapData {
        title: "Josh Kerr: win probability by tactic".into(),
        subtitle: "2 000 races per cell".into(),
        x_label: "Kick starts this far from the finish (m)".into(),
        y_label: "First 400 m (s)".into(),
        xs,
        ys,
        values,
        value_label: "P(win) (%)".into(),
        value_format: ValueFormat::Plain,
    }
}
