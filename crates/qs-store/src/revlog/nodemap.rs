//! Node → revision lookups: full nodes, hex prefixes and shortest unique
//! prefixes.
//!
//! The in-memory nodemap is the list of revisions sorted by node (4 bytes a
//! revision; nodes are read from the index), built on demand. Before it is
//! worth building, lookups scan the index linearly from the tip instead.

use std::cmp::Ordering;

use super::index::Index;
use super::Revision;
use crate::node::{Node, NodePrefix, NODE_BYTES};

/// Result of a prefix search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefixMatch {
    None,
    One(Revision),
    Many,
}

impl PrefixMatch {
    /// Adds one more candidate.
    fn add(self, rev: Revision) -> PrefixMatch {
        match self {
            PrefixMatch::None => PrefixMatch::One(rev),
            _ => PrefixMatch::Many,
        }
    }
}

const ZERO: [u8; NODE_BYTES] = [0; NODE_BYTES];

fn node_of(index: &Index, rev: u32) -> &[u8; NODE_BYTES] {
    index.node_bytes(rev as usize).unwrap_or(&ZERO)
}

/// Number of leading hex digits `a` and `b` share (0..=40).
pub fn common_nibbles(a: &[u8; NODE_BYTES], b: &[u8; NODE_BYTES]) -> usize {
    for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
        let diff = x ^ y;
        if diff != 0 {
            return 2 * i + usize::from(diff & 0xf0 == 0);
        }
    }
    2 * NODE_BYTES
}

/// The smallest node starting with `prefix` (the prefix padded with zeros).
fn prefix_floor(prefix: &NodePrefix) -> [u8; NODE_BYTES] {
    let mut out = [0u8; NODE_BYTES];
    for i in 0..prefix.len() {
        out[i / 2] |= prefix.nibble(i) << if i % 2 == 0 { 4 } else { 0 };
    }
    out
}

/// True if `node` starts with `prefix`, given its zero-padded `floor`.
fn prefix_matches(prefix: &NodePrefix, floor: &[u8; NODE_BYTES], node: &[u8; NODE_BYTES]) -> bool {
    common_nibbles(floor, node) >= prefix.len()
}

/// Revisions sorted by node.
pub struct NodeMap {
    sorted: Vec<u32>,
}

impl NodeMap {
    /// Sorts every revision of `index` by node.
    pub fn build(index: &Index) -> NodeMap {
        let key = |rev: u32| {
            let n = node_of(index, rev);
            u64::from_be_bytes([n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]])
        };
        let mut keyed: Vec<(u64, u32)> = (0..index.len() as u32).map(|r| (key(r), r)).collect();
        keyed.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| node_of(index, a.1).cmp(node_of(index, b.1)))
                .then(a.1.cmp(&b.1))
        });
        NodeMap {
            sorted: keyed.into_iter().map(|(_, r)| r).collect(),
        }
    }

    /// Position of the first revision whose node is >= `target`.
    fn lower_bound(&self, index: &Index, target: &[u8; NODE_BYTES]) -> usize {
        self.sorted
            .partition_point(|&r| node_of(index, r).cmp(target) == Ordering::Less)
    }

    /// The revision of `node`, if present.
    pub fn find(&self, index: &Index, node: &Node) -> Option<Revision> {
        let pos = self.lower_bound(index, node.as_bytes());
        let &rev = self.sorted.get(pos)?;
        (node_of(index, rev) == node.as_bytes()).then_some(Revision(rev as i32))
    }

    /// The revisions whose node starts with `prefix`.
    pub fn find_prefix(&self, index: &Index, prefix: &NodePrefix) -> PrefixMatch {
        let floor = prefix_floor(prefix);
        let pos = self.lower_bound(index, &floor);
        let mut found = PrefixMatch::None;
        for &rev in self.sorted.iter().skip(pos).take(2) {
            if prefix_matches(prefix, &floor, node_of(index, rev)) {
                found = found.add(Revision(rev as i32));
            }
        }
        found
    }

    /// The longest common prefix (in hex digits) between `node` and any
    /// other node; `None` if `node` is absent.
    pub fn max_common_with_others(&self, index: &Index, node: &Node) -> Option<usize> {
        let target = node.as_bytes();
        let pos = self.lower_bound(index, target);
        let &rev = self.sorted.get(pos)?;
        if node_of(index, rev) != target {
            return None;
        }
        let before = pos
            .checked_sub(1)
            .and_then(|p| self.sorted.get(p))
            .map_or(0, |&r| common_nibbles(target, node_of(index, r)));
        let after = self
            .sorted
            .get(pos + 1)
            .map_or(0, |&r| common_nibbles(target, node_of(index, r)));
        Some(before.max(after))
    }
}

/// Linear scan for `node`, newest revision first.
pub fn scan_find(index: &Index, node: &Node) -> Option<Revision> {
    (0..index.len() as u32)
        .rev()
        .find(|&r| node_of(index, r) == node.as_bytes())
        .map(|r| Revision(r as i32))
}

/// Linear scan for nodes starting with `prefix`.
pub fn scan_prefix(index: &Index, prefix: &NodePrefix) -> PrefixMatch {
    let floor = prefix_floor(prefix);
    let mut found = PrefixMatch::None;
    for r in (0..index.len() as u32).rev() {
        if prefix_matches(prefix, &floor, node_of(index, r)) {
            found = found.add(Revision(r as i32));
            if found == PrefixMatch::Many {
                break;
            }
        }
    }
    found
}

/// Linear-scan version of [`NodeMap::max_common_with_others`].
pub fn scan_max_common_with_others(index: &Index, node: &Node) -> Option<usize> {
    let target = node.as_bytes();
    let mut seen = false;
    let mut best = 0;
    for r in 0..index.len() as u32 {
        let n = node_of(index, r);
        if n == target && !seen {
            seen = true;
        } else {
            best = best.max(common_nibbles(target, n));
        }
    }
    seen.then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_common_nibbles() {
        let a = [0xab; NODE_BYTES];
        let mut b = a;
        assert_eq!(common_nibbles(&a, &b), 40);
        b[3] = 0xac;
        assert_eq!(common_nibbles(&a, &b), 7);
        b[3] = 0xbb;
        assert_eq!(common_nibbles(&a, &b), 6);
        assert_eq!(common_nibbles(&ZERO, &[0x0f; NODE_BYTES]), 1);
    }

    #[test]
    fn floors_prefixes() {
        let p = NodePrefix::from_hex(b"abc").expect("hex");
        let floor = prefix_floor(&p);
        assert_eq!(&floor[..2], &[0xab, 0xc0]);
        let mut node = [0u8; NODE_BYTES];
        node[0] = 0xab;
        node[1] = 0xcf;
        assert!(prefix_matches(&p, &floor, &node));
        node[1] = 0xdf;
        assert!(!prefix_matches(&p, &floor, &node));
    }
}
