//! The error type of the dirstate layer: bad bytes in `.hg/dirstate*`,
//! bad patterns, and I/O failures on named files.

use std::path::PathBuf;

/// Result alias for dirstate operations.
pub type DirstateResult<T> = Result<T, DirstateError>;

/// Everything that can go wrong while reading or writing the dirstate,
/// compiling patterns or walking the working directory.
#[derive(Debug, thiserror::Error)]
pub enum DirstateError {
    /// An operating-system error on a named file.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The dirstate bytes do not follow the format.
    #[error("corrupted dirstate: {0}")]
    Corrupt(String),
    /// A value does not fit in the on-disk format (path too long...).
    #[error("cannot write dirstate: {0}")]
    Unrepresentable(String),
    /// A pattern that cannot be compiled; the message is hg's
    /// (`invalid pattern (relre): ...`, with the source file first when
    /// the pattern came from one), without the `abort: ` prefix.
    #[error("{0}")]
    InvalidPattern(String),
    /// A pattern that uses Python `re` syntax we cannot translate.
    #[error("unsupported regular expression syntax ({what}) in pattern: {pattern}")]
    UnsupportedRegex { what: String, pattern: String },
}

impl DirstateError {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DirstateError::Io {
            path: path.into(),
            source,
        }
    }

    /// A format error.
    pub fn corrupt(message: impl Into<String>) -> Self {
        DirstateError::Corrupt(message.into())
    }
}
