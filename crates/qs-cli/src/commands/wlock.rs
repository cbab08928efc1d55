//! What the commands that change the working directory share: taking
//! hg's locks with their waiting messages, the tracking options built
//! from the command line and configuration, and showing the messages the
//! `qs-repo` operations collect.

use qs_repo::status::StatusRequest;
use qs_repo::tracking::{Message, Portability};
use qs_repo::Repo;
use qs_store::lock::Lock;

use super::Invocation;
use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Takes `.hg/wlock`, showing hg's waiting messages.
pub fn take_wlock(inv: &mut Invocation<'_, '_>) -> CliResult<Lock> {
    let repo = super::require(&inv.repo)?;
    wlock_of(&mut inv.ui, &inv.config, repo)
}

/// [`take_wlock`] from the parts of an invocation.
pub fn wlock_of(ui: &mut Ui<'_>, config: &qs_config::Config, repo: &Repo) -> CliResult<Lock> {
    let wait = super::recover::lock_wait(config)?;
    let mut messages = Vec::new();
    let lock = qs_store::lock::working_lock(repo.dot_hg(), repo.root(), wait, &mut |m| {
        messages.push(m.to_string())
    });
    for m in messages {
        ui.warn(&m)?;
    }
    Ok(lock?)
}

/// Takes the store lock (after the wlock), showing hg's waiting messages.
pub fn take_store_lock(inv: &mut Invocation<'_, '_>) -> CliResult<Lock> {
    let wait = super::recover::lock_wait(&inv.config)?;
    let repo = super::require(&inv.repo)?;
    let mut messages = Vec::new();
    let lock = qs_store::lock::store_lock(repo.store_path(), repo.root(), wait, &mut |m| {
        messages.push(m.to_string())
    });
    for m in messages {
        inv.ui.warn(&m)?;
    }
    Ok(lock?)
}

/// The current directory relative to the root, `/`-separated.
pub fn cwd_in_repo(inv: &Invocation<'_, '_>, repo: &Repo) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    match inv.cwd.strip_prefix(repo.root()) {
        Ok(rel) => {
            let parts: Vec<&[u8]> = rel.components().map(|c| c.as_os_str().as_bytes()).collect();
            parts.join(&b'/')
        }
        Err(_) => Vec::new(),
    }
}

/// The patterns, `-I`, `-X` and ignore files of a command line.
pub fn request(inv: &Invocation<'_, '_>, repo: &Repo) -> StatusRequest {
    let to_bytes =
        |v: &[String]| -> Vec<Vec<u8>> { v.iter().map(|a| crate::context::arg_bytes(a)).collect() };
    StatusRequest {
        patterns: to_bytes(&inv.opts.positionals),
        include: to_bytes(inv.opts.list("include")),
        exclude: to_bytes(inv.opts.list("exclude")),
        cwd: cwd_in_repo(inv, repo),
        ignore_files: super::status::extra_ignore_files(inv),
        ..StatusRequest::default()
    }
}

/// `ui.portablefilenames`, refused like hg when not understood.
pub fn portability(inv: &Invocation<'_, '_>) -> CliResult<Portability> {
    let value = inv
        .config
        .get_str("ui", "portablefilenames")
        .unwrap_or_else(|| "warn".to_string());
    let lower = value.to_ascii_lowercase();
    Ok(match lower.as_str() {
        "abort" => Portability::Abort,
        "warn" | "1" | "yes" | "true" | "on" | "always" => Portability::Warn,
        "ignore" | "0" | "no" | "false" | "off" | "never" => Portability::Ignore,
        _ => {
            return Err(CliError::Message {
                text: format!("config error: ui.portablefilenames value is invalid ('{value}')\n"),
                code: 255,
            })
        }
    })
}

/// A boolean config value with its default.
pub fn config_bool(
    inv: &Invocation<'_, '_>,
    section: &str,
    name: &str,
    default: bool,
) -> CliResult<bool> {
    inv.config
        .get_bool(section, name, default)
        .map_err(|e| CliError::Message {
            text: format!("config error: {e}\n"),
            code: 255,
        })
}

/// `ui.large-file-limit` (bytes; hg's default 10 MB).
pub fn large_file_limit(inv: &Invocation<'_, '_>) -> u64 {
    inv.config
        .get_str("ui", "large-file-limit")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(10_485_760)
}

/// Shows collected messages: status lines on stdout (not with `-q`),
/// warnings on stderr.
pub fn show_messages(ui: &mut Ui<'_>, messages: &[Message]) -> CliResult<()> {
    for m in messages {
        match m {
            Message::Status(text) => ui.status_bytes(text)?,
            Message::Warn(text) => ui.warn_bytes(text)?,
            Message::Prompt(text) => ui.write(text)?,
        }
    }
    Ok(())
}

/// Shows collected messages of which some are verbose-only notes.
pub fn show_notes(ui: &mut Ui<'_>, notes: &[(bool, Message)]) -> CliResult<()> {
    for (verbose_only, m) in notes {
        match m {
            Message::Status(text) if *verbose_only => {
                if ui.verbose() {
                    ui.write(text)?;
                }
            }
            other => show_messages(ui, std::slice::from_ref(other))?,
        }
    }
    Ok(())
}
