//! Evaluating revsets over the changelog: the text goes through `qs-lang`
//! (parse with a symbol lookup, `[revsetalias]` expansion, `##` folding,
//! analysis, optimisation) and the optimized tree is evaluated here into an
//! ordered list of revisions, following hg's ordering rules: an expression
//! either defines the order of its result or follows the order of the set
//! it filters (see [`eval`]).
//!
//! - [`set`] — ordered revision sets with hg's smartset semantics.
//! - [`eval`] — operators (`x:y`, `x::y`, `and`, `or`, `not`, `x^n`, `x~n`).
//! - [`predicates`] — functions (`ancestors()`, `branch()`, `sort()`, ...).
//! - [`args`] — argument helpers (hg's `getargs`, `getstring`, ...).
//! - [`content`] — `matching()`, `diffcontains()`.
//! - [`files`] — file functions (`file()`, `follow()`, `modifies()`, ...).
//! - [`text`] — string patterns (`re:`, `literal:`) and text functions.
//! - [`sources`] — `origin()`, `destination()`, `named()`.
//! - [`logopts`] — `log`'s options (`-k`, `-u`, `-d`, `-f`, files) as revisions.
//! - [`similar`] — the `(did you mean ...)` hint for unknown functions.

mod args;
mod content;
pub(crate) mod dag;
mod eval;
mod files;
pub mod logopts;
mod predicates;
pub mod set;
mod similar;
mod sort;
mod sources;
mod text;
mod window;

use std::cell::RefCell;

use qs_lang::{revset as lang, AliasError, ParseError, Tree};
use qs_store::Revision;

use crate::error::RepoError;
use crate::repo::Repo;
use crate::revspec;

pub use set::RevSet;

/// Why a revset could not be evaluated.
#[derive(Debug, thiserror::Error)]
pub enum RevsetError {
    /// A syntax or usage error hg reports as `hg: parse error...` (exit
    /// 255); [`ParseError::render`] gives its exact bytes.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// A referenced alias is badly defined: hg's `abort: MESSAGE`.
    #[error("{}", String::from_utf8_lossy(.0))]
    BadAlias(Vec<u8>),
    /// A name that resolves to nothing (hg's `RepoLookupError`, which
    /// `present()` forgives): `abort: MESSAGE`.
    #[error("{0}")]
    Lookup(String),
    /// A hash prefix matching several changesets, found while evaluating
    /// (hg's revlog `LookupError`, which `present()` does not forgive).
    #[error("00changelog@{0}: ambiguous identifier")]
    AmbiguousPrefix(String),
    /// Something hg supports that qs does not evaluate yet.
    #[error("{0}")]
    Unsupported(String),
    /// A lookup failure (`unknown revision 'x'`) or a read error.
    #[error(transparent)]
    Repo(#[from] RepoError),
}

impl From<AliasError> for RevsetError {
    fn from(e: AliasError) -> Self {
        match e {
            AliasError::Parse(p) => RevsetError::Parse(p),
            AliasError::BadAlias(message) => RevsetError::BadAlias(message),
        }
    }
}

impl From<qs_store::StoreError> for RevsetError {
    fn from(e: qs_store::StoreError) -> Self {
        RevsetError::Repo(e.into())
    }
}

pub type RevsetResult<T> = Result<T, RevsetError>;

/// Parses and evaluates the revsets `specs` (each `-r` value) as hg does:
/// one query, the union of the specs in order. `aliases` are the
/// `[revsetalias]` items (declaration, definition); warnings about bad
/// aliases are recorded on the repository (see [`Repo::take_warnings`]).
pub fn evaluate_specs(
    repo: &Repo,
    specs: &[String],
    aliases: &[(Vec<u8>, Vec<u8>)],
) -> RevsetResult<Vec<Revision>> {
    // hg's lookup aborts on an ambiguous hash prefix; ours answers a bool,
    // so the first such error is kept aside and reported after parsing.
    let ambiguous: RefCell<Option<RepoError>> = RefCell::new(None);
    let lookup = |name: &[u8]| {
        let name = String::from_utf8_lossy(name);
        match revspec::resolve_symbol(repo, &name) {
            Ok(_) => true,
            Err(e @ RepoError::AmbiguousIdentifier(_)) => {
                ambiguous.borrow_mut().get_or_insert(e);
                false
            }
            Err(_) => false,
        }
    };
    let mut trees = Vec::with_capacity(specs.len());
    for spec in specs {
        if spec.is_empty() {
            return Err(ParseError::new("empty query").into());
        }
        let parsed = lang::parse(spec.as_bytes(), Some(&lookup));
        if let Some(e) = ambiguous.borrow_mut().take() {
            return Err(e.into());
        }
        trees.push(Some(parsed?));
    }
    let tree = match trees.len() {
        0 => return Ok(Vec::new()),
        1 => trees.pop().flatten(),
        _ => Some(Tree::Node(
            qs_lang::Kind::Or,
            vec![Some(Tree::Node(qs_lang::Kind::List, trees))],
        )),
    };
    let Some(tree) = tree else {
        return Ok(Vec::new());
    };
    let alias_table = lang::build_aliases(aliases);
    let (expanded, warnings) = lang::expand_aliases(&tree, &alias_table)?;
    repo.warn(
        warnings
            .into_iter()
            .map(|w| String::from_utf8_lossy(&w).into_owned()),
    );
    let folded = lang::fold_concat(expanded)?;
    let analyzed = lang::analyze(&folded)?;
    let optimized = lang::optimize(analyzed.as_ref())?;
    let evaluator = eval::Evaluator::new(repo);
    let full = RevSet::Full(repo.len());
    let result = evaluator.getset(&full, optimized.as_ref(), eval::Order::Define)?;
    Ok(result.into_vec())
}

/// Filters `revs` (keeping their order) by the revset `spec`, evaluated
/// without symbol lookup during parsing nor aliases, as hg's
/// `revset.match(None, spec)(repo, revs)` does for `log`'s options.
pub fn filter_revs(repo: &Repo, spec: &str, revs: Vec<Revision>) -> RevsetResult<Vec<Revision>> {
    let parsed = lang::parse(spec.as_bytes(), None)?;
    let folded = lang::fold_concat(parsed)?;
    let analyzed = lang::analyze(&folded)?;
    let optimized = lang::optimize(analyzed.as_ref())?;
    let evaluator = eval::Evaluator::new(repo);
    let result = evaluator.getset(&RevSet::List(revs), optimized.as_ref(), eval::Order::Follow)?;
    Ok(result.into_vec())
}
