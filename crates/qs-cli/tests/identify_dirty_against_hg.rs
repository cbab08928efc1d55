//! Compares `qs identify` with hg's on working copies in every kind of
//! state, dirstate v1 and v2: the `+` of a dirty working directory comes
//! from qs's metadata-only dirty check when it can decide, from the full
//! status (content compared with the parent) when it cannot. The base
//! repository's mtimes are recorded by `hg status`, so the fast path meets
//! clean files it can trust, as on a real working copy.
//! Run through `scripts/test.sh` (it exports `QS_HG`).

#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{copy_tree, run_hg, Checker, Invocation};

const OLD: u64 = 1_000_000_000;

fn hg(cwd: &Path, args: &[&str]) {
    let out = run_hg(&Invocation::new(cwd, args));
    assert_eq!(out.code, 0, "hg {args:?} failed: {}", out.stderr_str());
}

fn write(root: &Path, rel: &str, content: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn set_mtime(path: &Path, secs: u64) {
    let file = std::fs::File::open(path).unwrap();
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    file.set_modified(when).unwrap();
}

/// Every regular file under `root` (outside `.hg`) gets the same old mtime.
fn age_files(root: &Path) {
    for entry in std::fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let ft = entry.file_type().unwrap();
        if entry.file_name() == ".hg" || ft.is_symlink() {
            continue;
        }
        if ft.is_dir() {
            age_files(&entry.path());
        } else {
            set_mtime(&entry.path(), OLD);
        }
    }
}

/// A committed repository whose dirstate records trustworthy mtimes.
fn base_repo(dir: &Path, v2: bool) -> std::path::PathBuf {
    let repo = dir.join(if v2 { "v2" } else { "v1" });
    std::fs::create_dir_all(&repo).unwrap();
    let flag = format!("format.use-dirstate-v2={}", if v2 { "yes" } else { "no" });
    let slow = "storage.dirstate-v2.slow-path=allow";
    hg(&repo, &["init", "--config", &flag, "--config", slow]);
    // hg without its Rust extensions reads dirstate-v2 only when allowed.
    std::fs::write(
        repo.join(".hg/hgrc"),
        "[storage]\ndirstate-v2.slow-path = allow\n",
    )
    .unwrap();
    write(&repo, "top.txt", b"top\n");
    write(&repo, "a/b/c.txt", b"deep\n");
    write(&repo, "a/d.txt", b"d\n");
    write(&repo, "e/f.txt", b"f\n");
    write(&repo, "g/h.txt", b"h\n");
    write(&repo, "run.sh", b"#!/bin/sh\n");
    std::fs::set_permissions(repo.join("run.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink("top.txt", repo.join("link")).unwrap();
    age_files(&repo);
    hg(
        &repo,
        &["commit", "-A", "-q", "-m", "base", "-u", "t", "-d", "0 0"],
    );
    hg(&repo, &["status"]);
    repo
}

type Change = fn(&Path);

fn scenarios() -> Vec<(&'static str, Change)> {
    vec![
        ("clean", |_| {}),
        ("appended", |r| write(r, "a/d.txt", b"d and more\n")),
        ("same size, same old mtime", |r| {
            write(r, "a/d.txt", b"D\n");
            set_mtime(&r.join("a/d.txt"), OLD);
        }),
        ("same size, new mtime", |r| {
            write(r, "a/d.txt", b"D\n");
            set_mtime(&r.join("a/d.txt"), OLD + 100);
        }),
        ("touched only", |r| {
            set_mtime(&r.join("a/b/c.txt"), OLD + 100)
        }),
        ("exec bit set", |r| {
            std::fs::set_permissions(r.join("top.txt"), std::fs::Permissions::from_mode(0o755))
                .unwrap()
        }),
        ("exec bit cleared", |r| {
            std::fs::set_permissions(r.join("run.sh"), std::fs::Permissions::from_mode(0o644))
                .unwrap()
        }),
        ("deleted", |r| {
            std::fs::remove_file(r.join("e/f.txt")).unwrap()
        }),
        ("file became a directory", |r| {
            std::fs::remove_file(r.join("top.txt")).unwrap();
            write(r, "top.txt/inner", b"x\n");
        }),
        ("directory became a symlink", |r| {
            std::fs::rename(r.join("g"), r.join("g-real")).unwrap();
            std::os::unix::fs::symlink("g-real", r.join("g")).unwrap();
        }),
        ("nested repository", |r| hg(&r.join("e"), &["init"])),
        ("symlink retargeted", |r| {
            std::fs::remove_file(r.join("link")).unwrap();
            std::os::unix::fs::symlink("run.sh", r.join("link")).unwrap();
        }),
        ("unknown file only", |r| write(r, "new.txt", b"new\n")),
        ("added", |r| {
            write(r, "new.txt", b"new\n");
            hg(r, &["add", "-q", "new.txt"]);
        }),
        ("removed", |r| hg(r, &["rm", "-q", "a/d.txt"])),
        ("forgotten", |r| hg(r, &["forget", "-q", "a/d.txt"])),
        ("copied", |r| hg(r, &["cp", "-q", "top.txt", "copy.txt"])),
        ("renamed", |r| hg(r, &["mv", "-q", "top.txt", "moved.txt"])),
    ]
}

#[test]
fn identify_marks_dirty_working_copies_like_hg() {
    let base_dir = tempfile::tempdir().unwrap();
    let mut checker = Checker::new("identify dirty");
    for v2 in [false, true] {
        let base = base_repo(base_dir.path(), v2);
        for (name, change) in scenarios() {
            for args in [&["identify"][..], &["id", "-i"], &["status", "-mardc"]] {
                let scratch = tempfile::tempdir().unwrap();
                let copy = scratch.path().join("repo");
                copy_tree(&base, &copy);
                age_files(&copy);
                change(&copy);
                let inv = Invocation::new(&copy, args);
                let version = if v2 { "v2" } else { "v1" };
                let what = format!("{version} dirstate, {name}: {}", inv.args_display());
                checker.record(what, common::check(&inv));
            }
        }
    }
    checker.finish();
}
