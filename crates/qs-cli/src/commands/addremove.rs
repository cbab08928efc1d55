//! `qs addremove`: track every new file and forget every missing one,
//! recording renames by similarity (`-s`, exact renames by default).

use super::add::{run_tracking, Operation, DRY_RUN_OPT, SUBREPOS_OPT, WALK_OPTS};
use super::{CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "addremove",
    aliases: &[],
    synopsis: "addremove [OPTION]... [FILE]...",
    summary: "add all new files, delete all missing files",
    options: &[
        OptSpec::value(
            Some('s'),
            "similarity",
            "SIMILARITY",
            "guess renamed files by similarity (0<=s<=100)",
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

/// hg's parsing of `-s/--similarity` (a number from 0 to 100).
pub fn parse_similarity(value: Option<&str>, default: f64) -> CliResult<f64> {
    let Some(text) = value.filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    let number: f64 = text
        .trim()
        .parse()
        .map_err(|_| CliError::abort("similarity must be a number"))?;
    // Written as hg compares, so that `nan` passes (and finds nothing).
    #[allow(clippy::manual_range_contains)]
    if number < 0.0 || number > 100.0 {
        return Err(CliError::abort("similarity must be between 0 and 100"));
    }
    Ok(number)
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    super::unsupported_options(inv, &["subrepos"])?;
    let similarity = parse_similarity(inv.opts.value("similarity"), 100.0)?;
    run_tracking(inv, Operation::AddRemove(similarity))
}
