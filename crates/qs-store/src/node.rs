//! Node ids: the 20-byte SHA-1 names of revisions, their hex forms and prefixes.

use std::fmt;

/// Length of a node id in bytes.
pub const NODE_BYTES: usize = 20;

/// A revision's identity: SHA-1 over the sorted parents and the text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Node(pub [u8; NODE_BYTES]);

/// The null node: twenty zero bytes, parent of root revisions.
pub const NULL_NODE: Node = Node([0; NODE_BYTES]);

impl Node {
    /// Builds a node from exactly 20 bytes; `None` for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Option<Node> {
        let array: [u8; NODE_BYTES] = bytes.try_into().ok()?;
        Some(Node(array))
    }

    /// Parses 40 hex digits (either case); `None` otherwise.
    pub fn from_hex(hex: &[u8]) -> Option<Node> {
        if hex.len() != 2 * NODE_BYTES {
            return None;
        }
        let mut out = [0u8; NODE_BYTES];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            out[i] = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
        }
        Some(Node(out))
    }

    /// True for the null node.
    pub fn is_null(&self) -> bool {
        *self == NULL_NODE
    }

    /// The raw 20 bytes.
    pub fn as_bytes(&self) -> &[u8; NODE_BYTES] {
        &self.0
    }

    /// The full 40-digit lowercase hex form.
    pub fn hex(&self) -> String {
        to_hex(&self.0)
    }

    /// The 12-digit short form hg prints by default.
    pub fn short(&self) -> String {
        to_hex(&self.0[..6])
    }

    /// The nibble (half-byte) at `index` (0..40).
    pub fn nibble(&self, index: usize) -> u8 {
        let byte = self.0[index / 2];
        if index % 2 == 0 {
            byte >> 4
        } else {
            byte & 0xf
        }
    }
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Node({})", self.hex())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

/// Lowercase hex of arbitrary bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A hex prefix of a node id (1 to 40 hex digits), as typed by a user.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct NodePrefix {
    nibbles: [u8; 2 * NODE_BYTES],
    len: usize,
}

impl NodePrefix {
    /// Parses a hex prefix; `None` if empty, too long or not hex.
    pub fn from_hex(hex: &[u8]) -> Option<NodePrefix> {
        if hex.is_empty() || hex.len() > 2 * NODE_BYTES {
            return None;
        }
        let mut nibbles = [0u8; 2 * NODE_BYTES];
        for (i, &c) in hex.iter().enumerate() {
            nibbles[i] = hex_digit(c)?;
        }
        Some(NodePrefix {
            nibbles,
            len: hex.len(),
        })
    }

    /// Number of hex digits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a prefix has at least one digit.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The nibble at `index` (< len).
    pub fn nibble(&self, index: usize) -> u8 {
        self.nibbles[index]
    }

    /// True if `node` starts with this prefix.
    pub fn matches(&self, node: &Node) -> bool {
        (0..self.len).all(|i| node.nibble(i) == self.nibbles[i])
    }

    /// The full node if the prefix has all 40 digits.
    pub fn as_full_node(&self) -> Option<Node> {
        if self.len != 2 * NODE_BYTES {
            return None;
        }
        let mut out = [0u8; NODE_BYTES];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = (self.nibbles[2 * i] << 4) | self.nibbles[2 * i + 1];
        }
        Some(Node(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let hex = b"0123456789abcdef0123456789ABCDEF01234567";
        let node = Node::from_hex(hex).expect("valid hex");
        assert_eq!(node.hex(), String::from_utf8_lossy(hex).to_lowercase());
        assert_eq!(node.short(), "0123456789ab");
    }

    #[test]
    fn rejects_bad_hex() {
        assert!(Node::from_hex(b"zz").is_none());
        assert!(Node::from_hex(&[b'g'; 40]).is_none());
        assert!(NodePrefix::from_hex(b"").is_none());
        assert!(NodePrefix::from_hex(b"12x").is_none());
    }

    #[test]
    fn prefix_matches() {
        let node = Node::from_hex(b"abcdef0123456789abcdef0123456789abcdef01").expect("hex");
        assert!(NodePrefix::from_hex(b"abc").expect("p").matches(&node));
        assert!(NodePrefix::from_hex(b"ABCD").expect("p").matches(&node));
        assert!(!NodePrefix::from_hex(b"abd").expect("p").matches(&node));
        let full = NodePrefix::from_hex(node.hex().as_bytes()).expect("p");
        assert_eq!(full.as_full_node(), Some(node));
    }
}
