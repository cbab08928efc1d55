//! `qs log`: show changeset history, newest first, or the revisions given.

use qs_store::Revision;

use super::{unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "log",
    aliases: &["history"],
    synopsis: "log [OPTION]... [FILE]",
    summary: "show revision history of entire repository or files",
    options: &[
        OptSpec::flag(
            Some('f'),
            "follow",
            "follow history of the working directory parent",
        ),
        OptSpec::flag(None, "follow-first", "follow only first parents of merges"),
        OptSpec::value(Some('d'), "date", "DATE", "revisions whose date matches"),
        OptSpec::flag(Some('C'), "copies", "list copied files"),
        OptSpec::list(
            Some('k'),
            "keyword",
            "TEXT",
            "revisions mentioning this text",
        ),
        OptSpec::list(Some('r'), "rev", "REV", "revisions to show"),
        OptSpec::list(
            Some('L'),
            "line-range",
            "FILE,RANGE",
            "follow this line range of a file",
        ),
        OptSpec::flag(None, "removed", "include revisions removing files"),
        OptSpec::flag(Some('m'), "only-merges", "only merges (deprecated)"),
        OptSpec::list(Some('u'), "user", "USER", "revisions by this user"),
        OptSpec::list(
            None,
            "only-branch",
            "BRANCH",
            "revisions on this branch (deprecated)",
        ),
        OptSpec::list(
            Some('b'),
            "branch",
            "BRANCH",
            "revisions on this named branch",
        ),
        OptSpec::list(
            Some('B'),
            "bookmark",
            "BOOKMARK",
            "revisions of this bookmark",
        ),
        OptSpec::list(
            Some('P'),
            "prune",
            "REV",
            "hide this revision and its ancestors",
        ),
        OptSpec::flag(Some('p'), "patch", "show the patch of each revision"),
        OptSpec::flag(Some('g'), "git", "git-style patches"),
        OptSpec::value(Some('l'), "limit", "NUM", "show at most NUM revisions"),
        OptSpec::flag(Some('M'), "no-merges", "skip merges"),
        OptSpec::flag(None, "stat", "summarise changes per file"),
        OptSpec::flag(Some('G'), "graph", "draw the revision graph"),
        OptSpec::value(None, "style", "STYLE", "output style"),
        TEMPLATE_OPT,
        OptSpec::list(Some('I'), "include", "PATTERN", "only files matching"),
        OptSpec::list(Some('X'), "exclude", "PATTERN", "skip files matching"),
    ],
    max_args: None,
    paged: true,
    repo: RepoNeed::Required,
    run,
};

/// Parses `-l/--limit` as hg does.
pub fn parse_limit(value: Option<&str>) -> CliResult<Option<usize>> {
    let Some(text) = value else { return Ok(None) };
    let n: i64 = text
        .trim()
        .parse()
        .map_err(|_| CliError::abort("limit must be a positive integer"))?;
    if n <= 0 {
        return Err(CliError::abort("limit must be positive"));
    }
    Ok(Some(n as usize))
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(
        inv,
        &[
            "follow",
            "follow-first",
            "date",
            "keyword",
            "line-range",
            "removed",
            "only-merges",
            "user",
            "only-branch",
            "branch",
            "bookmark",
            "prune",
            "patch",
            "git",
            "no-merges",
            "stat",
            "include",
            "exclude",
        ],
    )?;
    let limit = parse_limit(inv.opts.value("limit"))?;
    let repo = super::require(&inv.repo)?;
    let specs = inv.opts.list("rev");
    let mut revs: Vec<Revision> = if specs.is_empty() {
        (0..repo.len() as i32).rev().map(Revision).collect()
    } else {
        super::resolve_revs(&inv.config, repo, specs)?
    };
    if !inv.opts.positionals.is_empty() {
        let mut paths = Vec::new();
        for arg in &inv.opts.positionals {
            crate::paths::reject_patterns(arg)?;
            paths.push(crate::paths::repo_path(repo.root(), &inv.cwd, arg)?);
        }
        let touching = revisions_touching(repo, paths)?;
        revs.retain(|r| touching.contains(r));
    }
    let graph = inv.opts.flag("graph");
    if graph {
        // hg sorts the revisions of a graph newest first.
        revs.sort_unstable_by(|a, b| b.cmp(a));
        revs.dedup();
    }
    revs.truncate(limit.unwrap_or(usize::MAX));
    crate::displayer::show_revs(inv, &revs, graph)?;
    Ok(0)
}

/// Changesets that changed any of `paths` (files or directories): from the
/// filelog's link revisions for tracked files, from the changesets' file
/// lists otherwise.
fn revisions_touching(
    repo: &qs_repo::Repo,
    paths: Vec<Vec<u8>>,
) -> CliResult<std::collections::HashSet<Revision>> {
    let mut found = std::collections::HashSet::new();
    let mut scan = Vec::new();
    for path in paths {
        let log = if path.is_empty() {
            None
        } else {
            Some(repo.filelog(&path)?)
        };
        match log {
            Some(log) if !log.is_empty() => {
                for r in 0..log.len() as i32 {
                    found.insert(log.link_rev(Revision(r))?);
                }
            }
            _ => scan.push(path),
        }
    }
    if !scan.is_empty() {
        let matcher = crate::paths::PathMatcher::new(scan);
        for r in 0..repo.len() as i32 {
            let cs = repo.changeset(Revision(r))?;
            if cs.files.iter().any(|f| matcher.matches(f)) {
                found.insert(Revision(r));
            }
        }
    }
    Ok(found)
}
