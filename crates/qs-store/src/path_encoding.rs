//! Store path encoding: how a filelog's logical name (`data/PATH.i`) is
//! turned into a file name under `.hg/store`, so that any tracked path can
//! be stored on case-insensitive file systems, Windows, and within path
//! length limits. Facts from hg's `store.py`: the "fncache" encoding escapes
//! uppercase (`_x`), `_` (`__`), bytes outside printable ASCII and
//! `\:*?"<>|` (`~xx`), Windows reserved names and trailing dots/spaces;
//! `dotencode` also escapes a leading `.` or space; paths whose encoded form
//! exceeds 120 bytes get the hashed form under `dh/`.

use sha1::{Digest, Sha1};

/// The encodings a store may use (from its requirements).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// No `store` requirement: names as given (directories escaped).
    Plain,
    /// `store` without `fncache`: character escaping only.
    Store,
    /// `store` + `fncache`.
    Fncache,
    /// `store` + `fncache` + `dotencode` (hg's default).
    FncacheDotencode,
}

const MAX_STORE_PATH_LEN: usize = 120;
const DIR_PREFIX_LEN: usize = 8;
const MAX_SHORT_DIRS_LEN: usize = 8 * (DIR_PREFIX_LEN + 1) - 4;

/// Encodes a logical store path (`data/foo/Bar.i`) for the given encoding.
pub fn encode(path: &[u8], encoding: Encoding) -> Vec<u8> {
    let dir_encoded = encode_dir(path);
    match encoding {
        Encoding::Plain => dir_encoded,
        Encoding::Store => encode_filename(&dir_encoded),
        Encoding::Fncache | Encoding::FncacheDotencode => {
            let dotencode = encoding == Encoding::FncacheDotencode;
            if path.len() > MAX_STORE_PATH_LEN {
                return hash_encode(&dir_encoded, dotencode);
            }
            let escaped = encode_filename(&dir_encoded);
            let parts: Vec<Vec<u8>> = escaped
                .split(|&b| b == b'/')
                .map(|p| aux_encode(p, dotencode))
                .collect();
            let joined = parts.join(&b'/');
            if joined.len() > MAX_STORE_PATH_LEN {
                hash_encode(&dir_encoded, dotencode)
            } else {
                joined
            }
        }
    }
}

/// Escapes directory names that would clash with revlog files:
/// `x.hg/` → `x.hg.hg/`, `x.i/` → `x.i.hg/`, `x.d/` → `x.d.hg/`.
pub fn encode_dir(path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len() + 8);
    let mut i = 0;
    while i < path.len() {
        let rest = &path[i..];
        let suffix = [&b".hg/"[..], b".i/", b".d/"]
            .into_iter()
            .find(|s| rest.starts_with(s));
        match suffix {
            Some(s) => {
                out.extend_from_slice(&s[..s.len() - 1]);
                out.extend_from_slice(b".hg/");
                i += s.len();
            }
            None => {
                out.push(path[i]);
                i += 1;
            }
        }
    }
    out
}

fn is_reserved_byte(b: u8) -> bool {
    !(32..126).contains(&b) || b"\\:*?\"<>|".contains(&b)
}

fn push_escape(out: &mut Vec<u8>, b: u8) {
    out.extend_from_slice(format!("~{b:02x}").as_bytes());
}

/// The character-level escaping of the "store" encoding.
pub fn encode_filename(path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len() + 8);
    for &b in path {
        if b.is_ascii_uppercase() {
            out.push(b'_');
            out.push(b.to_ascii_lowercase());
        } else if b == b'_' {
            out.extend_from_slice(b"__");
        } else if is_reserved_byte(b) {
            push_escape(&mut out, b);
        } else {
            out.push(b);
        }
    }
    out
}

/// Like `encode_filename`, but folds uppercase to lowercase (hashed form).
fn lower_encode(path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len());
    for &b in path {
        if b.is_ascii_uppercase() {
            out.push(b.to_ascii_lowercase());
        } else if is_reserved_byte(b) {
            push_escape(&mut out, b);
        } else {
            out.push(b);
        }
    }
    out
}

/// Escapes one path component for Windows: reserved device names, a
/// trailing dot or space, and (with dotencode) a leading dot or space.
fn aux_encode(component: &[u8], dotencode: bool) -> Vec<u8> {
    let mut n = component.to_vec();
    if n.is_empty() {
        return n;
    }
    if dotencode && (n[0] == b'.' || n[0] == b' ') {
        let first = n[0];
        let mut e = Vec::new();
        push_escape(&mut e, first);
        e.extend_from_slice(&n[1..]);
        n = e;
    } else {
        let stem_len = n.iter().position(|&b| b == b'.').unwrap_or(n.len());
        let reserved3 = stem_len == 3 && [&b"aux"[..], b"con", b"prn", b"nul"].contains(&&n[..3]);
        let reserved4 = stem_len == 4
            && (b'1'..=b'9').contains(&n[3])
            && [&b"com"[..], b"lpt"].contains(&&n[..3]);
        if reserved3 || reserved4 {
            let third = n[2];
            let mut e = n[..2].to_vec();
            push_escape(&mut e, third);
            e.extend_from_slice(&n[3..]);
            n = e;
        }
    }
    if let Some(&last) = n.last() {
        if last == b'.' || last == b' ' {
            n.pop();
            push_escape(&mut n, last);
        }
    }
    n
}

/// The hashed form for long paths: `dh/` + shortened directories + a
/// filler from the base name + the SHA-1 of the full path + extension.
fn hash_encode(path: &[u8], dotencode: bool) -> Vec<u8> {
    let digest: String = Sha1::digest(path)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let without_prefix = path.get(5..).unwrap_or(b"");
    let parts: Vec<Vec<u8>> = lower_encode(without_prefix)
        .split(|&b| b == b'/')
        .map(|p| aux_encode(p, dotencode))
        .collect();
    let basename: &[u8] = parts.last().map_or(b"", Vec::as_slice);
    let ext = extension(basename);
    let mut short_dirs: Vec<Vec<u8>> = Vec::new();
    let mut short_len = 0;
    for part in &parts[..parts.len().saturating_sub(1)] {
        let mut d = part[..part.len().min(DIR_PREFIX_LEN)].to_vec();
        if let Some(last) = d.last_mut() {
            if *last == b'.' || *last == b' ' {
                *last = b'_';
            }
        }
        let total = if short_len == 0 {
            d.len()
        } else {
            short_len + 1 + d.len()
        };
        if short_len != 0 && total > MAX_SHORT_DIRS_LEN {
            break;
        }
        short_dirs.push(d);
        short_len = total;
    }
    let mut dirs = short_dirs.join(&b'/');
    if !dirs.is_empty() {
        dirs.push(b'/');
    }
    let mut res = b"dh/".to_vec();
    res.extend_from_slice(&dirs);
    res.extend_from_slice(digest.as_bytes());
    res.extend_from_slice(ext);
    let space_left = MAX_STORE_PATH_LEN as isize - res.len() as isize;
    if space_left > 0 {
        let filler = &basename[..basename.len().min(space_left as usize)];
        let mut with_filler = b"dh/".to_vec();
        with_filler.extend_from_slice(&dirs);
        with_filler.extend_from_slice(filler);
        with_filler.extend_from_slice(digest.as_bytes());
        with_filler.extend_from_slice(ext);
        res = with_filler;
    }
    res
}

/// Python's `os.path.splitext` extension: from the last dot, unless that
/// dot only follows leading dots.
fn extension(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b'.') {
        Some(i) if name[..i].iter().any(|&b| b != b'.') => &name[i..],
        _ => b"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fnc(p: &str) -> String {
        String::from_utf8_lossy(&encode(p.as_bytes(), Encoding::FncacheDotencode)).into_owned()
    }

    #[test]
    fn escapes_like_hg() {
        assert_eq!(fnc("data/Foo_bar.txt.i"), "data/_foo__bar.txt.i");
        assert_eq!(fnc("data/aux.i"), "data/au~78.i");
        assert_eq!(fnc("data/con.txt.i"), "data/co~6e.txt.i");
        assert_eq!(fnc("data/com1/x.i"), "data/co~6d1/x.i");
        assert_eq!(fnc("data/.hgtags.i"), "data/~2ehgtags.i");
        assert_eq!(fnc("data/ lead.i"), "data/~20lead.i");
        assert_eq!(fnc("data/a./b.i"), "data/a~2e/b.i");
        assert_eq!(fnc("data/t~ilde.i"), "data/t~7eilde.i");
        assert_eq!(fnc("data/dir.i/f.i"), "data/dir.i.hg/f.i");
    }

    #[test]
    fn long_paths_are_hashed() {
        let long = format!("data/{}/{}.txt.i", "d".repeat(60), "F".repeat(70));
        let enc = fnc(&long);
        assert!(enc.starts_with("dh/dddddddd/"), "{enc}");
        assert!(enc.ends_with(".i"));
        assert!(enc.len() <= MAX_STORE_PATH_LEN);
    }
}
