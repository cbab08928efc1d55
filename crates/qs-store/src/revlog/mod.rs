//! Revlogs: the append-only, delta-compressed storage of every history in a
//! repository (changelog, manifest log, one filelog per tracked file).
//!
//! Format: `mercurial/helptext/internals/revlogs.txt`. A revlog is an index
//! (`.i`, fixed-size entries) plus data, either interleaved in the index
//! ("inline") or in a separate `.d` file. Readers take a snapshot by index
//! length, so concurrent appends are never half-seen.
//!
//! API CONTRACT (shared with qs-repo; keep signatures stable).

use std::path::Path;

use crate::error::StoreResult;
use crate::node::{Node, NodePrefix};

/// A revision number: an index into a revlog. `-1` is the null revision.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Revision(pub i32);

/// The null revision (parent of roots).
pub const NULL_REVISION: Revision = Revision(-1);
/// The virtual revision number hg gives the working directory.
pub const WORKING_REVISION: Revision = Revision(0x7fff_ffff);

impl Revision {
    /// True for the null revision.
    pub fn is_null(self) -> bool {
        self == NULL_REVISION
    }
}

impl std::fmt::Display for Revision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One parsed index entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    /// Offset of the chunk in the data file (or logical offset when inline).
    pub offset: u64,
    /// Revision flags (REVIDX_* bits).
    pub flags: u16,
    /// Length of the stored (possibly compressed) chunk.
    pub compressed_len: u32,
    /// Length of the full text.
    pub uncompressed_len: i32,
    /// Delta base (generaldelta) or chain start (legacy).
    pub base_rev: Revision,
    /// The changelog revision that introduced this revision.
    pub link_rev: Revision,
    pub p1: Revision,
    pub p2: Revision,
    pub node: Node,
}

/// Options a caller gives when opening a revlog (from the requirements).
#[derive(Clone, Copy, Debug, Default)]
pub struct RevlogOptions {
    /// Use memory maps for large index files.
    pub use_mmap: bool,
}

/// A read-only view of one revlog.
pub struct Revlog {
    _private: (),
}

impl Revlog {
    /// Opens the revlog whose index is `index_path` (`foo.i`); the data file,
    /// if any, is the same path with `.d`. A missing index is an empty revlog.
    pub fn open(index_path: &Path, options: RevlogOptions) -> StoreResult<Revlog> {
        let _ = (index_path, options);
        todo!("revlog reader")
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        todo!()
    }

    /// True if the revlog has no revision.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index entry of `rev` (error for null or out of range).
    pub fn entry(&self, rev: Revision) -> StoreResult<IndexEntry> {
        let _ = rev;
        todo!()
    }

    /// Node of `rev`; `NULL_NODE` for `NULL_REVISION`.
    pub fn node(&self, rev: Revision) -> StoreResult<Node> {
        let _ = rev;
        todo!()
    }

    /// Parents of `rev` (null parents are `NULL_REVISION`).
    pub fn parents(&self, rev: Revision) -> StoreResult<[Revision; 2]> {
        let _ = rev;
        todo!()
    }

    /// The linked changelog revision of `rev`.
    pub fn link_rev(&self, rev: Revision) -> StoreResult<Revision> {
        let _ = rev;
        todo!()
    }

    /// Revision of a full node id; `Ok(None)` if absent. Null node → null rev.
    pub fn rev_of_node(&self, node: &Node) -> StoreResult<Option<Revision>> {
        let _ = node;
        todo!()
    }

    /// Revision whose node starts with `prefix`: `Ok(None)` if none,
    /// `Err(StoreError::AmbiguousPrefix)` if several.
    pub fn rev_of_prefix(&self, prefix: &NodePrefix) -> StoreResult<Option<Revision>> {
        let _ = prefix;
        todo!()
    }

    /// Length of the shortest hex prefix (at least `min_len`) that names
    /// `node` unambiguously among this revlog's nodes, as hg's `shortest()`.
    pub fn shortest_unique_prefix(&self, node: &Node, min_len: usize) -> StoreResult<usize> {
        let _ = (node, min_len);
        todo!()
    }

    /// The full text of `rev`, rebuilt from its delta chain and checked
    /// against its node hash. Empty for the null revision.
    pub fn data(&self, rev: Revision) -> StoreResult<Vec<u8>> {
        let _ = rev;
        todo!()
    }

    /// Checks that `text` hashes (with `rev`'s parents) to `rev`'s node.
    pub fn check_hash(&self, rev: Revision, text: &[u8]) -> StoreResult<()> {
        let _ = (rev, text);
        todo!()
    }
}
