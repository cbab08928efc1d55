//! `qs cat`: print files as they were at a revision.

use qs_repo::revspec;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::CliResult;
use crate::opts::OptSpec;
use crate::paths::{self, PathMatcher};

pub const COMMAND: CommandDef = CommandDef {
    name: "cat",
    aliases: &[],
    synopsis: "cat [OPTION]... FILE...",
    summary: "output the current or given revision of files",
    options: &[
        OptSpec::value(
            Some('o'),
            "output",
            "FORMAT",
            "write to files named by FORMAT",
        ),
        OptSpec::value(Some('r'), "rev", "REV", "the revision to print"),
        OptSpec::flag(None, "decode", "apply decode filters"),
        OptSpec::list(Some('I'), "include", "PATTERN", "only files matching"),
        OptSpec::list(Some('X'), "exclude", "PATTERN", "skip files matching"),
        TEMPLATE_OPT,
    ],
    max_args: None,
    paged: true,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["output", "decode", "include", "exclude", "template"])?;
    if inv.opts.positionals.is_empty() {
        return Err(super::help::usage_error(
            &mut inv.ui,
            &COMMAND,
            "invalid arguments",
        ));
    }
    let repo = require(&inv.repo)?;
    let mut wanted = Vec::new();
    for arg in &inv.opts.positionals {
        paths::reject_patterns(arg)?;
        wanted.push(paths::repo_path(repo.root(), &inv.cwd, arg)?);
    }
    let rev = revspec::resolve_single(repo, inv.opts.value("rev").unwrap_or("."))?;
    let node = repo.node(rev)?;
    let manifest = repo.manifest_of(rev)?;
    let matcher = PathMatcher::new(wanted.clone());
    let mut printed_any = false;
    let mut found = vec![false; wanted.len()];
    let ui = &mut inv.ui;
    let mut emit = |path: &[u8]| -> CliResult<()> {
        if let Some((filenode, _)) = manifest.get(path) {
            let content = repo.file_content(path, &filenode)?;
            ui.write(&content)?;
            printed_any = true;
        }
        Ok(())
    };
    if wanted.iter().all(|w| manifest.get(w).is_some()) {
        // Plain files: binary searches, no walk over the manifest.
        let mut sorted: Vec<&Vec<u8>> = wanted.iter().collect();
        sorted.sort();
        sorted.dedup();
        for path in sorted {
            emit(path)?;
        }
        found.iter_mut().for_each(|f| *f = true);
    } else {
        let matching: Vec<Vec<u8>> = manifest
            .paths()
            .filter(|p| matcher.matches(p))
            .map(<[u8]>::to_vec)
            .collect();
        for path in &matching {
            for (i, w) in wanted.iter().enumerate() {
                if PathMatcher::new(vec![w.clone()]).matches(path) {
                    found[i] = true;
                }
            }
            emit(path)?;
        }
    }
    for (path, exists) in wanted.iter().zip(found) {
        if !exists {
            let shown = paths::relative_display(repo.root(), &inv.cwd, path);
            inv.ui.warn(&format!(
                "{}: no such file in rev {}\n",
                String::from_utf8_lossy(&shown),
                node.short()
            ))?;
        }
    }
    Ok(if printed_any { 0 } else { 1 })
}
