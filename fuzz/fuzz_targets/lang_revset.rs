//! Fuzz target: revsets are user input — any bytes must parse (and go
//! through alias expansion, `##` folding, analysis and optimisation) or give
//! a parse error, never panic or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qs_lang::revset;

fuzz_target!(|data: &[u8]| {
    let known = |name: &[u8]| name.contains(&b'-') && name.len() % 2 == 0;
    let Ok(tree) = revset::parse(data, Some(&known)) else {
        return;
    };
    let _ = tree.pretty();
    let aliases = revset::build_aliases(&[
        (b"h".to_vec(), b"heads(x)".to_vec()),
        (b"f($1)".to_vec(), b"$1 - h".to_vec()),
    ]);
    let Ok((tree, _)) = revset::expand_aliases(&tree, &aliases) else {
        return;
    };
    let Ok(tree) = revset::fold_concat(tree) else {
        return;
    };
    if let Ok(analyzed) = revset::analyze(&tree) {
        if let Ok(optimized) = revset::optimize(analyzed.as_ref()) {
            let _ = qs_lang::pretty(optimized.as_ref());
        }
    }
});
