//! Charts, report.html, `plot race` and `--compare-with`, through the binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_racesim");

/// Charts `racesim run --out` writes (each as .png, .svg and, for a phone, -narrow.svg).
const RUN_CHARTS: [&str; 6] = [
    "splits",
    "splits-200m",
    "finish",
    "progression-median",
    "progression-sample",
    "probabilities",
];

/// The run's chart of the field as a whole (no runner names): the gaps behind the winner.
const FIELD_CHARTS: [&str; 1] = ["gaps"];

/// Runner names of the test scenario: non-ASCII letters, and markup characters that must be
/// escaped in SVG and HTML.
const NAMES: [&str; 6] = [
    "Josh Kerr",
    "Narve Gilje Nordås",
    "Cole Hocker",
    "Jan O'Brien & <Sons>",
    "Håkon Sørbø",
    "Ciarán \"Fast\" Ó Lionáin",
];
const SCENARIO_NAME: &str = "Test \"final\" <1500 m> & more";

fn shared_races() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/races")
}

/// A fresh empty directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("racesim-cli-charts-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// A small 1500 m scenario with a pacer: Kerr calibrated to his marks, the others explicit.
fn scenario(dir: &Path) -> PathBuf {
    let mut t = format!(
        "[race]\nname = {}\ntrack = \"outdoor400\"\ndistance = \"1500m\"\ndate = \"2024-08-06\"\nseed = 11\n\n\
         [[pacer]]\nname = \"Rabbit One\"\ndrop_out_m = 800\nsplits = [ {{ at_m = 800, time = \"1:51.0\" }} ]\n\n",
        toml_str(SCENARIO_NAME)
    );
    t.push_str(
        "[[runner]]\nname = \"Josh Kerr\"\ncountry = \"GBR\"\nreported = { \"1500m\" = { time = \"3:29.05\", date = \"2021-08-07\" }, mile = { time = \"3:45.34\", date = \"2024-05-25\" } }\n\n",
    );
    for (k, name) in NAMES.iter().enumerate().skip(1) {
        t.push_str(&format!(
            "[[runner]]\nname = {}\ncs = {:.3}\nd_prime = 340\nmss = 9.0\n\n",
            toml_str(name),
            6.16 - 0.02 * k as f64
        ));
    }
    let p = dir.join("test.toml");
    fs::write(&p, t).unwrap();
    p
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn racesim(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "racesim failed ({:?}):\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Markup escaping as plotters' SVG backend does it.
fn svg_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Markup escaping as report.html does it.
fn html_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A valid PNG of chart size that decodes completely.
fn check_png(path: &Path) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    assert!(
        bytes.len() > 20_000,
        "{} is only {} bytes",
        path.display(),
        bytes.len()
    );
    let dec = png::Decoder::new(std::io::Cursor::new(&bytes[..]));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1400, 900), "{}", path.display());
    // not a blank image: some dark pixels (text, lines)
    let dark = buf.chunks(3).filter(|p| p.iter().all(|&c| c < 80)).count();
    assert!(dark > 2000, "{} looks blank", path.display());
}

/// A complete SVG document of non-trivial size naming every one of `names`.
fn check_svg(path: &Path, names: &[&str]) -> String {
    let svg = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(svg.starts_with("<svg"), "{} is not an SVG", path.display());
    assert!(
        svg.trim_end().ends_with("</svg>"),
        "{} is not closed",
        path.display()
    );
    assert!(
        svg.len() > 4_000,
        "{} is only {} bytes",
        path.display(),
        svg.len()
    );
    assert!(svg.contains("<text"), "{} has no text", path.display());
    for n in names {
        assert!(
            svg.contains(&svg_escaped(n)),
            "{} lacks {n} (as {})",
            path.display(),
            svg_escaped(n)
        );
    }
    assert!(
        !svg.contains("NaN"),
        "{} has NaN coordinates",
        path.display()
    );
    svg
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn run_scenario(dir: &Path, extra: &[&str], env: &[(&str, &Path)]) -> (PathBuf, Output) {
    let sc = scenario(dir);
    let out_dir = dir.join("out");
    let mut args = vec![
        "run",
        sc.to_str().unwrap(),
        "--runs",
        "300",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = racesim(&args, env);
    (out_dir, out)
}

#[test]
fn run_writes_every_chart_and_a_self_contained_report() {
    let dir = temp_dir("run");
    let (out_dir, out) = run_scenario(&dir, &[], &[]);
    ok(&out);
    for stem in RUN_CHARTS {
        check_png(&out_dir.join(format!("{stem}.png")));
        check_svg(&out_dir.join(format!("{stem}.svg")), &NAMES);
        let narrow = check_svg(&out_dir.join(format!("{stem}-narrow.svg")), &NAMES);
        assert!(
            narrow.starts_with("<svg width=\"520\" "),
            "{stem}-narrow.svg"
        );
    }
    for stem in FIELD_CHARTS {
        check_png(&out_dir.join(format!("{stem}.png")));
        check_svg(&out_dir.join(format!("{stem}.svg")), &["Behind the winner"]);
        check_svg(
            &out_dir.join(format!("{stem}-narrow.svg")),
            &["Behind the winner"],
        );
    }
    // the pacer's plan and his stepping off are drawn
    let splits = fs::read_to_string(out_dir.join("splits.svg")).unwrap();
    assert!(
        splits.contains("Pacer plan"),
        "no pacer plan on the split chart"
    );
    let sample = fs::read_to_string(out_dir.join("progression-sample.svg")).unwrap();
    assert!(sample.contains("bell") && sample.contains("pacer off"));

    let html = fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(
        html.contains(&html_escaped(SCENARIO_NAME)),
        "scenario name not escaped"
    );
    assert!(
        !html.contains(SCENARIO_NAME),
        "raw scenario name in the page"
    );
    for n in NAMES {
        assert!(html.contains(&html_escaped(n)), "report.html lacks {n}");
    }
    // self-contained: inline SVGs (each chart's wide and narrow drawings, the screen's width
    // choosing), no scripts, style sheets or remote loads
    assert_eq!(
        html.matches("<svg").count(),
        2 * (RUN_CHARTS.len() + FIELD_CHARTS.len())
    );
    for stem in RUN_CHARTS.iter().chain(&FIELD_CHARTS) {
        let fig = &html[html.find(&format!("<figure id=\"chart-{stem}\">")).unwrap()..];
        let fig = &fig[..fig.find("</figure>").unwrap()];
        assert!(
            fig.contains("<div class=\"wide\"><svg viewBox=\"0 0 1400 900\""),
            "{stem}"
        );
        assert!(
            fig.contains("<div class=\"narrow\"><svg viewBox=\"0 0 520 "),
            "{stem}"
        );
        assert!(
            fig.contains(&format!("href=\"{stem}-narrow.svg\"")),
            "{stem}"
        );
    }
    for bad in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
        assert!(!html.contains(bad), "report.html contains {bad}");
    }
    for attr in ["src=", "href="] {
        for q in ["\"", "'", ""] {
            for scheme in ["http:", "https:", "//"] {
                let pat = format!("{attr}{q}{scheme}");
                assert!(!html.contains(&pat), "report.html loads {pat}");
            }
        }
    }
    // tables and calibration
    assert!(html.contains("Who wins") && html.contains("Calibration"));
    assert!(html.contains("Winning time") && html.contains("How to read this"));
    assert!(
        html.contains("3:29.05"),
        "Kerr's reported mark missing from the calibration"
    );
    // issue 12 item 7: on a phone the charts scale to the screen (no fixed minimum width), the
    // main table drops its secondary columns instead of scrolling, long notes wrap
    assert!(!html.contains("min-width: 640px"));
    assert!(html.contains(".chart svg { display: block; width: 100%; max-width: 100%;"));
    assert!(html.contains("@media (max-width: 640px)") && html.contains(".opt { display: none; }"));
    assert_eq!(
        html.matches("<th class=\"opt\">").count(),
        6,
        "± se, p05, p25, p75, p95, solo TT"
    );
    assert!(html.contains("warn small wrap") || !html.contains("⚠"));
    // issue 12 item 5: the split cards, in the page, runners.csv and summary.json
    assert!(html.contains("Split cards") && html.contains("His fastest 10 % of races"));
    let csv = fs::read_to_string(out_dir.join("runners.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    for col in [
        "win_races",
        "win_lap_300m_s",
        "win_at_1500m_s",
        "fast10_lap_1500m_s",
        "fast10_at_1500m_s",
    ] {
        assert!(
            header.split(',').any(|h| h == col),
            "runners.csv lacks {col}"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    let mut cards = 0;
    for r in summary["runners"].as_array().unwrap() {
        let p10 = r["time_q"]["p10"].as_f64().unwrap();
        let fast = &r["card_fastest_10"];
        let laps = fast["laps"].as_array().unwrap();
        let sum: f64 = laps.iter().map(|l| l["lap_s"].as_f64().unwrap()).sum();
        let end = laps.last().unwrap()["cumulative_s"].as_f64().unwrap();
        assert!((sum - end).abs() < 1e-6, "the card adds up");
        // the mean of his fastest tenth is no slower than the tenth's slowest edge
        assert!(end <= p10 + 0.05, "{}: {end} vs p10 {p10}", r["name"]);
        if let Some(win) = r["card_win"]["laps"].as_array() {
            cards += 1;
            let t: f64 = win.iter().map(|l| l["lap_s"].as_f64().unwrap()).sum();
            assert!(t > 180.0 && t < 240.0, "{t}");
        }
    }
    assert!(cards >= 2, "at least two runners won a race");
    // no temporary files left behind
    assert!(files_in(&out_dir).iter().all(|f| !f.contains(".tmp")));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn charts_render_with_system_fonts_hidden() {
    let dir = temp_dir("nofonts");
    let conf = dir.join("fonts.conf");
    fs::write(
        &conf,
        "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n",
    )
    .unwrap();
    let empty = dir.join("no-fonts");
    fs::create_dir_all(&empty).unwrap();
    let env = [
        ("FONTCONFIG_FILE", conf.as_path()),
        ("FONTCONFIG_PATH", empty.as_path()),
        ("XDG_DATA_HOME", empty.as_path()),
        ("HOME", empty.as_path()),
    ];
    let (out_dir, out) = run_scenario(&dir, &[], &env);
    ok(&out);
    for stem in RUN_CHARTS {
        check_png(&out_dir.join(format!("{stem}.png")));
    }
    let rec = shared_races().join("rome2024_ech_w1500_final.json");
    let rome = dir.join("rome");
    let out = racesim(
        &[
            "plot",
            "race",
            rec.to_str().unwrap(),
            "--out",
            rome.to_str().unwrap(),
        ],
        &env,
    );
    ok(&out);
    check_png(&rome.join("splits.png"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_charts_writes_tables_and_report_only() {
    let dir = temp_dir("nocharts");
    let (out_dir, out) = run_scenario(&dir, &["--no-charts"], &[]);
    ok(&out);
    let files = files_in(&out_dir);
    assert_eq!(
        files,
        vec!["report.html", "runners.csv", "splits.csv", "summary.json"]
    );
    let html = fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.contains("--no-charts") && !html.contains("<svg"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plot_race_works_on_every_shared_record() {
    let dir = temp_dir("plotrace");
    let mut n = 0;
    for e in fs::read_dir(shared_races()).unwrap() {
        let rec = e.unwrap().path();
        if rec.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        n += 1;
        let stem = rec.file_stem().unwrap().to_string_lossy().into_owned();
        let out_dir = dir.join(&stem);
        let out = racesim(
            &[
                "plot",
                "race",
                rec.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ],
            &[],
        );
        ok(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("Drew splits"), "{stem}: {stdout}");
        check_png(&out_dir.join("splits.png"));
        check_svg(&out_dir.join("splits.svg"), &["Leader"]);
        for f in files_in(&out_dir) {
            if let Some(s) = f.strip_suffix(".png") {
                check_png(&out_dir.join(&f));
                assert!(out_dir.join(format!("{s}.svg")).is_file());
            }
        }
    }
    assert!(n >= 9, "only {n} race records found");
    // Rome 2024: every athlete every 100 m, so the 200 m and progression charts too, with all
    // 13 women named.
    let rome = dir.join("rome2024_ech_w1500_final");
    let women = [
        "Ciara Mageean",
        "Georgia Bell",
        "Agathe Guillemot",
        "Jemma Reekie",
        "Nele Weßel",
        "Aleksandra Płocińska",
        "Salomé Afonso",
        "Ludovica Cavalli",
    ];
    for stem in ["splits", "splits-200m", "progression"] {
        check_png(&rome.join(format!("{stem}.png")));
        check_svg(&rome.join(format!("{stem}.svg")), &women);
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plot_race_missing_file_is_a_clean_error() {
    let dir = temp_dir("plotmissing");
    let out_dir = dir.join("out");
    let out = racesim(
        &[
            "plot",
            "race",
            dir.join("nope.json").to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!out_dir.exists());
    fs::remove_dir_all(&dir).unwrap();
}

/// A record with no split to draw (fuzz finding: it used to exit 0 having written nothing):
/// exit 2, one line naming the file, the line and `splits`, no output folder. And a name holding
/// U+2028 (a line separator terminals break at) is escaped: the error stays one line.
#[test]
fn plot_race_with_nothing_to_draw_is_an_input_error() {
    let dir = temp_dir("plotnosplits");
    let src = fs::read_to_string(shared_races().join("tokyo2021_oly_m1500_final.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&src).unwrap();
    v["splits"] = serde_json::json!([]);
    v.as_object_mut().unwrap().remove("athlete_splits");
    let rec = dir.join("nosplits.json");
    fs::write(&rec, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let out_dir = dir.join("out");
    let args = [
        "plot",
        "race",
        rec.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ];
    let out = racesim(&args, &[]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("nosplits.json:") && err.contains("field `splits`"),
        "{err}"
    );
    assert!(!out_dir.exists());

    v["entrants"][0]["reported"][0]["event"] = serde_json::json!("mile\u{2028}x");
    fs::write(&rec, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let out = racesim(&args, &[]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains('\u{2028}'), "{err}");
    assert!(err.contains("\\u{2028}"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    fs::remove_dir_all(&dir).unwrap();
}

/// `--compare-with` given bad input: exit 2, one line on stderr, nothing new in the out dir.
fn compare_fails_cleanly(record: &Path, expect: &str) {
    let dir = temp_dir(&format!(
        "cmpbad-{}",
        record.file_name().unwrap().to_string_lossy()
    ));
    let sc = scenario(&dir);
    let out_dir = dir.join("out");
    fs::create_dir_all(&out_dir).unwrap();
    fs::write(out_dir.join("keep.txt"), "already here").unwrap();
    let out = racesim(
        &[
            "run",
            sc.to_str().unwrap(),
            "--runs",
            "300",
            "--out",
            out_dir.to_str().unwrap(),
            "--compare-with",
            record.to_str().unwrap(),
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.contains(expect), "stderr lacks {expect}: {stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert_eq!(files_in(&out_dir), vec!["keep.txt"]);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compare_with_missing_file_exits_2_and_writes_nothing() {
    compare_fails_cleanly(Path::new("/nonexistent/race.json"), "race.json");
}

#[test]
fn compare_with_malformed_record_exits_2_and_writes_nothing() {
    let dir = temp_dir("malformed");
    let bad = dir.join("bad.json");
    fs::write(&bad, "{ \"id\": \"x\", \"event\": ").unwrap();
    compare_fails_cleanly(&bad, "bad.json");
    // valid JSON, wrong distance for the scenario
    let mile = shared_races().join("pre2023_bowerman_mile.json");
    compare_fails_cleanly(&mile, "1609.34 m");
    fs::remove_dir_all(&dir).unwrap();
}

/// The scenario run with `--compare-with` the shared race `record`, in a fresh temp folder
/// `name`, which must succeed: the folder, the output folder and the output.
fn run_beside(name: &str, record: &str) -> (PathBuf, PathBuf, Output) {
    let dir = temp_dir(name);
    let rec = shared_races().join(record);
    let (out_dir, out) = run_scenario(&dir, &["--compare-with", rec.to_str().unwrap()], &[]);
    ok(&out);
    (dir, out_dir, out)
}

#[test]
fn compare_with_a_real_race_overlays_and_tabulates() {
    let (dir, out_dir, out) = run_beside("compare", "paris2024_oly_m1500_final.json");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Real vs simulated"), "{stdout}");
    // Kerr, Nordås and Hocker ran in Paris: actual times beside the simulation
    for t in ["3:27.79", "3:30.46", "3:27.65"] {
        assert!(stdout.contains(t), "{t} missing:\n{stdout}");
    }
    assert!(stdout.contains("leader at"), "{stdout}");
    let splits = check_svg(&out_dir.join("splits.svg"), &NAMES);
    assert!(splits.contains("Leader, Paris 2024 (actual)"));
    let gaps = check_svg(&out_dir.join("gaps.svg"), &["Behind the winner"]);
    assert!(gaps.contains("Paris 2024 (actual)"), "no real gaps");
    let html = fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.contains("Real race vs simulation") && html.contains("3:27.79"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compare_with_athlete_splits_overlays_the_progression() {
    // Tokyo 2021 has Kerr's and Ingebrigtsen's splits before the finish.
    let (dir, out_dir, _) = run_beside("compare-tokyo", "tokyo2021_oly_m1500_final.json");
    let prog = check_svg(&out_dir.join("progression-median.svg"), &NAMES);
    assert!(
        prog.contains("Josh Kerr (actual)"),
        "no real progression overlay"
    );
    let splits = check_svg(&out_dir.join("splits.svg"), &NAMES);
    assert!(
        splits.contains("Josh Kerr (actual)") && splits.contains("Leader, Tokyo 2021 (actual)")
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// The runners' legend entries in `svg`, in the order they are drawn (top to bottom).
fn legend_order<'a>(svg: &str, names: &[&'a str]) -> Vec<&'a str> {
    let mut at: Vec<(usize, &str)> = names
        .iter()
        .map(|n| (svg.find(&svg_escaped(n)).expect(n), *n))
        .collect();
    at.sort();
    at.into_iter().map(|(_, n)| n).collect()
}

#[test]
fn split_legend_is_in_finishing_order_and_highlight_is_checked() {
    // A shipped final whose scenario order is not its finishing order.
    let paris =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/paris-2024-olympic-1500.toml");
    let dir = temp_dir("legend-order");
    let out_dir = dir.join("out");
    let out = racesim(
        &[
            "run",
            paris.to_str().unwrap(),
            "--runs",
            "300",
            "--highlight",
            "Neil Gourley",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    ok(&out);
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    let runners: Vec<(f64, String)> = summary["runners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["time_q"]["p50"].as_f64().unwrap(),
                r["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let names: Vec<&str> = runners.iter().map(|(_, n)| n.as_str()).collect();
    let mut by_median = runners.clone();
    by_median.sort_by(|a, b| a.0.total_cmp(&b.0));
    let expected: Vec<&str> = by_median.iter().map(|(_, n)| n.as_str()).collect();
    assert_ne!(
        expected, names,
        "the scenario should not finish in its own order"
    );
    let svg = fs::read_to_string(out_dir.join("splits.svg")).unwrap();
    assert_eq!(legend_order(&svg, &names), expected);

    let bad = racesim(
        &[
            "run",
            paris.to_str().unwrap(),
            "--runs",
            "10",
            "--highlight",
            "Nobody Atall",
        ],
        &[],
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("Nobody Atall"), "{err}");
}
