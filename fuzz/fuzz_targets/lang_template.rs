//! Fuzz target: templates are user input — any bytes must parse (and go
//! through alias expansion) or give a parse error, never panic or overflow
//! the stack; likewise lone template expressions and filesets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qs_lang::{fileset, template};

fuzz_target!(|data: &[u8]| {
    if let Ok(tree) = template::parse(data) {
        let _ = tree.pretty();
        let aliases = template::build_aliases(&[
            (b"r".to_vec(), b"rev".to_vec()),
            (b"w($1)".to_vec(), b"\"[{$1}]\"".to_vec()),
        ]);
        let _ = template::expand_aliases(&tree, &aliases);
    }
    let _ = template::parse_expr(data);
    let _ = fileset::parse(data);
});
