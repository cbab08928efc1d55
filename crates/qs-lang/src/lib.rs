//! Mercurial's small languages — revsets, templates, filesets — as grammars
//! (tables) handed to one Pratt parser engine.
//!
//! - [`pratt`] — the engine; a grammar is a static table of [`pratt::Rule`]s
//!   plus a lazy tokenizer.
//! - [`tree`] — the parse tree ([`Tree`], node kinds [`Kind`] spelled as hg
//!   spells them) and hg's `prettyformat` ([`Tree::pretty`]), which is what
//!   `hg debugrevspec -p STAGE` and `hg debugtemplate -v` print.
//! - [`revset`] — `parse(expr, lookup)`, `expand_aliases`, `fold_concat`,
//!   `analyze`, `optimize` — each stage of `hg debugrevspec`.
//! - [`template`] — `parse(tmpl)`, `parse_expr`, `expand_aliases`.
//! - [`fileset`] — `parse(expr)` (the parsed stage only).
//! - [`ParseError`] — message, byte offset, hint, and [`ParseError::render`]
//!   giving the exact bytes hg prints (`hg: parse error at N: ...`).
//!
//! Everything is bytes (hg's strings are bytes; non-UTF-8 survives). No
//! configuration access: aliases are passed in as `(declaration,
//! definition)` pairs. Nesting deeper than [`pratt::MAX_DEPTH`] (500, about
//! where hg hits Python's recursion limit) is a parse error, never a stack
//! overflow — given enough stack for that depth: the parser and the tree
//! passes recurse, and at the maximum depth a debug build needs about 4 MB
//! (a release build well under 1 MB). A main thread's 8 MB is plenty; spawn
//! worker threads (command server) with at least 8 MB.
//!
//! Trees built by alias expansion are not depth-checked (as in hg, a
//! pathological alias set can build a tree far deeper than its text).

pub mod alias;
pub mod error;
pub mod escape;
pub mod fileset;
pub mod pratt;
pub mod revset;
pub mod template;
pub mod tree;

pub use alias::Aliases;
pub use error::{AliasError, ParseError};
pub use tree::{pretty, Kind, Tree};
