//! The working directory's parents, read from the first bytes of
//! `.hg/dirstate` (v1: two raw nodes; v2: a marker, then two nodes).
//! The full dirstate lives in `qs-dirstate` once it exists.

use std::path::Path;

use qs_store::{Node, StoreError, NULL_NODE};

use crate::error::RepoResult;

const V2_MARKER: &[u8] = b"dirstate-v2\n";

/// Reads the two parents; a missing or empty dirstate means null parents.
pub fn read(dot_hg: &Path) -> RepoResult<[Node; 2]> {
    let path = dot_hg.join("dirstate");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok([NULL_NODE; 2]),
        Err(e) => return Err(StoreError::io(path, e).into()),
    };
    if bytes.is_empty() {
        return Ok([NULL_NODE; 2]);
    }
    // v1: two 20-byte nodes at 0 and 20; v2: 32-byte slots at 12 and 44.
    let (p1_at, p2_at) = if bytes.starts_with(V2_MARKER) {
        (V2_MARKER.len(), V2_MARKER.len() + 32)
    } else {
        (0, 20)
    };
    let node_at = |at: usize| {
        bytes
            .get(at..at + 20)
            .and_then(Node::from_bytes)
            .ok_or_else(|| StoreError::corrupt(&path, "dirstate too short to hold its parents"))
    };
    Ok([node_at(p1_at)?, node_at(p2_at)?])
}
