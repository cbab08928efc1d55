//! Building matchers from pattern strings the way hg's `match.match` does:
//! normalise each `kind:pattern` against the root and cwd, expand
//! `listfile:` and `include:` (through the caller's file reader), compile
//! regexes, and combine patterns with `-I` (intersection) and `-X`
//! (difference).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use regex::bytes::{Regex, RegexBuilder};

use crate::error::{DirstateError, DirstateResult};
use crate::matcher::{
    find_dirs, intersect, ExactMatcher, IncludeMatcher, Matcher, PatternMatcher, PatternSet,
};
use crate::pattern::{canonpath, normpath, pattern_to_regex, split_kind, KindPat, PatternKind};

/// Reads a file named by a pattern (`listfile:`, `include:`, ignore files).
pub type FileReader<'a> = &'a (dyn Fn(&Path) -> std::io::Result<Vec<u8>> + Sync);

/// Where patterns are interpreted.
#[derive(Clone, Copy)]
pub struct PatternContext<'a> {
    /// Absolute repository root.
    pub root: &'a [u8],
    /// Current directory, relative to the root (`""` at the root).
    pub cwd: &'a [u8],
    /// How to read pattern files.
    pub read: FileReader<'a>,
}

/// Messages hg would print as warnings (each ends with `\n`).
pub type Warnings = Vec<Vec<u8>>;

fn bytes_path(b: &[u8]) -> PathBuf {
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

/// Python's `os.path.join` of two byte paths (`b` wins when absolute).
pub fn join(a: &[u8], b: &[u8]) -> Vec<u8> {
    if b.first() == Some(&b'/') || a.is_empty() {
        return b.to_vec();
    }
    let mut out = a.to_vec();
    if out.last() != Some(&b'/') {
        out.push(b'/');
    }
    out.extend_from_slice(b);
    out
}

fn dirname(p: &[u8]) -> &[u8] {
    match p.iter().rposition(|&b| b == b'/') {
        Some(0) => b"/",
        Some(i) => &p[..i],
        None => b"",
    }
}

fn strerror(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Reads a pattern file in `.hgignore` syntax (hg's `readpatternfile`):
/// returns `kind:pattern` strings; `syntax:` lines switch the default
/// (`regexp`/`re` → `relre:`, `glob` → `relglob:`, `rootglob`), `#`
/// starts a comment unless escaped (`\#`), trailing whitespace is dropped.
pub fn parse_pattern_file(
    content: &[u8],
    file_name: &[u8],
    warnings: &mut Warnings,
) -> Vec<Vec<u8>> {
    const SYNTAXES: [(&[u8], &[u8]); 6] = [
        (b"re", b"relre:"),
        (b"regexp", b"relre:"),
        (b"glob", b"relglob:"),
        (b"rootglob", b"rootglob:"),
        (b"include", b"include"),
        (b"subinclude", b"subinclude"),
    ];
    let mut syntax: &[u8] = b"relre:";
    let mut patterns = Vec::new();
    for raw in content.split_inclusive(|&b| b == b'\n') {
        let mut line = raw.to_vec();
        if line.contains(&b'#') {
            // Cut at the first '#' preceded by an even number of backslashes.
            let mut backslashes = 0;
            for (i, &b) in line.iter().enumerate() {
                if b == b'#' && backslashes % 2 == 0 {
                    line.truncate(i);
                    break;
                }
                backslashes = if b == b'\\' { backslashes + 1 } else { 0 };
            }
            let mut fixed = Vec::with_capacity(line.len());
            let mut i = 0;
            while i < line.len() {
                if line[i] == b'\\' && line.get(i + 1) == Some(&b'#') {
                    fixed.push(b'#');
                    i += 2;
                } else {
                    fixed.push(line[i]);
                    i += 1;
                }
            }
            line = fixed;
        }
        let end = line
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        line.truncate(end);
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix(b"syntax:") {
            let name = rest.trim_ascii();
            match SYNTAXES.iter().find(|(s, _)| *s == name) {
                Some((_, rels)) => syntax = rels,
                None => warnings.push(
                    format!(
                        "{}: ignoring invalid syntax '{}'\n",
                        String::from_utf8_lossy(file_name),
                        String::from_utf8_lossy(name)
                    )
                    .into_bytes(),
                ),
            }
            continue;
        }
        let mut line_syntax = syntax;
        let mut body: &[u8] = &line;
        for (s, rels) in SYNTAXES {
            if let Some(rest) = line.strip_prefix(rels) {
                line_syntax = rels;
                body = rest;
                break;
            }
            let mut with_colon = s.to_vec();
            with_colon.push(b':');
            if let Some(rest) = line.strip_prefix(with_colon.as_slice()) {
                line_syntax = rels;
                body = rest;
                break;
            }
        }
        let mut pattern = line_syntax.to_vec();
        pattern.extend_from_slice(body);
        patterns.push(pattern);
    }
    patterns
}

/// Normalises patterns (hg's `_donormalize`).
pub fn normalize(
    patterns: &[Vec<u8>],
    default: PatternKind,
    ctx: &PatternContext<'_>,
    warnings: &mut Warnings,
) -> DirstateResult<Vec<KindPat>> {
    use PatternKind::*;
    let mut out = Vec::new();
    for p in patterns {
        let (kind, pat) = split_kind(p, default);
        let pattern = match kind {
            RelPath | Glob => canonpath(ctx.root, ctx.cwd, pat)?,
            RelGlob | Path | FilePath | RootFilesIn | RootGlob => normpath(pat),
            ListFile | ListFile0 => {
                let full = join(&join(ctx.root, ctx.cwd), pat);
                let content = (ctx.read)(&bytes_path(&full)).map_err(|_| {
                    DirstateError::InvalidPattern(format!(
                        "unable to read file list ({})",
                        String::from_utf8_lossy(pat)
                    ))
                })?;
                let files: Vec<Vec<u8>> = if kind == ListFile0 {
                    content.split(|&b| b == 0).map(<[u8]>::to_vec).collect()
                } else {
                    content
                        .split(|&b| b == b'\n')
                        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
                        .collect()
                };
                let files: Vec<Vec<u8>> = files.into_iter().filter(|f| !f.is_empty()).collect();
                for kp in normalize(&files, default, ctx, warnings)? {
                    out.push(KindPat {
                        source: pat.to_vec(),
                        ..kp
                    });
                }
                continue;
            }
            Include => {
                let full = join(ctx.root, pat);
                match (ctx.read)(&bytes_path(&full)) {
                    Ok(content) => {
                        let lines = parse_pattern_file(&content, &full, warnings);
                        let inner = normalize(&lines, default, ctx, warnings).map_err(|e| {
                            DirstateError::InvalidPattern(format!(
                                "{}: {}",
                                String::from_utf8_lossy(pat),
                                e
                            ))
                        })?;
                        for kp in inner {
                            let source = if kp.source.is_empty() {
                                pat.to_vec()
                            } else {
                                kp.source
                            };
                            out.push(KindPat { source, ..kp });
                        }
                    }
                    Err(e) => warnings.push(
                        format!(
                            "skipping unreadable pattern file '{}': {}\n",
                            String::from_utf8_lossy(pat),
                            strerror(&e)
                        )
                        .into_bytes(),
                    ),
                }
                continue;
            }
            Re | RelRe | Set | SubInclude => pat.to_vec(),
        };
        out.push(KindPat {
            kind,
            pattern,
            source: Vec::new(),
        });
    }
    Ok(out)
}

fn compile(regex: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&format!("^(?:{regex})"))
        .unicode(false)
        .size_limit(1 << 28)
        .dfa_size_limit(1 << 28)
        .build()
}

fn invalid(kp: &KindPat) -> DirstateError {
    let what = format!(
        "invalid pattern ({}): {}",
        kp.kind.name(),
        String::from_utf8_lossy(&kp.pattern)
    );
    DirstateError::InvalidPattern(if kp.source.is_empty() {
        what
    } else {
        format!("{}: {what}", String::from_utf8_lossy(&kp.source))
    })
}

/// Compiles the match function of `kindpats` (hg's `_buildmatch`).
fn build_set(
    kindpats: &[KindPat],
    glob_suffix: &str,
    ctx: &PatternContext<'_>,
    warnings: &mut Warnings,
) -> DirstateResult<PatternSet> {
    let mut set = PatternSet::default();
    let mut rest = Vec::new();
    for kp in kindpats {
        if kp.kind != PatternKind::SubInclude {
            rest.push(kp);
            continue;
        }
        let source_root = dirname(&normpath(&kp.source)).to_vec();
        let path = join(&source_root, &kp.pattern);
        let new_root = dirname(&path).to_vec();
        let abs_new_root = join(ctx.root, &new_root);
        let mut prefix = canonpath(ctx.root, b"", &abs_new_root)?;
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        let sub_ctx = PatternContext {
            root: &abs_new_root,
            cwd: b"",
            read: ctx.read,
        };
        let mut include = b"include:".to_vec();
        include.extend_from_slice(&join(ctx.root, &path));
        let sub = build_matcher(&sub_ctx, &[], &[include], &[], PatternKind::Glob, warnings)?;
        set.subincludes.push((prefix, sub));
    }
    if rest.is_empty() {
        return Ok(set);
    }
    if rest.iter().all(|kp| kp.kind == PatternKind::RootFilesIn) {
        set.rootfilesin_dirs = Some(rest.iter().map(|kp| kp.pattern.clone()).collect());
        return Ok(set);
    }
    let mut pieces = Vec::new();
    for kp in &rest {
        if kp.kind == PatternKind::FilePath {
            set.exact.insert(kp.pattern.clone());
            continue;
        }
        let piece = match pattern_to_regex(kp.kind, &kp.pattern, glob_suffix) {
            Ok(piece) => piece,
            Err(e @ DirstateError::UnsupportedRegex { .. }) => return Err(e),
            Err(_) => return Err(invalid(kp)),
        };
        pieces.push((piece, *kp));
    }
    if !pieces.is_empty() {
        let joined: Vec<&str> = pieces.iter().map(|(p, _)| p.as_str()).collect();
        match compile(&joined.join("|")) {
            Ok(r) => set.regex = Some(r),
            Err(_) => {
                for (piece, kp) in &pieces {
                    if compile(piece).is_err() {
                        return Err(invalid(kp));
                    }
                }
                return Err(DirstateError::InvalidPattern("invalid pattern".into()));
            }
        }
    }
    Ok(set)
}

/// Roots, exact directories and their parents (hg's
/// `_rootsdirsandparents`).
/// Recursive roots, non-recursive directories, and their parents.
type RootsDirsParents = (Vec<Vec<u8>>, Vec<Vec<u8>>, HashSet<Vec<u8>>);

fn roots_dirs_parents(kindpats: &[KindPat]) -> RootsDirsParents {
    use PatternKind::*;
    let (mut roots, mut dirs) = (Vec::new(), Vec::new());
    for kp in kindpats {
        let pat = &kp.pattern;
        match kp.kind {
            Glob | RootGlob => {
                let root: Vec<&[u8]> = pat
                    .split(|&b| b == b'/')
                    .take_while(|p| !p.iter().any(|b| b"[{*?".contains(b)))
                    .collect();
                roots.push(root.join(&b'/'));
            }
            RelPath | Path | FilePath => {
                roots.push(if pat == b"." { Vec::new() } else { pat.clone() })
            }
            RootFilesIn => dirs.push(if pat == b"." { Vec::new() } else { pat.clone() }),
            _ => roots.push(Vec::new()),
        }
    }
    let parents = roots
        .iter()
        .chain(dirs.iter())
        .flat_map(|p| find_dirs(p).map(<[u8]>::to_vec))
        .collect();
    (roots, dirs, parents)
}

fn sort_like_hg(kindpats: &mut [KindPat]) {
    kindpats.sort_by(|a, b| {
        (a.kind.name(), &a.pattern, &a.source).cmp(&(b.kind.name(), &b.pattern, &b.source))
    });
}

fn pattern_matcher(
    mut kindpats: Vec<KindPat>,
    ctx: &PatternContext<'_>,
    warnings: &mut Warnings,
) -> DirstateResult<Matcher> {
    sort_like_hg(&mut kindpats);
    let (roots, dirs, parents) = roots_dirs_parents(&kindpats);
    let filable: Vec<KindPat> = kindpats
        .iter()
        .filter(|kp| kp.kind != PatternKind::RootFilesIn)
        .cloned()
        .collect();
    let files = roots_dirs_parents(&filable).0;
    let _ = roots;
    Ok(Matcher::Pattern(Box::new(PatternMatcher {
        fileset: files.iter().cloned().collect(),
        files,
        dirs_explicit: dirs.into_iter().collect(),
        parents,
        prefix: kindpats
            .iter()
            .all(|kp| matches!(kp.kind, PatternKind::Path | PatternKind::RelPath)),
        set: build_set(&kindpats, "$", ctx, warnings)?,
    })))
}

fn include_matcher(
    kindpats: Vec<KindPat>,
    ctx: &PatternContext<'_>,
    warnings: &mut Warnings,
) -> DirstateResult<Matcher> {
    let (roots, dirs, parents) = roots_dirs_parents(&kindpats);
    let mut parent_children: HashMap<Vec<u8>, BTreeSet<Vec<u8>>> = HashMap::new();
    for path in dirs.iter().chain(roots.iter()).chain(parents.iter()) {
        if path.is_empty() {
            continue;
        }
        let mut end = path.len();
        for d in find_dirs(path) {
            if parents.contains(d) {
                let start = if d.is_empty() { 0 } else { d.len() + 1 };
                parent_children
                    .entry(d.to_vec())
                    .or_default()
                    .insert(path[start..end].to_vec());
            }
            end = d.len();
        }
    }
    Ok(Matcher::Include(Box::new(IncludeMatcher {
        set: build_set(&kindpats, "(?:/|$)", ctx, warnings)?,
        prefix: kindpats
            .iter()
            .all(|kp| matches!(kp.kind, PatternKind::Path | PatternKind::RelPath)),
        roots: roots.into_iter().collect(),
        dirs: dirs.into_iter().collect(),
        parents,
        parent_children,
    })))
}

fn reject_filesets(kindpats: &[KindPat]) -> DirstateResult<()> {
    match kindpats.iter().find(|kp| kp.kind == PatternKind::Set) {
        Some(kp) => Err(DirstateError::InvalidPattern(format!(
            "fileset patterns are not supported yet: set:{}",
            String::from_utf8_lossy(&kp.pattern)
        ))),
        None => Ok(()),
    }
}

/// Builds the matcher for `patterns` (kind `default` when unprefixed;
/// commands use [`PatternKind::RelPath`]), restricted by `include` and
/// `exclude` (glob by default), like hg's `match.match`. Warnings hg would
/// print are appended to `warnings`.
pub fn build_matcher(
    ctx: &PatternContext<'_>,
    patterns: &[Vec<u8>],
    include: &[Vec<u8>],
    exclude: &[Vec<u8>],
    default: PatternKind,
    warnings: &mut Warnings,
) -> DirstateResult<Matcher> {
    let mut m = if patterns.is_empty() {
        Matcher::Always
    } else {
        let kindpats = normalize(patterns, default, ctx, warnings)?;
        reject_filesets(&kindpats)?;
        if kindpats.iter().all(|kp| {
            kp.pattern.is_empty() && matches!(kp.kind, PatternKind::RelPath | PatternKind::Glob)
        }) {
            Matcher::Always
        } else if kindpats.is_empty() {
            Matcher::Never
        } else {
            pattern_matcher(kindpats, ctx, warnings)?
        }
    };
    if !include.is_empty() {
        let kindpats = normalize(include, PatternKind::Glob, ctx, warnings)?;
        reject_filesets(&kindpats)?;
        let im = if kindpats.is_empty() {
            Matcher::Never
        } else {
            include_matcher(kindpats, ctx, warnings)?
        };
        m = intersect(m, im);
    }
    if !exclude.is_empty() {
        let kindpats = normalize(exclude, PatternKind::Glob, ctx, warnings)?;
        reject_filesets(&kindpats)?;
        let em = if kindpats.is_empty() {
            Matcher::Never
        } else {
            include_matcher(kindpats, ctx, warnings)?
        };
        m = Matcher::Difference(Box::new(m), Box::new(em));
    }
    Ok(m)
}

/// An exact matcher for these paths.
pub fn exact(files: Vec<Vec<u8>>) -> Matcher {
    Matcher::Exact(Box::new(ExactMatcher::new(files)))
}
