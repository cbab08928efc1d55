//! Filelog revision texts: file content, optionally preceded by a metadata
//! block (`\x01\n` key: value lines `\x01\n`) that records copies
//! (`copy`, `copyrev`) or censorship.

const MARKER: &[u8] = b"\x01\n";

/// Metadata keys and values of a filelog text, in stored order.
pub type Metadata = Vec<(Vec<u8>, Vec<u8>)>;

/// Splits a stored text into its metadata (if any) and the offset where
/// the file content starts.
pub fn parse_metadata(text: &[u8]) -> (Option<Metadata>, usize) {
    if !text.starts_with(MARKER) {
        return (None, 0);
    }
    let Some(end) = text[2..].windows(2).position(|w| w == MARKER) else {
        return (None, 0);
    };
    let block = &text[2..2 + end];
    let mut meta = Vec::new();
    for line in block.split(|&b| b == b'\n') {
        if let Some(i) = find(line, b": ") {
            meta.push((line[..i].to_vec(), line[i + 2..].to_vec()));
        }
    }
    (Some(meta), 2 + end + 2)
}

/// The file content of a stored text (metadata removed).
pub fn strip_metadata(mut text: Vec<u8>) -> Vec<u8> {
    let (_, start) = parse_metadata(&text);
    text.drain(..start);
    text
}

/// The copy source (path, hex filenode) recorded in the metadata.
pub fn copy_source(text: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (meta, _) = parse_metadata(text);
    let meta = meta?;
    let get = |key: &[u8]| meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    Some((get(b"copy")?, get(b"copyrev")?))
}

/// True when content must be stored with a metadata block so that it is
/// not mistaken for one (it starts with the marker itself).
pub fn needs_metadata_escape(content: &[u8]) -> bool {
    content.starts_with(MARKER)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_copy_metadata() {
        let text = b"\x01\ncopy: a\ncopyrev: 0123\n\x01\nhello".to_vec();
        assert_eq!(copy_source(&text), Some((b"a".to_vec(), b"0123".to_vec())));
        assert_eq!(strip_metadata(text), b"hello");
        assert_eq!(strip_metadata(b"plain".to_vec()), b"plain");
        assert_eq!(strip_metadata(b"\x01\n\x01\n\x01\nx".to_vec()), b"\x01\nx");
    }
}
