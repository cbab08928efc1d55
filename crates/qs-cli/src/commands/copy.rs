//! `qs copy` / `qs cp`: copy files and record the copies for the next
//! commit (`qs_repo::copy`), with hg's messages and refusals; `rename`
//! shares the runner.

use qs_repo::copy::CopyMode;
use qs_repo::tracking::{Message, PathDisplay, TrackOptions};
use qs_repo::wdirstate::WorkingDirstate;

use super::add::{DRY_RUN_OPT, WALK_OPTS};
use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;
use crate::paths::RelativePaths;

/// The options `copy` and `rename` share.
pub const COPY_OPTS: [OptSpec; 7] = [
    OptSpec::flag(
        Some('A'),
        "after",
        "record a copy that has already occurred",
    ),
    OptSpec::value(
        None,
        "at-rev",
        "REV",
        "(un)mark copies in the given revision (EXPERIMENTAL)",
    ),
    OptSpec::flag(
        Some('f'),
        "force",
        "forcibly copy over an existing managed file",
    ),
    OptSpec::flag(None, "forget", "unmark a destination file as copied"),
    WALK_OPTS[0],
    WALK_OPTS[1],
    DRY_RUN_OPT,
];

pub const COMMAND: CommandDef = CommandDef {
    name: "copy",
    aliases: &["cp"],
    synopsis: "copy [OPTION]... (SOURCE... DEST | --forget DEST...)",
    summary: "mark files as copied for the next commit",
    options: &COPY_OPTS,
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    run_copy(inv, false)
}

/// Copies (or renames) under the wlock; the dirstate is written unless
/// the command aborts.
pub fn run_copy(inv: &mut Invocation<'_, '_>, rename: bool) -> CliResult<i32> {
    if inv.opts.flag("forget") && inv.opts.flag("dry-run") {
        return Err(CliError::abort(
            "cannot specify both --forget and --dry-run",
        ));
    }
    super::unsupported_options(inv, &["at-rev"])?;
    let forget = inv.opts.flag("forget");
    // hg shows copied files relative to the current directory unless
    // `ui.relative-paths` says otherwise; unmarked ones as configured.
    let relative = super::status::relative_paths(inv, !forget, None)?;
    let _wlock = super::wlock::take_wlock(inv)?;
    let repo = require(&inv.repo)?;
    let shown = RelativePaths::new(repo.root(), &inv.cwd);
    let rel = |p: &[u8]| shown.show(p);
    let same = |p: &[u8]| p.to_vec();
    let mut request = super::wlock::request(inv, repo);
    let pats = if forget {
        Vec::new()
    } else {
        std::mem::take(&mut request.patterns)
    };
    let opts = TrackOptions {
        request,
        verbose: inv.ui.verbose(),
        dry_run: inv.opts.flag("dry-run"),
        display: PathDisplay {
            ui: if relative { &rel } else { &same },
            cwd: &rel,
        },
        portability: super::wlock::portability(inv)?,
        large_file_limit: super::wlock::large_file_limit(inv),
        remove_empty_dirs: super::wlock::config_bool(inv, "experimental", "removeemptydirs", true)?,
    };
    let mode = CopyMode {
        rename,
        after: inv.opts.flag("after"),
        force: inv.opts.flag("force"),
        quiet: inv.ui.quiet(),
    };
    let mut ds = WorkingDirstate::load(repo)?;
    let before = ds.map.clone();
    let mut messages: Vec<Message> = Vec::new();
    let result = if forget {
        qs_repo::copy::forget_copies(repo, &mut ds, &opts, &mut messages).map(|()| false)
    } else {
        qs_repo::copy::copy(repo, &mut ds, &pats, mode, &opts, &mut messages)
    };
    super::wlock::show_messages(&mut inv.ui, &messages)?;
    let failed = result?;
    if !ds.unchanged_since(&before) {
        ds.write(repo)?;
    }
    Ok(i32::from(failed))
}
