//! Fuzz target: arbitrary bytes as a revlog index, inline or split (with
//! the input's tail as the data file). Every accessor must return a value
//! or a `StoreError`, never panic or allocate without bound.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use qs_store::node::NodePrefix;
use qs_store::revlog::Revlog;
use qs_store::Revision;

fuzz_target!(|input: &[u8]| {
    let Some((&split, rest)) = input.split_first() else {
        return;
    };
    // The first byte says how much of the rest is the index (the remainder
    // is the data file); 0 means "all of it, no data file".
    let (index, data) = if split == 0 {
        (rest.to_vec(), None)
    } else {
        let at = (usize::from(split) * 64).min(rest.len());
        (rest[..at].to_vec(), Some(rest[at..].to_vec()))
    };
    let Ok(revlog) = Revlog::from_bytes(Path::new("fuzz.i"), index, data) else {
        return;
    };
    let len = revlog.len() as i32;
    for r in -1..=len {
        let rev = Revision(r);
        let _ = revlog.entry(rev);
        let _ = revlog.parents(rev);
        let _ = revlog.link_rev(rev);
        let _ = revlog.delta_chain(rev);
        let _ = revlog.data(rev);
        if let Ok(node) = revlog.node(rev) {
            let _ = revlog.rev_of_node(&node);
            let _ = revlog.shortest_unique_prefix(&node, 1);
            if let Some(prefix) = NodePrefix::from_hex(&node.hex().as_bytes()[..3]) {
                let _ = revlog.rev_of_prefix(&prefix);
            }
        }
    }
});
