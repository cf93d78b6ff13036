//! Where an input came from — its file, its text and its syntax — so that any problem found in it,
//! at any stage, becomes an error naming the file, the line and the field.
//!
//! Checks that run on parsed values know a field's path ([`FieldPath`]) but not its line; a
//! [`Source`] finds the line from the text, for TOML ([`super::toml`]) and JSON ([`super::json`])
//! alike, and prints the path in the syntax of the file it is about.

use std::path::{Path, PathBuf};

use crate::base::error::{FieldPath, InputError, PathSyntax};

/// An input file's name, text and syntax.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// Its text (`None` when the input was not read from a file: no line can be given).
    pub text: Option<String>,
    /// TOML (scenarios, model files) or JSON (race records, the athlete database).
    pub syntax: PathSyntax,
}

impl Source {
    /// The source of `text` read from `file`.
    pub fn new(file: impl AsRef<Path>, text: &str, syntax: PathSyntax) -> Source {
        Source {
            file: file.as_ref().to_path_buf(),
            text: Some(text.to_string()),
            syntax,
        }
    }

    /// The line where the value at `path` starts (TOML: of its deepest part that exists; JSON:
    /// of its nearest existing ancestor, the document at worst).
    pub fn line_of(&self, path: &FieldPath) -> Option<usize> {
        let text = self.text.as_deref()?;
        match self.syntax {
            PathSyntax::Toml => super::toml::line_of(text, path),
            PathSyntax::Json => super::json::line_of_path_or_ancestor(text, path),
        }
    }

    /// An error about the value at `path`, located.
    pub fn error(&self, path: &FieldPath, message: impl std::fmt::Display) -> InputError {
        InputError::new(
            &self.file,
            self.line_of(path),
            path.in_syntax(self.syntax),
            message.to_string(),
        )
    }

    /// An error about the value at `path`, without a line (the value is not in the text as
    /// written: a field of a patched document).
    pub fn error_unlocated(
        &self,
        field: impl Into<String>,
        message: impl std::fmt::Display,
    ) -> InputError {
        InputError::new(&self.file, None, field, message.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_locator_for_both_syntaxes() {
        let toml = Source::new("s.toml", "[race]\nname = \"x\"\n", PathSyntax::Toml);
        let json = Source::new(
            "r.json",
            "{\n  \"athlete_splits\": {\n    \"Josh Kerr\": [1]\n  }\n}",
            PathSyntax::Json,
        );
        let e = toml.error(&FieldPath::root().key("race").key("name"), "empty");
        assert_eq!(e.to_string(), "s.toml:2: field `race.name`: empty");
        let p = FieldPath::root()
            .key("athlete_splits")
            .key("Josh Kerr")
            .index(0);
        let e = json.error(&p, "bad");
        assert_eq!(
            e.to_string(),
            "r.json:3: field `athlete_splits[\"Josh Kerr\"][0]`: bad"
        );
        // the TOML syntax of the same path
        assert_eq!(toml.error(&p, "x").field, "athlete_splits.\"Josh Kerr\"[0]");
        let none = Source {
            text: None,
            ..toml.clone()
        };
        assert_eq!(none.line_of(&FieldPath::root().key("race")), None);
    }
}
