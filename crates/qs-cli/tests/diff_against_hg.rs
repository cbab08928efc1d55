//! Compares `qs diff` and `qs log -p` / `log --stat` with the real hg,
//! byte for byte (stdout, stderr, exit code): every changeset of every
//! fixture in plain and git format (binary files, renames and copies,
//! symlinks, exec bits, files over 1 MB, unicode names), working-copy
//! diffs on scratch copies with edits, adds, removes, renames and mode
//! changes, context and whitespace options, colour labels, and bad input.
//! Run through `scripts/test.sh` (it exports `QS_HG` and `QS_FIXTURES`).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{fixture_names, run_hg, Checker, Invocation};

/// Runs hg in `cwd` for preparing a copy; panics when it fails.
fn hg(cwd: &Path, args: &[&str]) {
    let out = run_hg(&Invocation::new(cwd, args));
    assert_eq!(
        out.code,
        0,
        "preparing with hg {args:?} failed: {}",
        out.stderr_str()
    );
}

fn write(root: &Path, rel: &str, content: &[u8]) {
    std::fs::write(root.join(rel), content).unwrap();
}

/// Every kind of working-copy change, on the `files` fixture.
fn prepare_files(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut no_eol = std::fs::read(root.join("no-eol.txt")).unwrap();
    no_eol.extend_from_slice(b"new line\n");
    write(root, "no-eol.txt", &no_eol);
    write(root, "copied-no-eol.txt", b"changed");
    // (large.txt stays: hg needs tens of seconds to diff it; one comparison
    // of its change is in the log -p test.)
    std::fs::set_permissions(root.join("aux.c"), std::fs::Permissions::from_mode(0o755)).unwrap();
    write(root, "empty", b"now full\n");
    write(root, "data/blob.bin", b"x\0y");
    write(root, "newfile.txt", b"added\n");
    write(root, "newempty", b"");
    hg(root, &["add", "-q", "newfile.txt", "newempty"]);
    hg(root, &["rm", "-q", "UPPER.TXT"]);
    hg(root, &["mv", "-q", "_under", "moved-under"]);
    hg(root, &["cp", "-q", "100%.txt", "copy-of-100.txt"]);
    std::fs::remove_file(root.join("what?.txt")).unwrap();
    std::fs::remove_file(root.join("link-to-plain")).unwrap();
    std::os::unix::fs::symlink("elsewhere", root.join("link-to-plain")).unwrap();
    let mut trailing = std::fs::read(root.join("trailing space ")).unwrap();
    trailing.extend_from_slice(b"tab\t \n");
    write(root, "trailing space ", &trailing);
}

/// The working directory's date in headers is "now" unless this is set.
const FIXED_DATE: &[&str] = &["--config", "devel.default-date=0 0"];

#[test]
fn log_patch_and_stat_of_every_changeset_of_every_fixture() {
    let mut c = Checker::new("log -p");
    for name in fixture_names() {
        for args in [
            &["log", "-p"][..],
            &["log", "-p", "--git"],
            &["log", "--stat"],
            &["log", "-p", "--stat", "--git", "-l", "5"],
            &["log", "-p", "-q", "-l", "3"],
        ] {
            // Changesets touching the 1.6 MB file (in the `files` fixture
            // and its format variants) cost hg tens of seconds each; a
            // revset keeps the rest (a file pattern would change what log
            // shows).
            let mut args = args.to_vec();
            args.extend(["-r", "not file('path:large.txt')"]);
            c.fixture(&name, &args);
        }
    }
    // The 1.6 MB file's change, once (hg needs tens of seconds per diff of
    // it, so the corpus above leaves it out).
    c.fixture("files", &["diff", "--git", "-c", "3", "-I", "large.txt"]);
    c.finish();
}

/// `args` with `-X large.txt` added on the `files` fixture, unless they
/// name that file already: hg takes tens of seconds for each diff of it,
/// which a fresh machine (no cached hg answers) pays for every variant.
fn without_large_file<'a>(fixture: &str, args: &[&'a str]) -> Vec<&'a str> {
    let mut out = args.to_vec();
    if fixture == "files" && !args.contains(&"large.txt") {
        out.extend(["-X", "large.txt"]);
    }
    out
}

#[test]
fn diff_between_revisions_matches_hg() {
    let mut c = Checker::new("diff revisions");
    for args in [
        &["diff", "-c", "1"][..],
        &["diff", "-c", "tip", "--git"],
        &["diff", "-r", "0", "-r", "tip"],
        &["diff", "-r", "0", "-r", "tip", "--git"],
        &["diff", "-r", "tip", "-r", "0", "--git"],
        &["diff", "-r", "0:tip", "--stat"],
        &["diff", "--from", "1", "--to", "3", "--git"],
        &["diff", "-c", "2", "--reverse", "--git"],
        &["diff", "-c", "2", "--nodates"],
        &["diff", "-c", "2", "--noprefix"],
        &["diff", "-c", "2", "--debug"],
        &["diff", "-c", "1", "--git", "--no-binary"],
        &["diff", "-c", "1", "-a"],
        &["diff", "-c", "3", "-U", "0"],
        &["diff", "-c", "3", "-U", "1"],
        &["diff", "-c", "3", "-U", "10"],
        &["diff", "-c", "3", "-w", "-p"],
        &["diff", "-c", "3", "-b", "-B", "-Z"],
        &[
            "diff",
            "-r",
            "0",
            "-r",
            "tip",
            "-I",
            "**.txt",
            "-X",
            "large.txt",
        ],
        &["diff", "-r", "0", "-r", "tip", "--root", "data", "--git"],
    ] {
        for name in ["files", "branchy", "revlog-split"] {
            c.fixture(name, &without_large_file(name, args));
        }
    }
    c.finish();
}

#[test]
fn working_copy_diffs_match_hg() {
    let mut c = Checker::new("diff working copy");
    for args in [
        &["diff"][..],
        &["diff", "--git"],
        &["diff", "--stat"],
        &["diff", "--git", "--stat"],
        &["diff", "-U", "0"],
        &["diff", "--reverse", "--git"],
        &["diff", "-r", "0", "--git"],
        &["diff", "--to", "0", "--git"],
        &["diff", "--git", "--no-binary"],
        &["diff", "no-eol.txt", "aux.c"],
        &["diff", "-X", "**.txt"],
        &["diff", "nonexistent", "empty"],
        &["diff", "--color=always", "--git"],
        &["diff", "--color=always", "--stat"],
    ] {
        let args: Vec<&str> = args.iter().chain(FIXED_DATE).copied().collect();
        c.with_copy("files", prepare_files, &args);
    }
    let untouched: &[&str] = &["diff"];
    c.with_copy("branchy", |_| {}, untouched);
    c.finish();
}

#[test]
fn bad_input_is_refused_like_hg() {
    let mut c = Checker::new("diff bad input");
    for args in [
        &["diff", "-r", "nosuchrev"][..],
        &["diff", "-c", "nosuchrev"],
        &["diff", "-U", "x"],
        &["diff", "-U", ""],
        &["diff", "-c", "1", "-r", "0"],
        &["diff", "--from", "0", "-c", "1"],
        &["diff", "--to", "0", "-r", "1"],
        &["diff", "-r", "0", "-r", "nosuchrev"],
        &["log", "-p", "-r", "nosuchrev"],
        &["diff", "--config", "diff.git=maybe"],
    ] {
        c.fixture("branchy", args);
    }
    c.finish();
}
