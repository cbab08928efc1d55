//! `log -G`: hg's ASCII revision graph (`graphmod.dagwalker`,
//! `asciiedges` and `ascii`), drawn to the left of each changeset's text.
//! Parents outside the displayed set are linked through their nearest
//! displayed ancestors (grandparent edges) or end in a dangling `~`
//! (missing parents) when no displayed ancestor exists.

use std::collections::{HashMap, HashSet};

use qs_repo::Repo;
use qs_store::Revision;

use crate::displayer::{Displayer, Flags};
use crate::error::CliResult;
use crate::ui::Ui;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum EdgeType {
    Parent,
    Grandparent,
    Missing,
}

/// One drawing cell: an edge character (possibly several bytes) or hg's
/// `None` (a missing-parent edge still to be terminated).
type Cell = Option<Vec<u8>>;

fn cell(s: &[u8]) -> Cell {
    Some(s.to_vec())
}

/// Edge styles: `|` for parents, `:` for grandparents, `None` (dangling
/// `~`) for missing parents; all `|` under HGPLAIN.
pub struct Styles {
    pub parent: Cell,
    pub grandparent: Cell,
    pub missing: Cell,
}

impl Styles {
    pub fn new(plain: bool) -> Styles {
        if plain {
            Styles {
                parent: cell(b"|"),
                grandparent: cell(b"|"),
                missing: cell(b"|"),
            }
        } else {
            Styles {
                parent: cell(b"|"),
                grandparent: cell(b":"),
                missing: None,
            }
        }
    }

    fn get(&self, t: EdgeType) -> Cell {
        match t {
            EdgeType::Parent => self.parent.clone(),
            EdgeType::Grandparent => self.grandparent.clone(),
            EdgeType::Missing => self.missing.clone(),
        }
    }
}

struct State {
    seen: Vec<i32>,
    edges: HashMap<i32, Cell>,
    lastcoldiff: i64,
    lastindex: usize,
    styles: Styles,
}

/// One step of `asciiedges`: (node char, width, node index, edges,
/// ncols, column difference).
struct Step {
    ch: Vec<u8>,
    width: usize,
    idx: usize,
    edges: Vec<(usize, usize)>,
    ncols: usize,
    coldiff: i64,
}

/// hg's `dagwalker`: the graph parents of each displayed revision.
fn dag_parents(
    repo: &Repo,
    rev: Revision,
    revs: &HashSet<i32>,
    min: i32,
    cache: &mut HashMap<i32, Vec<i32>>,
) -> CliResult<Vec<(EdgeType, i32)>> {
    let [p1, p2] = repo.parents(rev)?;
    let mut ps = vec![p1.0];
    if !p2.is_null() {
        ps.push(p2.0);
    }
    let mut pset: HashSet<i32> = ps.iter().copied().filter(|p| revs.contains(p)).collect();
    let mpars: Vec<i32> = ps
        .iter()
        .copied()
        .filter(|p| *p != -1 && !pset.contains(p))
        .collect();
    let mut sorted: Vec<i32> = pset.iter().copied().collect();
    sorted.sort_unstable();
    let mut parents: Vec<(EdgeType, i32)> =
        sorted.into_iter().map(|p| (EdgeType::Parent, p)).collect();
    for mpar in mpars {
        let gp = match cache.get(&mpar) {
            Some(g) => g.clone(),
            None => {
                let g = reachable_roots(repo, revs, min, mpar)?;
                cache.insert(mpar, g.clone());
                g
            }
        };
        if gp.is_empty() {
            parents.push((EdgeType::Missing, mpar));
            pset.insert(mpar);
        } else {
            for g in gp {
                if !pset.contains(&g) {
                    parents.push((EdgeType::Grandparent, g));
                }
                pset.insert(g);
            }
        }
    }
    Ok(parents)
}

/// Members of `roots` reachable from `head` through parents, not walking
/// past a member (hg's `reachableroots` without paths), sorted.
fn reachable_roots(repo: &Repo, roots: &HashSet<i32>, min: i32, head: i32) -> CliResult<Vec<i32>> {
    let mut visit = vec![head];
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    while let Some(r) = visit.pop() {
        if roots.contains(&r) {
            found.push(r);
            continue;
        }
        seen.insert(r);
        for p in repo.parents(Revision(r))? {
            if p.0 >= min && !seen.contains(&p.0) {
                visit.push(p.0);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// hg's `asciiedges`, computed eagerly; returns the steps and whether the
/// revision's own pending edge is dropped before the last one.
fn ascii_edges(state: &mut State, ch: &[u8], rev: i32, parents: &[(EdgeType, i32)]) -> Vec<Step> {
    if !state.seen.contains(&rev) {
        state.seen.push(rev);
    }
    let mut nodeidx = state.seen.iter().position(|&r| r == rev).unwrap_or(0);
    let mut known = Vec::new();
    let mut newparents = Vec::new();
    for &(t, p) in parents {
        if p == rev {
            continue;
        }
        if state.seen.contains(&p) {
            known.push(p);
        } else {
            newparents.push(p);
            state.edges.insert(p, state.styles.get(t));
        }
    }
    let mut ncols = state.seen.len();
    let mut width = 1 + ncols * 2;
    let mut nextseen = state.seen.clone();
    nextseen.splice(nodeidx..nodeidx + 1, newparents.iter().copied());
    let index_of = |v: &Vec<i32>, p: i32| v.iter().position(|&x| x == p).unwrap_or(0);
    let mut edges: Vec<(usize, usize)> = known
        .iter()
        .map(|&p| (nodeidx, index_of(&nextseen, p)))
        .collect();
    state.seen = nextseen.clone();
    let mut steps = Vec::new();
    let mut ch = ch.to_vec();
    while newparents.len() > 2 {
        edges.push((nodeidx, nodeidx));
        edges.push((nodeidx, nodeidx + 1));
        width += 2;
        steps.push(Step {
            ch: ch.clone(),
            width,
            idx: nodeidx,
            edges: std::mem::take(&mut edges),
            ncols,
            coldiff: 1,
        });
        ch = b"\\".to_vec();
        nodeidx += 1;
        ncols += 1;
        newparents.remove(0);
    }
    if !newparents.is_empty() {
        edges.push((nodeidx, nodeidx));
    }
    if newparents.len() > 1 {
        edges.push((nodeidx, nodeidx + 1));
    }
    let nmorecols = nextseen.len() as i64 - ncols as i64;
    if nmorecols > 0 {
        width += 2;
    }
    steps.push(Step {
        ch,
        width,
        idx: nodeidx,
        edges,
        ncols,
        coldiff: nmorecols,
    });
    steps
}

fn getnodelineedgestail(
    echars: &[Cell],
    idx: usize,
    pidx: usize,
    ncols: usize,
    coldiff: i64,
    pdiff: i64,
    fix_tail: bool,
) -> Vec<Cell> {
    if fix_tail && coldiff == pdiff && coldiff != 0 {
        if coldiff == -1 {
            let start = (idx + 1).max(pidx);
            let a = (idx * 2).min(echars.len());
            let b = ((start - 1) * 2).clamp(a, echars.len());
            let mut tail: Vec<Cell> = echars[a..b].to_vec();
            for _ in 0..ncols.saturating_sub(start) {
                tail.push(cell(b"/"));
                tail.push(cell(b" "));
            }
            tail
        } else {
            let mut tail = Vec::new();
            for _ in 0..ncols.saturating_sub(idx + 1) {
                tail.push(cell(b"\\"));
                tail.push(cell(b" "));
            }
            tail
        }
    } else {
        let remainder = ncols as i64 - idx as i64 - 1;
        if remainder > 0 {
            let n = (remainder * 2) as usize;
            echars[echars.len().saturating_sub(n)..].to_vec()
        } else {
            Vec::new()
        }
    }
}

fn drawedges(
    echars: &[Cell],
    edges: &[(usize, usize)],
    nodeline: &mut [Cell],
    interline: &mut [Cell],
) {
    for &(start, end) in edges {
        if start == end + 1 {
            if let Some(c) = interline.get_mut(2 * end + 1) {
                *c = cell(b"/");
            }
        } else if start + 1 == end {
            if let Some(c) = interline.get_mut(2 * start + 1) {
                *c = cell(b"\\");
            }
        } else if start == end {
            let e = echars.get(2 * start).cloned().unwrap_or(None);
            if let Some(c) = interline.get_mut(2 * start) {
                *c = e;
            }
        } else {
            if 2 * end >= nodeline.len() {
                continue;
            }
            nodeline[2 * end] = cell(b"+");
            let (s, e) = if start > end {
                (end, start)
            } else {
                (start, end)
            };
            for c in nodeline.iter_mut().take(2 * e).skip(2 * s + 1) {
                if c.as_deref() != Some(b"+") {
                    *c = cell(b"-");
                }
            }
        }
    }
}

fn paddingline(echars: &[Cell], idx: usize, ncols: usize, edges: &[(usize, usize)]) -> Vec<Cell> {
    let mut line: Vec<Cell> = echars[..(idx * 2).min(echars.len())].to_vec();
    if (idx > 0 && edges.contains(&(idx, idx - 1))) || edges.contains(&(idx, idx)) {
        line.extend(
            echars
                .get(idx * 2..(idx + 1) * 2)
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
    } else {
        line.push(cell(b" "));
        line.push(cell(b" "));
    }
    let remainder = ncols as i64 - idx as i64 - 1;
    if remainder > 0 {
        let n = (remainder * 2) as usize;
        line.extend(echars[echars.len().saturating_sub(n)..].iter().cloned());
    }
    line
}

fn drawendinglines(lines: &mut Vec<Vec<Cell>>, extra: &[Cell], state: &mut State) {
    if !state.edges.values().any(Option::is_none) {
        return;
    }
    let mut edgechars: Vec<Cell> = extra.iter().step_by(2).cloned().collect();
    while edgechars.last().is_some_and(Option::is_none) {
        edgechars.pop();
    }
    let nones = edgechars.iter().filter(|c| c.is_none()).count();
    let shift_size = (nones * 2).saturating_sub(1);
    let minlines = 3;
    while lines.len() < minlines + shift_size {
        lines.push(extra.to_vec());
    }
    if shift_size > 0 {
        let first_empty = extra.iter().position(Option::is_none).unwrap_or(0);
        let mut toshift = Vec::new();
        for (k, c) in extra.iter().skip(first_empty).step_by(2).enumerate() {
            let i = first_empty / 2 + k;
            if c.is_some() {
                toshift.push(i * 2);
            }
        }
        let targets: Vec<usize> = (0..toshift.len()).map(|k| first_empty + 2 * k).collect();
        let mut positions = toshift.clone();
        let n = lines.len();
        for line in lines[n - shift_size..].iter_mut() {
            for c in line.iter_mut().skip(first_empty) {
                *c = cell(b" ");
            }
            for i in 0..positions.len() {
                let pos = positions[i].saturating_sub(1);
                positions[i] = pos.max(targets[i]);
                if let Some(c) = line.get_mut(pos) {
                    *c = if pos > targets[i] {
                        cell(b"/")
                    } else {
                        extra.get(toshift[i]).cloned().unwrap_or(None)
                    };
                }
            }
        }
    }
    for (i, line) in lines.iter_mut().enumerate() {
        if !line.iter().any(Option::is_none) {
            continue;
        }
        let fill: &[u8] = match i {
            1 => b"|",
            2 => b"~",
            _ => b" ",
        };
        for c in line.iter_mut() {
            if c.is_none() {
                *c = cell(fill);
            }
        }
    }
    let remove: Vec<i32> = state
        .edges
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(p, _)| *p)
        .collect();
    for p in remove {
        state.edges.remove(&p);
        state.seen.retain(|&s| s != p);
    }
}

/// hg's `ascii`: draws one step beside `text`.
fn ascii(out: &mut Vec<u8>, state: &mut State, step: &Step, text: Vec<Vec<u8>>) {
    let Step {
        ch,
        idx,
        ncols,
        coldiff,
        ..
    } = step;
    let (idx, ncols, coldiff) = (*idx, *ncols, *coldiff);
    let mut edges = step.edges.clone();
    let mut echars: Vec<Cell> = Vec::new();
    for p in &state.seen {
        echars.push(state.edges.get(p).cloned().unwrap_or_else(|| cell(b"|")));
        echars.push(cell(b" "));
    }
    let extra_cols = (ncols as i64 + coldiff - state.seen.len() as i64).max(0);
    for _ in 0..extra_cols {
        echars.push(cell(b"|"));
        echars.push(cell(b" "));
    }
    if coldiff == -1 {
        for e in edges.iter_mut() {
            if e.1 > e.0 {
                e.1 += 1;
            }
        }
    }
    let add_padding_line = text.len() > 2 && coldiff == -1 && edges.iter().any(|&(x, y)| x + 1 < y);
    let fix_nodeline_tail = text.len() <= 2 && !add_padding_line;
    let mut nodeline: Vec<Cell> = echars[..(idx * 2).min(echars.len())].to_vec();
    nodeline.push(Some(ch.clone()));
    nodeline.push(cell(b" "));
    nodeline.extend(getnodelineedgestail(
        &echars,
        idx,
        state.lastindex,
        ncols,
        coldiff,
        state.lastcoldiff,
        fix_nodeline_tail,
    ));
    let mut shift: Vec<Cell> = echars[..(idx * 2).min(echars.len())].to_vec();
    for _ in 0..(2 + coldiff).max(0) {
        shift.push(cell(b" "));
    }
    let count = ncols as i64 - idx as i64 - 1;
    if coldiff == -1 {
        for _ in 0..count.max(0) {
            shift.push(cell(b"/"));
            shift.push(cell(b" "));
        }
    } else if coldiff == 0 {
        let from = ((idx + 1) * 2).min(echars.len());
        let to = (ncols * 2).min(echars.len()).max(from);
        shift.extend(echars[from..to].iter().cloned());
    } else {
        for _ in 0..count.max(0) {
            shift.push(cell(b"\\"));
            shift.push(cell(b" "));
        }
    }
    drawedges(&echars, &edges, &mut nodeline, &mut shift);
    let mut lines = vec![nodeline];
    if add_padding_line {
        lines.push(paddingline(&echars, idx, ncols, &edges));
    }
    lines.push(shift);
    let extra_len = ((ncols as i64 + coldiff) * 2).max(0) as usize;
    let extra: Vec<Cell> = echars[..extra_len.min(echars.len())].to_vec();
    while lines.len() < text.len() {
        lines.push(extra.clone());
    }
    drawendinglines(&mut lines, &extra, state);
    let mut text = text;
    while text.len() < lines.len() {
        text.push(Vec::new());
    }
    let indentation = 2 * (ncols as i64).max(ncols as i64 + coldiff) as usize;
    for (line, t) in lines.iter().zip(text.iter()) {
        let mut l: Vec<u8> = Vec::new();
        for c in line {
            l.extend_from_slice(c.as_deref().unwrap_or(b" "));
        }
        while l.len() < indentation {
            l.push(b' ');
        }
        l.push(b' ');
        l.extend_from_slice(t);
        while l
            .last()
            .is_some_and(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        {
            l.pop();
        }
        l.push(b'\n');
        out.extend_from_slice(&l);
    }
    state.lastcoldiff = coldiff;
    state.lastindex = idx;
}

/// The node character of a changeset (hg's default `{graphnode}`).
fn node_char(repo: &Repo, rev: Revision, wd: &[qs_store::Node]) -> CliResult<Vec<u8>> {
    let cs = repo.changeset(rev)?;
    Ok(if wd.contains(&cs.node) {
        b"@".to_vec()
    } else if cs.is_close() {
        b"_".to_vec()
    } else {
        b"o".to_vec()
    })
}

/// Draws the graph of `revs` (newest first) with each changeset's text.
pub fn show(
    ui: &mut Ui<'_>,
    repo: &Repo,
    revs: &[Revision],
    displayer: &mut Displayer<'_>,
    flags: Flags,
    plain: bool,
) -> CliResult<()> {
    let set: HashSet<i32> = revs.iter().map(|r| r.0).collect();
    let min = revs.iter().map(|r| r.0).min().unwrap_or(0);
    let [w1, w2] = repo.dirstate_parents()?;
    let mut wd = vec![w1];
    if w2 != qs_store::NULL_NODE {
        wd.push(w2);
    }
    let mut state = State {
        seen: Vec::new(),
        edges: HashMap::new(),
        lastcoldiff: 0,
        lastindex: 0,
        styles: Styles::new(plain),
    };
    let mut cache = HashMap::new();
    displayer.buffer_headers();
    let begin = displayer.begin()?;
    ui.write(&begin)?;
    for &rev in revs {
        let parents = dag_parents(repo, rev, &set, min, &mut cache)?;
        let ch = node_char(repo, rev, &wd)?;
        let steps = ascii_edges(&mut state, &ch, rev.0, &parents);
        let width = steps.first().map_or(0, |s| s.width);
        let text = displayer.render(repo, rev, flags, Some(width))?;
        let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        if lines.last().is_some_and(Vec::is_empty) {
            lines.pop();
        }
        let mut out = displayer.take_header();
        let n = steps.len();
        for (i, step) in steps.iter().enumerate() {
            if i + 1 == n {
                state.edges.remove(&rev.0);
            }
            let t = if i == 0 {
                std::mem::take(&mut lines)
            } else {
                Vec::new()
            };
            ascii(&mut out, &mut state, step, t);
        }
        ui.write(&out)?;
    }
    let end = displayer.end()?;
    ui.write(&end)?;
    Ok(())
}
