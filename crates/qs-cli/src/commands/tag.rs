//! `qs tag`: add or remove tags, global ones committed in `.hgtags`
//! through the commit machinery (message "Added tag X for changeset Y",
//! `-m`, `-u`, `-d`, `-e`), local ones in `.hg/localtags`, with hg's refusals.

use qs_repo::commit::{self, CommitInfo};
use qs_repo::datespec::{parse_date, Bias, Formats};
use qs_repo::labels::{check_new_label, python_strip};
use qs_repo::names::TagKind;
use qs_repo::wdirstate::WorkingDirstate;

use super::commit::DATE_USER_OPTS;
use super::{require, resolve_revs, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "tag",
    aliases: &[],
    synopsis: "tag [-f] [-l] [-m TEXT] [-d DATE] [-u USER] [-r REV] NAME...",
    summary: "add one or more tags for the current or given revision",
    options: &[
        OptSpec::flag(Some('f'), "force", "force tag"),
        OptSpec::flag(Some('l'), "local", "make the tag local"),
        OptSpec::value(Some('r'), "rev", "REV", "revision to tag"),
        OptSpec::flag(None, "remove", "remove a tag"),
        OptSpec::flag(Some('e'), "edit", "invoke editor on commit messages"),
        OptSpec::value(Some('m'), "message", "TEXT", "use text as commit message"),
        DATE_USER_OPTS[0],
        DATE_USER_OPTS[1],
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn given(inv: &Invocation<'_, '_>, name: &str) -> Option<String> {
    inv.opts
        .value(name)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn show(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    if inv.opts.positionals.is_empty() {
        return Err(super::help::usage_error(
            &mut inv.ui,
            &COMMAND,
            "invalid arguments",
        ));
    }
    let remove = inv.opts.flag("remove");
    let local = inv.opts.flag("local");
    let force = inv.opts.flag("force");
    if remove && given(inv, "rev").is_some() {
        return Err(CliError::abort("cannot specify both --remove and --rev"));
    }
    let _wlock = super::wlock::take_wlock(inv)?;
    let store_lock = super::wlock::take_store_lock(inv)?;
    let names: Vec<Vec<u8>> = inv
        .opts
        .positionals
        .iter()
        .map(|n| python_strip(&crate::context::arg_bytes(n)).to_vec())
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != names.len() {
        return Err(CliError::abort("tag names must be unique"));
    }
    for n in &names {
        check_new_label(n)?;
        if n.is_empty() {
            return Err(CliError::abort(
                "tag names cannot consist entirely of whitespace",
            ));
        }
    }
    let mut rev_spec = given(inv, "rev").unwrap_or_else(|| ".".to_string());
    let mut message = given(inv, "message").map(|m| crate::context::arg_bytes(&m));
    let repo = require(&inv.repo)?;
    let tags = repo.tags()?;
    if remove {
        let expected = if local {
            TagKind::Local
        } else {
            TagKind::Global
        };
        for n in &names {
            let kind = tags.types.get(n).copied();
            if kind == Some(TagKind::Global) && tags.global.get(n).is_some_and(|g| g.is_null()) {
                return Err(CliError::abort(format!(
                    "tag '{}' is already removed",
                    show(n)
                )));
            }
            let Some(kind) = kind else {
                return Err(CliError::abort(format!("tag '{}' does not exist", show(n))));
            };
            if kind != expected {
                let which = if expected == TagKind::Global {
                    "global"
                } else {
                    "local"
                };
                return Err(CliError::abort(format!(
                    "tag '{}' is not a {which} tag",
                    show(n)
                )));
            }
        }
        rev_spec = "null".to_string();
        if message.is_none() {
            message = Some([b"Removed tag ".as_slice(), &names.join(&b", "[..])].concat());
        }
    } else if !force {
        for n in &names {
            if tags.get(n).is_some() {
                return Err(CliError::abort(format!(
                    "tag '{}' already exists (use -f to force)",
                    show(n)
                )));
            }
        }
    }
    if !local {
        let [p1, p2] = repo.dirstate_parents()?;
        if !p2.is_null() {
            return Err(CliError::abort("uncommitted merge"));
        }
        let branch = qs_repo::working::branch(repo)?;
        let p1_rev = repo
            .changelog()
            .rev_of_node(&p1)?
            .unwrap_or(qs_store::NULL_REVISION);
        let heads = repo.branchmap()?.get(&branch);
        let open = heads.is_some_and(|h| !h.is_closed());
        let is_head = heads.is_some_and(|h| h.heads.iter().any(|(r, _)| *r == p1_rev));
        if !force && open && !is_head {
            return Err(CliError::abort(
                "working directory is not at a branch head (use -f to force)",
            ));
        }
    }
    let rev = *resolve_revs(&inv.config, repo, &[rev_spec])?
        .last()
        .ok_or_else(|| CliError::abort("empty revision set"))?;
    let node = repo.node(rev)?;
    if !remove && node.is_null() {
        return Err(CliError::abort("cannot tag null revision"));
    }
    let message = message.unwrap_or_else(|| {
        [
            b"Added tag ".as_slice(),
            &names.join(&b", "[..]),
            b" for changeset ",
            node.short().as_bytes(),
        ]
        .concat()
    });
    let date = match given(inv, "date") {
        Some(spec) => Some(parse_date(
            &crate::context::arg_bytes(&spec),
            Formats::Default,
            &Bias::default(),
            &repo.clock(),
        )?),
        None => None,
    };
    let mut ds = WorkingDirstate::load(repo)?;
    if !local {
        let before = ds.map.clone();
        let checked = qs_repo::tag::check_hgtags_unchanged(repo, &mut ds);
        if !ds.unchanged_since(&before) {
            ds.write(repo)?;
        }
        checked?;
    }
    let branchmap = repo.branchmap()?;
    for n in &names {
        if branchmap.contains_key(n) {
            inv.ui.warn(&format!(
                "warning: tag {} conflicts with existing branch name\n",
                show(n)
            ))?;
        }
    }
    let repo = require(&inv.repo)?;
    let lines = qs_repo::tag::tag_lines(repo.tags()?, &names, &node);
    if local {
        qs_repo::tag::append_lines(&repo.dot_hg().join("localtags"), &lines)?;
        return Ok(0);
    }
    qs_repo::tag::append_lines(&repo.root().join(".hgtags"), &lines)?;
    if !ds.map.contains(b".hgtags") {
        ds.map.set_tracked(b".hgtags");
    }
    let request = qs_repo::tag::hgtags_request();
    let matcher = qs_repo::status::request_matcher(repo, &request, &mut Vec::new())?;
    let mut messages = Vec::new();
    let prepared = commit::prepare(repo, &mut ds, &request, &matcher, &mut messages);
    super::wlock::show_messages(&mut inv.ui, &messages)?;
    let prepared = prepared?;
    let user = match given(inv, "user") {
        Some(u) => crate::context::arg_bytes(&u),
        None => super::commit::username(inv)?,
    };
    let phase = super::commit::new_commit_phase(inv)?;
    let repo = require(&inv.repo)?;
    let message = if inv.opts.flag("edit") {
        let text = super::commit::editor_text(repo, &prepared, &message, &user)?;
        let form = if remove { "tag.remove" } else { "tag.add" };
        super::commit::run_editor(inv, repo, &text, &user, form)?
    } else {
        message
    };
    let info = CommitInfo {
        message,
        user,
        date: date.unwrap_or_else(|| repo.clock().makedate()),
        close_branch: false,
        phase,
    };
    super::commit::write_changeset(inv, &mut ds, &prepared, &info, &store_lock)?;
    Ok(0)
}
