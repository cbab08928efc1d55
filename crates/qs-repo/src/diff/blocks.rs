//! Matching blocks between two texts, line by line, exactly as hg's C
//! `bdiff.blocks` finds them, so that the hunks `qs diff` prints are the
//! ones `hg diff` prints.
//!
//! The strategy (learnt from hg's behaviour and its `bdiff.c` notes):
//! lines are grouped into classes of equal lines; lines too frequent on
//! the new side ("popular") do not seed matches. The longest run of equal
//! lines in a region is taken (ties broken towards the middle of the old
//! side, then the earliest new-side position), then the regions before and
//! after it are searched the same way. Regions of more than 30000 old
//! lines are searched only in their last 30000 lines. Finally, where a
//! change is a pure insertion or deletion, matching lines are slid so the
//! change sits as late as possible.
//!
//! [`crate::diff`]'s hunks are built from these blocks; the revlog writer
//! keeps its own, cheaper matcher (`qs_store::revlog::bdiff`).

use std::collections::HashMap;

/// A matching block: old lines `a1..a2` equal new lines `b1..b2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub a1: usize,
    pub a2: usize,
    pub b1: usize,
    pub b2: usize,
}

/// Splits a text after each `\n`; a last line without newline is kept.
pub fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &c) in text.iter().enumerate() {
        if c == b'\n' {
            lines.push(&text[start..=i]);
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Class ids of both sides and the chains of equal new-side lines.
struct Classes {
    /// Class of each old line (`NOT_IN_B` when the new side lacks it).
    a: Vec<u32>,
    /// Class of each new line.
    b: Vec<u32>,
    /// For each old line, the last new-side line of its class, or -1 when
    /// there is none or the class is too popular.
    a_head: Vec<i32>,
    /// For each new line, the previous new-side line of its class, or -1.
    b_next: Vec<i32>,
}

const NOT_IN_B: u32 = u32::MAX;

fn classify(a: &[&[u8]], b: &[&[u8]]) -> Classes {
    let mut ids: HashMap<&[u8], u32> = HashMap::with_capacity(b.len());
    let mut last: Vec<i32> = Vec::new();
    let mut count: Vec<usize> = Vec::new();
    let mut b_class = Vec::with_capacity(b.len());
    let mut b_next = Vec::with_capacity(b.len());
    for (j, line) in b.iter().enumerate() {
        let next_id = ids.len() as u32;
        let id = *ids.entry(line).or_insert(next_id);
        if id == next_id {
            last.push(-1);
            count.push(0);
        }
        let k = id as usize;
        b_next.push(last[k]);
        last[k] = j as i32;
        count[k] += 1;
        b_class.push(id);
    }
    let bn = b.len();
    let threshold = if bn >= 31000 {
        bn / 1000
    } else {
        1_000_000 / (bn + 1)
    };
    let mut a_class = Vec::with_capacity(a.len());
    let mut a_head = Vec::with_capacity(a.len());
    for line in a {
        match ids.get(line) {
            Some(&id) => {
                a_class.push(id);
                let k = id as usize;
                a_head.push(if count[k] <= threshold { last[k] } else { -1 });
            }
            None => {
                a_class.push(NOT_IN_B);
                a_head.push(-1);
            }
        }
    }
    Classes {
        a: a_class,
        b: b_class,
        a_head,
        b_next,
    }
}

/// Per new-side line: the old line of the last match ending there and
/// that match's length (kept across searches, as hg does).
#[derive(Clone, Copy, Default)]
struct Pos {
    pos: i32,
    len: i32,
}

struct Search<'c> {
    c: &'c Classes,
    pos: Vec<Pos>,
}

impl Search<'_> {
    /// The longest match in `a1..a2` × `b1..b2`: (old start, new start,
    /// length), length 0 when nothing matches.
    fn longest(&mut self, a1: i32, a2: i32, b1: i32, b2: i32) -> (i32, i32, i32) {
        let (mut mi, mut mj, mut mk) = (a1, b1, 0i32);
        let a1 = if a2 - a1 > 30000 { a2 - 30000 } else { a1 };
        let half = (a1 + a2 - 1) / 2;
        let bhalf = (b1 + b2 - 1) / 2;
        let c = self.c;
        for i in a1..a2 {
            let mut j = c.a_head[i as usize];
            while j >= b2 {
                j = c.b_next[j as usize];
            }
            while j >= b1 {
                let mut k = 1;
                while j - k >= b1 && i - k >= a1 {
                    let earlier = self.pos[(j - k) as usize];
                    if earlier.pos == i - k {
                        k += earlier.len;
                        break;
                    }
                    if c.a[(i - k) as usize] != c.b[(j - k) as usize] {
                        break;
                    }
                    k += 1;
                }
                self.pos[j as usize] = Pos { pos: i, len: k };
                if k > mk {
                    mi = i;
                    mj = j;
                    mk = k;
                } else if k == mk {
                    if i > mi && i <= half && j > b1 {
                        mi = i;
                        mj = j;
                    } else if i == mi && (mj > bhalf || i == a1) {
                        mj = j;
                    }
                }
                j = c.b_next[j as usize];
            }
        }
        if mk > 0 {
            mi = mi - mk + 1;
            mj = mj - mk + 1;
        }
        while mi + mk < a2 && mj + mk < b2 && c.a[(mi + mk) as usize] == c.b[(mj + mk) as usize] {
            mk += 1;
        }
        (mi, mj, mk)
    }
}

/// One pending region of the (explicitly stacked) recursive search.
struct Frame {
    a1: i32,
    a2: i32,
    b1: i32,
    b2: i32,
    /// The match found in this region, emitted once the part before it
    /// has been searched.
    found: Option<(i32, i32, i32)>,
}

/// The matching blocks of two line sequences, in order, ending with the
/// empty sentinel block `(a.len(), a.len(), b.len(), b.len())`.
pub fn blocks_of_lines(a: &[&[u8]], b: &[&[u8]]) -> Vec<Block> {
    let classes = classify(a, b);
    let mut search = Search {
        c: &classes,
        pos: vec![Pos::default(); b.len().max(1)],
    };
    let (an, bn) = (a.len() as i32, b.len() as i32);
    let mut out = Vec::new();
    let mut stack = vec![Frame {
        a1: 0,
        a2: an,
        b1: 0,
        b2: bn,
        found: None,
    }];
    while let Some(top) = stack.last_mut() {
        if let Some((i, j, k)) = top.found.take() {
            out.push(Block {
                a1: i as usize,
                a2: (i + k) as usize,
                b1: j as usize,
                b2: (j + k) as usize,
            });
            top.a1 = i + k;
            top.b1 = j + k;
            continue;
        }
        let (i, j, k) = search.longest(top.a1, top.a2, top.b1, top.b2);
        if k == 0 {
            stack.pop();
            continue;
        }
        top.found = Some((i, j, k));
        let child = Frame {
            a1: top.a1,
            a2: i,
            b1: top.b1,
            b2: j,
            found: None,
        };
        stack.push(child);
    }
    out.push(Block {
        a1: a.len(),
        a2: a.len(),
        b1: b.len(),
        b2: b.len(),
    });
    normalize(&mut out, a, b);
    out
}

/// Slides matches so that pure insertions and deletions come as late as
/// possible.
fn normalize(blocks: &mut [Block], a: &[&[u8]], b: &[&[u8]]) {
    for n in 0..blocks.len().saturating_sub(1) {
        let (left, right) = blocks.split_at_mut(n + 1);
        let (cur, next) = (&mut left[n], &mut right[0]);
        if cur.a2 == next.a1 || cur.b2 == next.b1 {
            while cur.a2 < a.len()
                && cur.b2 < b.len()
                && next.a1 < next.a2
                && next.b1 < next.b2
                && a[cur.a2] == b[cur.b2]
            {
                cur.a2 += 1;
                next.a1 += 1;
                cur.b2 += 1;
                next.b1 += 1;
            }
        }
    }
}

/// The matching blocks of two texts (see [`blocks_of_lines`]).
pub fn blocks(a: &[u8], b: &[u8]) -> Vec<Block> {
    blocks_of_lines(&split_lines(a), &split_lines(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuples(a: &[u8], b: &[u8]) -> Vec<(usize, usize, usize, usize)> {
        blocks(a, b)
            .into_iter()
            .map(|k| (k.a1, k.a2, k.b1, k.b2))
            .collect()
    }

    #[test]
    fn split_keeps_newlines_and_a_last_partial_line() {
        assert_eq!(split_lines(b"a\nb"), vec![&b"a\n"[..], b"b"]);
        assert!(split_lines(b"").is_empty());
        assert_eq!(split_lines(b"\n\n"), vec![&b"\n"[..], b"\n"]);
    }

    // Expected values were produced by hg 7.2's `mercurial.bdiff.blocks`.
    #[test]
    fn blocks_match_hg() {
        assert_eq!(
            tuples(b"a\nb\nc\n", b"a\nb\nc\n"),
            [(0, 3, 0, 3), (3, 3, 3, 3)]
        );
        assert_eq!(
            tuples(b"a\nb\nc\n", b"a\nX\nc\n"),
            [(0, 1, 0, 1), (2, 3, 2, 3), (3, 3, 3, 3)]
        );
        assert_eq!(tuples(b"", b"x\n"), [(0, 0, 1, 1)]);
        assert_eq!(
            tuples(b"x\n\n\n\n", b"\n\n\nx\n"),
            [(1, 4, 0, 3), (4, 4, 4, 4)]
        );
        assert_eq!(
            tuples(b"a\nb\na\nb\n", b"a\nb\n"),
            [(0, 2, 0, 2), (4, 4, 2, 2)]
        );
    }
}
