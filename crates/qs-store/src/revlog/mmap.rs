//! Memory maps of revlog files: the one place in qs-store that needs
//! `unsafe`, kept to a single function.
#![allow(unsafe_code)]

use std::fs::File;
use std::io;

/// Maps `file` read-only.
pub fn map(file: &File) -> io::Result<memmap2::Mmap> {
    // SAFETY: a mapped file must not change under us. Revlog files are
    // append-only: writers (hg, qs) only append past the end we mapped, and
    // a reader's snapshot never looks beyond the length it saw at open, so
    // the mapped bytes are never modified in place. The exception is
    // truncation by `strip`/`rollback`/`recover`, which run under the store
    // lock; a reader racing with one may see SIGBUS, exactly as hg's own
    // mmap-based index readers can. We never create `&mut` views of the map.
    unsafe { memmap2::Mmap::map(file) }
}
