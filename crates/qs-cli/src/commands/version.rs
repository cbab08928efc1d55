//! `qs version`: name and version of this program.

use super::{CommandDef, Invocation, RepoNeed};
use crate::error::CliResult;
use crate::ui::Ui;

pub const COMMAND: CommandDef = CommandDef {
    name: "version",
    aliases: &[],
    synopsis: "version",
    summary: "output version and copyright information",
    options: &[],
    max_args: Some(0),
    paged: true,
    repo: RepoNeed::None,
    run,
};

/// The Mercurial version whose behaviour qs reproduces.
pub const COMPATIBLE_HG_VERSION: &str = "7.2.4";

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let quiet = inv.ui.quiet();
    print_version(&mut inv.ui, quiet)?;
    Ok(0)
}

/// Prints the version banner (just the first line with `-q`).
pub fn print_version(ui: &mut Ui<'_>, quiet: bool) -> CliResult<()> {
    ui.write_str(&format!(
        "Quicksilver (qs), Mercurial-compatible SCM (version {}, compatible with Mercurial {})\n",
        env!("CARGO_PKG_VERSION"),
        COMPATIBLE_HG_VERSION
    ))?;
    if !quiet {
        ui.write_str(
            "\nQuicksilver is free software, distributed under the GNU General Public License\n\
             version 2 or any later version. There is NO warranty; not even for\n\
             MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n",
        )?;
    }
    Ok(())
}
