//! Fuzz target: a dirstate-v2 docket and data file (the input split at its
//! first byte's value) must parse or be rejected without panicking; a
//! parsed tree must serialise and re-parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qs_dirstate::v2::Docket;
use qs_dirstate::v2_tree;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let split = usize::from(split).min(rest.len());
    let (docket_bytes, tree) = rest.split_at(split);
    let docket = match Docket::parse(docket_bytes) {
        Ok(d) => d,
        Err(_) => {
            // Still exercise the tree parser with a metadata block from
            // the input.
            let mut d = Docket::parse(&[]).expect("empty docket");
            if let Ok(meta) = qs_dirstate::v2::TreeMetadata::parse(docket_bytes) {
                d.tree_metadata = meta;
            }
            d.data_size = tree.len() as u32;
            d
        }
    };
    if let Ok(parsed) = v2_tree::parse(&docket, tree) {
        if let Ok((bytes, meta)) = v2_tree::serialize_tree(&parsed.map, 0) {
            let d = Docket {
                parents: docket.parents,
                tree_metadata: meta,
                data_size: bytes.len() as u32,
                uuid: None,
            };
            let again = v2_tree::parse(&d, &bytes).expect("our own output parses");
            assert_eq!(again.map.len(), parsed.map.len());
        }
    }
});
