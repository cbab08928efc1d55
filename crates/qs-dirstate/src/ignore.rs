//! The ignore matcher (`hg help hgignore`): `.hgignore` at the root (if it
//! exists) plus the files named by `ui.ignore` / `ui.ignore.*`, each read
//! as an `include:` of pattern-file syntax.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::error::DirstateResult;
use crate::matchbuild::{build_matcher, FileReader, PatternContext, Warnings};
use crate::matcher::Matcher;
use crate::pattern::PatternKind;

/// The ignore files hg would use: `<root>/.hgignore` if it exists, then
/// `extra` (the `ui.ignore*` values, already `~`-expanded by the caller;
/// relative ones are taken from the root).
pub fn ignore_files(root: &Path, extra: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    let main = root.join(".hgignore");
    if main.exists() {
        files.push(main.as_os_str().as_bytes().to_vec());
    }
    for path in extra {
        if path.first() == Some(&b'/') {
            files.push(path.clone());
        } else {
            let mut full = root.as_os_str().as_bytes().to_vec();
            full.push(b'/');
            full.extend_from_slice(path);
            files.push(full);
        }
    }
    files
}

/// Builds the ignore matcher from `files` (see [`ignore_files`]); no
/// files means nothing is ignored. Warnings hg would print (unreadable
/// files, bad `syntax:` lines) are appended to `warnings`.
pub fn ignore_matcher(
    root: &Path,
    files: &[Vec<u8>],
    read: FileReader<'_>,
    warnings: &mut Warnings,
) -> DirstateResult<Matcher> {
    if files.is_empty() {
        return Ok(Matcher::Never);
    }
    let includes: Vec<Vec<u8>> = files
        .iter()
        .map(|f| {
            let mut p = b"include:".to_vec();
            p.extend_from_slice(f);
            p
        })
        .collect();
    let ctx = PatternContext {
        root: root.as_os_str().as_bytes(),
        cwd: b"",
        read,
    };
    build_matcher(&ctx, &[], &includes, &[], PatternKind::Glob, warnings)
}

/// True if `path` or one of its parent directories is ignored (hg's
/// `_dirignore`).
pub fn is_path_or_parent_ignored(ignore: &Matcher, path: &[u8]) -> bool {
    ignore.matches(path)
        || crate::matcher::find_dirs(path).any(|d| !d.is_empty() && ignore.matches(d))
}
