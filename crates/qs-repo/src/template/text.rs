//! Byte-string helpers behind template filters, matching the Python
//! functions hg uses: `str.strip`/`split`/`splitlines`, `textwrap`-style
//! filling, JSON and URL escaping, `escape_encode`.

/// Python's `bytes.isspace` for one byte.
pub fn is_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// `bytes.strip()` (whitespace) or `bytes.strip(chars)`.
pub fn strip<'a>(text: &'a [u8], chars: Option<&[u8]>) -> &'a [u8] {
    let keep = |b: &u8| match chars {
        Some(cs) => !cs.contains(b),
        None => !is_py_space(*b),
    };
    let start = text.iter().position(keep).unwrap_or(text.len());
    let end = text.iter().rposition(keep).map_or(start, |i| i + 1);
    &text[start..end.max(start)]
}

/// `bytes.split()` (runs of whitespace) or `bytes.split(sep)`.
pub fn split(text: &[u8], sep: Option<&[u8]>) -> Vec<Vec<u8>> {
    match sep {
        None => text
            .split(|b| is_py_space(*b))
            .filter(|w| !w.is_empty())
            .map(<[u8]>::to_vec)
            .collect(),
        Some([]) => vec![text.to_vec()],
        Some(sep) => {
            let mut out = Vec::new();
            let mut rest = text;
            while let Some(i) = find(rest, sep) {
                out.push(rest[..i].to_vec());
                rest = &rest[i + sep.len()..];
            }
            out.push(rest.to_vec());
            out
        }
    }
}

/// Position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `bytes.replace`.
pub fn replace(text: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = find(rest, from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
        if from.is_empty() {
            break;
        }
    }
    out.extend_from_slice(rest);
    out
}

/// `bytes.splitlines()` (without line ends).
pub fn splitlines(text: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\r' => {
                out.push(text[start..i].to_vec());
                if text.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            b'\n' | 0x0b | 0x0c | 0x1c | 0x1d | 0x1e => {
                out.push(text[start..i].to_vec());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push(text[start..].to_vec());
    }
    out
}

/// hg's `indent`: prefix non-blank lines (`firstline` for the first).
pub fn indent(text: &[u8], prefix: &[u8], firstline: &[u8]) -> Vec<u8> {
    let lines = splitlines(text);
    let ends_nl = text.last() == Some(&b'\n');
    let mut out = Vec::with_capacity(text.len() + lines.len() * prefix.len());
    let n = lines.len();
    for (i, l) in lines.iter().enumerate() {
        if !strip(l, None).is_empty() {
            out.extend_from_slice(if i > 0 { prefix } else { firstline });
        }
        out.extend_from_slice(l);
        if i + 1 < n || ends_nl {
            out.push(b'\n');
        }
    }
    out
}

/// Python's `codecs.escape_encode` (hg's `stringescape`).
pub fn escapestr(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    for &b in value {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\'' => out.extend_from_slice(b"\\'"),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    out
}

/// Decodes UTF-8 the way hg's `toutf8b` + Python do for JSON: invalid
/// bytes become lone surrogates U+DC80..U+DCFF.
fn utf8b_chars(s: &[u8]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.extend(valid.chars().map(|c| c as u32));
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                if let Ok(valid) = std::str::from_utf8(good) {
                    out.extend(valid.chars().map(|c| c as u32));
                }
                let n = e.error_len().unwrap_or(bad.len()).max(1);
                for &b in &bad[..n.min(bad.len())] {
                    out.push(0xdc00 + u32::from(b));
                }
                rest = &bad[n.min(bad.len())..];
            }
        }
    }
    out
}

/// hg's `encoding.jsonescape`.
pub fn json_escape(s: &[u8], paranoid: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    let simple = |out: &mut Vec<u8>, b: u8| match b {
        b'\t' => out.extend_from_slice(b"\\t"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'<' if paranoid => out.extend_from_slice(b"\\u003c"),
        b'>' if paranoid => out.extend_from_slice(b"\\u003e"),
        0..=0x1f | 0x7f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        _ => out.push(b),
    };
    if s.is_ascii() {
        for &b in s {
            simple(&mut out, b);
        }
        return out;
    }
    for c in utf8b_chars(s) {
        if c < 0x80 {
            simple(&mut out, c as u8);
        } else if paranoid {
            if c >= 0x10000 {
                let v = c - 0x10000;
                let hi = 0xd800 + (v >> 10);
                let lo = 0xdc00 + (v & 0x3ff);
                out.extend_from_slice(format!("\\u{hi:04x}\\u{lo:04x}").as_bytes());
            } else {
                out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
            }
        } else {
            // UTF-8 (surrogates as Python's surrogatepass would write them).
            let mut buf = [0u8; 4];
            match char::from_u32(c) {
                Some(ch) => out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes()),
                None => out.extend_from_slice(&[
                    0xe0 | (c >> 12) as u8,
                    0x80 | ((c >> 6) & 0x3f) as u8,
                    0x80 | (c & 0x3f) as u8,
                ]),
            }
        }
    }
    out
}

/// Python's `urllib.parse.quote(text, safe)`: letters, digits, `_.-~`
/// and the `safe` bytes stay, the rest become `%XX`.
pub fn url_quote(text: &[u8], safe: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for &b in text {
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) || safe.contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// hg's `url.escape(text, quote=True)` (HTML escaping).
pub fn html_escape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for &b in text {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\'' => out.extend_from_slice(b"&#x27;"),
            _ => out.push(b),
        }
    }
    out
}

/// hg's `encoding.fromlocal` check: the text as UTF-8, or hg's
/// `decoding near '...': ...!` message.
pub fn decode_local(s: &[u8]) -> Result<&str, Vec<u8>> {
    match std::str::from_utf8(s) {
        Ok(t) => Ok(t),
        Err(e) => {
            let start = e.valid_up_to();
            let first = s.get(start).copied().unwrap_or(0);
            let (span, reason) = match e.error_len() {
                None => (s.len() - start, "unexpected end of data"),
                Some(n) => {
                    let invalid_start = matches!(first, 0x80..=0xc1 | 0xf5..=0xff);
                    (
                        n,
                        if invalid_start {
                            "invalid start byte"
                        } else {
                            "invalid continuation byte"
                        },
                    )
                }
            };
            let what = if span <= 1 {
                format!("byte 0x{first:02x} in position {start}")
            } else {
                format!("bytes in position {}-{}", start, start + span - 1)
            };
            let mut msg = b"decoding near '".to_vec();
            msg.extend_from_slice(&s[start.saturating_sub(10)..(start + 10).min(s.len())]);
            msg.extend_from_slice(
                format!("': 'utf-8' codec can't decode {what}: {reason}!").as_bytes(),
            );
            Err(msg)
        }
    }
}

/// Terminal columns of a character (East Asian wide and fullwidth: 2).
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115f
            | 0x2e80..=0x303e
            | 0x3041..=0x33ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xa000..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6
            | 0x1f300..=0x1f64f
            | 0x1f900..=0x1f9ff
            | 0x20000..=0x3fffd);
    if wide {
        2
    } else {
        1
    }
}

fn width_of(chars: &[char]) -> usize {
    chars.iter().map(|&c| char_width(c)).sum()
}

fn is_letter(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphabetic())
}

/// Splits a run of non-spaces after hyphens the way Python's
/// `TextWrapper.wordsep_re` does (`two-letter-` prefixes before letters).
fn split_hyphenated(word: &[char], out: &mut Vec<Vec<char>>) {
    let mut start = 0;
    for i in 0..word.len() {
        if word[i] != '-' || i < 2 {
            continue;
        }
        let before = (is_letter(word.get(i - 1)) && is_letter(word.get(i - 2)))
            || (i >= 3
                && is_letter(word.get(i - 1))
                && word[i - 2] == '-'
                && is_letter(word.get(i - 3)));
        let after = is_letter(word.get(i + 1))
            && (is_letter(word.get(i + 2))
                || (word.get(i + 2) == Some(&'-') && is_letter(word.get(i + 3))));
        if before && after && i + 1 > start {
            out.push(word[start..=i].to_vec());
            start = i + 1;
        }
    }
    if start < word.len() {
        out.push(word[start..].to_vec());
    }
}

/// Python `textwrap.fill` as hg's `stringutil.wrap` configures it
/// (column widths, hyphenated words may break, over-long words are cut).
pub fn wrap(line: &str, width: usize, initindent: &str, hangindent: &str) -> String {
    let maxindent = initindent.chars().count().max(hangindent.chars().count());
    let width = if width <= maxindent {
        78.max(maxindent + 1)
    } else {
        width
    };
    let mut text: Vec<char> = Vec::with_capacity(line.len());
    let mut col = 0;
    for c in line.chars() {
        match c {
            '\t' => {
                let n = 8 - col % 8;
                text.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' | '\r' => {
                text.push(' ');
                col = 0;
            }
            '\u{0b}' | '\u{0c}' => {
                text.push(' ');
                col += 1;
            }
            _ => {
                text.push(c);
                col += 1;
            }
        }
    }
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}');
    let mut chunks: Vec<Vec<char>> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let space = is_ws(text[i]);
        let start = i;
        while i < text.len() && is_ws(text[i]) == space {
            i += 1;
        }
        if space {
            chunks.push(text[start..i].to_vec());
        } else {
            split_hyphenated(&text[start..i], &mut chunks);
        }
    }
    chunks.reverse();
    let all_space = |c: &Vec<char>| c.iter().all(|&x| is_ws(x));
    let mut lines: Vec<String> = Vec::new();
    while !chunks.is_empty() {
        let indent = if lines.is_empty() {
            initindent
        } else {
            hangindent
        };
        let w = width.saturating_sub(indent.chars().count());
        if !lines.is_empty() && chunks.last().is_some_and(all_space) {
            chunks.pop();
        }
        let mut cur: Vec<Vec<char>> = Vec::new();
        let mut cur_len = 0;
        while let Some(last) = chunks.last() {
            let l = width_of(last);
            if cur_len + l <= w {
                cur_len += l;
                if let Some(c) = chunks.pop() {
                    cur.push(c);
                }
            } else {
                break;
            }
        }
        if let Some(last) = chunks.last_mut() {
            if width_of(last) > w {
                let space_left = if w > cur_len { w - cur_len } else { 1 }.max(1);
                let mut l = 0;
                let mut cut = last.len();
                for (k, &c) in last.iter().enumerate() {
                    l += char_width(c);
                    if space_left < l {
                        cut = k;
                        break;
                    }
                }
                let tail = last.split_off(cut);
                let head = std::mem::replace(last, tail);
                cur.push(head);
                if last.is_empty() {
                    chunks.pop();
                }
            }
        }
        if cur.last().is_some_and(all_space) {
            cur.pop();
        }
        if !cur.is_empty() {
            let mut l = indent.to_string();
            for c in cur {
                l.extend(c);
            }
            lines.push(l);
        }
    }
    lines.join("\n")
}

/// hg's `templatefilters.fill`: wraps each paragraph (separated by blank
/// lines or list bullets) to `width`.
pub fn fill(
    text: &[u8],
    width: usize,
    initindent: &[u8],
    hangindent: &[u8],
) -> Result<Vec<u8>, Vec<u8>> {
    let init = decode_local(initindent)?;
    let hang = decode_local(hangindent)?;
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut start = 0;
    loop {
        match find_para_break(text, start) {
            Some((m_start, m_end)) => {
                let para = decode_local(&text[start..m_start])?;
                out.extend_from_slice(wrap_para(para, width, init, hang).as_bytes());
                out.extend_from_slice(&text[m_start..m_end]);
                start = m_end;
            }
            None => {
                let rest = decode_local(&text[start..])?;
                let w = rest.trim_end_matches(char::is_whitespace);
                out.extend_from_slice(wrap_para(w, width, init, hang).as_bytes());
                out.extend_from_slice(&rest.as_bytes()[w.len()..]);
                break;
            }
        }
    }
    Ok(out)
}

fn wrap_para(para: &str, width: usize, initindent: &str, hangindent: &str) -> String {
    let once = wrap(para, width, "", "");
    let mut squeezed = String::with_capacity(once.len());
    for c in once.chars() {
        if c == ' ' && squeezed.ends_with("  ") {
            continue;
        }
        squeezed.push(c);
    }
    // `  +` becomes one space.
    let mut single = String::with_capacity(squeezed.len());
    for c in squeezed.chars() {
        if c == ' ' && single.ends_with(' ') {
            continue;
        }
        single.push(c);
    }
    wrap(&single, width, initindent, hangindent)
}

/// The next match of `(\n\n|\n\s*[-*]\s*)` from `start`: (start, end).
fn find_para_break(text: &[u8], start: usize) -> Option<(usize, usize)> {
    let mut i = start;
    while i < text.len() {
        if text[i] == b'\n' {
            if text.get(i + 1) == Some(&b'\n') {
                return Some((i, i + 2));
            }
            let mut j = i + 1;
            while j < text.len() && is_py_space(text[j]) {
                j += 1;
            }
            let mut k = j;
            loop {
                if k < text.len() && (text[k] == b'-' || text[k] == b'*') {
                    let mut e = k + 1;
                    while e < text.len() && is_py_space(text[e]) {
                        e += 1;
                    }
                    return Some((i, e));
                }
                if k == i + 1 {
                    break;
                }
                k -= 1;
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_string_helpers() {
        assert_eq!(strip(b"  a b \n", None), b"a b");
        assert_eq!(split(b" a  b ", None), vec![b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(split(b"a,,b", Some(b",")).len(), 3);
        assert_eq!(
            splitlines(b"a\r\nb\n\nc"),
            vec![b"a".to_vec(), b"b".to_vec(), b"".to_vec(), b"c".to_vec()]
        );
        assert_eq!(indent(b"a\n\nb\n", b"> ", b"* "), b"* a\n\n> b\n");
        assert_eq!(json_escape("é<".as_bytes(), true), b"\\u00e9\\u003c");
        assert_eq!(json_escape(b"\xdd", true), b"\\udcdd");
        assert_eq!(url_quote(b"a b/c", b"/"), b"a%20b/c");
        assert_eq!(wrap("aaa bbb ccc", 7, "", ""), "aaa bbb\nccc");
        assert_eq!(
            wrap("remove short-lived", 15, "", ""),
            "remove short-\nlived"
        );
        assert!(decode_local(b"ab\xe9cd").is_err());
    }
}
