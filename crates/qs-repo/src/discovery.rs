//! Finding the repository a command works on: walking up from the working
//! directory to the first `.hg`, or taking `-R PATH` as given.

use std::path::{Path, PathBuf};

use crate::error::{RepoError, RepoResult};

/// The root of the repository containing `cwd`, walking up the parents.
pub fn find_root(cwd: &Path) -> RepoResult<PathBuf> {
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        if d.join(".hg").is_dir() {
            return Ok(d.to_path_buf());
        }
        dir = d.parent();
    }
    Err(RepoError::NoRepository {
        cwd: cwd.to_path_buf(),
    })
}

/// The repository named by `-R`: `spec` relative to `cwd`, which must be a
/// repository root itself (hg does not walk up from an explicit path).
pub fn explicit_root(cwd: &Path, spec: &str) -> RepoResult<PathBuf> {
    let spec_path = spec.strip_prefix("file:").unwrap_or(spec);
    let path = cwd.join(spec_path);
    if path.join(".hg").is_dir() {
        Ok(path)
    } else if path.is_file() {
        Err(RepoError::Message(format!(
            "{spec} is a file: reading bundles is not supported by qs yet"
        )))
    } else {
        Err(RepoError::RepositoryNotFound {
            path: spec.to_string(),
        })
    }
}
