//! The error type of the store layer: every failure names the file it was reading.

use std::path::PathBuf;

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Everything that can go wrong while reading or writing store files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An operating-system error on a named file.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file's bytes do not follow the format they should.
    #[error("{path}: {message}")]
    Corrupt { path: PathBuf, message: String },
    /// The repository needs a feature this build does not have.
    /// `names` are the unknown requirement names, sorted.
    #[error("repository requires features unknown to this Mercurial: {}", names.join(" "))]
    UnknownRequirements { names: Vec<String> },
    /// The repository needs features hg knows but qs cannot read yet.
    #[error("repository requires features not supported by qs yet: {}", names.join(" "))]
    UnsupportedRequirements { names: Vec<String> },
    /// A revision's content does not hash to its node id.
    #[error("integrity check failed on {path}:{rev}")]
    IntegrityCheck { path: PathBuf, rev: i32 },
    /// A revision number outside the revlog.
    #[error("{path}: no revision {rev}")]
    NoSuchRevision { path: PathBuf, rev: i32 },
    /// A node id that the revlog does not contain.
    #[error("{path}: no node {node}")]
    NoSuchNode { path: PathBuf, node: String },
    /// A node prefix that matches more than one node.
    #[error("ambiguous identifier")]
    AmbiguousPrefix,
    /// A lock is held by another process (`timed_out`: after waiting).
    /// The text is hg's abort message without `abort: `.
    #[error("{desc}: {}", lock_held_reason(locker, *timed_out))]
    LockHeld {
        desc: String,
        locker: String,
        timed_out: bool,
    },
    /// A previous transaction was interrupted: `hg recover` is needed.
    #[error("abandoned transaction found")]
    AbandonedTransaction,
    /// A write this version cannot do (a revlog format it only reads).
    #[error("{path}: {message}")]
    UnsupportedWrite { path: PathBuf, message: String },
}

/// hg's reason for a held lock: `str` repr after a timeout, `bytes` repr
/// (`b'...'`) when it did not wait.
fn lock_held_reason(locker: &str, timed_out: bool) -> String {
    let quoted = crate::lock::python_str_repr(locker);
    if timed_out {
        format!("timed out waiting for lock held by {quoted}")
    } else {
        format!("lock held by b{quoted}")
    }
}

impl StoreError {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }

    /// A format error in `path`.
    pub fn corrupt(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        StoreError::Corrupt {
            path: path.into(),
            message: message.into(),
        }
    }
}
