//! Matchers: which repository paths a set of patterns selects, and which
//! directories a walk may skip (`visit_dir` / `visit_children_set`, hg's
//! `visitdir` / `visitchildrenset`). Built by [`crate::matchbuild`].

use std::collections::{BTreeSet, HashMap, HashSet};

use regex::bytes::Regex;

/// Whether to descend into a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Nothing below can match.
    No,
    /// Something below may match.
    Yes,
    /// Everything below matches.
    All,
}

impl Visit {
    fn from_bool(b: bool) -> Self {
        if b {
            Visit::Yes
        } else {
            Visit::No
        }
    }

    /// False only for [`Visit::No`].
    pub fn any(self) -> bool {
        self != Visit::No
    }
}

/// Which entries of a directory to visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitChildren {
    /// None.
    Empty,
    /// This directory's entries (and possibly below).
    This,
    /// Everything below.
    All,
    /// Only these child names (never empty).
    Set(BTreeSet<Vec<u8>>),
}

impl VisitChildren {
    fn is_empty(&self) -> bool {
        matches!(self, VisitChildren::Empty)
    }
}

/// The compiled "match function" of a set of patterns: one regex, exact
/// `filepath:` paths, `rootfilesin:` directories, and `subinclude:`
/// matchers applied below their prefix.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    /// The union of the regex patterns, anchored at the start.
    pub regex: Option<Regex>,
    /// `filepath:` paths.
    pub exact: HashSet<Vec<u8>>,
    /// When every pattern is `rootfilesin:`, the directories (`.` = root).
    pub rootfilesin_dirs: Option<HashSet<Vec<u8>>>,
    /// `(prefix ending in '/', or empty; matcher)` for `subinclude:`.
    pub subincludes: Vec<(Vec<u8>, Matcher)>,
}

impl PatternSet {
    /// True if `path` matches.
    pub fn matches(&self, path: &[u8]) -> bool {
        if let Some(dirs) = &self.rootfilesin_dirs {
            let dir = match path.iter().rposition(|&b| b == b'/') {
                Some(i) => &path[..i],
                None => b".",
            };
            if dirs.contains(dir) {
                return true;
            }
        }
        if self.exact.contains(path) || self.regex.as_ref().is_some_and(|r| r.is_match(path)) {
            return true;
        }
        self.subincludes.iter().any(|(prefix, m)| {
            path.strip_prefix(prefix.as_slice())
                .is_some_and(|rest| m.matches(rest))
        })
    }
}

/// Parent directories of `path`, deepest first, ending with `""`.
pub fn find_dirs(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut end = Some(path.len());
    std::iter::from_fn(move || {
        let e = end?;
        match path[..e].iter().rposition(|&b| b == b'/') {
            Some(i) => {
                end = Some(i);
                Some(&path[..i])
            }
            None => {
                end = None;
                Some(&b""[..])
            }
        }
    })
}

fn path_or_parents_in(path: &[u8], set: &HashSet<Vec<u8>>) -> bool {
    !set.is_empty() && (set.contains(path) || find_dirs(path).any(|d| set.contains(d)))
}

/// A matcher for command-line patterns (hg's `patternmatcher`).
#[derive(Debug, Clone, Default)]
pub struct PatternMatcher {
    /// Explicitly named paths (roots of the patterns).
    pub files: Vec<Vec<u8>>,
    pub(crate) fileset: HashSet<Vec<u8>>,
    pub(crate) dirs_explicit: HashSet<Vec<u8>>,
    pub(crate) parents: HashSet<Vec<u8>>,
    pub(crate) prefix: bool,
    pub(crate) set: PatternSet,
}

/// A matcher for `-I`/`-X` and ignore files (hg's `includematcher`).
#[derive(Debug, Clone, Default)]
pub struct IncludeMatcher {
    pub(crate) set: PatternSet,
    pub(crate) prefix: bool,
    pub(crate) roots: HashSet<Vec<u8>>,
    pub(crate) dirs: HashSet<Vec<u8>>,
    pub(crate) parents: HashSet<Vec<u8>>,
    pub(crate) parent_children: HashMap<Vec<u8>, BTreeSet<Vec<u8>>>,
}

/// A matcher for exact paths (hg's `exactmatcher`).
#[derive(Debug, Clone, Default)]
pub struct ExactMatcher {
    /// The paths, in the given order.
    pub files: Vec<Vec<u8>>,
    fileset: HashSet<Vec<u8>>,
    dirs: HashSet<Vec<u8>>,
}

impl ExactMatcher {
    /// Matches exactly `files`.
    pub fn new(files: Vec<Vec<u8>>) -> Self {
        let fileset: HashSet<Vec<u8>> = files.iter().cloned().collect();
        let dirs = files
            .iter()
            .flat_map(|f| find_dirs(f).map(<[u8]>::to_vec))
            .collect();
        ExactMatcher {
            files,
            fileset,
            dirs,
        }
    }
}

/// Any matcher.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// Everything.
    Always,
    /// Nothing.
    Never,
    /// Command-line patterns.
    Pattern(Box<PatternMatcher>),
    /// Include-style patterns.
    Include(Box<IncludeMatcher>),
    /// Exact paths.
    Exact(Box<ExactMatcher>),
    /// Both.
    Intersection(Box<Matcher>, Box<Matcher>),
    /// The first but not the second.
    Difference(Box<Matcher>, Box<Matcher>),
    /// Any of them.
    Union(Vec<Matcher>),
}

impl Matcher {
    /// True if `path` (repository-relative, `/`-separated) matches.
    pub fn matches(&self, path: &[u8]) -> bool {
        match self {
            Matcher::Always => true,
            Matcher::Never => false,
            Matcher::Pattern(m) => m.fileset.contains(path) || m.set.matches(path),
            Matcher::Include(m) => m.set.matches(path),
            Matcher::Exact(m) => m.fileset.contains(path),
            Matcher::Intersection(a, b) => a.matches(path) && b.matches(path),
            Matcher::Difference(a, b) => a.matches(path) && !b.matches(path),
            Matcher::Union(ms) => ms.iter().any(|m| m.matches(path)),
        }
    }

    /// True if `path` is one of the explicitly named files.
    pub fn is_exact(&self, path: &[u8]) -> bool {
        self.files().iter().any(|f| f.as_slice() == path)
    }

    /// Matches everything.
    pub fn always(&self) -> bool {
        match self {
            Matcher::Always => true,
            Matcher::Intersection(a, b) => a.always() && b.always(),
            _ => false,
        }
    }

    /// Matches exactly [`Matcher::files`].
    pub fn is_exact_matcher(&self) -> bool {
        match self {
            Matcher::Exact(_) | Matcher::Never => true,
            Matcher::Intersection(a, b) => a.is_exact_matcher() || b.is_exact_matcher(),
            Matcher::Difference(a, _) => a.is_exact_matcher(),
            _ => false,
        }
    }

    /// The explicitly named files (hg's `files()`).
    pub fn files(&self) -> Vec<Vec<u8>> {
        match self {
            Matcher::Pattern(m) => m.files.clone(),
            Matcher::Exact(m) => m.files.clone(),
            Matcher::Intersection(a, b) => {
                if self.is_exact_matcher() {
                    let (e, other) = if a.is_exact_matcher() { (a, b) } else { (b, a) };
                    e.files().into_iter().filter(|f| other.matches(f)).collect()
                } else {
                    let mut f = a.files();
                    f.extend(b.files());
                    f
                }
            }
            Matcher::Difference(a, _) => {
                if self.is_exact_matcher() {
                    a.files().into_iter().filter(|f| self.matches(f)).collect()
                } else {
                    a.files()
                }
            }
            _ => Vec::new(),
        }
    }

    /// Whether a walk should descend into `dir` (`""` is the root).
    pub fn visit_dir(&self, dir: &[u8]) -> Visit {
        match self {
            Matcher::Always => Visit::All,
            Matcher::Never => Visit::No,
            Matcher::Pattern(m) => {
                if m.prefix && m.fileset.contains(dir) {
                    return Visit::All;
                }
                Visit::from_bool(
                    m.parents.contains(dir)
                        || path_or_parents_in(dir, &m.fileset)
                        || path_or_parents_in(dir, &m.dirs_explicit),
                )
            }
            Matcher::Include(m) => {
                if m.prefix && m.roots.contains(dir) {
                    return Visit::All;
                }
                Visit::from_bool(
                    m.dirs.contains(dir)
                        || m.parents.contains(dir)
                        || path_or_parents_in(dir, &m.roots),
                )
            }
            Matcher::Exact(m) => Visit::from_bool(m.dirs.contains(dir)),
            Matcher::Intersection(a, b) => match a.visit_dir(dir) {
                Visit::All => b.visit_dir(dir),
                Visit::No => Visit::No,
                Visit::Yes => Visit::from_bool(b.visit_dir(dir).any()),
            },
            Matcher::Difference(a, b) => match b.visit_dir(dir) {
                Visit::All => Visit::No,
                Visit::No => a.visit_dir(dir),
                Visit::Yes => Visit::from_bool(a.visit_dir(dir).any()),
            },
            Matcher::Union(ms) => {
                let mut any = false;
                for m in ms {
                    match m.visit_dir(dir) {
                        Visit::All => return Visit::All,
                        v => any |= v.any(),
                    }
                }
                Visit::from_bool(any)
            }
        }
    }

    /// Which entries of `dir` a walk should look at.
    pub fn visit_children_set(&self, dir: &[u8]) -> VisitChildren {
        match self {
            Matcher::Always => VisitChildren::All,
            Matcher::Never => VisitChildren::Empty,
            Matcher::Pattern(_) => match self.visit_dir(dir) {
                Visit::All => VisitChildren::All,
                Visit::Yes => VisitChildren::This,
                Visit::No => VisitChildren::Empty,
            },
            Matcher::Include(m) => {
                if m.prefix && m.roots.contains(dir) {
                    VisitChildren::All
                } else if m.roots.contains(&b""[..])
                    || m.dirs.contains(dir)
                    || path_or_parents_in(dir, &m.roots)
                {
                    VisitChildren::This
                } else if m.parents.contains(dir) {
                    match m.parent_children.get(dir) {
                        Some(set) if !set.is_empty() => VisitChildren::Set(set.clone()),
                        _ => VisitChildren::Empty,
                    }
                } else {
                    VisitChildren::Empty
                }
            }
            Matcher::Exact(m) => {
                if m.fileset.is_empty() || !m.dirs.contains(dir) {
                    return VisitChildren::Empty;
                }
                let children: BTreeSet<Vec<u8>> = m
                    .fileset
                    .iter()
                    .chain(m.dirs.iter())
                    .filter(|c| !c.is_empty())
                    .filter_map(|c| {
                        let rest = if dir.is_empty() {
                            Some(c.as_slice())
                        } else {
                            c.strip_prefix(dir).and_then(|r| r.strip_prefix(b"/"))
                        }?;
                        (!rest.contains(&b'/')).then(|| rest.to_vec())
                    })
                    .collect();
                if children.is_empty() {
                    VisitChildren::Empty
                } else {
                    VisitChildren::Set(children)
                }
            }
            Matcher::Intersection(a, b) => {
                let s1 = a.visit_children_set(dir);
                if s1.is_empty() {
                    return VisitChildren::Empty;
                }
                let s2 = b.visit_children_set(dir);
                match (s1, s2) {
                    (_, VisitChildren::Empty) => VisitChildren::Empty,
                    (VisitChildren::All, s2) => s2,
                    (s1, VisitChildren::All) => s1,
                    (VisitChildren::This, _) | (_, VisitChildren::This) => VisitChildren::This,
                    (VisitChildren::Set(x), VisitChildren::Set(y)) => {
                        let common: BTreeSet<Vec<u8>> = x.intersection(&y).cloned().collect();
                        if common.is_empty() {
                            VisitChildren::Empty
                        } else {
                            VisitChildren::Set(common)
                        }
                    }
                    _ => VisitChildren::Empty,
                }
            }
            Matcher::Difference(a, b) => {
                let s2 = b.visit_children_set(dir);
                if s2 == VisitChildren::All {
                    return VisitChildren::Empty;
                }
                let s1 = a.visit_children_set(dir);
                if s2.is_empty() {
                    return s1;
                }
                match s1 {
                    VisitChildren::All | VisitChildren::This => VisitChildren::This,
                    other => other,
                }
            }
            Matcher::Union(ms) => {
                let mut set = BTreeSet::new();
                let mut this = false;
                for m in ms {
                    match m.visit_children_set(dir) {
                        VisitChildren::Empty => {}
                        VisitChildren::All => return VisitChildren::All,
                        VisitChildren::This => this = true,
                        VisitChildren::Set(s) => set.extend(s),
                    }
                }
                if this {
                    VisitChildren::This
                } else if set.is_empty() {
                    VisitChildren::Empty
                } else {
                    VisitChildren::Set(set)
                }
            }
        }
    }
}

/// Intersection as hg builds it: an always-matcher side disappears.
pub fn intersect(a: Matcher, b: Matcher) -> Matcher {
    if a.always() {
        b
    } else if b.always() {
        a
    } else {
        Matcher::Intersection(Box::new(a), Box::new(b))
    }
}
