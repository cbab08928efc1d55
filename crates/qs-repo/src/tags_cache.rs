//! hg's global-tags cache, `.hg/cache/tags2-visible`: the `.hgtags` of all
//! heads already merged. Its first line keys it by the tip it was computed
//! for (`REV NODE [FILTERHASH]`); each further line is `NODE NAME`, a tag's
//! history oldest first with its current value last. We use it only when
//! its key matches the current tip and no revisions are filtered.
//!
//! Also hg's `.hg/cache/hgtagsfnodes1`: per changeset revision a 24-byte
//! record, the first 4 bytes of the changeset's node then the node of its
//! `.hgtags` file revision (null when it has none); all-`0xff` records are
//! not filled in yet. It spares reading a head's manifest.

use std::path::Path;

use qs_store::{Node, Revision};

/// Current (name, node) pairs from a valid cache, in file order; `None`
/// when the cache is missing, stale or unreadable (callers recompute).
pub fn read_valid(dot_hg: &Path, tip: Revision, tip_node: &Node) -> Option<Vec<(Vec<u8>, Node)>> {
    let bytes = std::fs::read(dot_hg.join("cache/tags2-visible")).ok()?;
    let mut lines = bytes.split(|&b| b == b'\n');
    let header = lines.next()?;
    let fields: Vec<&[u8]> = header.split(|&b| b == b' ').collect();
    if fields.len() != 2 {
        return None;
    }
    let rev: i32 = std::str::from_utf8(fields[0]).ok()?.parse().ok()?;
    let node = Node::from_hex(fields[1])?;
    if rev != tip.0 || node != *tip_node {
        return None;
    }
    let mut current: Vec<(Vec<u8>, Node)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let (hex, name) = (line.get(..40)?, line.get(41..)?);
        if line.get(40) != Some(&b' ') {
            return None;
        }
        let node = Node::from_hex(hex)?;
        match current.iter_mut().find(|(n, _)| n.as_slice() == name) {
            Some(entry) => entry.1 = node,
            None => current.push((name.to_vec(), node)),
        }
    }
    Some(current)
}

/// The `.hgtags` file node recorded for changeset `rev` (whose node is
/// `node`) in `hgtagsfnodes1`: `Some(None)` when it has no `.hgtags`,
/// `None` when the cache has no valid record for it.
pub fn hgtags_fnode(dot_hg: &Path, rev: Revision, node: &Node) -> Option<Option<Node>> {
    use std::os::unix::fs::FileExt;
    const RECORD: u64 = 24;
    let index = u64::try_from(rev.0).ok()?;
    let file = std::fs::File::open(dot_hg.join("cache/hgtagsfnodes1")).ok()?;
    let mut record = [0u8; RECORD as usize];
    file.read_exact_at(&mut record, index * RECORD).ok()?;
    if record[..4] != node.as_bytes()[..4] {
        return None;
    }
    let fnode = Node::from_bytes(&record[4..])?;
    Some((!fnode.is_null()).then_some(fnode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_current_values_and_checks_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("cache")).expect("mkdir");
        let tip = Node([0xab; 20]);
        let a = Node([1; 20]);
        let b = Node([2; 20]);
        let text = format!(
            "3 {}\n{} v1\n{} v1\n{} gone\n0000000000000000000000000000000000000000 gone\n",
            tip.hex(),
            a.hex(),
            b.hex(),
            a.hex()
        );
        std::fs::write(dir.path().join("cache/tags2-visible"), text).expect("write");
        let tags = read_valid(dir.path(), Revision(3), &tip).expect("valid");
        assert_eq!(
            tags,
            vec![(b"v1".to_vec(), b), (b"gone".to_vec(), qs_store::NULL_NODE)]
        );
        assert!(read_valid(dir.path(), Revision(4), &tip).is_none());
    }
}
