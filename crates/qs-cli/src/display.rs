//! The changeset printer behind `log`, `heads`, `parents` and friends: hg's
//! default style (with `-q`, `-v` and `--debug` variants), written directly
//! until the template engine takes over.

use qs_repo::{Repo, RepoResult};
use qs_store::{Node, Revision};

use crate::error::CliResult;
use crate::ui::Ui;

/// Writes `label` padded to hg's 13-column field, then `value`.
fn field(out: &mut Vec<u8>, label: &str, value: &[u8]) {
    out.extend_from_slice(format!("{:<13}", format!("{label}:")).as_bytes());
    out.extend_from_slice(value);
    out.push(b'\n');
}

fn node_text(node: &Node, debug: bool) -> String {
    if debug {
        node.hex()
    } else {
        node.short()
    }
}

/// Prints one changeset in hg's default style.
pub fn show_changeset(ui: &mut Ui<'_>, repo: &Repo, rev: Revision) -> CliResult<()> {
    let debug = ui.debug_flag();
    let cs = repo.changeset(rev)?;
    if ui.quiet() {
        ui.write_str(&format!("{}:{}\n", rev, node_text(&cs.node, debug)))?;
        return Ok(());
    }
    let mut head = Vec::with_capacity(64);
    field(
        &mut head,
        "changeset",
        format!("{}:{}", rev, node_text(&cs.node, debug)).as_bytes(),
    );
    head.pop();
    ui.write_labeled(&head, "log.changeset")?;
    let mut out = Vec::with_capacity(256);
    out.push(b'\n');
    if cs.branch() != b"default" {
        field(&mut out, "branch", cs.branch());
    }
    for name in repo.bookmarks()?.on(&cs.node) {
        field(&mut out, "bookmark", name);
    }
    for name in repo.tags()?.on(&cs.node) {
        field(&mut out, "tag", name);
    }
    if debug {
        field(&mut out, "phase", repo.phase(rev)?.name().as_bytes());
    }
    for parent in meaningful_parents(repo, rev, debug)? {
        let node = repo.node(parent)?;
        field(
            &mut out,
            "parent",
            format!("{}:{}", parent, node_text(&node, debug)).as_bytes(),
        );
    }
    if debug {
        let mrev = match repo.manifestlog()?.rev_of_node(&cs.manifest)? {
            Some(r) => r.0,
            None => -1,
        };
        field(
            &mut out,
            "manifest",
            format!("{}:{}", mrev, cs.manifest.hex()).as_bytes(),
        );
    }
    field(&mut out, "user", &cs.user);
    field(&mut out, "date", cs.date.display().as_bytes());
    if debug {
        let status = qs_repo::changes::file_changes(repo, &cs)?;
        for (label, files) in [
            ("files", &status.modified),
            ("files+", &status.added),
            ("files-", &status.removed),
        ] {
            if !files.is_empty() {
                field(&mut out, label, &files.join(&b' '));
            }
        }
    } else if ui.verbose() && !cs.files.is_empty() {
        field(&mut out, "files", &cs.files.join(&b' '));
    }
    if debug {
        for (key, value) in &cs.extra {
            let mut v = key.clone();
            v.push(b'=');
            v.extend_from_slice(&escape_bytes(value));
            field(&mut out, "extra", &v);
        }
    }
    let description = cs.description_trimmed();
    if ui.verbose() {
        if !description.is_empty() {
            out.extend_from_slice(b"description:\n");
            out.extend_from_slice(description);
            out.extend_from_slice(b"\n\n");
        }
    } else if !description.is_empty() {
        field(&mut out, "summary", cs.summary());
    }
    out.push(b'\n');
    ui.write(&out)?;
    Ok(())
}

/// The parents hg shows: both (nulls included) with `--debug`; otherwise
/// only for merges or when the first parent is not the previous revision.
pub fn meaningful_parents(repo: &Repo, rev: Revision, debug: bool) -> RepoResult<Vec<Revision>> {
    let [p1, p2] = repo.parents(rev)?;
    if debug {
        return Ok(vec![p1, p2]);
    }
    if !p2.is_null() {
        return Ok(vec![p1, p2]);
    }
    if p1.0 >= rev.0 - 1 {
        return Ok(Vec::new());
    }
    Ok(vec![p1])
}

/// Python's `escape_encode`: backslash escapes for `\\`, control bytes and
/// bytes outside ASCII, as hg shows extra values.
pub fn escape_bytes(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    for &b in value {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    out
}
