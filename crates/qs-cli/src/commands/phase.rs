//! `qs phase`: show the phase of revisions, or move them to public,
//! draft or secret (`-f` to move towards secret), in a transaction under
//! the store lock, with hg's messages and exit codes.

use qs_repo::phaseroots::{Graph, PhaseRoots};
use qs_store::phases::Phase;
use qs_store::Revision;

use super::{require, resolve_revs, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "phase",
    aliases: &[],
    synopsis: "phase [-p|-d|-s] [-f] [-r] [REV...]",
    summary: "set or show the current phase name",
    options: &[
        OptSpec::flag(Some('p'), "public", "set changeset phase to public"),
        OptSpec::flag(Some('d'), "draft", "set changeset phase to draft"),
        OptSpec::flag(Some('s'), "secret", "set changeset phase to secret"),
        OptSpec::flag(Some('f'), "force", "allow to move boundary backward"),
        OptSpec::list(Some('r'), "rev", "REV", "target revision"),
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let mut target = None;
    for (name, phase) in [
        ("public", Phase::Public),
        ("draft", Phase::Draft),
        ("secret", Phase::Secret),
    ] {
        if inv.opts.flag(name) {
            if target.is_some() {
                return Err(CliError::abort("only one phase can be specified"));
            }
            target = Some(phase);
        }
    }
    let mut specs = inv.opts.positionals.clone();
    specs.extend(inv.opts.list("rev").iter().cloned());
    let revs: Vec<Revision> = {
        let repo = require(&inv.repo)?;
        if specs.is_empty() {
            let [_, p2] = repo.dirstate_parents()?;
            let mut revs = vec![repo.working_parent()?];
            if !p2.is_null() {
                if let Some(r) = repo.changelog().rev_of_node(&p2)? {
                    revs.push(r);
                }
            }
            revs
        } else {
            resolve_revs(&inv.config, repo, &specs)?
        }
    };
    let Some(target) = target else {
        let repo = require(&inv.repo)?;
        for r in revs {
            let line = format!("{r}: {}\n", repo.phase(r)?.name());
            inv.ui.write_str(&line)?;
        }
        return Ok(0);
    };
    let store_lock = super::wlock::take_store_lock(inv)?;
    let repo = require(&inv.repo)?;
    if revs.is_empty() {
        return Err(CliError::abort("empty revision set"));
    }
    let graph = Graph::of(repo)?;
    let mut roots = PhaseRoots::load(repo)?;
    let old = roots.phases(&graph);
    let mut txn = qs_repo::txn::begin(repo, &store_lock, "phase")?;
    let mut dirty = roots.advance(&graph, target, &revs);
    if inv.opts.flag("force") {
        dirty |= roots.retract(&graph, target, &revs)?;
    }
    if dirty {
        roots.write(&mut txn.tr, |r| repo.node(r))?;
    }
    let reports = txn.commit()?;
    for m in reports {
        inv.ui.warn(&m)?;
    }
    let new = roots.phases(&graph);
    let changes = old.iter().zip(&new).filter(|(a, b)| a != b).count();
    // hg indexes its phase list with the revision: null (-1) reads the
    // last revision's phase.
    let phase_at = |r: Revision| {
        let i = if r.is_null() {
            new.len().checked_sub(1)
        } else {
            usize::try_from(r.0).ok()
        };
        i.and_then(|i| new.get(i)).copied().unwrap_or(Phase::Public)
    };
    let rejected = revs.iter().filter(|r| phase_at(**r) < target).count();
    let mut code = 0;
    if rejected > 0 {
        inv.ui.warn(&format!(
            "cannot move {rejected} changesets to a higher phase, use --force\n"
        ))?;
        code = 1;
    }
    if changes > 0 {
        let msg = format!("phase changed for {changes} changesets\n");
        if code != 0 {
            inv.ui.status(&msg)?;
        } else {
            inv.ui.note(&msg)?;
        }
    } else {
        inv.ui.warn("no phases changed\n")?;
    }
    Ok(code)
}
