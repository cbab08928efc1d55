//! `qs config`: show configuration values and, with `--debug`, where each
//! was set.

use super::{unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::CliResult;
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "config",
    aliases: &["showconfig", "debugconfig"],
    synopsis: "config [-u] [NAME]...",
    summary: "show combined config settings from all hgrc files",
    options: &[
        OptSpec::flag(
            Some('u'),
            "untrusted",
            "show untrusted configuration options",
        ),
        OptSpec::flag(None, "exp-all-known", "show all known config options"),
        OptSpec::flag(Some('e'), "edit", "edit user config"),
        OptSpec::flag(Some('l'), "local", "edit repository config"),
        OptSpec::flag(None, "source", "show source of configuration value"),
        OptSpec::flag(None, "shared", "edit shared source repository config"),
        OptSpec::flag(None, "non-shared", "edit non shared config"),
        OptSpec::flag(Some('g'), "global", "edit global config"),
        TEMPLATE_OPT,
    ],
    max_args: None,
    paged: true,
    repo: RepoNeed::Optional,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(
        inv,
        &[
            "exp-all-known",
            "edit",
            "local",
            "source",
            "shared",
            "non-shared",
            "global",
            "template",
        ],
    )?;
    if inv.ui.debug_flag() {
        for path in qs_config::sources::global_rc_files(&inv.config_env) {
            inv.ui
                .write_str(&format!("read config from: {}\n", path.display()))?;
        }
    }
    let (out, code) =
        qs_config::render::render_config(&inv.config, &inv.opts.positionals, inv.ui.debug_flag());
    inv.ui.write(&out)?;
    Ok(code)
}
