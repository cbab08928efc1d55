//! hg's merge state (`.hg/merge/`): which files a merge left to resolve,
//! with the file revisions involved, written in hg's two formats (`state`,
//! the first version, and `state2`, typed length-prefixed records) so
//! that `hg resolve` reads what qs wrote and the other way round; the
//! local version of each merged file is kept as `merge/<sha1 of path>`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qs_store::{Node, StoreError};
use sha1::{Digest, Sha1};

use crate::error::{RepoError, RepoResult};

/// hex of the null node (a side absent in a change/delete conflict).
pub const NULL_HEX: &[u8] = b"0000000000000000000000000000000000000000";

/// Unresolved / resolved file states.
pub const UNRESOLVED: &[u8] = b"u";
pub const RESOLVED: &[u8] = b"r";

/// One file's record: `[state, localkey, local path, ancestor path,
/// ancestor node, other path, other node, local flags]` for files, or
/// `[state, renamed to, origin]` for path conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// `F`, `C` (change/delete) or `P` (path conflict).
    pub kind: u8,
    pub values: Vec<Vec<u8>>,
}

impl FileRecord {
    /// `u`, `r`, `pu` or `pr`.
    pub fn state(&self) -> &[u8] {
        self.values.first().map_or(b"", Vec::as_slice)
    }

    pub fn is_unresolved(&self) -> bool {
        matches!(self.state(), b"u" | b"pu")
    }

    fn value(&self, i: usize) -> &[u8] {
        self.values.get(i).map_or(b"", Vec::as_slice)
    }

    pub fn local_key(&self) -> &[u8] {
        self.value(1)
    }
    pub fn local_path(&self) -> &[u8] {
        self.value(2)
    }
    pub fn ancestor_path(&self) -> &[u8] {
        self.value(3)
    }
    pub fn ancestor_node(&self) -> &[u8] {
        self.value(4)
    }
    pub fn other_path(&self) -> &[u8] {
        self.value(5)
    }
    pub fn other_node(&self) -> &[u8] {
        self.value(6)
    }
    pub fn flags(&self) -> &[u8] {
        self.value(7)
    }
}

/// Extras of one file, keys in insertion order.
pub type Extras = Vec<(Vec<u8>, Vec<u8>)>;

/// The merge state.
#[derive(Debug, Clone, Default)]
pub struct MergeState {
    /// The working directory's parent when the merge started (`None`:
    /// no merge state on disk).
    pub local: Option<Node>,
    pub other: Option<Node>,
    /// File records in hg's (insertion) order.
    pub files: Vec<(Vec<u8>, FileRecord)>,
    /// Per-file extras (`ancestorlinknode`, `merged`, `filenode-source`,
    /// `merge-removal-candidate`), keys in insertion order.
    pub extras: BTreeMap<Vec<u8>, Extras>,
    /// Conflict labels (`working copy`, `merge rev`, ...).
    pub labels: Option<Vec<Vec<u8>>>,
}

fn dir(dot_hg: &Path) -> PathBuf {
    dot_hg.join("merge")
}

fn io(path: &Path, e: std::io::Error) -> RepoError {
    RepoError::Store(StoreError::io(path, e))
}

/// hg's backup key of a local file: the hex SHA-1 of its path.
pub fn local_key(path: &[u8]) -> Vec<u8> {
    let digest = Sha1::digest(path);
    let mut out = Vec::with_capacity(40);
    for b in digest {
        out.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    out
}

impl MergeState {
    /// True when a merge state exists (hg's `active`).
    pub fn active(&self) -> bool {
        self.local.is_some() || !self.files.is_empty()
    }

    /// The record of `path`.
    pub fn get(&self, path: &[u8]) -> Option<&FileRecord> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, r)| r)
    }

    fn get_mut(&mut self, path: &[u8]) -> Option<&mut FileRecord> {
        self.files
            .iter_mut()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r)
    }

    /// Sets the state (`u`, `r`) of a file's record.
    pub fn mark(&mut self, path: &[u8], state: &[u8]) {
        if let Some(r) = self.get_mut(path) {
            if let Some(first) = r.values.first_mut() {
                *first = state.to_vec();
            }
        }
    }

    /// Drops a file's record (a merge that turned out trivial).
    pub fn remove(&mut self, path: &[u8]) {
        self.files.retain(|(p, _)| p != path);
    }

    /// Adds or replaces a record.
    pub fn add(&mut self, path: Vec<u8>, record: FileRecord) {
        match self.get_mut(&path) {
            Some(r) => *r = record,
            None => self.files.push((path, record)),
        }
    }

    /// Adds an extra for a file (a key keeps its first position).
    pub fn add_extra(&mut self, path: &[u8], key: &[u8], value: &[u8]) {
        let list = self.extras.entry(path.to_vec()).or_default();
        match list.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value.to_vec(),
            None => list.push((key.to_vec(), value.to_vec())),
        }
    }

    /// An extra of a file.
    pub fn extra(&self, path: &[u8], key: &[u8]) -> Option<&[u8]> {
        self.extras
            .get(path)?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    /// Files still unresolved, sorted.
    pub fn unresolved(&self) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = self
            .files
            .iter()
            .filter(|(_, r)| r.is_unresolved())
            .map(|(p, _)| p.clone())
            .collect();
        out.sort();
        out
    }

    /// Reads `.hg/merge/state2` (an empty state when there is none).
    pub fn read(dot_hg: &Path) -> RepoResult<MergeState> {
        let path = dir(dot_hg).join("state2");
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if dir(dot_hg).join("state").exists() {
                    return Err(RepoError::WithHint {
                        message: "a merge state without 'state2' is not supported by qs yet".into(),
                        hint: "use Mercurial's 'hg' for this command line".into(),
                    });
                }
                return Ok(MergeState::default());
            }
            Err(e) => return Err(io(&path, e)),
        };
        MergeState::parse(&data)
    }

    /// A merge state from the bytes of a `state2` file (hg's records:
    /// a type byte, a big-endian length, the data).
    pub fn parse(data: &[u8]) -> RepoResult<MergeState> {
        let mut ms = MergeState::default();
        let mut off = 0;
        let mut unsupported: Vec<u8> = Vec::new();
        while off < data.len() {
            let Some(header) = data.get(off..off + 5) else {
                break;
            };
            let mut kind = header[0];
            let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
            off += 5;
            let mut record = data
                .get(off..off + len)
                .unwrap_or(&data[off.min(data.len())..]);
            off += len;
            if kind == b't' && !record.is_empty() {
                kind = record[0];
                record = &record[1..];
            }
            match kind {
                b'L' => ms.local = Node::from_hex(record),
                b'O' => ms.other = Node::from_hex(record),
                b'F' | b'C' | b'P' => {
                    let mut bits = record.split(|&b| b == 0).map(<[u8]>::to_vec);
                    let name = bits.next().unwrap_or_default();
                    let values: Vec<Vec<u8>> = bits.collect();
                    if values.first().map(Vec::as_slice) == Some(b"o") {
                        ms.add_extra(&name, b"filenode-source", b"other");
                    } else {
                        ms.add(name, FileRecord { kind, values });
                    }
                }
                b'f' => {
                    let mut parts = record.split(|&b| b == 0);
                    let name = parts.next().unwrap_or_default().to_vec();
                    let rest: Vec<&[u8]> = parts.collect();
                    let list = ms.extras.entry(name).or_default();
                    list.clear();
                    for pair in rest.chunks(2) {
                        if let [k, v] = pair {
                            list.push((k.to_vec(), v.to_vec()));
                        }
                    }
                }
                b'l' => {
                    let labels = record
                        .splitn(3, |&b| b == 0)
                        .filter(|l| !l.is_empty())
                        .map(<[u8]>::to_vec)
                        .collect();
                    ms.labels = Some(labels);
                }
                k if k.is_ascii_lowercase() => {}
                k => unsupported.push(k),
            }
        }
        if !unsupported.is_empty() {
            unsupported.sort_unstable();
            unsupported.dedup();
            let list: Vec<String> = unsupported
                .iter()
                .map(|&b| (b as char).to_string())
                .collect();
            return Err(RepoError::WithHint {
                message: format!("unsupported merge state records: {}", list.join(", ")),
                hint: "see https://mercurial-scm.org/wiki/MergeStateRecords for more information"
                    .into(),
            });
        }
        Ok(ms)
    }

    /// The records hg writes, in its order.
    fn records(&self) -> Vec<(u8, Vec<u8>)> {
        let mut out = Vec::new();
        let hex = |n: &Option<Node>| n.map_or_else(Vec::new, |n| n.hex().into_bytes());
        out.push((b'L', hex(&self.local)));
        out.push((b'O', hex(&self.other)));
        for (name, r) in &self.files {
            let mut parts = vec![name.clone()];
            parts.extend(r.values.iter().cloned());
            out.push((r.kind, parts.join(&0u8)));
        }
        for (name, extras) in &self.extras {
            let mut data = name.clone();
            data.push(0);
            let pairs: Vec<Vec<u8>> = extras
                .iter()
                .map(|(k, v)| [k.as_slice(), b"\0", v.as_slice()].concat())
                .collect();
            data.extend_from_slice(&pairs.join(&0u8));
            out.push((b'f', data));
        }
        if let Some(labels) = &self.labels {
            out.push((b'l', labels.join(&0u8)));
        }
        out
    }

    /// Writes `state` and `state2`.
    pub fn write(&self, dot_hg: &Path) -> RepoResult<()> {
        let d = dir(dot_hg);
        std::fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
        let records = self.records();
        let mut v1 = self.local.map_or_else(Vec::new, |n| n.hex().into_bytes());
        v1.push(b'\n');
        for (kind, data) in &records {
            if *kind == b'F' {
                // Version 1 lacks the other file node (the second last field).
                let mut bits: Vec<&[u8]> = data.split(|&b| b == 0).collect();
                if bits.len() >= 2 {
                    bits.remove(bits.len() - 2);
                }
                v1.extend_from_slice(&bits.join(&0u8));
                v1.push(b'\n');
            }
        }
        let mut v2 = Vec::new();
        for (kind, data) in &records {
            let (k, d): (u8, Vec<u8>) = if matches!(kind, b'L' | b'O' | b'F') {
                (*kind, data.clone())
            } else {
                (b't', [&[*kind][..], data].concat())
            };
            v2.push(k);
            v2.extend_from_slice(&(d.len() as u32).to_be_bytes());
            v2.extend_from_slice(&d);
        }
        let p1 = d.join("state");
        std::fs::write(&p1, v1).map_err(|e| io(&p1, e))?;
        let p2 = d.join("state2");
        std::fs::write(&p2, v2).map_err(|e| io(&p2, e))
    }

    /// Removes `.hg/merge` (hg's `reset`).
    pub fn clear(dot_hg: &Path) -> RepoResult<()> {
        let d = dir(dot_hg);
        match std::fs::remove_dir_all(&d) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(&d, e)),
        }
    }

    /// Saves the local version of a merged file.
    pub fn save_backup(dot_hg: &Path, key: &[u8], data: &[u8]) -> RepoResult<()> {
        let d = dir(dot_hg);
        std::fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
        let p = d.join(String::from_utf8_lossy(key).as_ref());
        std::fs::write(&p, data).map_err(|e| io(&p, e))
    }

    /// The saved local version of a merged file.
    pub fn backup(dot_hg: &Path, key: &[u8]) -> RepoResult<Vec<u8>> {
        let p = dir(dot_hg).join(String::from_utf8_lossy(key).as_ref());
        std::fs::read(&p).map_err(|e| io(&p, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn random_state_files_never_panic(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = MergeState::parse(&data);
        }

        #[test]
        fn random_records_never_panic(records in proptest::collection::vec(
            (prop::sample::select(b"LOFCPfltXxu".to_vec()),
             proptest::collection::vec(prop::sample::select(b"ab\0o0f".to_vec()), 0..40)),
            0..8,
        )) {
            let mut data = Vec::new();
            for (kind, body) in records {
                data.push(kind);
                data.extend_from_slice(&(body.len() as u32).to_be_bytes());
                data.extend_from_slice(&body);
            }
            let _ = MergeState::parse(&data);
        }
    }

    #[test]
    fn state_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ms = MergeState {
            local: Some(qs_store::NULL_NODE),
            other: Some(qs_store::NULL_NODE),
            labels: Some(vec![b"working copy".to_vec(), b"merge rev".to_vec()]),
            ..MergeState::default()
        };
        ms.add(
            b"a".to_vec(),
            FileRecord {
                kind: b'F',
                values: vec![b"u".to_vec(), local_key(b"a"), b"a".to_vec()],
            },
        );
        ms.add_extra(b"a", b"merged", b"yes");
        ms.write(dir.path()).expect("write");
        let back = MergeState::read(dir.path()).expect("read");
        assert_eq!(back.files, ms.files);
        assert_eq!(back.extra(b"a", b"merged"), Some(&b"yes"[..]));
        assert_eq!(back.labels, ms.labels);
        assert_eq!(back.unresolved(), vec![b"a".to_vec()]);
    }
}
