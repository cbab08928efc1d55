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
    /// The installation prefix (the directory above the one holding the
    /// `qs` binary), whose `etc/mercurial` holds system configuration.
    pub install_prefix: Option<PathBuf>,
}

impl Context<'_> {
    /// An environment variable, if set.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }
}

/// First code point of the private-use block that carries argument bytes
/// which are not valid UTF-8 (like Python's surrogateescape): byte `b`
/// becomes `U+10FF00 + b`, so file names in any encoding survive argv.
const ESCAPE_BASE: u32 = 0x10_FF00;

/// Decodes one argument, keeping bytes that are not UTF-8 recoverable by
/// [`arg_bytes`].
pub fn decode_arg(arg: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    let mut rest = arg.as_bytes();
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.push_str(valid);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let n = e.error_len().unwrap_or(bad.len()).max(1);
                for &b in &bad[..n] {
                    out.push(char::from_u32(ESCAPE_BASE + u32::from(b)).unwrap_or('?'));
                }
                rest = &bad[n..];
            }
        }
    }
    out
}

/// The original bytes of an argument decoded by [`decode_arg`].
pub fn arg_bytes(arg: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(arg.len());
    for c in arg.chars() {
        let code = c as u32;
        if (ESCAPE_BASE..ESCAPE_BASE + 0x100).contains(&code) {
            out.push((code - ESCAPE_BASE) as u8);
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn non_utf8_arguments_round_trip() {
        let raw = b"latin1-\xe9.txt";
        let decoded = decode_arg(std::ffi::OsStr::from_bytes(raw));
        assert_eq!(arg_bytes(&decoded), raw);
        assert_eq!(arg_bytes("plain \u{e9}"), "plain \u{e9}".as_bytes());
    }
}
