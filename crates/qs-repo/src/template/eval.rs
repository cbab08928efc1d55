//! The evaluator: hg's `runsymbol`, `runfilter`, `runmap`, `runmember`,
//! arithmetic, and the operations every value supports (show, truth,
//! raw value, membership, member access, min/max, filtering, mapping,
//! joining), with hg's error messages.

use std::rc::Rc;

use qs_lang::ParseError;

use super::compile::{symbolic_name, ArithOp, Expr, MapTarget};
use super::value::{HItem, Hybrid, Item, MapSeq, MapSeqKind, Mapping, PyVal, Value};
use super::{Engine, TResult, TemplateError};

pub(crate) fn perr(msg: impl Into<Vec<u8>>) -> TemplateError {
    TemplateError::Parse(ParseError::new(msg))
}

pub(crate) fn abort(msg: impl Into<Vec<u8>>) -> TemplateError {
    TemplateError::Abort {
        message: msg.into(),
        hint: None,
    }
}

/// Re-raises a parse error with a hint (hg's `ParseError(bytes(e), hint=)`).
pub(crate) fn with_hint(err: TemplateError, hint: impl Into<Vec<u8>>) -> TemplateError {
    match err {
        TemplateError::Parse(mut p) => {
            p.hint = Some(hint.into());
            TemplateError::Parse(p)
        }
        other => other,
    }
}

/// `%r` of hg's `bytestr` (quoted, no `b` prefix).
pub(crate) fn bytes_repr(b: &[u8]) -> String {
    qs_store::pyrepr::python_repr(b)
}

fn value_repr(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::None => "None".into(),
        _ => "None".into(),
    }
}

/// Python's `int(x)` on a raw value.
pub(crate) fn py_int(v: &PyVal) -> Option<i64> {
    match v {
        PyVal::Int(i) => Some(*i),
        PyVal::Bool(b) => Some(i64::from(*b)),
        PyVal::Bytes(b) => {
            let s = std::str::from_utf8(b).ok()?.trim();
            let s = s.strip_prefix('+').unwrap_or(s);
            if s.is_empty() || s.starts_with('+') {
                return None;
            }
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

/// hg's `stringutil.parsebool`.
fn parsebool(s: &[u8]) -> Option<bool> {
    match s.to_ascii_lowercase().as_slice() {
        b"1" | b"yes" | b"true" | b"on" | b"always" => Some(true),
        b"0" | b"no" | b"false" | b"off" | b"never" => Some(false),
        _ => None,
    }
}

impl Engine<'_> {
    /// Evaluates an expression to a value (hg's `evalrawexp`).
    pub(crate) fn eval(&self, expr: &Expr, m: &Mapping) -> TResult<Value> {
        match expr {
            Expr::Int(i) => Ok(Value::Int(*i)),
            Expr::BigInt(b) => Ok(Value::Bytes(b.clone())),
            Expr::Str(s) => Ok(Value::Bytes(s.clone())),
            Expr::Symbol(name) => Ok(self.symbol(name, m)?.unwrap_or(Value::Bytes(Vec::new()))),
            Expr::Template(parts) => {
                let mut out = Vec::new();
                for p in parts {
                    let v = self.eval(p, m)?;
                    self.show_into(&v, m, &mut out)?;
                }
                Ok(Value::Bytes(out))
            }
            Expr::Member(d, key) => self.run_member(d, key, m),
            Expr::Filter(arg, name) => self.run_filter(arg, name, m),
            Expr::Map(d, target) => self.run_map(d, target, m),
            Expr::Func(name, args) => self.call(name, args, m),
            Expr::Negate(e) => {
                let v = self.eval_int(e, m, "negation needs an integer argument")?;
                Ok(Value::Int(-v))
            }
            Expr::Arith(op, l, r) => self.arith(*op, l, r, m),
        }
    }

    pub(crate) fn arith(&self, op: ArithOp, l: &Expr, r: &Expr, m: &Mapping) -> TResult<Value> {
        let err = "arithmetic only defined on integers";
        let a = self.eval_int(l, m, err)?;
        let b = self.eval_int(r, m, err)?;
        let v = match op {
            ArithOp::Add => a.wrapping_add(b),
            ArithOp::Sub => a.wrapping_sub(b),
            ArithOp::Mul => a.wrapping_mul(b),
            ArithOp::Div | ArithOp::Mod => {
                if b == 0 {
                    return Err(abort("division by zero is not defined"));
                }
                let q = a.wrapping_div(b);
                let q = if (a % b != 0) && ((a < 0) != (b < 0)) {
                    q - 1
                } else {
                    q
                };
                if op == ArithOp::Div {
                    q
                } else {
                    a - q.wrapping_mul(b)
                }
            }
        };
        Ok(Value::Int(v))
    }

    /// hg's `runsymbol` with `default` None: the mapping, then keywords,
    /// then named templates.
    pub(crate) fn symbol(&self, name: &[u8], m: &Mapping) -> TResult<Option<Value>> {
        if let Some(v) = m.get(name) {
            if let Value::ChangesSinceTag = v {
                return Ok(Some(self.changes_since_tag(m)?));
            }
            return Ok(Some(v.clone()));
        }
        if let Some(v) = self.keyword(name, m)? {
            return Ok(Some(v));
        }
        if self.has_template(name) {
            if self.is_blocked(name) {
                return Err(abort(format!(
                    "recursive reference '{}' in template",
                    String::from_utf8_lossy(name)
                )));
            }
            self.stack.borrow_mut().push(name.to_vec());
            let result = self.process(name, m);
            self.stack.borrow_mut().pop();
            return Ok(Some(Value::Bytes(result?)));
        }
        Ok(None)
    }

    pub(crate) fn eval_string(&self, e: &Expr, m: &Mapping) -> TResult<Vec<u8>> {
        let v = self.eval(e, m)?;
        self.show(&v, m)
    }

    /// hg's `evalstringliteral`: a bare unknown symbol is its own name.
    pub(crate) fn eval_string_literal(&self, e: &Expr, m: &Mapping) -> TResult<Vec<u8>> {
        if let Expr::Symbol(name) = e {
            let v = self
                .symbol(name, m)?
                .unwrap_or_else(|| Value::Bytes(name.clone()));
            return self.show(&v, m);
        }
        self.eval_string(e, m)
    }

    pub(crate) fn eval_int(&self, e: &Expr, m: &Mapping, err: &str) -> TResult<i64> {
        let v = self.eval(e, m)?;
        self.unwrap_int(&v, m, err)
    }

    pub(crate) fn unwrap_int(&self, v: &Value, m: &Mapping, err: &str) -> TResult<i64> {
        py_int(&self.to_value(v, m)?).ok_or_else(|| perr(err))
    }

    pub(crate) fn eval_bool(&self, e: &Expr, m: &Mapping) -> TResult<bool> {
        if let Expr::Symbol(name) = e {
            return match self.symbol(name, m)? {
                Some(v) => self.to_bool(&v, m),
                None => Ok(parsebool(name).unwrap_or(false)),
            };
        }
        let v = self.eval(e, m)?;
        self.to_bool(&v, m)
    }

    /// hg's `unwrapdate`: a date value, or a string parsed as a date.
    pub(crate) fn unwrap_date(
        &self,
        v: &Value,
        m: &Mapping,
        err: Option<&str>,
    ) -> TResult<(i64, i32)> {
        if let Value::Date {
            seconds, offset, ..
        } = v
        {
            return Ok((*seconds, *offset));
        }
        match self.to_value(v, m)? {
            PyVal::Bytes(b) => {
                if b.is_empty() {
                    return Ok((0, 0));
                }
                let (when, offset) = super::datefmt::parse_simple(&b).ok_or_else(|| match err {
                    Some(e) => perr(e),
                    None => perr(format!("invalid date: {}", bytes_repr(&b))),
                })?;
                // hg's parsedate range checks (32-bit times, UTC-12..UTC+14).
                if !(-0x8000_0000..=0x7FFF_FFFF).contains(&when) {
                    return Err(perr(err.map_or_else(
                        || format!("date exceeds 32 bits: {when}"),
                        str::to_string,
                    )));
                }
                if !(-50400..=43200).contains(&offset) {
                    return Err(perr(err.map_or_else(
                        || format!("impossible time zone offset: {offset}"),
                        str::to_string,
                    )));
                }
                Ok((when, offset))
            }
            PyVal::Tuple(items) if items.len() == 2 => match (&items[0], &items[1]) {
                (PyVal::Int(a), PyVal::Int(b)) => Ok((*a, *b as i32)),
                _ => Err(perr(err.unwrap_or("not a date tuple nor a string"))),
            },
            PyVal::None => Ok((0, 0)),
            _ => Err(perr(err.unwrap_or("not a date tuple nor a string"))),
        }
    }

    // -- show / stringify ---------------------------------------------------

    pub(crate) fn show(&self, v: &Value, m: &Mapping) -> TResult<Vec<u8>> {
        if let Value::Bytes(b) = v {
            return Ok(b.clone());
        }
        let mut out = Vec::new();
        self.show_into(v, m, &mut out)?;
        Ok(out)
    }

    pub(crate) fn show_into(&self, v: &Value, m: &Mapping, out: &mut Vec<u8>) -> TResult<()> {
        match v {
            Value::None => {}
            Value::Bytes(b) => out.extend_from_slice(b),
            Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Date {
                seconds,
                offset,
                keyword,
            } => {
                let s = if *keyword {
                    format!("{seconds}.0{offset}")
                } else {
                    format!("{seconds} {offset}")
                };
                out.extend_from_slice(s.as_bytes());
            }
            Value::List(h) => match &h.compat {
                Some(c) => self.show_compat(c, m, out)?,
                None => join_into(h.items.iter().map(|i| i.fmt.as_slice()), b" ", out),
            },
            Value::Item(item) => match &item.shown {
                Some(s) => out.extend_from_slice(s),
                None => item.value.flatten_into(out),
            },
            Value::Maps(seq) => {
                if seq.kind != MapSeqKind::None {
                    let s = self.join(v, &seq.sep, m)?;
                    out.extend_from_slice(&s);
                }
            }
            Value::Strings(items) => {
                for s in items.iter() {
                    out.extend_from_slice(s);
                }
            }
            Value::Revs(revs) => {
                let c = super::value::Compat {
                    name: b"revision".to_vec(),
                    plural: b"revisions".to_vec(),
                    separator: b" ".to_vec(),
                    values: revs
                        .iter()
                        .map(|r| {
                            let t = r.0.to_string().into_bytes();
                            let mut map = Mapping::vars([]);
                            map.set(b"revision", Value::Bytes(t.clone()));
                            (Some(t), map)
                        })
                        .collect(),
                };
                self.show_compat(&c, m, out)?;
            }
            Value::ChangesSinceTag => {
                let v = self.changes_since_tag(m)?;
                self.show_into(&v, m, out)?;
            }
        }
        Ok(())
    }

    /// hg's `_showcompatlist`.
    fn show_compat(&self, c: &super::value::Compat, m: &Mapping, out: &mut Vec<u8>) -> TResult<()> {
        let cat = |name: &[u8]| -> Vec<u8> { name.to_vec() };
        if c.values.is_empty() {
            let mut noname = cat(b"no_");
            noname.extend_from_slice(&c.plural);
            if self.has_template(&noname) {
                out.extend_from_slice(&self.process(&noname, m)?);
            }
            return Ok(());
        }
        if !self.has_template(&c.name) {
            let texts = c.values.iter().map(|(t, _)| t.as_deref().unwrap_or(b""));
            join_into(texts, &c.separator, out);
            return Ok(());
        }
        let mut start = cat(b"start_");
        start.extend_from_slice(&c.plural);
        if self.has_template(&start) {
            out.extend_from_slice(&self.process(&start, m)?);
        }
        let mut last_name = cat(b"last_");
        last_name.extend_from_slice(&c.name);
        let has_last = self.has_template(&last_name);
        let n = c.values.len();
        for (i, (_, vm)) in c.values.iter().enumerate() {
            let lm = self.overlay(m, vm);
            let tag = if has_last && i + 1 == n {
                &last_name
            } else {
                &c.name
            };
            out.extend_from_slice(&self.process(tag, &lm)?);
        }
        let mut end = cat(b"end_");
        end.extend_from_slice(&c.plural);
        if self.has_template(&end) {
            out.extend_from_slice(&self.process(&end, m)?);
        }
        Ok(())
    }

    // -- overlays -------------------------------------------------------------

    /// hg's `overlaymap`: `new` on top of `orig`; a new changeset drops the
    /// variables that shadow changeset keywords.
    pub(crate) fn overlay(&self, orig: &Mapping, new: &Mapping) -> Mapping {
        let mut vars = if new.ctx.is_some() {
            let mut v = (*orig.vars).clone();
            v.retain(|k, _| !super::keywords::needs_ctx(k));
            v
        } else {
            (*orig.vars).clone()
        };
        for (k, v) in new.vars.iter() {
            vars.insert(k.clone(), v.clone());
        }
        Mapping {
            ctx: new.ctx.or(orig.ctx),
            vars: Rc::new(vars),
        }
    }

    // -- truth and raw values --------------------------------------------------

    pub(crate) fn to_bool(&self, v: &Value, _m: &Mapping) -> TResult<bool> {
        Ok(match v {
            Value::None => false,
            Value::Bytes(b) => !b.is_empty(),
            Value::Int(_) => true,
            Value::Bool(b) => *b,
            Value::Date { .. } => true,
            Value::List(h) => !h.items.is_empty(),
            Value::Item(i) => self.to_bool(&Value::from_py(&i.value), _m)?,
            Value::Maps(s) => match s.kind {
                MapSeqKind::List => !s.maps.is_empty(),
                MapSeqKind::Dict => true,
                MapSeqKind::None => false,
            },
            Value::Strings(items) => !items.is_empty(),
            Value::Revs(r) => !r.is_empty(),
            Value::ChangesSinceTag => true,
        })
    }

    /// hg's `tovalue`.
    pub(crate) fn to_value(&self, v: &Value, m: &Mapping) -> TResult<PyVal> {
        Ok(match v {
            Value::None => PyVal::None,
            Value::Bytes(b) => PyVal::Bytes(b.clone()),
            Value::Int(i) => PyVal::Int(*i),
            Value::Bool(b) => PyVal::Bytes(if *b {
                b"true".to_vec()
            } else {
                b"false".to_vec()
            }),
            Value::Date {
                seconds, offset, ..
            } => PyVal::Tuple(vec![PyVal::Int(*seconds), PyVal::Int(i64::from(*offset))]),
            Value::List(h) => {
                if h.is_dict {
                    PyVal::Dict(
                        h.items
                            .iter()
                            .map(|i| {
                                let k = match &i.key {
                                    PyVal::Bytes(b) => b.clone(),
                                    other => other.flatten(),
                                };
                                (k, i.value.clone())
                            })
                            .collect(),
                    )
                } else {
                    PyVal::List(h.items.iter().map(|i| i.key.clone()).collect())
                }
            }
            Value::Item(i) => i.value.clone(),
            Value::Maps(s) => {
                let mut items = Vec::new();
                for nm in &s.maps {
                    let lm = self.overlay(m, nm);
                    let mut d = Vec::new();
                    for (k, v) in nm.vars.iter() {
                        d.push((k.clone(), self.to_value(v, &lm)?));
                    }
                    items.push(PyVal::Dict(d));
                }
                match s.kind {
                    MapSeqKind::List => PyVal::List(items),
                    MapSeqKind::Dict => items.into_iter().next().unwrap_or(PyVal::Dict(Vec::new())),
                    MapSeqKind::None => PyVal::None,
                }
            }
            Value::Strings(items) => {
                PyVal::List(items.iter().map(|s| PyVal::Bytes(s.clone())).collect())
            }
            Value::Revs(revs) => {
                PyVal::List(revs.iter().map(|r| PyVal::Int(i64::from(r.0))).collect())
            }
            Value::ChangesSinceTag => {
                let v = self.changes_since_tag(m)?;
                self.to_value(&v, m)?
            }
        })
    }

    // -- container operations ------------------------------------------------

    pub(crate) fn itermaps(&self, v: &Value) -> TResult<Vec<Mapping>> {
        match v {
            Value::List(h) => Ok(h.items.iter().map(|i| i.map.clone()).collect()),
            Value::Item(i) => Ok(vec![i.map.clone()]),
            Value::Maps(s) => Ok(s.maps.clone()),
            Value::Date {
                seconds, offset, ..
            } => Ok(vec![Mapping::vars([
                ("unixtime", Value::Int(*seconds)),
                ("tzoffset", Value::Int(i64::from(*offset))),
            ])]),
            Value::Revs(revs) => Ok(revs
                .iter()
                .map(|r| {
                    let mut m = Mapping::for_rev(*r);
                    m.set(b"revision", Value::Int(i64::from(r.0)));
                    m
                })
                .collect()),
            Value::Bytes(b) => Err(perr(format!(
                "{} is not iterable of mappings",
                bytes_repr(b)
            ))),
            Value::Bool(b) => Err(perr(format!(
                "{} is not iterable of mappings",
                bytes_repr(if *b { b"True" } else { b"False" })
            ))),
            Value::Strings(_) => Err(perr("list of strings is not mappable")),
            other => Err(perr(format!(
                "{} is not iterable of mappings",
                value_repr(other)
            ))),
        }
    }

    fn run_map(&self, darg: &Expr, target: &MapTarget, m: &Mapping) -> TResult<Value> {
        let d = self.eval(darg, m)?;
        let maps = match self.itermaps(&d) {
            Ok(maps) => maps,
            Err(err) => {
                return Err(match symbolic_name(darg) {
                    Some(sym) => with_hint(
                        err,
                        format!(
                            "keyword '{}' does not support map operation",
                            String::from_utf8_lossy(sym)
                        ),
                    ),
                    None => err,
                })
            }
        };
        let mut out = Vec::with_capacity(maps.len());
        for (i, nm) in maps.iter().enumerate() {
            let mut lm = self.overlay(m, nm);
            lm.set(b"index", Value::Int(i as i64));
            let s = match target {
                MapTarget::Inline(t) => self.eval_string(t, &lm)?,
                MapTarget::Named(name) => self.process(name, &lm)?,
            };
            out.push(s);
        }
        Ok(Value::Strings(Rc::new(out)))
    }

    fn run_member(&self, darg: &Expr, key: &[u8], m: &Mapping) -> TResult<Value> {
        let d = self.eval(darg, m)?;
        let mappable = match &d {
            Value::Date { .. } | Value::Item(_) => true,
            Value::Maps(s) => s.kind == MapSeqKind::Dict,
            _ => false,
        };
        if mappable {
            let maps = self.itermaps(&d)?;
            let lm = match maps.first() {
                Some(nm) => self.overlay(m, nm),
                None => m.clone(),
            };
            return Ok(self.symbol(key, &lm)?.unwrap_or(Value::Bytes(Vec::new())));
        }
        self.get_member(&d, &Value::Bytes(key.to_vec()), m)
            .map_err(|err| match symbolic_name(darg) {
                Some(sym) => with_hint(
                    err,
                    format!(
                        "keyword '{}' does not support member operation",
                        String::from_utf8_lossy(sym)
                    ),
                ),
                None => err,
            })
    }

    /// hg's `getmember` (used by `.` on non-mappables and by `get()`).
    pub(crate) fn get_member(&self, d: &Value, key: &Value, m: &Mapping) -> TResult<Value> {
        match d {
            Value::List(h) => {
                if !h.is_dict {
                    return Err(perr("not a dictionary"));
                }
                let k = self.to_value(key, m)?;
                let found = h.items.iter().find(|i| i.key == k);
                // A value that is itself a list (`{namespaces}`'s names) is
                // returned as that list, as hg's `_wrapvalue` does.
                if let Some(inner @ Value::List(_)) = found.and_then(|i| i.map.get(b"names")) {
                    return Ok(inner.clone());
                }
                Ok(found.map_or(Value::None, |i| match &i.value {
                    PyVal::None => Value::None,
                    value => Value::Item(Rc::new(Item {
                        value: value.clone(),
                        map: i.map.clone(),
                        shown: None,
                    })),
                }))
            }
            Value::Item(i) => self.get_member(&Value::from_py(&i.value), key, m),
            Value::Bytes(b) => Err(perr(format!("{} is not a dictionary", bytes_repr(b)))),
            Value::Bool(b) => Err(perr(format!(
                "{} is not a dictionary",
                bytes_repr(if *b { b"True" } else { b"False" })
            ))),
            Value::Date { .. } => Err(perr("date is not a dictionary")),
            Value::Int(_) | Value::None | Value::ChangesSinceTag => {
                Err(perr(format!("{} is not a dictionary", value_repr(d))))
            }
            Value::Maps(s) if s.kind == MapSeqKind::None => Err(perr("None is not a dictionary")),
            _ => Err(perr("not a dictionary")),
        }
    }

    /// hg's `contains`.
    pub(crate) fn contains(&self, hay: &Value, needle: &Value, m: &Mapping) -> TResult<bool> {
        match hay {
            Value::Bytes(b) => {
                let n = self.show(needle, m)?;
                Ok(super::text::find(b, &n).is_some())
            }
            Value::List(h) => {
                let n = if h.int_keys {
                    PyVal::Int(self.unwrap_int(needle, m, "not an integer")?)
                } else {
                    self.to_value(needle, m)?
                };
                Ok(h.items.iter().any(|i| i.key == n))
            }
            Value::Item(i) => self.contains(&Value::from_py(&i.value), needle, m),
            Value::Strings(items) => {
                let n = self.show(needle, m)?;
                Ok(items.contains(&n))
            }
            Value::Revs(revs) => {
                let r = self.unwrap_int(needle, m, "not an integer")?;
                Ok(revs.iter().any(|x| i64::from(x.0) == r))
            }
            Value::Maps(_) => Err(perr("not comparable")),
            Value::Date { .. } => Err(perr("date is not iterable")),
            Value::Bool(_) => Err(perr("boolean string")),
            other => Err(perr(format!("{} is not iterable", value_repr(other)))),
        }
    }

    /// hg's `getmin` / `getmax`.
    pub(crate) fn min_max(&self, v: &Value, _m: &Mapping, max: bool) -> TResult<Value> {
        let pick = |xs: &mut dyn Iterator<Item = PyVal>| -> Option<PyVal> {
            if max {
                // Python's max keeps the first of equal maxima.
                let mut best: Option<PyVal> = None;
                for x in xs {
                    if best.as_ref().is_none_or(|b| x > *b) {
                        best = Some(x);
                    }
                }
                best
            } else {
                let mut best: Option<PyVal> = None;
                for x in xs {
                    if best.as_ref().is_none_or(|b| x < *b) {
                        best = Some(x);
                    }
                }
                best
            }
        };
        match v {
            Value::Bytes(b) => {
                if b.is_empty() {
                    return Err(perr("empty string"));
                }
                let c = if max { b.iter().max() } else { b.iter().min() };
                Ok(Value::Bytes(c.map(|c| vec![*c]).unwrap_or_default()))
            }
            Value::List(h) => {
                if h.items.is_empty() {
                    return Err(perr("empty sequence"));
                }
                let best = pick(&mut h.items.iter().map(|i| i.key.clone()));
                let item = h.items.iter().find(|i| Some(&i.key) == best.as_ref());
                Ok(match item {
                    Some(i) => Value::Item(Rc::new(Item {
                        value: i.key.clone(),
                        map: i.map.clone(),
                        shown: None,
                    })),
                    None => Value::None,
                })
            }
            Value::Item(i) => self.min_max(&Value::from_py(&i.value), _m, max),
            Value::Strings(items) => {
                if items.is_empty() {
                    return Err(perr("empty sequence"));
                }
                let best = pick(&mut items.iter().map(|s| PyVal::Bytes(s.clone())));
                Ok(best.map_or(Value::None, |b| Value::from_py(&b)))
            }
            Value::Revs(revs) => {
                let r = if max {
                    revs.iter().max()
                } else {
                    revs.iter().min()
                };
                let Some(r) = r else {
                    return Err(perr("empty sequence"));
                };
                let mut map = Mapping::for_rev(*r);
                map.set(b"revision", Value::Int(i64::from(r.0)));
                Ok(Value::Item(Rc::new(Item {
                    value: PyVal::Int(i64::from(r.0)),
                    map,
                    shown: None,
                })))
            }
            Value::Maps(_) => Err(perr("not comparable")),
            Value::Date { .. } => Err(perr("date is not iterable")),
            Value::Bool(_) => Err(perr("boolean string")),
            other => Err(perr(format!("{} is not iterable", value_repr(other)))),
        }
    }

    /// hg's `filter`: keeps the elements `select` accepts. Each element
    /// is passed as a value (mappable elements as [`Value::Item`]).
    pub(crate) fn filter(
        &self,
        v: &Value,
        select: &mut dyn FnMut(&Value) -> TResult<bool>,
    ) -> TResult<Value> {
        match v {
            Value::List(h) => {
                let mut items: Vec<HItem> = Vec::new();
                for i in &h.items {
                    let w = Value::Item(Rc::new(Item {
                        value: i.value.clone(),
                        map: i.map.clone(),
                        shown: None,
                    }));
                    if select(&w)? {
                        items.push(i.clone());
                    }
                }
                Ok(Value::List(Rc::new(Hybrid {
                    is_dict: h.is_dict,
                    items,
                    compat: None,
                    int_keys: h.int_keys,
                })))
            }
            Value::Item(i) => self.filter(&Value::from_py(&i.value), select),
            Value::Strings(items) => {
                let mut out = Vec::new();
                for s in items.iter() {
                    if select(&Value::Bytes(s.clone()))? {
                        out.push(s.clone());
                    }
                }
                Ok(Value::Strings(Rc::new(out)))
            }
            Value::Revs(revs) => {
                let mut out = Vec::new();
                for r in revs.iter() {
                    let mut map = Mapping::for_rev(*r);
                    map.set(b"revision", Value::Int(i64::from(r.0)));
                    let w = Value::Item(Rc::new(Item {
                        value: PyVal::Int(i64::from(r.0)),
                        map,
                        shown: None,
                    }));
                    if select(&w)? {
                        out.push(*r);
                    }
                }
                Ok(Value::Revs(Rc::new(out)))
            }
            Value::Maps(s) if s.kind != MapSeqKind::None => {
                Err(perr("not filterable without template"))
            }
            Value::Bytes(b) => Err(perr(format!("{} is not filterable", bytes_repr(b)))),
            Value::Bool(b) => Err(perr(format!(
                "{} is not filterable",
                bytes_repr(if *b { b"True" } else { b"False" })
            ))),
            Value::Date { .. } => Err(perr("date is not iterable")),
            other => Err(perr(format!("{} is not iterable", value_repr(other)))),
        }
    }

    /// hg's `join`.
    pub(crate) fn join(&self, v: &Value, sep: &[u8], m: &Mapping) -> TResult<Vec<u8>> {
        let mut out = Vec::new();
        match v {
            Value::Bytes(b) => join_into(b.chunks(1), sep, &mut out),
            Value::Bool(b) => {
                let t: &[u8] = if *b { b"true" } else { b"false" };
                join_into(t.chunks(1), sep, &mut out)
            }
            Value::List(h) => join_into(h.items.iter().map(|i| i.fmt.as_slice()), sep, &mut out),
            Value::Item(i) => return self.join(&Value::from_py(&i.value), sep, m),
            Value::Maps(s) => {
                if s.kind == MapSeqKind::None {
                    return Err(perr("None is not iterable"));
                }
                let Some(tmpl) = &s.tmpl else {
                    return Err(perr("not displayable without template"));
                };
                let expr = self.parse_internal(tmpl)?;
                let mut parts = Vec::new();
                for (i, nm) in s.maps.iter().enumerate() {
                    let mut lm = self.overlay(m, nm);
                    lm.set(b"index", Value::Int(i as i64));
                    parts.push(self.eval_string(&expr, &lm)?);
                }
                join_into(parts.iter().map(Vec::as_slice), sep, &mut out);
            }
            Value::Strings(items) => join_into(items.iter().map(Vec::as_slice), sep, &mut out),
            Value::Revs(revs) => {
                let texts: Vec<Vec<u8>> =
                    revs.iter().map(|r| r.0.to_string().into_bytes()).collect();
                join_into(texts.iter().map(Vec::as_slice), sep, &mut out)
            }
            Value::Date { .. } => return Err(perr("date is not iterable")),
            other => return Err(perr(format!("{} is not iterable", value_repr(other)))),
        }
        Ok(out)
    }
}

pub(crate) fn join_into<'x>(items: impl Iterator<Item = &'x [u8]>, sep: &[u8], out: &mut Vec<u8>) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        out.extend_from_slice(item);
    }
}

/// A mapping sequence value.
pub(crate) fn maps(kind: MapSeqKind, maps: Vec<Mapping>, tmpl: Option<&[u8]>, sep: &[u8]) -> Value {
    Value::Maps(Rc::new(MapSeq {
        kind,
        maps,
        tmpl: tmpl.map(<[u8]>::to_vec),
        sep: sep.to_vec(),
    }))
}
