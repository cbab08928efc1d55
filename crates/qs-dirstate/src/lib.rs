//! The working directory's state: dirstate v1 and v2, file matchers and
//! `.hgignore`, and the parallel status walk.
//!
//! - [`DirstateMap`] holds parents, [`Entry`]s (hg's `DirstateItem`
//!   model) and copy sources, in hg's insertion order. [`v1`] parses and
//!   writes `.hg/dirstate` v1; [`v2`] / [`v2_tree`] the v2 docket and data
//!   file; [`disk`] reads and writes them in `.hg/` (v2 append or new
//!   data file). [`debug::debugstate`] renders `hg debugstate`.
//! - [`timestamp`] holds the mtime-ambiguity rules: an mtime is recorded
//!   as clean only when [`timestamp::make_reliable`] allows it.
//! - [`pattern`] knows the pattern kinds (`path:`, `glob:`, `re:`...), hg's
//!   glob syntax and [`pyre`] rewrites Python regexes for the `regex`
//!   crate; [`matchbuild::build_matcher`] turns command-line patterns,
//!   `-I` and `-X` into a [`Matcher`] (`matches`, `visit_dir`,
//!   `visit_children_set` for pruning); [`ignore`] builds the ignore
//!   matcher from `.hgignore` and `ui.ignore*` files. Pattern files are
//!   read through a caller-supplied reader.
//! - [`status`] walks the working directory in parallel and classifies
//!   files; files it cannot decide from metadata are returned as
//!   `unsure` for the caller to compare with the parent manifest.
//!
//! The crate never prints, reads the environment or changes directory:
//! every path is given by the caller.

pub mod debug;
pub mod dirty;
pub mod disk;
pub mod entry;
pub mod error;
pub mod fsstat;
pub mod ignore;
pub mod map;
pub mod matchbuild;
pub mod matcher;
pub mod ordered;
pub mod pattern;
pub mod pyre;
pub mod status;
pub mod timestamp;
pub mod v1;
pub mod v2;
pub mod v2_tree;

pub use disk::{Dirstate, WriteMode};
pub use entry::Entry;
pub use error::{DirstateError, DirstateResult};
pub use map::DirstateMap;
pub use matcher::Matcher;
pub use timestamp::TruncatedTimestamp;
