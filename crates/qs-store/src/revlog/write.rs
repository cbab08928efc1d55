//! Appending revisions to a revlog v1, inside a [`Transaction`], the way
//! hg 7.2 does, so that hg reads the result (and `hg verify` is clean) and
//! an interruption at any point is undone by `recover`.
//!
//! [`RevlogWriter::open`] loads the existing index; [`RevlogWriter::add`]
//! hashes the text with its parents (an already-present node is a no-op
//! returning its revision), chooses a delta base (see `deltas.rs`),
//! compresses the chunk and writes it: journal line first, then data, then
//! the index entry (so readers never see an entry without its data).
//!
//! Layout rules followed:
//!
//! - New filelogs and manifests start inline (entries and chunks
//!   interleaved in `.i`); once an inline revlog's data reaches 128 KiB it
//!   is split: the inline index is backed up in the journal, the data is
//!   copied to `.d`, the new index is written to a temporary file
//!   (`data-s/<path>.i`, `00manifest.i.s`) which replaces `.i` when the
//!   transaction commits. Until then readers keep seeing the old index.
//! - The changelog is never inline and its new entries only become visible
//!   at commit (hg's delayed write): data goes to `00changelog.d` at once,
//!   index entries are queued in the transaction and appended at commit, or,
//!   for an empty changelog, written to `00changelog.i.a`, renamed at commit.
//!   So no reader sees a changeset whose manifest and files are not written.
//!   An old inline changelog is split first.
//! - The first entry's first 4 bytes hold the header (version and flags);
//!   the changelog has no generaldelta flag; delta chains are not stored in
//!   the changelog.
//!
//! One writer per revlog per transaction (a second one is refused); new
//! filelog files are registered in the transaction's fncache.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

use super::compress::{compress, Compression};
use super::deltas::{self, Candidate, DeltaConfig, DeltaSource, RevMeta};
use super::index::{
    ENTRY_LEN, FLAG_DELTA_INFO, FLAG_FILELOG_META, FLAG_GENERALDELTA, FLAG_INLINE_DATA, REVLOGV1,
};
use super::{
    decompress_chunk, revision_hash, IndexEntry, Revision, Revlog, RevlogOptions, NULL_REVISION,
};
use crate::error::{StoreError, StoreResult};
use crate::mdiff::{self, Patch};
use crate::node::{Node, NULL_NODE};
use crate::requirements::Requirements;
use crate::transaction::{Finalize, Location, StoreVfs, Transaction};

/// An inline revlog whose data reaches this size is split (hg's
/// `_maxinline`).
pub const MAX_INLINE: u64 = 131_072;

/// Which history a revlog stores (changes the layout rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevlogKind {
    Changelog,
    Manifest,
    Filelog,
}

impl RevlogKind {
    /// hg's numeric revlog kind, used in finalize category names.
    fn number(self) -> u16 {
        match self {
            RevlogKind::Changelog => 1001,
            RevlogKind::Manifest => 1002,
            RevlogKind::Filelog => 1003,
        }
    }
}

/// How new revisions are stored, from the repository's requirements and
/// configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriterConfig {
    pub compression: Compression,
    /// Use generaldelta for new revlogs (`generaldelta` requirement).
    pub generaldelta: bool,
    /// `sparserevlog` requirement.
    pub sparse_revlog: bool,
    /// `format.maxchainlen` (sparse revlogs default to 1000).
    pub max_chain_len: Option<usize>,
    /// `experimental.maxdeltachainspan` (-1: none).
    pub max_deltachain_span: i64,
    /// `storage.revlog.optimize-delta-parent-choice` (default true).
    pub delta_both_parents: bool,
    /// `storage.filelog.expected-max-compression-ratio` (default 10).
    pub file_max_comp_ratio: u64,
}

impl WriterConfig {
    /// hg's defaults for a repository with these requirements.
    pub fn from_requirements(requirements: &Requirements) -> WriterConfig {
        let sparse = requirements.has("sparserevlog");
        WriterConfig {
            compression: if requirements.has("revlog-compression-zstd") {
                Compression::Zstd { level: 3 }
            } else if requirements.has("revlog-compression-none") {
                Compression::None
            } else {
                Compression::Zlib { level: None }
            },
            generaldelta: requirements.has("generaldelta") || sparse,
            sparse_revlog: sparse,
            max_chain_len: sparse.then_some(deltas::SPARSE_REVLOG_MAX_CHAIN_LENGTH),
            max_deltachain_span: -1,
            delta_both_parents: true,
            file_max_comp_ratio: deltas::FILE_MAX_COMPRESSION_RATIO,
        }
    }
}

/// Encodes one 64-byte v1 index entry; `header` replaces the first four
/// bytes (the entry of revision 0 carries the revlog's header).
pub fn encode_index_entry(entry: &IndexEntry, header: Option<u32>) -> [u8; ENTRY_LEN] {
    let mut out = [0u8; ENTRY_LEN];
    let offset_flags = (entry.offset << 16) | u64::from(entry.flags);
    out[..8].copy_from_slice(&offset_flags.to_be_bytes());
    if let Some(h) = header {
        out[..4].copy_from_slice(&h.to_be_bytes());
    }
    out[8..12].copy_from_slice(&entry.compressed_len.to_be_bytes());
    for (at, v) in [
        (12, entry.uncompressed_len),
        (16, entry.base_rev.0),
        (20, entry.link_rev.0),
        (24, entry.p1.0),
        (28, entry.p2.0),
    ] {
        out[at..at + 4].copy_from_slice(&v.to_be_bytes());
    }
    out[32..52].copy_from_slice(entry.node.as_bytes());
    out
}

/// A filelog revision's text: `content` preceded by copy metadata
/// (`\x01\ncopy: SRC\ncopyrev: HEX\n\x01\n`) when it was copied, or by an
/// empty metadata block when the content itself starts with `\x01\n`.
pub fn filelog_text(content: &[u8], copy: Option<(&[u8], &Node)>) -> Vec<u8> {
    let mut text = Vec::with_capacity(content.len() + 80);
    match copy {
        Some((source, node)) => {
            text.extend_from_slice(b"\x01\ncopy: ");
            text.extend_from_slice(source);
            text.extend_from_slice(b"\ncopyrev: ");
            text.extend_from_slice(node.hex().as_bytes());
            text.extend_from_slice(b"\n\x01\n");
        }
        None if content.starts_with(b"\x01\n") => text.extend_from_slice(b"\x01\n\x01\n"),
        None => {}
    }
    text.extend_from_slice(content);
    text
}

/// Appends revisions to one revlog; see the module documentation.
pub struct RevlogWriter {
    kind: RevlogKind,
    radix: Vec<u8>,
    vfs: StoreVfs,
    compression: Compression,
    delta_config: DeltaConfig,
    header: u32,
    inline: bool,
    entries: Vec<IndexEntry>,
    metas: Vec<RevMeta>,
    nodes: HashMap<Node, Revision>,
    /// The index file written to (logical): `.i`, or the split / diverted
    /// temporary one.
    index_file: Vec<u8>,
    /// Changelog: index entries are queued in the transaction.
    delayed: bool,
    /// Open handles: (real path, file) for reading chunks and for writing.
    reader: Option<(PathBuf, File)>,
    writers: HashMap<PathBuf, File>,
    /// The last text written or rebuilt.
    cached_text: Option<(Revision, Vec<u8>)>,
}

fn with_suffix(radix: &[u8], suffix: &[u8]) -> Vec<u8> {
    [radix, suffix].concat()
}

/// hg's `_split_index_file`: `data/a/b` → `data-s/a/b.i`; root revlogs
/// get `.i.s`.
fn split_index_file(radix: &[u8]) -> Vec<u8> {
    match radix.iter().position(|&b| b == b'/') {
        Some(i) => [&radix[..i], b"-s", &radix[i..], b".i"].concat(),
        None => with_suffix(radix, b".i.s"),
    }
}

impl RevlogWriter {
    /// Opens the revlog `radix` (logical, without `.i`: `00changelog`,
    /// `00manifest`, `data/<path>`) for appending within `tr`.
    pub fn open(
        tr: &mut Transaction<'_>,
        kind: RevlogKind,
        radix: &[u8],
        config: &WriterConfig,
    ) -> StoreResult<RevlogWriter> {
        tr.claim_revlog(radix)?;
        let vfs = tr.vfs().clone();
        let index_logical = with_suffix(radix, b".i");
        let index_path = vfs.store_file(&index_logical);
        let revlog = Revlog::open(&index_path, RevlogOptions::default())?;
        let mut entries = Vec::with_capacity(revlog.len());
        for r in 0..revlog.len() {
            entries.push(revlog.entry(Revision(r as i32))?);
        }
        let (header, inline) = if entries.is_empty() {
            let mut header = REVLOGV1;
            if kind != RevlogKind::Changelog {
                header |= FLAG_INLINE_DATA;
                if config.generaldelta {
                    header |= FLAG_GENERALDELTA;
                }
            }
            (header, header & FLAG_INLINE_DATA != 0)
        } else {
            (revlog.header(), revlog.is_inline())
        };
        if header & (FLAG_DELTA_INFO | FLAG_FILELOG_META) != 0 {
            return Err(StoreError::UnsupportedWrite {
                path: index_path,
                message: "writing revlogs with delta-info flags is not supported".into(),
            });
        }
        let generaldelta = header & FLAG_GENERALDELTA != 0;
        let sparse = config.sparse_revlog && generaldelta;
        let delta_config = DeltaConfig {
            store_delta_chains: kind != RevlogKind::Changelog,
            generaldelta,
            sparse_revlog: sparse,
            max_chain_len: config.max_chain_len,
            max_deltachain_span: config.max_deltachain_span,
            delta_both_parents: config.delta_both_parents,
            upper_bound_comp: (kind == RevlogKind::Filelog && config.file_max_comp_ratio > 0)
                .then_some(config.file_max_comp_ratio),
        };
        let mut metas = Vec::with_capacity(entries.len());
        let mut nodes = HashMap::with_capacity(entries.len());
        for (r, entry) in entries.iter().enumerate() {
            let rev = Revision(r as i32);
            let valid = |p: Revision| p.0 >= -1 && p < rev;
            let base_ok = entry.base_rev.0 >= 0 && entry.base_rev <= rev;
            if !valid(entry.p1) || !valid(entry.p2) || !base_ok {
                return Err(StoreError::corrupt(
                    &index_path,
                    format!("revision {rev} has invalid parents or delta base"),
                ));
            }
            metas.push(deltas::new_rev_meta(
                &entries[..r],
                &metas,
                generaldelta,
                entry,
                rev,
            ));
            nodes.insert(entry.node, rev);
        }
        let mut writer = RevlogWriter {
            kind,
            radix: radix.to_vec(),
            vfs,
            compression: config.compression,
            delta_config,
            header,
            inline,
            entries,
            metas,
            nodes,
            index_file: index_logical,
            delayed: false,
            reader: None,
            writers: HashMap::new(),
            cached_text: None,
        };
        if kind == RevlogKind::Changelog {
            writer.delay_update(tr)?;
        }
        Ok(writer)
    }

    /// hg's `changelog.delayupdate`: entries become visible at commit.
    fn delay_update(&mut self, tr: &mut Transaction<'_>) -> StoreResult<()> {
        if self.inline {
            self.split(tr)?;
        }
        let key = "000-cl".to_string();
        let canonical = with_suffix(&self.radix, b".i");
        if self.entries.is_empty() {
            let diverted = with_suffix(&self.radix, b".i.a");
            self.vfs.remove_if_exists(Location::Store, &diverted)?;
            tr.register_tmp(Location::Store, &diverted)?;
            tr.add_finalize(
                key,
                Finalize::Rename {
                    from: diverted.clone(),
                    to: canonical,
                },
            );
            self.index_file = diverted;
        } else {
            self.delayed = true;
            tr.add_finalize(
                key,
                Finalize::AppendDelayed {
                    path: self.index_file.clone(),
                },
            );
        }
        Ok(())
    }

    /// hg's `write_pending` (changelog only): makes the pending state
    /// readable by hooks as `00changelog.i.a` (hg reads it when
    /// `HG_PENDING` names the repository): the index so far plus the
    /// delayed entries. From then on entries go to that file, which
    /// replaces the index at commit. Returns whether anything is pending.
    pub fn write_pending(&mut self, tr: &mut Transaction<'_>) -> StoreResult<bool> {
        if self.kind != RevlogKind::Changelog {
            return Ok(false);
        }
        if !self.delayed {
            // Already diverted: the `.a` file holds everything.
            return Ok(true);
        }
        let pending = with_suffix(&self.radix, b".i.a");
        let pending_path = self.vfs.store_file(&pending);
        let current_path = self.vfs.store_file(&self.index_file);
        tr.register_tmp(Location::Store, &pending)?;
        let mut content = match std::fs::read(&current_path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(StoreError::io(&current_path, e)),
        };
        let delayed = tr.take_delayed(&self.index_file);
        let any_pending = !delayed.is_empty();
        content.extend_from_slice(&delayed);
        std::fs::write(&pending_path, &content).map_err(|e| StoreError::io(&pending_path, e))?;
        tr.add_finalize(
            "000-cl",
            Finalize::Rename {
                from: pending.clone(),
                to: self.index_file.clone(),
            },
        );
        self.writers.clear();
        self.delayed = false;
        self.index_file = pending;
        Ok(any_pending)
    }

    /// Number of revisions, including those added.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the revlog has no revision.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True while the revlog is inline.
    pub fn is_inline(&self) -> bool {
        self.inline
    }

    /// The node of `rev` (null for the null revision).
    pub fn node(&self, rev: Revision) -> StoreResult<Node> {
        if rev.is_null() {
            return Ok(NULL_NODE);
        }
        self.entry(rev).map(|e| e.node)
    }

    /// The revision of `node`, if stored.
    pub fn rev_of_node(&self, node: &Node) -> Option<Revision> {
        if node.is_null() {
            return Some(NULL_REVISION);
        }
        self.nodes.get(node).copied()
    }

    /// The index entry of `rev`.
    pub fn entry(&self, rev: Revision) -> StoreResult<&IndexEntry> {
        usize::try_from(rev.0)
            .ok()
            .and_then(|r| self.entries.get(r))
            .ok_or_else(|| StoreError::NoSuchRevision {
                path: self.vfs.store_file(&with_suffix(&self.radix, b".i")),
                rev: rev.0,
            })
    }

    /// Appends a revision with `text`, parents `p1`/`p2` (revisions of
    /// this revlog) and linked changelog revision `link_rev`. Returns its
    /// revision; a text already stored with the same parents (same node)
    /// is not added again.
    pub fn add(
        &mut self,
        tr: &mut Transaction<'_>,
        text: &[u8],
        p1: Revision,
        p2: Revision,
        link_rev: Revision,
    ) -> StoreResult<Revision> {
        let node = revision_hash(&self.node(p1)?, &self.node(p2)?, text);
        if let Some(rev) = self.nodes.get(&node) {
            return Ok(*rev);
        }
        let uncompressed_len = i32::try_from(text.len()).map_err(|_| {
            self.unsupported(format!("a revision of {} bytes is too large", text.len()))
        })?;
        let curr = Revision(self.entries.len() as i32);
        if curr.0 == 0 && self.kind == RevlogKind::Filelog {
            tr.register_store_file(&with_suffix(&self.radix, b".i"))?;
            if !self.inline {
                tr.register_store_file(&with_suffix(&self.radix, b".d"))?;
            }
        }
        let candidate = Candidate {
            text,
            p1,
            p2,
            flags: 0,
        };
        let delta_config = self.delta_config;
        let choice = deltas::find_delta(self, &delta_config, &candidate)?;
        let compressed_len = u32::try_from(choice.chunk.len())
            .map_err(|_| self.unsupported("a chunk over 4 GiB".to_string()))?;
        let offset = self.data_end();
        let entry = IndexEntry {
            offset,
            flags: 0,
            compressed_len,
            uncompressed_len,
            base_rev: choice.base,
            link_rev,
            p1,
            p2,
            node,
        };
        let header = (curr.0 == 0).then_some(self.header);
        let encoded = encode_index_entry(&entry, header);
        self.write_entry(tr, curr, &encoded, &choice.chunk, offset)?;
        let meta = deltas::new_rev_meta(
            &self.entries,
            &self.metas,
            self.delta_config.generaldelta,
            &entry,
            curr,
        );
        self.entries.push(entry);
        self.metas.push(meta);
        self.nodes.insert(node, curr);
        self.cached_text = Some((curr, text.to_vec()));
        if self.inline && self.kind != RevlogKind::Changelog && self.data_end() >= MAX_INLINE {
            self.split(tr)?;
        }
        Ok(curr)
    }

    fn unsupported(&self, message: String) -> StoreError {
        StoreError::UnsupportedWrite {
            path: self.vfs.store_file(&with_suffix(&self.radix, b".i")),
            message,
        }
    }

    /// Logical end of the data (sum of the chunks).
    fn data_end(&self) -> u64 {
        self.entries
            .last()
            .map_or(0, |e| e.offset + u64::from(e.compressed_len))
    }

    fn write_at(&mut self, logical: &[u8], position: u64, parts: &[&[u8]]) -> StoreResult<()> {
        let path = self.vfs.store_file(logical);
        if !self.writers.contains_key(&path) {
            crate::transaction::vfs::create_parent(&path)?;
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| StoreError::io(&path, e))?;
            self.writers.insert(path.clone(), file);
        }
        let Some(file) = self.writers.get(&path) else {
            return Err(StoreError::corrupt(&path, "lost write handle"));
        };
        let mut at = position;
        for part in parts {
            file.write_all_at(part, at)
                .map_err(|e| StoreError::io(&path, e))?;
            at += part.len() as u64;
        }
        Ok(())
    }

    /// Journals then writes one revision (data before its index entry).
    fn write_entry(
        &mut self,
        tr: &mut Transaction<'_>,
        curr: Revision,
        entry: &[u8],
        chunk: &[u8],
        offset: u64,
    ) -> StoreResult<()> {
        let canonical = with_suffix(&self.radix, b".i");
        let entry_position = curr.0 as u64 * ENTRY_LEN as u64;
        if self.inline {
            tr.add(&canonical, offset + entry_position)?;
            let index_file = self.index_file.clone();
            return self.write_at(&index_file, offset + entry_position, &[entry, chunk]);
        }
        let data_file = with_suffix(&self.radix, b".d");
        tr.add(&data_file, offset)?;
        tr.add(&canonical, entry_position)?;
        self.write_at(&data_file, offset, &[chunk])?;
        if self.delayed {
            tr.delay_append(&self.index_file, entry);
            Ok(())
        } else {
            let index_file = self.index_file.clone();
            self.write_at(&index_file, entry_position, &[entry])
        }
    }

    /// hg's `_enforceinlinesize`: moves the data of an inline revlog to
    /// `.d`; the new index replaces the inline one at commit.
    fn split(&mut self, tr: &mut Transaction<'_>) -> StoreResult<()> {
        let canonical = with_suffix(&self.radix, b".i");
        if tr.find_offset(&canonical).is_some() {
            tr.add_backup_for_offset(&canonical)?;
        } else {
            tr.add_backup(Location::Store, &canonical)?;
        }
        let data_file = with_suffix(&self.radix, b".d");
        tr.add(&data_file, 0)?;
        let mut data = Vec::with_capacity(self.data_end() as usize);
        for r in 0..self.entries.len() {
            data.extend_from_slice(&self.raw_chunk(Revision(r as i32))?);
        }
        let split_file = split_index_file(&self.radix);
        tr.register_tmp(Location::Store, &split_file)?;
        let header = self.header & !FLAG_INLINE_DATA;
        let mut index = Vec::with_capacity(self.entries.len() * ENTRY_LEN);
        for (r, e) in self.entries.iter().enumerate() {
            index.extend_from_slice(&encode_index_entry(e, (r == 0).then_some(header)));
        }
        self.writers.clear();
        self.reader = None;
        for (logical, bytes) in [(&data_file, &data), (&split_file, &index)] {
            let path = self.vfs.store_file(logical);
            crate::transaction::vfs::create_parent(&path)?;
            std::fs::write(&path, bytes).map_err(|e| StoreError::io(&path, e))?;
        }
        tr.add_finalize(
            format!(
                "001-revlog-split-{}-{}",
                self.kind.number(),
                String::from_utf8_lossy(&self.radix)
            ),
            Finalize::Rename {
                from: split_file.clone(),
                to: canonical,
            },
        );
        if self.kind == RevlogKind::Filelog {
            tr.register_store_file(&data_file)?;
        }
        if self.delayed {
            tr.move_delayed(&self.index_file, &split_file);
        }
        self.inline = false;
        self.header = header;
        self.index_file = split_file;
        Ok(())
    }

    /// The stored chunk of `rev`, read back from disk.
    fn raw_chunk(&mut self, rev: Revision) -> StoreResult<Vec<u8>> {
        let entry = *self.entry(rev)?;
        let len = entry.compressed_len as usize;
        if len == 0 {
            return Ok(Vec::new());
        }
        let (logical, position) = if self.inline {
            let position = entry.offset + (rev.0 as u64 + 1) * ENTRY_LEN as u64;
            (self.index_file.clone(), position)
        } else {
            (with_suffix(&self.radix, b".d"), entry.offset)
        };
        let path = self.vfs.store_file(&logical);
        if self.reader.as_ref().is_none_or(|(p, _)| *p != path) {
            let file = File::open(&path).map_err(|e| StoreError::io(&path, e))?;
            self.reader = Some((path.clone(), file));
        }
        let mut buf = vec![0u8; len];
        if let Some((_, file)) = &self.reader {
            file.read_exact_at(&mut buf, position)
                .map_err(|e| StoreError::io(&path, e))?;
        }
        Ok(buf)
    }

    /// The full text of `rev`, rebuilt from its chain (cached when it is
    /// the last text seen).
    pub fn text(&mut self, rev: Revision) -> StoreResult<Vec<u8>> {
        if rev.is_null() {
            return Ok(Vec::new());
        }
        if let Some((cached, text)) = &self.cached_text {
            if *cached == rev {
                return Ok(text.clone());
            }
        }
        let mut chain = Vec::new();
        let mut current = rev;
        let mut start_text = None;
        loop {
            if let Some((cached, text)) = &self.cached_text {
                if *cached == current {
                    start_text = Some(text.clone());
                    break;
                }
            }
            let entry = self.entry(current)?;
            chain.push(current);
            if entry.base_rev == current {
                break;
            }
            current = if self.delta_config.generaldelta {
                entry.base_rev
            } else {
                Revision(current.0 - 1)
            };
        }
        chain.reverse();
        let (base, deltas) = match start_text {
            Some(text) => (text, &chain[..]),
            None => {
                let Some((&first, rest)) = chain.split_first() else {
                    return Ok(Vec::new());
                };
                (self.chunk_text(first, None)?, rest)
            }
        };
        let mut chunks = Vec::with_capacity(deltas.len());
        for &d in deltas {
            chunks.push(self.chunk_text(d, Some(base.len()))?);
        }
        let mut patches = Vec::with_capacity(chunks.len());
        for chunk in &chunks {
            patches.push(Patch::parse(chunk).map_err(|e| self.corrupt_delta(rev, &e))?);
        }
        let text = mdiff::fold(patches)
            .apply(&base)
            .map_err(|e| self.corrupt_delta(rev, &e))?;
        self.cached_text = Some((rev, text.clone()));
        Ok(text)
    }

    fn corrupt_delta(&self, rev: Revision, e: &dyn std::fmt::Display) -> StoreError {
        StoreError::corrupt(
            self.vfs.store_file(&with_suffix(&self.radix, b".i")),
            format!("revision {rev}: bad delta: {e}"),
        )
    }

    /// The decompressed chunk of `rev` (a full text when `base_len` is
    /// `None`).
    fn chunk_text(&mut self, rev: Revision, base_len: Option<usize>) -> StoreResult<Vec<u8>> {
        let raw = self.raw_chunk(rev)?;
        let own = self.entry(rev)?.uncompressed_len.max(0) as usize;
        let cap = match base_len {
            None => own,
            Some(b) => own.saturating_add(12usize.saturating_mul(b.saturating_add(own) + 1)),
        };
        decompress_chunk(&raw, cap)
            .map(std::borrow::Cow::into_owned)
            .map_err(|m| {
                StoreError::corrupt(
                    self.vfs.store_file(&with_suffix(&self.radix, b".i")),
                    format!("revision {rev}: {m}"),
                )
            })
    }
}

impl DeltaSource for RevlogWriter {
    fn entries(&self) -> &[IndexEntry] {
        &self.entries
    }

    fn metas(&self) -> &[RevMeta] {
        &self.metas
    }

    fn delta_against(&mut self, base: Revision, text: &[u8]) -> StoreResult<Vec<u8>> {
        let base_text = self.text(base)?;
        Ok(super::bdiff::diff(&base_text, text))
    }

    fn compress(&self, data: &[u8]) -> Vec<u8> {
        compress(data, self.compression)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_index_names_follow_hg() {
        assert_eq!(split_index_file(b"data/a/b.txt"), b"data-s/a/b.txt.i");
        assert_eq!(split_index_file(b"00manifest"), b"00manifest.i.s");
    }

    #[test]
    fn copy_metadata_is_packed_like_hg() {
        let node = Node([0xab; 20]);
        let text = filelog_text(b"hello", Some((b"old/name", &node)));
        assert_eq!(
            text,
            [
                &b"\x01\ncopy: old/name\ncopyrev: "[..],
                "ab".repeat(20).as_bytes(),
                b"\n\x01\nhello"
            ]
            .concat()
        );
        assert_eq!(filelog_text(b"\x01\nx", None), b"\x01\n\x01\n\x01\nx");
        assert_eq!(filelog_text(b"plain", None), b"plain");
    }
}
