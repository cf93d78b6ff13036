//! Errors that cross module boundaries, and the path of a field in an input file.
//!
//! Bad input is the common case: a user's scenario or a race record with a wrong field. Such an
//! error must name the file, the line and the field, so it carries all three ([`InputError`]); the
//! binary prints it on one line and exits with status 2. The field is a [`FieldPath`], one type for
//! both input formats (TOML scenarios, JSON race records): only its printed form follows the
//! format's own syntax ([`PathSyntax`]), so that a user can find the field in his file.
//!
//! Every room returns its own typed error (`SetupError`, `FitError`, `PlotError` …); they meet
//! in `crate::error::Error`, the one type the commands handle.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a user's input file, located as precisely as the parser allows.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file the input came from (or a pseudo-name such as `<command line>`).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Dotted path of the offending field, e.g. `runner[3].reported.1500m` or `results[2].name`.
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl InputError {
    /// An error about `field` of `file` (at `line`, when known): the four parts a user needs.
    pub fn new(
        file: impl AsRef<Path>,
        line: Option<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            file: file.as_ref().to_path_buf(),
            line,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    /// `FILE:LINE: field `F`: MESSAGE`, always one line: a control character that a value
    /// brought into the message (a newline in a name, a terminal escape) is written escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", OneLine(&self.file.display().to_string()))?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if self.field.is_empty() {
            write!(f, ": {}", OneLine(&self.message))
        } else {
            write!(
                f,
                ": field `{}`: {}",
                OneLine(&self.field),
                OneLine(&self.message)
            )
        }
    }
}

/// Whether `c` would break a one-line message: a control character (`\n`, `\r`, NEL, an
/// escape) or Unicode's own line and paragraph separators (U+2028, U+2029), which terminals and
/// editors also start a new line at.
pub fn breaks_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Text written with its control characters and line separators escaped (`\n`, `\u{2028}`).
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if breaks_line(c) {
                write!(f, "{}", c.escape_default())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// 1-based line number of byte offset `pos` in `text`.
pub fn line_of_offset(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ---------------------------------------------------------------------------------------------
// Field paths
// ---------------------------------------------------------------------------------------------

/// One step in a path into a document: a table/object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// A key of a table (TOML) or an object (JSON).
    Key(String),
    /// A 0-based index into an array.
    Index(usize),
}

impl From<&str> for PathSeg {
    fn from(k: &str) -> Self {
        PathSeg::Key(k.to_string())
    }
}

impl From<String> for PathSeg {
    fn from(k: String) -> Self {
        PathSeg::Key(k)
    }
}

impl From<usize> for PathSeg {
    fn from(i: usize) -> Self {
        PathSeg::Index(i)
    }
}

/// How a [`FieldPath`] is printed: each input format in the syntax its users write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSyntax {
    /// `results[3].time_s`, `athlete_splits["Josh Kerr"][1].at_m`: a key that is not a plain
    /// word (letters, digits, `_`) is written as an index in quotes.
    Json,
    /// `runner[3].reported.1500m`, `variant[0].runner."Josh Kerr"`: as a TOML dotted key, a key
    /// that is not a bare key (letters, digits, `_`, `-`) is quoted.
    Toml,
}

/// A path into a document, e.g. `results[3].time_s`: where a value sits, whatever the format.
///
/// Checks that run on parsed values know the path but not the line; the input room finds the
/// line from the path and the source text (`input::source`). [`Display`](fmt::Display) prints
/// the JSON syntax; [`FieldPath::in_syntax`] prints either.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<PathSeg>);

impl FieldPath {
    /// The empty path (the document root).
    pub fn root() -> FieldPath {
        FieldPath(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, k: impl Into<String>) -> FieldPath {
        let mut v = self.0.clone();
        v.push(PathSeg::Key(k.into()));
        FieldPath(v)
    }

    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> FieldPath {
        let mut v = self.0.clone();
        v.push(PathSeg::Index(i));
        FieldPath(v)
    }

    /// This path extended by every segment of `more`.
    pub fn join(&self, more: &FieldPath) -> FieldPath {
        let mut v = self.0.clone();
        v.extend(more.0.iter().cloned());
        FieldPath(v)
    }

    /// The path one level up (the root stays the root).
    pub fn parent(&self) -> FieldPath {
        let mut v = self.0.clone();
        v.pop();
        FieldPath(v)
    }

    /// Whether this is the document root (an error about the whole document).
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[PathSeg] {
        &self.0
    }

    /// The path printed in `syntax`.
    pub fn in_syntax(&self, syntax: PathSyntax) -> String {
        match syntax {
            PathSyntax::Json => self.to_string(),
            PathSyntax::Toml => self.toml_string(),
        }
    }

    fn toml_string(&self) -> String {
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                PathSeg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    if k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        s.push_str(k);
                    } else {
                        s.push_str(&format!("\"{k}\""));
                    }
                }
                PathSeg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }
}

impl<T: Into<PathSeg>> FromIterator<T> for FieldPath {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        FieldPath(iter.into_iter().map(Into::into).collect())
    }
}

fn is_plain_json_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for FieldPath {
    /// The JSON syntax (see [`PathSyntax::Json`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(k) if is_plain_json_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                PathSeg::Key(k) => write!(f, "[{k:?}]")?,
                PathSeg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_in_each_syntax() {
        let p = FieldPath::root()
            .key("athlete_splits")
            .key("Josh Kerr")
            .index(1)
            .key("at_m");
        assert_eq!(p.to_string(), "athlete_splits[\"Josh Kerr\"][1].at_m");
        assert_eq!(
            p.in_syntax(PathSyntax::Toml),
            "athlete_splits.\"Josh Kerr\"[1].at_m"
        );
        let q = FieldPath::root()
            .key("runner")
            .index(3)
            .key("reported")
            .key("2mile");
        assert_eq!(q.to_string(), "runner[3].reported.2mile");
        assert_eq!(q.in_syntax(PathSyntax::Toml), "runner[3].reported.2mile");
        // a dash is bare in TOML, not in JSON
        let r = FieldPath::root().key("sit-and-kick");
        assert_eq!(r.in_syntax(PathSyntax::Toml), "sit-and-kick");
        assert_eq!(r.to_string(), "[\"sit-and-kick\"]");
        assert_eq!(
            p.parent().parent().to_string(),
            "athlete_splits[\"Josh Kerr\"]"
        );
        assert!(FieldPath::root().is_root() && FieldPath::root().parent().is_root());
    }

    #[test]
    fn input_errors_print_on_one_line() {
        let e = InputError::new("a.toml", Some(7), "runner[0].cs", "too slow");
        assert_eq!(e.to_string(), "a.toml:7: field `runner[0].cs`: too slow");
        let e = InputError::new("a.toml", None, "", "no runner");
        assert_eq!(e.to_string(), "a.toml: no runner");
    }

    #[test]
    fn lines_of_offsets() {
        let t = "a\nbb\nccc";
        assert_eq!(line_of_offset(t, 0), 1);
        assert_eq!(line_of_offset(t, 2), 2);
        assert_eq!(line_of_offset(t, 5), 3);
        assert_eq!(line_of_offset(t, 999), 3);
    }
}
