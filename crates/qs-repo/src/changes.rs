//! What a changeset did to its files, as hg derives it from the changeset's
//! file list and the manifests: added (in no parent), removed (gone from
//! the changeset, unless a merge only inherited a parent's deletion), and
//! modified (the rest of the list).

use qs_store::manifest::Manifest;
use qs_store::{Revision, NULL_REVISION};

use crate::changeset::Changeset;
use crate::error::RepoResult;
use crate::repo::Repo;

/// Files a changeset modified, added and removed (each sorted).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileChanges {
    pub modified: Vec<Vec<u8>>,
    pub added: Vec<Vec<u8>>,
    pub removed: Vec<Vec<u8>>,
}

/// Classifies `cs.files` the way hg's `filesadded` / `filesremoved` do.
pub fn file_changes(repo: &Repo, cs: &Changeset) -> RepoResult<FileChanges> {
    let [p1, p2] = repo.parents(cs.rev)?;
    let m1 = repo.manifest_of(p1)?;
    let m2 = repo.manifest_of(p2)?;
    let mine = repo.manifest(&cs.manifest)?;
    let mut ancestor_manifests: Option<Vec<Manifest>> = None;
    let mut changes = FileChanges::default();
    for f in &cs.files {
        let path = f.as_slice();
        if m1.get(path).is_none() && m2.get(path).is_none() {
            if mine.get(path).is_some() {
                changes.added.push(f.clone());
            }
            continue;
        }
        if mine.get(path).is_none() {
            if ancestor_manifests.is_none() {
                let heads = common_ancestor_heads(repo, p1, p2)?;
                let mut ms = Vec::new();
                for h in heads {
                    ms.push(repo.manifest_of(h)?);
                }
                ancestor_manifests = Some(ms);
            }
            let mas = ancestor_manifests.as_deref().unwrap_or(&[]);
            if !deletion_from_parent(path, &m1, &m2, mas) {
                changes.removed.push(f.clone());
            }
            continue;
        }
        changes.modified.push(f.clone());
    }
    changes.modified.sort();
    Ok(changes)
}

/// True when a merge did not delete `path` itself: one parent deleted it
/// and the other left it as in the common ancestor(s).
pub(crate) fn deletion_from_parent(
    path: &[u8],
    m1: &Manifest,
    m2: &Manifest,
    mas: &[Manifest],
) -> bool {
    let unchanged_since_ancestors = |m: &Manifest| {
        let entry = m.get(path);
        mas.iter()
            .all(|ma| ma.get(path).is_some() && ma.get(path) == entry)
    };
    if m1.get(path).is_some() {
        m2.get(path).is_none() && unchanged_since_ancestors(m1)
    } else if m2.get(path).is_some() {
        unchanged_since_ancestors(m2)
    } else {
        true
    }
}

/// The heads of the common ancestors of `a` and `b` (`[null]` if none).
pub fn common_ancestor_heads(repo: &Repo, a: Revision, b: Revision) -> RepoResult<Vec<Revision>> {
    if a.is_null() || b.is_null() {
        return Ok(vec![NULL_REVISION]);
    }
    let top = a.0.max(b.0) as usize;
    // Bit 1: ancestor of a; bit 2: ancestor of b.
    let mut marks = vec![0u8; top + 1];
    marks[a.0 as usize] |= 1;
    marks[b.0 as usize] |= 2;
    for r in (0..=top).rev() {
        let m = marks[r];
        if m == 0 {
            continue;
        }
        for p in repo.parents(Revision(r as i32))? {
            if p.0 >= 0 && (p.0 as usize) < r {
                marks[p.0 as usize] |= m;
            }
        }
    }
    let common: Vec<usize> = (0..=top).filter(|&r| marks[r] == 3).collect();
    let mut is_parent_of_common = vec![false; top + 1];
    for &r in &common {
        for p in repo.parents(Revision(r as i32))? {
            if p.0 >= 0 && (p.0 as usize) < r && marks[p.0 as usize] == 3 {
                is_parent_of_common[p.0 as usize] = true;
            }
        }
    }
    let heads: Vec<Revision> = common
        .into_iter()
        .filter(|&r| !is_parent_of_common[r])
        .map(|r| Revision(r as i32))
        .collect();
    Ok(if heads.is_empty() {
        vec![NULL_REVISION]
    } else {
        heads
    })
}

/// The copies a changeset records, as hg's `log --copies` and
/// `{file_copies}` list them (filelog copy metadata, hg's `getrenamed`):
/// for each file of the changeset, the copy source named by the file
/// revision the changeset introduced, or else by the changeset's own file
/// revision when no parent has that same revision.
pub fn changeset_copies(repo: &Repo, cs: &Changeset) -> RepoResult<Vec<(Vec<u8>, Vec<u8>)>> {
    let rev = cs.rev;
    let mine = repo.manifest(&cs.manifest)?;
    let mut out = Vec::new();
    for f in &cs.files {
        let log = repo.filelog(f)?;
        let mut linked = None;
        for r in 0..log.len() as i32 {
            if log.link_rev(Revision(r))? == rev {
                linked = Some(Revision(r));
            }
        }
        let source = match linked {
            Some(frev) => qs_store::filelog::copy_source(&log.data(frev)?).map(|(s, _)| s),
            None => {
                let Some((node, _)) = mine.get(f) else {
                    continue;
                };
                let Some(frev) = log.rev_of_node(&node)? else {
                    continue;
                };
                let mut same_in_parent = false;
                for p in repo.parents(rev)? {
                    if repo.manifest_of(p)?.get(f).is_some_and(|(n, _)| n == node) {
                        same_in_parent = true;
                    }
                }
                if same_in_parent {
                    None
                } else {
                    qs_store::filelog::copy_source(&log.data(frev)?).map(|(s, _)| s)
                }
            }
        };
        if let Some(source) = source {
            out.push((f.clone(), source));
        }
    }
    Ok(out)
}
