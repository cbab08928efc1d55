//! hg's revset optimisation (`revsetlang.optimize`) on analyzed trees:
//! estimates each sub-expression's cost from the predicates' weights, and
//! rewrites for hg's fast paths — `a and not b` → `difference`, the cheaper
//! side of `and` first (`andsmally`), `::x and not ::y` → `only(x, y)`,
//! `draft() and ::x` → `_phaseandancestors`, `not public()` →
//! `_notpublic()`, runs of plain names in `or` → `_list('a\0b')`,
//! `heads(commonancestors(x))` → `_commonancestorheads(x)`.

use crate::error::ParseError;
use crate::tree::{Kind, Tree};

use super::parse_alias_spec;

/// Weights of hg 7.2's revset predicates that differ from the default 1
/// (the estimated cost hg's optimiser compares).
const WEIGHTS: &[(&str, f64)] = &[
    ("_intlist", 0.0),
    ("adds", 30.0),
    ("ancestor", 0.5),
    ("author", 10.0),
    ("branch", 10.0),
    ("closed", 10.0),
    ("contains", 100.0),
    ("date", 10.0),
    ("desc", 10.0),
    ("destination", 10.0),
    ("diffcontains", 110.0),
    ("extdata", 100.0),
    ("file", 10.0),
    ("first", 0.0),
    ("grep", 10.0),
    ("keyword", 10.0),
    ("limit", 0.0),
    ("modifies", 30.0),
    ("outgoing", 10.0),
    ("removes", 30.0),
    ("reverse", 0.0),
    ("sort", 10.0),
    ("user", 10.0),
    ("wdir", 0.0),
];

/// The optimiser's weight for a function name (1 unless listed).
pub fn function_weight(name: &[u8]) -> f64 {
    WEIGHTS
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map_or(1.0, |(_, w)| *w)
}

/// Optimizes an analyzed tree.
pub fn optimize(tree: Option<&Tree>) -> Result<Option<Tree>, ParseError> {
    Ok(weigh(tree)?.1)
}

type Weighed = (f64, Option<Tree>);

fn pattern(spec: &str) -> Result<Tree, ParseError> {
    parse_alias_spec(spec.as_bytes())
}

/// hg's `matchtree` with `_` as the placeholder, which matches any tree but
/// a `list` or `keyvalue`; returns the placeholder matches in order.
fn match_pattern<'t>(spec: &str, tree: &'t Tree) -> Result<Option<Vec<&'t Tree>>, ParseError> {
    let pattern = pattern(spec)?;
    let mut matches = Vec::new();
    Ok(match_tree(&pattern, tree, &mut matches).then_some(matches))
}

fn match_tree<'t>(pattern: &Tree, tree: &'t Tree, matches: &mut Vec<&'t Tree>) -> bool {
    if pattern == tree {
        return true;
    }
    if pattern.leaf_value(Kind::Symbol) == Some(b"_") {
        if matches!(tree.kind(), Kind::KeyValue | Kind::List) {
            return false;
        }
        matches.push(tree);
        return true;
    }
    match (pattern, tree) {
        (Tree::Node(pk, pc), Tree::Node(tk, tc)) if pk == tk && pc.len() == tc.len() => {
            pc.iter().zip(tc).all(|(p, t)| match (p, t) {
                (None, None) => true,
                (Some(p), Some(t)) => match_tree(p, t, matches),
                _ => false,
            })
        }
        _ => false,
    }
}

fn get_symbol(tree: Option<&Tree>) -> Result<&[u8], ParseError> {
    tree.and_then(|t| t.leaf_value(Kind::Symbol))
        .ok_or_else(|| ParseError::new("not a symbol"))
}

fn pair(kind: Kind, a: Option<Tree>, b: Option<Tree>) -> Tree {
    Tree::Node(kind, vec![a, b])
}

fn weigh(tree: Option<&Tree>) -> Result<Weighed, ParseError> {
    let Some(tree) = tree else {
        return Ok((0.0, None));
    };
    let kind = tree.kind();
    let child = |i: usize| tree.child(i);
    let raw = |i: usize| tree.children().get(i).cloned().flatten();
    Ok(match kind {
        Kind::String | Kind::Symbol => (0.5, Some(tree.clone())),
        Kind::And => {
            let (wa, ta) = weigh(child(0))?;
            let (wb, tb) = weigh(child(1))?;
            let w = wa.min(wb);
            let both = pair(Kind::And, ta.clone(), tb.clone());
            if let Some(m) = match_pattern("_() & ancestors(_)", &both)? {
                if let [phase, revs] = m[..] {
                    let name = get_symbol(Some(phase))?;
                    if matches!(name, b"draft" | b"secret" | b"_notpublic") {
                        let args = pair(Kind::List, Some(phase.clone()), Some(revs.clone()));
                        return Ok((w, Some(Tree::func(b"_phaseandancestors", Some(args)))));
                    }
                }
            }
            let only = "ancestors(_) and not ancestors(_)";
            let swapped = pair(Kind::And, tb.clone(), ta.clone());
            let m = match match_pattern(only, &both)? {
                Some(m) => Some(m),
                None => match_pattern(only, &swapped)?,
            };
            if let Some([revs, bases]) = m.as_deref() {
                let args = pair(Kind::List, Some((*revs).clone()), Some((*bases).clone()));
                return Ok((w, Some(Tree::func(b"only", Some(args)))));
            }
            if let Some(tb) = &tb {
                if let Some(m) = match_pattern("not _", tb)? {
                    if let [negated] = m[..] {
                        let diff = pair(Kind::Difference, ta, Some(negated.clone()));
                        return Ok((wa, Some(diff)));
                    }
                }
            }
            let op = if wa > wb { Kind::AndSmally } else { Kind::And };
            (w, Some(pair(op, ta, tb)))
        }
        Kind::Or => {
            // hg's getlist, keeping the operands that analysis emptied
            // (`()` becomes None and stays an operand of weight 0)
            let operands: Vec<Option<&Tree>> = match child(0) {
                Some(list) if list.kind() == Kind::List => {
                    list.children().iter().map(Option::as_ref).collect()
                }
                other => vec![other],
            };
            let mut ws = Vec::new();
            let mut ts = Vec::new();
            let mut names: Vec<(f64, Tree)> = Vec::new();
            for operand in operands {
                let (w, t) = weigh(operand)?;
                match t {
                    Some(t @ Tree::Leaf(Kind::String | Kind::Symbol, _)) => {
                        names.push((w, t));
                    }
                    t => {
                        flush_names(&mut names, &mut ws, &mut ts)?;
                        ws.push(w);
                        ts.push(t);
                    }
                }
            }
            flush_names(&mut names, &mut ws, &mut ts)?;
            if ts.len() == 1 {
                return Ok((ws.first().copied().unwrap_or(0.0), ts.pop().flatten()));
            }
            let w = ws.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (
                w,
                Some(Tree::Node(Kind::Or, vec![Some(Tree::Node(Kind::List, ts))])),
            )
        }
        Kind::Not => {
            if let Some(operand) = child(0) {
                if match_pattern("public()", operand)?.is_some() {
                    return weigh(Some(&Tree::func(b"_notpublic", None)));
                }
            }
            let (w, t) = weigh(child(0))?;
            (w, Some(Tree::Node(Kind::Not, vec![t])))
        }
        Kind::RangeAll => (1.0, Some(tree.clone())),
        Kind::RangePre | Kind::RangePost | Kind::ParentPost => {
            let (w, t) = weigh(child(0))?;
            (w, Some(Tree::Node(kind, vec![t])))
        }
        Kind::DagRange | Kind::Range => {
            let (wa, ta) = weigh(child(0))?;
            let (wb, tb) = weigh(child(1))?;
            (wa + wb, Some(pair(kind, ta, tb)))
        }
        Kind::Parent | Kind::Ancestor | Kind::Relation | Kind::Subscript | Kind::RelSubscript => {
            let (w, t) = weigh(child(0))?;
            let mut children = vec![t];
            children.extend(tree.children().iter().skip(1).cloned());
            (w, Some(Tree::Node(kind, children)))
        }
        Kind::List => {
            let mut total = 0.0;
            let mut children = Vec::with_capacity(tree.children().len());
            for c in tree.children() {
                let (w, t) = weigh(c.as_ref())?;
                total += w;
                children.push(t);
            }
            (total, Some(Tree::Node(Kind::List, children)))
        }
        Kind::KeyValue => {
            let (w, t) = weigh(child(1))?;
            (w, Some(pair(kind, raw(0), t)))
        }
        Kind::Func => {
            let name = get_symbol(child(0))?;
            let (wa, ta) = weigh(child(1))?;
            let w = function_weight(name);
            if name == b"heads" {
                if let Some(ta) = &ta {
                    if let Some(m) = match_pattern("commonancestors(_)", ta)? {
                        if let [revs] = m[..] {
                            let rewritten = Tree::func(b"_commonancestorheads", Some(revs.clone()));
                            return Ok((w + wa, Some(rewritten)));
                        }
                    }
                }
            }
            (w + wa, Some(pair(kind, raw(0), ta)))
        }
        other => {
            return Err(ParseError::new(format!(
                "invalid operator '{}'",
                other.name()
            )))
        }
    })
}

/// Turns the pending run of plain names of an `or` into one operand: the
/// name itself, or `_list('a\0b\0...')`.
fn flush_names(
    names: &mut Vec<(f64, Tree)>,
    ws: &mut Vec<f64>,
    ts: &mut Vec<Option<Tree>>,
) -> Result<(), ParseError> {
    match names.len() {
        0 => {}
        1 => {
            if let Some((w, t)) = names.pop() {
                ws.push(w);
                ts.push(Some(t));
            }
        }
        _ => {
            let mut joined = Vec::new();
            for (i, (_, t)) in names.iter().enumerate() {
                if i > 0 {
                    joined.push(0);
                }
                joined.extend_from_slice(t.value().unwrap_or_default());
            }
            let list = Tree::func(b"_list", Some(Tree::string(joined)));
            let (w, t) = weigh(Some(&list))?;
            ws.push(w);
            ts.push(t);
            names.clear();
        }
    }
    Ok(())
}
