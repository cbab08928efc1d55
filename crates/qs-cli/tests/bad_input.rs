//! Bad input never panics: corrupted and hostile repositories, bad
//! revisions and bad arguments give one clear `abort:` line and hg's exit
//! code. Where hg words the problem the same way, the output is compared
//! byte for byte.

mod common;

use common::{run_hg, run_qs, Invocation, ScratchCopy};

/// Runs qs on the corrupted copy and checks: no panic, the expected exit
/// code, and a stderr of exactly one `abort: ` line.
fn assert_clean_abort(repo: &std::path::Path, args: &[&str], code: i32) -> String {
    let out = run_qs(&Invocation::new(repo, args));
    let stderr = out.stderr_str();
    assert!(!out.panicked(), "qs panicked on {args:?}: {stderr}");
    assert_eq!(out.code, code, "exit code of {args:?}; stderr: {stderr}");
    assert!(
        stderr.starts_with("abort: "),
        "not an abort line: {stderr:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "more than one line: {stderr:?}");
    stderr
}

fn first_filelog(repo: &std::path::Path) -> std::path::PathBuf {
    let mut logs: Vec<_> = std::fs::read_dir(repo.join(".hg/store/data"))
        .expect("store data dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "i"))
        .collect();
    logs.sort();
    logs.into_iter().next().expect("a filelog")
}

#[test]
fn truncated_changelog_index() {
    let copy = ScratchCopy::new("files");
    let cl = copy.repo.join(".hg/store/00changelog.i");
    let bytes = std::fs::read(&cl).expect("read");
    std::fs::write(&cl, &bytes[..100]).expect("truncate");
    for args in [&["log"][..], &["heads"], &["verify"], &["identify"]] {
        assert_clean_abort(&copy.repo, args, 255);
    }
}

#[test]
fn flipped_byte_is_an_integrity_error_like_hg() {
    let copy = ScratchCopy::new("files");
    let log = first_filelog(&copy.repo);
    let mut bytes = std::fs::read(&log).expect("read");
    let at = bytes.len() - 3;
    bytes[at] ^= 0xff;
    std::fs::write(&log, bytes).expect("write");
    let inv = Invocation::new(&copy.repo, &["cat", "-r", "tip", "100%.txt"]);
    let (qs, hg) = (run_qs(&inv), run_hg(&inv));
    assert!(!qs.panicked());
    assert_eq!((qs.code, qs.stderr_str()), (hg.code, hg.stderr_str()));
    let inv = Invocation::new(&copy.repo, &["verify"]);
    let (qs, hg) = (run_qs(&inv), run_hg(&inv));
    assert_eq!(qs, hg, "verify of a corrupted filelog");
}

#[test]
fn missing_data_file() {
    let copy = ScratchCopy::new("revlog-split");
    let mut data_files: Vec<_> = walk(&copy.repo.join(".hg/store/data"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "d"))
        .collect();
    data_files.sort();
    let victim = data_files.first().expect("a split filelog with a .d file");
    std::fs::remove_file(victim).expect("remove .d");
    let out = run_qs(&Invocation::new(&copy.repo, &["verify"]));
    assert!(!out.panicked());
    assert_eq!(
        out.code,
        1,
        "verify reports the damage: {}",
        out.stderr_str()
    );
    let out = run_qs(&Invocation::new(&copy.repo, &["manifest", "-r", "tip"]));
    assert!(!out.panicked());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn unknown_requirement_is_refused_with_hgs_words() {
    let copy = ScratchCopy::new("files");
    let requires = copy.repo.join(".hg/requires");
    let mut text = std::fs::read(&requires).expect("read");
    text.extend_from_slice(b"zzz-future-feature\n");
    std::fs::write(&requires, text).expect("write");
    let inv = Invocation::new(&copy.repo, &["log"]);
    let (qs, hg) = (run_qs(&inv), run_hg(&inv));
    assert_eq!(qs, hg);
}

#[test]
fn garbage_in_bookmarks_is_skipped_like_hg() {
    let copy = ScratchCopy::new("branchy");
    let path = copy.repo.join(".hg/bookmarks");
    let mut text = std::fs::read(&path).unwrap_or_default();
    text.extend_from_slice(b"garbage\n");
    std::fs::write(&path, text).expect("write");
    // hg warns about the line only on some code paths (not in `bookmarks`);
    // what is listed must be the same.
    for args in [&["bookmarks"][..], &["log", "-q", "-l", "3"]] {
        let inv = Invocation::new(&copy.repo, args);
        let (qs, hg) = (run_qs(&inv), run_hg(&inv));
        assert!(!qs.panicked());
        assert_eq!(
            (qs.code, qs.stdout_str()),
            (hg.code, hg.stdout_str()),
            "{args:?}"
        );
    }
}

#[test]
fn garbage_phaseroots_is_a_clean_abort() {
    // hg itself crashes with a traceback here; qs must not.
    let copy = ScratchCopy::new("branchy");
    std::fs::write(copy.repo.join(".hg/store/phaseroots"), b"not a root\n").expect("write");
    assert_clean_abort(&copy.repo, &["log", "--debug", "-r", "0"], 255);
}

#[test]
fn corrupted_dirstate_is_a_clean_abort() {
    let copy = ScratchCopy::new("files");
    let path = copy.repo.join(".hg/dirstate");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.truncate(bytes.len().min(60));
    bytes.extend_from_slice(b"n\x00\x00");
    std::fs::write(&path, bytes).expect("write");
    assert_clean_abort(&copy.repo, &["identify"], 255);
}

#[test]
fn unreadable_store_requires() {
    let copy = ScratchCopy::new("files");
    let path = copy.repo.join(".hg/store/requires");
    std::fs::remove_file(&path).expect("remove");
    std::fs::create_dir(&path).expect("a directory where a file should be");
    assert_clean_abort(&copy.repo, &["log"], 255);
}

#[test]
fn random_garbage_revlogs_never_panic() {
    let copy = ScratchCopy::new("files");
    let targets = [
        ".hg/store/00changelog.i",
        ".hg/store/00manifest.i",
        ".hg/store/00changelog.d",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for target in targets {
        let path = copy.repo.join(target);
        let Ok(original) = std::fs::read(&path) else {
            continue;
        };
        for round in 0..8 {
            let mut bytes = original.clone();
            for _ in 0..(1 + round * 3) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                if bytes.is_empty() {
                    break;
                }
                let at = (seed as usize) % bytes.len();
                bytes[at] = (seed >> 32) as u8;
            }
            std::fs::write(&path, &bytes).expect("write");
            for args in [
                &["log", "--debug"][..],
                &["verify"],
                &["manifest"],
                &["tags"],
            ] {
                let out = run_qs(&Invocation::new(&copy.repo, args));
                assert!(
                    !out.panicked(),
                    "{target} round {round} {args:?}: {}",
                    out.stderr_str()
                );
            }
        }
        std::fs::write(&path, &original).expect("restore");
    }
}
