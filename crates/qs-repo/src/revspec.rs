//! Resolving what users type after `-r`: single symbols (numbers, negative
//! numbers, hashes and unique prefixes, `.`, `tip`, `null`, bookmarks, tags,
//! branches) and `A:B` ranges for commands taking one revision, and the
//! entry to the revset engine ([`crate::revset`]) for `-r` lists; symbol
//! lookup stays here, as hg's `revsymbol`.

use qs_store::{Node, NodePrefix, Revision, StoreError, NULL_REVISION};

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;
use crate::revset::RevsetResult;

/// Resolves one symbol to a revision, in hg's order: `.`/`tip`/`null`,
/// a decimal revision number (negative counts from the end), a full hash,
/// a bookmark, a tag, a branch (its tip), then a unique hash prefix.
pub fn resolve_symbol(repo: &Repo, symbol: &str) -> RepoResult<Revision> {
    match symbol {
        "." => return repo.working_parent(),
        "null" => return Ok(NULL_REVISION),
        "tip" => return Ok(repo.tip()),
        _ => {}
    }
    if let Some(rev) = parse_revision_number(symbol, repo.len()) {
        return Ok(rev);
    }
    if symbol == "2147483647" {
        return Err(working_directory_unsupported());
    }
    if symbol.len() == 40 {
        if let Some(node) = Node::from_hex(symbol.as_bytes()) {
            if let Some(rev) = repo.changelog().rev_of_node(&node)? {
                return Ok(rev);
            }
        }
    }
    let name = symbol.as_bytes();
    if let Some(node) = repo.bookmarks()?.get(name) {
        return rev_of_known_node(repo, &node, symbol);
    }
    if let Some(node) = repo.tags()?.get(name) {
        return rev_of_known_node(repo, &node, symbol);
    }
    if let Some(heads) = repo.branchmap()?.get(name) {
        return Ok(heads.tip());
    }
    // hg accepts an `x` before a hex prefix (to tell it from a number).
    let hex = name.strip_prefix(b"x").unwrap_or(name);
    if hex.is_empty() {
        return Err(RepoError::AmbiguousIdentifier(symbol.to_string()));
    }
    if let Some(prefix) = NodePrefix::from_hex(hex) {
        match repo.changelog().rev_of_prefix(&prefix) {
            Ok(Some(rev)) => return Ok(rev),
            Ok(None) => {}
            Err(StoreError::AmbiguousPrefix) => {
                return Err(RepoError::AmbiguousIdentifier(symbol.to_string()))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if is_working_directory_prefix(hex) {
        return Err(working_directory_unsupported());
    }
    Err(RepoError::UnknownRevision(symbol.to_string()))
}

/// A hex prefix of hg's virtual working-directory node (`ffff...`).
pub fn is_working_directory_prefix(hex: &[u8]) -> bool {
    !hex.is_empty() && hex.len() <= 40 && hex.iter().all(|b| *b == b'f')
}

/// hg resolves `ffff...` and 2147483647 to the working directory, which
/// qs cannot show yet.
pub fn working_directory_unsupported() -> RepoError {
    RepoError::Message("the working directory revision is not supported by qs yet".to_string())
}

fn rev_of_known_node(repo: &Repo, node: &Node, symbol: &str) -> RepoResult<Revision> {
    repo.changelog()
        .rev_of_node(node)?
        .ok_or_else(|| RepoError::UnknownRevision(symbol.to_string()))
}

/// A canonical decimal (no sign but `-`, no leading zeros) within range.
fn parse_revision_number(symbol: &str, len: usize) -> Option<Revision> {
    let value: i64 = symbol.parse().ok()?;
    if value.to_string() != symbol {
        return None;
    }
    let len = len as i64;
    let rev = if value < 0 { value + len } else { value };
    if rev < 0 || rev >= len {
        return None;
    }
    Some(Revision(rev as i32))
}

/// Resolves one `-r` argument to revisions in hg's order: a symbol, or a
/// range `A:B`, `:B`, `A:`, `:` (descending when A > B).
pub fn resolve_spec(repo: &Repo, spec: &str) -> RepoResult<Vec<Revision>> {
    if spec.is_empty() {
        return Err(RepoError::Message("empty query".to_string()));
    }
    // A whole-spec name wins over range syntax (names may contain ':').
    if let Ok(rev) = resolve_symbol(repo, spec) {
        return Ok(vec![rev]);
    }
    if let Some(revs) = resolve_difference(repo, spec)? {
        return Ok(revs);
    }
    if let Some((a, b)) = split_range(spec) {
        let start = if a.is_empty() {
            Revision(0)
        } else {
            resolve_symbol(repo, a)?
        };
        let end = if b.is_empty() {
            repo.tip()
        } else {
            resolve_symbol(repo, b)?
        };
        if repo.is_empty() && a.is_empty() && b.is_empty() {
            return Ok(Vec::new());
        }
        return Ok(if start <= end {
            (start.0..=end.0).map(Revision).collect()
        } else {
            (end.0..=start.0).rev().map(Revision).collect()
        });
    }
    resolve_symbol(repo, spec).map(|r| vec![r])
}

/// `a-b-c` that is not itself a name: hg's revset tokenizer reads it as
/// the set difference `a - b - c`.
fn resolve_difference(repo: &Repo, spec: &str) -> RepoResult<Option<Vec<Revision>>> {
    if !spec.contains('-') || spec.starts_with('-') || spec.contains(':') {
        return Ok(None);
    }
    let mut parts = spec.split('-').filter(|p| !p.is_empty());
    let Some(first) = parts.next() else {
        return Ok(None);
    };
    let mut set = vec![resolve_symbol(repo, first)?];
    for part in parts {
        let remove = resolve_symbol(repo, part)?;
        set.retain(|r| *r != remove);
    }
    Ok(Some(set))
}

fn split_range(spec: &str) -> Option<(&str, &str)> {
    if spec.matches(':').count() != 1 || spec.contains("::") {
        return None;
    }
    spec.split_once(':')
}

/// Evaluates every `-r` argument as one revset query (hg: the union of
/// the specs, in order), without `[revsetalias]` definitions.
pub fn resolve_specs(repo: &Repo, specs: &[String]) -> RevsetResult<Vec<Revision>> {
    crate::revset::evaluate_specs(repo, specs, &[])
}

/// [`resolve_specs`] with the `[revsetalias]` items (declaration,
/// definition) of the configuration.
pub fn resolve_specs_with_aliases(
    repo: &Repo,
    specs: &[String],
    aliases: &[(Vec<u8>, Vec<u8>)],
) -> RevsetResult<Vec<Revision>> {
    crate::revset::evaluate_specs(repo, specs, aliases)
}

/// One revision for commands taking a single `-r`: the last of the set.
/// The spec is a full revset, as hg's `revsingle` evaluates it.
pub fn resolve_single(repo: &Repo, spec: &str) -> RevsetResult<Revision> {
    crate::revset::evaluate_specs(repo, &[spec.to_string()], &[])?
        .last()
        .copied()
        .ok_or_else(|| RepoError::Message("empty revision set".to_string()).into())
}
