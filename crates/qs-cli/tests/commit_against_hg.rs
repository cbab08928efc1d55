//! `qs commit` against `hg commit`: the same output and exit codes, and
//! the same repository afterwards (node ids, manifests, file revisions
//! with copy metadata, phases, bookmarks, dirstate), which `hg verify`
//! accepts; in dirstate v1 and v2 repositories and on fixtures.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use wcommon::{check_all, Base, Scenario};

const BASE: &str = "echo a > a; mkdir -p d/e; echo b > d/b; echo c > c; echo x > d/e/x; \
                    hg add -q; hg commit -qm base -d '0 0'";

/// An editor that shows the text it was given, then writes a message.
const EDITOR_SCRIPT: &str = "printf '#!/bin/sh\\ncat \"$1\"\\nsed -i \"1s/^/from the editor/\" \"$1\"\\n' > ../ed.sh; chmod +x ../ed.sh";

fn scenarios(base: Base) -> Vec<Scenario> {
    let s = |setup: &str| Scenario::new(base, setup);
    let d = "-d";
    vec![
        s("echo a > a; hg add a").step(&["commit", "-m", "first", d, "0 0"]),
        s("echo a > a; mkdir d; echo b > d/b; hg add -q")
            .step(&["commit", "-v", "-m", "first", d, "2020-01-01 10:00 +0200"]),
        s(&format!("{BASE}; echo y >> a; hg rm -q c; hg cp d/b d/b2; chmod +x d/e/x; ln -s a link; hg add link"))
            .step(&["commit", "-m", "all kinds", d, "1 0"])
            .step(&["commit", "-m", "again", d, "2 0"]),
        s(&format!("{BASE}; hg mv a moved; echo z >> moved"))
            .step(&["ci", "-m", "rename", d, "1 0"]),
        s(&format!("{BASE}; hg cp a a2; hg rm a"))
            .step(&["ci", "-m", "copy from removed", d, "1 0"]),
        s(BASE).step(&["commit", "-m", "nothing", d, "1 0"]),
        s(&format!("{BASE}; rm a")).step(&["commit", "-m", "missing", d, "1 0"]),
        s(&format!("{BASE}; echo y > a; echo z > c"))
            .step(&["commit", "-m", "only a", d, "1 0", "a"]),
        s(&format!("{BASE}; echo y > a"))
            .step(&["commit", "-m", "x", d, "1 0", "nonexistent"]),
        s(&format!("{BASE}; echo y > a; touch unknown"))
            .step(&["commit", "-m", "x", d, "1 0", "unknown"]),
        s(&format!("{BASE}; echo y > a; mkdir f"))
            .step(&["commit", "-m", "x", d, "1 0", "d"])
            .step(&["commit", "-m", "x", d, "1 0", "f"]),
        s(&format!("{BASE}; echo y > a; rm c"))
            .step(&["commit", "-m", "x", d, "1 0", "c"]),
        s(&format!("{BASE}; echo y > d/b; echo y > d/e/x; echo y > a"))
            .cwd("d")
            .step(&["commit", "-m", "from d", d, "1 0", "-I", "**/x", "."]),
        s(&format!("{BASE}; hg branch -q stable; echo y >> a"))
            .step(&["commit", "-m", "on stable", d, "1 0"]),
        s(&format!("{BASE}; hg branch -q stable"))
            .step(&["commit", "-m", "branch only", d, "1 0"]),
        s(&format!("{BASE}; echo q >> a; hg ci -qm 2 -d '0 0'; hg up -q 0; echo z >> c"))
            .step(&["commit", "-m", "new head", d, "1 0"]),
        s(&format!("{BASE}; hg bookmark -q book; echo z >> c"))
            .step(&["commit", "-m", "moves the bookmark", d, "1 0"]),
        s(&format!("{BASE}; hg bookmark -q book; hg bookmark -q -r 0 other; hg up -q null; hg up -q 0; echo z >> c"))
            .step(&["commit", "-m", "inactive bookmark", d, "1 0"]),
        s(&format!("{BASE}; hg phase -p .; echo z >> c"))
            .step(&["commit", "-m", "after public", d, "1 0"])
            .step(&["commit", "-m", "nothing", d, "1 0"]),
        s(&format!("{BASE}; echo z >> c"))
            .step(&["commit", "--secret", "-m", "secret", d, "1 0"]),
        s(&format!("{BASE}; echo z >> c; hg phase -p ."))
            .step(&["commit", "-m", "secret config", d, "1 0", "--config", "phases.new-commit=secret"]),
        s(BASE).step(&["commit", "--close-branch", "-m", "close", d, "1 0"])
            .step(&["commit", "--close-branch", "-m", "again", d, "1 0"]),
        s(&format!("{BASE}; hg ci -q --close-branch -m close -d '0 0'; echo x >> a"))
            .step(&["commit", "-m", "reopen", d, "1 0"]),
        s(&format!("{BASE}; echo q >> a; hg ci -qm 2 -d '0 0'; hg up -q 0"))
            .step(&["commit", "--close-branch", "-m", "not a head", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a"))
            .step(&["commit", "-m", "  spaces  \n\n  and lines\t\n\n", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a; printf 'from\\r\\na file\\n\\n' > ../msg"))
            .step(&["commit", "-l", "../msg", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a"))
            .step(&["commit", "-l", "nofile", d, "1 0"])
            .step(&["commit", "-l", "nofile", "-m", "both", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a"))
            .step(&["commit", "-u", "Some One <one@example.com>", "-m", "user", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a"))
            .step(&["commit", "-m", "bad date", d, "not a date"]),
        s(&format!("{BASE}; echo x >> a; {EDITOR_SCRIPT}; hg bookmark -q active"))
            .env("HGEDITOR", "../ed.sh")
            .step(&["commit", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a; {EDITOR_SCRIPT}"))
            .env("HGEDITOR", "../ed.sh")
            .step(&["commit", "-e", "-m", "prefilled", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a"))
            .env("HGEDITOR", "false")
            .step(&["commit", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a"))
            .env("HGEDITOR", "true")
            .step(&["commit", d, "1 0"]),
        s(&format!("{BASE}; echo x >> a; echo dirty > d/b"))
            .step(&["commit", "-q", "-m", "quiet", d, "1 0", "d/b"])
            .step(&["commit", "-v", "-m", "rest", d, "1 0"]),
    ]
}

#[test]
fn commit_matches_hg_in_dirstate_v1() {
    check_all("commit, dirstate-v1", scenarios(Base::Init(&[])));
}

#[test]
fn commit_matches_hg_in_dirstate_v2() {
    check_all(
        "commit, dirstate-v2",
        scenarios(Base::Init(&[
            "format.use-dirstate-v2=yes",
            "storage.dirstate-v2.slow-path=allow",
        ]))
        .into_iter()
        .take(8)
        .collect(),
    );
}

#[test]
fn commit_matches_hg_on_fixtures() {
    let mut all = Vec::new();
    for name in [
        "files",
        "branchy",
        "no-fncache",
        "no-generaldelta",
        "zlib",
        "revlog-split",
    ] {
        all.push(
            Scenario::new(
                Base::Fixture(name),
                "echo new > qs-new-file; hg add -q qs-new-file; \
                 f=$(hg files -0 | tr '\\0' '\\n' | grep -v -e '^\\.hg' | head -1); \
                 if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then echo more >> \"$f\"; fi",
            )
            .step(&["commit", "-m", "on a fixture", "-d", "5 -3600", "-u", "qs"]),
        );
    }
    check_all("commit on fixtures", all);
}

#[test]
fn commit_waits_for_the_wlock_then_aborts_like_hg() {
    check_all(
        "locked",
        vec![Scenario::new(
            Base::Init(&[]),
            "echo a > a; hg add a; ln -s elsewhere.example:4242 .hg/wlock",
        )
        .working_only()
        .step(&["commit", "-m", "x", "--config", "ui.timeout=1"])
        .step(&["add", "--config", "ui.timeout=0"])],
    );
}
