//! Shared helpers for tests that run the real hg found through `QS_HG`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The hg executable named by `QS_HG`; panics with a clear message if unset.
pub fn hg_path() -> PathBuf {
    match std::env::var_os("QS_HG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => panic!(
            "QS_HG is not set: these tests compare with real Mercurial; \
             run them through scripts/test.sh or export QS_HG=/path/to/hg"
        ),
    }
}

/// A temporary directory holding a HOME and repositories.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("home")).expect("home");
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs hg in `cwd` with a scrubbed environment; returns stdout,
    /// panicking on failure.
    pub fn hg(&self, cwd: &Path, args: &[&str]) -> Vec<u8> {
        let out = self.hg_raw(cwd, args);
        assert!(
            out.status.success() || out.status.code() == Some(1),
            "hg {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    pub fn hg_raw(&self, cwd: &Path, args: &[&str]) -> std::process::Output {
        Command::new(hg_path())
            .args(["--config", "storage.dirstate-v2.slow-path=allow"])
            .args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path().join("home"))
            .env("HGPLAIN", "1")
            .env("HGRCPATH", "")
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .env("HGUSER", "test <test@example.com>")
            .output()
            .expect("run hg")
    }

    /// `hg init` a repository named `name`, v1 or v2.
    pub fn init(&self, name: &str, v2: bool) -> PathBuf {
        let flag = format!("format.use-dirstate-v2={}", if v2 { "yes" } else { "no" });
        self.hg(self.path(), &["init", "--config", &flag, name]);
        self.path().join(name)
    }
}

/// Writes a file, creating parent directories.
pub fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, content).expect("write");
}

/// The process umask, read through the shell.
pub fn umask() -> u32 {
    let out = Command::new("sh")
        .args(["-c", "umask"])
        .output()
        .expect("sh");
    u32::from_str_radix(String::from_utf8_lossy(&out.stdout).trim(), 8).expect("umask")
}
