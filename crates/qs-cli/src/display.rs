//! The changeset printer behind `log`, `heads`, `parents` and friends: hg's
//! default style (with `-q`, `-v` and `--debug` variants), written directly
//! until the template engine takes over.

use qs_repo::{Repo, RepoResult};
use qs_store::{Node, Revision};

use crate::displayer::Flags;
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
pub fn show_changeset(ui: &mut Ui<'_>, repo: &Repo, rev: Revision, copies: bool) -> CliResult<()> {
    let flags = Flags {
        quiet: ui.quiet(),
        verbose: ui.verbose(),
        debug: ui.debug_flag(),
        copies,
    };
    let (head, rest) = changeset_text(repo, rev, flags)?;
    if flags.quiet {
        ui.write(&head)?;
    } else {
        ui.write_labeled(&head, "log.changeset")?;
        ui.write(&rest)?;
    }
    Ok(())
}

/// One changeset in hg's default style: the `changeset:` line (without
/// its newline, which starts the rest; the whole line with `-q`) and the
/// rest.
pub fn changeset_text(repo: &Repo, rev: Revision, flags: Flags) -> CliResult<(Vec<u8>, Vec<u8>)> {
    let debug = flags.debug;
    if flags.quiet {
        // Only the index is needed (hg does not read the entry either).
        let node = repo.node(rev)?;
        return Ok((
            format!("{}:{}\n", rev, node_text(&node, debug)).into_bytes(),
            Vec::new(),
        ));
    }
    let cs = repo.changeset(rev)?;
    let mut head = Vec::with_capacity(64);
    field(
        &mut head,
        "changeset",
        format!("{}:{}", rev, node_text(&cs.node, debug)).as_bytes(),
    );
    head.pop();
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
    } else if flags.verbose && !cs.files.is_empty() {
        field(&mut out, "files", &cs.files.join(&b' '));
    }
    if flags.copies && flags.verbose {
        let copies = qs_repo::changes::changeset_copies(repo, &cs)?;
        if !copies.is_empty() {
            let items: Vec<Vec<u8>> = copies
                .iter()
                .map(|(name, source)| [name.as_slice(), b" (", source, b")"].concat())
                .collect();
            field(&mut out, "copies", &items.join(&b' '));
        }
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
    if flags.verbose {
        if !description.is_empty() {
            out.extend_from_slice(b"description:\n");
            out.extend_from_slice(description);
            out.extend_from_slice(b"\n\n");
        }
    } else if !description.is_empty() {
        field(&mut out, "summary", cs.summary());
    }
    out.push(b'\n');
    Ok((head, out))
}

/// One changeset as hg's JSON formatter writes it for `log -T json`
/// (without the separators between items).
pub fn json_changeset(repo: &Repo, rev: Revision, flags: Flags) -> CliResult<Vec<u8>> {
    use qs_repo::template::filters::json;
    use qs_repo::template::PyVal;
    let cs = repo.changeset(rev)?;
    let s = |b: &[u8]| PyVal::Bytes(b.to_vec());
    let list = |items: Vec<&[u8]>| {
        PyVal::List(
            items
                .into_iter()
                .map(|b| PyVal::Bytes(b.to_vec()))
                .collect(),
        )
    };
    let mut fields: Vec<(&str, PyVal)> = vec![
        ("rev", PyVal::Int(i64::from(rev.0))),
        ("node", s(cs.node.hex().as_bytes())),
    ];
    if !flags.quiet {
        let [p1, p2] = repo.parents(rev)?;
        let mut parents = vec![repo_node_hex(repo, p1)?];
        if !p2.is_null() {
            parents.push(repo_node_hex(repo, p2)?);
        }
        fields.push(("branch", s(cs.branch())));
        fields.push(("phase", s(repo.phase(rev)?.name().as_bytes())));
        fields.push(("user", s(&cs.user)));
        fields.push((
            "date",
            PyVal::List(vec![
                PyVal::Int(cs.date.seconds),
                PyVal::Int(i64::from(cs.date.offset)),
            ]),
        ));
        fields.push(("desc", s(&cs.description)));
        fields.push(("bookmarks", list(repo.bookmarks()?.on(&cs.node))));
        fields.push(("tags", list(repo.tags()?.on(&cs.node))));
        fields.push((
            "parents",
            PyVal::List(parents.into_iter().map(PyVal::Bytes).collect()),
        ));
        if flags.debug {
            fields.push(("manifest", s(cs.manifest.hex().as_bytes())));
            fields.push((
                "extra",
                PyVal::Dict(cs.extra.iter().map(|(k, v)| (k.clone(), s(v))).collect()),
            ));
            let ch = qs_repo::changes::file_changes(repo, &cs)?;
            let files = |v: &Vec<Vec<u8>>| PyVal::List(v.iter().map(|f| s(f)).collect());
            fields.push(("modified", files(&ch.modified)));
            fields.push(("added", files(&ch.added)));
            fields.push(("removed", files(&ch.removed)));
        } else if flags.verbose {
            fields.push((
                "files",
                PyVal::List(cs.files.iter().map(|f| s(f)).collect()),
            ));
            if flags.copies {
                let copies = qs_repo::changes::changeset_copies(repo, &cs)?;
                if !copies.is_empty() {
                    fields.push((
                        "copies",
                        PyVal::Dict(
                            copies
                                .into_iter()
                                .map(|(n, src)| (n, PyVal::Bytes(src)))
                                .collect(),
                        ),
                    ));
                }
            }
        }
    }
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = b" {\n".to_vec();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(format!("  \"{k}\": ").as_bytes());
        out.extend_from_slice(&json(v, false));
    }
    out.extend_from_slice(b"\n }");
    Ok(out)
}

fn repo_node_hex(repo: &Repo, rev: Revision) -> CliResult<Vec<u8>> {
    if rev.is_null() {
        return Ok(qs_store::NULL_NODE.hex().into_bytes());
    }
    Ok(repo.node(rev)?.hex().into_bytes())
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
