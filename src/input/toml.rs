//! Where a value sits in a TOML text, and TOML parse errors as located input errors.

use std::path::Path;

use crate::base::error::{FieldPath, InputError, PathSeg, line_of_offset};

/// Line (1-based) of the deepest part of `path` found in `text`, using toml's spanned parse;
/// `None` when not even the first segment is there (or the text is not TOML).
pub fn line_of(text: &str, path: &FieldPath) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut best = None;
    let mut cur: Option<&toml::Spanned<DeValue>> = None;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    for seg in path.segments() {
        let next = match (seg, cur, table) {
            (PathSeg::Key(k), _, Some(t)) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                .map(|(_, v)| v),
            (PathSeg::Key(k), Some(v), None) => v.get_ref().get(k.as_str()),
            (PathSeg::Index(i), Some(v), _) => v.get_ref().get(*i),
            _ => None,
        };
        match next {
            Some(v) => {
                best = Some(line_of_offset(text, v.span().start));
                cur = Some(v);
                table = None;
            }
            None => break,
        }
    }
    best
}

/// The path of the innermost key or value whose span contains byte `offset` of `text` (`None`
/// when the text is not TOML or nothing is there).
pub fn path_at_offset(text: &str, offset: usize) -> Option<FieldPath> {
    use toml::de::{DeTable, DeValue};
    type Best = Option<(usize, FieldPath)>;
    fn consider(best: &mut Best, span: std::ops::Range<usize>, offset: usize, path: &FieldPath) {
        if span.start <= offset
            && offset < span.end.max(span.start + 1)
            && best.as_ref().is_none_or(|(len, _)| span.len() <= *len)
        {
            *best = Some((span.len(), path.clone()));
        }
    }
    fn walk_value(v: &toml::Spanned<DeValue>, path: &FieldPath, offset: usize, best: &mut Best) {
        consider(best, v.span(), offset, path);
        match v.get_ref() {
            DeValue::Table(t) => walk_table(t, path, offset, best),
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    walk_value(item, &path.index(i), offset, best);
                }
            }
            _ => {}
        }
    }
    fn walk_table(t: &DeTable, path: &FieldPath, offset: usize, best: &mut Best) {
        for (k, v) in t.iter() {
            let p = path.key(k.get_ref().as_ref());
            consider(best, k.span(), offset, &p);
            walk_value(v, &p, offset, best);
        }
    }
    let root = DeTable::parse(text).ok()?;
    let mut best = None;
    walk_table(root.get_ref(), &FieldPath::root(), offset, &mut best);
    best.map(|(_, p)| p)
}

/// A toml parse error on `text` (read from `file`) as an input error: toml's line, the first
/// sentence of its message (the rest is a source excerpt), and the field the span points at
/// (the key whose value has the wrong type, an unknown key), in TOML path syntax.
pub fn parse_error(file: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let mut line = e.span().map(|s| line_of_offset(text, s.start));
    let mut msg = e
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string();
    if line.is_none() && msg.contains("recursion limit") {
        // toml's parser gives no position when a key or value nests past its limit (a dotted
        // key of thousands of parts, arrays in arrays …): name the line that nests the most
        line = deepest_line(text);
        msg = "nested too deeply (the TOML parser's recursion limit)".into();
    }
    let field = e
        .span()
        .and_then(|s| path_at_offset(text, s.start))
        .filter(|p| !p.is_root())
        .map(|p| p.in_syntax(crate::base::error::PathSyntax::Toml))
        .unwrap_or_default();
    InputError::new(file, line, field, msg)
}

/// The 1-based line with the most nesting characters (`.`, `[`, `{`), or `None` for an empty text.
fn deepest_line(text: &str) -> Option<usize> {
    (text.lines().enumerate())
        .map(|(i, l)| {
            (
                l.bytes()
                    .filter(|b| matches!(b, b'.' | b'[' | b'{'))
                    .count(),
                i + 1,
            )
        })
        .max_by_key(|&(n, i)| (n, std::cmp::Reverse(i)))
        .map(|(_, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dotted key thousands of parts long: toml stops at its recursion limit without a
    /// position; the error names the line of that key.
    #[test]
    fn a_key_nested_past_the_limit_names_its_line() {
        let text = format!(
            "[race]\nname = \"x\"\n{} = 1\nruns = 5\n",
            vec!["a"; 5000].join(".")
        );
        let e = toml::from_str::<toml::Table>(&text).unwrap_err();
        let ie = parse_error(Path::new("deep.toml"), &text, &e);
        assert_eq!(ie.line, Some(3), "{ie}");
        assert!(ie.to_string().contains("nested too deeply"), "{ie}");
    }

    /// A document of one `[race]` table of type `R`.
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc<R> {
        race: R,
    }

    /// The located error of reading `text`, which must fail, as a [`Doc`] of `R` from `s.toml`.
    fn race_error<R: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> InputError {
        let e = toml::from_str::<Doc<R>>(text).unwrap_err();
        parse_error(Path::new("s.toml"), text, &e)
    }

    #[test]
    fn a_wrong_type_names_the_field_not_the_value() {
        let text =
            "[race]\nname = \"x\"\nseed = 1.5\n\n[[runner]]\nname = \"A\"\nfollow_pacers = 0\n";
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Race {
            name: String,
            seed: i64,
        }
        let ie = race_error::<Race>(text);
        assert_eq!(ie.field, "race.seed", "{ie}");
        assert_eq!(ie.line, Some(3));
        assert_eq!(
            path_at_offset(text, text.find("0\n").unwrap()),
            Some(
                FieldPath::root()
                    .key("runner")
                    .index(0)
                    .key("follow_pacers")
            )
        );
    }

    const TEXT: &str = "[race]\nname = \"x\"\n\n[[runner]]\nname = \"A\"\nreported = { \"1500m\" = \"3:30\" }\n\n[[runner]]\nname = \"B\"\n";

    #[test]
    fn lines_of_paths_and_their_deepest_existing_part() {
        let p = |s: &[&str]| -> FieldPath { s.iter().copied().collect() };
        assert_eq!(line_of(TEXT, &p(&["race", "name"])), Some(2));
        let r1 = FieldPath::root().key("runner").index(1).key("name");
        assert_eq!(line_of(TEXT, &r1), Some(9));
        let reported = FieldPath::root()
            .key("runner")
            .index(0)
            .key("reported")
            .key("1500m");
        assert_eq!(line_of(TEXT, &reported), Some(6));
        // an absent field: the line of its deepest existing ancestor
        let absent = FieldPath::root().key("runner").index(1).key("cs");
        assert_eq!(line_of(TEXT, &absent), Some(8));
        // nothing of it exists
        assert_eq!(line_of(TEXT, &p(&["pacer"])), None);
        assert_eq!(line_of("not = [toml", &p(&["race"])), None);
    }

    #[test]
    fn parse_errors_name_line_and_key() {
        let text = "[race]\nname = \"x\"\nspeed = true\n";
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Race {
            name: String,
        }
        let ie = race_error::<Race>(text);
        assert_eq!(ie.line, Some(3));
        assert_eq!(ie.field, "race.speed");
        assert!(ie.message.contains("unknown field"), "{ie}");
    }
}
