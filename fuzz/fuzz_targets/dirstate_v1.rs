//! Fuzz target: dirstate-v1 bytes must parse or be rejected without
//! panicking, and whatever parses must serialise and re-parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qs_dirstate::v1;

fuzz_target!(|data: &[u8]| {
    if let Ok(map) = v1::parse(data) {
        if let Ok(bytes) = v1::serialize(&map) {
            let again = v1::parse(&bytes).expect("our own output parses");
            assert_eq!(again.len(), map.len());
        }
    }
});
