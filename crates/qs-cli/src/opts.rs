//! Command-line option parsing with Mercurial's rules (GNU getopt style):
//! options and arguments may be mixed, short flags combine (`-qr 0`,
//! `-r0`), long options take `--name=value` or `--name value` and may be
//! abbreviated to a unique prefix, boolean flags accept `--no-NAME`, and
//! `--` ends option parsing. clap cannot express these rules, so this small
//! table-driven parser exists; each command declares a table of [`OptSpec`].

use std::collections::HashMap;

/// What an option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptKind {
    /// A boolean switch.
    Flag,
    /// One value; the last occurrence wins.
    Value,
    /// A value that may be repeated; all occurrences are kept in order.
    List,
}

/// One option a command (or the global table) accepts.
#[derive(Clone, Copy, Debug)]
pub struct OptSpec {
    pub short: Option<char>,
    pub long: &'static str,
    pub kind: OptKind,
    /// Placeholder shown in help, e.g. `REV`.
    pub value_name: &'static str,
    pub help: &'static str,
}

impl OptSpec {
    pub const fn flag(short: Option<char>, long: &'static str, help: &'static str) -> OptSpec {
        OptSpec {
            short,
            long,
            kind: OptKind::Flag,
            value_name: "",
            help,
        }
    }

    pub const fn value(
        short: Option<char>,
        long: &'static str,
        value_name: &'static str,
        help: &'static str,
    ) -> OptSpec {
        OptSpec {
            short,
            long,
            kind: OptKind::Value,
            value_name,
            help,
        }
    }

    pub const fn list(
        short: Option<char>,
        long: &'static str,
        value_name: &'static str,
        help: &'static str,
    ) -> OptSpec {
        OptSpec {
            short,
            long,
            kind: OptKind::List,
            value_name,
            help,
        }
    }
}

/// A parse failure, worded as hg words it (without the `hg CMD: ` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    NotRecognized(String),
    RequiresArgument(String),
    NotUniquePrefix(String),
    MustNotHaveArgument(String),
}

impl std::fmt::Display for OptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptError::NotRecognized(o) => write!(f, "option {o} not recognized"),
            OptError::RequiresArgument(o) => write!(f, "option {o} requires argument"),
            OptError::NotUniquePrefix(o) => write!(f, "option {o} not a unique prefix"),
            OptError::MustNotHaveArgument(o) => write!(f, "option {o} must not have an argument"),
        }
    }
}

/// The result of parsing: option values by long name, and positionals.
#[derive(Debug, Default, Clone)]
pub struct ParsedOpts {
    pub positionals: Vec<String>,
    flags: HashMap<&'static str, bool>,
    values: HashMap<&'static str, Vec<String>>,
}

impl ParsedOpts {
    /// True if the flag was given (and not negated afterwards).
    pub fn flag(&self, long: &str) -> bool {
        self.flags.get(long).copied().unwrap_or(false)
    }

    /// Whether the flag was given, and its final value (`--no-NAME` gives
    /// `Some(false)`); `None` when absent.
    pub fn flag_given(&self, long: &str) -> Option<bool> {
        self.flags.get(long).copied()
    }

    /// The last value of a Value option.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value of a List option, in order.
    pub fn list(&self, long: &str) -> &[String] {
        self.values.get(long).map(Vec::as_slice).unwrap_or(&[])
    }

    fn set(&mut self, spec: &OptSpec, value: Option<String>, negated: bool) {
        match spec.kind {
            OptKind::Flag => {
                self.flags.insert(spec.long, !negated);
            }
            OptKind::Value | OptKind::List => {
                self.values
                    .entry(spec.long)
                    .or_default()
                    .push(value.unwrap_or_default());
            }
        }
    }
}

/// Parses `args` against the union of the given option tables.
pub fn parse(args: &[String], tables: &[&[OptSpec]]) -> Result<ParsedOpts, OptError> {
    let specs: Vec<&OptSpec> = tables.iter().flat_map(|t| t.iter()).collect();
    let mut parsed = ParsedOpts::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.positionals.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let (spec, negated) = find_long(&specs, name)?;
            if spec.kind == OptKind::Flag {
                if inline.is_some() {
                    return Err(OptError::MustNotHaveArgument(format!("--{}", spec.long)));
                }
                parsed.set(spec, None, negated);
            } else {
                let value = match inline {
                    Some(v) => v,
                    None => {
                        let v = args.get(i).ok_or_else(|| {
                            OptError::RequiresArgument(format!("--{}", spec.long))
                        })?;
                        i += 1;
                        v.clone()
                    }
                };
                parsed.set(spec, Some(value), false);
            }
        } else if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                let spec = specs
                    .iter()
                    .find(|s| s.short == Some(c))
                    .ok_or_else(|| OptError::NotRecognized(format!("-{c}")))?;
                if spec.kind == OptKind::Flag {
                    parsed.set(spec, None, false);
                } else {
                    let value = if j < chars.len() {
                        chars[j..].iter().collect()
                    } else {
                        let v = args
                            .get(i)
                            .ok_or_else(|| OptError::RequiresArgument(format!("-{c}")))?;
                        i += 1;
                        v.clone()
                    };
                    parsed.set(spec, Some(value), false);
                    break;
                }
            }
        } else {
            parsed.positionals.push(arg.clone());
        }
    }
    Ok(parsed)
}

/// Finds a long option by exact name, `no-` negation, or unique prefix.
fn find_long<'s>(specs: &[&'s OptSpec], name: &str) -> Result<(&'s OptSpec, bool), OptError> {
    if let Some(spec) = specs.iter().find(|s| s.long == name) {
        return Ok((spec, false));
    }
    if let Some(base) = name.strip_prefix("no-") {
        if let Some(spec) = specs
            .iter()
            .find(|s| s.long == base && s.kind == OptKind::Flag)
        {
            return Ok((spec, true));
        }
    }
    let mut candidates: Vec<(&OptSpec, bool)> = Vec::new();
    for spec in specs {
        if spec.long.starts_with(name) {
            candidates.push((spec, false));
        }
        if spec.kind == OptKind::Flag && format!("no-{}", spec.long).starts_with(name) {
            candidates.push((spec, true));
        }
    }
    candidates.dedup_by(|a, b| a.0.long == b.0.long && a.1 == b.1);
    match candidates.len() {
        0 => Err(OptError::NotRecognized(format!("--{name}"))),
        1 => Ok(candidates[0]),
        _ => Err(OptError::NotUniquePrefix(format!("--{name}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[OptSpec] = &[
        OptSpec::list(Some('r'), "rev", "REV", "revision"),
        OptSpec::value(Some('l'), "limit", "NUM", "limit"),
        OptSpec::value(None, "line-range", "R", "range"),
        OptSpec::flag(Some('q'), "quiet", "quiet"),
        OptSpec::flag(Some('g'), "git", "git"),
    ];

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn mixes_short_long_and_positionals() {
        let p = parse(&args("a -qr 0 --limit=3 b -r1 -- -x"), &[SPECS]).expect("parses");
        assert!(p.flag("quiet"));
        assert_eq!(p.list("rev"), ["0", "1"]);
        assert_eq!(p.value("limit"), Some("3"));
        assert_eq!(p.positionals, ["a", "b", "-x"]);
    }

    #[test]
    fn prefixes_and_negation() {
        let p = parse(&args("--lim 3 --git --no-git"), &[SPECS]).expect("parses");
        assert_eq!(p.value("limit"), Some("3"));
        assert!(!p.flag("git"));
        assert_eq!(
            parse(&args("--li 3"), &[SPECS]).expect_err("must fail"),
            OptError::NotUniquePrefix("--li".into())
        );
    }

    #[test]
    fn errors_as_hg_words_them() {
        let e = parse(&args("-l"), &[SPECS]).expect_err("must fail");
        assert_eq!(e.to_string(), "option -l requires argument");
        let e = parse(&args("--quiet=1"), &[SPECS]).expect_err("must fail");
        assert_eq!(e.to_string(), "option --quiet must not have an argument");
        let e = parse(&args("-z"), &[SPECS]).expect_err("must fail");
        assert_eq!(e.to_string(), "option -z not recognized");
    }
}
