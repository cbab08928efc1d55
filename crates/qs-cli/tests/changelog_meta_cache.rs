//! The changelog cache (`.hg/cache/qs-changelog-meta`: each changeset's
//! user and date) never changes an answer: `user()`, `date()` and
//! `sort()` by date or user equal hg's on a fresh repository (the cache is
//! built), again (it is read), after history is stripped and rewritten
//! with other users and dates (stale records are dropped), and with the
//! cache file damaged.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Checker, Invocation};

const QUERIES: &[&str] = &[
    "user(user3)",
    "author('user1') and not user('user10')",
    "date('<1970-01-01 00:01:10')",
    "date('>1970-01-01 00:01:30') and user(user2)",
    "sort(all(), -date)",
    "sort(all(), user, -rev)",
    "sort(user(user4) or user(user5), -user, date)",
    "first(sort(all(), -date), 5)",
    "last(user(user6), 3)",
];

/// Runs a tool in `dir`, hermetically, and insists that it succeeds.
fn run(program: &Path, dir: &Path, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir)
        .env("HGPLAIN", "1")
        .env("HGRCPATH", "")
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `count` commits by qs, with users and dates cycling (dates not in
/// revision order, so sorting by date is a real permutation).
fn commit_many(dir: &Path, first: usize, count: usize, salt: usize) {
    for i in first..first + count {
        std::fs::write(dir.join("f"), format!("{i} {salt}\n")).unwrap();
        let user = format!("user{}", (i * 7 + salt) % 11);
        let date = format!("{} 0", (i * 37 + salt) % 150);
        run(
            &common::qs_bin(),
            dir,
            &[
                "commit",
                "-q",
                "-A",
                "-m",
                &format!("c{i}"),
                "-u",
                &user,
                "-d",
                &date,
            ],
        );
    }
}

fn compare_all(c: &mut Checker, dir: &Path) {
    for q in QUERIES {
        c.check(
            &Invocation::new(dir, &["log", "-T", "{rev} {author} {date}\\n", "-r", q]).uncached(),
        );
    }
}

#[test]
fn cached_users_and_dates_answer_as_hg() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    run(&common::hg_bin(), &dir, &["init"]);
    commit_many(&dir, 0, 120, 0);
    let cache = dir.join(".hg/cache/qs-changelog-meta");
    let mut c = Checker::new("changelog_meta_cache");

    compare_all(&mut c, &dir);
    assert!(cache.exists(), "the first query builds the cache");
    compare_all(&mut c, &dir);

    // Strip the last 30 changesets with hg, then commit 40 others: the
    // cache's records from revision 90 on no longer describe the history.
    run(
        &common::hg_bin(),
        &dir,
        &[
            "--config",
            "extensions.strip=",
            "strip",
            "-q",
            "--no-backup",
            "-r",
            "90",
        ],
    );
    commit_many(&dir, 90, 40, 5);
    compare_all(&mut c, &dir);

    // A damaged cache is ignored (and rewritten).
    let mut bytes = std::fs::read(&cache).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&cache, &bytes).unwrap();
    compare_all(&mut c, &dir);
    std::fs::write(&cache, b"QSCM garbage").unwrap();
    compare_all(&mut c, &dir);
    c.finish();
}
