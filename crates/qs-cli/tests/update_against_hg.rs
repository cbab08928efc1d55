//! `qs update` against `hg update`: the same output and exit codes, and
//! the same working directory, dirstate, bookmarks and branch afterwards
//! (dirstate v1 and v2): revisions, `null`, bookmarks and branches,
//! bare updates with other heads, `-C`, `-c`, `-m`,
//! `commands.update.check`, uncommitted changes carried over (with
//! conflicts), exec bits, symlinks, files becoming directories and back,
//! untracked files in the way, an interrupted update, and bad input.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use wcommon::{check_all, Base, Scenario};

/// hg's internal merge for both tools, and fixed commit dates.
const HGRC: &str =
    "printf '[ui]\\nmerge = internal:merge\\n[devel]\\ndefault-date = 0 0\\n' >> .hg/hgrc";

/// Two lines of history with a branch, a bookmark, exec bits, a symlink
/// and a file that becomes a directory.
fn history() -> String {
    format!(
        "{HGRC}; echo a > a; printf '1\\n2\\n3\\n' > m; echo f > f; ln -s a link; hg ci -Aqm 0; \
         echo a2 >> a; printf '1\\n2x\\n3\\n' > m; chmod +x a; rm f; mkdir f; echo g > f/g; \
         rm link; ln -s m link; echo new > new; hg addremove -q; hg ci -qm 1; \
         hg bookmark -q book; echo a3 >> a; hg ci -qm 2; \
         hg up -q 0; hg branch -q stable; echo s > s; hg ci -Aqm 3; hg up -q 0"
    )
}

fn scenarios(config: &'static [&'static str]) -> Vec<Scenario> {
    let base = Base::Fixture(wcommon::template(config, &history()));
    let s = |setup: &str| Scenario::new(base, setup);
    let h = "true";
    vec![
        s(h).step(&["update", "1"])
            .step(&["up", "-r", "0"])
            .step(&["checkout", "2"])
            .step(&["co", "null"])
            .step(&["up", "stable"])
            .step(&["up", "default"])
            .step(&["up", "0"])
            .step(&["up"]),
        s(h).step(&["up", "book"])
            .step(&["up", "-v", "1"])
            .step(&["up", "book"])
            .step(&["up", "0"]),
        s(&format!(
            "{h}; hg up -q 1; hg bookmark -q -i; hg up -q book"
        ))
        .step(&["up"])
        .step(&["up", "stable"]),
        s(&format!(
            "{h}; echo dirty >> a; echo n > n; hg add n; hg rm -q m"
        ))
        .step(&["up", "1"])
        .step(&["up", "stable"])
        .step(&["up", "-c", "2"])
        .step(&["up", "-m", "stable"]),
        s(&format!("{h}; printf '1\\n2y\\n3\\n' > m"))
            .step(&["up", "2"])
            .step(&["up", "0"])
            .step(&["up", "-C", "0"]),
        s(&format!("{h}; printf '1\\n2y\\n3\\n' > m"))
            .step(&["up", "--config", "commands.update.check=noconflict", "2"])
            .step(&["up", "--config", "commands.update.check=abort", "2"])
            .step(&["up", "--config", "commands.update.check=none", "stable"]),
        s(&format!("{h}; echo dirty >> a")).step(&[
            "up",
            "--config",
            "commands.update.check=noconflict",
            "stable",
        ]),
        s(&format!(
            "{h}; echo other > new; rm f; mkdir f; echo x > f/untracked"
        ))
        .step(&["up", "1"])
        .step(&["up", "-C", "1"]),
        s(&format!("{h}; echo new > new")).step(&["up", "1"]),
        s(h).step(&["up", "-C", "-c", "1"])
            .step(&["up", "-r", "1", "2"])
            .step(&["up", "nonexistent"])
            .step(&["up", "--config", "commands.update.requiredest=yes"])
            .step(&["up", "-d", "today", "1"]),
        s(&format!(
            "{h}; hg up -q 2; hg ci -q --close-branch -m closed; hg up -q 0"
        ))
        .step(&["up"]),
        s(&format!(
            "{h}; hg up -q 1; echo x >> a; hg ci -qm head2; hg up -q 1"
        ))
        .step(&["up"])
        .step(&["up", "1"]),
        s(&format!("{h}; hg up -q null")).step(&["up"]),
        s(&format!("{h}; echo 0 > .hg/updatestate; echo x >> a"))
            .step(&["commit", "-m", "interrupted", "-d", "0 0"])
            .step(&["up", "0"])
            .step(&["commit", "-m", "after", "-d", "0 0"]),
    ]
}

#[test]
fn update_matches_hg_in_dirstate_v1() {
    check_all("update, dirstate-v1", scenarios(&[]));
}

#[test]
fn update_matches_hg_in_dirstate_v2() {
    check_all(
        "update, dirstate-v2",
        scenarios(&[
            "format.use-dirstate-v2=yes",
            "storage.dirstate-v2.slow-path=allow",
        ])
        .into_iter()
        .take(3)
        .collect(),
    );
}

#[test]
fn update_waits_for_a_locked_repository_like_hg() {
    check_all(
        "update, locked",
        vec![Scenario::new(
            Base::Init(&[]),
            "echo a > a; hg ci -Aqm 0; echo b > a; hg ci -qm 1; ln -s elsewhere.example:4242 .hg/wlock",
        )
        .working_only()
        .step(&["up", "--config", "ui.timeout=0", "1"])],
    );
}
