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
    /// A running pager receiving regular output instead of `out`.
    pager: Option<Pager>,
    /// Label styles, when colour is on.
    styles: Option<crate::color::Styles>,
}

/// A pager process (`less` by default) and the pipe to its input.
struct Pager {
    child: std::process::Child,
    input: std::io::BufWriter<std::process::ChildStdin>,
}

impl<'a> Ui<'a> {
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write, verbosity: Verbosity) -> Ui<'a> {
        Ui {
            out,
            err,
            verbosity,
            plain: false,
            pager: None,
            styles: None,
        }
    }

    /// Turns colour on with these styles.
    pub fn set_styles(&mut self, styles: crate::color::Styles) {
        self.styles = Some(styles);
    }

    /// Whether labels are rendered (colour is on).
    pub fn colored(&self) -> bool {
        self.styles.is_some()
    }

    /// Regular output carrying a label (coloured when colour is on).
    pub fn write_labeled(&mut self, bytes: &[u8], label: &str) -> std::io::Result<()> {
        let start = self
            .styles
            .as_ref()
            .and_then(|s| s.start(label))
            .map(str::to_string);
        match start {
            Some(start) if !bytes.is_empty() => {
                let mut out = Vec::with_capacity(bytes.len() + 12);
                out.extend_from_slice(start.as_bytes());
                out.extend_from_slice(bytes);
                out.extend_from_slice(crate::color::RESET.as_bytes());
                self.write(&out)
            }
            _ => self.write(bytes),
        }
    }

    /// Sends regular output through `command` (run by `sh -c`) from now
    /// on. If the pager cannot start, output goes on to the original stream.
    pub fn start_pager(&mut self, command: &str, env: &std::collections::HashMap<String, String>) {
        if self.pager.is_some() {
            return;
        }
        let _ = self.out.flush();
        let mut cmd = std::process::Command::new("/bin/sh");
        cmd.arg("-c").arg(command).env_clear().envs(env);
        if !env.contains_key("LESS") {
            cmd.env("LESS", "FRX");
        }
        if !env.contains_key("LV") {
            cmd.env("LV", "-c");
        }
        cmd.stdin(std::process::Stdio::piped());
        if let Ok(mut child) = cmd.spawn() {
            if let Some(stdin) = child.stdin.take() {
                self.pager = Some(Pager {
                    child,
                    input: std::io::BufWriter::new(stdin),
                });
            }
        }
    }

    /// Closes the pager's input and waits for the user to quit it.
    pub fn finish_pager(&mut self) {
        if let Some(mut pager) = self.pager.take() {
            let _ = pager.input.flush();
            drop(pager.input);
            let _ = pager.child.wait();
        }
    }

    fn sink(&mut self) -> &mut dyn Write {
        match &mut self.pager {
            Some(p) => &mut p.input,
            None => &mut *self.out,
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
        self.sink().write_all(bytes)
    }

    /// Regular output from a string.
    pub fn write_str(&mut self, s: &str) -> std::io::Result<()> {
        self.sink().write_all(s.as_bytes())
    }

    /// Output suppressed by `-q` (hg's `ui.status`).
    pub fn status(&mut self, s: &str) -> std::io::Result<()> {
        if self.verbosity.quiet {
            return Ok(());
        }
        self.sink().write_all(s.as_bytes())
    }

    /// [`Ui::status`] for bytes that need not be UTF-8 (file names).
    pub fn status_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.verbosity.quiet {
            return Ok(());
        }
        self.sink().write_all(bytes)
    }

    /// [`Ui::warn`] for bytes that need not be UTF-8 (file names).
    pub fn warn_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.sink().flush()?;
        self.err.write_all(bytes)
    }

    /// Output shown only with `-v` (hg's `ui.note`).
    pub fn note(&mut self, s: &str) -> std::io::Result<()> {
        if !self.verbose() {
            return Ok(());
        }
        self.sink().write_all(s.as_bytes())
    }

    /// Warnings and errors, on the error stream.
    pub fn warn(&mut self, s: &str) -> std::io::Result<()> {
        self.sink().flush()?;
        self.err.write_all(s.as_bytes())
    }

    /// Flushes both streams.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.sink().flush()?;
        self.err.flush()
    }
}
