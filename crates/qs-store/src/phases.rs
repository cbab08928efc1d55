//! Phases: public, draft, secret (and the hidden archived / internal
//! phases). Stored as roots in `.hg/store/phaseroots`, one
//! `PHASE-NUMBER HEX-NODE` per line; a revision's phase is the highest of
//! its parents' phases and of any root it is.

use std::path::Path;

use crate::error::{StoreError, StoreResult};
use crate::node::Node;
use crate::revlog::Revision;

/// A changeset phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Public,
    Draft,
    Secret,
    Archived,
    Internal,
}

impl Phase {
    /// The phase stored as `number` in `phaseroots`.
    pub fn from_number(number: u32) -> Option<Phase> {
        match number {
            0 => Some(Phase::Public),
            1 => Some(Phase::Draft),
            2 => Some(Phase::Secret),
            32 => Some(Phase::Archived),
            96 => Some(Phase::Internal),
            _ => None,
        }
    }

    /// The number stored in `phaseroots`.
    pub fn number(self) -> u32 {
        match self {
            Phase::Public => 0,
            Phase::Draft => 1,
            Phase::Secret => 2,
            Phase::Archived => 32,
            Phase::Internal => 96,
        }
    }

    /// The name hg prints.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Public => "public",
            Phase::Draft => "draft",
            Phase::Secret => "secret",
            Phase::Archived => "archived",
            Phase::Internal => "internal",
        }
    }
}

/// Reads `store/phaseroots` (missing file: no roots, everything public).
pub fn read_roots(store: &Path) -> StoreResult<Vec<(Phase, Node)>> {
    let path = store.join("phaseroots");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    parse_roots(&bytes).map_err(|message| StoreError::corrupt(&path, message))
}

/// Parses the content of a `phaseroots` file.
pub fn parse_roots(bytes: &[u8]) -> Result<Vec<(Phase, Node)>, String> {
    let mut roots = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let bad = || format!("malformed phase root on line {}", i + 1);
        let space = line.iter().position(|&b| b == b' ').ok_or_else(bad)?;
        let number: u32 = std::str::from_utf8(&line[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let phase = Phase::from_number(number).ok_or_else(bad)?;
        let node = Node::from_hex(&line[space + 1..]).ok_or_else(bad)?;
        roots.push((phase, node));
    }
    Ok(roots)
}

/// The phase of every revision `0..len`, given the roots (as revisions)
/// and the parents of each revision.
pub fn compute_phases(
    roots: &[(Phase, Revision)],
    len: usize,
    parents: impl Fn(Revision) -> [Revision; 2],
) -> Vec<Phase> {
    let mut phases = vec![Phase::Public; len];
    for &(phase, rev) in roots {
        if let Some(slot) = usize::try_from(rev.0).ok().and_then(|r| phases.get_mut(r)) {
            *slot = (*slot).max(phase);
        }
    }
    for r in 0..len {
        for p in parents(Revision(r as i32)) {
            if let Ok(p) = usize::try_from(p.0) {
                if p < r {
                    phases[r] = phases[r].max(phases[p]);
                }
            }
        }
    }
    phases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_flow_to_descendants() {
        let parents = |r: Revision| [Revision(r.0 - 1), Revision(-1)];
        let phases = compute_phases(
            &[(Phase::Draft, Revision(2)), (Phase::Secret, Revision(4))],
            5,
            parents,
        );
        assert_eq!(
            phases,
            vec![
                Phase::Public,
                Phase::Public,
                Phase::Draft,
                Phase::Draft,
                Phase::Secret
            ]
        );
    }

    #[test]
    fn parses_roots() {
        let n = "ab".repeat(20);
        let roots = parse_roots(format!("1 {n}\n2 {n}\n").as_bytes()).expect("valid");
        assert_eq!(roots.len(), 2);
        assert!(parse_roots(b"x y\n").is_err());
        assert!(parse_roots(b"7 abc\n").is_err());
    }
}
