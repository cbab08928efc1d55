//! The parse tree shared by all grammars: hg's tuple trees as a Rust enum,
//! and hg's `prettyformat` rendering of them.
//!
//! A tree is either a leaf (`(symbol 'tip')`: a kind and a byte value) or a
//! node (`(func (symbol 'ancestors') (symbol 'tip'))`: a kind and children).
//! A child may be absent, which hg spells `None`: `(func (symbol 'all')
//! None)` for `all()`, `(rangeall None)` for `:`.

use crate::escape::escape;

/// Every node kind of the revset, template and fileset trees. Each variant
/// documents hg's spelling (what [`Kind::name`] returns and what
/// `prettyformat` prints) and its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `symbol` (leaf): an unquoted word, `tip`, `1`, `foo-bar`.
    Symbol,
    /// `string` (leaf): a quoted string, escapes already decoded.
    String,
    /// `integer` (leaf, templates): a run of digits.
    Integer,
    /// `_aliasarg` (leaf): an alias parameter inside an alias definition.
    AliasArg,
    /// `group`: `(x)` — one child, possibly `None` for `()`.
    Group,
    /// `func`: `name(args)` — the name tree and the argument tree or `None`.
    Func,
    /// `list`: `a, b, c` — two or more children (nested pairs in templates).
    List,
    /// `keyvalue`: `key=value`.
    KeyValue,
    /// `negate`: prefix `-x`.
    Negate,
    /// `not`: `not x` / `!x`.
    Not,
    /// `and`: `x and y` / `x & y`.
    And,
    /// `or`: revsets: one `list` child after parsing; filesets: the operands.
    Or,
    /// `minus`: `x - y` (revsets, filesets).
    Minus,
    /// `only`: `x % y`.
    Only,
    /// `onlypost`: `x%`.
    OnlyPost,
    /// `range`: `x:y`.
    Range,
    /// `rangepre`: `:y`.
    RangePre,
    /// `rangepost`: `x:`.
    RangePost,
    /// `rangeall`: `:` alone — one `None` child.
    RangeAll,
    /// `dagrange`: `x::y` / `x..y`.
    DagRange,
    /// `dagrangepre`: `::y`.
    DagRangePre,
    /// `dagrangepost`: `x::`.
    DagRangePost,
    /// `dagrangeall`: `::` alone — one `None` child.
    DagRangeAll,
    /// `parent`: `x^n`.
    Parent,
    /// `parentpost`: `x^`.
    ParentPost,
    /// `ancestor`: `x~n`.
    Ancestor,
    /// `relation`: `x#rel`.
    Relation,
    /// `subscript`: `x[n]`.
    Subscript,
    /// `relsubscript`: `x#rel[n]` — three children.
    RelSubscript,
    /// `_concat`: `x ## y`.
    Concat,
    /// `difference` (optimized revsets): `x and not y`.
    Difference,
    /// `andsmally` (optimized revsets): `and` whose right side is cheaper.
    AndSmally,
    /// `kindpat` (filesets): `kind:pattern`.
    KindPat,
    /// `template`: literal text and `{...}` expressions, in order.
    Template,
    /// `.` (templates): member access `x.y`.
    Member,
    /// `%` (templates): mapping `x % template`.
    Map,
    /// `|` (templates): filter `x|f`.
    Filter,
    /// `+` (templates): addition.
    Add,
    /// `-` (templates): subtraction.
    Subtract,
    /// `*` (templates): multiplication.
    Multiply,
    /// `/` (templates): integer division.
    Divide,
}

impl Kind {
    /// hg's name for this kind.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Symbol => "symbol",
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::AliasArg => "_aliasarg",
            Kind::Group => "group",
            Kind::Func => "func",
            Kind::List => "list",
            Kind::KeyValue => "keyvalue",
            Kind::Negate => "negate",
            Kind::Not => "not",
            Kind::And => "and",
            Kind::Or => "or",
            Kind::Minus => "minus",
            Kind::Only => "only",
            Kind::OnlyPost => "onlypost",
            Kind::Range => "range",
            Kind::RangePre => "rangepre",
            Kind::RangePost => "rangepost",
            Kind::RangeAll => "rangeall",
            Kind::DagRange => "dagrange",
            Kind::DagRangePre => "dagrangepre",
            Kind::DagRangePost => "dagrangepost",
            Kind::DagRangeAll => "dagrangeall",
            Kind::Parent => "parent",
            Kind::ParentPost => "parentpost",
            Kind::Ancestor => "ancestor",
            Kind::Relation => "relation",
            Kind::Subscript => "subscript",
            Kind::RelSubscript => "relsubscript",
            Kind::Concat => "_concat",
            Kind::Difference => "difference",
            Kind::AndSmally => "andsmally",
            Kind::KindPat => "kindpat",
            Kind::Template => "template",
            Kind::Member => ".",
            Kind::Map => "%",
            Kind::Filter => "|",
            Kind::Add => "+",
            Kind::Subtract => "-",
            Kind::Multiply => "*",
            Kind::Divide => "/",
        }
    }
}

/// A parse tree (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tree {
    /// A leaf: `(symbol 'x')`, `(string 'x')`, `(integer '1')`.
    Leaf(Kind, Vec<u8>),
    /// An inner node; `None` children are hg's `None`.
    Node(Kind, Vec<Option<Tree>>),
}

impl Tree {
    /// A leaf of the given kind.
    pub fn leaf(kind: Kind, value: impl Into<Vec<u8>>) -> Tree {
        Tree::Leaf(kind, value.into())
    }

    /// `(symbol 'value')`.
    pub fn symbol(value: impl Into<Vec<u8>>) -> Tree {
        Tree::Leaf(Kind::Symbol, value.into())
    }

    /// `(string 'value')`.
    pub fn string(value: impl Into<Vec<u8>>) -> Tree {
        Tree::Leaf(Kind::String, value.into())
    }

    /// A node whose children are all present.
    pub fn node(kind: Kind, children: impl IntoIterator<Item = Tree>) -> Tree {
        Tree::Node(kind, children.into_iter().map(Some).collect())
    }

    /// `(func (symbol 'name') args)`.
    pub fn func(name: &[u8], args: Option<Tree>) -> Tree {
        Tree::Node(Kind::Func, vec![Some(Tree::symbol(name)), args])
    }

    /// The kind of this tree.
    pub fn kind(&self) -> Kind {
        match self {
            Tree::Leaf(kind, _) | Tree::Node(kind, _) => *kind,
        }
    }

    /// The value of a leaf, `None` for inner nodes.
    pub fn value(&self) -> Option<&[u8]> {
        match self {
            Tree::Leaf(_, value) => Some(value),
            Tree::Node(..) => None,
        }
    }

    /// The value if this is a leaf of the given kind.
    pub fn leaf_value(&self, kind: Kind) -> Option<&[u8]> {
        match self {
            Tree::Leaf(k, value) if *k == kind => Some(value),
            _ => None,
        }
    }

    /// The children of an inner node (empty for a leaf).
    pub fn children(&self) -> &[Option<Tree>] {
        match self {
            Tree::Leaf(..) => &[],
            Tree::Node(_, children) => children,
        }
    }

    /// The `index`th child if present.
    pub fn child(&self, index: usize) -> Option<&Tree> {
        self.children().get(index).and_then(Option::as_ref)
    }

    /// hg's `prettyformat`: one node per line, two spaces of indentation
    /// per level, leaves and `None` inline, closing parentheses appended to
    /// the last line. No trailing newline.
    pub fn pretty(&self) -> Vec<u8> {
        pretty(Some(self))
    }
}

/// [`Tree::pretty`] for a possibly absent tree (hg prints `None`).
pub fn pretty(tree: Option<&Tree>) -> Vec<u8> {
    let mut lines: Vec<(usize, Vec<u8>)> = Vec::new();
    pretty_into(tree, 0, &mut lines);
    let mut out = Vec::new();
    for (i, (level, text)) in lines.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.resize(out.len() + 2 * level, b' ');
        out.extend_from_slice(text);
    }
    out
}

fn quoted(value: &[u8]) -> Vec<u8> {
    let mut out = vec![b'\''];
    out.extend_from_slice(&escape(value));
    out.push(b'\'');
    out
}

fn pretty_into(tree: Option<&Tree>, level: usize, lines: &mut Vec<(usize, Vec<u8>)>) {
    match tree {
        None => lines.push((level, b"None".to_vec())),
        Some(Tree::Leaf(kind, value)) => {
            let mut text = format!("({} ", kind.name()).into_bytes();
            text.extend_from_slice(&quoted(value));
            text.push(b')');
            lines.push((level, text));
        }
        Some(Tree::Node(kind, children)) => {
            lines.push((level, format!("({}", kind.name()).into_bytes()));
            for child in children {
                pretty_into(child.as_ref(), level + 1, lines);
            }
            if let Some((_, last)) = lines.last_mut() {
                last.push(b')');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_matches_hg_layout() {
        let tree = Tree::node(
            Kind::Func,
            [
                Tree::symbol("ancestors"),
                Tree::node(Kind::List, [Tree::symbol("tip"), Tree::string("a'\n")]),
            ],
        );
        assert_eq!(
            String::from_utf8_lossy(&tree.pretty()),
            "(func\n  (symbol 'ancestors')\n  (list\n    (symbol 'tip')\n    (string 'a\\'\\n')))"
        );
        let all = Tree::Node(Kind::RangeAll, vec![None]);
        assert_eq!(all.pretty(), b"(rangeall\n  None)");
    }
}
