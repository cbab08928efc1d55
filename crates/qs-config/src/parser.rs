//! The hgrc syntax: `[section]` headers, `name = value` items (indented
//! lines continue the previous value), `#`/`;` comments, `%include FILE`
//! and `%unset NAME`. Errors carry `file:line`, as hg reports them.

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};
use crate::sources::Environment;

/// Reads `path` into `config` (missing files are ignored, as hg does for
/// `%include` and optional rc files).
pub fn read_file(config: &mut Config, path: &Path, env: &Environment) -> Result<(), ConfigError> {
    read_at_depth(config, path, env, 0)
}

/// Reads one rc file, `depth` levels of `%include` deep.
fn read_at_depth(
    config: &mut Config,
    path: &Path,
    env: &Environment,
    depth: usize,
) -> Result<(), ConfigError> {
    match std::fs::read(path) {
        Ok(bytes) => parse_into(
            config,
            &bytes,
            &path.display().to_string(),
            path.parent(),
            env,
            depth,
        ),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| !is_space(b)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

/// Parses hgrc `data` (named `source` in origins) into `config`.
pub fn parse_into(
    config: &mut Config,
    data: &[u8],
    source: &str,
    base_dir: Option<&Path>,
    env: &Environment,
    depth: usize,
) -> Result<(), ConfigError> {
    let mut section: Vec<u8> = Vec::new();
    let mut item: Option<Vec<u8>> = None;
    for (index, raw_line) in split_lines_keep(data).enumerate() {
        let line_number = index + 1;
        let mut line = raw_line;
        if index == 0 {
            line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        }
        let origin = format!("{source}:{line_number}");
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if let Some(name) = item.clone() {
            if content.starts_with(b"#") || content.starts_with(b";") {
                continue;
            }
            if content.first().is_some_and(|&b| is_space(b)) && !trim(content).is_empty() {
                let previous = config.get(&section, &name).unwrap_or_default();
                let mut value = previous;
                value.push(b'\n');
                value.extend_from_slice(trim(content));
                config.set(&section, &name, value, origin);
                continue;
            }
            item = None;
        }
        if let Some(rest) = content.strip_prefix(b"%include") {
            if rest.first().is_some_and(|&b| is_space(b)) && !trim(rest).is_empty() {
                let target = env.expand(&String::from_utf8_lossy(trim(rest)));
                let mut path = PathBuf::from(target);
                if path.is_relative() {
                    if let Some(dir) = base_dir {
                        path = dir.join(path);
                    }
                }
                if depth < 32 {
                    read_at_depth(config, &path, env, depth + 1)?;
                }
                continue;
            }
        }
        if content.is_empty()
            || content.starts_with(b";")
            || content.starts_with(b"#")
            || trim(content).is_empty()
        {
            continue;
        }
        if content.starts_with(b"[") {
            if let Some(end) = content[1..].iter().position(|&b| b == b']') {
                let name = &content[1..1 + end];
                if !name.is_empty() && !name.contains(&b'[') {
                    section = name.to_vec();
                    config.ensure_section(&section);
                    continue;
                }
            }
        }
        if let Some((key, value)) = parse_item(content) {
            config.set(&section, &key, value, origin);
            item = Some(key);
            continue;
        }
        if let Some(rest) = content.strip_prefix(b"%unset") {
            let name = trim(rest);
            if rest.first().is_some_and(|&b| is_space(b)) && !name.is_empty() {
                let name: Vec<u8> = name.split(|&b| is_space(b)).next().unwrap_or(b"").to_vec();
                config.unset(&section, &name);
                continue;
            }
        }
        let shown = String::from_utf8_lossy(trim_end(content)).into_owned();
        let message = if content.starts_with(b" ") {
            format!("unexpected leading whitespace: {shown}")
        } else {
            shown
        };
        return Err(ConfigError::Parse {
            location: origin,
            message,
        });
    }
    Ok(())
}

fn trim_end(s: &[u8]) -> &[u8] {
    let end = s.iter().rposition(|&b| !is_space(b)).map_or(0, |i| i + 1);
    &s[..end]
}

/// `name = value`: the name does not start with `=` or whitespace; spaces
/// around `=` and at the end of the value are dropped.
fn parse_item(line: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let first = *line.first()?;
    if first == b'=' || is_space(first) {
        return None;
    }
    let eq = line.iter().position(|&b| b == b'=')?;
    let key = trim_end(&line[..eq]);
    let value = trim(&line[eq + 1..]);
    Some((key.to_vec(), value.to_vec()))
}

/// Python's `splitlines(True)` for bytes.
fn split_lines_keep(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let (line, next) = rest.split_at(end);
        rest = next;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        let mut c = Config::default();
        parse_into(
            &mut c,
            text.as_bytes(),
            "f",
            None,
            &Environment::default(),
            0,
        )?;
        Ok(c)
    }

    #[test]
    fn items_continuations_and_unset() {
        let c =
            parse("[ui]\nusername = A B  \n[x]\nmulti = one\n  two\n# c\n  three\nk=v\n%unset k\n")
                .expect("parses");
        assert_eq!(c.get(b"ui", b"username").as_deref(), Some(&b"A B"[..]));
        assert_eq!(
            c.get(b"x", b"multi").as_deref(),
            Some(&b"one\ntwo\nthree"[..])
        );
        assert_eq!(c.get(b"x", b"k"), None);
        assert_eq!(c.origin(b"x", b"multi").as_deref(), Some("f:7"));
    }

    #[test]
    fn errors_like_hg() {
        let e = parse("[x]\n k=v\n").expect_err("error");
        assert_eq!(
            e.to_string(),
            "config error at f:2: unexpected leading whitespace:  k=v"
        );
        let e = parse("[x\n").expect_err("error");
        assert_eq!(e.to_string(), "config error at f:1: [x");
    }
}
