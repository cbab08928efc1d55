//! From argv to a finished command: early global options (`--cwd`, `-R`,
//! `--config`), command lookup (names, aliases, unique prefixes, as hg),
//! option parsing, opening the repository the command needs, running it,
//! and turning its result into output and an exit code.

use std::path::PathBuf;

use qs_repo::{discovery, Repo};

use crate::commands::{self, CommandDef, Invocation, Lookup, RepoNeed};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::opts::{self, OptSpec};
use crate::ui::{Ui, Verbosity};

/// Options every command accepts (hg's global options).
pub const GLOBAL_OPTS: &[OptSpec] = &[
    OptSpec::value(
        Some('R'),
        "repository",
        "REPO",
        "repository root directory or name of overlay bundle file",
    ),
    OptSpec::value(None, "cwd", "DIR", "change working directory"),
    OptSpec::flag(
        Some('y'),
        "noninteractive",
        "do not prompt, automatically pick the first choice for all prompts",
    ),
    OptSpec::flag(Some('q'), "quiet", "suppress output"),
    OptSpec::flag(Some('v'), "verbose", "enable additional output"),
    OptSpec::value(
        None,
        "color",
        "TYPE",
        "when to colorize (boolean, always, auto, never, or debug)",
    ),
    OptSpec::list(
        None,
        "config",
        "CONFIG",
        "set/override config option (use 'section.name=value')",
    ),
    OptSpec::flag(None, "debug", "enable debugging output"),
    OptSpec::flag(None, "debugger", "start debugger"),
    OptSpec::value(None, "encoding", "ENCODE", "set the charset encoding"),
    OptSpec::value(
        None,
        "encodingmode",
        "MODE",
        "set the charset encoding mode",
    ),
    OptSpec::flag(None, "traceback", "always print a traceback on exception"),
    OptSpec::flag(None, "time", "time how long the command takes"),
    OptSpec::flag(None, "profile", "print command execution profile"),
    OptSpec::flag(None, "version", "output version information and exit"),
    OptSpec::flag(Some('h'), "help", "display help and exit"),
    OptSpec::flag(None, "hidden", "consider hidden changesets"),
    OptSpec::value(
        None,
        "pager",
        "TYPE",
        "when to paginate (boolean, always, auto, or never)",
    ),
];

/// Runs one `qs` invocation and returns its exit code.
pub fn run(ctx: &mut Context<'_>) -> i32 {
    let Context {
        args,
        env,
        cwd,
        stdout,
        stderr,
        stdout_is_tty,
        install_prefix,
        ..
    } = ctx;
    let process = Process {
        env,
        cwd,
        stdout_is_tty: *stdout_is_tty,
        install_prefix: install_prefix.clone(),
    };
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut **stdout);
    let result = {
        let ui = Ui::new(&mut out, &mut **stderr, Verbosity::default());
        dispatch(ui, args, &process)
    };
    let _ = std::io::Write::flush(&mut out);
    drop(out);
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            let mut text = Vec::new();
            let code = report(e, &mut text);
            let _ = stderr.write_all(&text);
            code
        }
    };
    let _ = stderr.flush();
    code
}

/// The parts of the context that stay readable while the streams are lent
/// to the `Ui`.
struct Process<'p> {
    env: &'p std::collections::HashMap<String, String>,
    cwd: &'p std::path::Path,
    stdout_is_tty: bool,
    install_prefix: Option<std::path::PathBuf>,
}

/// Writes an error the way hg does and returns the exit code.
fn report(error: CliError, err: &mut Vec<u8>) -> i32 {
    match error {
        CliError::Abort { message, hint } => {
            err.extend_from_slice(format!("abort: {message}\n").as_bytes());
            if let Some(h) = hint {
                err.extend_from_slice(format!("({h})\n").as_bytes());
            }
            255
        }
        CliError::Message { text, code } => {
            err.extend_from_slice(text.as_bytes());
            code
        }
        CliError::Bytes { bytes, code } => {
            err.extend_from_slice(&bytes);
            code
        }
        CliError::Exit(code) => code,
        CliError::BrokenPipe => 255,
    }
}

/// Early options: those needed before the command is known.
struct Early {
    cwd: Option<String>,
    repository: Option<String>,
    configs: Vec<String>,
}

/// Scans argv for `--cwd`, `-R/--repository` and `--config` anywhere before
/// `--`, as hg's early option parsing does.
fn early_options(args: &[String]) -> Early {
    let mut early = Early {
        cwd: None,
        repository: None,
        configs: Vec::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            break;
        }
        let take = |name: &str| -> Option<(String, usize)> {
            if arg == name {
                args.get(i + 1).map(|v| (v.clone(), 2))
            } else {
                arg.strip_prefix(&format!("{name}="))
                    .map(|v| (v.to_string(), 1))
            }
        };
        if let Some((v, n)) = take("--cwd") {
            early.cwd = Some(v);
            i += n;
        } else if let Some((v, n)) = take("--repository").or_else(|| take("--repo")) {
            early.repository = Some(v);
            i += n;
        } else if let Some((v, n)) = take("--config") {
            early.configs.push(v);
            i += n;
        } else if arg == "-R" {
            if let Some(v) = args.get(i + 1) {
                early.repository = Some(v.clone());
            }
            i += 2;
        } else if let Some(v) = arg.strip_prefix("-R").filter(|v| !v.is_empty()) {
            early.repository = Some(v.to_string());
            i += 1;
        } else {
            i += 1;
        }
    }
    early
}

fn dispatch(mut ui: Ui<'_>, args: &[String], ctx: &Process<'_>) -> CliResult<i32> {
    let early = early_options(args);
    if args
        .iter()
        .take_while(|a| *a != "--")
        .last()
        .map(String::as_str)
        == Some("--config")
    {
        // hg's early option parser words a trailing `--config` this way.
        return Err(CliError::abort("option --config may not be abbreviated"));
    }
    let config_env = qs_config::Environment {
        vars: ctx.env.clone(),
        install_prefix: ctx.install_prefix.clone(),
    };
    let config_error = |e: qs_config::ConfigError| match e {
        qs_config::ConfigError::Parse { .. } => CliError::Message {
            text: format!("{e}\n"),
            code: 255,
        },
        other => CliError::abort(other.to_string()),
    };
    let mut config = qs_config::Config::default();
    config
        .apply_overrides(&early.configs)
        .map_err(config_error)?;
    let cwd = match &early.cwd {
        Some(dir) => {
            let path = ctx.cwd.join(dir);
            if !path.is_dir() {
                let why = std::fs::metadata(&path)
                    .err()
                    .map(|e| qs_repo::util::strerror(&e))
                    .unwrap_or_else(|| "Not a directory".to_string());
                return Err(CliError::abort(format!("{why}: '{dir}'")));
            }
            path
        }
        None => ctx.cwd.to_path_buf(),
    };

    // Find the command: the first argument that is not a global option.
    let global_only = opts::parse(args, &[GLOBAL_OPTS]);
    let (name, position) = match first_command_word(args) {
        Some(found) => found,
        None => {
            let parsed = global_only.map_err(|e| CliError::Message {
                text: format!("hg: {e}\n(use 'hg help -v' for a list of global options)\n"),
                code: 255,
            })?;
            if parsed.flag("version") {
                return commands::version::print_version(&mut ui, false).map(|_| 0);
            }
            return commands::help::print_command_list(&mut ui).map(|_| 0);
        }
    };
    let def = match commands::lookup(&name) {
        Lookup::Found(def) => def,
        Lookup::Unsupported(full) => {
            return Err(CliError::abort_hint(
                format!("'{full}' is not supported by qs yet"),
                "use Mercurial's 'hg' for this command",
            ))
        }
        Lookup::Ambiguous(candidates) => {
            return Err(CliError::Message {
                text: format!(
                    "hg: command '{name}' is ambiguous:\n    {}\n",
                    candidates.join(" ")
                ),
                code: 255,
            })
        }
        Lookup::Unknown => {
            return Err(CliError::Message {
                text: format!(
                    "hg: unknown command '{name}'\n(use 'hg help' for a list of commands)\n"
                ),
                code: 255,
            })
        }
    };
    let mut rest: Vec<String> = args[..position].to_vec();
    rest.extend_from_slice(&args[position + 1..]);
    let parsed = match opts::parse(&rest, &[def.options, GLOBAL_OPTS]) {
        Ok(p) => p,
        Err(e) => return Err(commands::help::usage_error(&mut ui, def, &e.to_string())),
    };
    let (quiet, verbose) = (parsed.flag("quiet"), parsed.flag("verbose"));
    ui.verbosity = Verbosity {
        // hg: asking for both quiet and verbose cancels them out.
        quiet: quiet && !verbose,
        verbose: verbose && !quiet,
        debug: parsed.flag("debug"),
    };
    ui.plain = ctx.env.contains_key("HGPLAIN");
    if parsed.flag("help") {
        commands::help::print_command_help(&mut ui, def, false)?;
        return Ok(0);
    }
    if parsed.flag("version") {
        commands::version::print_version(&mut ui, false)?;
        return Ok(0);
    }

    if def
        .max_args
        .is_some_and(|max| parsed.positionals.len() > max)
    {
        return Err(commands::help::usage_error(
            &mut ui,
            def,
            "invalid arguments",
        ));
    }
    let (repo, root) = open_repo_for(def, &early, &cwd)?;
    config = qs_config::sources::load_global(&config_env).map_err(config_error)?;
    if let Some(root) = &root {
        qs_config::sources::add_repository(&mut config, root, &config_env).map_err(config_error)?;
    }
    config
        .apply_overrides(&early.configs)
        .map_err(config_error)?;
    apply_verbosity(
        &mut ui,
        &mut config,
        &parsed,
        ctx.env.contains_key("HGPLAIN"),
    );
    let color_mode = parsed
        .value("color")
        .map(str::to_string)
        .or_else(|| config.get_str("ui", "color"));
    if crate::color::enabled(
        color_mode.as_deref(),
        ctx.env.contains_key("HGPLAIN"),
        ctx.stdout_is_tty,
        ctx.env.get("TERM").map(String::as_str),
    ) {
        ui.set_styles(crate::color::Styles::from_config(&config));
    }
    if def.paged && ctx.stdout_is_tty {
        if let Some(command) = pager_command(&parsed, ctx.env) {
            ui.start_pager(&command, ctx.env);
        }
    }
    if let Some(repo) = &repo {
        repo.set_clock(crate::clock::from_env(ctx.env));
        // Diffs inside revsets and templates use the configuration's
        // options (a bad value is reported when a command's own diff
        // reads it).
        let sources = crate::diffui::OptionSources {
            opts: &crate::opts::ParsedOpts::default(),
            config: &config,
            plain: ui.plain,
            debug: ui.debug_flag(),
        };
        if let Ok(options) = sources.options() {
            repo.set_diff_options(options);
        }
        if let Ok(relative) = cwd.strip_prefix(repo.root()) {
            use std::os::unix::ffi::OsStrExt;
            repo.set_cwd(relative.as_os_str().as_bytes().to_vec());
        }
    }
    let mut inv = Invocation {
        ui,
        opts: parsed,
        cwd,
        env: ctx.env,
        config,
        config_env,
        repo,
        root,
    };
    let result = (def.run)(&mut inv);
    if let Some(repo) = &inv.repo {
        for warning in repo.take_warnings() {
            let _ = inv.ui.warn(&warning);
        }
    }
    let _ = inv.ui.flush();
    inv.ui.finish_pager();
    result
}

/// Settles quiet/verbose/debug from the flags, or else from `[ui]` (which
/// HGPLAIN ignores), and records flags in the config as hg does.
fn apply_verbosity(
    ui: &mut Ui<'_>,
    config: &mut qs_config::Config,
    parsed: &opts::ParsedOpts,
    plain: bool,
) {
    let flags = ["verbose", "debug", "quiet"];
    if flags.iter().any(|f| parsed.flag(f)) {
        for f in flags {
            let value = if parsed.flag(f) { "True" } else { "False" };
            config.set(
                b"ui",
                f.as_bytes(),
                value.as_bytes().to_vec(),
                format!("--{f}"),
            );
        }
        return;
    }
    if plain {
        return;
    }
    let get = |name: &str| config.get_bool("ui", name, false).unwrap_or(false);
    let (quiet, verbose, debug) = (get("quiet"), get("verbose"), get("debug"));
    ui.verbosity = Verbosity {
        quiet: quiet && !verbose,
        verbose: verbose && !quiet,
        debug,
    };
}

/// The pager to run for a paged command on a terminal, if any: none with
/// `--pager=never`, under HGPLAIN (unless HGPLAINEXCEPT lists `pager`) or
/// on a dumb terminal; else `$PAGER`, else `less`.
fn pager_command(
    parsed: &opts::ParsedOpts,
    env: &std::collections::HashMap<String, String>,
) -> Option<String> {
    if let Some(mode) = parsed.value("pager") {
        if matches!(mode, "never" | "false" | "no" | "off" | "0") {
            return None;
        }
    }
    let plain_except = env
        .get("HGPLAINEXCEPT")
        .is_some_and(|e| e.split(',').any(|x| x.trim() == "pager"));
    if (env.contains_key("HGPLAIN") && !plain_except)
        || env.get("TERM").map(String::as_str) == Some("dumb")
    {
        return None;
    }
    let pager = env
        .get("PAGER")
        .cloned()
        .unwrap_or_else(|| "less".to_string());
    if pager.is_empty() || pager == "cat" {
        return None;
    }
    Some(pager)
}

/// The command word and its index: the first argument that is neither a
/// global option nor the value of one.
fn first_command_word(args: &[String]) -> Option<(String, usize)> {
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            return args.get(i + 1).map(|a| (a.clone(), i + 1));
        }
        if !arg.starts_with('-') || arg == "-" {
            return Some((arg.clone(), i));
        }
        let takes_value = if let Some(long) = arg.strip_prefix("--") {
            !long.contains('=')
                && GLOBAL_OPTS
                    .iter()
                    .any(|o| o.long == long && o.kind != crate::opts::OptKind::Flag)
        } else {
            // A short cluster takes the next word only if it ends in a
            // value-taking option (`-R repo`).
            arg.len() == 2
                && GLOBAL_OPTS
                    .iter()
                    .any(|o| o.short == arg.chars().nth(1) && o.kind != crate::opts::OptKind::Flag)
        };
        i += if takes_value { 2 } else { 1 };
    }
    None
}

/// The opened repository the command needs, and its root.
fn open_repo_for(
    def: &CommandDef,
    early: &Early,
    cwd: &std::path::Path,
) -> CliResult<(Option<Repo>, Option<PathBuf>)> {
    let root: Option<PathBuf> = match (&early.repository, def.repo) {
        (_, RepoNeed::None) => None,
        (Some(spec), _) => Some(discovery::explicit_root(cwd, spec)?),
        (None, RepoNeed::Required | RepoNeed::RootOnly) => Some(discovery::find_root(cwd)?),
        (None, RepoNeed::Optional) => discovery::find_root(cwd).ok(),
    };
    match root {
        Some(root) if def.repo == RepoNeed::RootOnly => {
            let requirements = qs_store::requirements::Requirements::load(&root.join(".hg"))?;
            requirements.check_supported()?;
            Ok((None, Some(root)))
        }
        Some(root) => Ok((Some(Repo::open(&root)?), Some(root))),
        None => Ok((None, None)),
    }
}
