//! Copies and renames between the two sides of a diff (hg's
//! `pathcopies`), for `--git` headers: the dirstate's copy records for
//! the working directory against its parent, and filelog copy metadata
//! traced through file ancestors between related revisions.

use std::collections::{BTreeMap, HashSet};

use qs_store::manifest::Manifest;
use qs_store::{Node, Revision, NULL_REVISION};

use super::Side;
use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;

/// Copy destinations (on the right side) mapped to their sources (on the
/// left side).
pub type Copies = BTreeMap<Vec<u8>, Vec<u8>>;

/// Everything the copy search needs to know about one side.
pub struct SideInfo<'m> {
    pub side: Side,
    pub manifest: &'m Manifest,
    /// For the working directory: the files it tracks (not removed).
    pub tracked: Option<&'m HashSet<Vec<u8>>>,
}

impl SideInfo<'_> {
    fn contains(&self, path: &[u8]) -> bool {
        match self.tracked {
            Some(set) => set.contains(path),
            None => self.manifest.get(path).is_some(),
        }
    }
}

/// The dirstate's copy records of tracked files.
fn dirstate_copies(repo: &Repo) -> RepoResult<Copies> {
    let map = crate::status::read_dirstate(repo)?;
    let mut out = Copies::new();
    for (path, entry) in map.iter() {
        if !entry.wc_tracked {
            continue;
        }
        if let Some(source) = map.copy_source(path) {
            out.insert(path.to_vec(), source.to_vec());
        }
    }
    Ok(out)
}

/// Whether `a` is `b` or one of its ancestors.
pub fn is_ancestor(repo: &Repo, a: Revision, b: Revision) -> RepoResult<bool> {
    if a.is_null() || a == b {
        return Ok(true);
    }
    if b.is_null() || b.0 < a.0 {
        return Ok(false);
    }
    let mut seen = HashSet::new();
    let mut stack = vec![b];
    while let Some(r) = stack.pop() {
        if r == a {
            return Ok(true);
        }
        for p in repo.parents(r)? {
            if p.0 >= a.0 && seen.insert(p) {
                stack.push(p);
            }
        }
    }
    Ok(false)
}

/// The file ancestors of `path@node` in hg's order (highest link
/// revision first), following copies; the first one that `base` holds
/// at the same node gives the source path.
fn trace_file(
    repo: &Repo,
    path: &[u8],
    node: Node,
    base: &Manifest,
) -> RepoResult<Option<Vec<u8>>> {
    let mut visit: BTreeMap<(Revision, Node), Vec<u8>> = BTreeMap::new();
    let mut current = (path.to_vec(), node);
    loop {
        for (p, n) in file_parents(repo, &current.0, &current.1)? {
            let log = repo.filelog(&p)?;
            let link = match log.rev_of_node(&n)? {
                Some(r) => log.link_rev(r)?,
                None => NULL_REVISION,
            };
            visit.insert((link, n), p);
        }
        let Some(((_, n), p)) = visit.pop_last() else {
            return Ok(None);
        };
        if base.get(&p).is_some_and(|(found, _)| found == n) {
            return Ok(Some(p));
        }
        current = (p, n);
    }
}

/// The parents of a file revision as hg's `filectx.parents()` lists
/// them: the copy source first when there is one, then the non-null
/// filelog parents.
fn file_parents(repo: &Repo, path: &[u8], node: &Node) -> RepoResult<Vec<(Vec<u8>, Node)>> {
    let log = repo.filelog(path)?;
    let Some(rev) = log.rev_of_node(node)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    if let Some((source, hex)) = qs_store::filelog::copy_source(&log.data(rev)?) {
        if let Some(n) = Node::from_hex(&hex) {
            out.push((source, n));
        }
    }
    for p in log.parents(rev)? {
        if p != NULL_REVISION {
            out.push((path.to_vec(), log.node(p)?));
        }
    }
    Ok(out)
}

/// Copies from revision `from` to revision `to` (an ancestor of it or
/// itself) for the files of `to` that `from` lacks.
fn committed_forward(
    repo: &Repo,
    from: &Manifest,
    to: &Manifest,
    wanted: &dyn Fn(&[u8]) -> bool,
) -> RepoResult<Copies> {
    let mut out = Copies::new();
    for (path, node, _) in to.iter() {
        if from.get(path).is_some() || !wanted(path) {
            continue;
        }
        if let Some(source) = trace_file(repo, path, node, from)? {
            out.insert(path.to_vec(), source);
        }
    }
    Ok(out)
}

/// Copies from `from` (a revision) forward to `to` (a descendant revision
/// or the working directory).
fn forward(
    repo: &Repo,
    from: &Manifest,
    to: &SideInfo<'_>,
    parent_manifest: Option<&Manifest>,
    wanted: &dyn Fn(&[u8]) -> bool,
) -> RepoResult<Copies> {
    match (to.side, parent_manifest) {
        (Side::Working, Some(parent)) => {
            let committed = committed_forward(repo, from, parent, wanted)?;
            let mut chained = committed.clone();
            for (dst, src) in dirstate_copies(repo)? {
                if !wanted(&dst) {
                    continue;
                }
                let origin = committed.get(&src).cloned().unwrap_or(src);
                chained.insert(dst, origin);
            }
            Ok(chained)
        }
        _ => committed_forward(repo, from, to.manifest, wanted),
    }
}

/// hg's `_filter`: drops self-copies, copies from files the source side
/// lacks and copies to files the destination side lacks.
fn filter(copies: &mut Copies, src: &SideInfo<'_>, dst: &SideInfo<'_>) {
    copies.retain(|k, v| k != v && src.contains(v) && dst.contains(k));
}

/// The revision a side stands for in ancestry questions (the working
/// directory's first parent for the working directory).
fn anchor(repo: &Repo, side: Side) -> RepoResult<Revision> {
    match side {
        Side::Rev(r) => Ok(r),
        Side::Working => repo.working_parent(),
    }
}

/// hg's `pathcopies` between two revisions neither of which is an
/// ancestor of the other: the renames from the common ancestor to `left`
/// reversed, chained with the copies from it to `right` (copies recorded
/// the same way on both sides cancel out).
fn through_common_ancestor(
    repo: &Repo,
    lrev: Revision,
    rrev: Revision,
    left: &SideInfo<'_>,
    right: &SideInfo<'_>,
    wanted: &dyn Fn(&[u8]) -> bool,
) -> RepoResult<Copies> {
    let base = crate::merge::ancestor(repo, lrev, rrev)?;
    let base_manifest = repo.manifest_of(base)?;
    let everything = |_: &[u8]| true;
    let mut left_copies = committed_forward(repo, &base_manifest, left.manifest, &everything)?;
    let mut right_copies = committed_forward(repo, &base_manifest, right.manifest, wanted)?;
    let same: Vec<Vec<u8>> = left_copies
        .iter()
        .filter(|(k, v)| right_copies.get(*k) == Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    for k in same {
        left_copies.remove(&k);
        right_copies.remove(&k);
    }
    // Renames only (a source still on the left was copied, not moved).
    let mut backward = Copies::new();
    for (dst, src) in left_copies {
        if wanted(&src) && !left.contains(&src) {
            backward.insert(src, dst);
        }
    }
    let mut chained = backward.clone();
    for (dst, src) in right_copies {
        let origin = backward.get(&src).cloned().unwrap_or(src);
        chained.insert(dst, origin);
    }
    Ok(chained)
}

/// hg's `pathcopies(left, right)`: `{destination on right: source on
/// left}`. `wanted` filters destinations (the file patterns).
pub fn path_copies(
    repo: &Repo,
    left: &SideInfo<'_>,
    right: &SideInfo<'_>,
    wanted: &dyn Fn(&[u8]) -> bool,
) -> RepoResult<Copies> {
    let (lrev, rrev) = (anchor(repo, left.side)?, anchor(repo, right.side)?);
    if left.side == right.side {
        return Ok(Copies::new());
    }
    if right.side == Side::Working && left.side == Side::Rev(rrev) {
        let mut copies = dirstate_copies(repo)?;
        copies.retain(|k, _| wanted(k));
        return Ok(copies);
    }
    let parent_of_working = |side: Side| -> RepoResult<Option<Manifest>> {
        match side {
            Side::Working => Ok(Some(repo.manifest_of(repo.working_parent()?)?)),
            Side::Rev(_) => Ok(None),
        }
    };
    let mut copies = if is_ancestor(repo, lrev, rrev)? && left.side != Side::Working {
        let parent = parent_of_working(right.side)?;
        forward(repo, left.manifest, right, parent.as_ref(), wanted)?
    } else if is_ancestor(repo, rrev, lrev)? && right.side != Side::Working {
        let parent = parent_of_working(left.side)?;
        let everything = |_: &[u8]| true;
        let ahead = forward(repo, right.manifest, left, parent.as_ref(), &everything)?;
        let mut reversed = Copies::new();
        for (k, v) in ahead {
            if !wanted(&v) || left.contains(&v) {
                continue;
            }
            reversed.insert(v, k);
        }
        reversed
    } else if left.side != Side::Working && right.side != Side::Working {
        through_common_ancestor(repo, lrev, rrev, left, right, wanted)?
    } else {
        return Err(RepoError::Message(
            "copies between revisions that are not ancestors of one another \
             are not supported by qs yet"
                .to_string(),
        ));
    };
    filter(&mut copies, left, right);
    Ok(copies)
}
