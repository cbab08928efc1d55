//! `Repo`: one opened repository. Opening reads the requirements and maps
//! the changelog index; everything else (manifests, names, phases, branch
//! heads) is loaded on first use and kept for the life of the value, so a
//! warm `Repo` in the command server answers without touching disk again.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use qs_store::changelog::ChangelogEntry;
use qs_store::manifest::Manifest;
use qs_store::requirements::Requirements;
use qs_store::revlog::{Revlog, RevlogOptions};
use qs_store::{Node, Revision, StoreError, NULL_NODE, NULL_REVISION};

use crate::changeset::Changeset;
use crate::error::{RepoError, RepoResult};
use crate::names::{self, Bookmarks, BranchInfo, BranchMap, Tags};

/// An opened repository.
pub struct Repo {
    root: PathBuf,
    dot_hg: PathBuf,
    store: PathBuf,
    requirements: Requirements,
    changelog: Revlog,
    manifestlog: OnceLock<Revlog>,
    bookmarks: OnceLock<Bookmarks>,
    tags: OnceLock<Tags>,
    heads: OnceLock<Vec<Revision>>,
    branch_infos: OnceLock<Vec<BranchInfo>>,
    changelog_meta: OnceLock<crate::changelog_meta::ChangelogMeta>,
    branchmap: OnceLock<BranchMap>,
    phases: OnceLock<Vec<qs_store::phases::Phase>>,
    /// Warnings met while loading (malformed bookmark or tag lines), for
    /// the caller to show; see [`Repo::take_warnings`].
    warnings: Mutex<Vec<String>>,
    /// The current time and zone for date specifications, given by the
    /// caller (libraries never read the clock); see [`Repo::set_clock`].
    clock: Mutex<Option<crate::datespec::Clock>>,
    /// The command's current directory relative to the root (`""` at the
    /// root), for file patterns in revsets; see [`Repo::set_cwd`].
    cwd: Mutex<Vec<u8>>,
    /// hg's `diffallopts` from the configuration (see `set_diff_options`).
    diff_options: Mutex<Option<crate::diff::DiffOptions>>,
}

impl Repo {
    /// Opens the repository whose working directory root is `root`.
    pub fn open(root: &Path) -> RepoResult<Repo> {
        let dot_hg = root.join(".hg");
        let requirements = Requirements::load(&dot_hg)?;
        requirements.check_supported()?;
        let store = requirements.store_path();
        let changelog = Revlog::open(&store.join("00changelog.i"), revlog_options())?;
        Ok(Repo {
            root: root.to_path_buf(),
            dot_hg,
            store,
            requirements,
            changelog,
            manifestlog: OnceLock::new(),
            bookmarks: OnceLock::new(),
            tags: OnceLock::new(),
            heads: OnceLock::new(),
            branch_infos: OnceLock::new(),
            changelog_meta: OnceLock::new(),
            branchmap: OnceLock::new(),
            phases: OnceLock::new(),
            warnings: Mutex::new(Vec::new()),
            clock: Mutex::new(None),
            cwd: Mutex::new(Vec::new()),
            diff_options: Mutex::new(None),
        })
    }

    /// Records a warning for the caller to show (hg's wording, with its
    /// trailing newline).
    pub(crate) fn warn(&self, warnings: impl IntoIterator<Item = String>) {
        if let Ok(mut pending) = self.warnings.lock() {
            pending.extend(warnings);
        }
    }

    /// Sets the current time and local zone that date specifications
    /// (`date()`, `today`, `-7`) are read against: the command's clock.
    pub fn set_clock(&self, clock: crate::datespec::Clock) {
        if let Ok(mut slot) = self.clock.lock() {
            *slot = Some(clock);
        }
    }

    /// The clock given by [`Repo::set_clock`], else UTC at the epoch.
    pub fn clock(&self) -> crate::datespec::Clock {
        self.clock
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .unwrap_or_else(|| crate::datespec::Clock::utc(0))
    }

    /// Sets the command's current directory, relative to the root, that
    /// file patterns in revsets (`file('*.c')`) are relative to.
    pub fn set_cwd(&self, relative: Vec<u8>) {
        if let Ok(mut slot) = self.cwd.lock() {
            *slot = relative;
        }
    }

    /// The directory given by [`Repo::set_cwd`] (`""`: the root).
    pub fn cwd(&self) -> Vec<u8> {
        self.cwd.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Sets the diff options of the configuration (hg's `diffallopts(ui)`)
    /// that diffs made inside revsets and templates use.
    pub fn set_diff_options(&self, options: crate::diff::DiffOptions) {
        if let Ok(mut slot) = self.diff_options.lock() {
            *slot = Some(options);
        }
    }

    /// The options given by [`Repo::set_diff_options`], else hg's defaults.
    pub fn diff_options(&self) -> crate::diff::DiffOptions {
        self.diff_options
            .lock()
            .ok()
            .and_then(|o| o.clone())
            .unwrap_or_default()
    }

    /// The warnings met since the last call, oldest first: the CLI prints
    /// them on stderr as hg does when it loads the same data.
    pub fn take_warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .map(|mut pending| std::mem::take(&mut *pending))
            .unwrap_or_default()
    }

    /// The working directory root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The `.hg` directory.
    pub fn dot_hg(&self) -> &Path {
        &self.dot_hg
    }

    /// The store directory (`.hg/store`, or the share source's).
    pub fn store_path(&self) -> &Path {
        &self.store
    }

    pub fn requirements(&self) -> &Requirements {
        &self.requirements
    }

    pub fn changelog(&self) -> &Revlog {
        &self.changelog
    }

    /// Number of changesets.
    pub fn len(&self) -> usize {
        self.changelog.len()
    }

    pub fn is_empty(&self) -> bool {
        self.changelog.is_empty()
    }

    /// The last revision (`tip`), or null in an empty repository.
    pub fn tip(&self) -> Revision {
        Revision(self.changelog.len() as i32 - 1)
    }

    /// The manifest revlog.
    pub fn manifestlog(&self) -> RepoResult<&Revlog> {
        cached(&self.manifestlog, || {
            Ok(Revlog::open(
                &self.store.join("00manifest.i"),
                revlog_options(),
            )?)
        })
    }

    /// The filelog of a tracked path.
    pub fn filelog(&self, path: &[u8]) -> RepoResult<Revlog> {
        let relative = self.requirements.filelog_index_path(path);
        Ok(Revlog::open(&self.store.join(relative), revlog_options())?
            .with_display_id(String::from_utf8_lossy(path).into_owned()))
    }

    /// Node of a changeset revision (null for null).
    pub fn node(&self, rev: Revision) -> RepoResult<Node> {
        Ok(self.changelog.node(rev)?)
    }

    /// Parents of a changeset revision.
    pub fn parents(&self, rev: Revision) -> RepoResult<[Revision; 2]> {
        if rev.is_null() {
            return Ok([NULL_REVISION, NULL_REVISION]);
        }
        Ok(self.changelog.parents(rev)?)
    }

    /// The parsed changeset of `rev`.
    pub fn changeset(&self, rev: Revision) -> RepoResult<Changeset> {
        if rev.is_null() {
            return Ok(Changeset::null());
        }
        let text = self.changelog.data(rev)?;
        let entry = ChangelogEntry::parse(&text).map_err(|message| {
            RepoError::Store(StoreError::corrupt(
                self.store.join("00changelog.i"),
                format!("revision {rev}: {message}"),
            ))
        })?;
        Ok(Changeset::from_entry(
            rev,
            self.changelog.node(rev)?,
            &entry,
        ))
    }

    /// Every changeset's user and date from the persistent cache
    /// ([`crate::changelog_meta`]), brought up to date first unless that
    /// means parsing more than `budget` changesets (then `None`: the
    /// caller parses the ones it needs).
    pub fn changelog_meta(
        &self,
        budget: usize,
    ) -> RepoResult<Option<&crate::changelog_meta::ChangelogMeta>> {
        if let Some(meta) = self.changelog_meta.get() {
            return Ok(Some(meta));
        }
        Ok(crate::changelog_meta::ChangelogMeta::load(self, budget)?
            .map(|meta| self.changelog_meta.get_or_init(|| meta)))
    }

    /// The manifest of changeset `rev` (empty for null).
    pub fn manifest_of(&self, rev: Revision) -> RepoResult<Manifest> {
        let cs = self.changeset(rev)?;
        self.manifest(&cs.manifest)
    }

    /// A manifest by its node.
    pub fn manifest(&self, node: &Node) -> RepoResult<Manifest> {
        if node.is_null() {
            return Ok(Manifest::empty());
        }
        let log = self.manifestlog()?;
        let rev = log
            .rev_of_node(node)?
            .ok_or_else(|| RepoError::Message(format!("manifest node {node} not found")))?;
        // hg's persistent full-text cache (written by hg after commits and
        // updates) spares rebuilding a long delta chain.
        let cached = qs_store::manifest_cache::lookup(
            &self
                .dot_hg()
                .join("wcache")
                .join(qs_store::manifest_cache::FILE_NAME),
            node,
        );
        let text = match cached {
            Some(text) => text,
            None => log.data(rev)?,
        };
        Ok(Manifest::parse(text)
            .map_err(|message| StoreError::corrupt(self.store.join("00manifest.i"), message))?)
    }

    /// The content of a file revision, without hg's copy metadata.
    pub fn file_content(&self, path: &[u8], filenode: &Node) -> RepoResult<Vec<u8>> {
        let log = self.filelog(path)?;
        let rev = log.rev_of_node(filenode)?.ok_or_else(|| {
            RepoError::Message(format!(
                "{}@{}: no node",
                String::from_utf8_lossy(path),
                filenode.short()
            ))
        })?;
        let text = log.data(rev)?;
        Ok(qs_store::filelog::strip_metadata(text))
    }

    /// The bookmarks (on known changesets) and the active one.
    pub fn bookmarks(&self) -> RepoResult<&Bookmarks> {
        cached(&self.bookmarks, || names::load_bookmarks(self))
    }

    /// Every tag, `tip` and local tags included.
    pub fn tags(&self) -> RepoResult<&Tags> {
        cached(&self.tags, || names::load_tags(self))
    }

    /// The topological heads in increasing revision order.
    pub fn heads(&self) -> RepoResult<&[Revision]> {
        cached(&self.heads, || names::compute_heads(self)).map(Vec::as_slice)
    }

    /// The branch and close flag of every revision.
    pub fn branch_infos(&self) -> RepoResult<&[BranchInfo]> {
        cached(&self.branch_infos, || names::branch_infos(self)).map(Vec::as_slice)
    }

    /// Named branches and their heads.
    pub fn branchmap(&self) -> RepoResult<&BranchMap> {
        cached(&self.branchmap, || {
            names::compute_branchmap(self, self.branch_infos()?)
        })
    }

    /// The phase of every revision.
    pub fn phases(&self) -> RepoResult<&[qs_store::phases::Phase]> {
        cached(&self.phases, || self.compute_phases()).map(Vec::as_slice)
    }

    fn compute_phases(&self) -> RepoResult<Vec<qs_store::phases::Phase>> {
        let roots = qs_store::phases::read_roots(&self.store)?;
        let mut resolved = Vec::new();
        for (phase, node) in roots {
            if let Some(rev) = self.changelog.rev_of_node(&node)? {
                resolved.push((phase, rev));
            }
        }
        let cl = &self.changelog;
        Ok(qs_store::phases::compute_phases(&resolved, cl.len(), |r| {
            cl.parents(r).unwrap_or([NULL_REVISION, NULL_REVISION])
        }))
    }

    /// The phase of one revision (public for null).
    pub fn phase(&self, rev: Revision) -> RepoResult<qs_store::phases::Phase> {
        if rev.is_null() {
            return Ok(qs_store::phases::Phase::Public);
        }
        Ok(self.phases()?[rev.0 as usize])
    }

    /// The working directory's parents from the dirstate (null if absent).
    pub fn dirstate_parents(&self) -> RepoResult<[Node; 2]> {
        crate::dirstate_parents::read(&self.dot_hg)
    }

    /// Revision of the working directory's first parent.
    pub fn working_parent(&self) -> RepoResult<Revision> {
        let [p1, _] = self.dirstate_parents()?;
        if p1 == NULL_NODE {
            return Ok(NULL_REVISION);
        }
        self.changelog.rev_of_node(&p1)?.ok_or_else(|| {
            RepoError::Message(format!(
                "working directory has unknown parent '{}'!",
                p1.short()
            ))
        })
    }
}

/// Returns the cached value, computing it on first use.
fn cached<T>(cell: &OnceLock<T>, compute: impl FnOnce() -> RepoResult<T>) -> RepoResult<&T> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let v = compute()?;
    Ok(cell.get_or_init(|| v))
}

fn revlog_options() -> RevlogOptions {
    RevlogOptions { use_mmap: true }
}
