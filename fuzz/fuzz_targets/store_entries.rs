//! Fuzz target: the parsers of revision texts and small store files —
//! changelog entries, manifests, filelog metadata, tag files, bookmarks and
//! phase roots — must reject or accept any bytes without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qs_store::{bookmarks, changelog::ChangelogEntry, filelog, manifest::Manifest, phases, tags};

fuzz_target!(|data: &[u8]| {
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
    let _ = tags::parse(data, "fuzz");
    let _ = bookmarks::parse(data, ".hg/bookmarks");
    let _ = phases::parse_roots(data);
});
