//! Compares `qs` with the real `hg` on read-only commands, over every
//! fixture repository (built by scripts/make-fixtures.sh), byte for byte:
//! stdout, stderr and exit code.
//!
//! Tests are named `<fixture>::<group>`; each group runs a table of
//! invocations derived from the fixture itself (its revisions, names and
//! files are discovered by asking hg) and reports every mismatch at once.
//! Run through `scripts/test.sh`; `QS_BIN=$QS_HG` validates the tests
//! against hg itself (everything must pass).

mod common;

use common::{hg_query, lines, os, Checker, Invocation};
use std::ffi::OsString;

/// What the tests need to know about a fixture, discovered through hg.
struct Fixture {
    name: &'static str,
    /// (rev, full hex node, is merge), newest first.
    revs: Vec<(i64, String, bool)>,
    tags: Vec<Vec<u8>>,
    bookmarks: Vec<Vec<u8>>,
    branches: Vec<Vec<u8>>,
    tip_files: Vec<Vec<u8>>,
    rev0_files: Vec<Vec<u8>>,
    /// A directory of the working copy holding tracked files.
    subdir: Option<Vec<u8>>,
}

fn files_at(name: &str, rev: &str) -> Vec<Vec<u8>> {
    let o = common::run_hg(&Invocation::fixture(name, &["files", "-0", "-r", rev]));
    o.stdout
        .split(|&c| c == 0)
        .filter(|s| !s.is_empty())
        .map(|s| s.to_vec())
        .collect()
}

impl Fixture {
    fn load(name: &'static str) -> Fixture {
        let revs = lines(&hg_query(name, &["log", "-T", "{rev} {node} {p2rev}\\n"]))
            .into_iter()
            .map(|l| {
                let l = String::from_utf8(l).expect("ascii log line");
                let mut it = l.split(' ');
                let rev = it.next().and_then(|s| s.parse().ok()).expect("rev");
                let node = it.next().expect("node").to_owned();
                let p2: i64 = it.next().and_then(|s| s.parse().ok()).expect("p2rev");
                (rev, node, p2 >= 0)
            })
            .collect();
        let tags = lines(&hg_query(name, &["tags", "-q"]));
        let bookmarks = lines(&hg_query(name, &["bookmarks", "-T", "{bookmark}\\n"]));
        let branches = lines(&hg_query(name, &["branches", "-c", "-T", "{branch}\\n"]));
        let tip_files = files_at(name, "tip");
        let rev0_files = files_at(name, "0");
        let wdir_files = files_at(name, ".");
        let subdir = wdir_files.iter().find_map(|f| {
            let slash = f.iter().position(|&c| c == b'/')?;
            Some(f[..slash].to_vec())
        });
        Fixture {
            name,
            revs,
            tags,
            bookmarks,
            branches,
            tip_files,
            rev0_files,
            subdir,
        }
    }

    fn inv(&self, args: &[OsString]) -> Invocation {
        Invocation::fixture(self.name, args)
    }

    fn check(&self, c: &mut Checker, args: &[&str]) {
        c.fixture(self.name, args);
    }

    fn check_os(&self, c: &mut Checker, args: Vec<OsString>) {
        c.check(&self.inv(&args));
    }

    fn len(&self) -> i64 {
        self.revs.len() as i64
    }

    /// A revision in the middle of history (or 0).
    fn mid(&self) -> i64 {
        self.len() / 2
    }

    fn node(&self, rev: i64) -> Option<&str> {
        self.revs
            .iter()
            .find(|(r, _, _)| *r == rev)
            .map(|(_, n, _)| n.as_str())
    }

    fn merges(&self) -> Vec<i64> {
        self.revs
            .iter()
            .filter(|(_, _, m)| *m)
            .map(|(r, _, _)| *r)
            .collect()
    }

    /// A hex prefix (with a letter, so not a revision number) shared by at
    /// least two nodes and by no name.
    fn ambiguous_prefix(&self) -> Option<String> {
        for len in 1..=4 {
            let mut seen = std::collections::BTreeMap::<&str, usize>::new();
            for (_, n, _) in &self.revs {
                *seen.entry(&n[..len]).or_default() += 1;
            }
            if let Some((p, _)) = seen
                .iter()
                .find(|(p, count)| **count >= 2 && p.bytes().any(|b| b.is_ascii_alphabetic()))
            {
                return Some((*p).to_owned());
            }
        }
        None
    }

    /// A unique node prefix made only of digits but not a valid revision
    /// number (hg must fall back to node lookup).
    fn numeric_prefix(&self) -> Option<String> {
        for (_, n, _) in &self.revs {
            let digits: String = n
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .take(8)
                .collect();
            for len in 2..=digits.len() {
                let p = &digits[..len];
                let as_rev: i64 = p.parse().unwrap_or(0);
                let unique = self
                    .revs
                    .iter()
                    .filter(|(_, m, _)| m.starts_with(p))
                    .count()
                    == 1;
                if as_rev >= self.len() && unique && !p.starts_with('0') {
                    return Some(p.to_owned());
                }
            }
        }
        None
    }

    /// Revision specifications to try with `-r`: numbers, negative
    /// numbers, hashes and prefixes, special names, tags, bookmarks,
    /// branches, ranges.
    fn rev_specs(&self) -> Vec<OsString> {
        let mut specs: Vec<OsString> = Vec::new();
        let mut push = |s: &str| specs.push(OsString::from(s));
        let last = self.len() - 1;
        for s in ["tip", ".", "null", "0", "-1", "-2"] {
            push(s);
        }
        if last >= 1 {
            push("1");
            push(&last.to_string());
            push(&self.mid().to_string());
            push(&(-self.len()).to_string());
        }
        push(&(self.len() + 5).to_string()); // unknown revision
        if let Some(node) = self.node(self.mid()) {
            push(node);
            push(&node[..12]);
            push(&node[..6]);
            push(&node[..12].to_uppercase()); // hg: unknown revision
        }
        if let Some(node) = self.node(0) {
            push(&node[..12]);
        }
        if let Some(p) = self.ambiguous_prefix() {
            push(&p);
        }
        if let Some(p) = self.numeric_prefix() {
            push(&p);
        }
        if last >= 2 {
            let (a, b) = (1, last - 1);
            push(&format!("{a}:{b}"));
            push(&format!("{b}:{a}"));
            push(&format!(":{a}"));
            push(&format!("{b}:"));
            push(&format!("{a}:{a}"));
            push(&format!("-2:{a}"));
            push("tip:0");
            push("null:1");
            if let Some(node) = self.node(a) {
                push(&format!("{}:tip", &node[..12]));
            }
        }
        for n in self
            .tags
            .iter()
            .chain(&self.bookmarks)
            .chain(&self.branches)
        {
            specs.push(os(n));
        }
        if let (Some(t), Some(b)) = (
            self.tags.iter().find(|t| *t != b"tip"),
            self.branches.first(),
        ) {
            let mut range = t.clone();
            range.push(b':');
            range.extend_from_slice(b);
            specs.push(os(&range));
        }
        specs
    }

    /// A few interesting revisions (for identify, parents, files, ...).
    fn some_revs(&self) -> Vec<OsString> {
        let mut v: Vec<OsString> = ["tip", "0", "null", "."]
            .iter()
            .map(OsString::from)
            .collect();
        v.push(self.mid().to_string().into());
        for m in self.merges().into_iter().take(2) {
            v.push(m.to_string().into());
        }
        if let Some(t) = self.tags.iter().find(|t| *t != b"tip") {
            v.push(os(t));
        }
        if let Some(b) = self.bookmarks.first() {
            v.push(os(b));
        }
        if let Some(b) = self.branches.last() {
            v.push(os(b));
        }
        v
    }
}

fn args(parts: &[&str]) -> Vec<OsString> {
    parts.iter().map(OsString::from).collect()
}

fn with(mut base: Vec<OsString>, more: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    base.extend(more);
    base
}

// ---------------------------------------------------------------------------
// Groups

fn group_basics(f: &Fixture, c: &mut Checker) {
    f.check(c, &["root"]);
    f.check(c, &["root", "-q"]);
    if let Some(sub) = &f.subdir {
        c.check(&Invocation::fixture_subdir(f.name, os(sub), &["root"]));
        f.check_os(c, with(args(&["--cwd"]), [os(sub), "root".into()]));
        f.check_os(c, with(args(&["--cwd"]), [os(sub), "files".into()]));
    }
    // -R from outside the repository.
    let outside = tempfile::tempdir().expect("temp dir");
    let root = common::fixture(f.name);
    c.check(&Invocation::new(
        outside.path(),
        &[OsString::from("-R"), root.clone().into(), "root".into()],
    ));
    c.check(&Invocation::new(
        outside.path(),
        &[
            OsString::from("--repository"),
            root.clone().into(),
            "log".into(),
            "-l".into(),
            "2".into(),
        ],
    ));
    c.check(&Invocation::new(
        outside.path(),
        &[OsString::from("--cwd"), root.into(), "identify".into()],
    ));
    f.check(c, &["version", "-q"]);
}

fn group_log(f: &Fixture, c: &mut Checker) {
    f.check(c, &["log"]);
    f.check(c, &["log", "-v"]);
    f.check(c, &["log", "--debug"]);
    f.check(c, &["log", "-q"]);
    f.check(c, &["log", "-l", "3"]);
    f.check(c, &["log", "--limit=1", "-v"]);
    f.check(c, &["log", "-l", "0"]);
    f.check(c, &["log", "-l", "x"]);
    f.check(c, &["log", "-q", "-v"]);
    f.check(c, &["history", "-l", "2"]);
    f.check(c, &["log", "-r", "0", "-r", "tip"]);
    f.check(c, &["log", "-r", "tip", "-r", "0", "-q"]);
    f.check(c, &["log", "-r", "0", "-r", "0", "-q"]);
}

fn group_log_revs(f: &Fixture, c: &mut Checker) {
    for spec in f.rev_specs() {
        f.check_os(c, vec!["log".into(), "-r".into(), spec.clone()]);
        let mut flag = OsString::from("--rev=");
        flag.push(&spec);
        f.check_os(c, vec!["log".into(), "-q".into(), flag]);
    }
}

fn group_log_files(f: &Fixture, c: &mut Checker) {
    for file in f.tip_files.iter().take(4) {
        f.check_os(c, vec!["log".into(), "-q".into(), os(file)]);
    }
    f.check(c, &["log", "-q", "no-such-file"]);
    if let Some(sub) = &f.subdir {
        f.check_os(c, vec!["log".into(), "-q".into(), os(sub)]);
    }
}

fn group_heads_parents(f: &Fixture, c: &mut Checker) {
    f.check(c, &["heads"]);
    f.check(c, &["heads", "-v"]);
    f.check(c, &["heads", "-q"]);
    f.check(c, &["heads", "--closed"]);
    f.check(c, &["heads", "--closed", "-q"]);
    f.check(c, &["heads", "--debug"]);
    for b in f.branches.iter().take(3) {
        f.check_os(c, vec!["heads".into(), os(b)]);
    }
    f.check(c, &["heads", "no-such-branch"]);
    f.check(c, &["parents"]);
    f.check(c, &["parents", "-v"]);
    f.check(c, &["parents", "-q"]);
    for r in f.some_revs() {
        f.check_os(c, vec!["parents".into(), "-r".into(), r]);
    }
}

fn group_identify(f: &Fixture, c: &mut Checker) {
    f.check(c, &["identify"]);
    f.check(c, &["id"]);
    for flag in ["-i", "-n", "-b", "-t", "-B", "--debug", "-q", "-v"] {
        f.check(c, &["identify", flag]);
    }
    f.check(c, &["identify", "-i", "-n", "-b", "-t", "-B"]);
    f.check(c, &["identify", "-nibtB"]);
    for r in f.some_revs() {
        f.check_os(c, vec!["identify".into(), "-r".into(), r.clone()]);
        f.check_os(
            c,
            vec!["identify".into(), "-n".into(), "-r".into(), r.clone()],
        );
        f.check_os(
            c,
            args(&["id", "-i", "-n", "-b", "-t", "-B", "-r"])
                .into_iter()
                .chain([r])
                .collect(),
        );
    }
    f.check(c, &["identify", "-r", "tip", "--debug"]);
    f.check(c, &["identify", "-r", "nosuch"]);
}

fn group_files_manifest(f: &Fixture, c: &mut Checker) {
    f.check(c, &["files"]);
    f.check(c, &["files", "-0"]);
    f.check(c, &["manifest"]);
    f.check(c, &["manifest", "--debug"]);
    f.check(c, &["manifest", "-v"]);
    f.check(c, &["manifest", "--all"]);
    for r in f.some_revs() {
        f.check_os(c, vec!["files".into(), "-r".into(), r.clone()]);
        f.check_os(c, vec!["manifest".into(), "-r".into(), r]);
    }
    f.check(c, &["manifest", "-r", "0", "--debug"]);
    f.check(c, &["manifest", "tip"]);
    if let Some(sub) = &f.subdir {
        c.check(&Invocation::fixture_subdir(f.name, os(sub), &["files"]));
        c.check(&Invocation::fixture_subdir(
            f.name,
            os(sub),
            &["files", "-r", "tip"],
        ));
        c.check(&Invocation::fixture_subdir(f.name, os(sub), &["manifest"]));
        f.check_os(c, vec!["files".into(), "-r".into(), "tip".into(), os(sub)]);
    }
    f.check(c, &["files", "-r", "nosuch"]);
    f.check(c, &["files", "no-such-file"]);
}

fn group_cat(f: &Fixture, c: &mut Checker) {
    for file in f.tip_files.iter().take(60) {
        f.check_os(c, vec!["cat".into(), "-r".into(), "tip".into(), os(file)]);
    }
    for file in f.rev0_files.iter().take(20) {
        f.check_os(c, vec!["cat".into(), "-r".into(), "0".into(), os(file)]);
    }
    if let Some(file) = f.tip_files.first() {
        f.check_os(c, vec!["cat".into(), os(file)]);
        f.check_os(c, vec!["cat".into(), "-r".into(), "null".into(), os(file)]);
        f.check_os(
            c,
            vec!["cat".into(), "-r".into(), "nosuch".into(), os(file)],
        );
    }
    let several: Vec<OsString> = f.tip_files.iter().take(3).map(|p| os(p)).collect();
    if !several.is_empty() {
        f.check_os(c, with(args(&["cat", "-r", "tip"]), several.clone()));
        f.check_os(
            c,
            with(args(&["cat", "-r", "tip", "no-such-file"]), several),
        );
    }
    f.check(c, &["cat", "-r", "tip", "no-such-file"]);
    f.check(c, &["cat", "no-such-file"]);
    f.check(c, &["cat"]);
    if let Some(sub) = &f.subdir {
        let prefix_len = sub.len() + 1;
        let inside: Vec<&Vec<u8>> = f
            .tip_files
            .iter()
            .filter(|p| p.len() > prefix_len && p.starts_with(sub) && p[sub.len()] == b'/')
            .take(2)
            .collect();
        for p in inside {
            c.check(&Invocation::fixture_subdir(
                f.name,
                os(sub),
                &[
                    OsString::from("cat"),
                    "-r".into(),
                    "tip".into(),
                    os(&p[prefix_len..]),
                ],
            ));
        }
    }
}

fn group_names(f: &Fixture, c: &mut Checker) {
    for a in [
        &["branches"][..],
        &["branches", "-c"],
        &["branches", "-q"],
        &["branches", "-v"],
        &["branches", "--closed", "-q"],
        &["bookmarks"],
        &["bookmarks", "-q"],
        &["bookmarks", "-v"],
        &["bookmark"],
        &["tags"],
        &["tags", "-v"],
        &["tags", "-q"],
        &["tags", "--debug"],
    ] {
        f.check(c, a);
    }
}

fn group_config(f: &Fixture, c: &mut Checker) {
    for a in [
        &["paths"][..],
        &["paths", "default"],
        &["paths", "-q"],
        &["paths", "nosuch"],
        &["config"],
        &["showconfig"],
        &["config", "paths"],
        &["config", "paths.default"],
        &["config", "ui"],
        &["config", "ui.username"],
        &["config", "fixture.multi"],
        &["config", "nosuch.item"],
        &["config", "--debug", "paths"],
        &["--config", "foo.bar=baz", "config", "foo"],
        &["--config", "foo.bar=baz", "config", "--debug", "foo.bar"],
        &["--config", "foo.bar", "config", "foo"],
    ] {
        f.check(c, a);
    }
}

fn group_errors(f: &Fixture, c: &mut Checker) {
    for a in [
        &["log", "-r", "nosuch"][..],
        &["log", "-r"],
        &["log", "--nosuch"],
        &["log", "-r", "99999999"],
        &["log", "-r", "-99999999"],
        &["nosuchcmd"],
        &["parents", "-r", "nosuch"],
        &["heads", "-r", "nosuch"],
        &["--cwd", "no-such-dir", "root"],
        &["-R", "no-such-dir", "log"],
        &["root", "extra-arg"],
    ] {
        f.check(c, a);
    }
}

fn group_verify(f: &Fixture, c: &mut Checker) {
    c.with_copy(f.name, |_| {}, &["verify"]);
    c.with_copy(f.name, |_| {}, &["verify", "-q"]);
}

fn run_group(name: &'static str, group: &str, body: fn(&Fixture, &mut Checker)) {
    let fixture = Fixture::load(name);
    let mut c = Checker::new(&format!("{name}::{group}"));
    body(&fixture, &mut c);
    c.finish();
}

macro_rules! fixture_tests {
    ($($module:ident => $name:literal),* $(,)?) => {
        const TESTED_FIXTURES: &[&str] = &[$($name),*];
        $(
            mod $module {
                use super::*;
                #[test] fn basics() { run_group($name, "basics", group_basics) }
                #[test] fn log() { run_group($name, "log", group_log) }
                #[test] fn log_revs() { run_group($name, "log_revs", group_log_revs) }
                #[test] fn log_files() { run_group($name, "log_files", group_log_files) }
                #[test] fn heads_parents() { run_group($name, "heads_parents", group_heads_parents) }
                #[test] fn identify() { run_group($name, "identify", group_identify) }
                #[test] fn files_manifest() { run_group($name, "files_manifest", group_files_manifest) }
                #[test] fn cat() { run_group($name, "cat", group_cat) }
                #[test] fn names() { run_group($name, "names", group_names) }
                #[test] fn config() { run_group($name, "config", group_config) }
                #[test] fn errors() { run_group($name, "errors", group_errors) }
                #[test] fn verify() { run_group($name, "verify", group_verify) }
            }
        )*
    };
}

fixture_tests! {
    branchy => "branchy",
    files => "files",
    zlib => "zlib",
    no_generaldelta => "no-generaldelta",
    revlog_split => "revlog-split",
    no_share_safe => "no-share-safe",
    no_fncache => "no-fncache",
    empty => "empty",
    linear => "linear",
}

/// Every fixture that make-fixtures built is covered above.
#[test]
fn every_fixture_is_tested() {
    let built = common::fixture_names();
    let missing: Vec<&String> = built
        .iter()
        .filter(|n| !TESTED_FIXTURES.contains(&n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "fixtures without tests (add them to fixture_tests! in {}): {missing:?}",
        file!()
    );
    for name in TESTED_FIXTURES {
        common::fixture(name);
    }
}

/// Commands run outside any repository.
#[test]
fn outside_a_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    let mut c = Checker::new("outside_a_repository");
    for a in [
        &["root"][..],
        &["log"],
        &["identify"],
        &["tags"],
        &["cat", "x"],
        &["files"],
        &["verify"],
        &["nosuchcmd"],
        &["log", "--nosuch"],
        &["-R", "nonrepo", "log"],
        &["-R", "/nonexistent/path", "root"],
        &["--cwd", "sub", "root"],
        &["--cwd", "nonexistent", "root"],
        &["version", "-q"],
        &["config", "ui.username"],
        &["--config", "a.b=c", "config", "a.b"],
        &["paths"],
    ] {
        c.check(&Invocation::new(dir.path(), a));
    }
    c.check(&Invocation::new(&sub, &["root"]));
    // -R pointing at a plain directory and at a file.
    std::fs::write(dir.path().join("file"), b"x").expect("write");
    c.check(&Invocation::new(dir.path(), &["-R", "sub", "log"]));
    c.check(
        &Invocation::new(dir.path(), &["-R", "file", "log"]).known_difference(
            "hg reads a file given to -R as a bundle; qs does not read bundles yet",
        ),
    );
    c.finish();
}
