//! Repository requirements: the feature names in `.hg/requires` and, for
//! share-safe repositories, `.hg/store/requires`
//! (`internals/requirements.txt`). A reader must refuse a repository that
//! needs a feature it does not know; the refusal uses hg's wording.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{StoreError, StoreResult};

/// Every requirement hg 7.2 knows, and whether qs can read repositories
/// that have it. A repository needing a name not listed is refused with
/// hg's "unknown to this Mercurial" message.
const REQUIREMENTS: &[(&str, bool)] = &[
    ("revlogv1", true),
    ("store", true),
    ("fncache", true),
    ("dotencode", true),
    ("generaldelta", true),
    ("sparserevlog", true),
    ("share-safe", true),
    ("shared", true),
    ("relshared", true),
    ("revlog-compression-zstd", true),
    ("persistent-nodemap", true),
    ("dirstate-v2", true),
    ("dirstate-tracked-key-v1", true),
    ("bookmarksinstore", true),
    ("internal-phase-2", true),
    ("exp-archived-phase", true),
    ("delta-info-revlog", true),
    ("treemanifest", false),
    ("narrowhg-experimental", false),
    ("exp-sparse", false),
    ("lfs", false),
    ("fileindex-v1", false),
    ("exp-changelog-v2", false),
    ("exp-revlogv2.2", false),
    ("exp-copies-sidedata-changeset", false),
    ("exp-very-fragile-and-unsafe-plain-store-encoding", false),
];

/// `Some(supported by qs)` for a requirement hg knows, `None` otherwise.
fn lookup(name: &str) -> Option<bool> {
    REQUIREMENTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, ok)| *ok)
}

/// The requirements of one repository and where its store is.
#[derive(Clone, Debug, Default)]
pub struct Requirements {
    names: BTreeSet<String>,
    /// The `.hg` directory holding the store (the share source for shares).
    store_parent: PathBuf,
}

impl Requirements {
    /// Reads `dot_hg/requires`, follows `sharedpath` for shares, and adds
    /// the store's `requires` when the repository is share-safe.
    pub fn load(dot_hg: &Path) -> StoreResult<Requirements> {
        let mut names = read_requires(&dot_hg.join("requires"))?;
        let mut store_parent = dot_hg.to_path_buf();
        if names.contains("shared") || names.contains("relshared") {
            let link = dot_hg.join("sharedpath");
            let raw = std::fs::read(&link).map_err(|e| StoreError::io(&link, e))?;
            let text = String::from_utf8_lossy(&raw);
            let target = PathBuf::from(text.trim_end_matches(['\n', '\r']));
            store_parent = if target.is_absolute() {
                target
            } else {
                dot_hg.join(target)
            };
            if !store_parent.is_dir() {
                return Err(StoreError::Corrupt {
                    path: link,
                    message: format!(
                        ".hg/sharedpath points to nonexistent directory {}",
                        store_parent.display()
                    ),
                });
            }
        }
        if names.contains("share-safe") {
            names.extend(read_requires(&store_parent.join("store").join("requires"))?);
        }
        Ok(Requirements {
            names,
            store_parent,
        })
    }

    /// True if the repository has requirement `name`.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// All requirement names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Refuses requirements hg does not know (hg's message) and those qs
    /// cannot read yet.
    pub fn check_supported(&self) -> StoreResult<()> {
        for name in &self.names {
            if name.is_empty() || !name.as_bytes()[0].is_ascii_alphanumeric() {
                return Err(StoreError::Corrupt {
                    path: PathBuf::from(".hg/requires"),
                    message: ".hg/requires file is corrupt".to_string(),
                });
            }
        }
        let unknown: Vec<String> = self
            .names
            .iter()
            .filter(|n| lookup(n).is_none())
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(StoreError::UnknownRequirements { names: unknown });
        }
        let unsupported: Vec<String> = self
            .names
            .iter()
            .filter(|n| lookup(n) == Some(false))
            .cloned()
            .collect();
        if !unsupported.is_empty() {
            return Err(StoreError::UnsupportedRequirements { names: unsupported });
        }
        Ok(())
    }

    /// The store directory: `.hg/store` (of the share source for shares),
    /// or `.hg` itself for repositories without the `store` requirement.
    pub fn store_path(&self) -> PathBuf {
        if self.has("store") {
            self.store_parent.join("store")
        } else {
            self.store_parent.clone()
        }
    }

    /// The `.hg` directory that holds the store (share source for shares).
    pub fn store_parent(&self) -> &Path {
        &self.store_parent
    }

    /// How filelog paths are encoded in this store.
    pub fn path_encoding(&self) -> crate::path_encoding::Encoding {
        use crate::path_encoding::Encoding;
        if !self.has("store") {
            Encoding::Plain
        } else if !self.has("fncache") {
            Encoding::Store
        } else if self.has("dotencode") {
            Encoding::FncacheDotencode
        } else {
            Encoding::Fncache
        }
    }

    /// The path, relative to the store, of the index of `path`'s filelog.
    pub fn filelog_index_path(&self, path: &[u8]) -> PathBuf {
        let mut logical = b"data/".to_vec();
        logical.extend_from_slice(path);
        logical.extend_from_slice(b".i");
        let encoded = crate::path_encoding::encode(&logical, self.path_encoding());
        bytes_to_path(&encoded)
    }
}

fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// Reads one `requires` file; a missing file means no requirements.
fn read_requires(path: &Path) -> StoreResult<BTreeSet<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes)
            .split('\n')
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_with(requires: &str, store_requires: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let dot_hg = dir.path().join(".hg");
        std::fs::create_dir_all(dot_hg.join("store")).expect("mkdir");
        std::fs::write(dot_hg.join("requires"), requires).expect("write");
        if let Some(s) = store_requires {
            std::fs::write(dot_hg.join("store/requires"), s).expect("write");
        }
        dir
    }

    #[test]
    fn share_safe_reads_store_requires() {
        let dir = repo_with(
            "share-safe\n",
            Some("store\nfncache\ndotencode\nrevlogv1\n"),
        );
        let reqs = Requirements::load(&dir.path().join(".hg")).expect("loads");
        assert!(reqs.has("fncache"));
        reqs.check_supported().expect("supported");
        assert_eq!(reqs.store_path(), dir.path().join(".hg/store"));
        assert_eq!(
            reqs.filelog_index_path(b"A.txt"),
            PathBuf::from("data/_a.txt.i")
        );
    }

    #[test]
    fn unknown_requirements_use_hg_words() {
        let dir = repo_with("zzz\nrevlogv1\naaa\n", None);
        let err = Requirements::load(&dir.path().join(".hg"))
            .expect("loads")
            .check_supported()
            .expect_err("refused");
        assert_eq!(
            err.to_string(),
            "repository requires features unknown to this Mercurial: aaa zzz"
        );
    }
}
