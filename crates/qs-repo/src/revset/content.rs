//! Revset functions comparing what changesets contain: `matching()` (the
//! same fields — user, date, description, files, diff... — as given
//! changesets) and `diffcontains()` (a pattern among the lines a
//! changeset's diff adds or removes, as hg's grep searcher sees them).

use qs_lang::{ParseError, Tree};
use qs_store::Revision;
use regex::bytes::Regex;

use super::args::{getargs, getargsdict, getstring, named};
use super::eval::{Evaluator, Order};
use super::set::RevSet;
use super::RevsetResult;
use crate::repo::Repo;

type Args<'t> = Option<&'t Tree>;

/// The fields `matching()` compares, cheapest first (hg's order).
const FIELD_ORDER: &[&str] = &[
    "phase",
    "parents",
    "user",
    "date",
    "branch",
    "summary",
    "files",
    "description",
    "substate",
    "diff",
];

/// hg's `matching(revision[, field])`.
pub fn matching(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let list = getargs(args, 1, Some(2), "matching takes 1 or 2 arguments")?;
    let targets = ev
        .getset(&ev.full(), list.first().copied(), Order::Define)?
        .to_vec();
    let given: Vec<Vec<u8>> = match list.get(1) {
        Some(arg) => getstring(
            Some(arg),
            "matching requires a string as its second argument",
        )?
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .map(<[u8]>::to_vec)
        .collect(),
        None => vec![b"metadata".to_vec()],
    };
    let mut fields: Vec<Vec<u8>> = Vec::new();
    let mut add = |f: &[u8]| {
        if !fields.iter().any(|x| x == f) {
            fields.push(f.to_vec());
        }
    };
    for field in &given {
        match field.as_slice() {
            b"metadata" => ["user", "description", "date"]
                .iter()
                .for_each(|f| add(f.as_bytes())),
            b"diff" => ["files", "diff"].iter().for_each(|f| add(f.as_bytes())),
            b"author" => add(b"user"),
            other => add(other),
        }
    }
    if fields.iter().any(|f| f == b"description") {
        fields.retain(|f| f != b"summary");
    }
    let rank = |f: &[u8]| {
        FIELD_ORDER
            .iter()
            .position(|k| k.as_bytes() == f)
            .unwrap_or(FIELD_ORDER.len())
    };
    fields.sort_by_key(|f| rank(f));
    if let Some(unknown) = fields.iter().find(|f| rank(f) == FIELD_ORDER.len()) {
        let mut message = b"unexpected field name passed to matching: ".to_vec();
        message.extend_from_slice(unknown);
        return Err(ParseError {
            message,
            offset: None,
            hint: None,
        }
        .into());
    }
    let repo = ev.repo;
    let mut wanted = Vec::with_capacity(targets.len());
    for &t in &targets {
        wanted.push(field_values(repo, t, &fields)?);
    }
    subset.try_filter(|r| -> RevsetResult<bool> {
        if wanted.is_empty() {
            return Ok(false);
        }
        let mine = field_values(repo, r, &fields)?;
        Ok(wanted.contains(&mine))
    })
}

/// The values of `fields` for `rev`, each as bytes that are equal exactly
/// when hg's values are.
fn field_values(repo: &Repo, rev: Revision, fields: &[Vec<u8>]) -> RevsetResult<Vec<Vec<u8>>> {
    let cs = repo.changeset(rev)?;
    let mut out = Vec::with_capacity(fields.len());
    for field in fields {
        let value = match field.as_slice() {
            b"phase" => vec![repo.phase(rev)?.number() as u8],
            b"parents" => {
                let [p1, p2] = repo.parents(rev)?;
                format!("{} {}", p1.0, p2.0).into_bytes()
            }
            b"user" => cs.user.clone(),
            b"date" => format!("{} {}", cs.date.seconds, cs.date.offset).into_bytes(),
            b"branch" => cs.branch().to_vec(),
            b"summary" => crate::util::split_lines(&cs.description)
                .first()
                .map(|l| l.to_vec())
                .unwrap_or_default(),
            b"files" => cs.files.join(&0u8),
            b"description" => cs.description.clone(),
            b"substate" => {
                let manifest = repo.manifest(&cs.manifest)?;
                let mut value = Vec::new();
                for name in [b".hgsub".as_slice(), b".hgsubstate"] {
                    match manifest.get(name) {
                        Some((node, _)) => {
                            let content = repo.file_content(name, &node)?;
                            value.extend_from_slice(format!("{}:", content.len()).as_bytes());
                            value.extend_from_slice(&content);
                        }
                        None => value.push(b'-'),
                    }
                }
                value
            }
            b"diff" => {
                let options = crate::diff::DiffOptions {
                    git: true,
                    ..repo.diff_options()
                };
                crate::diff::changeset_diff(repo, rev, options, None)?
            }
            _ => Vec::new(),
        };
        out.push(value);
    }
    Ok(out)
}

/// hg's `diffcontains(pattern)`: changesets where, in a file they touch
/// (and still have), the lines matching the pattern differ from those of
/// the first parent's version.
pub fn diffcontains(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let args = getargsdict(args, "diffcontains", &["pattern"])?;
    let Some(pattern) = named(&args, "pattern") else {
        return Err(ParseError::new("diffcontains takes at least 1 argument").into());
    };
    let pattern = getstring(Some(pattern), "diffcontains requires a string pattern")?;
    let regex = substring_regex(pattern)?;
    let repo = ev.repo;
    subset.try_filter(|rev| -> RevsetResult<bool> {
        let cs = repo.changeset(rev)?;
        let mine = repo.manifest(&cs.manifest)?;
        let [p1, _] = repo.parents(rev)?;
        let theirs = if p1.is_null() {
            None
        } else {
            Some(repo.manifest_of(p1)?)
        };
        for file in &cs.files {
            let Some((node, _)) = mine.get(file) else {
                continue;
            };
            let now = matching_lines(&repo.file_content(file, &node)?, &regex);
            let before = match theirs.as_ref().and_then(|m| m.get(file)) {
                Some((pnode, _)) => matching_lines(&repo.file_content(file, &pnode)?, &regex),
                None => Vec::new(),
            };
            if now != before {
                return Ok(true);
            }
        }
        Ok(false)
    })
}

/// hg's `substringregexp(pattern, re.M)`: `re:` a regular expression,
/// else (`literal:` or no prefix) the escaped text.
fn substring_regex(pattern: &[u8]) -> RevsetResult<Regex> {
    let source = match pattern.strip_prefix(b"re:") {
        Some(re) => re.to_vec(),
        None => {
            let text = pattern.strip_prefix(b"literal:").unwrap_or(pattern);
            let mut escaped = Vec::new();
            for &b in text {
                if b.is_ascii_graphic() || b == b' ' {
                    if b"\\.+*?()|[]{}^$#&-~".contains(&b) {
                        escaped.push(b'\\');
                    }
                    escaped.push(b);
                } else {
                    escaped.extend_from_slice(format!("\\x{b:02x}").as_bytes());
                }
            }
            escaped
        }
    };
    let mut multiline = b"(?m)".to_vec();
    multiline.extend_from_slice(&source);
    super::text::compile_regex(&multiline, false)
}

/// hg's grep `matchlines`: the line of each match (a match ending past
/// a line goes on after the line it ends in).
fn matching_lines(body: &[u8], regex: &Regex) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut begin = 0;
    while begin < body.len() {
        let Some(m) = regex.find_at(body, begin) else {
            break;
        };
        let line_start = body[begin..m.start()]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(begin, |i| begin + i + 1);
        begin = match body[m.end()..].iter().position(|&b| b == b'\n') {
            Some(i) => m.end() + i + 1,
            None => body.len() + 1,
        };
        let line_end = (begin - 1).min(body.len());
        out.push(body[line_start..line_end].to_vec());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_matches() {
        let Ok(re) = substring_regex(b"b") else {
            panic!("a literal pattern compiles");
        };
        assert_eq!(
            matching_lines(b"abc\nxyz\nbb\n", &re),
            vec![b"abc".to_vec(), b"bb".to_vec()]
        );
    }
}
