//! The one error type the commands handle: every room's typed error, gathered.
//!
//! Each room returns its own error (`SetupError` from a race that cannot be run, `FitError` from
//! a runner who cannot be calibrated, `PlotError` from a chart …). Where they cross into a
//! command they become an [`Error`], which says whether the user is to blame (exit status 2, see
//! [`Error::is_user_error`]) and prints as one line.

use std::path::{Path, PathBuf};

pub use crate::base::error::{FieldPath, InputError, PathSeg, PathSyntax, line_of_offset};

/// Any error the library returns to a command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The user's input is wrong; the message names file, line and field.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
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

    /// An [`Error::Io`] naming `path`: every I/O error says which file it is about.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl From<crate::stats::StatsError> for Error {
    fn from(e: crate::stats::StatsError) -> Self {
        Error::Other(e.to_string())
    }
}

impl From<crate::montecarlo::ThreadPoolError> for Error {
    fn from(e: crate::montecarlo::ThreadPoolError) -> Self {
        Error::Other(e.to_string())
    }
}

impl From<crate::montecarlo::crn::CrnError> for Error {
    fn from(e: crate::montecarlo::crn::CrnError) -> Self {
        use crate::montecarlo::crn::CrnError;
        match e {
            CrnError::Threads(t) => t.into(),
            e => Error::Usage(e.to_string()),
        }
    }
}
