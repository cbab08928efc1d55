//! The qs-versus-hg comparison harness shared by the integration tests.
//!
//! Every test here runs the built `qs` and the pinned real `hg` (found via
//! `QS_HG`) on the same fixture repository (found under `QS_FIXTURES`), with
//! the same arguments, working directory, standard input and a hermetic
//! environment, and asserts that stdout, stderr and the exit code are
//! byte-identical. `scripts/test.sh` installs hg, builds the fixtures and
//! exports both variables; without them the tests panic (they never skip).
//!
//! Main entry points (see each item's docs):
//! - [`compare`], [`compare_in`], [`compare_inv`]: assert one invocation.
//! - [`compare_with_copy`]: the same on a scratch copy of a fixture that a
//!   closure may modify first (for anything that writes or takes a lock).
//! - [`Checker`]: collect many comparisons and fail once, listing every
//!   mismatch.
//! - [`Invocation`]: args + cwd + stdin + extra env, the unit of comparison.
//! - [`run_qs`] / [`run_hg`] / [`run_both_with_copy`] for custom assertions.
//! - [`KNOWN_DIFFERENCES`] and [`Invocation::known_difference`]: documented
//!   differences, reported as notes instead of failures.
//!
//! Environment knobs: `QS_BIN` replaces the `qs` binary under test (set it
//! to `$QS_HG` to validate the tests themselves: everything must pass);
//! `QS_HG_CACHE=0` disables the on-disk cache of hg's results on shared
//! fixtures (kept in `$QS_FIXTURES/.hg-results`, cleared whenever a fixture
//! is rebuilt); `QS_HG_CMDSERVER=0` runs hg as one process per invocation
//! on fixtures instead of through a command server per directory
//! (`cmdserver.rs`); `QS_TEST_TIMEOUT` (seconds, default 180) bounds each
//! run.

#![allow(dead_code)]

pub mod cmdserver;

use std::collections::hash_map::DefaultHasher;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUN_TESTS_HINT: &str =
    "run the tests through scripts/test.sh (it installs the pinned hg into \
     .venv, builds the fixtures into .fixtures and exports QS_HG and QS_FIXTURES), \
     or export them yourself: QS_HG=$PWD/.venv/bin/hg QS_FIXTURES=$PWD/.fixtures \
     after scripts/setup-hg.sh and scripts/make-fixtures.sh";

/// Documented, accepted differences between qs and hg: an invocation whose
/// arguments start with `args_prefix` may differ; the difference is printed
/// as a note, not a failure. Keep each entry justified.
pub struct KnownDifference {
    pub args_prefix: &'static [&'static str],
    pub reason: &'static str,
}

pub const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    KnownDifference {
        args_prefix: &["version"],
        reason: "qs names itself (and its own version) in `version` output",
    },
    KnownDifference {
        args_prefix: &["--version"],
        reason: "qs names itself (and its own version) in `version` output",
    },
];

// ---------------------------------------------------------------------------
// Locating the tools and fixtures

fn env_path(var: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => panic!("{var} is not set: {RUN_TESTS_HINT}"),
    }
}

/// The real hg (`QS_HG`); panics with instructions when missing.
pub fn hg_bin() -> PathBuf {
    let hg = env_path("QS_HG");
    if !hg.is_file() {
        panic!("QS_HG={} does not exist: {RUN_TESTS_HINT}", hg.display());
    }
    hg
}

/// The binary under test: `QS_BIN` when set, else the `qs` cargo built.
pub fn qs_bin() -> PathBuf {
    match std::env::var_os("QS_BIN") {
        Some(v) if !v.is_empty() => {
            let p = PathBuf::from(v);
            if !p.is_file() {
                panic!("QS_BIN={} does not exist", p.display());
            }
            p
        }
        _ => PathBuf::from(env!("CARGO_BIN_EXE_qs")),
    }
}

/// Whether the binary under test is overridden by `QS_BIN`.
pub fn qs_is_overridden() -> bool {
    std::env::var_os("QS_BIN").is_some_and(|v| !v.is_empty())
}

/// The directory holding the fixtures (`QS_FIXTURES`).
pub fn fixtures_root() -> PathBuf {
    let root = env_path("QS_FIXTURES");
    if !root.is_dir() {
        panic!(
            "QS_FIXTURES={} is not a directory: {RUN_TESTS_HINT}",
            root.display()
        );
    }
    root
}

/// The path of fixture `name`; panics when it was not built.
pub fn fixture(name: &str) -> PathBuf {
    let p = fixtures_root().join(name);
    if !p.join(".hg").is_dir() {
        panic!(
            "fixture '{name}' not found at {} (is there a scripts/fixtures/{name}.sh?): {RUN_TESTS_HINT}",
            p.display()
        );
    }
    p
}

/// Names of all built fixtures (directories of `QS_FIXTURES` holding a
/// repository), sorted.
pub fn fixture_names() -> Vec<String> {
    let root = fixtures_root();
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join(".hg").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn fixture_stamp(name: &str) -> Option<String> {
    std::fs::read_to_string(fixtures_root().join(".stamps").join(name))
        .ok()
        .map(|s| s.trim().to_owned())
}

// ---------------------------------------------------------------------------
// Invocations and outcomes

/// One command line to run under both tools.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    pub stdin: Option<Vec<u8>>,
    /// Extra environment variables, on top of the hermetic base.
    pub env: Vec<(OsString, OsString)>,
    /// Set for a documented difference: mismatches become notes.
    pub known_difference: Option<String>,
    /// Fixture stamp when hg's result may be cached (shared fixtures only).
    cache_stamp: Option<String>,
}

impl Invocation {
    /// Run `args` in directory `cwd` (not cached).
    pub fn new<S: AsRef<OsStr>>(cwd: impl Into<PathBuf>, args: &[S]) -> Self {
        Invocation {
            args: args.iter().map(|a| a.as_ref().to_owned()).collect(),
            cwd: cwd.into(),
            stdin: None,
            env: Vec::new(),
            known_difference: None,
            cache_stamp: None,
        }
    }

    /// Run `args` at the root of the shared fixture `name`. Such commands
    /// must not write to the repository (use the copy helpers for that);
    /// hg's result is cached on disk, keyed by the fixture's stamp.
    pub fn fixture<S: AsRef<OsStr>>(name: &str, args: &[S]) -> Self {
        let mut inv = Invocation::new(fixture(name), args);
        inv.cache_stamp = fixture_stamp(name);
        inv
    }

    /// Like [`Invocation::fixture`], from the subdirectory `sub` of it.
    pub fn fixture_subdir<S: AsRef<OsStr>>(name: &str, sub: impl AsRef<Path>, args: &[S]) -> Self {
        let mut inv = Invocation::fixture(name, args);
        inv.cwd = inv.cwd.join(sub);
        inv
    }

    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Self {
        self.args.push(a.as_ref().to_owned());
        self
    }

    pub fn stdin(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(data.into());
        self
    }

    pub fn env(mut self, k: impl AsRef<OsStr>, v: impl AsRef<OsStr>) -> Self {
        self.env
            .push((k.as_ref().to_owned(), v.as_ref().to_owned()));
        self
    }

    pub fn known_difference(mut self, reason: &str) -> Self {
        self.known_difference = Some(reason.to_owned());
        self
    }

    /// Never use hg's cached result for this invocation.
    pub fn uncached(mut self) -> Self {
        self.cache_stamp = None;
        self
    }

    /// A shell line reproducing the run (for reports).
    pub fn repro(&self, tool: &str) -> String {
        let mut s = format!(
            "cd {} && env -i HOME=$(mktemp -d) HGPLAIN=1 HGRCPATH= LANG=C LC_ALL=C TZ=UTC",
            shell_quote(self.cwd.as_os_str())
        );
        for (k, v) in &self.env {
            s.push(' ');
            s.push_str(&k.to_string_lossy());
            s.push('=');
            s.push_str(&shell_quote(v));
        }
        s.push(' ');
        s.push_str(tool);
        for a in &self.args {
            s.push(' ');
            s.push_str(&shell_quote(a));
        }
        if self.stdin.is_some() {
            s.push_str(" < <stdin>");
        }
        s
    }

    /// The arguments for display, shell-quoted.
    pub fn args_display(&self) -> String {
        self.args
            .iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn matching_known_difference(&self) -> Option<String> {
        if let Some(r) = &self.known_difference {
            return Some(r.clone());
        }
        KNOWN_DIFFERENCES
            .iter()
            .find(|k| {
                k.args_prefix.len() <= self.args.len()
                    && k.args_prefix
                        .iter()
                        .zip(&self.args)
                        .all(|(p, a)| OsStr::new(p) == a)
            })
            .map(|k| k.reason.to_owned())
    }
}

/// What one run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Exit code; 128+N when killed by signal N; -1 on timeout.
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Outcome {
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    /// Whether stderr shows a Rust panic.
    pub fn panicked(&self) -> bool {
        contains(&self.stderr, b"panicked") || self.code == 101
    }
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Which program to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Qs,
    Hg,
}

fn timeout() -> Duration {
    let secs = std::env::var("QS_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(180);
    Duration::from_secs(secs)
}

/// Run `inv` with `tool`, `home` as HOME, in the hermetic environment:
/// only PATH, HOME, HGPLAIN=1, HGRCPATH= (empty), LANG=LC_ALL=C, TZ=UTC and
/// the invocation's own variables are set (no HGUSER, EMAIL, ... leak in).
pub fn run_with_home(tool: Tool, inv: &Invocation, home: &Path) -> Outcome {
    let program = match tool {
        Tool::Qs => qs_bin(),
        Tool::Hg => hg_bin(),
    };
    let mut cmd = Command::new(&program);
    cmd.args(&inv.args)
        .current_dir(&inv.cwd)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", home)
        .env("HGPLAIN", "1")
        .env("HGRCPATH", "")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("TZ", "UTC");
    for (k, v) in &inv.env {
        cmd.env(k, v);
    }
    cmd.stdin(if inv.stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!(
            "cannot run {} in {}: {e}",
            program.display(),
            inv.cwd.display()
        )
    });
    let stdin_thread = match (child.stdin.take(), inv.stdin.clone()) {
        (Some(mut pipe), Some(data)) => Some(std::thread::spawn(move || {
            // The child may exit without reading: ignore broken pipes.
            let _ = pipe.write_all(&data);
        })),
        _ => None,
    };
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + timeout();
    let mut pause = Duration::from_millis(1);
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    timed_out = true;
                    break child.wait().expect("wait for killed child");
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(e) => panic!("waiting for {}: {e}", program.display()),
        }
    };
    if let Some(t) = stdin_thread {
        let _ = t.join();
    }
    let stdout = out_thread.join().expect("stdout reader");
    let mut stderr = err_thread.join().expect("stderr reader");
    let code = if timed_out {
        stderr.extend_from_slice(
            format!(
                "\n[harness: killed after {}s timeout]\n",
                timeout().as_secs()
            )
            .as_bytes(),
        );
        -1
    } else {
        status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
    };
    Outcome {
        code,
        stdout,
        stderr,
    }
}

/// Run the binary under test with a fresh temporary HOME.
pub fn run_qs(inv: &Invocation) -> Outcome {
    let home = tempfile::tempdir().expect("temp HOME");
    run_with_home(Tool::Qs, inv, home.path())
}

/// Run the real hg with a fresh temporary HOME (uses the result cache
/// when the invocation allows it).
pub fn run_hg(inv: &Invocation) -> Outcome {
    let home = tempfile::tempdir().expect("temp HOME");
    run_hg_with_home(inv, home.path())
}

fn run_hg_with_home(inv: &Invocation, home: &Path) -> Outcome {
    let Some(key) = cache_key(inv) else {
        return run_with_home(Tool::Hg, inv, home);
    };
    let dir = fixtures_root().join(".hg-results");
    let mut h1 = DefaultHasher::new();
    key.hash(&mut h1);
    let mut h2 = DefaultHasher::new();
    (b"qs-second", &key).hash(&mut h2);
    let path = dir.join(format!("{:016x}{:016x}", h1.finish(), h2.finish()));
    if let Some(o) = read_cache(&path, &key) {
        return o;
    }
    // Fixtures are read-only and the invocation has no input or extra
    // environment: one command server per directory answers it.
    let served = if inv.stdin.is_none() && inv.env.is_empty() {
        cmdserver::run(&hg_bin(), &inv.cwd, &inv.args)
    } else {
        None
    };
    let o = served.unwrap_or_else(|| run_with_home(Tool::Hg, inv, home));
    if o.code >= 0 {
        write_cache(&dir, &path, &key, &o);
    }
    o
}

fn cache_key(inv: &Invocation) -> Option<Vec<u8>> {
    let stamp = inv.cache_stamp.as_ref()?;
    if std::env::var_os("QS_HG_CACHE").is_some_and(|v| v == "0") {
        return None;
    }
    let mut k = Vec::new();
    let mut field = |b: &[u8]| {
        k.extend_from_slice(&(b.len() as u64).to_le_bytes());
        k.extend_from_slice(b);
    };
    field(b"qs-hg-cache-v1");
    field(stamp.as_bytes());
    field(hg_bin().as_os_str().as_bytes());
    field(inv.cwd.as_os_str().as_bytes());
    for a in &inv.args {
        field(b"arg");
        field(a.as_bytes());
    }
    for (n, v) in &inv.env {
        field(b"env");
        field(n.as_bytes());
        field(v.as_bytes());
    }
    if let Some(s) = &inv.stdin {
        field(b"stdin");
        field(s);
    }
    Some(k)
}

fn read_cache(path: &Path, key: &[u8]) -> Option<Outcome> {
    let data = std::fs::read(path).ok()?;
    let mut pos = 0usize;
    let mut next = || -> Option<&[u8]> {
        let len_bytes: [u8; 8] = data.get(pos..pos + 8)?.try_into().ok()?;
        let len = usize::try_from(u64::from_le_bytes(len_bytes)).ok()?;
        let start = pos + 8;
        let v = data.get(start..start.checked_add(len)?)?;
        pos = start + len;
        Some(v)
    };
    if next()? != key {
        return None;
    }
    let code = i32::from_le_bytes(next()?.try_into().ok()?);
    let stdout = next()?.to_vec();
    let stderr = next()?.to_vec();
    Some(Outcome {
        code,
        stdout,
        stderr,
    })
}

fn write_cache(dir: &Path, path: &Path, key: &[u8], o: &Outcome) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let mut data = Vec::new();
    for f in [key, &o.code.to_le_bytes()[..], &o.stdout, &o.stderr] {
        data.extend_from_slice(&(f.len() as u64).to_le_bytes());
        data.extend_from_slice(f);
    }
    let tmp = dir.join(format!(
        ".tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&tmp, &data).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
    let _ = std::fs::remove_file(&tmp);
}

// ---------------------------------------------------------------------------
// Comparing

/// Run `inv` under both tools (same HOME) and return (qs, hg).
pub fn run_both(inv: &Invocation) -> (Outcome, Outcome) {
    let home = tempfile::tempdir().expect("temp HOME");
    let qs = run_with_home(Tool::Qs, inv, home.path());
    let hg = run_hg_with_home(inv, home.path());
    (qs, hg)
}

/// Compare qs and hg on `inv`: Ok(note) when identical (or a documented
/// difference, with a note saying so), Err(report) otherwise.
pub fn check(inv: &Invocation) -> Result<Option<String>, String> {
    let (qs, hg) = run_both(inv);
    judge(inv, &qs, &hg)
}

/// True when hg answered with a usage error (`hg CMD: ...` on stderr, exit
/// 255): its stdout is then hg's own help text, which qs deliberately does
/// not reproduce, so only the exit code and stderr must match.
fn is_usage_error(hg: &Outcome) -> bool {
    hg.code == 255
        && hg.stderr.starts_with(b"hg ")
        && hg
            .stderr
            .split(|&b| b == b' ')
            .nth(1)
            .is_some_and(|w| w.ends_with(b":"))
}

fn judge(inv: &Invocation, qs: &Outcome, hg: &Outcome) -> Result<Option<String>, String> {
    if is_usage_error(hg) && qs.code == hg.code && qs.stderr == hg.stderr {
        return Ok(None);
    }
    if qs == hg {
        return match inv.matching_known_difference() {
            Some(reason) => Ok(Some(format!(
                "note: `{}` is marked as a known difference ({reason}) but now matches hg",
                inv.args_display()
            ))),
            None => Ok(None),
        };
    }
    let report = mismatch_report(inv, qs, hg);
    match inv.matching_known_difference() {
        Some(reason) if !qs.panicked() => Ok(Some(format!(
            "known difference ({reason}) for `{}`",
            inv.args_display()
        ))),
        _ => Err(report),
    }
}

/// Assert qs and hg agree on `inv`; panics with a readable report.
pub fn compare_inv(inv: &Invocation) {
    match check(inv) {
        Ok(Some(note)) => eprintln!("{note}"),
        Ok(None) => {}
        Err(report) => panic!("\n{report}"),
    }
}

/// Assert qs and hg agree on `args` run at the root of fixture `name`.
pub fn compare(name: &str, args: &[&str]) {
    compare_inv(&Invocation::fixture(name, args));
}

/// Assert qs and hg agree on `args` run in `cwd` (any directory).
pub fn compare_in(cwd: &Path, args: &[&str]) {
    compare_inv(&Invocation::new(cwd, args));
}

// ---------------------------------------------------------------------------
// Scratch copies

/// Copy a directory tree (files, permissions, symlinks as symlinks).
pub fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap_or_else(|e| panic!("mkdir {}: {e}", dst.display()));
    let entries =
        std::fs::read_dir(src).unwrap_or_else(|e| panic!("reading {}: {e}", src.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("reading {}: {e}", src.display()));
        let from = entry.path();
        let to = dst.join(entry.file_name());
        let ft = entry
            .file_type()
            .unwrap_or_else(|e| panic!("stat {}: {e}", from.display()));
        if ft.is_symlink() {
            let target = std::fs::read_link(&from)
                .unwrap_or_else(|e| panic!("readlink {}: {e}", from.display()));
            std::os::unix::fs::symlink(&target, &to)
                .unwrap_or_else(|e| panic!("symlink {}: {e}", to.display()));
        } else if ft.is_dir() {
            copy_tree(&from, &to);
        } else {
            std::fs::copy(&from, &to)
                .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", from.display(), to.display()));
        }
    }
}

/// A scratch copy of a fixture in its own temporary directory; removed on
/// drop. The copy lives at `<tmp>/<fixture name>`.
pub struct ScratchCopy {
    pub dir: tempfile::TempDir,
    pub repo: PathBuf,
}

impl ScratchCopy {
    pub fn new(name: &str) -> Self {
        let src = fixture(name);
        let dir = tempfile::tempdir().expect("temp dir for a fixture copy");
        let repo = dir.path().join(name);
        copy_tree(&src, &repo);
        ScratchCopy { dir, repo }
    }

    /// Replace the copy by a fresh one at the same path.
    pub fn refresh(&self, name: &str) {
        if self.repo.exists() {
            std::fs::remove_dir_all(&self.repo)
                .unwrap_or_else(|e| panic!("removing {}: {e}", self.repo.display()));
        }
        copy_tree(&fixture(name), &self.repo);
    }
}

/// Run qs and hg each on its own fresh copy of fixture `name` made at the
/// same path, after `prepare(copy_root)`. `make_inv(copy_root)` builds the
/// invocation. Returns (qs, hg). Each tool sees exactly the same bytes, and
/// neither sees what the other wrote (caches, locks, repairs).
pub fn run_both_with_copy(
    name: &str,
    prepare: impl Fn(&Path),
    make_inv: impl Fn(&Path) -> Invocation,
) -> (Outcome, Outcome) {
    let scratch = ScratchCopy::new(name);
    let home = tempfile::tempdir().expect("temp HOME");
    prepare(&scratch.repo);
    let inv = make_inv(&scratch.repo);
    let qs = run_with_home(Tool::Qs, &inv, home.path());
    scratch.refresh(name);
    prepare(&scratch.repo);
    let hg = run_with_home(Tool::Hg, &inv, home.path());
    (qs, hg)
}

/// [`check`] on scratch copies (see [`run_both_with_copy`]); `args` run at
/// the root of the copy.
pub fn check_with_copy(
    name: &str,
    prepare: impl Fn(&Path),
    args: &[&str],
) -> Result<Option<String>, String> {
    check_with_copy_inv(name, prepare, |root| Invocation::new(root, args))
}

/// [`check_with_copy`] with a custom invocation built from the copy's root.
pub fn check_with_copy_inv(
    name: &str,
    prepare: impl Fn(&Path),
    make_inv: impl Fn(&Path) -> Invocation,
) -> Result<Option<String>, String> {
    let scratch = ScratchCopy::new(name);
    let home = tempfile::tempdir().expect("temp HOME");
    prepare(&scratch.repo);
    let inv = make_inv(&scratch.repo);
    let qs = run_with_home(Tool::Qs, &inv, home.path());
    scratch.refresh(name);
    prepare(&scratch.repo);
    let hg = run_with_home(Tool::Hg, &inv, home.path());
    judge(&inv, &qs, &hg)
}

/// Assert qs and hg agree on `args` run on scratch copies of fixture `name`
/// modified by `prepare` (pass `|_| {}` for none).
pub fn compare_with_copy(name: &str, prepare: impl Fn(&Path), args: &[&str]) {
    match check_with_copy(name, prepare, args) {
        Ok(Some(note)) => eprintln!("{note}"),
        Ok(None) => {}
        Err(report) => panic!("\n{report}"),
    }
}

// ---------------------------------------------------------------------------
// Collecting many comparisons

/// Runs many comparisons and fails once at the end listing every mismatch.
#[derive(Default)]
pub struct Checker {
    pub label: String,
    failures: Vec<(String, String)>,
    notes: Vec<String>,
    passed: usize,
}

impl Checker {
    pub fn new(label: &str) -> Self {
        Checker {
            label: label.to_owned(),
            ..Default::default()
        }
    }

    /// Record the result of one comparison.
    pub fn record(&mut self, what: String, result: Result<Option<String>, String>) {
        match result {
            Ok(note) => {
                self.passed += 1;
                if let Some(n) = note {
                    self.notes.push(n);
                }
            }
            Err(report) => self.failures.push((what, report)),
        }
    }

    /// Compare one invocation.
    pub fn check(&mut self, inv: &Invocation) {
        let what = inv.args_display();
        let result = check(inv);
        self.record(what, result);
    }

    /// Compare `args` at the root of shared fixture `name`.
    pub fn fixture(&mut self, name: &str, args: &[&str]) {
        self.check(&Invocation::fixture(name, args));
    }

    /// Compare `args` on scratch copies of `name` modified by `prepare`.
    pub fn with_copy(&mut self, name: &str, prepare: impl Fn(&Path), args: &[&str]) {
        let what = format!("{} (on a copy)", args.join(" "));
        let result = check_with_copy(name, prepare, args);
        self.record(what, result);
    }

    /// Add a failure found by a custom assertion.
    pub fn fail(&mut self, what: String, report: String) {
        self.failures.push((what, report));
    }

    pub fn failures(&self) -> usize {
        self.failures.len()
    }

    /// Panic if anything failed, with every report and a summary list.
    pub fn finish(self) {
        for n in &self.notes {
            eprintln!("[{}] {n}", self.label);
        }
        if self.failures.is_empty() {
            return;
        }
        let mut msg = String::new();
        for (i, (_, report)) in self.failures.iter().enumerate() {
            let _ = writeln!(
                msg,
                "\n===== mismatch {} of {} =====",
                i + 1,
                self.failures.len()
            );
            msg.push_str(report);
        }
        let _ = writeln!(
            msg,
            "\n===== [{}] {} of {} comparisons failed: =====",
            self.label,
            self.failures.len(),
            self.failures.len() + self.passed
        );
        for (what, _) in &self.failures {
            let _ = writeln!(msg, "  {what}");
        }
        panic!("{msg}");
    }
}

// ---------------------------------------------------------------------------
// Reports

const MAX_SHOWN_LINES: usize = 40;

/// Escape bytes for display: printable ASCII as is, `\\`, `\t`, `\r`, and
/// `\xNN` for everything else (including non-ASCII, so UTF-8 is visible).
pub fn escape_bytes(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\r' => s.push_str("\\r"),
            0x20..=0x7e => s.push(c as char),
            _ => {
                let _ = write!(s, "\\x{c:02x}");
            }
        }
    }
    s
}

fn shell_quote(a: &OsStr) -> String {
    let b = a.as_bytes();
    if !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(c))
    {
        return String::from_utf8_lossy(b).into_owned();
    }
    if b.iter().all(|c| (0x20..0x7f).contains(c)) {
        return format!("'{}'", String::from_utf8_lossy(b).replace('\'', "'\\''"));
    }
    // $'...' with escapes for anything unusual.
    let mut s = String::from("$'");
    for &c in b {
        match c {
            b'\'' => s.push_str("\\'"),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(c as char),
            _ => {
                let _ = write!(s, "\\x{c:02x}");
            }
        }
    }
    s.push('\'');
    s
}

fn split_lines(b: &[u8]) -> Vec<&[u8]> {
    if b.is_empty() {
        return Vec::new();
    }
    let body = b.strip_suffix(b"\n").unwrap_or(b);
    body.split(|&c| c == b'\n').collect()
}

fn show_block(out: &mut String, title: &str, b: &[u8]) {
    let lines = split_lines(b);
    let _ = writeln!(
        out,
        "  --- {title}: {} bytes, {} lines",
        b.len(),
        lines.len()
    );
    for l in lines.iter().take(MAX_SHOWN_LINES) {
        let _ = writeln!(out, "  | {}", escape_bytes(l));
    }
    if lines.len() > MAX_SHOWN_LINES {
        let _ = writeln!(
            out,
            "  | ... ({} more lines)",
            lines.len() - MAX_SHOWN_LINES
        );
    }
    if !b.is_empty() && !b.ends_with(b"\n") {
        let _ = writeln!(out, "  \\ no newline at end");
    }
}

/// A compact diff: the first differing line, then the differing middle
/// (after removing the common prefix and suffix) as -hg / +qs lines.
fn diff_block(out: &mut String, title: &str, qs: &[u8], hg: &[u8]) {
    let a = split_lines(hg);
    let b = split_lines(qs);
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let _ = writeln!(
        out,
        "  {title} differs from line {} (hg {} lines / {} bytes, qs {} lines / {} bytes):",
        prefix + 1,
        a.len(),
        hg.len(),
        b.len(),
        qs.len()
    );
    let ctx_start = prefix.saturating_sub(2);
    for l in &a[ctx_start..prefix] {
        let _ = writeln!(out, "    {}", escape_bytes(l));
    }
    for (sign, side) in [("-hg", &a), ("+qs", &b)] {
        let mid = &side[prefix..side.len() - suffix];
        for l in mid.iter().take(MAX_SHOWN_LINES) {
            let _ = writeln!(out, "  {sign} {}", escape_bytes(l));
        }
        if mid.len() > MAX_SHOWN_LINES {
            let _ = writeln!(
                out,
                "  {sign} ... ({} more lines)",
                mid.len() - MAX_SHOWN_LINES
            );
        }
    }
    if hg.ends_with(b"\n") != qs.ends_with(b"\n") {
        let _ = writeln!(
            out,
            "  (trailing newline: hg {}, qs {})",
            hg.ends_with(b"\n"),
            qs.ends_with(b"\n")
        );
    }
}

/// A readable report of how qs and hg disagree on `inv`.
pub fn mismatch_report(inv: &Invocation, qs: &Outcome, hg: &Outcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "qs and hg disagree on: {}", inv.args_display());
    let _ = writeln!(out, "  cwd: {}", inv.cwd.display());
    let _ = writeln!(out, "  repro: {}", inv.repro(&hg_bin().to_string_lossy()));
    if qs_is_overridden() {
        let _ = writeln!(out, "  (qs is QS_BIN={})", qs_bin().display());
    }
    if qs.panicked() {
        let _ = writeln!(out, "  !!! qs PANICKED");
    }
    if qs.code == hg.code {
        let _ = writeln!(out, "  exit code: {} (same)", qs.code);
    } else {
        let _ = writeln!(out, "  exit code: hg {}, qs {}", hg.code, qs.code);
    }
    for (name, q, h) in [
        ("stdout", &qs.stdout, &hg.stdout),
        ("stderr", &qs.stderr, &hg.stderr),
    ] {
        if q == h {
            let _ = writeln!(out, "  {name}: same ({} bytes)", q.len());
        } else {
            diff_block(&mut out, name, q, h);
            show_block(&mut out, &format!("hg {name}"), h);
            show_block(&mut out, &format!("qs {name}"), q);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Small utilities for test writers

/// Bytes to an OsString (for non-UTF-8 file names in arguments).
pub fn os(b: &[u8]) -> OsString {
    OsString::from_vec(b.to_vec())
}

/// Run hg on fixture `name` (result cached) and return stdout, panicking
/// unless it exits 0. For discovering a fixture's revisions, names, files.
pub fn hg_query(name: &str, args: &[&str]) -> Vec<u8> {
    let inv = Invocation::fixture(name, args).env("HGENCODING", "utf-8");
    let o = run_hg(&inv);
    if o.code != 0 {
        panic!(
            "hg query `{}` on fixture {name} failed ({}): {}",
            inv.args_display(),
            o.code,
            o.stderr_str()
        );
    }
    o.stdout
}

/// Split hg output into lines (without their newlines).
pub fn lines(b: &[u8]) -> Vec<Vec<u8>> {
    split_lines(b).into_iter().map(|l| l.to_vec()).collect()
}
