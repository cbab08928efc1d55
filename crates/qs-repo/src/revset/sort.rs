//! `sort(set[, keys])`: stable multi-key sorting of a set (keys `rev`,
//! `branch`, `desc`, `user`/`author`, `date`, `node`, each optionally
//! prefixed by `-` for descending).

use std::cmp::Ordering;

use qs_lang::{ParseError, Tree};

use super::args::{getargsdict, getstring, named};
use super::eval::{Evaluator, Order};
use super::set::RevSet;
use super::{RevsetError, RevsetResult};
use crate::changeset::Changeset;
use crate::error::RepoResult;
use crate::repo::Repo;
use qs_store::Revision;
use std::collections::{BinaryHeap, HashSet};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Rev,
    Branch,
    Desc,
    User,
    Date,
    Node,
    Topo,
}

pub fn sort(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Option<&Tree>,
    order: Order,
) -> RevsetResult<RevSet> {
    let args = getargsdict(
        args,
        "sort",
        &["set", "keys", "topo.firstbranch", "random.seed"],
    )?;
    let Some(set) = named(&args, "set") else {
        return Err(ParseError::new("sort requires one or two arguments").into());
    };
    let spec: &[u8] = match named(&args, "keys") {
        Some(t) => getstring(Some(t), "sort spec must be a string")?,
        None => b"rev",
    };
    let mut keys = Vec::new();
    for word in spec
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        let (reverse, name) = match word.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, word),
        };
        let key = match name {
            b"rev" => Key::Rev,
            b"branch" => Key::Branch,
            b"desc" => Key::Desc,
            b"user" | b"author" => Key::User,
            b"date" => Key::Date,
            b"node" => Key::Node,
            b"topo" => Key::Topo,
            b"random" => {
                return Err(RevsetError::Unsupported(format!(
                    "sort key '{}' is not supported by qs yet",
                    String::from_utf8_lossy(name)
                )))
            }
            _ => {
                return Err(ParseError::new(format!(
                    "unknown sort key '{}'",
                    String::from_utf8_lossy(word)
                ))
                .into())
            }
        };
        keys.push((key, reverse));
    }
    let topo = keys.iter().any(|(k, _)| *k == Key::Topo);
    if keys.len() > 1 && topo {
        return Err(
            ParseError::new("topo sort order cannot be combined with other sort keys").into(),
        );
    }
    let first_branch = named(&args, "topo.firstbranch");
    if first_branch.is_some() && !topo {
        return Err(ParseError::new(
            "topo.firstbranch can only be used when using the topo sort key",
        )
        .into());
    }
    if named(&args, "random.seed").is_some() {
        return Err(
            ParseError::new("random.seed can only be used when using the random sort key").into(),
        );
    }
    let revs = ev.getset(subset, Some(set), order)?;
    if keys.is_empty() || order != Order::Define {
        return Ok(revs);
    }
    if let [(Key::Topo, reverse)] = keys.as_slice() {
        let first: Vec<Revision> = match first_branch {
            Some(t) => ev.getset(subset, Some(t), Order::Define)?.to_vec(),
            None => Vec::new(),
        };
        let mut sorted = toposort(ev.repo, revs.to_vec(), &first)?;
        if *reverse {
            sorted.reverse();
        }
        return Ok(RevSet::List(sorted));
    }
    let repo = ev.repo;
    // Users and dates come from the changelog cache when it pays.
    let cached_keys = keys
        .iter()
        .all(|(k, _)| matches!(k, Key::Rev | Key::Date | Key::User));
    if cached_keys {
        if let Some(meta) = super::predicates::meta_for(repo, &revs)? {
            let mut list = revs.to_vec();
            for (key, reverse) in keys.iter().rev() {
                list.sort_by(|a, b| {
                    let ordering = match key {
                        Key::Date => meta.date(*a).seconds.cmp(&meta.date(*b).seconds),
                        Key::User => meta.user(*a).cmp(meta.user(*b)),
                        _ => a.cmp(b),
                    };
                    if *reverse {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                });
            }
            return Ok(RevSet::List(list));
        }
    }
    // Changesets are independent: read and parse them in parallel.
    let mut changesets: Vec<Changeset> = {
        use rayon::prelude::*;
        revs.to_vec()
            .into_par_iter()
            .map(|rev| repo.changeset(rev))
            .collect::<Result<_, _>>()?
    };
    for (key, reverse) in keys.iter().rev() {
        changesets.sort_by(|a, b| {
            let ordering = compare(*key, a, b);
            if *reverse {
                ordering.reverse()
            } else {
                ordering
            }
        });
    }
    Ok(RevSet::List(
        changesets.into_iter().map(|c| c.rev).collect(),
    ))
}

fn compare(key: Key, a: &Changeset, b: &Changeset) -> Ordering {
    match key {
        Key::Rev => a.rev.cmp(&b.rev),
        Key::Branch => a.branch().cmp(b.branch()),
        Key::Desc => a.description.cmp(&b.description),
        Key::User => a.user.cmp(&b.user),
        Key::Date => a.date.seconds.cmp(&b.date.seconds),
        Key::Node => a.node.as_bytes().cmp(b.node.as_bytes()),
        Key::Topo => Ordering::Equal,
    }
}

/// hg's `toposort`: revisions from heads to roots, one branch at a time
/// (the branch holding `first_branch` first). Group 0's parent set is the
/// "unblocked" set, as in hg.
fn toposort(
    repo: &Repo,
    mut revs: Vec<Revision>,
    first_branch: &[Revision],
) -> RepoResult<Vec<Revision>> {
    revs.sort_by(|a, b| b.cmp(a));
    let mut out = Vec::with_capacity(revs.len());
    let mut groups: Vec<(Vec<Revision>, HashSet<Revision>)> =
        vec![(Vec::new(), first_branch.iter().copied().collect())];
    let mut pending: BinaryHeap<Revision> = BinaryHeap::new();
    let mut pending_set: HashSet<Revision> = HashSet::new();
    for current in revs {
        if pending_set.insert(current) {
            pending.push(current);
        }
        let mut rev = None;
        while rev != Some(current) {
            let Some(r) = pending.pop() else {
                break;
            };
            rev = Some(r);
            pending_set.remove(&r);
            let mut matching: Vec<usize> = groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.1.contains(&r))
                .map(|(i, _)| i)
                .collect();
            let mut target = if matching.is_empty() {
                groups.push((Vec::new(), HashSet::from([r])));
                groups.len() - 1
            } else {
                let target = matching.remove(0);
                for &i in &matching {
                    let (revs_i, parents_i) = groups[i].clone();
                    groups[target].0.extend(revs_i);
                    groups[target].1.extend(parents_i);
                }
                for &i in matching.iter().rev() {
                    groups.remove(i);
                }
                target
            };
            if r == current {
                groups[target].0.push(r);
            }
            groups[target].1.remove(&r);
            let parents: Vec<Revision> =
                repo.parents(r)?.into_iter().filter(|p| p.0 > -1).collect();
            groups[target].1.extend(parents.iter().copied());
            for p in parents {
                if pending_set.insert(p) {
                    pending.push(p);
                }
            }
            let emit = if groups[0].1.is_empty() {
                if groups.len() > 1 {
                    target = 1;
                }
                true
            } else {
                target == 0 || groups[target].1.iter().any(|p| groups[0].1.contains(p))
            };
            if emit {
                if target != 0 {
                    let parents = groups[target].1.clone();
                    groups[0].1.extend(parents);
                }
                out.append(&mut groups[target].0);
                if target != 0 {
                    groups.remove(target);
                }
            }
        }
    }
    for (revs, _) in groups {
        out.extend(revs);
    }
    Ok(out)
}
