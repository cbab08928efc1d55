//! Checks on new names for branches, bookmarks and tags (hg's
//! `scmutil.checknewlabel`): reserved words, forbidden characters,
//! integers, surrounding whitespace.

use crate::error::{RepoError, RepoResult};

/// Refuses `name` as a new label as hg does, with hg's messages.
pub fn check_new_label(name: &[u8]) -> RepoResult<()> {
    if matches!(name, b"tip" | b"." | b"null") {
        return Err(RepoError::Message(format!(
            "the name '{}' is reserved",
            String::from_utf8_lossy(name)
        )));
    }
    for (c, shown) in [
        (b':', "':'"),
        (0u8, "'\\x00'"),
        (b'\n', "'\\n'"),
        (b'\r', "'\\r'"),
    ] {
        if name.contains(&c) {
            return Err(RepoError::Message(format!(
                "{shown} cannot be used in a name"
            )));
        }
    }
    if looks_like_integer(name) {
        return Err(RepoError::Message("cannot use an integer as a name".into()));
    }
    if python_strip(name) != name {
        return Err(RepoError::Message(format!(
            "leading or trailing whitespace in name b{}",
            qs_store::pyrepr::python_repr(name)
        )));
    }
    Ok(())
}

/// Python's `bytes.strip()` (ASCII whitespace, vertical tab and form feed
/// included).
pub fn python_strip(text: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = text.iter().position(|b| !ws(b)).unwrap_or(text.len());
    let end = text.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    &text[start..end.max(start)]
}

/// Python's `int(name)` succeeding without an underscore: optional
/// surrounding whitespace, an optional sign, then decimal digits.
fn looks_like_integer(name: &[u8]) -> bool {
    let t = python_strip(name);
    let digits = t
        .strip_prefix(b"+")
        .or_else(|| t.strip_prefix(b"-"))
        .unwrap_or(t);
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_hg_refuses() {
        assert!(check_new_label(b"tip").is_err());
        assert!(check_new_label(b"a:b").is_err());
        assert!(check_new_label(b" 12").is_err());
        assert!(check_new_label(b"+5").is_err());
        assert!(check_new_label(b"1_0").is_ok());
        assert!(check_new_label(b"a\tb").is_ok());
        assert!(check_new_label(b"x ").is_err());
    }
}
