//! `qs rename` / `qs move` / `qs mv`: copy files, record the copies and
//! remove the sources (`copy`'s runner with renaming).

use super::copy::{run_copy, COPY_OPTS};
use super::{CommandDef, Invocation, RepoNeed};
use crate::error::CliResult;

pub const COMMAND: CommandDef = CommandDef {
    name: "rename",
    aliases: &["move", "mv"],
    synopsis: "rename [OPTION]... SOURCE... DEST",
    summary: "rename files; equivalent of copy + remove",
    options: &COPY_OPTS,
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    run_copy(inv, true)
}
