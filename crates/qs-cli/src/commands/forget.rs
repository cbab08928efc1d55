//! `qs forget`: stop tracking files without deleting them.

use super::add::{run_tracking, Operation, DRY_RUN_OPT, WALK_OPTS};
use super::{CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "forget",
    aliases: &[],
    synopsis: "forget [OPTION]... FILE...",
    summary: "forget the specified files on the next commit",
    options: &[
        OptSpec::flag(Some('i'), "interactive", "use interactive mode"),
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
    if inv.opts.positionals.is_empty() {
        return Err(CliError::abort("no files specified"));
    }
    if inv.opts.flag("dry-run") && inv.opts.flag("interactive") {
        return Err(CliError::abort(
            "cannot specify both --dry-run and --interactive",
        ));
    }
    super::unsupported_options(inv, &["interactive"])?;
    run_tracking(inv, Operation::Forget)
}
