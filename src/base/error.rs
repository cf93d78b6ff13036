//! Errors that cross module boundaries.
//!
//! Bad input is the common case: a user's scenario or a race record with a wrong field. Such an
//! error must name the file, the line and the field, so it carries all three; the binary prints it
//! on one line and exits with status 2.

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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": field `{}`: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Any error the library returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The user's input is wrong; the message names file, line and field.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A command-line argument is wrong (bad parameter path, range, runner name ...).
    #[error("{0}")]
    Usage(String),
    /// Anything else (a chart that could not be drawn, a fit that could not converge).
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Whether this error is the user's input (exit status 2) rather than the environment (1).
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Input(_) | Error::Usage(_) => true,
            // a file named on the command line that does not exist is the user's input too
            Error::Io { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            _ => false,
        }
    }

    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// 1-based line number of byte offset `pos` in `text`.
pub fn line_of_offset(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
