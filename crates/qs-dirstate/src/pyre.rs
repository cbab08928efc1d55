//! Rewrites Python `re` syntax (what `re:` / `relre:` patterns and
//! `.hgignore` regexps are written in) into the `regex` crate's syntax,
//! in bytes mode. Constructs with no equivalent (backreferences,
//! lookaround, conditionals, atomic groups) are refused with a clear
//! error; syntax errors are left for the regex compiler to report.

use crate::error::{DirstateError, DirstateResult};

fn unsupported(what: &str, pattern: &[u8]) -> DirstateError {
    DirstateError::UnsupportedRegex {
        what: what.to_string(),
        pattern: String::from_utf8_lossy(pattern).into_owned(),
    }
}

fn invalid(what: &str) -> DirstateError {
    DirstateError::InvalidPattern(what.to_string())
}

fn hex(out: &mut String, b: u8) {
    out.push_str(&format!("\\x{b:02x}"));
}

/// Length of a Python quantifier `{m}`, `{m,}`, `{,n}`, `{m,n}` starting
/// at `pat[0] == b'{'`, with its Rust spelling.
fn quantifier(pat: &[u8]) -> Option<(usize, String)> {
    let close = pat.iter().position(|&b| b == b'}')?;
    let body = &pat[1..close];
    let (min, max) = match body.iter().position(|&b| b == b',') {
        Some(c) => (&body[..c], Some(&body[c + 1..])),
        None => (body, None),
    };
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if !digits(min)
        || !max.is_none_or(digits)
        || (min.is_empty() && max.is_none_or(<[u8]>::is_empty))
    {
        return None;
    }
    let min = if min.is_empty() {
        "0"
    } else {
        std::str::from_utf8(min).ok()?
    };
    let spelled = match max {
        None => format!("{{{min}}}"),
        Some(m) => format!("{{{min},{}}}", std::str::from_utf8(m).ok()?),
    };
    Some((close + 1, spelled))
}

/// Translates one escape `\c` (the backslash already consumed).
fn escape(out: &mut String, c: u8, in_class: bool, pattern: &[u8]) -> DirstateResult<()> {
    match c {
        b'1'..=b'9' => return Err(unsupported("backreference", pattern)),
        b'0' => return Err(unsupported("octal escape", pattern)),
        b'Z' if !in_class => out.push_str("\\z"),
        b'A' | b'b' | b'B' if !in_class => {
            out.push('\\');
            out.push(char::from(c));
        }
        b'd' | b'D' | b's' | b'S' | b'w' | b'W' | b'n' | b't' | b'r' | b'f' | b'v' | b'a'
        | b'x' => {
            out.push('\\');
            out.push(char::from(c));
        }
        b'b' => hex(out, 8),
        _ if c.is_ascii_alphanumeric() => {
            return Err(unsupported(&format!("escape \\{}", char::from(c)), pattern))
        }
        _ => hex(out, c),
    }
    Ok(())
}

/// Translates a Python regular expression into `regex` crate syntax.
pub fn translate(pattern: &[u8]) -> DirstateResult<String> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let n = pattern.len();
    // Python refuses a quantifier with nothing to repeat, and two
    // quantifiers in a row (other than a lazy `?`); Rust accepts some.
    let mut repeatable = false;
    let mut quantified = 0u8;
    while i < n {
        let c = pattern[i];
        i += 1;
        let is_quantifier = matches!(c, b'*' | b'+' | b'?')
            || (c == b'{' && quantifier(&pattern[i - 1..]).is_some());
        if is_quantifier {
            match quantified {
                0 if !repeatable => return Err(invalid("nothing to repeat")),
                1 if c == b'?' => {
                    quantified = 2;
                    out.push('?');
                    continue;
                }
                1 if c == b'+' => return Err(unsupported("possessive quantifier", pattern)),
                1 | 2 => return Err(invalid("multiple repeat")),
                _ => {}
            }
            quantified = 1;
            repeatable = false;
        } else {
            quantified = 0;
            repeatable = !matches!(c, b'(' | b'|' | b'^' | b'$');
            if c == b'\\' && matches!(pattern.get(i), Some(b'b' | b'B' | b'A' | b'Z')) {
                repeatable = false;
            }
        }
        match c {
            b'\\' => {
                let Some(&next) = pattern.get(i) else {
                    out.push('\\');
                    break;
                };
                i += 1;
                escape(&mut out, next, false, pattern)?;
            }
            b'(' if pattern.get(i) == Some(&b'?') => {
                let rest = &pattern[i + 1..];
                match rest.first() {
                    Some(b':') => {
                        out.push_str("(?:");
                        i += 2;
                    }
                    Some(b'P') if rest.get(1) == Some(&b'<') => {
                        out.push_str("(?P<");
                        i += 3;
                    }
                    Some(b'P') => return Err(unsupported("named backreference", pattern)),
                    Some(b'=') | Some(b'!') => return Err(unsupported("lookahead", pattern)),
                    Some(b'<') => return Err(unsupported("lookbehind", pattern)),
                    Some(b'(') => return Err(unsupported("conditional group", pattern)),
                    Some(b'>') => return Err(unsupported("atomic group", pattern)),
                    Some(b'#') => {
                        let close = rest.iter().position(|&b| b == b')').unwrap_or(rest.len());
                        i += 1 + close + 1;
                    }
                    _ => {
                        let len = rest.iter().take_while(|b| b"aiLmsux-".contains(b)).count();
                        let end = rest.get(len).copied();
                        if len == 0 || !matches!(end, Some(b')') | Some(b':')) {
                            return Err(unsupported("group syntax", pattern));
                        }
                        let flags: String = rest[..len]
                            .iter()
                            .filter(|b| b"imsx-".contains(b))
                            .map(|&b| char::from(b))
                            .collect();
                        let flags = flags.trim_end_matches('-');
                        match (end, flags.is_empty()) {
                            (Some(b')'), true) => {}
                            (Some(b')'), false) => out.push_str(&format!("(?{flags})")),
                            (_, true) => out.push_str("(?:"),
                            (_, false) => out.push_str(&format!("(?{flags}:")),
                        }
                        i += 1 + len + 1;
                    }
                }
            }
            b'{' => match quantifier(&pattern[i - 1..]) {
                Some((len, spelled)) => {
                    out.push_str(&spelled);
                    i += len - 1;
                }
                None => hex(&mut out, c),
            },
            b'}' => hex(&mut out, c),
            b'[' => i = class(&mut out, pattern, i)?,
            b'*' | b'+' | b'?' => out.push(char::from(c)),
            _ if c.is_ascii() && !c.is_ascii_control() => out.push(char::from(c)),
            _ => hex(&mut out, c),
        }
    }
    Ok(out)
}

/// Translates a character class whose `[` was just consumed; returns the
/// index after its `]` (or the end, leaving the error to the compiler).
fn class(out: &mut String, pattern: &[u8], mut i: usize) -> DirstateResult<usize> {
    out.push('[');
    if pattern.get(i) == Some(&b'^') {
        out.push('^');
        i += 1;
    }
    if pattern.get(i) == Some(&b']') {
        hex(out, b']');
        i += 1;
    }
    while let Some(&c) = pattern.get(i) {
        i += 1;
        match c {
            b']' => {
                out.push(']');
                return Ok(i);
            }
            b'\\' => {
                let Some(&next) = pattern.get(i) else {
                    break;
                };
                i += 1;
                escape(out, next, true, pattern)?;
            }
            b'-' if pattern.get(i) != Some(&b'-') && pattern.get(i) != Some(&b']') => out.push('-'),
            _ if c.is_ascii_alphanumeric() => out.push(char::from(c)),
            _ => hex(out, c),
        }
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str) -> String {
        translate(p.as_bytes()).expect("translates")
    }

    #[test]
    fn common_syntax_passes() {
        assert_eq!(ok(r".*\.c$"), r".*\x2ec$");
        assert_eq!(ok(r"a{2,}b{,3}"), "a{2,}b{0,3}");
        assert_eq!(ok(r"{foo}"), r"\x7bfoo\x7d");
        assert_eq!(ok(r"[]a-z&&]"), r"[\x5da-z\x26\x26]");
        assert_eq!(ok(r"(?i)abc\Z"), r"(?i)abc\z");
        assert_eq!(ok(r"(?#comment)x"), "x");
    }

    #[test]
    fn python_syntax_errors_are_invalid() {
        for p in ["*.o", "a**", "(*a)", "a|*", "^*", "a{2}{3}", "a*??"] {
            assert!(
                matches!(
                    translate(p.as_bytes()),
                    Err(DirstateError::InvalidPattern(_))
                ),
                "{p}"
            );
        }
        assert_eq!(ok("a*?b+?c??"), "a*?b+?c??");
    }

    #[test]
    fn unsupported_constructs_are_refused() {
        for p in [r"(a)\1", r"a(?=b)", r"(?<=a)b", r"(?P=n)", r"a++"] {
            assert!(
                matches!(
                    translate(p.as_bytes()),
                    Err(DirstateError::UnsupportedRegex { .. })
                ),
                "{p}"
            );
        }
    }
}
