//! Compiling parsed templates (qs-lang trees) into [`Expr`]s, with hg's
//! compile-time checks: unknown functions and filters, argument names,
//! key-value pairs and lists out of place, map targets.

use std::rc::Rc;

use qs_lang::template::arg_list;
use qs_lang::{Kind, ParseError, Tree};

use super::filters::is_filter;
use super::funcs::{argspec, is_func, ArgSpec};

/// A compiled template expression.
#[derive(Debug, Clone)]
pub enum Expr {
    Int(i64),
    /// An integer literal too large for i64 (kept as text).
    BigInt(Vec<u8>),
    Str(Vec<u8>),
    Symbol(Vec<u8>),
    Template(Vec<Expr>),
    Member(Box<Expr>, Vec<u8>),
    Filter(Box<Expr>, Vec<u8>),
    /// `x % template`: the target is compiled inline or names a template.
    Map(Box<Expr>, MapTarget),
    Func(Vec<u8>, Args),
    Negate(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum MapTarget {
    Inline(Rc<Expr>),
    Named(Vec<u8>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// Compiled arguments: positional, or by name for functions with an
/// argument spec (`pad`, `separate`, `dict`).
#[derive(Debug, Clone, Default)]
pub struct Args {
    pub list: Vec<Expr>,
    /// Named arguments in order.
    pub named: Vec<(Vec<u8>, Expr)>,
    /// `*args` of `separate` / `dict`.
    pub rest: Vec<Expr>,
    /// `**kwargs` of `dict`.
    pub kwargs: Vec<(Vec<u8>, Expr)>,
}

impl Args {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn named(&self, key: &str) -> Option<&Expr> {
        self.named
            .iter()
            .find(|(k, _)| k == key.as_bytes())
            .map(|(_, e)| e)
    }
}

fn perr(msg: impl Into<Vec<u8>>) -> ParseError {
    ParseError::new(msg)
}

fn perr_hint(msg: impl Into<Vec<u8>>, hint: impl Into<Vec<u8>>) -> ParseError {
    let mut e = ParseError::new(msg);
    e.hint = Some(hint.into());
    e
}

fn symbol_of(tree: Option<&Tree>) -> Result<Vec<u8>, ParseError> {
    match tree {
        Some(Tree::Leaf(Kind::Symbol, v)) => Ok(v.clone()),
        Some(t) => Err(perr(format!(
            "expected a symbol, got '{}'",
            t.kind().name()
        ))),
        None => Err(perr("missing argument")),
    }
}

/// Compiles a tree in template context (`methods`: a bare integer is a
/// symbol, as in `{1}`).
pub fn compile(tree: &Tree) -> Result<Expr, ParseError> {
    compile_in(Some(tree), true)
}

fn compile_in(tree: Option<&Tree>, top: bool) -> Result<Expr, ParseError> {
    let Some(tree) = tree else {
        return Err(perr("missing argument"));
    };
    Ok(match tree {
        Tree::Leaf(Kind::Integer, v) => {
            if top {
                Expr::Symbol(v.clone())
            } else {
                match std::str::from_utf8(v).ok().and_then(|s| s.parse().ok()) {
                    Some(i) => Expr::Int(i),
                    None => Expr::BigInt(v.clone()),
                }
            }
        }
        Tree::Leaf(Kind::String, v) => Expr::Str(v.clone()),
        Tree::Leaf(Kind::Symbol, v) => Expr::Symbol(v.clone()),
        Tree::Leaf(kind, _) => {
            return Err(perr(format!("unexpected {}", kind.name())));
        }
        Tree::Node(kind, children) => {
            let c = |i: usize| children.get(i).and_then(Option::as_ref);
            match kind {
                Kind::Template => Expr::Template(
                    children
                        .iter()
                        .map(|t| compile_in(t.as_ref(), true))
                        .collect::<Result<_, _>>()?,
                ),
                Kind::Group => compile_in(c(0), false)?,
                Kind::Member => {
                    let d = compile_in(c(0), true)?;
                    Expr::Member(Box::new(d), symbol_of(c(1))?)
                }
                Kind::Filter => {
                    let name = symbol_of(c(1))?;
                    if is_filter(&name) {
                        Expr::Filter(Box::new(compile_in(c(0), true)?), name)
                    } else if is_func(&name) {
                        let arg = c(0).cloned();
                        let args = build_args(
                            arg.as_ref().map(|t| vec![t]).unwrap_or_default(),
                            &name,
                            true,
                        )?;
                        Expr::Func(name, args)
                    } else {
                        return Err(perr(format!(
                            "unknown function '{}'",
                            String::from_utf8_lossy(&name)
                        )));
                    }
                }
                Kind::Map => {
                    let d = compile_in(c(0), true)?;
                    let target = match c(1) {
                        Some(t @ (Tree::Node(Kind::Template, _) | Tree::Leaf(Kind::String, _))) => {
                            MapTarget::Inline(Rc::new(compile_in(Some(t), true)?))
                        }
                        Some(Tree::Leaf(Kind::Symbol, name)) => MapTarget::Named(name.clone()),
                        _ => return Err(perr("expected template specifier")),
                    };
                    Expr::Map(Box::new(d), target)
                }
                Kind::Func => {
                    let name = symbol_of(c(0))?;
                    let list = arg_list(c(1));
                    if is_func(&name) {
                        Expr::Func(name.clone(), build_args(list, &name, false)?)
                    } else if is_filter(&name) {
                        let args = list
                            .iter()
                            .map(|t| compile_in(Some(t), false))
                            .collect::<Result<Vec<_>, _>>()?;
                        if args.len() != 1 {
                            return Err(perr(format!(
                                "filter {} expects one argument",
                                String::from_utf8_lossy(&name)
                            )));
                        }
                        let mut args = args;
                        Expr::Filter(Box::new(args.remove(0)), name)
                    } else {
                        return Err(perr(format!(
                            "unknown function '{}'",
                            String::from_utf8_lossy(&name)
                        )));
                    }
                }
                Kind::KeyValue => return Err(perr("can't use a key-value pair in this context")),
                Kind::List => {
                    return Err(perr_hint(
                        "can't use a list in this context",
                        "check place of comma and parens",
                    ))
                }
                Kind::Negate => Expr::Negate(Box::new(compile_in(c(0), false)?)),
                Kind::Add | Kind::Subtract | Kind::Multiply | Kind::Divide => {
                    let op = match kind {
                        Kind::Add => ArithOp::Add,
                        Kind::Subtract => ArithOp::Sub,
                        Kind::Multiply => ArithOp::Mul,
                        _ => ArithOp::Div,
                    };
                    Expr::Arith(
                        op,
                        Box::new(compile_in(c(0), false)?),
                        Box::new(compile_in(c(1), false)?),
                    )
                }
                other => return Err(perr(format!("unexpected {}", other.name()))),
            }
        }
    })
}

/// hg's `_buildfuncargs`: plain lists, or `buildargsdict` for functions
/// with an argument spec. `top` compiles in template context (a filter's
/// operand).
fn build_args(trees: Vec<&Tree>, name: &[u8], top: bool) -> Result<Args, ParseError> {
    let compile_one = |t: &Tree| compile_in(Some(t), top);
    let Some(spec) = argspec(name) else {
        return Ok(Args {
            list: trees
                .into_iter()
                .map(compile_one)
                .collect::<Result<_, _>>()?,
            ..Args::default()
        });
    };
    let fname = String::from_utf8_lossy(name);
    let ArgSpec {
        poskeys,
        varkey,
        keys,
        optkey,
    } = spec;
    let kwstart = trees
        .iter()
        .position(|t| t.kind() == Kind::KeyValue)
        .unwrap_or(trees.len());
    if kwstart < poskeys.len() {
        return Err(perr(format!(
            "{fname} takes at least {} positional arguments",
            poskeys.len()
        )));
    }
    if !varkey && kwstart > poskeys.len() + keys.len() {
        return Err(perr(format!(
            "{fname} takes at most {} positional arguments",
            poskeys.len() + keys.len()
        )));
    }
    let mut args = Args::default();
    let mut i = 0;
    for k in poskeys.iter() {
        if i < kwstart {
            args.named
                .push((k.as_bytes().to_vec(), compile_one(trees[i])?));
            i += 1;
        }
    }
    if varkey {
        while i < kwstart {
            args.rest.push(compile_one(trees[i])?);
            i += 1;
        }
    } else {
        for k in keys.iter() {
            if i < kwstart {
                args.named
                    .push((k.as_bytes().to_vec(), compile_one(trees[i])?));
                i += 1;
            }
        }
    }
    for t in &trees[kwstart..] {
        let key = match (t.kind(), t.child(0)) {
            (Kind::KeyValue, Some(Tree::Leaf(Kind::Symbol, k))) => k.clone(),
            _ => return Err(perr(format!("{fname} got an invalid argument"))),
        };
        let value = compile_in(t.child(1), top)?;
        let key_text = String::from_utf8_lossy(&key).into_owned();
        if keys.iter().any(|k| k.as_bytes() == key.as_slice()) {
            if args.named.iter().any(|(k, _)| *k == key) {
                return Err(perr(format!(
                    "{fname} got multiple values for keyword argument '{key_text}'"
                )));
            }
            args.named.push((key, value));
        } else if optkey {
            if args.kwargs.iter().any(|(k, _)| *k == key) {
                return Err(perr(format!(
                    "{fname} got multiple values for keyword argument '{key_text}'"
                )));
            }
            args.kwargs.push((key, value));
        } else {
            return Err(perr(format!(
                "{fname} got an unexpected keyword argument '{key_text}'"
            )));
        }
    }
    Ok(args)
}

/// hg's `findsymbolicname`: the keyword an argument ultimately reads,
/// through filters.
pub fn symbolic_name(expr: &Expr) -> Option<&[u8]> {
    match expr {
        Expr::Symbol(s) => Some(s),
        Expr::Filter(inner, _) => symbolic_name(inner),
        _ => None,
    }
}
