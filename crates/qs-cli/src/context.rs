//! The explicit process context a command runs against: arguments,
//! environment, working directory and standard streams.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Everything a command may know about the process that invoked it.
pub struct Context<'a> {
    /// Arguments after the program name.
    pub args: Vec<String>,
    /// The environment variables.
    pub env: HashMap<String, String>,
    /// The current working directory.
    pub cwd: PathBuf,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub stdin: &'a mut dyn BufRead,
    pub stdout_is_tty: bool,
    pub stderr_is_tty: bool,
}

impl Context<'_> {
    /// An environment variable, if set.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }
}
