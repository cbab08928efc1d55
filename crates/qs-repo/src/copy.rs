//! Copying and renaming files as hg's `cmdutil.copy` does (`hg copy`,
//! `hg rename`): sources walked per pattern, the target of each source
//! (into an existing directory, onto a file, or with `--after` guessed
//! from what exists), hg's refusals and messages, the file copied (and
//! the source removed for a rename) unless `--after` or a dry run, and
//! the dirstate's copy records (hg's `dirstatecopy`). The caller holds
//! the wlock and writes the dirstate afterwards.

use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use qs_dirstate::matchbuild::join;
use qs_dirstate::pattern::{canonpath, PatternKind};
use qs_store::manifest::Manifest;

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::tracking::{self, Message, PathDisplay, TrackOptions};
use crate::wdirstate::WorkingDirstate;

/// How `copy` behaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct CopyMode {
    /// `hg rename`: the sources are removed.
    pub rename: bool,
    /// `-A/--after`: record copies already made.
    pub after: bool,
    /// `-f/--force`: replace existing targets.
    pub force: bool,
    /// `-q`: no "not committed yet" warning.
    pub quiet: bool,
}

fn os(path: &[u8]) -> &Path {
    Path::new(std::ffi::OsStr::from_bytes(path))
}

fn bad(message: impl Into<String>) -> RepoError {
    RepoError::Message(message.into())
}

fn basename(p: &[u8]) -> &[u8] {
    match p.iter().rposition(|&b| b == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

fn dirname_len(p: &[u8]) -> usize {
    p.iter().rposition(|&b| b == b'/').unwrap_or(0)
}

/// True when the pattern has an explicit kind (`glob:`, `re:`...).
fn has_kind(pat: &[u8]) -> bool {
    pat.iter()
        .position(|&b| b == b':')
        .is_some_and(|i| PatternKind::from_name(&pat[..i]).is_some())
}

/// One source: repository path, shown path, named exactly.
struct Source {
    abs: Vec<u8>,
    rel: Vec<u8>,
    exact: bool,
}

/// How the target of each source of one pattern is found.
enum Target {
    /// `dest` itself.
    Dest,
    /// `dest/` + the source's base name.
    Basename,
    /// `dest/` + the source path without its first `strip` bytes.
    Strip(usize),
}

struct Copier<'a, 'o> {
    repo: &'a Repo,
    ds: &'a mut WorkingDirstate,
    opts: &'a TrackOptions<'o>,
    mode: CopyMode,
    dry_run: bool,
    remove_empty_dirs: bool,
    /// The command's directory relative to the root.
    cwd: Vec<u8>,
    cwd_abs: PathBuf,
    parent: Manifest,
    grandparents: Vec<Manifest>,
    targets: HashMap<Vec<u8>, Vec<u8>>,
    out: &'a mut Vec<Message>,
}

impl Copier<'_, '_> {
    fn ui(&self, p: &[u8]) -> Vec<u8> {
        (self.opts.display.ui)(p)
    }

    fn warn(&mut self, parts: &[&[u8]]) {
        self.out.push(Message::Warn(parts.concat()));
    }

    fn lexists(&self, cwd_relative: &[u8]) -> bool {
        std::fs::symlink_metadata(self.cwd_abs.join(os(cwd_relative))).is_ok()
    }

    /// hg's `walkpat`: the tracked (or, with `--after`, removed) files
    /// the pattern names.
    fn walk(&mut self, pat: &[u8]) -> RepoResult<Vec<Source>> {
        let opts = TrackOptions {
            request: crate::status::StatusRequest {
                patterns: vec![pat.to_vec()],
                ..self.opts.request.clone()
            },
            verbose: self.opts.verbose,
            dry_run: self.opts.dry_run,
            display: PathDisplay {
                ui: self.opts.display.ui,
                cwd: self.opts.display.cwd,
            },
            portability: self.opts.portability,
            large_file_limit: self.opts.large_file_limit,
            remove_empty_dirs: self.opts.remove_empty_dirs,
        };
        let m = tracking::matcher(self.repo, &opts, self.out)?;
        let (found, bad) =
            tracking::walk(self.repo, self.ds, &m, &opts.request.ignore_files, self.out)?;
        tracking::report_bad(bad, opts.display.cwd, self.out);
        let mut srcs = Vec::new();
        for abs in found {
            let rel = self.ui(&abs);
            let exact = m.is_exact(&abs);
            let tracked = self.ds.map.get(&abs).is_some_and(|e| e.wc_tracked);
            if !tracked {
                if self.parent.get(&abs).is_some() {
                    if !self.mode.after {
                        if exact {
                            self.warn(&[
                                &rel,
                                b": not copying - file has been marked for remove\n",
                            ]);
                        }
                        continue;
                    }
                } else {
                    if exact {
                        self.warn(&[&rel, b": not copying - file is not managed\n"]);
                    }
                    continue;
                }
            }
            srcs.push(Source { abs, rel, exact });
        }
        Ok(srcs)
    }

    fn canon(&self, name: &[u8]) -> RepoResult<Vec<u8>> {
        let root = self.repo.root().as_os_str().as_bytes();
        canonpath(root, &self.cwd, name).map_err(|e| bad(e.to_string()))
    }

    /// hg's `targetpathfn`.
    fn target_of(&self, pat: &[u8], dest_dir: bool) -> RepoResult<Target> {
        if self.cwd_abs.join(os(pat)).is_dir() {
            let abspfx = self.canon(pat)?;
            let mut strip = if dest_dir {
                dirname_len(&abspfx)
            } else {
                abspfx.len()
            };
            if strip > 0 {
                strip += 1;
            }
            Ok(Target::Strip(strip))
        } else if dest_dir {
            Ok(Target::Basename)
        } else {
            Ok(Target::Dest)
        }
    }

    /// hg's `targetpathafterfn`.
    fn target_after(
        &self,
        pat: &[u8],
        dest: &[u8],
        srcs: &[Source],
        dest_dir: bool,
    ) -> RepoResult<Target> {
        if has_kind(pat) {
            return Ok(Target::Basename);
        }
        let abspfx = self.canon(pat)?;
        let first_len = srcs.first().map_or(0, |s| s.abs.len());
        if abspfx.len() < first_len {
            let score = |strip: usize| {
                srcs.iter()
                    .filter(|s| self.lexists(&join(dest, s.abs.get(strip..).unwrap_or(b""))))
                    .count()
            };
            let mut strip = abspfx.len();
            if strip > 0 {
                strip += 1;
            }
            let last = basename(&abspfx);
            if self.cwd_abs.join(os(&join(dest, last))).is_dir() {
                let here = score(strip);
                let mut strip1 = dirname_len(&abspfx);
                if strip1 > 0 {
                    strip1 += 1;
                }
                if score(strip1) > here {
                    strip = strip1;
                }
            }
            Ok(Target::Strip(strip))
        } else if dest_dir {
            Ok(Target::Basename)
        } else {
            Ok(Target::Dest)
        }
    }

    fn tracked(&self, f: &[u8]) -> bool {
        self.ds.map.get(f).is_some_and(|e| e.wc_tracked)
    }

    fn added(&self, f: &[u8]) -> bool {
        self.ds.map.get(f).is_some_and(|e| e.added())
    }

    /// hg's `copyfile`: returns true on failure.
    fn copy_one(&mut self, src: &Source, otarget: &[u8]) -> RepoResult<bool> {
        let abstarget = self.canon(otarget)?;
        crate::pathaudit::audit(self.repo.root(), &abstarget)?;
        let reltarget = self.ui(&abstarget);
        let root = self.repo.root().to_path_buf();
        let target = root.join(os(&abstarget));
        let source = root.join(os(&src.abs));
        let already_committed = self.tracked(&abstarget) && !self.added(&abstarget);
        tracking::check_portable(&abstarget, self.opts, self.out)?;
        if let Some(prev) = self.targets.get(&abstarget).cloned() {
            let (a, b) = (self.ui(&src.abs), self.ui(&prev));
            self.warn(&[
                &reltarget,
                b": not overwriting - ",
                &a,
                b" collides with ",
                &b,
                b"\n",
            ]);
            return Ok(true);
        }
        let exists = std::fs::symlink_metadata(&target).is_ok();
        let (rename, after) = (self.mode.rename, self.mode.after);
        if ((!after && exists) || (after && already_committed)) && !self.mode.force {
            let (msg, hint): (&[u8], Vec<u8>) = if already_committed {
                let looks_like_copy = self.parent.get(&abstarget).is_some()
                    && self
                        .grandparents
                        .iter()
                        .any(|g| g.get(&src.abs).is_some() && g.get(&abstarget).is_none());
                let hint = if looks_like_copy {
                    if rename {
                        "('hg rename --at-rev .' to record the rename in the parent of the working copy)\n".to_string()
                    } else {
                        "('hg copy --at-rev .' to record the copy in the parent of the working copy)\n".to_string()
                    }
                } else {
                    let flags = if after { "--after --force" } else { "--force" };
                    if rename {
                        format!("('hg rename {flags}' to replace the file by recording a rename)\n")
                    } else {
                        format!("('hg copy {flags}' to replace the file by recording a copy)\n")
                    }
                };
                (
                    b": not overwriting - file already committed\n",
                    hint.into_bytes(),
                )
            } else {
                let hint: &[u8] = if rename {
                    b"('hg rename --after' to record the rename)\n"
                } else {
                    b"('hg copy --after' to record the copy)\n"
                };
                (b": not overwriting - file exists\n", hint.to_vec())
            };
            self.warn(&[&reltarget, msg]);
            self.warn(&[&hint]);
            return Ok(true);
        }
        let mut src_exists = true;
        if after {
            if !exists {
                let what: &[u8] = if rename {
                    b": not recording move - "
                } else {
                    b": not recording copy - "
                };
                self.warn(&[&src.rel, what, &reltarget, b" does not exist\n"]);
                return Ok(true);
            }
        } else if !self.dry_run {
            match copy_file(&source, &target, exists, rename) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    self.warn(&[&src.rel, b": deleted in working directory\n"]);
                    src_exists = false;
                }
                Err(e) => {
                    let why = crate::util::strerror(&e);
                    self.warn(&[&src.rel, b": cannot copy - ", why.as_bytes(), b"\n"]);
                    return Ok(true);
                }
            }
        }
        if self.opts.verbose || !src.exact {
            let verb: &[u8] = if rename { b"moving " } else { b"copying " };
            self.out.push(Message::Status(
                [verb, &src.rel, b" to ", &reltarget, b"\n"].concat(),
            ));
        }
        self.targets.insert(abstarget.clone(), src.abs.clone());
        self.record(&src.abs, &abstarget)?;
        if rename && !self.dry_run {
            if !after && src_exists {
                tracking::unlink(&root, &src.abs, self.remove_empty_dirs)?;
            }
            if !self.ds.map.set_untracked(&src.abs) {
                let shown = (self.opts.display.cwd)(&src.abs);
                self.warn(&[&shown, b" not tracked!\n"]);
            }
        }
        Ok(false)
    }

    /// hg's `dirstatecopy`.
    fn record(&mut self, src: &[u8], dst: &[u8]) -> RepoResult<()> {
        let origsrc = self
            .ds
            .map
            .copy_source(src)
            .map_or_else(|| src.to_vec(), <[u8]>::to_vec);
        if dst == origsrc.as_slice() {
            let entry = self.ds.map.get(dst).copied();
            let (added, tracked) = entry.map_or((false, false), |e| (e.added(), e.wc_tracked));
            if (added || !tracked) && !self.dry_run {
                self.ds.map.set_tracked(dst);
            }
            return Ok(());
        }
        if self.added(&origsrc) && origsrc == src {
            if !self.mode.quiet {
                let (a, b) = (
                    (self.opts.display.cwd)(&origsrc),
                    (self.opts.display.cwd)(dst),
                );
                self.warn(&[
                    &a,
                    b" has not been committed yet, so no copy data will be stored for ",
                    &b,
                    b".\n",
                ]);
            }
            if !self.tracked(dst) && !self.dry_run {
                tracking::track(self.repo, self.ds, &[dst.to_vec()], self.opts, self.out)?;
            }
        } else if !self.dry_run {
            let shown = (self.opts.display.cwd)(dst);
            match std::fs::symlink_metadata(self.repo.root().join(os(dst))) {
                Err(_) => self.warn(&[&shown, b" does not exist!\n"]),
                Ok(md) if !(md.file_type().is_file() || md.file_type().is_symlink()) => {
                    self.warn(&[
                        b"copy failed: ",
                        &shown,
                        b" is not a file or a symbolic link\n",
                    ])
                }
                Ok(_) => {
                    self.ds.map.set_tracked(dst);
                    self.ds.map.set_copy_source(dst.to_vec(), Some(origsrc));
                }
            }
        }
        Ok(())
    }
}

/// hg's `util.copyfile`: symlinks recreated, files copied with their
/// mode (and, for renames, their times); an existing target is removed
/// first and missing directories created.
fn copy_file(src: &Path, dst: &Path, exists: bool, keep_times: bool) -> std::io::Result<()> {
    let md = std::fs::symlink_metadata(src)?;
    if exists {
        std::fs::remove_file(dst)?;
    }
    if let Some(dir) = dst.parent() {
        if !dir.is_dir() {
            std::fs::create_dir_all(dir)?;
        }
    }
    if md.file_type().is_symlink() {
        return std::os::unix::fs::symlink(std::fs::read_link(src)?, dst);
    }
    std::fs::copy(src, dst)?;
    if keep_times {
        let times = std::fs::FileTimes::new()
            .set_accessed(md.accessed()?)
            .set_modified(md.modified()?);
        std::fs::File::options()
            .write(true)
            .open(dst)?
            .set_times(times)?;
    }
    Ok(())
}

/// `hg copy --forget` in the working directory: the files the request
/// matches lose their copy records (only records hg shows: on added or
/// modified files, copied from the parent); a file named exactly that
/// has none is warned about.
pub fn forget_copies(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<()> {
    let m = tracking::matcher(repo, opts, out)?;
    let (found, bad) = tracking::walk(repo, ds, &m, &opts.request.ignore_files, out)?;
    tracking::report_bad(bad, opts.display.cwd, out);
    let (st, fixups) =
        crate::status::status_with_map(repo, &ds.map, &opts.request, &m, &mut Vec::new())?;
    for fixup in &fixups {
        fixup.record_clean(&mut ds.map);
    }
    let parent = repo.manifest_of(repo.working_parent()?)?;
    for f in found {
        let changed = st.added.contains(&f) || st.modified.contains(&f);
        let copied = changed
            && ds
                .map
                .copy_source(&f)
                .is_some_and(|src| parent.get(src).is_some());
        if copied {
            ds.map.set_copy_source(f, None);
        } else if m.is_exact(&f) {
            out.push(Message::Warn(
                [
                    (opts.display.ui)(&f).as_slice(),
                    b": not unmarking as copy - file is not marked as copied\n",
                ]
                .concat(),
            ));
        }
    }
    Ok(())
}

/// `hg copy` / `hg rename` of `pats` (the last one is the destination),
/// relative to the request's directory; returns true when some file
/// could not be copied (exit 1).
pub fn copy(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    pats: &[Vec<u8>],
    mode: CopyMode,
    opts: &TrackOptions<'_>,
    out: &mut Vec<Message>,
) -> RepoResult<bool> {
    let Some((dest, sources)) = pats.split_last() else {
        return Err(bad("no source or destination specified"));
    };
    if sources.is_empty() {
        return Err(bad("no destination specified"));
    }
    let cwd = opts.request.cwd.clone();
    let cwd_abs = repo.root().join(os(&cwd));
    let p1 = repo.working_parent()?;
    let parent = repo.manifest_of(p1)?;
    let mut grandparents = Vec::new();
    if !p1.is_null() {
        let [g1, g2] = repo.parents(p1)?;
        grandparents.push(repo.manifest_of(g1)?);
        if !g2.is_null() {
            grandparents.push(repo.manifest_of(g2)?);
        }
    }
    let dest_path = cwd_abs.join(os(dest));
    let dest_dir = dest_path.is_dir()
        && !std::fs::symlink_metadata(&dest_path).is_ok_and(|m| m.file_type().is_symlink());
    if !dest_dir {
        if sources.len() > 1 || has_kind(&sources[0]) {
            return Err(bad(
                "with multiple sources, destination must be an existing directory",
            ));
        }
        if dest.ends_with(b"/") {
            return Err(bad(format!(
                "destination {} is not a directory",
                String::from_utf8_lossy(dest)
            )));
        }
    }
    let mut copier = Copier {
        repo,
        ds,
        opts,
        mode,
        dry_run: opts.dry_run,
        remove_empty_dirs: opts.remove_empty_dirs,
        cwd,
        cwd_abs,
        parent,
        grandparents,
        targets: HashMap::new(),
        out,
    };
    let mut copylist = Vec::new();
    for pat in sources {
        let srcs = copier.walk(pat)?;
        if srcs.is_empty() {
            continue;
        }
        let target = if mode.after {
            copier.target_after(pat, dest, &srcs, dest_dir)?
        } else {
            copier.target_of(pat, dest_dir)?
        };
        copylist.push((target, srcs));
    }
    if copylist.is_empty() {
        if mode.rename {
            return Err(RepoError::WithHint {
                message: "no files to copy".into(),
                hint: "maybe you meant to use --after --at-rev=.".into(),
            });
        }
        return Err(bad("no files to copy"));
    }
    let mut errors = false;
    for (target, srcs) in &copylist {
        for src in srcs {
            let otarget = match target {
                Target::Dest => dest.to_vec(),
                Target::Basename => join(dest, basename(&src.abs)),
                Target::Strip(n) => join(dest, src.abs.get(*n..).unwrap_or(b"")),
            };
            errors |= copier.copy_one(src, &otarget)?;
        }
    }
    Ok(errors)
}
