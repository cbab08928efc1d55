//! `qs revert`: restore files to their content in the working
//! directory's parent or in `-r REV`, with hg's refusals (no file named,
//! uncommitted merge), messages, `.orig` backups (`-C` to skip them,
//! `ui.origbackuppath`), `-n`, `-I`/`-X`, `-d DATE`.

use qs_repo::revert::{self, RevertOptions};
use qs_repo::revspec;
use qs_repo::tracking::Message;
use qs_repo::wdirstate::WorkingDirstate;

use super::add::{DRY_RUN_OPT, WALK_OPTS};
use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;
use crate::paths::RelativePaths;

pub const COMMAND: CommandDef = CommandDef {
    name: "revert",
    aliases: &[],
    synopsis: "revert [OPTION]... [-r REV] [NAME]...",
    summary: "restore files to their checkout state",
    options: &[
        OptSpec::flag(
            Some('a'),
            "all",
            "revert all changes when no arguments given",
        ),
        OptSpec::value(Some('d'), "date", "DATE", "tipmost revision matching date"),
        OptSpec::value(Some('r'), "rev", "REV", "revert to the specified revision"),
        OptSpec::flag(Some('C'), "no-backup", "do not save backup copies of files"),
        OptSpec::flag(Some('i'), "interactive", "interactively select the changes"),
        WALK_OPTS[0],
        WALK_OPTS[1],
        DRY_RUN_OPT,
    ],
    max_args: None,
    paged: false,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let mut rev = inv
        .opts
        .value("rev")
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if let Some(date) = inv
        .opts
        .value("date")
        .filter(|d| !d.is_empty())
        .map(str::to_string)
    {
        if rev.is_some() {
            return Err(CliError::abort("cannot specify both --date and --rev"));
        }
        rev = Some(find_date(inv, &date)?.to_string());
    }
    let rev = rev.as_deref();
    let repo = require(&inv.repo)?;
    let ds = WorkingDirstate::load(repo)?;
    let merging = !ds.map.parents.1.is_null();
    if rev.is_none() && merging {
        return Err(CliError::abort_hint(
            "uncommitted merge with no revision specified",
            "use 'hg update' or see 'hg help revert'",
        ));
    }
    let target = revspec::resolve_single(repo, rev.unwrap_or("."))?;
    let named = !inv.opts.positionals.is_empty()
        || !inv.opts.list("include").is_empty()
        || !inv.opts.list("exclude").is_empty();
    if !(named || inv.opts.flag("all") || inv.opts.flag("interactive")) {
        return Err(no_files_error(repo, target, merging)?);
    }
    super::unsupported_options(inv, &["interactive"])?;
    let _wlock = super::wlock::take_wlock(inv)?;
    let remove_empty_dirs =
        super::wlock::config_bool(inv, "experimental", "removeemptydirs", true)?;
    let orig_backup_path = inv
        .config
        .get_str("ui", "origbackuppath")
        .filter(|p| !p.is_empty())
        .map(|p| crate::context::arg_bytes(&p));
    // hg's `getuipathfn(legacyrelativevalue=True)`.
    let relative = super::status::relative_paths(inv, true, None)?;
    let repo = require(&inv.repo)?;
    let shown = RelativePaths::new(repo.root(), &inv.cwd);
    let rel = |p: &[u8]| {
        if relative {
            shown.show(p)
        } else {
            p.to_vec()
        }
    };
    let opts = RevertOptions {
        request: super::wlock::request(inv, repo),
        target,
        no_backup: inv.opts.flag("no-backup"),
        dry_run: inv.opts.flag("dry-run"),
        verbose: inv.ui.verbose(),
        ui_path: &rel,
        orig_backup_path,
        remove_empty_dirs,
    };
    // Read again under the wlock.
    let mut ds = WorkingDirstate::load(repo)?;
    let before = ds.map.clone();
    let mut messages: Vec<Message> = Vec::new();
    let result = revert::revert(repo, &mut ds, &opts, &mut messages);
    super::wlock::show_messages(&mut inv.ui, &messages)?;
    result?;
    if !ds.unchanged_since(&before) {
        ds.write(repo)?;
    }
    Ok(0)
}

/// hg's `finddate`: the tipmost revision matching the date
/// specification, announced on stdout.
fn find_date(inv: &mut Invocation<'_, '_>, date: &str) -> CliResult<qs_store::Revision> {
    use qs_lang::revset::{format_spec, SpecArg};
    let spec = format_spec(
        b"date(%s)",
        &[SpecArg::Str(&crate::context::arg_bytes(date))],
    )
    .map_err(|e| CliError::abort(e.to_string()))?;
    let repo = require(&inv.repo)?;
    let revs = super::resolve_revs(
        &inv.config,
        repo,
        &[String::from_utf8_lossy(&spec).into_owned()],
    )?;
    let Some(&rev) = revs.iter().max() else {
        return Err(CliError::abort("revision matching date not found"));
    };
    let date = repo.changeset(rev)?.date;
    inv.ui.status(&format!(
        "found revision {rev} from {}\n",
        qs_repo::datespec::datestr(date.seconds, date.offset)
    ))?;
    Ok(rev)
}

/// hg's refusal when no file is named, with the hint fitting the state.
fn no_files_error(
    repo: &qs_repo::Repo,
    target: qs_store::Revision,
    merging: bool,
) -> CliResult<CliError> {
    let message = "no files or directories specified";
    if merging {
        return Ok(CliError::abort_hint(
            message,
            "uncommitted merge, use --all to discard all changes, \
             or 'hg update -C .' to abort the merge",
        ));
    }
    // hg's full status (which records the clean files it compared).
    let request = qs_repo::status::StatusRequest::default();
    let st = qs_repo::status::status_recording_fixups(repo, &request, &mut Vec::new())?;
    let dirty = !(st.modified.is_empty()
        && st.added.is_empty()
        && st.removed.is_empty()
        && st.deleted.is_empty());
    let hint = if target != repo.working_parent()? {
        if dirty {
            format!(
                "uncommitted changes, use --all to discard all changes, \
                 or 'hg update {target}' to update"
            )
        } else {
            format!("use --all to revert all files, or 'hg update {target}' to update")
        }
    } else if dirty {
        "uncommitted changes, use --all to discard all changes".to_string()
    } else {
        "use --all to revert all files".to_string()
    };
    Ok(CliError::abort_hint(message, hint))
}
