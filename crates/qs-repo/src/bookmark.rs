//! Changing bookmarks as hg's `bookmarks` module does: create or move
//! (`add`), `delete`, `rename`, the active bookmark
//! (`.hg/bookmarks.current`, written at once), and the bookmarks file
//! (`.hg/bookmarks`, or `.hg/store/bookmarks` with `bookmarksinstore`)
//! replaced through the caller's transaction, sorted by name. Names are
//! checked with hg's rules and messages; messages go to `out`.

use std::collections::BTreeMap;

use qs_store::transaction::{Location, Transaction};
use qs_store::{Node, Revision};

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::tracking::Message;

/// The bookmarks being changed and the active one.
#[derive(Clone, Debug)]
pub struct Marks {
    pub marks: BTreeMap<Vec<u8>, Node>,
    pub active: Option<Vec<u8>>,
}

impl Marks {
    /// The repository's bookmarks (on known changesets, as hg reads them).
    pub fn load(repo: &Repo) -> RepoResult<Marks> {
        let b = repo.bookmarks()?;
        Ok(Marks {
            marks: b.marks.iter().cloned().collect(),
            active: b.active.clone(),
        })
    }

    /// hg's `expandname`: `.` is the active bookmark.
    pub fn expand(&self, name: &[u8]) -> RepoResult<Vec<u8>> {
        if name == b"." {
            return self
                .active
                .clone()
                .ok_or_else(|| RepoError::Message("no active bookmark".into()));
        }
        Ok(name.to_vec())
    }

    /// Makes `name` the active bookmark (or none), written at once.
    pub fn set_active(&mut self, repo: &Repo, name: Option<&[u8]>) -> RepoResult<()> {
        self.active = name.map(<[u8]>::to_vec);
        crate::marks::set_active(repo, name)
    }

    /// Replaces the bookmarks file through the transaction.
    pub fn write(&self, repo: &Repo, tr: &mut Transaction<'_>) -> RepoResult<()> {
        let mut text = Vec::new();
        for (name, node) in &self.marks {
            text.extend_from_slice(node.hex().as_bytes());
            text.push(b' ');
            text.extend_from_slice(name);
            text.push(b'\n');
        }
        let location = if repo.requirements().has("bookmarksinstore") {
            Location::Store
        } else {
            Location::Plain
        };
        crate::txn::replace_file(tr, location, b"bookmarks", &text)
    }
}

/// hg's `bookmarks.update` after a commit: the active bookmark follows
/// the new changeset when it was on one of its `parents`.
pub fn follow_commit(
    repo: &Repo,
    tr: &mut Transaction<'_>,
    parents: &[Node],
    node: &Node,
) -> RepoResult<()> {
    let mut marks = Marks::load(repo)?;
    let Some(active) = marks.active.clone() else {
        return Ok(());
    };
    if !marks
        .marks
        .get(&active)
        .is_some_and(|m| parents.contains(m))
    {
        return Ok(());
    }
    marks.marks.insert(active, *node);
    marks.write(repo, tr)
}

/// hg's `checkformat`: the name stripped, refused when empty or not a
/// valid label.
pub fn check_format(name: &[u8]) -> RepoResult<Vec<u8>> {
    let mark = crate::labels::python_strip(name);
    if mark.is_empty() {
        return Err(RepoError::Message(
            "bookmark names cannot consist entirely of whitespace".into(),
        ));
    }
    crate::labels::check_new_label(mark)?;
    Ok(mark.to_vec())
}

fn show(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

fn rev_of(repo: &Repo, node: &Node) -> RepoResult<Revision> {
    Ok(repo
        .changelog()
        .rev_of_node(node)?
        .unwrap_or(qs_store::NULL_REVISION))
}

/// The part of a bookmark name before `@` (divergent bookmarks share it).
fn base(name: &[u8]) -> &[u8] {
    name.split(|&b| b == b'@').next().unwrap_or(name)
}

/// hg's `divergent2delete`: the divergent versions of `mark` (`name@x`)
/// on the nodes of `from`.
fn divergent_to_delete(marks: &Marks, from: &[Node], mark: &[u8]) -> Vec<Vec<u8>> {
    marks
        .marks
        .iter()
        .filter(|(b, n)| {
            base(b) == base(mark)
                && b.as_slice() != b"@"
                && b.contains(&b'@')
                && from.contains(n)
                && b.as_slice() != mark
        })
        .map(|(b, _)| b.clone())
        .collect()
}

/// hg's `checkconflict`: refuses a name that would clash (an existing
/// bookmark unless moved forward to `target`, a branch, unless `force`),
/// warns about names that look like a hash; returns divergent bookmarks
/// to delete.
fn check_conflict(
    repo: &Repo,
    marks: &Marks,
    mark: &[u8],
    force: bool,
    target: Option<&Node>,
    out: &mut Vec<Message>,
) -> RepoResult<Vec<Vec<u8>>> {
    let cur = repo.node(repo.working_parent()?)?;
    if let (Some(existing), false) = (marks.marks.get(mark), force) {
        if let Some(target) = target {
            if existing == target && *target == cur {
                return Ok(Vec::new());
            }
            let target_rev = rev_of(repo, target)?;
            let mut anc = crate::revset::dag::ancestors(repo, &[target_rev], 0, None)?;
            anc.remove(&target_rev);
            let bm_rev = rev_of(repo, existing)?;
            let divs: Vec<Node> = marks
                .marks
                .iter()
                .filter(|(b, _)| base(b) == base(mark))
                .map(|(_, n)| *n)
                .collect();
            if !anc.contains(&bm_rev) && divs.contains(target) {
                return Ok(divergent_to_delete(marks, &[*target], mark));
            }
            let mut from = Vec::new();
            for n in &divs {
                if n == target || anc.contains(&rev_of(repo, n)?) {
                    from.push(*n);
                }
            }
            let delete = divergent_to_delete(marks, &from, mark);
            let forward = existing != target && (bm_rev.is_null() || anc.contains(&bm_rev));
            if forward {
                out.push(Message::Status(
                    format!(
                        "moving bookmark '{}' forward from {}\n",
                        show(mark),
                        existing.short()
                    )
                    .into_bytes(),
                ));
                return Ok(delete);
            }
        }
        return Err(RepoError::Message(format!(
            "bookmark '{}' already exists (use -f to force)",
            show(mark)
        )));
    }
    if !force
        && (repo.branchmap()?.contains_key(mark)
            || mark == crate::working::branch(repo)?.as_slice())
    {
        return Err(RepoError::Message(
            "a bookmark cannot have the name of an existing branch".into(),
        ));
    }
    if mark.len() > 3 && !force {
        // (hg's `isrevsymbol`; `ffff...` names the working directory.)
        let shadows = crate::revspec::is_working_directory_prefix(mark)
            || std::str::from_utf8(mark)
                .ok()
                .is_some_and(|s| crate::revspec::resolve_symbol(repo, s).is_ok());
        if shadows {
            out.push(Message::Warn(
                format!(
                    "bookmark {} matches a changeset hash\n\
                     (did you leave a -r out of an 'hg bookmark' command?)\n",
                    show(mark)
                )
                .into_bytes(),
            ));
        }
    }
    Ok(Vec::new())
}

/// hg's `addbookmarks`: bookmarks `names` on `rev` (`None`: the working
/// directory's parent, and the first name becomes active unless
/// `inactive`).
pub fn add(
    repo: &Repo,
    tr: &mut Transaction<'_>,
    names: &[Vec<u8>],
    rev: Option<Revision>,
    force: bool,
    inactive: bool,
    out: &mut Vec<Message>,
) -> RepoResult<()> {
    let mut marks = Marks::load(repo)?;
    let cur = repo.node(repo.working_parent()?)?;
    let activate_new = !inactive && rev.is_none();
    let target = match rev {
        Some(r) => repo.node(r)?,
        None => cur,
    };
    let mut new_active: Option<Vec<u8>> = None;
    let mut changes: Vec<(Vec<u8>, Option<Node>)> = Vec::new();
    for name in names {
        let mark = check_format(name)?;
        if new_active.is_none() {
            new_active = Some(mark.clone());
        }
        if inactive && marks.active.as_deref() == Some(mark.as_slice()) {
            marks.set_active(repo, None)?;
            continue;
        }
        for b in check_conflict(repo, &marks, &mark, force, Some(&target), out)? {
            changes.push((b, None));
        }
        changes.push((mark, Some(target)));
    }
    if changes.is_empty() {
        return Ok(());
    }
    apply(&mut marks, changes);
    marks.write(repo, tr)?;
    let new_active = new_active.unwrap_or_default();
    if activate_new && marks.marks.get(&new_active) == Some(&cur) {
        marks.set_active(repo, Some(&new_active))?;
    } else if cur != target && marks.active.as_deref() == Some(new_active.as_slice()) {
        marks.set_active(repo, None)?;
    }
    Ok(())
}

fn apply(marks: &mut Marks, changes: Vec<(Vec<u8>, Option<Node>)>) {
    for (name, node) in changes {
        match node {
            Some(n) => {
                marks.marks.insert(name, n);
            }
            None => {
                marks.marks.remove(&name);
            }
        }
    }
}

/// hg's `bookmarks.delete` (names already expanded).
pub fn delete(repo: &Repo, tr: &mut Transaction<'_>, names: &[Vec<u8>]) -> RepoResult<()> {
    let mut marks = Marks::load(repo)?;
    let mut changes = Vec::new();
    for mark in names {
        if !marks.marks.contains_key(mark) {
            return Err(RepoError::Message(format!(
                "bookmark '{}' does not exist",
                show(mark)
            )));
        }
        if marks.active.as_deref() == Some(mark.as_slice()) {
            marks.set_active(repo, None)?;
        }
        changes.push((mark.clone(), None));
    }
    apply(&mut marks, changes);
    marks.write(repo, tr)
}

/// hg's `bookmarks.rename` (`old` already expanded).
pub fn rename(
    repo: &Repo,
    tr: &mut Transaction<'_>,
    old: &[u8],
    new: &[u8],
    force: bool,
    inactive: bool,
    out: &mut Vec<Message>,
) -> RepoResult<()> {
    let mut marks = Marks::load(repo)?;
    let mark = check_format(new)?;
    let Some(node) = marks.marks.get(old).copied() else {
        return Err(RepoError::Message(format!(
            "bookmark '{}' does not exist",
            show(old)
        )));
    };
    let mut changes: Vec<(Vec<u8>, Option<Node>)> =
        check_conflict(repo, &marks, &mark, force, None, out)?
            .into_iter()
            .map(|b| (b, None))
            .collect();
    changes.push((mark.clone(), Some(node)));
    changes.push((old.to_vec(), None));
    apply(&mut marks, changes);
    marks.write(repo, tr)?;
    if marks.active.as_deref() == Some(old) && !inactive {
        marks.set_active(repo, Some(&mark))?;
    }
    Ok(())
}
