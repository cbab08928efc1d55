//! Early stop for `first`, `limit` and `last` over per-revision filters.
//!
//! hg's smartsets are lazy: `first(user(bob))` stops at the first match.
//! qs's sets are materialised, so instead a query whose every part is a
//! per-revision filter ("window-safe": its value on part of the
//! repository is its value on the whole repository restricted to that
//! part, in ascending order) is evaluated over growing windows of
//! revisions, from the start (or the end, for `last`), until enough
//! revisions are found. Anything else is evaluated whole, as before.

use qs_lang::{Kind, Tree};
use qs_store::Revision;

use super::args::getstring;
use super::eval::{Evaluator, Order};
use super::set::RevSet;
use super::RevsetResult;

/// Predicates that only filter their subset, revision by revision, in the
/// subset's order (their arguments, if sets, are evaluated over the whole
/// repository).
const FILTERS: &[&[u8]] = &[
    b"user", b"author", b"desc", b"keyword", b"date", b"merge", b"closed", b"branch", b"file",
];

/// The first window's size; each next one doubles.
const FIRST_WINDOW: usize = 256;

fn window_safe(tree: &Tree) -> bool {
    match tree.kind() {
        Kind::And | Kind::AndSmally | Kind::Difference => {
            tree.child(0).is_some_and(window_safe) && tree.child(1).is_some_and(window_safe)
        }
        Kind::Not => tree.child(0).is_some_and(window_safe),
        Kind::Func => getstring(tree.child(0), "").is_ok_and(|name| FILTERS.contains(&name)),
        _ => false,
    }
}

impl Evaluator<'_> {
    /// `tree` over the whole repository (defining its order), or, when it
    /// is window-safe, only enough of it: at least its first `need`
    /// revisions (its last ones with `from_end`), in the same order.
    pub fn getset_enough(&self, tree: &Tree, need: usize, from_end: bool) -> RevsetResult<RevSet> {
        let len = self.repo.len();
        if !window_safe(tree) || len <= FIRST_WINDOW {
            return self.getset(&self.full(), Some(tree), Order::Define);
        }
        let mut windows: Vec<Vec<Revision>> = Vec::new();
        let (mut found, mut done, mut size) = (0, 0, FIRST_WINDOW);
        // At least one window, so that argument errors surface as they
        // would for the whole repository.
        while done < len && (windows.is_empty() || found < need) {
            let take = size.min(len - done);
            let (start, stop) = if from_end {
                (len - done - take, len - done)
            } else {
                (done, done + take)
            };
            let window = RevSet::List((start as i32..stop as i32).map(Revision).collect());
            let revs = self.getset(&window, Some(tree), Order::Define)?.into_vec();
            found += revs.len();
            windows.push(revs);
            done += take;
            size = size.saturating_mul(2);
        }
        if from_end {
            windows.reverse();
        }
        Ok(RevSet::List(windows.concat()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as the evaluator sees it: parsed, analysed, optimised.
    fn parse(text: &str) -> Tree {
        let parsed = qs_lang::revset::parse(text.as_bytes(), None).expect("parses");
        let analyzed = qs_lang::revset::analyze(&parsed).expect("analyzes");
        qs_lang::revset::optimize(analyzed.as_ref())
            .expect("optimizes")
            .expect("a tree")
    }

    #[test]
    fn only_per_revision_filters_are_window_safe() {
        for safe in [
            "user(bob)",
            "user(bob) and not merge()",
            "desc(x) - branch(default)",
            "file('glob:src/**') and date('>2015')",
        ] {
            assert!(window_safe(&parse(safe)), "{safe}");
        }
        for unsafe_ in [
            "heads(user(bob))",
            "user(bob) or desc(x)",
            "reverse(user(bob))",
            "tip",
            "first(user(bob))",
            "user(bob) and roots(all())",
        ] {
            assert!(!window_safe(&parse(unsafe_)), "{unsafe_}");
        }
    }
}
