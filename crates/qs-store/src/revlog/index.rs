//! The revlog v1 index: the version/flags header and 64-byte entries,
//! decoded on demand from the raw (read or mapped) `.i` bytes.
//!
//! An inline revlog interleaves each entry with its data chunk, so opening
//! one scans the file once to find where every entry starts; a split index
//! is a plain array and is never scanned.

use super::file::Bytes;
use super::{IndexEntry, Revision};
use crate::node::{Node, NODE_BYTES};

/// Size of one v1 index entry.
pub const ENTRY_LEN: usize = 64;

/// Version short of revlog v1 ("RevlogNG").
pub const REVLOGV1: u32 = 1;
/// Header flag: data is inline in the index file.
pub const FLAG_INLINE_DATA: u32 = 1 << 16;
/// Header flag: deltas may be against any earlier revision.
pub const FLAG_GENERALDELTA: u32 = 1 << 17;
/// Header flag: filelog revisions flag the presence of copy metadata.
pub const FLAG_FILELOG_META: u32 = 1 << 18;
/// Header flag: revisions carry delta-info flags (snapshot, quality...).
pub const FLAG_DELTA_INFO: u32 = 1 << 19;
/// Every header flag a v1 revlog may carry.
pub const REVLOGV1_FLAGS: u32 =
    FLAG_INLINE_DATA | FLAG_GENERALDELTA | FLAG_FILELOG_META | FLAG_DELTA_INFO;

/// The decoded header of a revlog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub inline: bool,
    pub generaldelta: bool,
    /// The raw 32-bit header (flags in the high half).
    pub raw: u32,
}

impl Header {
    /// Decodes the first 4 bytes of an index file.
    pub fn parse(raw: u32) -> Result<Header, String> {
        let version = raw & 0xffff;
        let flags = raw & 0xffff_0000;
        match version {
            REVLOGV1 => {}
            0 => return Err("revlog version 0 is not supported".into()),
            0xdead => return Err("revlog version 2 (0xdead) is not supported".into()),
            0xd34d => return Err("changelog version 2 (0xd34d) is not supported".into()),
            other => return Err(format!("unknown revlog version {other}")),
        }
        if flags & !REVLOGV1_FLAGS != 0 {
            return Err(format!(
                "unknown flags (0x{:x}) in version 1 revlog",
                flags >> 16
            ));
        }
        Ok(Header {
            inline: flags & FLAG_INLINE_DATA != 0,
            generaldelta: flags & FLAG_GENERALDELTA != 0,
            raw,
        })
    }
}

/// A parsed index: the raw bytes plus where each entry is.
pub struct Index {
    bytes: Bytes,
    pub header: Header,
    len: usize,
    /// For inline revlogs, the byte position of every entry.
    inline_positions: Option<Vec<usize>>,
}

fn be_u32(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(s) => u32::from_be_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

impl Index {
    /// An index with no revision.
    pub fn empty() -> Index {
        Index {
            bytes: Bytes::Owned(Vec::new()),
            header: Header {
                inline: false,
                generaldelta: true,
                raw: REVLOGV1 | FLAG_GENERALDELTA,
            },
            len: 0,
            inline_positions: None,
        }
    }

    /// Checks the header and the framing of `bytes`; an empty file is an
    /// empty revlog. Errors are human-readable reasons.
    pub fn parse(bytes: Bytes) -> Result<Index, String> {
        if bytes.is_empty() {
            return Ok(Index::empty());
        }
        if bytes.len() < 4 {
            return Err("index file is truncated (no complete header)".into());
        }
        let header = Header::parse(be_u32(&bytes, 0))?;
        if header.inline {
            let mut positions = Vec::new();
            let mut pos = 0usize;
            while pos < bytes.len() {
                if bytes.len() - pos < ENTRY_LEN {
                    return Err(format!(
                        "index file is truncated: partial entry for revision {} at byte {pos}",
                        positions.len()
                    ));
                }
                if positions.len() >= i32::MAX as usize {
                    return Err("index has too many revisions".into());
                }
                let chunk_len = be_u32(&bytes, pos + 8) as usize;
                positions.push(pos);
                pos = pos
                    .checked_add(ENTRY_LEN)
                    .and_then(|p| p.checked_add(chunk_len))
                    .filter(|&end| end <= bytes.len())
                    .ok_or_else(|| {
                        format!(
                            "index file is truncated: data of revision {} ends past the end of the file",
                            positions.len() - 1
                        )
                    })?;
            }
            Ok(Index {
                len: positions.len(),
                bytes,
                header,
                inline_positions: Some(positions),
            })
        } else {
            if bytes.len() % ENTRY_LEN != 0 {
                return Err(format!(
                    "index file is truncated: {} bytes is not a whole number of {ENTRY_LEN}-byte entries",
                    bytes.len()
                ));
            }
            let len = bytes.len() / ENTRY_LEN;
            if len > i32::MAX as usize {
                return Err("index has too many revisions".into());
            }
            Ok(Index {
                len,
                bytes,
                header,
                inline_positions: None,
            })
        }
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Byte position of `rev`'s entry; `rev` must be in range.
    fn entry_pos(&self, rev: usize) -> usize {
        match &self.inline_positions {
            Some(p) => p.get(rev).copied().unwrap_or(usize::MAX),
            None => rev * ENTRY_LEN,
        }
    }

    /// The 64 raw bytes of entry `rev`, or `None` if out of range.
    pub fn raw_entry(&self, rev: usize) -> Option<&[u8]> {
        if rev >= self.len {
            return None;
        }
        let pos = self.entry_pos(rev);
        self.bytes.get(pos..pos.checked_add(ENTRY_LEN)?)
    }

    /// Decodes entry `rev`.
    pub fn entry(&self, rev: usize) -> Option<IndexEntry> {
        let e = self.raw_entry(rev)?;
        let i32_at = |at: usize| be_u32(e, at) as i32;
        let flags = u16::from_be_bytes([e[6], e[7]]);
        let offset = if rev == 0 {
            0
        } else {
            let mut o = [0u8; 8];
            o[2..].copy_from_slice(&e[..6]);
            u64::from_be_bytes(o)
        };
        Some(IndexEntry {
            offset,
            flags,
            compressed_len: be_u32(e, 8),
            uncompressed_len: i32_at(12),
            base_rev: Revision(i32_at(16)),
            link_rev: Revision(i32_at(20)),
            p1: Revision(i32_at(24)),
            p2: Revision(i32_at(28)),
            node: Node::from_bytes(&e[32..32 + NODE_BYTES])?,
        })
    }

    /// The node bytes of `rev` without decoding the rest of the entry.
    pub fn node_bytes(&self, rev: usize) -> Option<&[u8; NODE_BYTES]> {
        self.raw_entry(rev)?
            .get(32..32 + NODE_BYTES)?
            .try_into()
            .ok()
    }

    /// The two parent fields of `rev`.
    pub fn parent_fields(&self, rev: usize) -> Option<[i32; 2]> {
        let e = self.raw_entry(rev)?;
        Some([be_u32(e, 24) as i32, be_u32(e, 28) as i32])
    }

    /// For inline revlogs, the slice holding `rev`'s chunk (right after its
    /// entry); `None` for split revlogs or out of range.
    pub fn inline_chunk(&self, rev: usize, len: usize) -> Option<&[u8]> {
        self.inline_positions.as_ref()?;
        let start = self.entry_pos(rev).checked_add(ENTRY_LEN)?;
        self.bytes.get(start..start.checked_add(len)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(header: u32, offset: u64, clen: u32, ulen: i32, base: i32, p1: i32) -> Vec<u8> {
        let mut e = Vec::with_capacity(ENTRY_LEN);
        e.extend_from_slice(&(offset << 16).to_be_bytes());
        if header != 0 {
            e[..4].copy_from_slice(&header.to_be_bytes());
        }
        for v in [clen as i32, ulen, base, 0, p1, -1] {
            e.extend_from_slice(&v.to_be_bytes());
        }
        e.extend_from_slice(&[0xab; 20]);
        e.extend_from_slice(&[0; 12]);
        e
    }

    #[test]
    fn parses_split_index() {
        let mut bytes = entry(REVLOGV1 | FLAG_GENERALDELTA, 0, 5, 5, 0, -1);
        bytes.extend(entry(0, 5, 7, 9, 0, 0));
        let index = Index::parse(Bytes::Owned(bytes)).expect("valid");
        assert_eq!(index.len(), 2);
        assert!(!index.header.inline && index.header.generaldelta);
        let e0 = index.entry(0).expect("rev 0");
        assert_eq!((e0.offset, e0.compressed_len, e0.p1), (0, 5, Revision(-1)));
        let e1 = index.entry(1).expect("rev 1");
        assert_eq!((e1.offset, e1.uncompressed_len, e1.p1), (5, 9, Revision(0)));
        assert!(index.entry(2).is_none());
    }

    #[test]
    fn parses_inline_index() {
        let mut bytes = entry(REVLOGV1 | FLAG_INLINE_DATA, 0, 3, 2, 0, -1);
        bytes.extend_from_slice(b"uab");
        bytes.extend(entry(0, 3, 0, 2, 1, 0));
        let index = Index::parse(Bytes::Owned(bytes.clone())).expect("valid");
        assert_eq!(index.len(), 2);
        assert_eq!(index.inline_chunk(0, 3), Some(&b"uab"[..]));
        bytes.pop();
        assert!(Index::parse(Bytes::Owned(bytes[..bytes.len() - 3].to_vec())).is_err());
    }

    #[test]
    fn rejects_bad_headers() {
        assert!(Index::parse(Bytes::Owned(vec![0, 0, 0])).is_err());
        assert!(Index::parse(Bytes::Owned(entry(0, 0, 0, 0, 0, -1))).is_err());
        assert!(Index::parse(Bytes::Owned(entry(2, 0, 0, 0, 0, -1))).is_err());
        assert!(Index::parse(Bytes::Owned(entry(REVLOGV1 | 1 << 25, 0, 0, 0, 0, -1))).is_err());
        let mut truncated = entry(REVLOGV1, 0, 0, 0, 0, -1);
        truncated.pop();
        assert!(Index::parse(Bytes::Owned(truncated)).is_err());
        assert!(Index::parse(Bytes::Owned(Vec::new())).is_ok());
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..400),
                                    inline in any::<bool>()) {
            if bytes.len() >= 4 {
                let flags = if inline { FLAG_INLINE_DATA } else { 0 };
                bytes[..4].copy_from_slice(&(REVLOGV1 | flags).to_be_bytes());
            }
            if let Ok(index) = Index::parse(Bytes::Owned(bytes)) {
                for rev in 0..index.len() + 1 {
                    let _ = index.entry(rev);
                    let _ = index.node_bytes(rev);
                    let _ = index.inline_chunk(rev, 10);
                }
            }
        }
    }
}
