//! qs-dirstate against real Mercurial (found through `QS_HG`): dirstates
//! made by hg are parsed, printed like `hg debugstate`, rewritten, and
//! read back by hg.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{umask, write, Sandbox};
use qs_dirstate::debug::{debugstate, DebugDates, DebugStateOptions};
use qs_dirstate::{disk, v2_tree, WriteMode};

/// Builds a repository in a merge with adds, removes, copies and moves.
fn rich_state(sb: &Sandbox, v2: bool) -> std::path::PathBuf {
    let repo = sb.init(if v2 { "v2" } else { "v1" }, v2);
    write(&repo, "a", "a\n");
    write(&repo, "b", "b\n");
    write(&repo, "dir/c", "c\n");
    write(&repo, "dir/sub/d", "d\n");
    write(&repo, "dir.x", "dot\n");
    write(&repo, "exe", "#!/bin/sh\n");
    std::os::unix::fs::symlink("a", repo.join("link")).expect("symlink");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(repo.join("exe"), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    sb.hg(&repo, &["commit", "-Am", "base", "-d", "0 0"]);
    write(&repo, "a", "a from other\n");
    write(&repo, "p2only", "p2\n");
    sb.hg(&repo, &["commit", "-Am", "other", "-d", "0 0"]);
    sb.hg(&repo, &["update", "0"]);
    write(&repo, "a", "a from local\n");
    write(&repo, "b", "b changed\n");
    sb.hg(&repo, &["commit", "-m", "local", "-d", "0 0"]);
    sb.hg(&repo, &["merge", "--tool", "internal:local", "1"]);
    write(&repo, "new", "new\n");
    write(&repo, "dir/sub/deep/new2", "new2\n");
    sb.hg(&repo, &["add", "new", "dir/sub/deep/new2"]);
    sb.hg(&repo, &["rm", "dir/c"]);
    sb.hg(&repo, &["cp", "b", "b2"]);
    sb.hg(&repo, &["mv", "dir/sub/d", "d2"]);
    repo
}

fn simple_state(sb: &Sandbox, v2: bool) -> std::path::PathBuf {
    let repo = sb.init(if v2 { "s2" } else { "s1" }, v2);
    write(&repo, "x", "x\n");
    write(&repo, "y/z", "z\n");
    sb.hg(&repo, &["commit", "-Am", "one", "-d", "0 0"]);
    // A status run records clean mtimes once they are in the past.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    for f in ["x", "y/z"] {
        let file = std::fs::File::options()
            .write(true)
            .open(repo.join(f))
            .expect("open");
        file.set_modified(old).expect("set mtime");
    }
    sb.hg(&repo, &["status"]);
    write(&repo, "w", "w\n");
    sb.hg(&repo, &["add", "w"]);
    repo
}

fn check_parse_and_debugstate(sb: &Sandbox, repo: &Path, v2: bool) {
    let ds = disk::read(&repo.join(".hg"), v2).expect("read dirstate");
    for (args, dates) in [
        (vec!["debugstate", "--nodates"], DebugDates::Hidden),
        (vec!["debugstate"], DebugDates::Utc),
    ] {
        let expected = sb.hg(repo, &args);
        let options = DebugStateOptions {
            dates,
            date_sort: false,
            umask: umask(),
        };
        let ours = debugstate(&ds.map, &options);
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&expected),
            "debugstate {args:?} differs in {}",
            repo.display()
        );
    }
    let node_of = |revset: &str| {
        String::from_utf8_lossy(&sb.hg(repo, &["log", "-r", revset, "-T", "{node}"])).into_owned()
    };
    assert_eq!(ds.map.parents.0.hex(), node_of("p1()"));
    let p2 = node_of("p2()");
    if p2.is_empty() {
        assert!(ds.map.parents.1.is_null());
    } else {
        assert_eq!(ds.map.parents.1.hex(), p2);
    }
}

fn check_v1_rewrite_is_identical(repo: &Path) {
    let bytes = std::fs::read(repo.join(".hg/dirstate")).expect("read");
    let map = qs_dirstate::v1::parse(&bytes).expect("parse");
    let ours = qs_dirstate::v1::serialize(&map).expect("serialize");
    assert_eq!(ours, bytes, "v1 rewrite differs in {}", repo.display());
}

fn check_v2_rewrite(sb: &Sandbox, repo: &Path) {
    let dot_hg = repo.join(".hg");
    let ds = disk::read(&dot_hg, true).expect("read");
    let docket = ds.docket.clone().expect("docket");
    // hg (without its Rust extension) writes a whole new data file each
    // time: our tree for the same map must be the same bytes.
    let data_name = docket.data_filename().expect("data file");
    let hg_data = std::fs::read(dot_hg.join(&data_name)).expect("data");
    let (ours, meta) = v2_tree::serialize_tree(&ds.map, 0).expect("tree");
    assert_eq!(
        ours,
        hg_data[..docket.data_size as usize],
        "v2 data differs"
    );
    assert_eq!(meta, docket.tree_metadata, "v2 tree metadata differs");
    assert_eq!(
        docket.serialize().expect("docket"),
        std::fs::read(dot_hg.join("dirstate")).expect("docket")
    );

    let before = sb.hg(repo, &["debugstate", "--nodates"]);
    let new = disk::write_v2(&dot_hg, &ds.map, Some(&docket), WriteMode::ForceNew).expect("write");
    assert_ne!(new.uuid, docket.uuid);
    assert!(!dot_hg.join(&data_name).exists(), "old data file removed");
    assert_eq!(
        sb.hg(repo, &["debugstate", "--nodates"]),
        before,
        "after new-file write"
    );
    let appended =
        disk::write_v2(&dot_hg, &ds.map, Some(&new), WriteMode::ForceAppend).expect("append");
    assert_eq!(appended.uuid, new.uuid);
    assert_eq!(appended.tree_metadata.unreachable_bytes, new.data_size);
    assert_eq!(
        sb.hg(repo, &["debugstate", "--nodates"]),
        before,
        "after append"
    );
    let docket_text =
        String::from_utf8_lossy(&sb.hg(repo, &["debugstate", "--docket"])).into_owned();
    assert!(
        docket_text.contains(&format!("number of unused bytes: {}\n", new.data_size)),
        "{docket_text}"
    );
    let again = disk::read(&dot_hg, true).expect("reread");
    assert_eq!(
        debugstate(&again.map, &opts()),
        debugstate(&ds.map, &opts())
    );
}

fn opts() -> DebugStateOptions {
    DebugStateOptions {
        dates: DebugDates::Utc,
        date_sort: false,
        umask: 0o022,
    }
}

#[test]
fn v1_dirstates_parse_print_and_rewrite_like_hg() {
    let sb = Sandbox::new();
    for repo in [rich_state(&sb, false), simple_state(&sb, false)] {
        check_parse_and_debugstate(&sb, &repo, false);
        check_v1_rewrite_is_identical(&repo);
    }
}

#[test]
fn v2_dirstates_parse_print_and_rewrite_like_hg() {
    let sb = Sandbox::new();
    for repo in [rich_state(&sb, true), simple_state(&sb, true)] {
        check_parse_and_debugstate(&sb, &repo, true);
        check_v2_rewrite(&sb, &repo);
    }
}

#[test]
fn v1_write_after_changes_matches_hg_doing_the_same() {
    // hg forgets an added file then re-adds it: it moves to the end.
    let sb = Sandbox::new();
    let repo = simple_state(&sb, false);
    write(&repo, "v", "v\n");
    let dot_hg = repo.join(".hg");
    let mut map = disk::read(&dot_hg, false).expect("read").map;
    sb.hg(&repo, &["forget", "w"]);
    sb.hg(&repo, &["add", "v", "w"]);
    map.set_untracked(b"w");
    map.set_tracked(b"v");
    map.set_tracked(b"w");
    let hg_bytes = std::fs::read(dot_hg.join("dirstate")).expect("read");
    assert_eq!(
        qs_dirstate::v1::serialize(&map).expect("serialize"),
        hg_bytes
    );
}
