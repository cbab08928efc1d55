//! `qs copy` and `qs rename` against hg's: the same messages and exit
//! codes, the same files and dirstate copy records afterwards, and the
//! copy metadata the next commit records (`log --debug -C`), from the
//! root and from a subdirectory, with `-A`, `-f`, `-n`, `-I`/`-X`,
//! `--forget`, and the refusals.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use wcommon::{check_all, Base, Scenario};

const FILES: &str = "echo a > a; mkdir -p d/e dest; echo b > d/b; echo x > d/e/x; echo c > c; \
                     ln -s a link; chmod +x c; hg add -q; hg ci -qm base -d '0 0'; \
                     echo new > new; hg add new; echo u > unknown; hg rm -q c";

/// The scenarios on `base`, whose setups start with `prefix` (`FILES`
/// unless the base already has them).
fn scenarios(base: Base, prefix: &str) -> Vec<Scenario> {
    let s = |setup: &str| Scenario::new(base, &format!("{prefix}; {setup}"));
    let commit = ["commit", "-m", "copies", "-d", "1 0"];
    vec![
        s("true")
            .step(&["cp", "a", "a2"])
            .step(&["cp", "a", "a2"])
            .step(&["cp", "-f", "a", "a2"])
            .step(&["cp", "-A", "a", "a3"])
            .step(&["cp", "new", "new2"])
            .step(&["cp", "unknown", "u2"])
            .step(&["cp", "c", "c2"])
            .step(&["cp", "-A", "c", "c3"])
            .step(&["cp", "a", "d/b"])
            .step(&["cp", "-n", "a", "d/b"])
            .step(&["cp", "d", "dest"])
            .step(&["cp", "-v", "d/e", "dest"])
            .step(&["cp", "a", "c", "link", "d"])
            .step(&["cp", "a", "c", "nodir"])
            .step(&["cp", "a"])
            .step(&["cp"])
            .step(&["cp", "glob:*", "nodir"])
            .step(&["cp", "a", "nodir/"])
            .step(&["cp", "nope", "x"])
            .step(&["cp", "a", "new"])
            .step(&["cp", "-f", "a", "new"])
            .step(&["cp", "-A", "d/b", "d/b"])
            .step(&["cp", "-q", "new", "new3"])
            .step(&["cp", "-f", "a2", "a"])
            .step(&["cp", "a", "../outside"])
            .step(&["cp", "a", ".hg/x"])
            .step(&["cp", "--forget", "-n", "a2"])
            .step(&["cp", "--forget", "a3", "a", "nope", "unknown"])
            .step(&["cp", "-I", "nothing", "a", "z"])
            // (A regression test of the walk `add` shares: -X leaves a
            // named file out.)
            .step(&["add", "-X", "unknown", "unknown"])
            .step(&[
                "mv",
                "--forget",
                "dest",
                "--config",
                "ui.relative-paths=yes",
            ])
            .step(&["status", "-C"])
            .step(&commit),
        s("true")
            .step(&["mv", "a", "a2"])
            .step(&["mv", "a2", "a"])
            .step(&["mv", "d", "dest"])
            .step(&["mv", "-v", "d/e", "dest"])
            .step(&["mv", "new", "n2"])
            .step(&["mv", "-A", "c", "cc"])
            .step(&["mv", "a"])
            .step(&["mv", "nope", "x"])
            .step(&["mv", "-n", "link", "link2"])
            .step(&["mv", "link", "link2"])
            .step(&["mv", "-I", "glob:**/x", "dest", "x"])
            .step(&["status", "-C"])
            .step(&commit),
        s("true")
            .cwd("d")
            .step(&["cp", "b", "../a", "e"])
            .step(&["mv", "e", "../dest"])
            .step(&["cp", "-n", "-v", "glob:*", "../dest"])
            .step(&["mv", "b", "../new"])
            .step(&["status", "-C"])
            .step(&commit),
        s("mv d/b d/moved; mkdir f; mv d/e f/; cp a a-copy")
            .step(&["mv", "-A", "d/b", "d/moved"])
            .step(&["mv", "-A", "d/e", "f"])
            .step(&["cp", "-A", "-v", "a", "a-copy"])
            .step(&["mv", "-A", "d/b", "d/moved"])
            .step(&["mv", "-A", "-f", "a", "d/b"])
            .step(&["status", "-C"])
            .step(&commit),
        s("rm a")
            .step(&["cp", "a", "gone"])
            .step(&["mv", "a", "gone2"])
            .step(&["status", "-C"]),
        s("hg cp a a2; hg ci -qm copied -d '0 0'")
            .step(&["cp", "a", "a2"])
            .step(&["mv", "a", "a2"])
            .step(&["mv", "-A", "a", "a2"])
            .step(&["cp", "a2", "a"])
            .step(&["cp", "-f", "a2", "back"])
            .step(&["mv", "back", "a2"])
            .step(&["mv", "-f", "a2", "a"])
            .step(&["status", "-C"])
            .step(&commit),
    ]
}

#[test]
fn copy_and_rename_match_hg() {
    check_all("copies", scenarios(Base::Built(FILES), "true"));
}

#[test]
fn copy_and_rename_match_hg_in_dirstate_v2() {
    check_all(
        "copies, dirstate-v2",
        scenarios(
            Base::Init(&[
                "format.use-dirstate-v2=yes",
                "storage.dirstate-v2.slow-path=allow",
            ]),
            FILES,
        )
        .into_iter()
        .take(2)
        .collect(),
    );
}

#[test]
fn copy_waits_for_the_wlock_then_aborts_like_hg() {
    check_all(
        "locked",
        vec![Scenario::new(
            Base::Init(&[]),
            "echo a > a; hg ci -qAm a -d '0 0'; ln -s elsewhere.example:4242 .hg/wlock",
        )
        .working_only()
        .step(&["cp", "a", "b", "--config", "ui.timeout=0"])
        .step(&["mv", "a", "b", "--config", "ui.timeout=0"])],
    );
}
