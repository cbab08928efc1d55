//! `qs tags`: list tags, newest revision first.

use qs_repo::names::TagKind;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::commands::branches::display_width;
use crate::error::CliResult;

pub const COMMAND: CommandDef = CommandDef {
    name: "tags",
    aliases: &[],
    synopsis: "tags",
    summary: "list repository tags",
    options: &[TEMPLATE_OPT],
    max_args: Some(0),
    paged: true,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["template"])?;
    let repo = require(&inv.repo)?;
    let tags = repo.tags()?;
    let mut list = Vec::new();
    for (name, (node, kind)) in &tags.by_name {
        let rev = repo.changelog().rev_of_node(node)?.map_or(-1, |r| r.0);
        list.push((rev, name.clone(), *node, *kind));
    }
    // hg lists by (revision, name), reversed.
    list.sort_by(|a, b| (b.0, &b.1).cmp(&(a.0, &a.1)));
    let debug = inv.ui.debug_flag();
    let ui = &mut inv.ui;
    for (rev, name, node, kind) in list {
        let label = if kind == TagKind::Local {
            "tags.local"
        } else {
            "tags.normal"
        };
        ui.write_labeled(&name, label)?;
        if !ui.quiet() {
            let pad = " ".repeat(30usize.saturating_sub(display_width(&name)));
            let hex = if debug { node.hex() } else { node.short() };
            ui.write_labeled(format!("{pad} {rev:>5}:{hex}").as_bytes(), label)?;
            if ui.verbose() && kind == TagKind::Local {
                ui.write_labeled(b" local", label)?;
            }
        }
        ui.write(b"\n")?;
    }
    Ok(0)
}
