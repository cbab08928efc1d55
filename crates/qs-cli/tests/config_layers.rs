//! Configuration layering against the real hg: HGRCPATH files and
//! directories, `%include`, `%unset`, continuation lines, parse errors,
//! `--config`, and the repository's `.hg/hgrc` — `qs config` must print
//! what `hg config` prints, with and without `--debug`.

mod common;

use common::{check, Invocation};

fn write(path: &std::path::Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write rc file");
}

fn assert_same(inv: &Invocation) {
    if let Err(report) = check(inv) {
        panic!("{report}");
    }
}

#[test]
fn hgrcpath_files_dirs_include_unset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path();
    write(&base.join("rc.d/b.rc"), "[x]\nfrom_b = 2\n");
    write(&base.join("rc.d/a.rc"), "[x]\nfrom_a = 1\nshared = a\n");
    write(&base.join("rc.d/ignored.txt"), "[x]\nnot = read\n");
    write(&base.join("inc/extra.rc"), "[y]\nincluded = yes\n");
    write(
        &base.join("main.rc"),
        "# comment\n[x]\nshared = main\nmulti = one\n  two\n\n; another comment\n%include inc/extra.rc\n%include missing.rc\n[z]\nk = v\n%unset k\nkept=  spaced value  \n",
    );
    let rcpath = format!(
        "{}:{}",
        base.join("rc.d").display(),
        base.join("main.rc").display()
    );
    for args in [
        &["config"][..],
        &["config", "--debug"],
        &["config", "x"],
        &["config", "x.multi"],
        &["config", "z.k"],
        &["--config", "x.shared=cli", "config", "--debug", "x"],
        &["-v", "config", "ui"],
    ] {
        assert_same(&Invocation::new(base, args).env("HGRCPATH", &rcpath));
    }
}

#[test]
fn parse_errors_are_reported_like_hg() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [
        ("leading.rc", "[x]\n k=v\n"),
        ("section.rc", "[x\n"),
        ("garbage.rc", "just words\n"),
    ] {
        let rc = dir.path().join(name);
        write(&rc, text);
        assert_same(&Invocation::new(dir.path(), &["config"]).env("HGRCPATH", &rc));
    }
}
