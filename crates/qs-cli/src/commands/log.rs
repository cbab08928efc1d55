//! `qs log`: show changeset history, newest first, or the revisions given.

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
    unsupported_options(inv, &["line-range"])?;
    let limit = parse_limit(inv.opts.value("limit"))?;
    let repo = super::require(&inv.repo)?;
    let options = log_options(inv);
    let aliases = super::revset_aliases(&inv.config);
    let mut revs = qs_repo::revset::logopts::log_revisions(repo, &options, &aliases)?;
    let graph = inv.opts.flag("graph");
    if graph {
        // hg sorts the revisions of a graph newest first.
        revs.sort_unstable_by(|a, b| b.cmp(a));
        revs.dedup();
    }
    revs.truncate(limit.unwrap_or(usize::MAX));
    if inv.opts.flag("patch") || inv.opts.flag("stat") {
        return show_with_patches(inv, &revs, graph);
    }
    crate::displayer::show_revs(inv, &revs, graph)?;
    Ok(0)
}

/// `-p` / `--stat`: each changeset in hg's default style, then its stat
/// and patch (diffs restricted to the file arguments, as hg does).
fn show_with_patches(
    inv: &mut Invocation<'_, '_>,
    revs: &[qs_store::Revision],
    graph: bool,
) -> CliResult<i32> {
    let templated = inv.opts.value("template").is_some()
        || inv.opts.value("style").is_some()
        || inv.config.get(b"command-templates", b"log").is_some()
        || inv.config.get(b"ui", b"logtemplate").is_some()
        || inv.config.get(b"ui", b"style").is_some();
    if graph || templated {
        return Err(crate::error::CliError::abort_hint(
            "-p/--stat with -G or templates is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    let repo = super::require(&inv.repo)?;
    let mut paths = None;
    if !inv.opts.positionals.is_empty() {
        let mut list = Vec::new();
        for arg in &inv.opts.positionals {
            crate::paths::reject_patterns(arg)?;
            list.push(crate::paths::repo_path(repo.root(), &inv.cwd, arg)?);
        }
        paths = Some(list);
    }
    let Some(patch) = crate::diffui::LogPatch::from_invocation(inv, paths)? else {
        return Ok(0);
    };
    let copies = inv.opts.flag("copies");
    for &rev in revs {
        crate::display::show_changeset(&mut inv.ui, repo, rev, copies)?;
        patch.show(&mut inv.ui, repo, rev)?;
    }
    Ok(0)
}

/// The selection options of the command line, for qs-repo's translation.
fn log_options(inv: &Invocation<'_, '_>) -> qs_repo::revset::logopts::LogOptions {
    use qs_repo::revset::logopts::{Follow, LogOptions};
    let o = &inv.opts;
    let strings = |name: &str| o.list(name).to_vec();
    let bytes = |name: &str| o.list(name).iter().map(|s| s.as_bytes().to_vec()).collect();
    LogOptions {
        revs: strings("rev"),
        follow: if o.flag("follow-first") {
            Follow::First
        } else if o.flag("follow") {
            Follow::All
        } else {
            Follow::No
        },
        patterns: o
            .positionals
            .iter()
            .map(|p| p.as_bytes().to_vec())
            .collect(),
        include: bytes("include"),
        exclude: bytes("exclude"),
        branches: [strings("branch"), strings("only-branch")].concat(),
        bookmarks: strings("bookmark"),
        date: o.value("date").map(str::to_string),
        keywords: strings("keyword"),
        users: strings("user"),
        no_merges: o.flag("no-merges"),
        only_merges: o.flag("only-merges"),
        prune: strings("prune"),
        removed: o.flag("removed"),
    }
}
