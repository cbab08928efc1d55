//! Revsets: `qs log -q -r EXPR` and `qs log -r EXPR` compared with hg byte
//! for byte (stdout, stderr, exit code) over every fixture, for a corpus of
//! expressions — operators and their ordering rules, predicates, names of
//! the fixture (tags, bookmarks, branches), and malformed or unknown ones.
//! Run through `scripts/test.sh` (needs `QS_HG` and `QS_FIXTURES`).

#![allow(clippy::unwrap_used)]

mod common;
mod wcommon;

use common::{hg_query, lines, os, Checker, Invocation};
use std::ffi::OsString;

/// Expressions valid in any repository, empty or not.
const GENERIC: &[&str] = &[
    "all()",
    "none()",
    ":",
    "::tip",
    "tip:0",
    "0:tip",
    "0::",
    "0..tip",
    ":2",
    "2:",
    "0:2 and 2:0",
    "2:0 and 0:2",
    "0:2 or 2:0",
    "2:0 + 1",
    "1 + 0 + 2",
    "0 | tip",
    "not 0",
    "! tip",
    "all() - 1",
    "tip - tip",
    "0:2 - 1",
    "tip^",
    "tip^1",
    "tip^2",
    "tip^0",
    "0^",
    "0^1",
    "tip~1",
    "tip~2",
    "tip~0",
    "0~1",
    "0~-1",
    "tip~-1",
    "1~-1",
    ".",
    "null",
    "null:0",
    "-1",
    "-2",
    "tip + null",
    "ancestors(tip)",
    "ancestors(tip, 1)",
    "ancestors(tip, depth=2)",
    "ancestors(1, 0)",
    "ancestors(tip, -1)",
    "ancestors()",
    "descendants(0)",
    "descendants(1)",
    "descendants(null)",
    "descendants(none())",
    "parents(tip)",
    "parents()",
    "parents(all())",
    "p1(tip)",
    "p1()",
    "p2(tip)",
    "p2()",
    "p1(merge())",
    "p2(merge())",
    "children(0)",
    "children(1)",
    "children(none())",
    "heads(all())",
    "heads(0:2)",
    "roots(all())",
    "roots(1:)",
    "head()",
    "merge()",
    "not merge()",
    "closed()",
    "head() and not closed()",
    "branch(default)",
    "branch(tip)",
    "branch(literal:default)",
    "branch(literal:nope)",
    "branch(nope)",
    "branch(0)",
    "user(test)",
    "author(TEST)",
    "user('')",
    "desc(a)",
    "desc(A)",
    "desc('')",
    "keyword(a)",
    "keyword(file)",
    "limit(all())",
    "limit(all(), 2)",
    "limit(all(), 2, 1)",
    "limit(all(), 0)",
    "limit(all(), -1)",
    "limit(all(), 1, -1)",
    "limit(tip:0, 3)",
    "first(tip:0, 2)",
    "first(all())",
    "limit(all(), n=2, offset=1)",
    "limit(all(), x)",
    "limit()",
    "last(all())",
    "last(all(), 2)",
    "last(0:tip, 3)",
    "last(tip:0, 3)",
    "last(all(), -1)",
    "reverse(all())",
    "reverse(0:2)",
    "reverse(2:0)",
    "0:2 and reverse(all())",
    "reverse(all()) and 0:2",
    "sort(all())",
    "sort(all(), -rev)",
    "sort(tip:0)",
    "sort(all(), date)",
    "sort(all(), -date)",
    "sort(all(), user)",
    "sort(all(), '-user rev')",
    "sort(all(), branch)",
    "sort(all(), '-branch -rev')",
    "sort(all(), desc)",
    "sort(all(), node)",
    "sort(all(), author)",
    "sort(all(), foo)",
    "sort()",
    "min(all())",
    "max(all())",
    "min(none())",
    "max(tip:0)",
    "min(1:) and 0",
    "only(tip)",
    "only(tip, 0)",
    "only(0, tip)",
    "::tip - ::0",
    "tip % 0",
    "tip%",
    "public()",
    "draft()",
    "secret()",
    "not public()",
    "draft() and ::tip",
    "draft() or secret()",
    "present(tip)",
    "present(nosuchname)",
    "present(nosuchname) or 0",
    "rev(0)",
    "rev(-1)",
    "rev(999999)",
    "rev(x)",
    "id(0)",
    "id('')",
    "tag()",
    "tag(tip)",
    "tag(nosuchtag)",
    "bookmark()",
    "bookmark(nosuchmark)",
    "(0)",
    "((0:2))",
    "0:2 and (1 or 2)",
    "(0 + 1) and 1:0",
    "1:0 and (0 + 1)",
    "_list('0\\x001')",
    "all() and 2:0",
    "2:0 and all()",
    "2:0 and not 1",
    "heads(1::) and tip",
    "0::tip and merge()",
    "tip::0",
    "1::1",
    "null::0",
    // Malformed and unknown.
    "",
    "(",
    ")",
    "0:",
    "foo(",
    "foo()",
    "fo()",
    "ancestor()",
    "desendants(0)",
    "all(1)",
    "merge(1)",
    "0 and",
    "0,1",
    "x=1",
    "not",
    "tip^3",
    "tip^x",
    "tip~x",
    "::",
    "a-b",
    "nosuchname",
    "nosuch:tip",
    "'nosuch'",
    "\"\"",
    "0 or ''",
    "1 1",
    "-nosuch",
    "x",
    "xx",
    "0::tip::",
    "tip#foo",
    "tip[1]",
    "tip#foo[1]",
    "tip#gen",
];

/// The predicates of issue 4 part 2 (dates, files, history, text
/// patterns, topological sort), valid in every fixture.
const MORE_PREDICATES: &[&str] = &[
    "date(2019)",
    "date('>2019-03')",
    "date('<2019-03-01')",
    "date('2019-01-01 to 2019-02-01')",
    "date('2013-10')",
    "date('Oct 13 2013')",
    "date('-1')",
    "date('today')",
    "date(x)",
    "date('')",
    "date('<')",
    "date('>')",
    "date('-x')",
    "date('--1')",
    "date('2006-13-01')",
    "date('99999999999 0')",
    "file('*')",
    "file('glob:**')",
    "file('re:.*a')",
    "file('path:a')",
    "file('nonexistent')",
    "file('日本語/*')",
    "_matchfiles('p:*', 'x:**.py')",
    "_matchfiles('p:', 'd:relpath')",
    "_matchfiles('z:x')",
    "filelog('a')",
    "filelog('glob:*')",
    "filelog('moved/renamed-again.txt')",
    "modifies('*')",
    "modifies('glob:**')",
    "adds('glob:**')",
    "adds('renamed.txt')",
    "removes('glob:**')",
    "removes('plain.txt')",
    "contains('a')",
    "contains('renamed.txt')",
    "contains('glob:*')",
    "follow()",
    "_followfirst()",
    "follow(startrev=0)",
    "follow('glob:*')",
    "follow('moved/renamed-again.txt')",
    "_followfirst('moved/renamed-again.txt')",
    "follow('renamed/r265-renamed_r212-renamed_r106-README')",
    "follow('README')",
    "follow('glob:renamed/*')",
    "follow('nonexistent')",
    "follow('a', 0)",
    "grep('a')",
    "grep('(?i)A')",
    "grep('^[0-9]+$')",
    "keyword('re:x')",
    "user('re:.*')",
    "user('re:(?i)TEST')",
    "author('literal:test')",
    "desc('re:^[a-z]')",
    "desc('literal:commit')",
    "branch('re:.*')",
    "branch('re:def')",
    "branch('literal:nonexistent')",
    "tag('re:.*')",
    "tag('re:^t')",
    "bookmark('re:.*')",
    "bookmark('re:^nomatch$')",
    "extra('branch')",
    "extra('branch', 'default')",
    "extra('branch', 're:^d')",
    "extra('close')",
    "converted()",
    "origin()",
    "destination()",
    "named('branches')",
    "named('tags')",
    "named('bookmarks')",
    "named('re:.*')",
    "named('foo')",
    "commonancestors(head())",
    "commonancestors(tip)",
    "_commonancestorheads(head())",
    "obsolete()",
    "unstable()",
    "orphan()",
    "extinct()",
    "successors(tip)",
    "descendants(0, 1)",
    "descendants(0, depth=2, startdepth=1)",
    "descendants(null, depth=1)",
    "descendants(0, depth=-1)",
    "_firstancestors(tip)",
    "_firstdescendants(0)",
    "tip#generations",
    "tip#g[-1]",
    "tip#g[0]",
    "tip#g[1]",
    "tip#g[x]",
    "tip#g[1:x]",
    "tip#g[:]",
    "tip#g[-2:]",
    "2#g[-1:1]",
    "0#g[0:2]",
    "tip#foo",
    "sort(all(), topo)",
    "sort(all(), -topo)",
    "sort(all(), topo, topo.firstbranch=3)",
    "sort(all(), topo, topo.firstbranch=0)",
    "sort(0:5 + 10:20, topo)",
    "sort(head(), topo)",
    "sort(all(), 'topo rev')",
    "sort(all(), rev, topo.firstbranch=1)",
    "branchpoint()",
    "branchpoint(1)",
    "expectsize(0:2, 3)",
    "expectsize(0:2, 2:4)",
    "expectsize(0:2, :2)",
    "expectsize(0:2, 4:)",
    "expectsize(0:2, x)",
    "expectsize(0:2)",
    "expectsize(0:2, -1)",
    "present(expectsize(0:2, 5))",
    "reverse(expectsize(0:2, 3))",
    "revset(tip)",
    "revset(0:2) and 1",
    "_rev(1)",
    "_rev(100000)",
    "present(_rev(100000))",
    "_phase(1)",
    "_internal()",
    "tagged()",
    "stack()",
    "stack(tip)",
    "conflictlocal()",
    "conflictother()",
    "nodefromfile(nosuchfile)",
    "matching(0)",
    "matching(tip)",
    "matching(0:2, branch)",
    "matching(1, files)",
    "matching(2, 'user date')",
    "matching(tip, phase)",
    "matching(0:3, summary)",
    "matching(0, substate)",
    "matching(0, foo)",
    "matching(0, 'metadata author')",
    "matching()",
    "matching(none())",
    "diffcontains(a)",
    "diffcontains('re:^[a-z]+$')",
    "diffcontains('literal:.')",
    "diffcontains(' ')",
    "diffcontains()",
    "diffcontains(pattern='x')",
    "bisect(good)",
    "bisect(range)",
    "bisected(untested)",
    "bisect(nosuchstate)",
    "bisect()",
];

/// What qs does not evaluate yet: it must abort saying so, never answer
/// differently from hg.
const UNSUPPORTED: &[&str] = &[
    "ff",
    "id(ffff)",
    "2147483647",
    "wdir()",
    "sort(all(), random)",
];

/// Names of a fixture (tags, bookmarks, branches) and expressions using them.
fn name_exprs(name: &str) -> Vec<Vec<u8>> {
    let mut names = Vec::new();
    for args in [
        &["tags", "-q"][..],
        &["bookmarks", "-T", "{bookmark}\\n"],
        &["branches", "-c", "-T", "{branch}\\n"],
    ] {
        names.extend(lines(&hg_query(name, args)));
    }
    let mut out = Vec::new();
    for n in names.iter().take(12) {
        let quoted = |f: &str| {
            let mut e = format!("{f}('").into_bytes();
            e.extend_from_slice(n);
            e.extend_from_slice(b"')");
            e
        };
        out.push(n.clone());
        out.push(quoted("branch"));
        out.push(quoted("tag"));
        out.push(quoted("bookmark"));
        out.push(quoted("ancestors"));
        out.push(quoted("present"));
        let mut range = n.clone();
        range.extend_from_slice(b":0");
        out.push(range);
    }
    out
}

/// Expressions also shown with the default (non-quiet) log output.
const SHOWN_IN_FULL: &[&str] = &[
    "tip:0",
    "0:2 and 2:0",
    "merge()",
    "heads(all())",
    "sort(all(), -date)",
    "reverse(0:2)",
    "nosuchname",
    "foo()",
    "(",
    "branch(default)",
    "tip^",
];

fn run(c: &mut Checker, name: &str, flags: &[&str]) {
    let mut exprs: Vec<Vec<u8>> = Vec::new();
    if flags.is_empty() {
        exprs.extend(SHOWN_IN_FULL.iter().map(|e| e.as_bytes().to_vec()));
    } else {
        exprs.extend(GENERIC.iter().map(|e| e.as_bytes().to_vec()));
        exprs.extend(MORE_PREDICATES.iter().map(|e| e.as_bytes().to_vec()));
        exprs.extend(name_exprs(name));
    }
    for expr in exprs {
        let mut args: Vec<OsString> = vec!["log".into()];
        args.extend(flags.iter().map(OsString::from));
        args.push("-r".into());
        args.push(os(&expr));
        c.check(&Invocation::fixture(name, &args));
    }
    // Several -r: one query, the union in order.
    for pair in [["0", "tip"], ["tip", "0"], ["0:2", "1"], ["all()", "0"]] {
        c.fixture(name, &["log", "-q", "-r", pair[0], "-r", pair[1]]);
    }
}

fn every_fixture(flags: &[&str]) {
    let names = common::fixture_names();
    assert!(!names.is_empty(), "no fixtures found under QS_FIXTURES");
    let mut c = Checker::new(&format!("revsets log {}", flags.join(" ")));
    for name in names {
        run(&mut c, &name, flags);
    }
    c.finish();
}

#[test]
fn quiet_log_of_revsets() {
    every_fixture(&["-q"]);
}

#[test]
fn default_log_of_revsets() {
    every_fixture(&[]);
}

/// `[revsetalias]` definitions are expanded (and bad ones reported).
#[test]
fn revset_aliases() {
    let mut c = Checker::new("revset_aliases");
    for name in common::fixture_names() {
        for (alias, expr) in [
            ("revsetalias.mine=tip:0", "mine"),
            ("revsetalias.f($1)=$1 or 0", "f(tip)"),
            ("revsetalias.bad=f(", "tip"),
            ("revsetalias.bad=f(", "bad"),
            ("revsetalias.loop=loop", "loop"),
        ] {
            c.check(&Invocation::fixture(
                &name,
                &["--config", alias, "log", "-q", "-r", expr],
            ));
        }
    }
    c.finish();
}

/// `matching(x, diff)` diffs every changeset it looks at: compared on
/// fixtures without the `files` fixture's large file (hg needs tens of
/// seconds to diff it), with the configuration's diff options.
#[test]
fn matching_diffs() {
    let mut c = Checker::new("matching_diffs");
    for name in ["branchy", "linear"] {
        for expr in [
            "0:30 and matching(1, diff)",
            "0:30 and matching(tip, diff)",
            "0:30 and matching(0:2, 'diff user')",
        ] {
            c.fixture(name, &["log", "-q", "-r", expr]);
            c.fixture(
                name,
                &["--config", "diff.ignorews=1", "log", "-q", "-r", expr],
            );
        }
    }
    c.finish();
}

/// `conflictlocal()` and `conflictother()` read the merge state: the
/// sides of an unresolved merge, nothing once it is committed.
#[test]
fn merge_conflict_sides() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut c = Checker::new("merge_conflict_sides");
    let exprs = [
        "conflictlocal()",
        "conflictother()",
        "conflictlocal() + conflictother()",
    ];
    let compare = |c: &mut Checker| {
        for e in exprs {
            let inv = Invocation::new(root, &["log", "-q", "-r", e]).uncached();
            let qs = common::run_with_home(common::Tool::Qs, &inv, home.path());
            let hg = common::run_with_home(common::Tool::Hg, &inv, home.path());
            if qs != hg {
                c.fail(inv.args_display(), format!("qs {qs:?}\nhg {hg:?}"));
            }
        }
    };
    wcommon::shell(
        root,
        home.path(),
        "hg init -q; echo a > f; hg ci -qAm a; echo b > f; hg ci -qm b; hg up -q 0; \
         echo c > f; hg ci -qm c; hg merge -q 1 --tool :merge || true",
    );
    compare(&mut c);
    wcommon::shell(root, home.path(), "hg resolve -qm f; hg ci -qm merged");
    compare(&mut c);
    c.finish();
}

/// Revsets qs cannot evaluate yet abort with a message saying so.
#[test]
fn unsupported_revsets_abort_clearly() {
    let mut c = Checker::new("unsupported_revsets_abort_clearly");
    for expr in UNSUPPORTED {
        let inv = Invocation::fixture("branchy", &["log", "-q", "-r", expr]);
        let out = common::run_qs(&inv);
        let stderr = out.stderr_str();
        if out.code != 255
            || !stderr.starts_with("abort: ")
            || !stderr.contains("not supported by qs yet")
        {
            c.fail(
                inv.args_display(),
                format!(
                    "expected a clear abort, got exit {} and stderr {stderr:?}",
                    out.code
                ),
            );
        }
    }
    c.finish();
}

/// Commands taking one revision evaluate a full revset and use its last
/// member, as hg's `revsingle` does (an empty set aborts).
#[test]
fn single_revision_options_take_revsets() {
    let mut c = Checker::new("single_revision_options_take_revsets");
    for name in common::fixture_names() {
        for expr in [
            "max(all())",
            "0:2",
            "first(heads(), 1)",
            "none()",
            "x(",
            "tip^",
        ] {
            for cmd in [
                &["identify", "-r"][..],
                &["files", "-r"],
                &["manifest", "-r"],
                &["parents", "-r"],
            ] {
                let mut args: Vec<&str> = cmd.to_vec();
                args.push(expr);
                c.check(&Invocation::fixture(&name, &args));
            }
        }
    }
    c.finish();
}

/// `first`, `limit` and `last` over per-revision filters stop early (they
/// are evaluated over growing windows of revisions): on the 600-revision
/// fixture, the answers — including errors — are hg's.
#[test]
fn early_stopping_selections_match_hg() {
    let mut c = Checker::new("early_stopping_selections_match_hg");
    for expr in [
        "first(user(frank))",
        "first(user(alice), 3)",
        "last(user(erin), 2)",
        "limit(desc(test), 5, 250)",
        "limit(user(alice), 0)",
        "last(not user(alice), 4)",
        "first(date('>2013-10-01'))",
        "last(date('<2013-06-01'), 2)",
        "first(keyword(speed) - user(bob), 3)",
        "first(branch(default) and desc(encoding), 2)",
        "last(desc(e) and not merge(), 300)",
        "first(user(alice), 1000)",
        "first(user('nobody at all'))",
        "last(user('nobody at all'), 2)",
        "first(file('glob:**'), 2)",
        "first(date('garbage'))",
        "reverse(first(user(alice), 5))",
        "first(user(alice), 5) and 500:",
    ] {
        c.fixture("linear", &["log", "-T", "{rev}\\n", "-r", expr]);
    }
    c.finish();
}
