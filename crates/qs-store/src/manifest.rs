//! Manifests: the sorted list of files of a revision, one line each:
//! `PATH \0 HEX-FILENODE FLAGS \n`, where FLAGS is empty, `l` (symlink),
//! `x` (executable) or `t` (tree, for tree manifests).
//!
//! A `Manifest` keeps the text and the start of each line; entries are
//! decoded on demand, and lookups are binary searches.

use std::cmp::Ordering;

use crate::node::Node;

/// A parsed (validated) manifest text.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    text: Vec<u8>,
    /// Start offset of each line and the offset of its NUL separator.
    lines: Vec<(usize, usize)>,
}

/// One difference between two manifests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffEntry<'a> {
    Added(&'a [u8]),
    Removed(&'a [u8]),
    /// Different file node or flags.
    Modified(&'a [u8]),
}

impl Manifest {
    /// The manifest of the null revision.
    pub fn empty() -> Manifest {
        Manifest::default()
    }

    /// Validates `text` and indexes its lines.
    pub fn parse(text: Vec<u8>) -> Result<Manifest, String> {
        // About 70 bytes a line in practice; a guess that avoids regrowing.
        let mut lines = Vec::with_capacity(text.len() / 64 + 1);
        let mut start = 0;
        let mut previous: &[u8] = &[];
        for end in memchr::memchr_iter(b'\n', &text) {
            let line = &text[start..end];
            let nul = validate_line(line)
                .ok_or_else(|| format!("malformed manifest line at byte {start}"))?;
            let path = &line[..nul];
            if !lines.is_empty() && previous >= path {
                return Err(format!("manifest not sorted at byte {start}"));
            }
            previous = path;
            lines.push((start, start + nul));
            start = end + 1;
        }
        if start != text.len() {
            return Err("manifest does not end with a newline".into());
        }
        Ok(Manifest { text, lines })
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn line(&self, i: usize) -> (&[u8], Node, &[u8]) {
        let (start, nul) = self.lines[i];
        let path = &self.text[start..nul];
        let hex = &self.text[nul + 1..nul + 41];
        // Lines were validated in `parse`: the node is hex, flags follow.
        let node = Node::from_hex(hex).unwrap_or_default();
        let end = self.lines.get(i + 1).map_or(self.text.len(), |&(s, _)| s) - 1;
        (path, node, &self.text[nul + 41..end])
    }

    /// The path of entry `i` (no node decoding).
    fn path(&self, i: usize) -> &[u8] {
        let (start, nul) = self.lines[i];
        &self.text[start..nul]
    }

    /// Every path, in order, without decoding nodes.
    pub fn paths(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.lines.len()).map(move |i| self.path(i))
    }

    /// Every entry (path, file node, flags) in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], Node, &[u8])> + '_ {
        (0..self.lines.len()).map(move |i| self.line(i))
    }

    /// The file node and flags of `path`.
    pub fn get(&self, path: &[u8]) -> Option<(Node, &[u8])> {
        let i = self
            .lines
            .binary_search_by(|&(start, nul)| self.text[start..nul].cmp(path))
            .ok()?;
        let (_, node, flags) = self.line(i);
        Some((node, flags))
    }

    /// Files that differ between `self` (old) and `other` (new), in path order.
    pub fn diff<'s>(&'s self, other: &'s Manifest) -> Vec<DiffEntry<'s>> {
        let mut out = Vec::new();
        let (mut a, mut b) = (self.iter().peekable(), other.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(&(p, _, _)), None) => {
                    out.push(DiffEntry::Removed(p));
                    a.next();
                }
                (None, Some(&(p, _, _))) => {
                    out.push(DiffEntry::Added(p));
                    b.next();
                }
                (Some(&(pa, na, fa)), Some(&(pb, nb, fb))) => match pa.cmp(pb) {
                    Ordering::Less => {
                        out.push(DiffEntry::Removed(pa));
                        a.next();
                    }
                    Ordering::Greater => {
                        out.push(DiffEntry::Added(pb));
                        b.next();
                    }
                    Ordering::Equal => {
                        if na != nb || fa != fb {
                            out.push(DiffEntry::Modified(pa));
                        }
                        a.next();
                        b.next();
                    }
                },
            }
        }
        out
    }
}

/// Checks one manifest line (without its newline) and returns the offset
/// of its NUL: a non-empty path, 40 hex digits, then no flag or `l x t`.
/// Whether every byte is an ASCII hex digit: a table lookup folded without
/// branches (the check is most of the cost of parsing a large manifest).
fn all_hex(bytes: &[u8]) -> bool {
    const HEX: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = (b as u8).is_ascii_hexdigit();
            b += 1;
        }
        table
    };
    bytes.iter().fold(true, |ok, &b| ok & HEX[b as usize])
}

fn validate_line(line: &[u8]) -> Option<usize> {
    let nul = memchr::memchr(0, line)?;
    let rest = &line[nul + 1..];
    if nul == 0 || rest.len() < 40 || !all_hex(&rest[..40]) {
        return None;
    }
    matches!(&rest[40..], b"" | b"l" | b"x" | b"t").then_some(nul)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(entries: &[(&str, char, &str)]) -> Vec<u8> {
        let mut t = Vec::new();
        for (p, n, f) in entries {
            t.extend_from_slice(p.as_bytes());
            t.push(0);
            t.extend(std::iter::repeat_n(*n as u8, 40));
            t.extend_from_slice(f.as_bytes());
            t.push(b'\n');
        }
        t
    }

    #[test]
    fn lookups_and_diff() {
        let old = Manifest::parse(text(&[("a", '1', ""), ("b", '2', "x"), ("c", '3', "")]))
            .expect("valid");
        let new = Manifest::parse(text(&[("a", '1', "l"), ("c", '4', ""), ("d", '5', "")]))
            .expect("valid");
        assert_eq!(old.get(b"b").map(|(_, f)| f), Some(&b"x"[..]));
        assert!(old.get(b"bb").is_none());
        assert_eq!(
            old.diff(&new),
            vec![
                DiffEntry::Modified(b"a"),
                DiffEntry::Removed(b"b"),
                DiffEntry::Modified(b"c"),
                DiffEntry::Added(b"d"),
            ]
        );
    }

    #[test]
    fn rejects_bad_text() {
        assert!(Manifest::parse(text(&[("b", '1', ""), ("a", '2', "")])).is_err());
        assert!(Manifest::parse(b"a\0zz\n".to_vec()).is_err());
        assert!(Manifest::parse(text(&[("a", '1', "q")])).is_err());
        assert!(Manifest::parse(b"a\0".to_vec()).is_err());
    }
}
