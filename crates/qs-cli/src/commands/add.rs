//! `qs add`: start tracking files (unknown files under the named
//! directories, or every unknown file without arguments), with hg's
//! messages and refusals.

use qs_repo::tracking::{self, Message, PathDisplay, TrackOptions};
use qs_repo::wdirstate::WorkingDirstate;

use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::CliResult;
use crate::opts::OptSpec;
use crate::paths::RelativePaths;

/// `-I`, `-X`.
pub const WALK_OPTS: [OptSpec; 2] = [
    OptSpec::list(
        Some('I'),
        "include",
        "PATTERN",
        "include names matching the given patterns",
    ),
    OptSpec::list(
        Some('X'),
        "exclude",
        "PATTERN",
        "exclude names matching the given patterns",
    ),
];

pub const DRY_RUN_OPT: OptSpec = OptSpec::flag(
    Some('n'),
    "dry-run",
    "do not perform actions, just print output",
);
pub const SUBREPOS_OPT: OptSpec =
    OptSpec::flag(Some('S'), "subrepos", "recurse into subrepositories");

pub const COMMAND: CommandDef = CommandDef {
    name: "add",
    aliases: &[],
    synopsis: "add [OPTION]... [FILE]...",
    summary: "add the specified files on the next commit",
    options: &[WALK_OPTS[0], WALK_OPTS[1], SUBREPOS_OPT, DRY_RUN_OPT],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

/// Which tracking operation to run.
#[derive(Clone, Copy)]
pub enum Operation {
    Add,
    Forget,
    Remove(tracking::RemoveMode),
    /// With this similarity (a percentage, 0 for none).
    AddRemove(f64),
}

/// Runs a tracking operation under the wlock and writes the dirstate.
pub fn run_tracking(inv: &mut Invocation<'_, '_>, op: Operation) -> CliResult<i32> {
    let _wlock = super::wlock::take_wlock(inv)?;
    let repo = require(&inv.repo)?;
    let shown = RelativePaths::new(repo.root(), &inv.cwd);
    let rel = |p: &[u8]| shown.show(p);
    let same = |p: &[u8]| p.to_vec();
    // addremove shows repository paths unless patterns were given (hg's
    // `legacyrelativevalue=anypats`).
    let any_patterns = !(inv.opts.positionals.is_empty()
        && inv.opts.list("include").is_empty()
        && inv.opts.list("exclude").is_empty());
    let ui_paths: &dyn Fn(&[u8]) -> Vec<u8> = match op {
        Operation::AddRemove(_) if !any_patterns => &same,
        _ => &rel,
    };
    let opts = TrackOptions {
        request: super::wlock::request(inv, repo),
        verbose: inv.ui.verbose(),
        dry_run: inv.opts.flag("dry-run"),
        display: PathDisplay {
            ui: ui_paths,
            cwd: &rel,
        },
        portability: super::wlock::portability(inv)?,
        large_file_limit: super::wlock::large_file_limit(inv),
        remove_empty_dirs: super::wlock::config_bool(inv, "experimental", "removeemptydirs", true)?,
    };
    let mut ds = WorkingDirstate::load(repo)?;
    let before = ds.map.clone();
    let mut messages: Vec<Message> = Vec::new();
    let result = match op {
        Operation::Add => tracking::add(repo, &mut ds, &opts, &mut messages),
        Operation::Forget => tracking::forget(repo, &mut ds, &opts, &mut messages),
        Operation::Remove(mode) => tracking::remove(repo, &mut ds, mode, &opts, &mut messages),
        Operation::AddRemove(similarity) => {
            tracking::addremove(repo, &mut ds, similarity, &opts, &mut messages)
        }
    };
    super::wlock::show_messages(&mut inv.ui, &messages)?;
    let failed = result?;
    if !ds.unchanged_since(&before) {
        ds.write(repo)?;
    }
    Ok(i32::from(failed))
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    super::unsupported_options(inv, &["subrepos"])?;
    run_tracking(inv, Operation::Add)
}
