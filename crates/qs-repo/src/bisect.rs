//! Bisection (hg's `hbisect`): the state file `.hg/bisect.state` (read and
//! written in hg's format, so either tool continues a bisection the other
//! started), the choice of the next changeset to test, the `--extend`
//! range, the sets behind the `bisect(...)` revset predicate and the
//! `{bisect}` template keyword. Messages and output are the caller's.

use std::collections::{HashMap, HashSet, VecDeque};

use qs_store::{Node, Revision};

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::revset::dag;

/// The file holding the state, below `.hg`.
pub const STATE_FILE: &str = "bisect.state";

/// The marks of a bisection, each list in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub current: Vec<Node>,
    pub good: Vec<Node>,
    pub bad: Vec<Node>,
    pub skip: Vec<Node>,
}

/// What [`State::load`] found wrong in the state file.
fn corrupted(line: &[u8]) -> RepoError {
    RepoError::Message(format!(
        "corrupted bisect state: '{}'",
        String::from_utf8_lossy(line)
    ))
}

impl State {
    /// Reads `.hg/bisect.state` (empty when absent). Each line is a kind
    /// and a revision (any symbol hg's `lookup` takes); like hg, the last
    /// byte of every line is dropped as its newline.
    pub fn load(repo: &Repo) -> RepoResult<State> {
        let path = repo.dot_hg().join(STATE_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(qs_store::StoreError::io(&path, e).into()),
        };
        let mut state = State::default();
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            let body = &line[..line.len().saturating_sub(1)];
            let words: Vec<&[u8]> = body
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            let [kind, symbol] = words[..] else {
                return Err(corrupted(body));
            };
            // hg's `lookup` here knows no working-directory revision.
            if symbol == b"2147483647" || crate::revspec::is_working_directory_prefix(symbol) {
                return Err(RepoError::UnknownRevision(
                    String::from_utf8_lossy(symbol).into_owned(),
                ));
            }
            let symbol = String::from_utf8_lossy(symbol);
            let rev = crate::revspec::resolve_symbol(repo, &symbol)?;
            let node = repo.node(rev)?;
            let list = match kind {
                b"current" => &mut state.current,
                b"good" => &mut state.good,
                b"bad" => &mut state.bad,
                b"skip" => &mut state.skip,
                _ => {
                    return Err(RepoError::Message(format!(
                        "unknown bisect kind {}",
                        String::from_utf8_lossy(kind)
                    )))
                }
            };
            list.push(node);
        }
        Ok(state)
    }

    /// hg's file content: kinds sorted by name, nodes in full hex.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (kind, nodes) in [
            ("bad", &self.bad),
            ("current", &self.current),
            ("good", &self.good),
            ("skip", &self.skip),
        ] {
            for node in nodes {
                out.extend_from_slice(format!("{kind} {}\n", node.hex()).as_bytes());
            }
        }
        out
    }

    /// Writes the state atomically; the caller holds the wlock.
    pub fn save(&self, repo: &Repo) -> RepoResult<()> {
        let path = repo.dot_hg().join(STATE_FILE);
        qs_store::transaction::write_atomic(&path, &self.to_bytes())?;
        Ok(())
    }

    /// Removes the state file (hg's `resetstate`).
    pub fn reset(repo: &Repo) -> RepoResult<()> {
        let path = repo.dot_hg().join(STATE_FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(qs_store::StoreError::io(&path, e).into()),
        }
    }

    /// hg's `checkstate`: both good and bad revisions are needed.
    pub fn check(&self) -> RepoResult<()> {
        if self.good.is_empty() {
            return Err(RepoError::Message(
                "cannot bisect (no known good revisions)".to_string(),
            ));
        }
        if self.bad.is_empty() {
            return Err(RepoError::Message(
                "cannot bisect (no known bad revisions)".to_string(),
            ));
        }
        Ok(())
    }

    /// The list of marks of `kind` (`good`, `bad`, `skip`).
    pub fn marks_mut(&mut self, kind: Mark) -> &mut Vec<Node> {
        match kind {
            Mark::Good => &mut self.good,
            Mark::Bad => &mut self.bad,
            Mark::Skip => &mut self.skip,
        }
    }
}

/// A mark given to a changeset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Good,
    Bad,
    Skip,
}

impl Mark {
    pub fn name(self) -> &'static str {
        match self {
            Mark::Good => "good",
            Mark::Bad => "bad",
            Mark::Skip => "skip",
        }
    }
}

/// The answer of [`next`]: with `remaining` 0, `revs` are the result
/// (several when skipped revisions hide the transition); otherwise
/// `revs` holds the one changeset to test and `remaining` counts the
/// candidates. `good` is set when searching for the first good changeset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub revs: Vec<Revision>,
    pub remaining: usize,
    pub good: bool,
}

fn revs_of(repo: &Repo, nodes: &[Node]) -> RepoResult<Vec<Revision>> {
    nodes
        .iter()
        .map(|n| {
            repo.changelog()
                .rev_of_node(n)?
                .ok_or_else(|| RepoError::UnknownRevision(n.hex()))
        })
        .collect()
}

/// The revisions of `revs` (kept in `good::bad` then `bad::good` order)
/// that lie between the good and the bad ones, once both are known; all
/// of `revs` before that (hg's filter of `bisect REV`).
pub fn restrict_to_range(
    repo: &Repo,
    state: &State,
    revs: Vec<Revision>,
) -> RepoResult<Vec<Revision>> {
    if state.good.is_empty() || state.bad.is_empty() {
        return Ok(revs);
    }
    let good = revs_of(repo, &state.good)?;
    let bad = revs_of(repo, &state.bad)?;
    let mut candidates: Vec<Revision> = dag::dag_range(repo, &good, &bad)?.into_iter().collect();
    for rev in dag::dag_range(repo, &bad, &good)? {
        if !candidates.contains(&rev) {
            candidates.push(rev);
        }
    }
    let wanted: HashSet<Revision> = revs.into_iter().collect();
    candidates.retain(|r| wanted.contains(r));
    Ok(candidates)
}

/// `(good::badrev) - ::good`: the revisions that may hold the transition,
/// with `badrev` the lowest bad revision; `None` when `badrev` is not
/// among them.
fn search_range(
    repo: &Repo,
    bad: &[Revision],
    good: &[Revision],
) -> RepoResult<(Revision, Option<HashSet<Revision>>)> {
    let Some(badrev) = bad.iter().min().copied() else {
        return Err(RepoError::Message(
            "cannot bisect (no known bad revisions)".to_string(),
        ));
    };
    let below_good = dag::ancestors(repo, good, 0, None)?;
    let range: HashSet<Revision> = dag::dag_range(repo, good, &[badrev])?
        .into_iter()
        .filter(|r| !below_good.contains(r))
        .collect();
    if range.contains(&badrev) {
        Ok((badrev, Some(range)))
    } else {
        Ok((badrev, None))
    }
}

/// hg's `bisect`: the next changeset to test, or the result.
pub fn next(repo: &Repo, state: &State) -> RepoResult<Step> {
    let skip: HashSet<Revision> = revs_of(repo, &state.skip)?.into_iter().collect();
    let bad_revs = revs_of(repo, &state.bad)?;
    let good_revs = revs_of(repo, &state.good)?;
    let mut good = false;
    let (mut badrev, mut range) = search_range(repo, &bad_revs, &good_revs)?;
    if range.is_none() {
        good = true;
        (badrev, range) = search_range(repo, &good_revs, &bad_revs)?;
    }
    let Some(range) = range else {
        if state.bad.len() == 1 && state.good.len() == 1 && state.bad != state.good {
            return Err(RepoError::Message(
                "starting revisions are not directly related".to_string(),
            ));
        }
        return Err(RepoError::Message(format!(
            "inconsistent state, {}:{} is good and bad",
            badrev.0,
            repo.node(badrev)?.short()
        )));
    };

    // The candidates: members of the range reachable from badrev through
    // parents inside it, with their children inside the walk.
    let mut children: HashMap<Revision, Vec<Revision>> = HashMap::new();
    let mut visit = VecDeque::from([badrev]);
    let mut candidates = Vec::new();
    while let Some(rev) = visit.pop_front() {
        if !range.contains(&rev) {
            continue;
        }
        candidates.push(rev);
        for parent in dag::parents(repo, rev)? {
            match children.get_mut(&parent) {
                Some(list) => list.push(rev),
                None => {
                    children.insert(parent, vec![rev]);
                    visit.push_back(parent);
                }
            }
        }
    }
    candidates.sort();
    let total = candidates.len();
    let unskipped = candidates.iter().any(|c| !skip.contains(c) && *c != badrev);
    if total == 1 || !unskipped {
        return Ok(Step {
            revs: candidates,
            remaining: 0,
            good,
        });
    }
    let perfect = total / 2;

    // Each candidate's ancestors among the candidates, pushed from parents
    // to children in revision order; `None` once used.
    let mut ancestors: HashMap<Revision, Option<HashSet<Revision>>> = candidates
        .iter()
        .map(|&r| (r, Some(HashSet::new())))
        .collect();
    let mut best: Option<(usize, Revision)> = None;
    let mut poison: HashSet<Revision> = HashSet::new();
    let no_children = Vec::new();
    for &rev in &candidates {
        let kids = children.get(&rev).unwrap_or(&no_children);
        if poison.contains(&rev) {
            poison.extend(kids.iter().copied());
            continue;
        }
        let mut own = ancestors
            .insert(rev, None)
            .flatten()
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| HashSet::from([rev]));
        let x = own.len();
        let y = total - x;
        let value = x.min(y);
        if best.is_none_or(|(len, _)| value > len) && !skip.contains(&rev) {
            best = Some((value, rev));
            if value == perfect {
                break;
            }
        }
        if y < perfect && !skip.contains(&rev) {
            poison.extend(kids.iter().copied());
            continue;
        }
        let mut unvisited = Vec::new();
        for &child in kids {
            match ancestors.get_mut(&child) {
                Some(Some(theirs)) if !theirs.is_empty() => theirs.extend(own.iter().copied()),
                _ => unvisited.push(child),
            }
        }
        if let Some((&first, rest)) = unvisited.split_first() {
            for &child in rest {
                let mut set = own.clone();
                set.insert(child);
                ancestors.insert(child, Some(set));
            }
            own.insert(first);
            ancestors.insert(first, Some(own));
        }
    }
    let Some((_, best)) = best else {
        return Err(RepoError::Message(
            "bisect found no revision to test".to_string(),
        ));
    };
    Ok(Step {
        revs: vec![best],
        remaining: total,
        good,
    })
}

/// hg's `extendrange`: when the result is a merge with exactly one parent
/// marked on the other side, the common ancestor of its parents, from
/// which the search can continue.
pub fn extend_range(repo: &Repo, state: &State, step: &Step) -> RepoResult<Option<Revision>> {
    let Some(&rev) = step.revs.first() else {
        return Ok(None);
    };
    let [p1, p2] = repo.parents(rev)?;
    if p2.is_null() || p1.is_null() {
        return Ok(None);
    }
    let side = if step.good { &state.bad } else { &state.good };
    let mut marked = HashSet::new();
    for p in [p1, p2] {
        let node = repo.node(p)?;
        if side.contains(&node) {
            marked.insert(node);
        }
    }
    if marked.len() == 1 {
        Ok(Some(crate::merge::ancestor(repo, p1, p2)?))
    } else {
        Ok(None)
    }
}

/// hg's `hbisect.get`: the revisions in bisection status `status`
/// (`good`, `bad`, `skip`, `current`, `goods`, `bads`, `range`, `pruned`,
/// `untested`, `ignored`); `None` for an unknown status.
pub fn get(repo: &Repo, status: &[u8]) -> RepoResult<Option<HashSet<Revision>>> {
    let state = State::load(repo)?;
    let set = |nodes: &[Node]| -> RepoResult<HashSet<Revision>> {
        Ok(revs_of(repo, nodes)?.into_iter().collect())
    };
    match status {
        b"good" => return Ok(Some(set(&state.good)?)),
        b"bad" => return Ok(Some(set(&state.bad)?)),
        b"skip" => return Ok(Some(set(&state.skip)?)),
        b"current" => return Ok(Some(set(&state.current)?)),
        _ => {}
    }
    let good = revs_of(repo, &state.good)?;
    let bad = revs_of(repo, &state.bad)?;
    let dagrange = |a: &[Revision], b: &[Revision]| -> RepoResult<HashSet<Revision>> {
        Ok(dag::dag_range(repo, a, b)?.into_iter().collect())
    };
    let ancestors = |revs: &[Revision]| dag::ancestors(repo, revs, 0, None);
    let descendants = |revs: &[Revision]| -> RepoResult<HashSet<Revision>> {
        if revs.is_empty() {
            return Ok(HashSet::new());
        }
        dag::descendants(repo, revs)
    };
    let good_to_bad = dagrange(&good, &bad)?;
    let range: HashSet<Revision> = dagrange(&bad, &good)?
        .union(&good_to_bad)
        .copied()
        .collect();
    let (goods, bads) = if good_to_bad.is_empty() {
        (descendants(&good)?, ancestors(&bad)?)
    } else {
        (ancestors(&good)?, descendants(&bad)?)
    };
    let answer = match status {
        b"range" => range,
        b"goods" => goods,
        b"bads" => bads,
        b"pruned" | b"untested" => {
            let mut pruned: HashSet<Revision> = goods.union(&bads).copied().collect();
            pruned.extend(set(&state.skip)?);
            if status == b"pruned" {
                pruned
            } else {
                range.difference(&pruned).copied().collect()
            }
        }
        b"ignored" => {
            let below_good = ancestors(&good)?;
            let below_bad = ancestors(&bad)?;
            below_good
                .symmetric_difference(&below_bad)
                .filter(|r| !range.contains(r))
                .copied()
                .collect()
        }
        _ => return Ok(None),
    };
    Ok(Some(answer))
}

/// hg's `hbisect.label`: the bisection status of `rev` as `{bisect}`
/// shows it, `None` when it plays no part.
pub fn label(repo: &Repo, rev: Revision) -> RepoResult<Option<&'static str>> {
    let is = |status: &[u8]| -> RepoResult<bool> {
        Ok(get(repo, status)?.is_some_and(|s| s.contains(&rev)))
    };
    let answer = if is(b"good")? {
        "good"
    } else if is(b"bad")? {
        "bad"
    } else if is(b"skip")? {
        "skipped"
    } else if is(b"untested")? || is(b"current")? {
        "untested"
    } else if is(b"ignored")? {
        "ignored"
    } else if is(b"goods")? {
        "good (implicit)"
    } else if is(b"bads")? {
        "bad (implicit)"
    } else {
        return Ok(None);
    };
    Ok(Some(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_bytes_sort_kinds() {
        let n = |b: u8| Node::from_bytes(&[b; 20]).unwrap_or(qs_store::NULL_NODE);
        let state = State {
            current: vec![n(1)],
            good: vec![n(2), n(3)],
            bad: vec![n(4)],
            skip: vec![n(5)],
        };
        let text = String::from_utf8(state.to_bytes()).unwrap_or_default();
        let kinds: Vec<&str> = text.lines().filter_map(|l| l.split(' ').next()).collect();
        assert_eq!(kinds, ["bad", "current", "good", "good", "skip"]);
    }
}
