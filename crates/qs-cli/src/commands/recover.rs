//! `qs recover`: roll back a transaction that an interrupted `qs` or `hg`
//! left in the store's journal, as `hg recover` does.

use qs_store::lock::{store_lock, LockWait};
use qs_store::transaction::{recover, StoreVfs};

use super::{CommandDef, Invocation, RepoNeed};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "recover",
    aliases: &[],
    synopsis: "recover [--verify]",
    summary: "roll back an interrupted transaction",
    options: &[OptSpec::flag(
        None,
        "verify",
        "run `verify` after successful recover",
    )],
    max_args: Some(0),
    paged: false,
    repo: RepoNeed::RootOnly,
    run,
};

/// `ui.timeout` / `ui.timeout.warn`, in seconds, as hg reads them.
pub(crate) fn lock_wait(config: &qs_config::Config) -> CliResult<LockWait> {
    let seconds = |name: &str, default: u64| -> CliResult<u64> {
        match config.get_str("ui", name) {
            None => Ok(default),
            Some(text) => text.trim().parse().map_err(|_| {
                CliError::abort(format!("ui.{name} is not a valid integer ('{text}')"))
            }),
        }
    };
    Ok(LockWait {
        timeout: seconds("timeout", 600)?,
        warn_after: seconds("timeout.warn", 0)?,
    })
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let root = inv
        .root
        .clone()
        .ok_or_else(|| CliError::abort("no repository found (.hg not found)"))?;
    let dot_hg = root.join(".hg");
    let requirements = qs_store::requirements::Requirements::load(&dot_hg)?;
    let store = requirements.store_path();
    let wait = lock_wait(&inv.config)?;
    let mut lock_messages = Vec::new();
    let lock = store_lock(&store, &root, wait, &mut |m| {
        lock_messages.push(m.to_string())
    });
    for message in lock_messages {
        inv.ui.warn(&message)?;
    }
    let lock = lock?;
    if !store.join("journal").exists() {
        inv.ui.warn("no interrupted transaction available\n")?;
        return Ok(1);
    }
    inv.ui.status("rolling back interrupted transaction\n")?;
    let vfs = StoreVfs::from_requirements(&dot_hg, &requirements);
    let mut warnings = Vec::new();
    let result = recover(&lock, &vfs, &mut |m| warnings.push(m.to_string()));
    for warning in warnings {
        inv.ui.warn(&warning)?;
    }
    result?;
    drop(lock);
    if inv.opts.flag("verify") {
        // The rolled-back store must be read afresh.
        let reopened = qs_repo::Repo::open(&root)?;
        return super::verify::verify_and_report(&mut inv.ui, &reopened);
    }
    inv.ui
        .warn("(verify step skipped, run `hg verify` to check your repository content)\n")?;
    Ok(0)
}
