//! hg's `formatspec`: building a revset from a format string and typed
//! arguments, quoting each so that it cannot change the expression's
//! structure (`%d` → `_rev(N)`, `%s` → a quoted string, `%r` → a
//! parenthesised revset, `%n` → a quoted hex node, `%b` → a quoted branch
//! name, `%%` → `%`; `%lX` a list, `%pX` function parameters).

use crate::error::ParseError;
use crate::escape::escape;

/// One argument of [`format_spec`]; its variant must agree with the format
/// character (`%d` with `Rev`, `%ld` with `Revs`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecArg<'a> {
    /// `%d`: a revision number.
    Rev(i64),
    /// `%s`, `%b`: a string (a branch name for `%b`).
    Str(&'a [u8]),
    /// `%r`: a revset expression (checked for syntax errors).
    Revset(&'a [u8]),
    /// `%n`: a binary node id.
    Node(&'a [u8]),
    /// `%ld`, `%pd`: revision numbers.
    Revs(&'a [i64]),
    /// `%ls`, `%lb`, `%ps`, `%pb`: strings.
    Strs(&'a [&'a [u8]]),
    /// `%lr`, `%pr`: revset expressions.
    Revsets(&'a [&'a [u8]]),
    /// `%ln`, `%pn`: binary node ids.
    Nodes(&'a [&'a [u8]]),
}

/// One list element, as the single-argument formatter sees it.
#[derive(Clone, Copy)]
enum Item<'a> {
    Rev(i64),
    Bytes(&'a [u8]),
}

fn invalid() -> ParseError {
    ParseError::new("invalid argument for revspec")
}

fn quote(value: &[u8]) -> Vec<u8> {
    let mut out = vec![b'\''];
    out.extend_from_slice(&escape(value));
    out.push(b'\'');
    out
}

fn hex(node: &[u8]) -> Vec<u8> {
    node.iter()
        .flat_map(|b| format!("{b:02x}").into_bytes())
        .collect()
}

fn format_one(kind: u8, item: Item<'_>) -> Result<Vec<u8>, ParseError> {
    match (kind, item) {
        (b'd', Item::Rev(rev)) => Ok(format!("_rev({rev})").into_bytes()),
        (b's' | b'b', Item::Bytes(value)) => Ok(quote(value)),
        (b'r', Item::Bytes(expr)) => {
            super::parse(expr, None)?;
            let mut out = vec![b'('];
            out.extend_from_slice(expr);
            out.push(b')');
            Ok(out)
        }
        (b'n', Item::Bytes(node)) => Ok(quote(&hex(node))),
        (b'd' | b's' | b'b' | b'r' | b'n', _) => Err(invalid()),
        (other, _) => Err(ParseError::new(format!(
            "unexpected revspec format character {}",
            char::from(other)
        ))),
    }
}

fn joined(items: &[Item<'_>], each: impl Fn(Item<'_>) -> Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(0);
        }
        out.extend_from_slice(&each(*item));
    }
    out
}

fn format_list(kind: u8, items: &[Item<'_>]) -> Result<Vec<u8>, ParseError> {
    match items {
        [] => return Ok(b"_list('')".to_vec()),
        [one] => return format_one(kind, *one),
        _ => {}
    }
    let bytes = |item: Item<'_>| match item {
        Item::Bytes(b) => b.to_vec(),
        Item::Rev(r) => r.to_string().into_bytes(),
    };
    match kind {
        b'd' => {
            let mut out = b"_intlist('".to_vec();
            out.extend_from_slice(&joined(items, bytes));
            out.extend_from_slice(b"')");
            Ok(out)
        }
        b's' => {
            let mut out = b"_list(".to_vec();
            out.extend_from_slice(&quote(&joined(items, bytes)));
            out.push(b')');
            Ok(out)
        }
        b'n' => {
            let mut out = b"_hexlist('".to_vec();
            out.extend_from_slice(&joined(items, |item| hex(&bytes(item))));
            out.extend_from_slice(b"')");
            Ok(out)
        }
        b'b' => {
            let mut out = b"_list('".to_vec();
            out.extend_from_slice(&joined(items, bytes));
            out.extend_from_slice(b"')");
            Ok(out)
        }
        _ => {
            let (left, right) = items.split_at(items.len() / 2);
            let mut out = b"(".to_vec();
            out.extend_from_slice(&format_list(kind, left)?);
            out.extend_from_slice(b" or ");
            out.extend_from_slice(&format_list(kind, right)?);
            out.push(b')');
            Ok(out)
        }
    }
}

fn items<'a>(arg: &SpecArg<'a>) -> Option<Vec<Item<'a>>> {
    Some(match *arg {
        SpecArg::Revs(revs) => revs.iter().map(|&r| Item::Rev(r)).collect(),
        SpecArg::Strs(values) | SpecArg::Revsets(values) | SpecArg::Nodes(values) => {
            values.iter().map(|&v| Item::Bytes(v)).collect()
        }
        _ => return None,
    })
}

fn list_matches(kind: u8, arg: &SpecArg<'_>) -> bool {
    matches!(
        (kind, arg),
        (b'd', SpecArg::Revs(_))
            | (b's' | b'b', SpecArg::Strs(_))
            | (b'r', SpecArg::Revsets(_))
            | (b'n', SpecArg::Nodes(_))
    )
}

fn single(kind: u8, arg: &SpecArg<'_>) -> Result<Vec<u8>, ParseError> {
    let item = match (kind, *arg) {
        (b'd', SpecArg::Rev(rev)) => Item::Rev(rev),
        (b's' | b'b', SpecArg::Str(v)) | (b'r', SpecArg::Revset(v)) | (b'n', SpecArg::Node(v)) => {
            Item::Bytes(v)
        }
        (b'd' | b's' | b'b' | b'r' | b'n', _) => {
            return Err(ParseError::new(format!(
                "invalid argument for revspec: %{} != {arg:?}",
                char::from(kind)
            )))
        }
        _ => return format_one(kind, Item::Rev(0)),
    };
    format_one(kind, item)
}

/// Builds a revset from `expr`, replacing each `%X` by the next argument,
/// quoted; errors as hg's (`missing argument for revspec`, ...).
pub fn format_spec(expr: &[u8], args: &[SpecArg<'_>]) -> Result<Vec<u8>, ParseError> {
    let mut out = Vec::with_capacity(expr.len());
    let mut args = args.iter();
    let mut pos = 0;
    while let Some(&c) = expr.get(pos) {
        pos += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        let Some(&kind) = expr.get(pos) else {
            return Err(ParseError::new("incomplete revspec format character"));
        };
        pos += 1;
        if kind == b'%' {
            out.push(b'%');
            continue;
        }
        let arg = args
            .next()
            .ok_or_else(|| ParseError::new("missing argument for revspec"))?;
        if kind == b'l' || kind == b'p' {
            let Some(&element) = expr.get(pos) else {
                return Err(ParseError::new("incomplete revspec format character"));
            };
            pos += 1;
            let list = items(arg).ok_or_else(invalid)?;
            if matches!(element, b'd' | b's' | b'b' | b'r' | b'n') && !list_matches(element, arg) {
                return Err(invalid());
            }
            if kind == b'l' {
                out.extend_from_slice(&format_list(element, &list)?);
            } else {
                for (i, item) in list.into_iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b", ");
                    }
                    out.extend_from_slice(&format_one(element, item)?);
                }
            }
        } else {
            out.extend_from_slice(&single(kind, arg)?);
        }
    }
    if args.next().is_some() {
        return Err(ParseError::new("too many revspec arguments specified"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fmt(expr: &str, args: &[SpecArg<'_>]) -> String {
        String::from_utf8_lossy(&format_spec(expr.as_bytes(), args).unwrap()).into_owned()
    }

    #[test]
    fn formats_like_hg() {
        assert_eq!(
            fmt(
                "%r:: and %lr",
                &[
                    SpecArg::Revset(b"10 or 11"),
                    SpecArg::Revsets(&[b"this()", b"that()"])
                ]
            ),
            "(10 or 11):: and ((this()) or (that()))"
        );
        assert_eq!(
            fmt("%d:: and not %d::", &[SpecArg::Rev(10), SpecArg::Rev(20)]),
            "_rev(10):: and not _rev(20)::"
        );
        assert_eq!(
            fmt("%ld or %ld", &[SpecArg::Revs(&[]), SpecArg::Revs(&[1])]),
            "_list('') or _rev(1)"
        );
        assert_eq!(
            fmt("keyword(%s)", &[SpecArg::Str(b"foo\xe9")]),
            "keyword('foo\\xe9')"
        );
        assert_eq!(
            fmt("root(%ls)", &[SpecArg::Strs(&[b"a", b"b", b"c", b"d"])]),
            "root(_list('a\\x00b\\x00c\\x00d'))"
        );
        assert_eq!(
            fmt(
                "sort(%r, %ps)",
                &[SpecArg::Revset(b":"), SpecArg::Strs(&[b"desc", b"user"])]
            ),
            "sort((:), 'desc', 'user')"
        );
        assert_eq!(
            fmt("%ls", &[SpecArg::Strs(&[b"a", b"'"])]),
            "_list('a\\x00\\'')"
        );
        assert_eq!(fmt("%ld", &[SpecArg::Revs(&[1, 2])]), "_intlist('1\u{0}2')");
        assert_eq!(fmt("100%%", &[]), "100%");
        assert_eq!(
            fmt("%lr", &[SpecArg::Revsets(&[b"a", b"b", b"c"])]),
            "((a) or ((b) or (c)))"
        );
    }

    #[test]
    fn errors_like_hg() {
        let err = |expr: &str, args: &[SpecArg<'_>]| {
            String::from_utf8_lossy(&format_spec(expr.as_bytes(), args).unwrap_err().message)
                .into_owned()
        };
        assert_eq!(err("%", &[]), "incomplete revspec format character");
        assert_eq!(err("%d", &[]), "missing argument for revspec");
        assert_eq!(
            err("x", &[SpecArg::Rev(1)]),
            "too many revspec arguments specified"
        );
        assert_eq!(
            err("%q", &[SpecArg::Rev(1)]),
            "unexpected revspec format character q"
        );
        assert_eq!(err("%r", &[SpecArg::Revset(b"(")]), "not a prefix: end");
    }
}
