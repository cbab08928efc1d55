//! `qs bisect`: the subdivision search of changesets, as hg's: marks with
//! `-g`/`-b`/`-s` (the working directory's parent or `REV`), `-r` to
//! forget, `-e` to extend a search that ended on a merge, `-c CMD` to
//! test automatically (`HG_NODE` set; exit 0 good, 125 skip, 127 abort,
//! anything else bad). The state lives in `.hg/bisect.state`, shared with
//! hg (`qs_repo::bisect`). Without `-U/--noupdate` the working directory
//! is updated (clean, as hg's `update -C`) to each changeset to test.

use qs_repo::bisect::{self, Mark, State, Step};
use qs_store::{Node, Revision};

use super::{require, CommandDef, Invocation, RepoNeed};
use crate::displayer::Parts;
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "bisect",
    aliases: &[],
    synopsis: "bisect [-gbsr] [-U] [-c CMD] [REV]",
    summary: "subdivision search of changesets",
    options: &[
        OptSpec::flag(Some('r'), "reset", "reset bisect state"),
        OptSpec::flag(Some('g'), "good", "mark changeset good"),
        OptSpec::flag(Some('b'), "bad", "mark changeset bad"),
        OptSpec::flag(Some('s'), "skip", "skip testing changeset"),
        OptSpec::flag(Some('e'), "extend", "extend the bisect range"),
        OptSpec::value(
            Some('c'),
            "command",
            "CMD",
            "use command to check changeset state",
        ),
        OptSpec::flag(Some('U'), "noupdate", "do not update to target"),
    ],
    max_args: Some(2),
    paged: false,
    repo: RepoNeed::Required,
    run,
};

/// What the command line asks for.
struct Request {
    mark: Option<Mark>,
    reset: bool,
    extend: bool,
    noupdate: bool,
    command: Option<String>,
    /// `REV` (hg's revision list), when given.
    revs: Option<Vec<String>>,
}

fn request(inv: &mut Invocation<'_, '_>) -> CliResult<Request> {
    let opts = &inv.opts;
    let (mut good, mut bad, mut reset) = (opts.flag("good"), opts.flag("bad"), opts.flag("reset"));
    let skip = opts.flag("skip");
    let extend = opts.flag("extend");
    let command = opts
        .value("command")
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let positionals = opts.positionals.clone();
    let mut revs = None;
    match positionals.as_slice() {
        [first, rest @ ..] if ["good", "bad", "reset", "init"].contains(&first.as_str()) => {
            inv.ui.warn("(use of 'hg bisect <cmd>' is deprecated)\n")?;
            revs = Some(vec![rest.first().cloned().unwrap_or_default()]);
            match first.as_str() {
                "good" => good = true,
                "bad" => bad = true,
                _ => reset = true,
            }
        }
        [_, second, ..] if !second.is_empty() => {
            return Err(CliError::abort("incompatible arguments"));
        }
        [first, ..] => revs = Some(vec![first.clone()]),
        [] => {}
    }
    let enabled: Vec<&str> = [
        ("--bad", bad),
        ("--command", command.is_some()),
        ("--extend", extend),
        ("--good", good),
        ("--reset", reset),
        ("--skip", skip),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    if let [first, second, ..] = enabled[..] {
        return Err(CliError::abort(format!(
            "{first} and {second} are incompatible"
        )));
    }
    let mark = if good {
        Some(Mark::Good)
    } else if bad {
        Some(Mark::Bad)
    } else if skip {
        Some(Mark::Skip)
    } else {
        None
    };
    Ok(Request {
        mark,
        reset,
        extend,
        noupdate: inv.opts.flag("noupdate"),
        command,
        revs,
    })
}

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    let req = request(inv)?;
    let repo = require(&inv.repo)?;
    if req.reset {
        State::reset(repo)?;
        return Ok(0);
    }
    let mut state = State::load(repo)?;
    let nodes = given_nodes(inv, &state, req.revs.as_deref())?;

    if let Some(mark) = req.mark {
        state.marks_mut(mark).extend(nodes.iter().copied());
        save(inv, &state)?;
        if state.good.is_empty() || state.bad.is_empty() {
            return Ok(0);
        }
    }

    if let Some(command) = &req.command {
        return run_command(inv, &mut state, command, &req, &nodes);
    }

    let repo = require(&inv.repo)?;
    state.check()?;
    let step = bisect::next(repo, &state)?;
    if req.extend {
        if step.remaining == 0 {
            if let Some(rev) = bisect::extend_range(repo, &state, &step)? {
                let node = repo.node(rev)?;
                let mut line = b"Extending search to changeset ".to_vec();
                line.extend(summary(inv, rev)?);
                line.push(b'\n');
                inv.ui.write(&line)?;
                state.current = vec![node];
                save(inv, &state)?;
                may_update(inv, req.noupdate, rev, true)?;
                return Ok(0);
            }
        }
        return Err(CliError::abort("nothing to extend"));
    }
    if step.remaining == 0 {
        show_result(inv, &state, &step)?;
        return Ok(0);
    }
    let Some(&rev) = step.revs.first() else {
        return Ok(0);
    };
    let (mut tests, mut size) = (0usize, 2usize);
    while size <= step.remaining {
        tests += 1;
        size = size.saturating_mul(2);
    }
    let mut line = b"Testing changeset ".to_vec();
    line.extend(summary(inv, rev)?);
    line.extend(
        format!(
            " ({} changesets remaining, ~{tests} tests)\n",
            step.remaining
        )
        .bytes(),
    );
    inv.ui.write(&line)?;
    let repo = require(&inv.repo)?;
    state.current = vec![repo.node(rev)?];
    save(inv, &state)?;
    may_update(inv, req.noupdate, rev, true)?;
    Ok(0)
}

/// hg's `mayupdate`: unless `--noupdate`, a clean update of the working
/// directory (which must have no changes) to `rev`.
fn may_update(
    inv: &mut Invocation<'_, '_>,
    noupdate: bool,
    rev: Revision,
    show_stats: bool,
) -> CliResult<()> {
    if noupdate {
        return Ok(());
    }
    let repo = require(&inv.repo)?;
    super::update::bail_if_changed(repo, true)?;
    let _wlock = super::wlock::take_wlock(inv)?;
    super::update::clean_update(inv, rev, None, show_stats)?;
    Ok(())
}

/// The changesets `REV` names (only those between the good and bad ones
/// once both are known), or the working directory's parent.
fn given_nodes(
    inv: &Invocation<'_, '_>,
    state: &State,
    specs: Option<&[String]>,
) -> CliResult<Vec<Node>> {
    let repo = require(&inv.repo)?;
    let Some(specs) = specs else {
        return Ok(vec![repo.dirstate_parents()?[0]]);
    };
    let revs = super::resolve_revs(&inv.config, repo, specs)?;
    let revs = bisect::restrict_to_range(repo, state, revs)?;
    revs.into_iter()
        .map(|r| repo.node(r).map_err(CliError::from))
        .collect()
}

fn save(inv: &mut Invocation<'_, '_>, state: &State) -> CliResult<()> {
    let repo = require(&inv.repo)?;
    let _wlock = super::wlock::wlock_of(&mut inv.ui, &inv.config, repo)?;
    state.save(repo)?;
    Ok(())
}

/// hg's one-line summary of `rev` for bisect messages.
fn summary(inv: &Invocation<'_, '_>, rev: Revision) -> CliResult<Vec<u8>> {
    let repo = require(&inv.repo)?;
    let parts = Parts {
        opts: &inv.opts,
        env: inv.env,
        config: &inv.config,
        cwd: &inv.cwd,
    };
    crate::displayer::oneline_summary(&inv.ui, &parts, repo, rev, "bisect")
}

/// hg's `printresult`: the first good or bad changeset(s).
fn show_result(inv: &mut Invocation<'_, '_>, state: &State, step: &Step) -> CliResult<()> {
    let which = if step.good { "good" } else { "bad" };
    if let [_] = step.revs[..] {
        inv.ui
            .write_str(&format!("The first {which} revision is:\n"))?;
        crate::displayer::show_revs(inv, &step.revs, false)?;
        let repo = require(&inv.repo)?;
        if let Some(rev) = bisect::extend_range(repo, state, step)? {
            let short = repo.node(rev)?.short();
            inv.ui.write_str(&format!(
                "Not all ancestors of this changeset have been checked.\n\
                 Use bisect --extend to continue the bisection from\n\
                 the common ancestor, {short}.\n"
            ))?;
        }
    } else {
        inv.ui.write_str(&format!(
            "Due to skipped revisions, the first {which} revision could be any of:\n"
        ))?;
        crate::displayer::show_revs(inv, &step.revs, false)?;
    }
    Ok(())
}

/// `--command`: test changesets with `command` until the search ends;
/// the changeset it started from is recorded as current at the end,
/// whatever happens.
fn run_command(
    inv: &mut Invocation<'_, '_>,
    state: &mut State,
    command: &str,
    req: &Request,
    nodes: &[Node],
) -> CliResult<i32> {
    let mut node = if req.noupdate {
        match state.current.first() {
            Some(n) => *n,
            None => {
                return Err(CliError::abort(
                    "current bisect revision is unknown - start a new bisect to fix",
                ))
            }
        }
    } else {
        let repo = require(&inv.repo)?;
        let [p1, p2] = repo.dirstate_parents()?;
        if !p2.is_null() {
            return Err(CliError::abort("current bisect revision is a merge"));
        }
        p1
    };
    if req.revs.is_some() {
        node = *nodes
            .last()
            .ok_or_else(|| CliError::abort("empty revision set"))?;
    }
    // hg records the changeset the run started from, not the last one.
    let start = node;
    let outcome = command_loop(inv, state, command, req.noupdate, &mut node);
    state.current = vec![start];
    save(inv, state)?;
    let step = outcome?;
    show_result(inv, state, &step)?;
    Ok(0)
}

fn command_loop(
    inv: &mut Invocation<'_, '_>,
    state: &mut State,
    command: &str,
    noupdate: bool,
    node: &mut Node,
) -> CliResult<Step> {
    loop {
        state.current = vec![*node];
        save(inv, state)?;
        let mark = match run_test(inv, command, node)? {
            0 => Mark::Good,
            125 => Mark::Skip,
            127 => return Err(CliError::abort(format!("failed to execute {command}"))),
            _ => Mark::Bad,
        };
        state.marks_mut(mark).push(*node);
        let repo = require(&inv.repo)?;
        let rev = repo
            .changelog()
            .rev_of_node(node)?
            .ok_or_else(|| CliError::abort(format!("unknown revision '{}'", node.hex())))?;
        let mut line = b"changeset ".to_vec();
        line.extend(summary(inv, rev)?);
        line.extend(format!(": {}\n", mark.name()).bytes());
        inv.ui.status_bytes(&line)?;
        state.check()?;
        let repo = require(&inv.repo)?;
        let step = bisect::next(repo, state)?;
        if let Some(&first) = step.revs.first() {
            *node = repo.node(first)?;
            may_update(inv, noupdate, first, false)?;
        }
        if step.remaining == 0 {
            return Ok(step);
        }
    }
}

/// Runs `command` through the shell in the command's directory with
/// `HG_NODE` set, its output passed on; its exit code (hg's abort when a
/// signal killed it).
fn run_test(inv: &mut Invocation<'_, '_>, command: &str, node: &Node) -> CliResult<i32> {
    inv.ui.flush()?;
    let output = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .current_dir(&inv.cwd)
        .env_clear()
        .envs(inv.env.iter())
        .env("HG_NODE", node.hex())
        .output()
        .map_err(|e| CliError::abort(format!("failed to execute {command}: {e}")))?;
    inv.ui.write(&output.stdout)?;
    inv.ui.warn_bytes(&output.stderr)?;
    match output.status.code() {
        Some(code) => Ok(code),
        None => Err(CliError::abort(format!("{command} killed"))),
    }
}
