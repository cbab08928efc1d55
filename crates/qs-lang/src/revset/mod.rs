//! Revsets: parsing (hg's `revsetlang.parse`), alias expansion, `##`
//! concatenation, analysis and optimisation, each a pure function from tree
//! to tree so that every stage prints like `hg debugrevspec -p STAGE`.
//!
//! The pipeline hg runs, and its stage names:
//! `parse` ("parsed") → [`expand_aliases`] ("expanded") → [`fold_concat`]
//! ("concatenated") → [`analyze`] ("analyzed") → [`optimize`]
//! ("optimized").

mod analyze;
mod format;
mod grammar;
mod optimize;
mod tokenize;

pub use analyze::analyze;
pub use format::{format_spec, SpecArg};
pub use grammar::REVSET;
pub use optimize::{function_weight, optimize};
pub use tokenize::{Lookup, Tokenizer};

use crate::alias::{AliasRules, Aliases};
use crate::error::{caret_hint, AliasError, ParseError};
use crate::pratt::{self, flatten_infix};
use crate::tree::{Kind, Tree};

/// Parses a revset into hg's "parsed" tree. `lookup` answers whether a name
/// is a known symbol (hg passes one when a repository is at hand: it keeps
/// `foo-bar` whole, and takes `known:known` as an old-style range). Errors
/// with an offset carry hg's caret hint.
pub fn parse(spec: &[u8], lookup: Option<Lookup<'_>>) -> Result<Tree, ParseError> {
    parse_with(spec, lookup, false).map_err(|mut err| {
        if let Some(offset) = err.offset {
            err.hint = Some(caret_hint(spec, offset, false));
        }
        err
    })
}

/// Parsing as for alias declarations and definitions: `$` may start a
/// symbol, no lookup, no hint.
pub fn parse_alias_spec(spec: &[u8]) -> Result<Tree, ParseError> {
    parse_with(spec, None, true)
}

fn parse_with(spec: &[u8], lookup: Option<Lookup<'_>>, dollar: bool) -> Result<Tree, ParseError> {
    let lookup = if spec.starts_with(b"revset(") && spec.ends_with(b")") {
        None
    } else {
        lookup
    };
    let mut tokens = Tokenizer::new(spec, lookup, dollar);
    let (tree, pos) = pratt::parse(&REVSET, &mut tokens, 0)?;
    if pos != spec.len() {
        return Err(ParseError::at(pos, "invalid token"));
    }
    Ok(fix_ops(flatten_infix(tree, &[Kind::List, Kind::Or])))
}

/// hg's `_fixops`: resolves what the table cannot (`x^:y` is `(x^):y`),
/// wraps `or` operands in one `list`, and makes `x#y[z]` a `relsubscript`.
fn fix_ops(tree: Tree) -> Tree {
    let Tree::Node(kind, mut children) = tree else {
        return tree;
    };
    match kind {
        Kind::Parent if children.len() == 2 => {
            let right = children.pop().flatten();
            let left = children.pop().flatten();
            let post = || Tree::Node(Kind::ParentPost, vec![left.clone()]);
            match right {
                Some(Tree::Node(Kind::DagRangePre, inner)) => {
                    let mut rebuilt = vec![Some(post())];
                    rebuilt.extend(inner);
                    fix_ops(Tree::Node(Kind::DagRange, rebuilt))
                }
                Some(Tree::Node(Kind::DagRangeAll, _)) => {
                    fix_ops(Tree::Node(Kind::DagRangePost, vec![Some(post())]))
                }
                Some(Tree::Node(Kind::RangePre, inner)) => {
                    let mut rebuilt = vec![Some(post())];
                    rebuilt.extend(inner);
                    fix_ops(Tree::Node(Kind::Range, rebuilt))
                }
                Some(Tree::Node(Kind::RangeAll, _)) => {
                    fix_ops(Tree::Node(Kind::RangePost, vec![Some(post())]))
                }
                right => fix_children(Kind::Parent, vec![left, right]),
            }
        }
        Kind::Or => Tree::Node(Kind::Or, vec![Some(fix_children(Kind::List, children))]),
        Kind::Subscript
            if children.len() == 2
                && matches!(children.first(), Some(Some(t)) if t.kind() == Kind::Relation) =>
        {
            let index = children.pop().flatten();
            let relation = children.pop().flatten();
            let mut rebuilt: Vec<Option<Tree>> = match relation {
                Some(Tree::Node(_, parts)) => parts,
                _ => Vec::new(),
            };
            rebuilt.push(index);
            fix_children(Kind::RelSubscript, rebuilt)
        }
        _ => fix_children(kind, children),
    }
}

fn fix_children(kind: Kind, children: Vec<Option<Tree>>) -> Tree {
    Tree::Node(kind, children.into_iter().map(|c| c.map(fix_ops)).collect())
}

/// The list of arguments of a function call (hg's `getlist`).
pub fn arg_list(args: Option<&Tree>) -> Vec<&Tree> {
    match args {
        None => Vec::new(),
        Some(tree) if tree.kind() == Kind::List => tree.children().iter().flatten().collect(),
        Some(tree) => vec![tree],
    }
}

fn revset_call(tree: &Tree) -> Option<(&[u8], Vec<&Tree>)> {
    if tree.kind() != Kind::Func {
        return None;
    }
    let name = tree.child(0)?.leaf_value(Kind::Symbol)?;
    Some((name, arg_list(tree.child(1))))
}

/// The alias rules of `[revsetalias]`.
pub static ALIAS_RULES: AliasRules = AliasRules {
    section: "revset alias",
    parse: parse_alias_spec,
    call: revset_call,
};

/// Parses `[revsetalias]` entries (declaration, definition).
pub fn build_aliases(items: &[(Vec<u8>, Vec<u8>)]) -> Aliases {
    Aliases::build(ALIAS_RULES, items)
}

/// Expands revset aliases in a parsed tree. On success also returns the
/// warnings hg prints for bad aliases (`warning: bad definition of revset
/// alias "x": ...\n`), which hg prints even when they were not used.
pub fn expand_aliases(tree: &Tree, aliases: &Aliases) -> Result<(Tree, Vec<Vec<u8>>), AliasError> {
    let expanded = aliases.expand(tree)?;
    Ok((expanded, aliases.warnings()))
}

/// hg's `foldconcat`: replaces each `x ## y ## ...` by one string of the
/// concatenated symbols and strings.
pub fn fold_concat(tree: Tree) -> Result<Tree, ParseError> {
    match tree {
        Tree::Leaf(..) => Ok(tree),
        Tree::Node(Kind::Concat, _) => {
            let mut out = Vec::new();
            let mut pending = vec![Some(&tree)];
            while let Some(item) = pending.pop() {
                match item {
                    Some(Tree::Node(Kind::Concat, children)) => {
                        pending.extend(children.iter().rev().map(Option::as_ref));
                    }
                    Some(Tree::Leaf(Kind::String | Kind::Symbol, value)) => {
                        out.extend_from_slice(value);
                    }
                    other => {
                        let name = other.map_or("None", |t| t.kind().name());
                        return Err(ParseError::new(format!(
                            "\"##\" can't concatenate \"{name}\" element"
                        )));
                    }
                }
            }
            Ok(Tree::string(out))
        }
        Tree::Node(kind, children) => {
            let mut out = Vec::with_capacity(children.len());
            for child in children {
                out.push(child.map(fold_concat).transpose()?);
            }
            Ok(Tree::Node(kind, out))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parsed(expr: &str) -> String {
        String::from_utf8_lossy(&parse(expr.as_bytes(), None).unwrap().pretty()).into_owned()
    }

    fn optimized(expr: &str) -> String {
        let tree = parse(expr.as_bytes(), None).unwrap();
        let tree = analyze(&fold_concat(tree).unwrap()).unwrap();
        let tree = optimize(tree.as_ref()).unwrap();
        String::from_utf8_lossy(&crate::pretty(tree.as_ref())).into_owned()
    }

    #[test]
    fn parent_before_range_is_a_parent_post() {
        assert_eq!(
            parsed("x^:y"),
            "(range\n  (parentpost\n    (symbol 'x'))\n  (symbol 'y'))"
        );
        assert_eq!(
            parsed("x^::"),
            "(dagrangepost\n  (parentpost\n    (symbol 'x')))"
        );
    }

    #[test]
    fn or_operands_are_one_list() {
        assert_eq!(
            parsed("a + b | c"),
            "(or\n  (list\n    (symbol 'a')\n    (symbol 'b')\n    (symbol 'c')))"
        );
    }

    #[test]
    fn lookup_keeps_dashed_names_and_old_style_ranges() {
        let known = |name: &[u8]| name == b"a-b" || name == b"c-d";
        let tree = parse(b"a-b", Some(&known)).unwrap();
        assert_eq!(tree, Tree::symbol("a-b"));
        let tree = parse(b"a-b:c-d", Some(&known)).unwrap();
        assert_eq!(
            tree,
            Tree::node(Kind::Range, [Tree::symbol("a-b"), Tree::symbol("c-d")])
        );
        assert_eq!(parse(b"a-c", Some(&known)).unwrap().kind(), Kind::Minus);
    }

    #[test]
    fn errors_render_like_hg() {
        let err = parse(b"foo bar", None).unwrap_err();
        assert_eq!(
            err.render(),
            b"hg: parse error at 4: invalid token\n(foo bar\n     ^ here)\n".to_vec()
        );
        let err = parse(b"'\\x'", None).unwrap_err();
        assert_eq!(
            err.render(),
            b"hg: parse error: invalid \\x escape at position 0\n".to_vec()
        );
    }

    #[test]
    fn optimisations() {
        assert_eq!(
            optimized("::a - ::b"),
            "(func\n  (symbol 'only')\n  (list\n    (symbol 'a')\n    (symbol 'b')))"
        );
        assert_eq!(
            optimized("not public()"),
            "(func\n  (symbol '_notpublic')\n  None)"
        );
        assert_eq!(
            optimized("a + b + c()"),
            "(or\n  (list\n    (func\n      (symbol '_list')\n      (string 'a\\x00b'))\n    (func\n      (symbol 'c')\n      None)))"
        );
        assert_eq!(
            optimized("author(x) and y"),
            "(andsmally\n  (func\n    (symbol 'author')\n    (symbol 'x'))\n  (symbol 'y'))"
        );
    }

    #[test]
    fn aliases_expand_and_report_errors() {
        let aliases = build_aliases(&[
            (b"b($1)".to_vec(), b"::$1 - ::default".to_vec()),
            (b"loop".to_vec(), b"loop".to_vec()),
            (b"bad".to_vec(), b"f(".to_vec()),
        ]);
        let tree = parse(b"b(x)", None).unwrap();
        let (expanded, warnings) = expand_aliases(&tree, &aliases).unwrap();
        assert_eq!(expanded, parse(b"::x - ::default", None).unwrap());
        assert_eq!(
            warnings,
            vec![
                b"warning: bad definition of revset alias \"bad\": at 2: not a prefix: end\n"
                    .to_vec()
            ]
        );
        let err = expand_aliases(&parse(b"loop", None).unwrap(), &aliases).unwrap_err();
        assert_eq!(
            err,
            AliasError::Parse(ParseError::new(
                &b"infinite expansion of revset alias \"loop\" detected"[..]
            ))
        );
        let err = expand_aliases(&parse(b"bad", None).unwrap(), &aliases).unwrap_err();
        assert!(matches!(err, AliasError::BadAlias(_)));
        let err = expand_aliases(&parse(b"b(1, 2)", None).unwrap(), &aliases).unwrap_err();
        assert_eq!(
            err,
            AliasError::Parse(ParseError::new(&b"invalid number of arguments: 2"[..]))
        );
    }
}
