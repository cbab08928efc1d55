//! Differential tests: qs-lang parses revsets, templates and filesets into
//! the same trees as the pinned Mercurial (every stage of `hg debugrevspec`,
//! `hg debugtemplate -v`), and rejects the same inputs with the same
//! messages, offsets and hints. hg is found through `QS_HG` only; its own
//! Python runs `hg_helper.py` once per batch of expressions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use qs_lang::error::AliasError;
use qs_lang::{fileset, pretty, revset, template, ParseError};

fn hg() -> PathBuf {
    match std::env::var_os("QS_HG") {
        Some(path) => PathBuf::from(path),
        None => panic!(
            "QS_HG is not set: these tests compare with the pinned Mercurial; \
             run them through scripts/test.sh or export QS_HG=/path/to/.venv/bin/hg"
        ),
    }
}

fn hg_python() -> PathBuf {
    let hg = hg();
    let dir = hg.parent().expect("QS_HG has a directory");
    for name in ["python", "python3"] {
        let candidate = dir.join(name);
        if candidate.exists() {
            return candidate;
        }
    }
    panic!("no python next to QS_HG ({})", hg.display());
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("hex from helper"))
        .collect()
}

/// Runs hg's parser on every (mode, expression) pair in one process.
fn hg_reports(inputs: &[(char, Vec<u8>)]) -> Vec<Vec<u8>> {
    let helper = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hg_helper.py");
    let home = std::env::temp_dir().join(format!("qs-lang-hg-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let mut child = Command::new(hg_python())
        .arg(helper)
        .env_clear()
        .env("HGPLAIN", "1")
        .env("HGRCPATH", "")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("HOME", &home)
        .env("PYTHONWARNINGS", "ignore")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run hg's python");
    let mut stdin = child.stdin.take().unwrap();
    let payload: String = inputs
        .iter()
        .map(|(mode, expr)| format!("{mode} {}\n", hex(expr)))
        .collect();
    let writer = std::thread::spawn(move || {
        stdin.write_all(payload.as_bytes()).unwrap();
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(output.status.success(), "hg helper failed");
    let text = String::from_utf8(output.stdout).unwrap();
    let reports: Vec<Vec<u8>> = text.lines().map(unhex).collect();
    assert_eq!(reports.len(), inputs.len(), "one report per expression");
    reports
}

fn error_report(err: &ParseError) -> Vec<u8> {
    let mut out = b"error: ".to_vec();
    out.extend_from_slice(&err.render());
    out
}

fn alias_error_report(err: &AliasError) -> Vec<u8> {
    match err {
        AliasError::Parse(err) => error_report(err),
        AliasError::BadAlias(message) => {
            let mut out = b"abort: ".to_vec();
            out.extend_from_slice(message);
            out
        }
    }
}

fn stage(name: &str, tree: Option<&qs_lang::Tree>) -> Vec<u8> {
    let mut out = format!("{name}:\n").into_bytes();
    out.extend_from_slice(&pretty(tree));
    out
}

fn pairs(items: &[(&str, &str)]) -> Vec<(Vec<u8>, Vec<u8>)> {
    items
        .iter()
        .map(|(a, b)| (a.as_bytes().to_vec(), b.as_bytes().to_vec()))
        .collect()
}

fn revset_report(expr: &[u8]) -> Vec<u8> {
    let known = |name: &[u8]| corpus::KNOWN.iter().any(|k| k.as_bytes() == name);
    let tree = match revset::parse(expr, Some(&known)) {
        Ok(tree) => tree,
        Err(err) => return error_report(&err),
    };
    let mut parts = vec![stage("parsed", Some(&tree))];
    let aliases = revset::build_aliases(&pairs(corpus::REVSET_ALIASES));
    let run = |parts: &mut Vec<Vec<u8>>| -> Result<(), Vec<u8>> {
        let (tree, warnings) =
            revset::expand_aliases(&tree, &aliases).map_err(|e| alias_error_report(&e))?;
        parts.push(stage("expanded", Some(&tree)));
        parts.push(warnings.concat());
        let tree = revset::fold_concat(tree).map_err(|e| error_report(&e))?;
        parts.push(stage("concatenated", Some(&tree)));
        let tree = revset::analyze(&tree).map_err(|e| error_report(&e))?;
        parts.push(stage("analyzed", tree.as_ref()));
        let tree = revset::optimize(tree.as_ref()).map_err(|e| error_report(&e))?;
        parts.push(stage("optimized", tree.as_ref()));
        Ok(())
    };
    if let Err(err) = run(&mut parts) {
        parts.push(err);
    }
    parts.join(&b'\n')
}

fn template_report(tmpl: &[u8]) -> Vec<u8> {
    let tree = match template::parse(tmpl) {
        Ok(tree) => tree,
        Err(err) => return error_report(&err),
    };
    let mut parts = vec![stage("parsed", Some(&tree))];
    let aliases = template::build_aliases(&pairs(corpus::TEMPLATE_ALIASES));
    match template::expand_aliases(&tree, &aliases) {
        Ok(tree) => parts.push(stage("expanded", Some(&tree))),
        Err(err) => parts.push(alias_error_report(&err)),
    }
    parts.join(&b'\n')
}

fn fileset_report(expr: &[u8]) -> Vec<u8> {
    match fileset::parse(expr) {
        Ok(tree) => stage("parsed", Some(&tree)),
        Err(err) => error_report(&err),
    }
}

fn ours(mode: char, expr: &[u8]) -> Vec<u8> {
    match mode {
        'R' => revset_report(expr),
        'T' => template_report(expr),
        _ => fileset_report(expr),
    }
}

/// Compares all inputs, printing every difference before failing.
fn compare(inputs: Vec<(char, Vec<u8>)>) {
    let expected = hg_reports(&inputs);
    let mut failures = 0;
    for ((mode, expr), want) in inputs.iter().zip(&expected) {
        let got = ours(*mode, expr);
        if want.starts_with(b"crash: ") {
            // hg itself fails with a Python exception (e.g. its optimiser
            // indexing the matches of a pattern that the symbol `_`, its own
            // placeholder, matched verbatim): nothing to be identical to.
            eprintln!(
                "hg crashed on {mode} {:?}: {}",
                String::from_utf8_lossy(expr),
                String::from_utf8_lossy(want)
            );
            continue;
        }
        if &got != want {
            failures += 1;
            if failures <= 30 {
                eprintln!(
                    "=== {mode} {:?}\n--- hg:\n{}\n--- qs:\n{}\n",
                    String::from_utf8_lossy(expr),
                    String::from_utf8_lossy(want),
                    String::from_utf8_lossy(&got)
                );
            }
        }
    }
    assert_eq!(
        failures,
        0,
        "{failures} of {} expressions differ from hg",
        inputs.len()
    );
}

#[test]
fn revset_corpus_matches_hg() {
    compare(
        corpus::REVSETS
            .iter()
            .map(|e| ('R', e.as_bytes().to_vec()))
            .collect(),
    );
}

#[test]
fn random_revsets_match_hg() {
    compare(
        corpus::random_revsets(0x5eed, 1500)
            .into_iter()
            .map(|e| ('R', e))
            .collect(),
    );
}

#[test]
fn template_corpus_matches_hg() {
    compare(
        corpus::TEMPLATES
            .iter()
            .map(|e| ('T', e.as_bytes().to_vec()))
            .collect(),
    );
}

#[test]
fn random_templates_match_hg() {
    compare(
        corpus::random_templates(0xfeed, 1500)
            .into_iter()
            .map(|e| ('T', e))
            .collect(),
    );
}

#[test]
fn fileset_corpus_matches_hg() {
    let mut inputs: Vec<(char, Vec<u8>)> = corpus::FILESETS
        .iter()
        .map(|e| ('F', e.as_bytes().to_vec()))
        .collect();
    inputs.extend(
        corpus::random_filesets(0xf11e, 500)
            .into_iter()
            .map(|e| ('F', e)),
    );
    compare(inputs);
}

/// The real command line, in an empty repository: `hg debugrevspec -p all`
/// and `hg debugtemplate -v` print the trees we print.
#[test]
fn cli_prints_the_same_trees() {
    let dir = std::env::temp_dir().join(format!("qs-lang-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        Command::new(hg())
            .args(args)
            .current_dir(&dir)
            .env_clear()
            .env("HGPLAIN", "1")
            .env("HGRCPATH", "")
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .env("HOME", &dir)
            .output()
            .unwrap()
    };
    assert!(run(&["init", "repo"]).status.success());
    let repo = dir.join("repo");
    let repo = repo.to_str().unwrap();
    for expr in [
        "::tip - ::null",
        "draft() and ::tip",
        "not public()",
        "tip^ or tip~2 or (1 + 2 + 3)",
        "x#generations[1:2]",
        "sort(all(), -rev)",
        "heads(commonancestors(tip))",
        "'a' ## b ## \"c\"",
    ] {
        let output = run(&[
            "-R",
            repo,
            "debugrevspec",
            "-p",
            "all",
            "--no-show-revs",
            expr,
        ]);
        let tree = revset::parse(expr.as_bytes(), None).unwrap();
        let mut want = Vec::new();
        let concat = revset::fold_concat(tree.clone()).unwrap();
        let analyzed = revset::analyze(&concat).unwrap();
        let optimized = revset::optimize(analyzed.as_ref()).unwrap();
        for (name, t) in [
            ("parsed", Some(&tree)),
            ("expanded", Some(&tree)),
            ("concatenated", Some(&concat)),
            ("analyzed", analyzed.as_ref()),
            ("optimized", optimized.as_ref()),
        ] {
            want.extend_from_slice(format!("* {name}:\n").as_bytes());
            want.extend_from_slice(&pretty(t));
            want.push(b'\n');
        }
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&want),
            "debugrevspec {expr}"
        );
    }
    for tmpl in [
        "{rev}:{node|short}\\n",
        "{if(x, \"a{b}\", 'c')}",
        "{x % '{y}'}{-1 + 2 * 3}",
    ] {
        let output = run(&["-R", repo, "debugtemplate", "-v", tmpl]);
        let mut want = template::parse(tmpl.as_bytes()).unwrap().pretty();
        want.push(b'\n');
        assert!(
            output.stdout.starts_with(&want),
            "debugtemplate {tmpl}: hg printed\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    for (expr, stderr) in [
        (
            "x(",
            "hg: parse error at 2: not a prefix: end\n(x(\n   ^ here)\n",
        ),
        (
            "foo bar",
            "hg: parse error at 4: invalid token\n(foo bar\n     ^ here)\n",
        ),
    ] {
        let output = run(&["-R", repo, "log", "-r", expr]);
        let err = revset::parse(expr.as_bytes(), None).unwrap_err();
        assert_eq!(String::from_utf8_lossy(&output.stderr), stderr);
        assert_eq!(String::from_utf8_lossy(&err.render()), stderr);
    }
    let output = run(&["-R", repo, "debugtemplate", "{x"]);
    let err = template::parse(b"{x").unwrap_err();
    assert_eq!(output.stderr, err.render());
    let _ = std::fs::remove_dir_all(&dir);
}
