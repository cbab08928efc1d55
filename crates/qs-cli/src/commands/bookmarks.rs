//! `qs bookmarks`: list bookmarks (creating and moving them comes with
//! history writing).

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::commands::branches::display_width;
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "bookmarks",
    aliases: &["bookmark"],
    synopsis: "bookmarks [OPTIONS]... [NAME]...",
    summary: "create a new bookmark or list existing bookmarks",
    options: &[
        OptSpec::flag(Some('f'), "force", "force"),
        OptSpec::value(Some('r'), "rev", "REV", "revision for bookmark action"),
        OptSpec::flag(Some('d'), "delete", "delete a given bookmark"),
        OptSpec::value(Some('m'), "rename", "OLD", "rename a given bookmark"),
        OptSpec::flag(Some('i'), "inactive", "mark a bookmark inactive"),
        OptSpec::flag(Some('l'), "list", "list existing bookmarks"),
        TEMPLATE_OPT,
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["template"])?;
    let changing = inv.opts.flag("force")
        || inv.opts.flag("delete")
        || inv.opts.flag("inactive")
        || inv.opts.value("rename").is_some()
        || inv.opts.value("rev").is_some()
        || (!inv.opts.positionals.is_empty() && !inv.opts.flag("list"));
    if changing {
        if inv.opts.value("rev").is_some() && inv.opts.positionals.is_empty() {
            return Err(CliError::abort("bookmark name required"));
        }
        return Err(CliError::abort_hint(
            "changing bookmarks is not supported by qs yet",
            "use Mercurial's 'hg bookmarks' to change bookmarks",
        ));
    }
    let repo = require(&inv.repo)?;
    let bookmarks = repo.bookmarks()?;
    let selected: Vec<&String> = inv.opts.positionals.iter().collect();
    for name in &selected {
        if bookmarks.get(name.as_bytes()).is_none() {
            return Err(CliError::abort(format!("bookmark '{name}' does not exist")));
        }
    }
    if bookmarks.marks.is_empty() {
        inv.ui.status("no bookmarks set\n")?;
        return Ok(0);
    }
    let debug = inv.ui.debug_flag();
    for (name, node) in &bookmarks.marks {
        if !selected.is_empty() && !selected.iter().any(|s| s.as_bytes() == name.as_slice()) {
            continue;
        }
        let active = bookmarks.active.as_deref() == Some(name.as_slice());
        let label = if active { "bookmarks.active" } else { "" };
        let ui = &mut inv.ui;
        if ui.quiet() {
            ui.write_labeled(name, label)?;
            ui.write(b"\n")?;
            continue;
        }
        ui.write_labeled(if active { b" * " } else { b"   " }, label)?;
        ui.write_labeled(name, label)?;
        let pad = " ".repeat(25usize.saturating_sub(display_width(name)));
        let rev = repo.changelog().rev_of_node(node)?.map_or(-1, |r| r.0);
        let hex = if debug { node.hex() } else { node.short() };
        ui.write_labeled(format!("{pad} {rev}:{hex}").as_bytes(), label)?;
        ui.write(b"\n")?;
    }
    Ok(0)
}
