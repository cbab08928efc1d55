//! Errors of the repository layer, worded as hg words them.

use std::path::PathBuf;

use qs_store::StoreError;

pub type RepoResult<T> = Result<T, RepoError>;

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// No `.hg` in the directory or any parent.
    #[error("no repository found in '{}' (.hg not found)", cwd.display())]
    NoRepository { cwd: PathBuf },
    /// `-R PATH` does not name a repository.
    #[error("repository {path} not found")]
    RepositoryNotFound { path: String },
    /// A revision symbol that names nothing.
    #[error("unknown revision '{0}'")]
    UnknownRevision(String),
    /// A hex prefix matching several nodes.
    #[error("ambiguous revision identifier: {0}")]
    AmbiguousIdentifier(String),
    /// A message with a hint line.
    #[error("{message}")]
    WithHint { message: String, hint: String },
    /// Any other failure with hg's wording.
    #[error("{0}")]
    Message(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}
