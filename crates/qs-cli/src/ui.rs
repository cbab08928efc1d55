//! `Ui`: where a command's output goes, and how much of it (quiet, verbose,
//! debug). Built from whatever streams it is given — the real terminal, a
//! pipe, the command server's channels or a test buffer.

use std::io::Write;

/// How chatty the command should be, from `-q`, `-v`, `--debug`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verbosity {
    pub quiet: bool,
    pub verbose: bool,
    pub debug: bool,
}

/// A command's view of its output streams.
pub struct Ui<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    pub verbosity: Verbosity,
    /// HGPLAIN is set: output must be stable for scripts.
    pub plain: bool,
}

impl<'a> Ui<'a> {
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write, verbosity: Verbosity) -> Ui<'a> {
        Ui {
            out,
            err,
            verbosity,
            plain: false,
        }
    }

    pub fn quiet(&self) -> bool {
        self.verbosity.quiet
    }

    pub fn verbose(&self) -> bool {
        self.verbosity.verbose || self.verbosity.debug
    }

    pub fn debug_flag(&self) -> bool {
        self.verbosity.debug
    }

    /// Regular output.
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }

    /// Regular output from a string.
    pub fn write_str(&mut self, s: &str) -> std::io::Result<()> {
        self.out.write_all(s.as_bytes())
    }

    /// Output suppressed by `-q` (hg's `ui.status`).
    pub fn status(&mut self, s: &str) -> std::io::Result<()> {
        if self.verbosity.quiet {
            return Ok(());
        }
        self.out.write_all(s.as_bytes())
    }

    /// Output shown only with `-v` (hg's `ui.note`).
    pub fn note(&mut self, s: &str) -> std::io::Result<()> {
        if !self.verbose() {
            return Ok(());
        }
        self.out.write_all(s.as_bytes())
    }

    /// Warnings and errors, on the error stream.
    pub fn warn(&mut self, s: &str) -> std::io::Result<()> {
        self.out.flush()?;
        self.err.write_all(s.as_bytes())
    }

    /// Flushes both streams.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        self.err.flush()
    }
}
