//! Changelog entries: the text stored for each changeset.
//!
//! Layout (see `internals/revlogs.txt` and hg's changelog): the manifest
//! node in hex, the user, `TIME TZ [EXTRA]`, one changed file per line, an
//! empty line, then the description. EXTRA is `key:value` pairs separated
//! by NUL, with `\\`, `\n`, `\r` and `\0` escaped. TZ is seconds west of UTC.

use crate::node::Node;

/// One parsed changelog entry, borrowing the revision text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangelogEntry<'a> {
    pub manifest_node: Node,
    pub user: &'a [u8],
    /// Seconds since the epoch (fractions, which old repositories may have,
    /// are dropped).
    pub time: i64,
    /// Seconds west of UTC.
    pub timezone: i32,
    extra_raw: Option<&'a [u8]>,
    files_raw: &'a [u8],
    pub description: &'a [u8],
}

impl<'a> ChangelogEntry<'a> {
    /// Parses a changelog revision text.
    pub fn parse(text: &'a [u8]) -> Result<ChangelogEntry<'a>, String> {
        let split = find(text, b"\n\n").ok_or("changeset text has no description separator")?;
        let (head, description) = (&text[..split], &text[split + 2..]);
        let mut lines = head.splitn(4, |&b| b == b'\n');
        let manifest_hex = lines.next().ok_or("missing manifest line")?;
        let manifest_node = if manifest_hex.is_empty() {
            crate::node::NULL_NODE
        } else {
            Node::from_hex(manifest_hex).ok_or("malformed manifest node")?
        };
        let user = lines.next().ok_or("missing user line")?;
        let date_line = lines.next().ok_or("missing date line")?;
        let files_raw = lines.next().unwrap_or(b"");
        let mut date_fields = date_line.splitn(3, |&b| b == b' ');
        let time_text = date_fields.next().unwrap_or(b"");
        let time = parse_time(time_text).ok_or("malformed date")?;
        let timezone = match date_fields.next() {
            Some(tz) => std::str::from_utf8(tz)
                .ok()
                .and_then(|s| s.parse::<i32>().ok())
                .ok_or("malformed timezone")?,
            None => 0,
        };
        let extra_raw = date_fields.next();
        Ok(ChangelogEntry {
            manifest_node,
            user,
            time,
            timezone,
            extra_raw,
            files_raw,
            description,
        })
    }

    /// The changed files, in stored order.
    pub fn files(&self) -> impl Iterator<Item = &'a [u8]> {
        let raw = self.files_raw;
        raw.split(|&b| b == b'\n').filter(|f| !f.is_empty())
    }

    /// Extra fields (unescaped), in stored order; `branch` is only present
    /// when stored (the default is `default`).
    pub fn extra(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let Some(raw) = self.extra_raw else {
            return Vec::new();
        };
        let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for item in raw.split(|&b| b == 0) {
            if item.is_empty() {
                continue;
            }
            let decoded = unescape(item);
            if let Some(colon) = decoded.iter().position(|&b| b == b':') {
                let key = decoded[..colon].to_vec();
                let value = decoded[colon + 1..].to_vec();
                match out.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = value,
                    None => out.push((key, value)),
                }
            }
        }
        out
    }

    /// The named branch (`default` when not recorded).
    pub fn branch(&self) -> Vec<u8> {
        self.extra()
            .into_iter()
            .find(|(k, _)| k == b"branch")
            .map_or_else(|| b"default".to_vec(), |(_, v)| v)
    }

    /// True if the changeset closes its branch.
    pub fn is_close(&self) -> bool {
        self.extra().iter().any(|(k, _)| k == b"close")
    }
}

fn parse_time(text: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(text).ok()?;
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let f: f64 = s.parse().ok()?;
    if f.is_finite() && f.abs() < 1e17 {
        Some(f.trunc() as i64)
    } else {
        None
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Undoes the escaping of extra values: `\0`, `\\`, `\n`, `\r`, `\t`,
/// `\xNN` and octal escapes, as Python's `escape_decode` does.
fn unescape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b != b'\\' || i + 1 == text.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let next = text[i + 1];
        i += 2;
        match next {
            b'\\' => out.push(b'\\'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'x' => {
                let hex = text.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.extend_from_slice(b"\\x"),
                }
            }
            b'0'..=b'7' => {
                let mut value = u32::from(next - b'0');
                let mut digits = 1;
                while digits < 3 && i < text.len() && (b'0'..=b'7').contains(&text[i]) {
                    value = value * 8 + u32::from(text[i] - b'0');
                    i += 1;
                    digits += 1;
                }
                out.push((value & 0xff) as u8);
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_entry() {
        let text = b"0123456789abcdef0123456789abcdef01234567\nAlice <a@x>\n1000000 -3600 branch:feat\0close:1\0k:a\\nb\\0c\na\nb/c\n\nsummary\n\nbody";
        let e = ChangelogEntry::parse(text).expect("parses");
        assert_eq!(e.user, b"Alice <a@x>");
        assert_eq!((e.time, e.timezone), (1_000_000, -3600));
        assert_eq!(e.files().collect::<Vec<_>>(), vec![&b"a"[..], b"b/c"]);
        assert_eq!(e.branch(), b"feat");
        assert!(e.is_close());
        assert!(e.extra().contains(&(b"k".to_vec(), b"a\nb\0c".to_vec())));
        assert_eq!(e.description, b"summary\n\nbody");
    }

    #[test]
    fn no_files_and_defaults() {
        let text = b"0123456789abcdef0123456789abcdef01234567\nbob\n5 0\n\ndesc";
        let e = ChangelogEntry::parse(text).expect("parses");
        assert_eq!(e.files().count(), 0);
        assert_eq!(e.branch(), b"default");
        assert!(!e.is_close());
    }

    #[test]
    fn rejects_garbage() {
        assert!(ChangelogEntry::parse(b"").is_err());
        assert!(ChangelogEntry::parse(b"zz\nu\n0 0\n\nd").is_err());
        assert!(ChangelogEntry::parse(b"\nu\nnotatime 0\n\nd").is_err());
    }
}
