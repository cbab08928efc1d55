//! `kill -9` of `qs commit` at random moments: afterwards `qs recover`
//! (when a journal was left) brings the store back, `hg verify` accepts
//! it, and every commit that reported success is still there.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{qs_bin, run_with_home, Invocation, Tool};

/// xorshift, seeded: the same moments on every run.
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
}

fn qs(root: &std::path::Path, home: &std::path::Path, args: &[&str]) -> std::process::Child {
    Command::new(qs_bin())
        .args(args)
        .current_dir(root)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", home)
        .env("HGPLAIN", "1")
        .env("HGRCPATH", "")
        .env("HGUSER", "test")
        .env("TZ", "UTC")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run qs")
}

#[test]
fn killed_commits_are_recovered_and_successful_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    wcommon::make_base(wcommon::Base::Init(&[]), &root, home.path());
    wcommon::shell(
        &root,
        home.path(),
        "for i in $(seq 1 400); do mkdir -p d$((i % 20)); echo start $i > d$((i % 20))/f$i; done; \
         hg add -q; hg commit -qm base -d '0 0'",
    );
    let mut noise = Noise(0x00c0_ffee);
    let mut succeeded = Vec::new();
    for round in 0..12 {
        wcommon::shell(
            &root,
            home.path(),
            &format!(
                "for i in $(seq 1 400); do echo round {round} $i >> d$((i % 20))/f$i; done; \
                 echo new > new{round}; hg add -q new{round}"
            ),
        );
        let message = format!("round {round}");
        let date = format!("{round} 0");
        let mut child = qs(&root, home.path(), &["commit", "-m", &message, "-d", &date]);
        // A commit of these files takes about 0.2 s in a debug build: most
        // kills land inside it, some after it.
        let delay = noise.next() % 300;
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            succeeded.push(message.clone());
        }
        if root.join(".hg/store/journal").exists() {
            let out = qs(&root, home.path(), &["recover"])
                .wait_with_output()
                .unwrap();
            assert!(
                out.status.success(),
                "qs recover failed after round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let verify = run_with_home(
            Tool::Hg,
            &Invocation::new(&root, &["verify", "-q"]),
            home.path(),
        );
        assert_eq!(
            verify.code,
            0,
            "hg verify after killing qs commit (round {round}, {delay} ms): {}{}",
            verify.stdout_str(),
            verify.stderr_str()
        );
        // The working directory must still be usable by hg.
        let status = run_with_home(
            Tool::Hg,
            &Invocation::new(&root, &["status", "-q"]),
            home.path(),
        );
        assert_eq!(status.code, 0, "hg status: {}", status.stderr_str());
    }
    eprintln!("{} of 12 commits finished before the kill", succeeded.len());
    let log = run_with_home(
        Tool::Hg,
        &Invocation::new(&root, &["log", "-T", "{desc}\\n"]),
        home.path(),
    );
    let descs = log.stdout_str();
    for message in &succeeded {
        assert!(
            descs.lines().any(|l| l == message),
            "commit '{message}' reported success but is gone:\n{descs}"
        );
    }
    // Nothing is left locked: a last commit goes through.
    let last = qs(&root, home.path(), &["commit", "-m", "last", "-d", "99 0"])
        .wait_with_output()
        .unwrap();
    assert!(
        last.status.success() || String::from_utf8_lossy(&last.stderr).is_empty(),
        "final commit: {}",
        String::from_utf8_lossy(&last.stderr)
    );
}
