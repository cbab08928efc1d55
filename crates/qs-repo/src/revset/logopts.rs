//! `log`'s selection options turned into revisions as hg's `logcmdutil`
//! does: the initial revisions (`-r`, or `.` with `-f`, or everything
//! newest first), followed (`-f`: ancestors, or file history across
//! renames), then filtered by a revset built from `-k`, `-u`, `-d`, `-b`,
//! `-B`, `-M`, `-m`, `-P` and the file patterns (`filelog()` for plain
//! files, `_matchfiles()` otherwise).

use std::os::unix::ffi::OsStrExt;

use qs_dirstate::pattern::PatternKind;
use qs_store::Revision;

use super::{dag, files, RevsetResult};
use crate::error::RepoError;
use crate::repo::Repo;

/// How `-f`/`--follow-first` follow history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Follow {
    #[default]
    No,
    /// `--follow-first`: first parents only.
    First,
    /// `-f/--follow`.
    All,
}

/// The options of `log` that select revisions.
#[derive(Clone, Debug, Default)]
pub struct LogOptions {
    pub revs: Vec<String>,
    pub follow: Follow,
    /// File patterns (positional arguments), relative to the cwd.
    pub patterns: Vec<Vec<u8>>,
    pub include: Vec<Vec<u8>>,
    pub exclude: Vec<Vec<u8>>,
    pub branches: Vec<String>,
    pub bookmarks: Vec<String>,
    pub date: Option<String>,
    pub keywords: Vec<String>,
    pub users: Vec<String>,
    pub no_merges: bool,
    pub only_merges: bool,
    pub prune: Vec<String>,
    /// `--removed`: scan the changelog for file patterns.
    pub removed: bool,
}

/// hg's `formatspec` quoting of a string argument.
fn quote(text: &[u8]) -> String {
    let mut out = String::from("'");
    for &b in text {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('\'');
    out
}

/// `(a or b or ...)` of the expressions.
fn any_of(items: Vec<String>) -> String {
    format!("({})", items.join(" or "))
}

/// The revisions `log` shows for `opts`, in display order (before
/// `--limit`). `aliases` are the `[revsetalias]` items for `-r`.
pub fn log_revisions(
    repo: &Repo,
    opts: &LogOptions,
    aliases: &[(Vec<u8>, Vec<u8>)],
) -> RevsetResult<Vec<Revision>> {
    let mut revs: Vec<Revision> = if !opts.revs.is_empty() {
        super::evaluate_specs(repo, &opts.revs, aliases)?
    } else if opts.follow != Follow::No {
        let p1 = repo.working_parent()?;
        if p1.is_null() {
            Vec::new()
        } else {
            vec![p1]
        }
    } else {
        (0..repo.len() as i32).rev().map(Revision).collect()
    };
    if revs.is_empty() {
        return Ok(revs);
    }

    // hg drops patterns whose matcher matches everything (`log .` at the
    // root), as `scmutil.matchandpats` does.
    let owned;
    let opts = if opts.patterns.is_empty() {
        opts
    } else {
        let m = files::build(
            repo,
            &opts.patterns,
            &opts.include,
            &opts.exclude,
            PatternKind::RelPath,
        )?;
        if matches!(m, qs_dirstate::Matcher::Always) {
            owned = LogOptions {
                patterns: Vec::new(),
                ..opts.clone()
            };
            &owned
        } else {
            opts
        }
    };
    let always = opts.patterns.is_empty() && opts.include.is_empty() && opts.exclude.is_empty();
    let prefix_only = opts.include.is_empty()
        && opts.exclude.is_empty()
        && opts
            .patterns
            .iter()
            .all(|p| !files::has_kind(p) || p.starts_with(b"path:") || p.starts_with(b"relpath:"));
    let mut slowpath = !prefix_only || (!always && opts.removed);
    let mut paths: Vec<Vec<u8>> = Vec::new();
    if prefix_only {
        for p in &opts.patterns {
            paths.push(canonical_file(repo, p)?);
        }
    }
    let first_only = opts.follow == Follow::First;
    if !slowpath && !always {
        if opts.follow != Follow::No && !opts.revs.is_empty() {
            let mut missing: Vec<Vec<u8>> = paths.clone();
            for &r in &revs {
                if missing.is_empty() {
                    break;
                }
                let manifest = repo.manifest_of(r)?;
                let mut still = Vec::new();
                for f in missing {
                    if manifest.get(&f).is_some() {
                        continue;
                    }
                    let mut dir = f.clone();
                    dir.push(b'/');
                    if manifest.paths().any(|p| p.starts_with(&dir)) {
                        slowpath = true;
                        continue;
                    }
                    still.push(f);
                }
                missing = still;
            }
            if let Some(f) = missing.first() {
                return Err(RepoError::Message(format!(
                    "cannot follow file not in any of the specified revisions: \"{}\"",
                    String::from_utf8_lossy(f)
                ))
                .into());
            }
        } else if opts.follow != Follow::No {
            let tracked = crate::working::tracked_files(repo)?;
            for f in &paths {
                if tracked.binary_search(f).is_err() {
                    let on_disk = repo.root().join(std::ffi::OsStr::from_bytes(f)).exists();
                    if on_disk {
                        slowpath = true;
                        continue;
                    }
                    return Err(RepoError::Message(format!(
                        "cannot follow file not in parent revision: \"{}\"",
                        String::from_utf8_lossy(f)
                    ))
                    .into());
                }
                if repo.filelog(f)?.is_empty() {
                    return Err(RepoError::Message(format!(
                        "cannot follow nonexistent file: \"{}\"",
                        String::from_utf8_lossy(f)
                    ))
                    .into());
                }
            }
        } else {
            for f in &paths {
                if f.is_empty() || repo.filelog(f)?.is_empty() {
                    slowpath = true;
                }
            }
        }
        if slowpath && paths.iter().all(|p| !p.is_empty() && !in_store(repo, p)) {
            slowpath = false;
        }
    }

    if opts.follow != Follow::No {
        let found = if slowpath || always {
            dag::walk_ancestors(repo, &revs, first_only, 0, None)?
        } else {
            let m = files::build(repo, &opts.patterns, &[], &[], PatternKind::RelPath)?;
            let mut origins = Vec::new();
            for &r in &revs {
                for (path, node, _) in repo.manifest_of(r)?.iter() {
                    if m.matches(path) {
                        origins.push((path.to_vec(), node));
                    }
                }
            }
            files::file_ancestors(repo, origins, first_only)?
        };
        revs = found.into_iter().collect();
        revs.sort_by(|a, b| b.cmp(a));
    }

    let expr = filter_expression(repo, opts, slowpath)?;
    match expr {
        Some(expr) => super::filter_revs(repo, &expr, revs),
        None => Ok(revs),
    }
}

/// A plain file argument as a root-relative path.
fn canonical_file(repo: &Repo, pattern: &[u8]) -> RevsetResult<Vec<u8>> {
    let (name, root_relative) = if let Some(rest) = pattern.strip_prefix(b"path:") {
        (rest, true)
    } else if let Some(rest) = pattern.strip_prefix(b"relpath:") {
        (rest, false)
    } else {
        (pattern, false)
    };
    let root = repo.root().as_os_str().as_bytes().to_vec();
    let cwd = if root_relative {
        Vec::new()
    } else {
        repo.cwd()
    };
    qs_dirstate::pattern::canonpath(&root, &cwd, name)
        .map_err(|e| RepoError::Message(e.to_string()).into())
}

/// hg's `path in repo.store`: a filelog or a directory of filelogs.
fn in_store(repo: &Repo, path: &[u8]) -> bool {
    let store = repo.store_path();
    let index = repo.requirements().filelog_index_path(path);
    if store.join(&index).exists() {
        return true;
    }
    let mut child = path.to_vec();
    child.extend_from_slice(b"/x");
    let inner = repo.requirements().filelog_index_path(&child);
    inner.parent().is_some_and(|dir| store.join(dir).is_dir())
}

/// hg's `_makerevset`: the filters, in hg's order of option names.
fn filter_expression(
    repo: &Repo,
    opts: &LogOptions,
    slowpath: bool,
) -> RevsetResult<Option<String>> {
    let mut expr: Vec<String> = Vec::new();
    if slowpath {
        let mut args = vec![quote(b"r:"), quote(b"d:relpath")];
        for (prefix, list) in [
            (b"p:", &opts.patterns),
            (b"i:", &opts.include),
            (b"x:", &opts.exclude),
        ] {
            for p in list {
                let mut arg = prefix.to_vec();
                arg.extend_from_slice(p);
                args.push(quote(&arg));
            }
        }
        expr.push(format!("_matchfiles({})", args.join(", ")));
    } else if opts.follow == Follow::No && !opts.patterns.is_empty() {
        expr.push(any_of(
            opts.patterns
                .iter()
                .map(|p| format!("filelog({})", quote(p)))
                .collect(),
        ));
    }
    if !opts.branches.is_empty() {
        let mut items = Vec::new();
        for b in &opts.branches {
            let name = lookup_branch(repo, b)?;
            let mut arg = b"literal:".to_vec();
            arg.extend_from_slice(&name);
            items.push(format!("branch({})", quote(&arg)));
        }
        expr.push(any_of(items));
    }
    if let Some(date) = opts.date.as_deref().filter(|d| !d.is_empty()) {
        expr.push(format!("date({})", quote(date.as_bytes())));
    }
    if !opts.keywords.is_empty() {
        expr.push(any_of(
            opts.keywords
                .iter()
                .map(|k| format!("keyword({})", quote(k.as_bytes())))
                .collect(),
        ));
    }
    if opts.no_merges {
        expr.push("not merge()".to_string());
    }
    if opts.only_merges {
        expr.push("merge()".to_string());
    }
    if !opts.prune.is_empty() {
        expr.push(format!(
            "not {}",
            any_of(
                opts.prune
                    .iter()
                    .map(|p| format!("ancestors({})", quote(p.as_bytes())))
                    .collect()
            )
        ));
    }
    if !opts.users.is_empty() {
        expr.push(any_of(
            opts.users
                .iter()
                .map(|u| {
                    let mut arg = b"literal:".to_vec();
                    arg.extend_from_slice(u.as_bytes());
                    format!("user({})", quote(&arg))
                })
                .collect(),
        ));
    }
    if !opts.bookmarks.is_empty() {
        expr.push(any_of(
            opts.bookmarks
                .iter()
                .map(|b| {
                    let mut mark = b"literal:".to_vec();
                    mark.extend_from_slice(b.as_bytes());
                    let m = quote(&mark);
                    format!(
                        "(ancestors(bookmark({m})) - ancestors(head() and not bookmark({m})) \
                         - ancestors(bookmark() and not bookmark({m})))"
                    )
                })
                .collect(),
        ));
    }
    Ok(if expr.is_empty() {
        None
    } else {
        Some(format!("({})", expr.join(" and ")))
    })
}

/// hg's `repo.lookupbranch`: a branch name, else the branch of the
/// revision the name resolves to.
fn lookup_branch(repo: &Repo, name: &str) -> RevsetResult<Vec<u8>> {
    if repo.branchmap()?.contains_key(name.as_bytes()) {
        return Ok(name.as_bytes().to_vec());
    }
    let rev = crate::revspec::resolve_symbol(repo, name)?;
    Ok(repo.changeset(rev)?.branch().to_vec())
}
