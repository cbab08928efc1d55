//! Template functions that query the repository: `revset()` (with
//! hg's `formatspec` escapes), `shortest()`, `files()` and `relpath()`.

use qs_store::Revision;

use super::eval::{abort, perr};
use super::value::PyVal;
use super::{Engine, TResult};

impl Engine<'_> {
    /// A matcher as hg's `ctx.match(patterns, include, exclude)` builds
    /// it: globs unless prefixed, relative to the current directory.
    fn matcher(
        &self,
        patterns: &[Vec<u8>],
        include: &[Vec<u8>],
        exclude: &[Vec<u8>],
    ) -> TResult<qs_dirstate::Matcher> {
        use qs_dirstate::matchbuild::{build_matcher, PatternContext};
        use qs_dirstate::pattern::PatternKind;
        use std::os::unix::ffi::OsStrExt;
        let root = self.repo.root().as_os_str().as_bytes().to_vec();
        let read = |p: &std::path::Path| std::fs::read(p);
        let ctx = PatternContext {
            root: &root,
            cwd: &self.opts.cwd_in_repo,
            read: &read,
        };
        let mut warnings = Vec::new();
        build_matcher(
            &ctx,
            patterns,
            include,
            exclude,
            PatternKind::Glob,
            &mut warnings,
        )
        .map_err(|e| abort(e.to_string()))
    }

    /// hg's template `diff([include[, exclude]])`: the changeset's diff
    /// against its first parent with the configuration's options, for the
    /// files the (non-empty) patterns keep.
    pub(crate) fn changeset_diff(&self, rev: Revision, patterns: &[Vec<u8>]) -> TResult<Vec<u8>> {
        if rev.is_null() {
            return Ok(Vec::new());
        }
        let pick = |i: usize| -> Vec<Vec<u8>> {
            patterns
                .get(i)
                .filter(|p| !p.is_empty())
                .cloned()
                .into_iter()
                .collect()
        };
        let matcher = self.matcher(&[], &pick(0), &pick(1))?;
        let keep = |p: &[u8]| matcher.matches(p);
        Ok(crate::diff::changeset_diff(
            self.repo,
            rev,
            self.repo.diff_options(),
            Some(&keep),
        )?)
    }

    /// The files of `rev`'s manifest matching `pattern` (a glob unless
    /// prefixed, relative to the current directory), as hg's
    /// `ctx.matches(ctx.match([pattern]))`.
    pub(crate) fn matching_files(&self, rev: Revision, pattern: &[u8]) -> TResult<Vec<Vec<u8>>> {
        let matcher = self.matcher(&[pattern.to_vec()], &[], &[])?;
        let cs = self.changeset(rev)?;
        let manifest = if rev.is_null() {
            return Ok(Vec::new());
        } else {
            self.repo.manifest(&cs.manifest)?
        };
        Ok(manifest
            .paths()
            .filter(|p| matcher.matches(p))
            .map(<[u8]>::to_vec)
            .collect())
    }

    pub(crate) fn query(&self, expr: &[u8]) -> TResult<Vec<Revision>> {
        let spec = String::from_utf8_lossy(expr).into_owned();
        crate::revspec::resolve_specs_with_aliases(self.repo, &[spec], &self.opts.revset_aliases)
            .map_err(|e| match e {
                crate::revset::RevsetError::Parse(p) => super::TemplateError::Parse(p),
                crate::revset::RevsetError::Repo(r) => super::TemplateError::Repo(r),
                other => abort(other.to_string()),
            })
    }

    /// hg's `shortest()`: the shortest unambiguous prefix of at least
    /// `min` digits that is not also a revision number.
    pub(crate) fn shortest(&self, hex: &[u8], min: i64) -> TResult<Vec<u8>> {
        if hex.len() > 40 {
            return Ok(hex.to_vec());
        }
        let lower = hex.to_ascii_lowercase();
        if !lower.iter().all(|b| b.is_ascii_hexdigit()) {
            return Ok(hex.to_vec());
        }
        let mut nodes = self.all_hex_nodes()?;
        // The null revision takes part in prefix matching.
        nodes.push(qs_store::NULL_NODE.hex().into_bytes());
        let full: Vec<&Vec<u8>> = nodes.iter().filter(|n| n.starts_with(&lower)).collect();
        if full.len() != 1 {
            return Ok(hex.to_vec());
        }
        let node = full[0];
        let min = min.clamp(1, 40) as usize;
        let len = self.repo.len() as u64;
        for l in min..=40 {
            let prefix = &node[..l];
            let unique = nodes.iter().filter(|n| n.starts_with(prefix)).count() == 1;
            if !unique || prefix.iter().all(|&b| b == b'f') {
                continue;
            }
            // A prefix that reads as a revision number must be longer.
            let is_rev = prefix.iter().all(u8::is_ascii_digit)
                && (prefix.len() == 1 || prefix[0] != b'0')
                && std::str::from_utf8(prefix)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                    .is_some_and(|r| r < len);
            if is_rev {
                continue;
            }
            return Ok(prefix.to_vec());
        }
        Ok(node.clone())
    }

    fn all_hex_nodes(&self) -> TResult<Vec<Vec<u8>>> {
        let mut out = Vec::with_capacity(self.repo.len());
        for r in 0..self.repo.len() as i32 {
            out.push(self.repo.node(Revision(r))?.hex().into_bytes());
        }
        Ok(out)
    }
}

/// `repo.pathto(path)`: `path` (repository-relative) as seen from `cwd`.
pub(crate) fn relpath(cwd: &[u8], path: &[u8]) -> Vec<u8> {
    if cwd.is_empty() {
        return path.to_vec();
    }
    let c: Vec<&[u8]> = cwd
        .split(|&b| b == b'/')
        .filter(|s| !s.is_empty())
        .collect();
    let p: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
    let common = c.iter().zip(p.iter()).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&[u8]> = vec![b".."; c.len() - common];
    parts.extend(p[common..].iter().copied());
    parts.join(&b'/')
}

/// hg's `revsetlang.formatspec` for the common escapes.
pub(crate) fn format_spec(fmt: &[u8], args: &[PyVal]) -> TResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut it = args.iter();
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        let Some(&code) = fmt.get(i + 1) else {
            return Err(perr("incomplete revspec format character"));
        };
        i += 2;
        if code == b'%' {
            out.push(b'%');
            continue;
        }
        let arg = it
            .next()
            .ok_or_else(|| perr("missing argument for revspec"))?;
        let quoted = |b: &[u8]| {
            let mut q = b"'".to_vec();
            q.extend_from_slice(&qs_lang::escape::escape(b));
            q.push(b'\'');
            q
        };
        match code {
            b'd' => {
                let n = super::eval::py_int(arg).ok_or_else(|| perr("not an integer"))?;
                out.extend_from_slice(n.to_string().as_bytes());
            }
            b's' => out.extend_from_slice(&quoted(&arg.flatten())),
            b'r' => {
                out.push(b'(');
                out.extend_from_slice(&arg.flatten());
                out.push(b')');
            }
            b'n' => out.extend_from_slice(&quoted(&arg.flatten())),
            _ => {
                return Err(abort(format!(
                    "revset format '%{}' in templates is not supported by qs yet",
                    code as char
                )))
            }
        }
    }
    Ok(out)
}
