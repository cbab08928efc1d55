//! Template filters (hg's `templatefilters`): `{x|name}`. Each declares
//! the type it wants (bytes, a date, an integer or the raw value) and the
//! input is converted first, as hg's `runfilter` does; a conversion
//! failure names the filter and the keyword in its hint.

use std::rc::Rc;

use super::compile::{symbolic_name, Expr};
use super::datefmt;
use super::eval::{perr, with_hint};
use super::text;
use super::value::{HItem, Hybrid, Mapping, PyVal, Value};
use super::{Engine, TResult};

#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    Bytes,
    Date,
    Raw,
}

const FILTERS: &[(&str, In)] = &[
    ("addbreaks", In::Bytes),
    ("age", In::Date),
    ("basename", In::Bytes),
    ("cbor", In::Raw),
    ("commondir", In::Raw),
    ("count", In::Raw),
    ("dirname", In::Bytes),
    ("domain", In::Bytes),
    ("email", In::Bytes),
    ("emailuser", In::Bytes),
    ("escape", In::Bytes),
    ("fill68", In::Bytes),
    ("fill76", In::Bytes),
    ("firstline", In::Bytes),
    ("hex", In::Bytes),
    ("hgdate", In::Date),
    ("isodate", In::Date),
    ("isodatesec", In::Date),
    ("json", In::Raw),
    ("lower", In::Bytes),
    ("nonempty", In::Bytes),
    ("obfuscate", In::Bytes),
    ("permissions", In::Bytes),
    ("person", In::Bytes),
    ("reverse", In::Raw),
    ("revescape", In::Bytes),
    ("rfc3339date", In::Date),
    ("rfc822date", In::Date),
    ("short", In::Bytes),
    ("shortbisect", In::Bytes),
    ("shortdate", In::Date),
    ("slashpath", In::Bytes),
    ("splitlines", In::Bytes),
    ("stringescape", In::Bytes),
    ("stringify", In::Bytes),
    ("stripdir", In::Bytes),
    ("tabindent", In::Bytes),
    ("upper", In::Bytes),
    ("urlescape", In::Bytes),
    ("user", In::Bytes),
    ("utf8", In::Bytes),
    ("xmlescape", In::Bytes),
];

pub fn is_filter(name: &[u8]) -> bool {
    FILTERS.iter().any(|(n, _)| n.as_bytes() == name)
}

fn intype(name: &str) -> In {
    FILTERS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(In::Raw, |(_, t)| *t)
}

/// Python's `os.path.basename` / `dirname` on `/` paths.
fn basename(p: &[u8]) -> &[u8] {
    match p.iter().rposition(|&b| b == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

fn dirname(p: &[u8]) -> &[u8] {
    match p.iter().rposition(|&b| b == b'/') {
        Some(i) => {
            let head = &p[..i + 1];
            let trimmed = head.iter().rposition(|&b| b != b'/').map_or(0, |j| j + 1);
            if trimmed == 0 {
                head
            } else {
                &head[..trimmed]
            }
        }
        None => b"",
    }
}

pub(crate) fn email(author: &[u8]) -> Vec<u8> {
    let start = author.iter().position(|&b| b == b'<').map_or(0, |i| i + 1);
    let end = author
        .iter()
        .position(|&b| b == b'>')
        .unwrap_or(author.len());
    author
        .get(start..end.max(start))
        .unwrap_or_default()
        .to_vec()
}

pub(crate) fn person(author: &[u8]) -> Vec<u8> {
    if !author.contains(&b'@') {
        return author.to_vec();
    }
    if let Some(f) = author.iter().position(|&b| b == b'<') {
        let head = &author[..f];
        let stripped = text::strip(head, Some(b" \""));
        return text::replace(stripped, b"\\\"", b"\"");
    }
    let f = author
        .iter()
        .position(|&b| b == b'@')
        .unwrap_or(author.len());
    text::replace(&author[..f], b".", b" ")
}

pub(crate) fn shortuser(user: &[u8]) -> Vec<u8> {
    let mut u = user;
    if let Some(f) = u.iter().position(|&b| b == b'@') {
        u = &u[..f];
    }
    if let Some(f) = u.iter().position(|&b| b == b'<') {
        u = &u[f + 1..];
    }
    if let Some(f) = u.iter().position(|&b| b == b' ') {
        u = &u[..f];
    }
    if let Some(f) = u.iter().position(|&b| b == b'.') {
        u = &u[..f];
    }
    u.to_vec()
}

fn emailuser(user: &[u8]) -> Vec<u8> {
    let mut u = user;
    if let Some(f) = u.iter().position(|&b| b == b'@') {
        u = &u[..f];
    }
    if let Some(f) = u.iter().position(|&b| b == b'<') {
        u = &u[f + 1..];
    }
    u.to_vec()
}

fn firstline(t: &[u8]) -> Vec<u8> {
    let t = match t.iter().position(|&b| b == b'\n') {
        Some(i) => &t[..i],
        None => t,
    };
    text::splitlines(t).into_iter().next().unwrap_or_default()
}

/// hg's `json` filter over a raw value.
pub fn json(v: &PyVal, paranoid: bool) -> Vec<u8> {
    let mut out = Vec::new();
    json_into(v, paranoid, &mut out);
    out
}

fn json_into(v: &PyVal, paranoid: bool, out: &mut Vec<u8>) {
    match v {
        PyVal::None => out.extend_from_slice(b"null"),
        PyVal::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        PyVal::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        PyVal::Bytes(b) => {
            out.push(b'"');
            out.extend_from_slice(&text::json_escape(b, paranoid));
            out.push(b'"');
        }
        PyVal::Tuple(items) | PyVal::List(items) => {
            out.push(b'[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                json_into(x, paranoid, out);
            }
            out.push(b']');
        }
        PyVal::Dict(items) => {
            let mut sorted: Vec<&(Vec<u8>, PyVal)> = items.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            out.push(b'{');
            for (i, (k, x)) in sorted.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                out.push(b'"');
                out.extend_from_slice(&text::json_escape(k, paranoid));
                out.extend_from_slice(b"\": ");
                json_into(x, paranoid, out);
            }
            out.push(b'}');
        }
    }
}

fn lines_list(lines: Vec<Vec<u8>>, name: &'static str) -> Value {
    Value::List(Rc::new(Hybrid {
        is_dict: false,
        items: lines
            .into_iter()
            .map(|l| HItem {
                key: PyVal::Bytes(l.clone()),
                value: PyVal::Bytes(l.clone()),
                map: Mapping::vars([(name, Value::Bytes(l.clone()))]),
                fmt: l,
            })
            .collect(),
        compat: None,
        int_keys: false,
    }))
}

impl Engine<'_> {
    /// hg's `runfilter`.
    pub(crate) fn run_filter(&self, arg: &Expr, name: &[u8], m: &Mapping) -> TResult<Value> {
        let v = self.eval(arg, m)?;
        let fname = String::from_utf8_lossy(name).into_owned();
        self.apply_filter(&fname, &v, m).map_err(|err| {
            let hint = match symbolic_name(arg) {
                Some(sym) => format!(
                    "template filter '{}' is not compatible with keyword '{}'",
                    py_name(&fname),
                    String::from_utf8_lossy(sym)
                ),
                None => format!("incompatible use of template filter '{}'", py_name(&fname)),
            };
            with_hint(err, hint)
        })
    }

    fn apply_filter(&self, name: &str, v: &Value, m: &Mapping) -> TResult<Value> {
        match intype(name) {
            In::Bytes => {
                let s = self.show(v, m)?;
                match name {
                    "fill68" | "fill76" => {
                        let w = if name == "fill68" { 68 } else { 76 };
                        return text::fill(&s, w, b"", b"")
                            .map(Value::Bytes)
                            .map_err(super::eval::abort);
                    }
                    "utf8" => {
                        text::decode_local(&s).map_err(super::eval::abort)?;
                    }
                    _ => {}
                }
                Ok(self.bytes_filter(name, &s))
            }
            In::Date => {
                let (t, tz) = self.unwrap_date(v, m, None)?;
                Ok(Value::Bytes(match name {
                    "age" => datefmt::age(t, tz, self.opts.now),
                    "hgdate" => format!("{t} {tz}").into_bytes(),
                    "isodate" => datefmt::datestr(t, tz, b"%Y-%m-%d %H:%M %1%2"),
                    "isodatesec" => datefmt::datestr(t, tz, b"%Y-%m-%d %H:%M:%S %1%2"),
                    "rfc3339date" => datefmt::datestr(t, tz, b"%Y-%m-%dT%H:%M:%S%1:%2"),
                    "rfc822date" => datefmt::datestr(t, tz, b"%a, %d %b %Y %H:%M:%S %1%2"),
                    _ => datefmt::datestr(t, tz, b"%Y-%m-%d"),
                }))
            }
            In::Raw => {
                let raw = self.to_value(v, m)?;
                match name {
                    "count" => match &raw {
                        PyVal::Bytes(b) => Ok(Value::Int(b.len() as i64)),
                        PyVal::List(x) | PyVal::Tuple(x) => Ok(Value::Int(x.len() as i64)),
                        PyVal::Dict(x) => Ok(Value::Int(x.len() as i64)),
                        _ => Err(perr("not countable")),
                    },
                    "json" => Ok(Value::Bytes(json(&raw, true))),
                    "reverse" => match raw {
                        PyVal::List(mut items) => {
                            items.reverse();
                            Ok(Value::List(Rc::new(Hybrid {
                                is_dict: false,
                                items: items
                                    .into_iter()
                                    .map(|x| HItem {
                                        fmt: x.flatten(),
                                        map: Mapping::vars([("item", Value::from_py(&x))]),
                                        key: x.clone(),
                                        value: x,
                                    })
                                    .collect(),
                                compat: None,
                                int_keys: false,
                            })))
                        }
                        _ => Err(perr("not reversible")),
                    },
                    "commondir" => commondir(&raw),
                    _ => Err(super::eval::abort(format!(
                        "template filter '{name}' is not supported by qs yet"
                    ))),
                }
            }
        }
    }

    fn bytes_filter(&self, name: &str, s: &[u8]) -> Value {
        let out: Vec<u8> = match name {
            "addbreaks" => text::replace(s, b"\n", b"<br/>\n"),
            "basename" => basename(s).to_vec(),
            "dirname" => dirname(s).to_vec(),
            "domain" => match s.iter().position(|&b| b == b'@') {
                None => Vec::new(),
                Some(f) => {
                    let rest = &s[f + 1..];
                    match rest.iter().position(|&b| b == b'>') {
                        Some(e) => rest[..e].to_vec(),
                        None => rest.to_vec(),
                    }
                }
            },
            "email" => email(s),
            "emailuser" => emailuser(s),
            "escape" => {
                let no_nul: Vec<u8> = s.iter().copied().filter(|&b| b != 0).collect();
                text::html_escape(&no_nul)
            }
            "firstline" => firstline(s),
            "hex" => s
                .iter()
                .flat_map(|b| format!("{b:02x}").into_bytes())
                .collect(),
            "lower" => match std::str::from_utf8(s) {
                Ok(t) => t.to_lowercase().into_bytes(),
                Err(_) => s.to_ascii_lowercase(),
            },
            "upper" => match std::str::from_utf8(s) {
                Ok(t) => t.to_uppercase().into_bytes(),
                Err(_) => s.to_ascii_uppercase(),
            },
            "nonempty" => {
                if s.is_empty() {
                    b"(none)".to_vec()
                } else {
                    s.to_vec()
                }
            }
            "obfuscate" => String::from_utf8_lossy(s)
                .chars()
                .flat_map(|c| format!("&#{};", c as u32).into_bytes())
                .collect(),
            "permissions" => {
                if s.contains(&b'l') {
                    b"lrwxrwxrwx".to_vec()
                } else if s.contains(&b'x') {
                    b"-rwxr-xr-x".to_vec()
                } else {
                    b"-rw-r--r--".to_vec()
                }
            }
            "person" => person(s),
            "revescape" => text::replace(&text::url_quote(s, b"/@"), b"/", b"%252F"),
            "short" => s[..s.len().min(12)].to_vec(),
            "shortbisect" => match s.first() {
                Some(c) => vec![c.to_ascii_uppercase()],
                None => b" ".to_vec(),
            },
            "slashpath" => s.to_vec(),
            "splitlines" => return lines_list(text::splitlines(s), "line"),
            "stringescape" => text::escapestr(s),
            "stringify" | "utf8" => s.to_vec(),
            "stripdir" => {
                let d = dirname(s);
                if d.is_empty() {
                    basename(s).to_vec()
                } else {
                    d.to_vec()
                }
            }
            "tabindent" => text::indent(s, b"\t", b""),
            "urlescape" => text::url_quote(s, b"/"),
            "user" => shortuser(s),
            "xmlescape" => {
                let mut out = Vec::with_capacity(s.len());
                for &b in s {
                    match b {
                        b'&' => out.extend_from_slice(b"&amp;"),
                        b'<' => out.extend_from_slice(b"&lt;"),
                        b'>' => out.extend_from_slice(b"&gt;"),
                        b'"' => out.extend_from_slice(b"&quot;"),
                        b'\'' => out.extend_from_slice(b"&#39;"),
                        0..=8 | 0x0b | 0x0c | 0x0e..=0x1f => out.push(b' '),
                        _ => out.push(b),
                    }
                }
                out
            }
            _ => s.to_vec(),
        };
        Value::Bytes(out)
    }
}

/// The Python function name hg reports for a filter in hints.
fn py_name(name: &str) -> &str {
    match name {
        "hex" => "hexfilter",
        "user" => "userfilter",
        other => other,
    }
}

fn commondir(raw: &PyVal) -> TResult<Value> {
    let PyVal::List(items) = raw else {
        return Err(perr("argument is not a list of text"));
    };
    let mut dirs: Vec<Vec<&[u8]>> = Vec::new();
    for item in items {
        let PyVal::Bytes(f) = item else {
            return Err(perr("argument is not a list of text"));
        };
        let start = f.iter().position(|&b| b != b'/').unwrap_or(f.len());
        let mut parts: Vec<&[u8]> = f[start..].split(|&b| b == b'/').collect();
        parts.pop();
        dirs.push(parts);
    }
    if dirs.is_empty() {
        return Ok(Value::Bytes(Vec::new()));
    }
    if dirs.len() == 1 {
        return Ok(Value::Bytes(dirs[0].join(&b'/')));
    }
    let a = dirs.iter().min().cloned().unwrap_or_default();
    let b = dirs.iter().max().cloned().unwrap_or_default();
    let n = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    Ok(Value::Bytes(a[..n].join(&b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_helpers_match_hg() {
        assert_eq!(person(b"Foo Bar <foo@bar>"), b"Foo Bar");
        assert_eq!(person(b"foo.bar@baz"), b"foo bar");
        assert_eq!(email(b"Foo <foo@bar>"), b"foo@bar");
        assert_eq!(shortuser(b"Foo Bar <foo.x@bar>"), b"foo");
        assert_eq!(dirname(b"a/b/c"), b"a/b");
        assert_eq!(dirname(b"/a"), b"/");
    }
}
