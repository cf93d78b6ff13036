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
    /// A chart could not be drawn.
    #[error("drawing the charts failed: {0}")]
    Chart(#[source] crate::plot::PlotError),
    /// The worker threads could not be started.
    #[error(transparent)]
    Threads(#[from] crate::montecarlo::ThreadPoolError),
    /// A statistic could not be computed (values outside their range: a bug upstream).
    #[error(transparent)]
    Stats(#[from] crate::stats::StatsError),
    /// A race that cannot be set up, though its input was accepted (a bug upstream).
    #[error(transparent)]
    Race(#[from] crate::engine::race::SetupError),
    /// A race of an accepted input cannot finish within its step budget (the input asks for a
    /// runner who cannot reach the line: exit status 2).
    #[error(transparent)]
    Unfinished(crate::montecarlo::RunError),
    /// An internal inconsistency (a bug, not the input): reported as an error with exit status 1
    /// where the code would otherwise have had to panic.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Whether this error is the user's input (exit status 2) rather than the environment (1).
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Input(_) | Error::Usage(_) | Error::Unfinished(_) => true,
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

impl From<crate::montecarlo::RunError> for Error {
    fn from(e: crate::montecarlo::RunError) -> Self {
        match e {
            crate::montecarlo::RunError::Threads(t) => t.into(),
            e => Error::Unfinished(e),
        }
    }
}

impl From<crate::montecarlo::crn::CrnError> for Error {
    /// Naming a runner who is in no variant is the user's mistake; threads that cannot start are
    /// not.
    fn from(e: crate::montecarlo::crn::CrnError) -> Self {
        use crate::montecarlo::crn::CrnError;
        match e {
            CrnError::Threads(t) => t.into(),
            e => Error::Usage(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_errors_exit_2_and_the_rest_1() {
        let e = Error::Input(InputError::new("a.toml", Some(1), "x", "bad"));
        assert!(e.is_user_error());
        assert!(Error::Usage("no".into()).is_user_error());
        let missing = Error::io("x", std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(missing.is_user_error());
        let denied = Error::io(
            "x",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert!(!denied.is_user_error());
        let chart = Error::Chart(crate::plot::PlotError::Draw("x".into()));
        assert!(!chart.is_user_error());
        assert_eq!(
            chart.to_string(),
            "drawing the charts failed: drawing the chart failed: x"
        );
        let crn: Error = crate::montecarlo::crn::CrnError::NoSetup.into();
        assert!(crn.is_user_error());
    }
}
