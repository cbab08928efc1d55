//! `qs branches`: list named branches, active ones first.

use std::collections::HashSet;

use qs_store::Revision;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::CliResult;
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "branches",
    aliases: &[],
    synopsis: "branches [-c]",
    summary: "list repository named branches",
    options: &[
        OptSpec::flag(
            Some('a'),
            "active",
            "only branches with unmerged heads (deprecated)",
        ),
        OptSpec::flag(Some('c'), "closed", "include closed branches"),
        OptSpec::list(Some('r'), "rev", "", "only the branches of these revisions"),
        TEMPLATE_OPT,
    ],
    max_args: Some(0),
    paged: true,
    repo: RepoNeed::Required,
    run,
};

struct Row {
    name: Vec<u8>,
    tip: Revision,
    active: bool,
    open: bool,
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["template"])?;
    let repo = require(&inv.repo)?;
    let selected: Option<HashSet<Vec<u8>>> = if inv.opts.list("rev").is_empty() {
        None
    } else {
        let revs = super::resolve_revs(&inv.config, repo, inv.opts.list("rev"))?;
        let mut names = HashSet::new();
        for r in revs {
            names.insert(repo.changeset(r)?.branch().to_vec());
        }
        Some(names)
    };
    let topo_heads: HashSet<Revision> = repo.heads()?.iter().copied().collect();
    let mut rows: Vec<Row> = Vec::new();
    for (name, heads) in repo.branchmap()? {
        if selected.as_ref().is_some_and(|s| !s.contains(name)) {
            continue;
        }
        let open = !heads.is_closed();
        let active = open
            && heads
                .heads
                .iter()
                .any(|(r, closed)| !closed && topo_heads.contains(r));
        rows.push(Row {
            name: name.clone(),
            tip: heads.tip(),
            active,
            open,
        });
    }
    // hg sorts by (active, tip rev, name, open), all descending.
    rows.sort_by(|a, b| {
        (b.active, b.tip, &b.name, b.open).cmp(&(a.active, a.tip, &a.name, a.open))
    });
    let show_closed = inv.opts.flag("closed");
    let only_active = inv.opts.flag("active");
    let current = qs_repo::working::branch(repo)?;
    let ui = &mut inv.ui;
    for row in rows {
        if only_active && !row.active {
            continue;
        }
        if !row.open && !show_closed {
            continue;
        }
        let label = if row.name == current {
            "branches.current"
        } else if row.active {
            "branches.active"
        } else if !row.open {
            "branches.closed"
        } else {
            "branches.inactive"
        };
        ui.write_labeled(&row.name, label)?;
        if !ui.quiet() {
            let rev_text = row.tip.to_string();
            let width = display_width(&row.name);
            let pad = " ".repeat(31usize.saturating_sub(rev_text.len() + width));
            let node = repo.node(row.tip)?;
            let hex = if ui.debug_flag() {
                node.hex()
            } else {
                node.short()
            };
            ui.write_labeled(
                format!("{pad} {rev_text}:{hex}").as_bytes(),
                "log.changeset",
            )?;
            if !row.open {
                ui.write(b" (closed)")?;
            } else if !row.active {
                ui.write(b" (inactive)")?;
            }
        }
        ui.write(b"\n")?;
    }
    Ok(0)
}

/// Terminal columns of a name (UTF-8 characters; wide characters count 2
/// in hg, which this approximates as 1 until a width table is needed).
pub fn display_width(name: &[u8]) -> usize {
    String::from_utf8_lossy(name).chars().count()
}
