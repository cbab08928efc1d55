//! The table-driven Pratt (top-down operator precedence) parser engine.
//!
//! A grammar is a static table of [`Rule`]s, one per token type, in the
//! model of Mercurial's `parser.py`: each token type has a binding power and
//! optional primary, prefix, infix and suffix actions. The engine knows
//! nothing of any particular language: tokenizers feed it [`Token`]s lazily
//! (hg's tokenizers are generators, and an error further right than where
//! the parser stops must never be reported), and it builds [`Tree`]s.
//!
//! Ambiguities are resolved as hg does: a token with both a primary and a
//! prefix action is a primary unless the next token may start a term; a
//! token with both a suffix and an infix action is a suffix unless the next
//! token may start a term.

use crate::error::ParseError;
use crate::tree::{Kind, Tree};

/// Deepest nesting accepted — both of the parser's recursion and of the
/// trees it builds (`a-b-c-...` recurses little but builds a deep tree) —
/// before reporting an error instead of risking the stack. hg itself hits
/// Python's recursion limit at about 495 nested groups.
pub const MAX_DEPTH: usize = 500;

/// The message of the error for expressions nested deeper than
/// [`MAX_DEPTH`] (hg itself would fail with a Python recursion error).
pub const TOO_DEEP: &str = "expression is nested too deeply";

/// A prefix or infix action: the node kind built, the binding power of the
/// operand, and the token that must close the operand (as `)` closes a
/// function call); when the closing token comes right away the operand is
/// absent (`None`).
#[derive(Debug, Clone, Copy)]
pub struct Operand {
    /// Kind of the node built.
    pub kind: Kind,
    /// Binding power used to parse the operand.
    pub bind: u8,
    /// Token type that must follow the operand, if any.
    pub close: Option<&'static str>,
}

/// The actions of one token type.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Token type name, also used in error messages (`not a prefix: end`).
    pub token: &'static str,
    /// Binding power as an infix or suffix operator.
    pub bind: u8,
    /// Leaf/node kind when the token stands alone (`symbol`, `:` alone).
    pub primary: Option<Kind>,
    /// Prefix action (`not x`, `(x)`, `-x`).
    pub prefix: Option<Operand>,
    /// Infix action (`x and y`, `f(x)`).
    pub infix: Option<Operand>,
    /// Suffix action (`x^`, `x::`).
    pub suffix: Option<Kind>,
}

impl Rule {
    /// A rule with nothing but a token name (closing tokens, `end`).
    pub const fn inert(token: &'static str) -> Rule {
        Rule {
            token,
            bind: 0,
            primary: None,
            prefix: None,
            infix: None,
            suffix: None,
        }
    }
}

/// A grammar: the table of rules.
#[derive(Debug, Clone, Copy)]
pub struct Grammar {
    /// One rule per token type.
    pub rules: &'static [Rule],
    /// Infix kinds whose left-nested chains the grammar flattens after
    /// parsing ([`flatten_infix`]); such chains do not count as nesting.
    pub flattened: &'static [Kind],
}

impl Grammar {
    fn rule(&self, token: &str) -> &'static Rule {
        static UNKNOWN: Rule = Rule::inert("?");
        self.rules
            .iter()
            .find(|rule| rule.token == token)
            .unwrap_or(&UNKNOWN)
    }
}

/// The value a token carries into a primary node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenValue {
    /// Operators: a primary from it is a node with one `None` child.
    None,
    /// Symbols, strings, integers: a primary from it is a leaf.
    Bytes(Vec<u8>),
    /// Nested templates: a primary from it is a node with these children.
    Trees(Vec<Tree>),
}

/// One token: its type (a rule's `token`), value, and byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Token type name.
    pub kind: &'static str,
    /// Carried value.
    pub value: TokenValue,
    /// Byte offset in the source.
    pub pos: usize,
}

impl Token {
    /// A token without value.
    pub fn op(kind: &'static str, pos: usize) -> Token {
        Token {
            kind,
            value: TokenValue::None,
            pos,
        }
    }

    /// A token carrying bytes.
    pub fn bytes(kind: &'static str, value: impl Into<Vec<u8>>, pos: usize) -> Token {
        Token {
            kind,
            value: TokenValue::Bytes(value.into()),
            pos,
        }
    }
}

/// A lazy token stream. After yielding its `end` token a source must keep
/// returning `end` tokens.
pub trait TokenSource {
    /// The next token, or the tokenizer's error at this point. `depth` is
    /// the parser's current nesting, for tokenizers that parse nested
    /// expressions themselves (quoted templates) and must count them.
    fn next_token(&mut self, depth: usize) -> Result<Token, ParseError>;
}

/// Parses one expression from `source`; returns the tree and the offset of
/// the first token not consumed (hg's callers compare it with the input
/// length to report `invalid token`). `depth` is the nesting already used by
/// enclosing parsers (nested templates), counted against [`MAX_DEPTH`].
pub fn parse(
    grammar: &Grammar,
    source: &mut dyn TokenSource,
    depth: usize,
) -> Result<(Tree, usize), ParseError> {
    let current = source.next_token(depth)?;
    let mut parser = Parser {
        grammar,
        source,
        current,
        depth,
    };
    let (tree, _) = parser.expression(0)?;
    Ok((tree, parser.current.pos))
}

struct Parser<'a> {
    grammar: &'a Grammar,
    source: &'a mut dyn TokenSource,
    current: Token,
    depth: usize,
}

impl Parser<'_> {
    fn advance(&mut self) -> Result<Token, ParseError> {
        let next = self.source.next_token(self.depth)?;
        Ok(std::mem::replace(&mut self.current, next))
    }

    /// True if the current token may start a new term.
    fn at_new_term(&self) -> bool {
        let rule = self.grammar.rule(self.current.kind);
        rule.primary.is_some() || rule.prefix.is_some()
    }

    fn expect(&mut self, token: &'static str) -> Result<(), ParseError> {
        if self.current.kind != token {
            return Err(token_error("unexpected token", &self.current));
        }
        self.advance()?;
        Ok(())
    }

    /// An operand and the depth of its tree (0 when absent).
    fn operand(&mut self, operand: Operand) -> Result<(Option<Tree>, usize), ParseError> {
        let (tree, depth) = match operand.close {
            Some(close) if self.current.kind == close => (None, 0),
            _ => {
                let (tree, depth) = self.expression(operand.bind)?;
                (Some(tree), depth)
            }
        };
        if let Some(close) = operand.close {
            self.expect(close)?;
        }
        Ok((tree, depth))
    }

    /// One expression and the depth of its tree.
    fn expression(&mut self, bind: u8) -> Result<(Tree, usize), ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep(self.current.pos));
        }
        self.depth += 1;
        let result = self.expression_inner(bind);
        self.depth -= 1;
        result
    }

    fn expression_inner(&mut self, bind: u8) -> Result<(Tree, usize), ParseError> {
        let token = self.advance()?;
        let rule = self.grammar.rule(token.kind);
        let (mut tree, mut depth) = match (rule.primary, rule.prefix) {
            (Some(primary), prefix) if !(prefix.is_some() && self.at_new_term()) => {
                (primary_tree(primary, token.value), 1)
            }
            (_, Some(prefix)) => {
                let (operand, depth) = self.operand(prefix)?;
                (Tree::Node(prefix.kind, vec![operand]), depth + 1)
            }
            _ => return Err(token_error("not a prefix", &token)),
        };
        while bind < self.grammar.rule(self.current.kind).bind {
            let token = self.advance()?;
            let rule = self.grammar.rule(token.kind);
            (tree, depth) = match (rule.suffix, rule.infix) {
                (Some(suffix), infix) if !(infix.is_some() && self.at_new_term()) => {
                    (Tree::Node(suffix, vec![Some(tree)]), depth + 1)
                }
                (_, Some(infix)) => {
                    let (right, right_depth) = self.operand(infix)?;
                    let flat =
                        tree.kind() == infix.kind && self.grammar.flattened.contains(&infix.kind);
                    let left_depth = if flat { depth } else { depth + 1 };
                    (
                        Tree::Node(infix.kind, vec![Some(tree), right]),
                        left_depth.max(right_depth + 1),
                    )
                }
                _ => return Err(token_error("not an infix", &token)),
            };
            if depth > MAX_DEPTH {
                return Err(too_deep(self.current.pos));
            }
        }
        Ok((tree, depth))
    }
}

#[cold]
#[inline(never)]
fn token_error(what: &str, token: &Token) -> ParseError {
    ParseError::at(token.pos, format!("{what}: {}", token.kind))
}

#[cold]
#[inline(never)]
fn too_deep(pos: usize) -> ParseError {
    ParseError::at(pos, TOO_DEEP)
}

fn primary_tree(kind: Kind, value: TokenValue) -> Tree {
    match value {
        TokenValue::None => Tree::Node(kind, vec![None]),
        TokenValue::Bytes(bytes) => Tree::Leaf(kind, bytes),
        TokenValue::Trees(trees) => Tree::node(kind, trees),
    }
}

/// hg's `simplifyinfixops`: flattens left-nested chains of the given
/// operators, `(or (or a b) c)` → `(or a b c)`, everywhere in the tree.
pub fn flatten_infix(tree: Tree, kinds: &[Kind]) -> Tree {
    match tree {
        Tree::Leaf(..) => tree,
        Tree::Node(kind, children) if kinds.contains(&kind) && children.len() == 2 => {
            let mut reversed = Vec::new();
            let mut current = Some(Tree::Node(kind, children));
            loop {
                match current {
                    Some(Tree::Node(k, mut pair)) if k == kind && pair.len() == 2 => {
                        let right = pair.pop().flatten();
                        let left = pair.pop().flatten();
                        reversed.push(right.map(|t| flatten_infix(t, kinds)));
                        current = left;
                    }
                    other => {
                        reversed.push(other.map(|t| flatten_infix(t, kinds)));
                        break;
                    }
                }
            }
            reversed.reverse();
            Tree::Node(kind, reversed)
        }
        Tree::Node(kind, children) => Tree::Node(
            kind,
            children
                .into_iter()
                .map(|child| child.map(|t| flatten_infix(t, kinds)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A toy calculator grammar: integers, `+`, `*`, prefix `-`, groups.
    static CALC: Grammar = Grammar {
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
            Rule {
                token: "+",
                bind: 4,
                primary: None,
                prefix: None,
                infix: Some(Operand {
                    kind: Kind::Add,
                    bind: 4,
                    close: None,
                }),
                suffix: None,
            },
            Rule {
                token: "*",
                bind: 5,
                primary: None,
                prefix: None,
                infix: Some(Operand {
                    kind: Kind::Multiply,
                    bind: 5,
                    close: None,
                }),
                suffix: None,
            },
            Rule {
                token: "-",
                bind: 4,
                primary: None,
                prefix: Some(Operand {
                    kind: Kind::Negate,
                    bind: 19,
                    close: None,
                }),
                infix: None,
                suffix: None,
            },
            Rule {
                token: "integer",
                bind: 0,
                primary: Some(Kind::Integer),
                prefix: None,
                infix: None,
                suffix: None,
            },
            Rule::inert(")"),
            Rule::inert("end"),
        ],
        flattened: &[Kind::Add],
    };

    struct Chars {
        text: Vec<u8>,
        pos: usize,
    }

    impl TokenSource for Chars {
        fn next_token(&mut self, _depth: usize) -> Result<Token, ParseError> {
            let pos = self.pos;
            let Some(&c) = self.text.get(pos) else {
                return Ok(Token::op("end", pos));
            };
            self.pos += 1;
            Ok(match c {
                b'(' => Token::op("(", pos),
                b')' => Token::op(")", pos),
                b'+' => Token::op("+", pos),
                b'*' => Token::op("*", pos),
                b'-' => Token::op("-", pos),
                b'0'..=b'9' => Token::bytes("integer", vec![c], pos),
                _ => return Err(ParseError::at(pos, "syntax error")),
            })
        }
    }

    fn calc(text: &str) -> Result<String, ParseError> {
        let mut source = Chars {
            text: text.as_bytes().to_vec(),
            pos: 0,
        };
        let (tree, _) = parse(&CALC, &mut source, 0)?;
        let text = String::from_utf8_lossy(&tree.pretty()).into_owned();
        Ok(text.lines().map(str::trim).collect::<Vec<_>>().join(" "))
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(
            calc("1+2*3").unwrap(),
            "(+ (integer '1') (* (integer '2') (integer '3')))"
        );
        assert_eq!(
            calc("1+2+3").unwrap(),
            "(+ (+ (integer '1') (integer '2')) (integer '3'))"
        );
        assert_eq!(calc("-1").unwrap(), "(negate (integer '1'))");
        assert_eq!(calc("1()").unwrap(), "(func (integer '1') None)");
    }

    #[test]
    fn errors_carry_offsets() {
        let err = calc("1+").unwrap_err();
        assert_eq!(
            (err.message, err.offset),
            (b"not a prefix: end".to_vec(), Some(2))
        );
        let err = calc("(1").unwrap_err();
        assert_eq!(
            (err.message, err.offset),
            (b"unexpected token: end".to_vec(), Some(2))
        );
        let err = calc("1-1").unwrap_err();
        assert_eq!(err.message, b"not an infix: -");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // Debug builds need a few MB of stack at MAX_DEPTH (test threads
        // have 2 MB; a main thread 8 MB).
        std::thread::Builder::new()
            .stack_size(16 * 1024 * 1024)
            .spawn(|| {
                let err = calc(&"(".repeat(100_000)).unwrap_err();
                assert_eq!(err.message, TOO_DEEP.as_bytes());
                assert!(calc(&format!("{}1{}", "(".repeat(400), ")".repeat(400))).is_ok());
                let err = calc(&"1*".repeat(100_000)).unwrap_err();
                assert_eq!(err.message, TOO_DEEP.as_bytes());
                let chain = calc_tree(&format!("1{}", "+1".repeat(100_000)));
                let flat = flatten_infix(chain, &[Kind::Add]);
                assert_eq!(flat.children().len(), 100_001);
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn flatten_left_chains_only() {
        let tree = calc_tree("1+2+3+(4+5)");
        let flat = flatten_infix(tree, &[Kind::Add]);
        assert_eq!(flat.children().len(), 4);
    }

    fn calc_tree(text: &str) -> Tree {
        let mut source = Chars {
            text: text.as_bytes().to_vec(),
            pos: 0,
        };
        parse(&CALC, &mut source, 0).unwrap().0
    }
}
