//! The command table: one module per command, each exporting a
//! [`CommandDef`] (name, aliases, options, repository need, runner).
//! Lookup follows hg: exact names and aliases first, then a unique prefix
//! among every command hg has, so that `qs lo` is as ambiguous as `hg lo`.

use std::collections::HashMap;
use std::path::PathBuf;

use qs_repo::Repo;

use crate::error::{CliError, CliResult};
use crate::opts::{OptSpec, ParsedOpts};
use crate::ui::Ui;

pub mod add;
pub mod addremove;
pub mod bisect;
pub mod bookmarks;
pub mod branch;
pub mod branches;
pub mod cat;
pub mod commit;
pub mod config;
pub mod copy;
pub mod debugdate;
pub mod diff;
pub mod files;
pub mod forget;
pub mod heads;
pub mod help;
pub mod identify;
pub mod log;
pub mod manifest;
pub mod merge;
pub mod parents;
pub mod paths;
pub mod phase;
pub mod recover;
pub mod remove;
pub mod rename;
pub mod resolve;
pub mod revert;
pub mod root;
pub mod status;
pub mod summary;
pub mod tag;
pub mod tags;
pub mod update;
pub mod verify;
pub mod version;
pub mod wlock;

/// Whether a command needs a repository (hg's norepo / optionalrepo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepoNeed {
    None,
    Optional,
    Required,
    /// A repository is required but not opened: its root is found and its
    /// requirements checked, nothing of the store is read (for `recover`,
    /// which must work on a store an interrupted write left damaged).
    RootOnly,
}

/// Everything a command receives.
pub struct Invocation<'u, 'p> {
    pub ui: Ui<'u>,
    pub opts: ParsedOpts,
    pub cwd: PathBuf,
    pub env: &'p HashMap<String, String>,
    pub config: qs_config::Config,
    /// The repository root, for [`RepoNeed::RootOnly`] commands.
    pub root: Option<PathBuf>,
    /// What configuration loading saw (environment, install prefix).
    pub config_env: qs_config::Environment,
    pub repo: Option<Repo>,
}

impl Invocation<'_, '_> {
    /// The repository of a command declared `RepoNeed::Required`.
    pub fn repo(&self) -> CliResult<&Repo> {
        require(&self.repo)
    }
}

/// The one revision given as `-r REV` or as the argument, if any (hg's
/// "please specify just one revision" when both are).
pub fn rev_or_argument(inv: &Invocation<'_, '_>) -> CliResult<Option<String>> {
    let rev_opt = inv
        .opts
        .value("rev")
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let node_arg = inv.opts.positionals.first().cloned();
    if rev_opt.is_some() && node_arg.is_some() {
        return Err(CliError::abort("please specify just one revision"));
    }
    Ok(rev_opt.or(node_arg))
}

/// The opened repository, borrowed alone so `inv.ui` stays usable.
pub fn require(repo: &Option<Repo>) -> CliResult<&Repo> {
    repo.as_ref()
        .ok_or_else(|| CliError::abort("no repository found (.hg not found)"))
}

/// Evaluates `-r` values as one revset query (their union, in order) with
/// the `[revsetalias]` definitions of `config`, as hg does for every `-r`.
pub fn resolve_revs(
    config: &qs_config::Config,
    repo: &Repo,
    specs: &[String],
) -> CliResult<Vec<qs_store::Revision>> {
    let aliases = revset_aliases(config);
    Ok(qs_repo::revspec::resolve_specs_with_aliases(
        repo, specs, &aliases,
    )?)
}

/// The `[revsetalias]` items (declaration, definition) of `config`.
pub fn revset_aliases(config: &qs_config::Config) -> Vec<(Vec<u8>, Vec<u8>)> {
    config
        .section(b"revsetalias")
        .iter()
        .map(|item| (item.name.clone(), item.value.clone()))
        .collect()
}

/// The definition of one command.
pub struct CommandDef {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub synopsis: &'static str,
    pub summary: &'static str,
    pub options: &'static [OptSpec],
    /// The most positional arguments the command takes (`None`: any).
    pub max_args: Option<usize>,
    /// Whether output goes through the pager on a terminal (as hg's
    /// `ui.pager(...)` calls).
    pub paged: bool,
    pub repo: RepoNeed,
    pub run: fn(&mut Invocation<'_, '_>) -> CliResult<i32>,
}

/// Every command `qs` implements.
pub const COMMANDS: &[&CommandDef] = &[
    &add::COMMAND,
    &addremove::COMMAND,
    &bisect::COMMAND,
    &bookmarks::COMMAND,
    &branch::COMMAND,
    &branches::COMMAND,
    &cat::COMMAND,
    &commit::COMMAND,
    &config::COMMAND,
    &copy::COMMAND,
    &debugdate::COMMAND,
    &diff::COMMAND,
    &files::COMMAND,
    &forget::COMMAND,
    &heads::COMMAND,
    &help::COMMAND,
    &identify::COMMAND,
    &log::COMMAND,
    &manifest::COMMAND,
    &merge::COMMAND,
    &parents::COMMAND,
    &paths::COMMAND,
    &phase::COMMAND,
    &recover::COMMAND,
    &remove::COMMAND,
    &rename::COMMAND,
    &resolve::COMMAND,
    &revert::COMMAND,
    &root::COMMAND,
    &status::COMMAND,
    &summary::COMMAND,
    &tag::COMMAND,
    &tags::COMMAND,
    &update::COMMAND,
    &verify::COMMAND,
    &version::COMMAND,
];

/// Every command name and alias of hg 7.2 (without extensions), so that
/// prefix matching and "not supported yet" answers agree with hg.
const HG_COMMANDS: &[&[&str]] = &[
    &["abort"],
    &["add"],
    &["addremove"],
    &["annotate", "blame"],
    &["archive"],
    &["backout"],
    &["bisect"],
    &["bookmarks", "bookmark"],
    &["branch"],
    &["branches"],
    &["bundle"],
    &["cat"],
    &["clone"],
    &["commit", "ci"],
    &["config", "showconfig", "debugconfig"],
    &["continue"],
    &["copy", "cp"],
    &["diff"],
    &["export"],
    &["files"],
    &["forget"],
    &["graft"],
    &["grep"],
    &["heads"],
    &["help"],
    &["identify", "id"],
    &["import", "patch"],
    &["incoming", "in"],
    &["init"],
    &["locate"],
    &["log", "history"],
    &["manifest"],
    &["merge"],
    &["outgoing", "out"],
    &["parents"],
    &["paths"],
    &["phase"],
    &["pull"],
    &["purge", "clean"],
    &["push"],
    &["recover"],
    &["remove", "rm"],
    &["rename", "move", "mv"],
    &["resolve"],
    &["revert"],
    &["rollback"],
    &["root"],
    &["serve"],
    &["shelve"],
    &["status", "st"],
    &["summary", "sum"],
    &["tag"],
    &["tags"],
    &["tip"],
    &["unbundle"],
    &["unshelve"],
    &["update", "up", "checkout", "co"],
    &["verify"],
    &["version"],
];

/// The outcome of looking a command word up.
pub enum Lookup {
    Found(&'static CommandDef),
    /// An hg command qs does not implement yet (its full name).
    Unsupported(String),
    Ambiguous(Vec<String>),
    Unknown,
}

fn implemented(full_name: &str) -> Option<&'static CommandDef> {
    COMMANDS.iter().copied().find(|d| d.name == full_name)
}

/// Resolves a command word: exact name or alias, else unique prefix.
pub fn lookup(word: &str) -> Lookup {
    let resolve = |names: &[&str]| match implemented(names[0]) {
        Some(def) => Lookup::Found(def),
        None => Lookup::Unsupported(names[0].to_string()),
    };
    if let Some(names) = HG_COMMANDS.iter().find(|n| n.contains(&word)) {
        return resolve(names);
    }
    // Debug commands (not in the table above) are found by full name.
    if let Some(def) = implemented(word).filter(|d| d.name.starts_with("debug")) {
        return Lookup::Found(def);
    }
    let mut matches: Vec<&[&str]> = HG_COMMANDS
        .iter()
        .copied()
        .filter(|names| names.iter().any(|n| n.starts_with(word)))
        .collect();
    matches.dedup();
    match matches.len() {
        0 if word.starts_with("debug") => Lookup::Unsupported(word.to_string()),
        0 => Lookup::Unknown,
        1 => resolve(matches[0]),
        _ => {
            let mut names: Vec<String> = matches.iter().map(|n| n[0].to_string()).collect();
            names.sort();
            Lookup::Ambiguous(names)
        }
    }
}

/// `-T/--template`, which most commands accept.
pub const TEMPLATE_OPT: OptSpec =
    OptSpec::value(Some('T'), "template", "TEMPLATE", "display with template");

/// Refuses options that qs parses (so hg's command lines are accepted) but
/// does not implement yet, naming the first one given.
pub fn unsupported_options(inv: &Invocation<'_, '_>, names: &[&str]) -> CliResult<()> {
    for name in names {
        if inv.opts.flag(name) || inv.opts.value(name).is_some() {
            return Err(CliError::abort_hint(
                format!("option --{name} is not supported by qs yet"),
                "use Mercurial's 'hg' for this command line",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_follows_hg() {
        assert!(matches!(lookup("root"), Lookup::Found(_)));
        assert!(matches!(lookup("versi"), Lookup::Found(_)));
        match lookup("lo") {
            Lookup::Ambiguous(c) => assert_eq!(c, ["locate", "log"]),
            _ => panic!("lo must be ambiguous"),
        }
        assert!(matches!(lookup("nosuchcmd"), Lookup::Unknown));
    }
}
