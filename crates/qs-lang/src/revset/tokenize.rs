//! The revset tokenizer, a lazy stream like hg's `revsetlang.tokenize`:
//! operators, keywords (`and or not`), quoted strings (`'..'`, `".."` with
//! escapes, raw `r'..'`), and symbols, which may contain `-` `.` `/` and any
//! byte from 0x80 up. A symbol containing `-` is split into a subtraction
//! unless the lookup callback says the whole name exists; with a lookup,
//! an expression made of known names around one `:` is taken as an
//! old-style range before anything else.

use std::collections::VecDeque;

use crate::error::ParseError;
use crate::escape::{is_space, unescape};
use crate::pratt::{Token, TokenSource};

/// Answers whether a name is a known revision symbol (tag, bookmark,
/// branch, node prefix...).
pub type Lookup<'a> = &'a dyn Fn(&[u8]) -> bool;

fn simple_op(c: u8) -> Option<&'static str> {
    Some(match c {
        b'(' => "(",
        b')' => ")",
        b'[' => "[",
        b']' => "]",
        b'#' => "#",
        b':' => ":",
        b'=' => "=",
        b',' => ",",
        b'-' => "-",
        b'|' => "|",
        b'&' => "&",
        b'+' => "+",
        b'!' => "!",
        b'~' => "~",
        b'^' => "^",
        b'%' => "%",
        _ => return None,
    })
}

fn is_sym_initial(c: u8, dollar: bool) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, b'.' | b'_' | b'@')
        || c >= 0x80
        || (dollar && c == b'$')
}

fn is_sym_letter(c: u8, dollar: bool) -> bool {
    is_sym_initial(c, dollar) || matches!(c, b'-' | b'/')
}

/// The lazy revset token stream.
pub struct Tokenizer<'a> {
    program: &'a [u8],
    pos: usize,
    lookup: Option<Lookup<'a>>,
    /// Alias declarations and definitions also allow `$` to start symbols.
    dollar: bool,
    pending: VecDeque<Token>,
    finished: bool,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `program`.
    pub fn new(program: &'a [u8], lookup: Option<Lookup<'a>>, dollar: bool) -> Tokenizer<'a> {
        let mut tokenizer = Tokenizer {
            program,
            pos: 0,
            lookup,
            dollar,
            pending: VecDeque::new(),
            finished: false,
        };
        tokenizer.try_old_style_range();
        tokenizer
    }

    fn try_old_style_range(&mut self) {
        let Some(lookup) = self.lookup else { return };
        if self.program.is_empty() {
            return;
        }
        let program = self.program;
        let (first, rest) = match program.iter().position(|&c| c == b':') {
            Some(colon) => (&program[..colon], Some(&program[colon + 1..])),
            None => (program, None),
        };
        let known = |part: &[u8]| part.is_empty() || lookup(part);
        if !known(first) || !rest.is_none_or(known) {
            return;
        }
        if !first.is_empty() {
            self.pending.push_back(Token::bytes("symbol", first, 0));
        }
        if let Some(rest) = rest {
            let colon = first.len();
            self.pending.push_back(Token::op(":", colon));
            if !rest.is_empty() {
                self.pending
                    .push_back(Token::bytes("symbol", rest, colon + 1));
            }
        }
        self.pending.push_back(Token::op("end", program.len()));
        self.finished = true;
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.program.get(offset).copied()
    }

    fn scan(&mut self) -> Result<(), ParseError> {
        let program = self.program;
        while let Some(c) = self.at(self.pos) {
            let pos = self.pos;
            if is_space(c) {
                self.pos += 1;
                continue;
            }
            let next = self.at(pos + 1);
            if (c == b':' || c == b'.' || c == b'#') && next == Some(c) {
                let kind = match c {
                    b':' => "::",
                    b'.' => "..",
                    _ => "##",
                };
                self.pending.push_back(Token::op(kind, pos));
                self.pos += 2;
                return Ok(());
            }
            if let Some(kind) = simple_op(c) {
                self.pending.push_back(Token::op(kind, pos));
                self.pos += 1;
                return Ok(());
            }
            if c == b'"' || c == b'\'' || (c == b'r' && matches!(next, Some(b'"' | b'\''))) {
                return self.scan_string();
            }
            if is_sym_initial(c, self.dollar) {
                let start = pos;
                let mut end = pos + 1;
                while let Some(d) = self.at(end) {
                    if !is_sym_letter(d, self.dollar) {
                        break;
                    }
                    if d == b'.' && program.get(end - 1) == Some(&b'.') {
                        end -= 1;
                        break;
                    }
                    end += 1;
                }
                self.pos = end;
                self.push_symbol(start, &program[start..end]);
                return Ok(());
            }
            let mut message = b"syntax error in revset '".to_vec();
            message.extend_from_slice(program);
            message.push(b'\'');
            return Err(ParseError::at(pos, message));
        }
        self.pending.push_back(Token::op("end", self.pos));
        self.finished = true;
        Ok(())
    }

    fn scan_string(&mut self) -> Result<(), ParseError> {
        let program = self.program;
        let mut pos = self.pos;
        let raw = self.at(pos) == Some(b'r');
        if raw {
            pos += 1;
        }
        let quote = self.at(pos);
        pos += 1;
        let start = pos;
        while let Some(d) = self.at(pos) {
            if d == b'\\' {
                pos += 2;
                continue;
            }
            if Some(d) == quote {
                let body = &program[start..pos];
                let value = if raw { body.to_vec() } else { unescape(body)? };
                self.pending.push_back(Token::bytes("string", value, start));
                self.pos = pos + 1;
                return Ok(());
            }
            pos += 1;
        }
        Err(ParseError::at(start, "unterminated string"))
    }

    fn push_symbol(&mut self, start: usize, sym: &[u8]) {
        match sym {
            b"and" => self.pending.push_back(Token::op("and", start)),
            b"or" => self.pending.push_back(Token::op("or", start)),
            b"not" => self.pending.push_back(Token::op("not", start)),
            _ if sym.contains(&b'-') && !self.lookup.is_some_and(|lookup| lookup(sym)) => {
                let parts: Vec<&[u8]> = sym.split(|&c| c == b'-').collect();
                let mut offset = start;
                let last = parts.len() - 1;
                for (index, part) in parts.into_iter().enumerate() {
                    if !part.is_empty() {
                        self.pending.push_back(Token::bytes("symbol", part, offset));
                    }
                    offset += part.len();
                    if index < last {
                        self.pending.push_back(Token::op("-", offset));
                        offset += 1;
                    }
                }
            }
            _ => self.pending.push_back(Token::bytes("symbol", sym, start)),
        }
    }
}

impl TokenSource for Tokenizer<'_> {
    fn next_token(&mut self, _depth: usize) -> Result<Token, ParseError> {
        loop {
            if let Some(token) = self.pending.pop_front() {
                return Ok(token);
            }
            if self.finished {
                return Ok(Token::op("end", self.program.len()));
            }
            self.scan()?;
        }
    }
}
