//! The output of `hg config [NAME]...`: `section.name=value` lines (values'
//! newlines shown as `\n`), prefixed with their origin under `--debug`; a
//! single `section.name` prints just the value. Exit code 1 when nothing
//! matched.

use crate::config::Config;

/// Renders `hg config` for the given names; returns (output, exit code).
pub fn render_config(config: &Config, names: &[String], debug: bool) -> (Vec<u8>, i32) {
    let sections: Vec<&str> = names
        .iter()
        .filter(|n| !n.contains('.'))
        .map(String::as_str)
        .collect();
    let entries: Vec<&str> = names
        .iter()
        .filter(|n| n.contains('.'))
        .map(String::as_str)
        .collect();
    let unique = names.len() == 1 && names[0].contains('.');
    let mut out = Vec::new();
    let mut matched = false;
    for (section, items) in config.sections() {
        for item in items {
            let mut entry = section.to_vec();
            entry.push(b'.');
            entry.extend_from_slice(&item.name);
            if !names.is_empty()
                && !sections.iter().any(|s| s.as_bytes() == section)
                && !entries.iter().any(|e| e.as_bytes() == entry.as_slice())
            {
                continue;
            }
            matched = true;
            if debug {
                out.extend_from_slice(item.origin.as_bytes());
                out.extend_from_slice(b": ");
            }
            let value = escape_newlines(&item.value);
            if unique {
                out.extend_from_slice(&value);
            } else {
                out.extend_from_slice(&entry);
                out.push(b'=');
                out.extend_from_slice(&value);
            }
            out.push(b'\n');
        }
    }
    (out, if matched { 0 } else { 1 })
}

fn escape_newlines(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    for &b in value {
        if b == b'\n' {
            out.extend_from_slice(b"\\n");
        } else {
            out.push(b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_hg() {
        let mut c = Config::default();
        c.set(b"ui", b"username", b"me".to_vec(), "f:1".into());
        c.set(b"a", b"multi", b"x\ny".to_vec(), "f:3".into());
        let (out, code) = render_config(&c, &[], false);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "a.multi=x\\ny\nui.username=me\n"
        );
        assert_eq!(code, 0);
        let (out, _) = render_config(&c, &["ui.username".into()], true);
        assert_eq!(String::from_utf8_lossy(&out), "f:1: me\n");
        assert_eq!(render_config(&c, &["nosuch".into()], false).1, 1);
    }
}
