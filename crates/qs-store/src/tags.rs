//! Tag files: `.hgtags` (versioned) and `.hg/localtags`, one
//! `HEX-NODE NAME` per line, later lines overriding earlier ones; and the
//! rule hg uses to merge the `.hgtags` of several heads, where each tag
//! keeps the history of nodes it had so a head that moved a tag wins over
//! a head that still has the old value.

use crate::node::Node;

/// One tag file: for each name (in first-seen order), its nodes in order.
#[derive(Clone, Debug, Default)]
pub struct TagFile {
    pub tags: Vec<(Vec<u8>, Vec<Node>)>,
    /// Lines that could not be parsed (hg reports these only with --debug).
    pub warnings: Vec<String>,
}

/// Parses tag-file content; `label` names the file in warnings
/// (e.g. `.hgtags@abcdef012345`).
pub fn parse(content: &[u8], label: &str) -> TagFile {
    let mut file = TagFile::default();
    for (i, raw) in split_lines(content).enumerate() {
        if raw.is_empty() {
            continue;
        }
        let Some(space) = raw.iter().position(|&b| b == b' ') else {
            file.warnings
                .push(format!("{label}, line {}: cannot parse entry\n", i + 1));
            continue;
        };
        let (hex, name) = (&raw[..space], raw[space + 1..].trim_ascii());
        let Some(node) = Node::from_hex(hex) else {
            file.warnings.push(format!(
                "{label}, line {}: node '{}' is not well formed\n",
                i + 1,
                String::from_utf8_lossy(hex)
            ));
            continue;
        };
        match file.tags.iter_mut().find(|(n, _)| n.as_slice() == name) {
            Some((_, hist)) => hist.push(node),
            None => file.tags.push((name.to_vec(), vec![node])),
        }
    }
    file
}

/// Python's `splitlines` for bytes: `\n`, `\r\n` and `\r` end lines.
fn split_lines(content: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = content;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r');
        let (line, next) = match end {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => (&rest[..i], i + 2),
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        rest = &rest[next..];
        Some(line)
    })
}

/// Tags merged across files: name → (current node, earlier nodes).
#[derive(Clone, Debug, Default)]
pub struct TagHistory {
    entries: Vec<(Vec<u8>, Node, Vec<Node>)>,
}

impl TagHistory {
    /// Merges one file's tags in, the later file winning unless the tag it
    /// has was superseded by the value already known.
    pub fn update(&mut self, file_tags: Vec<(Vec<u8>, Vec<Node>)>) {
        for (name, mut nodes) in file_tags {
            let Some(anode) = nodes.pop() else { continue };
            let mut ahist = nodes;
            match self.entries.iter_mut().find(|(n, _, _)| *n == name) {
                None => self.entries.push((name, anode, ahist)),
                Some((_, bnode, bhist)) => {
                    let mut chosen = anode;
                    if *bnode != anode
                        && bhist.contains(&anode)
                        && (!ahist.contains(bnode) || bhist.len() > ahist.len())
                    {
                        chosen = *bnode;
                    }
                    for n in bhist.iter() {
                        if !ahist.contains(n) {
                            ahist.push(*n);
                        }
                    }
                    *bnode = chosen;
                    *bhist = ahist;
                }
            }
        }
    }

    /// Every tag with its current node (null for deleted tags).
    pub fn resolved(&self) -> Vec<(Vec<u8>, Node)> {
        self.entries
            .iter()
            .map(|(name, node, _)| (name.clone(), *node))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(b: u8) -> Node {
        Node([b; 20])
    }

    #[test]
    fn parses_with_history_and_warnings() {
        let text = format!("{} v1\r\n{} v1\nnonsense\nzz v2\n", n(1).hex(), n(2).hex());
        let f = parse(text.as_bytes(), ".hgtags@x");
        assert_eq!(f.tags, vec![(b"v1".to_vec(), vec![n(1), n(2)])]);
        assert_eq!(f.warnings.len(), 2);
    }

    #[test]
    fn superseded_value_loses() {
        let mut h = TagHistory::default();
        // Newer head moved v1 from 1 to 2; an older head still says 1.
        h.update(vec![(b"v1".to_vec(), vec![n(1), n(2)])]);
        h.update(vec![(b"v1".to_vec(), vec![n(1)])]);
        assert_eq!(h.resolved(), vec![(b"v1".to_vec(), n(2))]);
        // A later head moving it again wins.
        h.update(vec![(b"v1".to_vec(), vec![n(1), n(2), n(3)])]);
        assert_eq!(h.resolved(), vec![(b"v1".to_vec(), n(3))]);
    }
}
