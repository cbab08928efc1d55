//! hg's revset analysis (`revsetlang.analyze`): rewrites the pseudo
//! operators of the parsed tree into real ones — `x - y` into
//! `x and not y`, `x % y` into `only(x, y)`, `::x` into `ancestors(x)`,
//! `-sym` into the string `'-sym'`, drops groups — and rejects what cannot
//! be evaluated (`::` alone, negating something other than a name).

use crate::error::ParseError;
use crate::tree::{Kind, Tree};

/// Analyzes a parsed (alias-expanded, concatenation-folded) tree. The
/// result is `None` for an empty group such as `()`.
pub fn analyze(tree: &Tree) -> Result<Option<Tree>, ParseError> {
    analyze_opt(Some(tree))
}

fn analyze_opt(tree: Option<&Tree>) -> Result<Option<Tree>, ParseError> {
    let Some(tree) = tree else { return Ok(None) };
    let child = |i: usize| tree.children().get(i).cloned().flatten();
    let kind = tree.kind();
    let rewritten = match kind {
        Kind::Minus => Tree::Node(
            Kind::And,
            vec![child(0), Some(Tree::Node(Kind::Not, vec![child(1)]))],
        ),
        Kind::Only => Tree::func(
            b"only",
            Some(Tree::Node(Kind::List, vec![child(0), child(1)])),
        ),
        Kind::OnlyPost => Tree::func(b"only", child(0)),
        Kind::DagRangePre => Tree::func(b"ancestors", child(0)),
        Kind::DagRangePost => Tree::func(b"descendants", child(0)),
        Kind::DagRangeAll => {
            return Err(ParseError::new("can't use '::' in this context"));
        }
        Kind::Negate => {
            let value = tree
                .child(0)
                .and_then(|t| {
                    t.leaf_value(Kind::String)
                        .or_else(|| t.leaf_value(Kind::Symbol))
                })
                .ok_or_else(|| ParseError::new("can't negate that"))?;
            let mut negated = b"-".to_vec();
            negated.extend_from_slice(value);
            return Ok(Some(Tree::string(negated)));
        }
        Kind::String | Kind::Symbol => return Ok(Some(tree.clone())),
        Kind::RangeAll => return Ok(Some(Tree::Node(Kind::RangeAll, vec![None]))),
        Kind::Group => return analyze_opt(tree.child(0)),
        Kind::Or
        | Kind::Not
        | Kind::RangePre
        | Kind::RangePost
        | Kind::ParentPost
        | Kind::And
        | Kind::DagRange
        | Kind::Range
        | Kind::Parent
        | Kind::Ancestor
        | Kind::Relation
        | Kind::Subscript
        | Kind::RelSubscript
        | Kind::List => {
            let mut out = Vec::with_capacity(tree.children().len());
            for c in tree.children() {
                out.push(analyze_opt(c.as_ref())?);
            }
            return Ok(Some(Tree::Node(kind, out)));
        }
        Kind::KeyValue | Kind::Func => {
            return Ok(Some(Tree::Node(
                kind,
                vec![child(0), analyze_opt(tree.child(1))?],
            )));
        }
        other => {
            return Err(ParseError::new(format!(
                "invalid operator '{}'",
                other.name()
            )))
        }
    };
    analyze_opt(Some(&rewritten))
}
