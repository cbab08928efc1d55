//! Fuzz target: chunk decompression and binary-delta application. The
//! input is a chunk (decompressed with a cap) followed by deltas; folding
//! the deltas must agree with applying them one by one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qs_store::mdiff::{apply_delta, apply_deltas};
use qs_store::revlog::decompress_chunk;

fuzz_target!(|input: &[u8]| {
    // Layout: a chunk, then deltas, separated by 0xff bytes.
    let parts: Vec<&[u8]> = input.split(|&b| b == 0xff).collect();
    let Some((first, deltas)) = parts.split_first() else {
        return;
    };
    let Ok(base) = decompress_chunk(first, 1 << 20) else {
        return;
    };
    let mut sequential: Option<Vec<u8>> = Some(base.to_vec());
    for d in deltas {
        sequential = sequential.and_then(|text| apply_delta(&text, d).ok());
    }
    let folded = apply_deltas(&base, deltas);
    if let Some(expected) = sequential {
        assert_eq!(
            folded.ok(),
            Some(expected),
            "fold disagrees with sequential application"
        );
    }
});
