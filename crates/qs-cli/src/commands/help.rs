//! `qs help` and `--help`: the list of commands and each command's usage,
//! written for qs (hg's own help prose is not reproduced).

use super::{CommandDef, Invocation, RepoNeed, COMMANDS};
use crate::dispatch::GLOBAL_OPTS;
use crate::error::{CliError, CliResult};
use crate::opts::{OptKind, OptSpec};
use crate::ui::Ui;

pub const COMMAND: CommandDef = CommandDef {
    name: "help",
    aliases: &[],
    synopsis: "help [COMMAND]",
    summary: "show help for a given command or the list of commands",
    options: &[],
    max_args: None,
    paged: true,
    repo: RepoNeed::None,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    match inv.opts.positionals.first() {
        None => print_command_list(&mut inv.ui)?,
        Some(name) => match super::lookup(name) {
            super::Lookup::Found(def) => print_command_help(&mut inv.ui, def, false)?,
            _ => {
                return Err(CliError::abort_hint(
                    format!("no such help topic: {name}"),
                    "try 'qs help' for a list of commands",
                ))
            }
        },
    }
    Ok(0)
}

/// The overview printed by `qs` and `qs help`.
pub fn print_command_list(ui: &mut Ui<'_>) -> CliResult<()> {
    ui.write_str("Quicksilver: a fast Mercurial-compatible client\n\nlist of commands:\n\n")?;
    let mut defs: Vec<&CommandDef> = COMMANDS.to_vec();
    defs.push(&COMMAND);
    defs.sort_by_key(|d| d.name);
    for def in defs {
        ui.write_str(&format!(" {:<12} {}\n", def.name, def.summary))?;
    }
    ui.write_str("\n(use 'qs help COMMAND' to show help for a command)\n")?;
    Ok(())
}

/// hg's answer to a bad command line: the complaint on stderr first, then
/// the command's short usage on stdout, exit 255.
pub fn usage_error(ui: &mut Ui<'_>, def: &CommandDef, complaint: &str) -> CliError {
    let _ = ui.warn(&format!("hg {}: {complaint}\n", def.name));
    let _ = print_command_help(ui, def, true);
    CliError::Exit(255)
}

/// A command's usage and options; `short` for the version shown after an
/// option error.
pub fn print_command_help(ui: &mut Ui<'_>, def: &CommandDef, short: bool) -> CliResult<()> {
    ui.write_str(&format!("qs {}\n\n{}\n", def.synopsis, def.summary))?;
    if !def.aliases.is_empty() {
        ui.write_str(&format!("\naliases: {}\n", def.aliases.join(", ")))?;
    }
    if !def.options.is_empty() {
        ui.write_str("\noptions ([+] can be repeated):\n\n")?;
        write_options(ui, def.options)?;
    }
    if short {
        ui.write_str(&format!("\n(use 'qs {} -h' to show more help)\n", def.name))?;
    } else {
        ui.write_str("\nglobal options ([+] can be repeated):\n\n")?;
        write_options(ui, GLOBAL_OPTS)?;
    }
    Ok(())
}

fn write_options(ui: &mut Ui<'_>, options: &[OptSpec]) -> CliResult<()> {
    let rows: Vec<(String, &str)> = options
        .iter()
        .map(|o| {
            let short = o.short.map(|c| format!("-{c}")).unwrap_or_default();
            let mut left = format!("{short:>3} --{}", o.long);
            if o.kind != OptKind::Flag {
                left.push(' ');
                left.push_str(o.value_name);
            }
            if o.kind == OptKind::List {
                left.push_str(" [+]");
            }
            (left, o.help)
        })
        .collect();
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (left, help) in rows {
        ui.write_str(&format!("{left:<width$} {help}\n"))?;
    }
    Ok(())
}
