//! The template expression grammar table, as in hg 7.2's
//! `templater.elements`.

use crate::pratt::{Grammar, Operand, Rule};
use crate::tree::Kind;

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

/// The template expression grammar (inside `{...}`).
pub static TEMPLATE: Grammar = Grammar {
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
        infix(".", 18, Kind::Member),
        infix("%", 15, Kind::Map),
        infix("|", 15, Kind::Filter),
        infix("*", 5, Kind::Multiply),
        infix("/", 5, Kind::Divide),
        infix("+", 4, Kind::Add),
        Rule {
            token: "-",
            bind: 4,
            primary: None,
            prefix: Some(Operand {
                kind: Kind::Negate,
                bind: 19,
                close: None,
            }),
            infix: Some(Operand {
                kind: Kind::Subtract,
                bind: 4,
                close: None,
            }),
            suffix: None,
        },
        infix("=", 3, Kind::KeyValue),
        infix(",", 2, Kind::List),
        Rule::inert(")"),
        primary("integer", Kind::Integer),
        primary("symbol", Kind::Symbol),
        primary("string", Kind::String),
        primary("template", Kind::Template),
        Rule::inert("end"),
    ],
    flattened: &[],
};
