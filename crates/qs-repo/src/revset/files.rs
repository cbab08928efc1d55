//! Revset functions about files: `file()`/`_matchfiles()` (changesets
//! touching matching files), `filelog()`, `modifies()`/`adds()`/
//! `removes()` (by status against the first parent), `contains()`, and
//! `follow()`/`_followfirst()` (history of the working directory parent or
//! of files, across copies and renames).

use std::collections::{BTreeSet, HashSet};
use std::os::unix::ffi::OsStrExt;

use qs_dirstate::matchbuild::{build_matcher, PatternContext};
use qs_dirstate::pattern::{canonpath, PatternKind};
use qs_dirstate::Matcher;
use qs_lang::{ParseError, Tree};
use qs_store::manifest::DiffEntry;
use qs_store::{Node, Revision};

use super::args::{getargs, getargsdict, getstring, named};
use super::eval::{Evaluator, Order};
use super::set::RevSet;
use super::{dag, RevsetError, RevsetResult};
use crate::error::RepoError;
use crate::repo::Repo;

type Args<'t> = Option<&'t Tree>;

/// hg's `patkind`: whether `pattern` starts with a known `kind:`.
pub fn has_kind(pattern: &[u8]) -> bool {
    pattern
        .iter()
        .position(|b| *b == b':')
        .is_some_and(|i| PatternKind::from_name(&pattern[..i]).is_some())
}

fn matcher_error(e: qs_dirstate::DirstateError) -> RevsetError {
    RevsetError::Repo(RepoError::Message(e.to_string()))
}

/// A matcher as hg's `match.match(root, cwd, patterns, include, exclude,
/// default=...)` builds it.
pub fn build(
    repo: &Repo,
    patterns: &[Vec<u8>],
    include: &[Vec<u8>],
    exclude: &[Vec<u8>],
    default: PatternKind,
) -> RevsetResult<Matcher> {
    let root = repo.root().as_os_str().as_bytes().to_vec();
    let cwd = repo.cwd();
    let root_for_read = repo.root().to_path_buf();
    let read = move |p: &std::path::Path| std::fs::read(root_for_read.join(p));
    let ctx = PatternContext {
        root: &root,
        cwd: &cwd,
        read: &read,
    };
    let mut warnings = Vec::new();
    let m = build_matcher(&ctx, patterns, include, exclude, default, &mut warnings)
        .map_err(matcher_error)?;
    repo.warn(
        warnings
            .into_iter()
            .map(|w| String::from_utf8_lossy(&w).into_owned()),
    );
    Ok(m)
}

fn canonical(repo: &Repo, name: &[u8]) -> RevsetResult<Vec<u8>> {
    let root = repo.root().as_os_str().as_bytes().to_vec();
    canonpath(&root, &repo.cwd(), name).map_err(matcher_error)
}

/// `file(pattern)`.
pub fn file(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let pattern = getstring(args, "file requires a pattern")?;
    let m = build(ev.repo, &[pattern.to_vec()], &[], &[], PatternKind::Glob)?;
    touching(ev.repo, subset, &m)
}

/// Members of `subset` whose changeset touches a file `m` matches.
fn touching(repo: &Repo, subset: &RevSet, m: &Matcher) -> RevsetResult<RevSet> {
    if matches!(m, Matcher::Always) {
        return subset.par_try_filter(|r| Ok(!repo.changeset(r)?.files.is_empty()));
    }
    subset.par_try_filter(|r| Ok(repo.changeset(r)?.files.iter().any(|f| m.matches(f))))
}

/// `_matchfiles(p:PAT, i:INC, x:EXC, r:REV, d:DEFAULT, ...)`, what `log
/// FILE` and `-I`/`-X` become.
pub fn matchfiles(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let list = getargs(args, 1, None, "_matchfiles requires at least one argument")?;
    let (mut pats, mut inc, mut exc) = (Vec::new(), Vec::new(), Vec::new());
    let mut rev_seen = false;
    let mut default: Option<Vec<u8>> = None;
    for arg in list {
        let s = getstring(Some(arg), "_matchfiles requires string arguments")?;
        let (prefix, value) = s.split_at(s.len().min(2));
        match prefix {
            b"p:" => pats.push(value.to_vec()),
            b"i:" => inc.push(value.to_vec()),
            b"x:" => exc.push(value.to_vec()),
            b"r:" => {
                if rev_seen {
                    return Err(ParseError::new("_matchfiles expected at most one revision").into());
                }
                rev_seen = true;
            }
            b"d:" => {
                if default.is_some() {
                    return Err(
                        ParseError::new("_matchfiles expected at most one default mode").into(),
                    );
                }
                default = Some(value.to_vec());
            }
            _ => {
                return Err(ParseError::new(format!(
                    "invalid _matchfiles prefix: {}",
                    String::from_utf8_lossy(prefix)
                ))
                .into())
            }
        }
    }
    let default = match default.as_deref() {
        None | Some(b"") => PatternKind::Glob,
        Some(name) => PatternKind::from_name(name).unwrap_or(PatternKind::Glob),
    };
    let m = build(ev.repo, &pats, &inc, &exc, default)?;
    touching(ev.repo, subset, &m)
}

/// `filelog(pattern)`: the changesets linked from the file revisions.
pub fn filelog(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let pattern = getstring(args, "filelog requires a pattern")?;
    let files: Vec<Vec<u8>> = if has_kind(pattern) {
        let m = build(repo, &[pattern.to_vec()], &[], &[], PatternKind::Glob)?;
        crate::working::tracked_files(repo)?
            .into_iter()
            .filter(|f| m.matches(f))
            .collect()
    } else {
        vec![canonical(repo, pattern)?]
    };
    let mut found = HashSet::new();
    for f in files {
        if f.is_empty() {
            continue;
        }
        let log = match repo.filelog(&f) {
            Ok(log) => log,
            Err(RepoError::Store(qs_store::StoreError::Io { .. })) => continue,
            Err(e) => return Err(e.into()),
        };
        for i in 0..log.len() {
            found.insert(log.link_rev(Revision(i as i32))?);
        }
    }
    Ok(subset.and(&RevSet::from_revs(found)))
}

/// Which status list `modifies`/`adds`/`removes` look at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StatusField {
    Modified,
    Added,
    Removed,
}

/// `modifies(pattern)`, `adds(pattern)`, `removes(pattern)`.
pub fn status_field(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Args<'_>,
    field: StatusField,
) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let what = match field {
        StatusField::Modified => "modifies",
        StatusField::Added => "adds",
        StatusField::Removed => "removes",
    };
    let pattern = getstring(args, &format!("{what} requires a pattern"))?;
    let m = build(repo, &[pattern.to_vec()], &[], &[], PatternKind::Glob)?;
    subset.try_filter(|r| {
        let cs = repo.changeset(r)?;
        if !cs.files.iter().any(|f| m.matches(f)) {
            return Ok(false);
        }
        let p1 = repo.parents(r)?[0];
        let old = repo.manifest_of(p1)?;
        let new = repo.manifest(&cs.manifest)?;
        Ok(old
            .diff(&new)
            .into_iter()
            .any(|entry| match (entry, field) {
                (DiffEntry::Modified(f), StatusField::Modified)
                | (DiffEntry::Added(f), StatusField::Added)
                | (DiffEntry::Removed(f), StatusField::Removed) => m.matches(f),
                _ => false,
            }))
    })
}

/// `contains(pattern)`: a matching file is in the revision's manifest.
pub fn contains(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let pattern = getstring(args, "contains requires a pattern")?;
    if has_kind(pattern) {
        let m = build(repo, &[pattern.to_vec()], &[], &[], PatternKind::Glob)?;
        subset.try_filter(|r| Ok(repo.manifest_of(r)?.paths().any(|f| m.matches(f))))
    } else {
        let path = canonical(repo, pattern)?;
        subset.try_filter(|r| Ok(repo.manifest_of(r)?.get(&path).is_some()))
    }
}

/// `follow([file[, startrev]])` and `_followfirst(...)`.
pub fn follow(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Args<'_>,
    name: &str,
    first_only: bool,
) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let args = getargsdict(args, name, &["file", "startrev"])?;
    let starts: Option<Vec<Revision>> = match named(&args, "startrev") {
        Some(t) => Some(ev.getset(&ev.full(), Some(t), Order::Define)?.to_vec()),
        None => None,
    };
    let found = match named(&args, "file") {
        Some(t) => {
            let pattern = getstring(Some(t), &format!("{name} expected a pattern"))?;
            let starts = match starts {
                Some(s) => s,
                None => vec![repo.working_parent()?],
            };
            let m = build(repo, &[pattern.to_vec()], &[], &[], PatternKind::Path)?;
            let mut origins = Vec::new();
            for rev in starts {
                let manifest = repo.manifest_of(rev)?;
                for (path, node, _) in manifest.iter() {
                    if m.matches(path) {
                        origins.push((path.to_vec(), node));
                    }
                }
            }
            file_ancestors(repo, origins, first_only)?
        }
        None => {
            let starts = match starts {
                Some(s) => s,
                None => vec![repo.working_parent()?],
            };
            dag::walk_ancestors(repo, &starts, first_only, 0, None)?
        }
    };
    Ok(subset.and(&RevSet::from_revs(found)))
}

/// The changesets of file revisions `origins` and of their ancestors,
/// following copies and renames (hg's `filerevancestors`; linkrevs are
/// taken as stored).
pub(crate) fn file_ancestors(
    repo: &Repo,
    origins: Vec<(Vec<u8>, Node)>,
    first_only: bool,
) -> RevsetResult<HashSet<Revision>> {
    let mut seen: BTreeSet<(Vec<u8>, [u8; 20])> = BTreeSet::new();
    let mut stack: Vec<(Vec<u8>, Node)> = origins;
    let mut found = HashSet::new();
    let mut logs: std::collections::HashMap<Vec<u8>, qs_store::revlog::Revlog> =
        std::collections::HashMap::new();
    while let Some((path, node)) = stack.pop() {
        let mut key = [0u8; 20];
        key.copy_from_slice(node.as_bytes());
        if !seen.insert((path.clone(), key)) {
            continue;
        }
        if !logs.contains_key(&path) {
            logs.insert(path.clone(), repo.filelog(&path)?);
        }
        let Some(log) = logs.get(&path) else {
            continue;
        };
        let Some(rev) = log.rev_of_node(&node)? else {
            continue;
        };
        found.insert(log.link_rev(rev)?);
        let [p1, p2] = log.parents(rev)?;
        let mut parents: Vec<(Vec<u8>, Node)> = Vec::new();
        for p in [p1, p2] {
            if !p.is_null() {
                parents.push((path.clone(), log.node(p)?));
            }
        }
        if p1.is_null() {
            let text = log.data(rev)?;
            if let Some((source, source_node)) = qs_store::filelog::copy_source(&text) {
                if let Some(node) = Node::from_hex(&source_node) {
                    parents.insert(0, (source, node));
                }
            }
        }
        if first_only {
            parents.truncate(1);
        }
        stack.extend(parents);
    }
    Ok(found)
}
