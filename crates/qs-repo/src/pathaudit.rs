//! Checks on file names a command is about to track, with hg's wording:
//! the path auditor (no `.hg` component, no `..`, nothing inside a nested
//! repository or through a symbolic link), names hg refuses outright
//! (newline or carriage return), and names hg only warns about because
//! Windows could not hold them (`ui.portablefilenames`).

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use qs_store::pyrepr::python_repr;

use crate::error::{RepoError, RepoResult};

/// Audits a repository-relative path as hg's `pathauditor` does before a
/// command touches it.
pub fn audit(root: &Path, path: &[u8]) -> RepoResult<()> {
    if path.is_empty() {
        return Ok(());
    }
    let shown = String::from_utf8_lossy(path);
    let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
    let lower: Vec<Vec<u8>> = parts.iter().map(|p| p.to_ascii_lowercase()).collect();
    let first = lower[0].as_slice();
    if first == b".hg" || first == b".hg." || first.is_empty() || parts.contains(&&b".."[..]) {
        return Err(RepoError::Message(format!(
            "path contains illegal component: {shown}"
        )));
    }
    for (pos, part) in lower.iter().enumerate().skip(1) {
        if part == b".hg" || part == b".hg." {
            let base = parts[..pos].join(&b'/');
            return Err(RepoError::Message(format!(
                "path '{shown}' is inside nested repo {}",
                python_repr(&base)
            )));
        }
    }
    // Every proper prefix must be a real directory, not a symlink nor a
    // nested repository.
    for end in 1..parts.len() {
        let prefix = parts[..end].join(&b'/');
        let full = root.join(std::ffi::OsStr::from_bytes(&prefix));
        match std::fs::symlink_metadata(&full) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(RepoError::Message(format!(
                    "path {} traverses symbolic link {}",
                    python_repr(path),
                    python_repr(&prefix)
                )));
            }
            Ok(m) if m.is_dir() && full.join(".hg").is_dir() => {
                return Err(RepoError::Message(format!(
                    "path '{shown}' is inside nested repo {}",
                    python_repr(&prefix)
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// hg's `checkfilename`: names with a newline or carriage return cannot
/// be tracked.
pub fn check_filename(path: &[u8]) -> RepoResult<()> {
    if path.contains(&b'\n') || path.contains(&b'\r') {
        return Err(RepoError::Message(format!(
            "'\\n' and '\\r' disallowed in filenames: {}",
            python_repr(path)
        )));
    }
    Ok(())
}

const WIN_RESERVED_NAMES: &[&[u8]] = &[
    b"con", b"prn", b"aux", b"nul", b"com1", b"com2", b"com3", b"com4", b"com5", b"com6", b"com7",
    b"com8", b"com9", b"lpt1", b"lpt2", b"lpt3", b"lpt4", b"lpt5", b"lpt6", b"lpt7", b"lpt8",
    b"lpt9",
];
const WIN_RESERVED_CHARS: &[u8] = b":*?\"<>|";

/// hg's `checkwinfilename`: why `path` could not be a file name on
/// Windows, or `None`.
pub fn windows_problem(path: &[u8]) -> Option<String> {
    if path.ends_with(b"\\") {
        return Some("filename ends with '\\', which is invalid on Windows".into());
    }
    if path.windows(2).any(|w| w == b"\\/") {
        return Some("directory name ends with '\\', which is invalid on Windows".into());
    }
    let normal: Vec<u8> = path
        .iter()
        .map(|&b| if b == b'\\' { b'/' } else { b })
        .collect();
    for n in normal.split(|&b| b == b'/') {
        if n.is_empty() {
            continue;
        }
        for &c in n {
            if WIN_RESERVED_CHARS.contains(&c) {
                return Some(format!(
                    "filename contains '{}', which is reserved on Windows",
                    c as char
                ));
            }
            if c <= 31 {
                let escaped = match c {
                    b'\t' => "\\t".to_string(),
                    b'\n' => "\\n".to_string(),
                    b'\r' => "\\r".to_string(),
                    _ => format!("\\x{c:02x}"),
                };
                return Some(format!(
                    "filename contains '{escaped}', which is invalid on Windows"
                ));
            }
        }
        let base = n.split(|&b| b == b'.').next().unwrap_or(b"");
        if !base.is_empty() && WIN_RESERVED_NAMES.contains(&base.to_ascii_lowercase().as_slice()) {
            return Some(format!(
                "filename contains '{}', which is reserved on Windows",
                String::from_utf8_lossy(base)
            ));
        }
        let last = n[n.len() - 1];
        if (last == b'.' || last == b' ') && n != b"." && n != b".." {
            return Some(format!(
                "filename ends with '{}', which is not allowed on Windows",
                last as char
            ));
        }
    }
    None
}

/// hg's `shellquote` (POSIX): bare when only `[a-zA-Z0-9._/+-]`, else
/// single quotes with embedded quotes escaped.
pub fn shell_quote(s: &[u8]) -> String {
    let text = String::from_utf8_lossy(s);
    let safe = |c: char| c.is_ascii_alphanumeric() || "._/+-".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        return text.into_owned();
    }
    format!("'{}'", text.replace('\'', "'\"'\"'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_names_follow_hg() {
        assert_eq!(windows_problem(b"just/a/normal/path"), None);
        assert_eq!(
            windows_problem(b"foo/bar/con.xml").as_deref(),
            Some("filename contains 'con', which is reserved on Windows")
        );
        assert_eq!(windows_problem(b"foo/bar/xml.con"), None);
        assert_eq!(
            windows_problem(b"foo/bar/b\x07la.txt").as_deref(),
            Some("filename contains '\\x07', which is invalid on Windows")
        );
        assert_eq!(
            windows_problem(b"foo/bar/bla ").as_deref(),
            Some("filename ends with ' ', which is not allowed on Windows")
        );
        assert_eq!(windows_problem(b"../bar"), None);
    }

    #[test]
    fn illegal_components_are_refused() {
        let root = Path::new("/nonexistent-root");
        assert!(audit(root, b".hg/x").is_err());
        assert!(audit(root, b"a/.hg/x").is_err());
        assert!(audit(root, b"a/../b").is_err());
        assert!(audit(root, b"a/b").is_ok());
        assert!(check_filename(b"a\nb").is_err());
    }
}
