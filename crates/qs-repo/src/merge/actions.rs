//! What an update or merge does to each file (hg's `manifestmerge`,
//! `_forgetremoved`, `_resolvetrivial` and the untracked-file check),
//! computed from the working directory's manifest (the first parent's
//! with its changes), the target's and the ancestor's.

use std::collections::BTreeMap;

use qs_store::manifest::Manifest;
use qs_store::Node;

/// What the working directory holds for a file, as a manifest entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileId {
    /// A committed file revision.
    Node(Node),
    /// Added in the working directory.
    Added,
    /// Modified in the working directory.
    Modified,
}

/// A manifest of files: id and flags.
pub type Entries = BTreeMap<Vec<u8>, (FileId, Vec<u8>)>;

/// A committed manifest as [`Entries`].
pub fn entries(m: &Manifest) -> Entries {
    m.iter()
        .map(|(p, n, f)| (p.to_vec(), (FileId::Node(n), f.to_vec())))
        .collect()
}

/// One file's action (hg's action codes in brackets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write the target's version with these flags (`g`).
    Get { flags: Vec<u8> },
    /// Remove the file (`r`).
    Remove,
    /// Forget it, leaving the file alone (`f`).
    Forget,
    /// Change its flags only (`e`).
    Exec { flags: Vec<u8> },
    /// Merge both versions (`m`).
    Merge,
    /// Changed locally, deleted by the other side (`cd`).
    ChangedDeleted,
    /// Deleted locally, changed by the other side (`dc`).
    DeletedChanged,
    /// Created by the other side (`c`, becomes `g` after the check).
    Created { flags: Vec<u8> },
    /// Nothing to do (`k`, `ka`, `kn`).
    Keep,
}

impl Action {
    /// hg's `hasconflicts` for `commands.update.check=noconflict`.
    pub fn is_conflict(&self) -> bool {
        !matches!(
            self,
            Action::Get { .. } | Action::Exec { .. } | Action::Remove | Action::Keep
        )
    }
}

/// Merge-state extras of one file: `(key, value)` pairs.
pub type CommitInfo = Vec<(&'static [u8], &'static [u8])>;

/// The actions and the commit information a merge records.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub actions: BTreeMap<Vec<u8>, Action>,
    /// Extras for the merge state (`filenode-source`,
    /// `merge-removal-candidate`).
    pub commit_info: BTreeMap<Vec<u8>, CommitInfo>,
    /// Dirstate changes of kept changed/deleted conflicts.
    pub extra_dirstate: Vec<(Vec<u8>, super::Extra)>,
}

impl Plan {
    fn add(&mut self, path: &[u8], action: Action) {
        self.actions.insert(path.to_vec(), action);
    }

    fn info(&mut self, path: &[u8], key: &'static [u8], value: &'static [u8]) {
        self.commit_info
            .entry(path.to_vec())
            .or_default()
            .push((key, value));
    }
}

/// hg's `manifestmerge` without copy tracing (the caller refuses merges
/// where copies would matter). For `update --clean` the ancestor is the
/// working directory itself (`ma == m1`). `restrict`: only files where the ancestor
/// and the target differ are considered (hg's optimisation when the
/// ancestor is neither side, which also decides what it records).
pub fn manifest_merge(
    m1: &Entries,
    m2: &Entries,
    ma: &Entries,
    branch_merge: bool,
    restrict: bool,
) -> Plan {
    let mut plan = Plan::default();
    let mut paths: Vec<&Vec<u8>> = m1.keys().chain(m2.keys()).collect();
    paths.sort();
    paths.dedup();
    for f in paths {
        let (l, r, a) = (m1.get(f), m2.get(f), ma.get(f));
        if l == r {
            continue;
        }
        if restrict && a == r {
            continue;
        }
        match (l, r) {
            (Some((n1, fl1)), Some((n2, fl2))) => match a {
                None => plan.add(f, Action::Merge),
                Some((na, fla)) => {
                    let nol = !(fl1.contains(&b'l') || fl2.contains(&b'l') || fla.contains(&b'l'));
                    if n2 == na && fl2 == fla {
                        plan.add(f, Action::Keep);
                    } else if n1 == na && fl1 == fla {
                        if n1 == n2 {
                            plan.add(f, Action::Exec { flags: fl2.clone() });
                        } else {
                            plan.add(f, Action::Get { flags: fl2.clone() });
                            if branch_merge {
                                plan.info(f, b"filenode-source", b"other");
                            }
                        }
                    } else if nol && n2 == na {
                        plan.add(f, Action::Exec { flags: fl2.clone() });
                    } else if nol && n1 == na {
                        plan.add(f, Action::Get { flags: fl1.clone() });
                        if branch_merge {
                            plan.info(f, b"filenode-source", b"other");
                        }
                    } else {
                        plan.add(f, Action::Merge);
                    }
                }
            },
            (Some((n1, _)), None) => match a {
                Some((na, _)) if n1 != na => {
                    if *n1 == FileId::Added {
                        plan.add(f, Action::Forget);
                    } else {
                        plan.add(f, Action::ChangedDeleted);
                        if branch_merge {
                            plan.info(f, b"merge-removal-candidate", b"yes");
                        }
                    }
                }
                Some(_) if *n1 == FileId::Added => plan.add(f, Action::Forget),
                Some(_) => {
                    plan.add(f, Action::Remove);
                    if branch_merge {
                        plan.info(f, b"merge-removal-candidate", b"yes");
                    }
                }
                None => plan.add(f, Action::Keep),
            },
            (None, Some((n2, fl2))) => match a {
                None => plan.add(f, Action::Created { flags: fl2.clone() }),
                Some((na, _)) if n2 != na => {
                    plan.add(f, Action::DeletedChanged);
                    if branch_merge {
                        plan.info(f, b"merge-removal-candidate", b"yes");
                    }
                }
                Some(_) => {
                    plan.add(f, Action::Keep);
                    if branch_merge {
                        plan.info(f, b"merge-removal-candidate", b"yes");
                    }
                }
            },
            (None, None) => {}
        }
    }
    plan
}

/// hg's `_forgetremoved`: missing files the target lacks are forgotten
/// (removed in a merge); removed files it lacks are forgotten on update.
pub fn forget_removed(
    plan: &mut Plan,
    deleted: &[Vec<u8>],
    removed: &[Vec<u8>],
    m2: &Entries,
    branch_merge: bool,
) {
    for f in deleted {
        if !m2.contains_key(f) {
            let action = if branch_merge {
                Action::Remove
            } else {
                Action::Forget
            };
            plan.add(f, action);
        }
    }
    if !branch_merge {
        for f in removed {
            if !m2.contains_key(f) {
                plan.add(f, Action::Forget);
            }
        }
    }
}
