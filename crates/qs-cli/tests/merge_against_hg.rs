//! `qs merge`, `qs resolve` and `qs commit` of a merge against hg: the
//! same output (conflict markers with hg's labels, change/delete
//! prompts answered as non-interactive hg answers them), exit codes,
//! merge state (`resolve -l`), dirstate, working files and committed
//! history; a merge state written by qs resolved by hg and the other way
//! round; hg's refusals.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use wcommon::{check_all, Base, Scenario};

const HGRC: &str =
    "printf '[ui]\\nmerge = internal:merge\\n[devel]\\ndefault-date = 0 0\\n' >> .hg/hgrc";

/// Two heads from revision 0: "local" (1) and "other" (2), touching
/// files every way a merge distinguishes; the working directory at 1.
fn heads() -> String {
    format!(
        "{HGRC}; printf '1\\n2\\n3\\n4\\n5\\n6\\n' > conflict; printf 'a\\nb\\nc\\nd\\n' > clean; \
         echo b > both-same; echo c > changed-deleted; echo d > deleted-changed; echo x > exec; \
         echo y > removed-other; echo z > removed-both; printf 'bin\\0ary\\n' > binary; \
         hg ci -Aqm base; \
         printf '1\\nLOCAL\\n3\\n4\\n5\\n6\\n' > conflict; printf 'A\\nb\\nc\\nd\\n' > clean; \
         echo same > both-same; echo c-local > changed-deleted; hg rm -q deleted-changed removed-both; \
         chmod +x exec; echo new-local > new-local; printf 'bin\\0local\\n' > binary; \
         hg add -q new-local; hg ci -qm local; \
         hg up -q 0; printf '1\\nOTHER\\n3\\n4\\n5\\nsix\\n' > conflict; printf 'a\\nb\\nc\\nD\\n' > clean; \
         echo same > both-same; hg rm -q changed-deleted removed-other removed-both; \
         echo d-other > deleted-changed; echo new-other > new-other; printf 'bin\\0other\\n' > binary; \
         hg add -q new-other; hg ci -qm other; hg up -q 1"
    )
}

/// Two heads that merge without conflicts.
fn clean_heads() -> String {
    format!(
        "{HGRC}; printf 'a\\nb\\nc\\nd\\n' > f; echo g > g; echo h > h; hg ci -Aqm base; \
         printf 'A\\nb\\nc\\nd\\n' > f; echo h2 > h; hg ci -qm local; hg up -q 0; \
         printf 'a\\nb\\nc\\nD\\n' > f; hg rm -q g; echo n > n; hg add -q n; hg ci -qm other; hg up -q 1"
    )
}

fn scenarios(config: &'static [&'static str]) -> Vec<Scenario> {
    let hb = Base::Fixture(wcommon::template(config, &heads()));
    let cb = Base::Fixture(wcommon::template(config, &clean_heads()));
    let s = |base: Base, setup: &str| Scenario::new(base, setup);
    let (h, c) = ("true", "true");
    let d = ["-d", "0 0"];
    vec![
        s(cb, c)
            .step(&["merge"])
            .step(&["resolve", "-l"])
            .step(&["commit", "-m", "merged", d[0], d[1]]),
        s(cb, c)
            .step(&["merge", "-v", "2"])
            .step(&["commit", "-m", "partial", d[0], d[1], "f"])
            .step(&["merge", "2"])
            .step(&["up", "0"])
            .step(&["merge", "--abort"]),
        s(hb, h)
            .step(&["merge"])
            .step(&["resolve", "-l"])
            .step(&["commit", "-m", "unresolved", d[0], d[1]])
            .step(&["resolve", "-m", "conflict"])
            .step(&["resolve", "-l", "-n"])
            .step(&["resolve", "-u"])
            .step(&["resolve", "--all"])
            .step(&["resolve", "-m"])
            .step(&["commit", "-m", "merged", d[0], d[1]]),
        s(hb, h)
            .step(&["merge", "-r", "2"])
            .step(&["resolve", "conflict"])
            .step(&["resolve", "nothing-here"])
            .step(&["resolve"])
            .step(&["resolve", "-a", "conflict"])
            .step(&["resolve", "-l", "-m"])
            .step(&["merge", "--abort"]),
        s(hb, &format!("{h}; hg merge -q 2 || true"))
            .step(&["resolve", "-l"])
            .step(&[
                "resolve",
                "-m",
                "--config",
                "commands.resolve.mark-check=warn",
            ])
            .step(&["commit", "-m", "after hg's merge", d[0], d[1]]),
        s(hb, h)
            .step(&["merge", "-q", "2"])
            .step(&["resolve", "-l"])
            .step(&["up", "0"])
            .step(&["merge", "2"]),
        s(hb, &format!("{h}; echo dirty >> clean"))
            .step(&["merge", "2"])
            .step(&["merge", "1"])
            .step(&["merge", "0"]),
        s(cb, &format!("{c}; hg up -q 2"))
            .step(&["merge"])
            .step(&["merge", "nonexistent"])
            .step(&["merge", "--abort"]),
        s(
            cb,
            &format!("{c}; hg merge -q; hg ci -qm m; echo x > x; hg ci -Aqm x"),
        )
        .step(&["merge"])
        .step(&["resolve", "-l"])
        .step(&["resolve", "-m"]),
        s(cb, &format!("{c}; echo n > n")).step(&["merge", "2"]),
    ]
}

#[test]
fn merge_and_resolve_match_hg_in_dirstate_v1() {
    check_all("merge, dirstate-v1", scenarios(&[]));
}

#[test]
fn merge_and_resolve_match_hg_in_dirstate_v2() {
    check_all(
        "merge, dirstate-v2",
        scenarios(&[
            "format.use-dirstate-v2=yes",
            "storage.dirstate-v2.slow-path=allow",
        ])
        .into_iter()
        .take(2)
        .collect(),
    );
}

/// A merge state qs wrote is resolved by hg, and the other way round.
#[test]
fn merge_state_interoperates_with_hg() {
    let h = heads();
    let d = ["-d", "0 0"];
    check_all(
        "merge state interop",
        vec![
            // qs merges (setup is hg's, steps differ only by tool), then hg
            // finishes: written by the setup of the next scenario below.
            Scenario::new(
                Base::Fixture(wcommon::template(&[], &h)),
                "hg merge -q 2 || true; hg resolve -q -m conflict",
            )
            .step(&["resolve", "-l"])
            .step(&["resolve", "-m"])
            .step(&["commit", "-m", "qs finishes hg's merge", d[0], d[1]]),
        ],
    );
    // qs merges; the real hg reads the state and finishes.
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    common::copy_tree(std::path::Path::new(wcommon::template(&[], &h)), &root);
    let qs = common::run_with_home(
        common::Tool::Qs,
        &common::Invocation::new(&root, &["merge", "2"]),
        home.path(),
    );
    assert_eq!(qs.code, 1, "qs merge: {}", qs.stderr_str());
    let list = wcommon::hg(&root, home.path(), &["resolve", "-l"]);
    assert_eq!(
        list.stdout_str(),
        "U binary\nU changed-deleted\nR clean\nU conflict\nU deleted-changed\n"
    );
    let marked = wcommon::hg(&root, home.path(), &["resolve", "-m", "--all"]);
    assert_eq!(marked.code, 0, "{}", marked.stderr_str());
    let commit = wcommon::hg(
        &root,
        home.path(),
        &["commit", "-m", "hg finishes qs's merge"],
    );
    assert_eq!(commit.code, 0, "{}", commit.stderr_str());
    let verify = wcommon::hg(&root, home.path(), &["verify", "-q"]);
    assert_eq!(verify.code, 0, "{}", verify.stderr_str());
    let parents = wcommon::hg(
        &root,
        home.path(),
        &["log", "-r", ".", "-T", "{p1rev} {p2rev}"],
    );
    assert_eq!(parents.stdout_str(), "1 2");
}
