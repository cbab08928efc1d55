//! Compares `qs status` with the real `hg status`, byte for byte (stdout,
//! stderr, exit code), on scratch copies of the fixtures in which hg
//! first made files modified, added, removed, deleted, copied, unknown
//! and ignored. Each comparison runs qs first and hg second on the same
//! copy, so qs meets the dirstate exactly as hg left it (with mtimes it
//! cannot trust, since copies get fresh ones: the content comparison
//! against the parent manifest is exercised too).
//! Run through `scripts/test.sh` (it exports `QS_HG` and `QS_FIXTURES`).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{run_hg, Checker, Invocation, ScratchCopy};

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
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, content).unwrap();
}

/// Sets a file's mtime to a fixed past date (content unchanged).
fn set_old_mtime(path: &Path) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    file.set_modified(when).unwrap();
}

/// Every kind of change, made with hg on the `files` fixture copy.
fn prepare_files(root: &Path) {
    // Modified: content appended; same-size rewrite with an old mtime.
    let mut a = std::fs::read(root.join("aux.c")).unwrap();
    a.extend_from_slice(b"more\n");
    write(root, "aux.c", &a);
    let same = std::fs::read(root.join("con.txt")).unwrap();
    let flipped: Vec<u8> = same.iter().map(|b| b ^ 0x20).collect();
    write(root, "con.txt", &flipped);
    set_old_mtime(&root.join("con.txt"));
    // Unchanged content, touched.
    set_old_mtime(&root.join("a."));
    // Exec bit flipped.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root.join("aux"), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Added, copied, removed, deleted.
    write(root, "new-file", b"new\n");
    write(root, "bin/new-in-bin", b"new\n");
    hg(root, &["add", "-q", "new-file", "bin/new-in-bin"]);
    hg(root, &["cp", "-q", "_under", "under-copy"]);
    hg(root, &["cp", "-q", "empty", "bin/empty-copy"]);
    hg(root, &["rm", "-q", "COM1.log"]);
    std::fs::remove_file(root.join("100%.txt")).unwrap();
    std::fs::remove_file(root.join("bin/run.sh")).unwrap();
    // Ignored and unknown files.
    write(
        root,
        ".hgignore",
        b"syntax: glob\n*.o\nbuild/\n\nsyntax: regexp\n^ignored-re\n",
    );
    hg(root, &["add", "-q", ".hgignore"]);
    write(root, "obj.o", b"o\n");
    write(root, "bin/tool.o", b"o\n");
    write(root, "build/out", b"o\n");
    write(root, "build/deep/out.txt", b"o\n");
    write(root, "ignored-re-file", b"o\n");
    write(root, "unknown.txt", b"u\n");
    write(root, "bin/unknown-in-bin", b"u\n");
    write(root, "newdir/a", b"u\n");
    write(root, "newdir/b.o", b"u\n");
}

/// The flag combinations compared in every state.
const FLAG_SETS: &[&[&str]] = &[
    &[],
    &["-A"],
    &["-m"],
    &["-a"],
    &["-r"],
    &["-d"],
    &["-u"],
    &["-i"],
    &["-c"],
    &["-mar"],
    &["-du"],
    &["-ic"],
    &["-A", "-n"],
    &["-n"],
    &["-0"],
    &["-n0"],
    &["-A", "-0"],
    &["-q"],
    &["-qA"],
    &["-qu"],
    &["-C"],
    &["-aC"],
    &["-A", "-C", "-n"],
    &["--all", "--no-status", "--print0"],
    &["-I", "*.o", "-i"],
    &["-I", "bin", "-A"],
    &["-X", "bin", "-A"],
    &["-X", "**.o", "-i", "-u"],
    &["--config", "ui.statuscopies=yes"],
    &["--config", "ui.relative-paths=yes"],
];

/// Patterns (relative to where they run) compared in every state.
const PATTERN_SETS: &[&[&str]] = &[
    &["bin"],
    &["bin", "-A"],
    &["glob:*.txt"],
    &["glob:**.o", "-i"],
    &["re:.*\\.c$"],
    &["path:bin"],
    &["rootfilesin:bin", "-A"],
    &["build/out"],
    &["build", "-i"],
    &["obj.o"],
    &["obj.o", "-i"],
    &["no-such-file"],
    &["no-such-dir/x", "aux.c"],
    &["100%.txt", "COM1.log", "under-copy", "-C"],
    &["unknown.txt", "bin"],
];

fn status_invocation(cwd: &Path, extra: &[&str]) -> Invocation {
    let mut args = vec!["status"];
    args.extend_from_slice(extra);
    Invocation::new(cwd, &args)
}

#[test]
fn files_fixture_in_every_state_from_the_root() {
    let copy = ScratchCopy::new("files");
    prepare_files(&copy.repo);
    let mut checker = Checker::new("status root");
    for flags in FLAG_SETS.iter().chain(PATTERN_SETS) {
        checker.check(&status_invocation(&copy.repo, flags));
    }
    checker.finish();
}

#[test]
fn files_fixture_in_every_state_from_a_subdirectory() {
    let copy = ScratchCopy::new("files");
    prepare_files(&copy.repo);
    let sub = copy.repo.join("bin");
    let mut checker = Checker::new("status in bin/");
    for flags in FLAG_SETS {
        checker.check(&status_invocation(&sub, flags));
    }
    for patterns in [
        &["."][..],
        &[".."],
        &["../aux.c", "-A"],
        &["run.sh", "../100%.txt"],
        &["glob:*"],
        &["-A", "."],
        &["--config", "ui.relative-paths=no", "."],
        &["--config", "commands.status.relative=yes"],
        &["--config", "commands.status.relative=no", "."],
        &["path:bin", "-A"],
        &["../newdir"],
        &["nope"],
    ] {
        checker.check(&status_invocation(&sub, patterns));
    }
    checker.check(&Invocation::new(
        copy.repo.join("newdir"),
        &["status", "-u", ".."],
    ));
    checker.finish();
}

#[test]
fn ignore_files_from_config() {
    let copy = ScratchCopy::new("files");
    prepare_files(&copy.repo);
    write(&copy.repo, "extra-ignore", b"syntax: glob\n*.txt\n");
    let mut checker = Checker::new("status ui.ignore");
    for flags in [&["-u"][..], &["-i"], &["-A"]] {
        let mut args = vec!["status", "--config", "ui.ignore=extra-ignore"];
        args.extend_from_slice(flags);
        checker.check(&Invocation::new(&copy.repo, &args));
        let mut args = vec!["status", "--config", "ui.ignore.more=extra-ignore"];
        args.extend_from_slice(flags);
        checker.check(&Invocation::new(&copy.repo, &args));
    }
    checker.finish();
}

#[test]
fn clean_and_changed_working_copies_of_every_fixture() {
    let mut checker = Checker::new("status fixtures");
    for name in common::fixture_names() {
        let copy = ScratchCopy::new(&name);
        for flags in [&[][..], &["-A"], &["-q"]] {
            checker.check(&status_invocation(&copy.repo, flags));
        }
        // Every tracked file rewritten with one byte changed, or removed.
        let tracked = run_hg(&Invocation::new(&copy.repo, &["files", "-0"])).stdout;
        for (i, path) in tracked
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let full = copy.repo.join(common::os(path));
            let is_link = std::fs::symlink_metadata(&full)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(true);
            if is_link {
                continue;
            }
            match i % 3 {
                0 => {
                    let mut content = std::fs::read(&full).unwrap();
                    match content.first_mut() {
                        Some(b) => *b ^= 1,
                        None => content.push(b'x'),
                    }
                    std::fs::write(&full, content).unwrap();
                }
                1 => std::fs::remove_file(&full).unwrap(),
                _ => {}
            }
        }
        for flags in [&[][..], &["-A"], &["-d"], &["-mn0"]] {
            checker.check(&status_invocation(&copy.repo, flags));
        }
    }
    checker.finish();
}

#[test]
fn bad_ignore_pattern_and_bad_config() {
    let copy = ScratchCopy::new("linear");
    write(&copy.repo, "new.txt", b"x\n");
    let mut checker = Checker::new("status errors");
    checker.check(&status_invocation(
        &copy.repo,
        &["--config", "ui.relative-paths=maybe", "."],
    ));
    checker.check(&status_invocation(&copy.repo, &["re:("]));
    write(&copy.repo, ".hgignore", b"syntax: nonsense\n*.txt\n");
    checker.check(&status_invocation(&copy.repo, &[]));
    checker.finish();
}

/// `--rev` and `--change` (copies only with `--change` of a non-merge:
/// qs refuses the others).
#[test]
fn revisions_and_changes() {
    let mut checker = Checker::new("status --rev/--change");
    for name in ["files", "branchy", "linear"] {
        let copy = ScratchCopy::new(name);
        if name == "files" {
            prepare_files(&copy.repo);
        }
        let revs = run_hg(&Invocation::new(&copy.repo, &["log", "-T", "{rev}\\n"])).stdout;
        let revs: Vec<String> = String::from_utf8(revs)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        let mut invocations: Vec<Vec<String>> = Vec::new();
        for (i, rev) in revs.iter().enumerate().take(8) {
            invocations.push(vec!["--change".into(), rev.clone()]);
            invocations.push(vec!["--rev".into(), rev.clone()]);
            if let Some(older) = revs.get(i + 3) {
                invocations.push(vec![
                    "--rev".into(),
                    older.clone(),
                    "--rev".into(),
                    rev.clone(),
                    "-c".into(),
                ]);
                invocations.push(vec!["--rev".into(), format!("{rev}:{older}")]);
            }
        }
        let non_merges = run_hg(&Invocation::new(
            &copy.repo,
            &["log", "-r", "not merge()", "-l", "10", "-T", "{rev}\\n"],
        ))
        .stdout;
        for rev in String::from_utf8(non_merges).unwrap().lines() {
            invocations.push(vec!["--change".into(), rev.into(), "-C".into()]);
            invocations.push(vec!["--change".into(), rev.into(), "-A".into()]);
        }
        for extra in [
            &["--rev", "null"][..],
            &["--rev", "0", "-mardu"],
            &["--rev", "0", "-c", "-n"],
            &["--rev", "0", "-I", "bin"],
            &["--rev", "0", "--rev", "tip", "-i", "-u"],
            &["--rev", "0", "no-such-file"],
            &["--change", "tip", "-0"],
            &["--change", "tip", "--rev", "0"],
        ] {
            invocations.push(extra.iter().map(|s| s.to_string()).collect());
        }
        for args in invocations {
            let mut full = vec!["status".to_string()];
            full.extend(args);
            checker.check(&Invocation::new(&copy.repo, &full));
        }
    }
    checker.finish();
}

/// An uncommitted merge (files from the second parent, merged files),
/// with more changes on top.
#[test]
fn uncommitted_merge() {
    let mut checker = Checker::new("status in a merge");
    for other in ["21", "19"] {
        let copy = ScratchCopy::new("branchy");
        hg(&copy.repo, &["update", "-q", "-C", "16"]);
        hg(
            &copy.repo,
            &["merge", "-q", "-r", other, "--tool", ":local"],
        );
        for flags in [&[][..], &["-A"], &["-C"], &["-q"], &["--rev", "0"]] {
            checker.check(&status_invocation(&copy.repo, flags));
        }
        write(&copy.repo, "hello.txt", b"changed in the merge\n");
        write(&copy.repo, "unknown", b"u\n");
        hg(&copy.repo, &["rm", "-q", "doc/README"]);
        for flags in [&[][..], &["-A"], &["-mard"], &["--rev", "0", "-c"]] {
            checker.check(&status_invocation(&copy.repo, flags));
        }
    }
    checker.finish();
}
