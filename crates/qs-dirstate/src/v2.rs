//! dirstate-v2 (`helptext/internals/dirstate-v2.txt`): the docket
//! `.hg/dirstate` (marker, parents, tree metadata, used data size, data
//! file id) and the data file `.hg/dirstate.<id>`, a tree of 44-byte nodes
//! whose sibling runs are sorted by path. Parsing and writing of the tree
//! live in [`crate::v2_tree`].

use qs_store::node::NODE_BYTES;
use qs_store::{Node, NULL_NODE};

use crate::error::{DirstateError, DirstateResult};

/// The docket's first bytes.
pub const V2_MARKER: &[u8; 12] = b"dirstate-v2\n";
/// Size of the tree metadata block.
pub const TREE_METADATA_SIZE: usize = 44;
/// Size of one node in the data file.
pub const NODE_SIZE: usize = 44;
/// Offset of the tree metadata in the docket.
const META_OFFSET: usize = 12 + 32 + 32;
/// Size of the docket before the uuid.
const DOCKET_HEADER: usize = META_OFFSET + TREE_METADATA_SIZE + 4 + 1;

pub(crate) fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

pub(crate) fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

/// The tree metadata (the root of the node tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TreeMetadata {
    /// Offset of the root nodes in the data file.
    pub root_nodes_start: u32,
    /// Number of root nodes.
    pub root_nodes_count: u32,
    /// Nodes that have an entry (the v1 entry count).
    pub nodes_with_entry: u32,
    /// Nodes that have a copy source.
    pub nodes_with_copy_source: u32,
    /// Estimated unreachable bytes in the used part of the data file.
    pub unreachable_bytes: u32,
    /// Reserved bytes (reset to zero when writing).
    pub unused: [u8; 4],
    /// SHA-1 of the ignore patterns, or zeros.
    pub ignore_patterns_hash: [u8; 20],
}

impl TreeMetadata {
    /// Parses the 44-byte block.
    pub fn parse(bytes: &[u8]) -> DirstateResult<Self> {
        let short = || DirstateError::corrupt("short dirstate-v2 tree metadata");
        let field = |i: usize| be_u32(bytes, 4 * i).ok_or_else(short);
        let mut unused = [0u8; 4];
        unused.copy_from_slice(bytes.get(20..24).ok_or_else(short)?);
        let mut ignore_patterns_hash = [0u8; 20];
        ignore_patterns_hash.copy_from_slice(bytes.get(24..44).ok_or_else(short)?);
        Ok(TreeMetadata {
            root_nodes_start: field(0)?,
            root_nodes_count: field(1)?,
            nodes_with_entry: field(2)?,
            nodes_with_copy_source: field(3)?,
            unreachable_bytes: field(4)?,
            unused,
            ignore_patterns_hash,
        })
    }

    /// The 44 bytes.
    pub fn serialize(&self) -> [u8; TREE_METADATA_SIZE] {
        let mut out = [0u8; TREE_METADATA_SIZE];
        let fields = [
            self.root_nodes_start,
            self.root_nodes_count,
            self.nodes_with_entry,
            self.nodes_with_copy_source,
            self.unreachable_bytes,
        ];
        for (i, f) in fields.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&f.to_be_bytes());
        }
        out[20..24].copy_from_slice(&self.unused);
        out[24..44].copy_from_slice(&self.ignore_patterns_hash);
        out
    }
}

/// The docket file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Docket {
    /// Working directory parents.
    pub parents: (Node, Node),
    /// Root of the node tree.
    pub tree_metadata: TreeMetadata,
    /// Used size of the data file.
    pub data_size: u32,
    /// Data file id (`None` for an empty docket: no data file yet).
    pub uuid: Option<Vec<u8>>,
}

impl Docket {
    /// True if `bytes` start like a v2 docket.
    pub fn is_v2(bytes: &[u8]) -> bool {
        bytes.starts_with(V2_MARKER)
    }

    /// Parses a docket; an empty file is an empty dirstate.
    pub fn parse(bytes: &[u8]) -> DirstateResult<Self> {
        if bytes.is_empty() {
            return Ok(Docket {
                parents: (NULL_NODE, NULL_NODE),
                tree_metadata: TreeMetadata::default(),
                data_size: 0,
                uuid: None,
            });
        }
        if bytes.len() < DOCKET_HEADER {
            return Err(DirstateError::corrupt("dirstate-v2 docket too short"));
        }
        if !Docket::is_v2(bytes) {
            return Err(DirstateError::corrupt("expected dirstate-v2 marker"));
        }
        let node = |at: usize| bytes.get(at..at + NODE_BYTES).and_then(Node::from_bytes);
        let (Some(p1), Some(p2)) = (node(12), node(44)) else {
            return Err(DirstateError::corrupt("dirstate-v2 docket too short"));
        };
        let tree_metadata =
            TreeMetadata::parse(&bytes[META_OFFSET..META_OFFSET + TREE_METADATA_SIZE])?;
        let short = || DirstateError::corrupt("dirstate-v2 docket too short");
        let data_size = be_u32(bytes, META_OFFSET + TREE_METADATA_SIZE).ok_or_else(short)?;
        let uuid_len = usize::from(*bytes.get(DOCKET_HEADER - 1).ok_or_else(short)?);
        let uuid = bytes
            .get(DOCKET_HEADER..DOCKET_HEADER + uuid_len)
            .ok_or_else(|| DirstateError::corrupt("dirstate-v2 docket uuid truncated"))?;
        Ok(Docket {
            parents: (p1, p2),
            tree_metadata,
            data_size,
            uuid: Some(uuid.to_vec()),
        })
    }

    /// The docket bytes.
    pub fn serialize(&self) -> DirstateResult<Vec<u8>> {
        let uuid = self.uuid.as_deref().unwrap_or(b"");
        let uuid_len = u8::try_from(uuid.len())
            .map_err(|_| DirstateError::Unrepresentable("dirstate-v2 uuid too long".into()))?;
        let mut out = Vec::with_capacity(DOCKET_HEADER + uuid.len());
        out.extend_from_slice(V2_MARKER);
        for p in [&self.parents.0, &self.parents.1] {
            out.extend_from_slice(p.as_bytes());
            out.extend_from_slice(&[0u8; 32 - NODE_BYTES]);
        }
        out.extend_from_slice(&self.tree_metadata.serialize());
        out.extend_from_slice(&self.data_size.to_be_bytes());
        out.push(uuid_len);
        out.extend_from_slice(uuid);
        Ok(out)
    }

    /// The data file's name inside `.hg/` (`dirstate.<uuid>`).
    pub fn data_filename(&self) -> Option<String> {
        self.uuid
            .as_ref()
            .map(|u| format!("dirstate.{}", String::from_utf8_lossy(u)))
    }
}

/// A fresh random data file id: 8 lowercase hex digits, never all zeros
/// (hg's format). Randomness comes from the standard library's hasher
/// keys, the clock and a counter.
pub fn new_uuid() -> Vec<u8> {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        let n = (h.finish() & 0xFFFF_FFFF) as u32;
        if n != 0 {
            return format!("{n:08x}").into_bytes();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docket_round_trips() {
        let d = Docket {
            parents: (Node([7; 20]), NULL_NODE),
            tree_metadata: TreeMetadata {
                root_nodes_start: 10,
                root_nodes_count: 2,
                nodes_with_entry: 3,
                nodes_with_copy_source: 1,
                unreachable_bytes: 0,
                unused: [0; 4],
                ignore_patterns_hash: [0; 20],
            },
            data_size: 99,
            uuid: Some(b"0123abcd".to_vec()),
        };
        let bytes = d.serialize().expect("serialize");
        assert_eq!(bytes.len(), 125 + 8);
        assert_eq!(Docket::parse(&bytes).expect("parse"), d);
        assert!(Docket::parse(&bytes[..100]).is_err());
    }

    #[test]
    fn uuids_are_8_hex_digits_and_differ() {
        let a = new_uuid();
        let b = new_uuid();
        assert_eq!(a.len(), 8);
        assert!(a.iter().all(u8::is_ascii_hexdigit));
        assert_ne!(a, b);
    }
}
