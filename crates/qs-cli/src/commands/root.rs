//! `qs root`: print the root of the current repository.

use super::{CommandDef, Invocation, RepoNeed};
use crate::error::CliResult;
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "root",
    aliases: &[],
    synopsis: "root",
    summary: "print the root (top) of the current working directory",
    options: &[OptSpec::value(
        None,
        "template",
        "TEMPLATE",
        "display with template",
    )],
    max_args: Some(0),
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let root = inv.repo()?.root().display().to_string();
    inv.ui.write_str(&format!("{root}\n"))?;
    Ok(0)
}
