//! `qs branch`, `bookmark`, `tag` and `phase` against hg's: the same
//! output and exit codes, and the same repository afterwards (history,
//! phases, bookmarks and the active one, branch, tags, dirstate), which
//! `hg verify` accepts; bad names and a locked repository included.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use wcommon::{check_all, Base, Scenario};

/// Three changesets on default (0-1-2), then a head on branch `br` from
/// 1; the working directory at 1.
const HISTORY: &str = "c() { hg ci -q -d '0 0' \"$@\"; }; \
    echo a > a; hg add a; c -m a; echo b >> a; c -m b; echo c >> a; c -m c; \
    hg up -q 1; hg branch -q br; echo d > d; hg add d; c -m d; hg up -q 1";

/// An editor that shows the text it was given and hg's `HGEDITFORM`,
/// then edits the message.
const EDITOR_SCRIPT: &str = "printf '#!/bin/sh\\ncat \"$1\"\\necho \"form=$HGEDITFORM\"\\nsed -i \"1s/^/edited: /\" \"$1\"\\n' > ../ed.sh; chmod +x ../ed.sh";

fn scenarios() -> Vec<Scenario> {
    let s = |setup: &str| Scenario::new(Base::Built(HISTORY), setup);
    vec![
        s("true")
            .step(&["branch"])
            .step(&["branch", "br"])
            .step(&["branch", "-f", "br"])
            .step(&["branch", "-C"])
            .step(&["branch", "tip"])
            .step(&["branch", " 12"])
            .step(&["branch", "a:b"])
            .step(&["branch", "  spaced  "])
            .step(&["branch"])
            .step(&["branch", "-q", "newer"])
            .step(&["commit", "-m", "on newer", "-d", "1 0"])
            .step(&["branch", "default"]),
        Scenario::new(
            Base::Init(&[]),
            "echo a > a; hg ci -qAm a -d '0 0'; hg ci -q --close-branch -m close -d '0 0'",
        )
            .step(&["branch", "x"])
            .step(&["branch", "-C"]),
        s("true")
            .step(&["bookmarks"])
            .step(&["bookmark", "a"])
            .step(&["bookmark", "b", "c"])
            .step(&["bookmark", "a"])
            .step(&["bookmark", "-r", "2", "a"])
            .step(&["bookmark", "-f", "-r", "2", "a"])
            .step(&["bookmark", "-r", "3", "b"])
            .step(&["bookmark", "-r", "2", "b"])
            .step(&["bookmark", "-i"])
            .step(&["bookmark", "c"])
            .step(&["bookmark", "-i", "c"])
            .step(&["bookmark", "-i"])
            .step(&["bookmark", "-d", "a"])
            .step(&["bookmark", "-m", "b", "bb"])
            .step(&["bookmark", "-m", "bb", "c"])
            .step(&["bookmark", "-f", "-m", "bb", "c"])
            .step(&["bookmark", "-d", "nope"])
            .step(&["bookmark", "-r", "none()", "x"])
            .step(&["bookmark", " "])
            .step(&["bookmark", "tip"])
            .step(&["bookmark", "br"])
            .step(&["bookmark", "a:b"])
            .step(&["bookmark", "-d"])
            .step(&["bookmark", "-r", "0"])
            .step(&["bookmark", "-d", "-m", "x", "y"])
            .step(&["bookmark", "-d", "-r", "0", "x"])
            .step(&["bookmark", "-i", "-d", "x"])
            .step(&["bookmark", "-l", "-d", "x"])
            .step(&["bookmark", "-m", "c"])
            .step(&["bookmark", "-m", "c", "x", "y"])
            .step(&["bookmark", "-i", "newinactive"])
            .step(&["bookmark", "c@x", "c@y"])
            .step(&["bookmark", "-f", "-r", "3", "c@x"])
            .step(&["bookmark", "-r", "3", "c"])
            .step(&["bookmark", "."])
            .step(&["bookmarks", "-r", "2", "act"])
            .step(&["bookmark", "act"])
            .step(&["bookmark", "-m", ".", "renamed"])
            .step(&["bookmark", "-d", "."])
            .step(&["bookmark", "ffff"])
            .step(&["commit", "-m", "follows", "-d", "1 0", "--config", "ui.allowemptycommit=1"])
            .step(&["bookmarks", "-v"]),
        s("hg bookmark -q here")
            .step(&["bookmark", "-q", "-r", "0", "zero"])
            .step(&["bookmark", "-i", "here"])
            .step(&["bookmark", "here"])
            .step(&["bookmark", "-d", "here", "zero"]),
        s("hg phase -q -s -f 2")
            .step(&["phase"])
            .step(&["phase", "-r", "0", "1", "-r", "3"])
            .step(&["phase", "-p", "1"])
            .step(&["phase", "-d", "0:3"])
            .step(&["phase", "-v", "-s", "-f", "1"])
            .step(&["phase", "-p", "-d", "1"])
            .step(&["phase", "-s", "2"])
            .step(&["phase", "-d", "null"])
            .step(&["phase", "-p", "none()"])
            .step(&["phase", "-v", "-d", "-f", "0"])
            .step(&["phase", "-p", "3"])
            .step(&["phase", "-v", "-s", "1", "--force"])
            .step(&["phase", "-p", "-v", "2"])
            .step(&["phase", "-d", "nonexistent"]),
        s("true")
            .step(&["tag", "v1", "-d", "0 0"])
            .step(&["tags"])
            .step(&["tag", "v1", "-d", "0 0"])
            .step(&["tag", "-f", "v1", "-d", "1 0"])
            .step(&["tag", "-r", "0", "-m", "my message", "-u", "someone", "-d", "2 0", "v0", "v0b"])
            .step(&["tag", "--remove", "v0b", "-d", "3 0"])
            .step(&["tag", "--remove", "v0b"])
            .step(&["tag", "--remove", "nope"])
            .step(&["tag", "-l", "loc"])
            .step(&["tag", "-l", "-r", "0", "loc2", "v1"])
            .step(&["tag", "-l", "-f", "-r", "0", "v1"])
            .step(&["tags", "-v"])
            .step(&["tag", "--remove", "-l", "loc"])
            .step(&["tag", "--remove", "loc"])
            .step(&["tag", "--remove", "-l", "v0"])
            .step(&["tag", "tip"])
            .step(&["tag", " "])
            .step(&["tag", "a", "b", "a"])
            .step(&["tag", "-r", "null", "x"])
            .step(&["tag", "br", "-d", "4 0"])
            .step(&["tag", "-r", "0", "--remove", "x"])
            .step(&["tag", "-v", "-d", "6 0", "-r", "1", "verbose"])
            .step(&["tags", "-v"]),
        s("true")
            .step(&["tag", "-r", "2", "notahead", "-d", "0 0"])
            .step(&["tag", "-f", "-r", "2", "forced", "-d", "0 0", "--config", "phases.new-commit=secret"]),
        s("echo x >> .hgtags")
            .step(&["tag", "-r", "3", "changed", "-d", "0 0"])
            .step(&["tag", "-l", "-r", "3", "changed"]),
        s("hg up -q 3; printf '%s old' $(hg id -i -r 0 --debug) > .hgtags; hg add .hgtags; hg ci -qm tags -d '0 0'; hg bookmark -q mark")
            .step(&["tag", "-r", "0", "new", "-d", "0 0"])
            .step(&["tags"]),
        s(&format!("{EDITOR_SCRIPT}; hg up -q 2; hg bookmark -q bm"))
            .env("HGEDITOR", "../ed.sh")
            .step(&["tag", "-e", "-d", "0 0", "v1"])
            .step(&["tag", "-e", "-m", "prefilled", "-d", "0 0", "--remove", "v1"]),
        s("hg up -q 2; hg tag -q -d '0 0' v1")
            .env("HGEDITOR", "false")
            .step(&["tag", "-e", "-d", "0 0", "v2"])
            .step(&["tags"]),
    ]
}

#[test]
fn name_commands_match_hg() {
    check_all("names", scenarios());
}

#[test]
fn name_commands_wait_for_locks_then_abort_like_hg() {
    check_all(
        "locked",
        // (Only the wlock: `hg verify` afterwards needs the store lock.)
        vec![Scenario::new(
            Base::Init(&[]),
            "echo a > a; hg ci -qAm a -d '0 0'; ln -s elsewhere.example:4242 .hg/wlock",
        )
        .step(&["branch", "x", "--config", "ui.timeout=1"])
        .step(&["bookmark", "x", "--config", "ui.timeout=0"])
        .step(&["tag", "x", "--config", "ui.timeout=0"])
        .step(&["phase", "-p", "0", "--config", "ui.timeout=0"])
        .step(&["branch"])
        .step(&["phase"])],
    );
}
