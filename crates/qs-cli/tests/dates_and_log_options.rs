//! hg's date specifications and `log`'s selection options, compared with
//! hg byte for byte: `debugdate` on every format of `hg help dates` (in
//! several time zones), `log -d`, and `log -k/-u/-b/-B/-M/-m/-P/-f/
//! --follow-first/--removed/-I/-X FILE...` on every fixture, from the root
//! and from a subdirectory. Needs `QS_HG` and `QS_FIXTURES`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Checker, Invocation};

/// Dates `debugdate` parses (or refuses) exactly like hg.
const DATES: &[&str] = &[
    "2006-02-01 13:00:30 -0500",
    "2006-02-01 13:00:30",
    "2006-02-01T13:00:30Z",
    "2006-02-01T13:00",
    "2006-02-01T1300",
    "2006-02-01 130005",
    "2006-02-01 12:00+01:30",
    "2006-02-01 03:00pm",
    "2006-02-01 1:5",
    "2006-2-1",
    "2006-02-29",
    "2006-02-01 25:00",
    "Feb 29 2004",
    "feb 30",
    "Dec 6",
    "Dec  6",
    "dec 6 1pm",
    "Dec 6 1:00PM",
    "Dec 06 12:00:00 2006",
    "Wed Dec 06 19:18:29 2006 +0000",
    "sun dec 06 12:00:00am 2006",
    "Mon, 6 Dec 2006 10:00:00",
    "12:00 +0100",
    "13:00 GMT",
    "12:30am",
    "1pm",
    "12:00:61",
    "10/5/98",
    "10/5/1998",
    "12/31",
    "6-1",
    "2000 UTC",
    "2006-02",
    "Dec",
    "Dec 2006",
    " 1165432709 0",
    "1_000 0",
    "+5 -0",
    "1 2",
    "1 2 3",
    "0 -50401",
    "99999999999 0",
    "0000-01-01",
    "1901-12-13 20:45:51",
    "Thu Jan 01 00:00:00 1970 +1400",
    "it's",
    "tab\tx",
    "é",
    "",
    "today",
    "yesterday",
];

#[test]
fn debugdate_parses_like_hg() {
    let mut c = Checker::new("debugdate_parses_like_hg");
    let cwd = std::env::temp_dir();
    for date in DATES {
        c.check(&Invocation::new(&cwd, &["debugdate", date]));
    }
    for date in ["2006", "2006-02", "Dec", "Dec 2006", "2000 UTC", "12:00"] {
        c.check(&Invocation::new(&cwd, &["debugdate", "-e", date]));
    }
    // Dates without a zone are read in the local one (`TZ`).
    for tz in ["EST5", "JST-9", "<+0530>-5:30"] {
        for date in [
            "2006-02-01 13:00",
            "Dec 6",
            "today",
            "12:00",
            "2006-02-01 13:00 +0100",
        ] {
            c.check(&Invocation::new(&cwd, &["debugdate", date]).env("TZ", tz));
        }
    }
    c.finish();
}

/// `log` option sets (each shell-word list) valid in every fixture.
const LOG_OPTIONS: &[&[&str]] = &[
    &["-k", "a"],
    &["-k", "A", "-k", "commit"],
    &["-u", "test"],
    &["-u", "nobody"],
    &["-d", "2019"],
    &["-d", "<2019-03-01"],
    &["-d", ">2013-10-13"],
    &["-d", "2019-01-01 to 2019-02-01"],
    &["-d", "-3"],
    &["-d", "foo"],
    &["-d", ""],
    &["-b", "default"],
    &["-b", "default", "-b", "stable"],
    &["-b", "."],
    &["-b", "nonexistent"],
    &["--only-branch", "default"],
    &["-M"],
    &["-m"],
    &["--only-merges"],
    &["-P", "tip"],
    &["-P", "1", "-P", "2"],
    &["-f"],
    &["--follow-first"],
    &["-f", "-r", "2"],
    &["-B", "book"],
    &["a"],
    &["renamed.txt"],
    &["moved/renamed-again.txt"],
    &["-f", "moved/renamed-again.txt"],
    &["--follow-first", "moved/renamed-again.txt"],
    &["-f", "nonexistent"],
    &["-f", "README"],
    &["-f", "-r", "0", "renamed.txt"],
    &["nonexistent"],
    &["."],
    &["-f", "."],
    &["glob:*"],
    &["-I", "*.txt"],
    &["-X", "**.py"],
    &["-I", "."],
    &["dir-d-moved"],
    &["--removed", "plain.txt"],
    &["--removed", "."],
    &["-r", "0:3", "-k", "a"],
    &["-u", "test", "-k", "a", "-d", "2019", "-b", "default", "-M"],
    &["-l", "2", "-k", "a"],
];

#[test]
fn log_options_like_hg() {
    let names = common::fixture_names();
    assert!(!names.is_empty(), "no fixtures found under QS_FIXTURES");
    let mut c = Checker::new("log_options_like_hg");
    for name in &names {
        for opts in LOG_OPTIONS {
            let mut args = vec!["log", "-q"];
            args.extend_from_slice(opts);
            c.fixture(name, &args);
        }
    }
    // From a subdirectory: patterns are relative to it.
    for args in [
        &["log", "-q", "renamed-again.txt"][..],
        &["log", "-q", "."],
        &["log", "-q", ".."],
        &["log", "-q", "-f", "renamed-again.txt"],
        &["log", "-q", "-I", "*"],
        &["log", "-q", "-r", "file('*')"],
        &["log", "-q", "-r", "file('glob:../*')"],
        &["log", "-q", "-r", "contains('renamed-again.txt')"],
        &["log", "-q", "-r", "filelog('renamed-again.txt')"],
        &["log", "-q", "-r", "follow('renamed-again.txt')"],
    ] {
        c.check(&Invocation::fixture_subdir("files", "moved", args));
    }
    c.finish();
}
