//! `qs update` / `up` / `checkout` / `co`: move the working directory to
//! another changeset as hg does (`REV` or `-r`, else the tip-most head
//! of the branch; `-C` discards changes, `-c` refuses them, `-m` and
//! `commands.update.check` decide how they are carried over), with hg's
//! statistics line, bookmark activation and other-heads notes.

use qs_repo::merge::{self, dest, Request, Stats, UpdateCheck};
use qs_repo::tracking::Message;
use qs_repo::wdirstate::WorkingDirstate;
use qs_repo::Repo;
use qs_store::Revision;

use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

/// `-t/--tool`, shared with `merge` and `resolve`.
pub const TOOL_OPT: OptSpec = OptSpec::value(Some('t'), "tool", "TOOL", "specify merge tool");

pub const COMMAND: CommandDef = CommandDef {
    name: "update",
    aliases: &["up", "checkout", "co"],
    synopsis: "update [-C|-c|-m] [-d DATE] [[-r] REV]",
    summary: "update working directory (or switch revisions)",
    options: &[
        OptSpec::flag(
            Some('C'),
            "clean",
            "discard uncommitted changes (no backup)",
        ),
        OptSpec::flag(Some('c'), "check", "require clean working directory"),
        OptSpec::flag(Some('m'), "merge", "merge uncommitted changes"),
        OptSpec::value(Some('d'), "date", "DATE", "tipmost revision matching date"),
        OptSpec::value(Some('r'), "rev", "REV", "revision"),
        TOOL_OPT,
    ],
    max_args: Some(1),
    paged: false,
    repo: RepoNeed::Required,
    run,
};

/// hg's `check_at_most_one_arg`.
pub fn at_most_one(inv: &Invocation<'_, '_>, names: &[&str]) -> CliResult<()> {
    let mut previous: Option<&str> = None;
    for name in names {
        if inv.opts.flag(name) || inv.opts.value(name).is_some_and(|v| !v.is_empty()) {
            if let Some(p) = previous {
                return Err(CliError::abort(format!(
                    "cannot specify both --{p} and --{name}"
                )));
            }
            previous = Some(name);
        }
    }
    Ok(())
}

/// `ui.merge` / `--tool`: only hg's internal `:merge` is implemented.
pub fn merge_tool(inv: &Invocation<'_, '_>) -> CliResult<Option<String>> {
    let tool = inv
        .opts
        .value("tool")
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .or_else(|| inv.env.get("HGMERGE").filter(|t| !t.is_empty()).cloned())
        .or_else(|| inv.config.get_str("ui", "merge"));
    if let Some(t) = &tool {
        if !matches!(t.as_str(), "internal:merge" | ":merge") {
            return Err(CliError::abort_hint(
                format!("merge tool '{t}' is not supported by qs yet"),
                "use Mercurial's 'hg' for this command line",
            ));
        }
    }
    if let Some(m) = inv.config.get_str("ui", "mergemarkers") {
        if m != "basic" {
            return Err(CliError::abort_hint(
                "ui.mergemarkers other than 'basic' is not supported by qs yet",
                "use Mercurial's 'hg' for this command line",
            ));
        }
    }
    Ok(tool)
}

/// hg's `bail_if_changed`: refuses a working directory with changes
/// (and, when `merge`, one with an uncommitted merge).
pub fn bail_if_changed(repo: &Repo, merge: bool) -> CliResult<()> {
    if merge && !repo.dirstate_parents()?[1].is_null() {
        return Err(CliError::abort("outstanding uncommitted merge"));
    }
    let st = qs_repo::status::status(repo, &Default::default(), &mut Vec::new())?;
    if !(st.modified.is_empty()
        && st.added.is_empty()
        && st.removed.is_empty()
        && st.deleted.is_empty())
    {
        return Err(CliError::abort("uncommitted changes"));
    }
    Ok(())
}

/// Resolves one revision as hg's `revsingle` (the last of the set).
pub fn single_rev(inv: &Invocation<'_, '_>, repo: &Repo, spec: &str) -> CliResult<Revision> {
    super::resolve_revs(&inv.config, repo, &[spec.to_string()])?
        .last()
        .copied()
        .ok_or_else(|| CliError::abort("empty revision set"))
}

/// Runs an update or merge of the working directory, then shows its
/// messages and hg's statistics line.
pub fn run_and_show(inv: &mut Invocation<'_, '_>, req: &Request<'_>) -> CliResult<Stats> {
    let repo = require(&inv.repo)?;
    let mut ds = WorkingDirstate::load(repo)?;
    let mut notes = Vec::new();
    let result = merge::run(repo, &mut ds, req, &mut notes);
    super::wlock::show_notes(&mut inv.ui, &notes)?;
    let stats = result?;
    show_stats(inv, &stats)?;
    Ok(stats)
}

/// hg's `clean_update`: the working directory forcibly switched to
/// `target` (changes discarded, nothing merged), with hg's statistics
/// line when `show_stats`. The caller holds the wlock.
pub fn clean_update(
    inv: &mut Invocation<'_, '_>,
    target: Revision,
    merge_tool: Option<String>,
    show_stats: bool,
) -> CliResult<Stats> {
    let remove_empty_dirs =
        super::wlock::config_bool(inv, "experimental", "removeemptydirs", true)?;
    let display = |p: &[u8]| p.to_vec();
    let req = Request {
        target,
        branch_merge: false,
        force: true,
        check: UpdateCheck::None,
        labels: None,
        remove_empty_dirs,
        display: &display,
        merge_tool,
    };
    if show_stats {
        return run_and_show(inv, &req);
    }
    let repo = require(&inv.repo)?;
    let mut ds = WorkingDirstate::load(repo)?;
    let mut notes = Vec::new();
    let result = merge::run(repo, &mut ds, &req, &mut notes);
    super::wlock::show_notes(&mut inv.ui, &notes)?;
    Ok(result?)
}

/// hg's statistics line.
pub fn show_stats(inv: &mut Invocation<'_, '_>, stats: &Stats) -> CliResult<()> {
    inv.ui.status(&format!(
        "{} files updated, {} files merged, {} files removed, {} files unresolved\n",
        stats.updated, stats.merged, stats.removed, stats.unresolved
    ))?;
    Ok(())
}

fn update_check(inv: &Invocation<'_, '_>) -> UpdateCheck {
    if inv.opts.flag("merge") {
        return UpdateCheck::None;
    }
    match inv.config.get_str("commands", "update.check").as_deref() {
        Some("none") => UpdateCheck::None,
        Some("noconflict") => UpdateCheck::NoConflict,
        Some("abort") => UpdateCheck::None,
        _ => UpdateCheck::Linear,
    }
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    at_most_one(inv, &["clean", "check", "merge"])?;
    let spec = super::rev_or_argument(inv)?;
    if spec.is_none()
        && inv.opts.value("date").is_none_or(str::is_empty)
        && super::wlock::config_bool(inv, "commands", "update.requiredest", false)?
    {
        return Err(CliError::abort_hint(
            "you must specify a destination",
            "for example: hg update \".::\"",
        ));
    }
    if inv.opts.value("date").is_some_and(|d| !d.is_empty()) {
        if spec.is_some() {
            return Err(CliError::abort("you can't specify a revision and a date"));
        }
        return Err(CliError::abort_hint(
            "option --date is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    let clean = inv.opts.flag("clean");
    let check_abort = inv.opts.flag("check")
        || (!inv.opts.flag("merge")
            && inv.config.get_str("commands", "update.check").as_deref() == Some("abort"));
    let check = update_check(inv);
    let tool = merge_tool(inv)?;
    let remove_empty_dirs =
        super::wlock::config_bool(inv, "experimental", "removeemptydirs", true)?;
    let _wlock = super::wlock::take_wlock(inv)?;
    let repo = require(&inv.repo)?;
    // hg's `clearunfinished`: an interrupted update's marker goes.
    let _ = std::fs::remove_file(repo.dot_hg().join("updatestate"));
    let target = match &spec {
        Some(s) => Some(single_rev(inv, repo, s)?),
        None => None,
    };
    let mut messages = Vec::new();
    let (target, move_mark_from, brev) = match target {
        Some(t) => (t, None, spec.clone().map(String::into_bytes)),
        None => {
            let d = dest::update_destination(repo, clean, &mut messages);
            super::wlock::show_messages(&mut inv.ui, &messages)?;
            messages.clear();
            let d = d?;
            (d.rev, d.move_mark_from, d.activate)
        }
    };
    let repo = require(&inv.repo)?;
    if check_abort && !clean {
        bail_if_changed(repo, false)?;
    }
    let display = |p: &[u8]| p.to_vec();
    let req = Request {
        target,
        branch_merge: false,
        force: clean,
        check: if check_abort {
            UpdateCheck::None
        } else {
            check
        },
        labels: Some(["working copy", "destination", "working copy parent"]),
        remove_empty_dirs,
        display: &display,
        merge_tool: tool,
    };
    let stats = run_and_show(inv, &req)?;
    if stats.unresolved > 0 {
        inv.ui
            .status("use 'hg resolve' to retry unresolved file merges\n")?;
    }
    let unresolved = stats.unresolved > 0;
    let repo = require(&inv.repo)?;
    let new_parent = repo.node(target)?;
    let marks = repo.bookmarks()?;
    let active = marks.active.clone();
    let mut active_after = active.is_some();
    if let (false, Some(from)) = (unresolved, move_mark_from) {
        if from != new_parent {
            let store_lock = super::wlock::take_store_lock(inv)?;
            let repo = require(&inv.repo)?;
            let name = String::from_utf8_lossy(active.as_deref().unwrap_or_default()).into_owned();
            if qs_repo::marks::advance_active(repo, &store_lock, &from, &new_parent)? {
                inv.ui.status(&format!("updating bookmark {name}\n"))?;
            } else {
                inv.ui.status(&format!("(leaving bookmark {name})\n"))?;
                qs_repo::marks::set_active(repo, None)?;
                active_after = false;
            }
        }
    } else if let Some(b) = brev.as_ref().filter(|b| marks.get(b).is_some()) {
        if active.as_ref() != Some(b) {
            inv.ui
                .status_bytes(&[b"(activating bookmark ", b.as_slice(), b")\n"].concat())?;
        }
        qs_repo::marks::set_active(repo, Some(b))?;
        active_after = true;
    } else if brev.is_some() {
        if let Some(a) = &active {
            inv.ui
                .status_bytes(&[b"(leaving bookmark ", a.as_slice(), b")\n"].concat())?;
        }
        qs_repo::marks::set_active(repo, None)?;
        active_after = false;
    }
    if spec.is_none() {
        let repo = require(&inv.repo)?;
        let mut notes: Vec<Message> = Vec::new();
        let result = dest::other_destinations(repo, active_after, &mut notes);
        super::wlock::show_messages(&mut inv.ui, &notes)?;
        result?;
    }
    Ok(i32::from(unresolved))
}
