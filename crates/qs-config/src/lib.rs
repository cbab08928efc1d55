//! Mercurial configuration: hgrc files parsed exactly as hg parses them,
//! layered in hg's order (system, user or `HGRCPATH`, repository,
//! `--config`), each value remembering where it came from.
//!
//! The library never reads the process environment nor resolves `~` on
//! its own: callers pass an explicit [`Environment`].

pub mod config;
pub mod parser;
pub mod paths;
pub mod render;
pub mod sources;

pub use config::{Config, ConfigError};
pub use sources::Environment;
