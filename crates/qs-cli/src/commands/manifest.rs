//! `qs manifest`: list the files tracked at a revision.

use qs_repo::revspec;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "manifest",
    aliases: &[],
    synopsis: "manifest [-r REV]",
    summary: "output the current or given revision of the project manifest",
    options: &[
        OptSpec::value(Some('r'), "rev", "REV", "the revision to list"),
        OptSpec::flag(None, "all", "list files from all revisions"),
        TEMPLATE_OPT,
    ],
    max_args: Some(1),
    paged: true,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["template"])?;
    let repo = require(&inv.repo)?;
    let explicit_rev = inv.opts.value("rev").is_some() || !inv.opts.positionals.is_empty();
    if inv.opts.flag("all") {
        if explicit_rev {
            return Err(CliError::abort("can't specify a revision with --all"));
        }
        let mut all = std::collections::BTreeSet::new();
        for r in 0..repo.len() as i32 {
            all.extend(repo.changeset(qs_store::Revision(r))?.files);
        }
        let mut out = Vec::new();
        for f in all {
            out.extend_from_slice(&f);
            out.push(b'\n');
        }
        inv.ui.write(&out)?;
        return Ok(0);
    }
    if inv.opts.value("rev").is_some() && !inv.opts.positionals.is_empty() {
        return Err(CliError::abort("please specify just one revision"));
    }
    let spec = inv
        .opts
        .value("rev")
        .or(inv.opts.positionals.first().map(String::as_str))
        .unwrap_or(".");
    let rev = revspec::resolve_single(repo, spec)?;
    let manifest = repo.manifest_of(rev)?;
    let (debug, verbose) = (inv.ui.debug_flag(), inv.ui.verbose());
    let mut out = Vec::new();
    for (path, node, flags) in manifest.iter() {
        if debug {
            out.extend_from_slice(node.hex().as_bytes());
            out.push(b' ');
        }
        if verbose {
            let (mode, kind) = match flags {
                b"l" => ("644", "@"),
                b"x" => ("755", "*"),
                b"t" => ("755", "d"),
                _ => ("644", " "),
            };
            out.extend_from_slice(format!("{mode} {kind} ").as_bytes());
        }
        out.extend_from_slice(path);
        out.push(b'\n');
    }
    inv.ui.write(&out)?;
    Ok(0)
}
