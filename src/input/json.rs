//! Where a value sits in a JSON text: field paths and a minimal scanner that maps them to lines.
//!
//! serde_json reports syntax and type errors with a line and column but no field path, and
//! semantic checks done after parsing know the field path but not the line. This module bridges
//! the two with a small JSON scanner that records the byte span of every value together with its
//! path (`results[3].time_s`):
//!
//! * [`line_of_path`]: path → 1-based line where the value starts;
//! * [`path_at_offset`]: byte offset → path of the innermost value containing it;
//! * [`input_error_from_serde`]: a serde_json error → an [`InputError`] naming file, line and
//!   the best field path that can be recovered.
//!
//! The scanner only needs to be right on texts that serde_json has accepted (semantic errors) or
//! to give a useful path up to the point where it stops (syntax errors); it does not validate
//! numbers or reject every malformed text.

use std::path::Path;

use crate::base::error::{FieldPath, PathSeg};
use crate::base::error::{InputError, line_of_offset};

/// Byte span `[start, end)` of one value in the text, with its path.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSpan {
    /// The value's path.
    pub path: FieldPath,
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// Where the scanner stopped on a text it could not read: byte offset and the path of the value
/// it was reading.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanError {
    /// Byte offset where the scanner stopped.
    pub offset: usize,
    /// The path of the value it was reading.
    pub path: FieldPath,
}

/// Deepest nesting of arrays and objects a JSON input may have, 64 [U]: a race record is five
/// levels deep. The limit bounds the scanner's recursion and serde's, and is checked first, in one
/// pass without recursion ([`check_depth`]), so a hostile file fails fast.
pub const MAX_JSON_DEPTH: usize = 64;

/// Scan `text` as JSON and return the span of every value (children before their parents).
///
/// # Errors
/// On text that is not JSON, or nested deeper than [`MAX_JSON_DEPTH`], returns where the scanner
/// stopped and the path it was in.
pub fn scan(text: &str) -> Result<Vec<ValueSpan>, ScanError> {
    let mut spans = Vec::new();
    visit(text, &mut |path, start, end| {
        spans.push(ValueSpan {
            path: FieldPath(path.to_vec()),
            start,
            end,
        });
    })?;
    Ok(spans)
}

/// Walk `text` as JSON, calling `f(path, start, end)` for every value (children before their
/// parents). The path is borrowed: a caller keeps only what it needs, so the work is linear in
/// the text for any nesting.
fn visit(text: &str, f: &mut dyn FnMut(&[PathSeg], usize, usize)) -> Result<(), ScanError> {
    let mut s = Scanner {
        b: text.as_bytes(),
        pos: 0,
        path: Vec::new(),
        visit: f,
    };
    s.value()?;
    s.ws();
    if s.pos != s.b.len() {
        return Err(s.err());
    }
    Ok(())
}

/// Check that `text` nests arrays and objects at most [`MAX_JSON_DEPTH`] deep: one pass, no
/// recursion, whatever the text (strings are skipped, so brackets inside them do not count).
///
/// # Errors
/// The byte offset where the limit is passed.
pub fn check_depth(text: &str) -> Result<(), usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// 1-based line where the value at `path` starts, or `None` if there is no such value (or the
/// text is not JSON).
pub fn line_of_path(text: &str, path: &FieldPath) -> Option<usize> {
    let mut found = None;
    visit(text, &mut |p, start, _| {
        if found.is_none() && p == path.0.as_slice() {
            found = Some(start);
        }
    })
    .ok()?;
    found.map(|start| line_of_offset(text, start))
}

/// Like [`line_of_path`], but falls back to the nearest ancestor that exists (the root at worst),
/// so an error about a value that is absent still points somewhere useful.
pub fn line_of_path_or_ancestor(text: &str, path: &FieldPath) -> Option<usize> {
    let target = path.0.as_slice();
    // the first start of each prefix of the path (index = its length)
    let mut starts: Vec<Option<usize>> = vec![None; target.len() + 1];
    visit(text, &mut |p, start, _| {
        if p.len() <= target.len() && starts[p.len()].is_none() && p == &target[..p.len()] {
            starts[p.len()] = Some(start);
        }
    })
    .ok()?;
    starts
        .iter()
        .rev()
        .find_map(|s| *s)
        .map(|start| line_of_offset(text, start))
}

/// Path of the innermost value whose span contains byte `offset`.
///
/// If the text is not JSON, returns the path the scanner was in when it stopped.
pub fn path_at_offset(text: &str, offset: usize) -> Option<FieldPath> {
    let mut best: Option<(usize, FieldPath)> = None;
    let walked = visit(text, &mut |p, start, end| {
        if start <= offset
            && offset < end
            && best.as_ref().is_none_or(|(len, _)| end - start < *len)
        {
            best = Some((end - start, FieldPath(p.to_vec())));
        }
    });
    match walked {
        Ok(()) => best.map(|(_, p)| p),
        Err(e) => Some(e.path),
    }
}

/// Byte offset of the last byte serde_json had consumed when it reported `line`/`column`.
///
/// serde_json's column is the number of bytes consumed on that line (0 when the error is at the
/// very start of a line).
fn offset_of_position(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    if line > 1 {
        let mut seen = 1;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                seen += 1;
                if seen == line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    (start + column.saturating_sub(1)).min(text.len().saturating_sub(1))
}

/// The message of a serde_json error without its ` at line L column C` suffix.
fn bare_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    s.strip_suffix(&suffix).unwrap_or(&s).to_string()
}

/// The field named in serde's ``missing field `x` `` / ``duplicate field `x` `` messages.
fn named_field(msg: &str) -> Option<&str> {
    ["missing field `", "duplicate field `"]
        .iter()
        .find_map(|p| msg.strip_prefix(p))
        .and_then(|r| r.strip_suffix('`'))
}

/// Turn a serde_json error on `text` (read from `file`) into an [`InputError`] with the best field
/// path that can be recovered.
///
/// * Type and value errors: the path of the value serde_json stopped in, and the line where that
///   value starts.
/// * Missing or duplicate fields: the object's path plus the field name, and the line where the
///   object starts.
/// * Syntax errors: serde_json's line, and the path the scanner was in when it stopped there.
pub fn input_error_from_serde(text: &str, file: &Path, e: &serde_json::Error) -> InputError {
    use serde_json::error::Category;
    let msg = bare_message(e);
    let serde_line = (e.line() > 0).then_some(e.line());
    match e.classify() {
        Category::Data => {
            let offset = offset_of_position(text, e.line(), e.column());
            let mut path = path_at_offset(text, offset).unwrap_or_default();
            let line = line_of_path(text, &path).or(serde_line);
            let absent = named_field(&msg)
                .filter(|name| path.0.last() != Some(&PathSeg::Key(name.to_string())));
            if let Some(name) = absent {
                path = path.key(name);
            }
            InputError::new(file, line, path.to_string(), msg)
        }
        Category::Syntax | Category::Eof => {
            let path = match scan(text) {
                Err(se) => se.path,
                Ok(_) => FieldPath::root(),
            };
            InputError::new(file, serde_line, path.to_string(), msg)
        }
        Category::Io => InputError::new(file, None, "", msg),
    }
}

/// Parse `text` (read from `file`) with serde_json, mapping errors through
/// [`input_error_from_serde`].
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str, file: &Path) -> Result<T, InputError> {
    check_depth(text).map_err(|at| {
        InputError::new(
            file,
            Some(line_of_offset(text, at)),
            "",
            format!("nested more than {MAX_JSON_DEPTH} levels deep"),
        )
    })?;
    serde_json::from_str(text).map_err(|e| input_error_from_serde(text, file, &e))
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    path: Vec<PathSeg>,
    visit: &'a mut dyn FnMut(&[PathSeg], usize, usize),
}

impl Scanner<'_> {
    fn err(&self) -> ScanError {
        ScanError {
            offset: self.pos,
            path: FieldPath(self.path.clone()),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), ScanError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }

    fn value(&mut self) -> Result<(), ScanError> {
        self.ws();
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => {
                self.string()?;
            }
            Some(b'-' | b'0'..=b'9') => {
                while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
            }
            Some(b't' | b'f' | b'n') => {
                let rest = &self.b[self.pos..];
                let lit: &[u8] = if rest.starts_with(b"true") {
                    b"true"
                } else if rest.starts_with(b"false") {
                    b"false"
                } else if rest.starts_with(b"null") {
                    b"null"
                } else {
                    return Err(self.err());
                };
                self.pos += lit.len();
            }
            _ => return Err(self.err()),
        }
        (self.visit)(&self.path, start, self.pos);
        Ok(())
    }

    /// Refuse to go deeper than [`MAX_JSON_DEPTH`]: the recursion stays bounded on any text.
    fn deeper(&self) -> Result<(), ScanError> {
        if self.path.len() >= MAX_JSON_DEPTH {
            Err(self.err())
        } else {
            Ok(())
        }
    }

    fn object(&mut self) -> Result<(), ScanError> {
        self.deeper()?;
        self.expect(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.path.push(PathSeg::Key(key));
            self.expect(b':')?;
            self.value()?;
            self.path.pop();
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err()),
            }
        }
    }

    fn array(&mut self) -> Result<(), ScanError> {
        self.deeper()?;
        self.expect(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        let mut i = 0;
        loop {
            self.path.push(PathSeg::Index(i));
            self.value()?;
            self.path.pop();
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err()),
            }
            i += 1;
        }
    }

    /// Read a string literal and return its decoded contents.
    fn string(&mut self) -> Result<String, ScanError> {
        self.expect(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.err()),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.peek().ok_or_else(|| self.err())?;
                    self.pos += 1;
                    let ch = match c {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.err()),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ScanError> {
        let h = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err())?;
        let s = std::str::from_utf8(h).map_err(|_| self.err())?;
        let v = u32::from_str_radix(s, 16).map_err(|_| self.err())?;
        self.pos += 4;
        Ok(v)
    }

    /// After `\u`: one escape, or a surrogate pair of two. Lone surrogates become U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, ScanError> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) && self.b[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p<const N: usize>(segs: [PathSeg; N]) -> FieldPath {
        FieldPath(segs.to_vec())
    }
    fn k(s: &str) -> PathSeg {
        PathSeg::Key(s.into())
    }
    fn i(n: usize) -> PathSeg {
        PathSeg::Index(n)
    }

    const DOC: &str = r#"{
  "id": "x[1]{\"y\"}",
  "results": [
    {"name": "A \"[quoted]\" B", "time_s": 1.5},
    {"name": "C,]}", "time_s": 2.5},
    {
      "name": "D",
      "time_s":
        3.5
    },
    [ [], {}, [ {"deep": "]"} ] ]
  ],
  "athlete_splits": {
    "Nele We\u00dfel": [ {"at_m": 100} ],
    "Jos\"h": [ {"at_m": 200}, {"at_m": 300} ]
  },
  "last": null
}"#;

    #[test]
    fn finds_lines_of_nested_values() {
        assert_eq!(line_of_path(DOC, &FieldPath::root()), Some(1));
        assert_eq!(line_of_path(DOC, &p([k("id")])), Some(2));
        assert_eq!(line_of_path(DOC, &p([k("results")])), Some(3));
        assert_eq!(
            line_of_path(DOC, &p([k("results"), i(0), k("time_s")])),
            Some(4)
        );
        assert_eq!(
            line_of_path(DOC, &p([k("results"), i(1), k("name")])),
            Some(5)
        );
        assert_eq!(line_of_path(DOC, &p([k("results"), i(2)])), Some(6));
        // the value starts on the line after its key
        assert_eq!(
            line_of_path(DOC, &p([k("results"), i(2), k("time_s")])),
            Some(9)
        );
        assert_eq!(
            line_of_path(DOC, &p([k("results"), i(3), i(2), i(0), k("deep")])),
            Some(11)
        );
        assert_eq!(line_of_path(DOC, &p([k("last")])), Some(17));
    }

    #[test]
    fn decodes_escaped_keys() {
        assert_eq!(
            line_of_path(
                DOC,
                &p([k("athlete_splits"), k("Nele Weßel"), i(0), k("at_m")])
            ),
            Some(14)
        );
        assert_eq!(
            line_of_path(DOC, &p([k("athlete_splits"), k("Jos\"h"), i(1), k("at_m")])),
            Some(15)
        );
    }

    #[test]
    fn missing_paths_give_none_or_the_nearest_ancestor() {
        assert_eq!(line_of_path(DOC, &p([k("results"), i(9)])), None);
        assert_eq!(line_of_path(DOC, &p([k("nope")])), None);
        assert_eq!(
            line_of_path_or_ancestor(DOC, &p([k("results"), i(2), k("status")])),
            Some(6)
        );
        assert_eq!(line_of_path_or_ancestor(DOC, &p([k("nope")])), Some(1));
    }

    #[test]
    fn scan_agrees_with_serde_json_on_shape() {
        // Every span's text must parse as JSON on its own.
        let spans = scan(DOC).unwrap();
        assert!(spans.len() > 20);
        for s in &spans {
            let piece = &DOC[s.start..s.end];
            assert!(
                serde_json::from_str::<serde_json::Value>(piece).is_ok(),
                "{} -> {piece}",
                s.path
            );
        }
    }

    #[test]
    fn path_at_offset_finds_innermost_value() {
        let off = DOC.find("2.5").unwrap() + 1;
        assert_eq!(
            path_at_offset(DOC, off).unwrap().to_string(),
            "results[1].time_s"
        );
        let off = DOC.find("\"Jos").unwrap() + 20;
        assert_eq!(
            path_at_offset(DOC, off).unwrap().to_string(),
            r#"athlete_splits["Jos\"h"][0]"#
        );
    }

    #[test]
    fn displays_paths() {
        assert_eq!(
            p([k("results"), i(3), k("time_s")]).to_string(),
            "results[3].time_s"
        );
        assert_eq!(
            p([k("entrants"), i(2), k("reported"), i(0), k("event")]).to_string(),
            "entrants[2].reported[0].event"
        );
        assert_eq!(
            p([k("athlete_splits"), k("Josh Kerr"), i(1)]).to_string(),
            r#"athlete_splits["Josh Kerr"][1]"#
        );
        assert_eq!(
            p([k("Ciara Mageean"), k("marks")]).to_string(),
            r#"["Ciara Mageean"].marks"#
        );
        let q: FieldPath = ["a", "b"].into_iter().collect();
        assert_eq!(q.to_string(), "a.b");
    }

    #[test]
    fn syntax_errors_report_where_the_scanner_stopped() {
        let bad = "{\n \"a\": [1, 2,\n ]\n}";
        let e = scan(bad).unwrap_err();
        assert_eq!(e.path.to_string(), "a[2]");
        let err = serde_json::from_str::<serde_json::Value>(bad).unwrap_err();
        let ie = input_error_from_serde(bad, Path::new("f.json"), &err);
        assert_eq!(ie.line, Some(3));
        assert_eq!(ie.field, "a[2]");
        assert!(!ie.message.contains("at line"), "{}", ie.message);
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Row {
        name: String,
        time_s: f64,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        rows: Vec<Row>,
    }

    #[test]
    fn maps_serde_type_errors_to_paths() {
        let text = "{\n \"rows\": [\n  {\"name\": \"a\", \"time_s\": 1},\n  {\"name\": \"b\",\n   \"time_s\": \"3:30\"}\n ]\n}";
        let err = from_json::<Doc>(text, Path::new("f.json")).unwrap_err();
        assert_eq!(err.field, "rows[1].time_s");
        assert_eq!(err.line, Some(5));
        assert!(
            err.message.starts_with("invalid type: string"),
            "{}",
            err.message
        );
    }

    #[test]
    fn maps_missing_fields_to_object_path_and_line() {
        let text =
            "{\n \"rows\": [\n  {\"name\": \"a\", \"time_s\": 1},\n  {\"name\": \"b\"\n  }\n ]\n}";
        let err = from_json::<Doc>(text, Path::new("f.json")).unwrap_err();
        assert_eq!(err.field, "rows[1].time_s");
        assert_eq!(err.line, Some(4));
        assert_eq!(err.message, "missing field `time_s`");
        let err = from_json::<Doc>("{\n}", Path::new("f.json")).unwrap_err();
        assert_eq!(err.field, "rows");
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn deep_nesting_fails_fast_without_recursion() {
        // the fuzz harness' 100 000-deep record (a stack overflow before) and an object chain
        for deep in [
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)),
        ] {
            assert!(check_depth(&deep).is_err());
            let e = from_json::<serde_json::Value>(&deep, Path::new("deep.json")).unwrap_err();
            assert_eq!(e.line, Some(1));
            assert!(e.message.contains("nested more than 64"), "{e}");
            assert!(scan(&deep).is_err());
            assert_eq!(line_of_path(&deep, &FieldPath::root()), None);
            assert!(path_at_offset(&deep, 10).is_some());
        }
        // brackets inside strings do not count; 64 levels are allowed
        let ok = format!("{}\"[[[{{\\\"\"{}", "[".repeat(63), "]".repeat(63));
        assert_eq!(check_depth(&ok), Ok(()));
        assert!(from_json::<serde_json::Value>(&ok, Path::new("ok.json")).is_ok());
        let too = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(check_depth(&too), Err(64));
    }
}
