//! `qs add`, `forget`, `remove`: the same messages, exit codes and
//! resulting dirstate as hg's, from the root and from subdirectories, in
//! dirstate v1 and v2 repositories, with patterns, `-I`/`-X`, dry runs and
//! the names hg refuses or warns about.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use wcommon::{check_all, Base, Scenario};

const FILES: &str = "echo a > a; mkdir -p d/e; echo b > d/b; echo c > c; echo x > d/e/x; \
                     printf 'c\\nsyntax: glob\\n*.o\\n' > .hgignore; echo o > d/y.o";

const COMMITTED: &str = "echo a > a; mkdir -p d/e; echo b > d/b; echo c > c; echo x > d/e/x; \
                         hg add -q; hg commit -qm base -d '0 0'; \
                         echo more >> a; echo new > new; hg add new; rm c; echo u > unknown";

fn scenarios(base: Base) -> Vec<Scenario> {
    let s = |setup: &str| Scenario::new(base, setup).working_only();
    vec![
        s(FILES).step(&["add"]),
        s(FILES).step(&["add", "-v"]),
        s(FILES).step(&["add", "-q", "d"]),
        s(FILES).step(&["add", "a", "c", "d/y.o", "nonexistent"]),
        s(FILES).step(&["add", "a"]).step(&["add", "a"]),
        s(FILES).step(&["add", "-n"]),
        s(FILES).step(&["add", "-I", "d/**", "-X", "d/e"]),
        s(FILES).step(&["add", "glob:**.o"]),
        s(FILES).step(&["add", ".hg/hgrc"]),
        s(FILES).step(&["add", "d/../../outside"]),
        s(FILES).step(&["add", "d/.hg/x"]),
        s(FILES).cwd("d").step(&["add"]),
        s(FILES).cwd("d/e").step(&["add", "../b", "x", "../../a"]),
        s(&format!("{FILES}; touch 'aux.txt' 'x:y' A; hg add A")).step(&["add"]),
        s(&format!("{FILES}; touch \"$(printf 'new\\nline')\"")).step(&["add"]),
        s(&format!("{FILES}; mkfifo fifo")).step(&["add", "fifo"]),
        s(&format!("{FILES}; ln -s a link; ln -s nowhere dangling")).step(&["add"]),
        s(COMMITTED).step(&["forget", "a", "new"]),
        s(COMMITTED).step(&["forget"]),
        s(COMMITTED).step(&["forget", "d", "unknown", "nonexistent", "c"]),
        s(COMMITTED).step(&["forget", "-v", "-n", "a", "d"]),
        s(COMMITTED).cwd("d").step(&["forget", "e", "../a"]),
        s(COMMITTED).step(&["remove", "a"]),
        s(COMMITTED).step(&["remove"]),
        s(COMMITTED).step(&["remove", "-A"]),
        s(COMMITTED).step(&["remove", "-A", "-v", "a", "c", "d"]),
        s(COMMITTED).step(&["remove", "-f", "a", "new"]),
        s(COMMITTED).step(&["rm", "d"]),
        s(COMMITTED).step(&["rm", "-v", "d", "c", "new", "a"]),
        s(&format!("{COMMITTED}; mkdir empty; mkdir f; touch f/g")).step(&[
            "rm",
            "unknown",
            "f",
            "empty",
            "nonexistent",
        ]),
        s(COMMITTED).step(&["rm", "-n", "d/e/x"]),
        s(COMMITTED).cwd("d/e").step(&["rm", "x", "../b"]),
        s(COMMITTED).step(&["rm", "-I", "d/e/**", "d"]),
        s(COMMITTED)
            .step(&["rm", "d/b"])
            .step(&["add", "d/b"])
            .step(&["forget", "new"])
            .step(&["add"]),
    ]
}

#[test]
fn tracking_commands_match_hg_in_dirstate_v1() {
    check_all("dirstate-v1", scenarios(Base::Init(&[])));
}

#[test]
fn tracking_commands_match_hg_in_dirstate_v2() {
    // Every third scenario: the format only changes how the dirstate is
    // written, and these runs are slow.
    check_all(
        "dirstate-v2",
        scenarios(Base::Init(&[
            "format.use-dirstate-v2=yes",
            "storage.dirstate-v2.slow-path=allow",
        ]))
        .into_iter()
        .step_by(3)
        .collect(),
    );
}

#[test]
fn tracking_commands_match_hg_on_fixtures() {
    let mut all = Vec::new();
    for name in ["files", "linear", "branchy"] {
        let base = Base::Fixture(name);
        all.push(
            Scenario::new(base, "echo z > znew; rm -f $(hg files | head -1)")
                .step(&["add"])
                .step(&["rm", "-A"]),
        );
        all.push(Scenario::new(base, "echo z > znew").step(&["forget", "glob:**"]));
    }
    check_all("fixtures", all);
}
