//! Resolving one file of the merge state (hg's `mergestate.resolve` and
//! `filemerge` with the internal `:merge` tool): the local version is
//! restored from its backup with the merged flags, identical sides need
//! nothing, text files are merged by [`super::simplemerge`] (conflict
//! markers and `FILE.orig` left on conflict), binary files and
//! change/delete conflicts take hg's non-interactive prompt answer and
//! stay unresolved.

use std::os::unix::ffi::OsStrExt;

use qs_store::{Node, Revision};

use super::actions::Action;
use super::simplemerge::{self, Labels};
use super::state::{self, MergeState};
use super::Extra;
use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::tracking::Message;

/// hg's `-v` note when it looks for the last-resort external tool.
const NO_HGMERGE: &[u8] = b"couldn't find merge tool hgmerge\n";

/// What resolving a file gave.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// `None`: nothing to merge (sides identical); `Some(0)`: merged;
    /// `Some(1)`: unresolved.
    pub result: Option<i32>,
    /// A dirstate action the result implies (`dc` conflicts: the other
    /// version was written).
    pub action: Option<Action>,
    /// The dirstate change for a kept changed/deleted file.
    pub extra: Option<Extra>,
}

/// One file merge's context.
pub struct FileMerge<'a> {
    pub repo: &'a Repo,
    /// local, other and base labels.
    pub labels: [&'a str; 3],
    pub display: &'a dyn Fn(&[u8]) -> Vec<u8>,
    /// `ui.merge`.
    pub merge_tool: Option<&'a str>,
    /// The local changeset (the working directory's first parent).
    pub local_parent: Revision,
}

/// A file revision's content and flags in changeset `node`'s manifest.
fn version(
    repo: &Repo,
    path: &[u8],
    filenode: &[u8],
    changeset: Option<&[u8]>,
) -> RepoResult<Option<(Vec<u8>, Vec<u8>)>> {
    if filenode == state::NULL_HEX {
        return Ok(None);
    }
    let node = Node::from_hex(filenode).ok_or_else(|| {
        RepoError::Message(format!(
            "invalid merge state node {}",
            String::from_utf8_lossy(filenode)
        ))
    })?;
    let data = repo.file_content(path, &node)?;
    let mut flags = Vec::new();
    if let Some(cs) = changeset.and_then(Node::from_hex) {
        if let Some(rev) = repo.changelog().rev_of_node(&cs)? {
            if let Some((_, fl)) = repo.manifest_of(rev)?.get(path) {
                flags = fl.to_vec();
            }
        }
    }
    Ok(Some((data, flags)))
}

impl FileMerge<'_> {
    fn show(&self, f: &[u8]) -> String {
        String::from_utf8_lossy(&(self.display)(f)).into_owned()
    }

    /// Resolves `f` (which must have a record in `ms`).
    pub fn resolve(
        &self,
        ms: &mut MergeState,
        f: &[u8],
        out: &mut super::Notes,
    ) -> RepoResult<Outcome> {
        let repo = self.repo;
        let root = repo.root();
        let Some(record) = ms.get(f).cloned() else {
            return Ok(Outcome::default());
        };
        if record.state() == state::RESOLVED {
            return Ok(Outcome {
                result: Some(0),
                ..Outcome::default()
            });
        }
        if record.kind == b'P' {
            return Err(RepoError::Message(
                "path conflicts are not supported by qs yet".into(),
            ));
        }
        let other_hex = ms.other.map(|n| n.hex().into_bytes());
        let other = version(
            repo,
            record.other_path(),
            record.other_node(),
            other_hex.as_deref(),
        )?;
        let anc_link = ms.extra(f, b"ancestorlinknode").map(<[u8]>::to_vec);
        let base = version(
            repo,
            record.ancestor_path(),
            record.ancestor_node(),
            anc_link.as_deref(),
        )?;
        let local_absent = record.local_key() == state::NULL_HEX;
        let mut flags = record.flags().to_vec();
        let flo = other.as_ref().map(|(_, fl)| fl.clone()).unwrap_or_default();
        let fla = base.as_ref().map(|(_, fl)| fl.clone()).unwrap_or_default();
        let all = [flags.as_slice(), &flo, &fla].concat();
        if all.contains(&b'x') && !all.contains(&b'l') {
            if base.is_none() && flags != flo {
                out.push((
                    false,
                    Message::Warn(
                        format!(
                            "warning: cannot merge flags for {} without common ancestor - keeping local flags\n",
                            String::from_utf8_lossy(record.ancestor_path())
                        )
                        .into_bytes(),
                    ),
                ));
            } else if flags == fla {
                flags = flo.clone();
            }
        }
        // Restore the local version.
        let local = if local_absent {
            crate::workfile::remove(root, f, false)?;
            None
        } else {
            let data = MergeState::backup(repo.dot_hg(), record.local_key())?;
            crate::workfile::write(root, f, &data, &flags)?;
            Some(data)
        };
        if let (Some(l), Some((o, _))) = (&local, &other) {
            if l == o {
                ms.remove(f);
                return Ok(Outcome::default());
            }
        }
        let mut outcome = Outcome::default();
        let prompts = (self.labels[0], self.labels[1]);
        let fd = self.show(f);
        let result = if local.is_none() || other.is_none() {
            let text = if other.is_none() {
                format!(
                    "file '{fd}' was deleted in other [{}] but was modified in local [{}].\n\
                     You can use (c)hanged version, (d)elete, or leave (u)nresolved.\n\
                     What do you want to do? u\n",
                    prompts.1, prompts.0
                )
            } else {
                format!(
                    "file '{fd}' was deleted in local [{}] but was modified in other [{}].\n\
                     You can use (c)hanged version, leave (d)eleted, or leave (u)nresolved.\n\
                     What do you want to do? u\n",
                    prompts.0, prompts.1
                )
            };
            out.push((true, Message::Status(NO_HGMERGE.to_vec())));
            out.push((false, Message::Prompt(text.into_bytes())));
            if let (None, Some((data, oflags))) = (&local, &other) {
                crate::workfile::write(root, f, data, oflags)?;
            }
            1
        } else {
            let l = local.as_deref().unwrap_or_default();
            let (o, _) = other
                .as_ref()
                .map(|(d, fl)| (d.as_slice(), fl))
                .unwrap_or((&[], &flo));
            let b = base.as_ref().map_or(&[][..], |(d, _)| d.as_slice());
            if simplemerge::is_binary(l) || simplemerge::is_binary(o) || simplemerge::is_binary(b) {
                if let Some(tool) = self.merge_tool {
                    out.push((
                        false,
                        Message::Warn(
                            format!("tool {tool} (for pattern {fd}) can't handle binary\n")
                                .into_bytes(),
                        ),
                    ));
                }
                out.push((true, Message::Status(NO_HGMERGE.to_vec())));
                out.push((
                    false,
                    Message::Warn(format!("no tool found to merge {fd}\n").into_bytes()),
                ));
                out.push((
                    false,
                    Message::Prompt(
                        format!(
                            "file '{fd}' needs to be resolved.\n\
                             You can keep (l)ocal [{}], take (o)ther [{}], or leave (u)nresolved.\n\
                             What do you want to do? u\n",
                            prompts.0, prompts.1
                        )
                        .into_bytes(),
                    ),
                ));
                1
            } else {
                out.push((
                    false,
                    Message::Status(format!("merging {fd}\n").into_bytes()),
                ));
                let orig = root.join(std::ffi::OsStr::from_bytes(&[f, b".orig"].concat()));
                let labels = Labels {
                    local: Some(self.labels[0].as_bytes().to_vec()),
                    other: Some(self.labels[1].as_bytes().to_vec()),
                };
                let (merged, conflicts) = simplemerge::merge(b, l, o, &labels);
                if conflicts {
                    crate::workfile::write(root, f, l, &flags)?;
                    let _ = std::fs::remove_file(&orig);
                    std::fs::copy(root.join(std::ffi::OsStr::from_bytes(f)), &orig)
                        .map_err(|e| qs_store::StoreError::io(&orig, e))?;
                }
                crate::workfile::write(root, f, &merged, &flags)?;
                if conflicts {
                    out.push((
                        false,
                        Message::Warn(
                            format!("warning: conflicts while merging {fd}! (edit, then use 'hg resolve --mark')\n")
                                .into_bytes(),
                        ),
                    ));
                    1
                } else {
                    ms.mark(f, state::RESOLVED);
                    0
                }
            }
        };
        outcome.result = Some(result);
        if local.is_none() {
            outcome.action = Some(Action::Get { flags: flo });
        } else if other.is_none() {
            let in_local = repo.manifest_of(self.local_parent)?.get(f).is_some();
            outcome.extra = Some(if in_local {
                Extra::AddModified
            } else {
                Extra::Added
            });
        }
        Ok(outcome)
    }
}
