//! `report.html`: one self-contained page per run — the tables, the calibration, the charts
//! (inline SVG) and a note on how to read them. No scripts, no external style sheets, fonts or
//! images: it opens offline, from an e-mail attachment, on a phone. Each chart is inlined
//! twice, the wide drawing and the narrow one (legend below the plot, text sized for a phone);
//! a media query (screens up to 820 px wide) shows one of them.
//!
//! Every piece of text from the scenario or the data (runner and scenario names, notes) goes
//! through [`esc`]; the inline SVGs come from plotters, which escapes its text itself.

use std::fmt::Write;

use crate::base::units::{Event, fmt_time};
use crate::report::chart::{Rendered, narrow_file};
use crate::report::format::fmt_m;
use crate::report::summary::{RunnerSummary, SplitCard, Summary};
use crate::report::versus::{Comparison, pct_text, place_text};

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// What goes into the page.
#[derive(Debug, Clone, Copy)]
pub struct HtmlReport<'a> {
    /// The run.
    pub summary: &'a Summary,
    /// The charts, in page order (empty with `--no-charts`).
    pub charts: &'a [Rendered],
    /// A real race to put beside it (`--compare-with`).
    pub comparison: Option<&'a Comparison>,
    /// Why there are no charts, if there are none.
    pub no_charts_reason: Option<&'a str>,
}

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #222; background: #fafafa; line-height: 1.45; font-size: 16px; }
main { max-width: 1180px; margin: 0 auto; padding: 12px 14px 40px; }
h1 { font-size: 1.55rem; margin: 0.6em 0 0.2em; line-height: 1.2; }
h2 { font-size: 1.25rem; margin: 1.8em 0 0.5em; border-bottom: 2px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.05rem; margin: 1.3em 0 0.4em; }
p, li { max-width: 60em; }
.muted { color: #5f5f5f; }
.small { font-size: 0.88rem; }
.settings { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 0.4em 0; list-style: none; }
.settings li { white-space: nowrap; }
.settings b { font-weight: 600; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.4em 0 0.8em;
  border: 1px solid #e2e2e2; border-radius: 6px; background: #fff; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 0.92rem; }
th, td { padding: 5px 8px; text-align: right; white-space: nowrap; border-bottom: 1px solid #eee; }
th { background: #f3f3f3; font-weight: 600; position: sticky; top: 0; }
th.l, td.l { text-align: left; }
/* the first column (the runner) stays in view while a wide table scrolls sideways */
tr > :first-child { position: sticky; left: 0; z-index: 1; background: #fff; }
thead tr > :first-child { background: #f3f3f3; z-index: 2; }
tr.group td { border-top: 2px solid #ddd; }
.warn { color: #a33; }
.dot { display: inline-block; width: 0.75em; height: 0.75em; border-radius: 50%; margin-right: 0.4em;
  vertical-align: -0.05em; }
figure { margin: 0.4em 0 1.4em; }
.chart { overflow-x: auto; -webkit-overflow-scrolling: touch; background: #fff;
  border: 1px solid #e2e2e2; border-radius: 6px; }
.chart svg { display: block; width: 100%; max-width: 100%; height: auto; }
/* each chart twice: the wide drawing, and the narrow one (legend below) for a phone */
.chart .narrow, a.narrow { display: none; }
@media (max-width: 820px) {
  .chart .wide, a.wide { display: none; }
  .chart .narrow { display: block; }
  a.narrow { display: inline; }
  .chart .narrow svg { max-width: 600px; margin: 0 auto; }
}
td.wrap, th.wrap { white-space: normal; min-width: 14em; }
.full { font-size: 0.85rem; }
/* a phone: the main table keeps the columns that answer "who wins" and fits the screen; the
   first column of the wide tables stops being sticky (it would take most of the screen) */
@media (max-width: 640px) {
  main { padding: 8px 8px 32px; }
  table { font-size: 0.82rem; }
  th, td { padding: 4px 5px; }
  .opt { display: none; }
  table.main td.l, th { white-space: normal; }
  tr > :first-child { position: static; }
  td.who { white-space: normal; min-width: 7em; }
  .chart { overflow-x: hidden; }
  /* the head-to-head matrix (td.num) and the calibration table (td.who, not the main table)
     fit the screen in compact cells instead of scrolling sideways; a note column with nothing
     in it takes no room */
  td.wrap, th.wrap { min-width: 0; }
  td.wrap:empty { padding: 0; }
  table:has(td.num), table:has(td.who):not(.main) { font-size: 0.72rem; }
  table:has(td.num) th, table:has(td.num) td,
  table:has(td.who):not(.main) th, table:has(td.who):not(.main) td { padding: 3px 2px; white-space: normal; }
  table:has(td.who):not(.main) td:not(.l) { white-space: nowrap; }
  table:has(td.num) tr > :first-child { min-width: 6.5em; text-align: left; }
  table:has(td.who):not(.main) td.who { min-width: 5.5em; }
  table:has(td.who):not(.main) td.who .small { display: block; font-size: 0.66rem; }
}
figcaption { font-size: 0.88rem; color: #5f5f5f; margin-top: 0.3em; }
.key { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 10px; margin: 0.6em 0; }
.key div { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 8px 10px; }
.key b { display: block; font-size: 1.15rem; }
footer { margin-top: 3em; font-size: 0.85rem; color: #777; }
"#;

fn pct(p: f64) -> String {
    if p.is_finite() {
        format!("{:.1}", 100.0 * p)
    } else {
        "–".into()
    }
}

fn t(s: f64) -> String {
    esc(&fmt_time(s))
}

fn distance_name(d: f64) -> String {
    match Event::from_metres(d) {
        Some(Event::Mile) => "Mile".into(),
        Some(Event::TwoMile) => "2 miles".into(),
        Some(e) => format!("{} m", e.metres()),
        None => format!("{} m", fmt_m(d)),
    }
}

/// The chart palette's colour of runner `i`, as CSS.
fn color_css(i: usize) -> String {
    let c = crate::plot::runner_color(i);
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Runners by win probability, then median time (the terminal table's order).
fn order(s: &Summary) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..s.runners.len()).collect();
    idx.sort_by(|&a, &b| {
        let (ra, rb) = (&s.runners[a], &s.runners[b]);
        rb.p_win
            .p
            .total_cmp(&ra.p_win.p)
            .then(ra.time_q.p50.total_cmp(&rb.time_q.p50))
    });
    idx
}

/// The `<svg>` of a chart, made to scale with the page.
fn inline_svg(svg: &str, label: &str) -> String {
    // plotters writes `<svg width=".." height=".." viewBox=".." xmlns="..">`: drop the fixed
    // size (the CSS sizes it) and name it for screen readers.
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let body = &svg[start..];
    let Some(end) = body.find('>') else {
        return String::new();
    };
    let tag = &body[..end];
    let mut attrs = String::new();
    for key in ["viewBox", "xmlns"] {
        if let Some(p) = tag.find(&format!("{key}=\"")) {
            let rest = &tag[p..];
            if let Some(q) = rest[key.len() + 2..].find('"') {
                attrs.push(' ');
                attrs.push_str(&rest[..key.len() + 3 + q]);
            }
        }
    }
    format!(
        "<svg{attrs} role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\">{}",
        esc(label),
        &body[end + 1..]
    )
}

fn settings(o: &mut String, s: &Summary) {
    let track = s.track.describe();
    let _ = writeln!(o, "<ul class=\"settings\">");
    let mut li = |k: &str, v: String| {
        let _ = writeln!(o, "<li><b>{}</b> {}</li>", esc(k), v);
    };
    li("Distance", esc(&distance_name(s.distance_m)));
    li("Track", esc(track));
    li("Runners", s.runners.len().to_string());
    li("Simulated races", s.runs.to_string());
    li("Seed", s.seed.to_string());
    if let Some(v) = &s.variant {
        li("Variant", esc(v));
    }
    li(
        "Pacers",
        if s.pacers.is_empty() {
            "none".into()
        } else {
            esc(&s.pacers.join(", "))
        },
    );
    let _ = writeln!(o, "</ul>");
}

fn key_figures(o: &mut String, s: &Summary) {
    let idx = order(s);
    let _ = writeln!(o, "<div class=\"key\">");
    if let Some(&f) = idx.first() {
        let r = &s.runners[f];
        let _ = writeln!(
            o,
            "<div><span class=\"muted\">Favourite</span><b>{}</b>wins {} % of races</div>",
            esc(&r.name),
            pct(r.p_win.p)
        );
    }
    let w = &s.winner_time_q;
    let _ = writeln!(
        o,
        "<div><span class=\"muted\">Winning time (median)</span><b>{}</b>90 % between {} and {}</div>",
        t(w.p50),
        t(w.p05),
        t(w.p95)
    );
    let l = &s.winner_last_lap_q;
    let _ = writeln!(
        o,
        "<div><span class=\"muted\">Winner's last lap (median)</span><b>{:.2} s</b>90 % between {:.2} and {:.2} s</div>",
        l.p50, l.p05, l.p95
    );
    if let Some(r) = &s.regimes {
        let _ = writeln!(
            o,
            "<div><span class=\"muted\">Race regimes drawn</span><b>fast {:.0} % · medium {:.0} % · slow {:.0} %</b>championship race, no pacers</div>",
            100.0 * r.fast,
            100.0 * r.medium,
            100.0 * r.slow
        );
    }
    let _ = writeln!(o, "</div>");
}

fn main_table(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "<div class=\"scroll\"><table class=\"main\">");
    let _ = writeln!(
        o,
        "<thead><tr><th class=\"l\">Runner</th><th>Win %</th><th class=\"opt\">± se</th>\
         <th>Podium %</th><th>Mean place</th><th class=\"opt\">p05</th><th class=\"opt\">p25</th>\
         <th>Median</th><th class=\"opt\">p75</th><th class=\"opt\">p95</th>\
         <th class=\"opt\">Solo TT</th><th class=\"l opt\">Tactic</th></tr></thead><tbody>"
    );
    for i in order(s) {
        let r = &s.runners[i];
        let q = &r.time_q;
        let tactic = format!(
            "{}{}",
            r.tactic.kind,
            if r.default_tactic { "*" } else { "" }
        );
        let country = r
            .country
            .as_deref()
            .map(|c| format!(" <span class=\"muted small\">{}</span>", esc(c)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "<tr><td class=\"l\"><span class=\"dot\" style=\"background:{}\"></span>{}{country}</td>\
             <td><b>{}</b></td><td class=\"opt\">{}</td><td>{}</td><td>{:.1}</td><td class=\"opt\">{}</td>\
             <td class=\"opt\">{}</td><td><b>{}</b></td><td class=\"opt\">{}</td><td class=\"opt\">{}</td>\
             <td class=\"opt\">{}</td><td class=\"l opt\">{}</td></tr>",
            color_css(i),
            esc(&r.name),
            pct(r.p_win.p),
            pct(r.p_win.se),
            pct(r.p_podium.p),
            r.mean_place,
            t(q.p05),
            t(q.p25),
            t(q.p50),
            t(q.p75),
            t(q.p95),
            t(r.solo_time_s),
            esc(&tactic),
        );
    }
    let _ = writeln!(o, "</tbody></table></div>");
    let _ = writeln!(
        o,
        "<p class=\"small muted\">Sorted by win probability. Times are finish-time quantiles over \
         the simulated races (p05: 5 % of races faster). * tactic chosen by the runner's profile. \
         ± se: Monte Carlo standard error of win %. Podium %: chance of a top-three place. Mean \
         place: his average finishing place. Median: half his races are faster. Solo TT: the \
         runner's calibrated solo, evenly paced time over this distance. On a narrow screen only \
         win %, podium %, mean place and median are shown: turn the phone for the rest.</p>"
    );
}

fn race_shape(o: &mut String, s: &Summary) {
    let quant_row = |o: &mut String, label: &str, q: &crate::stats::Quantiles| {
        let _ = writeln!(
            o,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(label),
            t(q.p05),
            t(q.p10),
            t(q.p25),
            t(q.p50),
            t(q.p75),
            t(q.p90),
            t(q.p95)
        );
    };
    let _ = writeln!(o, "<div class=\"scroll\"><table>");
    let _ = writeln!(
        o,
        "<thead><tr><th class=\"l\"></th><th>p05</th><th>p10</th><th>p25</th><th>Median</th><th>p75</th><th>p90</th><th>p95</th></tr></thead><tbody>"
    );
    quant_row(o, "Winning time", &s.winner_time_q);
    quant_row(o, "Winner's last lap", &s.winner_last_lap_q);
    let laps: Vec<f64> = s
        .runners
        .first()
        .map(|r| r.lap_splits.iter().map(|l| l.at_m).collect())
        .unwrap_or_default();
    for sp in s
        .leader_splits
        .iter()
        .filter(|sp| laps.iter().any(|l| (l - sp.at_m).abs() < 0.01))
    {
        quant_row(o, &format!("Leader at {} m", fmt_m(sp.at_m)), &sp.q);
    }
    let _ = writeln!(o, "</tbody></table></div>");
    let _ = writeln!(
        o,
        "<p class=\"small muted\">Leader: the first athlete past each lap line, pacers included.</p>"
    );
}

fn win_card(r: &RunnerSummary) -> Option<&SplitCard> {
    r.card_win.as_ref()
}

fn fast_card(r: &RunnerSummary) -> Option<&SplitCard> {
    r.card_fastest_10.as_ref()
}

/// The split cards (see [`crate::report::summary::SplitCard`]): per runner, the laps and their
/// running total, of his winning race and of his fastest 10 % of races.
fn split_cards(o: &mut String, s: &Summary) {
    let Some(first) = s.runners.first() else {
        return;
    };
    let laps: Vec<(f64, f64)> = first.laps.iter().map(|l| (l.from_m, l.to_m)).collect();
    let head: String = laps
        .iter()
        .map(|&(a, b)| format!("<th>{}–{} m</th>", fmt_m(a), fmt_m(b)))
        .collect();
    for (title, pick, none) in [
        (
            "His winning race",
            win_card as fn(&RunnerSummary) -> Option<&SplitCard>,
            "never won",
        ),
        ("His fastest 10 % of races", fast_card, "too few races"),
    ] {
        let _ = writeln!(o, "<h3>{title}</h3>");
        let _ = writeln!(
            o,
            "<div class=\"scroll\"><table class=\"card\"><thead><tr><th class=\"l\">Runner</th>\
             <th>Races</th>{head}</tr></thead><tbody>"
        );
        for i in order(s) {
            let r = &s.runners[i];
            let _ = write!(
                o,
                "<tr><td class=\"l\"><span class=\"dot\" style=\"background:{}\"></span>{}</td>",
                color_css(i),
                esc(&r.name)
            );
            match pick(r) {
                Some(c) => {
                    let _ = write!(o, "<td>{:.0}</td>", c.races);
                    for l in &c.laps {
                        let _ = write!(
                            o,
                            "<td><b>{:.2}</b><br><span class=\"small muted\">{}</span></td>",
                            l.lap_s,
                            t(l.cumulative_s)
                        );
                    }
                }
                None => {
                    let _ = write!(
                        o,
                        "<td>0</td><td class=\"l muted\" colspan=\"{}\">{none}</td>",
                        laps.len()
                    );
                }
            }
            let _ = writeln!(o, "</tr>");
        }
        let _ = writeln!(o, "</tbody></table></div>");
    }
    let _ = writeln!(
        o,
        "<p class=\"small muted\">The laps to aim at. Each cell: the lap time in seconds (bold) \
         and, below it, the time at the end of the lap from the gun — the laps added up. \
         <b>Winning race</b>: each lap's mean over the races he won, so the card adds up to his \
         mean winning time. <b>Fastest 10 %</b>: each lap's mean over his fastest tenth of races \
         by finish time, won or not. Races: how many races the card averages. The first column \
         may be a part lap (the start is not on the finish line).</p>"
    );
}

fn calibration(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "<div class=\"scroll\"><table>");
    let _ = writeln!(
        o,
        "<thead><tr><th class=\"l\">Runner</th><th class=\"l\">Mark</th><th>Reported</th>\
         <th>Simulated time trial</th><th>Error</th><th class=\"l\">Note</th></tr></thead><tbody>"
    );
    for (i, r) in s.runners.iter().enumerate() {
        calibration_rows(o, i, r);
    }
    let _ = writeln!(o, "</tbody></table></div>");
    let _ = writeln!(
        o,
        "<p class=\"small muted\">Each runner's critical speed (CS), anaerobic reserve (D′) and \
         sprint speed (MSS) are fitted to his reported marks; the simulated time trial is the \
         model's solo, evenly paced run over each mark's distance. Errors beyond ±0.5 % are shown \
         in red: the marks disagree with each other, or with the model.</p>"
    );
}

fn calibration_rows(o: &mut String, i: usize, r: &RunnerSummary) {
    let ph = &r.physiology;
    let who = format!(
        "<span class=\"dot\" style=\"background:{}\"></span>{}<br><span class=\"small muted\">CS {:.2} m/s · D′ {:.0} m · MSS {:.2} m/s</span>",
        color_css(i),
        esc(&r.name),
        ph.cs,
        ph.d_prime,
        ph.mss
    );
    let Some(fit) = &r.calibration else {
        let why = if r.field_prior {
            "No reported time known: placed at the field's slower quartile (field prior)."
        } else {
            "Not fitted to reported times (parameters given in the scenario)."
        };
        let _ = writeln!(
            o,
            "<tr class=\"group\"><td class=\"l who\">{who}</td><td class=\"l wrap\" colspan=\"5\">{}</td></tr>",
            esc(why)
        );
        return;
    };
    if fit.marks.is_empty() {
        let _ = writeln!(
            o,
            "<tr class=\"group\"><td class=\"l who\">{who}</td><td class=\"l\" colspan=\"5\">No marks.</td></tr>"
        );
    }
    for (k, m) in fit.marks.iter().enumerate() {
        let cls = if k == 0 { " class=\"group\"" } else { "" };
        let first = if k == 0 { who.as_str() } else { "" };
        let err = 100.0 * m.rel_error;
        let warn = if m.rel_error.abs() > 0.005 {
            " warn"
        } else {
            ""
        };
        let mark = format!(
            "{}{}",
            m.mark.event,
            if m.mark.indoor { " (indoor)" } else { "" }
        );
        let _ = writeln!(
            o,
            "<tr{cls}><td class=\"l who\">{first}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td>\
             <td class=\"{}\">{:+.2} %</td><td class=\"l small wrap\">{}</td></tr>",
            esc(&mark),
            t(m.mark.time_s),
            t(m.simulated_s),
            warn.trim(),
            err,
            esc(&m.mark.note)
        );
    }
    for w in &fit.warnings {
        let _ = writeln!(
            o,
            "<tr><td class=\"l who\"></td><td class=\"l warn small wrap\" colspan=\"5\">⚠ {}</td></tr>",
            esc(w)
        );
    }
}

fn comparison(o: &mut String, c: &Comparison) {
    let r = &c.real;
    let _ = writeln!(
        o,
        "<p>{} — {}, {}.</p>",
        esc(&r.event),
        esc(&r.venue),
        esc(&r.date)
    );
    for n in &c.notes {
        let _ = writeln!(o, "<p class=\"small warn\">Note: {}</p>", esc(n));
    }
    if !c.runners.is_empty() {
        let _ = writeln!(o, "<div class=\"scroll\"><table>");
        let _ = writeln!(
            o,
            "<thead><tr><th class=\"l\">Runner</th><th>Actual place</th><th>Actual time</th>\
             <th>Simulated median</th><th>Simulated 10–90 %</th><th>Simulated mean place</th>\
             <th>Percentile of actual</th></tr></thead><tbody>"
        );
        for v in &c.runners {
            let _ = writeln!(
                o,
                "<tr><td class=\"l\"><span class=\"dot\" style=\"background:{}\"></span>{}</td><td>{}</td><td><b>{}</b></td><td>{}</td><td>{} – {}</td><td>{:.1}</td><td>{}</td></tr>",
                color_css(v.sim_index),
                esc(&v.name),
                esc(&place_text(v)),
                v.actual_s.map(t).unwrap_or_else(|| "–".into()),
                t(v.sim.p50),
                t(v.sim.p10),
                t(v.sim.p90),
                v.sim_mean_place,
                esc(&pct_text(v.percentile))
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
        let _ = writeln!(
            o,
            "<p class=\"small muted\">Percentile of actual: the share of the runner's simulated races that \
             were faster than his real time (50 %: he ran his median; 5 %: better than all but 5 % \
             of the simulations).</p>"
        );
    }
    if !c.leader.is_empty() {
        let _ = writeln!(o, "<div class=\"scroll\"><table>");
        let _ = writeln!(
            o,
            "<thead><tr><th>Leader at</th><th>Actual</th><th>Simulated median</th>\
             <th>Simulated 10–90 %</th><th>Percentile of actual</th></tr></thead><tbody>"
        );
        for l in &c.leader {
            let (med, band) = match &l.sim {
                Some(q) => (t(q.p50), format!("{} – {}", t(q.p10), t(q.p90))),
                None => ("–".into(), "–".into()),
            };
            let _ = writeln!(
                o,
                "<tr><td>{} m</td><td><b>{}{}</b></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&fmt_m(l.at_m)),
                t(l.actual_s),
                if l.derived { "*" } else { "" },
                med,
                band,
                esc(&pct_text(l.percentile))
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
        let _ = writeln!(
            o,
            "<p class=\"small muted\">Leader: the first athlete past the point, pacers included, \
             in the real race and in the simulations. * derived split.</p>"
        );
    }
    if !c.not_simulated.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"small\">In the race, not simulated: {}.</p>",
            esc(&c.not_simulated.join(", "))
        );
    }
    if !c.not_in_record.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"small\">Simulated, not in the race: {}.</p>",
            esc(&c.not_in_record.join(", "))
        );
    }
}

fn caption(stem: &str) -> &'static str {
    match stem {
        "splits" => {
            "Each runner's time per 400 m segment: the line is the median over the simulated \
             races. The first four by median finish time (and any runner named with \
             --highlight) have a bar at each segment end holding 80 % of the races (10 % to \
             90 %); their bars stand side by side, a few metres apart, so that they do not hide \
             each other. Dashed: the pacers' plan. Black dots and line: the real race, when \
             compared."
        }
        "splits-200m" => "The same for 200 m segments, counted back from the finish.",
        "finish" => {
            "One row per runner, fastest median at the top: how the runner's finish times spread over the \
             simulated races. A tall narrow peak is a runner whose result barely depends on the \
             race; a low wide hill, one whose result does. Win % on the right."
        }
        "progression-median" => {
            "Median gap of each runner behind the first runner at each 100 m point. The leader's \
             zero is at the top; a line falling away is a runner losing ground."
        }
        "progression-sample" => {
            "One simulated race, as it unfolded: surges show as lines bunching, the kick as the \
             field stretching, a runner tying up as a line dropping late."
        }
        "probabilities" => {
            "Chance of winning and of a top-3 place, with 95 % intervals for the Monte Carlo error \
             (more races make them narrower)."
        }
        "gaps" => {
            "How far behind the winner the 2nd, 3rd, … finisher is, whoever he is: the bands hold \
             90, 80 and 50 % of the simulated races, the bar across is the median. Black dots: \
             the real race's gaps, when compared. A real field finishing tighter than the bands \
             shows as dots below them."
        }
        _ => "",
    }
}

/// One chart on the page: its heading, both drawings inline (the CSS shows the wide one or, on
/// a screen up to 820 px wide, the narrow one), its caption and a link to the file of the
/// drawing shown.
fn figure(c: &Rendered) -> String {
    format!(
        "<figure id=\"chart-{}\">\n<h3>{}</h3>\n<div class=\"chart\"><div class=\"wide\">{}</div>\
         \n<div class=\"narrow\">{}</div></div>\n<figcaption>{} \
         <a class=\"full wide\" href=\"{}.svg\">Full size</a>\
         <a class=\"full narrow\" href=\"{}\">Full size</a></figcaption>\n</figure>",
        esc(&c.stem),
        esc(&c.heading),
        inline_svg(&c.bytes.svg, &c.heading),
        inline_svg(&c.bytes.narrow_svg, &c.heading),
        esc(caption(&c.stem)),
        esc(&c.stem),
        esc(&narrow_file(&c.stem))
    ) + "\n"
}

/// The whole page.
pub fn render(r: &HtmlReport) -> String {
    let s = r.summary;
    let title = match &s.variant {
        Some(v) => format!("{} — variant {v}", s.scenario),
        None => s.scenario.clone(),
    };
    let mut o = String::with_capacity(
        64 * 1024
            + r.charts
                .iter()
                .map(|c| c.bytes.svg.len() + c.bytes.narrow_svg.len())
                .sum::<usize>(),
    );
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    );
    let _ = writeln!(
        o,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(o, "<title>{} — racesim report</title>", esc(&title));
    let _ = writeln!(o, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(o, "<h1>{}</h1>", esc(&title));
    settings(&mut o, s);
    key_figures(&mut o, s);

    let _ = writeln!(o, "<h2 id=\"who-wins\">Who wins</h2>");
    main_table(&mut o, s);
    if !s.targets.is_empty() {
        let _ = writeln!(o, "<h2>Chance of beating a time</h2>");
        o.push_str(&super::table::targets_table(s).html());
    }
    let _ = writeln!(o, "<h2>Head to head</h2>");
    o.push_str(&super::table::h2h_table(s).html());
    let _ = writeln!(
        o,
        "<p class=\"muted\">Each cell: the chance (%) that the runner of the row finishes ahead \
         of the runner numbered by the column (Monte Carlo standard error at most ±{:.1} points).</p>",
        50.0 / (s.runs.max(1) as f64).sqrt()
    );

    if let Some(c) = r.comparison {
        let _ = writeln!(o, "<h2>Real race vs simulation</h2>");
        comparison(&mut o, c);
    }

    let _ = writeln!(o, "<h2 id=\"charts\">Charts</h2>");
    if r.charts.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"muted\">{}</p>",
            esc(r.no_charts_reason.unwrap_or("No charts."))
        );
    }
    for c in r.charts {
        o.push_str(&figure(c));
    }

    let _ = writeln!(o, "<h2 id=\"race-shape\">Race shape</h2>");
    race_shape(&mut o, s);

    let _ = writeln!(o, "<h2 id=\"split-cards\">Split cards</h2>");
    split_cards(&mut o, s);

    let _ = writeln!(o, "<h2 id=\"calibration\">Calibration</h2>");
    calibration(&mut o, s);

    let _ = writeln!(o, "<h2>How to read this</h2>");
    let _ = writeln!(
        o,
        "<ul>\
         <li>Each number comes from {} simulated races of this field. Each race draws every \
         runner's form on the day, his tactical choices and{} the way the race unfolds; the \
         tables count what happened.</li>\
         <li><b>Win %</b> is the share of races he won; <b>± se</b> is how much that share could \
         move with another batch of races (run more races to shrink it). It is not the \
         uncertainty of the model itself, which is larger.</li>\
         <li><b>Finish-time quantiles</b>: in 25 % of races he ran faster than p25, in half \
         faster than the median. A wide spread means his result depends on the race.</li>\
         <li><b>Solo TT</b> is what the model thinks he runs alone at even pace, fitted to his \
         reported marks (see Calibration). Races are usually slower than that, except when \
         paced fast.</li>\
         <li>The charts share colours: a runner has the same colour everywhere on this page.</li>\
         <li>A simulation is a model of a race, not a prediction: it knows only the marks and \
         tactics it was given.</li>\
         </ul>",
        s.runs,
        if s.regimes.is_some() {
            " (in a championship race without pacers)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "<footer>Made by racesim {} (scenario “{}”, seed {}). The same seed and number of races \
         give the same page.</footer>",
        env!("CARGO_PKG_VERSION"),
        esc(&s.scenario),
        s.seed
    );
    let _ = writeln!(o, "</main>\n</body>\n</html>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("\"A\" & <b>'s"), "&quot;A&quot; &amp; &lt;b&gt;&#39;s");
        assert_eq!(esc("Narve Gilje Nordås"), "Narve Gilje Nordås");
    }

    /// Issue 12 (a phone): a chart is inlined twice, the wide drawing and the narrow one (520
    /// units wide, its own height), and the style sheet shows the narrow one, and links its
    /// file, only on a narrow screen.
    #[test]
    fn a_chart_comes_wide_and_narrow_with_the_screen_choosing() {
        let c = Rendered::draw("pit", "PIT & co", || {
            crate::plot::pit_chart(&crate::plot::PitData {
                counts: vec![4, 6, 5, 5],
                ..Default::default()
            })
        })
        .unwrap();
        let f = figure(&c);
        let wide = f
            .find("<div class=\"wide\"><svg viewBox=\"0 0 1400 900\"")
            .unwrap();
        let narrow = f
            .find("<div class=\"narrow\"><svg viewBox=\"0 0 520 ")
            .unwrap();
        assert!(wide < narrow);
        assert_eq!(f.matches("aria-label=\"PIT &amp; co\"").count(), 2);
        assert!(f.contains("<a class=\"full wide\" href=\"pit.svg\">"));
        assert!(f.contains("<a class=\"full narrow\" href=\"pit-narrow.svg\">"));
        // the narrow drawing is hidden by default and swapped in on a narrow screen
        let hide = CSS
            .find(".chart .narrow, a.narrow { display: none; }")
            .unwrap();
        let media = CSS.find("@media (max-width: 820px) {").unwrap();
        let swap = CSS[media..]
            .find(".chart .wide, a.wide { display: none; }")
            .unwrap();
        let show = CSS[media..]
            .find(".chart .narrow { display: block; }")
            .unwrap();
        let end = CSS[media..].find("\n}").unwrap();
        assert!(hide < media && swap < show && show < end);
    }

    #[test]
    fn svg_is_made_scalable() {
        let svg = "<svg width=\"1400\" height=\"900\" viewBox=\"0 0 1400 900\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>\n";
        let s = inline_svg(svg, "A & B");
        assert!(s.starts_with("<svg viewBox=\"0 0 1400 900\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"A &amp; B\""));
        assert!(!s.contains("width=\"1400\""));
        assert!(s.contains("<rect/></svg>"));
    }
}
