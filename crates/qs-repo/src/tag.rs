//! Tagging as hg's `tags.tag` does: the lines appended to `.hgtags` (in
//! the working directory, then committed by the caller) or to
//! `.hg/localtags`: for a name that already has a tag type, its current
//! node (null when it has none) first, then the new node; a missing final
//! newline of the previous content is added first.

use std::io::Write;
use std::path::Path;

use qs_store::{Node, StoreError};

use crate::error::{RepoError, RepoResult};
use crate::names::Tags;
use crate::repo::Repo;
use crate::status::StatusRequest;
use crate::wdirstate::WorkingDirstate;

/// The request matching `.hgtags` alone, wherever the command runs.
pub fn hgtags_request() -> StatusRequest {
    StatusRequest {
        patterns: vec![b"path:.hgtags".to_vec()],
        ..StatusRequest::default()
    }
}

/// hg refuses to commit a tag over a changed `.hgtags` (modified, added,
/// removed, missing, unknown or ignored). As hg's status under the wlock,
/// a `.hgtags` found clean is recorded in `ds` (written by the caller
/// whatever the answer).
pub fn check_hgtags_unchanged(repo: &Repo, ds: &mut WorkingDirstate) -> RepoResult<()> {
    let req = StatusRequest {
        list_unknown: true,
        list_ignored: true,
        ..hgtags_request()
    };
    let mut warnings = Vec::new();
    let matcher = crate::status::request_matcher(repo, &req, &mut warnings)?;
    let (st, fixups) =
        crate::status::status_with_map(repo, &ds.map, &req, &matcher, &mut warnings)?;
    for fixup in &fixups {
        fixup.record_clean(&mut ds.map);
    }
    let changed = [
        &st.modified,
        &st.added,
        &st.removed,
        &st.deleted,
        &st.unknown,
        &st.ignored,
    ]
    .iter()
    .any(|l| !l.is_empty());
    if changed {
        return Err(RepoError::WithHint {
            message: "working copy of .hgtags is changed".into(),
            hint: "please commit .hgtags manually".into(),
        });
    }
    Ok(())
}

/// The lines recording `names` on `node` (hg's `writetags`).
pub fn tag_lines(tags: &Tags, names: &[Vec<u8>], node: &Node) -> Vec<u8> {
    let mut out = Vec::new();
    for name in names {
        if tags.types.contains_key(name) {
            let old = tags.get(name).unwrap_or(qs_store::NULL_NODE);
            out.extend_from_slice(old.hex().as_bytes());
            out.push(b' ');
            out.extend_from_slice(name);
            out.push(b'\n');
        }
        out.extend_from_slice(node.hex().as_bytes());
        out.push(b' ');
        out.extend_from_slice(name);
        out.push(b'\n');
    }
    out
}

/// Appends `lines` to a tag file (created if missing), first ending the
/// previous content's last line.
pub fn append_lines(path: &Path, lines: &[u8]) -> RepoResult<()> {
    let io = |e| RepoError::Store(StoreError::io(path, e));
    let previous = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io(e)),
    };
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(io)?;
    if !previous.is_empty() && !previous.ends_with(b"\n") {
        file.write_all(b"\n").map_err(io)?;
    }
    file.write_all(lines).map_err(io)?;
    Ok(())
}
