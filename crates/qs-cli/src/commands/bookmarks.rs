//! `qs bookmarks`: list bookmarks; create, move, delete, rename and
//! deactivate them (`qs_repo::bookmark`) with hg's checks and messages.

use qs_repo::bookmark;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::commands::branches::display_width;
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "bookmarks",
    aliases: &["bookmark"],
    synopsis: "bookmarks [OPTIONS]... [NAME]...",
    summary: "create a new bookmark or list existing bookmarks",
    options: &[
        OptSpec::flag(Some('f'), "force", "force"),
        OptSpec::value(Some('r'), "rev", "REV", "revision for bookmark action"),
        OptSpec::flag(Some('d'), "delete", "delete a given bookmark"),
        OptSpec::value(Some('m'), "rename", "OLD", "rename a given bookmark"),
        OptSpec::flag(Some('i'), "inactive", "mark a bookmark inactive"),
        OptSpec::flag(Some('l'), "list", "list existing bookmarks"),
        TEMPLATE_OPT,
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

/// What the command line asks for (hg's `action`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Add,
    Delete,
    Rename,
    Inactive,
    List,
}

/// hg's `check_at_most_one_arg` and `check_incompatible_arguments`.
fn action(inv: &Invocation<'_, '_>) -> CliResult<Action> {
    let given = |name: &str| match name {
        "rename" | "rev" => inv.opts.value(name).is_some_and(|v| !v.is_empty()),
        _ => inv.opts.flag(name),
    };
    let both = |a: &str, b: &str| CliError::abort(format!("cannot specify both --{a} and --{b}"));
    let mut chosen: Option<&str> = None;
    for name in ["delete", "rename", "list"] {
        if given(name) {
            if let Some(previous) = chosen {
                return Err(both(previous, name));
            }
            chosen = Some(name);
        }
    }
    let action = match chosen {
        Some(name) => {
            if given("rev") {
                return Err(both(name, "rev"));
            }
            match name {
                "delete" => Action::Delete,
                "rename" => Action::Rename,
                _ => Action::List,
            }
        }
        None if !inv.opts.positionals.is_empty() || given("rev") => Action::Add,
        None if given("inactive") => Action::Inactive,
        None => Action::List,
    };
    if given("inactive") {
        for other in ["delete", "list"] {
            if given(other) {
                return Err(both("inactive", other));
            }
        }
    }
    if inv.opts.positionals.is_empty() && matches!(action, Action::Add | Action::Delete) {
        return Err(CliError::abort("bookmark name required"));
    }
    Ok(action)
}

/// Creates, moves, deletes, renames or deactivates bookmarks in a
/// `bookmark` transaction under both locks.
fn change(inv: &mut Invocation<'_, '_>, action: Action) -> CliResult<i32> {
    let _wlock = super::wlock::take_wlock(inv)?;
    let store_lock = super::wlock::take_store_lock(inv)?;
    let names: Vec<Vec<u8>> = inv
        .opts
        .positionals
        .iter()
        .map(|n| crate::context::arg_bytes(n))
        .collect();
    let force = inv.opts.flag("force");
    let inactive = inv.opts.flag("inactive");
    let rev = match inv.opts.value("rev").filter(|r| !r.is_empty()) {
        Some(spec) if action == Action::Add => {
            let repo = require(&inv.repo)?;
            let revs = super::resolve_revs(&inv.config, repo, &[spec.to_string()])?;
            Some(
                *revs
                    .last()
                    .ok_or_else(|| CliError::abort("empty revision set"))?,
            )
        }
        _ => None,
    };
    let repo = require(&inv.repo)?;
    let mut txn = qs_repo::txn::begin(repo, &store_lock, "bookmark")?;
    let mut messages = Vec::new();
    let result = match action {
        Action::Delete => {
            let marks = bookmark::Marks::load(repo)?;
            let expanded: Result<Vec<Vec<u8>>, _> = names.iter().map(|n| marks.expand(n)).collect();
            expanded.and_then(|names| bookmark::delete(repo, &mut txn.tr, &names))
        }
        Action::Rename => {
            if names.is_empty() {
                return Err(CliError::abort("new bookmark name required"));
            }
            if names.len() > 1 {
                return Err(CliError::abort("only one new bookmark name allowed"));
            }
            let marks = bookmark::Marks::load(repo)?;
            let old = crate::context::arg_bytes(inv.opts.value("rename").unwrap_or_default());
            marks.expand(&old).and_then(|old| {
                bookmark::rename(
                    repo,
                    &mut txn.tr,
                    &old,
                    &names[0],
                    force,
                    inactive,
                    &mut messages,
                )
            })
        }
        Action::Add => bookmark::add(
            repo,
            &mut txn.tr,
            &names,
            rev,
            force,
            inactive,
            &mut messages,
        ),
        Action::Inactive => {
            let mut marks = bookmark::Marks::load(repo)?;
            if marks.marks.is_empty() {
                inv.ui.status("no bookmarks set\n")?;
            } else if marks.active.is_none() {
                inv.ui.status("no active bookmark\n")?;
            } else {
                marks.set_active(repo, None)?;
            }
            Ok(())
        }
        Action::List => Ok(()),
    };
    super::wlock::show_messages(&mut inv.ui, &messages)?;
    result?;
    for m in txn.commit()? {
        inv.ui.warn(&m)?;
    }
    Ok(0)
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["template"])?;
    let action = action(inv)?;
    if action != Action::List {
        return change(inv, action);
    }
    let names: Vec<String> = {
        let repo = require(&inv.repo)?;
        let marks = bookmark::Marks::load(repo)?;
        let mut names = Vec::new();
        for n in &inv.opts.positionals {
            let expanded = marks.expand(n.as_bytes())?;
            names.push(String::from_utf8_lossy(&expanded).into_owned());
        }
        names
    };
    let repo = require(&inv.repo)?;
    let bookmarks = repo.bookmarks()?;
    let selected: Vec<&String> = names.iter().collect();
    for name in &selected {
        if bookmarks.get(name.as_bytes()).is_none() {
            return Err(CliError::abort(format!("bookmark '{name}' does not exist")));
        }
    }
    if bookmarks.marks.is_empty() {
        inv.ui.status("no bookmarks set\n")?;
        return Ok(0);
    }
    let debug = inv.ui.debug_flag();
    for (name, node) in &bookmarks.marks {
        if !selected.is_empty() && !selected.iter().any(|s| s.as_bytes() == name.as_slice()) {
            continue;
        }
        let active = bookmarks.active.as_deref() == Some(name.as_slice());
        let label = if active { "bookmarks.active" } else { "" };
        let ui = &mut inv.ui;
        if ui.quiet() {
            ui.write_labeled(name, label)?;
            ui.write(b"\n")?;
            continue;
        }
        ui.write_labeled(if active { b" * " } else { b"   " }, label)?;
        ui.write_labeled(name, label)?;
        let pad = " ".repeat(25usize.saturating_sub(display_width(name)));
        let rev = repo.changelog().rev_of_node(node)?.map_or(-1, |r| r.0);
        let hex = if debug { node.hex() } else { node.short() };
        ui.write_labeled(format!("{pad} {rev}:{hex}").as_bytes(), label)?;
        ui.write(b"\n")?;
    }
    Ok(0)
}
