//! Revset functions about where changesets came from and what names
//! point at them: `origin()`/`destination()` (grafts, transplants and
//! rebases recorded in extras) and `named(namespace)`.

use std::collections::HashSet;

use qs_lang::Tree;
use qs_store::{Node, Revision};

use super::args::{getargs, getstring};
use super::eval::{Evaluator, Order};
use super::set::RevSet;
use super::text::StringMatcher;
use super::{RevsetError, RevsetResult};
use crate::repo::Repo;

type Args<'t> = Option<&'t Tree>;

/// hg's `_getrevsource`: the revision a changeset was grafted,
/// transplanted or rebased from, if it is in the repository.
fn source_of(repo: &Repo, rev: Revision) -> RevsetResult<Option<Revision>> {
    let cs = repo.changeset(rev)?;
    for label in [&b"source"[..], b"transplant_source", b"rebase_source"] {
        let Some(value) = cs.extra.get(label) else {
            continue;
        };
        let node = if value.len() == 20 {
            Node::from_bytes(value)
        } else {
            Node::from_hex(value)
        };
        if let Some(node) = node {
            if let Some(found) = repo.changelog().rev_of_node(&node)? {
                return Ok(Some(found));
            }
        }
    }
    Ok(None)
}

/// `origin([set])` and `destination([set])`.
pub fn origin_or_destination(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Args<'_>,
    name: &[u8],
) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let input = match args {
        Some(_) => ev.getset(&ev.full(), args, Order::Define)?,
        None => ev.full(),
    };
    if name == b"origin" {
        let mut found = HashSet::new();
        for rev in input.to_vec() {
            let Some(mut src) = source_of(repo, rev)? else {
                continue;
            };
            while let Some(prev) = source_of(repo, src)? {
                src = prev;
            }
            found.insert(src);
        }
        return Ok(subset.and(&RevSet::from_revs(found)));
    }
    let mut dests: HashSet<Revision> = HashSet::new();
    for r in subset.to_vec() {
        let mut lineage = Vec::new();
        let mut current = r;
        while let Some(src) = source_of(repo, current)? {
            lineage.push(current);
            if input.contains(src) || dests.contains(&src) {
                dests.extend(lineage.iter().copied());
                break;
            }
            current = src;
        }
    }
    Ok(subset.filter(|r| dests.contains(&r)))
}

/// `named(namespace)`: revisions of the bookmarks, tags (not `tip`) or
/// branch tips.
pub fn named(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let list = getargs(args, 1, Some(1), "named requires a namespace argument")?;
    let ns = getstring(
        list.first().copied(),
        "the argument to named must be a string",
    )?;
    const NAMESPACES: [&str; 3] = ["bookmarks", "tags", "branches"];
    let wanted: Vec<&str> = match StringMatcher::new(ns, false)? {
        StringMatcher::Literal(text) => {
            match NAMESPACES.iter().find(|n| n.as_bytes() == text.as_slice()) {
                Some(n) => vec![*n],
                None => {
                    return Err(RevsetError::Lookup(format!(
                        "namespace '{}' does not exist",
                        String::from_utf8_lossy(ns)
                    )))
                }
            }
        }
        m => NAMESPACES
            .iter()
            .copied()
            .filter(|n| m.matches(n.as_bytes()))
            .collect(),
    };
    let mut found = Vec::new();
    for namespace in wanted {
        match namespace {
            "bookmarks" => {
                for (_, node) in &repo.bookmarks()?.marks {
                    found.extend(repo.changelog().rev_of_node(node)?);
                }
            }
            "tags" => {
                for (name, (node, _)) in &repo.tags()?.by_name {
                    if name.as_slice() != b"tip" {
                        found.extend(repo.changelog().rev_of_node(node)?);
                    }
                }
            }
            _ => {
                for heads in repo.branchmap()?.values() {
                    found.push(heads.tip());
                }
            }
        }
    }
    found.retain(|r| !r.is_null());
    Ok(subset.and(&RevSet::from_revs(found)))
}
