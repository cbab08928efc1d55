//! `qs recover` against `hg recover`: the same messages and exit codes, and
//! a store that `hg verify` accepts afterwards, whichever tool rolled back.

mod common;

use std::path::Path;

use common::{run_hg, Invocation, ScratchCopy};

/// Store files an interrupted transaction appended to, in the `files`
/// fixture.
const APPENDED: [&str; 2] = ["00changelog.i", "00manifest.i"];

/// Leaves the repository at `root` as a killed writer would: garbage
/// appended to the changelog and manifest, and a journal recording their
/// lengths before.
fn interrupt(root: &Path) {
    let store = root.join(".hg/store");
    let mut journal = Vec::new();
    for name in APPENDED {
        let path = store.join(name);
        let mut bytes = std::fs::read(&path).expect("read revlog");
        journal.extend_from_slice(format!("{name}\0{}\n", bytes.len()).as_bytes());
        bytes.extend_from_slice(&[0x5a; 300]);
        std::fs::write(&path, bytes).expect("append garbage");
    }
    std::fs::write(store.join("journal"), journal).expect("write journal");
}

#[test]
fn recover_messages_match_hg() {
    common::compare_with_copy("files", interrupt, &["recover"]);
    common::compare_with_copy("files", interrupt, &["recover", "--verify"]);
    common::compare_with_copy("files", |_| {}, &["recover"]);
    common::compare_with_copy("files", interrupt, &["recover", "-q"]);
}

#[test]
fn recovered_store_is_the_one_before_the_transaction() {
    let scratch = ScratchCopy::new("files");
    let store = scratch.repo.join(".hg/store");
    let before: Vec<Vec<u8>> = APPENDED
        .iter()
        .map(|n| std::fs::read(store.join(n)).expect("read"))
        .collect();
    interrupt(&scratch.repo);
    let qs = common::run_qs(&Invocation::new(&scratch.repo, &["recover"]));
    assert_eq!(qs.code, 0, "qs recover failed: {}", qs.stderr_str());
    for (name, old) in APPENDED.iter().zip(&before) {
        assert_eq!(
            &std::fs::read(store.join(name)).expect("read"),
            old,
            "{name} not restored"
        );
    }
    assert!(!store.join("journal").exists(), "journal left behind");
    let verify = run_hg(&Invocation::new(&scratch.repo, &["verify", "-q"]));
    assert_eq!(
        verify.code,
        0,
        "hg verify after qs recover: {}",
        verify.stderr_str()
    );
}

#[test]
fn recover_waits_for_a_held_lock_then_aborts_like_hg() {
    // A lock held by a process on another host is never considered stale.
    let held = |root: &Path| {
        interrupt(root);
        std::os::unix::fs::symlink("elsewhere.example:4242", root.join(".hg/store/lock"))
            .expect("lock symlink");
    };
    common::compare_with_copy("files", held, &["recover", "--config", "ui.timeout=1"]);
    common::compare_with_copy("files", held, &["recover", "--config", "ui.timeout=0"]);
}
