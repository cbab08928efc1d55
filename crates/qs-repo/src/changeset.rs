//! `Changeset`: an owned, parsed changelog entry with its revision and node,
//! as commands and templates use it.

use std::collections::BTreeMap;

use qs_store::changelog::ChangelogEntry;
use qs_store::{Node, Revision, NULL_NODE, NULL_REVISION};

use crate::dates::HgDate;

/// One changeset's metadata.
#[derive(Clone, Debug)]
pub struct Changeset {
    pub rev: Revision,
    pub node: Node,
    pub manifest: Node,
    pub user: Vec<u8>,
    pub date: HgDate,
    /// Extra fields, including `branch` (always present, default `default`).
    pub extra: BTreeMap<Vec<u8>, Vec<u8>>,
    pub files: Vec<Vec<u8>>,
    pub description: Vec<u8>,
}

impl Changeset {
    /// The null changeset (revision -1).
    pub fn null() -> Changeset {
        let mut extra = BTreeMap::new();
        extra.insert(b"branch".to_vec(), b"default".to_vec());
        Changeset {
            rev: NULL_REVISION,
            node: NULL_NODE,
            manifest: NULL_NODE,
            user: Vec::new(),
            date: HgDate::default(),
            extra,
            files: Vec::new(),
            description: Vec::new(),
        }
    }

    pub(crate) fn from_entry(rev: Revision, node: Node, entry: &ChangelogEntry<'_>) -> Changeset {
        let mut extra: BTreeMap<Vec<u8>, Vec<u8>> = entry
            .extra()
            .into_iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect();
        extra
            .entry(b"branch".to_vec())
            .or_insert_with(|| b"default".to_vec());
        Changeset {
            rev,
            node,
            manifest: entry.manifest_node,
            user: entry.user.to_vec(),
            date: HgDate {
                seconds: entry.time,
                offset: entry.timezone,
            },
            extra,
            files: entry.files().map(|f| f.to_vec()).collect(),
            description: entry.description.to_vec(),
        }
    }

    /// The named branch.
    pub fn branch(&self) -> &[u8] {
        self.extra
            .get(b"branch".as_slice())
            .map(Vec::as_slice)
            .unwrap_or(b"default")
    }

    /// True if this changeset closes its branch.
    pub fn is_close(&self) -> bool {
        self.extra.contains_key(b"close".as_slice())
    }

    /// The first line of the description, as `summary:` shows it.
    pub fn summary(&self) -> &[u8] {
        let trimmed = self.description_trimmed();
        match trimmed.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => &trimmed[..i],
            None => trimmed,
        }
    }

    /// The description without leading and trailing whitespace, as
    /// `description:` shows it.
    pub fn description_trimmed(&self) -> &[u8] {
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        let d = self.description.as_slice();
        let start = d.iter().position(|b| !is_space(b)).unwrap_or(d.len());
        let end = d
            .iter()
            .rposition(|b| !is_space(b))
            .map_or(start, |i| i + 1);
        &d[start..end.max(start)]
    }
}
