//! hg's string patterns in revsets (`stringmatcher`): `re:REGEX` (Python
//! syntax, searched anywhere), `literal:TEXT` and plain text, exact or as
//! a substring, case-sensitive or not; and the functions that only match
//! text: `grep()`, `extra()`, `converted()`.

use qs_lang::{ParseError, Tree};
use regex::bytes::{Regex, RegexBuilder};

use super::args::{getargs, getstring};
use super::eval::Evaluator;
use super::predicates::lower;
use super::set::RevSet;
use super::RevsetResult;

/// A compiled string pattern.
pub enum StringMatcher {
    /// `re:` — a regular expression searched in the text.
    Regex(Regex),
    /// Exact text (`literal:` or no prefix).
    Literal(Vec<u8>),
}

/// Compiles a Python regular expression as hg's `re.compile` would.
pub fn compile_regex(pattern: &[u8], case_insensitive: bool) -> RevsetResult<Regex> {
    let translated = qs_dirstate::pyre::translate(pattern)
        .map_err(|e| ParseError::new(format!("invalid regular expression: {e}")))?;
    RegexBuilder::new(&translated)
        .case_insensitive(case_insensitive)
        .unicode(false)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or("").trim().to_string();
            ParseError::new(format!("invalid regular expression: {last}")).into()
        })
}

impl StringMatcher {
    /// hg's `stringmatcher(pattern, casesensitive)`.
    pub fn new(pattern: &[u8], case_insensitive: bool) -> RevsetResult<StringMatcher> {
        if let Some(rest) = pattern.strip_prefix(b"re:") {
            return Ok(StringMatcher::Regex(compile_regex(rest, case_insensitive)?));
        }
        let text = pattern.strip_prefix(b"literal:").unwrap_or(pattern);
        Ok(StringMatcher::Literal(text.to_vec()))
    }

    /// Exact match of the whole text (literal) or search (regex).
    pub fn matches(&self, text: &[u8]) -> bool {
        match self {
            StringMatcher::Regex(re) => re.is_match(text),
            StringMatcher::Literal(t) => t.as_slice() == text,
        }
    }
}

/// hg's `_substringmatcher`: literals match as substrings, here without
/// regard to case (`user()`, `desc()`).
pub enum SubstringMatcher {
    Regex(Regex),
    Lowered(Vec<u8>),
}

impl SubstringMatcher {
    pub fn new(pattern: &[u8]) -> RevsetResult<SubstringMatcher> {
        Ok(match StringMatcher::new(pattern, true)? {
            StringMatcher::Regex(_) => {
                let rest = pattern.strip_prefix(b"re:").unwrap_or(pattern);
                SubstringMatcher::Regex(compile_regex(rest, true)?)
            }
            StringMatcher::Literal(text) => SubstringMatcher::Lowered(lower(&text)),
        })
    }

    pub fn matches(&self, text: &[u8]) -> bool {
        match self {
            SubstringMatcher::Regex(re) => re.is_match(text),
            SubstringMatcher::Lowered(needle) => contains(&lower(text), needle),
        }
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// `grep(regex)`: a case-sensitive search in file names, user and
/// description.
pub fn grep(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let pattern = getstring(args, "grep requires a string")?;
    let translated = qs_dirstate::pyre::translate(pattern)
        .map_err(|e| ParseError::new(format!("invalid match pattern: {e}")))?;
    let re = RegexBuilder::new(&translated)
        .unicode(false)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or("").trim().to_string();
            ParseError::new(format!("invalid match pattern: {last}"))
        })?;
    let repo = ev.repo;
    subset.par_try_filter(|r| {
        let cs = repo.changeset(r)?;
        let found = cs
            .files
            .iter()
            .chain([&cs.user, &cs.description])
            .any(|t| re.is_match(t));
        Ok(found)
    })
}

type Args<'t> = Option<&'t Tree>;

/// `extra(label[, value])`.
pub fn extra(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let args = super::args::getargsdict(args, "extra", &["label", "value"])?;
    let Some(label) = super::args::named(&args, "label") else {
        return Err(ParseError::new("extra takes at least 1 argument").into());
    };
    let label = getstring(Some(label), "first argument to extra must be a string")?.to_vec();
    let value = match super::args::named(&args, "value") {
        Some(v) => Some(StringMatcher::new(
            getstring(Some(v), "second argument to extra must be a string")?,
            false,
        )?),
        None => None,
    };
    let repo = ev.repo;
    subset.par_try_filter(|r| {
        let cs = repo.changeset(r)?;
        Ok(match (cs.extra.get(&label), &value) {
            (Some(v), Some(m)) => m.matches(v),
            (Some(_), None) => true,
            (None, _) => false,
        })
    })
}

/// `converted([id])`: changesets with a `convert_revision` extra (starting
/// with `id`).
pub fn converted(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let list = getargs(args, 0, Some(1), "converted takes one or no arguments")?;
    let prefix = match list.first() {
        Some(t) => Some(getstring(Some(t), "converted requires a revision")?.to_vec()),
        None => None,
    };
    let repo = ev.repo;
    subset.par_try_filter(|r| {
        let cs = repo.changeset(r)?;
        Ok(cs
            .extra
            .get(b"convert_revision".as_slice())
            .is_some_and(|source| prefix.as_ref().is_none_or(|p| source.starts_with(p))))
    })
}
