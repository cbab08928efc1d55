//! The status walk: list the working directory in parallel (rayon, one
//! task per directory, `symlink_metadata` only), then classify every
//! matched path against the dirstate as hg's `dirstate.status` does.
//! Files whose metadata cannot decide (same size, mtime unknown or
//! ambiguous) come back as `unsure`: the caller compares their content
//! with the parent manifest, then may record the clean ones
//! ([`UnsureFile::record_clean`]).

use foldhash::{HashMap, HashSet};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::fsstat::EntryKind;
use crate::ignore::is_path_or_parent_ignored;
use crate::map::DirstateMap;
use crate::matcher::{Matcher, VisitChildren};
use crate::timestamp::{make_reliable, TruncatedTimestamp, RANGE_MASK};

/// What to list, and the filesystem facts hg checks once per repository.
#[derive(Debug, Clone, Copy)]
pub struct StatusOptions {
    /// List clean files.
    pub list_clean: bool,
    /// List unknown files.
    pub list_unknown: bool,
    /// List ignored files.
    pub list_ignored: bool,
    /// The filesystem keeps exec bits (hg's `checkexec`).
    pub check_exec: bool,
    /// The "present" time from the filesystem
    /// ([`crate::timestamp::filesystem_now`]); `None` if it could not be
    /// taken (read-only repository): recorded mtimes are then trusted.
    pub mtime_boundary: Option<TruncatedTimestamp>,
}

/// The metadata status needs from one `lstat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// `st_mode`.
    pub mode: u32,
    /// `st_size`.
    pub size: u64,
    /// Modification time.
    pub mtime: TruncatedTimestamp,
}

impl FileStat {
    fn of(m: &std::fs::Metadata) -> Self {
        FileStat {
            mode: m.mode(),
            size: m.size(),
            mtime: TruncatedTimestamp::mtime_of(m),
        }
    }

    fn is_symlink(&self) -> bool {
        self.mode & 0o170_000 == 0o120_000
    }
}

/// A file status could not decide from metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsureFile {
    /// Repository-relative path.
    pub path: Vec<u8>,
    /// What `lstat` said.
    pub stat: FileStat,
    /// The mtime that may be recorded if the content is clean (`None`
    /// when it is too recent to be trusted, per hg's boundary rule).
    pub reliable_mtime: Option<TruncatedTimestamp>,
}

impl UnsureFile {
    /// Records this file as clean in `map` (after the caller found its
    /// content equal to the parent's); returns false when its mtime is too
    /// recent to record, as hg does.
    pub fn record_clean(&self, map: &mut DirstateMap) -> bool {
        match self.reliable_mtime {
            Some(mtime) => {
                map.set_clean(
                    &self.path,
                    self.stat.mode as i32,
                    self.stat.size as i64,
                    mtime,
                );
                true
            }
            None => false,
        }
    }
}

/// The outcome of a status walk; every list is sorted bytewise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusResult {
    /// Tracked, metadata says changed (or merged / from p2 / copied).
    pub modified: Vec<Vec<u8>>,
    /// Added.
    pub added: Vec<Vec<u8>>,
    /// Removed.
    pub removed: Vec<Vec<u8>>,
    /// Tracked but missing (or no longer a file).
    pub deleted: Vec<Vec<u8>>,
    /// Untracked, not ignored (when listed).
    pub unknown: Vec<Vec<u8>>,
    /// Untracked and ignored (when listed).
    pub ignored: Vec<Vec<u8>>,
    /// Tracked and unchanged (when listed).
    pub clean: Vec<Vec<u8>>,
    /// Needs a content comparison by the caller.
    pub unsure: Vec<UnsureFile>,
    /// Paths hg would report through `match.bad` (explicit files that do
    /// not exist, unreadable directories) with the message hg prints
    /// after `path: `.
    pub bad: Vec<(Vec<u8>, String)>,
}

fn os_path(root: &Path, rel: &[u8]) -> PathBuf {
    if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(std::ffi::OsStr::from_bytes(rel))
    }
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir.is_empty() {
        return name.to_vec();
    }
    let mut p = Vec::with_capacity(dir.len() + 1 + name.len());
    p.extend_from_slice(dir);
    p.push(b'/');
    p.extend_from_slice(name);
    p
}

fn strerror(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Found paths: `Some(stat)` for files and symlinks, `None` for tracked
/// paths that are something else now.
type Found = Vec<(Vec<u8>, Option<FileStat>)>;

struct Walker<'a> {
    root: &'a Path,
    map: &'a DirstateMap,
    matcher: &'a Matcher,
    ignore: &'a Matcher,
    options: StatusOptions,
}

impl Walker<'_> {
    /// hg's `ignore` for the walk: never when listing ignored files, the
    /// ignore matcher when listing unknown ones, always otherwise.
    fn skip(&self, path: &[u8]) -> bool {
        if self.options.list_ignored {
            false
        } else if self.options.list_unknown {
            self.ignore.matches(path)
        } else {
            true
        }
    }

    fn walk_dir(&self, dir: &[u8], bad: &std::sync::Mutex<Vec<(Vec<u8>, String)>>) -> Found {
        let visit = self.matcher.visit_children_set(dir);
        if visit == VisitChildren::Empty {
            return Vec::new();
        }
        // One handle lists the directory and resolves its entries.
        let listed = crate::fsstat::DirHandle::open_listable(&os_path(self.root, dir))
            .and_then(|handle| Ok((handle.entries()?, handle)));
        let (entries, handle) = match listed {
            Ok(listed) => listed,
            // Removed since its parent was listed: nothing to report.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dir.is_empty() => {
                return Vec::new();
            }
            Err(e) => {
                if let Ok(mut b) = bad.lock() {
                    b.push((dir.to_vec(), strerror(&e)));
                }
                return Vec::new();
            }
        };
        if !dir.is_empty() {
            let nested_repo = entries.iter().any(|(name, kind)| {
                name == b".hg"
                    && match kind {
                        EntryKind::Directory => true,
                        EntryKind::Unknown => handle
                            .lstat(name)
                            .is_ok_and(|st| st.mode & 0o170_000 == 0o040_000),
                        _ => false,
                    }
            });
            if nested_repo {
                // A nested repository: hg skips the whole directory.
                return Vec::new();
            }
        }
        let mut found = Vec::new();
        let mut subdirs = Vec::new();
        for (name, kind) in entries {
            if dir.is_empty() && name == b".hg" {
                continue;
            }
            if let VisitChildren::Set(set) = &visit {
                if !set.contains(&name) {
                    continue;
                }
            }
            let path = join(dir, &name);
            let tracked = self.map.contains(&path);
            let matches = || self.matcher.always() || self.matcher.matches(&path);
            // The kind getdents reported, checked with `lstat` only where
            // the metadata is needed (files listed) or the kind unknown.
            let (kind, stat) = match kind {
                EntryKind::FileOrLink => {
                    let wanted =
                        (tracked && matches()) || (!tracked && matches() && !self.skip(&path));
                    if !wanted {
                        continue;
                    }
                    let Ok(stat) = handle.lstat(&name) else {
                        continue;
                    };
                    (stat.mode & 0o170_000, Some(stat))
                }
                EntryKind::Unknown => {
                    let Ok(stat) = handle.lstat(&name) else {
                        continue;
                    };
                    (stat.mode & 0o170_000, Some(stat))
                }
                EntryKind::Directory => (0o040_000, None),
                EntryKind::Other => (0, None),
            };
            if kind == 0o040_000 {
                if !self.skip(&path) {
                    subdirs.push(path.clone());
                }
                if tracked && matches() {
                    found.push((path, None));
                }
            } else if kind == 0o100_000 || kind == 0o120_000 {
                if (tracked && matches()) || (!tracked && matches() && !self.skip(&path)) {
                    found.push((path, stat));
                }
            } else if tracked && matches() {
                found.push((path, None));
            }
        }
        let nested: Vec<Found> = subdirs.par_iter().map(|d| self.walk_dir(d, bad)).collect();
        for n in nested {
            found.extend(n);
        }
        found
    }

    /// hg's path audit for a tracked file not seen by the walk: no parent
    /// may be a symlink or a nested repository.
    fn parents_ok(&self, path: &[u8], cache: &HashMap<Vec<u8>, bool>) -> bool {
        crate::matcher::find_dirs(path)
            .filter(|d| !d.is_empty())
            .all(|d| cache.get(d).copied().unwrap_or(false))
    }
}

enum Verdict {
    Modified,
    Added,
    Removed,
    Deleted,
    Unknown,
    Ignored,
    Clean,
    Unsure(UnsureFile),
    Nothing,
}

/// Runs status over the working directory at `root`.
pub fn status(
    root: &Path,
    map: &DirstateMap,
    matcher: &Matcher,
    ignore: &Matcher,
    options: StatusOptions,
) -> StatusResult {
    let walker = Walker {
        root,
        map,
        matcher,
        ignore,
        options,
    };
    let bad = std::sync::Mutex::new(Vec::new());
    // Without unknown or ignored files to list, only tracked files matter:
    // they are stat'ed directly below, no directory is read.
    let found = if options.list_unknown || options.list_ignored {
        walker.walk_dir(b"", &bad)
    } else {
        Vec::new()
    };
    let mut results: HashMap<Vec<u8>, Option<FileStat>> = found.into_iter().collect();
    let mut bad = bad.into_inner().unwrap_or_default();

    // Explicitly named files the walk did not reach (inside ignored
    // directories, or missing).
    for f in matcher.files() {
        if f.is_empty() || results.contains_key(&f) {
            continue;
        }
        match std::fs::symlink_metadata(os_path(root, &f)) {
            Ok(m) if m.file_type().is_file() || m.file_type().is_symlink() => {
                if matcher.matches(&f) {
                    results.insert(f, Some(FileStat::of(&m)));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let mut prefix = f.clone();
                prefix.push(b'/');
                let known = map.contains(&f) || map.iter().any(|(p, _)| p.starts_with(&prefix));
                if !known {
                    bad.push((f, strerror(&e)));
                }
            }
        }
    }

    // Tracked files the walk did not see.
    let unseen: Vec<Vec<u8>> = map
        .iter()
        .filter(|(p, _)| !results.contains_key(*p) && matcher.matches(p))
        .map(|(p, _)| p.to_vec())
        .collect();
    // hg audits the paths of tracked files the walk did not see (a parent
    // that became a symlink or a nested repository hides them) only after
    // a walk of the tree; without one, it stats them directly.
    let walked_tree = options.list_unknown || options.list_ignored;
    let dirs: HashSet<Vec<u8>> = unseen
        .iter()
        .filter(|_| walked_tree)
        .flat_map(|p| crate::matcher::find_dirs(p).map(<[u8]>::to_vec))
        .filter(|d| !d.is_empty())
        .collect();
    let dir_ok: HashMap<Vec<u8>, bool> = dirs
        .into_par_iter()
        .map(|d| {
            let full = os_path(root, &d);
            let ok = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_dir())
                && !std::fs::symlink_metadata(full.join(".hg")).is_ok_and(|m| m.is_dir());
            (d, ok)
        })
        .collect();
    let (reachable, unreachable): (Vec<Vec<u8>>, Vec<Vec<u8>>) = unseen
        .into_par_iter()
        .partition(|p| !walked_tree || walker.parents_ok(p, &dir_ok));
    let names: Vec<&[u8]> = reachable.iter().map(Vec::as_slice).collect();
    let stats = crate::fsstat::lstat_many(root, &names);
    for (path, stat) in reachable.iter().zip(stats) {
        let stat = stat.ok().filter(|st| {
            let kind = st.mode & 0o170_000;
            kind == 0o100_000 || kind == 0o120_000
        });
        results.insert(path.clone(), stat);
    }
    results.extend(unreachable.into_iter().map(|p| (p, None)));

    let verdicts: Vec<(Vec<u8>, Verdict)> = results
        .into_par_iter()
        .map(|(path, stat)| {
            let v = classify(&path, stat, map, matcher, ignore, &options);
            (path, v)
        })
        .collect();
    let mut out = StatusResult {
        bad,
        ..StatusResult::default()
    };
    for (path, v) in verdicts {
        match v {
            Verdict::Modified => out.modified.push(path),
            Verdict::Added => out.added.push(path),
            Verdict::Removed => out.removed.push(path),
            Verdict::Deleted => out.deleted.push(path),
            Verdict::Unknown => out.unknown.push(path),
            Verdict::Ignored => out.ignored.push(path),
            Verdict::Clean => out.clean.push(path),
            Verdict::Unsure(u) => out.unsure.push(u),
            Verdict::Nothing => {}
        }
    }
    for list in [
        &mut out.modified,
        &mut out.added,
        &mut out.removed,
        &mut out.deleted,
        &mut out.unknown,
        &mut out.ignored,
        &mut out.clean,
    ] {
        list.sort_unstable();
    }
    out.unsure.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    out.bad.sort();
    out
}

fn classify(
    path: &[u8],
    stat: Option<FileStat>,
    map: &DirstateMap,
    matcher: &Matcher,
    ignore: &Matcher,
    options: &StatusOptions,
) -> Verdict {
    let Some(entry) = map.get(path) else {
        if (options.list_ignored || matcher.is_exact(path))
            && is_path_or_parent_ignored(ignore, path)
        {
            return if options.list_ignored {
                Verdict::Ignored
            } else {
                Verdict::Nothing
            };
        }
        return if options.list_unknown {
            Verdict::Unknown
        } else {
            Verdict::Nothing
        };
    };
    let copied = map.copy_source(path).is_some();
    match classify_tracked(entry, copied, stat, options) {
        TrackedVerdict::Modified => Verdict::Modified,
        TrackedVerdict::Added => Verdict::Added,
        TrackedVerdict::Removed => Verdict::Removed,
        TrackedVerdict::Deleted => Verdict::Deleted,
        TrackedVerdict::Clean if options.list_clean => Verdict::Clean,
        TrackedVerdict::Clean | TrackedVerdict::Nothing => Verdict::Nothing,
        TrackedVerdict::Unsure(st) => unsure(path, st, options),
    }
}

/// What metadata says about a path the dirstate knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrackedVerdict {
    Modified,
    Added,
    Removed,
    Deleted,
    Clean,
    /// Only a content comparison can tell.
    Unsure(FileStat),
    /// Tracked nowhere that status reports.
    Nothing,
}

/// hg's classification of a dirstate entry from `lstat` alone (`stat` is
/// `None` when the path is missing or no longer a file or symlink);
/// `copied` says whether the dirstate records a copy source for it.
pub(crate) fn classify_tracked(
    entry: &crate::Entry,
    copied: bool,
    stat: Option<FileStat>,
    options: &StatusOptions,
) -> TrackedVerdict {
    let Some(st) = stat else {
        return if entry.wc_tracked {
            TrackedVerdict::Deleted
        } else if entry.removed() {
            TrackedVerdict::Removed
        } else {
            TrackedVerdict::Nothing
        };
    };
    if entry.from_p2_or_merged() {
        return TrackedVerdict::Modified;
    }
    if entry.added() {
        return TrackedVerdict::Added;
    }
    if entry.removed() {
        return TrackedVerdict::Removed;
    }
    if !entry.wc_tracked {
        return TrackedVerdict::Nothing;
    }
    let size = entry.v1_size();
    let mode = entry.v1_mode();
    let size_differs = size >= 0
        && (i64::from(size) != st.size as i64 && i64::from(size) != st.size as i64 & RANGE_MASK);
    let exec_differs = (mode as u32 ^ st.mode) & 0o100 != 0 && options.check_exec;
    if (size >= 0 && (size_differs || exec_differs)) || copied {
        return if st.is_symlink() && size_differs {
            TrackedVerdict::Unsure(st)
        } else {
            TrackedVerdict::Modified
        };
    }
    let recorded = entry.mtime;
    let observed = match options.mtime_boundary {
        None => Some(st.mtime),
        Some(boundary) => make_reliable(st.mtime, boundary),
    };
    match observed {
        Some(observed) if recorded.is_some_and(|r| r.likely_equal(&observed)) => {
            TrackedVerdict::Clean
        }
        _ => TrackedVerdict::Unsure(st),
    }
}

fn unsure(path: &[u8], st: FileStat, options: &StatusOptions) -> Verdict {
    let reliable_mtime = match options.mtime_boundary {
        Some(b) => make_reliable(st.mtime, b),
        None => None,
    };
    Verdict::Unsure(UnsureFile {
        path: path.to_vec(),
        stat: st,
        reliable_mtime,
    })
}
