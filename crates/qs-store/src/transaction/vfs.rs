//! Where the files a transaction touches live: hg addresses store files by
//! their logical name (`data/Foo.txt.i`, `00changelog.i`, `fncache`) and
//! maps them through the store's path encoding; files of the working
//! directory side (`.hg/journal.desc`, dirstate backups) live in `.hg`
//! unencoded. The journal records logical names, exactly as hg does, so
//! either tool can roll back the other's transactions.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::error::{StoreError, StoreResult};
use crate::path_encoding::{self, Encoding};
use crate::requirements::Requirements;

/// Which directory a path is relative to (hg's vfs map keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// `.hg/store` (or `.hg` without the `store` requirement), encoded.
    /// Written as an empty location (or `store`) in backup lists.
    Store,
    /// `.hg` itself, unencoded (`plain`).
    Plain,
}

impl Location {
    /// The key hg writes in `journal.backupfiles`.
    pub fn key(self) -> &'static [u8] {
        match self {
            Location::Store => b"",
            Location::Plain => b"plain",
        }
    }

    /// Parses a key of `journal.backupfiles`; `None` for unknown ones.
    pub fn from_key(key: &[u8]) -> Option<Location> {
        match key {
            b"" | b"store" => Some(Location::Store),
            b"plain" => Some(Location::Plain),
            _ => None,
        }
    }
}

/// Maps logical paths to real ones for one repository.
#[derive(Clone, Debug)]
pub struct StoreVfs {
    dot_hg: PathBuf,
    store: PathBuf,
    encoding: Encoding,
}

fn bytes_path(bytes: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(bytes))
}

impl StoreVfs {
    /// A vfs over `dot_hg` (the `.hg` of the working copy) and `store`,
    /// encoding store paths with `encoding`.
    pub fn new(dot_hg: impl Into<PathBuf>, store: impl Into<PathBuf>, encoding: Encoding) -> Self {
        StoreVfs {
            dot_hg: dot_hg.into(),
            store: store.into(),
            encoding,
        }
    }

    /// The vfs of the repository whose `.hg` is `dot_hg`.
    pub fn from_requirements(dot_hg: &Path, requirements: &Requirements) -> Self {
        StoreVfs::new(
            dot_hg,
            requirements.store_path(),
            requirements.path_encoding(),
        )
    }

    /// The `.hg` directory.
    pub fn dot_hg(&self) -> &Path {
        &self.dot_hg
    }

    /// The store directory.
    pub fn store(&self) -> &Path {
        &self.store
    }

    /// The store's path encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The real path of `logical` in `location`.
    pub fn join(&self, location: Location, logical: &[u8]) -> PathBuf {
        match location {
            Location::Plain => self.dot_hg.join(bytes_path(logical)),
            Location::Store => {
                let encoded = path_encoding::encode(logical, self.encoding);
                self.store.join(bytes_path(&encoded))
            }
        }
    }

    /// The real path of store file `logical`.
    pub fn store_file(&self, logical: &[u8]) -> PathBuf {
        self.join(Location::Store, logical)
    }

    /// True if `logical` exists in `location`.
    pub fn exists(&self, location: Location, logical: &[u8]) -> bool {
        self.join(location, logical).symlink_metadata().is_ok()
    }

    /// Removes a file; a missing file is fine.
    pub fn remove_if_exists(&self, location: Location, logical: &[u8]) -> StoreResult<()> {
        remove_if_exists(&self.join(location, logical))
    }
}

/// Removes `path`; a missing file is fine.
pub(crate) fn remove_if_exists(path: &Path) -> StoreResult<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// Creates the parent directories of `path`.
pub(crate) fn create_parent(path: &Path) -> StoreResult<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
    }
    Ok(())
}

/// Replaces `path` with `content` atomically (temporary file + rename).
pub fn write_atomic(path: &Path, content: &[u8]) -> StoreResult<()> {
    create_parent(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}-qs{}", std::process::id()));
    std::fs::write(&temp, content).map_err(|e| StoreError::io(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        StoreError::io(path, e)
    })
}

/// Copies `from` over `to` atomically.
pub(crate) fn copy_atomic(from: &Path, to: &Path) -> StoreResult<()> {
    let content = std::fs::read(from).map_err(|e| StoreError::io(from, e))?;
    write_atomic(to, &content)
}
