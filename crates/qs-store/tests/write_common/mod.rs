//! Shared helpers of the `write_*` tests: running the pinned hg (found only
//! through `QS_HG`) in a scrubbed environment, building fixture
//! repositories with it, and running the `write_copy` example.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The hg to compare with; fails the test when `QS_HG` is unset.
pub fn hg_binary() -> PathBuf {
    match std::env::var_os("QS_HG") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => panic!(
            "QS_HG is not set: these tests compare with the pinned Mercurial; \
             run them through scripts/test.sh or export QS_HG=/path/to/.venv/bin/hg"
        ),
    }
}

/// A command for hg with the scrubbed environment (`HOME` is `home`).
pub fn hg_command(home: &Path, cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(hg_binary());
    cmd.args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HGPLAIN", "1")
        .env("HGRCPATH", "")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("HOME", home);
    cmd
}

/// Runs hg and returns its output, whatever the exit code.
pub fn hg(home: &Path, cwd: &Path, args: &[&str]) -> Output {
    hg_command(home, cwd, args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run hg {args:?}: {e}"))
}

/// Runs hg, failing the test unless it succeeds; returns stdout.
pub fn hg_ok(home: &Path, cwd: &Path, args: &[&str]) -> String {
    let out = hg(home, cwd, args);
    assert!(
        out.status.success(),
        "hg {args:?} failed in {}:\n{}{}",
        cwd.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `write_copy` example binary (built by `cargo test`).
pub fn copy_tool() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug_dir = exe.parent().and_then(Path::parent).unwrap();
    let tool = debug_dir.join("examples").join("write_copy");
    assert!(
        tool.exists(),
        "{} not built (cargo test builds examples)",
        tool.display()
    );
    tool
}

/// Runs `write_copy` with `args`; returns its output.
pub fn run_copy_tool(args: &[&Path]) -> Output {
    Command::new(copy_tool())
        .args(args)
        .output()
        .expect("run write_copy")
}

/// A small deterministic generator (xorshift) for fixture contents.
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `count` lines of pseudo-random words.
pub fn text_lines(noise: &mut Noise, count: usize) -> Vec<String> {
    const WORDS: &[&str] = &[
        "alpha", "beta", "gamma", "delta", "revlog", "node", "fn", "let", "{", "}", "return",
        "self", "match", "=>", "0", "1", "None", "Some", "//", "hg",
    ];
    (0..count)
        .map(|i| {
            let n = 3 + noise.below(8) as usize;
            let words: Vec<&str> = (0..n)
                .map(|_| WORDS[noise.below(WORDS.len() as u64) as usize])
                .collect();
            format!("{i:06} {}\n", words.join(" "))
        })
        .collect()
}

/// Builds a fixture repository at `root` with hg, initialised with
/// `config` (`--config` values choosing the format): a DAG with merges
/// from `hg debugbuilddag` (a mergeable file, an overwritten file, a new
/// file per revision), then commits with a >1 MB text file edited several
/// times, a binary file, a file starting with the metadata marker, a
/// rename and a copy.
pub fn make_fixture(home: &Path, root: &Path, config: &[&str], dag: &str) {
    let parent = root.parent().unwrap();
    let name = root.file_name().unwrap().to_str().unwrap();
    let mut init = vec!["init"];
    for c in config {
        init.extend(["--config", c]);
    }
    init.push(name);
    hg_ok(home, parent, &init);
    hg_ok(home, root, &["debugbuilddag", "-m", "-n", "-o", dag]);
    hg_ok(home, root, &["update", "-q", "tip"]);

    let mut noise = Noise::new(0x5eed);
    let mut big = text_lines(&mut noise, 24_000);
    let commit = |message: &str| {
        hg_ok(
            home,
            root,
            &[
                "commit", "-q", "-A", "-m", message, "-u", "test", "-d", "0 0",
            ],
        );
    };
    std::fs::write(root.join("big.txt"), big.concat()).unwrap();
    let binary: Vec<u8> = (0..300_000).map(|_| noise.next() as u8).collect();
    std::fs::write(root.join("blob.bin"), &binary).unwrap();
    std::fs::write(root.join("meta.txt"), b"\x01\nlooks like metadata\n").unwrap();
    commit("big files");
    for round in 0..4 {
        for _ in 0..40 {
            let at = noise.below(big.len() as u64) as usize;
            big[at] = format!("edited in round {round}: {}\n", noise.next());
        }
        let insert_at = noise.below(big.len() as u64) as usize;
        big.insert(insert_at, format!("inserted {round}\n"));
        std::fs::write(root.join("big.txt"), big.concat()).unwrap();
        let mut blob = binary.clone();
        blob[round * 1000] ^= 0xff;
        std::fs::write(root.join("blob.bin"), &blob).unwrap();
        commit(&format!("edit round {round}"));
    }
    hg_ok(home, root, &["mv", "big.txt", "renamed/big.txt"]);
    hg_ok(home, root, &["cp", "meta.txt", "Meta Copy.TXT"]);
    commit("rename and copy");
}

/// Makes an empty repository at `root` with the same format options.
pub fn init_like(home: &Path, root: &Path, config: &[&str]) {
    let parent = root.parent().unwrap();
    let name = root.file_name().unwrap().to_str().unwrap();
    let mut init = vec!["init"];
    for c in config {
        init.extend(["--config", c]);
    }
    init.push(name);
    hg_ok(home, parent, &init);
}

/// Total size of the revlog files (`.i`, `.d`) of a repository's store.
pub fn revlog_bytes(root: &Path) -> u64 {
    fn walk(dir: &Path, total: &mut u64) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                walk(&path, total);
            } else if (name.ends_with(".i") || name.ends_with(".d"))
                && !name.starts_with("undo")
                && !name.starts_with("journal")
            {
                *total += entry.metadata().unwrap().len();
            }
        }
    }
    let mut total = 0;
    walk(&root.join(".hg").join("store"), &mut total);
    total
}

/// `hg verify` must succeed.
pub fn assert_verifies(home: &Path, root: &Path) {
    let out = hg(home, root, &["verify", "-q"]);
    assert!(
        out.status.success(),
        "hg verify failed in {}:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
