//! `qs branch`: show the working directory's branch, set it for the next
//! commit (`.hg/branch`, written under the wlock), or reset it to the
//! parent's branch (`-C`), with hg's refusals and hints.

use qs_repo::labels::{check_new_label, python_strip};

use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "branch",
    aliases: &[],
    synopsis: "branch [-fC] [NAME]",
    summary: "set or show the current branch name",
    options: &[
        OptSpec::flag(
            Some('f'),
            "force",
            "set branch name even if it shadows an existing branch",
        ),
        OptSpec::flag(
            Some('C'),
            "clean",
            "reset branch name to parent branch name",
        ),
        OptSpec::list(
            Some('r'),
            "rev",
            "VALUE",
            "change branches of the given revs (EXPERIMENTAL)",
        ),
    ],
    max_args: Some(1),
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let label: Option<Vec<u8>> = inv
        .opts
        .positionals
        .first()
        .map(|l| python_strip(&crate::context::arg_bytes(l)).to_vec())
        .filter(|l| !l.is_empty());
    let clean = inv.opts.flag("clean");
    let revs = inv.opts.list("rev").to_vec();
    if !clean && label.is_none() {
        if !revs.is_empty() {
            return Err(CliError::abort(
                "no branch name specified for the revisions",
            ));
        }
        let repo = require(&inv.repo)?;
        let mut line = qs_repo::working::branch(repo)?;
        line.push(b'\n');
        inv.ui.write(&line)?;
        return Ok(0);
    }
    let _wlock = super::wlock::take_wlock(inv)?;
    let repo = require(&inv.repo)?;
    let name = if clean {
        let parent = repo.working_parent()?;
        let name = repo.changeset(parent)?.branch().to_vec();
        qs_repo::working::set_branch(repo, &name)?;
        let mut msg = b"reset working directory to branch ".to_vec();
        msg.extend_from_slice(&name);
        msg.push(b'\n');
        inv.ui.status_bytes(&msg)?;
        return Ok(0);
    } else {
        label.unwrap_or_default()
    };
    check_new_label(&name)?;
    if !revs.is_empty() {
        return Err(CliError::abort_hint(
            "changing the branch of revisions is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    let branchmap = repo.branchmap()?;
    if !inv.opts.flag("force") && branchmap.contains_key(&name) {
        let [p1, p2] = repo.dirstate_parents()?;
        let mut parent_branches = Vec::new();
        for node in [p1, p2] {
            if node.is_null() && !parent_branches.is_empty() {
                continue;
            }
            let rev = repo
                .changelog()
                .rev_of_node(&node)?
                .unwrap_or(qs_store::NULL_REVISION);
            parent_branches.push(repo.changeset(rev)?.branch().to_vec());
        }
        if !parent_branches.contains(&name) {
            return Err(CliError::abort_hint(
                "a branch of the same name already exists",
                "use 'hg update' to switch to it",
            ));
        }
    }
    qs_repo::working::set_branch(repo, &name)?;
    let mut msg = b"marked working directory as branch ".to_vec();
    msg.extend_from_slice(&name);
    msg.push(b'\n');
    inv.ui.status_bytes(&msg)?;
    let other_open = branchmap
        .iter()
        .any(|(b, heads)| b.as_slice() != b"default" && !heads.is_closed());
    if !other_open {
        inv.ui
            .status("(branches are permanent and global, did you want a bookmark?)\n")?;
    }
    Ok(0)
}
