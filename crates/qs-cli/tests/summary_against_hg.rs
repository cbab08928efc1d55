//! `qs summary` against `hg summary` in every state the working directory
//! can be in (clean, changes of each kind, copies and renames, new branch,
//! merge with unresolved files, interrupted update, closed head, secret
//! parent, bookmarks, updates available, no checkout, empty repository);
//! `addremove -s N` against hg's similarity rename detection; and the
//! clean files `status` and `summary` record in the dirstate (the same
//! dirstate bytes as hg's, never for an ambiguous mtime).

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use common::{run_with_home, Invocation, Tool};
use wcommon::{check_all, Base, Scenario};

const TWO: &str = "echo a > a; mkdir d; echo b > d/b; echo c > c; hg add -q; \
    hg commit -qm 'first line  \nsecond' -d '0 0'; hg tag -d '0 0' v1; echo a2 >> a; \
    hg commit -qm two -d '1 0'";

fn summary_scenarios() -> Vec<Scenario> {
    let s = |setup: &str| Scenario::new(Base::Init(&[]), setup).working_only();
    vec![
        s("").step(&["summary"]).step(&["sum", "-q"]),
        s(&format!(
            "{TWO}; hg bookmark -q act; hg bookmark -q -i other; echo m >> c; echo n > new; \
             hg add new; hg cp a acopy; hg mv d/b d/moved; rm a; echo u > u"
        ))
        .step(&["summary"])
        .step(&["summary", "-q"]),
        s(&format!(
            "{TWO}; hg up -q 1; hg bookmark -q -r 0 zz; hg branch -q feature; \
             hg phase --force --secret -r 2"
        ))
        .step(&["summary"])
        .step(&["summary", "--config", "phases.new-commit=secret"]),
        s(&format!(
            "{TWO}; hg up -q 1; echo x >> a; hg commit -qm head -d '2 0'; \
             hg merge -q 2 --tool :fail || true"
        ))
        .step(&["summary"]),
        s(&format!(
            "{TWO}; hg up -q 1; echo z > z; hg add z; touch .hg/updatestate"
        ))
        .step(&["summary"]),
        s(&format!(
            "{TWO}; hg commit -q --close-branch -m close -d '3 0'; hg up -q null; echo z > z"
        ))
        .step(&["summary"]),
    ]
}

#[test]
fn summary_matches_hg() {
    check_all("summary", summary_scenarios());
}

#[test]
fn status_terse_and_json_match_hg() {
    let setup = "mkdir -p d/e f g/h; echo a > a; echo b > d/b; echo x > d/e/x; echo f > f/f; \
        echo g > g/h/g; echo i > g/h/i; hg add -q a d f/f g/h/g; hg commit -qm a -d '0 0'; \
        echo u > f/u; echo uu > g/h/uu; echo u > d/e/u2; mkdir k; echo k > k/k; \
        echo y > d/e/y.o; printf 'syntax: glob\\n*.o\\n' > .hgignore; echo m >> d/b; \
        hg rm -q g/h/g; echo i > ign.o; mkdir -p z/z; echo i > z/z/q.o";
    check_all(
        "status --terse, -T json",
        vec![Scenario::new(Base::Init(&[]), setup)
            .working_only()
            .step(&["status", "-t", "u"])
            .step(&["status", "-t", "mardiuc"])
            .step(&["status", "-t", "uic", "-A"])
            .step(&["status", "--terse", "ui", "-i", "-n"])
            .step(&["status", "-t", "x"])
            .step(&["status", "-t", "u", "--rev", "."])
            .step(&["status", "-t", "u", "--change", "."])
            .step(&["status", "-t", "u", "d", "k", "--cwd", "d"])
            .step(&["status", "--config", "commands.status.terse=u"])
            .step(&[
                "status",
                "--config",
                "commands.status.terse=u",
                "--rev",
                ".",
            ])
            .step(&["status", "-t", "", "-X", "d"])
            .step(&["status", "-T", "json", "-A", "-C"])
            .step(&["status", "-Tjson", "-n", "-t", "u", "--cwd", "d"])
            .step(&["status", "-Tjson", "--change", "."])],
    );
}

#[test]
fn summary_remote_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    wcommon::make_base(Base::Init(&[]), &root, home.path());
    let out = run_with_home(
        Tool::Qs,
        &Invocation::new(&root, &["summary", "--remote"]),
        home.path(),
    );
    assert_eq!(out.code, 255);
    assert!(
        out.stderr_str()
            .starts_with("abort: option --remote is not supported by qs yet\n"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn addremove_similarity_matches_hg() {
    let base =
        "printf '1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\n' > a; printf 'x\\ny\\nz\\n' > b; \
        echo same > s; : > empty; hg add -q; hg commit -qm a -d '0 0'; \
        mv a a2; echo 11 >> a2; sed -i 1d a2; mv b b2; echo w >> b2; mv s s2; mv empty empty2; \
        mkdir d; printf '1\\n2\\n3\\nq\\n' > d/n";
    let s = |setup: &str| Scenario::new(Base::Init(&[]), setup).working_only();
    check_all(
        "addremove -s",
        vec![
            s(base)
                .step(&["addremove", "-n", "-s", "50"])
                .step(&["addremove", "-n", "-v", "-s", "30"])
                .step(&["addremove", "-n", "-s", "0"])
                .step(&["addremove", "-s", "-1"])
                .step(&["addremove", "-s", "101"])
                .step(&["addremove", "-s", "abc"])
                .step(&["addremove", "-s", "86", "a", "a2", "b", "b2"])
                .step(&["addremove", "--cwd", "d", "-n", "-s", "40", "n", "../a"])
                .step(&["addremove", "-s", "1e1", "-I", "d/**", "-I", "s*"]),
            s(base)
                .cwd("d")
                .step(&["addremove", "-s", "40", "n", "../a"]),
        ],
    );
}

/// Runs `setup` in a new repository (v1 or v2), gives every working file
/// (and symlink) one old mtime and `future` ones a mtime an hour ahead, runs
/// `args` with `tool`, and returns what hg then sees in the dirstate (and,
/// for v1, its bytes).
fn dirstate_after(tool: Tool, v2: bool, setup: &str, args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let config: &'static [&'static str] = if v2 {
        &[
            "format.use-dirstate-v2=yes",
            "storage.dirstate-v2.slow-path=allow",
        ]
    } else {
        &[]
    };
    wcommon::make_base(Base::Init(config), &root, home.path());
    wcommon::shell(
        &root,
        home.path(),
        &format!(
            "{setup}\nfind . -path ./.hg -prune -o -exec touch -h -d @1000000000 {{}} +\n\
             touch -d @$(( $(date +%s) + 3600 )) future"
        ),
    );
    let out = run_with_home(tool, &Invocation::new(&root, args), home.path());
    let state = wcommon::hg(&root, home.path(), &["debugstate"]);
    let bytes = if v2 {
        String::new()
    } else {
        format!("{:?}", std::fs::read(root.join(".hg/dirstate")).unwrap())
    };
    (
        format!(
            "[exit {}]\n{}{}--- debugstate\n{}",
            out.code,
            out.stdout_str(),
            out.stderr_str(),
            state.stdout_str()
        ),
        bytes,
    )
}

fn check_dirstate(v2: bool, setup: &str, args: &[&str], failures: &mut Vec<String>) {
    let qs = dirstate_after(Tool::Qs, v2, setup, args);
    let hg = dirstate_after(Tool::Hg, v2, setup, args);
    if qs != hg {
        failures.push(format!(
            "v2={v2} {args:?} after {setup}\n--- qs\n{}\n{}\n--- hg\n{}\n{}",
            qs.0, qs.1, hg.0, hg.1
        ));
    }
}

#[test]
fn status_records_clean_files_like_hg() {
    // Committed, then the files' mtimes changed (content equal): status
    // must compare them and record them clean; `future` has an ambiguous
    // mtime and must stay unrecorded; a modified file stays as it was.
    let setup = "echo a > a; mkdir d; echo b > d/b; echo f > future; ln -s a link; \
                 echo m > m; hg add -q; hg commit -qm base -d '0 0'; echo mm > m; \
                 echo u > unknown";
    let mut failures = Vec::new();
    for v2 in [false, true] {
        check_dirstate(v2, setup, &["status"], &mut failures);
    }
    check_dirstate(false, setup, &["summary"], &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n=====\n"));
}
