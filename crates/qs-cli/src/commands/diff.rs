//! `qs diff`: differences between the working directory and its parent,
//! a revision and the working directory (`-r A`, `--from A`), two
//! revisions (`-r A -r B`, `--from A --to B`) or a changeset and its
//! first parent (`-c REV`), in hg's unified or git format, or as a
//! `--stat` table.

use qs_repo::diff::{DiffRequest, Side};
use qs_repo::revspec;
use qs_repo::status::StatusRequest;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "diff",
    aliases: &[],
    synopsis: "diff [OPTION]... ([-c REV] | [--from REV1] [--to REV2]) [FILE]...",
    summary: "diff repository (or selected files)",
    options: &[
        OptSpec::list(Some('r'), "rev", "REV", "revision (DEPRECATED)"),
        OptSpec::value(None, "from", "REV1", "revision to diff from"),
        OptSpec::value(None, "to", "REV2", "revision to diff to"),
        OptSpec::value(Some('c'), "change", "REV", "change made by revision"),
        OptSpec::flag(
            None,
            "ignore-changes-from-ancestors",
            "only compare the change made by the selected revision (EXPERIMENTAL)",
        ),
        OptSpec::flag(Some('a'), "text", "treat all files as text"),
        OptSpec::flag(
            Some('g'),
            "git",
            "use git extended diff format (DEFAULT: diff.git)",
        ),
        OptSpec::flag(
            None,
            "binary",
            "generate binary diffs in git mode (default)",
        ),
        OptSpec::flag(None, "nodates", "omit dates from diff headers"),
        OptSpec::flag(None, "noprefix", "omit a/ and b/ prefixes from filenames"),
        OptSpec::flag(
            Some('p'),
            "show-function",
            "show which function each change is in (DEFAULT: diff.showfunc)",
        ),
        OptSpec::flag(None, "reverse", "produce a diff that undoes the changes"),
        OptSpec::flag(
            Some('w'),
            "ignore-all-space",
            "ignore white space when comparing lines",
        ),
        OptSpec::flag(
            Some('b'),
            "ignore-space-change",
            "ignore changes in the amount of white space",
        ),
        OptSpec::flag(
            Some('B'),
            "ignore-blank-lines",
            "ignore changes whose lines are all blank",
        ),
        OptSpec::flag(
            Some('Z'),
            "ignore-space-at-eol",
            "ignore changes in whitespace at EOL",
        ),
        OptSpec::value(
            Some('U'),
            "unified",
            "NUM",
            "number of lines of context to show",
        ),
        OptSpec::flag(None, "stat", "output diffstat-style summary of changes"),
        OptSpec::value(
            None,
            "root",
            "DIR",
            "produce diffs relative to subdirectory",
        ),
        super::add::WALK_OPTS[0],
        super::add::WALK_OPTS[1],
        OptSpec::flag(Some('S'), "subrepos", "recurse into subrepositories"),
    ],
    max_args: None,
    paged: true,
    repo: RepoNeed::Required,
    run,
};

/// `cannot specify both --X and --Y` when both are given.
fn at_most_one(inv: &Invocation<'_, '_>, a: &str, b: &str) -> CliResult<()> {
    let given =
        |name: &str| inv.opts.flag(name) || inv.opts.value(name).is_some_and(|v| !v.is_empty());
    if given(a) && given(b) {
        return Err(CliError::abort(format!(
            "cannot specify both --{a} and --{b}"
        )));
    }
    Ok(())
}

/// Whether a revset's top level is a range (hg's `_pairspec`), judged
/// from its text.
fn is_pair_spec(spec: &str) -> bool {
    let trimmed = spec.trim();
    trimmed.contains(':') && !trimmed.contains("::") && !trimmed.contains('(')
}

/// The two sides, before `--reverse` (hg's `revpair` and friends).
fn sides(inv: &Invocation<'_, '_>, repo: &qs_repo::Repo) -> CliResult<(Side, Side)> {
    let single = |spec: Option<&str>| -> CliResult<Side> {
        match spec.filter(|s| !s.is_empty()) {
            None => Ok(Side::Working),
            Some(s) => Ok(Side::Rev(revspec::resolve_single(repo, s)?)),
        }
    };
    if let Some(change) = inv.opts.value("change").filter(|c| !c.is_empty()) {
        let target = revspec::resolve_single(repo, change)?;
        crate::diffui::refuse_merge_diff(inv, repo, target)?;
        let [p1, _] = repo.parents(target)?;
        return Ok((Side::Rev(p1), Side::Rev(target)));
    }
    let (from, to) = (inv.opts.value("from"), inv.opts.value("to"));
    if from.is_some_and(|v| !v.is_empty()) || to.is_some_and(|v| !v.is_empty()) {
        return Ok((single(from)?, single(to)?));
    }
    let revs = inv.opts.list("rev");
    if revs.is_empty() {
        return Ok((Side::Rev(repo.working_parent()?), Side::Working));
    }
    let resolved = super::resolve_revs(&inv.config, repo, revs)?;
    let (Some(&first), Some(&last)) = (resolved.first(), resolved.last()) else {
        return Err(CliError::abort("empty revision range"));
    };
    if first == last && revs.len() >= 2 {
        for r in revs {
            if super::resolve_revs(&inv.config, repo, std::slice::from_ref(r))?.is_empty() {
                return Err(CliError::abort("empty revision on one side of range"));
            }
        }
    }
    if first == last && revs.len() == 1 && !is_pair_spec(&revs[0]) {
        return Ok((Side::Rev(first), Side::Working));
    }
    Ok((Side::Rev(first), Side::Rev(last)))
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["ignore-changes-from-ancestors", "subrepos"])?;
    at_most_one(inv, "rev", "change")?;
    for other in ["rev", "change"] {
        at_most_one(inv, "from", other)?;
    }
    for other in ["rev", "change"] {
        at_most_one(inv, "to", other)?;
    }
    let repo = require(&inv.repo)?;
    let (left, right) = sides(inv, repo)?;
    let (left, right) = if inv.opts.flag("reverse") {
        (right, left)
    } else {
        (left, right)
    };
    let mut options = crate::diffui::options(inv)?;
    let stat = inv.opts.flag("stat");
    if stat {
        options.text.context = 0;
        options.noprefix = false;
    }
    let root = repo.root().to_path_buf();
    let cwd = {
        use std::os::unix::ffi::OsStrExt;
        match inv.cwd.strip_prefix(&root) {
            Ok(rel) => {
                let parts: Vec<&[u8]> =
                    rel.components().map(|c| c.as_os_str().as_bytes()).collect();
                parts.join(&b'/')
            }
            Err(_) => Vec::new(),
        }
    };
    let to_bytes =
        |v: &[String]| -> Vec<Vec<u8>> { v.iter().map(|a| crate::context::arg_bytes(a)).collect() };
    let relroot = match inv.opts.value("root").filter(|r| !r.is_empty()) {
        Some(dir) => crate::paths::repo_path(&root, &inv.cwd, dir)?,
        None => Vec::new(),
    };
    let relative = stat && relroot.is_empty() && crate::diffui::stat_relative(inv)?;
    let shown_paths = crate::paths::RelativePaths::new(&root, &inv.cwd);
    let show_relative = |p: &[u8]| shown_paths.show(p);
    let req = DiffRequest {
        left,
        right,
        files: StatusRequest {
            patterns: to_bytes(&inv.opts.positionals),
            include: to_bytes(inv.opts.list("include")),
            exclude: to_bytes(inv.opts.list("exclude")),
            cwd,
            ..StatusRequest::default()
        },
        only: None,
        options,
        working_date: crate::diffui::working_date(inv),
        relroot,
        pathfn: if relative { Some(&show_relative) } else { None },
    };
    let mut warnings = Vec::new();
    let result = qs_repo::diff::diff(repo, &req, &mut warnings);
    for warning in &warnings {
        inv.ui.warn(&String::from_utf8_lossy(warning))?;
    }
    let output = result?;
    let shown = crate::paths::RelativePaths::new(&root, &inv.cwd);
    for (path, message) in &output.bad {
        inv.ui.warn(&format!(
            "{}: {message}\n",
            String::from_utf8_lossy(&shown.show(path))
        ))?;
    }
    let stat = stat.then(|| {
        (
            crate::diffui::stat_width(inv),
            crate::diffui::utf8_output(inv),
        )
    });
    crate::diffui::write(&mut inv.ui, &output.text, stat)?;
    Ok(0)
}
