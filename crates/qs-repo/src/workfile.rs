//! Writing and removing working-directory files as hg's working-file
//! context does (`wwrite`, `clearunknown`, `unlinkpath`): a regular file
//! is replaced (never written through an existing link), made executable
//! or not per the manifest flags; a symlink is (re)created; directories
//! in the way of a file are removed when empty, missing parent
//! directories are created, and directories a removal empties are
//! removed. Used by update, merge and (later) revert.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use qs_store::StoreError;

use crate::error::{RepoError, RepoResult};

fn os_path(root: &Path, rel: &[u8]) -> PathBuf {
    root.join(std::ffi::OsStr::from_bytes(rel))
}

fn io_error(path: &Path, e: std::io::Error) -> RepoError {
    RepoError::Store(StoreError::io(path, e))
}

/// The working file's content (a symlink's target) and manifest flags
/// (`l`, `x` or none).
pub fn read(root: &Path, path: &[u8]) -> RepoResult<(Vec<u8>, &'static [u8])> {
    let full = os_path(root, path);
    let md = std::fs::symlink_metadata(&full).map_err(|e| io_error(&full, e))?;
    if md.file_type().is_symlink() {
        let target = std::fs::read_link(&full).map_err(|e| io_error(&full, e))?;
        return Ok((target.as_os_str().as_bytes().to_vec(), b"l"));
    }
    let content = std::fs::read(&full).map_err(|e| io_error(&full, e))?;
    let flags: &[u8] = if md.permissions().mode() & 0o100 != 0 {
        b"x"
    } else {
        b""
    };
    Ok((content, flags))
}

/// Writes `content` at `path` with manifest `flags` (`l` symlink, `x`
/// executable); returns the written file's `lstat` (for the dirstate).
/// An empty directory tree in the way is removed first (hg's
/// `clearunknown`); missing parent directories are created.
pub fn write(
    root: &Path,
    path: &[u8],
    content: &[u8],
    flags: &[u8],
) -> RepoResult<std::fs::Metadata> {
    crate::pathaudit::audit(root, path)?;
    let full = os_path(root, path);
    clear_directory(root, &full)?;
    remove_existing(&full)?;
    if let Some(parent) = full.parent() {
        if !parent.is_dir() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
    }
    if flags.contains(&b'l') {
        std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(content), &full)
            .map_err(|e| io_error(&full, e))?;
    } else {
        std::fs::write(&full, content).map_err(|e| io_error(&full, e))?;
        if flags.contains(&b'x') {
            set_exec(&full, true)?;
        }
    }
    std::fs::symlink_metadata(&full).map_err(|e| io_error(&full, e))
}

/// Sets or clears the executable bits (hg's `setflags` for `x`): `x` is
/// added where `r` is, within the umask the file was created with.
pub fn set_exec(full: &Path, exec: bool) -> RepoResult<()> {
    let md = std::fs::symlink_metadata(full).map_err(|e| io_error(full, e))?;
    if md.file_type().is_symlink() {
        return Ok(());
    }
    let mode = md.permissions().mode() & 0o7777;
    let new = if exec {
        mode | ((mode & 0o444) >> 2)
    } else {
        mode & !0o111
    };
    if new != mode {
        std::fs::set_permissions(full, std::fs::Permissions::from_mode(new))
            .map_err(|e| io_error(full, e))?;
    }
    Ok(())
}

/// Changes a working file's flags in place (hg's `setflags`): a symlink
/// becomes a regular file holding its target and back, `x` set or cleared.
pub fn set_flags(root: &Path, path: &[u8], flags: &[u8]) -> RepoResult<()> {
    let full = os_path(root, path);
    let md = std::fs::symlink_metadata(&full).map_err(|e| io_error(&full, e))?;
    let want_link = flags.contains(&b'l');
    if md.file_type().is_symlink() != want_link {
        let (content, _) = read(root, path)?;
        write(root, path, &content, flags)?;
        return Ok(());
    }
    if !want_link {
        set_exec(&full, flags.contains(&b'x'))?;
    }
    Ok(())
}

/// Removes `path` (a missing file is fine), then the directories that
/// became empty up to the root when `remove_empty_dirs`.
pub fn remove(root: &Path, path: &[u8], remove_empty_dirs: bool) -> RepoResult<()> {
    let full = os_path(root, path);
    match std::fs::remove_file(&full) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&full, e)),
    }
    if remove_empty_dirs {
        remove_empty_parents(root, &full);
    }
    Ok(())
}

/// Removes the empty directories from `full`'s parent up to (not
/// including) `root`, stopping at the first that is not empty.
fn remove_empty_parents(root: &Path, full: &Path) {
    let mut dir = full.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A directory (not a symlink to one) at `full` is removed with its empty
/// parents, as Python's `os.removedirs`; a non-empty one is an error.
fn clear_directory(root: &Path, full: &Path) -> RepoResult<()> {
    let Ok(md) = std::fs::symlink_metadata(full) else {
        return Ok(());
    };
    if md.is_dir() {
        remove_tree_of_empty_dirs(full)?;
        remove_empty_parents(root, full);
    }
    Ok(())
}

/// Removes a directory holding only (recursively) empty directories.
fn remove_tree_of_empty_dirs(dir: &Path) -> RepoResult<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, e))?;
        let path = entry.path();
        if entry.file_type().map_err(|e| io_error(&path, e))?.is_dir() {
            remove_tree_of_empty_dirs(&path)?;
        }
    }
    std::fs::remove_dir(dir).map_err(|e| io_error(dir, e))
}

/// Unlinks an existing file or symlink so the new one never writes
/// through a link or into a hard-linked copy.
fn remove_existing(full: &Path) -> RepoResult<()> {
    match std::fs::remove_file(full) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(full, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_files_links_and_exec_bits_and_cleans_directories() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, b"a/b/c", b"x\n", b"x").expect("write");
        let md = std::fs::metadata(root.join("a/b/c")).expect("md");
        assert_ne!(md.permissions().mode() & 0o100, 0);
        write(root, b"a/b/c", b"y\n", b"").expect("rewrite");
        let md = std::fs::metadata(root.join("a/b/c")).expect("md");
        assert_eq!(md.permissions().mode() & 0o111, 0);
        write(root, b"l", b"a/b/c", b"l").expect("link");
        assert_eq!(read(root, b"l").expect("read").0, b"a/b/c");
        remove(root, b"a/b/c", true).expect("remove");
        assert!(!root.join("a").exists());
        std::fs::create_dir_all(root.join("d/e")).expect("mkdir");
        write(root, b"d", b"file\n", b"").expect("file over empty dirs");
        assert!(root.join("d").is_file());
    }
}
