//! `qs heads`: show branch heads (or topological heads with `-t`).

use std::collections::HashSet;

use qs_repo::revspec;
use qs_store::Revision;

use super::{require, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::CliResult;
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "heads",
    aliases: &[],
    synopsis: "heads [-ct] [-r STARTREV] [REV]...",
    summary: "show branch heads",
    options: &[
        OptSpec::value(
            Some('r'),
            "rev",
            "STARTREV",
            "only heads descending from this revision",
        ),
        OptSpec::flag(Some('t'), "topo", "topological heads only"),
        OptSpec::flag(
            Some('a'),
            "active",
            "show active branch heads only (deprecated)",
        ),
        OptSpec::flag(Some('c'), "closed", "include closed heads"),
        OptSpec::value(None, "style", "STYLE", "output style"),
        TEMPLATE_OPT,
    ],
    max_args: None,
    paged: true,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let repo = require(&inv.repo)?;
    let mut heads: Vec<Revision> = if inv.opts.flag("topo") {
        repo.heads()?.to_vec()
    } else {
        let closed = inv.opts.flag("closed");
        repo.branchmap()?
            .values()
            .flat_map(|b| b.heads.iter())
            .filter(|(_, is_closed)| closed || !is_closed)
            .map(|(r, _)| *r)
            .collect()
    };
    if let Some(start) = inv.opts.value("rev") {
        let start = revspec::resolve_single(repo, start)?;
        let descendants = descendants_of(repo, start)?;
        heads.retain(|h| descendants.contains(h));
    }
    let wanted: Vec<String> = inv.opts.positionals.clone();
    if !wanted.is_empty() {
        let mut branches: Vec<Vec<u8>> = Vec::new();
        for spec in &wanted {
            let rev = revspec::resolve_single(repo, spec)?;
            let branch = repo.changeset(rev)?.branch().to_vec();
            if !branches.contains(&branch) {
                branches.push(branch);
            }
        }
        let infos = repo.branch_infos()?;
        heads.retain(|h| branches.contains(&infos[h.0 as usize].branch));
        let found: HashSet<&[u8]> = heads
            .iter()
            .map(|h| infos[h.0 as usize].branch.as_slice())
            .collect();
        let missing: Vec<String> = branches
            .iter()
            .filter(|b| !found.contains(b.as_slice()))
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect();
        if !missing.is_empty() && inv.opts.value("rev").is_none() {
            let which = if inv.opts.flag("closed") { "" } else { "open " };
            inv.ui.status(&format!(
                "no {which}branch heads found on branches {}\n",
                missing.join(",")
            ))?;
        }
    }
    if heads.is_empty() {
        return Ok(1);
    }
    heads.sort_by(|a, b| b.cmp(a));
    crate::displayer::show_revs(inv, &heads, false)?;
    Ok(0)
}

/// `start` and every revision descending from it.
fn descendants_of(repo: &qs_repo::Repo, start: Revision) -> CliResult<HashSet<Revision>> {
    let mut set = HashSet::new();
    set.insert(start);
    for r in (start.0.max(0) + 1)..repo.len() as i32 {
        let [p1, p2] = repo.parents(Revision(r))?;
        if set.contains(&p1) || set.contains(&p2) || start.is_null() {
            set.insert(Revision(r));
        }
    }
    Ok(set)
}
