//! Names that point at changesets: bookmarks, tags (global `.hgtags` merged
//! across heads the way hg does, plus `.hg/localtags` and `tip`) and named
//! branches with their heads. Each is computed on first use by `Repo`.

use std::collections::{BTreeMap, HashMap};

use qs_store::{Node, Revision, NULL_REVISION};
use rayon::prelude::*;

use crate::error::RepoResult;
use crate::repo::Repo;

/// Bookmarks and the active one.
#[derive(Clone, Debug, Default)]
pub struct Bookmarks {
    /// Sorted by name.
    pub marks: Vec<(Vec<u8>, Node)>,
    pub active: Option<Vec<u8>>,
}

impl Bookmarks {
    /// Names of the bookmarks on `node`, sorted.
    pub fn on(&self, node: &Node) -> Vec<&[u8]> {
        self.marks
            .iter()
            .filter(|(_, n)| n == node)
            .map(|(name, _)| name.as_slice())
            .collect()
    }

    pub fn get(&self, name: &[u8]) -> Option<Node> {
        self.marks
            .iter()
            .find(|(n, _)| n.as_slice() == name)
            .map(|(_, node)| *node)
    }
}

/// Whether a tag comes from `.hgtags` or `.hg/localtags`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagKind {
    Global,
    Local,
}

/// All tags, `tip` included.
#[derive(Clone, Debug, Default)]
pub struct Tags {
    pub by_name: HashMap<Vec<u8>, (Node, TagKind)>,
    /// hg's `tagtypes`: every name defined by `.hgtags` or `localtags`,
    /// removed ones (null node) and ones on unknown nodes included.
    pub types: HashMap<Vec<u8>, TagKind>,
    /// The global tags as merged from `.hgtags` (null for removed ones).
    pub global: HashMap<Vec<u8>, Node>,
}

impl Tags {
    /// Names of the tags on `node`, sorted.
    pub fn on(&self, node: &Node) -> Vec<&[u8]> {
        let mut names: Vec<&[u8]> = self
            .by_name
            .iter()
            .filter(|(_, (n, _))| n == node)
            .map(|(name, _)| name.as_slice())
            .collect();
        names.sort();
        names
    }

    pub fn get(&self, name: &[u8]) -> Option<Node> {
        self.by_name.get(name).map(|(n, _)| *n)
    }
}

/// One named branch: its heads in increasing revision order.
#[derive(Clone, Debug, Default)]
pub struct BranchHeads {
    /// (revision, closes the branch)
    pub heads: Vec<(Revision, bool)>,
}

impl BranchHeads {
    /// The branch's tip as hg picks it: the last open head, else the last head.
    pub fn tip(&self) -> Revision {
        self.heads
            .iter()
            .rev()
            .find(|(_, closed)| !closed)
            .or_else(|| self.heads.last())
            .map_or(NULL_REVISION, |(r, _)| *r)
    }

    /// True if every head is closed.
    pub fn is_closed(&self) -> bool {
        self.heads.iter().all(|(_, closed)| *closed)
    }
}

/// Branch name → heads.
pub type BranchMap = BTreeMap<Vec<u8>, BranchHeads>;

/// Per-revision branch and close flag.
#[derive(Clone, Debug)]
pub struct BranchInfo {
    pub branch: Vec<u8>,
    pub closed: bool,
}

/// The branch of every revision: from hg's revision-branch cache
/// (`.hg/cache/rbc-names-v2` + `rbc-revs-v2`) where its records match the
/// changelog, otherwise by parsing the changesets (in parallel).
pub(crate) fn branch_infos(repo: &Repo) -> RepoResult<Vec<BranchInfo>> {
    let cached = read_rbc(repo);
    (0..repo.len() as i32)
        .into_par_iter()
        .map(|r| {
            let rev = Revision(r);
            if let Some(info) = cached.as_ref().and_then(|c| c.lookup(repo, rev)) {
                return Ok(info);
            }
            let cs = repo.changeset(rev)?;
            Ok(BranchInfo {
                closed: cs.is_close(),
                branch: cs.branch().to_vec(),
            })
        })
        .collect()
}

/// hg's revision-branch cache: branch names, and per revision an 8-byte
/// record (first 4 bytes of the node, then the name index with the top
/// bit meaning "closes the branch").
struct RevBranchCache {
    names: Vec<Vec<u8>>,
    records: Vec<u8>,
}

impl RevBranchCache {
    fn lookup(&self, repo: &Repo, rev: Revision) -> Option<BranchInfo> {
        let at = usize::try_from(rev.0).ok()? * 8;
        let record = self.records.get(at..at + 8)?;
        let node = repo.changelog().node(rev).ok()?;
        if record[..4] != node.as_bytes()[..4] {
            return None;
        }
        let value = u32::from_be_bytes([record[4], record[5], record[6], record[7]]);
        let name = self.names.get((value & 0x7fff_ffff) as usize)?;
        Some(BranchInfo {
            branch: name.clone(),
            closed: value & 0x8000_0000 != 0,
        })
    }
}

fn read_rbc(repo: &Repo) -> Option<RevBranchCache> {
    let cache = repo.dot_hg().join("cache");
    let names = std::fs::read(cache.join("rbc-names-v2")).ok()?;
    let records = std::fs::read(cache.join("rbc-revs-v2")).ok()?;
    Some(RevBranchCache {
        names: names.split(|&b| b == 0).map(<[u8]>::to_vec).collect(),
        records,
    })
}

/// Computes each branch's heads: revisions on the branch with no
/// descendant on the same branch (candidates without a child on the branch,
/// minus those that are ancestors of another candidate).
pub(crate) fn compute_branchmap(repo: &Repo, infos: &[BranchInfo]) -> RepoResult<BranchMap> {
    let mut has_child_on_branch = vec![false; infos.len()];
    for (r, info) in infos.iter().enumerate() {
        for p in repo.parents(Revision(r as i32))? {
            let Some(parent) = usize::try_from(p.0).ok().filter(|&i| i < r) else {
                continue;
            };
            if infos[parent].branch == info.branch {
                has_child_on_branch[parent] = true;
            }
        }
    }
    let mut map = BranchMap::new();
    for (r, info) in infos.iter().enumerate() {
        let entry = map.entry(info.branch.clone()).or_default();
        if !has_child_on_branch[r] {
            entry.heads.push((Revision(r as i32), info.closed));
        }
    }
    for heads in map.values_mut() {
        if heads.heads.len() > 1 {
            let candidates: Vec<Revision> = heads.heads.iter().map(|(r, _)| *r).collect();
            let covered = ancestors_of_others(repo, &candidates)?;
            heads.heads.retain(|(r, _)| !covered.contains(r));
        }
    }
    Ok(map)
}

/// The candidates that are proper ancestors of another candidate.
fn ancestors_of_others(
    repo: &Repo,
    candidates: &[Revision],
) -> RepoResult<std::collections::HashSet<Revision>> {
    let lowest = candidates.iter().map(|r| r.0).min().unwrap_or(0);
    let highest = candidates.iter().map(|r| r.0).max().unwrap_or(0);
    let span = (highest - lowest + 1) as usize;
    let mut reached = vec![false; span];
    let mut covered = std::collections::HashSet::new();
    for r in (lowest..=highest).rev() {
        let idx = (r - lowest) as usize;
        let is_candidate = candidates.contains(&Revision(r));
        if reached[idx] && is_candidate {
            covered.insert(Revision(r));
        }
        if reached[idx] || is_candidate {
            for p in repo.parents(Revision(r))? {
                if p.0 >= lowest && p.0 < r {
                    reached[(p.0 - lowest) as usize] = true;
                }
            }
        }
    }
    Ok(covered)
}

/// The repository's topological heads, in increasing revision order.
pub(crate) fn compute_heads(repo: &Repo) -> RepoResult<Vec<Revision>> {
    let len = repo.len();
    let mut is_parent = vec![false; len];
    for r in 0..len {
        for p in repo.parents(Revision(r as i32))? {
            if let Some(slot) = usize::try_from(p.0).ok().and_then(|i| is_parent.get_mut(i)) {
                *slot = true;
            }
        }
    }
    Ok((0..len)
        .filter(|&r| !is_parent[r])
        .map(|r| Revision(r as i32))
        .collect())
}

/// Reads `.hg/bookmarks` and `.hg/bookmarks.current`.
pub(crate) fn load_bookmarks(repo: &Repo) -> RepoResult<Bookmarks> {
    let file = if repo.requirements().has("bookmarksinstore") {
        repo.store_path().join("bookmarks")
    } else {
        repo.dot_hg().join("bookmarks")
    };
    let mut parsed = qs_store::bookmarks::read(&file)?;
    repo.warn(std::mem::take(&mut parsed.warnings));
    let mut marks: Vec<(Vec<u8>, Node)> = Vec::new();
    for (name, node) in parsed.marks {
        // Bookmarks on unknown nodes are ignored, as hg does.
        if repo.changelog().rev_of_node(&node)?.is_some() {
            marks.push((name, node));
        }
    }
    marks.sort();
    let active = qs_store::bookmarks::read_active(repo.dot_hg())?
        .filter(|name| marks.iter().any(|(n, _)| n == name));
    Ok(Bookmarks { marks, active })
}

/// Global tags from `.hgtags` on every head, local tags, and `tip`.
pub(crate) fn load_tags(repo: &Repo) -> RepoResult<Tags> {
    let mut warnings = Vec::new();
    let tip_node = repo.node(repo.tip())?;
    let global = match crate::tags_cache::read_valid(repo.dot_hg(), repo.tip(), &tip_node) {
        Some(tags) => tags,
        None => global_tags_from_heads(repo, &mut warnings)?,
    };
    let mut by_name: HashMap<Vec<u8>, (Node, TagKind)> = HashMap::new();
    let mut types: HashMap<Vec<u8>, TagKind> = HashMap::new();
    let mut global_map: HashMap<Vec<u8>, Node> = HashMap::new();
    for (name, node) in global {
        types.insert(name.clone(), TagKind::Global);
        global_map.insert(name.clone(), node);
        if !node.is_null() && repo.changelog().rev_of_node(&node)?.is_some() {
            by_name.insert(name, (node, TagKind::Global));
        }
    }
    if let Ok(local) = std::fs::read(repo.dot_hg().join("localtags")) {
        let parsed = qs_store::tags::parse(&local, "localtags");
        warnings.extend(parsed.warnings.iter().cloned());
        let mut local_hist = qs_store::tags::TagHistory::default();
        local_hist.update(parsed.tags);
        for (name, node) in local_hist.resolved() {
            if node.is_null() || repo.changelog().rev_of_node(&node)?.is_some() {
                types.insert(name.clone(), TagKind::Local);
            }
            if node.is_null() {
                by_name.remove(&name);
            } else if repo.changelog().rev_of_node(&node)?.is_some() {
                by_name.insert(name, (node, TagKind::Local));
            }
        }
    }
    by_name.insert(b"tip".to_vec(), (tip_node, TagKind::Global));
    repo.warn(warnings);
    Ok(Tags {
        by_name,
        types,
        global: global_map,
    })
}

/// Reads `.hgtags` from every head (oldest head first, each distinct file
/// revision once) and merges them with hg's rules.
fn global_tags_from_heads(
    repo: &Repo,
    warnings: &mut Vec<String>,
) -> RepoResult<Vec<(Vec<u8>, Node)>> {
    let mut seen_fnodes: Vec<Node> = Vec::new();
    let mut merged = qs_store::tags::TagHistory::default();
    for head in repo.heads()?.iter() {
        let cached = crate::tags_cache::hgtags_fnode(repo.dot_hg(), *head, &repo.node(*head)?);
        let fnode = match cached {
            Some(fnode) => fnode,
            None => repo
                .manifest_of(*head)?
                .get(b".hgtags")
                .map(|(fnode, _)| fnode),
        };
        let Some(fnode) = fnode else {
            continue;
        };
        if seen_fnodes.contains(&fnode) {
            continue;
        }
        seen_fnodes.push(fnode);
        let content = repo.file_content(b".hgtags", &fnode)?;
        let parsed = qs_store::tags::parse(&content, &format!(".hgtags@{}", fnode.short()));
        warnings.extend(parsed.warnings.iter().cloned());
        merged.update(parsed.tags);
    }
    Ok(merged.resolved())
}
