//! Filesets: hg's `filesetlang` grammar table, tokenizer and `parse`
//! (`hg debugfileset -p parsed`). Analysis and evaluation live elsewhere.

use crate::error::ParseError;
use crate::escape::{is_space, unescape};
use crate::pratt::{self, flatten_infix, Grammar, Operand, Rule, Token, TokenSource};
use crate::tree::{Kind, Tree};

const fn infix(token: &'static str, bind: u8, kind: Kind) -> Rule {
    Rule {
        token,
        bind,
        primary: None,
        prefix: None,
        infix: Some(Operand {
            kind,
            bind,
            close: None,
        }),
        suffix: None,
    }
}

const fn not(token: &'static str) -> Rule {
    Rule {
        token,
        bind: 10,
        primary: None,
        prefix: Some(Operand {
            kind: Kind::Not,
            bind: 10,
            close: None,
        }),
        infix: None,
        suffix: None,
    }
}

const fn primary(token: &'static str, kind: Kind) -> Rule {
    Rule {
        token,
        bind: 0,
        primary: Some(kind),
        prefix: None,
        infix: None,
        suffix: None,
    }
}

/// The fileset grammar, as in hg 7.2's `filesetlang.elements`.
pub static FILESET: Grammar = Grammar {
    rules: &[
        Rule {
            token: "(",
            bind: 20,
            primary: None,
            prefix: Some(Operand {
                kind: Kind::Group,
                bind: 1,
                close: Some(")"),
            }),
            infix: Some(Operand {
                kind: Kind::Func,
                bind: 1,
                close: Some(")"),
            }),
            suffix: None,
        },
        infix(":", 15, Kind::KindPat),
        Rule {
            token: "-",
            bind: 5,
            primary: None,
            prefix: Some(Operand {
                kind: Kind::Negate,
                bind: 19,
                close: None,
            }),
            infix: Some(Operand {
                kind: Kind::Minus,
                bind: 5,
                close: None,
            }),
            suffix: None,
        },
        not("not"),
        not("!"),
        infix("and", 5, Kind::And),
        infix("&", 5, Kind::And),
        infix("or", 4, Kind::Or),
        infix("|", 4, Kind::Or),
        infix("+", 4, Kind::Or),
        infix(",", 2, Kind::List),
        Rule::inert(")"),
        primary("symbol", Kind::Symbol),
        primary("string", Kind::String),
        Rule::inert("end"),
    ],
    flattened: &[Kind::List, Kind::Or],
};

fn is_symbol_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b".*{}[]?/\\_".contains(&c) || c >= 0x80
}

struct Tokens<'a> {
    program: &'a [u8],
    pos: usize,
    finished: bool,
}

impl TokenSource for Tokens<'_> {
    fn next_token(&mut self, _depth: usize) -> Result<Token, ParseError> {
        let program = self.program;
        while !self.finished {
            let pos = self.pos;
            let Some(&c) = program.get(pos) else {
                self.finished = true;
                break;
            };
            if is_space(c) {
                self.pos += 1;
                continue;
            }
            let op = match c {
                b'(' => Some("("),
                b')' => Some(")"),
                b',' => Some(","),
                b'-' => Some("-"),
                b':' => Some(":"),
                b'|' => Some("|"),
                b'&' => Some("&"),
                b'+' => Some("+"),
                b'!' => Some("!"),
                _ => None,
            };
            if let Some(op) = op {
                self.pos += 1;
                return Ok(Token::op(op, pos));
            }
            let next = program.get(pos + 1).copied();
            if c == b'"' || c == b'\'' || (c == b'r' && matches!(next, Some(b'"' | b'\''))) {
                let raw = c == b'r';
                let quote = if raw { next } else { Some(c) };
                let s = if raw { pos + 2 } else { pos + 1 };
                let mut p = s;
                while let Some(&d) = program.get(p) {
                    if d == b'\\' {
                        p += 2;
                        continue;
                    }
                    if Some(d) == quote {
                        let body = program.get(s..p).unwrap_or_default();
                        let value = if raw { body.to_vec() } else { unescape(body)? };
                        self.pos = p + 1;
                        return Ok(Token::bytes("string", value, s));
                    }
                    p += 1;
                }
                return Err(ParseError::at(s, "unterminated string"));
            }
            if is_symbol_byte(c) {
                let mut end = pos + 1;
                while program.get(end).is_some_and(|&d| is_symbol_byte(d)) {
                    end += 1;
                }
                self.pos = end;
                let sym = program.get(pos..end).unwrap_or_default();
                return Ok(match sym {
                    b"and" => Token::op("and", pos),
                    b"or" => Token::op("or", pos),
                    b"not" => Token::op("not", pos),
                    _ => Token::bytes("symbol", sym, pos),
                });
            }
            return Err(ParseError::at(pos, "syntax error"));
        }
        Ok(Token::op("end", self.pos))
    }
}

/// Parses a fileset expression into hg's "parsed" tree (`or` and `list`
/// chains flattened).
pub fn parse(expr: &[u8]) -> Result<Tree, ParseError> {
    let mut tokens = Tokens {
        program: expr,
        pos: 0,
        finished: false,
    };
    let (tree, pos) = pratt::parse(&FILESET, &mut tokens, 0)?;
    if pos != expr.len() {
        return Err(ParseError::at(pos, "invalid token"));
    }
    Ok(flatten_infix(tree, &[Kind::List, Kind::Or]))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn kindpat_and_or_chain() {
        let tree = parse(b"glob:*.c or 'a b' or size('>1k')").unwrap();
        assert_eq!(
            String::from_utf8_lossy(&tree.pretty()),
            "(or\n  (kindpat\n    (symbol 'glob')\n    (symbol '*.c'))\n  (string 'a b')\n  (func\n    (symbol 'size')\n    (string '>1k')))"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(parse(b"a b").unwrap_err().offset, Some(2));
        assert_eq!(parse(b"'a").unwrap_err().message, b"unterminated string");
        assert_eq!(parse(b"a;").unwrap_err().message, b"syntax error");
    }
}
