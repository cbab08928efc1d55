//! Showing diffs: hg's diff options from flags and `[diff]` config, the
//! colour labels hg puts on diff and diffstat text (`diff.diffline`,
//! `diff.file_a`, `diff.hunk`, `diff.inserted`, `diffstat.deleted`, ...),
//! and the patch or stat `log -p` / `log --stat` print after each
//! changeset.

use qs_repo::dates::HgDate;
use qs_repo::diff::DiffOptions;
use qs_repo::Repo;
use qs_store::Revision;

use crate::commands::Invocation;
use crate::error::{CliError, CliResult};
use crate::opts::ParsedOpts;
use crate::ui::Ui;

/// hg's `config error: ...` (exit 255).
fn config_error(message: &str) -> CliError {
    CliError::Message {
        text: format!("config error: {message}\n"),
        code: 255,
    }
}

/// What hg's `diffallopts` reads: the command's flags (none for the
/// diffs of revsets and templates), the configuration, HGPLAIN, --debug.
pub struct OptionSources<'a> {
    pub opts: &'a ParsedOpts,
    pub config: &'a qs_config::Config,
    pub plain: bool,
    pub debug: bool,
}

impl OptionSources<'_> {
    /// A diff option: the flag when given (`--no-X` included), else the
    /// `[diff]` config value; `plain_off` options are off under HGPLAIN.
    fn bool_option(&self, flag: &str, config_name: &str, plain_off: bool) -> CliResult<bool> {
        if let Some(v) = self.opts.flag_given(flag) {
            return Ok(v);
        }
        if plain_off && self.plain {
            return Ok(false);
        }
        self.config_flag(config_name)
    }

    fn config_flag(&self, name: &str) -> CliResult<bool> {
        self.config
            .get_bool("diff", name, false)
            .map_err(|e| config_error(&e.to_string()))
    }

    /// hg's `diffallopts` for these flags and configuration.
    pub fn options(&self) -> CliResult<DiffOptions> {
        let mut o = DiffOptions {
            nodates: self.bool_option("nodates", "nodates", false)?,
            ..DiffOptions::default()
        };
        o.text.show_function = self.bool_option("show-function", "showfunc", false)?;
        let context = match self.opts.value("unified").filter(|v| !v.is_empty()) {
            Some(v) => Some(v.to_string()),
            None => self.config.get_str("diff", "unified"),
        };
        if let Some(value) = context {
            o.text.context = qs_repo::diff::parse_context(&value)?;
        }
        o.git = self.bool_option("git", "git", false)?;
        o.text.ignore_ws = self.bool_option("ignore-all-space", "ignorews", false)?;
        o.text.ignore_ws_amount =
            self.bool_option("ignore-space-change", "ignorewsamount", false)?;
        o.text.ignore_blank_lines =
            self.bool_option("ignore-blank-lines", "ignoreblanklines", false)?;
        o.text.ignore_ws_eol = self.bool_option("ignore-space-at-eol", "ignorewseol", false)?;
        o.all_text = self.opts.flag("text");
        o.nobinary = match self.opts.flag_given("binary") {
            Some(binary) => !binary,
            None => !self.plain && self.config_flag("nobinary")?,
        };
        o.noprefix = match self.opts.flag_given("noprefix") {
            Some(v) => v,
            None => !self.plain && self.config_flag("noprefix")?,
        };
        o.full_hashes = self.debug;
        Ok(o)
    }
}

/// hg's `diffallopts` for the current command's flags and config.
pub fn options(inv: &Invocation<'_, '_>) -> CliResult<DiffOptions> {
    OptionSources {
        opts: &inv.opts,
        config: &inv.config,
        plain: inv.ui.plain,
        debug: inv.ui.debug_flag(),
    }
    .options()
}

/// Refuses `diff.merge` on a merge (hg then diffs against an automatic
/// merge of the parents, which qs cannot do yet).
pub fn refuse_merge_diff(inv: &Invocation<'_, '_>, repo: &Repo, rev: Revision) -> CliResult<()> {
    if !config_flag_in(inv, "diff", "merge")? {
        return Ok(());
    }
    if repo.parents(rev)?[1].is_null() {
        return Ok(());
    }
    Err(CliError::abort_hint(
        "diff.merge is not supported by qs yet",
        "use Mercurial's 'hg' for this command line",
    ))
}

fn config_flag_in(inv: &Invocation<'_, '_>, section: &str, name: &str) -> CliResult<bool> {
    inv.config
        .get_bool(section, name, false)
        .map_err(|e| config_error(&e.to_string()))
}

/// Whether `--stat` shows paths relative to the current directory (hg's
/// `getuipathfn`: `ui.relative-paths`, where `legacy` means no).
pub fn stat_relative(inv: &Invocation<'_, '_>) -> CliResult<bool> {
    match inv.config.get_str("ui", "relative-paths") {
        None => Ok(false),
        Some(v) if v == "legacy" => Ok(false),
        Some(_) => config_flag_in(inv, "ui", "relative-paths"),
    }
}

/// The date the working directory shows in diff headers: hg's
/// `devel.default-date` when set (as `SECONDS OFFSET`), else now (UTC).
pub fn working_date(inv: &Invocation<'_, '_>) -> HgDate {
    if let Some(value) = inv.config.get_str("devel", "default-date") {
        let mut parts = value.split_whitespace();
        if let (Some(Ok(seconds)), Some(Ok(offset))) = (
            parts.next().map(str::parse::<i64>),
            parts.next().map(str::parse::<i32>),
        ) {
            return HgDate { seconds, offset };
        }
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    HgDate { seconds, offset: 0 }
}

/// Whether output is UTF-8 (for the display width of names in stats):
/// `HGENCODING`, else the locale's charset; Python (hence hg) treats the
/// C and POSIX locales as UTF-8.
pub fn utf8_output(inv: &Invocation<'_, '_>) -> bool {
    let is_utf8 = |v: &str| {
        let v = v.to_ascii_lowercase();
        v == "utf-8" || v == "utf8"
    };
    if let Some(enc) = inv.env.get("HGENCODING").filter(|v| !v.is_empty()) {
        return is_utf8(enc);
    }
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| inv.env.get(*k).filter(|v| !v.is_empty()));
    match locale.and_then(|l| l.split_once('.')) {
        Some((_, charset)) => is_utf8(charset.split('@').next().unwrap_or(charset)),
        None => true,
    }
}

/// The width of `--stat` tables: 80 under HGPLAIN, else `COLUMNS` or 80.
pub fn stat_width(inv: &Invocation<'_, '_>) -> usize {
    if inv.ui.plain {
        return 80;
    }
    inv.env
        .get("COLUMNS")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .unwrap_or(80)
}

/// hg's `tabsplitter`: runs of tabs and runs of other bytes.
fn tab_tokens(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=text.len() {
        if i == text.len() || (text[i] == b'\t') != (text[start] == b'\t') {
            if start < i {
                out.push(&text[start..i]);
            }
            start = i;
        }
    }
    out
}

/// Labels of one `-`/`+` line (hg's `diffsinglehunk`).
fn hunk_line<'t>(line: &'t [u8], out: &mut Vec<(&'t [u8], &'static str)>) {
    let chomp_len = line.len()
        - line
            .iter()
            .rev()
            .take_while(|&&c| c == b'\r' || c == b'\n')
            .count();
    let chomp = &line[..chomp_len];
    let strip = chomp.trim_ascii_end();
    let label = if line.starts_with(b"-") {
        "diff.deleted"
    } else {
        "diff.inserted"
    };
    for token in tab_tokens(strip) {
        out.push((token, if token[0] == b'\t' { "diff.tab" } else { label }));
    }
    if chomp.len() != strip.len() {
        out.push((&chomp[strip.len()..], "diff.trailingwhitespace"));
    }
    if chomp.len() != line.len() {
        out.push((&line[chomp.len()..], ""));
    }
}

const HEAD_PREFIXES: &[(&[u8], &str)] = &[
    (b"diff", "diff.diffline"),
    (b"copy", "diff.extended"),
    (b"rename", "diff.extended"),
    (b"old", "diff.extended"),
    (b"new", "diff.extended"),
    (b"deleted", "diff.extended"),
    (b"index", "diff.extended"),
    (b"similarity", "diff.extended"),
    (b"---", "diff.file_a"),
    (b"+++", "diff.file_b"),
];

/// hg's `difflabel`: a diff text cut into labelled pieces.
pub fn diff_labels(text: &[u8]) -> Vec<(&[u8], &'static str)> {
    let mut out = Vec::new();
    let lines: Vec<&[u8]> = text.split(|&c| c == b'\n').collect();
    let count = lines.len();
    let mut head = false;
    for (i, &line) in lines.iter().enumerate() {
        let last = i + 1 == count;
        if head {
            if line.starts_with(b"@") {
                head = false;
            }
        } else if !line.is_empty() && !matches!(line[0], b' ' | b'+' | b'-' | b'@' | b'\\') {
            head = true;
        }
        if !head && (line.starts_with(b"+") || line.starts_with(b"-")) {
            let with_newline = if last {
                line
            } else {
                &text[offset_of(text, line)..offset_of(text, line) + line.len() + 1]
            };
            hunk_line(with_newline, &mut out);
            continue;
        }
        let strip = line.trim_ascii_end();
        let found = if head {
            HEAD_PREFIXES.iter().find(|(p, _)| strip.starts_with(p))
        } else if strip.starts_with(b"@") {
            Some(&(&b"@"[..], "diff.hunk"))
        } else {
            None
        };
        match found {
            Some((_, label)) => {
                out.push((strip, *label));
                if strip.len() != line.len() {
                    out.push((&line[strip.len()..], "diff.trailingwhitespace"));
                }
            }
            None => out.push((line, "")),
        }
        if !last {
            out.push((b"\n", ""));
        }
    }
    out
}

/// Byte offset of a sub-slice within `text`.
fn offset_of(text: &[u8], part: &[u8]) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// hg's `diffstatui`: a stat table cut into labelled pieces.
pub fn stat_labels(table: &[u8]) -> Vec<(Vec<u8>, &'static str)> {
    let mut out = Vec::new();
    for line in table.split(|&c| c == b'\n') {
        if line.is_empty() && offset_of(table, line) == table.len() {
            break;
        }
        match line.last() {
            Some(b'+' | b'-') => {
                let split = line.iter().rposition(|&c| c == b' ').unwrap_or(0);
                let (name, graph) = (&line[..split], &line[(split + 1).min(line.len())..]);
                let mut n = name.to_vec();
                n.push(b' ');
                out.push((n, ""));
                let run = |c: u8| -> Vec<u8> {
                    let start = graph.iter().position(|&x| x == c);
                    start.map_or_else(Vec::new, |s| {
                        graph[s..]
                            .iter()
                            .take_while(|&&x| x == c)
                            .copied()
                            .collect()
                    })
                };
                let plus = run(b'+');
                if !plus.is_empty() {
                    out.push((plus, "diffstat.inserted"));
                }
                let minus = run(b'-');
                if !minus.is_empty() {
                    out.push((minus, "diffstat.deleted"));
                }
            }
            _ => out.push((line.to_vec(), "")),
        }
        out.push((b"\n".to_vec(), ""));
    }
    out
}

/// Writes a diff text (or its stat table) with hg's labels.
pub fn write(ui: &mut Ui<'_>, text: &[u8], stat: Option<(usize, bool)>) -> CliResult<()> {
    if let Some((width, utf8)) = stat {
        let table = qs_repo::diff::stat::diffstat(text, width, utf8);
        if !ui.colored() {
            ui.write(&table)?;
            return Ok(());
        }
        for (piece, label) in stat_labels(&table) {
            ui.write_labeled(&piece, label)?;
        }
        return Ok(());
    }
    if !ui.colored() {
        ui.write(text)?;
        return Ok(());
    }
    for (piece, label) in diff_labels(text) {
        ui.write_labeled(piece, label)?;
    }
    Ok(())
}

/// What `log -p` / `log --stat` add after each changeset.
pub struct LogPatch {
    options: DiffOptions,
    patch: bool,
    stat: Option<(usize, bool)>,
    /// Repository paths the diff is restricted to (`log FILE`).
    paths: Option<crate::paths::PathMatcher>,
    /// `diff.merge` is on: merges cannot be shown.
    refuse_merges: bool,
}

impl LogPatch {
    /// `None` unless `-p` or `--stat` was given.
    pub fn from_invocation(
        inv: &Invocation<'_, '_>,
        paths: Option<Vec<Vec<u8>>>,
    ) -> CliResult<Option<LogPatch>> {
        let patch = inv.opts.flag("patch");
        let stat = inv.opts.flag("stat");
        if !patch && !stat {
            return Ok(None);
        }
        Ok(Some(LogPatch {
            options: options(inv)?,
            patch,
            stat: stat.then(|| (stat_width(inv), utf8_output(inv))),
            paths: paths.map(crate::paths::PathMatcher::new),
            refuse_merges: config_flag_in(inv, "diff", "merge")?,
        }))
    }

    fn text(&self, repo: &Repo, rev: Revision, options: DiffOptions) -> CliResult<Vec<u8>> {
        if self.refuse_merges && !repo.parents(rev)?[1].is_null() {
            return Err(CliError::abort_hint(
                "diff.merge is not supported by qs yet",
                "use Mercurial's 'hg' for this command line",
            ));
        }
        let filter = |p: &[u8]| self.paths.as_ref().is_none_or(|m| m.matches(p));
        Ok(qs_repo::diff::changeset_diff(
            repo,
            rev,
            options,
            Some(&filter),
        )?)
    }

    /// Writes the stat and/or patch of `rev` (hg's `_showpatch`).
    /// Nothing with `-q`, as hg's changeset printer returns early.
    pub fn show(&self, ui: &mut Ui<'_>, repo: &Repo, rev: Revision) -> CliResult<()> {
        if ui.quiet() {
            return Ok(());
        }
        if let Some(stat) = self.stat {
            let mut o = self.options.clone();
            o.text.context = 0;
            o.noprefix = false;
            let text = self.text(repo, rev, o)?;
            write(ui, &text, Some(stat))?;
        }
        if self.stat.is_some() && self.patch {
            ui.write(b"\n")?;
        }
        if self.patch {
            let text = self.text(repo, rev, self.options.clone())?;
            write(ui, &text, None)?;
        }
        ui.write(b"\n")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_hg() {
        let text = b"diff -r 1 f\n--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\t \n+b\n";
        let labels: Vec<(String, &str)> = diff_labels(text)
            .into_iter()
            .map(|(p, l)| (String::from_utf8_lossy(p).into_owned(), l))
            .collect();
        let expect: Vec<(&str, &str)> = vec![
            ("diff -r 1 f", "diff.diffline"),
            ("\n", ""),
            ("--- a/f", "diff.file_a"),
            ("\n", ""),
            ("+++ b/f", "diff.file_b"),
            ("\n", ""),
            ("@@ -1,1 +1,1 @@", "diff.hunk"),
            ("\n", ""),
            ("-a", "diff.deleted"),
            ("\t ", "diff.trailingwhitespace"),
            ("\n", ""),
            ("+b", "diff.inserted"),
            ("\n", ""),
            ("", ""),
        ];
        let expect: Vec<(String, &str)> = expect
            .into_iter()
            .map(|(p, l)| (p.to_string(), l))
            .collect();
        assert_eq!(labels, expect);
    }

    #[test]
    fn stat_graph_labels() {
        let pieces = stat_labels(b" f |  3 ++-\n 1 files changed\n");
        assert_eq!(pieces[0], (b" f |  3 ".to_vec(), ""));
        assert_eq!(pieces[1], (b"++".to_vec(), "diffstat.inserted"));
        assert_eq!(pieces[2], (b"-".to_vec(), "diffstat.deleted"));
    }
}
