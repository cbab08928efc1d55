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

/// Sets the branch of the next commit: `.hg/branch` replaced atomically
/// (the caller holds the wlock).
pub fn set_branch(repo: &Repo, name: &[u8]) -> RepoResult<()> {
    let mut text = name.to_vec();
    text.push(b'\n');
    let path = repo.dot_hg().join("branch");
    Ok(qs_store::transaction::vfs::write_atomic(&path, &text)?)
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
/// Metadata answers most of the time ([`qs_dirstate::dirty`]); only when
/// it cannot is the full status run, which compares content.
pub fn is_dirty(repo: &Repo) -> RepoResult<bool> {
    use qs_dirstate::dirty::{tracked_dirtiness, Dirtiness};
    let v2 = repo.requirements().has("dirstate-v2");
    // The clock only picks the mtimes recent enough to be checked against
    // the filesystem's own "now" (hg's boundary rule) before being trusted.
    let now = std::time::SystemTime::now();
    match tracked_dirtiness(repo.root(), repo.dot_hg(), v2, now) {
        Ok(Dirtiness::Dirty) => return Ok(true),
        Ok(Dirtiness::Clean) => return Ok(false),
        // Undecided, or an error the full status reports properly.
        Ok(Dirtiness::Undecided) | Err(_) => {}
    }
    let request = crate::status::StatusRequest::default();
    let status = crate::status::status(repo, &request, &mut Vec::new())?;
    Ok(!(status.modified.is_empty()
        && status.added.is_empty()
        && status.removed.is_empty()
        && status.deleted.is_empty()))
}
