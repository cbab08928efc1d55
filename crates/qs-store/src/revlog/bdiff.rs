//! A line-based binary delta generator: the writing counterpart of
//! [`crate::mdiff`], producing patches in hg's "bdiff" format
//! (`start, end, length` big-endian hunks against the source's bytes).
//!
//! Like hg's `bdiff`, texts are compared line by line (a line ends with
//! `\n`; a text without newlines is one line). Common leading and trailing
//! lines are trimmed, then matching blocks are found by repeatedly taking the
//! longest run of equal lines in the unmatched regions (hg's strategy, so the
//! deltas have similar sizes). Lines that occur very often on the target side
//! are left out of the search and only used to extend matches, which keeps the
//! cost bounded on texts with many repeated lines (blank lines, braces).
//!
//! The exact bytes need not equal hg's: any valid patch is readable by hg.

use std::collections::HashMap;

/// One matching block: `len` lines equal at `a_line` and `b_line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Block {
    a_line: usize,
    b_line: usize,
    len: usize,
}

/// Byte offsets where each line of `text` starts, plus the text length.
fn line_starts(text: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' && i + 1 < text.len() {
            starts.push(i + 1);
        }
    }
    if text.is_empty() {
        starts.clear();
    }
    starts.push(text.len());
    starts
}

/// The lines of a text as ids shared between both sides.
struct Lines {
    a: Vec<u32>,
    b: Vec<u32>,
}

fn intern<'t>(text: &'t [u8], starts: &[usize], ids: &mut HashMap<&'t [u8], u32>) -> Vec<u32> {
    starts
        .windows(2)
        .map(|w| {
            let line = text.get(w[0]..w[1]).unwrap_or_default();
            let next = ids.len() as u32;
            *ids.entry(line).or_insert(next)
        })
        .collect()
}

/// Computes a patch turning `a` into `b`, serialised in the bdiff format.
pub fn diff(a: &[u8], b: &[u8]) -> Vec<u8> {
    let a_starts = line_starts(a);
    let b_starts = line_starts(b);
    let mut ids = HashMap::new();
    let lines = Lines {
        a: intern(a, &a_starts, &mut ids),
        b: intern(b, &b_starts, &mut ids),
    };
    let blocks = matching_blocks(&lines, ids.len());

    let mut out = Vec::new();
    let (mut a_line, mut b_line) = (0usize, 0usize);
    let sentinel = Block {
        a_line: lines.a.len(),
        b_line: lines.b.len(),
        len: 0,
    };
    for block in blocks.iter().chain(std::iter::once(&sentinel)) {
        if block.a_line > a_line || block.b_line > b_line {
            let start = a_starts[a_line];
            let end = a_starts[block.a_line];
            let data = &b[b_starts[b_line]..b_starts[block.b_line]];
            for v in [start, end, data.len()] {
                out.extend_from_slice(&(v as u32).to_be_bytes());
            }
            out.extend_from_slice(data);
        }
        a_line = block.a_line + block.len;
        b_line = block.b_line + block.len;
    }
    out
}

/// Sorted, non-overlapping matching blocks between the two line sequences.
fn matching_blocks(lines: &Lines, distinct: usize) -> Vec<Block> {
    let (a, b) = (&lines.a, &lines.b);
    let mut blocks = Vec::new();
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix > 0 {
        blocks.push(Block {
            a_line: 0,
            b_line: 0,
            len: prefix,
        });
    }
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);

    if prefix < a_end && prefix < b_end {
        let finder = Finder::new(a, b, prefix, b_end, distinct);
        let mut middle = Vec::new();
        let mut stack = vec![(prefix, a_end, prefix, b_end)];
        let mut scratch = Scratch::new(b.len());
        while let Some((a_lo, a_hi, b_lo, b_hi)) = stack.pop() {
            let Some(found) = finder.longest(&mut scratch, a_lo, a_hi, b_lo, b_hi) else {
                continue;
            };
            middle.push(found);
            if a_lo < found.a_line && b_lo < found.b_line {
                stack.push((a_lo, found.a_line, b_lo, found.b_line));
            }
            let (a_next, b_next) = (found.a_line + found.len, found.b_line + found.len);
            if a_next < a_hi && b_next < b_hi {
                stack.push((a_next, a_hi, b_next, b_hi));
            }
        }
        middle.sort_by_key(|blk| blk.a_line);
        blocks.extend(middle);
    }
    if suffix > 0 {
        blocks.push(Block {
            a_line: a_end,
            b_line: b_end,
            len: suffix,
        });
    }
    blocks
}

/// Reusable per-diff buffers for the longest-match search.
struct Scratch {
    /// Run length ending at each b position in the previous / current row.
    previous: Vec<u32>,
    current: Vec<u32>,
    touched_previous: Vec<usize>,
    touched_current: Vec<usize>,
}

impl Scratch {
    fn new(b_len: usize) -> Scratch {
        Scratch {
            previous: vec![0; b_len + 1],
            current: vec![0; b_len + 1],
            touched_previous: Vec::new(),
            touched_current: Vec::new(),
        }
    }
}

/// Where each (non-popular) line id occurs on the `b` side.
struct Finder<'l> {
    a: &'l [u32],
    b: &'l [u32],
    positions: Vec<Vec<usize>>,
}

/// Lines occurring more often than this (and more than 1% of the target)
/// are not used to seed matches.
const POPULAR_MIN: usize = 200;

impl<'l> Finder<'l> {
    fn new(a: &'l [u32], b: &'l [u32], b_lo: usize, b_hi: usize, distinct: usize) -> Finder<'l> {
        let mut positions: Vec<Vec<usize>> = vec![Vec::new(); distinct];
        for (j, &id) in b.iter().enumerate().take(b_hi).skip(b_lo) {
            if let Some(list) = positions.get_mut(id as usize) {
                list.push(j);
            }
        }
        let span = b_hi - b_lo;
        if span >= POPULAR_MIN {
            let limit = (span / 100).max(POPULAR_MIN);
            for list in &mut positions {
                if list.len() > limit {
                    list.clear();
                }
            }
        }
        Finder { a, b, positions }
    }

    /// The longest run of equal lines within `a[a_lo..a_hi]` and
    /// `b[b_lo..b_hi]` (earliest in `a`, then in `b`, on ties), extended
    /// over popular lines; `None` if nothing matches.
    fn longest(
        &self,
        s: &mut Scratch,
        a_lo: usize,
        a_hi: usize,
        b_lo: usize,
        b_hi: usize,
    ) -> Option<Block> {
        let mut best: Option<Block> = None;
        for i in a_lo..a_hi {
            let id = self.a[i] as usize;
            let empty = Vec::new();
            let list = self.positions.get(id).unwrap_or(&empty);
            let first = list.partition_point(|&j| j < b_lo);
            for &j in &list[first..] {
                if j >= b_hi {
                    break;
                }
                let run = if j > b_lo { s.previous[j - 1] + 1 } else { 1 };
                s.current[j] = run;
                s.touched_current.push(j);
                let run = run as usize;
                if best.is_none_or(|b| run > b.len) {
                    best = Some(Block {
                        a_line: i + 1 - run,
                        b_line: j + 1 - run,
                        len: run,
                    });
                }
            }
            for &j in &s.touched_previous {
                s.previous[j] = 0;
            }
            s.touched_previous.clear();
            std::mem::swap(&mut s.previous, &mut s.current);
            std::mem::swap(&mut s.touched_previous, &mut s.touched_current);
        }
        for &j in &s.touched_previous {
            s.previous[j] = 0;
        }
        s.touched_previous.clear();

        let mut found = match best {
            Some(found) => found,
            None => self.any_equal(a_lo, a_hi, b_lo, b_hi)?,
        };
        // Extend over lines left out of the index (popular ones).
        while found.a_line > a_lo
            && found.b_line > b_lo
            && self.a[found.a_line - 1] == self.b[found.b_line - 1]
        {
            found.a_line -= 1;
            found.b_line -= 1;
            found.len += 1;
        }
        while found.a_line + found.len < a_hi
            && found.b_line + found.len < b_hi
            && self.a[found.a_line + found.len] == self.b[found.b_line + found.len]
        {
            found.len += 1;
        }
        Some(found)
    }

    /// When only popular lines are left, a cheap search for a first equal
    /// pair near the start of the region (bounded work).
    fn any_equal(&self, a_lo: usize, a_hi: usize, b_lo: usize, b_hi: usize) -> Option<Block> {
        const WINDOW: usize = 64;
        for i in a_lo..a_hi.min(a_lo + WINDOW) {
            for j in b_lo..b_hi.min(b_lo + WINDOW) {
                if self.a[i] == self.b[j] {
                    return Some(Block {
                        a_line: i,
                        b_line: j,
                        len: 1,
                    });
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mdiff::apply_delta;
    use proptest::prelude::*;

    fn round_trip(a: &[u8], b: &[u8]) -> Vec<u8> {
        let delta = diff(a, b);
        assert_eq!(apply_delta(a, &delta).expect("valid delta"), b);
        delta
    }

    #[test]
    fn identical_texts_give_an_empty_delta() {
        assert!(round_trip(b"a\nb\nc\n", b"a\nb\nc\n").is_empty());
        assert!(round_trip(b"", b"").is_empty());
    }

    #[test]
    fn one_changed_line_is_one_small_hunk() {
        let delta = round_trip(b"a\nb\nc\n", b"a\nX\nc\n");
        assert_eq!(
            delta,
            [&[0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 2][..], b"X\n"].concat()
        );
    }

    #[test]
    fn edge_cases_round_trip() {
        round_trip(b"", b"new\n");
        round_trip(b"old\n", b"");
        round_trip(b"no newline", b"no newline either");
        round_trip(b"a\nb", b"a\nb\n");
        round_trip(b"x\n\n\n\n", b"\n\n\nx\n");
        let many: Vec<u8> = b"{\n}\n".repeat(1000);
        let mut edited = many.clone();
        edited.extend_from_slice(b"tail\n");
        edited.splice(100..100, b"middle\n".iter().copied());
        let delta = round_trip(&many, &edited);
        assert!(delta.len() < 100, "delta of {} bytes", delta.len());
    }

    proptest! {
        #[test]
        fn diff_then_apply_gives_the_target(
            a in proptest::collection::vec(prop::sample::select(vec![b'a', b'b', b'\n', 0u8]), 0..300),
            b in proptest::collection::vec(prop::sample::select(vec![b'a', b'b', b'\n', 0u8]), 0..300),
        ) {
            let delta = diff(&a, &b);
            prop_assert_eq!(apply_delta(&a, &delta).expect("valid delta"), b);
        }

        #[test]
        fn edits_of_a_text_round_trip(
            lines in proptest::collection::vec("[a-c]{0,3}\n", 0..60),
            edits in proptest::collection::vec((0usize..60, "[a-d]{0,3}\n", any::<bool>()), 0..8),
        ) {
            let a: Vec<u8> = lines.concat().into_bytes();
            let mut b_lines = lines.clone();
            for (at, line, insert) in edits {
                let at = at.min(b_lines.len());
                if insert || at == b_lines.len() {
                    b_lines.insert(at, line);
                } else {
                    b_lines.remove(at);
                }
            }
            let b: Vec<u8> = b_lines.concat().into_bytes();
            let delta = diff(&a, &b);
            prop_assert_eq!(apply_delta(&a, &delta).expect("valid delta"), b);
        }
    }
}
