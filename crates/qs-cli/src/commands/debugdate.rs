//! `qs debugdate`: parse a date as `-d` would and show it, and optionally
//! test it against a date range (hg's `debugdate`).

use qs_repo::datespec::{self, Bias, Formats};

use super::{CommandDef, Invocation, RepoNeed};
use crate::error::CliResult;
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "debugdate",
    aliases: &[],
    synopsis: "debugdate [-e] DATE [RANGE]",
    summary: "parse and display a date",
    options: &[OptSpec::flag(
        Some('e'),
        "extended",
        "try extended date formats",
    )],
    max_args: Some(2),
    paged: false,
    repo: RepoNeed::None,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let Some(date) = inv.opts.positionals.first().cloned() else {
        return Err(super::help::usage_error(
            &mut inv.ui,
            &COMMAND,
            "invalid arguments",
        ));
    };
    let clock = crate::clock::from_env(inv.env);
    let formats = if inv.opts.flag("extended") {
        Formats::Extended
    } else {
        Formats::Default
    };
    let (when, offset) = datespec::parse_date(date.as_bytes(), formats, &Bias::default(), &clock)?;
    inv.ui.write_str(&format!(
        "internal: {when} {offset}\nstandard: {}\n",
        datespec::datestr(when, offset)
    ))?;
    if let Some(range) = inv.opts.positionals.get(1) {
        let range = datespec::match_date(range.as_bytes(), &clock)?;
        let answer = if range.matches(when) { "True" } else { "False" };
        inv.ui.write_str(&format!("match: {answer}\n"))?;
    }
    Ok(0)
}
