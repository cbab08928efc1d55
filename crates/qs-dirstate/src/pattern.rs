//! hg file patterns (`hg help patterns`): kinds (`path:`, `glob:`,
//! `re:`...), their normalisation against the repository root and the
//! current directory, and their translation into regular expressions for
//! the `regex` crate (hg's glob syntax, and Python `re` syntax rewritten
//! where it differs).

use crate::error::{DirstateError, DirstateResult};

/// A pattern kind (the part before `:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PatternKind {
    /// `re:` rooted regular expression.
    Re,
    /// `glob:` glob relative to the cwd.
    Glob,
    /// `path:` path relative to the root, recursive.
    Path,
    /// `filepath:` exactly one file, relative to the root.
    FilePath,
    /// `relglob:` unrooted glob.
    RelGlob,
    /// `relpath:` path relative to the cwd, recursive.
    RelPath,
    /// `relre:` unrooted regular expression.
    RelRe,
    /// `rootglob:` glob relative to the root.
    RootGlob,
    /// `listfile:` newline-separated list of patterns in a file.
    ListFile,
    /// `listfile0:` NUL-separated list.
    ListFile0,
    /// `set:` fileset (not supported here).
    Set,
    /// `include:` patterns read from a file.
    Include,
    /// `subinclude:` patterns from a file, applying below its directory.
    SubInclude,
    /// `rootfilesin:` files directly in a directory.
    RootFilesIn,
}

impl PatternKind {
    /// The kind's name as written before the colon.
    pub fn name(self) -> &'static str {
        match self {
            PatternKind::Re => "re",
            PatternKind::Glob => "glob",
            PatternKind::Path => "path",
            PatternKind::FilePath => "filepath",
            PatternKind::RelGlob => "relglob",
            PatternKind::RelPath => "relpath",
            PatternKind::RelRe => "relre",
            PatternKind::RootGlob => "rootglob",
            PatternKind::ListFile => "listfile",
            PatternKind::ListFile0 => "listfile0",
            PatternKind::Set => "set",
            PatternKind::Include => "include",
            PatternKind::SubInclude => "subinclude",
            PatternKind::RootFilesIn => "rootfilesin",
        }
    }

    /// Parses a kind name.
    pub fn from_name(name: &[u8]) -> Option<Self> {
        use PatternKind::*;
        [
            Re,
            Glob,
            Path,
            FilePath,
            RelGlob,
            RelPath,
            RelRe,
            RootGlob,
            ListFile,
            ListFile0,
            Set,
            Include,
            SubInclude,
            RootFilesIn,
        ]
        .into_iter()
        .find(|k| k.name().as_bytes() == name)
    }
}

/// Splits `kind:pattern`; an unknown or absent kind gives `default`.
pub fn split_kind(pattern: &[u8], default: PatternKind) -> (PatternKind, &[u8]) {
    if let Some(colon) = pattern.iter().position(|&b| b == b':') {
        if let Some(kind) = PatternKind::from_name(&pattern[..colon]) {
            return (kind, &pattern[colon + 1..]);
        }
    }
    (default, pattern)
}

/// A normalised pattern: kind, rooted pattern, and the file it came from
/// (empty for command-line patterns).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct KindPat {
    /// Kind.
    pub kind: PatternKind,
    /// Pattern, rooted at the repository root where the kind allows.
    pub pattern: Vec<u8>,
    /// Source file (for error messages and `subinclude:`), or empty.
    pub source: Vec<u8>,
}

/// `os.path.normpath` on `/`-separated bytes.
pub fn normpath(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b".".to_vec();
    }
    let absolute = path.first() == Some(&b'/');
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in path.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                if parts.last().is_some_and(|p| *p != b"..") {
                    parts.pop();
                } else if !absolute {
                    parts.push(part);
                }
            }
            _ => parts.push(part),
        }
    }
    let mut out = if absolute { b"/".to_vec() } else { Vec::new() };
    out.extend_from_slice(&parts.join(&b'/'));
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

/// hg's `canonpath` without symlink resolution: `name` (absolute, or
/// relative to `cwd`, itself relative to `root`) as a root-relative path.
pub fn canonpath(root: &[u8], cwd: &[u8], name: &[u8]) -> DirstateResult<Vec<u8>> {
    let root = normpath(root);
    let joined = if name.first() == Some(&b'/') {
        name.to_vec()
    } else {
        let mut j = root.clone();
        for part in [cwd, name] {
            if !part.is_empty() {
                j.push(b'/');
                j.extend_from_slice(part);
            }
        }
        j
    };
    let full = normpath(&joined);
    if full == root {
        return Ok(Vec::new());
    }
    let mut rootsep = root.clone();
    if rootsep.last() != Some(&b'/') {
        rootsep.push(b'/');
    }
    match full.strip_prefix(rootsep.as_slice()) {
        Some(rest) if !rest.is_empty() => Ok(rest.to_vec()),
        _ => Err(DirstateError::InvalidPattern(format!(
            "{} not under root '{}'",
            String::from_utf8_lossy(name),
            String::from_utf8_lossy(&root)
        ))),
    }
}

/// Escapes one byte for use outside a character class.
pub(crate) fn escape_byte(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() || b == b'_' || b == b'/' {
        out.push(char::from(b));
    } else {
        out.push_str(&format!("\\x{b:02x}"));
    }
}

/// Escapes a literal for the `regex` crate (bytes mode).
pub fn escape(literal: &[u8]) -> String {
    let mut out = String::with_capacity(literal.len() * 2);
    for &b in literal {
        escape_byte(&mut out, b);
    }
    out
}

/// hg's glob syntax as a regular expression: `*` (within a path
/// component), `**` (across components, `**/` possibly empty), `?`,
/// `[...]` / `[!...]` classes, `{a,b}` alternatives, `\` escapes.
pub fn glob_to_regex(pat: &[u8]) -> String {
    let mut res = String::new();
    let mut i = 0;
    let n = pat.len();
    let mut group = 0;
    while i < n {
        let c = pat[i];
        i += 1;
        match c {
            b'*' => {
                if pat.get(i) == Some(&b'*') {
                    i += 1;
                    if pat.get(i) == Some(&b'/') {
                        i += 1;
                        res.push_str("(?:.*/)?");
                    } else {
                        res.push_str(".*");
                    }
                } else {
                    res.push_str("[^/]*");
                }
            }
            b'?' => res.push('.'),
            b'[' => {
                let mut j = i;
                if j < n && (pat[j] == b'!' || pat[j] == b']') {
                    j += 1;
                }
                while j < n && pat[j] != b']' {
                    j += 1;
                }
                if j >= n {
                    res.push_str("\\[");
                } else {
                    let stuff = &pat[i..j];
                    i = j + 1;
                    res.push('[');
                    let body = match stuff.first() {
                        Some(b'!') => {
                            res.push('^');
                            &stuff[1..]
                        }
                        _ => stuff,
                    };
                    for &b in body {
                        if b == b'-' || b.is_ascii_alphanumeric() {
                            res.push(char::from(b));
                        } else {
                            res.push_str(&format!("\\x{b:02x}"));
                        }
                    }
                    res.push(']');
                }
            }
            b'{' => {
                group += 1;
                res.push_str("(?:");
            }
            b'}' if group > 0 => {
                res.push(')');
                group -= 1;
            }
            b',' if group > 0 => res.push('|'),
            b'\\' => match pat.get(i) {
                Some(&p) => {
                    i += 1;
                    escape_byte(&mut res, p);
                }
                None => escape_byte(&mut res, c),
            },
            _ => escape_byte(&mut res, c),
        }
    }
    res
}

/// The regex of one non-`filepath` pattern (hg's `_regex`), with
/// `glob_suffix` appended to globs (`$` for patterns, `(?:/|$)` for
/// include/exclude and ignore files).
pub fn pattern_to_regex(
    kind: PatternKind,
    pat: &[u8],
    glob_suffix: &str,
) -> DirstateResult<String> {
    use PatternKind::*;
    if pat.is_empty() && matches!(kind, Glob | RelPath) {
        return Ok(String::new());
    }
    Ok(match kind {
        Re => crate::pyre::translate(pat)?,
        Path | RelPath => {
            if pat == b"." {
                String::new()
            } else {
                format!("{}(?:/|$)", escape(pat))
            }
        }
        RootFilesIn => {
            let dir = if pat == b"." {
                String::new()
            } else {
                format!("{}/", escape(pat))
            };
            format!("{dir}[^/]+$")
        }
        RelGlob => {
            let g = glob_to_regex(pat);
            match g.strip_prefix("[^/]*") {
                Some(rest) => format!(".*{rest}{glob_suffix}"),
                None => format!("(?:|.*/){g}{glob_suffix}"),
            }
        }
        RelRe => {
            let (flags, body) = split_leading_flags(pat);
            let mut r = crate::pyre::translate(body)?;
            if !body.starts_with(b"^") {
                r = format!(".*{r}");
            }
            match flags {
                Some(f) => format!("(?{f}:{r})"),
                None => r,
            }
        }
        Glob | RootGlob => format!("{}{glob_suffix}", glob_to_regex(pat)),
        FilePath | ListFile | ListFile0 | Set | Include | SubInclude => {
            return Err(DirstateError::InvalidPattern(format!(
                "not a regex pattern: {}:{}",
                kind.name(),
                String::from_utf8_lossy(pat)
            )))
        }
    })
}

/// Splits a leading `(?flags)` group of a `relre:` pattern (hg moves it
/// into a scoped group). Python's `a`, `L`, `u` flags have no equivalent
/// and are dropped.
fn split_leading_flags(pat: &[u8]) -> (Option<String>, &[u8]) {
    if let Some(rest) = pat.strip_prefix(b"(?") {
        let len = rest.iter().take_while(|b| b"aiLmsux".contains(b)).count();
        if len > 0 && rest.get(len) == Some(&b')') {
            let flags: String = rest[..len]
                .iter()
                .filter(|b| b"imsx".contains(b))
                .map(|&b| char::from(b))
                .collect();
            return (Some(flags).filter(|f| !f.is_empty()), &rest[len + 1..]);
        }
    }
    (None, pat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_split() {
        assert_eq!(
            split_kind(b"glob:*.c", PatternKind::RelPath),
            (PatternKind::Glob, &b"*.c"[..])
        );
        assert_eq!(
            split_kind(b"foo:bar", PatternKind::RelPath),
            (PatternKind::RelPath, &b"foo:bar"[..])
        );
    }

    #[test]
    fn globs() {
        assert_eq!(glob_to_regex(b"?"), ".");
        assert_eq!(glob_to_regex(b"*"), "[^/]*");
        assert_eq!(glob_to_regex(b"**"), ".*");
        assert_eq!(glob_to_regex(b"**/a"), "(?:.*/)?a");
        assert_eq!(glob_to_regex(b"{a,b}"), "(?:a|b)");
        assert_eq!(glob_to_regex(b"[!c]"), "[^c]");
        assert_eq!(glob_to_regex(b"[^b]"), "[\\x5eb]");
    }

    #[test]
    fn canonical_paths() {
        assert_eq!(canonpath(b"/repo", b"sub", b"f").expect("ok"), b"sub/f");
        assert_eq!(canonpath(b"/repo", b"sub", b"..").expect("ok"), b"");
        assert_eq!(canonpath(b"/repo", b"", b"/repo/x").expect("ok"), b"x");
        assert!(canonpath(b"/repo", b"", b"../x").is_err());
        assert_eq!(normpath(b"a//b/./c/.."), b"a/b");
    }
}
