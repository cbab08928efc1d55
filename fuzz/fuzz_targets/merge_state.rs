//! Fuzz target: bytes of a `.hg/merge/state2` file must parse or be
//! rejected with an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qs_repo::merge::state::MergeState;

fuzz_target!(|data: &[u8]| {
    let _ = MergeState::parse(data);
});
