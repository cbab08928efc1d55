//! Errors at the edge: every failure becomes hg's message and exit code.
//!
//! `abort: MESSAGE` (+ optional `(HINT)`) exits 255; option errors say
//! `hg CMD: option ...` and exit 255; a command may also end with a plain
//! exit code (1 for "nothing found", as hg does).

use qs_repo::RepoError;
use qs_store::StoreError;

/// A command's failure, classified for the user.
#[derive(Debug)]
pub enum CliError {
    /// `abort: message` then `(hint)`, exit 255.
    Abort {
        message: String,
        hint: Option<String>,
    },
    /// A line already formatted for stderr, then exit with `code`.
    Message { text: String, code: i32 },
    /// Bytes already formatted for stderr (non-UTF-8 text survives), then
    /// exit with `code`.
    Bytes { bytes: Vec<u8>, code: i32 },
    /// Exit with this code; everything was already printed.
    Exit(i32),
    /// The output pipe was closed by the reader.
    BrokenPipe,
}

pub type CliResult<T> = Result<T, CliError>;

impl CliError {
    pub fn abort(message: impl Into<String>) -> CliError {
        CliError::Abort {
            message: message.into(),
            hint: None,
        }
    }

    pub fn abort_hint(message: impl Into<String>, hint: impl Into<String>) -> CliError {
        CliError::Abort {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::abort(e.to_string())
        }
    }
}

impl From<RepoError> for CliError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::Store(s) => s.into(),
            RepoError::WithHint { message, hint } => CliError::abort_hint(message, hint),
            other => CliError::abort(other.to_string()),
        }
    }
}

impl From<qs_repo::revset::RevsetError> for CliError {
    fn from(e: qs_repo::revset::RevsetError) -> Self {
        use qs_repo::revset::RevsetError;
        match e {
            RevsetError::Parse(parse) => CliError::Message {
                text: String::from_utf8_lossy(&parse.render()).into_owned(),
                code: 255,
            },
            RevsetError::Repo(repo) => repo.into(),
            other => CliError::abort(other.to_string()),
        }
    }
}

impl From<qs_repo::datespec::DateError> for CliError {
    fn from(e: qs_repo::datespec::DateError) -> Self {
        if e.is_parse_error() {
            CliError::Message {
                text: format!("hg: parse error: {e}\n"),
                code: 255,
            }
        } else {
            CliError::abort(e.to_string())
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::UnknownRequirements { .. } => CliError::abort_hint(
                e.to_string(),
                "see https://mercurial-scm.org/wiki/MissingRequirement for more information",
            ),
            StoreError::Io { path, source } => CliError::abort(format!(
                "{}: '{}'",
                qs_repo::util::strerror(&source),
                path.display()
            )),
            StoreError::LockHeld { ref locker, .. } if locker.is_empty() => {
                CliError::abort_hint(e.to_string(), "lock might be very busy")
            }
            StoreError::AbandonedTransaction => {
                CliError::abort_hint(e.to_string(), "run 'hg recover' to clean up transaction")
            }
            other => CliError::abort(other.to_string()),
        }
    }
}
