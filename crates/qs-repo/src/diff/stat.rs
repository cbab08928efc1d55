//! `--stat`: hg's diffstat, computed like hg from the text of a diff
//! (made with no context): per file the lines added and removed, a
//! histogram scaled to the width, and a summary line.

/// Statistics of one file of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStat {
    pub name: Vec<u8>,
    pub adds: usize,
    pub removes: usize,
    pub binary: bool,
}

/// The file name of a `diff -r X [-r Y] NAME` line (hg's pattern
/// `^diff .*-r [a-z0-9]+\s(.*)$`, whose greedy start picks the last
/// `-r` that fits).
fn plain_name(line: &[u8]) -> Option<Vec<u8>> {
    if !line.starts_with(b"diff ") {
        return None;
    }
    for p in (5..line.len()).rev() {
        if !line[p..].starts_with(b"-r ") {
            continue;
        }
        let run_start = p + 3;
        let run = line[run_start..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            .count();
        let after = run_start + run;
        if run > 0
            && line
                .get(after)
                .is_some_and(|c| b" \t\n\r\x0b\x0c".contains(c))
        {
            return Some(line[after + 1..].to_vec());
        }
    }
    None
}

/// The new name of a `diff --git a/X b/Y` line (the last ` b/` splits).
fn git_name(line: &[u8]) -> Option<Vec<u8>> {
    let rest = line.strip_prefix(b"diff --git a/")?;
    let split = rest.windows(3).rposition(|w| w == b" b/")?;
    Some(rest[split + 3..].to_vec())
}

/// hg's `diffstatdata`: the statistics of every file of a diff text.
pub fn stat_data(diff: &[u8]) -> Vec<FileStat> {
    let mut results = Vec::new();
    let mut name: Option<Vec<u8>> = None;
    let mut in_header = false;
    let (mut adds, mut removes, mut binary) = (0, 0, false);
    let flush = |name: &Option<Vec<u8>>, adds, removes, binary, results: &mut Vec<FileStat>| {
        if let Some(n) = name {
            if !n.is_empty() {
                results.push(FileStat {
                    name: n.clone(),
                    adds,
                    removes,
                    binary,
                });
            }
        }
    };
    for line in crate::util::split_lines(diff) {
        if line.starts_with(b"diff") {
            flush(&name, adds, removes, binary, &mut results);
            in_header = true;
            (adds, removes, binary) = (0, 0, false);
            if line.starts_with(b"diff --git a/") {
                if let Some(n) = git_name(line) {
                    name = Some(n);
                }
            } else if line.starts_with(b"diff -r") {
                if let Some(n) = plain_name(line) {
                    name = Some(n);
                }
            }
        } else if line.starts_with(b"@@") {
            in_header = false;
        } else if line.starts_with(b"+") && !in_header {
            adds += 1;
        } else if line.starts_with(b"-") && !in_header {
            removes += 1;
        } else if line.starts_with(b"GIT binary patch") || line.starts_with(b"Binary file") {
            binary = true;
        } else if let Some(from) = line.strip_prefix(b"rename from ") {
            name = Some(from.to_vec());
        } else if let Some(to) = line.strip_prefix(b"rename to ") {
            let mut n = name.take().unwrap_or_default();
            n.extend_from_slice(b" => ");
            n.extend_from_slice(to);
            name = Some(n);
        }
    }
    flush(&name, adds, removes, binary, &mut results);
    results
}

/// Display width of a file name: bytes, or characters (East Asian wide
/// ones counting two) when the output encoding is UTF-8.
pub fn column_width(name: &[u8], utf8: bool) -> usize {
    if !utf8 {
        return name.len();
    }
    match std::str::from_utf8(name) {
        Ok(s) => s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum(),
        Err(_) => name.len(),
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD)
}

/// hg's `diffstat`: the table for a diff text at `width` columns.
pub fn diffstat(diff: &[u8], width: usize, utf8: bool) -> Vec<u8> {
    let stats = stat_data(diff);
    let max_name = stats
        .iter()
        .map(|s| column_width(&s.name, utf8))
        .max()
        .unwrap_or(0);
    let max_total = stats.iter().map(|s| s.adds + s.removes).max().unwrap_or(0);
    let has_binary = stats.iter().any(|s| s.binary);
    let mut count_width = max_total.to_string().len();
    if has_binary && count_width < 3 {
        count_width = 3;
    }
    let graph_width = (width as i64 - count_width as i64 - max_name as i64 - 6).max(10) as usize;
    let scale = |i: usize| -> usize {
        if max_total <= graph_width {
            i
        } else {
            (i * graph_width / max_total).max(usize::from(i > 0))
        }
    };
    let mut out = Vec::new();
    let (mut total_adds, mut total_removes) = (0, 0);
    for s in &stats {
        total_adds += s.adds;
        total_removes += s.removes;
        let count = if s.binary {
            "Bin".to_string()
        } else {
            (s.adds + s.removes).to_string()
        };
        out.push(b' ');
        out.extend_from_slice(&s.name);
        out.extend(std::iter::repeat_n(
            b' ',
            max_name.saturating_sub(column_width(&s.name, utf8)),
        ));
        out.extend_from_slice(format!(" |  {count:>count_width$} ").as_bytes());
        out.extend(std::iter::repeat_n(b'+', scale(s.adds)));
        out.extend(std::iter::repeat_n(b'-', scale(s.removes)));
        out.push(b'\n');
    }
    if !stats.is_empty() {
        out.extend_from_slice(
            format!(
                " {} files changed, {} insertions(+), {} deletions(-)\n",
                stats.len(),
                total_adds,
                total_removes
            )
            .as_bytes(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_diff_lines() {
        assert_eq!(
            plain_name(b"diff -r 0123 -r abcd a b"),
            Some(b"a b".to_vec())
        );
        assert_eq!(plain_name(b"diff -r 0123 f"), Some(b"f".to_vec()));
        assert_eq!(git_name(b"diff --git a/x b/y"), Some(b"y".to_vec()));
    }

    #[test]
    fn table_and_summary() {
        let diff = b"diff -r 1 -r 2 f\n--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n-a\n+b\n+c\n";
        assert_eq!(
            String::from_utf8(diffstat(diff, 80, false)).expect("utf-8"),
            " f |  3 ++-\n 1 files changed, 2 insertions(+), 1 deletions(-)\n"
        );
    }
}
