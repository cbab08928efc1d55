//! What `hg summary` reports about the working directory: its parents,
//! branch and bookmarks, the counts of its changes (copies and renames
//! told apart as hg does), the state it is in (merge, interrupted update,
//! graft, new branch, closed head), the changesets an update would bring,
//! and the draft and secret counts. The CLI words and prints it.

use std::collections::HashSet;

use qs_dirstate::matchbuild::Warnings;
use qs_store::phases::Phase;
use qs_store::{Revision, StoreError};

use crate::error::RepoResult;
use crate::repo::Repo;
use crate::status::{self, StatusRequest};

/// The counts of the `commit:` line, in hg's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub modified: usize,
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub copied: usize,
    pub deleted: usize,
    pub unknown: usize,
    pub unresolved: usize,
}

/// The working directory's state, as `hg summary` sees it.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The working directory's parents (one, or two in a merge; the null
    /// revision in an empty checkout).
    pub parents: Vec<Revision>,
    /// The working directory's branch.
    pub branch: Vec<u8>,
    pub counts: Counts,
    /// `.hg/graftstate` exists.
    pub graft: bool,
    /// `.hg/updatestate` exists.
    pub interrupted_update: bool,
    /// The first parent's branch differs from the working branch.
    pub new_branch: bool,
    /// The first parent closes the branch and is one of its heads.
    pub head_closed: bool,
    /// The first parent is an open head of the working branch.
    pub parent_is_head: bool,
    /// Open heads of the working branch.
    pub branch_heads: usize,
    /// Changesets in the branch heads' ancestry but not the parents'.
    pub new_changesets: usize,
    /// The highest phase among the parents.
    pub pending_phase: Phase,
    pub draft: usize,
    pub secret: usize,
}

impl Summary {
    /// Whether nothing is to be committed (hg's "(clean)", which ignores
    /// deleted and unknown files).
    pub fn clean(&self) -> bool {
        let c = &self.counts;
        c.modified == 0 && c.added == 0 && c.removed == 0 && c.renamed == 0 && c.copied == 0
    }
}

/// The number of unresolved files in the merge state (`.hg/merge/state2`,
/// else `.hg/merge/state`): file records whose state is `u` or `pu`.
fn unresolved(repo: &Repo) -> RepoResult<usize> {
    let dir = repo.dot_hg().join("merge");
    let read = |name: &str| -> RepoResult<Option<Vec<u8>>> {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(path, e).into()),
        }
    };
    let unresolved_state = |fields: &[u8]| {
        let mut parts = fields.split(|&b| b == 0);
        let _file = parts.next();
        matches!(parts.next(), Some(b"u") | Some(b"pu"))
    };
    if let Some(data) = read("state2")? {
        let mut count = 0;
        let mut rest = data.as_slice();
        while let Some((&kind, tail)) = rest.split_first() {
            let Some((len, tail)) = tail.split_first_chunk::<4>() else {
                break;
            };
            let len = u32::from_be_bytes(*len) as usize;
            let Some(record) = tail.get(..len) else {
                break;
            };
            if matches!(kind, b'F' | b'C' | b'P') && unresolved_state(record) {
                count += 1;
            }
            rest = &tail[len..];
        }
        return Ok(count);
    }
    let Some(data) = read("state")? else {
        return Ok(0);
    };
    Ok(data
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|line| unresolved_state(line))
        .count())
}

/// Computes the summary; the status it runs records clean files in the
/// dirstate as hg's does. Warnings from reading ignore files go to
/// `warnings`.
pub fn summary(
    repo: &Repo,
    cwd: &[u8],
    ignore_files: &[Vec<u8>],
    warnings: &mut Warnings,
) -> RepoResult<Summary> {
    let [p1n, p2n] = repo.dirstate_parents()?;
    let rev_of = |n: &qs_store::Node| -> RepoResult<Revision> {
        if n.is_null() {
            return Ok(qs_store::NULL_REVISION);
        }
        repo.changelog()
            .rev_of_node(n)?
            .ok_or_else(|| crate::error::RepoError::UnknownRevision(n.hex()))
    };
    let mut parents = vec![rev_of(&p1n)?];
    if !p2n.is_null() {
        parents.push(rev_of(&p2n)?);
    }
    let p1 = parents[0];
    let branch = crate::working::branch(repo)?;

    let req = StatusRequest {
        cwd: cwd.to_vec(),
        ignore_files: ignore_files.to_vec(),
        list_unknown: true,
        ..StatusRequest::default()
    };
    let mut st = status::status_recording_fixups(repo, &req, warnings)?;
    let map = status::read_dirstate(repo)?;
    let (mut renamed, mut copied) = (0, 0);
    for (dest, source) in map.copies() {
        if let Some(i) = st.removed.iter().position(|r| r.as_slice() == source) {
            st.removed.remove(i);
            renamed += 1;
        } else {
            copied += 1;
        }
        if let Some(i) = st.added.iter().position(|a| a.as_slice() == dest) {
            st.added.remove(i);
        }
    }
    let counts = Counts {
        modified: st.modified.len(),
        added: st.added.len(),
        removed: st.removed.len(),
        renamed,
        copied,
        deleted: st.deleted.len(),
        unknown: st.unknown.len(),
        unresolved: unresolved(repo)?,
    };

    let infos = repo.branch_infos()?;
    let info = |r: Revision| (!r.is_null()).then(|| infos.get(r.0 as usize)).flatten();
    let p1_branch = info(p1).map_or(&b"default"[..], |i| i.branch.as_slice());
    let p1_closes = info(p1).is_some_and(|i| i.closed);
    let map = repo.branchmap()?;
    let heads = map.get(branch.as_slice());
    let all_heads: Vec<(Revision, bool)> = heads.map(|h| h.heads.clone()).unwrap_or_default();
    let open_heads: Vec<Revision> = all_heads
        .iter()
        .filter(|(_, closed)| !closed)
        .map(|(r, _)| *r)
        .collect();
    let new_changesets = crate::revset::dag::only(repo, &open_heads, &parents)?.len();
    let phases = repo.phases()?;
    let count = |p: Phase| phases.iter().filter(|x| **x == p).count();
    let mut pending_phase = Phase::Public;
    for p in &parents {
        if !p.is_null() {
            pending_phase = pending_phase.max(repo.phase(*p)?);
        }
    }
    let dot_hg = repo.dot_hg();
    let head_set: HashSet<Revision> = all_heads.iter().map(|(r, _)| *r).collect();
    Ok(Summary {
        parents: parents.clone(),
        counts,
        graft: dot_hg.join("graftstate").exists(),
        interrupted_update: dot_hg.join("updatestate").exists(),
        new_branch: p1_branch != branch.as_slice(),
        head_closed: p1_closes && head_set.contains(&p1),
        parent_is_head: open_heads.contains(&p1),
        branch_heads: open_heads.len(),
        new_changesets,
        pending_phase,
        draft: count(Phase::Draft),
        secret: count(Phase::Secret),
        branch,
    })
}
