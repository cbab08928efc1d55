//! Bookmarks: `.hg/bookmarks` (or `.hg/store/bookmarks` with the
//! `bookmarksinstore` requirement), one `HEX-NODE NAME` per line, and the
//! active bookmark's name in `.hg/bookmarks.current`.

use std::path::Path;

use crate::error::{StoreError, StoreResult};
use crate::node::Node;

/// The parsed bookmarks file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BookmarkFile {
    /// (name, node) in file order; a later line for a name replaces it.
    pub marks: Vec<(Vec<u8>, Node)>,
    /// Warnings to print, hg's wording (`malformed line in .hg/bookmarks: 'x'`).
    pub warnings: Vec<String>,
}

/// Reads a bookmarks file; a missing file has no bookmarks.
pub fn read(path: &Path) -> StoreResult<BookmarkFile> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(parse(&bytes, &display_path(path))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BookmarkFile::default()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// How hg names the bookmarks file in warnings.
fn display_path(path: &Path) -> String {
    let in_store = path.parent().and_then(Path::file_name) == Some("store".as_ref());
    if in_store {
        ".hg/store/bookmarks"
    } else {
        ".hg/bookmarks"
    }
    .to_string()
}

/// Parses bookmarks content: whitespace around a line is ignored; the name
/// is everything after the first space. `label` names the file in warnings.
pub fn parse(bytes: &[u8], label: &str) -> BookmarkFile {
    let mut file = BookmarkFile::default();
    for raw in bytes.split(|&b| b == b'\n') {
        let line = raw.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let parsed = line
            .iter()
            .position(|&b| b == b' ')
            .and_then(|i| Some((Node::from_hex(&line[..i])?, &line[i + 1..])));
        match parsed {
            Some((node, name)) => match file.marks.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = node,
                None => file.marks.push((name.to_vec(), node)),
            },
            None => file.warnings.push(format!(
                "malformed line in {label}: {}\n",
                crate::pyrepr::python_repr(line)
            )),
        }
    }
    file
}

/// The active bookmark named in `.hg/bookmarks.current`, if any.
pub fn read_active(dot_hg: &Path) -> StoreResult<Option<Vec<u8>>> {
    let path = dot_hg.join("bookmarks.current");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let name = bytes.split(|&b| b == b'\n').next().unwrap_or(b"");
            Ok((!name.is_empty()).then(|| name.to_vec()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_warns() {
        let n = "ab".repeat(20);
        let text = format!("{n} one\ngarbage\n{n}  two\n\n");
        let file = parse(text.as_bytes(), ".hg/bookmarks");
        assert_eq!(file.marks.len(), 2);
        assert_eq!(file.marks[1].0, b" two");
        assert_eq!(
            file.warnings,
            vec!["malformed line in .hg/bookmarks: 'garbage'\n"]
        );
    }
}
