//! Template scanning and tokenizing, like hg's `templater._scantemplate` and
//! `templater.tokenize`: literal text with `{expr}` fragments (`\{` is a
//! literal brace), and inside expressions operators, integers, symbols, raw
//! strings `r'..'`, quoted strings which are themselves templates, and the
//! legacy backslash-quoted strings `\"..\"`.

use crate::error::ParseError;
use crate::escape::{is_space, unescape};
use crate::pratt::{self, Token, TokenSource, TokenValue, MAX_DEPTH, TOO_DEEP};
use crate::tree::Tree;

use super::grammar::TEMPLATE;

/// Scans `tmpl[start..stop]` into literal strings and parsed expressions,
/// stopping after the closing `quote` when one is given. Returns the pieces
/// and the offset after the last byte consumed.
pub(crate) fn scan_template(
    tmpl: &[u8],
    start: usize,
    stop: usize,
    quote: Option<u8>,
    depth: usize,
) -> Result<(Vec<Tree>, usize), ParseError> {
    if depth >= MAX_DEPTH {
        return Err(ParseError::at(start, TOO_DEEP));
    }
    let mut parsed = Vec::new();
    let mut pos = start;
    while pos < stop {
        let found = tmpl
            .get(pos..stop)
            .unwrap_or_default()
            .iter()
            .position(|&c| c == b'{' || Some(c) == quote);
        let Some(relative) = found else {
            parsed.push(Tree::string(unescape(slice(tmpl, pos, stop))?));
            pos = stop;
            break;
        };
        let n = pos + relative;
        let c = tmpl.get(n).copied().unwrap_or(b'{');
        let backslashes = slice(tmpl, pos, n)
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 1 {
            let mut text = unescape(slice(tmpl, pos, n - 1))?;
            text.push(c);
            parsed.push(Tree::string(text));
            pos = n + 1;
            continue;
        }
        if n > pos {
            parsed.push(Tree::string(unescape(slice(tmpl, pos, n))?));
        }
        if Some(c) == quote {
            return Ok((parsed, n + 1));
        }
        let mut tokens = ExprTokens::new(tmpl, n + 1, stop, Some(b'}'));
        let (tree, end) = pratt::parse(&TEMPLATE, &mut tokens, depth + 1)?;
        if tmpl.get(end) != Some(&b'}') {
            return Err(ParseError::at(end, "invalid token"));
        }
        parsed.push(tree);
        pos = end + 1;
    }
    if quote.is_some() {
        return Err(ParseError::at(start, "unterminated string"));
    }
    Ok((parsed, pos))
}

fn slice(bytes: &[u8], from: usize, to: usize) -> &[u8] {
    bytes.get(from..to).unwrap_or_default()
}

/// The lazy token stream of one template expression.
pub(crate) struct ExprTokens<'a> {
    program: &'a [u8],
    pos: usize,
    start: usize,
    end: usize,
    term: Option<u8>,
    finished: bool,
}

impl<'a> ExprTokens<'a> {
    pub(crate) fn new(program: &'a [u8], start: usize, end: usize, term: Option<u8>) -> Self {
        ExprTokens {
            program,
            pos: start,
            start,
            end,
            term,
            finished: false,
        }
    }

    fn at(&self, offset: usize) -> Option<u8> {
        if offset < self.end {
            self.program.get(offset).copied()
        } else {
            None
        }
    }

    fn starts_with(&self, offset: usize, prefix: &[u8]) -> bool {
        offset + prefix.len() <= self.end
            && self.program.get(offset..offset + prefix.len()) == Some(prefix)
    }

    fn scan(&mut self, depth: usize) -> Result<Token, ParseError> {
        while let Some(c) = self.at(self.pos) {
            let pos = self.pos;
            if is_space(c) {
                self.pos += 1;
                continue;
            }
            if let Some(kind) = simple_op(c) {
                self.pos += 1;
                return Ok(Token::op(kind, pos));
            }
            if c == b'"' || c == b'\'' {
                let s = pos + 1;
                let (data, after) = scan_template(self.program, s, self.end, Some(c), depth + 1)?;
                self.pos = after;
                return Ok(Token {
                    kind: "template",
                    value: TokenValue::Trees(data),
                    pos: s,
                });
            }
            if c == b'r' && matches!(self.at(pos + 1), Some(b'"' | b'\'')) {
                return self.raw_string(pos);
            }
            if c.is_ascii_digit() {
                let mut end = pos;
                while self.at(end).is_some_and(|d| d.is_ascii_digit()) {
                    end += 1;
                }
                self.pos = end;
                return Ok(Token::bytes("integer", slice(self.program, pos, end), pos));
            }
            if self.starts_with(pos, b"\\'")
                || self.starts_with(pos, b"\\\"")
                || self.starts_with(pos, b"r\\'")
                || self.starts_with(pos, b"r\\\"")
            {
                return self.escaped_string(pos, depth);
            }
            if c.is_ascii_alphanumeric() || c == b'_' {
                let mut end = pos + 1;
                while self
                    .at(end)
                    .is_some_and(|d| d.is_ascii_alphanumeric() || d == b'_')
                {
                    end += 1;
                }
                self.pos = end;
                return Ok(Token::bytes("symbol", slice(self.program, pos, end), pos));
            }
            if Some(c) == self.term {
                self.finished = true;
                return Ok(Token::op("end", pos));
            }
            return Err(ParseError::at(pos, "syntax error"));
        }
        if self.term.is_some() {
            return Err(ParseError::at(
                self.start,
                "unterminated template expansion",
            ));
        }
        self.finished = true;
        Ok(Token::op("end", self.pos))
    }

    fn raw_string(&mut self, pos: usize) -> Result<Token, ParseError> {
        let quote = self.at(pos + 1);
        let s = pos + 2;
        let mut p = s;
        while let Some(d) = self.at(p) {
            if d == b'\\' {
                p += 2;
                continue;
            }
            if Some(d) == quote {
                self.pos = p + 1;
                return Ok(Token::bytes("string", slice(self.program, s, p), s));
            }
            p += 1;
        }
        Err(ParseError::at(s, "unterminated string"))
    }

    /// `\"...\"` (a template) and `r\"...\"` (a string), kept for
    /// compatibility with templates written for hg 2.9.2 to 3.4.
    fn escaped_string(&mut self, pos: usize, depth: usize) -> Result<Token, ParseError> {
        let (mut p, is_template) = if self.at(pos) == Some(b'r') {
            (pos + 1, false)
        } else {
            (pos, true)
        };
        let quote = [b'\\', self.at(p + 1).unwrap_or(b'"')];
        p += 2;
        let s = p;
        while p < self.end {
            if self.starts_with(p, b"\\\\\\") {
                p += 4;
                continue;
            }
            if self.starts_with(p, &quote) {
                let data = unescape(slice(self.program, s, p))?;
                self.pos = p + 2;
                if is_template {
                    let (trees, _) = scan_template(&data, 0, data.len(), None, depth + 1)?;
                    return Ok(Token {
                        kind: "template",
                        value: TokenValue::Trees(trees),
                        pos: s,
                    });
                }
                return Ok(Token::bytes("string", data, s));
            }
            p += 1;
        }
        Err(ParseError::at(s, "unterminated string"))
    }
}

fn simple_op(c: u8) -> Option<&'static str> {
    Some(match c {
        b'(' => "(",
        b'=' => "=",
        b',' => ",",
        b')' => ")",
        b'.' => ".",
        b'%' => "%",
        b'|' => "|",
        b'+' => "+",
        b'-' => "-",
        b'*' => "*",
        b'/' => "/",
        _ => return None,
    })
}

impl TokenSource for ExprTokens<'_> {
    fn next_token(&mut self, depth: usize) -> Result<Token, ParseError> {
        if self.finished {
            return Ok(Token::op("end", self.pos));
        }
        self.scan(depth)
    }
}
