//! `qs commit` / `qs ci`: record the working directory's changes as a new
//! changeset, as hg does: the message from `-m`, `-l` or the editor (hg's
//! template text), the user from `-u`, `HGUSER`, `ui.username` or
//! `EMAIL`, the date from `-d` or the clock, `-A` (addremove first),
//! `--close-branch`, file patterns with `-I`/`-X`; "nothing changed"
//! (exit 1) when there is nothing to record; hg's head-change messages.

use std::io::Write;

use qs_repo::commit::{self, CommitInfo, Prepared};
use qs_repo::datespec::{parse_date, Bias, Formats};
use qs_repo::tracking::Message;
use qs_repo::wdirstate::WorkingDirstate;
use qs_repo::Repo;
use qs_store::phases::Phase;
use qs_store::Revision;

use super::add::WALK_OPTS;
use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

/// `-d/--date` and `-u/--user` (hg's `commitopts2`).
pub const DATE_USER_OPTS: [OptSpec; 2] = [
    OptSpec::value(
        Some('d'),
        "date",
        "DATE",
        "record the specified date as commit date",
    ),
    OptSpec::value(
        Some('u'),
        "user",
        "USER",
        "record the specified user as committer",
    ),
];

pub const COMMAND: CommandDef = CommandDef {
    name: "commit",
    aliases: &["ci"],
    synopsis: "commit [OPTION]... [FILE]...",
    summary: "commit the specified files or all outstanding changes",
    options: &[
        OptSpec::flag(
            Some('A'),
            "addremove",
            "mark new/missing files as added/removed before committing",
        ),
        OptSpec::flag(None, "close-branch", "mark a branch head as closed"),
        OptSpec::flag(
            None,
            "force-close-branch",
            "forcibly close branch from a non-head changeset (ADVANCED)",
        ),
        OptSpec::flag(None, "amend", "amend the parent of the working directory"),
        OptSpec::flag(Some('s'), "secret", "use the secret phase for committing"),
        OptSpec::flag(None, "draft", "use the draft phase for committing"),
        OptSpec::flag(Some('e'), "edit", "invoke editor on commit messages"),
        OptSpec::flag(Some('i'), "interactive", "use interactive mode"),
        WALK_OPTS[0],
        WALK_OPTS[1],
        OptSpec::value(Some('m'), "message", "TEXT", "use text as commit message"),
        OptSpec::value(
            Some('l'),
            "logfile",
            "FILE",
            "read commit message from file",
        ),
        DATE_USER_OPTS[0],
        DATE_USER_OPTS[1],
        OptSpec::flag(Some('S'), "subrepos", "recurse into subrepositories"),
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

/// The message given with `-m` or `-l` (hg's `logmessage`).
fn given_message(inv: &Invocation<'_, '_>) -> CliResult<Option<Vec<u8>>> {
    let message = inv.opts.value("message");
    let logfile = inv.opts.value("logfile");
    if message.is_some() && logfile.is_some() {
        return Err(CliError::abort(
            "cannot specify both --message and --logfile",
        ));
    }
    if let Some(m) = message.filter(|m| !m.is_empty()) {
        return Ok(Some(crate::context::arg_bytes(m)));
    }
    let Some(file) = logfile.filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    if file == "-" {
        return Err(CliError::abort_hint(
            "reading the commit message from standard input is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    let path = inv.cwd.join(file);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let lines: Vec<&[u8]> = qs_repo::util::split_lines(&bytes);
            Ok(Some(lines.join(&b'\n')))
        }
        Err(e) => Err(CliError::abort(format!(
            "can't read commit message '{file}': {}",
            qs_repo::util::strerror(&e)
        ))),
    }
}

/// The committer (hg's `ui.username`): `-u`, `HGUSER`, `ui.username`
/// (variables expanded), `EMAIL`, else the login name at the host name,
/// with hg's warning.
pub(crate) fn username(inv: &mut Invocation<'_, '_>) -> CliResult<Vec<u8>> {
    if let Some(u) = inv.opts.value("user").filter(|u| !u.is_empty()) {
        return Ok(crate::context::arg_bytes(u));
    }
    if let Some(u) = inv.env.get("HGUSER") {
        return Ok(u.as_bytes().to_vec());
    }
    if let Some(u) = inv.config.get_str("ui", "username") {
        return Ok(inv.config_env.expand(&u).into_bytes());
    }
    if let Some(u) = inv.env.get("EMAIL") {
        return Ok(u.as_bytes().to_vec());
    }
    let login = ["LOGNAME", "USER", "LNAME", "USERNAME"]
        .iter()
        .find_map(|v| inv.env.get(*v).filter(|s| !s.is_empty()).cloned());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty());
    match (login, host) {
        (Some(login), Some(host)) => {
            let user = format!("{login}@{host}");
            inv.ui
                .warn(&format!("no username found, using '{user}' instead\n"))?;
            Ok(user.into_bytes())
        }
        _ => Err(CliError::abort_hint(
            "no username supplied",
            "use 'hg config --edit' to set your username",
        )),
    }
}

/// `phases.new-commit` (`--secret` and `--draft` override it).
pub(crate) fn new_commit_phase(inv: &Invocation<'_, '_>) -> CliResult<Phase> {
    if inv.opts.flag("secret") {
        return Ok(Phase::Secret);
    }
    if inv.opts.flag("draft") {
        return Ok(Phase::Draft);
    }
    configured_new_commit_phase(inv)
}

/// The `phases.new-commit` setting (draft when unset), refused like hg
/// when it names no phase.
pub fn configured_new_commit_phase(inv: &Invocation<'_, '_>) -> CliResult<Phase> {
    let Some(value) = inv.config.get_str("phases", "new-commit") else {
        return Ok(Phase::Draft);
    };
    let v = value.trim().to_ascii_lowercase();
    let phase = match v.as_str() {
        "public" | "0" => Phase::Public,
        "draft" | "1" => Phase::Draft,
        "secret" | "2" => Phase::Secret,
        _ => {
            return Err(CliError::Message {
                text: format!(
                    "config error: phases.new-commit: not a valid phase name ('{value}')\n"
                ),
                code: 255,
            })
        }
    };
    Ok(phase)
}

/// hg's `buildcommittext`: what the editor starts with.
pub(crate) fn editor_text(
    repo: &Repo,
    prepared: &Prepared,
    message: &[u8],
    user: &[u8],
) -> CliResult<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    if !message.is_empty() {
        lines.push(message.to_vec());
    }
    lines.push(Vec::new());
    lines.push(Vec::new());
    lines.push(b"HG: Enter commit message.  Lines beginning with 'HG:' are removed.".to_vec());
    lines.push(b"HG: Leave message empty to abort commit.".to_vec());
    lines.push(b"HG: --".to_vec());
    lines.push([b"HG: user: ".as_slice(), user].concat());
    if !prepared.p2.is_null() {
        lines.push(b"HG: branch merge".to_vec());
    }
    lines.push([b"HG: branch '".as_slice(), &prepared.branch, b"'"].concat());
    let marks = repo.bookmarks()?;
    if let Some(active) = &marks.active {
        let parent = repo.node(prepared.p1)?;
        if marks.get(active) == Some(parent) {
            lines.push([b"HG: bookmark '".as_slice(), active, b"'"].concat());
        }
    }
    let st = &prepared.status;
    for (what, list) in [
        ("added", &st.added),
        ("changed", &st.modified),
        ("removed", &st.removed),
    ] {
        for f in list {
            lines.push([format!("HG: {what} ").as_bytes(), f.as_slice()].concat());
        }
    }
    if st.added.is_empty() && st.modified.is_empty() && st.removed.is_empty() {
        lines.push(b"HG: no files changed".to_vec());
    }
    lines.push(Vec::new());
    Ok(lines.join(&b'\n'))
}

/// hg's `geteditor`: `HGEDITOR`, `ui.editor`, `VISUAL`, `EDITOR`, `vi`.
fn editor_command(inv: &Invocation<'_, '_>) -> String {
    inv.env
        .get("HGEDITOR")
        .filter(|e| !e.is_empty())
        .cloned()
        .or_else(|| inv.config.get_str("ui", "editor"))
        .or_else(|| inv.env.get("VISUAL").cloned())
        .or_else(|| inv.env.get("EDITOR").cloned())
        .unwrap_or_else(|| "vi".to_string())
}

/// Runs the editor on `text` (in the repository root, with `HGUSER` and
/// `HGEDITFORM` set as hg does) and returns what it saved, `HG:` lines
/// removed; refuses an empty message.
pub(crate) fn run_editor(
    inv: &Invocation<'_, '_>,
    repo: &Repo,
    text: &[u8],
    user: &[u8],
    editform: &str,
) -> CliResult<Vec<u8>> {
    let tmp_dir = inv.env.get("TMPDIR").map_or_else(
        || std::path::PathBuf::from("/tmp"),
        std::path::PathBuf::from,
    );
    let path = create_editor_file(&tmp_dir, text)?;
    let _cleanup = RemoveOnDrop(path.clone());
    let editor = editor_command(inv);
    let status = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("{editor} \"{}\"", path.display()))
        .current_dir(repo.root())
        .env_clear()
        .envs(inv.env.iter())
        .env(
            "HGUSER",
            std::ffi::OsStr::new(&String::from_utf8_lossy(user).into_owned()),
        )
        .env("HGEDITFORM", editform)
        .status()
        .map_err(|e| CliError::abort(format!("edit failed: {e}")))?;
    if !status.success() {
        let program = editor.split_whitespace().next().unwrap_or("");
        let base = program.rsplit('/').next().unwrap_or(program);
        let why = match status.code() {
            Some(code) => format!("exited with status {code}"),
            None => {
                use std::os::unix::process::ExitStatusExt;
                format!("killed by signal {}", status.signal().unwrap_or(0))
            }
        };
        return Err(CliError::abort(format!("edit failed: {base} {why}")));
    }
    let edited = std::fs::read(&path).map_err(|e| {
        CliError::abort(format!(
            "{}: '{}'",
            qs_repo::util::strerror(&e),
            path.display()
        ))
    })?;
    let mut kept = Vec::new();
    for line in edited.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"HG: ------------------------ >8 ------------------------") {
            break;
        }
        if !line.starts_with(b"HG:") {
            kept.extend_from_slice(line);
        }
    }
    if kept.trim_ascii().is_empty() {
        return Err(CliError::abort("empty commit message"));
    }
    Ok(kept)
}

/// Deletes the editor's file whatever happens.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Creates `hg-editor-XXXXXX.commit.hg.txt` in `dir` holding `text`.
fn create_editor_file(dir: &std::path::Path, text: &[u8]) -> CliResult<std::path::PathBuf> {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for attempt in 0..100u32 {
        let name = format!(
            "hg-editor-{:06x}{:x}.commit.hg.txt",
            seed.wrapping_add(attempt) & 0xff_ffff,
            std::process::id()
        );
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text)
                    .map_err(|e| CliError::abort(format!("cannot write editor file: {e}")))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(CliError::abort(format!("cannot create editor file: {e}"))),
        }
    }
    Err(CliError::abort("cannot create editor file"))
}

/// hg's `future_head_change`: "created new head" and "reopening closed
/// branch head N" decided before committing.
fn head_change(
    repo: &Repo,
    parents: [Revision; 2],
    branch: &[u8],
    closing: bool,
) -> CliResult<(bool, Vec<Revision>)> {
    let map = repo.branchmap()?;
    let heads = map.get(branch);
    let mut has_head_parent = false;
    let mut reopen = Vec::new();
    for p in parents {
        if p.is_null() {
            continue;
        }
        let info = &repo.branch_infos()?[p.0 as usize];
        if info.branch == branch {
            if info.closed {
                reopen.push(p);
            }
            if heads.is_some_and(|h| h.heads.iter().any(|(r, closed)| *r == p && !closed)) {
                has_head_parent = true;
            }
        }
    }
    if closing {
        reopen.clear();
    }
    let open = heads.is_some_and(|h| !h.is_closed());
    Ok((!has_head_parent && open, reopen))
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    super::unsupported_options(
        inv,
        &["amend", "interactive", "subrepos", "force-close-branch"],
    )?;
    // hg's `checkunfinished`: an interrupted update leaves `updatestate`.
    if require(&inv.repo)?.dot_hg().join("updatestate").exists() {
        return Err(CliError::abort_hint(
            "last update was interrupted",
            "use 'hg update' to get a consistent checkout",
        ));
    }
    let date = match inv.opts.value("date").filter(|d| !d.is_empty()) {
        Some(spec) => {
            let repo = require(&inv.repo)?;
            Some(parse_date(
                &crate::context::arg_bytes(spec),
                Formats::Default,
                &Bias::default(),
                &repo.clock(),
            )?)
        }
        None => None,
    };
    let _wlock = super::wlock::take_wlock(inv)?;
    let _store_lock = super::wlock::take_store_lock(inv)?;
    let given = given_message(inv)?;
    let request = {
        let repo = require(&inv.repo)?;
        super::wlock::request(inv, repo)
    };
    let close = inv.opts.flag("close-branch");
    let phase = new_commit_phase(inv)?;
    let report_heads =
        super::wlock::config_bool(inv, "commands", "commit.report-head-changes", true)?;
    let allow_empty = super::wlock::config_bool(inv, "ui", "allowemptycommit", false)?;
    let portability = super::wlock::portability(inv)?;
    let large_file_limit = super::wlock::large_file_limit(inv);
    let repo = require(&inv.repo)?;
    let mut messages: Vec<Message> = Vec::new();
    let mut ds = WorkingDirstate::load(repo)?;
    let before = ds.map.clone();
    let matcher = qs_repo::tracking::matcher(repo, &trackless(&request), &mut messages);
    super::wlock::show_messages(&mut inv.ui, &std::mem::take(&mut messages))?;
    let matcher = matcher?;
    if inv.opts.flag("addremove") {
        addremove_first(
            &mut inv.ui,
            &inv.cwd,
            portability,
            large_file_limit,
            repo,
            &request,
            &mut ds,
        )?;
    }
    let prepared = commit::prepare(repo, &mut ds, &request, &matcher, &mut messages);
    super::wlock::show_messages(&mut inv.ui, &std::mem::take(&mut messages))?;
    // hg's status records the clean files it had to compare at once,
    // whatever happens to the commit afterwards.
    // (With -A, hg drops every dirstate change when the commit fails.)
    let addremove = inv.opts.flag("addremove");
    if !addremove && !ds.unchanged_since(&before) {
        ds.write(repo)?;
    }
    let prepared = prepared?;
    let p1_branch_head_change = if report_heads {
        Some(head_change(
            repo,
            [prepared.p1, prepared.p2],
            &prepared.branch,
            close,
        )?)
    } else {
        None
    };
    if close {
        check_close(repo, &prepared)?;
    }
    if prepared.is_empty(repo, close)? && !allow_empty {
        if addremove && !ds.unchanged_since(&before) {
            ds.write(repo)?;
        }
        let deleted = prepared.status.deleted.len();
        if deleted > 0 {
            inv.ui.status(&format!(
                "nothing changed ({deleted} missing files, see 'hg status')\n"
            ))?;
        } else {
            inv.ui.status("nothing changed\n")?;
        }
        return Ok(1);
    }
    // The user is asked for before the editor runs, as hg does.
    let user = username(inv)?;
    let repo = require(&inv.repo)?;
    let message = match given {
        Some(m) if !inv.opts.flag("edit") => m,
        other => {
            let text = editor_text(repo, &prepared, other.as_deref().unwrap_or(b""), &user)?;
            run_editor(inv, repo, &text, &user, "commit.normal.normal")?
        }
    };
    let info = CommitInfo {
        message,
        user,
        date: date.unwrap_or_else(|| repo.clock().makedate()),
        close_branch: close,
        phase,
    };
    let committed = write_changeset(inv, &mut ds, &prepared, &info, &_store_lock)?;
    if let Some((new_head, reopen)) = p1_branch_head_change {
        if new_head {
            inv.ui.status("created new head\n")?;
        }
        for r in reopen {
            inv.ui
                .status(&format!("reopening closed branch head {r}\n"))?;
        }
    }
    if inv.ui.debug_flag() {
        inv.ui.write_str(&format!(
            "committed changeset {}:{}\n",
            committed.rev,
            committed.node.hex()
        ))?;
    } else if inv.ui.verbose() {
        inv.ui.write_str(&format!(
            "committed changeset {}:{}\n",
            committed.rev,
            committed.node.short()
        ))?;
    }
    Ok(0)
}

/// Writes the changeset (hg's `localrepo.commit` once the message is
/// known): the message saved to `last-message.txt` first, then the
/// commit, its notes shown (`-v`) and warnings.
pub(crate) fn write_changeset(
    inv: &mut Invocation<'_, '_>,
    ds: &mut WorkingDirstate,
    prepared: &Prepared,
    info: &CommitInfo,
    store_lock: &qs_store::lock::Lock,
) -> CliResult<commit::Committed> {
    let repo = require(&inv.repo)?;
    std::fs::write(repo.dot_hg().join("last-message.txt"), &info.message)
        .map_err(|e| CliError::abort(format!("cannot write last-message.txt: {e}")))?;
    let mut notes = Vec::new();
    let result = commit::commit(repo, ds, prepared, info, store_lock, &mut notes);
    super::wlock::show_notes(&mut inv.ui, &notes)?;
    Ok(result?)
}

/// `-A`: hg's addremove (no rename detection) before committing.
fn addremove_first(
    ui: &mut crate::ui::Ui<'_>,
    cwd: &std::path::Path,
    portability: qs_repo::tracking::Portability,
    large_file_limit: u64,
    repo: &Repo,
    request: &qs_repo::status::StatusRequest,
    ds: &mut WorkingDirstate,
) -> CliResult<()> {
    let any_patterns =
        !(request.patterns.is_empty() && request.include.is_empty() && request.exclude.is_empty());
    let shown = crate::paths::RelativePaths::new(repo.root(), cwd);
    let rel = |p: &[u8]| shown.show(p);
    let same = |p: &[u8]| p.to_vec();
    let opts = qs_repo::tracking::TrackOptions {
        request: request.clone(),
        verbose: ui.verbose(),
        dry_run: false,
        display: qs_repo::tracking::PathDisplay {
            ui: if any_patterns { &rel } else { &same },
            cwd: &rel,
        },
        portability,
        large_file_limit,
        remove_empty_dirs: true,
    };
    let mut messages = Vec::new();
    let result = qs_repo::tracking::addremove(repo, ds, 0.0, &opts, &mut messages);
    super::wlock::show_messages(ui, &messages)?;
    if result? {
        return Err(CliError::abort(
            "failed to mark all new/missing files as added/removed",
        ));
    }
    Ok(())
}

/// The request as the matcher needs it (tracking options without display).
fn trackless(request: &qs_repo::status::StatusRequest) -> qs_repo::tracking::TrackOptions<'static> {
    fn same(p: &[u8]) -> Vec<u8> {
        p.to_vec()
    }
    qs_repo::tracking::TrackOptions {
        request: request.clone(),
        verbose: false,
        dry_run: false,
        display: qs_repo::tracking::PathDisplay {
            ui: &same,
            cwd: &same,
        },
        portability: qs_repo::tracking::Portability::Warn,
        large_file_limit: 0,
        remove_empty_dirs: true,
    }
}

/// hg's checks of `--close-branch`.
fn check_close(repo: &Repo, prepared: &Prepared) -> CliResult<()> {
    let p1 = prepared.p1;
    let branch = &prepared.branch;
    let st = &prepared.status;
    let dirty = !(st.modified.is_empty() && st.added.is_empty() && st.removed.is_empty());
    let infos = repo.branch_infos()?;
    let p1_info = (!p1.is_null()).then(|| &infos[p1.0 as usize]);
    if p1_info.is_some_and(|i| i.closed) && !dirty {
        return Err(CliError::abort(
            "current revision is already a branch closing head",
        ));
    }
    let map = repo.branchmap()?;
    let heads = map.get(branch.as_slice());
    let open = heads.is_some_and(|h| !h.is_closed());
    if !(dirty || open) {
        return Err(CliError::abort(format!(
            "branch \"{}\" has no heads to close",
            String::from_utf8_lossy(branch)
        )));
    }
    let p1_branch = p1_info.map_or(&b"default"[..], |i| i.branch.as_slice());
    let is_head = heads.is_some_and(|h| {
        h.heads
            .iter()
            .any(|(r, closed)| *r == p1 && (dirty || !closed))
    });
    if p1_branch == branch.as_slice() && !is_head {
        return Err(CliError::abort_hint(
            "can only close branch heads",
            "use --force-close-branch to close branch from a non-head changeset",
        ));
    }
    Ok(())
}
