//! Python's `repr()` of byte strings, which hg uses to quote bad lines in
//! its warnings (malformed bookmarks, unreadable journal entries).

/// Python's `repr()` of a byte string without the `b` prefix, as hg quotes
/// lines in warnings: single quotes unless only a double quote avoids
/// escaping, `\\`, `\t`, `\n`, `\r` and `\xNN` for other unprintable bytes.
pub fn python_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if b == quote as u8 => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_python_repr() {
        assert_eq!(
            python_repr(b"zz\x01\x80 \xc3\xa9'q"),
            r#""zz\x01\x80 \xc3\xa9'q""#
        );
        assert_eq!(python_repr(b"a'b\"c\\"), r#"'a\'b"c\\'"#);
        assert_eq!(python_repr(b"\t\r"), r"'\t\r'");
    }
}
