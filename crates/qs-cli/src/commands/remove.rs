//! `qs remove` / `qs rm`: stop tracking files and delete them, with hg's
//! rules for modified, added and missing files (`-A`, `-f`).

use qs_repo::tracking::RemoveMode;

use super::add::{run_tracking, Operation, DRY_RUN_OPT, SUBREPOS_OPT, WALK_OPTS};
use super::{CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "remove",
    aliases: &["rm"],
    synopsis: "remove [OPTION]... FILE...",
    summary: "remove the specified files on the next commit",
    options: &[
        OptSpec::flag(Some('A'), "after", "record delete for missing files"),
        OptSpec::flag(
            Some('f'),
            "force",
            "forget added files, delete modified files",
        ),
        SUBREPOS_OPT,
        WALK_OPTS[0],
        WALK_OPTS[1],
        DRY_RUN_OPT,
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let mode = RemoveMode {
        after: inv.opts.flag("after"),
        force: inv.opts.flag("force"),
    };
    if inv.opts.positionals.is_empty() && !mode.after {
        return Err(CliError::abort("no files specified"));
    }
    super::unsupported_options(inv, &["subrepos"])?;
    run_tracking(inv, Operation::Remove(mode))
}
