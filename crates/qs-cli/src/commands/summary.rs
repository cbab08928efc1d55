//! `qs summary` / `qs sum`: the working directory's parents, branch,
//! bookmarks, pending changes, available update and phase counts, worded
//! and labelled as hg prints them (`-q` keeps only what needs attention).
//! `--remote` is refused until exchange lands.

use qs_repo::summary::Summary;
use qs_store::phases::Phase;

use super::{require, CommandDef, Invocation, RepoNeed};
use crate::error::CliResult;
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "summary",
    aliases: &["sum"],
    synopsis: "summary [--remote]",
    summary: "summarize working directory state",
    options: &[OptSpec::flag(None, "remote", "check for push and pull")],
    max_args: Some(0),
    paged: true,
    repo: RepoNeed::Required,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    super::unsupported_options(inv, &["remote"])?;
    let new_commit_phase = super::commit::configured_new_commit_phase(inv)?;
    let repo = require(&inv.repo)?;
    let cwd = super::wlock::cwd_in_repo(inv, repo);
    let ignore_files = super::status::extra_ignore_files(inv);
    let mut warnings = Vec::new();
    let result = qs_repo::summary::summary(repo, &cwd, &ignore_files, &mut warnings);
    for w in &warnings {
        inv.ui.warn_bytes(w)?;
    }
    let sum = result?;
    let ui = &mut inv.ui;
    let tags = repo.tags()?;
    let marks = repo.bookmarks()?;
    let mut parent_marks: Vec<&[u8]> = Vec::new();
    for &p in &sum.parents {
        let node = repo.node(p)?;
        let phase = if p.is_null() {
            Phase::Public
        } else {
            repo.phase(p)?
        };
        let label = format!("log.changeset changeset.{}", phase.name());
        ui.write_labeled(
            format!("parent: {}:{} ", p, node.short()).as_bytes(),
            &label,
        )?;
        ui.write_labeled(&tags.on(&node).join(&b' '), "log.tag")?;
        parent_marks.extend(marks.on(&node));
        if p.is_null() {
            if repo.is_empty() {
                ui.write(b" (empty repository)")?;
            } else {
                ui.write(b" (no revision checked out)")?;
            }
        }
        ui.write(b"\n")?;
        if !p.is_null() && !ui.quiet() {
            let desc = repo.changeset(p)?.description;
            if !desc.is_empty() {
                let lines = qs_repo::util::split_lines(&desc);
                let first = lines.first().copied().unwrap_or(b"");
                let mut text = b" ".to_vec();
                text.extend_from_slice(python_strip(first));
                text.push(b'\n');
                ui.write_labeled(&text, "log.summary")?;
            }
        }
    }
    let mut branch_line = b"branch: ".to_vec();
    branch_line.extend_from_slice(&sum.branch);
    branch_line.push(b'\n');
    if sum.branch != b"default" || !ui.quiet() {
        ui.write_labeled(&branch_line, "log.branch")?;
    }
    if !parent_marks.is_empty() {
        ui.write_labeled(b"bookmarks:", "log.bookmark")?;
        if let Some(active) = &marks.active {
            let mut text = b" ".to_vec();
            if let Some(i) = parent_marks.iter().position(|m| *m == active.as_slice()) {
                parent_marks.remove(i);
                text.push(b'*');
                text.extend_from_slice(active);
            } else {
                text.push(b'[');
                text.extend_from_slice(active);
                text.push(b']');
            }
            ui.write_labeled(&text, "bookmarks.active bookmarks.current")?;
        }
        for m in parent_marks {
            ui.write_labeled(&[b" ", m].concat(), "log.bookmark")?;
        }
        ui.write_labeled(b"\n", "log.bookmark")?;
    }
    write_commit_line(ui, &sum, new_commit_phase)?;
    let update = if sum.new_changesets == 0 {
        None
    } else if !sum.parent_is_head {
        Some(format!(
            "update: {} new changesets (update)\n",
            sum.new_changesets
        ))
    } else {
        Some(format!(
            "update: {} new changesets, {} branch heads (merge)\n",
            sum.new_changesets, sum.branch_heads
        ))
    };
    match update {
        None => ui.status("update: (current)\n")?,
        Some(text) => ui.write_str(&text)?,
    }
    let mut phases = Vec::new();
    if sum.draft > 0 {
        phases.push(format!("{} draft", sum.draft));
    }
    if sum.secret > 0 {
        phases.push(format!("{} secret", sum.secret));
    }
    if !phases.is_empty() {
        ui.status(&format!("phases: {}\n", phases.join(", ")))?;
    }
    Ok(0)
}

/// Python's `bytes.strip()`.
fn python_strip(text: &[u8]) -> &[u8] {
    let ws = |b: &u8| b" \t\n\r\x0b\x0c".contains(b);
    let start = text.iter().position(|b| !ws(b)).unwrap_or(text.len());
    let end = text.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    &text[start..end.max(start)]
}

/// The `commit:` line: counts, then the state hg names first.
fn write_commit_line(
    ui: &mut crate::ui::Ui<'_>,
    sum: &Summary,
    new_commit_phase: Phase,
) -> CliResult<()> {
    let c = &sum.counts;
    let parts: Vec<(usize, &str, &str)> = vec![
        (c.modified, "modified", "status.modified"),
        (c.added, "added", "status.added"),
        (c.removed, "removed", "status.removed"),
        (c.renamed, "renamed", "status.copied"),
        (c.copied, "copied", "status.copied"),
        (c.deleted, "deleted", "status.deleted"),
        (c.unknown, "unknown", "status.unknown"),
        (c.unresolved, "unresolved", "resolve.unresolved"),
    ];
    let shown: Vec<(String, &str)> = parts
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, word, label)| (format!("{n} {word}"), label))
        .collect();
    let mut tail = String::new();
    if sum.graft {
        tail.push_str(" (graft in progress)");
    }
    let mut clean = false;
    if sum.interrupted_update {
        tail.push_str(" (interrupted update)");
    } else if sum.parents.len() > 1 {
        tail.push_str(" (merge)");
    } else if sum.new_branch {
        tail.push_str(" (new branch)");
    } else if sum.head_closed {
        tail.push_str(" (head closed)");
    } else if sum.clean() {
        tail.push_str(" (clean)");
        clean = true;
    } else if !sum.parent_is_head {
        tail.push_str(" (new branch head)");
    }
    if sum.pending_phase > new_commit_phase {
        tail.push_str(&format!(" ({})", sum.pending_phase.name()));
    }
    if clean && ui.quiet() {
        return Ok(());
    }
    // hg strips the whole text: with no counts, the tail's leading space
    // goes.
    ui.write(b"commit: ")?;
    let mut first = true;
    for (text, label) in &shown {
        if !first {
            ui.write(b", ")?;
        }
        first = false;
        ui.write_labeled(text.as_bytes(), label)?;
    }
    let tail = if shown.is_empty() {
        tail.trim_start()
    } else {
        tail.as_str()
    };
    ui.write_str(tail)?;
    ui.write(b"\n")?;
    Ok(())
}
