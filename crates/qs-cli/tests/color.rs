//! Colour output against the real hg: with `--color=always` and without
//! HGPLAIN (which turns colour off), qs must emit hg's escape sequences for
//! the labels it knows, byte for byte.

mod common;

use std::process::Command;

fn run(program: &std::path::Path, repo: &std::path::Path, args: &[&str]) -> (i32, Vec<u8>) {
    let home = tempfile::tempdir().expect("home");
    let out = Command::new(program)
        .args(args)
        .current_dir(repo)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", home.path())
        .env("HGRCPATH", "")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .output()
        .expect("run");
    (out.status.code().unwrap_or(-1), out.stdout)
}

#[test]
fn labels_are_coloured_like_hg() {
    let repo = common::fixture("branchy");
    let mut failures = Vec::new();
    for args in [
        &["--color=always", "log", "-l", "3"][..],
        &["--color=always", "heads", "-v"],
        &["--color=always", "bookmarks"],
        &["--color=always", "branches", "-c"],
        &["--color=always", "tags", "-v"],
        &[
            "--color=always",
            "--config",
            "color.tags.normal=red bold",
            "tags",
        ],
        &["--color=never", "log", "-l", "1"],
        &["log", "-l", "1"],
    ] {
        let qs = run(&common::qs_bin(), &repo, args);
        let hg = run(&common::hg_bin(), &repo, args);
        if qs != hg {
            failures.push(format!(
                "{args:?}\n  hg: {:?}\n  qs: {:?}",
                String::from_utf8_lossy(&hg.1),
                String::from_utf8_lossy(&qs.1)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn status_is_coloured_like_hg() {
    let scratch = common::ScratchCopy::new("files");
    let root = &scratch.repo;
    let tracked = common::run_hg(&common::Invocation::new(root, &["files"]));
    let files: Vec<String> = tracked.stdout_str().lines().map(str::to_string).collect();
    assert!(files.len() >= 3, "the files fixture tracks several files");
    std::fs::write(root.join(&files[0]), b"changed by the colour test\n").expect("modify");
    std::fs::remove_file(root.join(&files[1])).expect("delete");
    std::fs::write(root.join("unknown-file"), b"?\n").expect("unknown");
    let args = ["--color=always", "status", "-A"];
    let qs = run(&common::qs_bin(), root, &args);
    let hg = run(&common::hg_bin(), root, &args);
    assert_eq!(
        qs,
        hg,
        "status colours\n  hg: {:?}\n  qs: {:?}",
        String::from_utf8_lossy(&hg.1),
        String::from_utf8_lossy(&qs.1)
    );
}
