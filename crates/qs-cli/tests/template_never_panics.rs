//! Templates come from users: any template text, evaluated against real
//! changesets, must render or fail with an hg-style error, never panic.
//! Random templates are assembled from the language's own pieces
//! (keywords, filters, functions, operators, quotes, braces) and rendered
//! on the `branchy` fixture (needs `QS_FIXTURES`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use qs_repo::template::{Engine, EngineOptions, Mapping};
use qs_repo::Repo;
use qs_store::Revision;

const PIECES: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "'",
    "\"",
    "\\",
    "|",
    "%",
    ".",
    ",",
    "=",
    "+",
    "-",
    "*",
    "/",
    " ",
    "\n",
    "0",
    "1",
    "-1",
    "42",
    "x",
    "rev",
    "node",
    "desc",
    "date",
    "files",
    "tags",
    "bookmarks",
    "parents",
    "p1",
    "p2",
    "extras",
    "manifest",
    "latesttag",
    "children",
    "file_copies",
    "file_adds",
    "index",
    "graphwidth",
    "upper",
    "short",
    "json",
    "count",
    "isodate",
    "age",
    "splitlines",
    "fill68",
    "hex",
    "reverse",
    "commondir",
    "user",
    "if",
    "ifeq",
    "ifcontains",
    "join",
    "pad",
    "dict",
    "get",
    "max",
    "min",
    "mod",
    "filter",
    "sub",
    "search",
    "word",
    "fill",
    "indent",
    "separate",
    "shortest",
    "revset",
    "date(",
    "localdate",
    "strip",
    "startswith",
    "label",
    "config",
    "latesttag(",
    "key",
    "value",
    "file",
    "tag",
];

fn template_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|v| v.concat())
}

fn fixture_repo() -> Repo {
    let root = std::env::var_os("QS_FIXTURES").expect(
        "QS_FIXTURES is not set: run the tests through scripts/test.sh or export QS_FIXTURES",
    );
    Repo::open(&std::path::Path::new(&root).join("branchy")).expect("open the branchy fixture")
}

fn render_everything(text: String) {
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let repo = fixture_repo();
            let aliases = [(b"f(x)".to_vec(), b"x|upper".to_vec())];
            let named = vec![(b"t".to_vec(), b"{rev}{t}".to_vec())];
            let engine = Engine::new(&repo, EngineOptions::default(), named, &aliases);
            if let Ok(expr) = engine.parse(text.as_bytes()) {
                for r in [0, 5, 15, 21] {
                    let _ = engine.render(&expr, &Mapping::for_rev(Revision(r)));
                }
                let _ = engine.render(&expr, &Mapping::vars([]));
            }
        })
        .expect("spawn")
        .join()
        .expect("rendering panicked");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_templates_never_panic(text in template_text()) {
        render_everything(text);
    }

    #[test]
    fn wrapped_expressions_never_panic(text in template_text()) {
        render_everything(format!("{{{text}}}"));
    }
}

/// Known edge cases: recursion through a named template, division by
/// zero, huge widths, empty selections.
#[test]
fn edge_cases_do_not_panic() {
    for t in [
        "{t}",
        "{rev / 0}",
        "{pad(rev, 100000)}",
        "{fill(desc, -5)}",
        "{word(-100, desc)}",
        "{shortest(node, -3)}",
        "{max(files)}{min('')}",
        "{revset('x(')}",
        "{9999999999999999999999}",
        "{-9223372036854775807 - 10}",
        "{9223372036854775807 * 9223372036854775807}",
        "{localdate(date, 99999999999)}",
        "{date(date, '%')}",
    ] {
        render_everything(t.to_string());
    }
}
