//! `qs parents`: show the parents of the working directory or a revision.

use qs_repo::revspec;
use qs_store::{Revision, NULL_NODE};

use super::{require, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "parents",
    aliases: &[],
    synopsis: "parents [-r REV] [FILE]",
    summary: "show the parents of the working directory or revision (deprecated)",
    options: &[
        OptSpec::value(Some('r'), "rev", "REV", "show parents of this revision"),
        OptSpec::value(None, "style", "STYLE", "output style"),
        TEMPLATE_OPT,
    ],
    max_args: Some(1),
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    if !inv.opts.positionals.is_empty() {
        return Err(CliError::abort_hint(
            "file arguments to 'parents' are not supported by qs yet",
            "use Mercurial's 'hg parents FILE' for now",
        ));
    }
    let repo = require(&inv.repo)?;
    let parents: Vec<Revision> = match inv.opts.value("rev") {
        Some(spec) => {
            let rev = revspec::resolve_single(repo, spec)?;
            repo.parents(rev)?
                .into_iter()
                .filter(|p| !p.is_null())
                .collect()
        }
        None => {
            let mut revs = Vec::new();
            for node in repo.dirstate_parents()? {
                if node != NULL_NODE {
                    match repo.changelog().rev_of_node(&node)? {
                        Some(r) => revs.push(r),
                        None => {
                            return Err(CliError::abort(format!(
                                "working directory has unknown parent '{}'!",
                                node.short()
                            )))
                        }
                    }
                }
            }
            revs
        }
    };
    crate::displayer::show_revs(inv, &parents, false)?;
    Ok(0)
}
