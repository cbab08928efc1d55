//! hg's persistent cache of manifest full texts,
//! `.hg/wcache/manifestfulltextcache`: records of a 20-byte manifest node,
//! a big-endian `u32` length and that many bytes of manifest text, oldest
//! first. hg writes it when it releases the working-directory lock (after
//! a commit or an update, with the manifests it just built), so the
//! manifest of the working parent is usually there, saving the rebuild of
//! a long delta chain. Like hg, readers trust a record found under its
//! node; a truncated or unreadable file is simply a miss.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::node::{Node, NODE_BYTES};

/// The cache's file name inside `.hg/wcache`.
pub const FILE_NAME: &str = "manifestfulltextcache";

/// The cached full text of manifest `node` in the cache file at `path`,
/// if there is one. Only record headers are read until the record is found.
pub fn lookup(path: &Path, node: &Node) -> Option<Vec<u8>> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut pos = 0u64;
    let mut header = [0u8; NODE_BYTES + 4];
    while pos + header.len() as u64 <= len {
        file.read_exact(&mut header).ok()?;
        let size = u32::from_be_bytes([header[20], header[21], header[22], header[23]]);
        let start = pos + header.len() as u64;
        let end = start.checked_add(u64::from(size))?;
        if end > len {
            return None;
        }
        if &header[..NODE_BYTES] == node.as_bytes() {
            let mut text = vec![0u8; usize::try_from(size).ok()?];
            file.read_exact(&mut text).ok()?;
            return Some(text);
        }
        file.seek(SeekFrom::Start(end)).ok()?;
        pos = end;
    }
    None
}

/// Serialises `records` (oldest first) in the cache's format.
pub fn serialize<'a>(
    records: impl IntoIterator<Item = (&'a Node, &'a [u8])>,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    for (node, text) in records {
        let size = u32::try_from(text.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "manifest too large"))?;
        out.extend_from_slice(node.as_bytes());
        out.extend_from_slice(&size.to_be_bytes());
        out.extend_from_slice(text);
    }
    Ok(out)
}

/// Reads every record of a cache file (oldest first); stops at the first
/// malformed record, as hg does.
pub fn read_all(path: &Path) -> Vec<(Node, Vec<u8>)> {
    let mut bytes = Vec::new();
    if File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .is_err()
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut rest = &bytes[..];
    while rest.len() >= NODE_BYTES + 4 {
        let Some(node) = Node::from_bytes(&rest[..NODE_BYTES]) else {
            break;
        };
        let size = u32::from_be_bytes([rest[20], rest[21], rest[22], rest[23]]) as usize;
        let Some(text) = rest.get(NODE_BYTES + 4..NODE_BYTES + 4 + size) else {
            break;
        };
        out.push((node, text.to_vec()));
        rest = &rest[NODE_BYTES + 4 + size..];
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn node(b: u8) -> Node {
        Node::from_bytes(&[b; NODE_BYTES]).unwrap()
    }

    #[test]
    fn finds_records_and_misses_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let (a, b) = (node(1), node(2));
        let bytes = serialize([(&a, &b"a\0x\n"[..]), (&b, &b"bb"[..])]).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(lookup(&path, &a).as_deref(), Some(&b"a\0x\n"[..]));
        assert_eq!(lookup(&path, &b).as_deref(), Some(&b"bb"[..]));
        assert_eq!(lookup(&path, &node(3)), None);
        assert_eq!(read_all(&path).len(), 2);
        // Truncated inside the second record: the first is still found.
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(lookup(&path, &b), None);
        assert_eq!(lookup(&path, &a).as_deref(), Some(&b"a\0x\n"[..]));
        assert_eq!(read_all(&path).len(), 1);
        // A length pointing far past the end.
        let mut bad = bytes.clone();
        bad[20..24].copy_from_slice(&u32::MAX.to_be_bytes());
        std::fs::write(&path, &bad).unwrap();
        assert_eq!(lookup(&path, &b), None);
        assert!(lookup(&dir.path().join("missing"), &a).is_none());
    }
}
