//! Scenarios for the commands that write the working directory or the
//! store (`add`, `forget`, `remove`, `commit`...): the same setup (a shell
//! script run with the real hg on `PATH`) is run twice at the same path,
//! once followed by the command lines under `qs`, once under `hg`; every
//! command's output and exit code must be identical, and so must what hg
//! then reads from the repository (`debugstate`, `status`, `log --debug`,
//! `manifest --debug`, phases, bookmarks, `last-message.txt`), which
//! `hg verify` must accept.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, run_with_home, Invocation, Outcome, Tool};

/// Where a scenario starts.
#[derive(Clone, Copy, Debug)]
pub enum Base {
    /// A repository made by `hg init` (with these `--config` values).
    Init(&'static [&'static str]),
    /// A copy of a fixture.
    Fixture(&'static str),
    /// A copy of a repository made once per test process by running this
    /// script (like a setup) in a fresh `hg init`: scenarios sharing a
    /// history pay for building it once.
    Built(&'static str),
}

/// One scenario; see the module documentation.
pub struct Scenario {
    pub base: Base,
    /// Shell script run in the repository root (hg on `PATH`, `HGUSER`
    /// set); afterwards every working file's mtime is moved an hour back,
    /// so that mtime ambiguity never depends on timing.
    pub setup: String,
    /// Command lines compared, run in order.
    pub steps: Vec<Vec<String>>,
    /// Directory (below the root) the steps run in.
    pub cwd: String,
    /// Extra environment for the steps (`HGUSER=test` unless removed).
    pub env: Vec<(String, String)>,
    /// Also compare the history (log, manifest, phases, bookmarks...),
    /// not only the working directory's state.
    pub history: bool,
    /// Also compare every working file (kind, exec bit, content), for
    /// commands that write them.
    pub files: bool,
}

impl Scenario {
    pub fn new(base: Base, setup: &str) -> Scenario {
        Scenario {
            base,
            setup: setup.to_string(),
            steps: Vec::new(),
            cwd: String::new(),
            env: vec![("HGUSER".to_string(), "test".to_string())],
            history: true,
            files: false,
        }
    }

    /// Also compares the working files themselves.
    pub fn with_files(mut self) -> Scenario {
        self.files = true;
        self
    }

    /// Compares only the working directory's state afterwards.
    pub fn working_only(mut self) -> Scenario {
        self.history = false;
        self
    }

    pub fn step(mut self, args: &[&str]) -> Scenario {
        self.steps
            .push(args.iter().map(|s| s.to_string()).collect());
        self
    }

    pub fn cwd(mut self, dir: &str) -> Scenario {
        self.cwd = dir.to_string();
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Scenario {
        self.env.push((k.to_string(), v.to_string()));
        self
    }
}

/// The directory holding the real hg, to put on `PATH` for setups.
fn hg_dir() -> PathBuf {
    common::hg_bin()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs a shell script in `dir` with hg on `PATH` and the hermetic
/// environment; panics when it fails.
pub fn shell(dir: &Path, home: &Path, script: &str) {
    let out = Command::new("/bin/bash")
        .arg("-ec")
        .arg(script)
        .current_dir(dir)
        .env_clear()
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", hg_dir().display()),
        )
        .env("HOME", home)
        .env("HGPLAIN", "1")
        .env("HGRCPATH", "")
        .env("HGUSER", "test")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "setup script failed in {}:\n{script}\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs hg in `root` and returns its outcome.
pub fn hg(root: &Path, home: &Path, args: &[&str]) -> Outcome {
    run_with_home(Tool::Hg, &Invocation::new(root, args), home)
}

/// Creates the base repository at `root` (which must not exist).
pub fn make_base(base: Base, root: &Path, home: &Path) {
    match base {
        Base::Init(config) => {
            let mut args = vec!["init".to_string()];
            for c in config {
                args.push("--config".into());
                args.push(c.to_string());
            }
            args.push(root.display().to_string());
            let parent = root.parent().unwrap();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run_with_home(Tool::Hg, &Invocation::new(parent, &args), home);
            assert_eq!(out.code, 0, "hg init: {}", out.stderr_str());
            if config
                .iter()
                .any(|c| c.starts_with("storage.dirstate-v2.slow-path"))
            {
                // Every later hg command needs it too.
                std::fs::write(
                    root.join(".hg/hgrc"),
                    "[storage]\ndirstate-v2.slow-path = allow\n",
                )
                .unwrap();
            }
        }
        Base::Fixture(name) => common::copy_tree(&common::fixture(name), root),
        Base::Built(script) => common::copy_tree(&built(script), root),
    }
}

/// The repository `script` builds (see [`Base::Built`]), made on first use.
fn built(script: &'static str) -> PathBuf {
    PathBuf::from(template(&[], script))
}

/// Where the repositories shared within this test process live: below
/// cargo's temporary directory for this target, one folder per process;
/// the folders of processes that have ended are removed.
fn shared_dir() -> &'static Path {
    use std::sync::OnceLock;
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wcommon");
        if let Ok(entries) = std::fs::read_dir(&base) {
            for entry in entries.flatten() {
                let pid = entry
                    .file_name()
                    .to_str()
                    .and_then(|n| n.parse::<u32>().ok());
                if pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = base.join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

const BACKDATE: &str =
    "\nfind . -path ./.hg -prune -o -exec touch -h -d @$(( $(date +%s) - 3600 )) {} +\n";

/// Sets every regular file and symlink of the working directory (not
/// `.hg`, never through a symlink) to one fixed old mtime.
fn age_working_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        if entry.file_name() == ".hg" {
            continue;
        }
        if ft.is_symlink() {
            // The link itself (std cannot set a link's own mtime).
            let _ = Command::new("touch")
                .args(["-h", "-d", "@1000000000"])
                .arg(entry.path())
                .status();
            continue;
        }
        if ft.is_dir() {
            age_working_files(&entry.path());
        } else if ft.is_file() {
            if let Ok(file) = std::fs::File::options().write(true).open(entry.path()) {
                let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
                let _ = file.set_modified(old);
            }
        }
    }
}

/// Every working file below `dir` (not `.hg`): path, kind, exec bit and
/// content (a symlink's target).
fn working_files(root: &Path, dir: &Path, out: &mut String) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        if rel == ".hg" {
            continue;
        }
        let md = std::fs::symlink_metadata(&path).unwrap();
        if md.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            out.push_str(&format!("{rel} -> {}\n", target.display()));
        } else if md.is_dir() {
            out.push_str(&format!("{rel}/\n"));
            working_files(root, &path, out);
        } else {
            let exec = md.permissions().mode() & 0o111 != 0;
            let content = std::fs::read(&path).unwrap_or_default();
            out.push_str(&format!(
                "{rel} exec={exec} {:?}\n",
                String::from_utf8_lossy(&content)
            ));
        }
    }
}

/// What hg reads from a repository after a scenario (each command's exit
/// code, stdout and stderr).
pub fn snapshot(root: &Path, home: &Path, history: bool) -> String {
    let mut out = String::new();
    // Whether status may record a file's mtime depends on the clock second
    // the file was written in; files given one old mtime make that the same
    // for both runs (content is then compared, and clean files recorded).
    age_working_files(root);
    // `status` first: the clean files hg's status records in the dirstate
    // (a cache) then no longer depend on which tool ran before.
    let working: &[&[&str]] = &[
        &["status", "-C", "-A"],
        &["debugstate", "--nodates"],
        &["verify", "-q"],
    ];
    let all: &[&[&str]] = &[
        &["status", "-C", "-A"][..],
        &["debugstate", "--nodates"],
        &["log", "--debug", "-C"],
        &["manifest", "--debug"],
        &["phase", "-r", "all()"],
        &["bookmarks"],
        &["branch"],
        &["verify", "-q"],
    ];
    // One command server for the whole snapshot: the commands only read
    // (status's own dirstate fixups aside), and Python starts once.
    let mut session = common::cmdserver::Session::start(&common::hg_bin(), root);
    for args in if history { all } else { working } {
        let served = session.as_mut().and_then(|s| s.run(args));
        let o = served.unwrap_or_else(|| hg(root, home, args));
        out.push_str(&format!(
            "$ hg {}  [exit {}]\n{}{}",
            args.join(" "),
            o.code,
            o.stdout_str(),
            o.stderr_str()
        ));
    }
    out.push_str(&format!(
        "last-message.txt: {:?}\n",
        std::fs::read(root.join(".hg/last-message.txt"))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    ));
    let journal = root.join(".hg/store/journal").exists();
    out.push_str(&format!("journal left: {journal}\n"));
    out
}

/// Runs the scenario with `tool`: the steps' outcomes and the snapshot.
fn run_with(s: &Scenario, tool: Tool, root: &Path, home: &Path) -> (Vec<Outcome>, String) {
    if root.exists() {
        std::fs::remove_dir_all(root).unwrap();
    }
    make_base(s.base, root, home);
    shell(root, home, &format!("{}{BACKDATE}", s.setup));
    let cwd = root.join(&s.cwd);
    let mut outcomes = Vec::new();
    for step in &s.steps {
        let mut inv = Invocation::new(&cwd, step);
        for (k, v) in &s.env {
            inv = inv.env(k, v);
        }
        outcomes.push(run_with_home(tool, &inv, home));
    }
    let mut files = String::new();
    if s.files {
        working_files(root, root, &mut files);
    }
    (outcomes, files + &snapshot(root, home, s.history))
}

/// Runs the scenario under both tools; `Err` describes every difference.
pub fn check(s: &Scenario) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let (qs_out, qs_snap) = run_with(s, Tool::Qs, &root, home.path());
    let (hg_out, hg_snap) = run_with(s, Tool::Hg, &root, home.path());
    let mut report = String::new();
    for ((step, q), h) in s.steps.iter().zip(&qs_out).zip(&hg_out) {
        if q != h {
            report.push_str(&format!(
                "step `{}` differs:\n  qs [exit {}]\n{}{}\n  hg [exit {}]\n{}{}\n",
                step.join(" "),
                q.code,
                q.stdout_str(),
                q.stderr_str(),
                h.code,
                h.stdout_str(),
                h.stderr_str()
            ));
        }
    }
    if qs_snap != hg_snap {
        report.push_str(&format!(
            "repository afterwards differs:\n--- qs\n{qs_snap}\n--- hg\n{hg_snap}\n"
        ));
    }
    if !qs_snap.contains("$ hg verify -q  [exit 0]") {
        report.push_str(&format!(
            "hg verify failed on the repository qs wrote:\n{qs_snap}\n"
        ));
    }
    if report.is_empty() {
        Ok(())
    } else {
        let steps: Vec<String> = s.steps.iter().map(|st| st.join(" ")).collect();
        Err(format!(
            "setup:\n{}\nsteps (in {:?}): {}\n{report}",
            s.setup,
            s.cwd,
            steps.join(" ; ")
        ))
    }
}

/// Checks many scenarios and fails once, listing every failure.
pub fn check_all(label: &str, scenarios: Vec<Scenario>) {
    let mut failures = Vec::new();
    let total = scenarios.len();
    for s in &scenarios {
        if let Err(report) = check(s) {
            failures.push(report);
        }
    }
    assert!(
        failures.is_empty(),
        "{label}: {} of {total} scenarios differ from hg:\n\n{}",
        failures.len(),
        failures.join("\n=====\n")
    );
}

/// A repository made once per test process (`hg init` with `config`, then
/// `script`), for scenarios to start from as `Base::Fixture(path)`:
/// building a history once instead of once per scenario and tool.
pub fn template(config: &'static [&'static str], script: &str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static MADE: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let key = format!("{config:?}\n{script}");
    let mut made = MADE
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap();
    if let Some(path) = made.get(&key) {
        return path;
    }
    let dir = shared_dir().join(made.len().to_string());
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let root = dir.join("repo");
    make_base(Base::Init(config), &root, &home);
    shell(&root, &home, script);
    let path: &'static str = Box::leak(root.display().to_string().into_boxed_str());
    made.insert(key, path);
    path
}
