//! Questions about the working directory that read commands ask: its
//! branch, whether it has uncommitted changes, which files it tracks.

use qs_store::StoreError;

use crate::error::RepoResult;
use crate::repo::Repo;

/// The working directory's branch (`.hg/branch`, `default` when absent).
pub fn branch(repo: &Repo) -> RepoResult<Vec<u8>> {
    let path = repo.dot_hg().join("branch");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let name = bytes
                .split(|&b| b == b'\n')
                .next()
                .unwrap_or(b"")
                .trim_ascii();
            Ok(if name.is_empty() {
                b"default".to_vec()
            } else {
                name.to_vec()
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(b"default".to_vec()),
        Err(e) => Err(StoreError::io(path, e).into()),
    }
}

/// Files tracked in the working directory (not removed), sorted.
pub fn tracked_files(repo: &Repo) -> RepoResult<Vec<Vec<u8>>> {
    let map = crate::status::read_dirstate(repo)?;
    let mut files: Vec<Vec<u8>> = map
        .iter()
        .filter(|(_, e)| e.wc_tracked)
        .map(|(p, _)| p.to_vec())
        .collect();
    files.sort();
    Ok(files)
}

/// True if any tracked file is added, removed, missing or modified.
pub fn is_dirty(repo: &Repo) -> RepoResult<bool> {
    let request = crate::status::StatusRequest::default();
    let status = crate::status::status(repo, &request, &mut Vec::new())?;
    Ok(!(status.modified.is_empty()
        && status.added.is_empty()
        && status.removed.is_empty()
        && status.deleted.is_empty()))
}
