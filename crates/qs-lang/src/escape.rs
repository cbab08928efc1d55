//! Python's `string_escape` codec as hg uses it: decoding backslash escapes
//! in quoted strings, and encoding bytes for the pretty-printer's quotes.

use crate::error::ParseError;

/// Decodes backslash escapes like Python's `codecs.escape_decode`:
/// `\\ \' \" \a \b \f \n \r \t \v`, octal `\ooo` (1 to 3 digits, kept
/// modulo 256), `\xhh` (exactly two hex digits), backslash-newline as
/// nothing; any other escape is kept as is. Errors carry hg's (lowercased
/// Python) messages and no offset.
pub fn unescape(input: &[u8]) -> Result<Vec<u8>, ParseError> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&next) = input.get(i + 1) else {
            return Err(ParseError::new(&b"trailing \\ in string"[..]));
        };
        match next {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(next),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut value: u32 = u32::from(next - b'0');
                let mut used = 2;
                while used < 4 {
                    match input.get(i + used) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            used += 1;
                        }
                        _ => break,
                    }
                }
                out.push((value & 0xff) as u8);
                i += used;
                continue;
            }
            b'x' => {
                let high = input.get(i + 2).and_then(|&c| hex_value(c));
                let low = input.get(i + 3).and_then(|&c| hex_value(c));
                match (high, low) {
                    (Some(h), Some(l)) => out.push(h * 16 + l),
                    _ => {
                        return Err(ParseError::new(format!(
                            "invalid \\x escape at position {i}"
                        )))
                    }
                }
                i += 4;
                continue;
            }
            _ => {
                out.push(b'\\');
                out.push(next);
            }
        }
        i += 2;
    }
    Ok(out)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Python's `bytes.isspace` for one byte: the whitespace the tokenizers
/// skip (space, tab, newline, carriage return, vertical tab, form feed).
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Encodes bytes like Python's `codecs.escape_encode`: backslash and single
/// quote are backslashed, tab/newline/carriage return become `\t \n \r`,
/// other bytes below 0x20 or from 0x7f up become `\xhh`.
pub fn escape(input: &[u8]) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(input.len() + 2);
    for &b in input {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\'' => out.extend_from_slice(b"\\'"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x20..=0x7e => out.push(b),
            _ => {
                out.extend_from_slice(b"\\x");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn unescape_matches_python_escape_decode() {
        assert_eq!(unescape(b"a\\nb").unwrap(), b"a\nb");
        assert_eq!(unescape(b"\\777").unwrap(), b"\xff");
        assert_eq!(unescape(b"\\0").unwrap(), b"\0");
        assert_eq!(unescape(b"\\q").unwrap(), b"\\q");
        assert_eq!(unescape(b"\\\n").unwrap(), b"");
        assert_eq!(unescape(b"\\x41\\x4a").unwrap(), b"AJ");
        assert_eq!(
            unescape(b"ab\\x4g").unwrap_err().message,
            b"invalid \\x escape at position 2"
        );
        assert_eq!(
            unescape(b"ab\\").unwrap_err().message,
            b"trailing \\ in string"
        );
    }

    #[test]
    fn escape_matches_python_escape_encode() {
        assert_eq!(
            escape(b"a'\"\\\t\n\r\x00\x7f\x80\xff"),
            b"a\\'\"\\\\\\t\\n\\r\\x00\\x7f\\x80\\xff".to_vec()
        );
    }
}
