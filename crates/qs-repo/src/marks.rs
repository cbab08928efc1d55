//! Bookmark changes of the working-directory commands: activating and
//! deactivating a bookmark (`.hg/bookmarks.current`, under the wlock)
//! and moving the active bookmark along an update (hg's
//! `bookmarks.update`, in a store transaction named `bookmark`).

use qs_store::lock::Lock;
use qs_store::{Node, StoreError};

use crate::error::RepoResult;
use crate::repo::Repo;

/// Makes `name` the active bookmark, or deactivates with `None`.
pub fn set_active(repo: &Repo, name: Option<&[u8]>) -> RepoResult<()> {
    let path = repo.dot_hg().join("bookmarks.current");
    match name {
        Some(name) => qs_store::transaction::vfs::write_atomic(&path, name)?,
        None => match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&path, e).into()),
        },
    }
    Ok(())
}

/// hg's `bookmarks.update(repo, [from], to)`: the active bookmark, when it
/// is on `from`, moves to `to` if `to` descends from it. Returns whether
/// it moved.
pub fn advance_active(repo: &Repo, store_lock: &Lock, from: &Node, to: &Node) -> RepoResult<bool> {
    let marks = repo.bookmarks()?;
    let Some(active) = &marks.active else {
        return Ok(false);
    };
    let Some(current) = marks.get(active) else {
        return Ok(false);
    };
    if current != *from || current == *to {
        return Ok(false);
    }
    let (Some(old), Some(new)) = (
        repo.changelog().rev_of_node(&current)?,
        repo.changelog().rev_of_node(to)?,
    ) else {
        return Ok(false);
    };
    if !crate::diff::copies::is_ancestor(repo, old, new)? {
        return Ok(false);
    }
    let mut txn = crate::txn::begin(repo, store_lock, "bookmark")?;
    crate::bookmark::follow_commit(repo, &mut txn.tr, &[*from], to)?;
    txn.commit()?;
    Ok(true)
}
