//! The working-directory status operation (hg's `repo.status()` between
//! the first parent and the working directory): read the dirstate, build
//! the file matcher and the ignore matcher, run the `qs-dirstate` walk,
//! then settle the files the walk could not decide from metadata by
//! comparing their content and flags with the parent's manifest.
//!
//! [`status_against`] compares a revision with the working directory or
//! with another revision (`--rev`, `--change`) through the manifests.
//!
//! Files settled clean by content are handed back ("fixups") to callers
//! that hold the wlock, which record them in the dirstate as hg does.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use qs_dirstate::matchbuild::{build_matcher, PatternContext, Warnings};
use qs_dirstate::pattern::PatternKind;
use qs_dirstate::status::{StatusOptions, UnsureFile};
use qs_dirstate::{DirstateError, DirstateMap, Matcher};
use qs_store::manifest::Manifest;
use qs_store::{Node, Revision};
use rayon::prelude::*;

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;

/// What to compare and list.
#[derive(Debug, Clone, Default)]
pub struct StatusRequest {
    /// File patterns as given on the command line (relative to `cwd`;
    /// kind `relpath:` when unprefixed). Empty means every file.
    pub patterns: Vec<Vec<u8>>,
    /// `-I` patterns.
    pub include: Vec<Vec<u8>>,
    /// `-X` patterns.
    pub exclude: Vec<Vec<u8>>,
    /// The current directory relative to the root (`""` at the root).
    pub cwd: Vec<u8>,
    /// Extra ignore files (the `ui.ignore*` values, `~` already expanded).
    pub ignore_files: Vec<Vec<u8>>,
    /// List clean files.
    pub list_clean: bool,
    /// List unknown files.
    pub list_unknown: bool,
    /// List ignored files.
    pub list_ignored: bool,
    /// Compute copy sources (for revision comparisons, only `--change`
    /// of a non-merge changeset is supported: see [`status_against`]).
    pub with_copies: bool,
}

/// The working directory's status; every list is sorted bytewise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    pub modified: Vec<Vec<u8>>,
    pub added: Vec<Vec<u8>>,
    pub removed: Vec<Vec<u8>>,
    pub deleted: Vec<Vec<u8>>,
    pub unknown: Vec<Vec<u8>>,
    pub ignored: Vec<Vec<u8>>,
    pub clean: Vec<Vec<u8>>,
    /// Explicitly named paths hg reports as bad, with the message hg
    /// prints after `path: ` (e.g. `No such file or directory`).
    pub bad: Vec<(Vec<u8>, String)>,
    /// Copy sources recorded in the dirstate for listed added or modified
    /// files (destination, source), when the source is in the parent.
    pub copies: Vec<(Vec<u8>, Vec<u8>)>,
}

fn dirstate_error(e: DirstateError) -> RepoError {
    RepoError::Message(e.to_string())
}

fn os_path(root: &Path, rel: &[u8]) -> PathBuf {
    root.join(std::ffi::OsStr::from_bytes(rel))
}

fn read_pattern_file(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

/// Reads the working directory's dirstate.
pub fn read_dirstate(repo: &Repo) -> RepoResult<DirstateMap> {
    let v2 = repo.requirements().has("dirstate-v2");
    qs_dirstate::disk::read(repo.dot_hg(), v2)
        .map(|d| d.map)
        .map_err(dirstate_error)
}

/// Builds the matcher for a request's patterns, `-I` and `-X`.
fn file_matcher(repo: &Repo, req: &StatusRequest, warnings: &mut Warnings) -> RepoResult<Matcher> {
    let ctx = PatternContext {
        root: repo.root().as_os_str().as_bytes(),
        cwd: &req.cwd,
        read: &read_pattern_file,
    };
    build_matcher(
        &ctx,
        &req.patterns,
        &req.include,
        &req.exclude,
        PatternKind::RelPath,
        warnings,
    )
    .map_err(dirstate_error)
}

/// Builds the ignore matcher from `.hgignore` and the extra files.
pub(crate) fn ignore_matcher(
    repo: &Repo,
    extra: &[Vec<u8>],
    warnings: &mut Warnings,
) -> RepoResult<Matcher> {
    let files = qs_dirstate::ignore::ignore_files(repo.root(), extra);
    qs_dirstate::ignore::ignore_matcher(repo.root(), &files, &read_pattern_file, warnings)
        .map_err(dirstate_error)
}

/// Runs status between the working directory's first parent and the
/// working directory. Warnings hg would print while reading patterns and
/// ignore files (each ending with a newline) are appended to `warnings`,
/// also when an error follows.
pub fn status(repo: &Repo, req: &StatusRequest, warnings: &mut Warnings) -> RepoResult<Status> {
    let matcher = file_matcher(repo, req, warnings)?;
    working_status(repo, req, &matcher, warnings)
}

/// The identity of `.hg/dirstate` (device, inode, size, mtime), to tell
/// whether another process replaced it.
fn dirstate_identity(repo: &Repo) -> Option<(u64, u64, u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    let md = std::fs::symlink_metadata(repo.dot_hg().join("dirstate")).ok()?;
    Some((md.dev(), md.ino(), md.size(), md.mtime(), md.mtime_nsec()))
}

/// [`status`], then, as hg does after a status, the files found clean by
/// content (with an mtime that can be trusted) recorded in the dirstate
/// so the next status need not read them: only if the wlock is free (it
/// is never waited for) and the dirstate on disk is still the one read.
pub fn status_recording_fixups(
    repo: &Repo,
    req: &StatusRequest,
    warnings: &mut Warnings,
) -> RepoResult<Status> {
    let matcher = file_matcher(repo, req, warnings)?;
    let identity = dirstate_identity(repo);
    let mut ds = crate::wdirstate::WorkingDirstate::load(repo)?;
    let (status, fixups) = working_status_of(repo, &ds.map, req, &matcher, warnings)?;
    let mut recorded = false;
    for fixup in &fixups {
        recorded |= fixup.record_clean(&mut ds.map);
    }
    if !recorded {
        return Ok(status);
    }
    let desc = format!("working directory of {}", repo.root().display());
    let Ok(_wlock) = qs_store::lock::try_acquire(&repo.dot_hg().join("wlock"), &desc) else {
        return Ok(status);
    };
    if identity.is_some() && dirstate_identity(repo) == identity {
        ds.write(repo)?;
    }
    Ok(status)
}

/// [`status`] on an already loaded dirstate with an already built
/// matcher, for writers holding the wlock: also returns the files the
/// walk was unsure about that turned out clean, for the caller to record
/// (hg's status fixups).
pub fn status_with_map(
    repo: &Repo,
    map: &DirstateMap,
    req: &StatusRequest,
    matcher: &Matcher,
    warnings: &mut Warnings,
) -> RepoResult<(Status, Vec<UnsureFile>)> {
    working_status_of(repo, map, req, matcher, warnings)
}

/// Builds the matcher for a request (patterns, `-I`, `-X`).
pub fn request_matcher(
    repo: &Repo,
    req: &StatusRequest,
    warnings: &mut Warnings,
) -> RepoResult<Matcher> {
    file_matcher(repo, req, warnings)
}

fn working_status(
    repo: &Repo,
    req: &StatusRequest,
    matcher: &Matcher,
    warnings: &mut Warnings,
) -> RepoResult<Status> {
    let map = read_dirstate(repo)?;
    working_status_of(repo, &map, req, matcher, warnings).map(|(status, _)| status)
}

fn working_status_of(
    repo: &Repo,
    map: &DirstateMap,
    req: &StatusRequest,
    matcher: &Matcher,
    warnings: &mut Warnings,
) -> RepoResult<(Status, Vec<UnsureFile>)> {
    let ignore = ignore_matcher(repo, &req.ignore_files, warnings)?;
    let options = StatusOptions {
        list_clean: req.list_clean,
        list_unknown: req.list_unknown,
        list_ignored: req.list_ignored,
        check_exec: true,
        mtime_boundary: qs_dirstate::timestamp::filesystem_now(repo.dot_hg()).ok(),
    };
    let walked = qs_dirstate::status::status(repo.root(), map, matcher, &ignore, options);
    let mut out = Status {
        modified: walked.modified,
        added: walked.added,
        removed: walked.removed,
        deleted: walked.deleted,
        unknown: walked.unknown,
        ignored: walked.ignored,
        clean: walked.clean,
        bad: walked.bad,
        copies: Vec::new(),
    };
    let mut fixups = Vec::new();
    if !walked.unsure.is_empty() || map.copies_len() > 0 {
        let manifest = repo.manifest_of(repo.working_parent()?)?;
        let verdicts = settle_unsure(repo, &manifest, &walked.unsure)?;
        for (file, modified) in walked.unsure.iter().zip(verdicts) {
            if modified {
                out.modified.push(file.path.clone());
            } else {
                if req.list_clean {
                    out.clean.push(file.path.clone());
                }
                fixups.push(file.clone());
            }
        }
        out.modified.sort_unstable();
        out.clean.sort_unstable();
        for path in out.added.iter().chain(&out.modified) {
            if let Some(source) = map.copy_source(path) {
                if manifest.get(source).is_some() {
                    out.copies.push((path.clone(), source.to_vec()));
                }
            }
        }
        out.copies.sort_unstable();
    }
    Ok((out, fixups))
}

/// For each unsure file, whether its content or flags differ from the
/// parent manifest (in parallel).
fn settle_unsure(repo: &Repo, manifest: &Manifest, unsure: &[UnsureFile]) -> RepoResult<Vec<bool>> {
    unsure
        .par_iter()
        .map(|file| match manifest.get(&file.path) {
            None => Ok(true),
            Some((node, flags)) => differs(repo, &file.path, &node, flags),
        })
        .collect()
}

/// Whether the working copy of `path` differs from the file revision
/// `node` with manifest `flags`.
fn differs(repo: &Repo, path: &[u8], node: &Node, flags: &[u8]) -> RepoResult<bool> {
    use std::os::unix::fs::PermissionsExt;
    // hg reads working files through its path auditor (status without a
    // tree walk stats them directly, then aborts here for a file inside a
    // nested repository or below a symlink).
    crate::pathaudit::audit(repo.root(), path)?;
    let full = os_path(repo.root(), path);
    let Ok(meta) = std::fs::symlink_metadata(&full) else {
        return Ok(true);
    };
    let is_link = meta.file_type().is_symlink();
    let is_exec = !is_link && meta.permissions().mode() & 0o100 != 0;
    if is_link != (flags == b"l") || is_exec != (flags == b"x") {
        return Ok(true);
    }
    let actual = if is_link {
        match std::fs::read_link(&full) {
            Ok(target) => target.as_os_str().as_bytes().to_vec(),
            Err(_) => return Ok(true),
        }
    } else {
        match std::fs::read(&full) {
            Ok(bytes) => bytes,
            Err(_) => return Ok(true),
        }
    };
    Ok(actual != repo.file_content(path, node)?)
}

/// What the working directory holds for a path, seen as a manifest entry.
enum WorkingEntry<'m> {
    /// Unchanged since the first parent: its file node and flags.
    Parent(Node, &'m [u8]),
    /// Added or modified: compare the working file itself.
    Changed,
}

/// Status between revision `base` and `target` (`None`: the working
/// directory), as hg's `status --rev` / `--change` computes it from the
/// manifests. Unknown, ignored and deleted files exist only against the
/// working directory.
pub fn status_against(
    repo: &Repo,
    base: Revision,
    target: Option<Revision>,
    req: &StatusRequest,
    warnings: &mut Warnings,
) -> RepoResult<Status> {
    let matcher = file_matcher(repo, req, warnings)?;
    let base_manifest = repo.manifest_of(base)?;
    let Some(target) = target else {
        let map = read_dirstate(repo)?;
        return working_against(repo, &map, &base_manifest, base, req, &matcher, warnings)
            .map(|(status, _)| status);
    };
    let target_manifest = repo.manifest_of(target)?;
    let mut out = Status::default();
    for (path, node, flags) in base_manifest.iter() {
        if !matcher.matches(path) {
            continue;
        }
        match target_manifest.get(path) {
            None => out.removed.push(path.to_vec()),
            Some((other, other_flags)) if other != node || other_flags != flags => {
                out.modified.push(path.to_vec());
            }
            Some(_) if req.list_clean => out.clean.push(path.to_vec()),
            Some(_) => {}
        }
    }
    for path in target_manifest.paths() {
        if matcher.matches(path) && base_manifest.get(path).is_none() {
            out.added.push(path.to_vec());
        }
    }
    sort_lists(&mut out);
    if req.with_copies {
        if repo.parents(target)? != [base, qs_store::NULL_REVISION] {
            return Err(RepoError::Message(
                "copies between revisions other than a changeset and its only parent \
                 are not supported by qs yet"
                    .to_string(),
            ));
        }
        out.copies = change_copies(repo, &base_manifest, &target_manifest, &out.added)?;
    }
    Ok(out)
}

/// Copies recorded by a non-merge changeset for the files it `added`
/// (hg's filelog-based forward copy tracing): the nearest ancestor of each
/// file revision, following copy metadata, that the parent's manifest
/// holds at the same file node.
fn change_copies(
    repo: &Repo,
    parent: &Manifest,
    target: &Manifest,
    added: &[Vec<u8>],
) -> RepoResult<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut copies = Vec::new();
    for path in added {
        let Some((node, _)) = target.get(path) else {
            continue;
        };
        if let Some(source) = trace_file(repo, parent, path, node)? {
            if source != *path && parent.get(&source).is_some() {
                copies.push((path.clone(), source));
            }
        }
    }
    Ok(copies)
}

/// Walks the ancestors of file revision `path@node` (breadth first,
/// following copies) and returns the first path the manifest `base` holds
/// at that ancestor's node.
fn trace_file(
    repo: &Repo,
    base: &Manifest,
    path: &[u8],
    node: Node,
) -> RepoResult<Option<Vec<u8>>> {
    let mut queue = std::collections::VecDeque::new();
    let mut seen = std::collections::HashSet::new();
    queue.extend(file_parents(repo, path, &node)?);
    while let Some((p, n)) = queue.pop_front() {
        if !seen.insert((p.clone(), n)) {
            continue;
        }
        if base.get(&p).is_some_and(|(found, _)| found == n) {
            return Ok(Some(p));
        }
        queue.extend(file_parents(repo, &p, &n)?);
    }
    Ok(None)
}

/// The parents of a file revision as hg's `filectx.parents()` sees them:
/// the copy source in place of the first parent when there is one.
fn file_parents(repo: &Repo, path: &[u8], node: &Node) -> RepoResult<Vec<(Vec<u8>, Node)>> {
    let log = repo.filelog(path)?;
    let Some(rev) = log.rev_of_node(node)? else {
        return Ok(Vec::new());
    };
    let [p1, p2] = log.parents(rev)?;
    let mut out = Vec::new();
    let copy = qs_store::filelog::copy_source(&log.data(rev)?)
        .and_then(|(source, hex)| Node::from_hex(&hex).map(|n| (source, n)));
    match copy {
        Some(source) => out.push(source),
        None if p1 != qs_store::NULL_REVISION => out.push((path.to_vec(), log.node(p1)?)),
        None => {}
    }
    if p2 != qs_store::NULL_REVISION {
        out.push((path.to_vec(), log.node(p2)?));
    }
    Ok(out)
}

fn sort_lists(out: &mut Status) {
    for list in [
        &mut out.modified,
        &mut out.added,
        &mut out.removed,
        &mut out.clean,
    ] {
        list.sort_unstable();
    }
}

/// [`status_with_map`] against revision `base` instead of the first
/// parent (hg's `repo.status(node1=base)` under the wlock): also returns
/// the clean files the walk was unsure about, for the caller to record.
pub fn status_with_map_against(
    repo: &Repo,
    map: &DirstateMap,
    base: Revision,
    req: &StatusRequest,
    matcher: &Matcher,
    warnings: &mut Warnings,
) -> RepoResult<(Status, Vec<UnsureFile>)> {
    let base_manifest = repo.manifest_of(base)?;
    working_against(repo, map, &base_manifest, base, req, matcher, warnings)
}

/// The working directory against `base` (not necessarily its first
/// parent).
fn working_against(
    repo: &Repo,
    map: &DirstateMap,
    base_manifest: &Manifest,
    base: Revision,
    req: &StatusRequest,
    matcher: &Matcher,
    warnings: &mut Warnings,
) -> RepoResult<(Status, Vec<UnsureFile>)> {
    let parent = repo.working_parent()?;
    let (working, fixups) = working_status_of(repo, map, req, matcher, warnings)?;
    if parent == base {
        return Ok((working, fixups));
    }
    let parent_manifest = repo.manifest_of(parent)?;
    let mut entries: std::collections::BTreeMap<&[u8], WorkingEntry<'_>> = parent_manifest
        .iter()
        .filter(|(path, _, _)| matcher.matches(path))
        .map(|(path, node, flags)| (path, WorkingEntry::Parent(node, flags)))
        .collect();
    for path in working.modified.iter().chain(&working.added) {
        entries.insert(path, WorkingEntry::Changed);
    }
    for path in &working.removed {
        entries.remove(path.as_slice());
    }
    let deleted: std::collections::HashSet<&[u8]> =
        working.deleted.iter().map(Vec::as_slice).collect();
    let mut out = Status {
        deleted: working.deleted.clone(),
        unknown: working.unknown,
        ignored: working.ignored,
        bad: working.bad,
        ..Status::default()
    };
    let mut to_compare = Vec::new();
    for (path, entry) in &entries {
        if deleted.contains(path) {
            continue;
        }
        let Some((base_node, base_flags)) = base_manifest.get(path) else {
            out.added.push(path.to_vec());
            continue;
        };
        match entry {
            WorkingEntry::Parent(node, flags) => {
                if *node != base_node || *flags != base_flags {
                    out.modified.push(path.to_vec());
                } else if req.list_clean {
                    out.clean.push(path.to_vec());
                }
            }
            WorkingEntry::Changed => to_compare.push((path.to_vec(), base_node, base_flags)),
        }
    }
    let verdicts: Vec<bool> = to_compare
        .par_iter()
        .map(|(path, node, flags)| differs(repo, path, node, flags))
        .collect::<RepoResult<_>>()?;
    for ((path, _, _), modified) in to_compare.into_iter().zip(verdicts) {
        if modified {
            out.modified.push(path);
        } else if req.list_clean {
            out.clean.push(path);
        }
    }
    for (path, _, _) in base_manifest.iter() {
        if matcher.matches(path) && !entries.contains_key(path) && !deleted.contains(path) {
            out.removed.push(path.to_vec());
        }
    }
    sort_lists(&mut out);
    Ok((out, fixups))
}

/// One directory of the tree [`terse`] builds.
#[derive(Default)]
struct TerseDir {
    /// Every status letter below this directory.
    statuses: std::collections::BTreeSet<u8>,
    /// Files directly inside: (path, letter).
    files: Vec<(Vec<u8>, u8)>,
    subdirs: std::collections::BTreeMap<Vec<u8>, TerseDir>,
}

impl TerseDir {
    fn add(&mut self, path: &[u8], rest: &[u8], letter: u8) {
        self.statuses.insert(letter);
        match rest.iter().position(|&b| b == b'/') {
            Some(i) => self.subdirs.entry(rest[..i].to_vec()).or_default().add(
                path,
                &rest[i + 1..],
                letter,
            ),
            None => self.files.push((path.to_vec(), letter)),
        }
    }

    /// hg's `tersewalk`: the whole directory as `dir/` when all its files
    /// share one status that `letters` asks to terse, else its own files
    /// and its subdirectories walked the same way.
    fn walk(&self, dir: &[u8], letters: &[u8], out: &mut Vec<(u8, Vec<u8>)>) {
        if self.statuses.len() == 1 {
            if let Some(&only) = self.statuses.first() {
                if letters.contains(&only) {
                    let mut shown = dir.to_vec();
                    shown.push(b'/');
                    out.push((only, shown));
                    return;
                }
            }
        }
        out.extend(self.files.iter().map(|(p, l)| (*l, p.clone())));
        for (name, sub) in &self.subdirs {
            let mut path = dir.to_vec();
            path.push(b'/');
            path.extend_from_slice(name);
            sub.walk(&path, letters, out);
        }
    }
}

/// hg's `status --terse LETTERS` (`tersedir`): directories whose files
/// all share one status named in `letters` (`m a r d u i c`) are listed
/// once as `dir/` in that status; files at the root never are. Refuses
/// an unknown letter as hg does.
pub fn terse(st: Status, letters: &[u8]) -> RepoResult<Status> {
    const ALL: &[u8] = b"mardiuc";
    for &l in letters {
        if !ALL.contains(&l) {
            let shown = String::from_utf8_lossy(&[l]).into_owned();
            return Err(RepoError::Message(format!("'{shown}' not recognized")));
        }
    }
    let mut root = TerseDir::default();
    let lists: [(&Vec<Vec<u8>>, u8); 7] = [
        (&st.modified, b'm'),
        (&st.added, b'a'),
        (&st.deleted, b'd'),
        (&st.clean, b'c'),
        (&st.unknown, b'u'),
        (&st.ignored, b'i'),
        (&st.removed, b'r'),
    ];
    for (list, letter) in lists {
        for f in list {
            root.add(f, f, letter);
        }
    }
    let mut found: Vec<(u8, Vec<u8>)> = root.files.iter().map(|(p, l)| (*l, p.clone())).collect();
    for (name, sub) in &root.subdirs {
        sub.walk(name, letters, &mut found);
    }
    let mut out = Status {
        bad: st.bad,
        copies: st.copies,
        ..Status::default()
    };
    for (letter, path) in found {
        let list = match letter {
            b'm' => &mut out.modified,
            b'a' => &mut out.added,
            b'r' => &mut out.removed,
            b'd' => &mut out.deleted,
            b'u' => &mut out.unknown,
            b'i' => &mut out.ignored,
            _ => &mut out.clean,
        };
        list.push(path);
    }
    sort_lists(&mut out);
    out.deleted.sort_unstable();
    out.unknown.sort_unstable();
    out.ignored.sort_unstable();
    Ok(out)
}
