//! qs and hg taking turns on one repository: a seeded random sequence of
//! edits, `add`, `remove`, `forget` and `commit`, each command run by qs or
//! hg at random, gives exactly the history (node ids included) and working
//! state that the same sequence run by hg alone gives.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use std::path::Path;

use common::{run_with_home, Invocation, Outcome, Tool};

struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Runs the sequence; `mixed` lets qs run the commands it is given at
/// random, else hg runs everything. Returns every command's outcome.
fn run_sequence(root: &Path, home: &Path, seed: u64, mixed: bool) -> Vec<(String, Outcome)> {
    let mut noise = Noise(seed);
    let mut tool_noise = Noise(seed ^ 0x5555);
    let mut log = Vec::new();
    let mut run = |args: Vec<String>| {
        let tool = if mixed && tool_noise.below(2) == 0 {
            Tool::Qs
        } else {
            Tool::Hg
        };
        let inv = Invocation::new(root, &args).env("HGUSER", "interop");
        let out = run_with_home(tool, &inv, home);
        log.push((args.join(" "), out));
    };
    for step in 0..40u64 {
        let n = noise.below(12);
        let name = format!("dir{}/file{}", n % 3, n);
        let path = root.join(&name);
        match noise.below(6) {
            0 | 1 => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                let mut content = std::fs::read(&path).unwrap_or_default();
                content.extend_from_slice(format!("line {step}\n").as_bytes());
                std::fs::write(&path, content).unwrap();
            }
            2 => run(vec!["add".into(), name]),
            3 => run(vec!["remove".into(), "-A".into()]),
            4 => {
                if noise.below(3) == 0 {
                    run(vec!["forget".into(), name]);
                } else {
                    run(vec!["rm".into(), "-f".into(), name]);
                }
            }
            _ => run(vec![
                "commit".into(),
                "-A".into(),
                "-m".into(),
                format!("step {step}"),
                "-d".into(),
                format!("{step} 0"),
            ]),
        }
    }
    run(vec!["add".into()]);
    run(vec![
        "commit".into(),
        "-m".into(),
        "last".into(),
        "-d".into(),
        "100 0".into(),
    ]);
    log
}

#[test]
fn qs_and_hg_taking_turns_write_what_hg_alone_writes() {
    for seed in [7u64, 1234, 99_991] {
        let dir = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let mut results = Vec::new();
        for mixed in [true, false] {
            if root.exists() {
                std::fs::remove_dir_all(&root).unwrap();
            }
            wcommon::make_base(wcommon::Base::Fixture("files"), &root, home.path());
            let outcomes = run_sequence(&root, home.path(), seed, mixed);
            results.push((outcomes, wcommon::snapshot(&root, home.path(), true)));
        }
        let (mixed_out, mixed_snap) = &results[0];
        let (hg_out, hg_snap) = &results[1];
        for ((cmd, a), (_, b)) in mixed_out.iter().zip(hg_out) {
            assert_eq!(
                a, b,
                "seed {seed}: `{cmd}` differs between the mixed run and hg alone"
            );
        }
        assert_eq!(mixed_snap, hg_snap, "seed {seed}: repositories differ");
        assert!(
            mixed_snap.contains("$ hg verify -q  [exit 0]"),
            "seed {seed}: hg verify failed:\n{mixed_snap}"
        );
    }
}
