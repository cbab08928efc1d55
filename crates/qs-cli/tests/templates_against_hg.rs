//! Templates: `qs log -T TEMPLATE` compared with hg byte for byte (stdout,
//! stderr, exit code) on every fixture, for a corpus of keywords ×
//! filters × functions, named templates and aliases from the
//! configuration, `-T json`, the stock styles qs carries, `-G` graphs, and
//! malformed templates (parse errors, unknown keywords, functions and
//! filters, type errors). Run through `scripts/test.sh` (needs `QS_HG` and
//! `QS_FIXTURES`).

#![allow(clippy::unwrap_used)]

mod common;

use common::{Checker, Invocation};

/// Keywords of a changeset, each shown alone and through filters.
const KEYWORDS: &[&str] = &[
    "rev",
    "node",
    "author",
    "user",
    "date",
    "desc",
    "branch",
    "branches",
    "tags",
    "bookmarks",
    "activebookmark",
    "currentbookmark",
    "parents",
    "p1",
    "p2",
    "p1rev",
    "p2rev",
    "p1node",
    "p2node",
    "phase",
    "phaseidx",
    "files",
    "file_adds",
    "file_mods",
    "file_dels",
    "file_copies",
    "file_copies_switch",
    "manifest",
    "extras",
    "graphnode",
    "latesttag",
    "latesttagdistance",
    "changessincelatesttag",
    "children",
    "closesbranch",
    "negrev",
    "obsolete",
    "instabilities",
    "subrepos",
    "bisect",
    "graphwidth",
    "termwidth",
    "verbosity",
    "index",
    "namespaces",
    "onelinesummary",
    "nosuchkeyword",
];

/// Filters taking text, applied to text keywords.
const TEXT_FILTERS: &[&str] = &[
    "addbreaks",
    "basename",
    "count",
    "dirname",
    "domain",
    "email",
    "emailuser",
    "escape",
    "fill68",
    "fill76",
    "firstline",
    "hex",
    "json",
    "lower",
    "nonempty",
    "obfuscate",
    "permissions",
    "person",
    "revescape",
    "short",
    "shortbisect",
    "splitlines",
    "stringescape",
    "stringify",
    "stripdir",
    "tabindent",
    "upper",
    "urlescape",
    "user",
    "utf8",
    "xmlescape",
];

const TEXT_KEYWORDS: &[&str] = &["author", "desc", "branch", "node", "files", "tags", "rev"];

/// (`age` is stable here: every fixture date is years old.)
const DATE_FILTERS: &[&str] = &[
    "age",
    "hgdate",
    "isodate",
    "isodatesec",
    "rfc3339date",
    "rfc822date",
    "shortdate",
    "json",
    "count",
];

/// Templates written out: functions, operators, mapping, corner cases.
const TEMPLATES: &[&str] = &[
    "",
    "plain text\\n",
    "{rev}:{node|short}\\n",
    "{rev}\\t{desc|firstline}\\n",
    "\\{rev}\\n",
    "{'literal'}\\n",
    "{r'raw\\n'}|\\n",
    "{1}{2}\\n",
    "{rev + 1} {rev - 1} {rev * 3} {rev / 2} {-rev} {mod(rev, 3)} {mod(-rev, 3)} {-7 / 2}\\n",
    "{rev / 0}\\n",
    "{mod(rev, 0)}\\n",
    "{if(rev, 'nonzero', 'zero')}\\n",
    "{if(tags, 'tagged: {tags}', 'untagged')}\\n",
    "{if(bookmarks, bookmarks)}\\n",
    "{if(files)}\\n",
    "{if(true, 'T')}{if(false, 'F', 'f')}{if(yes, 'Y')}{if(off, 'x', 'o')}\\n",
    "{ifeq(branch, 'default', 'D', branch)}\\n",
    "{ifeq(rev, 2, 'two')}\\n",
    "{ifcontains('a', files, 'has a', 'no a')}\\n",
    "{ifcontains(rev, revset('merge()'), 'merge')}\\n",
    "{ifcontains('default', branch, 'y', 'n')}\\n",
    "{ifcontains(0, parents, 'child of 0')}\\n",
    "{ifcontains('branch', extras, 'b')}\\n",
    "{join(files, ', ')}\\n",
    "{join(tags, ':')}|{join(bookmarks)}\\n",
    "{join(extras, '; ')}\\n",
    "{join(parents, ',')}\\n",
    "{join(desc, '.')}\\n",
    "{join(rev, ',')}\\n",
    "{files % '{file}\\n'}",
    "{files % '{path}|{index}\\n'}",
    "{files % \"{file|basename}\"}\\n",
    "{tags % '<{tag}>'}\\n",
    "{bookmarks % '{bookmark}{ifeq(bookmark, active, \"*\")} '}\\n",
    "{parents % '{rev}:{node|short}:{phase} '}\\n",
    "{extras % '{key}={value}\\n'}",
    "{file_adds % 'A {file}\\n'}{file_dels % 'R {file}\\n'}{file_mods % 'M {file}\\n'}",
    "{file_copies % '{name} <- {source}\\n'}",
    "{children % '{child} '}\\n",
    "{latesttag % '{tag}:{distance}:{changes} '}\\n",
    "{latesttag('re:^v')}\\n",
    "{latesttag('v1.0')} {latesttag('nonexistent')}\\n",
    "{latesttag}+{latesttagdistance}+{changessincelatesttag}\\n",
    "{p1.rev}:{p1.node|short} {p2.rev}\\n",
    "{p1}|{p2}\\n",
    "{manifest.rev}:{manifest.node|short}\\n",
    "{date.unixtime} {date.tzoffset}\\n",
    "{date(date)}\\n",
    "{date(date, '%Y/%m/%d %H-%M-%S %a %A %b %B %j %p %I %y %1%2 %%')}\\n",
    "{localdate(date, 'UTC')|isodate}\\n",
    "{localdate(date, '+0530')|rfc822date}\\n",
    "{localdate(date, -7200)|isodatesec}\\n",
    "{localdate(date, 'bogus')}\\n",
    "{date('x')}\\n",
    "{'0 0'|age}|{'9999999999 0'|age}|{'1000000000'|isodate}|{''|hgdate}\\n",
    "{' 5 0'|isodate}|{'5  0'|isodate}\\n",
    "{'0 99999'|isodate}\\n",
    "{get(extras, 'branch')}\\n",
    "{get(extras, 'nope')}\\n",
    "{get(rev, 'x')}\\n",
    "{extras.branch}\\n",
    "{files.x}\\n",
    "{rev.x}\\n",
    "{dict(rev, node)|json}\\n",
    "{dict(rev, x=branch, y=tags)}\\n",
    "{dict(a=1, b='two') % '{key}:{value} '}\\n",
    "{dict(rev, rev)}\\n",
    "{dict('x')}\\n",
    "{files|json} {tags|json} {extras|json} {date|json} {parents|json} {p1|json}\\n",
    "{files|count} {tags|count} {desc|count} {extras|count}\\n",
    "{rev|count}\\n",
    "{max(files)} {min(files)}\\n",
    "{max(rev)}\\n",
    "{max(desc)} {min(desc)}\\n",
    "{max(extras)}\\n",
    "{filter(files)}\\n",
    "{filter(tags, ifeq(tag, 'tip', '', 'y'))}\\n",
    "{filter(extras, ifeq(key, 'branch', 'y'))}\\n",
    "{filter(rev)}\\n",
    "{pad(rev, 5)}|{pad(rev, 5, '-', True)}|{pad(desc|firstline, 8, truncate=True)}|\\n",
    "{pad(branch, 12, fillchar='.')}|{pad(text=rev, width=3, left=True)}|\\n",
    "{pad(rev)}\\n",
    "{pad(rev, 'x')}\\n",
    "{pad(rev, 5, 'ab')}\\n",
    "{fill(desc, 20)}\\n",
    "{fill(desc, 10, '> ', '  ')}\\n",
    "{indent(desc, '  ')}\\n",
    "{indent(desc, '> ', '* ')}\\n",
    "{strip('  x  ')}|{strip('xxaxx', 'x')}|{strip(desc)}\\n",
    "{sub('[aeiou]', '_', desc)}\\n",
    "{sub('(\\\\w+)', '<\\\\1>', branch)}\\n",
    "{sub('[', 'x', desc)}\\n",
    "{startswith('d', branch)}|{startswith('x', branch)}\\n",
    "{word(0, desc)}|{word(1, desc)}|{word(-1, desc)}|{word(5, desc)}\\n",
    "{word(0, author, '@')}\\n",
    "{word('x', desc)}\\n",
    "{separate(', ', rev, '', branch, tags)}\\n",
    "{separate()}\\n",
    "{shortest(node)} {shortest(node, 1)} {shortest(node, 10)} {shortest('0')} {shortest('zz')}\\n",
    "{revset('parents(%d)', rev)}\\n",
    "{revset('children(%d)', rev) % '{rev},'}\\n",
    "{revset('%d::', rev)|count}\\n",
    "{revset('tip')}\\n",
    "{revset('x(')}\\n",
    "{relpath('a/b')}\\n",
    "{files('**')}\\n",
    "{files('*.txt') % '{file};'}\\n",
    "{files('re:.*\\\\.c$')}|{files('path:dir')}|{files('nonexistent')}|{files('')}\\n",
    "{files('glob:[')}\\n",
    "{label('log.changeset', rev)}\\n",
    "{label(red, 'x')}\\n",
    "{config('ui', 'username')}|{config('nosuch', 'key', 'dflt')}\\n",
    "{configbool('ui', 'quiet')}|{configint('nosuch', 'n', 3)}\\n",
    "{search('(\\\\d+)', desc)}|{search('(?P<w>\\\\w+)', desc).w}\\n",
    "{search('zzz', desc)}|\\n",
    "{desc|firstline|upper}{desc|splitlines % '<{line}>'}\\n",
    "{author|person}/{author|email}/{author|user}/{author|emailuser}/{author|domain}\\n",
    "{desc|tabindent}|{desc|addbreaks}\\n",
    "{node|short|upper}\\n",
    "{branch|revescape}|{bookmarks|urlescape}\\n",
    "{files|reverse}\\n",
    "{desc|reverse}\\n",
    "{files|commondir}\\n",
    "{if(desc|splitlines, 'multi')}\\n",
    "{rev|isodate}\\n",
    "{desc|isodate}\\n",
    "{files|isodate}\\n",
    "{date|firstline}\\n",
    "{date|upper}|{date|count}\\n",
    "{rev % '{x}'}\\n",
    "{desc % '{x}'}\\n",
    "{files % nosuchtemplate}\\n",
    "{'{rev}' % '{x}'}\\n",
    "{p1 % '{rev}'}\\n",
    "{date % '{unixtime}'}\\n",
    "{extras % '{key}'|upper}\\n",
    "{(rev)}\\n",
    "{index}\\n",
    "{index % '{x}'}\\n",
    "{graphwidth}\\n",
    "{namespaces % '{namespace}:{names}/{colorname}/{builtin} '}\\n",
    "{namespaces.tags}|{get(namespaces, 'bookmarks')}|{namespaces.bookmarks % '[{bookmark}]'}\\n",
    "{namespaces % '{names % \"<{name}>\"}'}\\n",
];

/// Malformed templates: parse errors and unknown names.
const ERRORS: &[&str] = &[
    "{",
    "{rev",
    "}",
    "{rev|}",
    "{rev||upper}",
    "{foo(}",
    "{foo()}",
    "{rev|foo}",
    "{nosuchfunc(rev)}",
    "{if()}",
    "{if(rev)}",
    "{if(1, 2, 3, 4)}",
    "{join()}",
    "{ifeq(1)}",
    "{ifcontains(1, 2)}",
    "{date()}",
    "{get(extras)}",
    "{indent()}",
    "{word(1)}",
    "{sub(1, 2)}",
    "{strip()}",
    "{min()}",
    "{mod(1)}",
    "{fill()}",
    "{label(1)}",
    "{startswith(1)}",
    "{shortest()}",
    "{rev, node}",
    "{x=1}",
    "{pad(rev, 5, x=1)}",
    "{pad(1, 2, 3, 4, 5, 6)}",
    "{separate(sep=',')}",
    "{dict(1)}",
    "{rev|upper(1)}",
    "{upper(1, 2)}",
    "{rev.}",
    "{.rev}",
    "{rev % }",
    "{rev %}",
    "{'unterminated}",
    "{r'unterminated}",
    "{1 +}",
    "{-}",
    "{rev + 'x'}",
    "{-desc}",
    "{desc * 2}",
    "{rev|upper|foo}",
    "{files % 1}",
    "{rev.node.x}",
];

/// Invocations on a shared fixture (hg's answers cached on disk). hg's
/// command server leaks a style's templates into later commands (after
/// `log -T compact`, `log -v` stops showing bookmarks) and reads
/// `experimental.exportableenviron` once at start, so commands using a
/// style or that setting run as their own hg process (an extra environment variable
/// keeps them off the server). The leading `--config` keys this test's
/// cache entries apart from answers cached before that was known.
fn fixture(name: &str, args: &[&str]) -> Invocation {
    let mut all = vec!["--config", "qs-tests.templates=3"];
    all.extend_from_slice(args);
    let inv = Invocation::fixture(name, &all);
    let styled = args.iter().any(|a| {
        *a == "--style"
            || *a == "compact"
            || *a == "changelog"
            || a.starts_with("ui.style=")
            || a.starts_with("experimental.exportableenviron")
    });
    if styled {
        inv.env("QS_TEST_OWN_PROCESS", "1")
    } else {
        inv
    }
}

fn log_args<'a>(fixture: &str, tmpl: &'a str) -> Vec<&'a str> {
    let mut args = vec!["log", "-T", tmpl];
    if fixture == "linear" {
        args.extend(["-l", "25"]);
    }
    args
}

fn unescape_nl(t: &str) -> String {
    t.replace("\\n", "\n").replace("\\t", "\t")
}

fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    for kw in KEYWORDS {
        out.push(format!("{{{kw}}}\n"));
        out.push(format!("{{{kw}|json}}\n"));
        out.push(format!("{{if({kw}, 'Y', 'N')}}\n"));
    }
    for kw in TEXT_KEYWORDS {
        for f in TEXT_FILTERS {
            out.push(format!("{{{kw}|{f}}}\n"));
        }
    }
    for f in DATE_FILTERS {
        out.push(format!("{{date|{f}}}\n"));
    }
    for t in TEMPLATES {
        out.push(unescape_nl(t));
    }
    out
}

/// Every corpus template on every fixture (all revisions).
#[test]
fn template_corpus_matches_hg() {
    let mut c = Checker::new("template_corpus_matches_hg");
    let corpus = corpus();
    for name in common::fixture_names() {
        for t in &corpus {
            c.check(&fixture(&name, &log_args(&name, t)));
        }
    }
    c.finish();
}

/// Keywords in the `-v`, `-q` and `--debug` modes (formatnode, parents).
#[test]
fn verbosity_modes_match_hg() {
    let mut c = Checker::new("verbosity_modes_match_hg");
    for name in ["branchy", "files"] {
        for t in [
            "{rev}:{node|formatnode} {parents} {manifest} {verbosity}\n",
            "{p1}|{formatnode(node)}|{join(parents, ',')}\n",
            "{parents % '{rev} '}|{file_mods}|{file_adds}|{file_dels}\n",
        ] {
            for mode in ["-v", "-q", "--debug"] {
                c.check(&fixture(name, &["log", mode, "-T", t]));
            }
        }
    }
    c.finish();
}

/// Malformed templates give hg's errors and exit codes.
#[test]
fn template_errors_match_hg() {
    let mut c = Checker::new("template_errors_match_hg");
    for t in ERRORS {
        for name in ["branchy", "empty"] {
            c.check(&fixture(name, &["log", "-T", t]));
        }
    }
    c.finish();
}

/// `[templates]` references (with header/footer/separator parts),
/// `[templatealias]`, `[command-templates] log` and recursion.
#[test]
fn configured_templates_match_hg() {
    let mut c = Checker::new("configured_templates_match_hg");
    let cases: &[&[&str]] = &[
        &[
            "--config",
            "templates.mine={rev}:{branch}\\n",
            "log",
            "-T",
            "mine",
        ],
        &[
            "--config",
            "templates.mine=\"{rev}\\n\"",
            "log",
            "-T",
            "mine",
        ],
        &[
            "--config",
            "templates.mine={rev}\\n",
            "--config",
            "templates.mine:header=HEAD\\n",
            "--config",
            "templates.mine:footer=FOOT\\n",
            "--config",
            "templates.mine:separator=--\\n",
            "--config",
            "templates.mine:docheader=<<\\n",
            "--config",
            "templates.mine:docfooter=>>\\n",
            "log",
            "-T",
            "mine",
        ],
        &[
            "--config",
            "templates.sub={node|short}",
            "log",
            "-T",
            "{rev} {sub}\\n",
        ],
        &["--config", "templates.loop={loop}", "log", "-T", "{loop}"],
        &[
            "--config",
            "templates.a={b}",
            "--config",
            "templates.b={a}",
            "log",
            "-T",
            "{a}",
        ],
        &["--config", "templates.files=F", "log", "-T", "files"],
        &["--config", "templates.bad={rev", "log", "-T", "bad"],
        &["--config", "templatealias.r=rev", "log", "-T", "{r}\\n"],
        &[
            "--config",
            "templatealias.f(x)=x|upper",
            "log",
            "-T",
            "{f(branch)}\\n",
        ],
        &[
            "--config",
            "templatealias.f(x)=x|upper",
            "log",
            "-T",
            "{branch|f}\\n",
        ],
        &["--config", "templatealias.f(x)=x", "log", "-T", "{f()}\\n"],
        &["--config", "templatealias.bad(=x", "log", "-T", "{bad}\\n"],
        &["--config", "command-templates.log={rev}!\\n", "log"],
        &[
            "--config",
            "experimental.exportableenviron=HGPLAIN LANG,NOPE",
            "log",
            "-r",
            "0",
            "-T",
            "{envvars}|{envvars % '{key}->{value};'}|{envvars|json}\\n",
        ],
        &["log", "-r", "0", "-T", "{envvars}|{envvars|json}\\n"],
        &[
            "--config",
            "paths.zed=../x",
            "--config",
            "paths.default:pushurl=ssh://h/r",
            "log",
            "-r",
            "0",
            "-T",
            "{peerurls}|{peerurls % '{name}:{url}:{pushurl};'}|{peerurls|json}\\n",
        ],
        &[
            "--config",
            "command-templates.oneline-summary={rev}|{branch}",
            "log",
            "-T",
            "{onelinesummary}\\n",
        ],
        &[
            "--config",
            "command-templates.log='{rev}?\\n'",
            "log",
            "-r",
            "0",
        ],
        &["--config", "ui.style=compact", "log"],
        &["--config", "ui.style=nosuchstyle", "log"],
        &["log", "--style", "nosuchstyle"],
        &["log", "-T", "list"],
        &["log", "-T", "nonexistent-no-braces"],
        &["log", "-T", "default"],
        &["log", "--style", "default"],
        &["log", "-T", "compact"],
        &["log", "-T", "compact", "-v"],
        &["log", "-T", "compact", "-q"],
        &["log", "--style", "compact", "--debug"],
        &["log", "--style", "phases"],
        &["log", "--style", "phases", "-v"],
        &["log", "--style", "phases", "--debug"],
        &["log", "--style", "status"],
        &["log", "--style", "status", "-v"],
        &["log", "--style", "status", "--debug"],
        &["log", "--style", "status", "-q"],
        &["log", "-T", "changelog"],
        &["log", "-T", "changelog", "-q"],
        &["log", "--style", "xml"],
        &["log", "--style", "xml", "-v"],
        &["log", "--style", "xml", "--debug"],
        &["log", "-T", "json"],
        &["log", "-T", "json", "-v"],
        &["log", "-T", "json", "-q"],
        &["log", "-T", "json", "--debug"],
        &["log", "-T", "json", "-r", "none()"],
        &["log", "-T", "json(rev,node)"],
        &[
            "log",
            "-T",
            "json(rev, desc, date, parents, tags, bookmarks)",
            "-q",
        ],
        &["log", "-T", "json(files, extra, manifest)"],
        &["log", "-T", "json(added, removed, modified)", "-v"],
        &[
            "log",
            "-T",
            "json(phase, user, branch, graphnode, index)",
            "--debug",
        ],
        &["log", "-T", "json("],
        &["log", "-T", "json()"],
        &["log", "-T", "json(rev|upper)"],
        &["log", "-C", "-v"],
        &["log", "-C", "--debug"],
        &["log", "-C", "-T", "json", "-v"],
        &[
            "log",
            "-C",
            "-T",
            "{file_copies_switch}|{file_copies_switch % '{name}<-{source}'}\\n",
        ],
        &["log", "-T", "{file_copies_switch}\\n"],
        &["log", "-C", "--style", "status", "-v"],
        &["log", "-C", "-G", "-v"],
        &[
            "--config",
            "templates.mine={rev}\\n",
            "--config",
            "templates.mine:header=H{branch}\\n",
            "--config",
            "templates.mine:separator=--\\n",
            "--config",
            "templates.mine:footer=F\\n",
            "log",
            "-G",
            "-T",
            "mine",
        ],
        &["heads", "-T", "{rev}:{branch}\\n"],
        &["heads", "-T", "json"],
        &["heads", "--style", "compact"],
        &["parents", "-T", "{rev} {node}\\n"],
        &["parents", "-T", "compact"],
    ];
    for name in common::fixture_names() {
        if name == "linear" {
            continue;
        }
        for args in cases {
            c.check(&fixture(&name, args));
        }
    }
    c.finish();
}

/// `log -G` on every fixture: default output, compact style, templates,
/// `-r` subsets (grandparent and missing-parent edges) and limits, with
/// and without HGPLAIN.
#[test]
fn graphs_match_hg() {
    let mut c = Checker::new("graphs_match_hg");
    let cases: &[&[&str]] = &[
        &["log", "-G"],
        &["log", "-G", "-T", "compact"],
        &["log", "-G", "-q"],
        &["log", "-G", "-v"],
        &["log", "-G", "-T", "{rev} {graphwidth}\\n"],
        &["log", "-G", "-T", "{rev}\\n{desc}\\n"],
        &["log", "-G", "-T", "{rev}"],
        &["log", "-G", "-r", "0:4"],
        &["log", "-G", "-r", "tip + 0"],
        &["log", "-G", "-r", "::tip and not 2", "-T", "{rev}\\n"],
        &["log", "-G", "-r", "all() - merge()", "-T", "{rev}\\n"],
        &[
            "log",
            "-G",
            "-r",
            "heads(all()) + roots(all())",
            "-T",
            "{rev}\\n",
        ],
        &["log", "-G", "-r", "0:tip:3", "-T", "{rev}\\n"],
        &["log", "-G", "-l", "3"],
        &["log", "-G", "-T", "json"],
        &["log", "-G", "-T", "changelog"],
    ];
    for name in common::fixture_names() {
        for args in cases {
            let args: Vec<String> = args.iter().map(|a| unescape_nl(a)).collect();
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            if name == "linear" {
                args.extend(["-l", "60"]);
            }
            c.check(&fixture(&name, &args));
            c.check(&fixture(&name, &args).env("HGPLAINEXCEPT", "graph"));
        }
    }
    c.finish();
}

/// `{diffstat}`, `diff()` (with include and exclude patterns) and the
/// `bisect` style, under the configuration's diff options; not on the
/// `files` fixture, whose large file takes hg tens of seconds to diff.
#[test]
fn diffs_in_templates_match_hg() {
    let mut c = Checker::new("diffs_in_templates_match_hg");
    for name in ["branchy", "linear"] {
        for t in [
            "{rev} {diffstat}\n",
            "{diff()}",
            "{diff('src/*.c')}",
            "{diff('', 're:.*\\.c$')}|{diff('  ', '  ')|count}\n",
            "{diff(1, 2, 3)}",
            "{if(diff(), 'changed', 'empty')} {diffstat|json}\n",
        ] {
            for config in [
                &[][..],
                &["--config", "diff.git=1"],
                &["--config", "diff.unified=1"],
            ] {
                let mut args: Vec<&str> = config.to_vec();
                args.extend(["log", "-T", t]);
                if name == "linear" {
                    args.extend(["-l", "20"]);
                }
                c.check(&fixture(name, &args));
            }
        }
        c.check(&fixture(
            name,
            &["log", "-T", "json(diffstat, diff)", "-l", "8"],
        ));
        c.check(&fixture(
            name,
            &["log", "-T", "json(rev, diff)", "-g", "-l", "8"],
        ));
        c.check(&fixture(
            name,
            &[
                "log",
                "-T",
                "json(diffstat)",
                "--config",
                "diff.git=1",
                "-l",
                "8",
            ],
        ));
        c.check(&fixture(name, &["log", "--style", "bisect", "-l", "5"]));
        c.check(&fixture(
            name,
            &["log", "--style", "bisect", "-q", "-l", "5"],
        ));
        c.check(&fixture(
            name,
            &["log", "--debug", "-T", "{diff()}", "-l", "3"],
        ));
    }
    c.finish();
}

/// Template features qs does not implement yet abort with a message
/// saying so (never a guess).
#[test]
fn unsupported_template_features_abort_clearly() {
    let mut c = Checker::new("unsupported_template_features_abort_clearly");
    let cases: &[&[&str]] = &[
        &["log", "-T", "{extdata('x')}"],
        &["log", "-T", "{mailmap(author)}"],
        &["log", "-T", "{rstdoc(desc, 'html')}"],
        &["log", "-T", "{subsetparents(rev, revset('all()'))}"],
        &["log", "-T", "{revset('%ld', rev)}"],
        &["log", "-T", "{desc|cbor}"],
        &["log", "--style", "show"],
        &["log", "-T", "cbor"],
        &["log", "-T", "json(copies)"],
        &["log", "-T", "{diffstat}", "--config", "diff.merge=1"],
        &["log", "-T", "json(diff)", "src"],
        &["log", "-G", "--config", "command-templates.graphnode={rev}"],
    ];
    for args in cases {
        let inv = Invocation::fixture("branchy", args);
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

/// Paths in templates from a subdirectory: `relpath()` and the patterns
/// of `files()` are relative to the current directory.
#[test]
fn templates_from_a_subdirectory_match_hg() {
    let mut c = Checker::new("templates_from_a_subdirectory_match_hg");
    for t in [
        "{files % '{relpath(file)} '}\n",
        "{files('*')}|{files('../*.txt')}\n",
        "{relpath('src/x')} {relpath('doc/y')} {relpath('')}\n",
    ] {
        let mut args = vec!["--config", "qs-tests.templates=3", "log", "-T"];
        args.push(t);
        c.check(&Invocation::fixture_subdir("branchy", "src", &args));
    }
    c.finish();
}
