//! Shared drawing pieces: text styles, the title block, legends, markers, axes.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::font::FAMILY;
use super::output::{CHART_SIZE, NARROW_WIDTH};
use super::palette::Marker;

/// Which drawing of a chart is made: the desktop's or the phone's. Every chart draws both from
/// the same code; what differs is decided here ([`Frame`], [`header`], [`legend_below`]) and in
/// a few `frame.narrow()` branches of each chart (where its legend goes, how many ticks fit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// [`CHART_SIZE`]: the legend and notes beside the plot, on the right.
    Wide,
    /// [`NARROW_WIDTH`] wide and as tall as it needs: the plot over the full width, the legend
    /// and notes below it, long titles wrapped.
    Narrow,
}

/// The drawing a chart is asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Wide or narrow.
    pub layout: Layout,
    /// Width [px].
    pub w: i32,
    /// Wide: the height. Narrow: where the header and plot end by default; the legend and notes
    /// go below it, and the drawing is cut below the last thing drawn.
    pub h: i32,
}

/// Narrow layout: where the header and plot end (the plot area is about 500 units tall, so
/// about 360 CSS px on a 390 px phone).
const NARROW_BODY_H: i32 = 700;

impl Frame {
    /// The desktop drawing, [`CHART_SIZE`].
    pub(crate) fn wide() -> Frame {
        Frame {
            layout: Layout::Wide,
            w: CHART_SIZE.0 as i32,
            h: CHART_SIZE.1 as i32,
        }
    }

    /// The phone drawing, [`NARROW_WIDTH`] wide.
    pub(crate) fn phone() -> Frame {
        Frame {
            layout: Layout::Narrow,
            w: NARROW_WIDTH as i32,
            h: NARROW_BODY_H,
        }
    }

    /// Is this the phone drawing?
    pub(crate) fn is_narrow(&self) -> bool {
        self.layout == Layout::Narrow
    }
}

/// Body text.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, notes).
pub(crate) const MUTED: RGBColor = RGBColor(0x5f, 0x5f, 0x5f);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xe2, 0xe2, 0xe2);
/// Axis lines.
pub(crate) const AXIS: RGBColor = RGBColor(0x70, 0x70, 0x70);

/// Left and right page margin [px].
pub(crate) const MARGIN: i32 = 36;

/// Tick label size [px].
pub(crate) const TICK_SIZE: f64 = 19.0;
/// Axis description size [px].
pub(crate) const DESC_SIZE: f64 = 21.0;

/// The coordinate type every chart here uses: f64 on both axes with explicit ticks.
pub(crate) type Coord = Cartesian2d<TickAxis, TickAxis>;

/// A linear f64 axis whose ticks are exactly the given values.
///
/// plotters' own `(a..b).with_key_points(..)` would do, but `WithKeyPoints<RangedCoordf64>`
/// does not implement `ValueFormatter`, so its mesh cannot be drawn (plotters 0.3.7).
#[derive(Debug, Clone)]
pub(crate) struct TickAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for TickAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, (p0, p1): (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span.is_nan() || span <= 0.0 {
            return (p0 + p1) / 2;
        }
        let f = ((v - self.lo) / span).clamp(-10.0, 11.0);
        (p0 as f64 + f * (p1 - p0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Regular text of `size` px in `color`.
pub(crate) fn text(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&color)
}

/// Bold text of `size` px in `color`.
pub(crate) fn bold(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FAMILY, size, FontStyle::Bold).into_font().color(&color)
}

/// `style` anchored at (`h`, `v`).
pub(crate) fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Width of `s` in `style` [px] (0 if it cannot be measured).
pub(crate) fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
) -> i32 {
    root.estimate_text_size(s, style)
        .map(|(w, _)| w as i32)
        .unwrap_or(0)
}

/// `s`, shortened with "…" until it fits in `max_w` px.
pub(crate) fn fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    max_w: i32,
) -> String {
    if text_width(root, s, style) <= max_w {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    // Longest prefix that fits with the ellipsis (binary search on the prefix length).
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let cand: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(root, &cand, style) <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix: String = chars[..lo].iter().collect();
    format!("{}…", prefix.trim_end())
}

/// [`fit`] for a sub-area (the measure does not depend on the area).
fn fit_area<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    max_w: i32,
) -> String {
    fit(area, s, style, max_w)
}

/// Draw `s` at `(x, y)` (absolute pixels) with `style`.
pub(crate) fn put<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    if s.is_empty() {
        return Ok(());
    }
    root.draw(&Text::new(s.to_string(), (x, y), style.clone()))?;
    Ok(())
}

/// What a chart's `draw` is handed: the area to draw on (already white) and the drawing asked
/// for. Every chart opens it with [`Page::headed`], so the title block is drawn one way.
pub(crate) struct Page<'a, DB: DrawingBackend> {
    pub root: &'a DrawingArea<DB, Shift>,
    pub frame: &'a Frame,
}

impl<'a, DB: DrawingBackend> Page<'a, DB> {
    /// Draw the chart's title block ([`header`]: `title`, `subtitle` and the reading aid `note`,
    /// which may be empty) and return the area, the frame and the y where the plot starts.
    pub(crate) fn headed(
        self,
        title: &str,
        subtitle: &str,
        note: &str,
    ) -> Result<(&'a DrawingArea<DB, Shift>, &'a Frame, i32), PlotError> {
        let top = header(self.root, self.frame, title, subtitle, note)?;
        Ok((self.root, self.frame, top))
    }
}

/// Draw the title (and subtitle) at the top left; returns the y where the chart area starts.
///
/// `note` (may be empty) is a short reading aid printed small at the right, level with the
/// subtitle (narrow: on its own lines under it; the title and subtitle wrap there too).
pub(crate) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    title: &str,
    subtitle: &str,
    note: &str,
) -> Result<i32, PlotError> {
    if frame.is_narrow() {
        return header_narrow(root, frame.w, [title, subtitle, note]);
    }
    let mut max_w = CHART_SIZE.0 as i32 - 2 * MARGIN;
    let mut y = 20;
    if !note.is_empty() {
        let style = anchored(text(16.0, MUTED), HPos::Right, VPos::Top);
        put(root, note, &style, (CHART_SIZE.0 as i32 - MARGIN, 66))?;
    }
    if !title.trim().is_empty() {
        let style = anchored(bold(31.0, INK), HPos::Left, VPos::Top);
        let t = fit(root, title.trim(), &style, max_w);
        put(root, &t, &style, (MARGIN, y))?;
        y += 42;
    }
    if !subtitle.trim().is_empty() {
        let style = anchored(text(20.0, MUTED), HPos::Left, VPos::Top);
        if !note.is_empty() {
            max_w -= text_width(root, note, &text(16.0, MUTED)) + 30;
        }
        let t = fit(root, subtitle.trim(), &style, max_w);
        put(root, &t, &style, (MARGIN, y))?;
        y += 30;
    }
    Ok(y + 12)
}

/// [`header`] of the narrow layout: the title wrapped to at most three lines, the subtitle and
/// the note to two.
fn header_narrow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    w: i32,
    [title, subtitle, note]: [&str; 3],
) -> Result<i32, PlotError> {
    let max_w = w - 2 * MARGIN;
    let mut y = 16;
    for (s, style, line_h, gap, most) in [
        (title, bold(30.0, INK), 38, 4, 3),
        (subtitle, text(20.0, MUTED), 27, 2, 2),
        (note, text(NOTE_SIZE, MUTED), 25, 2, 2),
    ] {
        let style = anchored(style, HPos::Left, VPos::Top);
        let lines = wrap(root, s.trim(), &style, max_w, most);
        for line in &lines {
            put(root, line, &style, (MARGIN, y))?;
            y += line_h;
        }
        if !lines.is_empty() {
            y += gap;
        }
    }
    Ok(y + 10)
}

/// Size of the small reading aids (notes) in the narrow layout [px]: 11 CSS px on a 390 px
/// phone.
pub(crate) const NOTE_SIZE: f64 = 19.0;

/// `s` broken into lines of at most `max_w` px at spaces, at most `max_lines` of them (the last
/// one shortened with "…" if the text goes on). Empty text gives no lines.
pub(crate) fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    max_w: i32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if cur.is_empty() || text_width(root, &cand, style) <= max_w {
            cur = cand;
        } else {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        lines.push(fit(root, &(rest + " …"), style, max_w));
    }
    lines
        .into_iter()
        .map(|l| fit(root, &l, style, max_w))
        .collect()
}

/// "No data" (or another message) centred in the rectangle.
pub(crate) fn no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    top: i32,
    message: &str,
) -> Result<i32, PlotError> {
    let (w, h) = (frame.w, frame.h);
    root.draw(&Rectangle::new(
        [(MARGIN, top), (w - MARGIN, h - MARGIN)],
        GRID.stroke_width(2),
    ))?;
    let style = anchored(text(26.0, MUTED), HPos::Center, VPos::Center);
    put(root, message, &style, (w / 2, (top + h - MARGIN) / 2))?;
    Ok(h)
}

/// Draw a marker centred at `(x, y)` (absolute pixels), radius `r`, with a thin white halo so
/// overlapping markers stay separate.
pub(crate) fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    shape: Marker,
    color: RGBColor,
    r: i32,
) -> Result<(), PlotError> {
    marker_plain(root, (x, y), shape, WHITE, r + 2)?;
    marker_plain(root, (x, y), shape, color, r)
}

/// A ring-style marker: `color` outline about 3 px thick, white inside (observed data).
pub(crate) fn ring_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    shape: Marker,
    color: RGBColor,
    r: i32,
) -> Result<(), PlotError> {
    marker(root, at, shape, color, r)?;
    let inner = match shape {
        Marker::Circle | Marker::Square => r - 3,
        Marker::Triangle | Marker::Diamond => r - 4,
    };
    if inner >= 1 {
        marker_plain(root, at, shape, WHITE, inner)?;
    }
    Ok(())
}

fn marker_plain<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    shape: Marker,
    color: RGBColor,
    r: i32,
) -> Result<(), PlotError> {
    let style = color.filled();
    match shape {
        Marker::Circle => root.draw(&Circle::new((x, y), r, style))?,
        Marker::Square => {
            let s = (r as f64 * 0.9).round() as i32;
            root.draw(&Rectangle::new([(x - s, y - s), (x + s, y + s)], style))?
        }
        Marker::Triangle => {
            let s = r + 1;
            root.draw(&Polygon::new(
                vec![(x, y - s), (x + s, y + s * 3 / 4), (x - s, y + s * 3 / 4)],
                style,
            ))?
        }
        Marker::Diamond => {
            let s = r + 1;
            root.draw(&Polygon::new(
                vec![(x, y - s), (x + s, y), (x, y + s), (x - s, y)],
                style,
            ))?
        }
    }
    Ok(())
}

/// What a legend entry shows in front of its label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A line, optionally with a translucent band behind it, a marker, dashed.
    Line {
        color: RGBColor,
        width: u32,
        band: bool,
        marker: Option<Marker>,
        dashed: bool,
    },
    /// Points joined by a thin line (observed data).
    Points { color: RGBColor, marker: Marker },
    /// A filled box.
    Fill { color: RGBColor, alpha: f64 },
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

/// Width a legend needs for `items` at the default size, clamped to `[min_w, max_w]`.
pub(crate) fn legend_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    title: &str,
    min_w: i32,
    max_w: i32,
) -> i32 {
    let style = text(LEGEND_SIZE, INK);
    let widest = items
        .iter()
        .map(|it| text_width(root, &it.label, &style))
        .chain(std::iter::once(
            text_width(root, title, &bold(LEGEND_SIZE, INK)) - SWATCH_W - 12,
        ))
        .max()
        .unwrap_or(0);
    (widest + SWATCH_W + 12 + 8).clamp(min_w, max_w)
}

const LEGEND_SIZE: f64 = 19.0;
const SWATCH_W: i32 = 40;

/// Draw a legend in the box `(x, y)`–`(x + w, y_max)`, shrinking the text for long lists and
/// ending with "+ N more" if even that does not fit. Returns the y below the last entry.
pub(crate) fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    w: i32,
    y_max: i32,
    title: &str,
    items: &[LegendItem],
) -> Result<i32, PlotError> {
    let mut y = y;
    if !title.is_empty() {
        let style = anchored(bold(LEGEND_SIZE, INK), HPos::Left, VPos::Top);
        put(root, &fit(root, title, &style, w), &style, (x, y))?;
        y += 32;
    }
    if items.is_empty() {
        return Ok(y);
    }
    let avail = (y_max - y).max(0) as f64;
    let mut size = LEGEND_SIZE;
    while size > 11.0 && items.len() as f64 * size * 1.55 > avail {
        size -= 1.0;
    }
    let row_h = (size * 1.55).round() as i32;
    let fits = (avail as i32 / row_h.max(1)).max(1) as usize;
    let (shown, more) = if items.len() <= fits {
        (items.len(), 0)
    } else {
        (fits.saturating_sub(1), items.len() - fits.saturating_sub(1))
    };
    let style = anchored(text(size, INK), HPos::Left, VPos::Center);
    for it in &items[..shown] {
        let cy = y + row_h / 2;
        swatch(root, (x, cy), it.swatch, (size / LEGEND_SIZE).min(1.0))?;
        let label = fit(root, &it.label, &style, w - SWATCH_W - 10);
        put(root, &label, &style, (x + SWATCH_W + 10, cy))?;
        y += row_h;
    }
    if more > 0 {
        let style = anchored(text(size, MUTED), HPos::Left, VPos::Center);
        put(
            root,
            &format!("+ {more} more"),
            &style,
            (x + SWATCH_W + 10, y + row_h / 2),
        )?;
        y += row_h;
    }
    Ok(y)
}

/// The narrow layout's legend: the full width below the plot from `y` down, in as many columns
/// as the longest label allows (filled column by column, so a ranked list reads down), then
/// each of `notes` as a wrapped paragraph. Returns the y below the last line.
pub(crate) fn legend_below<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    y: i32,
    title: &str,
    items: &[LegendItem],
    notes: &[&str],
) -> Result<i32, PlotError> {
    let (x, avail) = (MARGIN, frame.w - 2 * MARGIN);
    let mut y = y;
    if !title.is_empty() {
        let style = anchored(bold(LEGEND_SIZE, INK), HPos::Left, VPos::Top);
        put(root, &fit(root, title, &style, avail), &style, (x, y))?;
        y += 32;
    }
    if !items.is_empty() {
        let style = anchored(text(LEGEND_SIZE, INK), HPos::Left, VPos::Center);
        let widths: Vec<i32> = items
            .iter()
            .map(|it| SWATCH_W + 10 + text_width(root, &it.label, &style))
            .collect();
        let gap = 24;
        let n = items.len();
        // The most columns (up to 3) whose widest labels fit side by side; one column (labels
        // shortened with "…" if need be) when none do.
        let columns = |cols: usize| -> Vec<i32> {
            let rows = n.div_ceil(cols);
            widths
                .chunks(rows)
                .map(|c| c.iter().copied().max().unwrap_or(0))
                .collect()
        };
        let cols = (1..=n.min(3))
            .rev()
            .map(columns)
            .find(|c| c.iter().sum::<i32>() + gap * (c.len() as i32 - 1) <= avail)
            .unwrap_or_else(|| vec![avail]);
        let rows = n.div_ceil(cols.len());
        let row_h = (LEGEND_SIZE * 1.55).round() as i32;
        let mut cx = x;
        for (c, col_w) in cols.iter().enumerate() {
            for (r, it) in items.iter().skip(c * rows).take(rows).enumerate() {
                let cy = y + r as i32 * row_h + row_h / 2;
                swatch(root, (cx, cy), it.swatch, 1.0)?;
                let room = (*col_w).min(avail) - SWATCH_W - 10;
                let label = fit(root, &it.label, &style, room);
                put(root, &label, &style, (cx + SWATCH_W + 10, cy))?;
            }
            cx += col_w + gap;
        }
        y += rows as i32 * row_h;
    }
    let style = anchored(text(NOTE_SIZE, MUTED), HPos::Left, VPos::Top);
    for note in notes {
        y += 8;
        for line in wrap(root, note, &style, avail, 8) {
            put(root, &line, &style, (x, y))?;
            y += 25;
        }
    }
    Ok(y)
}

fn swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, cy): (i32, i32),
    sw: Swatch,
    scale: f64,
) -> Result<(), PlotError> {
    let half = ((9.0 * scale).round() as i32).max(4);
    let r = ((5.0 * scale).round() as i32).max(3);
    match sw {
        Swatch::Line {
            color,
            width,
            band,
            marker: m,
            dashed,
        } => {
            if band {
                root.draw(&Rectangle::new(
                    [(x, cy - half), (x + SWATCH_W, cy + half)],
                    color.mix(0.22).filled(),
                ))?;
            }
            let style = color.stroke_width(width);
            if dashed {
                let mut sx = x;
                while sx < x + SWATCH_W {
                    let ex = (sx + 9).min(x + SWATCH_W);
                    root.draw(&PathElement::new(vec![(sx, cy), (ex, cy)], style))?;
                    sx += 14;
                }
            } else {
                root.draw(&PathElement::new(vec![(x, cy), (x + SWATCH_W, cy)], style))?;
            }
            if let Some(m) = m {
                marker(root, (x + SWATCH_W / 2, cy), m, color, r)?;
            }
        }
        Swatch::Points { color, marker: m } => {
            root.draw(&PathElement::new(
                vec![(x, cy), (x + SWATCH_W, cy)],
                color.stroke_width(2),
            ))?;
            ring_marker(root, (x + SWATCH_W / 2, cy), m, color, r + 2)?;
        }
        Swatch::Fill { color, alpha } => {
            root.draw(&Rectangle::new(
                [(x + 4, cy - half), (x + SWATCH_W - 4, cy + half)],
                color.mix(alpha).filled(),
            ))?;
        }
    }
    Ok(())
}

/// One axis of a chart: range, tick positions, tick label formatter, description.
pub(crate) struct Axis<'a> {
    pub range: (f64, f64),
    pub ticks: Vec<f64>,
    pub format: &'a dyn Fn(&f64) -> String,
    pub desc: &'a str,
    pub grid: bool,
}

impl<'a> Axis<'a> {
    /// An axis with grid lines at its ticks.
    pub(crate) fn new(
        range: (f64, f64),
        ticks: Vec<f64>,
        format: &'a dyn Fn(&f64) -> String,
        desc: &'a str,
    ) -> Axis<'a> {
        Axis {
            range,
            ticks,
            format,
            desc,
            grid: true,
        }
    }

    /// An axis without ticks, labels or grid lines: the rows of a chart that labels them itself.
    pub(crate) fn bare(range: (f64, f64)) -> Axis<'a> {
        Axis {
            range,
            ticks: Vec::new(),
            format: &no_label,
            desc: "",
            grid: false,
        }
    }

    /// The same axis without grid lines (places, bins, cells: the marks themselves show where).
    pub(crate) fn no_grid(self) -> Axis<'a> {
        Axis {
            grid: false,
            ..self
        }
    }
}

/// The wide layout's legend on the right of the plot: as wide as its title and labels need
/// within `widths` (min, max), from just under the header at `top` down to `y_max`. Returns its
/// left edge and the y below its last entry. The narrow layout draws nothing here (its legend
/// goes below the plot, [`legend_below`]) and returns an edge past the right side, so the plot
/// ([`plot_area`]) takes the full width.
pub(crate) fn legend_right<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    (top, y_max): (i32, i32),
    widths: (i32, i32),
    title: &str,
    items: &[LegendItem],
) -> Result<(i32, i32), PlotError> {
    if frame.is_narrow() {
        return Ok((frame.w + 24, top));
    }
    let legend_w = legend_width(root, items, title, widths.0, widths.1);
    let x = frame.w - MARGIN - legend_w;
    let bottom = legend(root, (x, top + 6), legend_w, y_max, title, items)?;
    Ok((x, bottom))
}

/// The plot's area: from `top` (below the header) down to `h`, from the left edge to `right`
/// (24 px before the legend's left edge, [`legend_right`]), at least 100 px each way.
pub(crate) fn plot_area<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    top: i32,
    right: i32,
    h: i32,
) -> DrawingArea<DB, Shift> {
    root.clone()
        .shrink((0, top), (right.max(100), (h - top).max(100)))
}

/// Room left of the plot for the y tick labels of `ticks` and the y description [px].
pub(crate) fn y_label_room<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    ticks: &[f64],
    format: &dyn Fn(&f64) -> String,
) -> i32 {
    MARGIN + tick_label_width(root, ticks, format) + 44
}

/// [`chart_on`] for a chart with a value axis on the left: the y tick labels and description
/// get the room they need ([`y_label_room`]), the x tick labels and description 72 px.
pub(crate) fn value_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &Axis,
    y: &Axis,
    margins: (i32, i32),
) -> Result<ChartContext<'a, DB, Coord>, PlotError> {
    let left = y_label_room(area, &y.ticks, y.format);
    chart_on(area, x, y, left, 72, margins)
}

/// Build a chart on `area` with the given axes and draw its mesh (grid, axes, ticks, labels).
///
/// `left` is the width of the y tick-label area (including the y description), `bottom` the
/// height of the x tick-label area.
pub(crate) fn chart_on<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &Axis,
    y: &Axis,
    left: i32,
    bottom: i32,
    margins: (i32, i32),
) -> Result<ChartContext<'a, DB, Coord>, PlotError> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(margins.0)
        .margin_right(margins.1)
        .margin_bottom(12)
        .x_label_area_size(bottom.max(0))
        .y_label_area_size(left.max(0))
        .build_cartesian_2d(
            TickAxis {
                lo: x.range.0,
                hi: x.range.1,
                ticks: x.ticks.clone(),
            },
            TickAxis {
                lo: y.range.0,
                hi: y.range.1,
                ticks: y.ticks.clone(),
            },
        )?;
    {
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(x.format)
            .y_label_formatter(y.format)
            .x_desc(x.desc)
            .axis_desc_style(text(DESC_SIZE, INK))
            .label_style(text(TICK_SIZE, INK))
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width(1))
            .set_all_tick_mark_size(5);
        if !x.grid {
            mesh.disable_x_mesh();
        }
        if !y.grid {
            mesh.disable_y_mesh();
        }
        mesh.draw()?;
    }
    // The y description is drawn here rather than by plotters, which puts it flush against the
    // left edge, where the ab_glyph renderer (glyphs sit a little above their layout box) clips
    // the first letters.
    if !y.desc.is_empty() {
        let (_, base_y) = area.get_base_pixel();
        let (_, mid) = chart.backend_coord(&(x.range.0, (y.range.0 + y.range.1) / 2.0));
        let style = anchored(
            text(DESC_SIZE, INK).transform(FontTransform::Rotate270),
            HPos::Center,
            VPos::Top,
        );
        let room = chart.plotting_area().get_pixel_range().1.len() as i32;
        let desc = fit_area(area, y.desc, &style, room);
        area.draw_text(&desc, &style, (MARGIN / 2 + 4, mid - base_y))?;
    }
    Ok(chart)
}

/// The tick label of a [`Axis::bare`] axis: none.
fn no_label(_: &f64) -> String {
    String::new()
}

/// Width of the widest tick label of `ticks` in the tick style.
pub(crate) fn tick_label_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    ticks: &[f64],
    format: &dyn Fn(&f64) -> String,
) -> i32 {
    widest(root, ticks.iter().map(format), &text(TICK_SIZE, INK))
}

/// Width of the widest of `labels` in `style` [px] (0 for none): the column a list of names
/// or values needs.
pub(crate) fn widest<DB: DrawingBackend, S: AsRef<str>>(
    root: &DrawingArea<DB, Shift>,
    labels: impl IntoIterator<Item = S>,
    style: &TextStyle,
) -> i32 {
    labels
        .into_iter()
        .map(|s| text_width(root, s.as_ref(), style))
        .max()
        .unwrap_or(0)
}

/// Size of the row labels of a chart of `rows` rows sharing `plot_h` px [px]: half a row,
/// within 9 px and `max`. The narrow drawing grows with its rows and labels them at 19 px.
pub(crate) fn row_label_size(frame: &Frame, plot_h: i32, rows: usize, max: f64) -> f64 {
    if frame.is_narrow() {
        return 19.0;
    }
    let row_px = plot_h.max(50) as f64 / rows as f64;
    (row_px * 0.5).clamp(9.0, max)
}

/// An interval drawn across row `y` from `a` to `b`, with end caps `cap` high each way (data
/// units): the whisker of an estimate.
pub(crate) fn whisker<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coord>,
    (a, b): (f64, f64),
    y: f64,
    cap: f64,
    style: ShapeStyle,
) -> Result<(), PlotError> {
    chart.draw_series(
        [
            vec![(a, y), (b, y)],
            vec![(a, y - cap), (a, y + cap)],
            vec![(b, y - cap), (b, y + cap)],
        ]
        .into_iter()
        .map(|p| PathElement::new(p, style)),
    )?;
    Ok(())
}

/// Split `pts` into maximal runs of consecutive points accepted by `ok` (lines break at gaps).
pub(crate) fn runs<T>(pts: &[T], ok: impl Fn(&T) -> bool) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, p) in pts.iter().enumerate() {
        match (ok(p), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&pts[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&pts[s..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wrapped text keeps every word in order, each line fits, and text beyond the last
    /// allowed line ends it with "…".
    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        crate::plot::font::ensure_registered().unwrap();
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (520, 400)).into_drawing_area();
        let style = text(20.0, INK);
        let s = "Paris 2024 Olympic men's 1500 m final: lap splits of the simulated races";
        let lines = wrap(&root, s, &style, 300, 5);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.join(" "), s);
        for l in &lines {
            assert!(text_width(&root, l, &style) <= 300, "{l}");
        }
        let two = wrap(&root, s, &style, 300, 2);
        assert_eq!(two.len(), 2);
        assert_eq!(two[0], lines[0]);
        assert!(two[1].ends_with('…') && text_width(&root, &two[1], &style) <= 300);
        assert!(wrap(&root, "  ", &style, 300, 2).is_empty());
    }

    #[test]
    fn runs_break_at_gaps() {
        let v = [1.0, f64::NAN, 2.0, 3.0, f64::NAN, f64::NAN, 4.0];
        let r = runs(&v, |x| x.is_finite());
        assert_eq!(r.len(), 3);
        assert_eq!(r[1], &[2.0, 3.0]);
        assert!(runs(&[f64::NAN], |x: &f64| x.is_finite()).is_empty());
    }
}
