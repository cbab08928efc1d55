//! Graph walks over the changelog the predicates share: ancestors (with an
//! optional depth), descendants, heads of a set, `::x - ::y` and `x::y`.

use std::collections::{BTreeSet, HashSet};

use qs_store::Revision;

use crate::error::RepoResult;
use crate::repo::Repo;

/// Real (non-null) parents of `rev`.
pub fn parents(repo: &Repo, rev: Revision) -> RepoResult<Vec<Revision>> {
    let [p1, p2] = repo.parents(rev)?;
    Ok([p1, p2].into_iter().filter(|p| !p.is_null()).collect())
}

/// `revs` and their ancestors; with `stop_depth`, only generations below
/// it (0 is the revisions themselves), starting at `start_depth`.
pub fn ancestors(
    repo: &Repo,
    revs: &[Revision],
    start_depth: usize,
    stop_depth: Option<usize>,
) -> RepoResult<HashSet<Revision>> {
    walk_ancestors(repo, revs, false, start_depth, stop_depth)
}

/// The parents to follow from `rev`: both, or only the first.
fn followed_parents(repo: &Repo, rev: Revision, first_only: bool) -> RepoResult<Vec<Revision>> {
    let mut ps = parents(repo, rev)?;
    if first_only {
        let [p1, _] = repo.parents(rev)?;
        ps.retain(|p| *p == p1);
    }
    Ok(ps)
}

/// hg's `revancestors`: [`ancestors`], following only first parents when
/// `first_only`. A revision's depth is its shortest distance from `revs`.
pub fn walk_ancestors(
    repo: &Repo,
    revs: &[Revision],
    first_only: bool,
    start_depth: usize,
    stop_depth: Option<usize>,
) -> RepoResult<HashSet<Revision>> {
    let mut found = HashSet::new();
    // hg keeps a null revision given as input (it has no parents).
    if start_depth == 0 && stop_depth != Some(0) && revs.contains(&Revision(-1)) {
        found.insert(Revision(-1));
    }
    if stop_depth.is_none() && start_depth == 0 {
        let mut stack: Vec<Revision> = revs.iter().copied().filter(|r| !r.is_null()).collect();
        while let Some(rev) = stack.pop() {
            if found.insert(rev) {
                stack.extend(followed_parents(repo, rev, first_only)?);
            }
        }
        return Ok(found);
    }
    // Breadth first by generation: a revision's depth is its shortest
    // distance from the input.
    let mut seen = HashSet::new();
    let mut frontier: Vec<Revision> = revs.iter().copied().filter(|r| !r.is_null()).collect();
    let mut depth = 0;
    while !frontier.is_empty() && stop_depth.is_none_or(|stop| depth < stop) {
        let mut next = Vec::new();
        for rev in frontier {
            if !seen.insert(rev) {
                continue;
            }
            if depth >= start_depth {
                found.insert(rev);
            }
            next.extend(followed_parents(repo, rev, first_only)?);
        }
        frontier = next;
        depth += 1;
    }
    Ok(found)
}

/// hg's `revdescendants` with depths: `revs` and their descendants whose
/// shortest distance from `revs` is in `start_depth..stop_depth`.
pub fn descendants_by_depth(
    repo: &Repo,
    revs: &[Revision],
    first_only: bool,
    start_depth: usize,
    stop_depth: Option<usize>,
) -> RepoResult<HashSet<Revision>> {
    let mut found = HashSet::new();
    let Some(min) = revs.iter().min().copied() else {
        return Ok(found);
    };
    // Children of every revision from `min` on (null's are the roots).
    let base = min.0;
    let mut children: Vec<Vec<Revision>> =
        vec![Vec::new(); (repo.len() as i32 - base).max(0) as usize + 1];
    for r in (base + 1).max(0)..repo.len() as i32 {
        let [p1, p2] = repo.parents(Revision(r))?;
        if p1.0 >= base {
            children[(p1.0 - base) as usize].push(Revision(r));
        }
        if !first_only && !p2.is_null() && p2.0 >= base {
            children[(p2.0 - base) as usize].push(Revision(r));
        }
    }
    let mut seen = HashSet::new();
    let mut frontier: Vec<Revision> = revs.to_vec();
    let mut depth = 0;
    while !frontier.is_empty() && stop_depth.is_none_or(|stop| depth < stop) {
        let mut next = Vec::new();
        for rev in frontier {
            if !seen.insert(rev) {
                continue;
            }
            if depth >= start_depth {
                found.insert(rev);
            }
            if let Some(list) = children.get((rev.0 - base) as usize) {
                next.extend(list.iter().copied());
            }
        }
        frontier = next;
        depth += 1;
    }
    Ok(found)
}

/// `revs` and their descendants through first parents only.
pub fn first_descendants(repo: &Repo, revs: &[Revision]) -> RepoResult<HashSet<Revision>> {
    let mut found: HashSet<Revision> = revs.iter().copied().collect();
    let Some(min) = revs.iter().min().copied() else {
        return Ok(found);
    };
    for r in (min.0 + 1).max(0)..repo.len() as i32 {
        let [p1, _] = repo.parents(Revision(r))?;
        if (!p1.is_null() || min.is_null()) && found.contains(&p1) {
            found.insert(Revision(r));
        }
    }
    Ok(found)
}

/// `revs` and their descendants.
pub fn descendants(repo: &Repo, revs: &[Revision]) -> RepoResult<HashSet<Revision>> {
    let mut found: HashSet<Revision> = revs.iter().copied().collect();
    let Some(min) = revs.iter().min().copied() else {
        return Ok(found);
    };
    let all_from_null = found.contains(&Revision(-1));
    for r in (min.0 + 1).max(0)..repo.len() as i32 {
        let rev = Revision(r);
        if all_from_null {
            found.insert(rev);
            continue;
        }
        let [p1, p2] = repo.parents(rev)?;
        if (!p1.is_null() && found.contains(&p1)) || (!p2.is_null() && found.contains(&p2)) {
            found.insert(rev);
        }
    }
    Ok(found)
}

/// Members of `revs` that are not a parent of another member.
pub fn heads_of(repo: &Repo, revs: &[Revision]) -> RepoResult<HashSet<Revision>> {
    let mut heads: HashSet<Revision> = revs.iter().copied().collect();
    for rev in revs {
        for p in parents(repo, *rev)? {
            heads.remove(&p);
        }
    }
    Ok(heads)
}

/// `::include - ::exclude`.
pub fn only(
    repo: &Repo,
    include: &[Revision],
    exclude: &[Revision],
) -> RepoResult<HashSet<Revision>> {
    let excluded = ancestors(repo, exclude, 0, None)?;
    let mut found = HashSet::new();
    let mut stack: Vec<Revision> = include
        .iter()
        .copied()
        .filter(|r| !r.is_null() && !excluded.contains(r))
        .collect();
    while let Some(rev) = stack.pop() {
        if found.insert(rev) {
            stack.extend(
                parents(repo, rev)?
                    .into_iter()
                    .filter(|p| !excluded.contains(p)),
            );
        }
    }
    Ok(found)
}

/// `roots::heads`: revisions on a path from a root to a head, both ends
/// included, ascending.
pub fn dag_range(
    repo: &Repo,
    roots: &[Revision],
    heads: &[Revision],
) -> RepoResult<BTreeSet<Revision>> {
    let roots: HashSet<Revision> = roots.iter().copied().collect();
    let Some(min_root) = roots.iter().min().copied() else {
        return Ok(BTreeSet::new());
    };
    let mut candidates: Vec<Revision> = ancestors(repo, heads, 0, None)?
        .into_iter()
        .filter(|r| *r >= min_root)
        .collect();
    candidates.sort();
    let mut reached = BTreeSet::new();
    for rev in candidates {
        let [p1, p2] = repo.parents(rev)?;
        if roots.contains(&rev) || reached.contains(&p1) || reached.contains(&p2) {
            reached.insert(rev);
        }
    }
    if roots.contains(&Revision(-1)) && !heads.is_empty() {
        // `null::x` is null and everything up to x.
        reached.insert(Revision(-1));
        reached.extend(ancestors(repo, heads, 0, None)?);
    }
    Ok(reached)
}
