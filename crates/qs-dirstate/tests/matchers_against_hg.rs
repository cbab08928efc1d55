//! Matchers against hg's own `mercurial.match`, run with the Python that
//! sits next to `QS_HG`: a table of patterns × paths (and directories for
//! `visitdir`) is evaluated by both in one batch.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use qs_dirstate::matchbuild::{build_matcher, PatternContext};
use qs_dirstate::matcher::Visit;
use qs_dirstate::pattern::PatternKind;

struct Case {
    patterns: &'static [&'static str],
    include: &'static [&'static str],
    exclude: &'static [&'static str],
    default: &'static str,
    cwd: &'static str,
}

const fn case(patterns: &'static [&'static str]) -> Case {
    Case {
        patterns,
        include: &[],
        exclude: &[],
        default: "relpath",
        cwd: "",
    }
}

const PATHS: &[&str] = &[
    "a",
    "a.c",
    "b.h",
    "dir/a.c",
    "dir/sub/x.c",
    "dir/sub/deep/y.txt",
    "dir.c",
    "dirx/f",
    "other/dir/a.c",
    "foo/bar/baz",
    "foo/bar",
    "README",
    "x{y}",
    "a b",
    "q?",
    "[ab]",
    "dir/a.cc",
    "main.py",
    "lib/x.py",
];

const DIRS: &[&str] = &[
    "",
    "dir",
    "dir/sub",
    "dir/sub/deep",
    "foo",
    "foo/bar",
    "other",
    "lib",
    "nope",
];

fn cases() -> Vec<Case> {
    let mut v = vec![
        case(&["a"]),
        case(&["dir"]),
        case(&["path:dir/sub"]),
        case(&["path:."]),
        case(&["filepath:dir/a.c"]),
        case(&["glob:*.c"]),
        case(&["glob:**.c"]),
        case(&["glob:dir/**/*.c"]),
        case(&["glob:dir/*"]),
        case(&["glob:{a,b}.*"]),
        case(&["glob:[ab]*"]),
        case(&["glob:[!a]*"]),
        case(&["glob:?.c"]),
        case(&["glob:x\\{y\\}"]),
        case(&["glob:a\\ b"]),
        case(&["relglob:*.c"]),
        case(&["relglob:sub/*.c"]),
        case(&["rootglob:*.c"]),
        case(&["re:.*\\.c$"]),
        case(&["re:dir/"]),
        case(&["re:(?i)readme"]),
        case(&["re:a{2}|x\\{"]),
        case(&["relre:sub"]),
        case(&["relre:^dir"]),
        case(&["relre:(?i)MAIN"]),
        case(&["rootfilesin:dir"]),
        case(&["rootfilesin:."]),
        case(&["rootfilesin:dir", "path:foo"]),
        case(&["glob:*.c", "path:foo/bar"]),
        case(&["relpath:."]),
        case(&["*.py"]),
    ];
    v.push(Case {
        default: "glob",
        ..case(&["*.py", "dir/*.c"])
    });
    v.push(Case {
        cwd: "dir",
        ..case(&["glob:*.c", "sub"])
    });
    v.push(Case {
        cwd: "dir",
        ..case(&["relpath:../foo"])
    });
    v.push(Case {
        include: &["dir/**", "path:foo"],
        ..case(&[])
    });
    v.push(Case {
        exclude: &["**.c"],
        ..case(&[])
    });
    v.push(Case {
        include: &["path:dir"],
        exclude: &["dir/sub"],
        ..case(&["glob:**"])
    });
    v.push(Case {
        include: &["rootfilesin:dir/sub", "relglob:*.py"],
        ..case(&[])
    });
    v.push(Case {
        include: &["re:.*\\.txt$"],
        exclude: &["path:dir/sub/deep"],
        ..case(&["path:dir"])
    });
    v.push(Case {
        include: &["listfile:list"],
        ..case(&[])
    });
    v.push(Case {
        include: &["include:pats"],
        ..case(&[])
    });
    v
}

fn py_bytes(s: &str) -> String {
    let mut out = String::from("b'");
    for b in s.bytes() {
        out.push_str(&format!("\\x{b:02x}"));
    }
    out.push('\'');
    out
}

fn py_list(items: &[&str]) -> String {
    let inner: Vec<String> = items.iter().map(|s| py_bytes(s)).collect();
    format!("[{}]", inner.join(", "))
}

fn hg_results(root: &Path, cases: &[Case]) -> Vec<String> {
    let hg = common::hg_path();
    let python = hg.parent().expect("bin dir").join("python");
    let mut script = String::from("import sys\nfrom mercurial import match as m\nroot = ");
    script.push_str(&py_bytes(&root.to_string_lossy()));
    script.push_str(&format!(
        "\npaths = {}\ndirs = {}\ncases = [\n",
        py_list(PATHS),
        py_list(DIRS)
    ));
    for c in cases {
        script.push_str(&format!(
            "  ({}, {}, {}, {}, {}),\n",
            py_list(c.patterns),
            py_list(c.include),
            py_list(c.exclude),
            py_bytes(c.default),
            py_bytes(c.cwd)
        ));
    }
    script.push_str(
        "]\nfor pats, inc, exc, default, cwd in cases:\n\
         \x20   try:\n\
         \x20       mt = m.match(root, cwd, pats, inc, exc, default=default)\n\
         \x20   except Exception as e:\n\
         \x20       print('error'); continue\n\
         \x20   r = ''.join('1' if mt(p) else '0' for p in paths)\n\
         \x20   v = ''.join({b'all': 'A', True: 'Y', False: 'N'}[mt.visitdir(d)] for d in dirs)\n\
         \x20   print(r + ' ' + v)\n",
    );
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(&script)
        .current_dir(root)
        .env("HGRCPATH", "")
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn kind(name: &str) -> PatternKind {
    PatternKind::from_name(name.as_bytes()).expect("kind")
}

fn bytes(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|s| s.as_bytes().to_vec()).collect()
}

#[test]
fn matchers_agree_with_mercurial_match() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join("list"), "a\ndir/sub\n").expect("list");
    std::fs::write(
        root.join("pats"),
        "syntax: glob\n*.h\nre:^foo/\nrootglob:*.py\n# comment\n",
    )
    .expect("pats");
    std::fs::create_dir(root.join("dir")).expect("dir");
    let cases = cases();
    let expected = hg_results(&root, &cases);
    assert_eq!(expected.len(), cases.len());
    let distinct: std::collections::HashSet<&String> = expected.iter().collect();
    assert!(
        distinct.len() > 25,
        "the table should discriminate: {expected:?}"
    );
    let read = |p: &Path| std::fs::read(p);
    let root_bytes = root.to_string_lossy().into_owned();
    let mut failures = Vec::new();
    for (c, want) in cases.iter().zip(&expected) {
        let ctx = PatternContext {
            root: root_bytes.as_bytes(),
            cwd: c.cwd.as_bytes(),
            read: &read,
        };
        let mut warnings = Vec::new();
        let got = match build_matcher(
            &ctx,
            &bytes(c.patterns),
            &bytes(c.include),
            &bytes(c.exclude),
            kind(c.default),
            &mut warnings,
        ) {
            Err(_) => "error".to_string(),
            Ok(m) => {
                let r: String = PATHS
                    .iter()
                    .map(|p| if m.matches(p.as_bytes()) { '1' } else { '0' })
                    .collect();
                let v: String = DIRS
                    .iter()
                    .map(|d| match m.visit_dir(d.as_bytes()) {
                        Visit::All => 'A',
                        Visit::Yes => 'Y',
                        Visit::No => 'N',
                    })
                    .collect();
                format!("{r} {v}")
            }
        };
        if &got != want {
            failures.push(format!(
                "{:?} -I{:?} -X{:?} default={} cwd={:?}\n  hg: {want}\n  qs: {got}",
                c.patterns, c.include, c.exclude, c.default, c.cwd
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "paths: {PATHS:?}\ndirs: {DIRS:?}\n{}",
        failures.join("\n")
    );
}
