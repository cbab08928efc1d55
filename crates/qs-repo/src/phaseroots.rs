//! Moving phase boundaries as hg's `phasecache` does: the roots of each
//! phase (`store/phaseroots`) are kept as hg keeps them, so the file we
//! write after `advance` (hg's `advanceboundary`, towards public) or
//! `retract` (hg's `retractboundary`, towards secret, also how a new
//! commit registers its phase) is byte for byte the file hg would write.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use qs_store::phases::Phase;
use qs_store::transaction::{Location, Transaction};
use qs_store::{Node, Revision, NULL_REVISION};

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;

/// The shape of history the phases are computed on: the parents of every
/// revision `0..len` (a commit in progress adds its new revision).
pub struct Graph {
    parents: Vec<[i32; 2]>,
}

impl Graph {
    /// The repository's changelog graph.
    pub fn of(repo: &Repo) -> RepoResult<Graph> {
        let mut parents = Vec::with_capacity(repo.len());
        for r in 0..repo.len() as i32 {
            let [p1, p2] = repo.parents(Revision(r))?;
            parents.push([p1.0, p2.0]);
        }
        Ok(Graph { parents })
    }

    /// Adds a revision (the one being committed) with these parents.
    pub fn push(&mut self, p1: Revision, p2: Revision) -> Revision {
        self.parents.push([p1.0, p2.0]);
        Revision(self.parents.len() as i32 - 1)
    }

    fn len(&self) -> i32 {
        self.parents.len() as i32
    }

    fn parents(&self, r: i32) -> [i32; 2] {
        usize::try_from(r)
            .ok()
            .and_then(|i| self.parents.get(i))
            .copied()
            .unwrap_or([-1, -1])
    }
}

/// The phase number of revision `r` in `phases` (public for null).
fn number_at(phases: &[u32], r: i32) -> u32 {
    usize::try_from(r)
        .ok()
        .and_then(|i| phases.get(i))
        .copied()
        .unwrap_or(0)
}

/// The roots of every phase, as revisions.
#[derive(Clone, Debug, Default)]
pub struct PhaseRoots {
    roots: BTreeMap<u32, BTreeSet<i32>>,
}

impl PhaseRoots {
    /// Reads `store/phaseroots`; roots on unknown nodes are dropped, as
    /// hg drops them.
    pub fn load(repo: &Repo) -> RepoResult<PhaseRoots> {
        let mut roots: BTreeMap<u32, BTreeSet<i32>> = BTreeMap::new();
        for (phase, node) in qs_store::phases::read_roots(repo.store_path())? {
            if let Some(rev) = repo.changelog().rev_of_node(&node)? {
                roots.entry(phase.number()).or_default().insert(rev.0);
            }
        }
        Ok(PhaseRoots { roots })
    }

    /// The phase of every revision of `graph`.
    pub fn phases(&self, graph: &Graph) -> Vec<Phase> {
        let list: Vec<(Phase, Revision)> = self
            .roots
            .iter()
            .filter_map(|(n, revs)| Phase::from_number(*n).map(|p| (p, revs)))
            .flat_map(|(p, revs)| revs.iter().map(move |r| (p, Revision(*r))))
            .collect();
        qs_store::phases::compute_phases(&list, graph.parents.len(), |r| {
            let [a, b] = graph.parents(r.0);
            [Revision(a), Revision(b)]
        })
    }

    fn roots_of(&self, phase: u32) -> BTreeSet<i32> {
        self.roots.get(&phase).cloned().unwrap_or_default()
    }

    /// hg's `advanceboundary`: `revs` (and their ancestors) move down to
    /// `target` where their phase is higher. Returns whether the roots
    /// changed (the file must be written).
    pub fn advance(&mut self, graph: &Graph, target: Phase, revs: &[Revision]) -> bool {
        let target = target.number();
        let phases: Vec<u32> = self.phases(graph).iter().map(|p| p.number()).collect();
        let phase_of = |r: i32| number_at(&phases, r);
        let affectable: Vec<u32> = self
            .roots
            .iter()
            .filter(|(p, roots)| **p > target && !roots.is_empty())
            .map(|(p, _)| *p)
            .collect();
        let new_revs: BTreeSet<i32> = revs
            .iter()
            .map(|r| r.0)
            .filter(|&r| r >= 0 && affectable.contains(&phase_of(r)))
            .collect();
        if new_revs.is_empty() {
            return false;
        }
        let mut seen: BTreeSet<i32> = new_revs.clone();
        let mut heap: BinaryHeap<i32> = new_revs.iter().copied().collect();
        let mut changed: BTreeSet<i32> = BTreeSet::new();
        let mut delroots = BTreeSet::new();
        let mut new_target_roots = BTreeSet::new();
        let mut min_current = i32::MAX;
        while let Some(current) = heap.pop() {
            min_current = current;
            let current_phase = phase_of(current);
            changed.insert(current);
            let [p1, p2] = graph.parents(current);
            let p1_phase = if p1 < 0 { 0 } else { phase_of(p1) };
            let p2_phase = if p2 < 0 { 0 } else { phase_of(p2) };
            if current_phase != p1_phase && current_phase != p2_phase {
                delroots.insert(current);
            }
            for (p, pp) in [(p1, p1_phase), (p2, p2_phase)] {
                if pp > target && seen.insert(p) {
                    heap.push(p);
                }
            }
            if p1_phase < target && p2_phase < target {
                new_target_roots.insert(current);
            }
        }
        let mut new_roots: BTreeMap<u32, BTreeSet<i32>> =
            affectable.iter().map(|p| (*p, BTreeSet::new())).collect();
        if (min_current as i64 + changed.len() as i64) < i64::from(graph.len()) {
            for r in min_current..graph.len() {
                if changed.contains(&r) {
                    continue;
                }
                let phase = phase_of(r);
                if phase <= target {
                    continue;
                }
                let [p1, p2] = graph.parents(r);
                if !(changed.contains(&p1) || changed.contains(&p2)) {
                    continue;
                }
                let same_as = |p: i32| p != -1 && !changed.contains(&p) && phase_of(p) == phase;
                if same_as(p1) || same_as(p2) {
                    continue;
                }
                new_roots.entry(phase).or_default().insert(r);
            }
        }
        let mut dirty = false;
        for phase in &affectable {
            let roots = self.roots_of(*phase);
            let added = new_roots.get(phase).cloned().unwrap_or_default();
            if roots.iter().any(|r| delroots.contains(r)) || !added.is_empty() {
                let mut kept: BTreeSet<i32> = roots.difference(&delroots).copied().collect();
                kept.extend(added);
                self.roots.insert(*phase, kept);
                dirty = true;
            }
        }
        if !new_target_roots.is_empty() {
            new_target_roots.extend(self.roots_of(target));
            self.roots.insert(target, new_target_roots);
            dirty = true;
        }
        dirty
    }

    /// hg's `retractboundary`: `revs` (and their descendants) move up to
    /// `target` where their phase is lower. Returns whether the roots
    /// changed.
    pub fn retract(&mut self, graph: &Graph, target: Phase, revs: &[Revision]) -> RepoResult<bool> {
        if target == Phase::Public || revs.is_empty() {
            return Ok(false);
        }
        if revs.contains(&NULL_REVISION) {
            return Err(RepoError::Message(
                "cannot change null revision phase".into(),
            ));
        }
        let target = target.number();
        let phases: Vec<u32> = self.phases(graph).iter().map(|p| p.number()).collect();
        let phase_of = |r: i32| number_at(&phases, r);
        let new_revs: BTreeSet<i32> = revs
            .iter()
            .map(|r| r.0)
            .filter(|&r| phase_of(r) < target)
            .collect();
        let Some(&start) = new_revs.iter().next() else {
            return Ok(false);
        };
        let end = graph.len();
        let mut rev_phases: Vec<Option<u32>> = vec![None; (end - start).max(0) as usize];
        let slot = |r: i32| usize::try_from(r - start).ok();
        let current_roots = self.roots_of(target);
        let mut new_roots = BTreeSet::new();
        let mut changed = BTreeSet::new();
        let mut replaced = BTreeSet::new();
        for r in start..end {
            let r_phase = phase_of(r);
            let [p1, p2] = graph.parents(r);
            let mut p_phase: Option<u32> = None;
            for p in [p1, p2] {
                if p >= start {
                    if let Some(pp) = slot(p).and_then(|i| rev_phases.get(i)).copied().flatten() {
                        p_phase = Some(p_phase.map_or(pp, |q| q.max(pp)));
                    }
                }
            }
            let here = if new_revs.contains(&r) && r_phase < target {
                if p_phase.is_none_or(|p| p < target) {
                    new_roots.insert(r);
                }
                changed.insert(r);
                target
            } else if let Some(pp) = p_phase {
                if pp == target {
                    if pp > r_phase {
                        changed.insert(r);
                    } else if current_roots.contains(&r) {
                        replaced.insert(r);
                    }
                }
                pp.max(r_phase)
            } else {
                r_phase
            };
            if let Some(cell) = slot(r).and_then(|i| rev_phases.get_mut(i)) {
                *cell = Some(here);
            }
        }
        if new_roots.is_empty() {
            return Ok(false);
        }
        let mut finals: BTreeSet<i32> = current_roots.difference(&replaced).copied().collect();
        finals.extend(new_roots);
        self.roots.insert(target, finals);
        if target > 1 {
            for lower in 1..target {
                let Some(lower_roots) = self.roots.get(&lower) else {
                    continue;
                };
                if lower_roots.iter().any(|r| changed.contains(r)) {
                    let simpler = lower_roots.difference(&changed).copied().collect();
                    self.roots.insert(lower, simpler);
                }
            }
        }
        Ok(true)
    }

    /// The content of `phaseroots` (phases in hg's order, roots by
    /// revision); `node_of` names each root.
    pub fn text(&self, node_of: impl Fn(Revision) -> RepoResult<Node>) -> RepoResult<Vec<u8>> {
        let mut text = Vec::new();
        for (phase, roots) in &self.roots {
            for r in roots {
                let node = node_of(Revision(*r))?;
                text.extend_from_slice(format!("{phase} {}\n", node.hex()).as_bytes());
            }
        }
        Ok(text)
    }

    /// Replaces `store/phaseroots` through the transaction.
    pub fn write(
        &self,
        tr: &mut Transaction<'_>,
        node_of: impl Fn(Revision) -> RepoResult<Node>,
    ) -> RepoResult<()> {
        let text = self.text(node_of)?;
        crate::txn::replace_file(tr, Location::Store, b"phaseroots", &text)
    }
}
