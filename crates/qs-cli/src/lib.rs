//! The `qs` command-line client as a library: argument parsing, the command
//! table, the `Ui` and the mapping of errors to hg-style messages and exit
//! codes. Everything runs against an explicit [`Context`], so the same code
//! serves the binary, the command server and in-process tests.

pub mod clock;
pub mod color;
pub mod commands;
pub mod context;
pub mod diffui;
pub mod dispatch;
pub mod display;
pub mod displayer;
pub mod error;
pub mod graph;
pub mod opts;
pub mod paths;
pub mod styles;
pub mod ui;

pub use context::Context;
pub use dispatch::run;
