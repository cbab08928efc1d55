//! Diffs between two sides (revisions or the working directory), as
//! `hg diff` and `hg log -p` write them: which files changed (the status
//! between the sides), their pairing into copies and renames (`--git`),
//! and per file the header lines and hunks ([`unified`], [`git`]).
//! [`stat`] turns a diff text into hg's `--stat` table.
//!
//! The output is plain bytes; colour labels are added by the caller from
//! the text, as hg does.

pub mod blocks;
pub mod copies;
pub mod git;
pub mod stat;
pub mod unified;

use std::collections::HashSet;
use std::os::unix::ffi::OsStrExt;

use qs_dirstate::matchbuild::Warnings;
use qs_store::manifest::Manifest;
use qs_store::Revision;

use crate::dates::HgDate;
use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::status::{Status, StatusRequest};
use copies::SideInfo;
use unified::{HeaderOptions, TextOptions, Version};

/// One side of a diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Rev(Revision),
    Working,
}

/// hg's diff options (`mdiff.diffopts`) that qs supports.
#[derive(Clone, Debug, Default)]
pub struct DiffOptions {
    pub text: TextOptions,
    /// `-g/--git`: git's extended format.
    pub git: bool,
    /// `--nodates`.
    pub nodates: bool,
    /// `diff.noprefix`: no `a/` and `b/` (ignored with `--stat`).
    pub noprefix: bool,
    /// `--binary` off (`diff.nobinary`): no binary patches in git mode.
    pub nobinary: bool,
    /// `-a/--text`: treat every file as text.
    pub all_text: bool,
    /// `--debug`: full hashes in `diff -r` lines.
    pub full_hashes: bool,
}

/// A filter on repository paths.
pub type PathFilter<'a> = &'a dyn Fn(&[u8]) -> bool;

/// A function showing a repository path.
pub type PathShow<'a> = &'a dyn Fn(&[u8]) -> Vec<u8>;

/// What to compare and how to show it.
pub struct DiffRequest<'a> {
    pub left: Side,
    pub right: Side,
    /// File patterns, `-I`/`-X` and the current directory.
    pub files: StatusRequest,
    /// An extra filter on repository paths (for `log -p FILE`).
    pub only: Option<PathFilter<'a>>,
    pub options: DiffOptions,
    /// The date the working directory shows in headers.
    pub working_date: HgDate,
    /// `--root`: a directory (relative to the repository root, without
    /// trailing slash) to restrict the diff to and show paths from.
    pub relroot: Vec<u8>,
    /// How paths are shown (after `relroot` is stripped); identity when
    /// `None`.
    pub pathfn: Option<PathShow<'a>>,
}

/// The files that differ between the sides: modified, added, removed.
fn changed_files(
    repo: &Repo,
    req: &DiffRequest<'_>,
    warnings: &mut Warnings,
) -> RepoResult<Status> {
    let status = match (req.left, req.right) {
        (Side::Working, Side::Working) => Status::default(),
        (Side::Rev(a), Side::Rev(b)) => {
            crate::status::status_against(repo, a, Some(b), &req.files, warnings)?
        }
        (Side::Rev(a), Side::Working) => working_status(repo, a, req, warnings)?,
        (Side::Working, Side::Rev(b)) => {
            let mut s = working_status(repo, b, req, warnings)?;
            std::mem::swap(&mut s.added, &mut s.removed);
            s
        }
    };
    Ok(status)
}

fn working_status(
    repo: &Repo,
    base: Revision,
    req: &DiffRequest<'_>,
    warnings: &mut Warnings,
) -> RepoResult<Status> {
    if base == repo.working_parent()? {
        crate::status::status(repo, &req.files, warnings)
    } else {
        crate::status::status_against(repo, base, None, &req.files, warnings)
    }
}

/// What a side holds, loaded once.
struct Loaded {
    side: Side,
    /// The revision's manifest, or the working directory parent's.
    manifest: Manifest,
    /// Tracked files of the working directory.
    tracked: Option<HashSet<Vec<u8>>>,
    /// Date shown in headers.
    date: String,
    /// Hash shown in `diff -r` lines (none for the working directory).
    hash: Option<String>,
}

impl Loaded {
    fn load(repo: &Repo, side: Side, req: &DiffRequest<'_>) -> RepoResult<Loaded> {
        match side {
            Side::Rev(r) => {
                let cs = repo.changeset(r)?;
                let hash = if req.options.full_hashes {
                    cs.node.hex()
                } else {
                    cs.node.short()
                };
                Ok(Loaded {
                    side,
                    manifest: repo.manifest(&cs.manifest)?,
                    tracked: None,
                    date: cs.date.display(),
                    hash: Some(hash),
                })
            }
            Side::Working => Ok(Loaded {
                side,
                manifest: repo.manifest_of(repo.working_parent()?)?,
                tracked: Some(crate::working::tracked_files(repo)?.into_iter().collect()),
                date: req.working_date.display(),
                hash: None,
            }),
        }
    }

    fn contains(&self, path: &[u8]) -> bool {
        match &self.tracked {
            Some(set) => set.contains(path),
            None => self.manifest.get(path).is_some(),
        }
    }

    fn info(&self) -> SideInfo<'_> {
        SideInfo {
            side: self.side,
            manifest: &self.manifest,
            tracked: self.tracked.as_ref(),
        }
    }

    /// The content and flags of `path` on this side.
    fn file(&self, repo: &Repo, path: &[u8]) -> RepoResult<(Vec<u8>, Vec<u8>)> {
        match self.side {
            Side::Rev(_) => {
                let (node, flags) = self.manifest.get(path).ok_or_else(|| {
                    RepoError::Message(format!(
                        "{}: not found in manifest",
                        String::from_utf8_lossy(path)
                    ))
                })?;
                Ok((repo.file_content(path, &node)?, flags.to_vec()))
            }
            Side::Working => read_working(repo, path),
        }
    }
}

/// A working-directory file's content (a symlink's target) and flags.
fn read_working(repo: &Repo, path: &[u8]) -> RepoResult<(Vec<u8>, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let full = repo.root().join(std::ffi::OsStr::from_bytes(path));
    let io_error = |e: std::io::Error| {
        RepoError::Message(format!(
            "{}: {}",
            String::from_utf8_lossy(path),
            io_message(&e)
        ))
    };
    let meta = std::fs::symlink_metadata(&full).map_err(io_error)?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(&full).map_err(io_error)?;
        return Ok((target.as_os_str().as_bytes().to_vec(), b"l".to_vec()));
    }
    let content = std::fs::read(&full).map_err(io_error)?;
    let flags = if meta.permissions().mode() & 0o100 != 0 {
        b"x".to_vec()
    } else {
        Vec::new()
    };
    Ok((content, flags))
}

/// An I/O error worded like Python's `strerror`.
fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A file pair: old name, new name, and `copy`/`rename` (git only).
struct Pair {
    f1: Option<Vec<u8>>,
    f2: Option<Vec<u8>>,
    copy_op: Option<&'static str>,
}

/// hg's `_filepairs`.
fn file_pairs(
    modified: &[Vec<u8>],
    added: &[Vec<u8>],
    removed: &[Vec<u8>],
    copies: &copies::Copies,
    git: bool,
) -> Vec<Pair> {
    let added_set: HashSet<&[u8]> = added.iter().map(Vec::as_slice).collect();
    let removed_set: HashSet<&[u8]> = removed.iter().map(Vec::as_slice).collect();
    let mut copy_to: std::collections::HashMap<&[u8], &[u8]> = std::collections::HashMap::new();
    for (dst, src) in copies {
        copy_to.insert(src, dst);
    }
    let mut all: Vec<&Vec<u8>> = modified.iter().chain(added).chain(removed).collect();
    all.sort();
    let mut gone: HashSet<&[u8]> = HashSet::new();
    let mut out = Vec::new();
    for f in all {
        let mut pair = Pair {
            f1: Some(f.clone()),
            f2: Some(f.clone()),
            copy_op: None,
        };
        if added_set.contains(f.as_slice()) {
            pair.f1 = None;
            if let (true, Some(src)) = (git, copies.get(f)) {
                pair.f1 = Some(src.clone());
                if removed_set.contains(src.as_slice()) && !gone.contains(src.as_slice()) {
                    pair.copy_op = Some("rename");
                    gone.insert(src.as_slice());
                } else {
                    pair.copy_op = Some("copy");
                }
            }
        } else if removed_set.contains(f.as_slice()) {
            pair.f2 = None;
            if git {
                if let Some(dst) = copy_to.get(f.as_slice()) {
                    if added_set.contains(dst) && copies.get(*dst).is_some_and(|s| s == f) {
                        continue;
                    }
                }
            }
        }
        out.push(pair);
    }
    out
}

/// A diff's text and the explicitly named paths hg reports as bad (with
/// the message hg prints after `path: `).
#[derive(Clone, Debug, Default)]
pub struct DiffOutput {
    pub text: Vec<u8>,
    pub bad: Vec<(Vec<u8>, String)>,
}

/// The diff of changeset `rev` against its first parent, as `log -p`
/// and the template `diff()` show it, for the paths `only` keeps.
pub fn changeset_diff(
    repo: &Repo,
    rev: Revision,
    options: DiffOptions,
    only: Option<PathFilter<'_>>,
) -> RepoResult<Vec<u8>> {
    let [p1, _] = repo.parents(rev)?;
    let req = DiffRequest {
        left: Side::Rev(p1),
        right: Side::Rev(rev),
        files: StatusRequest::default(),
        only,
        options,
        working_date: HgDate::default(),
        relroot: Vec::new(),
        pathfn: None,
    };
    Ok(diff(repo, &req, &mut Vec::new())?.text)
}

/// Computes the diff of a request. Pattern warnings hg would print are
/// appended to `warnings`.
pub fn diff(repo: &Repo, req: &DiffRequest<'_>, warnings: &mut Warnings) -> RepoResult<DiffOutput> {
    let mut status = changed_files(repo, req, warnings)?;
    let bad = std::mem::take(&mut status.bad);
    let relroot_prefix = if req.relroot.is_empty() {
        Vec::new()
    } else {
        let mut p = req.relroot.clone();
        p.push(b'/');
        p
    };
    let keep = |p: &[u8]| -> bool {
        req.only.is_none_or(|only| only(p)) && p.starts_with(&relroot_prefix)
    };
    for list in [&mut status.modified, &mut status.added, &mut status.removed] {
        list.retain(|p| keep(p));
    }
    if status.modified.is_empty() && status.added.is_empty() && status.removed.is_empty() {
        return Ok(DiffOutput {
            text: Vec::new(),
            bad,
        });
    }
    let left = Loaded::load(repo, req.left, req)?;
    let right = Loaded::load(repo, req.right, req)?;

    let mut modified = Vec::new();
    let mut added = status.added;
    for f in status.modified {
        if left.contains(&f) {
            modified.push(f);
        } else {
            added.push(f);
        }
    }
    added.sort();
    let removed: Vec<Vec<u8>> = status
        .removed
        .into_iter()
        .filter(|f| left.contains(f))
        .collect();

    let opts = &req.options;
    let mut found_copies = if opts.git {
        copies::path_copies(repo, &left.info(), &right.info(), &keep)?
    } else {
        copies::Copies::new()
    };
    found_copies.retain(|_, src| left.contains(src) && src.starts_with(&relroot_prefix));

    let show = |p: &[u8]| -> Vec<u8> {
        let stripped = p.strip_prefix(relroot_prefix.as_slice()).unwrap_or(p);
        match req.pathfn {
            Some(f) => f(stripped),
            None => stripped.to_vec(),
        }
    };
    let mut out = Vec::new();
    for pair in file_pairs(&modified, &added, &removed, &found_copies, opts.git) {
        file_diff(repo, &left, &right, &pair, opts, &show, &mut out)?;
    }
    Ok(DiffOutput { text: out, bad })
}

/// hg's `trydiff` + `diffcontent` for one file pair, appended to `out`.
fn file_diff(
    repo: &Repo,
    left: &Loaded,
    right: &Loaded,
    pair: &Pair,
    opts: &DiffOptions,
    show: &dyn Fn(&[u8]) -> Vec<u8>,
    out: &mut Vec<u8>,
) -> RepoResult<()> {
    let one = match &pair.f1 {
        Some(f) => Some(left.file(repo, f)?),
        None => None,
    };
    let two = match &pair.f2 {
        Some(f) => Some(right.file(repo, f)?),
        None => None,
    };
    let binary = !opts.all_text
        && [&one, &two]
            .iter()
            .any(|side| side.as_ref().is_some_and(|(data, _)| data.contains(&0)));
    let name = |f: &Option<Vec<u8>>, other: &Option<Vec<u8>>| -> Vec<u8> {
        show(f.as_deref().or(other.as_deref()).unwrap_or_default())
    };
    let path1 = name(&pair.f1, &pair.f2);
    let path2 = name(&pair.f2, &pair.f1);
    let (aprefix, bprefix): (&[u8], &[u8]) = if opts.noprefix {
        (b"", b"")
    } else {
        (b"a/", b"b/")
    };
    let mut header: Vec<Vec<u8>> = Vec::new();
    if opts.git {
        let mut line = b"diff --git ".to_vec();
        line.extend_from_slice(aprefix);
        line.extend_from_slice(&path1);
        line.push(b' ');
        line.extend_from_slice(bprefix);
        line.extend_from_slice(&path2);
        header.push(line);
        match (&one, &two) {
            (None, Some((_, flags))) => {
                header.push(format!("new file mode {}", git::mode(flags)).into_bytes());
            }
            (Some((_, flags)), None) => {
                header.push(format!("deleted file mode {}", git::mode(flags)).into_bytes());
            }
            (Some((_, f1)), Some((_, f2))) => {
                let (m1, m2) = (git::mode(f1), git::mode(f2));
                if m1 != m2 {
                    header.push(format!("old mode {m1}").into_bytes());
                    header.push(format!("new mode {m2}").into_bytes());
                }
                if let Some(op) = pair.copy_op {
                    let mut from = format!("{op} from ").into_bytes();
                    from.extend_from_slice(&path1);
                    header.push(from);
                    let mut to = format!("{op} to ").into_bytes();
                    to.extend_from_slice(&path2);
                    header.push(to);
                }
            }
            (None, None) => {}
        }
    } else {
        let hashes: Vec<&str> = [&left.hash, &right.hash]
            .into_iter()
            .filter_map(|h| h.as_deref())
            .collect();
        if !hashes.is_empty() {
            let mut line = b"diff".to_vec();
            for h in hashes {
                line.extend_from_slice(b" -r ");
                line.extend_from_slice(h.as_bytes());
            }
            line.push(b' ');
            line.extend_from_slice(&path1);
            header.push(line);
        }
    }
    let content1 = one.as_ref().map(|(d, _)| d.as_slice());
    let content2 = two.as_ref().map(|(d, _)| d.as_slice());
    let text = if binary && opts.git && !opts.nobinary {
        let text = git::binary_patch(content1, content2);
        if !text.is_empty() {
            // hg tests the shown path (after --root) against each side.
            let index = |side: &Loaded, path: &[u8], content: Option<&[u8]>| {
                if side.contains(path) {
                    git::blob_hash(content)
                } else {
                    "0".repeat(40)
                }
            };
            let i1 = index(left, &path1, content1);
            let i2 = index(right, &path2, content2);
            header.push(format!("index {i1}..{i2}").into_bytes());
        }
        text
    } else {
        let (headers, text) = unified::unidiff(
            Version {
                data: content1,
                date: &left.date,
                path: &path1,
            },
            Version {
                data: content2,
                date: &right.date,
                path: &path2,
            },
            binary,
            HeaderOptions {
                git: opts.git,
                nodates: opts.nodates,
                noprefix: opts.noprefix,
            },
            &opts.text,
        );
        header.extend(headers);
        text
    };
    if !header.is_empty() && (!text.is_empty() || header.len() > 1) {
        out.extend_from_slice(&header.join(&b'\n'));
        out.push(b'\n');
    }
    out.extend_from_slice(&text);
    Ok(())
}

/// Parses `-U`/`diff.unified` as hg does (`int()`), with its message.
pub fn parse_context(value: &str) -> RepoResult<i64> {
    value.trim().parse::<i64>().map_err(|_| {
        RepoError::Message(format!(
            "diff context lines count must be an integer, not '{value}'"
        ))
    })
}
