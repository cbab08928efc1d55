//! The `(did you mean ...)` hint hg gives for an unknown revset function:
//! every documented predicate whose similarity ratio to the unknown name
//! (Python's `difflib.SequenceMatcher.ratio`) exceeds 0.6.

/// hg 7.2's documented revset predicates (what its hint may propose).
pub const DOCUMENTED: &[&str] = &[
    "adds",
    "all",
    "ancestor",
    "ancestors",
    "author",
    "bisect",
    "bookmark",
    "branch",
    "branchpoint",
    "bundle",
    "children",
    "closed",
    "commonancestors",
    "conflictlocal",
    "conflictother",
    "contains",
    "contentdivergent",
    "converted",
    "date",
    "desc",
    "descendants",
    "destination",
    "diffcontains",
    "draft",
    "expectsize",
    "extdata",
    "extinct",
    "extra",
    "file",
    "filelog",
    "first",
    "follow",
    "followlines",
    "grep",
    "head",
    "heads",
    "hidden",
    "id",
    "keyword",
    "last",
    "limit",
    "matching",
    "max",
    "merge",
    "min",
    "modifies",
    "named",
    "nodefromfile",
    "none",
    "obsolete",
    "only",
    "origin",
    "orphan",
    "outgoing",
    "p1",
    "p2",
    "parents",
    "phasedivergent",
    "present",
    "public",
    "remote",
    "removes",
    "rev",
    "reverse",
    "revset",
    "roots",
    "secret",
    "sort",
    "stack",
    "subrepo",
    "successors",
    "tag",
    "unstable",
    "user",
    "wdir",
];

/// hg 7.2's undocumented (internal or deprecated) predicates.
pub const UNDOCUMENTED: &[&str] = &[
    "_commonancestorheads",
    "_destmerge",
    "_destupdate",
    "_firstancestors",
    "_firstdescendants",
    "_followfirst",
    "_hexlist",
    "_internal",
    "_intlist",
    "_list",
    "_matchfiles",
    "_notpublic",
    "_phase",
    "_phaseandancestors",
    "_rev",
    "bisected",
    "tagged",
];

/// Whether hg 7.2 knows a revset function by this name.
pub fn is_hg_predicate(name: &[u8]) -> bool {
    DOCUMENTED
        .iter()
        .chain(UNDOCUMENTED)
        .any(|n| n.as_bytes() == name)
}

/// hg's hint for an unknown name, if any predicate is similar enough.
pub fn hint(name: &[u8]) -> Option<String> {
    hint_among(name, DOCUMENTED)
}

/// hg's hint for an unknown name among `candidates`.
pub fn hint_among(name: &[u8], candidates: &[&str]) -> Option<String> {
    let mut similar: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|s| ratio(name, s.as_bytes()) > 0.6)
        .collect();
    match similar.len() {
        0 => None,
        1 => Some(format!("did you mean {}?", similar[0])),
        _ => {
            similar.sort_unstable();
            Some(format!("did you mean one of {}?", similar.join(", ")))
        }
    }
}

/// `difflib.SequenceMatcher(None, a, b).ratio()` (no junk; the names are
/// far below difflib's 200-element autojunk threshold).
pub fn ratio(a: &[u8], b: &[u8]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * matched(a, b) as f64 / total as f64
}

fn matched(a: &[u8], b: &[u8]) -> usize {
    let mut sum = 0;
    let mut queue = vec![(0, a.len(), 0, b.len())];
    while let Some((alo, ahi, blo, bhi)) = queue.pop() {
        let (i, j, k) = longest_match(a, b, alo, ahi, blo, bhi);
        if k == 0 {
            continue;
        }
        sum += k;
        if alo < i && blo < j {
            queue.push((alo, i, blo, j));
        }
        if i + k < ahi && j + k < bhi {
            queue.push((i + k, ahi, j + k, bhi));
        }
    }
    sum
}

/// The longest common block of `a[alo..ahi]` and `b[blo..bhi]`, earliest
/// in `a`, then earliest in `b`, as difflib picks it.
fn longest_match(
    a: &[u8],
    b: &[u8],
    alo: usize,
    ahi: usize,
    blo: usize,
    bhi: usize,
) -> (usize, usize, usize) {
    let (mut best_i, mut best_j, mut best) = (alo, blo, 0);
    let mut prev = vec![0usize; b.len() + 1];
    for i in alo..ahi {
        let mut next = vec![0usize; b.len() + 1];
        for j in blo..bhi {
            if a.get(i) == b.get(j) {
                let k = prev.get(j).copied().unwrap_or(0) + 1;
                if let Some(slot) = next.get_mut(j + 1) {
                    *slot = k;
                }
                if k > best {
                    best_i = i + 1 - k;
                    best_j = j + 1 - k;
                    best = k;
                }
            }
        }
        prev = next;
    }
    (best_i, best_j, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_match_difflib() {
        assert!((ratio(b"abcd", b"bcde") - 0.75).abs() < 1e-9);
        assert_eq!(hint(b"foo").as_deref(), Some("did you mean follow?"));
        assert_eq!(hint(b"zzzzzz"), None);
    }
}
