//! The in-memory dirstate: parents, entries and copy sources, with the
//! operations commands use to change it (hg's `dirstatemap`).

use qs_store::Node;

use crate::entry::Entry;
use crate::ordered::OrderedMap;
use crate::timestamp::TruncatedTimestamp;

/// The whole dirstate, independent of its on-disk format.
#[derive(Debug, Clone, Default)]
pub struct DirstateMap {
    /// Working directory parents (p2 is null outside a merge).
    pub parents: (Node, Node),
    entries: OrderedMap<Entry>,
    copies: OrderedMap<Vec<u8>>,
}

impl DirstateMap {
    /// An empty dirstate with these parents.
    pub fn new(parents: (Node, Node)) -> Self {
        DirstateMap {
            parents,
            ..DirstateMap::default()
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for `path`.
    pub fn get(&self, path: &[u8]) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// True if `path` has an entry.
    pub fn contains(&self, path: &[u8]) -> bool {
        self.entries.contains_key(path)
    }

    /// Entries in hg's dict order (the order v1 writes them).
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Entry)> {
        self.entries.iter()
    }

    /// Copy sources in hg's dict order: `(destination, source)`.
    pub fn copies(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.copies.iter().map(|(k, v)| (k, v.as_slice()))
    }

    /// Number of copy records.
    pub fn copies_len(&self) -> usize {
        self.copies.len()
    }

    /// The copy source of `path`.
    pub fn copy_source(&self, path: &[u8]) -> Option<&[u8]> {
        self.copies.get(path).map(Vec::as_slice)
    }

    /// Sets an entry outright (used by parsers); an entry tracked nowhere
    /// removes the path instead.
    pub fn insert(&mut self, path: Vec<u8>, entry: Entry) {
        if entry.any_tracked() {
            self.entries.insert(path, entry);
        } else {
            self.drop_entry(&path);
        }
    }

    /// Records `source` as the copy source of `path` (`None` forgets it).
    pub fn set_copy_source(&mut self, path: Vec<u8>, source: Option<Vec<u8>>) {
        match source {
            Some(s) => self.copies.insert(path, s),
            None => {
                self.copies.remove(&path);
            }
        }
    }

    /// Removes any entry and copy record for `path`.
    pub fn drop_entry(&mut self, path: &[u8]) {
        self.entries.remove(path);
        self.copies.remove(path);
    }

    /// `hg add`: returns true if the file was not tracked before.
    pub fn set_tracked(&mut self, path: &[u8]) -> bool {
        match self.entries.get_mut(path) {
            None => {
                self.entries.insert(path.to_vec(), Entry::new_added());
                true
            }
            Some(e) if !e.wc_tracked => {
                e.set_tracked();
                true
            }
            Some(e) => {
                e.set_possibly_dirty();
                false
            }
        }
    }

    /// `hg rm`/`forget`: returns false if there was no entry.
    pub fn set_untracked(&mut self, path: &[u8]) -> bool {
        let Some(e) = self.entries.get_mut(path) else {
            return false;
        };
        let keep_copy = e.p2_info;
        e.set_untracked();
        let gone = !e.any_tracked();
        if !keep_copy {
            self.copies.remove(path);
        }
        if gone {
            self.entries.remove(path);
        }
        true
    }

    /// Records a clean observation (size is truncated to 31 bits as hg
    /// does) and forgets the copy source. No-op without an entry.
    pub fn set_clean(&mut self, path: &[u8], mode: i32, size: i64, mtime: TruncatedTimestamp) {
        let Some(e) = self.entries.get_mut(path) else {
            return;
        };
        e.set_clean(mode, (size & crate::timestamp::RANGE_MASK) as i32, mtime);
        self.copies.remove(path);
    }

    /// Forgets the cached mtime of `path`.
    pub fn set_possibly_dirty(&mut self, path: &[u8]) {
        if let Some(e) = self.entries.get_mut(path) {
            e.set_possibly_dirty();
        }
    }

    /// Replaces the entry of `path` after an update or merge (hg's
    /// `reset_state`); copy information is dropped.
    pub fn reset_state(&mut self, path: &[u8], entry: Entry) {
        self.copies.remove(path);
        if entry.any_tracked() {
            self.entries.insert(path.to_vec(), entry);
        } else {
            self.entries.remove(path);
        }
    }

    /// Sets the parents; with `fold_p2` (leaving a merge) drops merge
    /// data and returns the copies of the files that had p2 information.
    pub fn set_parents(&mut self, p1: Node, p2: Node, fold_p2: bool) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.parents = (p1, p2);
        let mut copies = Vec::new();
        if fold_p2 {
            let mut merged = Vec::new();
            for (path, e) in self.entries.values_mut() {
                if e.p2_info {
                    merged.push(path.to_vec());
                    e.drop_merge_data();
                }
            }
            for path in merged {
                if let Some(source) = self.copies.remove(&path) {
                    copies.push((path, source));
                }
            }
        }
        copies
    }
}
