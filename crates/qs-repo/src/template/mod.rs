//! The template engine behind `log -T`, `--style` and friends: hg's
//! template language evaluated over changesets.
//!
//! - [`compile`]: qs-lang trees → [`compile::Expr`], with hg's compile-time
//!   errors (unknown functions, bad arguments).
//! - [`value`]: the value model (hg's `templateutil` wrappers).
//! - [`eval`]: symbols, filters, `%`, `.`, arithmetic and the value
//!   operations.
//! - [`keywords`], [`filters`], [`funcs`]: hg's tables of each;
//!   [`latesttag`], [`revquery`], [`pyregex`]: their heavier helpers.
//! - [`datefmt`], [`text`]: date formatting and byte-string helpers.
//!
//! An [`Engine`] holds the repository, the named templates (from
//! `[templates]` or a style) and `[templatealias]`; it renders a compiled
//! template against a [`Mapping`] (usually one changeset). It never
//! prints and never reads the environment: whatever depends on the
//! process (time, local offset, config, cwd) comes in [`EngineOptions`].

pub mod compile;
pub mod datefmt;
pub mod eval;
pub mod filters;
pub mod funcs;
pub mod keywords;
pub mod latesttag;
pub mod pyregex;
pub mod revquery;
pub mod text;
pub mod value;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use qs_lang::{Aliases, ParseError};
use qs_store::{Node, Revision};

use crate::changes::FileChanges;
use crate::error::RepoError;
use crate::{Changeset, Repo};

pub use compile::Expr;
pub use value::{Mapping, PyVal, Value};

/// A list value like hg's `hybridlist` (items map to `{name}`).
pub fn list_value(items: Vec<Vec<u8>>, name: &str) -> Value {
    keywords::compat_list(name, None, None, items)
}

/// A dict value like hg's `hybriddict`.
pub fn dict_value(items: Vec<(Vec<u8>, PyVal)>) -> Value {
    funcs::hybrid_dict(items)
}

/// A template failure, as hg reports it.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// `hg: parse error: ...` (+ hint line).
    #[error("{0}")]
    Parse(ParseError),
    /// `abort: ...` (+ hint line).
    #[error("{}", String::from_utf8_lossy(message))]
    Abort {
        message: Vec<u8>,
        hint: Option<Vec<u8>>,
    },
    #[error(transparent)]
    Repo(#[from] RepoError),
}

impl From<ParseError> for TemplateError {
    fn from(e: ParseError) -> Self {
        TemplateError::Parse(e)
    }
}

impl From<qs_store::StoreError> for TemplateError {
    fn from(e: qs_store::StoreError) -> Self {
        TemplateError::Repo(RepoError::Store(e))
    }
}

pub type TResult<T> = Result<T, TemplateError>;

/// One `[paths]` entry: name, location, sub-options.
pub type PeerPath = (Vec<u8>, Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>);

/// Everything the engine needs from the caller's process and command.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    pub quiet: bool,
    pub verbose: bool,
    pub debug: bool,
    /// Seconds since the epoch (for `age`).
    pub now: i64,
    /// The local time zone offset (seconds west of UTC) for `localdate`.
    pub local_offset: i32,
    /// Configuration items visible to `config()` (section, name) → value.
    pub config: BTreeMap<(Vec<u8>, Vec<u8>), Vec<u8>>,
    /// The current directory relative to the repository root (`/`-separated,
    /// empty at the root), for `relpath()`.
    pub cwd_in_repo: Vec<u8>,
    /// `[revsetalias]` entries for `revset()`.
    pub revset_aliases: Vec<(Vec<u8>, Vec<u8>)>,
    /// `log --copies`: fill `file_copies_switch`.
    pub copies_switch: bool,
    /// The process environment (for `{envvars}`, filtered by
    /// `experimental.exportableenviron`).
    pub env: Vec<(Vec<u8>, Vec<u8>)>,
    /// `[paths]` (name, location, sub-options), sorted by name, for
    /// `{peerurls}`.
    pub paths: Vec<PeerPath>,
}

#[derive(Default)]
struct Caches {
    changesets: HashMap<Revision, Rc<Changeset>>,
    changes: HashMap<Revision, Rc<FileChanges>>,
    children: Option<Rc<Vec<Vec<Revision>>>>,
    latest_tags: HashMap<Option<Vec<u8>>, HashMap<Revision, keywords::LatestTag>>,
    wd_parents: Option<Vec<Node>>,
    revsets: HashMap<Vec<u8>, Rc<Vec<Revision>>>,
}

/// hg's built-in named templates (`templatekw.default_templates`).
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("parent", "{rev}:{node|formatnode} "),
    ("manifest", "{rev}:{node|formatnode}"),
    ("file_copy", "{name} ({source})"),
    ("filecopy", "{name} ({source})"),
    ("envvar", "{key}={value}"),
    ("extra", "{key}={value|stringescape}"),
];

/// The template engine for one command run.
pub struct Engine<'a> {
    pub(crate) repo: &'a Repo,
    pub(crate) opts: EngineOptions,
    named: HashMap<Vec<u8>, Vec<u8>>,
    compiled: RefCell<HashMap<Vec<u8>, Rc<Expr>>>,
    internal: RefCell<HashMap<Vec<u8>, Rc<Expr>>>,
    pub(crate) stack: RefCell<Vec<Vec<u8>>>,
    aliases: Aliases,
    caches: RefCell<Caches>,
}

impl<'a> Engine<'a> {
    /// An engine with named templates (`[templates]` or a style's, later
    /// entries win) and template aliases (`[templatealias]`).
    pub fn new(
        repo: &'a Repo,
        opts: EngineOptions,
        named: Vec<(Vec<u8>, Vec<u8>)>,
        aliases: &[(Vec<u8>, Vec<u8>)],
    ) -> Engine<'a> {
        let mut map: HashMap<Vec<u8>, Vec<u8>> = DEFAULT_TEMPLATES
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect();
        map.extend(named);
        Engine {
            repo,
            opts,
            named: map,
            compiled: RefCell::new(HashMap::new()),
            internal: RefCell::new(HashMap::new()),
            stack: RefCell::new(Vec::new()),
            aliases: qs_lang::template::build_aliases(aliases),
            caches: RefCell::new(Caches::default()),
        }
    }

    pub fn repo(&self) -> &Repo {
        self.repo
    }

    /// Whether a named template exists.
    pub fn has_template(&self, name: &[u8]) -> bool {
        self.named.contains_key(name)
    }

    /// Parses, expands aliases in and compiles a template text, checking
    /// the named templates `%` refers to.
    pub fn parse(&self, text: &[u8]) -> TResult<Rc<Expr>> {
        let tree = qs_lang::template::parse(text)?;
        let tree = if self.aliases.is_empty() {
            tree
        } else {
            qs_lang::template::expand_aliases(&tree, &self.aliases).map_err(|e| match e {
                qs_lang::AliasError::Parse(p) => TemplateError::Parse(p),
                qs_lang::AliasError::BadAlias(msg) => TemplateError::Abort {
                    message: msg,
                    hint: None,
                },
            })?
        };
        let expr = compile::compile(&tree)?;
        self.check_named(&expr)?;
        Ok(Rc::new(expr))
    }

    /// A template text the engine itself supplies (no aliases), cached.
    pub(crate) fn parse_internal(&self, text: &[u8]) -> TResult<Rc<Expr>> {
        if let Some(e) = self.internal.borrow().get(text) {
            return Ok(e.clone());
        }
        let tree = qs_lang::template::parse(text)?;
        let expr = Rc::new(compile::compile(&tree)?);
        self.internal
            .borrow_mut()
            .insert(text.to_vec(), expr.clone());
        Ok(expr)
    }

    fn check_named(&self, expr: &Expr) -> TResult<()> {
        use compile::MapTarget;
        match expr {
            Expr::Template(parts) => parts.iter().try_for_each(|p| self.check_named(p)),
            Expr::Member(d, _) | Expr::Filter(d, _) | Expr::Negate(d) => self.check_named(d),
            Expr::Map(d, target) => {
                self.check_named(d)?;
                match target {
                    MapTarget::Inline(t) => self.check_named(t),
                    MapTarget::Named(name) => {
                        if !self.has_template(name) {
                            return Err(eval::abort(format!(
                                "\"{}\" not in template map",
                                String::from_utf8_lossy(name)
                            )));
                        }
                        self.compiled_named(name).map(|_| ())
                    }
                }
            }
            Expr::Func(_, args) => args
                .list
                .iter()
                .chain(args.rest.iter())
                .chain(args.named.iter().map(|(_, e)| e))
                .chain(args.kwargs.iter().map(|(_, e)| e))
                .try_for_each(|e| self.check_named(e)),
            Expr::Arith(_, l, r) => {
                self.check_named(l)?;
                self.check_named(r)
            }
            _ => Ok(()),
        }
    }

    /// The compiled named template `name`.
    pub fn named(&self, name: &[u8]) -> TResult<Rc<Expr>> {
        self.compiled_named(name)
    }

    fn compiled_named(&self, name: &[u8]) -> TResult<Rc<Expr>> {
        if let Some(e) = self.compiled.borrow().get(name) {
            return Ok(e.clone());
        }
        let Some(text) = self.named.get(name) else {
            return Err(eval::abort(format!(
                "\"{}\" not in template map",
                String::from_utf8_lossy(name)
            )));
        };
        let expr = self.parse(text)?;
        self.compiled
            .borrow_mut()
            .insert(name.to_vec(), expr.clone());
        Ok(expr)
    }

    /// Renders the named template `name` (hg's `process`).
    pub fn process(&self, name: &[u8], m: &Mapping) -> TResult<Vec<u8>> {
        let expr = self.compiled_named(name)?;
        self.render(&expr, m)
    }

    /// Renders a compiled template.
    pub fn render(&self, expr: &Expr, m: &Mapping) -> TResult<Vec<u8>> {
        self.eval_string(expr, m)
    }

    pub(crate) fn is_blocked(&self, name: &[u8]) -> bool {
        self.stack.borrow().iter().any(|n| n == name)
    }

    // -- repository data, cached ----------------------------------------------

    pub(crate) fn changeset(&self, rev: Revision) -> TResult<Rc<Changeset>> {
        if let Some(cs) = self.caches.borrow().changesets.get(&rev) {
            return Ok(cs.clone());
        }
        let cs = if rev.is_null() {
            Changeset::null()
        } else {
            self.repo.changeset(rev)?
        };
        let cs = Rc::new(cs);
        let mut caches = self.caches.borrow_mut();
        if caches.changesets.len() > 256 {
            caches.changesets.clear();
        }
        caches.changesets.insert(rev, cs.clone());
        Ok(cs)
    }

    pub(crate) fn file_changes(&self, rev: Revision) -> TResult<Rc<FileChanges>> {
        if let Some(c) = self.caches.borrow().changes.get(&rev) {
            return Ok(c.clone());
        }
        let cs = self.changeset(rev)?;
        let changes = if rev.is_null() {
            FileChanges::default()
        } else {
            crate::changes::file_changes(self.repo, &cs)?
        };
        let c = Rc::new(changes);
        let mut caches = self.caches.borrow_mut();
        if caches.changes.len() > 64 {
            caches.changes.clear();
        }
        caches.changes.insert(rev, c.clone());
        Ok(c)
    }

    pub(crate) fn children(&self, rev: Revision) -> TResult<Vec<Revision>> {
        let index = self.caches.borrow().children.clone();
        let index = match index {
            Some(i) => i,
            None => {
                let n = self.repo.len();
                let mut kids = vec![Vec::new(); n];
                for r in 0..n as i32 {
                    for p in self.repo.parents(Revision(r))? {
                        if p.0 >= 0 {
                            if let Some(k) = kids.get_mut(p.0 as usize) {
                                if k.last() != Some(&Revision(r)) {
                                    k.push(Revision(r));
                                }
                            }
                        }
                    }
                }
                let i = Rc::new(kids);
                self.caches.borrow_mut().children = Some(i.clone());
                i
            }
        };
        if rev.is_null() {
            let mut roots = Vec::new();
            for r in 0..self.repo.len() as i32 {
                if self.repo.parents(Revision(r))?[0].is_null() {
                    roots.push(Revision(r));
                }
            }
            return Ok(roots);
        }
        Ok(index.get(rev.0 as usize).cloned().unwrap_or_default())
    }

    pub(crate) fn wd_parents(&self) -> TResult<Vec<Node>> {
        if let Some(p) = &self.caches.borrow().wd_parents {
            return Ok(p.clone());
        }
        let [p1, p2] = self.repo.dirstate_parents()?;
        let mut v = vec![p1];
        if p2 != qs_store::NULL_NODE {
            v.push(p2);
        }
        self.caches.borrow_mut().wd_parents = Some(v.clone());
        Ok(v)
    }

    pub(crate) fn latest_tags_cache<R>(
        &self,
        pattern: Option<&[u8]>,
        f: impl FnOnce(&mut HashMap<Revision, keywords::LatestTag>) -> R,
    ) -> R {
        let mut caches = self.caches.borrow_mut();
        let entry = caches
            .latest_tags
            .entry(pattern.map(<[u8]>::to_vec))
            .or_default();
        f(entry)
    }

    pub(crate) fn cached_revset(&self, query: &[u8]) -> Option<Rc<Vec<Revision>>> {
        self.caches.borrow().revsets.get(query).cloned()
    }

    pub(crate) fn cache_revset(&self, query: &[u8], revs: Rc<Vec<Revision>>) {
        self.caches
            .borrow_mut()
            .revsets
            .insert(query.to_vec(), revs);
    }
}
