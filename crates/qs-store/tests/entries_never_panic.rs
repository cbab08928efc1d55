//! Random bytes thrown at every parser of revision texts and small store
//! files: each must return a value or an error, never panic. (The same
//! parsers have a cargo-fuzz target, `fuzz/fuzz_targets/store_entries.rs`.)

use proptest::prelude::*;
use qs_store::{bookmarks, changelog::ChangelogEntry, filelog, manifest::Manifest, phases, tags};

fn exercise(data: &[u8]) {
    if let Ok(entry) = ChangelogEntry::parse(data) {
        let _ = entry.extra();
        let _ = entry.files().count();
        let _ = entry.branch();
    }
    if let Ok(m) = Manifest::parse(data.to_vec()) {
        for (path, _, _) in m.iter() {
            let _ = m.get(path);
        }
        let _ = m.diff(&Manifest::empty());
    }
    let _ = filelog::parse_metadata(data);
    let _ = filelog::copy_source(data);
    let _ = tags::parse(data, "test");
    let _ = bookmarks::parse(data, ".hg/bookmarks");
    let _ = phases::parse_roots(data);
}

/// Bytes biased towards the characters these formats are made of.
fn structured_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            Just(b'\n'),
            Just(0u8),
            Just(b' '),
            Just(b':'),
            Just(b'\\'),
            Just(1u8),
            b'0'..=b'9',
            b'a'..=b'f',
            any::<u8>(),
        ],
        0..400,
    )
}

proptest! {
    #[test]
    fn random_bytes(data in prop::collection::vec(any::<u8>(), 0..300)) {
        exercise(&data);
    }

    #[test]
    fn structured_garbage(data in structured_bytes()) {
        exercise(&data);
    }

    #[test]
    fn mutated_valid_changelog_entry(pos in 0usize..120, byte in any::<u8>()) {
        let mut text = b"0123456789abcdef0123456789abcdef01234567\nuser <u@x>\n12 -60 branch:b\0close:1\na\nb/c\n\ndescription".to_vec();
        let at = pos % text.len();
        text[at] = byte;
        exercise(&text);
    }
}
