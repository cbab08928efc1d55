//! Python regular expressions as templates use them (`sub`, `search`,
//! `latesttag('re:...')`): patterns through qs-dirstate's Python-to-`regex`
//! translation with ASCII classes (bytes patterns), `re.sub` replacement
//! syntax, and hg's `stringmatcher`.

use super::eval::perr;
use super::TResult;

/// hg's `stringutil.stringmatcher`: `re:`, `literal:` or a literal.
pub struct StringMatcher {
    regex: Option<regex::bytes::Regex>,
    literal: Vec<u8>,
}

impl StringMatcher {
    pub fn new(pattern: &[u8]) -> TResult<StringMatcher> {
        if let Some(re) = pattern.strip_prefix(b"re:") {
            let regex = compile_regex(re).ok_or_else(|| {
                perr(format!(
                    "invalid regular expression: {}",
                    String::from_utf8_lossy(re)
                ))
            })?;
            return Ok(StringMatcher {
                regex: Some(regex),
                literal: Vec::new(),
            });
        }
        let literal = pattern
            .strip_prefix(b"literal:")
            .unwrap_or(pattern)
            .to_vec();
        Ok(StringMatcher {
            regex: None,
            literal,
        })
    }

    pub fn matches(&self, s: &[u8]) -> bool {
        match &self.regex {
            Some(r) => r.is_match(s),
            None => s == self.literal.as_slice(),
        }
    }
}

pub(crate) fn compile_regex(pattern: &[u8]) -> Option<regex::bytes::Regex> {
    let translated = qs_dirstate::pyre::translate(pattern).ok()?;
    // Patterns on bytes: `\w`, `\d`, `\s` are ASCII classes, as in Python.
    regex::bytes::Regex::new(&format!("(?-u){translated}")).ok()
}

/// Python `re.sub` replacement syntax → the regex crate's.
pub(crate) fn translate_replacement(rpl: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(rpl.len());
    let mut i = 0;
    while i < rpl.len() {
        let b = rpl[i];
        if b == b'$' {
            out.extend_from_slice(b"$$");
            i += 1;
            continue;
        }
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let next = *rpl.get(i + 1)?;
        i += 2;
        match next {
            b'0'..=b'9' => {
                let mut j = i;
                while j < rpl.len() && j < i + 1 && rpl[j].is_ascii_digit() {
                    j += 1;
                }
                out.extend_from_slice(b"${");
                out.push(next);
                out.extend_from_slice(&rpl[i..j]);
                out.push(b'}');
                i = j;
            }
            b'g' => {
                if rpl.get(i) != Some(&b'<') {
                    return None;
                }
                let end = rpl[i..].iter().position(|&c| c == b'>')? + i;
                out.extend_from_slice(b"${");
                out.extend_from_slice(&rpl[i + 1..end]);
                out.push(b'}');
                i = end + 1;
            }
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'\\' => out.push(b'\\'),
            b'a' => out.push(7),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'b' => out.push(8),
            c if c.is_ascii_alphabetic() => return None,
            c => {
                out.push(b'\\');
                out.push(c);
            }
        }
    }
    Some(out)
}
