//! Rename detection by content for `addremove -s` (hg's `similar`):
//! exact matches first, then, below 100%, the removed file whose content
//! scores best against each added file, hg's score being the bytes of
//! the removed file's lines inside the matching blocks ([`crate::diff::blocks`]),
//! doubled, over both files' sizes.

use crate::diff::blocks::{blocks, split_lines};
use crate::error::RepoResult;
use crate::repo::Repo;

/// hg's similarity score of an added file's `text` against a removed
/// file's `orig`: matched bytes of `orig`, doubled, over both sizes.
pub fn score(text: &[u8], orig: &[u8]) -> f64 {
    let lines = split_lines(orig);
    let mut equal = 0usize;
    for block in blocks(text, orig) {
        for line in lines.get(block.b1..block.b2).unwrap_or(&[]) {
            equal += line.len();
        }
    }
    let lengths = text.len() + orig.len();
    if lengths == 0 {
        return 0.0;
    }
    equal as f64 * 2.0 / lengths as f64
}

/// A detected rename: old path, new path, score (0 to 1).
pub type Rename = (Vec<u8>, Vec<u8>, f64);

/// Renames from `removed` (sorted; their content in the working
/// directory's first parent) to `added` (sorted; their working content)
/// scoring above `threshold` (0 to 1): `(old, new, score)` in hg's order.
/// Empty files never match.
pub fn find_renames(
    repo: &Repo,
    added: &[Vec<u8>],
    removed: &[Vec<u8>],
    threshold: f64,
) -> RepoResult<Vec<Rename>> {
    let parent = repo.manifest_of(repo.working_parent()?)?;
    let mut removed_data: Vec<(&Vec<u8>, Vec<u8>)> = Vec::new();
    for f in removed {
        if let Some((node, _)) = parent.get(f) {
            let data = repo.file_content(f, &node)?;
            if !data.is_empty() {
                removed_data.push((f, data));
            }
        }
    }
    let mut added_data: Vec<(&Vec<u8>, Vec<u8>)> = Vec::new();
    for f in added {
        // A file that vanished meanwhile has no content to compare.
        if let Ok((data, _)) = crate::workfile::read(repo.root(), f) {
            if !data.is_empty() {
                added_data.push((f, data));
            }
        }
    }
    let mut out = Vec::new();
    let mut unmatched = Vec::new();
    for (f, data) in added_data {
        match removed_data.iter().find(|(_, d)| *d == data) {
            Some((old, _)) => out.push(((*old).clone(), f.clone(), 1.0)),
            None => unmatched.push((f, data)),
        }
    }
    if threshold < 1.0 {
        // (added index) -> (removed index, score), in first-assignment order.
        let mut best: Vec<(usize, usize, f64)> = Vec::new();
        for (ri, (_, orig)) in removed_data.iter().enumerate() {
            for (ai, (_, text)) in unmatched.iter().enumerate() {
                let current = best.iter().position(|(a, _, _)| *a == ai);
                let bar = current.map_or(threshold, |i| best[i].2);
                let s = score(text, orig);
                if s > bar {
                    match current {
                        Some(i) => best[i] = (ai, ri, s),
                        None => best.push((ai, ri, s)),
                    }
                }
            }
        }
        for (ai, ri, s) in best {
            out.push((removed_data[ri].0.clone(), unmatched[ai].0.clone(), s));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_counts_matched_bytes_of_the_old_side() {
        assert_eq!(score(b"a\nb\n", b"a\nb\n"), 1.0);
        assert_eq!(score(b"a\nx\n", b"a\nb\n"), 0.5);
        assert_eq!(score(b"x\n", b"a\n"), 0.0);
    }
}
