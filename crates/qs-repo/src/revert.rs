//! Restoring working files to a revision's content (hg's `revert`,
//! `cmdutil.revert` and `_performrevert`): which files the patterns name
//! (in the working directory and in the target revision), how each one
//! differs from the target and from the working directory's parent, the
//! action that follows (revert, add, remove, forget, undelete, or a
//! warning), `.orig` backups (`ui.origbackuppath`), hg's messages in its
//! order, then the working files and the dirstate changed. The caller
//! holds the wlock, owns the [`WorkingDirstate`] and writes it afterwards.
//!
//! In a merge (two working parents) the caller has refused a revert
//! without a revision, as hg does.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use qs_dirstate::matchbuild::Warnings;
use qs_dirstate::Matcher;
use qs_store::{Revision, StoreError};

use crate::diff::copies::{path_copies, SideInfo};
use crate::diff::Side;
use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::status::{self, Status, StatusRequest};
use crate::tracking::Message;
use crate::wdirstate::WorkingDirstate;

/// What `revert` was asked.
pub struct RevertOptions<'a> {
    /// Patterns, `-I`, `-X`, the current directory, the extra ignore
    /// files (the `list_*` fields are ignored).
    pub request: StatusRequest,
    /// The revision restored (`-r`, else the first parent).
    pub target: Revision,
    /// `-C/--no-backup`.
    pub no_backup: bool,
    /// `-n/--dry-run`.
    pub dry_run: bool,
    /// `-v`: also report explicitly named files and backups.
    pub verbose: bool,
    /// hg's `uipathfn`.
    pub ui_path: &'a dyn Fn(&[u8]) -> Vec<u8>,
    /// `ui.origbackuppath` (relative to the root, or absolute).
    pub orig_backup_path: Option<Vec<u8>>,
    /// `experimental.removeemptydirs`.
    pub remove_empty_dirs: bool,
}

/// The actions, in the order hg performs them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Action {
    Forget,
    Remove,
    Drop,
    Revert,
    Add,
    Undelete,
}

impl Action {
    fn verb(self) -> &'static [u8] {
        match self {
            Action::Forget => b"forgetting ",
            Action::Remove | Action::Drop => b"removing ",
            Action::Revert => b"reverting ",
            Action::Add => b"adding ",
            Action::Undelete => b"undeleting ",
        }
    }
}

/// hg's backup levels: never, when the working file differs from the
/// target, always.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Backup {
    Discard,
    Check,
    Always,
}

/// What happens to one file: an action, or a warning when named exactly.
enum Disposition {
    Act(Action, Backup),
    NoChange,
    NotManaged,
}

type Set = BTreeSet<Vec<u8>>;

fn line(prefix: &[u8], middle: &[u8], suffix: &[u8]) -> Vec<u8> {
    [prefix, middle, suffix].concat()
}

fn full_path(root: &Path, rel: &[u8]) -> PathBuf {
    root.join(OsStr::from_bytes(rel))
}

fn lexists(root: &Path, rel: &[u8]) -> bool {
    std::fs::symlink_metadata(full_path(root, rel)).is_ok()
}

fn into_set(list: Vec<Vec<u8>>) -> Set {
    list.into_iter().collect()
}

/// The files named: `(path, named exactly)`, and the status against the
/// target (hg's `names` and `changes`).
fn collect_names(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    m: &Matcher,
    opts: &RevertOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<(BTreeMap<Vec<u8>, bool>, Status)> {
    let mut names: BTreeMap<Vec<u8>, bool> = BTreeMap::new();
    let mut warnings: Warnings = Vec::new();
    let full = StatusRequest {
        list_clean: true,
        list_unknown: true,
        list_ignored: true,
        ..opts.request.clone()
    };
    let (changes, fixups) = if m.always() {
        let req = StatusRequest {
            list_clean: false,
            list_unknown: false,
            list_ignored: false,
            ..opts.request.clone()
        };
        let map = ds.map.clone();
        let result =
            status::status_with_map_against(repo, &map, opts.target, &req, m, &mut warnings);
        out.extend(warnings.into_iter().map(Message::Warn));
        let (st, fixups) = result?;
        for f in st
            .modified
            .iter()
            .chain(&st.added)
            .chain(&st.removed)
            .chain(&st.deleted)
        {
            names.insert(f.clone(), m.is_exact(f));
        }
        (st, fixups)
    } else {
        // The working directory's files (bad names are not reported here).
        let (found, _) = crate::tracking::walk(repo, ds, m, &opts.request.ignore_files, out)?;
        for f in found {
            let exact = m.is_exact(&f);
            names.insert(f, exact);
        }
        // The target revision's files; named files it lacks are bad.
        let manifest = repo.manifest_of(opts.target)?;
        for path in manifest.paths() {
            if m.matches(path) && !names.contains_key(path) {
                names.insert(path.to_vec(), m.is_exact(path));
            }
        }
        let short = repo.node(opts.target)?.short();
        for f in m.files() {
            if f.is_empty() || manifest.get(&f).is_some() || names.contains_key(&f) {
                continue;
            }
            let mut dir = f.clone();
            dir.push(b'/');
            if manifest.paths().any(|p| p.starts_with(&dir))
                || names.keys().any(|p| p.starts_with(&dir))
            {
                continue;
            }
            let why = format!(": no such file in rev {short}\n");
            out.push(Message::Warn(line(
                b"",
                &(opts.ui_path)(&f),
                why.as_bytes(),
            )));
        }
        let exact = qs_dirstate::matchbuild::exact(names.keys().cloned().collect());
        let map = ds.map.clone();
        // (The ignore files were read, and complained about, by the walk.)
        status::status_with_map_against(repo, &map, opts.target, &full, &exact, &mut warnings)?
    };
    // hg's status writes what it found clean at once, so it stays even
    // when the revert fails later.
    let mut recorded = false;
    for fixup in &fixups {
        recorded |= fixup.record_clean(&mut ds.map);
    }
    if recorded {
        ds.write(repo)?;
    }
    Ok((names, changes))
}

/// The disposition of every named file (hg's dispatch table).
fn dispositions(
    repo: &Repo,
    ds: &WorkingDirstate,
    names: &mut BTreeMap<Vec<u8>, bool>,
    changes: Status,
    opts: &RevertOptions<'_>,
) -> RepoResult<BTreeMap<Vec<u8>, Disposition>> {
    let root = repo.root();
    let p2 = ds.map.parents.1;
    let merging = !p2.is_null();
    // Reverting to the second parent of a merge compares with it.
    let parent = if merging && repo.node(opts.target)? == p2 {
        opts.target
    } else {
        repo.working_parent()?
    };
    let target_manifest = repo.manifest_of(opts.target)?;
    let mut modified = into_set(changes.modified);
    let mut added = into_set(changes.added);
    let mut removed = into_set(changes.removed);
    let all_deleted = into_set(changes.deleted);
    let mut unknown = into_set(changes.unknown);
    unknown.extend(changes.ignored);
    let mut clean = into_set(changes.clean);
    let mut modadded = Set::new();
    let (mut dsmodified, mut dsadded, mut dsremoved, localchanges);
    if parent == opts.target {
        dsmodified = std::mem::take(&mut modified);
        dsadded = std::mem::take(&mut added);
        dsremoved = std::mem::take(&mut removed);
        localchanges = dsmodified.union(&dsadded).cloned().collect::<Set>();
    } else {
        let req = StatusRequest {
            list_clean: false,
            list_unknown: false,
            list_ignored: false,
            ..opts.request.clone()
        };
        let exact = qs_dirstate::matchbuild::exact(names.keys().cloned().collect());
        let mut warnings = Vec::new();
        let (st, _) =
            status::status_with_map_against(repo, &ds.map, parent, &req, &exact, &mut warnings)?;
        dsmodified = into_set(st.modified);
        dsadded = into_set(st.added);
        dsremoved = into_set(st.removed);
        localchanges = dsmodified.union(&dsadded).cloned().collect::<Set>();
        clean.extend(dsremoved.difference(&removed).cloned());
        dsremoved = dsremoved.intersection(&removed).cloned().collect();
        removed = removed.difference(&dsremoved).cloned().collect();
        modadded = added.intersection(&dsmodified).cloned().collect();
        added = added.difference(&modadded).cloned().collect();
        let newly: Set = modified.intersection(&dsadded).cloned().collect();
        dsmodified = dsmodified.intersection(&modified).cloned().collect();
        dsmodified.extend(newly);
        modified = modified.difference(&dsmodified).cloned().collect();
        dsadded = added.clone();
    }
    // In a merge, files the merge added show as modified: they are
    // forgotten like added ones when the target lacks them.
    if merging {
        let merge_added: Set = dsmodified
            .iter()
            .filter(|p| target_manifest.get(p).is_none())
            .cloned()
            .collect();
        dsadded.extend(merge_added.iter().cloned());
        dsmodified = dsmodified.difference(&merge_added).cloned().collect();
    }
    // A renamed file's source is restored with it.
    for f in &localchanges {
        let Some(source) = ds.map.copy_source(f) else {
            continue;
        };
        if !names.contains_key(source) && ds.map.get(source).is_some_and(|e| e.removed()) {
            dsremoved.insert(source.to_vec());
            names.insert(source.to_vec(), true);
        }
    }
    let is_added = |f: &[u8]| ds.map.get(f).is_some_and(|e| e.added());
    let mut deladded: Set = all_deleted
        .iter()
        .filter(|p| target_manifest.get(p).is_none())
        .cloned()
        .collect();
    let deleted: Set = all_deleted.difference(&deladded).cloned().collect();
    let added: Set = dsadded.iter().filter(|f| !is_added(f)).cloned().collect();
    dsadded = dsadded.difference(&added).cloned().collect();
    for f in &deladded {
        if is_added(f) {
            dsadded.insert(f.clone());
        }
    }
    deladded = deladded.difference(&dsadded).cloned().collect();
    let removunk: Set = removed
        .iter()
        .filter(|f| lexists(root, f))
        .cloned()
        .collect();
    removed = removed.difference(&removunk).cloned().collect();
    let dsremovunk: Set = dsremoved
        .iter()
        .filter(|f| lexists(root, f))
        .cloned()
        .collect();
    dsremoved = dsremoved.difference(&dsremovunk).cloned().collect();

    let (always, check) = if opts.no_backup {
        (Backup::Discard, Backup::Discard)
    } else {
        (Backup::Always, Backup::Check)
    };
    let backup_and_delete = if opts.no_backup {
        Action::Remove
    } else {
        Action::Drop
    };
    let table: [(&Set, Disposition); 13] = [
        (&modified, Disposition::Act(Action::Revert, Backup::Discard)),
        (&deleted, Disposition::Act(Action::Revert, Backup::Discard)),
        (&dsmodified, Disposition::Act(Action::Revert, always)),
        (&added, Disposition::Act(Action::Remove, Backup::Discard)),
        (&dsadded, Disposition::Act(Action::Forget, Backup::Discard)),
        (&modadded, Disposition::Act(backup_and_delete, always)),
        (&deladded, Disposition::Act(Action::Drop, Backup::Discard)),
        (&removed, Disposition::Act(Action::Add, Backup::Discard)),
        (&removunk, Disposition::Act(Action::Add, check)),
        (
            &dsremoved,
            Disposition::Act(Action::Undelete, Backup::Discard),
        ),
        (&dsremovunk, Disposition::Act(Action::Undelete, check)),
        (&clean, Disposition::NoChange),
        (&unknown, Disposition::NotManaged),
    ];
    let mut out = BTreeMap::new();
    for f in names.keys() {
        if let Some((_, d)) = table.iter().find(|(set, _)| set.contains(f)) {
            let d = match d {
                Disposition::Act(a, b) => Disposition::Act(*a, *b),
                Disposition::NoChange => Disposition::NoChange,
                Disposition::NotManaged => Disposition::NotManaged,
            };
            out.insert(f.clone(), d);
        }
    }
    Ok(out)
}

/// Python's `os.path.relpath(path, start)` for absolute paths, lexically.
fn relpath(path: &Path, start: &Path) -> Vec<u8> {
    use std::path::Component;
    let parts = |p: &Path| -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = Vec::new();
        for c in p.components() {
            match c {
                Component::Normal(n) => out.push(n.as_bytes().to_vec()),
                Component::ParentDir => {
                    out.pop();
                }
                _ => {}
            }
        }
        out
    };
    let (p, s) = (parts(path), parts(start));
    let common = p.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let mut out: Vec<Vec<u8>> = vec![b"..".to_vec(); s.len() - common];
    out.extend(p[common..].iter().cloned());
    if out.is_empty() {
        return b".".to_vec();
    }
    out.join(&b'/')
}

/// hg's `backuppath`: where the backup of `path` goes (absolute), making
/// room for it under `ui.origbackuppath` (verbose notes in `out`, also
/// in a dry run, as hg).
fn backup_path(
    root: &Path,
    path: &[u8],
    opts: &RevertOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<PathBuf> {
    let Some(base) = &opts.orig_backup_path else {
        return Ok(full_path(root, &[path, b".orig"].concat()));
    };
    let io = |p: &Path, e| RepoError::Store(StoreError::io(p, e));
    let base = full_path(root, base);
    let note = |out: &mut Vec<Message>, text: &str, p: &Path| {
        if opts.verbose {
            let mut bytes = text.as_bytes().to_vec();
            bytes.extend_from_slice(p.as_os_str().as_bytes());
            bytes.push(b'\n');
            out.push(Message::Status(bytes));
        }
    };
    let dir_rel = match path.iter().rposition(|&b| b == b'/') {
        Some(i) => &path[..i],
        None => &b""[..],
    };
    let dir = if dir_rel.is_empty() {
        base.clone()
    } else {
        full_path(&base, dir_rel)
    };
    let is_real_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
    if !is_real_dir {
        note(out, "creating directory: ", &dir);
        let ancestors: Vec<&[u8]> = qs_dirstate::matcher::find_dirs(path).collect();
        for a in ancestors.iter().rev() {
            let p = full_path(&base, a);
            if std::fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
                note(out, "removing conflicting file: ", &p);
                std::fs::remove_file(&p).map_err(|e| io(&p, e))?;
                break;
            }
        }
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    }
    let target = full_path(&base, path);
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
        note(out, "removing conflicting directory: ", &target);
        std::fs::remove_dir_all(&target).map_err(|e| io(&target, e))?;
    }
    Ok(target)
}

/// `hg revert`; see the module documentation.
pub fn revert(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    opts: &RevertOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<()> {
    let mut warnings: Warnings = Vec::new();
    let built = status::request_matcher(repo, &opts.request, &mut warnings);
    out.extend(warnings.into_iter().map(Message::Warn));
    let m = built?;
    for f in m.files() {
        crate::pathaudit::audit(repo.root(), &f)?;
    }
    let (mut names, changes) = collect_names(repo, ds, &m, opts, out)?;
    let table = dispositions(repo, ds, &mut names, changes, opts)?;
    let root = repo.root();
    let ui = opts.ui_path;
    let parent = repo.working_parent()?;
    let merging = !ds.map.parents.1.is_null();
    let target_manifest = repo.manifest_of(opts.target)?;

    // Copies to record for restored files (hg's `pathcopies(parent,
    // target)`), computed first so that an unsupported case changes
    // nothing.
    let copies = if parent == opts.target {
        BTreeMap::new()
    } else {
        let parent_manifest = repo.manifest_of(parent)?;
        let left = SideInfo {
            side: Side::Rev(parent),
            manifest: &parent_manifest,
            tracked: None,
        };
        let right = SideInfo {
            side: Side::Rev(opts.target),
            manifest: &target_manifest,
            tracked: None,
        };
        path_copies(repo, &left, &right, &|_| true)?
    };

    let mut lists: BTreeMap<Action, Vec<Vec<u8>>> = BTreeMap::new();
    for (f, d) in &table {
        let exact = names.get(f).copied().unwrap_or(false);
        match d {
            Disposition::Act(action, backup) => {
                lists.entry(*action).or_default().push(f.clone());
                let wanted = match backup {
                    Backup::Discard => false,
                    Backup::Always => true,
                    Backup::Check => {
                        let working = crate::workfile::read(root, f).map(|(d, _)| d);
                        let target = match target_manifest.get(f) {
                            Some((node, _)) => Some(repo.file_content(f, &node)?),
                            None => None,
                        };
                        working.ok() != target
                    }
                };
                if wanted {
                    let bak = backup_path(root, f, opts, out)?;
                    let rel = relpath(&bak, root);
                    if opts.verbose {
                        out.push(Message::Status(
                            [
                                b"saving current version of ".as_slice(),
                                &ui(f),
                                b" as ",
                                &ui(&rel),
                                b"\n",
                            ]
                            .concat(),
                        ));
                    }
                    if !opts.dry_run {
                        let from = full_path(root, f);
                        std::fs::rename(&from, &bak)
                            .map_err(|e| RepoError::Store(StoreError::io(&from, e)))?;
                    }
                }
                if opts.dry_run && (opts.verbose || !exact) {
                    out.push(Message::Status(line(action.verb(), &ui(f), b"\n")));
                }
            }
            Disposition::NoChange if exact => {
                out.push(Message::Warn(line(b"no changes needed to ", &ui(f), b"\n")));
            }
            Disposition::NotManaged if exact => {
                out.push(Message::Warn(line(b"file not managed: ", &ui(f), b"\n")));
            }
            Disposition::NoChange | Disposition::NotManaged => {}
        }
    }
    if opts.dry_run {
        return Ok(());
    }

    let say = |out: &mut Vec<Message>, action: Action, f: &[u8]| {
        if opts.verbose || !names.get(f).copied().unwrap_or(false) {
            out.push(Message::Status(line(action.verb(), &ui(f), b"\n")));
        }
    };
    let target_node = repo.node(opts.target)?;
    let checkout = |f: &[u8]| -> RepoResult<()> {
        let Some((node, flags)) = target_manifest.get(f) else {
            // hg fails the same way (a rename's source restored although
            // the target revision lacks it).
            return Err(RepoError::Message(format!(
                "{}@{}: not found in manifest",
                String::from_utf8_lossy(f),
                target_node.hex()
            )));
        };
        let data = repo.file_content(f, &node)?;
        // hg's revert unlinks what is there first, and a directory in the
        // way (even an empty one, which update would clear) fails it.
        let full = full_path(root, f);
        if std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir()) {
            let eisdir = std::io::Error::from_raw_os_error(21);
            return Err(RepoError::Store(StoreError::io(&full, eisdir)));
        }
        crate::workfile::write(root, f, &data, flags).map(|_| ())
    };
    for (action, files) in &lists {
        for f in files {
            if matches!(action, Action::Remove | Action::Drop) {
                crate::pathaudit::audit(root, f)?;
            }
            say(out, *action, f);
            match action {
                Action::Forget | Action::Drop => {
                    ds.map.set_untracked(f);
                }
                Action::Remove => {
                    let _ = crate::workfile::remove(root, f, opts.remove_empty_dirs);
                    ds.map.set_untracked(f);
                }
                Action::Revert | Action::Undelete => {
                    checkout(f)?;
                    ds.map.set_tracked(f);
                    // (A merge's copies are kept, as hg keeps them.)
                    if !merging {
                        ds.map.set_copy_source(f.clone(), None);
                    }
                }
                Action::Add => {
                    checkout(f)?;
                    ds.map.set_tracked(f);
                }
            }
        }
    }
    for action in [Action::Add, Action::Undelete, Action::Revert] {
        for f in lists.get(&action).into_iter().flatten() {
            if let Some(source) = copies.get(f) {
                if source != f {
                    ds.map.set_copy_source(f.clone(), Some(source.clone()));
                }
            }
        }
    }
    Ok(())
}
