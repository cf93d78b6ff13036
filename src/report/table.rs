//! Terminal tables that fit the screen, and the same table as CSV or JSON for a pipe.
//!
//! A [`Table`] holds columns (a short header, the words that explain it, its alignment, and
//! whether the compact layout keeps it) and rows of cells already formatted. [`Table::render`]
//! prints the full layout when it fits the width, the compact one when it does not, and drops
//! columns from the right (saying so) only if even that is too wide: a cell is never wrapped.
//! Every header is explained under the table. [`wrap`] folds the prose around the tables at word
//! boundaries, so a whole report fits an 80-column terminal.

use std::fmt::Write as _;

use super::output::csv_bytes;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// One column: its key in CSV and JSON, its header, what it means, and its layout.
#[derive(Debug, Clone)]
pub struct Column {
    /// The CSV header and JSON key (no spaces).
    pub key: String,
    /// The header printed over the column.
    pub head: String,
    /// What the column means, printed under the table (empty: nothing to explain).
    pub note: String,
    /// How its cells line up.
    pub align: Align,
    /// Kept in the compact layout.
    pub compact: bool,
}

/// A table of formatted cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The columns.
    pub cols: Vec<Column>,
    /// The rows, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Rows after which a blank line is printed in the terminal (e.g. before a pooled row).
    pub rule_before: Vec<usize>,
}

/// Spaces between columns.
const GAP: usize = 2;

fn chars(s: &str) -> usize {
    s.chars().count()
}

impl Table {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a column kept in both layouts.
    pub fn col(mut self, key: &str, head: &str, align: Align, note: &str) -> Self {
        self.cols.push(Column {
            key: key.into(),
            head: head.into(),
            note: note.into(),
            align,
            compact: true,
        });
        self
    }

    /// Add a column shown only in the full layout (wide terminals, CSV, JSON).
    pub fn wide_col(mut self, key: &str, head: &str, align: Align, note: &str) -> Self {
        self.cols.push(Column {
            key: key.into(),
            head: head.into(),
            note: note.into(),
            align,
            compact: false,
        });
        self
    }

    /// Add a row (as many cells as columns; missing cells are empty).
    pub fn row(&mut self, mut cells: Vec<String>) {
        cells.resize(self.cols.len(), String::new());
        self.rows.push(cells);
    }

    fn widths(&self) -> Vec<usize> {
        self.cols
            .iter()
            .enumerate()
            .map(|(j, c)| {
                self.rows
                    .iter()
                    .map(|r| chars(&r[j]))
                    .chain(std::iter::once(chars(&c.head)))
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn line_width(widths: &[usize], keep: &[usize]) -> usize {
        keep.iter().map(|&j| widths[j]).sum::<usize>() + GAP * keep.len().saturating_sub(1)
    }

    /// The columns to print within `width`: all of them if they fit, else the compact ones,
    /// else the compact ones from the left while they fit (the first always).
    fn layout(&self, width: Option<usize>) -> Vec<usize> {
        let widths = self.widths();
        let all: Vec<usize> = (0..self.cols.len()).collect();
        let Some(w) = width else { return all };
        if Self::line_width(&widths, &all) <= w {
            return all;
        }
        let mut keep: Vec<usize> = all.into_iter().filter(|&j| self.cols[j].compact).collect();
        while keep.len() > 1 && Self::line_width(&widths, &keep) > w {
            keep.pop();
        }
        keep
    }

    /// The table in the terminal, with the explanation of every printed header under it.
    pub fn render(&self, width: Option<usize>) -> String {
        let key = self.key(width);
        if key.is_empty() {
            self.body(width)
        } else {
            format!("{}{key}\n", self.body(width))
        }
    }

    /// The header line and the rows, without the key.
    pub fn body(&self, width: Option<usize>) -> String {
        let widths = self.widths();
        let keep = self.layout(width);
        let mut o = String::new();
        let line = |cells: Vec<&str>| -> String {
            let mut s = String::new();
            for (k, (&j, cell)) in keep.iter().zip(cells).enumerate() {
                if k > 0 {
                    s.push_str(&" ".repeat(GAP));
                }
                let pad = widths[j].saturating_sub(chars(cell));
                match self.cols[j].align {
                    Align::Left => {
                        s.push_str(cell);
                        if k + 1 < keep.len() {
                            s.push_str(&" ".repeat(pad));
                        }
                    }
                    Align::Right => {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(cell);
                    }
                }
            }
            s.trim_end().to_string() + "\n"
        };
        o.push_str(&line(
            keep.iter().map(|&j| self.cols[j].head.as_str()).collect(),
        ));
        for (i, r) in self.rows.iter().enumerate() {
            if self.rule_before.contains(&i) {
                o.push('\n');
            }
            o.push_str(&line(keep.iter().map(|&j| r[j].as_str()).collect()));
        }
        o
    }

    /// What each printed header means, and which columns the width left out (one paragraph,
    /// folded to the width; empty when there is nothing to say).
    pub fn key(&self, width: Option<usize>) -> String {
        let keep = self.layout(width);
        let dropped: Vec<&str> = (0..self.cols.len())
            .filter(|j| !keep.contains(j))
            .map(|j| self.cols[j].head.as_str())
            .collect();
        let mut key = String::new();
        for &j in &keep {
            let c = &self.cols[j];
            if !c.note.is_empty() {
                let _ = write!(key, "{}: {}. ", c.head.trim(), c.note);
            }
        }
        if !dropped.is_empty() {
            let _ = write!(
                key,
                "Not shown at this width (a wider terminal, or --format csv, shows them): {}.",
                dropped.join(", ")
            );
        }
        wrap(key.trim_end(), width)
    }

    /// The whole table as HTML (every column; numbers right-aligned), with its key under it.
    pub fn html(&self) -> String {
        let esc = |x: &str| {
            x.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let mut o = String::from("<div class=\"scroll\"><table>\n<thead><tr>");
        for c in &self.cols {
            let _ = write!(o, "<th>{}</th>", esc(&c.head));
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for r in &self.rows {
            o.push_str("<tr>");
            for (c, cell) in self.cols.iter().zip(r) {
                match c.align {
                    Align::Left => {
                        let _ = write!(o, "<td>{}</td>", esc(cell));
                    }
                    Align::Right => {
                        let _ = write!(o, "<td class=\"num\">{}</td>", esc(cell));
                    }
                }
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
        let key = self.key(None);
        if !key.is_empty() {
            let _ = writeln!(o, "<p class=\"muted\">{}</p>", esc(&key));
        }
        o
    }

    /// The whole table as CSV (every column, keys as headers).
    pub fn csv(&self) -> Vec<u8> {
        let mut rows = vec![self.cols.iter().map(|c| c.key.clone()).collect::<Vec<_>>()];
        rows.extend(self.rows.iter().cloned());
        csv_bytes(rows)
    }

    /// The whole table as a JSON array of objects keyed by the column keys; a cell that reads
    /// as a number is written as one.
    pub fn json(&self) -> Vec<u8> {
        let arr: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                for (c, cell) in self.cols.iter().zip(r) {
                    let v = match cell.trim().parse::<f64>() {
                        Ok(x) if x.is_finite() => serde_json::json!(x),
                        _ if cell.trim().is_empty() => serde_json::Value::Null,
                        _ => serde_json::Value::String(cell.clone()),
                    };
                    m.insert(c.key.clone(), v);
                }
                serde_json::Value::Object(m)
            })
            .collect();
        let mut b = serde_json::to_vec_pretty(&arr).unwrap_or_default();
        b.push(b'\n');
        b
    }
}

/// What `--format` asks for: the terminal text, or the command's main table as CSV or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The report, for the terminal.
    #[default]
    Text,
    /// The main table as CSV.
    Csv,
    /// The main table as a JSON array of objects.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(Self::Text),
            "csv" => Ok(Self::Csv),
            "json" => Ok(Self::Json),
            _ => Err(format!("unknown format `{s}` (text, csv or json)")),
        }
    }
}

impl Format {
    /// The table in this format (`Text` renders it for the width).
    pub fn table(self, t: &Table, width: Option<usize>) -> String {
        match self {
            Self::Text => t.render(width),
            Self::Csv => String::from_utf8_lossy(&t.csv()).into_owned(),
            Self::Json => String::from_utf8_lossy(&t.json()).into_owned(),
        }
    }
}

/// Fold every line longer than `width` at spaces; continuation lines keep the line's indent
/// (plus two spaces after a bullet or a numbered step). A word longer than the width stays whole.
pub fn wrap(text: &str, width: Option<usize>) -> String {
    let Some(w) = width else {
        return text.to_string();
    };
    let mut o = String::new();
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            o.push('\n');
        }
        if chars(line) <= w {
            o.push_str(line);
            continue;
        }
        let indent = chars(line) - chars(line.trim_start());
        let body = line.trim_start();
        let extra = if body.starts_with("• ")
            || body.starts_with("* ")
            || body.split_once(". ").is_some_and(|(a, _)| {
                !a.is_empty() && a.len() <= 2 && a.chars().all(|c| c.is_ascii_digit())
            }) {
            2
        } else {
            0
        };
        let cont = " ".repeat((indent + extra).min(w / 2));
        let mut cur = " ".repeat(indent);
        let mut fresh = true;
        for word in body.split(' ') {
            if !fresh && chars(&cur) + 1 + chars(word) > w {
                o.push_str(cur.trim_end());
                o.push('\n');
                cur = cont.clone();
                fresh = true;
            }
            if !fresh {
                cur.push(' ');
            }
            cur.push_str(word);
            fresh = false;
        }
        o.push_str(cur.trim_end());
    }
    o
}

/// The widest line of a text, in characters.
pub fn max_width(text: &str) -> usize {
    text.lines().map(chars).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new()
            .col("name", "runner", Align::Left, "the runner")
            .wide_col("tactic", "tactic", Align::Left, "his tactic")
            .col("p_win", "win %", Align::Right, "chance of winning")
            .wide_col("note", "a long column of notes", Align::Left, "");
        t.row(vec![
            "Jakob Ingebrigtsen".into(),
            "long-drive".into(),
            "24.2".into(),
            "x".repeat(30),
        ]);
        t.row(vec!["Yared Nuguse".into(), "kick".into(), "3.5".into()]);
        t
    }

    #[test]
    fn full_when_wide_compact_when_narrow() {
        let t = sample();
        let wide = t.render(None);
        assert!(wide.contains("long-drive"));
        assert!(wide.lines().next().unwrap().contains("a long column"));
        let narrow = t.render(Some(40));
        assert!(max_width(&narrow) <= 40, "{narrow}");
        assert!(!narrow.contains("long-drive"));
        assert!(narrow.contains("24.2"));
        let words = narrow.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("win %: chance of winning"), "{narrow}");
        assert!(words.contains("Not shown at this width"), "{narrow}");
        // right alignment: the numbers end in the same column
        let rows: Vec<&str> = narrow.lines().skip(1).take(2).collect();
        assert_eq!(rows[0].len(), rows[1].len());
    }

    #[test]
    fn drops_from_the_right_only_when_compact_is_too_wide() {
        let t = sample();
        let tiny = t.render(Some(20));
        assert!(tiny.lines().next().unwrap().starts_with("runner"));
        assert!(!tiny.lines().next().unwrap().contains("win %"));
    }

    #[test]
    fn csv_and_json_have_every_column() {
        let t = sample();
        let csv = String::from_utf8(t.csv()).unwrap();
        assert!(csv.starts_with("name,tactic,p_win,note\n"));
        let v: serde_json::Value = serde_json::from_slice(&t.json()).unwrap();
        assert_eq!(v[0]["p_win"], serde_json::json!(24.2));
        assert_eq!(v[1]["tactic"], serde_json::json!("kick"));
        assert!(v[1]["note"].is_null());
    }

    #[test]
    fn wrap_folds_prose_and_keeps_words() {
        let s = "  • one two three four five six seven eight nine ten eleven twelve";
        let w = wrap(s, Some(20));
        assert!(max_width(&w) <= 20, "{w}");
        assert!(w.lines().nth(1).unwrap().starts_with("    "));
        assert_eq!(
            w.split_whitespace().collect::<Vec<_>>(),
            s.split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(wrap(s, None), s);
    }
}
