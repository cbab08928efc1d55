//! The status walk against `hg status -A` on repositories made by hg
//! (v1 and v2): every kind of change, .hgignore in each syntax, extra
//! ignore files, nested repositories, non-UTF-8 names, and patterns of
//! each kind. `unsure` files are resolved the simple way: by comparing
//! with the content and flags we committed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{write, Sandbox};
use qs_dirstate::ignore::{ignore_files, ignore_matcher};
use qs_dirstate::matchbuild::{build_matcher, PatternContext};
use qs_dirstate::pattern::PatternKind;
use qs_dirstate::status::{status, StatusOptions};
use qs_dirstate::timestamp::filesystem_now;
use qs_dirstate::{disk, DirstateMap};

/// What was committed: content (or link target) and flags.
type Committed = HashMap<Vec<u8>, (Vec<u8>, bool, bool)>;

fn snapshot(root: &Path, files: &[&str]) -> Committed {
    files
        .iter()
        .map(|f| {
            let p = root.join(f);
            let meta = std::fs::symlink_metadata(&p).expect("stat");
            let link = meta.file_type().is_symlink();
            let content = if link {
                std::fs::read_link(&p)
                    .expect("link")
                    .as_os_str()
                    .as_bytes()
                    .to_vec()
            } else {
                std::fs::read(&p).expect("read")
            };
            let exec = !link && meta.permissions().mode() & 0o100 != 0;
            (f.as_bytes().to_vec(), (content, link, exec))
        })
        .collect()
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn build(sb: &Sandbox, v2: bool) -> (std::path::PathBuf, Committed) {
    let repo = sb.init(if v2 { "st2" } else { "st1" }, v2);
    let files = [
        "clean",
        "modsize",
        "modsame",
        "exec",
        "unexec",
        "link",
        "gone",
        "toremove",
        "becomesdir",
        "dir/a.c",
        "dir/b.h",
        "dir/sub/c.c",
        "dirgone/x",
        "ign.o",
        "top.txt",
    ];
    for f in files {
        if f != "link" {
            write(&repo, f, &format!("{f} content\n"));
        }
    }
    std::os::unix::fs::symlink("clean", repo.join("link")).expect("symlink");
    chmod(&repo.join("unexec"), 0o755);
    // Tracked files that match .hgignore stay tracked.
    sb.hg(&repo, &["commit", "-Am", "base", "-d", "0 0"]);
    let committed = snapshot(&repo, &files);
    write(
        &repo,
        ".hgignore",
        "# comment\nsyntax: glob\n*.o\nbuild\nsyntax: regexp\n^tmp/.*\\.log$\n\\#hash\nsyntax: rootglob\ntop.txt\nrelglob:*.bak\nsubinclude:sub2/.hgignore\n",
    );
    write(&repo, "sub2/.hgignore", "syntax: glob\nlocal*\n");
    write(&repo, "sub2/local1", "x\n");
    write(&repo, "sub2/kept", "x\n");
    write(&repo, "extra-ignore", "glob:*.extra\n");
    write(&repo, "modsize", "modsize content, longer now\n");
    write(&repo, "modsame", "MODSAME CONTENT\n");
    chmod(&repo.join("exec"), 0o755);
    chmod(&repo.join("unexec"), 0o644);
    std::fs::remove_file(repo.join("link")).expect("rm link");
    std::os::unix::fs::symlink("modsize", repo.join("link")).expect("relink");
    std::fs::remove_file(repo.join("gone")).expect("rm");
    std::fs::remove_file(repo.join("becomesdir")).expect("rm");
    write(&repo, "becomesdir/inner", "inner\n");
    std::fs::remove_dir_all(repo.join("dirgone")).expect("rm dir");
    write(&repo, "dirgone", "now a file\n");
    sb.hg(&repo, &["rm", "toremove"]);
    write(&repo, "new", "new\n");
    sb.hg(&repo, &["add", "new"]);
    sb.hg(&repo, &["cp", "clean", "copied"]);
    write(&repo, "unknown", "?\n");
    write(&repo, "dir/unknown.c", "?\n");
    write(&repo, "obj.o", "o\n");
    write(&repo, "build/out", "o\n");
    write(&repo, "tmp/x.log", "l\n");
    write(&repo, "tmp/x.txt", "t\n");
    write(&repo, "#hash", "h\n");
    write(&repo, "sub/top.txt", "not root\n");
    write(&repo, "deep/file.bak", "b\n");
    write(&repo, "a.extra", "e\n");
    write(&repo, "nested/.hg/requires", "\n");
    write(&repo, "nested/inside", "n\n");
    std::fs::write(
        repo.join(std::ffi::OsStr::from_bytes(b"caf\xe9")),
        "latin1\n",
    )
    .expect("latin1");
    (repo, committed)
}

fn ours(
    repo: &Path,
    v2: bool,
    patterns: &[&str],
    include: &[&str],
    exclude: &[&str],
    committed: &Committed,
) -> BTreeMap<Vec<u8>, char> {
    let dot_hg = repo.join(".hg");
    let map: DirstateMap = disk::read(&dot_hg, v2).expect("dirstate").map;
    let read = |p: &Path| std::fs::read(p);
    let root = repo.as_os_str().as_bytes();
    let mut warnings = Vec::new();
    let to_vec = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
    let ctx = PatternContext {
        root,
        cwd: b"",
        read: &read,
    };
    let matcher = build_matcher(
        &ctx,
        &to_vec(patterns),
        &to_vec(include),
        &to_vec(exclude),
        PatternKind::RelPath,
        &mut warnings,
    )
    .expect("matcher");
    let files = ignore_files(repo, &[b"extra-ignore".to_vec()]);
    let ignore = ignore_matcher(repo, &files, &read, &mut warnings).expect("ignore");
    assert!(warnings.is_empty(), "{warnings:?}");
    let options = StatusOptions {
        list_clean: true,
        list_unknown: true,
        list_ignored: true,
        check_exec: true,
        mtime_boundary: Some(filesystem_now(&dot_hg).expect("now")),
    };
    let st = status(repo, &map, &matcher, &ignore, options);
    let mut out = BTreeMap::new();
    for (list, letter) in [
        (&st.modified, 'M'),
        (&st.added, 'A'),
        (&st.removed, 'R'),
        (&st.deleted, '!'),
        (&st.unknown, '?'),
        (&st.ignored, 'I'),
        (&st.clean, 'C'),
    ] {
        for p in list {
            assert!(
                out.insert(p.clone(), letter).is_none(),
                "listed twice: {p:?}"
            );
        }
    }
    for u in &st.unsure {
        let full = repo.join(std::ffi::OsStr::from_bytes(&u.path));
        let meta = std::fs::symlink_metadata(&full).expect("stat");
        let link = meta.file_type().is_symlink();
        let content = if link {
            std::fs::read_link(&full)
                .expect("link")
                .as_os_str()
                .as_bytes()
                .to_vec()
        } else {
            std::fs::read(&full).expect("read")
        };
        let exec = !link && meta.permissions().mode() & 0o100 != 0;
        let same = committed.get(&u.path) == Some(&(content, link, exec));
        out.insert(u.path.clone(), if same { 'C' } else { 'M' });
    }
    out
}

fn theirs(sb: &Sandbox, repo: &Path, args: &[&str]) -> BTreeMap<Vec<u8>, char> {
    let mut full = vec![
        "status",
        "-A",
        "--config",
        "ui.ignore.extra=extra-ignore",
        "-T",
        "{status} {path}\\n",
    ];
    full.extend_from_slice(args);
    let out = sb.hg(repo, &full);
    out.split(|&b| b == b'\n')
        .filter(|l| l.len() > 2)
        .map(|l| (l[2..].to_vec(), char::from(l[0])))
        .collect()
}

fn show(m: &BTreeMap<Vec<u8>, char>) -> String {
    m.iter()
        .map(|(p, c)| format!("{c} {}\n", String::from_utf8_lossy(p)))
        .collect()
}

fn compare(v2: bool) {
    let sb = Sandbox::new();
    let (repo, committed) = build(&sb, v2);
    let table: &[(&[&str], &[&str], &[&str])] = &[
        (&[], &[], &[]),
        (&["glob:dir/*"], &[], &[]),
        (&["path:dir"], &[], &[]),
        (&["re:.*\\.c$"], &[], &[]),
        (&["relglob:*.o"], &[], &[]),
        (&["rootfilesin:."], &[], &[]),
        (&["dir", "clean"], &[], &[]),
        (&["filepath:modsize"], &[], &[]),
        (&["obj.o"], &[], &[]),
        (&[], &["**.c"], &[]),
        (&[], &[], &["dir"]),
        (&["glob:**"], &["path:tmp", "path:build"], &["re:.*\\.log$"]),
    ];
    for (patterns, include, exclude) in table {
        let ours = ours(&repo, v2, patterns, include, exclude, &committed);
        let mut args: Vec<&str> = patterns.to_vec();
        for i in *include {
            args.extend(["-I", i]);
        }
        for x in *exclude {
            args.extend(["-X", x]);
        }
        let theirs = theirs(&sb, &repo, &args);
        if patterns.is_empty() && include.is_empty() && exclude.is_empty() {
            for letter in ['M', 'A', 'R', '!', '?', 'I', 'C'] {
                assert!(
                    theirs.values().any(|&c| c == letter),
                    "no {letter} in\n{}",
                    show(&theirs)
                );
            }
        }
        assert_eq!(
            show(&ours),
            show(&theirs),
            "status {patterns:?} -I {include:?} -X {exclude:?} (v2={v2})"
        );
    }
}

#[test]
fn status_matches_hg_on_dirstate_v1() {
    compare(false);
}

#[test]
fn status_matches_hg_on_dirstate_v2() {
    compare(true);
}
