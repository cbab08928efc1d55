//! `.hgignore` warnings and errors against hg's: invalid `syntax:` lines,
//! unreadable includes, invalid patterns (with the file they came from),
//! and `hg debugignore`-style matching of each syntax.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use common::{write, Sandbox};
use qs_dirstate::ignore::{ignore_files, ignore_matcher};

/// hg's stderr for `hg status` vs ours: warnings then `abort: ...`.
fn ours(repo: &Path) -> String {
    let read = |p: &Path| std::fs::read(p);
    let files = ignore_files(repo, &[]);
    let mut warnings = Vec::new();
    let result = ignore_matcher(repo, &files, &read, &mut warnings);
    let mut out: String = warnings
        .iter()
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    if let Err(e) = result {
        out.push_str(&format!("abort: {e}\n"));
    }
    out
}

#[test]
fn ignore_file_messages_match_hg() {
    let sb = Sandbox::new();
    let repo = sb.init("ign", false);
    let repo = repo.canonicalize().expect("canonical");
    let cases = [
        "syntax: bogus\nre:a(b\n",
        "include:missing\nsyntax: glob\n*.o\n",
        "*.o\n",
        "syntax: glob\n[\n\\#x # comment\n",
        "syntax: rootglob\n{a,b\n",
        "re:(?P<n>a)\nglob:**/x\\\\#y\n",
    ];
    for content in cases {
        write(&repo, ".hgignore", content);
        let out = sb.hg_raw(&repo, &["status"]);
        let hg = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(ours(&repo), hg, "for .hgignore:\n{content}");
    }
}

#[test]
fn each_syntax_ignores_what_hg_ignores() {
    let sb = Sandbox::new();
    let repo = sb.init("ign2", false).canonicalize().expect("canonical");
    write(
        &repo,
        ".hgignore",
        "syntax: glob\n*.o\nbuild/\nsyntax: regexp\n\\.tmp$\n^top/\nsyntax: rootglob\n*.txt\nrelglob:*.bak\nrelre:x{2}\nrootglob:doc/*.md\ninclude:more\n",
    );
    write(&repo, "more", "syntax: glob\nlocal*\n");
    let paths = [
        "a.o",
        "d/a.o",
        "build/x",
        "d/build/x",
        "a.tmp",
        "d/a.tmpx",
        "top/f",
        "d/top/f",
        "a.txt",
        "d/a.txt",
        "f.bak",
        "d/e/f.bak",
        "axxb",
        "doc/a.md",
        "doc/d/a.md",
        "local1",
        "d/localx",
        "plain",
    ];
    let read = |p: &Path| std::fs::read(p);
    let mut warnings = Vec::new();
    let ignore =
        ignore_matcher(&repo, &ignore_files(&repo, &[]), &read, &mut warnings).expect("ignore");
    for p in paths {
        let out = sb.hg(&repo, &["debugignore", p]);
        let hg_ignored = String::from_utf8_lossy(&out).contains("is ignored");
        let ours = qs_dirstate::ignore::is_path_or_parent_ignored(&ignore, p.as_bytes());
        assert_eq!(ours, hg_ignored, "{p}: {}", String::from_utf8_lossy(&out));
    }
    let _ = repo.as_os_str().as_bytes();
}
