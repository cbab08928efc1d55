//! Template functions (hg's `templatefuncs`): `if`, `join`, `pad`,
//! `revset`, `sub`, ... with hg's argument checks and messages.

use std::rc::Rc;

use super::compile::{symbolic_name, Args, ArithOp};
use super::datefmt;
use super::eval::{abort, perr, with_hint};
use super::pyregex::{compile_regex, translate_replacement};
use super::revquery::{format_spec, relpath};
use super::text;
use super::value::{HItem, Hybrid, MapSeqKind, Mapping, PyVal, Value};
use super::{Engine, TResult};

const FUNCS: &[&str] = &[
    "date",
    "dict",
    "diff",
    "extdata",
    "files",
    "fill",
    "filter",
    "formatnode",
    "mailmap",
    "pad",
    "indent",
    "get",
    "config",
    "configbool",
    "configint",
    "if",
    "ifcontains",
    "ifeq",
    "join",
    "label",
    "latesttag",
    "localdate",
    "max",
    "min",
    "mod",
    "obsfateoperations",
    "obsfatedate",
    "obsfateusers",
    "obsfateverb",
    "relpath",
    "revset",
    "rstdoc",
    "search",
    "separate",
    "shortest",
    "strip",
    "sub",
    "startswith",
    "subsetparents",
    "word",
];

/// Functions qs knows but does not implement yet.
const UNSUPPORTED: &[&str] = &[
    "extdata",
    "mailmap",
    "obsfateoperations",
    "obsfatedate",
    "obsfateusers",
    "obsfateverb",
    "rstdoc",
    "subsetparents",
];

pub fn is_func(name: &[u8]) -> bool {
    FUNCS.iter().any(|f| f.as_bytes() == name)
}

/// hg's `splitargspec` result for functions declared with one.
pub struct ArgSpec {
    pub poskeys: &'static [&'static str],
    pub varkey: bool,
    pub keys: &'static [&'static str],
    pub optkey: bool,
}

pub fn argspec(name: &[u8]) -> Option<ArgSpec> {
    Some(match name {
        b"dict" => ArgSpec {
            poskeys: &[],
            varkey: true,
            keys: &[],
            optkey: true,
        },
        b"pad" => ArgSpec {
            poskeys: &[],
            varkey: false,
            keys: &["text", "width", "fillchar", "left", "truncate"],
            optkey: false,
        },
        b"separate" => ArgSpec {
            poskeys: &["sep"],
            varkey: true,
            keys: &[],
            optkey: false,
        },
        b"extdata" => ArgSpec {
            poskeys: &[],
            varkey: false,
            keys: &["source"],
            optkey: false,
        },
        b"subsetparents" => ArgSpec {
            poskeys: &[],
            varkey: false,
            keys: &["rev", "revset"],
            optkey: false,
        },
        _ => return None,
    })
}

fn nargs_err(msg: &str) -> super::TemplateError {
    perr(msg)
}

impl Engine<'_> {
    /// Calls function `name`.
    pub(crate) fn call(&self, name: &[u8], args: &Args, m: &Mapping) -> TResult<Value> {
        let name = String::from_utf8_lossy(name).into_owned();
        if UNSUPPORTED.contains(&name.as_str()) {
            return Err(abort(format!(
                "template function '{name}' is not supported by qs yet"
            )));
        }
        let a = &args.list;
        let n = a.len();
        match name.as_str() {
            "date" => {
                if !(1..=2).contains(&n) {
                    return Err(nargs_err("date expects one or two arguments"));
                }
                let v = self.eval(&a[0], m)?;
                let (t, tz) = self.unwrap_date(&v, m, Some("date expects a date information"))?;
                let fmt = if n == 2 {
                    self.eval_string(&a[1], m)?
                } else {
                    b"%a %b %d %H:%M:%S %Y %1%2".to_vec()
                };
                Ok(Value::Bytes(datefmt::datestr(t, tz, &fmt)))
            }
            "dict" => {
                let mut data: Vec<(Vec<u8>, PyVal)> = Vec::new();
                for e in &args.rest {
                    let Some(k) = symbolic_name(e) else {
                        return Err(perr("dict key cannot be inferred"));
                    };
                    if data.iter().any(|(x, _)| x == k) || args.kwargs.iter().any(|(x, _)| x == k) {
                        return Err(perr(format!(
                            "duplicated dict key '{}' inferred",
                            String::from_utf8_lossy(k)
                        )));
                    }
                    let v = self.eval(e, m)?;
                    data.push((k.to_vec(), self.to_value(&v, m)?));
                }
                for (k, e) in &args.kwargs {
                    let v = self.eval(e, m)?;
                    data.push((k.clone(), self.to_value(&v, m)?));
                }
                Ok(hybrid_dict(data))
            }
            "diff" => {
                if n > 2 {
                    return Err(nargs_err("diff expects zero, one, or two arguments"));
                }
                let mut patterns = Vec::new();
                for e in a {
                    let text = self.eval_string(e, m)?;
                    patterns.push(text.trim_ascii().to_vec());
                }
                let Some(rev) = m.ctx else {
                    return Ok(Value::None);
                };
                Ok(Value::Bytes(self.changeset_diff(rev, &patterns)?))
            }
            "files" => {
                if n != 1 {
                    return Err(nargs_err("files expects one argument"));
                }
                let raw = self.eval_string(&a[0], m)?;
                let Some(rev) = m.ctx else {
                    return Ok(Value::None);
                };
                let files = self.matching_files(rev, &raw)?;
                Ok(super::keywords::files_list("file", &files))
            }
            "fill" => {
                if !(1..=4).contains(&n) {
                    return Err(nargs_err("fill expects one to four arguments"));
                }
                let t = self.eval_string(&a[0], m)?;
                let mut width = 76;
                let mut init = Vec::new();
                let mut hang = Vec::new();
                if n >= 2 {
                    width = self.eval_int(&a[1], m, "fill expects an integer width")?;
                    if n >= 4 {
                        init = self.eval_string(&a[2], m)?;
                        hang = self.eval_string(&a[3], m)?;
                    }
                }
                text::fill(&t, width.max(0) as usize, &init, &hang)
                    .map(Value::Bytes)
                    .map_err(abort)
            }
            "filter" => {
                if !(1..=2).contains(&n) {
                    return Err(nargs_err("filter expects one or two arguments"));
                }
                let it = self.eval(&a[0], m)?;
                if n == 1 {
                    self.filter(&it, &mut |w| self.to_bool(w, m))
                } else {
                    let e = &a[1];
                    self.filter(&it, &mut |w| {
                        let maps = match w {
                            Value::Item(_) | Value::Date { .. } => self.itermaps(w)?,
                            _ => return Err(perr("not filterable by expression")),
                        };
                        let lm = match maps.first() {
                            Some(nm) => self.overlay(m, nm),
                            None => m.clone(),
                        };
                        self.eval_bool(e, &lm)
                    })
                }
            }
            "formatnode" => {
                if n != 1 {
                    return Err(nargs_err("formatnode expects one argument"));
                }
                let node = self.eval_string(&a[0], m)?;
                Ok(Value::Bytes(if self.opts.debug {
                    node
                } else {
                    node[..node.len().min(12)].to_vec()
                }))
            }
            "pad" => {
                let (Some(te), Some(we)) = (args.named("text"), args.named("width")) else {
                    return Err(perr("pad() expects two to four arguments"));
                };
                let width = self.eval_int(we, m, "pad() expects an integer width")?;
                let t = self.eval_string(te, m)?;
                let mut fill = b" ".to_vec();
                if let Some(f) = args.named("fillchar") {
                    fill = self.eval_string(f, m)?;
                    if String::from_utf8_lossy(&fill).chars().count() != 1 {
                        return Err(perr("pad() expects a single fill character"));
                    }
                }
                let left = match args.named("left") {
                    Some(e) => self.eval_bool(e, m)?,
                    None => false,
                };
                let truncate = match args.named("truncate") {
                    Some(e) => self.eval_bool(e, m)?,
                    None => false,
                };
                let w = String::from_utf8_lossy(&t).chars().count() as i64;
                let fillwidth = width - w;
                if fillwidth < 0 && truncate {
                    let chars: Vec<char> = String::from_utf8_lossy(&t).chars().collect();
                    let keep = width.max(0) as usize;
                    let kept: String = if left {
                        chars[chars.len() - keep.min(chars.len())..]
                            .iter()
                            .collect()
                    } else {
                        chars[..keep.min(chars.len())].iter().collect()
                    };
                    return Ok(Value::Bytes(kept.into_bytes()));
                }
                if fillwidth <= 0 {
                    return Ok(Value::Bytes(t));
                }
                let padding = fill.repeat(fillwidth as usize);
                Ok(Value::Bytes(if left {
                    [padding, t].concat()
                } else {
                    [t, padding].concat()
                }))
            }
            "indent" => {
                if !(2..=3).contains(&n) {
                    return Err(nargs_err("indent() expects two or three arguments"));
                }
                let t = self.eval_string(&a[0], m)?;
                let prefix = self.eval_string(&a[1], m)?;
                let first = if n == 3 {
                    self.eval_string(&a[2], m)?
                } else {
                    prefix.clone()
                };
                Ok(Value::Bytes(text::indent(&t, &prefix, &first)))
            }
            "get" => {
                if n != 2 {
                    return Err(nargs_err("get() expects two arguments"));
                }
                let d = self.eval(&a[0], m)?;
                let key = self.eval(&a[1], m)?;
                self.get_member(&d, &key, m)
                    .map_err(|e| with_hint(e, "get() expects a dict as first argument"))
            }
            "config" | "configbool" | "configint" => {
                if !(2..=3).contains(&n) {
                    return Err(nargs_err("config expects two or three arguments"));
                }
                let section = self.eval_string_literal(&a[0], m)?;
                let key = self.eval_string_literal(&a[1], m)?;
                let value = self
                    .opts
                    .config
                    .get(&(section.clone(), key.clone()))
                    .cloned();
                match name.as_str() {
                    "config" => {
                        let default = if n == 3 {
                            Some(self.eval_string(&a[2], m)?)
                        } else {
                            None
                        };
                        Ok(value.or(default).map_or(Value::None, Value::Bytes))
                    }
                    "configbool" => {
                        let default = if n == 3 {
                            self.eval_bool(&a[2], m)?
                        } else {
                            false
                        };
                        match value {
                            None => Ok(Value::Bytes(if default {
                                b"True".to_vec()
                            } else {
                                b"False".to_vec()
                            })),
                            Some(v) => match parse_bool(&v) {
                                Some(b) => Ok(Value::Bytes(if b {
                                    b"True".to_vec()
                                } else {
                                    b"False".to_vec()
                                })),
                                None => Err(abort(format!(
                                    "{}.{} is not a boolean ('{}')",
                                    String::from_utf8_lossy(&section),
                                    String::from_utf8_lossy(&key),
                                    String::from_utf8_lossy(&v)
                                ))),
                            },
                        }
                    }
                    _ => {
                        let default = if n == 3 {
                            Some(self.eval_int(&a[2], m, "not an integer")?)
                        } else {
                            None
                        };
                        match value {
                            None => Ok(default.map_or(Value::None, Value::Int)),
                            Some(v) => match super::eval::py_int(&PyVal::Bytes(v.clone())) {
                                Some(i) => Ok(Value::Int(i)),
                                None => Err(abort(format!(
                                    "{}.{} is not a valid integer ('{}')",
                                    String::from_utf8_lossy(&section),
                                    String::from_utf8_lossy(&key),
                                    String::from_utf8_lossy(&v)
                                ))),
                            },
                        }
                    }
                }
            }
            "if" => {
                if !(2..=3).contains(&n) {
                    return Err(nargs_err("if expects two or three arguments"));
                }
                if self.eval_bool(&a[0], m)? {
                    self.eval(&a[1], m)
                } else if n == 3 {
                    self.eval(&a[2], m)
                } else {
                    Ok(Value::None)
                }
            }
            "ifcontains" => {
                if !(3..=4).contains(&n) {
                    return Err(nargs_err("ifcontains expects three or four arguments"));
                }
                let hay = self.eval(&a[1], m)?;
                let found = match self.eval(&a[0], m) {
                    Ok(needle) => match self.contains(&hay, &needle, m) {
                        Ok(f) => f,
                        Err(super::TemplateError::Parse(_)) => false,
                        Err(e) => return Err(e),
                    },
                    Err(super::TemplateError::Parse(_)) => false,
                    Err(e) => return Err(e),
                };
                if found {
                    self.eval(&a[2], m)
                } else if n == 4 {
                    self.eval(&a[3], m)
                } else {
                    Ok(Value::None)
                }
            }
            "ifeq" => {
                if !(3..=4).contains(&n) {
                    return Err(nargs_err("ifeq expects three or four arguments"));
                }
                let x = self.eval_string(&a[0], m)?;
                let y = self.eval_string(&a[1], m)?;
                if x == y {
                    self.eval(&a[2], m)
                } else if n == 4 {
                    self.eval(&a[3], m)
                } else {
                    Ok(Value::None)
                }
            }
            "join" => {
                if !(1..=2).contains(&n) {
                    return Err(nargs_err("join expects one or two arguments"));
                }
                let v = self.eval(&a[0], m)?;
                let sep = if n > 1 {
                    self.eval_string(&a[1], m)?
                } else {
                    b" ".to_vec()
                };
                Ok(Value::Bytes(self.join(&v, &sep, m)?))
            }
            "label" => {
                if n != 2 {
                    return Err(nargs_err("label expects two arguments"));
                }
                let t = self.eval_string(&a[1], m)?;
                self.eval_string_literal(&a[0], m)?;
                Ok(Value::Bytes(t))
            }
            "latesttag" => {
                if n > 1 {
                    return Err(nargs_err("latesttag expects at most one argument"));
                }
                let pattern = if n == 1 {
                    Some(self.eval_string(&a[0], m)?)
                } else {
                    None
                };
                match m.ctx {
                    Some(rev) => self.latest_tag_value(rev, pattern.as_deref()),
                    None => Ok(Value::None),
                }
            }
            "localdate" => {
                if !(1..=2).contains(&n) {
                    return Err(nargs_err("localdate expects one or two arguments"));
                }
                let v = self.eval(&a[0], m)?;
                let (t, _) =
                    self.unwrap_date(&v, m, Some("localdate expects a date information"))?;
                let tz = if n >= 2 {
                    let tzv = self.eval(&a[1], m)?;
                    let raw = self.to_value(&tzv, m)?;
                    let parsed = match &raw {
                        PyVal::Bytes(b) => datefmt::parse_timezone(b),
                        _ => None,
                    };
                    match parsed {
                        Some(o) => o,
                        None => super::eval::py_int(&raw)
                            .map(|i| i as i32)
                            .ok_or_else(|| perr("localdate expects a timezone"))?,
                    }
                } else {
                    self.opts.local_offset
                };
                Ok(Value::Date {
                    seconds: t,
                    offset: tz,
                    keyword: false,
                })
            }
            "max" | "min" => {
                if n != 1 {
                    return Err(nargs_err(&format!("{name} expects one argument")));
                }
                let v = self.eval(&a[0], m)?;
                self.min_max(&v, m, name == "max").map_err(|e| {
                    with_hint(e, format!("{name} first argument should be an iterable"))
                })
            }
            "mod" => {
                if n != 2 {
                    return Err(nargs_err("mod expects two arguments"));
                }
                self.arith(ArithOp::Mod, &a[0], &a[1], m)
            }
            "relpath" => {
                if n != 1 {
                    return Err(nargs_err("relpath expects one argument"));
                }
                let p = self.eval_string(&a[0], m)?;
                Ok(Value::Bytes(relpath(&self.opts.cwd_in_repo, &p)))
            }
            "revset" => {
                if n == 0 {
                    return Err(nargs_err("revset expects one or more arguments"));
                }
                let raw = self.eval_string(&a[0], m)?;
                let revs = if n > 1 {
                    let mut fargs = Vec::new();
                    for e in &a[1..] {
                        let v = self.eval(e, m)?;
                        fargs.push(self.to_value(&v, m)?);
                    }
                    let q = format_spec(&raw, &fargs)?;
                    Rc::new(self.query(&q)?)
                } else if let Some(r) = self.cached_revset(&raw) {
                    r
                } else {
                    let r = Rc::new(self.query(&raw)?);
                    self.cache_revset(&raw, r.clone());
                    r
                };
                Ok(Value::Revs(revs))
            }
            "search" => {
                if n != 2 {
                    return Err(nargs_err("search expects two arguments"));
                }
                let pat = self.eval_string(&a[0], m)?;
                let src = self.eval_string(&a[1], m)?;
                let Some(re) = compile_regex(&pat) else {
                    return Err(perr(format!(
                        "search got an invalid pattern: {}",
                        String::from_utf8_lossy(&pat)
                    )));
                };
                let bad: Vec<&str> = re
                    .capture_names()
                    .flatten()
                    .filter(|g| ["ctx", "repo", "cache", "revcache", "ui", "fctx"].contains(g))
                    .collect();
                if !bad.is_empty() {
                    let mut bad = bad;
                    bad.sort_unstable();
                    let list: Vec<String> = bad.iter().map(|g| format!("'{g}'")).collect();
                    return Err(perr(format!(
                        "invalid group {} in search pattern: {}",
                        list.join(", "),
                        String::from_utf8_lossy(&pat)
                    )));
                }
                let Some(caps) = re.captures(&src) else {
                    return Ok(super::eval::maps(MapSeqKind::None, Vec::new(), None, b""));
                };
                let mut map = Mapping::vars([]);
                for (i, g) in caps.iter().enumerate() {
                    let v = g.map_or(Value::None, |g| Value::Bytes(g.as_bytes().to_vec()));
                    map.set(i.to_string().as_bytes(), v);
                }
                for name in re.capture_names().flatten() {
                    let v = caps
                        .name(name)
                        .map_or(Value::None, |g| Value::Bytes(g.as_bytes().to_vec()));
                    map.set(name.as_bytes(), v);
                }
                Ok(super::eval::maps(
                    MapSeqKind::Dict,
                    vec![map],
                    Some(b"{0}"),
                    b"",
                ))
            }
            "separate" => {
                let Some(sep_e) = args.named("sep") else {
                    return Err(perr("separate expects at least one argument"));
                };
                let sep = self.eval_string(sep_e, m)?;
                let mut out = Vec::new();
                let mut first = true;
                for e in &args.rest {
                    let s = self.eval_string(e, m)?;
                    if s.is_empty() {
                        continue;
                    }
                    if !first {
                        out.extend_from_slice(&sep);
                    }
                    first = false;
                    out.extend_from_slice(&s);
                }
                Ok(Value::Bytes(out))
            }
            "shortest" => {
                if !(1..=2).contains(&n) {
                    return Err(nargs_err("shortest() expects one or two arguments"));
                }
                let hex = self.eval_string(&a[0], m)?;
                let min = if n > 1 {
                    self.eval_int(&a[1], m, "shortest() expects an integer minlength")?
                } else {
                    4
                };
                Ok(Value::Bytes(self.shortest(&hex, min)?))
            }
            "strip" => {
                if !(1..=2).contains(&n) {
                    return Err(nargs_err("strip expects one or two arguments"));
                }
                let t = self.eval_string(&a[0], m)?;
                if n == 2 {
                    let chars = self.eval_string(&a[1], m)?;
                    return Ok(Value::Bytes(text::strip(&t, Some(&chars)).to_vec()));
                }
                Ok(Value::Bytes(text::strip(&t, None).to_vec()))
            }
            "sub" => {
                if n != 3 {
                    return Err(nargs_err("sub expects three arguments"));
                }
                let pat = self.eval_string(&a[0], m)?;
                let rpl = self.eval_string(&a[1], m)?;
                let src = self.eval_string(&a[2], m)?;
                let Some(re) = compile_regex(&pat) else {
                    return Err(perr(format!(
                        "sub got an invalid pattern: {}",
                        String::from_utf8_lossy(&pat)
                    )));
                };
                let Some(rep) = translate_replacement(&rpl) else {
                    return Err(perr(format!(
                        "sub got an invalid replacement: {}",
                        String::from_utf8_lossy(&rpl)
                    )));
                };
                Ok(Value::Bytes(
                    re.replace_all(&src, rep.as_slice()).into_owned(),
                ))
            }
            "startswith" => {
                if n != 2 {
                    return Err(nargs_err("startswith expects two arguments"));
                }
                let p = self.eval_string(&a[0], m)?;
                let t = self.eval_string(&a[1], m)?;
                Ok(Value::Bytes(if t.starts_with(&p) { t } else { Vec::new() }))
            }
            "word" => {
                if !(2..=3).contains(&n) {
                    return Err(perr(format!(
                        "word expects two or three arguments, got {n}"
                    )));
                }
                let num = self.eval_int(&a[0], m, "word expects an integer index")?;
                let t = self.eval_string(&a[1], m)?;
                let sep = if n == 3 {
                    Some(self.eval_string(&a[2], m)?)
                } else {
                    None
                };
                if sep.as_deref() == Some(b"") {
                    return Err(abort("empty separator"));
                }
                let tokens = text::split(&t, sep.as_deref());
                let len = tokens.len() as i64;
                if num >= len || num < -len {
                    return Ok(Value::Bytes(Vec::new()));
                }
                let idx = if num < 0 { len + num } else { num } as usize;
                Ok(Value::Bytes(tokens[idx].clone()))
            }
            _ => Err(perr(format!("unknown function '{name}'"))),
        }
    }
}

fn parse_bool(v: &[u8]) -> Option<bool> {
    match v.to_ascii_lowercase().as_slice() {
        b"1" | b"yes" | b"true" | b"on" | b"always" => Some(true),
        b"0" | b"no" | b"false" | b"off" | b"never" => Some(false),
        _ => None,
    }
}

/// hg's `hybriddict`.
pub(crate) fn hybrid_dict(data: Vec<(Vec<u8>, PyVal)>) -> Value {
    let items = data
        .into_iter()
        .map(|(k, v)| {
            let mut fmt = k.clone();
            fmt.push(b'=');
            match &v {
                PyVal::Bytes(b) => fmt.extend_from_slice(b),
                PyVal::Int(i) => fmt.extend_from_slice(i.to_string().as_bytes()),
                PyVal::None => fmt.extend_from_slice(b"None"),
                other => fmt.extend_from_slice(other.repr().as_bytes()),
            }
            HItem {
                map: Mapping::vars([
                    ("key", Value::Bytes(k.clone())),
                    ("value", Value::from_py(&v)),
                ]),
                key: PyVal::Bytes(k),
                value: v,
                fmt,
            }
        })
        .collect();
    Value::List(Rc::new(Hybrid {
        is_dict: true,
        items,
        compat: None,
        int_keys: false,
    }))
}
