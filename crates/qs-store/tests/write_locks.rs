//! hg's locks, shared with hg: hg waits for a lock qs holds (and gives up
//! with its usual messages), qs waits for a lock hg holds and gives up
//! with the same messages hg prints, stale locks of killed processes are
//! broken, waiting then getting the lock is reported like hg. Needs the
//! pinned hg in `QS_HG`.
#![allow(clippy::unwrap_used)]

mod write_common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use qs_store::lock::{self, lock_prefix, lock_text, read_locker, LockWait};
use write_common::*;

fn repo_with_change(home: &Path) -> std::path::PathBuf {
    let root = home.join("repo");
    init_like(home, &root, &[]);
    std::fs::write(root.join("file"), "content\n").unwrap();
    hg_ok(home, &root, &["add", "-q", "file"]);
    root
}

fn wait_for_lock(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(locker) = read_locker(path).unwrap() {
            return locker;
        }
        assert!(Instant::now() < deadline, "lock never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn hg_holding_store_lock(home: &Path, root: &Path) -> (Child, String) {
    let child = hg_command(home, root, &["debuglocks", "--set-lock"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let locker = wait_for_lock(&root.join(".hg/store/lock"));
    (child, locker)
}

fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
}

#[test]
fn hg_waits_for_a_lock_qs_holds_and_times_out() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let root = repo_with_change(home);
    let store = root.join(".hg/store");
    let held = lock::store_lock(&store, &root, LockWait::default(), &mut |_| {}).unwrap();
    assert_eq!(read_locker(&store.join("lock")).unwrap(), Some(lock_text()));

    let out = hg(
        home,
        &root,
        &["commit", "-m", "x", "-u", "t", "--config", "ui.timeout=1"],
    );
    let expected = format!(
        "waiting for lock on repository {root} held by process '{pid}' on host '{prefix}'\n\
         abort: repository {root}: timed out waiting for lock held by '{text}'\n",
        root = root.display(),
        pid = std::process::id(),
        prefix = lock_prefix(),
        text = lock_text(),
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), expected);
    assert!(!out.status.success());
    drop(held);
    assert!(!store.join("lock").exists(), "lock not released on drop");
    hg_ok(home, &root, &["commit", "-m", "x", "-u", "t"]);
}

#[test]
fn qs_waits_for_a_lock_hg_holds_and_times_out_with_hgs_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let root = repo_with_change(home);
    let (mut holder, locker) = hg_holding_store_lock(home, &root);

    let mut ours = String::new();
    let err = lock::store_lock(
        &root.join(".hg/store"),
        &root,
        LockWait {
            timeout: 1,
            warn_after: 0,
        },
        &mut |m| ours.push_str(m),
    )
    .expect_err("hg holds the lock");
    assert!(matches!(
        err,
        qs_store::StoreError::LockHeld {
            timed_out: true,
            ..
        }
    ));
    ours.push_str(&format!("abort: {err}\n"));
    assert!(ours.contains(&locker));

    // hg facing its own lock prints exactly the same.
    let out = hg(
        home,
        &root,
        &["commit", "-m", "x", "-u", "t", "--config", "ui.timeout=1"],
    );
    terminate(&mut holder);
    assert_eq!(String::from_utf8_lossy(&out.stderr), ours);
}

#[test]
fn stale_lock_of_a_killed_hg_is_broken() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let root = repo_with_change(home);
    let (mut holder, _) = hg_holding_store_lock(home, &root);
    holder.kill().unwrap();
    holder.wait().unwrap();
    let lock_path = root.join(".hg/store/lock");
    assert!(
        read_locker(&lock_path).unwrap().is_some(),
        "kill -9 left no lock"
    );

    let held = lock::try_acquire(&lock_path, "repository x").expect("stale lock broken");
    assert_eq!(read_locker(&lock_path).unwrap(), Some(lock_text()));
    assert!(!root.join(".hg/store/lock.break").exists());
    drop(held);
    // And hg breaks a stale lock of ours the same way: a dead pid of ours.
    let dead = Command::new("true").spawn().unwrap();
    let dead_pid = dead.id();
    let mut dead = dead;
    dead.wait().unwrap();
    std::os::unix::fs::symlink(format!("{}:{dead_pid}", lock_prefix()), &lock_path).unwrap();
    hg_ok(home, &root, &["commit", "-m", "x", "-u", "t"]);
}

#[test]
fn waiting_then_getting_the_lock_is_reported_like_hg() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("lock");
    let first = lock::try_acquire(&path, "repository /r").unwrap();
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        drop(first);
    });
    let mut messages = Vec::new();
    let second = lock::acquire(
        &path,
        "repository /r",
        LockWait {
            timeout: 10,
            warn_after: 0,
        },
        &mut |m| messages.push(m.to_string()),
    )
    .unwrap();
    releaser.join().unwrap();
    assert_eq!(
        messages,
        vec![
            format!(
                "waiting for lock on repository /r held by process '{}' on host '{}'\n",
                std::process::id(),
                lock_prefix()
            ),
            "got lock after 2 seconds\n".to_string(),
        ]
    );
    assert_eq!(second.waited(), 2);
}

#[test]
fn wlock_is_taken_before_the_store_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let root = repo_with_change(home);
    let dot_hg = root.join(".hg");
    let wlock = lock::working_lock(&dot_hg, &root, LockWait::default(), &mut |_| {}).unwrap();
    let store = lock::store_lock(
        &dot_hg.join("store"),
        &root,
        LockWait::default(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        wlock.description(),
        format!("working directory of {}", root.display())
    );
    assert_eq!(
        store.description(),
        format!("repository {}", root.display())
    );
    let out = hg(home, &root, &["debuglocks"]);
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing.contains("lock:  user") && listing.contains("wlock: user"),
        "{listing}"
    );
    drop(store);
    drop(wlock);
    assert!(hg(home, &root, &["debuglocks"]).status.success());
}
