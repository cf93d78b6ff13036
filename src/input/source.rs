//! Where an input came from — its file, its text and its syntax — so that any problem found in it,
//! at any stage, becomes an error naming the file, the line and the field.
//!
//! Checks that run on parsed values know a field's path ([`FieldPath`]) but not its line; a
//! [`Source`] finds the line from the text, for TOML ([`super::toml`]) and JSON ([`super::json`])
//! alike, and prints the path in the syntax of the file it is about.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::base::error::{FieldPath, InputError, PathSyntax, line_of_offset};

/// Largest input file read, 16 MiB [U]: the largest shipped input (the athlete database) is a few
/// hundred KB; a bigger file is a mistake (a binary, a log), and reading it would only delay the
/// error.
pub const MAX_INPUT_BYTES: u64 = 16 << 20;

/// Read an input file (a scenario, a race record, a model file, the athlete database) as text.
///
/// Only a regular file is read, so a FIFO cannot block the program and a folder is named as
/// one; a symlink is followed (a loop is an error); at most [`MAX_INPUT_BYTES`]; and the text must
/// be UTF-8. Every problem is the user's input (exit status 2), named with the file.
///
/// # Errors
/// An [`InputError`] naming the file (and, for bad UTF-8, the line).
pub fn read_input(path: &Path) -> Result<String, InputError> {
    let fail = |msg: String| InputError::new(path, None, "", msg);
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
    if meta.is_dir() {
        return Err(fail("is a folder, not a file".into()));
    }
    if !meta.is_file() {
        return Err(fail(
            "is not a regular file (a FIFO, a socket or a device): give a file".into(),
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "is {} bytes, more than the {} MiB an input may have",
            meta.len(),
            MAX_INPUT_BYTES >> 20
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read it: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "is more than the {} MiB an input may have",
            MAX_INPUT_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = line_of_offset(&String::from_utf8_lossy(&e.as_bytes()[..at]), at);
        InputError::new(
            path,
            Some(line),
            "",
            format!("is not UTF-8 text (an invalid byte at offset {at})"),
        )
    })
}

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

    /// The number of the text's last line (`None` without a text).
    pub fn last_line(&self) -> Option<usize> {
        let text = self.text.as_deref()?;
        Some(crate::base::error::line_of_offset(
            text,
            text.trim_end().len(),
        ))
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

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("racesim-source-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn only_regular_utf8_files_of_a_sane_size_are_read() {
        let d = scratch("read");
        let ok = d.join("ok.toml");
        std::fs::write(&ok, "a = 1\n").unwrap();
        assert_eq!(read_input(&ok).unwrap(), "a = 1\n");
        let e = read_input(&d).unwrap_err();
        assert!(e.to_string().ends_with(": is a folder, not a file"), "{e}");
        let bad = d.join("bad.toml");
        std::fs::write(&bad, b"a = 1\nb = \"\xff\"\n").unwrap();
        let e = read_input(&bad).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("not UTF-8"), "{e}");
        let e = read_input(&d.join("missing.toml")).unwrap_err();
        assert!(e.message.starts_with("cannot read it"), "{e}");
        let big = d.join("big.toml");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_INPUT_BYTES + 1).unwrap();
        let e = read_input(&big).unwrap_err();
        assert!(e.message.contains("MiB"), "{e}");
        #[cfg(unix)]
        {
            let a = d.join("loop-a");
            let b = d.join("loop-b");
            std::os::unix::fs::symlink(&b, &a).unwrap();
            std::os::unix::fs::symlink(&a, &b).unwrap();
            let e = read_input(&a).unwrap_err();
            assert!(e.message.starts_with("cannot read it"), "{e}");
            let fifo = d.join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let e = read_input(&fifo).unwrap_err();
                assert!(e.message.contains("not a regular file"), "{e}");
            }
        }
        let _ = std::fs::remove_dir_all(&d);
    }

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
