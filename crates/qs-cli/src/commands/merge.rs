//! `qs merge`: merge another head into the working directory as hg does
//! (`REV` or `-r`, else the other head of the branch or bookmark), with
//! hg's internal 3-way merge, its messages and refusals, and `--abort`.

use qs_repo::merge::state::MergeState;
use qs_repo::merge::{dest, Request, UpdateCheck};

use super::update::{at_most_one, merge_tool, run_and_show, single_rev, TOOL_OPT};
use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "merge",
    aliases: &[],
    synopsis: "merge [-P] [[-r] REV]",
    summary: "merge another revision into working directory",
    options: &[
        OptSpec::flag(
            Some('f'),
            "force",
            "force a merge including outstanding changes (DEPRECATED)",
        ),
        OptSpec::value(Some('r'), "rev", "REV", "revision to merge"),
        OptSpec::flag(
            Some('P'),
            "preview",
            "review revisions to merge (no merge is performed)",
        ),
        OptSpec::flag(None, "abort", "abort the ongoing merge"),
        TOOL_OPT,
    ],
    max_args: Some(1),
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let repo = require(&inv.repo)?;
    let abort = inv.opts.flag("abort");
    if abort && repo.dirstate_parents()?[1].is_null() {
        return Err(CliError::abort("no merge in progress"));
    }
    if abort {
        at_most_one(inv, &["abort", "rev"])?;
        at_most_one(inv, &["abort", "preview"])?;
        if !inv.opts.positionals.is_empty() {
            return Err(CliError::abort("cannot specify a node with --abort"));
        }
    }
    super::unsupported_options(inv, &["force", "preview"])?;
    let tool = merge_tool(inv)?;
    let remove_empty_dirs =
        super::wlock::config_bool(inv, "experimental", "removeemptydirs", true)?;
    if abort {
        let _wlock = super::wlock::take_wlock(inv)?;
        let repo = require(&inv.repo)?;
        let ms = MergeState::read(repo.dot_hg())?;
        let node = match ms.local {
            Some(n) if ms.active() => n,
            _ => repo.dirstate_parents()?[0],
        };
        inv.ui.status(&format!(
            "aborting the merge, updating back to {}\n",
            node.short()
        ))?;
        let target = repo
            .changelog()
            .rev_of_node(&node)?
            .ok_or_else(|| CliError::abort(format!("unknown revision '{}'", node.hex())))?;
        super::update::clean_update(inv, target, tool, true)?;
        return Ok(0);
    }
    let spec = super::rev_or_argument(inv)?;
    let target = match &spec {
        Some(s) => single_rev(inv, repo, s)?,
        None => {
            if super::wlock::config_bool(inv, "commands", "merge.require-rev", false)? {
                return Err(CliError::abort(
                    "configuration requires specifying revision to merge with",
                ));
            }
            dest::merge_destination(repo)?
        }
    };
    let _wlock = super::wlock::take_wlock(inv)?;
    let display = |p: &[u8]| p.to_vec();
    let req = Request {
        target,
        branch_merge: true,
        force: false,
        check: UpdateCheck::None,
        labels: Some(["working copy", "merge rev", "common ancestor"]),
        remove_empty_dirs,
        display: &display,
        merge_tool: tool,
    };
    let stats = run_and_show(inv, &req)?;
    if stats.unresolved > 0 {
        inv.ui.status(
            "use 'hg resolve' to retry unresolved file merges or 'hg merge --abort' to abandon\n",
        )?;
        return Ok(1);
    }
    inv.ui.status("(branch merge, don't forget to commit)\n")?;
    Ok(0)
}
