//! Where a bare `update` or `merge` goes (hg's `destutil`): the active
//! bookmark, else the tip-most open head of the working directory's
//! branch reachable from its parent (closed heads as a fallback); for a
//! merge, the other head of the branch (or of the active bookmark), with
//! hg's refusals; and hg's notes about other heads after an update.

use qs_store::{Node, Revision, NULL_REVISION};

use super::branch_of;
use crate::diff::copies::is_ancestor;
use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::tracking::Message;

/// The destination of a bare update.
#[derive(Debug, Clone)]
pub struct UpdateDest {
    pub rev: Revision,
    /// Move the active bookmark from this node afterwards.
    pub move_mark_from: Option<Node>,
    /// Activate this bookmark afterwards.
    pub activate: Option<Vec<u8>>,
}

/// The tip-most head of `branch` (open ones only unless `closed`) that
/// descends from `start`.
fn branch_tip_from(
    repo: &Repo,
    branch: &[u8],
    start: Revision,
    closed: bool,
) -> RepoResult<Option<Revision>> {
    let map = repo.branchmap()?;
    let Some(heads) = map.get(branch) else {
        return Ok(None);
    };
    let mut best = None;
    for &(h, is_closed) in &heads.heads {
        if (closed || !is_closed) && is_ancestor(repo, start, h)? {
            best = Some(best.map_or(h, |b: Revision| b.max(h)));
        }
    }
    Ok(best)
}

/// hg's `destupdate`. Notes (`updating to active bookmark X`) go to `out`.
pub fn update_destination(
    repo: &Repo,
    clean: bool,
    out: &mut Vec<Message>,
) -> RepoResult<UpdateDest> {
    let p1 = repo.working_parent()?;
    let p1_node = repo.node(p1)?;
    let marks = repo.bookmarks()?;
    let active_at_parent = marks
        .active
        .as_ref()
        .is_some_and(|a| marks.get(a) == Some(p1_node));
    if let Some(active) = &marks.active {
        if !active_at_parent {
            if let Some(node) = marks.get(active) {
                out.push(Message::Status(
                    [b"updating to active bookmark ", active.as_slice(), b"\n"].concat(),
                ));
                let rev = repo.changelog().rev_of_node(&node)?.ok_or_else(|| {
                    RepoError::UnknownRevision(String::from_utf8_lossy(active).into())
                })?;
                return Ok(UpdateDest {
                    rev,
                    move_mark_from: None,
                    activate: Some(active.clone()),
                });
            }
        }
    }
    let move_mark_from = active_at_parent.then_some(p1_node);
    let branch = if clean {
        branch_of(repo, p1)?
    } else {
        crate::working::branch(repo)?
    };
    let map = repo.branchmap()?;
    let rev = if map.contains_key(&branch) {
        match branch_tip_from(repo, &branch, p1, false)? {
            Some(r) => r,
            None => branch_tip_from(repo, &branch, p1, true)?.unwrap_or(p1),
        }
    } else if branch == b"default" && p1.is_null() {
        let infos = repo.branch_infos()?;
        repo.heads()?
            .iter()
            .copied()
            .filter(|h| infos.get(h.0 as usize).is_some_and(|i| !i.closed))
            .max()
            .unwrap_or(NULL_REVISION)
    } else {
        p1
    };
    Ok(UpdateDest {
        rev,
        move_mark_from,
        activate: None,
    })
}

fn abort(message: String, hint: &str) -> RepoError {
    RepoError::WithHint {
        message,
        hint: hint.to_string(),
    }
}

/// hg's `destmerge` for a bare `merge`.
pub fn merge_destination(repo: &Repo) -> RepoResult<Revision> {
    let p1 = repo.working_parent()?;
    let marks = repo.bookmarks()?;
    let rev_of = |n: &Node| -> RepoResult<Revision> {
        Ok(repo.changelog().rev_of_node(n)?.unwrap_or(NULL_REVISION))
    };
    if let Some(active) = &marks.active {
        let base = active.split(|&b| b == b'@').next().unwrap_or(active);
        let heads: Vec<Node> = marks
            .marks
            .iter()
            .filter(|(name, _)| name.split(|&b| b == b'@').next() == Some(base))
            .map(|(_, n)| *n)
            .collect();
        let current = marks.get(active);
        let hint = "run 'hg heads' to see all heads, specify rev with -r";
        return match heads.len() {
            2 => {
                let other = if Some(heads[0]) == current { heads[1] } else { heads[0] };
                rev_of(&other)
            }
            n if n > 2 => Err(abort(
                "multiple matching bookmarks to merge - please merge with an explicit rev or bookmark".into(),
                hint,
            )),
            _ => Err(abort(
                "no matching bookmark to merge - please merge with an explicit rev or bookmark".into(),
                hint,
            )),
        };
    }
    let branch = crate::working::branch(repo)?;
    let map = repo.branchmap()?;
    let bheads: Vec<Revision> = map
        .get(&branch)
        .map(|h| {
            h.heads
                .iter()
                .filter(|(_, c)| !c)
                .map(|(r, _)| *r)
                .collect()
        })
        .unwrap_or_default();
    let onhead = bheads.contains(&p1);
    let all_heads = repo.heads()?.len();
    if !onhead {
        return Err(if all_heads <= 1 {
            abort("nothing to merge".into(), "use 'hg update' instead")
        } else {
            abort(
                "working directory not at a head revision".into(),
                "use 'hg update' or merge with an explicit revision",
            )
        });
    }
    let mut others = Vec::new();
    for &h in &bheads {
        if !is_ancestor(repo, p1, h)? {
            others.push(h);
        }
    }
    let bookmarked: Vec<Revision> = marks
        .marks
        .iter()
        .filter_map(|(_, n)| repo.changelog().rev_of_node(n).ok().flatten())
        .collect();
    let nbhs: Vec<Revision> = others
        .iter()
        .copied()
        .filter(|r| !bookmarked.contains(r))
        .collect();
    let name = String::from_utf8_lossy(&branch).into_owned();
    match nbhs.len() {
        1 => Ok(nbhs[0]),
        0 if !others.is_empty() => Err(abort(
            "heads are bookmarked - please merge with an explicit rev".into(),
            "run 'hg heads' to see all heads, specify rev with -r",
        )),
        0 if all_heads > 1 => Err(abort(
            format!("branch '{name}' has one head - please merge with an explicit rev"),
            "run 'hg heads' to see all heads, specify rev with -r",
        )),
        0 => Err(RepoError::Message("nothing to merge".into())),
        _ => Err(abort(
            format!(
                "branch '{name}' has {} heads - please merge with an explicit rev",
                others.len() + 1
            ),
            "run 'hg heads .' to see heads, specify rev with -r",
        )),
    }
}

/// hg's `statusotherdests` after a bare update (`bookmark_active`:
/// whether a bookmark is active now).
pub fn other_destinations(
    repo: &Repo,
    bookmark_active: bool,
    out: &mut Vec<Message>,
) -> RepoResult<()> {
    if bookmark_active {
        // Divergent bookmarks (`name@path`) are not reported by qs yet.
        return Ok(());
    }
    let branch = crate::working::branch(repo)?;
    let p1 = repo.working_parent()?;
    let map = repo.branchmap()?;
    let Some(heads) = map.get(&branch) else {
        return Ok(());
    };
    if !heads.heads.iter().any(|(r, _)| *r == p1) {
        return Ok(());
    }
    let others = heads
        .heads
        .iter()
        .filter(|(r, closed)| !closed && *r != p1)
        .count();
    let name = String::from_utf8_lossy(&branch).into_owned();
    let closed = repo
        .branch_infos()?
        .get(p1.0 as usize)
        .is_some_and(|i| i.closed);
    if closed {
        out.push(Message::Warn(
            format!("no open descendant heads on branch \"{name}\", updating to a closed head\n")
                .into_bytes(),
        ));
        out.push(Message::Warn(if others > 0 {
            format!(
                "(committing will reopen the head, use 'hg heads .' to see {others} other heads)\n"
            )
            .into_bytes()
        } else {
            format!("(committing will reopen branch \"{name}\")\n").into_bytes()
        }));
    } else if others > 0 {
        let cs = repo.changeset(p1)?;
        let first = cs.description.split(|&b| b == b'\n').next().unwrap_or(b"");
        let mut line = format!("updated to \"{}: ", repo.node(p1)?.short()).into_bytes();
        line.extend_from_slice(first);
        line.extend_from_slice(b"\"\n");
        out.push(Message::Status(line));
        out.push(Message::Status(
            format!("{others} other heads for branch \"{name}\"\n").into_bytes(),
        ));
    }
    Ok(())
}
