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
    let start = if bytes.starts_with(V2_MARKER) {
        V2_MARKER.len()
    } else {
        0
    };
    let parents = bytes
        .get(start..start + 40)
        .ok_or_else(|| StoreError::corrupt(&path, "dirstate too short to hold its parents"))?;
    let p1 = Node::from_bytes(&parents[..20]).unwrap_or(NULL_NODE);
    let p2 = Node::from_bytes(&parents[20..]).unwrap_or(NULL_NODE);
    Ok([p1, p2])
}
