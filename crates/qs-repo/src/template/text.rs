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
        Some(sep) if sep.is_empty() => vec![text.to_vec()],
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

/// Python `textwrap.fill` as hg's `stringutil.wrap` configures it
/// (whitespace runs are break points; words longer than the width are
/// cut).
pub fn wrap(line: &[u8], width: usize, initindent: &[u8], hangindent: &[u8]) -> Vec<u8> {
    let maxindent = initindent.len().max(hangindent.len());
    let width = if width <= maxindent {
        78.max(maxindent + 1)
    } else {
        width
    };
    // expand_tabs then replace_whitespace.
    let mut text = Vec::with_capacity(line.len());
    for &b in line {
        match b {
            b'\t' => {
                let col = text.len() - text.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
                let n = 8 - col % 8;
                text.extend(std::iter::repeat_n(b' ', n));
            }
            b'\n' | 0x0b | 0x0c | b'\r' => text.push(b' '),
            _ => text.push(b),
        }
    }
    // Chunks: alternating runs of spaces and non-spaces.
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let space = text[i] == b' ';
        let start = i;
        while i < text.len() && (text[i] == b' ') == space {
            i += 1;
        }
        chunks.push(text[start..i].to_vec());
    }
    chunks.reverse();
    let mut lines: Vec<Vec<u8>> = Vec::new();
    while !chunks.is_empty() {
        let indent = if lines.is_empty() { initindent } else { hangindent };
        let w = width.saturating_sub(indent.len());
        if !lines.is_empty() && chunks.last().is_some_and(|c| c.iter().all(|&b| b == b' ')) {
            chunks.pop();
        }
        let mut cur: Vec<Vec<u8>> = Vec::new();
        let mut cur_len = 0;
        while let Some(last) = chunks.last() {
            if cur_len + last.len() <= w {
                cur_len += last.len();
                if let Some(c) = chunks.pop() {
                    cur.push(c);
                }
            } else {
                break;
            }
        }
        if let Some(last) = chunks.last_mut() {
            if last.len() > w {
                let space_left = if w < 1 { 1 } else { (w - cur_len).max(1) };
                let head = last[..space_left.min(last.len())].to_vec();
                let tail = last[space_left.min(last.len())..].to_vec();
                cur.push(head);
                *last = tail;
                if last.is_empty() {
                    chunks.pop();
                }
            }
        }
        if cur.last().is_some_and(|c| c.iter().all(|&b| b == b' ')) {
            cur.pop();
        }
        if !cur.is_empty() {
            let mut l = indent.to_vec();
            for c in cur {
                l.extend_from_slice(&c);
            }
            lines.push(l);
        }
    }
    lines.join(&b'\n')
}

/// hg's `templatefilters.fill`: wraps each paragraph (separated by blank
/// lines or list bullets) to `width`.
pub fn fill(text: &[u8], width: usize, initindent: &[u8], hangindent: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut start = 0;
    loop {
        match find_para_break(text, start) {
            Some((m_start, m_end)) => {
                let para = &text[start..m_start];
                out.extend_from_slice(&wrap_para(para, width, initindent, hangindent));
                out.extend_from_slice(&text[m_start..m_end]);
                start = m_end;
            }
            None => {
                let rest = &text[start..];
                let w = rest.iter().rposition(|&b| !is_py_space(b)).map_or(0, |p| p + 1);
                out.extend_from_slice(&wrap_para(&rest[..w], width, initindent, hangindent));
                out.extend_from_slice(&rest[w..]);
                break;
            }
        }
    }
    out
}

fn wrap_para(para: &[u8], width: usize, initindent: &[u8], hangindent: &[u8]) -> Vec<u8> {
    let once = wrap(para, width, b"", b"");
    let mut squeezed = Vec::with_capacity(once.len());
    for &b in &once {
        if b == b' ' && squeezed.last() == Some(&b' ') {
            // "  +" -> " ": keep one of a run.
            continue;
        }
        squeezed.push(b);
    }
    wrap(&squeezed, width, initindent, hangindent)
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
            // Backtrack like the regex: \s* is greedy but may give back.
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
        assert_eq!(splitlines(b"a\r\nb\n\nc"), vec![b"a".to_vec(), b"b".to_vec(), b"".to_vec(), b"c".to_vec()]);
        assert_eq!(indent(b"a\n\nb\n", b"> ", b"* "), b"* a\n\n> b\n");
        assert_eq!(json_escape("é<".as_bytes(), true), b"\\u00e9\\u003c");
        assert_eq!(json_escape(b"\xdd", true), b"\\udcdd");
        assert_eq!(url_quote(b"a b/c", b"/"), b"a%20b/c");
        assert_eq!(wrap(b"aaa bbb ccc", 7, b"", b""), b"aaa bbb\nccc");
    }
}
