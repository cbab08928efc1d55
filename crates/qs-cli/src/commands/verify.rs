//! `qs verify`: check the integrity of every revision in the repository.

use qs_repo::verify::{self, Line};

use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::CliResult;
use crate::opts::OptSpec;
use crate::ui::Ui;

pub const COMMAND: CommandDef = CommandDef {
    name: "verify",
    aliases: &[],
    synopsis: "verify",
    summary: "verify the integrity of the repository",
    options: &[OptSpec::flag(None, "full", "also read every full manifest")],
    max_args: Some(0),
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let repo = require(&inv.repo)?;
    verify_and_report(&mut inv.ui, repo)
}

/// Runs verify on `repo` and prints its report as hg does; 1 when errors
/// were found (also used by `recover --verify`).
pub(crate) fn verify_and_report(ui: &mut Ui<'_>, repo: &qs_repo::Repo) -> CliResult<i32> {
    if ui.verbose() {
        ui.status("repository uses revlog format 1\n")?;
    }
    let report = verify::verify(repo)?;
    for line in &report.lines {
        match line {
            Line::Status(text) => ui.status(text)?,
            Line::Problem(text) => ui.warn(text)?,
        }
    }
    if report.warnings > 0 {
        ui.warn(&format!("{} warnings encountered!\n", report.warnings))?;
    }
    if report.errors > 0 {
        ui.warn(&format!(
            "{} integrity errors encountered!\n",
            report.errors
        ))?;
        if let Some(first) = report.first_bad {
            ui.warn(&format!(
                "(first damaged changeset appears to be {first})\n"
            ))?;
        }
        return Ok(1);
    }
    Ok(0)
}
