//! hg's internal 3-way text merge (`:merge`, its premerge): lines are
//! aligned on "sync regions" where the base matches both sides (found
//! through the same matching blocks as hg's bdiff), the regions between
//! are taken from the side that changed, or from either when both made
//! the same change, and otherwise are a conflict written between
//! `<<<<<<<`, `=======` and `>>>>>>>` markers, with the lines both sides
//! share at the start and end of the region moved out of it.

use crate::diff::blocks::{blocks_of_lines, split_lines};

/// One region of the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    /// Base lines `start..end`, unchanged on both sides.
    Unchanged(usize, usize),
    /// Local lines taken (only local changed, or both alike).
    Local(usize, usize),
    /// Other lines taken (only other changed).
    Other(usize, usize),
    /// Base, local and other ranges that conflict.
    Conflict {
        base: (usize, usize),
        local: (usize, usize),
        other: (usize, usize),
    },
}

/// A sync region: base, local and other ranges of equal length.
type Sync = ((usize, usize), (usize, usize), (usize, usize));

/// Matching blocks `(base_start, side_start, length)`, ending with the
/// empty block at both ends.
fn matches(base: &[&[u8]], side: &[&[u8]]) -> Vec<(usize, usize, usize)> {
    blocks_of_lines(base, side)
        .into_iter()
        .map(|b| (b.a1, b.b1, b.a2 - b.a1))
        .collect()
}

fn sync_regions(base: &[&[u8]], local: &[&[u8]], other: &[&[u8]]) -> Vec<Sync> {
    let a = matches(base, local);
    let b = matches(base, other);
    let (mut ia, mut ib) = (0, 0);
    let mut out = Vec::new();
    while ia < a.len() && ib < b.len() {
        let (abase, amatch, alen) = a[ia];
        let (bbase, bmatch, blen) = b[ib];
        let start = abase.max(bbase);
        let end = (abase + alen).min(bbase + blen);
        if start < end {
            let asub = amatch + (start - abase);
            let bsub = bmatch + (start - bbase);
            let len = end - start;
            out.push(((start, end), (asub, asub + len), (bsub, bsub + len)));
        }
        if abase + alen < bbase + blen {
            ia += 1;
        } else {
            ib += 1;
        }
    }
    let sentinel = (
        (base.len(), base.len()),
        (local.len(), local.len()),
        (other.len(), other.len()),
    );
    if out.last() != Some(&sentinel) {
        out.push(sentinel);
    }
    out
}

fn regions(base: &[&[u8]], local: &[&[u8]], other: &[&[u8]]) -> Vec<Region> {
    let (mut iz, mut ia, mut ib) = (0, 0, 0);
    let mut out = Vec::new();
    for ((zmatch, zend), (amatch, aend), (bmatch, bend)) in sync_regions(base, local, other) {
        if amatch > ia || bmatch > ib {
            let a = &local[ia..amatch];
            let b = &other[ib..bmatch];
            let z = &base[iz..zmatch];
            let equal_a = a == z;
            let equal_b = b == z;
            if a == b {
                out.push(Region::Local(ia, amatch));
            } else if equal_a && !equal_b {
                out.push(Region::Other(ib, bmatch));
            } else if equal_b && !equal_a {
                out.push(Region::Local(ia, amatch));
            } else {
                out.push(Region::Conflict {
                    base: (iz, zmatch),
                    local: (ia, amatch),
                    other: (ib, bmatch),
                });
            }
            ia = amatch;
            ib = bmatch;
        }
        iz = zmatch;
        if zend > zmatch {
            out.push(Region::Unchanged(zmatch, zend));
            iz = zend;
            ia = aend;
            ib = bend;
        }
    }
    out
}

/// The labels of the conflict markers (already formatted).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub local: Option<Vec<u8>>,
    pub other: Option<Vec<u8>>,
}

/// Merges `local` and `other` from their common `base`; returns the
/// merged text and whether it has conflicts (then written with markers).
pub fn merge(base: &[u8], local: &[u8], other: &[u8], labels: &Labels) -> (Vec<u8>, bool) {
    let z = split_lines(base);
    let a = split_lines(local);
    let b = split_lines(other);
    let newline: &[u8] = match a.first() {
        Some(l) if l.ends_with(b"\r\n") => b"\r\n",
        Some(l) if l.ends_with(b"\r") => b"\r",
        _ => b"\n",
    };
    let marker = |m: &[u8], label: &Option<Vec<u8>>| {
        let mut line = m.to_vec();
        if let Some(l) = label {
            line.push(b' ');
            line.extend_from_slice(l);
        }
        line.extend_from_slice(newline);
        line
    };
    let start_marker = marker(b"<<<<<<<", &labels.local);
    let mid_marker = marker(b"=======", &None);
    let end_marker = marker(b">>>>>>>", &labels.other);
    let mut out = Vec::new();
    let mut conflicts = false;
    let extend = |out: &mut Vec<u8>, lines: &[&[u8]]| {
        for l in lines {
            out.extend_from_slice(l);
        }
    };
    for region in regions(&z, &a, &b) {
        match region {
            Region::Unchanged(s, e) => extend(&mut out, &z[s..e]),
            Region::Local(s, e) => extend(&mut out, &a[s..e]),
            Region::Other(s, e) => extend(&mut out, &b[s..e]),
            Region::Conflict { local, other, .. } => {
                conflicts = true;
                let la = &a[local.0..local.1];
                let lb = &b[other.0..other.1];
                let mut start = 0;
                while start < la.len() && start < lb.len() && la[start] == lb[start] {
                    start += 1;
                }
                let mut end = 0;
                while end < la.len()
                    && end < lb.len()
                    && la[la.len() - 1 - end] == lb[lb.len() - 1 - end]
                {
                    end += 1;
                }
                // Python slices: an overlap of both trims yields empty middles.
                let a_mid_end = la.len() - end;
                let b_mid_end = lb.len() - end;
                extend(&mut out, &la[..start]);
                out.extend_from_slice(&start_marker);
                extend(&mut out, la.get(start..a_mid_end).unwrap_or(&[]));
                out.extend_from_slice(&mid_marker);
                extend(&mut out, lb.get(start..b_mid_end).unwrap_or(&[]));
                out.extend_from_slice(&end_marker);
                extend(&mut out, &la[a_mid_end..]);
            }
        }
    }
    (out, conflicts)
}

/// hg's `stringutil.binary`: a NUL byte anywhere.
pub fn is_binary(text: &[u8]) -> bool {
    text.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels {
            local: Some(b"local".to_vec()),
            other: Some(b"other".to_vec()),
        }
    }

    #[test]
    fn clean_merges_take_each_sides_change() {
        let (m, c) = merge(b"a\nb\nc\n", b"A\nb\nc\n", b"a\nb\nC\n", &labels());
        assert!(!c);
        assert_eq!(m, b"A\nb\nC\n");
        let (m, c) = merge(b"a\n", b"b\n", b"b\n", &labels());
        assert!(!c);
        assert_eq!(m, b"b\n");
    }

    #[test]
    fn conflicts_get_markers_minimized() {
        let (m, c) = merge(
            b"a\nb\nc\n",
            b"a\nx\nsame\nc\n",
            b"a\ny\nsame\nc\n",
            &labels(),
        );
        assert!(c);
        assert_eq!(
            m,
            b"a\n<<<<<<< local\nx\n=======\ny\n>>>>>>> other\nsame\nc\n".to_vec()
        );
    }
}
