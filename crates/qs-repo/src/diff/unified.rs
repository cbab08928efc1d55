//! Unified diff text of one file's two versions, as hg writes it: the
//! `---`/`+++` header lines, hunks built from [`super::blocks`] with hg's
//! context merging, `-U N`, `-p` function names, the whitespace options
//! (`-w`, `-b`, `-B`, `-Z`) and `\ No newline at end of file` markers.

use super::blocks::{blocks, split_lines, Block};

/// The marker hg prints after a last line without newline.
pub const MISSING_NEWLINE: &[u8] = b"\\ No newline at end of file\n";

/// How text is compared and hunks are laid out.
#[derive(Clone, Debug)]
pub struct TextOptions {
    /// Lines of context (`-U`); hg accepts any integer.
    pub context: i64,
    /// `-p`: name the enclosing function in hunk headers.
    pub show_function: bool,
    /// `-w`: ignore all white space.
    pub ignore_ws: bool,
    /// `-b`: ignore changes in the amount of white space.
    pub ignore_ws_amount: bool,
    /// `-B`: ignore changes whose lines are all blank.
    pub ignore_blank_lines: bool,
    /// `-Z`: ignore white space at line ends.
    pub ignore_ws_eol: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            context: 3,
            show_function: false,
            ignore_ws: false,
            ignore_ws_amount: false,
            ignore_blank_lines: false,
            ignore_ws_eol: false,
        }
    }
}

/// hg's `fixws`: drop spaces, tabs and CRs (`all`), or squeeze runs of
/// them into one space and drop it before a newline.
fn fix_ws(text: &[u8], all: bool) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    for &c in text {
        if c == b' ' || c == b'\t' || c == b'\r' {
            if !all && out.last() != Some(&b' ') {
                out.push(b' ');
            }
        } else if c == b'\n' && !all && out.last() == Some(&b' ') {
            if let Some(last) = out.last_mut() {
                *last = b'\n';
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// hg's `wsclean`: the text as the whitespace options see it.
fn ws_clean(opts: &TextOptions, text: &[u8], blank: bool) -> Vec<u8> {
    let mut text = if opts.ignore_ws {
        fix_ws(text, true)
    } else if opts.ignore_ws_amount {
        fix_ws(text, false)
    } else {
        text.to_vec()
    };
    if blank && opts.ignore_blank_lines {
        let mut squeezed = Vec::with_capacity(text.len());
        for &c in &text {
            if !(c == b'\n' && squeezed.last() == Some(&b'\n')) {
                squeezed.push(c);
            }
        }
        let start = squeezed.iter().position(|&c| c != b'\n');
        text = match start {
            None => Vec::new(),
            Some(start) => {
                let end = squeezed
                    .iter()
                    .rposition(|&c| c != b'\n')
                    .map_or(0, |e| e + 1);
                squeezed[start..end].to_vec()
            }
        };
    }
    if opts.ignore_ws_eol {
        text = strip_eol_ws(&text);
    }
    text
}

/// Removes runs of spaces, tabs, CRs and form feeds before each newline.
fn strip_eol_ws(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for &c in text {
        if c == b'\n' {
            while matches!(out.last(), Some(b' ' | b'\t' | b'\r' | b'\x0c')) {
                out.pop();
            }
        }
        out.push(c);
    }
    out
}

/// A block and whether it matches (`Equal`), differs (`Changed`) or
/// matches once blank lines are ignored (`Blank`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Equal,
    Changed,
    Blank,
}

/// hg's `allblocks`: matching blocks and the gaps between them.
fn all_blocks(
    t1: &[u8],
    t2: &[u8],
    l1: &[&[u8]],
    l2: &[&[u8]],
    opts: &TextOptions,
) -> Vec<(Block, Kind)> {
    let matched = if opts.ignore_ws || opts.ignore_ws_amount || opts.ignore_ws_eol {
        blocks(&ws_clean(opts, t1, false), &ws_clean(opts, t2, false))
    } else {
        blocks(t1, t2)
    };
    let mut out = Vec::with_capacity(matched.len() * 2);
    let mut prev = Block {
        a1: 0,
        a2: 0,
        b1: 0,
        b2: 0,
    };
    for (i, block) in matched.iter().enumerate() {
        if i > 0 {
            prev = matched[i - 1];
        }
        let gap = Block {
            a1: prev.a2,
            a2: block.a1,
            b1: prev.b2,
            b2: block.b1,
        };
        if gap.a1 != gap.a2 || gap.b1 != gap.b2 {
            let mut kind = Kind::Changed;
            if opts.ignore_blank_lines {
                let old = ws_clean(opts, &join(l1, gap.a1, gap.a2), true);
                let new = ws_clean(opts, &join(l2, gap.b1, gap.b2), true);
                if old == new {
                    kind = Kind::Blank;
                }
            }
            out.push((gap, kind));
        }
        out.push((*block, Kind::Equal));
    }
    out
}

fn join(lines: &[&[u8]], from: usize, to: usize) -> Vec<u8> {
    lines.get(from..to.max(from)).unwrap_or_default().concat()
}

/// A hunk being built: old and new ranges (without trailing context) and
/// its lines so far.
struct Pending {
    astart: i64,
    a2: i64,
    bstart: i64,
    b2: i64,
    delta: Vec<Vec<u8>>,
}

/// Lays out hunks from the blocks (hg's `_unidiff`), appending their text
/// to `out`. Returns whether any hunk was written.
fn hunks(t1: &[u8], t2: &[u8], opts: &TextOptions, out: &mut Vec<u8>) -> bool {
    let l1 = split_lines(t1);
    let l2 = split_lines(t2);
    let context = opts.context;
    let len1 = l1.len() as i64;
    let context_end = |l: i64| (l + context).min(len1);
    let context_start = |l: i64| (l - context).max(0);
    let line = |lines: &[&[u8]], i: i64| -> Vec<u8> {
        usize::try_from(i)
            .ok()
            .and_then(|i| lines.get(i))
            .map_or_else(Vec::new, |l| l.to_vec())
    };
    let mut last_func: (i64, Vec<u8>) = (0, Vec::new());
    let mut emit = |hunk: Pending, out: &mut Vec<u8>| {
        let Pending {
            mut astart,
            a2,
            mut bstart,
            b2,
            delta,
        } = hunk;
        let aend = context_end(a2);
        let alen = aend - astart;
        let blen = b2 - bstart + aend - a2;
        let mut func = Vec::new();
        if opts.show_function {
            func = last_func.1.clone();
            let mut i = astart - 1;
            while i >= last_func.0 && i >= 0 {
                let text = line(&l1, i);
                if text
                    .first()
                    .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c == b'$')
                {
                    let mut f = b" ".to_vec();
                    f.extend_from_slice(text.trim_ascii_end());
                    if f.is_ascii() {
                        f.truncate(41);
                    }
                    last_func.1 = f.clone();
                    func = f;
                    break;
                }
                i -= 1;
            }
            last_func.0 = astart;
        }
        if alen != 0 {
            astart += 1;
        }
        if blen != 0 {
            bstart += 1;
        }
        let mut lines: Vec<Vec<u8>> = Vec::with_capacity(delta.len() + 4);
        let mut header = format!("@@ -{astart},{alen} +{bstart},{blen} @@").into_bytes();
        header.extend_from_slice(&func);
        header.push(b'\n');
        lines.push(header);
        lines.extend(delta);
        for x in a2..aend {
            let mut l = b" ".to_vec();
            l.extend_from_slice(&line(&l1, x));
            lines.push(l);
        }
        let mut skip = false;
        if !t1.ends_with(b"\n") && astart + alen == len1 + 1 {
            if let Some(i) = lines
                .iter()
                .rposition(|l| l.starts_with(b"-") || l.starts_with(b" "))
            {
                skip = lines[i].starts_with(b" ");
                lines[i].push(b'\n');
                lines.insert(i + 1, MISSING_NEWLINE.to_vec());
            }
        }
        if !skip && !t2.ends_with(b"\n") && bstart + blen == l2.len() as i64 + 1 {
            if let Some(i) = lines.iter().rposition(|l| l.starts_with(b"+")) {
                lines[i].push(b'\n');
                lines.insert(i + 1, MISSING_NEWLINE.to_vec());
            }
        }
        for l in lines {
            out.extend_from_slice(&l);
        }
    };

    let mut hunk: Option<Pending> = None;
    let mut ignored: i64 = 0;
    let mut any = false;
    for (block, kind) in all_blocks(t1, t2, &l1, &l2, opts) {
        let (a1, a2) = (block.a1 as i64, block.a2 as i64);
        let (mut b1, mut b2) = (block.b1 as i64, block.b2 as i64);
        match kind {
            Kind::Equal => continue,
            Kind::Blank => {
                ignored += (b2 - b1) - (a2 - a1);
                continue;
            }
            Kind::Changed => {}
        }
        let old = &l1[block.a1..block.a2];
        let new = &l2[block.b1..block.b2];
        b1 -= ignored;
        b2 -= ignored;
        let mut astart = context_start(a1);
        let bstart = context_start(b1);
        let mut current = match hunk.take() {
            Some(prev) if astart < prev.a2 + context + 1 => {
                astart = prev.a2;
                Pending { a2, b2, ..prev }
            }
            Some(prev) => {
                any = true;
                emit(prev, out);
                Pending {
                    astart,
                    a2,
                    bstart,
                    b2,
                    delta: Vec::new(),
                }
            }
            None => Pending {
                astart,
                a2,
                bstart,
                b2,
                delta: Vec::new(),
            },
        };
        for x in astart..a1 {
            let mut l = b" ".to_vec();
            l.extend_from_slice(&line(&l1, x));
            current.delta.push(l);
        }
        for l in old {
            let mut v = b"-".to_vec();
            v.extend_from_slice(l);
            current.delta.push(v);
        }
        for l in new {
            let mut v = b"+".to_vec();
            v.extend_from_slice(l);
            current.delta.push(v);
        }
        hunk = Some(current);
    }
    if let Some(last) = hunk {
        any = true;
        emit(last, out);
    }
    any
}

/// One side of a file comparison.
#[derive(Clone, Copy, Debug)]
pub struct Version<'a> {
    /// The content; `None` when the file does not exist on this side.
    pub data: Option<&'a [u8]>,
    /// The date shown in the header (hg's default date format).
    pub date: &'a str,
    /// The path shown in the header.
    pub path: &'a [u8],
}

/// Header presentation choices.
#[derive(Clone, Copy, Debug, Default)]
pub struct HeaderOptions {
    pub git: bool,
    pub nodates: bool,
    pub noprefix: bool,
}

/// The date shown for the null side of an added or removed file.
pub const EPOCH: &str = "Thu Jan 01 00:00:00 1970 +0000";

/// hg's `unidiff`: the `---`/`+++` lines (without their newlines) and the
/// hunk text; both empty when there is nothing to show.
pub fn unidiff(
    a: Version<'_>,
    b: Version<'_>,
    binary: bool,
    header: HeaderOptions,
    opts: &TextOptions,
) -> (Vec<Vec<u8>>, Vec<u8>) {
    let empty = |v: Option<&[u8]>| v.is_none_or(<[u8]>::is_empty);
    if empty(a.data) && empty(b.data) {
        return (Vec::new(), Vec::new());
    }
    let (aprefix, bprefix): (&[u8], &[u8]) = if header.noprefix {
        (b"", b"")
    } else {
        (b"a/", b"b/")
    };
    let datetag = |date: &str, path: Option<&[u8]>| -> Vec<u8> {
        if !header.git && !header.nodates {
            return format!("\t{date}").into_bytes();
        }
        if path.is_some_and(|p| p.contains(&b' ')) {
            return b"\t".to_vec();
        }
        Vec::new()
    };
    let file_line = |marker: &[u8], prefix: &[u8], v: &Version<'_>| -> Vec<u8> {
        let mut l = marker.to_vec();
        l.extend_from_slice(prefix);
        l.extend_from_slice(v.path);
        l.extend_from_slice(&datetag(v.date, Some(v.path)));
        l
    };
    let null_line = |marker: &[u8]| -> Vec<u8> {
        let mut l = marker.to_vec();
        l.extend_from_slice(b"/dev/null");
        l.extend_from_slice(&datetag(EPOCH, None));
        l
    };
    let mut text = Vec::new();
    if binary {
        if let (Some(x), Some(y)) = (a.data, b.data) {
            if !x.is_empty() && x == y {
                return (Vec::new(), Vec::new());
            }
        }
        text.extend_from_slice(b"Binary file ");
        text.extend_from_slice(a.path);
        text.extend_from_slice(b" has changed\n");
        return (Vec::new(), text);
    }
    let whole = |lines: &[&[u8]], sign: u8, missing_newline: bool, out: &mut Vec<u8>| {
        for l in lines {
            out.push(sign);
            out.extend_from_slice(l);
        }
        if missing_newline {
            out.push(b'\n');
            out.extend_from_slice(MISSING_NEWLINE);
        }
    };
    if empty(a.data) {
        let data = b.data.unwrap_or_default();
        let lines = split_lines(data);
        let l1 = match a.data {
            None => null_line(b"--- "),
            Some(_) => file_line(b"--- ", aprefix, &a),
        };
        let l2 = file_line(b"+++ ", bprefix, &b);
        text.extend_from_slice(format!("@@ -0,0 +1,{} @@\n", lines.len()).as_bytes());
        whole(&lines, b'+', !data.ends_with(b"\n"), &mut text);
        return (vec![l1, l2], text);
    }
    if empty(b.data) {
        let data = a.data.unwrap_or_default();
        let lines = split_lines(data);
        let l1 = file_line(b"--- ", aprefix, &a);
        let l2 = match b.data {
            None => null_line(b"+++ "),
            Some(_) => file_line(b"+++ ", bprefix, &b),
        };
        text.extend_from_slice(format!("@@ -1,{} +0,0 @@\n", lines.len()).as_bytes());
        whole(&lines, b'-', !data.ends_with(b"\n"), &mut text);
        return (vec![l1, l2], text);
    }
    let (x, y) = (a.data.unwrap_or_default(), b.data.unwrap_or_default());
    if !hunks(x, y, opts, &mut text) {
        return (Vec::new(), Vec::new());
    }
    (
        vec![
            file_line(b"--- ", aprefix, &a),
            file_line(b"+++ ", bprefix, &b),
        ],
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(a: &[u8], b: &[u8], context: i64) -> String {
        let opts = TextOptions {
            context,
            ..TextOptions::default()
        };
        let mut out = Vec::new();
        hunks(a, b, &opts, &mut out);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn one_change_with_context() {
        assert_eq!(
            body(b"1\n2\n3\n4\n5\n", b"1\n2\nX\n4\n5\n", 1),
            "@@ -2,3 +2,3 @@\n 2\n-3\n+X\n 4\n"
        );
    }

    #[test]
    fn missing_newline_markers() {
        assert_eq!(
            body(b"a\nb", b"a\nc", 3),
            "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn whitespace_cleaning() {
        assert_eq!(fix_ws(b"a  b \t\nc\r\n", false), b"a b\nc\n");
        assert_eq!(fix_ws(b"a  b \t\nc\r\n", true), b"ab\nc\n");
        let opts = TextOptions {
            ignore_blank_lines: true,
            ..TextOptions::default()
        };
        assert_eq!(ws_clean(&opts, b"\n\na\n\n\nb\n\n", true), b"a\nb");
    }
}
