//! Committing the working directory (hg's `localrepo.commit` and
//! `commit.commitctx` for a non-merge): what is committed ([`prepare`]:
//! the status of the matched files, hg's refusals), then [`commit`]: file
//! revisions (with copy metadata), the manifest and the changelog entry
//! in ONE transaction (the changelog written last and delayed, so no
//! reader sees a changeset before its files), the phase of the new
//! changeset and the active bookmark in the same transaction, and the
//! dirstate (new parent, committed files possibly dirty) once it has
//! committed. Node ids are hg's for the same content, user, date and
//! message.
//!
//! The caller holds the wlock and the store lock, chooses the message
//! (editor, `-m`, `-l`) between the two steps and shows the messages.

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;

use qs_dirstate::Matcher;
use qs_store::lock::Lock;
use qs_store::phases::Phase;
use qs_store::revlog::{filelog_text, RevlogKind, RevlogWriter, WriterConfig};
use qs_store::transaction::Transaction;
use qs_store::{Node, Revision, NULL_NODE, NULL_REVISION};

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::status::{self, Status, StatusRequest};
use crate::tracking::Message;
use crate::wdirstate::WorkingDirstate;

/// What a commit would record, from the working directory's status.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The status restricted to the matched files.
    pub status: Status,
    /// The working directory's first parent.
    pub p1: Revision,
    /// The second parent (null outside a merge).
    pub p2: Revision,
    /// The branch being committed to (`.hg/branch`).
    pub branch: Vec<u8>,
}

impl Prepared {
    /// hg's `isempty`: nothing to record (no changed file, same branch
    /// as the parent, not closing it).
    pub fn is_empty(&self, repo: &Repo, close_branch: bool) -> RepoResult<bool> {
        let files = !(self.status.modified.is_empty()
            && self.status.added.is_empty()
            && self.status.removed.is_empty());
        let parent_branch = if self.p1.is_null() {
            b"default".to_vec()
        } else {
            repo.branch_infos()?[self.p1.0 as usize].branch.clone()
        };
        Ok(!(files || close_branch || parent_branch != self.branch || !self.p2.is_null()))
    }
}

/// True when the patterns name only files and directories (hg's
/// `match.isexact() or match.prefix()`), so each must match something.
pub fn patterns_are_literal(req: &StatusRequest) -> bool {
    req.include.is_empty()
        && req.exclude.is_empty()
        && req
            .patterns
            .iter()
            .all(|p| match p.iter().position(|&b| b == b':') {
                Some(i) => matches!(&p[..i], b"path" | b"relpath" | b"rootfilesin"),
                None => true,
            })
}

/// Computes what would be committed; refuses what hg refuses: partial
/// commits of a merge, named files that do not exist, are not tracked or
/// match nothing, unresolved merge conflicts. Clean files the status was
/// unsure about are recorded in `ds`, as hg does.
pub fn prepare(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    req: &StatusRequest,
    matcher: &Matcher,
    out: &mut Vec<Message>,
) -> RepoResult<Prepared> {
    let merging = !ds.map.parents.1.is_null();
    if merging && !(req.patterns.is_empty() && req.include.is_empty() && req.exclude.is_empty()) {
        return Err(RepoError::Message(
            "cannot partially commit a merge (do not specify files or patterns)".into(),
        ));
    }
    if merging && ds.map.copies_len() > 0 {
        return Err(RepoError::WithHint {
            message: "committing a merge with copies or renames is not supported by qs yet".into(),
            hint: "use Mercurial's 'hg' for this command line".into(),
        });
    }
    let req = StatusRequest {
        list_clean: false,
        list_unknown: false,
        list_ignored: false,
        ..req.clone()
    };
    let mut warnings = Vec::new();
    let result = status::status_with_map(repo, &ds.map, &req, matcher, &mut warnings);
    out.extend(warnings.into_iter().map(Message::Warn));
    let (st, fixups) = result?;
    if let Some((path, message)) = st.bad.first() {
        return Err(RepoError::Message(format!(
            "{}: {message}",
            String::from_utf8_lossy(path)
        )));
    }
    for fixup in &fixups {
        fixup.record_clean(&mut ds.map);
    }
    let p1 = repo.working_parent()?;
    if patterns_are_literal(&req) {
        check_patterns(repo, ds, matcher, &st, p1)?;
    }
    let ms = crate::merge::state::MergeState::read(repo.dot_hg())?;
    if ms.active() && !ms.unresolved().is_empty() {
        return Err(RepoError::Message(
            "unresolved merge conflicts (see 'hg help resolve')".into(),
        ));
    }
    let p2_node = ds.map.parents.1;
    let p2 = if p2_node.is_null() {
        NULL_REVISION
    } else {
        repo.changelog()
            .rev_of_node(&p2_node)?
            .unwrap_or(NULL_REVISION)
    };
    Ok(Prepared {
        status: st,
        p1,
        p2,
        branch: crate::working::branch(repo)?,
    })
}

/// hg's `checkcommitpatterns`.
fn check_patterns(
    repo: &Repo,
    ds: &WorkingDirstate,
    matcher: &Matcher,
    st: &Status,
    p1: Revision,
) -> RepoResult<()> {
    let matched: Vec<&Vec<u8>> = st
        .modified
        .iter()
        .chain(&st.added)
        .chain(&st.removed)
        .collect();
    let fail = |f: &[u8], why: &str| {
        Err(RepoError::Message(format!(
            "{}: {why}",
            String::from_utf8_lossy(f)
        )))
    };
    let mut parent_manifest = None;
    for f in matcher.files() {
        if f.is_empty() || matched.iter().any(|m| **m == f) {
            continue;
        }
        if st.deleted.contains(&f) {
            return fail(&f, "file not found!");
        }
        let mut dir = f.clone();
        dir.push(b'/');
        let is_dir = repo.root().join(std::ffi::OsStr::from_bytes(&f)).is_dir() || {
            if parent_manifest.is_none() {
                parent_manifest = Some(repo.manifest_of(p1)?);
            }
            parent_manifest
                .as_ref()
                .is_some_and(|m| m.paths().any(|p| p.starts_with(&dir)))
        };
        if is_dir {
            if !matched.iter().any(|m| m.starts_with(&dir)) {
                return fail(&f, "no match under directory!");
            }
        } else if !ds.map.contains(&f) {
            return fail(&f, "file not tracked!");
        }
    }
    Ok(())
}

/// Everything about the changeset besides its files.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    /// The description (stripped as hg strips it before storing).
    pub message: Vec<u8>,
    pub user: Vec<u8>,
    /// Seconds since the epoch and offset in seconds west of UTC.
    pub date: (i64, i32),
    /// `--close-branch`.
    pub close_branch: bool,
    /// `phases.new-commit`.
    pub phase: Phase,
}

/// hg's `stripdesc`: trailing whitespace off every line, leading and
/// trailing empty lines off the whole.
pub fn strip_description(text: &[u8]) -> Vec<u8> {
    let lines: Vec<&[u8]> = crate::util::split_lines(text)
        .into_iter()
        .map(<[u8]>::trim_ascii_end)
        .collect();
    let joined = lines.join(&b'\n');
    let start = joined
        .iter()
        .position(|&b| b != b'\n')
        .unwrap_or(joined.len());
    let end = joined
        .iter()
        .rposition(|&b| b != b'\n')
        .map_or(start, |i| i + 1);
    joined[start..end.max(start)].to_vec()
}

/// hg's changelog extra escaping (`\\`, `\n`, `\r`, NUL).
fn escape_extra(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for &b in text {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\0"),
            _ => out.push(b),
        }
    }
    out
}

/// The changelog text of a changeset (hg's `changelog.add`).
pub fn changelog_text(
    manifest: &Node,
    user: &[u8],
    date: (i64, i32),
    extra: &BTreeMap<Vec<u8>, Vec<u8>>,
    files: &[Vec<u8>],
    description: &[u8],
) -> Vec<u8> {
    let mut date_line = format!("{} {}", date.0, date.1).into_bytes();
    if !extra.is_empty() {
        let items: Vec<Vec<u8>> = extra
            .iter()
            .map(|(k, v)| escape_extra(&[k.as_slice(), b":", v.as_slice()].concat()))
            .collect();
        date_line.push(b' ');
        date_line.extend_from_slice(&items.join(&0u8));
    }
    let hex = manifest.hex();
    let mut lines: Vec<&[u8]> = vec![hex.as_bytes(), user, &date_line];
    lines.extend(files.iter().map(Vec::as_slice));
    lines.push(b"");
    lines.push(description);
    lines.join(&b'\n')
}

/// Whether file revision `a` of `path` is an ancestor of (or is) `b`.
fn file_ancestor(repo: &Repo, path: &[u8], a: &Node, b: &Node) -> RepoResult<bool> {
    let log = repo.filelog(path)?;
    let (Some(ra), Some(rb)) = (log.rev_of_node(a)?, log.rev_of_node(b)?) else {
        return Ok(false);
    };
    let mut stack = vec![rb];
    let mut seen = std::collections::HashSet::new();
    while let Some(r) = stack.pop() {
        if r == ra {
            return Ok(true);
        }
        for p in log.parents(r)? {
            if p != NULL_REVISION && p.0 >= ra.0 && seen.insert(p) {
                stack.push(p);
            }
        }
    }
    Ok(false)
}

/// What [`commit`] did.
#[derive(Debug, Clone)]
pub struct Committed {
    pub node: Node,
    pub rev: Revision,
}

/// Writes the changeset of `prepared` with `info`; see the module docs.
/// Messages hg prints on the way (`-v` notes, warnings) go to `out` as
/// `(verbose_only, message)`.
pub fn commit(
    repo: &Repo,
    ds: &mut WorkingDirstate,
    prepared: &Prepared,
    info: &CommitInfo,
    store_lock: &Lock,
    out: &mut Vec<(bool, Message)>,
) -> RepoResult<Committed> {
    let user = info.user.trim_ascii();
    if user.contains(&b'\n') {
        return Err(RepoError::Message(format!(
            "username {} contains a newline",
            qs_store::pyrepr::python_repr(user)
        )));
    }
    let st = &prepared.status;
    let p1 = prepared.p1;
    let p1_node = repo.node(p1)?;
    let cs1 = repo.changeset(p1)?;
    let m1 = repo.manifest(&cs1.manifest)?;
    let p2 = prepared.p2;
    let p2_node = repo.node(p2)?;
    let cs2 = repo.changeset(p2)?;
    let m2 = repo.manifest(&cs2.manifest)?;
    let ms = if p2.is_null() {
        crate::merge::state::MergeState::default()
    } else {
        crate::merge::state::MergeState::read(repo.dot_hg())?
    };
    let linkrev = Revision(repo.len() as i32);

    let requirements = repo.requirements();
    let mut txn = crate::txn::begin(repo, store_lock, "commit")?;
    let tr = &mut txn.tr;
    let config = WriterConfig::from_requirements(requirements);

    // File revisions.
    let mut committed: Vec<Vec<u8>> = st.modified.iter().chain(&st.added).cloned().collect();
    committed.sort();
    if !committed.is_empty() {
        out.push((true, Message::Status(b"committing files:\n".to_vec())));
    }
    let mut manifest: BTreeMap<Vec<u8>, (Node, Vec<u8>)> = m1
        .iter()
        .map(|(p, n, f)| (p.to_vec(), (n, f.to_vec())))
        .collect();
    let mut touched: Vec<Vec<u8>> = Vec::new();
    for f in &committed {
        let mut line = f.clone();
        line.push(b'\n');
        out.push((true, Message::Status(line)));
        let (content, flags) = crate::workfile::read(repo.root(), f)?;
        let parent = m1.get(f);
        let mut fparent1 = parent.map_or(NULL_NODE, |(n, _)| n);
        let mut fparent2 = m2.get(f).map_or(NULL_NODE, |(n, _)| n);
        let mut copy: Option<(Vec<u8>, Node)> = None;
        if let Some(source) = ds.map.copy_source(f).filter(|s| *s != f.as_slice()) {
            match m1.get(source) {
                Some((cnode, _)) => {
                    copy = Some((source.to_vec(), cnode));
                    fparent1 = NULL_NODE;
                }
                None => out.push((
                    false,
                    Message::Warn(
                        format!(
                            "warning: can't find ancestor for '{}' copied from '{}'!\n",
                            String::from_utf8_lossy(f),
                            String::from_utf8_lossy(source)
                        )
                        .into_bytes(),
                    ),
                )),
            }
        } else if fparent1.is_null() {
            fparent1 = fparent2;
            fparent2 = NULL_NODE;
        } else if !fparent2.is_null() {
            if ms.extra(f, b"filenode-source") == Some(b"other") {
                fparent1 = fparent2;
                fparent2 = NULL_NODE;
            } else if ms.active() && ms.extra(f, b"merged") != Some(b"yes") {
                fparent2 = NULL_NODE;
            } else if file_ancestor(repo, f, &fparent1, &fparent2)? {
                fparent1 = fparent2;
                fparent2 = NULL_NODE;
            } else if file_ancestor(repo, f, &fparent2, &fparent1)? {
                fparent2 = NULL_NODE;
            }
        }
        let changed = !fparent2.is_null()
            || fparent1.is_null()
            || copy.is_some()
            || repo.file_content(f, &fparent1)? != content;
        let node = if changed {
            let radix = [b"data/".as_slice(), f].concat();
            let mut writer = RevlogWriter::open(tr, RevlogKind::Filelog, &radix, &config)?;
            let p1rev = writer.rev_of_node(&fparent1).unwrap_or(NULL_REVISION);
            let p2rev = writer.rev_of_node(&fparent2).unwrap_or(NULL_REVISION);
            let text = filelog_text(&content, copy.as_ref().map(|(s, n)| (s.as_slice(), n)));
            let rev = writer.add(tr, &text, p1rev, p2rev, linkrev)?;
            touched.push(f.clone());
            writer.node(rev)?
        } else {
            if parent.is_some_and(|(_, pf)| pf != flags) {
                touched.push(f.clone());
            }
            fparent1
        };
        manifest.insert(f.clone(), (node, flags.to_vec()));
    }
    let ancestors = if p2.is_null() {
        Vec::new()
    } else {
        crate::changes::common_ancestor_heads(repo, p1, p2)?
            .into_iter()
            .map(|r| repo.manifest_of(r))
            .collect::<RepoResult<Vec<_>>>()?
    };
    for f in &st.removed {
        let dropped = manifest.remove(f).is_some();
        let listed = if p2.is_null() {
            dropped
        } else {
            (m1.get(f).is_some() || m2.get(f).is_some())
                && !crate::changes::deletion_from_parent(f, &m1, &m2, &ancestors)
        };
        if listed {
            touched.push(f.clone());
        }
    }
    touched.sort();

    // Manifest.
    let manifest_changed = manifest.len() != m1.len()
        || m1
            .iter()
            .any(|(p, n, fl)| manifest.get(p).is_none_or(|(n2, f2)| *n2 != n || f2 != fl));
    let manifest_node = if !touched.is_empty() || manifest_changed {
        out.push((true, Message::Status(b"committing manifest\n".to_vec())));
        let mut text = Vec::new();
        for (path, (node, flags)) in &manifest {
            text.extend_from_slice(path);
            text.push(0);
            text.extend_from_slice(node.hex().as_bytes());
            text.extend_from_slice(flags);
            text.push(b'\n');
        }
        let mut writer = RevlogWriter::open(tr, RevlogKind::Manifest, b"00manifest", &config)?;
        let mp1 = writer.rev_of_node(&cs1.manifest).unwrap_or(NULL_REVISION);
        let mp2 = writer.rev_of_node(&cs2.manifest).unwrap_or(NULL_REVISION);
        let rev = writer.add(tr, &text, mp1, mp2, linkrev)?;
        writer.node(rev)?
    } else {
        cs1.manifest
    };

    // Changelog.
    out.push((true, Message::Status(b"committing changelog\n".to_vec())));
    let mut extra = BTreeMap::new();
    if prepared.branch != b"default" && !prepared.branch.is_empty() {
        extra.insert(b"branch".to_vec(), prepared.branch.clone());
    }
    if info.close_branch {
        extra.insert(b"close".to_vec(), b"1".to_vec());
    }
    let description = strip_description(&info.message);
    let text = changelog_text(
        &manifest_node,
        user,
        info.date,
        &extra,
        &touched,
        &description,
    );
    let mut cl = RevlogWriter::open(tr, RevlogKind::Changelog, b"00changelog", &config)?;
    let p1rev = cl.rev_of_node(&p1_node).unwrap_or(NULL_REVISION);
    let p2rev = cl.rev_of_node(&p2_node).unwrap_or(NULL_REVISION);
    let rev = cl.add(tr, &text, p1rev, p2rev, linkrev)?;
    let node = cl.node(rev)?;
    drop(cl);

    register_phase(repo, tr, [p1, p2], node, info.phase)?;
    crate::bookmark::follow_commit(repo, tr, &[p1_node, p2_node], &node)?;
    let reports = txn.commit()?;
    out.extend(
        reports
            .into_iter()
            .map(|m| (false, Message::Warn(m.into_bytes()))),
    );

    // The working directory now has the new changeset as parent.
    for f in &committed {
        ds.map.reset_state(
            f,
            qs_dirstate::Entry {
                wc_tracked: true,
                p1_tracked: true,
                ..qs_dirstate::Entry::default()
            },
        );
    }
    for f in &st.removed {
        ds.map.drop_entry(f);
    }
    ds.map.set_parents(node, NULL_NODE, !p2.is_null());
    ds.write(repo)?;
    if ms.active() || repo.dot_hg().join("merge").exists() {
        crate::merge::state::MergeState::clear(repo.dot_hg())?;
    }
    Ok(Committed { node, rev })
}

/// hg's `registernew`: the new changeset gets `phase`, becoming a root
/// of that phase when its parent's phase is lower.
fn register_phase(
    repo: &Repo,
    tr: &mut Transaction<'_>,
    parents: [Revision; 2],
    node: Node,
    phase: Phase,
) -> RepoResult<()> {
    // Nothing moves when the new changeset inherits its phase (the
    // common case, answered without walking the graph).
    let mut parent_phase = Phase::Public;
    for p in parents {
        parent_phase = parent_phase.max(repo.phase(p)?);
    }
    if phase == Phase::Public || parent_phase >= phase {
        return Ok(());
    }
    let mut roots = crate::phaseroots::PhaseRoots::load(repo)?;
    let mut graph = crate::phaseroots::Graph::of(repo)?;
    let rev = graph.push(parents[0], parents[1]);
    if roots.retract(&graph, phase, &[rev])? {
        roots.write(tr, |r| if r == rev { Ok(node) } else { repo.node(r) })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_stripped_like_hg() {
        assert_eq!(
            strip_description(b"\n\nhello  \nworld\t\n\n"),
            b"hello\nworld"
        );
        assert_eq!(strip_description(b"a\r\nb"), b"a\nb");
        assert_eq!(strip_description(b"   "), b"");
    }

    #[test]
    fn changelog_text_has_hgs_layout() {
        let mut extra = BTreeMap::new();
        extra.insert(b"branch".to_vec(), b"stable".to_vec());
        extra.insert(b"close".to_vec(), b"1".to_vec());
        let text = changelog_text(&NULL_NODE, b"u", (1, -3600), &extra, &[b"a".to_vec()], b"m");
        let expected = format!(
            "{}\nu\n1 -3600 branch:stable\0close:1\na\n\nm",
            NULL_NODE.hex()
        );
        assert_eq!(text, expected.as_bytes());
    }
}
