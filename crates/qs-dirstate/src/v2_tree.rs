//! The dirstate-v2 data file: parsing the node tree into a
//! [`DirstateMap`], and writing a map back as hg does (children blocks in
//! post-order, each block = the children's paths and copy sources, then
//! their 44-byte nodes, siblings sorted by base name).

use std::collections::{BTreeMap, HashMap};

use crate::entry::{Entry, S_IFLNK, S_IFREG};
use crate::error::{DirstateError, DirstateResult};
use crate::map::DirstateMap;
use crate::timestamp::TruncatedTimestamp;
use crate::v2::{be_u16, be_u32, Docket, TreeMetadata, NODE_SIZE};

/// Node flag bits.
pub mod flags {
    pub const WDIR_TRACKED: u16 = 1 << 0;
    pub const P1_TRACKED: u16 = 1 << 1;
    pub const P2_INFO: u16 = 1 << 2;
    pub const MODE_EXEC_PERM: u16 = 1 << 3;
    pub const MODE_IS_SYMLINK: u16 = 1 << 4;
    pub const HAS_FALLBACK_EXEC: u16 = 1 << 5;
    pub const FALLBACK_EXEC: u16 = 1 << 6;
    pub const HAS_FALLBACK_SYMLINK: u16 = 1 << 7;
    pub const FALLBACK_SYMLINK: u16 = 1 << 8;
    pub const EXPECTED_STATE_IS_MODIFIED: u16 = 1 << 9;
    pub const HAS_MODE_AND_SIZE: u16 = 1 << 10;
    pub const HAS_MTIME: u16 = 1 << 11;
    pub const MTIME_SECOND_AMBIGUOUS: u16 = 1 << 12;
    pub const DIRECTORY: u16 = 1 << 13;
    pub const ALL_UNKNOWN_RECORDED: u16 = 1 << 14;
    pub const ALL_IGNORED_RECORDED: u16 = 1 << 15;
}

/// What a v2 data file records about a directory (for the status walk's
/// `readdir` skipping); hg's pure/C writer does not keep these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectoryInfo {
    /// Cached directory mtime.
    pub mtime: Option<TruncatedTimestamp>,
    /// All unknown children were recorded.
    pub all_unknown_recorded: bool,
    /// All ignored children were recorded.
    pub all_ignored_recorded: bool,
}

/// Builds an entry from node fields (hg's `from_v2_data`).
pub fn entry_from_v2(f: u16, size: i32, mtime_s: i32, mtime_ns: i32) -> Entry {
    use flags::*;
    let modified = f & EXPECTED_STATE_IS_MODIFIED != 0;
    let has_mode_size = f & HAS_MODE_AND_SIZE != 0 && !modified;
    let has_mtime = f & HAS_MTIME != 0 && !modified;
    let mode_size = has_mode_size.then(|| {
        let perm = if f & MODE_EXEC_PERM != 0 {
            0o755
        } else {
            0o644
        };
        let kind = if f & MODE_IS_SYMLINK != 0 {
            S_IFLNK
        } else {
            S_IFREG
        };
        (perm | kind, size)
    });
    Entry {
        wc_tracked: f & WDIR_TRACKED != 0,
        p1_tracked: f & P1_TRACKED != 0,
        p2_info: f & P2_INFO != 0,
        mode_size,
        mtime: has_mtime.then(|| TruncatedTimestamp {
            seconds: mtime_s,
            nanoseconds: u32::try_from(mtime_ns).unwrap_or(0),
            second_ambiguous: f & MTIME_SECOND_AMBIGUOUS != 0,
        }),
        fallback_exec: (f & HAS_FALLBACK_EXEC != 0).then_some(f & FALLBACK_EXEC != 0),
        fallback_symlink: (f & HAS_FALLBACK_SYMLINK != 0).then_some(f & FALLBACK_SYMLINK != 0),
    }
}

/// The node fields `(flags, size, mtime_s, mtime_ns)` of an entry.
pub fn entry_to_v2(e: &Entry) -> (u16, i32, i32, i32) {
    use flags::*;
    let mut f = 0;
    let set = |f: &mut u16, cond: bool, bit: u16| {
        if cond {
            *f |= bit
        }
    };
    set(&mut f, e.wc_tracked, WDIR_TRACKED);
    set(&mut f, e.p1_tracked, P1_TRACKED);
    set(&mut f, e.p2_info, P2_INFO);
    if let Some((mode, _)) = e.mode_size {
        f |= HAS_MODE_AND_SIZE;
        set(&mut f, mode & 0o100 != 0, MODE_EXEC_PERM);
        set(
            &mut f,
            mode & crate::entry::S_IFMT == S_IFLNK,
            MODE_IS_SYMLINK,
        );
    }
    if let Some(t) = e.mtime {
        f |= HAS_MTIME;
        set(&mut f, t.second_ambiguous, MTIME_SECOND_AMBIGUOUS);
    }
    if let Some(x) = e.fallback_exec {
        f |= HAS_FALLBACK_EXEC;
        set(&mut f, x, FALLBACK_EXEC);
    }
    if let Some(x) = e.fallback_symlink {
        f |= HAS_FALLBACK_SYMLINK;
        set(&mut f, x, FALLBACK_SYMLINK);
    }
    let size = e.mode_size.map_or(0, |(_, s)| s);
    let (s, ns) = e
        .mtime
        .map_or((0, 0), |t| (t.seconds, t.nanoseconds as i32));
    (f, size, s, ns)
}

/// A parsed v2 dirstate.
#[derive(Debug, Clone, Default)]
pub struct ParsedV2 {
    /// Parents, entries and copies.
    pub map: DirstateMap,
    /// Directory nodes and what they cache.
    pub directories: HashMap<Vec<u8>, DirectoryInfo>,
}

struct Parser<'a> {
    data: &'a [u8],
    budget: usize,
    out: ParsedV2,
}

const MAX_DEPTH: usize = 512;

impl Parser<'_> {
    fn slice(&self, start: u32, len: usize) -> DirstateResult<&[u8]> {
        let start = start as usize;
        start
            .checked_add(len)
            .and_then(|end| self.data.get(start..end))
            .ok_or_else(|| DirstateError::corrupt("dirstate-v2 path out of bounds"))
    }

    fn nodes(&mut self, start: u32, count: u32, depth: usize) -> DirstateResult<()> {
        if depth > MAX_DEPTH {
            return Err(DirstateError::corrupt("dirstate-v2 tree too deep"));
        }
        for i in 0..count as usize {
            self.budget = self
                .budget
                .checked_sub(1)
                .ok_or_else(|| DirstateError::corrupt("dirstate-v2 tree has a cycle"))?;
            let at = (start as usize)
                .checked_add(i * NODE_SIZE)
                .ok_or_else(|| DirstateError::corrupt("dirstate-v2 node out of bounds"))?;
            let node = self
                .slice(at as u32, NODE_SIZE)
                .map_err(|_| DirstateError::corrupt("dirstate-v2 node out of bounds"))?;
            if at > u32::MAX as usize {
                return Err(DirstateError::corrupt("dirstate-v2 node out of bounds"));
            }
            let u32_at = |o: usize| be_u32(node, o).unwrap_or(0);
            let u16_at = |o: usize| be_u16(node, o).unwrap_or(0);
            let (path_start, path_len) = (u32_at(0), usize::from(u16_at(4)));
            let (copy_start, copy_len) = (u32_at(8), usize::from(u16_at(12)));
            let (children_start, children_count) = (u32_at(14), u32_at(18));
            let f = u16_at(30);
            let (size, mtime_s, mtime_ns) =
                (u32_at(32) as i32, u32_at(36) as i32, u32_at(40) as i32);
            self.nodes(children_start, children_count, depth + 1)?;
            let entry = entry_from_v2(f, size, mtime_s, mtime_ns);
            let path = self.slice(path_start, path_len)?.to_vec();
            if !entry.any_tracked() {
                if f & flags::DIRECTORY != 0 {
                    let info = DirectoryInfo {
                        mtime: entry.mtime,
                        all_unknown_recorded: f & flags::ALL_UNKNOWN_RECORDED != 0,
                        all_ignored_recorded: f & flags::ALL_IGNORED_RECORDED != 0,
                    };
                    self.out.directories.insert(path, info);
                }
                continue;
            }
            if copy_start != 0 {
                let source = self.slice(copy_start, copy_len)?.to_vec();
                self.out.map.set_copy_source(path.clone(), Some(source));
            }
            self.out.map.insert(path, entry);
        }
        Ok(())
    }
}

/// Parses the data file (`data`, already cut to the docket's used size or
/// not) that `docket` points to.
pub fn parse(docket: &Docket, data: &[u8]) -> DirstateResult<ParsedV2> {
    let used = data.get(..docket.data_size as usize).ok_or_else(|| {
        DirstateError::corrupt("dirstate-v2 data file shorter than the docket says")
    })?;
    let mut parser = Parser {
        data: used,
        budget: used.len() / NODE_SIZE + 1,
        out: ParsedV2 {
            map: DirstateMap::new(docket.parents),
            directories: HashMap::new(),
        },
    };
    let meta = &docket.tree_metadata;
    parser.nodes(meta.root_nodes_start, meta.root_nodes_count, 0)?;
    Ok(parser.out)
}

#[derive(Default)]
struct TreeNode<'a> {
    full_path: Vec<u8>,
    entry: Option<&'a Entry>,
    children: BTreeMap<&'a [u8], TreeNode<'a>>,
}

struct Block {
    start: u32,
    count: u32,
    with_entry: u32,
    tracked: u32,
}

fn too_big() -> DirstateError {
    DirstateError::Unrepresentable("dirstate-v2 data too large".into())
}

fn offset(data: &[u8]) -> DirstateResult<u32> {
    u32::try_from(data.len()).map_err(|_| too_big())
}

fn write_children(
    node: &TreeNode<'_>,
    map: &DirstateMap,
    base: usize,
    data: &mut Vec<u8>,
) -> DirstateResult<Block> {
    let mut child_blocks = Vec::with_capacity(node.children.len());
    for child in node.children.values() {
        child_blocks.push(if child.children.is_empty() {
            None
        } else {
            Some(write_children(child, map, base, data)?)
        });
    }
    let mut packed = Vec::with_capacity(node.children.len() * NODE_SIZE);
    let (mut with_entry, mut tracked) = (0u32, 0u32);
    for (child, block) in node.children.values().zip(child_blocks) {
        let path = &child.full_path;
        let copy = child.entry.and_then(|_| map.copy_source(path));
        let path_start = offset(data)? + base as u32;
        let path_len = u16::try_from(path.len())
            .map_err(|_| DirstateError::Unrepresentable("path too long for dirstate-v2".into()))?;
        let basename_start = path.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1);
        let (copy_start, copy_len) = match copy {
            Some(c) => (
                path_start + u32::from(path_len),
                u16::try_from(c.len()).map_err(|_| {
                    DirstateError::Unrepresentable("copy source too long for dirstate-v2".into())
                })?,
            ),
            None => (0, 0),
        };
        let (f, size, mtime_s, mtime_ns) = match child.entry {
            Some(e) => entry_to_v2(e),
            None => (flags::DIRECTORY, 0, 0, 0),
        };
        let (c_start, c_count, c_with_entry, c_tracked) = block.map_or((0, 0, 0, 0), |b| {
            (b.start, b.count, b.with_entry, b.tracked)
        });
        packed.extend_from_slice(&path_start.to_be_bytes());
        packed.extend_from_slice(&path_len.to_be_bytes());
        packed.extend_from_slice(&(basename_start as u16).to_be_bytes());
        packed.extend_from_slice(&copy_start.to_be_bytes());
        packed.extend_from_slice(&copy_len.to_be_bytes());
        packed.extend_from_slice(&c_start.to_be_bytes());
        packed.extend_from_slice(&c_count.to_be_bytes());
        packed.extend_from_slice(&c_with_entry.to_be_bytes());
        packed.extend_from_slice(&c_tracked.to_be_bytes());
        packed.extend_from_slice(&f.to_be_bytes());
        packed.extend_from_slice(&size.to_be_bytes());
        packed.extend_from_slice(&mtime_s.to_be_bytes());
        packed.extend_from_slice(&mtime_ns.to_be_bytes());
        data.extend_from_slice(path);
        if let Some(c) = copy {
            data.extend_from_slice(c);
        }
        with_entry += c_with_entry + u32::from(child.entry.is_some());
        tracked += c_tracked + u32::from(child.entry.is_some_and(|e| e.wc_tracked));
    }
    let start = offset(data)? + base as u32;
    data.extend_from_slice(&packed);
    Ok(Block {
        start,
        count: node.children.len() as u32,
        with_entry,
        tracked,
    })
}

/// Serialises the entries of `map` as a tree whose first byte will sit at
/// offset `base` of the data file (0 for a new file, the old used size
/// when appending). Returns the bytes and the tree metadata.
pub fn serialize_tree(map: &DirstateMap, base: usize) -> DirstateResult<(Vec<u8>, TreeMetadata)> {
    let mut root = TreeNode::default();
    let mut copies = 0u32;
    for (path, entry) in map.iter() {
        let mut node = &mut root;
        let mut consumed = 0;
        for component in path.split(|&b| b == b'/') {
            consumed += component.len();
            let full = &path[..consumed];
            node = node.children.entry(component).or_insert_with(|| TreeNode {
                full_path: full.to_vec(),
                ..TreeNode::default()
            });
            consumed += 1;
        }
        node.entry = Some(entry);
        copies += u32::from(map.copy_source(path).is_some());
    }
    let mut data = Vec::new();
    u32::try_from(base).map_err(|_| too_big())?;
    let mut meta = TreeMetadata {
        nodes_with_entry: map.len() as u32,
        nodes_with_copy_source: copies,
        ..TreeMetadata::default()
    };
    if !root.children.is_empty() {
        let block = write_children(&root, map, base, &mut data)?;
        meta.root_nodes_start = block.start;
        meta.root_nodes_count = block.count;
    }
    if base
        .checked_add(data.len())
        .is_none_or(|end| end > u32::MAX as usize)
    {
        return Err(too_big());
    }
    Ok((data, meta))
}
