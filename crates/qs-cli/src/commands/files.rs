//! `qs files`: list tracked files (of the working directory or a revision),
//! relative to the current directory.

use qs_repo::revspec;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::CliResult;
use crate::opts::OptSpec;
use crate::paths::{self, PathMatcher};

pub const COMMAND: CommandDef = CommandDef {
    name: "files",
    aliases: &[],
    synopsis: "files [OPTION]... [FILE]...",
    summary: "list tracked files",
    options: &[
        OptSpec::value(Some('r'), "rev", "REV", "list files of this revision"),
        OptSpec::flag(Some('0'), "print0", "end names with NUL, for xargs -0"),
        OptSpec::list(Some('I'), "include", "PATTERN", "only files matching"),
        OptSpec::list(Some('X'), "exclude", "PATTERN", "skip files matching"),
        TEMPLATE_OPT,
        OptSpec::flag(Some('S'), "subrepos", "recurse into subrepositories"),
    ],
    max_args: None,
    paged: true,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["include", "exclude", "template", "subrepos"])?;
    let repo = require(&inv.repo)?;
    let mut wanted = Vec::new();
    for arg in &inv.opts.positionals {
        paths::reject_patterns(arg)?;
        wanted.push(paths::repo_path(repo.root(), &inv.cwd, arg)?);
    }
    if wanted.is_empty() {
        wanted.push(Vec::new());
    }
    let matcher = PathMatcher::new(wanted);
    let files: Vec<Vec<u8>> = match inv.opts.value("rev") {
        Some(spec) => {
            let rev = revspec::resolve_single(repo, spec)?;
            let manifest = repo.manifest_of(rev)?;
            manifest
                .paths()
                .filter(|p| matcher.matches(p))
                .map(<[u8]>::to_vec)
                .collect()
        }
        None => qs_repo::working::tracked_files(repo)?
            .into_iter()
            .filter(|p| matcher.matches(p))
            .collect(),
    };
    let end = if inv.opts.flag("print0") {
        b'\0'
    } else {
        b'\n'
    };
    let mut out = Vec::new();
    let relative = paths::RelativePaths::new(repo.root(), &inv.cwd);
    for path in &files {
        out.extend_from_slice(&relative.show(path));
        out.push(end);
    }
    inv.ui.write(&out)?;
    Ok(if files.is_empty() { 1 } else { 0 })
}
