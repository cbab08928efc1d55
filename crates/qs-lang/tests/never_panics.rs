//! Revsets, templates and filesets come from users: any bytes must parse or
//! give a `ParseError`, never a panic, and absurd nesting is an error, not a
//! stack overflow.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use qs_lang::{fileset, pratt, revset, template};

/// Parsing at the maximum depth needs a few megabytes of stack in debug
/// builds; the main thread has 8 MB, test threads only 2 MB.
fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

fn run_all(data: &[u8]) {
    let known = |name: &[u8]| name == b"a-b";
    if let Ok(tree) = revset::parse(data, Some(&known)) {
        let aliases = revset::build_aliases(&[(b"h".to_vec(), b"heads(x)".to_vec())]);
        if let Ok((tree, _)) = revset::expand_aliases(&tree, &aliases) {
            if let Ok(tree) = revset::fold_concat(tree) {
                if let Ok(tree) = revset::analyze(&tree) {
                    let _ = revset::optimize(tree.as_ref());
                }
            }
        }
        let _ = tree.pretty();
    }
    if let Ok(tree) = template::parse(data) {
        let aliases = template::build_aliases(&[(b"f(x)".to_vec(), b"x|upper".to_vec())]);
        let _ = template::expand_aliases(&tree, &aliases);
        let _ = tree.pretty();
    }
    let _ = template::parse_expr(data);
    let _ = fileset::parse(data);
}

fn language_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            Just(b'('),
            Just(b')'),
            Just(b'{'),
            Just(b'}'),
            Just(b'\''),
            Just(b'"'),
            Just(b'\\'),
            Just(b':'),
            Just(b'-'),
            Just(b'^'),
            Just(b'#'),
            Just(b'['),
            Just(b']'),
            Just(b'|'),
            Just(b'%'),
            Just(b','),
            Just(b'='),
            Just(b'r'),
            Just(b'x'),
            Just(b' '),
            b'a'..=b'z',
            any::<u8>(),
        ],
        0..200,
    )
}

proptest! {
    #[test]
    fn any_bytes_parse_or_fail_cleanly(data in language_like()) {
        run_all(&data);
    }

    #[test]
    fn random_bytes_parse_or_fail_cleanly(data in prop::collection::vec(any::<u8>(), 0..100)) {
        run_all(&data);
    }
}

#[test]
fn deep_nesting_is_an_error() {
    with_big_stack(|| {
        for open in ["(", "not ", "-", "::", "f(", "!"] {
            let expr = open.repeat(100_000);
            let err = revset::parse(expr.as_bytes(), None).unwrap_err();
            assert_eq!(err.message, pratt::TOO_DEEP.as_bytes(), "{open}");
        }
        for chain in ["a-", "a and ", "a^", "a:", "a##"] {
            let expr = format!("{}a", chain.repeat(100_000));
            let err = revset::parse(expr.as_bytes(), None).unwrap_err();
            assert_eq!(err.message, pratt::TOO_DEEP.as_bytes(), "{chain}");
        }
        let err = template::parse(format!("{{{}", "(".repeat(100_000)).as_bytes()).unwrap_err();
        assert_eq!(err.message, pratt::TOO_DEEP.as_bytes());
        let err = template::parse("{\"".repeat(100_000).as_bytes()).unwrap_err();
        assert_eq!(err.message, pratt::TOO_DEEP.as_bytes());
        let err = fileset::parse("(".repeat(100_000).as_bytes()).unwrap_err();
        assert_eq!(err.message, pratt::TOO_DEEP.as_bytes());
    });
}

#[test]
fn long_flat_chains_are_fine() {
    with_big_stack(|| {
        let expr = vec!["a"; 50_000].join(" or ");
        let tree = revset::parse(expr.as_bytes(), None).unwrap();
        let analyzed = revset::analyze(&tree).unwrap();
        let optimized = revset::optimize(analyzed.as_ref()).unwrap();
        assert!(optimized.is_some());
        let expr = vec!["a"; 50_000].join(", ");
        assert!(revset::parse(format!("f({expr})").as_bytes(), None).is_ok());
    });
}

/// hg accepts about 495 nested groups (Python's recursion limit); so do we,
/// and every stage copes, within the 8 MB of a main thread.
#[test]
fn nesting_hg_accepts_is_accepted() {
    let result = std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(|| {
            let expr = format!("{}1{}", "(not ".repeat(240), ")".repeat(240));
            let tree = revset::parse(expr.as_bytes(), None).unwrap();
            let tree = revset::fold_concat(tree).unwrap();
            let analyzed = revset::analyze(&tree).unwrap();
            let optimized = revset::optimize(analyzed.as_ref()).unwrap();
            qs_lang::pretty(optimized.as_ref()).len()
        })
        .expect("spawn")
        .join();
    assert!(result.is_ok());
}
