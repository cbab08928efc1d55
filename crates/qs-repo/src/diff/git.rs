//! The pieces of git's extended diff format hg writes with `--git`:
//! file modes, blob hashes for `index` lines, and `GIT binary patch`
//! literals (zlib-compressed, base85-encoded in lines of at most 52
//! bytes).

use std::io::Write;

use sha1::{Digest, Sha1};

/// The git mode of hg manifest flags (`l`, `x` or none).
pub fn mode(flags: &[u8]) -> &'static str {
    match flags {
        b"l" => "120000",
        b"x" => "100755",
        _ => "100644",
    }
}

/// The git blob hash of a content (hex), as an `index` line shows it.
pub fn blob_hash(content: Option<&[u8]>) -> String {
    let content = content.unwrap_or_default();
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", content.len()).as_bytes());
    hasher.update(content);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const ALPHABET: &[u8; 85] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

/// Base85 of `data`, padded with zero bytes to a multiple of 4 and every
/// 5-character group kept (hg's `b85encode(text, pad=True)`).
pub fn base85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(4) * 5);
    for chunk in data.chunks(4) {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        let mut value = u32::from_be_bytes(word);
        let mut group = [0u8; 5];
        for slot in group.iter_mut().rev() {
            *slot = ALPHABET[(value % 85) as usize];
            value /= 85;
        }
        out.extend_from_slice(&group);
    }
    out
}

/// hg's `b85diff`: a `GIT binary patch` giving the new content as a
/// literal; empty when both sides are equal.
pub fn binary_patch(old: Option<&[u8]>, new: Option<&[u8]>) -> Vec<u8> {
    let old = old.unwrap_or_default();
    let new = new.unwrap_or_default();
    if old == new {
        return Vec::new();
    }
    let mut out = b"GIT binary patch\n".to_vec();
    out.extend_from_slice(format!("literal {}\n", new.len()).as_bytes());
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    let compressed: Vec<u8> = encoder
        .write_all(new)
        .and_then(|()| encoder.finish())
        .unwrap_or_default();
    for chunk in compressed.chunks(52) {
        let n = chunk.len() as u8;
        out.push(if n <= 26 { b'A' + n - 1 } else { b'a' + n - 27 });
        out.extend_from_slice(&base85(chunk));
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base85_pads_like_hg() {
        // Values from hg's `util.b85encode(..., True)`.
        assert_eq!(base85(b"a"), b"VE_OC");
        assert_eq!(base85(b"\0\0\0\0"), b"00000");
        assert_eq!(base85(b"hello"), b"Xk~0{ZvX%Q");
    }

    #[test]
    fn blob_hash_of_nothing() {
        assert_eq!(blob_hash(None), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        assert_eq!(mode(b"x"), "100755");
    }
}
