//! Turning file arguments (relative to the current directory) into
//! repository paths, and repository paths back into what hg prints.

use std::path::{Component, Path, PathBuf};

use crate::error::{CliError, CliResult};

/// Normalises `cwd/arg` lexically and returns it relative to `root`, as
/// `/`-separated bytes; the root itself is the empty path.
pub fn repo_path(root: &Path, cwd: &Path, arg: &str) -> CliResult<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let raw = crate::context::arg_bytes(arg);
    let joined = cwd.join(std::ffi::OsStr::from_bytes(&raw));
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other.as_os_str()),
        }
    }
    let relative = normal
        .strip_prefix(root)
        .map_err(|_| CliError::abort(format!("{arg} not under root '{}'", root.display())))?;
    let parts: Vec<&[u8]> = relative
        .components()
        .map(|c| c.as_os_str().as_bytes())
        .collect();
    Ok(parts.join(&b'/'))
}

/// `path` (repository-relative) as seen from `cwd`, the way hg prints
/// relative paths (`../a`, `sub/b`).
pub fn relative_display(root: &Path, cwd: &Path, path: &[u8]) -> Vec<u8> {
    RelativePaths::new(root, cwd).show(path)
}

/// Shows many repository paths relative to one working directory (the
/// directory's components are split once).
pub struct RelativePaths {
    /// Components of the working directory below the root; `None` when it
    /// is outside the repository (paths are then shown as they are).
    cwd_parts: Option<Vec<Vec<u8>>>,
}

impl RelativePaths {
    pub fn new(root: &Path, cwd: &Path) -> RelativePaths {
        use std::os::unix::ffi::OsStrExt;
        let cwd_parts = cwd.strip_prefix(root).ok().map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().as_bytes().to_vec())
                .collect()
        });
        RelativePaths { cwd_parts }
    }

    /// One path, relative to the working directory.
    pub fn show(&self, path: &[u8]) -> Vec<u8> {
        let cwd_parts = match &self.cwd_parts {
            Some(parts) if !parts.is_empty() => parts,
            _ => return path.to_vec(),
        };
        let path_parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
        let common = cwd_parts
            .iter()
            .zip(path_parts.iter())
            .take_while(|(a, b)| a.as_slice() == **b)
            .count()
            .min(path_parts.len().saturating_sub(1));
        let mut out: Vec<u8> = Vec::new();
        for _ in common..cwd_parts.len() {
            out.extend_from_slice(b"../");
        }
        out.extend_from_slice(&path_parts[common..].join(&b'/'));
        out
    }
}

/// A simple file matcher for plain paths: a file matches an argument equal
/// to it or naming one of its directories (the empty path matches all).
pub struct PathMatcher {
    paths: Vec<Vec<u8>>,
}

impl PathMatcher {
    pub fn new(paths: Vec<Vec<u8>>) -> PathMatcher {
        PathMatcher { paths }
    }

    pub fn matches(&self, file: &[u8]) -> bool {
        self.paths.iter().any(|p| {
            p.is_empty()
                || file == p.as_slice()
                || (file.len() > p.len() && file.starts_with(p) && file[p.len()] == b'/')
        })
    }

    /// The arguments that are exact file names (for "no such file" errors).
    pub fn paths(&self) -> &[Vec<u8>] {
        &self.paths
    }
}

/// Rejects pattern syntax (`glob:`, `re:`, ...) that needs the matcher
/// engine, which qs does not have yet.
pub fn reject_patterns(arg: &str) -> CliResult<()> {
    const KINDS: &[&str] = &[
        "glob:",
        "relglob:",
        "re:",
        "relre:",
        "path:",
        "relpath:",
        "rootfilesin:",
        "set:",
        "listfile:",
        "listfile0:",
        "include:",
        "subinclude:",
        "filepath:",
        "rootglob:",
    ];
    if KINDS.iter().any(|k| arg.starts_with(k)) {
        return Err(CliError::abort_hint(
            format!("file pattern '{arg}' is not supported by qs yet"),
            "use plain file or directory names",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let root = Path::new("/r");
        assert_eq!(
            repo_path(root, Path::new("/r/sub"), "../a").expect("in"),
            b"a"
        );
        assert_eq!(
            repo_path(root, Path::new("/r"), "sub/./b").expect("in"),
            b"sub/b"
        );
        assert!(repo_path(root, Path::new("/r"), "../x").is_err());
        assert_eq!(relative_display(root, Path::new("/r/sub"), b"a"), b"../a");
        assert_eq!(relative_display(root, Path::new("/r/sub"), b"sub/b"), b"b");
        assert_eq!(relative_display(root, Path::new("/r"), b"sub/b"), b"sub/b");
    }
}
