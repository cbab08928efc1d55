//! Reading function arguments as hg's revset helpers do (`getargs`,
//! `getargsdict`, `getstring`, `getinteger`), with hg's error messages.

use qs_lang::revset::arg_list;
use qs_lang::{Kind, ParseError, Tree};

/// The arguments of a call, checking their count (`max` None: no limit).
pub fn getargs<'t>(
    args: Option<&'t Tree>,
    min: usize,
    max: Option<usize>,
    error: &str,
) -> Result<Vec<&'t Tree>, ParseError> {
    let list = arg_list(args);
    if list.len() < min || max.is_some_and(|m| list.len() > m) {
        return Err(ParseError::new(error));
    }
    Ok(list)
}

/// Arguments by name: positional ones first, then `key=value` ones, as
/// hg's `buildargsdict` matches them against `keys`.
pub fn getargsdict<'t>(
    args: Option<&'t Tree>,
    func: &str,
    keys: &[&'static str],
) -> Result<Vec<(&'static str, &'t Tree)>, ParseError> {
    let list = arg_list(args);
    let positional = list
        .iter()
        .take_while(|t| t.kind() != Kind::KeyValue)
        .count();
    if positional > keys.len() {
        return Err(ParseError::new(format!(
            "{func} takes at most {} positional arguments",
            keys.len()
        )));
    }
    let mut out: Vec<(&'static str, &'t Tree)> = Vec::new();
    for (key, tree) in keys.iter().zip(list.iter().take(positional)) {
        out.push((key, tree));
    }
    for tree in list.iter().skip(positional) {
        let key_tree = tree.child(0);
        let Some(name) = key_tree
            .filter(|_| tree.kind() == Kind::KeyValue)
            .and_then(|k| k.leaf_value(Kind::Symbol))
        else {
            return Err(ParseError::new(format!("{func} got an invalid argument")));
        };
        let name = String::from_utf8_lossy(name);
        let Some(key) = keys.iter().find(|k| **k == name) else {
            return Err(ParseError::new(format!(
                "{func} got an unexpected keyword argument '{name}'"
            )));
        };
        if out.iter().any(|(k, _)| k == key) {
            return Err(ParseError::new(format!(
                "{func} got multiple values for keyword argument '{name}'"
            )));
        }
        let Some(value) = tree.child(1) else {
            return Err(ParseError::new(format!("{func} got an invalid argument")));
        };
        out.push((key, value));
    }
    Ok(out)
}

/// Looks a named argument up in the result of [`getargsdict`].
pub fn named<'t>(args: &[(&'static str, &'t Tree)], key: &str) -> Option<&'t Tree> {
    args.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// A string or symbol argument's bytes.
pub fn getstring<'t>(arg: Option<&'t Tree>, error: &str) -> Result<&'t [u8], ParseError> {
    arg.and_then(|t| {
        t.leaf_value(Kind::String)
            .or_else(|| t.leaf_value(Kind::Symbol))
    })
    .ok_or_else(|| ParseError::new(error))
}

/// An integer argument (Python's `int()` on the string: surrounding
/// whitespace and a sign allowed).
pub fn getinteger(arg: Option<&Tree>, error: &str) -> Result<i64, ParseError> {
    let text = getstring(arg, error)?;
    parse_int(text).ok_or_else(|| ParseError::new(error))
}

/// Python's `int(bytes)` for plain decimal text.
pub fn parse_int(text: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(text).ok()?.trim();
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
