//! `qs paths`: show the configured remote repositories.

use qs_config::paths::{hide_password, list_paths};

use super::{unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::CliResult;

pub const COMMAND: CommandDef = CommandDef {
    name: "paths",
    aliases: &[],
    synopsis: "paths [NAME]",
    summary: "show aliases for remote repositories",
    options: &[TEMPLATE_OPT],
    max_args: Some(1),
    paged: true,
    repo: RepoNeed::Optional,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["template"])?;
    let root = inv.repo.as_ref().map(|r| r.root().to_path_buf());
    let paths = list_paths(&inv.config, root.as_deref());
    let search = inv.opts.positionals.first();
    let mut out = Vec::new();
    let mut found = false;
    for p in &paths {
        if let Some(name) = search {
            if &p.name != name {
                continue;
            }
            found = true;
            out.extend_from_slice(format!("{}\n", hide_password(&p.location)).as_bytes());
        } else if inv.ui.quiet() {
            out.extend_from_slice(format!("{}\n", p.name).as_bytes());
        } else {
            out.extend_from_slice(
                format!("{} = {}\n", p.name, hide_password(&p.location)).as_bytes(),
            );
            for (sub, value) in &p.suboptions {
                out.extend_from_slice(format!("{}:{sub} = {value}\n", p.name).as_bytes());
            }
        }
    }
    inv.ui.write(&out)?;
    if search.is_some() && !found {
        if !inv.ui.quiet() {
            inv.ui.warn("not found!\n")?;
        }
        return Ok(1);
    }
    Ok(0)
}
