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

/// A toml parse error on `text` (read from `file`) as an input error: toml's line, the first
/// sentence of its message (the rest is a source excerpt), and the key the span points at when
/// there is one (unknown fields, wrong types).
pub fn parse_error(file: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let line = e.span().map(|s| line_of_offset(text, s.start));
    let msg = e
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string();
    let field = e
        .span()
        .map(|s| text[s.clone()].trim().trim_matches('"').to_string())
        .filter(|f| !f.is_empty() && f.len() < 60 && !f.contains('\n'))
        .unwrap_or_default();
    InputError::new(file, line, field, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Doc {
            race: Race,
        }
        let e = toml::from_str::<Doc>(text).unwrap_err();
        let ie = parse_error(Path::new("s.toml"), text, &e);
        assert_eq!(ie.line, Some(3));
        assert_eq!(ie.field, "speed");
        assert!(ie.message.contains("unknown field"), "{ie}");
    }
}
