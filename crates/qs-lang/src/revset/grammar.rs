//! The revset grammar table: binding powers and actions of each token, as
//! in hg 7.2's `revsetlang.elements`.

use crate::pratt::{Grammar, Operand, Rule};
use crate::tree::Kind;

const fn op(kind: Kind, bind: u8) -> Option<Operand> {
    Some(Operand {
        kind,
        bind,
        close: None,
    })
}

const fn closed(kind: Kind, bind: u8, close: &'static str) -> Option<Operand> {
    Some(Operand {
        kind,
        bind,
        close: Some(close),
    })
}

const fn infix(token: &'static str, bind: u8, kind: Kind) -> Rule {
    Rule {
        token,
        bind,
        primary: None,
        prefix: None,
        infix: op(kind, bind),
        suffix: None,
    }
}

const fn prefix(token: &'static str, bind: u8, kind: Kind) -> Rule {
    Rule {
        token,
        bind,
        primary: None,
        prefix: op(kind, bind),
        infix: None,
        suffix: None,
    }
}

const fn dagrange(token: &'static str) -> Rule {
    Rule {
        token,
        bind: 17,
        primary: Some(Kind::DagRangeAll),
        prefix: op(Kind::DagRangePre, 17),
        infix: op(Kind::DagRange, 17),
        suffix: Some(Kind::DagRangePost),
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

/// The revset grammar.
pub static REVSET: Grammar = Grammar {
    rules: &[
        Rule {
            token: "(",
            bind: 21,
            primary: None,
            prefix: closed(Kind::Group, 1, ")"),
            infix: closed(Kind::Func, 1, ")"),
            suffix: None,
        },
        Rule {
            token: "[",
            bind: 21,
            primary: None,
            prefix: None,
            infix: closed(Kind::Subscript, 1, "]"),
            suffix: None,
        },
        infix("#", 21, Kind::Relation),
        infix("##", 20, Kind::Concat),
        infix("~", 18, Kind::Ancestor),
        Rule {
            token: "^",
            bind: 18,
            primary: None,
            prefix: None,
            infix: op(Kind::Parent, 18),
            suffix: Some(Kind::ParentPost),
        },
        Rule {
            token: "-",
            bind: 5,
            primary: None,
            prefix: op(Kind::Negate, 19),
            infix: op(Kind::Minus, 5),
            suffix: None,
        },
        dagrange("::"),
        dagrange(".."),
        Rule {
            token: ":",
            bind: 15,
            primary: Some(Kind::RangeAll),
            prefix: op(Kind::RangePre, 15),
            infix: op(Kind::Range, 15),
            suffix: Some(Kind::RangePost),
        },
        prefix("not", 10, Kind::Not),
        prefix("!", 10, Kind::Not),
        infix("and", 5, Kind::And),
        infix("&", 5, Kind::And),
        Rule {
            token: "%",
            bind: 5,
            primary: None,
            prefix: None,
            infix: op(Kind::Only, 5),
            suffix: Some(Kind::OnlyPost),
        },
        infix("or", 4, Kind::Or),
        infix("|", 4, Kind::Or),
        infix("+", 4, Kind::Or),
        infix("=", 3, Kind::KeyValue),
        infix(",", 2, Kind::List),
        Rule::inert(")"),
        Rule::inert("]"),
        primary("symbol", Kind::Symbol),
        primary("string", Kind::String),
        Rule::inert("end"),
    ],
    flattened: &[Kind::List, Kind::Or],
};
