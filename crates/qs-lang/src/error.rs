//! Parse errors of the small languages, shaped like Mercurial's
//! `ParseError` (message, optional byte offset, optional hint), and the exact
//! bytes hg prints for one.

use std::fmt;

/// A syntax error (or a rejected tree) in a revset, template or fileset.
///
/// `offset` is the byte offset hg reports (`hg: parse error at N: ...`);
/// `hint` is the text hg puts between parentheses on the next line (for
/// revsets and templates, the expression and a caret under the offset).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// The message, e.g. `not a prefix: end`.
    pub message: Vec<u8>,
    /// Byte offset into the parsed text, when hg reports one.
    pub offset: Option<usize>,
    /// Hint line contents (without the surrounding parentheses).
    pub hint: Option<Vec<u8>>,
}

impl ParseError {
    /// An error at a byte offset.
    pub fn at(offset: usize, message: impl Into<Vec<u8>>) -> Self {
        ParseError {
            message: message.into(),
            offset: Some(offset),
            hint: None,
        }
    }

    /// An error without a location (`hg: parse error: MESSAGE`).
    pub fn new(message: impl Into<Vec<u8>>) -> Self {
        ParseError {
            message: message.into(),
            offset: None,
            hint: None,
        }
    }

    /// The message as hg's `parseerrordetail` composes it: `at N: MESSAGE`
    /// when there is an offset, else the bare message (used inside alias
    /// error messages).
    pub fn detail(&self) -> Vec<u8> {
        match self.offset {
            Some(offset) => {
                let mut out = format!("at {offset}: ").into_bytes();
                out.extend_from_slice(&self.message);
                out
            }
            None => self.message.clone(),
        }
    }

    /// The exact bytes hg writes to stderr for this error:
    /// `hg: parse error at N: MESSAGE\n` (or `hg: parse error: MESSAGE\n`)
    /// followed by `(HINT)\n` when there is a hint.
    pub fn render(&self) -> Vec<u8> {
        let mut out = b"hg: parse error".to_vec();
        if let Some(offset) = self.offset {
            out.extend_from_slice(format!(" at {offset}").as_bytes());
        }
        out.extend_from_slice(b": ");
        out.extend_from_slice(&self.message);
        out.push(b'\n');
        if let Some(hint) = &self.hint {
            out.push(b'(');
            out.extend_from_slice(hint);
            out.extend_from_slice(b")\n");
        }
        out
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.detail()))
    }
}

/// Builds the caret hint hg attaches to located errors: the text on one
/// line, then `loc + 1` spaces (the hint is printed after an opening
/// parenthesis) and `^ here`. `newline` is what each `\n` of the text
/// becomes: revsets use a space, templates the two bytes `\n` (and shift the
/// caret by one per newline before the offset).
pub(crate) fn caret_hint(text: &[u8], offset: usize, newline_as_escape: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + offset + 8);
    let mut shift = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            if newline_as_escape {
                out.extend_from_slice(b"\\n");
                if i < offset {
                    shift += 1;
                }
            } else {
                out.push(b' ');
            }
        } else {
            out.push(b);
        }
    }
    out.push(b'\n');
    out.resize(out.len() + offset + 1 + shift, b' ');
    out.extend_from_slice(b"^ here");
    out
}

/// Errors of alias expansion: either a parse error (unknown-arity call,
/// infinite recursion) or hg's `abort:` for a referenced alias whose
/// declaration or definition is bad.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AliasError {
    /// Printed by hg as a parse error.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// Printed by hg as `abort: MESSAGE`, e.g.
    /// `bad definition of revset alias "x": at 2: not a prefix: end`.
    #[error("{}", String::from_utf8_lossy(.0))]
    BadAlias(Vec<u8>),
}
