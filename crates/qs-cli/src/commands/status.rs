//! `qs status`: show changed files in the working directory, as hg
//! prints them (`M a`, `A b`, ... in the order `MAR!?IC`), with the
//! state filters, `-n`, `-0`, `-C`, patterns, `-I`/`-X` and hg's rules
//! for relative paths.

use qs_repo::revspec;
use qs_repo::status::{Status, StatusRequest};
use qs_store::Revision;

use super::{require, unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;
use crate::paths::RelativePaths;

pub const COMMAND: CommandDef = CommandDef {
    name: "status",
    aliases: &["st"],
    synopsis: "status [OPTION]... [FILE]...",
    summary: "show changed files in the working directory",
    options: &[
        OptSpec::flag(Some('A'), "all", "show status of all files"),
        OptSpec::flag(Some('m'), "modified", "show only modified files"),
        OptSpec::flag(Some('a'), "added", "show only added files"),
        OptSpec::flag(Some('r'), "removed", "show only removed files"),
        OptSpec::flag(Some('d'), "deleted", "show only missing files"),
        OptSpec::flag(Some('c'), "clean", "show only files without changes"),
        OptSpec::flag(
            Some('u'),
            "unknown",
            "show only unknown (not tracked) files",
        ),
        OptSpec::flag(Some('i'), "ignored", "show only ignored files"),
        OptSpec::flag(Some('n'), "no-status", "hide status prefix"),
        OptSpec::value(
            Some('t'),
            "terse",
            "TERSE",
            "show the terse output (EXPERIMENTAL)",
        ),
        OptSpec::flag(
            Some('C'),
            "copies",
            "show source of copied files (DEFAULT: ui.statuscopies)",
        ),
        OptSpec::flag(
            Some('0'),
            "print0",
            "end filenames with NUL, for use with xargs",
        ),
        OptSpec::list(None, "rev", "REV", "show difference from revision"),
        OptSpec::value(
            None,
            "change",
            "REV",
            "list the changed files of a revision",
        ),
        super::add::WALK_OPTS[0],
        super::add::WALK_OPTS[1],
        OptSpec::flag(Some('S'), "subrepos", "recurse into subrepositories"),
        TEMPLATE_OPT,
    ],
    max_args: None,
    paged: true,
    repo: RepoNeed::Required,
    run,
};

/// The states in hg's output order, with their letter and label.
const STATES: [(&str, u8, &str); 7] = [
    ("modified", b'M', "status.modified"),
    ("added", b'A', "status.added"),
    ("removed", b'R', "status.removed"),
    ("deleted", b'!', "status.deleted"),
    ("unknown", b'?', "status.unknown"),
    ("ignored", b'I', "status.ignored"),
    ("clean", b'C', "status.clean"),
];

fn list<'s>(status: &'s Status, state: &str) -> &'s [Vec<u8>] {
    match state {
        "modified" => &status.modified,
        "added" => &status.added,
        "removed" => &status.removed,
        "deleted" => &status.deleted,
        "unknown" => &status.unknown,
        "ignored" => &status.ignored,
        _ => &status.clean,
    }
}

/// hg's `parsebool` on a config value (`None` when not a boolean).
fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "on" | "always" => Some(true),
        "0" | "no" | "false" | "off" | "never" => Some(false),
        _ => None,
    }
}

/// Whether paths are shown relative to the current directory (hg's
/// `getuipathfn`): `forced` wins, then `ui.relative-paths` (`legacy`, the
/// default, means `legacy`).
pub(crate) fn relative_paths(
    inv: &Invocation<'_, '_>,
    legacy: bool,
    forced: Option<bool>,
) -> CliResult<bool> {
    if let Some(forced) = forced {
        return Ok(forced);
    }
    let value = inv
        .config
        .get_str("ui", "relative-paths")
        .unwrap_or_else(|| "legacy".to_string());
    if value == "legacy" {
        return Ok(legacy);
    }
    parse_bool(&value)
        .ok_or_else(|| config_error(&format!("ui.relative-paths is not a boolean ('{value}')")))
}

/// Which states to show, from the flags (hg's defaults: `MAR!?`, or
/// `MAR!` with `-q`).
fn shown_states(inv: &Invocation<'_, '_>) -> Vec<&'static str> {
    let quiet = inv.ui.quiet();
    let mut show: Vec<&'static str> = STATES
        .iter()
        .map(|(name, _, _)| *name)
        .filter(|name| inv.opts.flag(name))
        .collect();
    if inv.opts.flag("all") {
        if quiet {
            show.extend(["modified", "added", "removed", "deleted", "clean"]);
        } else {
            show.extend(STATES.iter().map(|(name, _, _)| *name));
        }
    }
    if show.is_empty() {
        let count = if quiet { 4 } else { 5 };
        show.extend(STATES.iter().take(count).map(|(name, _, _)| *name));
    }
    show
}

/// The `ui.ignore` and `ui.ignore.*` files, `~` and variables expanded.
pub(crate) fn extra_ignore_files(inv: &Invocation<'_, '_>) -> Vec<Vec<u8>> {
    inv.config
        .section(b"ui")
        .iter()
        .filter(|item| item.name == b"ignore" || item.name.starts_with(b"ignore."))
        .map(|item| {
            inv.config_env
                .expand(&String::from_utf8_lossy(&item.value))
                .into_bytes()
        })
        .collect()
}

/// A boolean config value (false when unset), with hg's complaint when
/// it is not a boolean.
fn config_bool(inv: &Invocation<'_, '_>, section: &str, name: &str) -> CliResult<bool> {
    inv.config
        .get_bool(section, name, false)
        .map_err(|e| config_error(&e.to_string()))
}

/// hg's `config error: ...` (exit 255, no `abort:`).
fn config_error(message: &str) -> CliError {
    CliError::Message {
        text: format!("config error: {message}\n"),
        code: 255,
    }
}

/// The revisions `--rev` / `--change` compare (hg's `revpair`): `None`
/// for the working directory against its parent, else the base and the
/// target (`None` for the working directory).
fn compared_revisions(
    inv: &Invocation<'_, '_>,
    repo: &qs_repo::Repo,
) -> CliResult<Option<(Revision, Option<Revision>)>> {
    let revs = inv.opts.list("rev");
    let change = inv.opts.value("change");
    if !revs.is_empty() && change.is_some() {
        return Err(CliError::abort("cannot specify both --rev and --change"));
    }
    if let Some(change) = change {
        let target = revspec::resolve_single(repo, change)?;
        let [base, _] = repo.parents(target)?;
        return Ok(Some((base, Some(target))));
    }
    if revs.is_empty() {
        return Ok(None);
    }
    let resolved = revspec::resolve_specs(repo, revs)?;
    let (Some(first), Some(last)) = (resolved.first(), resolved.last()) else {
        return Err(CliError::abort("empty revision range"));
    };
    let is_range = revs.len() > 1 || revs.iter().any(|r| r.contains(':'));
    if first == last && !is_range {
        return Ok(Some((*first, None)));
    }
    Ok(Some((*first, Some(*last))))
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["subrepos"])?;
    let json = match inv.opts.value("template").filter(|t| !t.is_empty()) {
        None => false,
        Some("json") => true,
        Some(_) => {
            return Err(CliError::abort_hint(
                "status templates other than -T json are not supported by qs yet",
                "use Mercurial's 'hg' for this command line",
            ))
        }
    };
    let repo = require(&inv.repo)?;
    let compared = compared_revisions(inv, repo)?;
    let revs_given = !inv.opts.list("rev").is_empty();
    let terse: Vec<u8> = match inv.opts.value("terse") {
        Some(t) => crate::context::arg_bytes(t),
        None if revs_given => Vec::new(),
        None => inv
            .config
            .get_str("commands", "status.terse")
            .map(|t| t.into_bytes())
            .unwrap_or_default(),
    };
    if revs_given && !terse.is_empty() {
        return Err(CliError::abort("cannot use --terse with --rev"));
    }
    let root = repo.root().to_path_buf();
    let cwd = {
        use std::os::unix::ffi::OsStrExt;
        match inv.cwd.strip_prefix(&root) {
            Ok(rel) => {
                let parts: Vec<&[u8]> =
                    rel.components().map(|c| c.as_os_str().as_bytes()).collect();
                parts.join(&b'/')
            }
            Err(_) => Vec::new(),
        }
    };
    let show = shown_states(inv);
    let patterns: Vec<Vec<u8>> = inv
        .opts
        .positionals
        .iter()
        .map(|a| crate::context::arg_bytes(a))
        .collect();
    let to_bytes =
        |v: &[String]| -> Vec<Vec<u8>> { v.iter().map(|a| crate::context::arg_bytes(a)).collect() };
    let mut request = StatusRequest {
        patterns: patterns.clone(),
        include: to_bytes(inv.opts.list("include")),
        exclude: to_bytes(inv.opts.list("exclude")),
        cwd,
        ignore_files: extra_ignore_files(inv),
        // Tersing needs every clean and unknown file.
        list_clean: show.contains(&"clean") || !terse.is_empty(),
        list_unknown: show.contains(&"unknown") || !terse.is_empty(),
        list_ignored: show.contains(&"ignored") || terse.contains(&b'i'),
        with_copies: false,
    };
    let forced = match inv.config.get_str("commands", "status.relative") {
        Some(_) => Some(config_bool(inv, "commands", "status.relative")?),
        None => None,
    };
    let relative = relative_paths(inv, !patterns.is_empty(), forced)?;
    let bad_relative = relative_paths(inv, true, None)?;
    let copies_config = config_bool(inv, "ui", "statuscopies")?;
    let show_copies = (inv.opts.flag("copies") || copies_config || inv.opts.flag("all"))
        && !inv.opts.flag("no-status");

    let mut warnings = Vec::new();
    let change_only = inv.opts.list("rev").is_empty();
    if compared.is_some() && show_copies && !change_only {
        return Err(CliError::abort_hint(
            "copies with --rev are not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    request.with_copies = show_copies;
    let status = match compared {
        Some((base, target)) => {
            qs_repo::status::status_against(repo, base, target, &request, &mut warnings)
        }
        None => qs_repo::status::status_recording_fixups(repo, &request, &mut warnings),
    };
    for warning in &warnings {
        inv.ui.warn(&String::from_utf8_lossy(warning))?;
    }
    let mut status = status?;
    if !terse.is_empty() {
        status = qs_repo::status::terse(status, &terse)?;
    }

    let shown = RelativePaths::new(&root, &inv.cwd);
    let display = |path: &[u8], rel: bool| -> Vec<u8> {
        if rel {
            shown.show(path)
        } else {
            path.to_vec()
        }
    };
    for (path, message) in &status.bad {
        let shown_path = display(path, bad_relative);
        inv.ui.warn(&format!(
            "{}: {message}\n",
            String::from_utf8_lossy(&shown_path)
        ))?;
    }
    let end = if inv.opts.flag("print0") {
        b'\0'
    } else {
        b'\n'
    };
    let show_char = !inv.opts.flag("no-status");
    if json {
        let mut out = b"[".to_vec();
        let mut first = true;
        for (state, letter, _) in STATES {
            if !show.contains(&state) {
                continue;
            }
            for path in list(&status, state) {
                let source = status
                    .copies
                    .iter()
                    .find(|(dest, _)| dest == path)
                    .filter(|_| show_copies)
                    .map(|(_, source)| source);
                out.extend_from_slice(if first { b"\n" } else { b",\n" });
                first = false;
                out.extend_from_slice(&json_item(path, source.map(Vec::as_slice), letter));
            }
        }
        out.extend_from_slice(b"\n]\n");
        inv.ui.write(&out)?;
        return Ok(0);
    }
    for (state, letter, label) in STATES {
        if !show.contains(&state) {
            continue;
        }
        for path in list(&status, state) {
            if show_char {
                inv.ui.write_labeled(&[letter, b' '], label)?;
            }
            let mut line = display(path, relative);
            if end == b'\0' {
                line.push(end);
                inv.ui.write_labeled(&line, label)?;
            } else {
                inv.ui.write_labeled(&line, label)?;
                inv.ui.write(&[end])?;
            }
            if !show_copies {
                continue;
            }
            if let Some((_, source)) = status.copies.iter().find(|(dest, _)| dest == path) {
                let mut copy_line = b"  ".to_vec();
                copy_line.extend_from_slice(&display(source, relative));
                if end == b'\0' {
                    copy_line.push(end);
                    inv.ui.write_labeled(&copy_line, "status.copied")?;
                } else {
                    inv.ui.write_labeled(&copy_line, "status.copied")?;
                    inv.ui.write(&[end])?;
                }
            }
        }
    }
    Ok(0)
}

/// One file as hg's JSON formatter writes it (keys sorted).
fn json_item(path: &[u8], source: Option<&[u8]>, letter: u8) -> Vec<u8> {
    use qs_repo::template::text::json_escape;
    let mut out = b" {\n  \"itemtype\": \"file\",\n  \"path\": \"".to_vec();
    out.extend_from_slice(&json_escape(path, false));
    out.extend_from_slice(b"\",\n");
    if let Some(source) = source {
        out.extend_from_slice(b"  \"source\": \"");
        out.extend_from_slice(&json_escape(source, false));
        out.extend_from_slice(b"\",\n");
    }
    out.extend_from_slice(b"  \"status\": \"");
    out.push(letter);
    out.extend_from_slice(b"\"\n }");
    out
}
