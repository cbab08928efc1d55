//! Templates: parsing like hg's `templater.parse` (literal text with
//! `{expr}` fragments), `parse_expr` for a lone expression, and
//! `[templatealias]` expansion. The trees print like `hg debugtemplate -v`.

mod grammar;
mod scan;

pub use grammar::TEMPLATE;

use crate::alias::{AliasRules, Aliases};
use crate::error::{caret_hint, AliasError, ParseError};
use crate::pratt;
use crate::tree::{Kind, Tree};

/// Parses a whole template. Errors with an offset carry hg's caret hint
/// (newlines shown as `\n`).
pub fn parse(tmpl: &[u8]) -> Result<Tree, ParseError> {
    let (pieces, _) =
        scan::scan_template(tmpl, 0, tmpl.len(), None, 0).map_err(|err| with_hint(err, tmpl))?;
    Ok(unnest(Tree::node(Kind::Template, pieces)))
}

/// Parses one template expression (what goes between braces), like hg's
/// `templater.parseexpr`.
pub fn parse_expr(expr: &[u8]) -> Result<Tree, ParseError> {
    parse_expr_plain(expr).map_err(|err| with_hint(err, expr))
}

fn parse_expr_plain(expr: &[u8]) -> Result<Tree, ParseError> {
    let mut tokens = scan::ExprTokens::new(expr, 0, expr.len(), None);
    let (tree, pos) = pratt::parse(&TEMPLATE, &mut tokens, 0)?;
    if pos != expr.len() {
        return Err(ParseError::at(pos, "invalid token"));
    }
    Ok(unnest(tree))
}

fn with_hint(mut err: ParseError, text: &[u8]) -> ParseError {
    if let Some(offset) = err.offset {
        err.hint = Some(caret_hint(text, offset, true));
    }
    err
}

/// hg's `_unnesttemplatelist`: a template of no piece is `(string '')`, of
/// one literal piece that string; others stay `(template ...)`.
fn unnest(tree: Tree) -> Tree {
    match tree {
        Tree::Leaf(..) => tree,
        Tree::Node(Kind::Template, children) => {
            let mut pieces: Vec<Tree> = children.into_iter().flatten().map(unnest).collect();
            match pieces.len() {
                0 => Tree::string(Vec::new()),
                1 if pieces.first().is_some_and(|t| t.kind() == Kind::String) => {
                    pieces.pop().unwrap_or_else(|| Tree::string(Vec::new()))
                }
                _ => Tree::node(Kind::Template, pieces),
            }
        }
        Tree::Node(kind, children) => {
            Tree::Node(kind, children.into_iter().map(|c| c.map(unnest)).collect())
        }
    }
}

/// The arguments of a template call (hg's `templater.getlist`: template
/// lists stay nested pairs, `(list (list a b) c)`).
pub fn arg_list(args: Option<&Tree>) -> Vec<&Tree> {
    let mut out = Vec::new();
    let mut current = args;
    let mut tail = Vec::new();
    while let Some(tree) = current {
        if tree.kind() == Kind::List {
            if let Some(last) = tree.child(1) {
                tail.push(last);
            }
            current = tree.child(0);
        } else {
            out.push(tree);
            break;
        }
    }
    out.extend(tail.into_iter().rev());
    out
}

fn template_call(tree: &Tree) -> Option<(&[u8], Vec<&Tree>)> {
    match tree.kind() {
        Kind::Func => {
            let name = tree.child(0)?.leaf_value(Kind::Symbol)?;
            Some((name, arg_list(tree.child(1))))
        }
        Kind::Filter => {
            let name = tree.child(1)?.leaf_value(Kind::Symbol)?;
            Some((name, vec![tree.child(0)?]))
        }
        _ => None,
    }
}

/// The alias rules of `[templatealias]`.
pub static ALIAS_RULES: AliasRules = AliasRules {
    section: "template alias",
    parse: parse_expr_plain,
    call: template_call,
};

/// Parses `[templatealias]` entries (declaration, definition).
pub fn build_aliases(items: &[(Vec<u8>, Vec<u8>)]) -> Aliases {
    Aliases::build(ALIAS_RULES, items)
}

/// Expands template aliases (hg prints no warnings for unused bad ones).
pub fn expand_aliases(tree: &Tree, aliases: &Aliases) -> Result<Tree, AliasError> {
    aliases.expand(tree)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parsed(tmpl: &str) -> String {
        String::from_utf8_lossy(&parse(tmpl.as_bytes()).unwrap().pretty()).into_owned()
    }

    #[test]
    fn literal_text_and_expressions() {
        assert_eq!(parsed(""), "(string '')");
        assert_eq!(parsed("abc"), "(string 'abc')");
        assert_eq!(
            parsed("\\{x}"),
            "(template\n  (string '{')\n  (string 'x}'))"
        );
        assert_eq!(
            parsed("{rev}:{node|short}"),
            "(template\n  (symbol 'rev')\n  (string ':')\n  (|\n    (symbol 'node')\n    (symbol 'short')))"
        );
        assert_eq!(parsed("{'a'}"), "(string 'a')");
        assert_eq!(
            parsed("{f(1, 2, 3)}"),
            "(template\n  (func\n    (symbol 'f')\n    (list\n      (list\n        (integer '1')\n        (integer '2'))\n      (integer '3'))))"
        );
    }

    #[test]
    fn error_hint_shows_newlines_escaped() {
        let err = parse(b"a\n{x y}").unwrap_err();
        assert_eq!(err.offset, Some(5));
        assert_eq!(
            err.render(),
            b"hg: parse error at 5: invalid token\n(a\\n{x y}\n       ^ here)\n".to_vec()
        );
        let err = parse(b"{x").unwrap_err();
        assert_eq!(err.message, b"unterminated template expansion");
    }

    #[test]
    fn filter_aliases_expand() {
        let aliases = build_aliases(&[(b"up(s)".to_vec(), b"s|upper".to_vec())]);
        let tree = parse(b"{rev|up}").unwrap();
        let expanded = expand_aliases(&tree, &aliases).unwrap();
        assert_eq!(expanded, parse(b"{rev|upper}").unwrap());
    }
}
