//! Revlogs: the append-only, delta-compressed storage of every history in a
//! repository (changelog, manifest log, one filelog per tracked file).
//!
//! Format: `mercurial/helptext/internals/revlogs.txt`. A revlog is an index
//! (`.i`, fixed-size entries) plus data, either interleaved in the index
//! ("inline") or in a separate `.d` file. Readers take a snapshot by index
//! length, so concurrent appends are never half-seen.
//!
//! Our notes on the format and on how this reader works (chains, chunk
//! headers, bounds checks, the nodemap): `docs/internals/revlog.md`.
//!
//! API CONTRACT (shared with qs-repo; keep signatures stable).

mod bdiff;
mod compress;
mod compression;
mod deltas;
mod file;
mod index;
mod mmap;
mod nodemap;
mod write;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use sha1::{Digest, Sha1};

use crate::error::{StoreError, StoreResult};
use crate::mdiff::{self, Patch};
use crate::node::{Node, NodePrefix, NODE_BYTES, NULL_NODE};

use file::DataFile;
use index::Index;
use nodemap::{NodeMap, PrefixMatch};

pub use bdiff::diff as text_delta;
pub use compress::{compress as compress_chunk, Compression};
pub use compression::decompress as decompress_chunk;
pub use deltas::DeltaConfig;
pub use file::MMAP_THRESHOLD;
pub use write::{
    encode_index_entry, filelog_text, RevlogKind, RevlogWriter, WriterConfig, MAX_INLINE,
};

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

/// Revision flag: the revision's content was censored (a tombstone).
pub const REVIDX_ISCENSORED: u16 = 1 << 15;
/// Revision flag: an ellipsis revision of a narrow clone; its hash does
/// not match its data.
pub const REVIDX_ELLIPSIS: u16 = 1 << 14;
/// Revision flag: the content is stored outside the revlog (lfs).
pub const REVIDX_EXTSTORED: u16 = 1 << 13;
/// Revision flag (changelog): the changeset carries copy information.
pub const REVIDX_HASCOPIESINFO: u16 = 1 << 12;
/// Revision flag (filelog): the text starts with a copy-metadata block.
pub const REVIDX_HASMETA: u16 = 1 << 11;
/// Revision flags (hg 7, "delta info"): facts about the stored delta,
/// bits 6 to 10. They do not affect the content.
pub const REVIDX_DELTA_INFO_FLAGS: u16 = 0b111_1100_0000;
/// Every revision flag this reader knows.
pub const REVIDX_KNOWN_FLAGS: u16 = REVIDX_ISCENSORED
    | REVIDX_ELLIPSIS
    | REVIDX_EXTSTORED
    | REVIDX_HASCOPIESINFO
    | REVIDX_HASMETA
    | REVIDX_DELTA_INFO_FLAGS;

/// Lookups by node answered by scanning the index before the sorted
/// nodemap is built (a one-off lookup is cheaper as a scan than a sort).
const SCAN_LOOKUPS: u32 = 4;

/// Size of a delta hunk header, for the decompression cap of deltas.
const HUNK_HEADER: usize = mdiff::HUNK_HEADER_LEN;

/// The node hg gives a revision: SHA-1 over the two parent nodes (smaller
/// first) and the text.
pub fn revision_hash(p1: &Node, p2: &Node, text: &[u8]) -> Node {
    let (a, b) = if p1 <= p2 { (p1, p2) } else { (p2, p1) };
    let mut hasher = Sha1::new();
    hasher.update(a.as_bytes());
    hasher.update(b.as_bytes());
    hasher.update(text);
    let digest: [u8; NODE_BYTES] = hasher.finalize().into();
    Node(digest)
}

/// The path of the data file that goes with index `index_path`
/// (`foo.i` → `foo.d`).
pub fn data_path_for(index_path: &Path) -> PathBuf {
    let mut name = index_path.as_os_str().to_owned();
    let bytes = index_path.as_os_str().as_encoded_bytes();
    if bytes.ends_with(b".i") {
        let mut p = index_path.to_path_buf();
        p.set_extension("d");
        return p;
    }
    name.push(".d");
    PathBuf::from(name)
}

/// A read-only view of one revlog.
///
/// Cheap to open: the index is read (or mapped) and, for inline revlogs,
/// scanned once for entry positions; entries are decoded on demand. The
/// data file is opened on the first `data()` call. `Send + Sync`.
pub struct Revlog {
    index_path: PathBuf,
    data_path: PathBuf,
    options: RevlogOptions,
    index: Index,
    data_file: OnceLock<DataFile>,
    nodemap: OnceLock<NodeMap>,
    node_lookups: AtomicU32,
    /// How hg names this revlog in messages (`00changelog`, a file path).
    display_id: String,
}

/// The name hg uses for a revlog in messages: its file name without `.i`.
fn default_display_id(index_path: &Path) -> String {
    let name = index_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".i").map(str::to_string).unwrap_or(name)
}

impl Revlog {
    /// Names this revlog in messages as hg does (filelogs by the tracked
    /// path they store).
    pub fn with_display_id(mut self, display_id: impl Into<String>) -> Revlog {
        self.display_id = display_id.into();
        self
    }

    /// Opens the revlog whose index is `index_path` (`foo.i`); the data file,
    /// if any, is the same path with `.d`. A missing index is an empty revlog.
    pub fn open(index_path: &Path, options: RevlogOptions) -> StoreResult<Revlog> {
        let bytes = file::read_whole(index_path, options.use_mmap)
            .map_err(|e| StoreError::io(index_path, e))?;
        let index = match bytes {
            None => Index::empty(),
            Some(bytes) => Index::parse(bytes).map_err(|m| StoreError::corrupt(index_path, m))?,
        };
        Ok(Revlog {
            index_path: index_path.to_path_buf(),
            data_path: data_path_for(index_path),
            options,
            index,
            data_file: OnceLock::new(),
            nodemap: OnceLock::new(),
            node_lookups: AtomicU32::new(0),
            display_id: default_display_id(index_path),
        })
    }

    /// A revlog over in-memory bytes (a bundle, a fuzzer's input): `index`
    /// is the `.i` content and `data` the `.d` content, if any. `name` is
    /// only used in error messages.
    pub fn from_bytes(name: &Path, index: Vec<u8>, data: Option<Vec<u8>>) -> StoreResult<Revlog> {
        let index =
            Index::parse(file::Bytes::Owned(index)).map_err(|m| StoreError::corrupt(name, m))?;
        let data_file = OnceLock::new();
        let _ = data_file.set(DataFile::Whole(file::Bytes::Owned(
            data.unwrap_or_default(),
        )));
        Ok(Revlog {
            index_path: name.to_path_buf(),
            data_path: data_path_for(name),
            options: RevlogOptions::default(),
            index,
            data_file,
            nodemap: OnceLock::new(),
            node_lookups: AtomicU32::new(0),
            display_id: default_display_id(name),
        })
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True if the revlog has no revision.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index file this revlog was opened from.
    pub fn index_path(&self) -> &Path {
        &self.index_path
    }

    /// True if revision data lives inside the index file.
    pub fn is_inline(&self) -> bool {
        self.index.header.inline
    }

    /// True if deltas may be against any earlier revision (generaldelta);
    /// false for legacy revlogs whose deltas are against `rev - 1`.
    pub fn is_generaldelta(&self) -> bool {
        self.index.header.generaldelta
    }

    /// The raw 32-bit header (version in the low half, flags in the high).
    pub fn header(&self) -> u32 {
        self.index.header.raw
    }

    fn corrupt(&self, message: impl Into<String>) -> StoreError {
        StoreError::corrupt(&self.index_path, message)
    }

    fn no_such_rev(&self, rev: Revision) -> StoreError {
        StoreError::NoSuchRevision {
            path: self.index_path.clone(),
            rev: rev.0,
        }
    }

    /// `rev` as an index position, if it names a real revision.
    fn position(&self, rev: Revision) -> StoreResult<usize> {
        usize::try_from(rev.0)
            .ok()
            .filter(|&r| r < self.len())
            .ok_or_else(|| self.no_such_rev(rev))
    }

    /// The index entry of `rev` (error for null or out of range).
    pub fn entry(&self, rev: Revision) -> StoreResult<IndexEntry> {
        let pos = self.position(rev)?;
        self.index
            .entry(pos)
            .ok_or_else(|| self.corrupt(format!("unreadable index entry {rev}")))
    }

    /// Node of `rev`; `NULL_NODE` for `NULL_REVISION`.
    pub fn node(&self, rev: Revision) -> StoreResult<Node> {
        if rev.is_null() {
            return Ok(NULL_NODE);
        }
        let pos = self.position(rev)?;
        self.index
            .node_bytes(pos)
            .map(|b| Node(*b))
            .ok_or_else(|| self.corrupt(format!("unreadable index entry {rev}")))
    }

    /// Parents of `rev` (null parents are `NULL_REVISION`).
    pub fn parents(&self, rev: Revision) -> StoreResult<[Revision; 2]> {
        if rev.is_null() {
            return Ok([NULL_REVISION; 2]);
        }
        let pos = self.position(rev)?;
        let fields = self
            .index
            .parent_fields(pos)
            .ok_or_else(|| self.corrupt(format!("unreadable index entry {rev}")))?;
        for p in fields {
            if p < -1 || p >= rev.0 {
                return Err(self.corrupt(format!("revision {rev} has invalid parent {p}")));
            }
        }
        Ok([Revision(fields[0]), Revision(fields[1])])
    }

    /// The linked changelog revision of `rev`.
    pub fn link_rev(&self, rev: Revision) -> StoreResult<Revision> {
        if rev.is_null() {
            return Ok(NULL_REVISION);
        }
        let link = self.entry(rev)?.link_rev;
        if link.0 < -1 {
            return Err(self.corrupt(format!("revision {rev} has invalid linkrev {link}")));
        }
        Ok(link)
    }

    /// The revision flags (`REVIDX_*`) of `rev`; 0 for the null revision.
    pub fn flags(&self, rev: Revision) -> StoreResult<u16> {
        if rev.is_null() {
            return Ok(0);
        }
        Ok(self.entry(rev)?.flags)
    }

    /// The sorted nodemap, once enough lookups have been made to pay for it.
    fn nodemap(&self) -> Option<&NodeMap> {
        if let Some(map) = self.nodemap.get() {
            return Some(map);
        }
        if self.node_lookups.fetch_add(1, Ordering::Relaxed) < SCAN_LOOKUPS {
            return None;
        }
        Some(self.nodemap.get_or_init(|| NodeMap::build(&self.index)))
    }

    /// Builds the in-memory nodemap now (for long-lived, warm revlogs);
    /// otherwise it is built after a few lookups by node.
    pub fn build_nodemap(&self) {
        self.nodemap.get_or_init(|| NodeMap::build(&self.index));
    }

    /// Revision of a full node id; `Ok(None)` if absent. Null node → null rev.
    pub fn rev_of_node(&self, node: &Node) -> StoreResult<Option<Revision>> {
        if node.is_null() {
            return Ok(Some(NULL_REVISION));
        }
        Ok(match self.nodemap() {
            Some(map) => map.find(&self.index, node),
            None => nodemap::scan_find(&self.index, node),
        })
    }

    /// Revision whose node starts with `prefix`: `Ok(None)` if none,
    /// `Err(StoreError::AmbiguousPrefix)` if several. As in hg, the null
    /// node takes part: an all-zero prefix matches it too. The working
    /// directory's virtual id (`ffff...`) does not: hg's rule that an
    /// all-`f` prefix may name it belongs to the repository layer.
    pub fn rev_of_prefix(&self, prefix: &NodePrefix) -> StoreResult<Option<Revision>> {
        if let Some(node) = prefix.as_full_node() {
            return self.rev_of_node(&node);
        }
        let mut found = match self.nodemap() {
            Some(map) => map.find_prefix(&self.index, prefix),
            None => nodemap::scan_prefix(&self.index, prefix),
        };
        if (0..prefix.len()).all(|i| prefix.nibble(i) == 0) {
            found = match found {
                PrefixMatch::None => PrefixMatch::One(NULL_REVISION),
                _ => PrefixMatch::Many,
            };
        }
        match found {
            PrefixMatch::None => Ok(None),
            PrefixMatch::One(rev) => Ok(Some(rev)),
            PrefixMatch::Many => Err(StoreError::AmbiguousPrefix),
        }
    }

    /// Length of the shortest hex prefix (at least `min_len`) that names
    /// `node` unambiguously among this revlog's nodes, as hg's `shortest()`.
    ///
    /// This is the revlog part of hg's `shortest()`: the null node competes
    /// (an all-zero prefix also names it), and a prefix made only of `f`s
    /// is lengthened because it could name the working directory
    /// (`ffff...`). Refusing prefixes that read as a revision number is the
    /// repository layer's job (hg's `scmutil.shortesthexnodeidprefix`).
    pub fn shortest_unique_prefix(&self, node: &Node, min_len: usize) -> StoreResult<usize> {
        let full = 2 * NODE_BYTES;
        let leading_zeros = nodemap::common_nibbles(node.as_bytes(), NULL_NODE.as_bytes());
        let common = if node.is_null() {
            (0..self.len())
                .filter_map(|r| self.index.node_bytes(r))
                .map(|n| nodemap::common_nibbles(NULL_NODE.as_bytes(), n))
                .max()
                .unwrap_or(0)
        } else {
            let common = match self.nodemap() {
                Some(map) => map.max_common_with_others(&self.index, node),
                None => nodemap::scan_max_common_with_others(&self.index, node),
            };
            common
                .ok_or_else(|| StoreError::NoSuchNode {
                    path: self.index_path.clone(),
                    node: node.hex(),
                })?
                .max(leading_zeros)
        };
        let mut len = (common + 1).max(min_len).min(full);
        while len < full && (0..len).all(|i| node.nibble(i) == 0xf) {
            len += 1;
        }
        Ok(len)
    }

    /// Checks that `text` hashes (with `rev`'s parents) to `rev`'s node.
    pub fn check_hash(&self, rev: Revision, text: &[u8]) -> StoreResult<()> {
        let [p1, p2] = self.parents(rev)?;
        let expected = self.node(rev)?;
        if revision_hash(&self.node(p1)?, &self.node(p2)?, text) == expected {
            Ok(())
        } else {
            Err(StoreError::IntegrityCheck {
                path: PathBuf::from(&self.display_id),
                rev: rev.0,
            })
        }
    }

    /// The full text of `rev`, rebuilt from its delta chain and checked
    /// against its node hash. Empty for the null revision.
    pub fn data(&self, rev: Revision) -> StoreResult<Vec<u8>> {
        if rev.is_null() {
            return Ok(Vec::new());
        }
        let text = self.data_unchecked(rev)?;
        if self.entry(rev)?.flags & REVIDX_ELLIPSIS == 0 {
            self.check_hash(rev, &text)?;
        }
        Ok(text)
    }

    /// Like [`Revlog::data`], for a caller reading many revisions in
    /// increasing order (verify, exports): the previous text is kept in
    /// `last`, and when it lies on `rev`'s delta chain the rebuild starts
    /// from it instead of from the chain's base, so a filelog read in full
    /// costs one pass over its chunks, not one chain per revision.
    pub fn data_sequential<'l>(
        &self,
        rev: Revision,
        last: &'l mut LastText,
    ) -> StoreResult<&'l [u8]> {
        if rev.is_null() {
            return Ok(&[]);
        }
        let entry = self.entry(rev)?;
        self.check_flags(rev, entry.flags)?;
        let chain = self.delta_chain(rev)?;
        let cached = last
            .rev
            .and_then(|cached| chain.iter().rposition(|&r| r == cached));
        let text = match cached {
            Some(at) if at + 1 == chain.len() => std::mem::take(&mut last.text),
            Some(at) => {
                let deltas = chain.get(at + 1..).unwrap_or_default();
                self.apply_deltas(rev, &entry, &last.text, deltas)?
            }
            None => self.rebuild(rev, &entry, &chain)?,
        };
        last.rev = None;
        if entry.flags & REVIDX_ELLIPSIS == 0 {
            self.check_hash(rev, &text)?;
        }
        last.rev = Some(rev);
        last.text = text;
        Ok(&last.text)
    }

    /// The stored text of `rev` without the hash check (for `verify`-like
    /// callers that report mismatches themselves). Refuses censored,
    /// externally stored and unknown-flagged revisions like `data`.
    pub fn data_unchecked(&self, rev: Revision) -> StoreResult<Vec<u8>> {
        if rev.is_null() {
            return Ok(Vec::new());
        }
        let entry = self.entry(rev)?;
        self.check_flags(rev, entry.flags)?;
        let chain = self.delta_chain(rev)?;
        self.rebuild(rev, &entry, &chain)
    }

    fn check_flags(&self, rev: Revision, flags: u16) -> StoreResult<()> {
        if flags & REVIDX_ISCENSORED != 0 {
            return Err(self.corrupt(format!("revision {rev} is censored")));
        }
        if flags & REVIDX_EXTSTORED != 0 {
            return Err(self.corrupt(format!(
                "revision {rev} is stored externally (lfs), which is not supported"
            )));
        }
        let unknown = flags & !REVIDX_KNOWN_FLAGS;
        if unknown != 0 {
            return Err(self.corrupt(format!("revision {rev} has unknown flags 0x{unknown:04x}")));
        }
        Ok(())
    }

    /// The revisions whose chunks rebuild `rev`, oldest first: a full
    /// snapshot, then deltas (empty deltas are left out, as hg does).
    pub fn delta_chain(&self, rev: Revision) -> StoreResult<Vec<Revision>> {
        let mut chain = Vec::new();
        let mut current = rev;
        loop {
            let entry = self.entry(current)?;
            let base = entry.base_rev;
            if base == current {
                chain.push(current);
                break;
            }
            if base.0 < 0 || base > current {
                return Err(
                    self.corrupt(format!("revision {current} has invalid delta base {base}"))
                );
            }
            if entry.compressed_len > 0 {
                chain.push(current);
            }
            // Strictly decreasing, so the walk ends within `rev + 1` steps.
            current = if self.is_generaldelta() {
                base
            } else {
                Revision(current.0 - 1)
            };
        }
        chain.reverse();
        Ok(chain)
    }

    /// The revision `rev`'s stored chunk is a delta against, or `None`
    /// when it is stored as a full snapshot.
    pub fn delta_parent(&self, rev: Revision) -> StoreResult<Option<Revision>> {
        let entry = self.entry(rev)?;
        if entry.base_rev == rev {
            return Ok(None);
        }
        let parent = if self.is_generaldelta() {
            entry.base_rev
        } else {
            Revision(rev.0 - 1)
        };
        if parent.0 < 0 || parent >= rev {
            return Err(self.corrupt(format!("revision {rev} has invalid delta base {parent}")));
        }
        Ok(Some(parent))
    }

    /// The decompressed stored chunk of `rev`: its full text when
    /// [`Revlog::delta_parent`] is `None`, else a binary delta against it.
    pub fn chunk(&self, rev: Revision) -> StoreResult<Vec<u8>> {
        let entry = self.entry(rev)?;
        let own_len = self.text_len(rev, &entry)?;
        let cap = match self.delta_parent(rev)? {
            None => own_len,
            Some(parent) => {
                let parent_len = self.text_len(parent, &self.entry(parent)?)?;
                own_len.saturating_add(
                    HUNK_HEADER
                        .saturating_mul(parent_len.saturating_add(own_len).saturating_add(1)),
                )
            }
        };
        let raw = self.raw_chunk(rev, &entry)?;
        compression::decompress(&raw, cap)
            .map(std::borrow::Cow::into_owned)
            .map_err(|m| self.corrupt(format!("revision {rev}: {m}")))
    }

    /// The full-text length the index records for `rev`, checked.
    fn text_len(&self, rev: Revision, entry: &IndexEntry) -> StoreResult<usize> {
        usize::try_from(entry.uncompressed_len).map_err(|_| {
            self.corrupt(format!(
                "revision {rev} has negative length {}",
                entry.uncompressed_len
            ))
        })
    }

    /// The data file, opened on first use.
    fn data_file(&self) -> StoreResult<&DataFile> {
        if let Some(d) = self.data_file.get() {
            return Ok(d);
        }
        let opened = DataFile::open(&self.data_path, self.options.use_mmap)
            .map_err(|e| StoreError::io(&self.data_path, e))?;
        Ok(self.data_file.get_or_init(|| opened))
    }

    /// The stored (compressed) chunk of `rev`.
    fn raw_chunk(&self, rev: Revision, entry: &IndexEntry) -> StoreResult<Cow<'_, [u8]>> {
        let len = entry.compressed_len as usize;
        if len == 0 {
            return Ok(Cow::Borrowed(&[]));
        }
        let pos = self.position(rev)?;
        if self.is_inline() {
            return self
                .index
                .inline_chunk(pos, len)
                .map(Cow::Borrowed)
                .ok_or_else(|| self.corrupt(format!("chunk of revision {rev} is truncated")));
        }
        let data = self.data_file()?;
        data.range(entry.offset, len)
            .map_err(|e| StoreError::io(&self.data_path, e))?
            .ok_or_else(|| {
                StoreError::corrupt(
                    &self.data_path,
                    format!(
                        "chunk of revision {rev} ({len} bytes at offset {}) lies past the end of the data file ({} bytes)",
                        entry.offset,
                        data.len()
                    ),
                )
            })
    }

    /// Rebuilds the stored text of `rev` from `chain`.
    fn rebuild(
        &self,
        rev: Revision,
        entry: &IndexEntry,
        chain: &[Revision],
    ) -> StoreResult<Vec<u8>> {
        let expected_len = self.text_len(rev, entry)?;
        let Some((&base_rev, deltas)) = chain.split_first() else {
            return Err(self.corrupt(format!("empty delta chain for revision {rev}")));
        };
        let base_entry = self.entry(base_rev)?;
        let base_len = self.text_len(base_rev, &base_entry)?;
        let base_raw = self.raw_chunk(base_rev, &base_entry)?;
        let base = compression::decompress(&base_raw, base_len)
            .map_err(|m| self.corrupt(format!("revision {base_rev}: {m}")))?;
        if base.len() != base_len {
            return Err(self.corrupt(format!(
                "revision {base_rev}: full text has {} bytes but the index says {base_len}",
                base.len()
            )));
        }
        if deltas.is_empty() {
            if base.len() != expected_len {
                return Err(self.corrupt(format!(
                    "revision {rev}: text has {} bytes but the index says {expected_len}",
                    base.len()
                )));
            }
            return Ok(base.into_owned());
        }
        self.apply_deltas(rev, entry, &base, deltas)
    }

    /// Rebuilds the text of `rev` by applying the chunks of `deltas` (the
    /// end of its delta chain) to `base`, the text of the revision before
    /// them on the chain.
    fn apply_deltas(
        &self,
        rev: Revision,
        entry: &IndexEntry,
        base: &[u8],
        deltas: &[Revision],
    ) -> StoreResult<Vec<u8>> {
        let expected_len = self.text_len(rev, entry)?;
        if deltas.is_empty() {
            if base.len() != expected_len {
                return Err(self.corrupt(format!(
                    "revision {rev}: text has {} bytes but the index says {expected_len}",
                    base.len()
                )));
            }
            return Ok(base.to_vec());
        }
        let mut raw_chunks = Vec::with_capacity(deltas.len());
        let mut caps = Vec::with_capacity(deltas.len());
        for &d in deltas {
            let e = self.entry(d)?;
            let parent = if self.is_generaldelta() {
                e.base_rev
            } else {
                Revision(d.0 - 1)
            };
            let parent_len = self.text_len(parent, &self.entry(parent)?)?;
            let own_len = self.text_len(d, &e)?;
            // Inserted data all ends up in the output; hunks that change
            // something number at most one per source or output byte.
            let cap = own_len.saturating_add(
                HUNK_HEADER.saturating_mul(parent_len.saturating_add(own_len).saturating_add(1)),
            );
            raw_chunks.push(self.raw_chunk(d, &e)?);
            caps.push((d, cap));
        }
        // Long chains (hundreds of deltas in sparse revlogs) are
        // decompressed and parsed in parallel.
        let (raw_chunks, caps) = (&raw_chunks, &caps);
        let decompress = |i: usize| {
            let (d, cap) = caps[i];
            compression::decompress(&raw_chunks[i], cap)
                .map_err(|m| self.corrupt(format!("revision {d}: {m}")))
        };
        let decompressed: Vec<_> = if deltas.len() >= PARALLEL_CHAIN {
            use rayon::prelude::*;
            (0..deltas.len())
                .into_par_iter()
                .map(decompress)
                .collect::<StoreResult<_>>()?
        } else {
            (0..deltas.len())
                .map(decompress)
                .collect::<StoreResult<_>>()?
        };
        let decompressed = &decompressed;
        let parse = |i: usize| {
            let d = caps[i].0;
            Patch::parse(&decompressed[i])
                .map_err(|e| self.corrupt(format!("revision {d}: bad delta: {e}")))
        };
        let patches: Vec<Patch<'_>> = if deltas.len() >= PARALLEL_CHAIN {
            use rayon::prelude::*;
            (0..deltas.len())
                .into_par_iter()
                .map(parse)
                .collect::<StoreResult<_>>()?
        } else {
            (0..deltas.len()).map(parse).collect::<StoreResult<_>>()?
        };
        mdiff::fold(patches)
            .apply_expecting(base, expected_len)
            .map_err(|e| self.corrupt(format!("revision {rev}: bad delta chain: {e}")))
    }
}

/// The last text [`Revlog::data_sequential`] produced, reused by the next
/// call. Belongs to one revlog: start a new one for another revlog.
#[derive(Debug, Default)]
pub struct LastText {
    rev: Option<Revision>,
    text: Vec<u8>,
}

/// Delta chains at least this long are rebuilt with several threads.
const PARALLEL_CHAIN: usize = 32;

// `Revlog` is shared across threads (rayon, the command server).
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Revlog>();
};
