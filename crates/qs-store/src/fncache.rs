//! The fncache: `.hg/store/fncache` lists every filelog file of a store
//! that has the `fncache` requirement (`data/<path>.i`, `data/<path>.d`,
//! one per line, logical names with hg's directory escaping `encodedir`
//! applied), so that the store can be walked without decoding file names.
//!
//! New entries are collected during a transaction and written when it
//! commits: the old file is backed up in the journal, then replaced
//! atomically by the old content plus the new lines (hg appends through an
//! atomic temporary copy too). [`Fncache::add`] only queues names that are
//! not already listed.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{StoreError, StoreResult};
use crate::path_encoding::encode_dir;

/// The fncache of one store, loaded lazily.
#[derive(Debug, Default)]
pub struct Fncache {
    entries: Option<HashSet<Vec<u8>>>,
    pending: Vec<Vec<u8>>,
}

/// True for the store files the fncache lists: `data/` or `meta/` files
/// ending in `.i` or `.d` (hg's `RE_FNCACHE_FILE`).
pub fn is_listed_file(logical: &[u8]) -> bool {
    (logical.starts_with(b"data/") || logical.starts_with(b"meta/"))
        && (logical.ends_with(b".i") || logical.ends_with(b".d"))
        && !logical.contains(&b'\n')
}

/// Undoes hg's `encodedir` (`.hg.hg/` → `.hg/`, `.i.hg/` → `.i/`,
/// `.d.hg/` → `.d/`).
pub fn decode_dir(path: &[u8]) -> Vec<u8> {
    if !path.windows(4).any(|w| w == b".hg/") {
        return path.to_vec();
    }
    let mut out = Vec::with_capacity(path.len());
    let mut i = 0;
    while i < path.len() {
        let rest = &path[i..];
        if let Some(prefix) = [&b".d.hg/"[..], b".i.hg/", b".hg.hg/"]
            .into_iter()
            .find(|p| rest.starts_with(p))
        {
            out.extend_from_slice(&prefix[..prefix.len() - 4]);
            out.push(b'/');
            i += prefix.len();
        } else {
            out.push(path[i]);
            i += 1;
        }
    }
    out
}

/// Parses the content of an fncache file (hg's checks and wording).
pub fn parse(bytes: &[u8], path: &Path) -> StoreResult<HashSet<Vec<u8>>> {
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        return Err(StoreError::corrupt(
            path,
            "fncache does not ends with a newline",
        ));
    }
    let mut entries = HashSet::new();
    if let Some(body) = bytes.strip_suffix(b"\n") {
        for (n, line) in body.split(|&b| b == b'\n').enumerate() {
            if line.is_empty() {
                return Err(StoreError::corrupt(
                    path,
                    format!("invalid entry in fncache, line {}", n + 1),
                ));
            }
            entries.insert(decode_dir(line));
        }
    }
    Ok(entries)
}

impl Fncache {
    /// An fncache not read yet.
    pub fn new() -> Fncache {
        Fncache::default()
    }

    fn load(&mut self, file: &Path) -> StoreResult<&mut HashSet<Vec<u8>>> {
        if self.entries.is_none() {
            let entries = match std::fs::read(file) {
                Ok(bytes) => parse(&bytes, file)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashSet::new(),
                Err(e) => return Err(StoreError::io(file, e)),
            };
            self.entries = Some(entries);
        }
        Ok(self.entries.get_or_insert_with(HashSet::new))
    }

    /// True if `logical` is listed (on disk or queued). `file` is the real
    /// path of the fncache file.
    pub fn contains(&mut self, file: &Path, logical: &[u8]) -> StoreResult<bool> {
        if self.pending.iter().any(|p| p == logical) {
            return Ok(true);
        }
        Ok(self.load(file)?.contains(logical))
    }

    /// Queues `logical` if it is an fncache file not listed yet.
    pub fn add(&mut self, file: &Path, logical: &[u8]) -> StoreResult<()> {
        if !is_listed_file(logical) || self.contains(file, logical)? {
            return Ok(());
        }
        self.pending.push(logical.to_vec());
        Ok(())
    }

    /// True if entries are waiting to be written.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The new content of the fncache: `existing` followed by the queued
    /// entries. Clears the queue.
    pub fn take_new_content(&mut self, existing: &[u8]) -> Vec<u8> {
        let mut content = existing.to_vec();
        let pending = std::mem::take(&mut self.pending);
        for entry in &pending {
            content.extend_from_slice(&encode_dir(entry));
            content.push(b'\n');
        }
        if let Some(entries) = self.entries.as_mut() {
            entries.extend(pending);
        }
        content
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_listed_files() {
        assert!(is_listed_file(b"data/foo.txt.i"));
        assert!(is_listed_file(b"meta/dir/00manifest.d"));
        assert!(!is_listed_file(b"00changelog.i"));
        assert!(!is_listed_file(b"data/foo.txt"));
    }

    #[test]
    fn decodes_escaped_directories() {
        assert_eq!(decode_dir(b"data/x.hg.hg/y.i.hg/z.i"), b"data/x.hg/y.i/z.i");
        assert_eq!(decode_dir(b"data/plain.i"), b"data/plain.i");
    }

    #[test]
    fn parses_and_rejects_like_hg() {
        let p = Path::new("fncache");
        let set = parse(b"data/a.i\ndata/b.d\n", p).expect("valid");
        assert_eq!(set.len(), 2);
        assert!(parse(b"data/a.i", p).is_err());
        assert!(parse(b"data/a.i\n\ndata/b.i\n", p).is_err());
        assert!(parse(b"", p).expect("empty").is_empty());
    }

    #[test]
    fn appends_new_entries_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("fncache");
        std::fs::write(&file, b"data/a.i\n").expect("write");
        let mut cache = Fncache::new();
        cache.add(&file, b"data/a.i").expect("add");
        cache.add(&file, b"data/x.hg/b.i").expect("add");
        cache.add(&file, b"data/x.hg/b.i").expect("add");
        cache.add(&file, b"00manifest.i").expect("add");
        assert!(cache.has_pending());
        let content = cache.take_new_content(b"data/a.i\n");
        assert_eq!(content, b"data/a.i\ndata/x.hg.hg/b.i\n");
        assert!(!cache.has_pending());
    }
}
