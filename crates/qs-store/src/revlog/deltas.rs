//! Choosing how to store a new revision: as a delta against which earlier
//! revision, or as a full snapshot, following hg 7.2's search
//! (`mercurial/revlogutils/deltas.py`) so that chains, snapshots and sizes
//! come out like hg's.
//!
//! The search tries groups of candidate bases in order and keeps the
//! smallest acceptable delta:
//!
//! - no delta at all for the first revision and for the changelog (hg does
//!   not store delta chains there);
//! - legacy revlogs (no generaldelta): only the previous revision;
//! - generaldelta: the parents (both at once when
//!   `storage.revlog.optimize-delta-parent-choice`, the default), then the
//!   previous revision;
//! - sparse-revlog: the parents, then snapshots: the intermediate snapshots
//!   of the parents' chains (deepest level first, each preceded by its
//!   siblings), then full snapshots made since, then refinement down (the
//!   chosen snapshot's own base) and up (snapshots built on it).
//!
//! A delta is acceptable when it is smaller than the text, its chain's data
//! stays under twice the text, the chain is not longer than the limit (1000
//! for sparse revlogs), its read span is bounded (non-sparse: four times the
//! text) and, for an intermediate snapshot at depth `d`, it is smaller than
//! `text >> d` and than the snapshot it is based on.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{IndexEntry, Revision, NULL_REVISION, REVIDX_EXTSTORED, REVIDX_ISCENSORED};
use crate::error::StoreResult;

/// Largest ratio of a chain's stored data to the revision's text.
const LIMIT_DELTA2TEXT: u64 = 2;
/// A base whose text is this many times smaller than ours is not tried.
const LIMIT_BASE2TEXT: u64 = 500;
/// hg's default chain length limit for sparse revlogs.
pub const SPARSE_REVLOG_MAX_CHAIN_LENGTH: usize = 1000;
/// hg's default expected maximal compression ratio for file contents.
pub const FILE_MAX_COMPRESSION_RATIO: u64 = 10;

/// Flags whose revisions may not serve as delta bases.
const RAWTEXT_CHANGING_FLAGS: u16 = REVIDX_ISCENSORED | REVIDX_EXTSTORED;

/// How deltas are chosen for one revlog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeltaConfig {
    /// False for the changelog: every revision is a full snapshot.
    pub store_delta_chains: bool,
    pub generaldelta: bool,
    pub sparse_revlog: bool,
    /// Longest delta chain allowed (`format.maxchainlen`).
    pub max_chain_len: Option<usize>,
    /// `experimental.maxdeltachainspan` (negative: none).
    pub max_deltachain_span: i64,
    /// Try both parents and keep the best (else the closest first).
    pub delta_both_parents: bool,
    /// Expected best compression ratio (filelogs), used to skip hopeless
    /// intermediate snapshots early.
    pub upper_bound_comp: Option<u64>,
}

/// Facts the search keeps about every revision already stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RevMeta {
    /// Number of deltas between the revision and its chain's full text.
    pub chain_len: usize,
    /// Stored bytes of the whole chain, the full text included.
    pub chain_size: u64,
    /// Whether the revision is a snapshot (sparse-revlog sense).
    pub is_snapshot: bool,
}

/// What the search needs from the revlog being written.
pub trait DeltaSource {
    /// Every index entry, old and new.
    fn entries(&self) -> &[IndexEntry];
    /// Per-revision facts, parallel to `entries`.
    fn metas(&self) -> &[RevMeta];
    /// An uncompressed delta from `base`'s text to `text`.
    fn delta_against(&mut self, base: Revision, text: &[u8]) -> StoreResult<Vec<u8>>;
    /// The stored (possibly compressed) form of `data`.
    fn compress(&self, data: &[u8]) -> Vec<u8>;
}

/// The chosen way of storing a revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeltaChoice {
    /// Value of the index's base field: the delta base (generaldelta), the
    /// chain's base (legacy), or the new revision itself for a full text.
    pub base: Revision,
    /// The stored chunk.
    pub chunk: Vec<u8>,
    /// Bytes from the chain's first chunk to the end of this one.
    pub distance: u64,
    /// Facts about the new revision once stored.
    pub meta: RevMeta,
    /// `Some(depth)` when the revision is a snapshot (0: full text).
    pub snapshot_depth: Option<usize>,
}

fn index(rev: Revision) -> usize {
    rev.0.max(0) as usize
}

/// Read-only helpers over the stored entries.
struct View<'a> {
    entries: &'a [IndexEntry],
    metas: &'a [RevMeta],
    generaldelta: bool,
}

impl View<'_> {
    fn entry(&self, rev: Revision) -> &IndexEntry {
        &self.entries[index(rev)]
    }

    fn length(&self, rev: Revision) -> u64 {
        if rev.is_null() {
            return 0;
        }
        u64::from(self.entry(rev).compressed_len)
    }

    fn raw_size(&self, rev: Revision) -> u64 {
        if rev.is_null() {
            return 0;
        }
        self.entry(rev).uncompressed_len.max(0) as u64
    }

    fn start(&self, rev: Revision) -> u64 {
        self.entry(rev).offset
    }

    fn data_end(&self) -> u64 {
        self.entries
            .last()
            .map_or(0, |e| e.offset + u64::from(e.compressed_len))
    }

    fn delta_parent(&self, rev: Revision) -> Revision {
        if rev.is_null() {
            return NULL_REVISION;
        }
        let base = self.entry(rev).base_rev;
        if base == rev {
            NULL_REVISION
        } else if self.generaldelta {
            base
        } else {
            Revision(rev.0 - 1)
        }
    }

    fn chain_base(&self, rev: Revision) -> Revision {
        let mut current = rev;
        loop {
            let next = self.delta_parent(current);
            if next.is_null() {
                return current;
            }
            current = next;
        }
    }

    /// The chain from its full text up to `rev`, ascending (hg's
    /// `_deltachain`: empty deltas are kept).
    fn delta_chain(&self, rev: Revision) -> Vec<Revision> {
        let mut chain = vec![rev];
        let mut current = rev;
        loop {
            let next = self.delta_parent(current);
            if next.is_null() {
                break;
            }
            chain.push(next);
            current = next;
        }
        chain.reverse();
        chain
    }

    fn meta(&self, rev: Revision) -> RevMeta {
        self.metas[index(rev)]
    }

    fn is_snapshot(&self, rev: Revision) -> bool {
        rev.is_null() || self.meta(rev).is_snapshot
    }

    /// `rev`, or the revision its empty deltas resolve to.
    fn skip_empty(&self, mut rev: Revision) -> Revision {
        while !rev.is_null() && self.length(rev) == 0 {
            let next = self.delta_parent(rev);
            if next == rev || next.is_null() {
                break;
            }
            rev = next;
        }
        rev
    }
}

/// The facts of a revision about to be stored with base field `base`.
pub fn new_rev_meta(
    entries: &[IndexEntry],
    metas: &[RevMeta],
    generaldelta: bool,
    entry: &IndexEntry,
    rev: Revision,
) -> RevMeta {
    let view = View {
        entries,
        metas,
        generaldelta,
    };
    let len = u64::from(entry.compressed_len);
    if entry.base_rev == rev {
        return RevMeta {
            chain_len: 0,
            chain_size: len,
            is_snapshot: true,
        };
    }
    let parent = if generaldelta {
        entry.base_rev
    } else {
        Revision(rev.0 - 1)
    };
    let parent_meta = view.meta(parent);
    let is_snapshot = if entry.base_rev.is_null() {
        true
    } else {
        let p1 = view.skip_empty(entry.p1);
        let p2 = view.skip_empty(entry.p2);
        if entry.base_rev == p1 || entry.base_rev == p2 {
            false
        } else {
            view.is_snapshot(entry.base_rev)
        }
    };
    RevMeta {
        chain_len: parent_meta.chain_len + 1,
        chain_size: parent_meta.chain_size + len,
        is_snapshot,
    }
}

/// One revision to store.
pub struct Candidate<'t> {
    pub text: &'t [u8],
    pub p1: Revision,
    pub p2: Revision,
    pub flags: u16,
}

/// Finds how to store `new` as revision `target` (the revlog's length).
pub fn find_delta(
    source: &mut dyn DeltaSource,
    config: &DeltaConfig,
    new: &Candidate<'_>,
) -> StoreResult<DeltaChoice> {
    let target = Revision(source.entries().len() as i32);
    let text_len = new.text.len() as u64;
    if new.text.is_empty()
        || new.flags & RAWTEXT_CHANGING_FLAGS != 0
        || target.0 == 0
        || !config.store_delta_chains
    {
        return Ok(full_snapshot(source, new, target));
    }
    let mut search = Search {
        config,
        p1: new.p1,
        p2: new.p2,
        text_len,
        target,
        tested: HashSet::from([NULL_REVISION]),
        best: None,
        snapshots: None,
    };
    search.run(source, new)?;
    Ok(match search.best {
        Some(best) => best,
        None => full_snapshot(source, new, target),
    })
}

fn full_snapshot(source: &dyn DeltaSource, new: &Candidate<'_>, target: Revision) -> DeltaChoice {
    let chunk = source.compress(new.text);
    let len = chunk.len() as u64;
    DeltaChoice {
        base: target,
        distance: len,
        meta: RevMeta {
            chain_len: 0,
            chain_size: len,
            is_snapshot: true,
        },
        chunk,
        snapshot_depth: Some(0),
    }
}

struct Search<'c> {
    config: &'c DeltaConfig,
    p1: Revision,
    p2: Revision,
    text_len: u64,
    target: Revision,
    tested: HashSet<Revision>,
    best: Option<DeltaChoice>,
    /// Snapshots made from a floor revision on, by the base they delta
    /// against (`NULL_REVISION` for full snapshots).
    snapshots: Option<BTreeMap<Revision, BTreeSet<Revision>>>,
}

impl Search<'_> {
    fn view<'s>(&self, source: &'s dyn DeltaSource) -> View<'s> {
        View {
            entries: source.entries(),
            metas: source.metas(),
            generaldelta: self.config.generaldelta,
        }
    }

    fn run(&mut self, source: &mut dyn DeltaSource, new: &Candidate<'_>) -> StoreResult<()> {
        if !self.config.generaldelta {
            // Legacy revlogs: the previous revision or nothing, unfiltered.
            let prev = Revision(self.target.0 - 1);
            self.tested.insert(prev);
            return self.try_group(source, new, &[prev], false);
        }
        // Parents first.
        let parents: Vec<Revision> = [self.p1, self.p2]
            .into_iter()
            .filter(|p| !p.is_null())
            .collect();
        if !self.config.delta_both_parents && parents.len() == 2 {
            let (low, high) = (parents[0].min(parents[1]), parents[0].max(parents[1]));
            self.filtered_group(source, new, &[high], false)?;
            if self.best.is_none() {
                self.filtered_group(source, new, &[low], false)?;
            }
        } else if !parents.is_empty() {
            self.filtered_group(source, new, &parents, false)?;
        }
        if self.best.is_some() {
            return Ok(());
        }
        if !self.config.sparse_revlog {
            let prev = Revision(self.target.0 - 1);
            return self.filtered_group(source, new, &[prev], false);
        }
        self.search_snapshots(source, new)
    }

    /// hg's `_iter_snapshots`: candidate snapshot groups, then refinement.
    fn search_snapshots(
        &mut self,
        source: &mut dyn DeltaSource,
        new: &Candidate<'_>,
    ) -> StoreResult<()> {
        for group in self.snapshot_groups(source) {
            self.filtered_group(source, new, &group, true)?;
            if self.best.is_some() {
                break;
            }
        }
        let Some(mut good) = self.best.clone() else {
            return Ok(());
        };
        if good.snapshot_depth.is_none() {
            return Ok(());
        }
        // Refine down: the chosen base's own base.
        loop {
            let base = self.view(source).delta_parent(good.base);
            if base.is_null() {
                break;
            }
            self.filtered_group(source, new, &[base], true)?;
            match &self.best {
                Some(best) if *best != good => good = best.clone(),
                _ => break,
            }
        }
        // Refine up: snapshots built on the chosen base.
        if self.snapshots.as_ref().is_none_or(BTreeMap::is_empty) {
            let floor = Revision(good.base.0 + 1);
            self.update_snapshots(source, floor);
        }
        loop {
            let children: Vec<Revision> = self
                .snapshots
                .as_ref()
                .and_then(|s| s.get(&good.base))
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default();
            self.filtered_group(source, new, &children, true)?;
            match &self.best {
                Some(best) if *best != good => good = best.clone(),
                _ => break,
            }
        }
        Ok(())
    }

    fn update_snapshots(&mut self, source: &dyn DeltaSource, floor: Revision) {
        let view = self.view(source);
        let map = self.snapshots.get_or_insert_with(BTreeMap::new);
        for r in floor.0.max(0)..self.target.0 {
            let rev = Revision(r);
            if view.is_snapshot(rev) {
                map.entry(view.delta_parent(rev)).or_default().insert(rev);
            }
        }
    }

    /// hg's `_iter_snapshots_base`: the groups of snapshots to try.
    fn snapshot_groups(&mut self, source: &dyn DeltaSource) -> Vec<Vec<Revision>> {
        let view = self.view(source);
        let parents: Vec<Revision> = [self.p1, self.p2]
            .into_iter()
            .filter(|p| !p.is_null())
            .collect();
        if parents.is_empty() {
            return Vec::new();
        }
        let mut by_depth: BTreeMap<usize, BTreeSet<Revision>> = BTreeMap::new();
        let chains: Vec<Vec<Revision>> = parents.iter().map(|&p| view.delta_chain(p)).collect();
        for chain in &chains {
            for (depth, &s) in chain.iter().enumerate() {
                if !view.is_snapshot(s) {
                    break;
                }
                by_depth.entry(depth).or_default().insert(s);
            }
        }
        let Some(first) = by_depth.get(&0).and_then(|s| s.first().copied()) else {
            return Vec::new();
        };
        let floor = Revision(first.0 + 1);
        self.update_snapshots(source, floor);
        let view = self.view(source);
        let in_chains: HashSet<Revision> = chains.iter().flatten().copied().collect();
        let other = (floor.0..self.target.0)
            .rev()
            .map(Revision)
            .find(|r| !in_chains.contains(r));
        if let Some(other) = other {
            let max_depth = by_depth.keys().next_back().copied().unwrap_or(0);
            for (depth, s) in view.delta_chain(other).into_iter().enumerate() {
                if s < floor {
                    continue;
                }
                if max_depth < depth || !view.is_snapshot(s) {
                    break;
                }
                by_depth.entry(depth).or_default().insert(s);
            }
        }
        let empty = BTreeSet::new();
        let snapshots = self.snapshots.as_ref();
        let children = |s: &Revision| {
            snapshots
                .and_then(|m| m.get(s))
                .unwrap_or(&empty)
                .iter()
                .copied()
                .collect::<Vec<_>>()
        };
        let mut groups = Vec::new();
        let mut level_floor: Option<Revision> = None;
        for (_, snaps) in by_depth.iter().rev() {
            let mut siblings: BTreeSet<Revision> = snaps.iter().flat_map(children).collect();
            if let Some(f) = level_floor {
                siblings.retain(|&r| f < r);
            }
            groups.push(siblings.into_iter().collect());
            groups.push(snaps.iter().copied().collect());
            level_floor = snaps.first().copied();
        }
        let full: Vec<Revision> = children(&NULL_REVISION)
            .into_iter()
            .filter(|&r| floor <= r)
            .collect();
        groups.push(full);
        groups
    }

    /// Pre-filters a group like hg, then tries what is left.
    fn filtered_group(
        &mut self,
        source: &mut dyn DeltaSource,
        new: &Candidate<'_>,
        group: &[Revision],
        as_snapshot: bool,
    ) -> StoreResult<()> {
        let mut kept = Vec::new();
        for &candidate in group {
            let mut rev = candidate;
            {
                let view = self.view(source);
                while !(rev.is_null() || self.tested.contains(&rev) || view.length(rev) != 0) {
                    self.tested.insert(rev);
                    rev = view.delta_parent(rev);
                }
            }
            if self.keep(source, rev) {
                kept.push(rev);
            }
            self.tested.insert(rev);
        }
        self.try_group(source, new, &kept, as_snapshot)
    }

    /// hg's `_pre_filter_rev`.
    fn keep(&self, source: &dyn DeltaSource, rev: Revision) -> bool {
        let view = self.view(source);
        if rev.is_null() || self.tested.contains(&rev) || rev >= self.target {
            return false;
        }
        if view.entry(rev).flags & RAWTEXT_CHANGING_FLAGS != 0 {
            return false;
        }
        let limit = self.text_len * LIMIT_DELTA2TEXT;
        if limit < view.length(rev) {
            return false;
        }
        let meta = view.meta(rev);
        if self
            .config
            .max_chain_len
            .is_some_and(|max| meta.chain_len >= max)
        {
            return false;
        }
        if limit < meta.chain_size {
            return false;
        }
        if !self.config.sparse_revlog {
            return true;
        }
        if view.raw_size(rev) < self.text_len / LIMIT_BASE2TEXT {
            return false;
        }
        if let Some(max_comp) = self.config.upper_bound_comp {
            let is_parent = rev == self.p1 || rev == self.p2;
            if !is_parent && view.is_snapshot(rev) {
                let depth = meta.chain_len;
                let distance = self.text_len.saturating_sub(view.raw_size(rev));
                let lowest = distance / max_comp;
                if (self.text_len >> depth.min(63)) < lowest || view.length(rev) < lowest {
                    return false;
                }
            }
        }
        true
    }

    /// Builds a delta against every candidate and keeps the best good one.
    fn try_group(
        &mut self,
        source: &mut dyn DeltaSource,
        new: &Candidate<'_>,
        group: &[Revision],
        as_snapshot: bool,
    ) -> StoreResult<()> {
        for &base in group {
            let Some(choice) = self.build(source, new, base, as_snapshot)? else {
                continue;
            };
            if self
                .best
                .as_ref()
                .is_some_and(|b| b.chunk.len() <= choice.chunk.len())
            {
                continue;
            }
            if self.is_good(source, &choice) {
                self.best = Some(choice);
            }
        }
        Ok(())
    }

    /// hg's `_builddeltainfo`.
    fn build(
        &self,
        source: &mut dyn DeltaSource,
        new: &Candidate<'_>,
        base: Revision,
        as_snapshot: bool,
    ) -> StoreResult<Option<DeltaChoice>> {
        let (stored_base, depth, base_meta, chain_start, base_len) = {
            let view = self.view(source);
            let chain_base = view.chain_base(base);
            let stored_base = if self.config.generaldelta {
                base
            } else {
                chain_base
            };
            let mut depth = None;
            if self.config.sparse_revlog
                && as_snapshot
                && stored_base != self.p1
                && stored_base != self.p2
            {
                if !view.is_snapshot(stored_base) {
                    return Ok(None);
                }
                depth = Some(view.meta(stored_base).chain_len + 1);
            }
            (
                stored_base,
                depth,
                view.meta(base),
                view.start(chain_base),
                view.length(base),
            )
        };
        let delta = source.delta_against(base, new.text)?;
        if let (Some(max_comp), Some(d)) = (self.config.upper_bound_comp, depth) {
            if d > 0 {
                let lowest = delta.len() as u64 / max_comp;
                if (self.text_len >> d.min(63)) < lowest || base_len < lowest {
                    return Ok(None);
                }
            }
        }
        let chunk = source.compress(&delta);
        let len = chunk.len() as u64;
        let data_end = self.view(source).data_end();
        Ok(Some(DeltaChoice {
            base: stored_base,
            distance: (len + data_end).saturating_sub(chain_start),
            meta: RevMeta {
                chain_len: base_meta.chain_len + 1,
                chain_size: base_meta.chain_size + len,
                is_snapshot: depth.is_some(),
            },
            chunk,
            snapshot_depth: depth,
        }))
    }

    /// hg's `is_good_delta_info`.
    fn is_good(&self, source: &dyn DeltaSource, choice: &DeltaChoice) -> bool {
        let len = choice.chunk.len() as u64;
        if self.text_len < len {
            return false;
        }
        let mut max_distance = self.config.max_deltachain_span;
        if max_distance == 0 {
            max_distance = choice.distance as i64;
        }
        let max_distance = max_distance.max((self.text_len * 4) as i64);
        if !self.config.sparse_revlog && max_distance < choice.distance as i64 {
            return false;
        }
        if self.text_len * LIMIT_DELTA2TEXT < choice.meta.chain_size {
            return false;
        }
        if self
            .config
            .max_chain_len
            .is_some_and(|max| max < choice.meta.chain_len)
        {
            return false;
        }
        if self.config.sparse_revlog {
            if let Some(depth) = choice.snapshot_depth.filter(|&d| d > 0) {
                if (self.text_len >> depth.min(63)) < len {
                    return false;
                }
                if self.view(source).length(choice.base) < len {
                    return false;
                }
            }
        }
        true
    }
}
