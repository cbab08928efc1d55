//! The repository hub: open a repository (requirements, store, config),
//! resolve revisions and names (bookmarks, tags, branches), and answer the
//! questions read commands ask. It never touches a terminal, never reads
//! the process environment and never changes the current directory.

pub mod bisect;
pub mod bookmark;
pub mod changelog_meta;
pub mod changes;
pub mod changeset;
pub mod commit;
pub mod copy;
pub mod dates;
pub mod datespec;
pub mod diff;
pub mod dirstate_parents;
pub mod discovery;
pub mod error;
pub mod labels;
pub mod marks;
pub mod merge;
pub mod names;
pub mod pathaudit;
pub mod phaseroots;
pub mod repo;
pub mod revert;
pub mod revset;
pub mod revspec;
pub mod similar;
pub mod status;
pub mod summary;
pub mod tag;
pub mod tags_cache;
pub mod template;
pub mod tracking;
pub mod txn;
pub mod util;
pub mod verify;
pub mod wdirstate;
pub mod workfile;
pub mod working;

pub use changeset::Changeset;
pub use error::{RepoError, RepoResult};
pub use repo::Repo;
