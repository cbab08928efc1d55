//! `qs bisect` against `hg bisect` (always with `-U`): on histories with
//! merges generated from seeds (`hg debugbuilddag`), scripted bisections
//! with `-c` must test the same changesets with the same messages, end on
//! the same result, leave the same `.hg/bisect.state`, and agree on the
//! `bisect(...)` revsets, the `{bisect}` keyword and the `bisect` style;
//! a bisection continued alternately by qs and hg must read as one run by
//! hg; bad input (missing marks, unknown revisions, incompatible options,
//! a corrupted state file) gets hg's messages and exit codes.

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use std::path::Path;

use common::{run_with_home, Invocation, Outcome, Tool};

/// One step of a case.
#[derive(Clone, Debug)]
enum Step {
    /// A command line run with the tool under comparison.
    Run(Vec<String>),
    /// A shell snippet run the same way for both (its output compared).
    Sh(String),
    /// A command line on which hg crashes with a Python traceback: qs
    /// must abort cleanly (exit 255) where hg fails.
    HgCrashes(Vec<String>),
}

fn run(args: &[&str]) -> Step {
    Step::Run(args.iter().map(|s| s.to_string()).collect())
}

fn sh(script: &str) -> Step {
    Step::Sh(script.to_string())
}

/// Every bisection status, through one `revset()` template per status.
fn statuses() -> Step {
    let mut template = String::new();
    for s in [
        "good", "bad", "skip", "current", "goods", "bads", "range", "pruned", "untested", "ignored",
    ] {
        template.push_str(&format!("{s}: {{revset('bisect({s})')}}\\n"));
    }
    run(&["log", "-r", "0", "-T", &template])
}

/// A small deterministic generator (no dependency, same on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// A `debugbuilddag` text of about `size` changesets with forks and
/// merges, one root; returns it with the number of changesets.
fn dag_text(seed: u64, size: u64) -> (String, u64) {
    let mut rng = Lcg(seed);
    let mut text = String::from("+2");
    let mut n = 2;
    while n < size {
        match rng.below(4) {
            0 => {
                let k = 1 + rng.below(n.min(6));
                text.push_str(&format!(" *{k}"));
                n += 1;
            }
            1 if n > 3 => {
                let k = 2 + rng.below((n - 1).min(8) - 1);
                text.push_str(&format!(" /{k}"));
                n += 1;
            }
            _ => {
                let k = 1 + rng.below(3);
                text.push_str(&format!(" +{k}"));
                n += k;
            }
        }
    }
    (text, n)
}

/// Runs `steps` in a copy of `base` at `root`; `tool_for(i)` picks the
/// tool of step `i`. Returns one transcript entry per step, the final
/// state file last.
fn play(
    base: &Path,
    root: &Path,
    home: &Path,
    steps: &[Step],
    tool_for: &dyn Fn(usize) -> Tool,
) -> Vec<String> {
    if root.exists() {
        std::fs::remove_dir_all(root).unwrap();
    }
    common::copy_tree(base, root);
    let mut session = common::cmdserver::Session::start(&common::hg_bin(), root);
    let mut out = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let entry = match step {
            Step::Run(args) => {
                let tool = tool_for(i);
                // Reading commands go through hg's command server (fast);
                // bisect runs alone, as its `-c` output would be merged.
                let served = match (&mut session, tool) {
                    (Some(s), Tool::Hg) if args[0] == "log" => {
                        s.run(&args.iter().map(String::as_str).collect::<Vec<_>>())
                    }
                    _ => None,
                };
                let o = served
                    .unwrap_or_else(|| run_with_home(tool, &Invocation::new(root, args), home));
                assert!(!o.panicked(), "panic on {args:?}: {}", o.stderr_str());
                describe(&format!("{args:?}"), &o)
            }
            Step::Sh(script) => {
                let o = std::process::Command::new("/bin/sh")
                    .arg("-c")
                    .arg(script)
                    .current_dir(root)
                    .output()
                    .unwrap();
                format!(
                    "$ {script}\n{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                )
            }
            Step::HgCrashes(args) => {
                let o = run_with_home(tool_for(i), &Invocation::new(root, args), home);
                let clean_abort = o.code == 255
                    && o.stderr.starts_with(b"abort: ")
                    && !o.panicked()
                    && o.stderr.iter().filter(|&&b| b == b'\n').count() == 1;
                let hg_failed = o.code != 0 && o.stderr_str().contains("Traceback");
                format!(
                    "$ {args:?} (hg crashes)\nfails as expected: {}\n",
                    clean_abort || hg_failed
                )
            }
        };
        out.push(entry);
    }
    out.push(format!(
        "bisect.state: {:?}\n",
        std::fs::read(root.join(".hg/bisect.state"))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    ));
    out
}

/// A step's outcome; the usage text after a usage error is qs's own
/// (see the README), so only hg's error line is compared then.
fn describe(what: &str, o: &Outcome) -> String {
    let stderr = o.stderr_str();
    let usage_error = stderr.starts_with("hg bisect: ");
    format!(
        "$ {what}  [exit {}]\n{}{stderr}",
        o.code,
        if usage_error {
            String::new()
        } else {
            o.stdout_str()
        },
    )
}

/// Differences between two transcripts, empty when identical.
fn differences(name: &str, ours: &[String], theirs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (a, b) in ours.iter().zip(theirs) {
        if a != b {
            out.push(format!("{name}:\n--- qs\n{a}--- hg\n{b}"));
        }
    }
    if ours.len() != theirs.len() {
        out.push(format!("{name}: transcripts of different lengths"));
    }
    out
}

/// The repository of `dag` (made once with hg) at `dir/base`.
fn make_base(dir: &Path, home: &Path, dag: &str) -> std::path::PathBuf {
    let base = dir.join("base");
    std::fs::create_dir_all(&base).unwrap();
    wcommon::shell(
        &base,
        home,
        &format!("hg init -q; hg debugbuilddag '{dag}'"),
    );
    base
}

/// The test script `-c` runs: exit 1 (bad) for nodes listed in
/// `dir/bad`, 125 (skip) for nodes in `dir/skip`, else 0; `reverse`
/// swaps good and bad.
fn write_test_script(dir: &Path) -> String {
    let script = dir.join("test.sh");
    std::fs::write(
        &script,
        "if grep -q \"$HG_NODE\" \"$(dirname \"$0\")/skip\"; then echo skipping; exit 125; fi\n\
         if grep -q \"$HG_NODE\" \"$(dirname \"$0\")/bad\"; then r=1; else r=0; fi\n\
         if [ \"$1\" = reverse ]; then r=$((1 - r)); fi\n\
         echo \"tested $HG_NODE\" >&2\n\
         exit $r\n",
    )
    .unwrap();
    script.display().to_string()
}

fn seeded_steps(transition: u64, script: &str) -> Vec<Step> {
    let bad = format!("max({transition}::)");
    let test = format!("sh {script}");
    let reverse = format!("sh {script} reverse");
    vec![
        run(&["bisect", "-U", "-g", "0"]),
        run(&["bisect", "-U", "-b", &bad]),
        run(&["bisect", "-U", "-s", "bisect(current)"]),
        run(&["bisect", "-U", "-c", &test]),
        statuses(),
        run(&["log", "--style", "bisect", "-q", "-r", "bisect(range)"]),
        run(&["log", "--style", "bisect", "-r", "bisect(bad)"]),
        run(&["bisect", "-U", "-e"]),
        sh("cat .hg/bisect.state"),
        run(&["bisect", "-U", "-c", &test]),
        run(&[
            "bisect",
            "-U",
            "-v",
            "--config",
            "command-templates.oneline-summary.bisect={rev}|{desc}",
        ]),
        run(&["bisect", "-r"]),
        run(&["bisect", "-U", "-b", "0"]),
        run(&["bisect", "-U", "-g", &bad]),
        run(&["bisect", "-U", "-q", "-c", &reverse]),
        statuses(),
        run(&["log", "-r", "all()", "-T", "{rev}:{bisect}\\n"]),
        run(&["bisect", "-U", "-e"]),
    ]
}

/// Seeds whose histories are compared (about 40 changesets each).
const SEEDS: &[u64] = &[1, 2, 3];

#[test]
fn scripted_bisections_match_hg() {
    let mut failures = Vec::new();
    for &seed in SEEDS {
        let dir = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let (dag, size) = dag_text(seed, 40);
        let base = make_base(dir.path(), home.path(), &dag);
        let script = write_test_script(dir.path());
        // The bad changesets: descendants of the transition; two skipped.
        let mut pick = Lcg(seed ^ 0x5eed);
        let transition = 1 + pick.below(size - 1);
        let skipped = [pick.below(size), pick.below(size)];
        let steps = seeded_steps(transition, &script);
        wcommon::shell(
            &base,
            home.path(),
            &format!(
                "hg log -r '{transition}::' -T '{{node}}\\n' > ../bad; \
                 hg log -r '{} + {}' -T '{{node}}\\n' > ../skip",
                skipped[0], skipped[1]
            ),
        );
        let root = dir.path().join("repo");
        let hg = play(&base, &root, home.path(), &steps, &|_| Tool::Hg);
        let qs = play(&base, &root, home.path(), &steps, &|_| Tool::Qs);
        failures.extend(differences(&format!("seed {seed} ({dag})"), &qs, &hg));
        if seed == 1 {
            // qs and hg taking turns: what each wrote, the other continues.
            let mixed = play(&base, &root, home.path(), &steps, &|i| {
                if i % 2 == 0 {
                    Tool::Qs
                } else {
                    Tool::Hg
                }
            });
            failures.extend(differences(
                &format!("seed {seed} taking turns ({dag})"),
                &mixed,
                &hg,
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_input_matches_hg() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    // Two roots: 0-1-2 and 3-4, then a merge of both.
    let base = make_base(dir.path(), home.path(), "+3 $ +2 /3 +1");
    let state = |text: &str| sh(&format!("printf '{text}' > .hg/bisect.state"));
    let crash = |args: &[&str]| Step::HgCrashes(args.iter().map(|s| s.to_string()).collect());
    let steps = vec![
        run(&["bisect"]),
        run(&["bisect", "-U"]),
        run(&["bisect", "-U", "-g", "nosuch"]),
        run(&["bisect", "-U", "-g", "none()"]),
        run(&["bisect", "-g", "-b"]),
        run(&["bisect", "-c", "true", "-s"]),
        run(&["bisect", "-e", "-r", "-g"]),
        run(&["bisect", "foo", "bar"]),
        run(&["bisect", "1", "2", "3"]),
        run(&["bisect", "-U", "-c", "true"]),
        run(&["bisect", "good", "0", "-U"]),
        run(&["bisect", "-U"]),
        run(&["bisect", "-U", "-e"]),
        run(&["bisect", "-U", "-b", "0"]),
        run(&["bisect", "-r"]),
        run(&["bisect", "-U", "-g", "1"]),
        run(&["bisect", "-U", "-b", "4"]),
        run(&["bisect", "reset"]),
        run(&["bisect", "-U", "-g", "0", "-q"]),
        run(&["bisect", "-U", "-b", "6"]),
        run(&["bisect", "-U", "-c", "true", "none()"]),
        run(&["bisect", "-U", "-c", "exit 127"]),
        run(&["bisect", "-U", "-c", "kill -9 $$"]),
        run(&["bisect", "-U", "-c", "exit 3", "2"]),
        run(&["bisect", "-U", "-e"]),
        run(&["log", "-r", "bisect(foo)"]),
        run(&["log", "-r", "bisect()"]),
        run(&["log", "-r", "bisected(GOOD)", "-T", "{rev}\\n"]),
        // The working directory's parent is null here: marked as good.
        run(&["bisect", "-r"]),
        run(&["bisect", "-U", "-g"]),
        run(&["bisect", "-U", "-b", "2"]),
        run(&["log", "-r", "bisect(good)", "-q"]),
        run(&["log", "-r", "0:2 and bisect(good)", "-q"]),
        state("weird 0\\n"),
        run(&["bisect", "-U"]),
        run(&["log", "-r", "bisect(good)"]),
        state("bad ffffffffffffffffffffffffffffffffffffffff\\n"),
        run(&["bisect", "-U"]),
        state("bad nosuch\\n"),
        run(&["log", "-r", "bisect(range)"]),
        state("  good\\t0  \\nbad 6\\n"),
        run(&["bisect", "-U"]),
        state("bad 0 1\\n"),
        crash(&["bisect", "-U"]),
        state("good 0\\nbad 6"),
        crash(&["bisect", "-U"]),
        state("\\n"),
        crash(&["log", "-r", "bisect(good)"]),
    ];
    let root = dir.path().join("repo");
    let hg = play(&base, &root, home.path(), &steps, &|_| Tool::Hg);
    let qs = play(&base, &root, home.path(), &steps, &|_| Tool::Qs);
    let failures = differences("bad input", &qs, &hg);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without `-U`, bisect updates the working directory to each changeset
/// to test (a clean update, refused with uncommitted changes), `-c`
/// starts from the working directory's parent.
#[test]
fn updating_bisections_match_hg() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    std::fs::create_dir_all(&base).unwrap();
    wcommon::shell(
        &base,
        home.path(),
        "hg init -q; hg debugbuilddag -n -m '+4 *2 +2 /3 +4'; hg up -q tip",
    );
    let hg_bin = common::hg_bin().display().to_string();
    let below = |n: u32| format!("test $({hg_bin} id -n) -lt {n}");
    let above = |n: u32| format!("test $({hg_bin} id -n) -ge {n}");
    let steps = vec![
        run(&["bisect", "-g", "0"]),
        run(&["bisect", "-b", "tip"]),
        run(&["identify", "-n"]),
        run(&["bisect", "-g"]),
        run(&["status"]),
        sh("echo change >> mf"),
        run(&["bisect", "-b"]),
        sh(&format!("{hg_bin} revert -q mf; rm -f mf.orig")),
        run(&["bisect", "-c", &below(6)]),
        run(&["identify", "-n"]),
        run(&["bisect", "-e"]),
        run(&["bisect", "-r"]),
        run(&["update", "-q", "null"]),
        run(&["bisect", "-b", "0"]),
        run(&["bisect", "-g", "tip"]),
        run(&["bisect", "-q", "-c", &above(3)]),
        run(&["identify", "-n"]),
        run(&["status", "-A"]),
    ];
    let root = dir.path().join("repo");
    let hg = play(&base, &root, home.path(), &steps, &|_| Tool::Hg);
    let qs = play(&base, &root, home.path(), &steps, &|_| Tool::Qs);
    let failures = differences("updating", &qs, &hg);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
