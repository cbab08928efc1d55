//! On-disk formats of a Mercurial repository, with no policy.
//!
//! This crate knows how bytes are laid out in `.hg/` and `.hg/store/`:
//! node ids, revision numbers, revlogs (index, data chunks, deltas),
//! changelog / manifest / filelog entries, store path encoding,
//! requirements, phases and bookmarks. It never prints, never reads the
//! process environment and never decides what a command should do.
//!
//! Specs: `mercurial/helptext/internals/revlogs.txt` and `requirements.txt`
//! in the pinned Mercurial package; our notes live in `docs/internals/`.

pub mod bookmarks;
pub mod changelog;
pub mod error;
pub mod filelog;
pub mod fncache;
pub mod lock;
pub mod manifest;
pub mod manifest_cache;
pub mod mdiff;
pub mod node;
pub mod path_encoding;
pub mod phases;
pub mod pyrepr;
pub mod requirements;
pub mod revlog;
pub mod tags;
pub mod transaction;

pub use error::{StoreError, StoreResult};
pub use node::{Node, NodePrefix, NULL_NODE};
pub use revlog::{Revision, NULL_REVISION, WORKING_REVISION};
