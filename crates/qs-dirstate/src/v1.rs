//! dirstate-v1: `.hg/dirstate` as 40 bytes of parents followed by
//! records `state:u8 mode:i32 size:i32 mtime:i32 len:i32 name[len]`
//! (big-endian), where `name` is `path` or `path\0copysource`.
//! Records are written in the map's insertion order, as hg does.

use qs_store::node::NODE_BYTES;
use qs_store::Node;

use crate::entry::{Entry, V1State};
use crate::error::{DirstateError, DirstateResult};
use crate::map::DirstateMap;

const HEADER: usize = 17;

fn be_i32(bytes: &[u8], at: usize) -> Option<i32> {
    let b = bytes.get(at..at + 4)?;
    Some(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// One raw v1 record, as on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V1Record<'a> {
    /// State letter.
    pub state: u8,
    /// Mode field.
    pub mode: i32,
    /// Size field.
    pub size: i32,
    /// Mtime field.
    pub mtime: i32,
    /// Path.
    pub path: &'a [u8],
    /// Copy source, if the name held a NUL.
    pub copy_source: Option<&'a [u8]>,
}

/// Parses the parents of a v1 file (null parents for an empty file).
pub fn parse_parents(bytes: &[u8]) -> DirstateResult<(Node, Node)> {
    if bytes.is_empty() {
        return Ok((qs_store::NULL_NODE, qs_store::NULL_NODE));
    }
    let p1 = bytes.get(..NODE_BYTES).and_then(Node::from_bytes);
    let p2 = bytes
        .get(NODE_BYTES..2 * NODE_BYTES)
        .and_then(Node::from_bytes);
    match (p1, p2) {
        (Some(p1), Some(p2)) => Ok((p1, p2)),
        _ => Err(DirstateError::corrupt("too little data for parents")),
    }
}

/// Iterates over the raw records of a v1 file (after the parents).
pub fn records(bytes: &[u8]) -> impl Iterator<Item = DirstateResult<V1Record<'_>>> {
    let mut pos = 2 * NODE_BYTES;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || pos >= bytes.len() {
            return None;
        }
        let record = (|| {
            let truncated = || DirstateError::corrupt("truncated dirstate-v1 entry");
            let state = *bytes.get(pos).ok_or_else(truncated)?;
            let field = |i: usize| be_i32(bytes, pos + 1 + 4 * i).ok_or_else(truncated);
            let (mode, size, mtime, len) = (field(0)?, field(1)?, field(2)?, field(3)?);
            let len = usize::try_from(len)
                .map_err(|_| DirstateError::corrupt("negative dirstate-v1 name length"))?;
            let start = pos + HEADER;
            let name = start
                .checked_add(len)
                .and_then(|end| bytes.get(start..end))
                .ok_or_else(truncated)?;
            pos = start + len;
            let (path, copy_source) = match name.iter().position(|&b| b == 0) {
                Some(nul) => (&name[..nul], name.get(nul + 1..)),
                None => (name, None),
            };
            Ok(V1Record {
                state,
                mode,
                size,
                mtime,
                path,
                copy_source,
            })
        })();
        failed = record.is_err();
        Some(record)
    })
}

/// Parses a whole v1 file.
pub fn parse(bytes: &[u8]) -> DirstateResult<DirstateMap> {
    let mut map = DirstateMap::new(parse_parents(bytes)?);
    for record in records(bytes) {
        let r = record?;
        let state = V1State::from_byte(r.state).ok_or_else(|| {
            DirstateError::corrupt(format!("unknown dirstate state: {}", r.state as char))
        })?;
        if let Some(source) = r.copy_source {
            map.set_copy_source(r.path.to_vec(), Some(source.to_vec()));
        }
        map.insert(
            r.path.to_vec(),
            Entry::from_v1(state, r.mode, r.size, r.mtime),
        );
    }
    Ok(map)
}

/// Serialises `map` as hg would write it.
pub fn serialize(map: &DirstateMap) -> DirstateResult<Vec<u8>> {
    let mut out = Vec::with_capacity(40 + map.len() * 40);
    out.extend_from_slice(map.parents.0.as_bytes());
    out.extend_from_slice(map.parents.1.as_bytes());
    for (path, entry) in map.iter() {
        let Some(state) = entry.v1_state() else {
            continue;
        };
        let copy = map.copy_source(path);
        let len = path.len() + copy.map_or(0, |c| c.len() + 1);
        let len = i32::try_from(len)
            .map_err(|_| DirstateError::Unrepresentable("path too long".into()))?;
        out.push(state.byte());
        out.extend_from_slice(&entry.v1_mode().to_be_bytes());
        out.extend_from_slice(&entry.v1_size().to_be_bytes());
        out.extend_from_slice(&entry.v1_mtime().to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(path);
        if let Some(c) = copy {
            out.push(0);
            out.extend_from_slice(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: u8, mode: i32, size: i32, mtime: i32, name: &[u8]) -> Vec<u8> {
        let mut v = vec![state];
        for x in [mode, size, mtime, name.len() as i32] {
            v.extend_from_slice(&x.to_be_bytes());
        }
        v.extend_from_slice(name);
        v
    }

    #[test]
    fn parses_and_rewrites_identically() {
        let mut bytes = vec![1u8; 20];
        bytes.extend_from_slice(&[0u8; 20]);
        bytes.extend(record(b'n', 0o100644, 5, 1000, b"b"));
        bytes.extend(record(b'a', 0, -1, -1, b"a\0b"));
        bytes.extend(record(b'r', 0, 0, 0, b"dir/c"));
        let map = parse(&bytes).expect("parse");
        assert_eq!(map.len(), 3);
        assert_eq!(map.copy_source(b"a"), Some(&b"b"[..]));
        assert_eq!(serialize(&map).expect("write"), bytes);
    }

    #[test]
    fn truncated_record_is_an_error() {
        let mut bytes = vec![0u8; 40];
        bytes.extend(record(b'n', 0, 0, 0, b"abc"));
        bytes.pop();
        assert!(parse(&bytes).is_err());
        assert!(parse(&bytes[..30]).is_err());
        assert!(parse(b"").expect("empty").is_empty());
    }
}
