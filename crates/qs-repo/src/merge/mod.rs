//! Updating the working directory to another changeset and merging a
//! second head into it (hg's `merge._update`): hg's refusals, the
//! per-file actions ([`actions`]), applying them to the working files
//! ([`crate::workfile`]), 3-way merges of files changed on both sides
//! ([`filemerge`] with [`simplemerge`]), the merge state
//! ([`state`]) and the dirstate written as hg writes it (files fetched
//! by an update recorded clean with their size and mtime unless the
//! mtime is ambiguous).
//!
//! The caller holds the wlock, owns the [`WorkingDirstate`] and shows
//! the collected messages. Copy and rename tracing, merges with several
//! common ancestors and symlink merges are refused as not supported.

pub mod actions;
pub mod dest;
pub mod filemerge;
pub mod simplemerge;
pub mod state;

use std::collections::BTreeMap;

use qs_dirstate::timestamp::{filesystem_now, make_reliable, TruncatedTimestamp};
use qs_dirstate::Entry;
use qs_store::{Node, Revision, NULL_NODE, NULL_REVISION};

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::status::{self, StatusRequest};
use crate::tracking::Message;
use crate::wdirstate::WorkingDirstate;
use actions::{Action, Entries, FileId};
use state::MergeState;

/// `commands.update.check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateCheck {
    /// Carry changes over whatever the target.
    None,
    /// Carry changes over only along a line of descent (hg's default).
    Linear,
    /// Carry changes over only when no file needs merging.
    NoConflict,
}

/// What to do.
pub struct Request<'a> {
    pub target: Revision,
    /// A merge of two heads (`hg merge`), not an update.
    pub branch_merge: bool,
    /// `update --clean`: discard changes.
    pub force: bool,
    pub check: UpdateCheck,
    /// Conflict labels: local, other, base.
    pub labels: Option<[&'static str; 3]>,
    /// `experimental.removeemptydirs`.
    pub remove_empty_dirs: bool,
    /// How paths are shown in messages (hg's `uipathfn`).
    pub display: &'a dyn Fn(&[u8]) -> Vec<u8>,
    /// `ui.merge` as given (for hg's warnings about it).
    pub merge_tool: Option<String>,
}

/// hg's update statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub updated: usize,
    pub merged: usize,
    pub removed: usize,
    pub unresolved: usize,
}

/// Messages with whether they are shown only with `-v`.
pub type Notes = Vec<(bool, Message)>;

fn unsupported(what: &str) -> RepoError {
    RepoError::WithHint {
        message: format!("{what} is not supported by qs yet"),
        hint: "use Mercurial's 'hg' for this command line".into(),
    }
}

fn rev_of(repo: &Repo, node: &Node) -> RepoResult<Revision> {
    if node.is_null() {
        return Ok(NULL_REVISION);
    }
    repo.changelog().rev_of_node(node)?.ok_or_else(|| {
        RepoError::Message(format!(
            "working directory has unknown parent '{}'!",
            node.short()
        ))
    })
}

/// The working directory as a manifest and its status lists.
struct Working {
    m1: Entries,
    modified: Vec<Vec<u8>>,
    added: Vec<Vec<u8>>,
    removed: Vec<Vec<u8>>,
    deleted: Vec<Vec<u8>>,
}

impl Working {
    fn changed(&self) -> bool {
        !(self.modified.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.deleted.is_empty())
    }
}

fn working(repo: &Repo, ds: &mut WorkingDirstate, p1: Revision) -> RepoResult<Working> {
    let req = StatusRequest::default();
    let matcher = status::request_matcher(repo, &req, &mut Vec::new())?;
    let (st, fixups) = status::status_with_map(repo, &ds.map, &req, &matcher, &mut Vec::new())?;
    for fixup in &fixups {
        fixup.record_clean(&mut ds.map);
    }
    let mut m1 = actions::entries(&repo.manifest_of(p1)?);
    for (list, id) in [(&st.added, FileId::Added), (&st.modified, FileId::Modified)] {
        for f in list {
            let flags = crate::workfile::read(repo.root(), f)
                .map(|(_, fl)| fl.to_vec())
                .unwrap_or_default();
            m1.insert(f.clone(), (id, flags));
        }
    }
    for f in st.deleted.iter().chain(&st.removed) {
        m1.remove(f);
    }
    Ok(Working {
        m1,
        modified: st.modified,
        added: st.added,
        removed: st.removed,
        deleted: st.deleted,
    })
}

/// hg's `ctx.ancestor`: the single head of the common ancestors, else
/// the one with the smallest node.
pub fn ancestor(repo: &Repo, a: Revision, b: Revision) -> RepoResult<Revision> {
    let heads = crate::changes::common_ancestor_heads(repo, a, b)?;
    let mut best: Option<(Node, Revision)> = None;
    for rev in heads {
        let node = repo.node(rev)?;
        if best
            .as_ref()
            .is_none_or(|(n, _)| node.as_bytes() < n.as_bytes())
        {
            best = Some((node, rev));
        }
    }
    Ok(best.map_or(NULL_REVISION, |(_, rev)| rev))
}

/// True when a file revision added between `ma` and `m` records a copy.
fn has_copies(repo: &Repo, m: &Entries, ma: &Entries) -> RepoResult<bool> {
    for (f, (id, _)) in m {
        if ma.contains_key(f) {
            continue;
        }
        if let FileId::Node(node) = id {
            let log = repo.filelog(f)?;
            if let Some(rev) = log.rev_of_node(node)? {
                if qs_store::filelog::copy_source(&log.data(rev)?).is_some() {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// The content of a file of `m` (a working file for the working ids).
fn content_of(repo: &Repo, m: &Entries, f: &[u8]) -> RepoResult<Option<Vec<u8>>> {
    match m.get(f) {
        None => Ok(None),
        Some((FileId::Node(n), _)) => Ok(Some(repo.file_content(f, n)?)),
        Some(_) => Ok(Some(crate::workfile::read(repo.root(), f)?.0)),
    }
}

/// Runs an update or merge; see the module docs. Messages go to `out`.
pub fn run(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    req: &Request<'_>,
    out: &mut Notes,
) -> RepoResult<Stats> {
    let (p1_node, p2_node) = ds.map.parents;
    let p1 = rev_of(repo, &p1_node)?;
    let target = req.target;
    let target_node = repo.node(target)?;
    let overwrite = req.force && !req.branch_merge;
    if !overwrite {
        if !p2_node.is_null() {
            return Err(RepoError::Message("outstanding uncommitted merge".into()));
        }
        if !MergeState::read(repo.dot_hg())?.unresolved().is_empty() {
            return Err(RepoError::WithHint {
                message: "outstanding merge conflicts".into(),
                hint: "use 'hg resolve' to resolve".into(),
            });
        }
    }
    let pas = crate::changes::common_ancestor_heads(repo, p1, target)?;
    let wd = working(repo, ds, p1)?;
    let wd_branch = crate::working::branch(repo)?;
    let p1_branch = branch_of(repo, p1)?;
    let dirty = wd.changed() || wd_branch != p1_branch || !p2_node.is_null();
    if req.branch_merge {
        if pas.len() > 1 {
            return Err(unsupported("merging with several common ancestors"));
        }
        if pas == [target] {
            return Err(RepoError::Message(
                "merging with a working directory ancestor has no effect".into(),
            ));
        }
        if pas == [p1] && wd_branch == branch_of(repo, target)? {
            return Err(RepoError::WithHint {
                message: "nothing to merge".into(),
                hint: "use 'hg update' or check 'hg heads'".into(),
            });
        }
        if !req.force
            && (!wd.modified.is_empty()
                || !wd.added.is_empty()
                || !wd.removed.is_empty()
                || !wd.deleted.is_empty())
        {
            return Err(RepoError::WithHint {
                message: "uncommitted changes".into(),
                hint: "use 'hg status' to list changes".into(),
            });
        }
    } else if !overwrite {
        if p1 == target {
            return Ok(Stats::default());
        }
        let linear = pas == [p1] || pas == [target];
        if req.check == UpdateCheck::Linear && !linear && dirty {
            return Err(RepoError::WithHint {
                message: "uncommitted changes".into(),
                hint: "commit or update --clean to discard changes".into(),
            });
        }
    }
    let (pa, ma) = if overwrite {
        (None, wd.m1.clone())
    } else if !req.branch_merge {
        (Some(p1), actions::entries(&repo.manifest_of(p1)?))
    } else {
        let pa = pas.first().copied().unwrap_or(NULL_REVISION);
        (Some(pa), actions::entries(&repo.manifest_of(pa)?))
    };
    let m2 = actions::entries(&repo.manifest_of(target)?);
    let follow_copies =
        !overwrite && pa.is_some_and(|r| !r.is_null()) && (req.branch_merge || dirty);
    if follow_copies
        && (ds.map.copies_len() > 0
            || has_copies(repo, &wd.m1, &ma)?
            || has_copies(repo, &m2, &ma)?)
    {
        return Err(unsupported("merging or updating across copies and renames"));
    }
    out.push((true, Message::Status(b"resolving manifests\n".to_vec())));
    let restrict = req.branch_merge && pa.is_some_and(|a| a != p1 && a != target);
    let mut plan = actions::manifest_merge(&wd.m1, &m2, &ma, req.branch_merge, restrict);
    actions::forget_removed(&mut plan, &wd.deleted, &wd.removed, &m2, req.branch_merge);
    resolve_trivial(repo, &mut plan, &wd.m1, &m2, &ma)?;
    if !req.force {
        check_unknown(repo, ds, &mut plan, &m2, out)?;
    }
    for action in plan.actions.values_mut() {
        if let Action::Created { flags } = action {
            *action = Action::Get {
                flags: std::mem::take(flags),
            };
        }
    }
    if req.check == UpdateCheck::NoConflict
        && !req.branch_merge
        && !overwrite
        && plan.actions.values().any(Action::is_conflict)
    {
        return Err(RepoError::WithHint {
            message: "conflicting changes".into(),
            hint: "commit or update --clean to discard changes".into(),
        });
    }
    if plan.actions.iter().any(|(f, a)| {
        matches!(a, Action::Merge)
            && [wd.m1.get(f), m2.get(f)]
                .iter()
                .any(|e| e.is_some_and(|(_, fl)| fl.contains(&b'l')))
    }) {
        return Err(unsupported("merging symlinks"));
    }
    let update_state = repo.dot_hg().join("updatestate");
    std::fs::write(&update_state, target_node.hex())
        .map_err(|e| qs_store::StoreError::io(&update_state, e))?;
    let ctx = Apply {
        repo,
        req,
        p1,
        p1_node,
        target_node,
        pa: pa.unwrap_or(NULL_REVISION),
        m1: &wd.m1,
        m2: &m2,
        ma: &ma,
    };
    let (stats, mut filedata, extra) = ctx.apply(&mut plan, out)?;
    for (f, action) in extra {
        plan.actions.insert(f, action);
    }
    // The dirstate.
    let v2 = repo.requirements().has("dirstate-v2");
    filter_ambiguous(repo, v2, &mut filedata);
    if req.branch_merge {
        ds.map.set_parents(p1_node, target_node, false);
    } else {
        let fold = !p2_node.is_null();
        let copies = ds.map.set_parents(target_node, NULL_NODE, fold);
        restore_copies(ds, copies, &m2);
    }
    record(ds, &plan, req.branch_merge, &filedata);
    if !req.branch_merge {
        write_branch(repo, &branch_of(repo, target)?)?;
    }
    ds.write(repo)?;
    let _ = std::fs::remove_file(&update_state);
    Ok(stats)
}

/// The branch of a changeset (`default` for null).
pub(crate) fn branch_of(repo: &Repo, rev: Revision) -> RepoResult<Vec<u8>> {
    if rev.is_null() {
        return Ok(b"default".to_vec());
    }
    Ok(repo
        .branch_infos()?
        .get(rev.0 as usize)
        .map_or_else(|| b"default".to_vec(), |i| i.branch.clone()))
}

/// Writes `.hg/branch`.
pub fn write_branch(repo: &Repo, branch: &[u8]) -> RepoResult<()> {
    let path = repo.dot_hg().join("branch");
    let tmp = repo.dot_hg().join("branch.qs-tmp");
    let mut text = branch.to_vec();
    text.push(b'\n');
    std::fs::write(&tmp, text).map_err(|e| qs_store::StoreError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| qs_store::StoreError::io(&path, e))?;
    Ok(())
}

/// hg's `localrepo.setparents` copy fixups when leaving a merge.
fn restore_copies(ds: &mut WorkingDirstate, copies: Vec<(Vec<u8>, Vec<u8>)>, m2: &Entries) {
    for (f, source) in copies {
        if !m2.contains_key(&f) && m2.contains_key(&source) {
            ds.map.set_copy_source(f, Some(source));
        }
    }
    let stale: Vec<Vec<u8>> = ds
        .map
        .copies()
        .filter(|(f, s)| !m2.contains_key(*f) && !m2.contains_key(*s))
        .map(|(f, _)| f.to_vec())
        .collect();
    for f in stale {
        ds.map.set_copy_source(f, None);
    }
}

/// hg's `_resolvetrivial`.
fn resolve_trivial(
    repo: &Repo,
    plan: &mut actions::Plan,
    m1: &Entries,
    m2: &Entries,
    ma: &Entries,
) -> RepoResult<()> {
    let candidates: Vec<(Vec<u8>, Action)> = plan
        .actions
        .iter()
        .filter(|(_, a)| matches!(a, Action::ChangedDeleted | Action::DeletedChanged))
        .map(|(f, a)| (f.clone(), a.clone()))
        .collect();
    for (f, a) in candidates {
        let Some(base) = content_of(repo, ma, &f)? else {
            continue;
        };
        let side = if a == Action::ChangedDeleted { m1 } else { m2 };
        if content_of(repo, side, &f)? == Some(base) {
            if a == Action::ChangedDeleted {
                plan.actions.insert(f, Action::Remove);
            } else {
                plan.actions.remove(&f);
            }
        }
    }
    Ok(())
}

/// hg's `_checkunknownfiles` with `merge.checkunknown=abort`: an
/// untracked file where the target has a different one aborts.
fn check_unknown(
    repo: &Repo,
    ds: &WorkingDirstate,
    plan: &mut actions::Plan,
    m2: &Entries,
    out: &mut Notes,
) -> RepoResult<()> {
    let mut conflicts = Vec::new();
    for (f, a) in &plan.actions {
        if !matches!(a, Action::Created { .. } | Action::DeletedChanged) || ds.map.contains(f) {
            continue;
        }
        if !is_file_or_link_below_dirs(repo.root(), f) {
            continue;
        }
        let (disk, _) = crate::workfile::read(repo.root(), f)?;
        if content_of(repo, m2, f)? != Some(disk) {
            conflicts.push(f.clone());
        }
    }
    if conflicts.is_empty() {
        return Ok(());
    }
    for f in &conflicts {
        out.push((
            false,
            Message::Warn([f.as_slice(), b": untracked file differs\n"].concat()),
        ));
    }
    Err(RepoError::Message(
        "untracked files in working directory differ from files in requested revision".into(),
    ))
}

/// hg's `isfileorlink_checkdir`: `f` is a file or link and every parent
/// is a real directory.
fn is_file_or_link_below_dirs(root: &std::path::Path, f: &[u8]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let mut dir = root.to_path_buf();
    let parts: Vec<&[u8]> = f.split(|&b| b == b'/').collect();
    for (i, part) in parts.iter().enumerate() {
        dir.push(std::ffi::OsStr::from_bytes(part));
        let Ok(md) = std::fs::symlink_metadata(&dir) else {
            return false;
        };
        if i + 1 < parts.len() {
            if !md.is_dir() {
                return false;
            }
        } else {
            return md.is_file() || md.file_type().is_symlink();
        }
    }
    false
}

/// A written file's mode, size and mtime (when trustworthy).
type Observed = (i32, i32, Option<TruncatedTimestamp>);

/// What the gets recorded, by file.
type FileData = BTreeMap<Vec<u8>, Observed>;

/// hg's `filter_ambiguous_files`.
fn filter_ambiguous(repo: &Repo, v2: bool, data: &mut FileData) {
    if data.is_empty() {
        return;
    }
    let Ok(mut now) = filesystem_now(repo.dot_hg()) else {
        return;
    };
    let mut timed_out = !v2;
    if v2 {
        let start = std::time::Instant::now();
        let first = now;
        timed_out = true;
        while start.elapsed() < std::time::Duration::from_millis(100) {
            match filesystem_now(repo.dot_hg()) {
                Ok(n) if n != first => {
                    now = n;
                    timed_out = false;
                    break;
                }
                Ok(_) => std::thread::sleep(std::time::Duration::from_micros(200)),
                Err(_) => break,
            }
        }
    }
    for (_, (_, _, mtime)) in data.iter_mut() {
        if let Some(m) = *mtime {
            *mtime = match make_reliable(m, now) {
                Some(r) if r.second_ambiguous && (!v2 || timed_out) => None,
                other => other,
            };
        }
    }
}

/// hg's `recordupdates`.
fn record(ds: &mut WorkingDirstate, plan: &actions::Plan, branch_merge: bool, data: &FileData) {
    let tracked = |p1: bool, p2: bool| Entry {
        wc_tracked: true,
        p1_tracked: p1,
        p2_info: p2,
        ..Entry::default()
    };
    for (f, action) in &plan.actions {
        let entry = match action {
            Action::Remove if branch_merge => Some(Entry {
                p1_tracked: true,
                ..Entry::default()
            }),
            Action::Remove | Action::Forget => None,
            Action::Exec { .. } => Some(tracked(true, false)),
            Action::Get { .. } if branch_merge => {
                let p1 = ds.map.get(f).is_some_and(|e| e.any_tracked() && !e.added());
                Some(tracked(p1, true))
            }
            Action::Get { .. } => Some(match data.get(f) {
                Some(&(mode, size, mtime)) => Entry {
                    mode_size: Some((mode, size)),
                    mtime,
                    ..tracked(true, false)
                },
                None => tracked(true, false),
            }),
            Action::Merge if branch_merge => Some(tracked(true, true)),
            Action::Merge => Some(tracked(true, false)),
            Action::Keep
            | Action::Created { .. }
            | Action::ChangedDeleted
            | Action::DeletedChanged => continue,
        };
        match entry {
            Some(e) => ds.map.reset_state(f, e),
            None => ds.map.reset_state(f, Entry::default()),
        }
    }
    for (f, a) in &plan.extra_dirstate {
        let e = match a {
            Extra::Added => tracked(false, false),
            Extra::AddModified if branch_merge => tracked(true, false),
            Extra::AddModified => tracked(false, false),
        };
        ds.map.reset_state(f, e);
    }
}

/// Dirstate changes of conflicts the merge left (hg's "extra actions").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// Locally changed, deleted by the other side, kept: added.
    Added,
    /// Same, but the first parent has it.
    AddModified,
}

/// What applying a plan gave: statistics, the data of fetched files and
/// the actions merge results imply.
type Applied = (Stats, FileData, Vec<(Vec<u8>, Action)>);

/// Everything applying the plan needs.
struct Apply<'a> {
    repo: &'a Repo,
    req: &'a Request<'a>,
    p1: Revision,
    p1_node: Node,
    target_node: Node,
    pa: Revision,
    m1: &'a Entries,
    m2: &'a Entries,
    ma: &'a Entries,
}

impl Apply<'_> {
    /// hg's `apply_updates`: removes, gets, flag changes, then merges.
    fn apply(&self, plan: &mut actions::Plan, out: &mut Notes) -> RepoResult<Applied> {
        let repo = self.repo;
        let root = repo.root();
        let show = |f: &[u8]| String::from_utf8_lossy(&(self.req.display)(f)).into_owned();
        MergeState::clear(repo.dot_hg())?;
        let mut ms = MergeState {
            local: Some(self.p1_node),
            other: Some(self.target_node),
            labels: self
                .req
                .labels
                .map(|l| l.iter().map(|s| s.as_bytes().to_vec()).collect()),
            ..MergeState::default()
        };
        let mut ms_dirty = false;
        for (f, infos) in &plan.commit_info {
            for (k, v) in infos {
                ms.add_extra(f, k, v);
                ms_dirty = true;
            }
        }
        let mut stats = Stats::default();
        for (f, a) in &plan.actions {
            if *a != Action::Remove {
                continue;
            }
            out.push((
                true,
                Message::Status(format!("removing {}\n", show(f)).into_bytes()),
            ));
            crate::pathaudit::audit(root, f)?;
            if let Err(RepoError::Store(e)) =
                crate::workfile::remove(root, f, self.req.remove_empty_dirs)
            {
                out.push((
                    false,
                    Message::Warn(
                        format!("update failed to remove {}: {e}!\n", show(f)).into_bytes(),
                    ),
                ));
            }
            stats.removed += 1;
        }
        let mut gets = Vec::new();
        for (f, a) in &plan.actions {
            let Action::Get { flags } = a else { continue };
            out.push((
                true,
                Message::Status(format!("getting {}\n", show(f)).into_bytes()),
            ));
            if let Some((FileId::Node(node), _)) = self.m2.get(f) {
                gets.push((f, node, flags));
            }
        }
        // Files are fetched and written in parallel (each its own path;
        // directories are created idempotently).
        let written: Vec<(Vec<u8>, Observed)> = {
            use rayon::prelude::*;
            gets.par_iter()
                .map(|(f, node, flags)| {
                    use std::os::unix::fs::MetadataExt;
                    let data = repo.file_content(f, node)?;
                    let md = crate::workfile::write(root, f, &data, flags)?;
                    let mtime = TruncatedTimestamp::mtime_of(&md);
                    Ok((
                        (*f).clone(),
                        (md.mode() as i32, data.len() as i32, Some(mtime)),
                    ))
                })
                .collect::<RepoResult<_>>()?
        };
        stats.updated += written.len();
        let mut filedata = FileData::new();
        if !self.req.branch_merge {
            filedata.extend(written);
        }
        for (f, a) in &plan.actions {
            let Action::Exec { flags } = a else { continue };
            crate::pathaudit::audit(root, f)?;
            crate::workfile::set_flags(root, f, flags)?;
            stats.updated += 1;
        }
        // hg's order: change/delete, then delete/change, then merges.
        let mut merges: Vec<(Vec<u8>, Action)> = Vec::new();
        for kind in [
            Action::ChangedDeleted,
            Action::DeletedChanged,
            Action::Merge,
        ] {
            merges.extend(
                plan.actions
                    .iter()
                    .filter(|(_, a)| **a == kind)
                    .map(|(f, a)| (f.clone(), a.clone())),
            );
        }
        for (f, a) in &merges {
            self.add_to_state(&mut ms, f, a)?;
            ms_dirty = true;
        }
        let mut extra = Vec::new();
        let labels = self.req.labels.unwrap_or(["local", "other", "base"]);
        for (f, _) in &merges {
            ms.add_extra(f, b"merged", b"yes");
            crate::pathaudit::audit(root, f)?;
            let fm = filemerge::FileMerge {
                repo,
                labels,
                display: self.req.display,
                merge_tool: self.req.merge_tool.as_deref(),
                local_parent: self.p1,
            };
            let outcome = fm.resolve(&mut ms, f, out)?;
            match outcome.result {
                None => stats.updated += 1,
                Some(0) => stats.merged += 1,
                Some(_) => {}
            }
            if let Some(action) = outcome.action {
                extra.push((f.clone(), action));
            }
            if let Some(e) = outcome.extra {
                plan.extra_dirstate.push((f.clone(), e));
            }
        }
        if ms_dirty {
            ms.write(repo.dot_hg())?;
        }
        stats.unresolved = ms.unresolved().len();
        Ok((stats, filedata, extra))
    }

    /// hg's `mergestate.add`: the record and the local version's backup.
    fn add_to_state(&self, ms: &mut MergeState, f: &[u8], a: &Action) -> RepoResult<()> {
        let repo = self.repo;
        let hex =
            |n: Option<Node>| n.map_or_else(|| state::NULL_HEX.to_vec(), |n| n.hex().into_bytes());
        let node_in = |m: &Entries| match m.get(f) {
            Some((FileId::Node(n), _)) => Some(*n),
            _ => None,
        };
        let local_absent = *a == Action::DeletedChanged;
        let other_absent = *a == Action::ChangedDeleted;
        let (local_key, local_flags) = if local_absent {
            (state::NULL_HEX.to_vec(), Vec::new())
        } else {
            let (data, flags) = crate::workfile::read(repo.root(), f)?;
            let key = state::local_key(f);
            MergeState::save_backup(repo.dot_hg(), &key, &data)?;
            (key, flags.to_vec())
        };
        let anode = node_in(self.ma);
        let onode = if other_absent { None } else { node_in(self.m2) };
        let kind = if local_absent || other_absent {
            b'C'
        } else {
            b'F'
        };
        ms.add(
            f.to_vec(),
            state::FileRecord {
                kind,
                values: vec![
                    state::UNRESOLVED.to_vec(),
                    local_key,
                    f.to_vec(),
                    f.to_vec(),
                    hex(anode),
                    f.to_vec(),
                    hex(onode),
                    local_flags,
                ],
            },
        );
        let link = if anode.is_some() {
            Some(repo.node(self.pa)?)
        } else {
            None
        };
        ms.add_extra(f, b"ancestorlinknode", &hex(link));
        let _ = self.m1;
        Ok(())
    }
}

/// `hg resolve` without `-m`/`-u`: re-merges `files` of the merge state
/// (each saved first to `FILE.orig`, as hg's `.resolve` dance leaves it)
/// and records what the results imply in the dirstate. Returns whether
/// any merge failed.
pub fn remerge(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    ms: &mut MergeState,
    files: &[Vec<u8>],
    display: &dyn Fn(&[u8]) -> Vec<u8>,
    merge_tool: Option<&str>,
    out: &mut Notes,
) -> RepoResult<bool> {
    use std::os::unix::ffi::OsStrExt;
    let labels: Vec<String> = ms
        .labels
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    let label = |i: usize, default: &'static str| labels.get(i).map_or(default, String::as_str);
    let p1 = rev_of(repo, &ds.map.parents.0)?;
    let fm = filemerge::FileMerge {
        repo,
        labels: [label(0, "local"), label(1, "other"), label(2, "base")],
        display,
        merge_tool,
        local_parent: p1,
    };
    let branch_merge = !ds.map.parents.1.is_null();
    let mut failed = false;
    let mut plan = actions::Plan::default();
    for f in files {
        let full = repo.root().join(std::ffi::OsStr::from_bytes(f));
        let saved = [f.as_slice(), b".resolve"].concat();
        let saved_path = repo.root().join(std::ffi::OsStr::from_bytes(&saved));
        let had_file = std::fs::copy(&full, &saved_path).is_ok();
        let outcome = fm.resolve(ms, f, out);
        ms.write(repo.dot_hg())?;
        let outcome = outcome?;
        if outcome.result.is_some_and(|r| r != 0) {
            failed = true;
        }
        if let Some(a) = outcome.action {
            plan.actions.insert(f.clone(), a);
        }
        if let Some(e) = outcome.extra {
            plan.extra_dirstate.push((f.clone(), e));
        }
        if had_file {
            let orig = repo.root().join(std::ffi::OsStr::from_bytes(
                &[f.as_slice(), b".orig"].concat(),
            ));
            std::fs::rename(&saved_path, &orig).map_err(|e| qs_store::StoreError::io(&orig, e))?;
        }
    }
    record(ds, &plan, branch_merge, &FileData::new());
    ds.write(repo)?;
    Ok(failed)
}

/// hg's `hasconflictmarkers`: a line that is a conflict marker.
pub fn has_conflict_markers(data: &[u8]) -> bool {
    data.split(|&b| b == b'\n').any(|line| {
        line.starts_with(b"<<<<<<<")
            || line.starts_with(b"=======")
            || line.starts_with(b">>>>>>>")
            || line.starts_with(b"------- ")
            || line.starts_with(b"+++++++ ")
    })
}
