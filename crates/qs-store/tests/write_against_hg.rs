//! Re-adding whole histories with qs-store's writer must give repositories
//! that hg accepts (`hg verify`), that read identically (`hg log --debug`)
//! and whose revlogs are about the size hg makes, for every format:
//! zstd / zlib, generaldelta with and without sparse-revlog, legacy
//! (no generaldelta), inline revlogs and split ones (a >1 MB file splits
//! mid-write). Needs the pinned hg in `QS_HG`.
#![allow(clippy::unwrap_used)]

mod write_common;

use std::path::Path;

use write_common::*;

/// Default DAG: linear runs, forks and merges (~170 changesets).
const DAG: &str = "+40 *10 +20 /5 +30 <3 +20 *30/2 +40 *50 +10 /20";

/// Builds a fixture in `config`'s format, re-adds it into a fresh
/// repository of the same format and checks the result.
fn readd_and_compare(label: &str, config: &[&str], dag: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let source = home.join("source");
    let copy = home.join("copy");
    make_fixture(home, &source, config, dag);
    init_like(home, &copy, config);
    assert_eq!(
        std::fs::read(source.join(".hg/requires")).unwrap(),
        std::fs::read(copy.join(".hg/requires")).unwrap()
    );

    let out = run_copy_tool(&[&source, &copy]);
    assert!(
        out.status.success(),
        "write_copy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_verifies(home, &copy);
    let original_log = hg_ok(home, &source, &["log", "--debug"]);
    let copied_log = hg_ok(home, &copy, &["log", "--debug"]);
    assert!(original_log.len() > 1000);
    assert!(
        original_log == copied_log,
        "hg log --debug differs ({label})"
    );

    let theirs = revlog_bytes(&source);
    let ours = revlog_bytes(&copy);
    let ratio = ours as f64 / theirs as f64;
    println!("{label}: hg {theirs} bytes, qs {ours} bytes, ratio {ratio:.3}");
    assert!(
        (0.85..=1.15).contains(&ratio),
        "{label}: store size {ours} vs hg's {theirs}"
    );
    assert_split_and_inline(&copy);
}

/// The big file's filelog must have been split; small ones stay inline.
fn assert_split_and_inline(copy: &Path) {
    let data = copy.join(".hg/store/data");
    assert!(
        data.join("renamed/big.txt.d").exists(),
        "big filelog not split"
    );
    assert!(!data.join("meta.txt.d").exists(), "small filelog split");
    assert!(data.join("meta.txt.i").exists());
}

#[test]
fn readd_history_zstd_sparse_revlog() {
    readd_and_compare("zstd+sparse", &[], DAG);
}

#[test]
fn readd_history_zlib() {
    readd_and_compare("zlib+sparse", &["format.revlog-compression=zlib"], DAG);
}

#[test]
fn readd_history_generaldelta_without_sparse_revlog() {
    readd_and_compare("generaldelta", &["format.sparse-revlog=false"], DAG);
}

#[test]
fn readd_history_without_generaldelta() {
    readd_and_compare(
        "legacy-delta",
        &[
            "format.sparse-revlog=false",
            "format.generaldelta=false",
            "format.usegeneraldelta=false",
            "format.revlog-compression=zlib",
        ],
        DAG,
    );
}

#[test]
fn readd_large_dag() {
    let dag = "+300 *100 +200 /50 <20 +150 *200/30 +100 *80 +120 /10 +60";
    readd_and_compare("large-dag", &[], dag);
}

#[test]
fn requires_qs_hg() {
    // The suite must not pass silently without the reference hg.
    let _ = hg_binary();
}

/// Appending to revlogs hg wrote (inline, split, a non-empty changelog
/// whose new entries are delayed), then hg appending to ours.
#[test]
fn append_to_history_hg_wrote_then_hg_appends_to_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let source = home.join("source");
    make_fixture(home, &source, &[], DAG);
    // The first 40 changesets are linear: a clone of them numbers every
    // revision as the source does.
    hg_ok(
        home,
        home,
        &["clone", "-q", "-U", "-r", "39", "source", "copy"],
    );
    let copy = home.join("copy");
    let out = run_copy_tool(&[&source, &copy]);
    assert!(
        out.status.success(),
        "write_copy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_verifies(home, &copy);
    assert!(
        hg_ok(home, &source, &["log", "--debug"]) == hg_ok(home, &copy, &["log", "--debug"]),
        "hg log --debug differs after appending"
    );
    let undo = std::fs::read(copy.join(".hg/store/undo")).unwrap();
    let undo = String::from_utf8_lossy(&undo);
    assert!(undo.contains("00changelog.i\0"), "{undo}");
    assert!(
        !undo.contains("00changelog.i\x000\n"),
        "changelog offset lost: {undo}"
    );

    // hg's rollback understands our undo files.
    let out = hg(home, &copy, &["rollback", "--config", "ui.rollback=true"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "repository tip rolled back to revision 39 (undo copy)\n"
    );
    assert_eq!(hg_ok(home, &copy, &["log", "-T", "x"]).len(), 40);
    assert_verifies(home, &copy);
    assert!(run_copy_tool(&[&source, &copy]).status.success());
    assert_verifies(home, &copy);

    hg_ok(home, &copy, &["update", "-q", "tip"]);
    std::fs::write(copy.join("renamed/big.txt"), "replaced by hg\n").unwrap();
    std::fs::write(copy.join("hg-new-file"), "new\n").unwrap();
    hg_ok(
        home,
        &copy,
        &[
            "commit",
            "-q",
            "-A",
            "-m",
            "hg on top",
            "-u",
            "t",
            "-d",
            "0 0",
        ],
    );
    assert_verifies(home, &copy);
}
