//! Changing which files the working directory tracks, as hg's `add`,
//! `forget`, `remove` and `addremove` do (`cmdutil.add/forget/remove`,
//! `scmutil.addremove`): which files each one picks from a walk or a
//! status, the messages hg prints for each file and each refusal, and the
//! dirstate changes. The caller holds the wlock, owns the
//! [`WorkingDirstate`] and writes it afterwards (unless a dry run).
//!
//! Messages are collected as [`Message`]s in hg's order; the caller shows
//! them (the library never prints). Paths in messages go through the
//! caller's [`PathDisplay`].

use std::collections::BTreeSet;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use qs_dirstate::matchbuild::Warnings;
use qs_dirstate::status::StatusOptions;
use qs_dirstate::Matcher;

use crate::error::{RepoError, RepoResult};
use crate::pathaudit;
use crate::repo::Repo;
use crate::status::{self, Status, StatusRequest};
use crate::wdirstate::WorkingDirstate;

/// One line for the user, in hg's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// `ui.status` (stdout, hidden by `-q`).
    Status(Vec<u8>),
    /// `ui.warn` (stderr).
    Warn(Vec<u8>),
    /// A prompt with its non-interactive answer (stdout, even with `-q`).
    Prompt(Vec<u8>),
}

/// How paths are shown in messages.
pub struct PathDisplay<'a> {
    /// hg's `uipathfn` (for "adding X", "removing X").
    pub ui: &'a dyn Fn(&[u8]) -> Vec<u8>,
    /// hg's `dirstate.pathto` (relative to the current directory), for
    /// the dirstate's own complaints ("X already tracked!").
    pub cwd: &'a dyn Fn(&[u8]) -> Vec<u8>,
}

/// `ui.portablefilenames`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Portability {
    /// Say nothing.
    Ignore,
    /// Warn (hg's default).
    #[default]
    Warn,
    /// Refuse the name.
    Abort,
}

/// What the tracking commands share.
pub struct TrackOptions<'a> {
    /// Patterns, `-I`, `-X`, the current directory and the extra ignore
    /// files (the `list_*` fields are ignored).
    pub request: StatusRequest,
    /// `-v`: also report explicitly named files.
    pub verbose: bool,
    /// `-n/--dry-run`: report only, change nothing.
    pub dry_run: bool,
    pub display: PathDisplay<'a>,
    /// `ui.portablefilenames`.
    pub portability: Portability,
    /// `ui.large-file-limit` in bytes (0: none).
    pub large_file_limit: u64,
    /// `experimental.removeemptydirs`.
    pub remove_empty_dirs: bool,
}

/// First code point standing for a byte that is not UTF-8 in a shown
/// path, so messages can be built with `format!` and turned back into the
/// exact bytes by [`Raw::raw`].
const BYTE_BASE: u32 = 0x10_FF00;

/// A path as shown, with bytes that are not UTF-8 kept recoverable.
fn show(f: &dyn Fn(&[u8]) -> Vec<u8>, path: &[u8]) -> String {
    let bytes = f(path);
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            out.push(char::from_u32(BYTE_BASE + u32::from(b)).unwrap_or('?'));
        }
    }
    out
}

/// Turns a message built from [`show`]n paths back into bytes.
trait Raw {
    fn raw(self) -> Vec<u8>;
}

impl Raw for String {
    fn raw(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        for c in self.chars() {
            let code = c as u32;
            if (BYTE_BASE..BYTE_BASE + 0x100).contains(&code) {
                out.push((code - BYTE_BASE) as u8);
            } else {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
        out
    }
}

fn os_path(root: &Path, rel: &[u8]) -> PathBuf {
    root.join(std::ffi::OsStr::from_bytes(rel))
}

/// Builds the matcher of the options' patterns; pattern warnings become
/// messages (also when an error follows), then each named file is audited.
pub fn matcher(
    repo: &Repo,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<Matcher> {
    let mut warnings: Warnings = Vec::new();
    let built = status::request_matcher(repo, &opts.request, &mut warnings);
    out.extend(warnings.into_iter().map(Message::Warn));
    let m = built?;
    for f in m.files() {
        pathaudit::audit(repo.root(), &f)?;
    }
    Ok(m)
}

/// Files found by [`walk`], and explicit names that were bad with hg's
/// reason.
type Walked = (Vec<Vec<u8>>, Vec<(Vec<u8>, String)>);

/// Warns about the bad names of a [`walk`] (paths shown by
/// `cwd_display`) and returns them.
pub(crate) fn report_bad(
    bad: Vec<(Vec<u8>, String)>,
    cwd_display: &dyn Fn(&[u8]) -> Vec<u8>,
    out: &mut Vec<Message>,
) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    for (path, message) in bad {
        out.push(Message::Warn(
            format!("{}: {message}\n", show(cwd_display, &path)).raw(),
        ));
        paths.push(path);
    }
    paths
}

/// Walks the working directory for `add`/`addremove` (hg's
/// `dirstate.walk(unknown=True, ignored=False)`): matched untracked files
/// that are not ignored, tracked files, and explicitly named files even if
/// ignored. Explicit names that do not exist are returned in the second
/// list (sorted), for the caller to report or not; ignore-file warnings
/// go to `out`.
pub(crate) fn walk(
    repo: &Repo,
    ds: &WorkingDirstate,
    m: &Matcher,
    ignore_files: &[Vec<u8>],
    out: &mut Vec<Message>,
) -> RepoResult<Walked> {
    let mut warnings: Warnings = Vec::new();
    let ignore = status::ignore_matcher(repo, ignore_files, &mut warnings);
    out.extend(warnings.into_iter().map(Message::Warn));
    let ignore = ignore?;
    let options = StatusOptions {
        list_clean: true,
        list_unknown: true,
        list_ignored: false,
        check_exec: true,
        mtime_boundary: None,
    };
    let walked = qs_dirstate::status::status(repo.root(), &ds.map, m, &ignore, options);
    let mut found: BTreeSet<Vec<u8>> = BTreeSet::new();
    for list in [
        walked.modified,
        walked.added,
        walked.removed,
        walked.deleted,
        walked.unknown,
        walked.clean,
    ] {
        found.extend(list);
    }
    found.extend(walked.unsure.into_iter().map(|u| u.path));
    let mut unsupported = Vec::new();
    for f in m.files() {
        if f.is_empty() || found.contains(&f) {
            continue;
        }
        let md = std::fs::symlink_metadata(os_path(repo.root(), &f)).ok();
        let is_file = md
            .as_ref()
            .is_some_and(|md| md.file_type().is_file() || md.file_type().is_symlink());
        if is_file || ds.map.contains(&f) {
            // A name `-I`/`-X` leave out is not walked (as in hg).
            if m.matches(&f) {
                found.insert(f);
            }
        } else if let Some(kind) = md.as_ref().and_then(special_kind) {
            unsupported.push((f, format!("unsupported file type (type is {kind})")));
        }
    }
    let mut walked_bad = walked.bad;
    walked_bad.extend(unsupported);
    walked_bad.sort();
    Ok((found.into_iter().collect(), walked_bad))
}

/// hg's `badtype` name of a file that is neither regular, a symlink nor
/// a directory.
fn special_kind(md: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = md.file_type();
    if t.is_file() || t.is_symlink() || t.is_dir() {
        None
    } else if t.is_char_device() {
        Some("character device")
    } else if t.is_block_device() {
        Some("block device")
    } else if t.is_fifo() {
        Some("fifo")
    } else if t.is_socket() {
        Some("socket")
    } else {
        Some("unknown")
    }
}

/// hg's `checkportable` for a name about to be tracked.
pub(crate) fn check_portable(
    path: &[u8],
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<()> {
    pathaudit::check_filename(path)?;
    if opts.portability == Portability::Ignore {
        return Ok(());
    }
    if let Some(problem) = pathaudit::windows_problem(path) {
        let message = format!("{problem}: {}", pathaudit::shell_quote(path));
        if opts.portability == Portability::Abort {
            return Err(RepoError::Message(message));
        }
        out.push(Message::Warn(format!("warning: {message}\n").raw()));
    }
    Ok(())
}

/// hg's case-collision auditor (with `ui.portablefilenames` warn/abort).
fn check_case_collision(
    path: &[u8],
    opts: &TrackOptions<'_>,
    lowered: &mut std::collections::HashSet<Vec<u8>>,
    ds: &WorkingDirstate,
    out: &mut Vec<Message>,
) -> RepoResult<()> {
    if opts.portability == Portability::Ignore {
        return Ok(());
    }
    let lower = path.to_ascii_lowercase();
    if lowered.contains(&lower) && !ds.map.contains(path) {
        let message = format!(
            "possible case-folding collision for {}",
            String::from_utf8_lossy(path)
        );
        if opts.portability == Portability::Abort {
            return Err(RepoError::Message(message));
        }
        out.push(Message::Warn(format!("warning: {message}\n").raw()));
    }
    lowered.insert(lower);
    Ok(())
}

fn lowered_names(ds: &WorkingDirstate) -> std::collections::HashSet<Vec<u8>> {
    ds.map.iter().map(|(p, _)| p.to_ascii_lowercase()).collect()
}

/// hg's `workingctx.add`: tracks each name, warning about the ones that
/// cannot be; returns the rejected names.
pub(crate) fn track(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    names: &[Vec<u8>],
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<Vec<Vec<u8>>> {
    let mut rejected = Vec::new();
    for f in names {
        check_portable(f, opts, out)?;
        let shown = show(opts.display.cwd, f);
        let Ok(md) = std::fs::symlink_metadata(os_path(repo.root(), f)) else {
            out.push(Message::Warn(format!("{shown} does not exist!\n").raw()));
            rejected.push(f.clone());
            continue;
        };
        if opts.large_file_limit != 0 && md.len() > opts.large_file_limit {
            out.push(Message::Warn(
                format!(
                    "{}: up to {} MB of RAM may be required to manage this file\n\
                     (use 'hg revert {shown}' to cancel the pending addition)\n",
                    String::from_utf8_lossy(f),
                    3 * md.len() / 1_000_000
                )
                .raw(),
            ));
        }
        let kind = md.file_type();
        if !(kind.is_file() || kind.is_symlink()) {
            out.push(Message::Warn(
                format!("{shown} not added: only files and symlinks supported currently\n").raw(),
            ));
            rejected.push(f.clone());
        } else if !ds.map.set_tracked(f) {
            out.push(Message::Warn(format!("{shown} already tracked!\n").raw()));
        }
    }
    Ok(rejected)
}

/// `hg add`: returns true when some named file was rejected (exit 1).
pub fn add(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<bool> {
    let m = matcher(repo, opts, out)?;
    let (found, bad) = walk(repo, ds, &m, &opts.request.ignore_files, out)?;
    let bad = report_bad(bad, opts.display.cwd, out);
    let mut lowered = lowered_names(ds);
    let mut names = Vec::new();
    for f in found {
        let entry = ds.map.get(&f).copied();
        let exact = m.is_exact(&f);
        let tracked = entry.is_some_and(|e| e.wc_tracked);
        let removed = entry.is_some_and(|e| e.removed());
        let exists = std::fs::symlink_metadata(os_path(repo.root(), &f)).is_ok();
        if exact || (!tracked && exists && !removed) {
            check_case_collision(&f, opts, &mut lowered, ds, out)?;
            if opts.verbose || !exact {
                out.push(Message::Status(
                    format!("adding {}\n", show(opts.display.ui, &f)).raw(),
                ));
            }
            names.push(f);
        }
    }
    let mut failed = !bad.is_empty();
    if !opts.dry_run {
        let files = m.files();
        let rejected = track(repo, ds, &names, opts, out)?;
        failed |= rejected.iter().any(|f| files.contains(f));
    }
    Ok(failed)
}

/// The status `forget` and `remove` start from (clean files listed);
/// clean files the walk was unsure about are recorded in the dirstate as
/// hg's status does under the wlock. Bad paths become warnings.
fn full_status(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    m: &Matcher,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<(Status, Vec<Vec<u8>>)> {
    let req = StatusRequest {
        list_clean: true,
        list_unknown: false,
        list_ignored: false,
        ..opts.request.clone()
    };
    let mut warnings: Warnings = Vec::new();
    let result = status::status_with_map(repo, &ds.map, &req, m, &mut warnings);
    out.extend(warnings.into_iter().map(Message::Warn));
    let (st, fixups) = result?;
    for fixup in &fixups {
        fixup.record_clean(&mut ds.map);
    }
    let mut bad = Vec::new();
    for (path, message) in &st.bad {
        out.push(Message::Warn(
            format!("{}: {message}\n", show(opts.display.cwd, path)).raw(),
        ));
        bad.push(path.clone());
    }
    Ok((st, bad))
}

fn has_tracked_dir(ds: &WorkingDirstate, dir: &[u8]) -> bool {
    let mut prefix = dir.to_vec();
    prefix.push(b'/');
    ds.map
        .iter()
        .any(|(p, e)| e.any_tracked() && p.starts_with(&prefix))
}

/// `hg forget`: returns true when some named file could not be forgotten.
pub fn forget(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<bool> {
    let m = matcher(repo, opts, out)?;
    let (st, mut bad) = full_status(repo, ds, &m, opts, out)?;
    let mut list: Vec<Vec<u8>> = [st.modified, st.added, st.deleted, st.clean].concat();
    list.sort();
    let files = m.files();
    for f in &files {
        if ds.map.contains(f) || os_path(repo.root(), f).is_dir() {
            continue;
        }
        if os_path(repo.root(), f).exists() {
            out.push(Message::Warn(
                format!(
                    "not removing {}: file is already untracked\n",
                    show(opts.display.ui, f)
                )
                .raw(),
            ));
        }
        bad.push(f.clone());
    }
    for f in &list {
        if opts.verbose || !m.is_exact(f) {
            out.push(Message::Status(
                format!("removing {}\n", show(opts.display.ui, f)).raw(),
            ));
        }
    }
    if !opts.dry_run {
        for f in &list {
            if !ds.map.set_untracked(f) {
                out.push(Message::Warn(
                    format!("{} not tracked!\n", show(opts.display.cwd, f)).raw(),
                ));
                if files.contains(f) {
                    bad.push(f.clone());
                }
            }
        }
    }
    Ok(!bad.is_empty())
}

/// `-A/--after` and `-f/--force` of `hg remove`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RemoveMode {
    pub after: bool,
    pub force: bool,
}

/// Deletes a working file and, like hg's `unlinkpath(rmdir=True)`, the
/// directories it leaves empty.
pub(crate) fn unlink(root: &Path, path: &[u8], remove_empty_dirs: bool) -> RepoResult<()> {
    let full = os_path(root, path);
    match std::fs::remove_file(&full) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(qs_store::StoreError::io(full, e).into()),
    }
    if remove_empty_dirs {
        let mut dir = full.parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            if d == root || std::fs::remove_dir(&d).is_err() {
                break;
            }
            dir = d.parent().map(Path::to_path_buf);
        }
    }
    Ok(())
}

/// `hg remove`: returns true when some file was not removed (exit 1).
pub fn remove(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    mode: RemoveMode,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<bool> {
    let m = matcher(repo, opts, out)?;
    let (st, _) = full_status(repo, ds, &m, opts, out)?;
    let mut failed = false;
    let mut warnings: Vec<Vec<u8>> = Vec::new();
    let ui = |p: &[u8]| show(opts.display.ui, p);
    let deleted_dirs: BTreeSet<Vec<u8>> = st
        .deleted
        .iter()
        .flat_map(|p| qs_dirstate::matcher::find_dirs(p).map(<[u8]>::to_vec))
        .collect();
    let files = m.files();
    for f in &files {
        let is_dir = deleted_dirs.contains(f) || has_tracked_dir(ds, f);
        if ds.map.contains(f) || is_dir || f.is_empty() {
            continue;
        }
        let full = os_path(repo.root(), f);
        if full.exists() {
            if full.is_dir() {
                warnings.push(format!("not removing {}: no tracked files\n", ui(f)).raw());
            } else {
                warnings.push(format!("not removing {}: file is untracked\n", ui(f)).raw());
            }
        }
        failed = true;
    }
    let mut list: Vec<Vec<u8>> = if mode.force {
        [
            st.modified.clone(),
            st.deleted.clone(),
            st.clean.clone(),
            st.added.clone(),
        ]
        .concat()
    } else if mode.after {
        for f in st.modified.iter().chain(&st.added).chain(&st.clean) {
            if opts.verbose || files.contains(f) {
                warnings.push(format!("not removing {}: file still exists\n", ui(f)).raw());
            }
            failed = true;
        }
        st.deleted.clone()
    } else {
        for f in &st.modified {
            warnings.push(
                format!(
                    "not removing {}: file is modified (use -f to force removal)\n",
                    ui(f)
                )
                .raw(),
            );
            failed = true;
        }
        for f in &st.added {
            warnings.push(
                format!(
                    "not removing {}: file has been marked for add (use 'hg forget' to undo add)\n",
                    ui(f)
                )
                .raw(),
            );
            failed = true;
        }
        [st.deleted.clone(), st.clean.clone()].concat()
    };
    list.sort();
    for f in &list {
        if opts.verbose || !m.is_exact(f) {
            out.push(Message::Status(format!("removing {}\n", ui(f)).raw()));
        }
    }
    if !opts.dry_run {
        if !mode.after {
            for f in &list {
                if st.added.contains(f) {
                    continue;
                }
                unlink(repo.root(), f, opts.remove_empty_dirs)?;
            }
        }
        for f in &list {
            if !ds.map.set_untracked(f) {
                out.push(Message::Warn(
                    format!("{} not tracked!\n", show(opts.display.cwd, f)).raw(),
                ));
            }
        }
    }
    out.extend(warnings.into_iter().map(Message::Warn));
    Ok(failed)
}

/// `hg addremove` (and `commit -A`): tracks new files, forgets missing
/// ones and, with `similarity` (a percentage above 0), records
/// removed-then-added files of similar content as renames
/// ([`crate::similar`]). Returns true when a named file was rejected.
pub fn addremove(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    similarity: f64,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<bool> {
    let m = matcher(repo, opts, out)?;
    let (found, bad) = walk(repo, ds, &m, &opts.request.ignore_files, out)?;
    let bad = report_bad(bad, opts.display.cwd, out);
    let (mut added, mut unknown, mut deleted, mut removed, mut forgotten) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for f in found {
        let entry = ds.map.get(&f).copied();
        let exists = std::fs::symlink_metadata(os_path(repo.root(), &f))
            .is_ok_and(|md| md.file_type().is_file() || md.file_type().is_symlink());
        match entry {
            None => {
                if pathaudit::audit(repo.root(), &f).is_ok() {
                    unknown.push(f);
                }
            }
            Some(e) if !e.any_tracked() => unknown.push(f),
            Some(e) if !e.removed() && !exists => deleted.push(f),
            Some(e) if e.removed() && exists => forgotten.push(f),
            Some(e) if e.removed() => removed.push(f),
            Some(e) if e.added() => added.push(f),
            Some(_) => {}
        }
    }
    let mut to_add: Vec<Vec<u8>> = unknown.iter().chain(&forgotten).cloned().collect();
    to_add.sort();
    let mut to_print: Vec<(&Vec<u8>, bool)> = to_add
        .iter()
        .map(|f| (f, true))
        .chain(deleted.iter().map(|f| (f, false)))
        .collect();
    to_print.sort();
    for (f, adding) in to_print {
        if opts.verbose || !m.is_exact(f) {
            let verb = if adding { "adding" } else { "removing" };
            out.push(Message::Status(
                format!("{verb} {}\n", show(opts.display.ui, f)).raw(),
            ));
        }
    }
    let mut renames: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    if similarity > 0.0 {
        added.extend(unknown.iter().cloned());
        removed.extend(deleted.iter().cloned());
        added.sort();
        removed.sort();
        let threshold = similarity / 100.0;
        for (old, new, score) in crate::similar::find_renames(repo, &added, &removed, threshold)? {
            if opts.verbose || !m.is_exact(&old) || !m.is_exact(&new) {
                out.push(Message::Status(
                    format!(
                        "recording removal of {} as rename to {} ({}% similar)\n",
                        show(opts.display.ui, &old),
                        show(opts.display.ui, &new),
                        (score * 100.0) as i64
                    )
                    .raw(),
                ));
            }
            renames.push((old, new));
        }
    }
    let files = m.files();
    let nothing = to_add.is_empty() && deleted.is_empty() && renames.is_empty();
    if !(opts.dry_run || nothing) {
        for f in &deleted {
            if !ds.map.set_untracked(f) {
                out.push(Message::Warn(
                    format!("{} not tracked!\n", show(opts.display.cwd, f)).raw(),
                ));
            }
        }
        let mut in_order = unknown.clone();
        in_order.extend(forgotten.iter().cloned());
        track(repo, ds, &in_order, opts, out)?;
        for (old, new) in &renames {
            ds.map.set_tracked(new);
            ds.map.set_copy_source(new.clone(), Some(old.clone()));
        }
    }
    Ok(bad.iter().any(|f| files.contains(f)))
}
