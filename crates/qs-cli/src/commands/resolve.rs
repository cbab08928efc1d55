//! `qs resolve`: list (`-l`), mark (`-m`), unmark (`-u`) or re-merge the
//! files of an unfinished merge, reading and writing hg's merge state.

use qs_repo::merge::state::{self, MergeState};
use qs_repo::tracking::Message;
use qs_repo::wdirstate::WorkingDirstate;

use super::update::{merge_tool, TOOL_OPT};
use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "resolve",
    aliases: &[],
    synopsis: "resolve [OPTION]... [FILE]...",
    summary: "redo merges or set/view the merge status of files",
    options: &[
        OptSpec::flag(Some('a'), "all", "select all unresolved files"),
        OptSpec::flag(Some('l'), "list", "list state of files needing merge"),
        OptSpec::flag(Some('m'), "mark", "mark files as resolved"),
        OptSpec::flag(Some('u'), "unmark", "mark files as unresolved"),
        OptSpec::flag(Some('n'), "no-status", "hide status prefix"),
        OptSpec::flag(None, "re-merge", "re-merge files"),
        TOOL_OPT,
        super::add::WALK_OPTS[0],
        super::add::WALK_OPTS[1],
        super::TEMPLATE_OPT,
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let all = inv.opts.flag("all");
    let mark = inv.opts.flag("mark");
    let unmark = inv.opts.flag("unmark");
    let show = inv.opts.flag("list");
    let nostatus = inv.opts.flag("no-status");
    let remerge = inv.opts.flag("re-merge");
    let pats = !inv.opts.positionals.is_empty();
    if [show, mark, unmark, remerge].iter().filter(|b| **b).count() > 1 {
        return Err(CliError::abort("too many actions specified"));
    }
    if !(show || mark || unmark || remerge)
        && super::wlock::config_bool(inv, "commands", "resolve.explicit-re-merge", false)?
    {
        return Err(CliError::abort_hint(
            "no action specified",
            "use --mark, --unmark, --list or --re-merge",
        ));
    }
    if pats && all {
        return Err(CliError::abort("can't specify --all and patterns"));
    }
    if !(all || pats || show || mark || unmark) {
        return Err(CliError::abort_hint(
            "no files or directories specified",
            "use --all to re-merge all unresolved files",
        ));
    }
    if inv.opts.value("template").is_some() {
        return Err(CliError::abort_hint(
            "option --template is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    if super::wlock::config_bool(inv, "commands", "resolve.confirm", false)? {
        return Err(CliError::abort_hint(
            "commands.resolve.confirm is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    let request = {
        let repo = require(&inv.repo)?;
        super::wlock::request(inv, repo)
    };
    if show {
        let repo = require(&inv.repo)?;
        let ms = MergeState::read(repo.dot_hg())?;
        let matcher = qs_repo::status::request_matcher(repo, &request, &mut Vec::new())?;
        let mut files: Vec<&(Vec<u8>, state::FileRecord)> = ms.files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::new();
        for (f, r) in files {
            if !matcher.matches(f) {
                continue;
            }
            if !nostatus {
                out.extend_from_slice(if r.is_unresolved() {
                    if r.state() == b"pu" {
                        b"P "
                    } else {
                        b"U "
                    }
                } else {
                    b"R "
                });
            }
            out.extend_from_slice(f);
            out.push(b'\n');
        }
        inv.ui.write(&out)?;
        return Ok(0);
    }
    let tool = merge_tool(inv)?;
    let mark_check = inv
        .config
        .get_str("commands", "resolve.mark-check")
        .filter(|v| v == "warn" || v == "abort");
    let _wlock = super::wlock::take_wlock(inv)?;
    let repo = require(&inv.repo)?;
    let mut ms = MergeState::read(repo.dot_hg())?;
    let in_merge = !repo.dirstate_parents()?[1].is_null();
    if !(ms.active() || in_merge) {
        return Err(CliError::abort(
            "resolve command not applicable when not merging",
        ));
    }
    let matcher = qs_repo::status::request_matcher(repo, &request, &mut Vec::new())?;
    let mut files: Vec<Vec<u8>> = ms.files.iter().map(|(f, _)| f.clone()).collect();
    files.sort();
    files.retain(|f| matcher.matches(f));
    let did_work = !files.is_empty();
    let mut ret = 0;
    let mut with_markers = Vec::new();
    let mut to_merge = Vec::new();
    for f in &files {
        let Some(record) = ms.get(f) else { continue };
        if matches!(record.state(), b"pu" | b"pr") {
            if mark {
                ms.mark(f, b"pr");
            } else if unmark {
                ms.mark(f, b"pu");
            } else if record.state() == b"pu" {
                inv.ui.warn_bytes(
                    &[f.as_slice(), b": path conflict must be resolved manually\n"].concat(),
                )?;
            }
            continue;
        }
        if mark {
            if mark_check.is_some() && record.state() != state::RESOLVED {
                use std::os::unix::ffi::OsStrExt;
                let data = std::fs::read(repo.root().join(std::ffi::OsStr::from_bytes(f)))
                    .unwrap_or_default();
                if qs_repo::merge::has_conflict_markers(&data) {
                    with_markers.push(f.clone());
                }
            }
            ms.mark(f, state::RESOLVED);
        } else if unmark {
            ms.mark(f, state::UNRESOLVED);
        } else {
            to_merge.push(f.clone());
        }
    }
    if !to_merge.is_empty() {
        let mut ds = WorkingDirstate::load(repo)?;
        let display = |p: &[u8]| p.to_vec();
        let mut notes = Vec::new();
        let result = qs_repo::merge::remerge(
            repo,
            &mut ds,
            &mut ms,
            &to_merge,
            &display,
            tool.as_deref(),
            &mut notes,
        );
        super::wlock::show_notes(&mut inv.ui, &notes)?;
        if result? {
            ret = 1;
        }
    }
    if !with_markers.is_empty() {
        let mut text = b"warning: the following files still have conflict markers:\n".to_vec();
        for f in &with_markers {
            text.extend_from_slice(b"  ");
            text.extend_from_slice(f);
            text.push(b'\n');
        }
        inv.ui.warn_bytes(&text)?;
        if mark_check.as_deref() == Some("abort") && !all && !pats {
            return Err(CliError::abort_hint(
                "conflict markers detected",
                "use --all to mark anyway",
            ));
        }
    }
    if ms.active() {
        ms.write(repo.dot_hg())?;
    }
    if !did_work && pats {
        let mut messages = vec![Message::Warn(
            b"arguments do not match paths that need resolving\n".to_vec(),
        )];
        let positionals = inv.opts.positionals.clone();
        if !positionals.iter().any(|p| p.contains(':')) {
            let path_pats: Vec<String> = positionals.iter().map(|p| format!("path:{p}")).collect();
            let req = qs_repo::status::StatusRequest {
                patterns: path_pats.iter().map(|p| p.as_bytes().to_vec()).collect(),
                ..request.clone()
            };
            let m = qs_repo::status::request_matcher(repo, &req, &mut Vec::new())?;
            if ms.files.iter().any(|(f, _)| m.matches(f)) {
                let mut flags = String::new();
                for (name, on) in [
                    ("-a ", all),
                    ("-m ", mark),
                    ("-u ", unmark),
                    ("-l ", show),
                    ("-n ", nostatus),
                    ("--re-merge ", remerge),
                ] {
                    if on {
                        flags.push_str(name);
                    }
                }
                messages.push(Message::Warn(
                    format!("(try: hg resolve {flags}{})\n", path_pats.join(" ")).into_bytes(),
                ));
            }
        }
        super::wlock::show_messages(&mut inv.ui, &messages)?;
    }
    if ms.unresolved().is_empty() {
        inv.ui.status("(no more unresolved files)\n")?;
        if inv.ui.verbose() {
            // hg's `howtocontinue`: a commit is the next step when the
            // working directory has changes.
            let st = qs_repo::status::status(repo, &Default::default(), &mut Vec::new())?;
            if !(st.modified.is_empty()
                && st.added.is_empty()
                && st.removed.is_empty()
                && st.deleted.is_empty())
            {
                inv.ui.write(b"continue: hg commit\n")?;
            }
        }
    }
    Ok(ret)
}
