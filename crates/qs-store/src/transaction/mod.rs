//! Transactions: every change to a store goes through one, so that an
//! error, a drop or a `kill -9` at any moment can be undone, by us or by
//! `hg recover` (and an interrupted hg transaction by our [`recover`]).
//!
//! The files and their formats are hg 7.2's (`mercurial/transaction.py`,
//! `localrepo.transaction()`); see [`playback`] for the journal formats.
//!
//! - [`Transaction::begin`] (store lock held) refuses to start over an
//!   abandoned `journal` ([`StoreError::AbandonedTransaction`]), writes
//!   `.hg/journal.desc` (`<changelog length>\n<description>\n`), creates
//!   `store/journal` and `store/journal.backupfiles` (`2\n`).
//! - Before appending to a store file, call [`Transaction::add`] with its
//!   length before the first append (only the first call per file counts;
//!   the journal line is written before the data). Before replacing a file
//!   (phaseroots, bookmarks, dirstate...), call [`Transaction::add_backup`]:
//!   the file is copied to `journal.backup.<name>.bck` beside it; replace it
//!   afterwards with an atomic rename, never in place.
//! - Temporary files ([`Transaction::register_tmp`]) are deleted whatever
//!   happens; finalize actions (renames, delayed appends: how the changelog
//!   and split revlogs become visible) run at commit in key order, like
//!   hg's `addfinalize` categories.
//! - [`Transaction::commit`] runs the finalize actions, writes the fncache,
//!   turns the journal into hg's `undo` files (`store/undo`,
//!   `store/undo.backupfiles`, `undo.backup.*.bck`, `.hg/undo.desc`) and
//!   removes the journal. [`Transaction::abort`], or dropping an
//!   uncommitted transaction, plays the journal back.
//!
//! Messages hg prints during an abort ("transaction abort!", "rollback
//! completed") go to the report callback; library code never prints.

pub mod playback;
pub mod vfs;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;

use crate::error::{StoreError, StoreResult};
use crate::fncache::Fncache;
use crate::lock::Lock;

pub use playback::{recover, BackupEntry};
pub use vfs::{write_atomic, Location, StoreVfs};

/// The logical name of the journal in the store.
const JOURNAL: &[u8] = b"journal";
const JOURNAL_BACKUPS: &[u8] = b"journal.backupfiles";
const JOURNAL_DESC: &[u8] = b"journal.desc";
const UNDO: &[u8] = b"undo";

/// Legacy and current undo files removed before new ones are written
/// (hg's `UNDO_FILES_MAY_NEED_CLEANUP`; `undo` itself last).
const UNDO_FILES_TO_CLEAN: &[(Location, &[u8])] = &[
    (Location::Store, b"undo.narrowspec"),
    (Location::Plain, b"undo.narrowspec.dirstate"),
    (Location::Plain, b"undo.branch"),
    (Location::Plain, b"undo.bookmarks"),
    (Location::Store, b"undo.phaseroots"),
    (Location::Plain, b"undo.dirstate"),
    (Location::Plain, b"undo.desc"),
    (Location::Store, b"undo"),
];

/// What a transaction needs to know about its repository.
#[derive(Clone, Debug)]
pub struct TransactionOptions {
    /// Where files live and how store paths are encoded.
    pub vfs: StoreVfs,
    /// True when the store has the `fncache` requirement.
    pub fncache: bool,
    /// hg's transaction name (`commit`, `unbundle`...), for `undo.desc`.
    pub description: String,
    /// Number of changesets before the transaction, for `undo.desc`.
    pub changelog_len: usize,
}

/// An action run when the transaction commits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finalize {
    /// Renames store file `from` to `to` (if `from` exists).
    Rename { from: Vec<u8>, to: Vec<u8> },
    /// Appends the bytes queued with [`Transaction::delay_append`] for
    /// this store file.
    AppendDelayed { path: Vec<u8> },
}

/// Receives hg's messages (each ends with a newline).
pub type Report = Box<dyn FnMut(&str) + Send>;

/// An open transaction on a store; see the module documentation.
pub struct Transaction<'lock> {
    _lock: &'lock Lock,
    options: TransactionOptions,
    journal: Option<File>,
    backup_journal: Option<File>,
    offsets: HashMap<Vec<u8>, u64>,
    new_files: HashSet<Vec<u8>>,
    backups: Vec<BackupEntry>,
    backed_up: HashSet<Vec<u8>>,
    tmp_files: HashSet<Vec<u8>>,
    finalizers: BTreeMap<String, Finalize>,
    delayed: HashMap<Vec<u8>, Vec<u8>>,
    fncache: Option<Fncache>,
    report: Report,
    /// The journal entries in order, for abort.
    entries: Vec<(Vec<u8>, u64)>,
    /// Revlogs a writer was opened for (one writer per revlog).
    claimed_revlogs: HashSet<Vec<u8>>,
    finished: bool,
}

fn open_new(path: &std::path::Path) -> StoreResult<File> {
    vfs::create_parent(path)?;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(|e| StoreError::io(path, e))
}

fn write_line(file: &mut Option<File>, line: &[u8], what: &std::path::Path) -> StoreResult<()> {
    match file {
        Some(f) => f.write_all(line).map_err(|e| StoreError::io(what, e)),
        None => Err(StoreError::corrupt(what, "transaction already finished")),
    }
}

/// Replaces the first `journal` of a file name with `undo` (hg's
/// `undoname`).
fn undo_name(logical: &[u8]) -> Vec<u8> {
    let (dir, name) = match logical.iter().rposition(|&b| b == b'/') {
        Some(i) => logical.split_at(i + 1),
        None => (&b""[..], logical),
    };
    let mut out = dir.to_vec();
    match name.windows(JOURNAL.len()).position(|w| w == JOURNAL) {
        Some(i) => {
            out.extend_from_slice(&name[..i]);
            out.extend_from_slice(UNDO);
            out.extend_from_slice(&name[i + JOURNAL.len()..]);
        }
        None => out.extend_from_slice(name),
    }
    out
}

impl<'lock> Transaction<'lock> {
    /// Starts a transaction; `lock` must be the store lock of this
    /// repository. `report` receives hg's messages.
    pub fn begin(
        lock: &'lock Lock,
        options: TransactionOptions,
        report: Report,
    ) -> StoreResult<Transaction<'lock>> {
        let vfs = &options.vfs;
        if vfs.exists(Location::Store, JOURNAL) {
            return Err(StoreError::AbandonedTransaction);
        }
        let desc = format!("{}\n{}\n", options.changelog_len, options.description);
        let desc_path = vfs.join(Location::Plain, JOURNAL_DESC);
        vfs::write_atomic(&desc_path, desc.as_bytes())?;
        let journal = open_new(&vfs.store_file(JOURNAL))?;
        let backups_path = vfs.store_file(JOURNAL_BACKUPS);
        let mut backup_journal = Some(open_new(&backups_path)?);
        write_line(&mut backup_journal, b"2\n", &backups_path)?;
        let fncache = options.fncache.then(Fncache::new);
        Ok(Transaction {
            _lock: lock,
            options,
            journal: Some(journal),
            backup_journal,
            offsets: HashMap::new(),
            new_files: HashSet::new(),
            backups: Vec::new(),
            backed_up: HashSet::new(),
            tmp_files: HashSet::new(),
            finalizers: BTreeMap::new(),
            delayed: HashMap::new(),
            fncache,
            report,
            entries: Vec::new(),
            claimed_revlogs: HashSet::new(),
            finished: false,
        })
    }

    /// Where this transaction's files live.
    pub fn vfs(&self) -> &StoreVfs {
        &self.options.vfs
    }

    /// Records that store file `path` (logical) is about to be appended
    /// to and was `offset` bytes long. Only the first call per file counts.
    pub fn add(&mut self, path: &[u8], offset: u64) -> StoreResult<()> {
        if self.new_files.contains(path)
            || self.offsets.contains_key(path)
            || self.backed_up.contains(path)
            || self.tmp_files.contains(path)
        {
            return Ok(());
        }
        let mut line = path.to_vec();
        line.push(0);
        line.extend_from_slice(offset.to_string().as_bytes());
        line.push(b'\n');
        let journal_path = self.options.vfs.store_file(JOURNAL);
        write_line(&mut self.journal, &line, &journal_path)?;
        if offset > 0 {
            self.offsets.insert(path.to_vec(), offset);
        } else {
            self.new_files.insert(path.to_vec());
        }
        self.entries.push((path.to_vec(), offset));
        Ok(())
    }

    /// The length `path` had before this transaction appended to it, if
    /// it did.
    pub fn find_offset(&self, path: &[u8]) -> Option<u64> {
        if self.new_files.contains(path) {
            return Some(0);
        }
        self.offsets.get(path).copied()
    }

    /// Backs up `path` before it is replaced (copied beside it as
    /// `journal.backup.<name>.bck`, or recorded as absent).
    pub fn add_backup(&mut self, location: Location, path: &[u8]) -> StoreResult<()> {
        if self.new_files.contains(path)
            || self.backed_up.contains(path)
            || self.offsets.contains_key(path)
        {
            return Ok(());
        }
        self.backup(location, path)
    }

    /// Backs up a store file this transaction already appended to (a
    /// revlog index about to be rewritten when it is split).
    pub fn add_backup_for_offset(&mut self, path: &[u8]) -> StoreResult<()> {
        if self.backed_up.contains(path) {
            return Ok(());
        }
        self.backup(Location::Store, path)
    }

    fn backup(&mut self, location: Location, path: &[u8]) -> StoreResult<()> {
        let (dir, name) = match path.iter().rposition(|&b| b == b'/') {
            Some(i) => path.split_at(i + 1),
            None => (&b""[..], path),
        };
        let mut backup = dir.to_vec();
        backup.extend_from_slice(JOURNAL);
        backup.extend_from_slice(b".backup.");
        backup.extend_from_slice(name);
        backup.extend_from_slice(b".bck");
        let vfs = &self.options.vfs;
        let original = vfs.join(location, path);
        let backup = if original.exists() {
            vfs::copy_atomic(&original, &vfs.join(location, &backup))?;
            backup
        } else {
            Vec::new()
        };
        self.push_backup(BackupEntry {
            location: location.key().to_vec(),
            path: path.to_vec(),
            backup,
            cache: false,
        })
    }

    fn push_backup(&mut self, entry: BackupEntry) -> StoreResult<()> {
        let path = self.options.vfs.store_file(JOURNAL_BACKUPS);
        write_line(&mut self.backup_journal, &entry.to_line(), &path)?;
        if !entry.path.is_empty() {
            self.backed_up.insert(entry.path.clone());
        }
        self.backups.push(entry);
        Ok(())
    }

    /// Registers a temporary file, deleted when the transaction ends.
    pub fn register_tmp(&mut self, location: Location, path: &[u8]) -> StoreResult<()> {
        self.tmp_files.insert(path.to_vec());
        self.push_backup(BackupEntry {
            location: location.key().to_vec(),
            path: Vec::new(),
            backup: path.to_vec(),
            cache: false,
        })
    }

    /// Records that a writer is open on revlog `radix`; a second writer
    /// on the same revlog in one transaction would not see the first one's
    /// pending state, so it is refused.
    pub fn claim_revlog(&mut self, radix: &[u8]) -> StoreResult<()> {
        if self.claimed_revlogs.insert(radix.to_vec()) {
            return Ok(());
        }
        Err(StoreError::UnsupportedWrite {
            path: self.options.vfs.store_file(radix),
            message: "revlog opened twice for writing in one transaction".into(),
        })
    }

    /// Sets (or replaces) the finalize action under `key`.
    pub fn add_finalize(&mut self, key: impl Into<String>, action: Finalize) {
        self.finalizers.insert(key.into(), action);
    }

    /// True if a finalize action is registered under `key`.
    pub fn has_finalize(&self, key: &str) -> bool {
        self.finalizers.contains_key(key)
    }

    /// Queues bytes to append to store file `path` at commit (the
    /// changelog's delayed index entries). Register a
    /// [`Finalize::AppendDelayed`] for it.
    pub fn delay_append(&mut self, path: &[u8], bytes: &[u8]) {
        self.delayed
            .entry(path.to_vec())
            .or_default()
            .extend_from_slice(bytes);
    }

    /// Takes the bytes queued for `path` (they will not be appended at
    /// commit any more).
    pub fn take_delayed(&mut self, path: &[u8]) -> Vec<u8> {
        self.delayed.remove(path).unwrap_or_default()
    }

    /// Moves the bytes queued for `from` to `to` (the delayed file was
    /// renamed in between).
    pub fn move_delayed(&mut self, from: &[u8], to: &[u8]) {
        if let Some(bytes) = self.delayed.remove(from) {
            self.delayed
                .entry(to.to_vec())
                .or_default()
                .extend_from_slice(&bytes);
        }
    }

    /// Notes a new store file; filelog files are added to the fncache
    /// when the store has one.
    pub fn register_store_file(&mut self, path: &[u8]) -> StoreResult<()> {
        let file = self.options.vfs.store_file(b"fncache");
        match self.fncache.as_mut() {
            Some(cache) => cache.add(&file, path),
            None => Ok(()),
        }
    }

    fn run_finalizers(&mut self) -> StoreResult<()> {
        let finalizers = std::mem::take(&mut self.finalizers);
        for action in finalizers.into_values() {
            match action {
                Finalize::Rename { from, to } => {
                    let from_path = self.options.vfs.store_file(&from);
                    if from_path.exists() {
                        let to_path = self.options.vfs.store_file(&to);
                        std::fs::rename(&from_path, &to_path)
                            .map_err(|e| StoreError::io(&to_path, e))?;
                    }
                }
                Finalize::AppendDelayed { path } => {
                    let Some(bytes) = self.delayed.remove(&path) else {
                        continue;
                    };
                    let real = self.options.vfs.store_file(&path);
                    let mut file = OpenOptions::new()
                        .append(true)
                        .create(true)
                        .open(&real)
                        .map_err(|e| StoreError::io(&real, e))?;
                    file.write_all(&bytes)
                        .map_err(|e| StoreError::io(&real, e))?;
                }
            }
        }
        self.write_fncache()
    }

    fn write_fncache(&mut self) -> StoreResult<()> {
        if !self.fncache.as_ref().is_some_and(Fncache::has_pending) {
            return Ok(());
        }
        self.add_backup(Location::Store, b"fncache")?;
        let path = self.options.vfs.store_file(b"fncache");
        let existing = playback::read_optional(&self.options.vfs, b"fncache")?.unwrap_or_default();
        if let Some(cache) = self.fncache.as_mut() {
            let content = cache.take_new_content(&existing);
            vfs::write_atomic(&path, &content)?;
        }
        Ok(())
    }

    /// Makes the transaction's changes permanent; see the module docs.
    pub fn commit(mut self) -> StoreResult<()> {
        self.run_finalizers()?;
        self.journal = None;
        self.backup_journal = None;
        let vfs = self.options.vfs.clone();
        for entry in &self.backups {
            if entry.path.is_empty() && !entry.backup.is_empty() {
                if let Some(location) = Location::from_key(&entry.location) {
                    vfs.remove_if_exists(location, &entry.backup)?;
                }
            }
        }
        self.write_undo()?;
        // The journal is now `undo`: the changes are permanent, a later
        // failure must not roll them back.
        self.finished = true;
        vfs.remove_if_exists(Location::Store, JOURNAL_BACKUPS)?;
        vfs.remove_if_exists(Location::Store, JOURNAL)?;
        for entry in &self.backups {
            if !entry.backup.is_empty() {
                if let Some(location) = Location::from_key(&entry.location) {
                    vfs.remove_if_exists(location, &entry.backup)?;
                }
            }
        }
        Ok(())
    }

    /// Replaces the previous undo information with this transaction's.
    fn write_undo(&mut self) -> StoreResult<()> {
        let vfs = self.options.vfs.clone();
        cleanup_undo_files(&vfs, &mut self.report)?;
        let mut listing = b"2\n".to_vec();
        for entry in &self.backups {
            if entry.path.is_empty() {
                continue;
            }
            let mut undo = entry.clone();
            if !entry.backup.is_empty() {
                let Some(location) = Location::from_key(&entry.location) else {
                    continue;
                };
                undo.backup = undo_name(&entry.backup);
                vfs::copy_atomic(
                    &vfs.join(location, &entry.backup),
                    &vfs.join(location, &undo.backup),
                )?;
            }
            listing.extend_from_slice(&undo.to_line());
        }
        vfs::write_atomic(&vfs.store_file(b"undo.backupfiles"), &listing)?;
        for (location, name) in [(Location::Store, JOURNAL), (Location::Plain, JOURNAL_DESC)] {
            let from = vfs.join(location, name);
            let to = vfs.join(location, &undo_name(name));
            vfs::remove_if_exists(&to)?;
            match std::fs::rename(&from, &to) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io(&to, e)),
            }
        }
        Ok(())
    }

    /// Rolls the transaction back now.
    pub fn abort(mut self) -> StoreResult<()> {
        self.rollback()
    }

    fn rollback(&mut self) -> StoreResult<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        self.journal = None;
        self.backup_journal = None;
        let vfs = self.options.vfs.clone();
        let quick = self.entries.is_empty() && self.backups.iter().all(|e| e.path.is_empty());
        if quick {
            for entry in &self.backups {
                if let Some(location) = Location::from_key(&entry.location) {
                    vfs.remove_if_exists(location, &entry.backup)?;
                }
            }
            vfs.remove_if_exists(Location::Store, JOURNAL_BACKUPS)?;
            return vfs.remove_if_exists(Location::Store, JOURNAL);
        }
        (self.report)("transaction abort!\n");
        let entries = std::mem::take(&mut self.entries);
        let backups = std::mem::take(&mut self.backups);
        match playback::playback(&vfs, JOURNAL, &entries, &backups, &mut *self.report) {
            Ok(()) => {
                (self.report)("rollback completed\n");
                Ok(())
            }
            Err(e) => {
                (self.report)("rollback failed - please run hg recover\n");
                (self.report)(&format!("(failure reason: {e})\n"));
                Err(e)
            }
        }
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        let _ = self.rollback();
    }
}

/// Removes the previous transaction's undo files (hg's
/// `cleanup_undo_files`).
fn cleanup_undo_files(vfs: &StoreVfs, report: &mut Report) -> StoreResult<()> {
    if let Ok(listing) = std::fs::read_dir(vfs.dot_hg()) {
        for entry in listing.flatten() {
            let name = entry.file_name();
            let name = name.as_encoded_bytes();
            if name.starts_with(b"undo.backup.dirstate.") && name.ends_with(b".bck") {
                vfs::remove_if_exists(&entry.path())?;
            }
        }
    }
    if let Some(bytes) = playback::read_optional(vfs, b"undo.backupfiles")? {
        for entry in playback::parse_backup_files(&bytes, &mut **report) {
            if let Some(location) = Location::from_key(&entry.location) {
                if !entry.backup.is_empty() {
                    vfs.remove_if_exists(location, &entry.backup)?;
                }
            }
        }
    }
    vfs.remove_if_exists(Location::Store, b"undo.backupfiles")?;
    for (location, name) in UNDO_FILES_TO_CLEAN {
        vfs.remove_if_exists(*location, name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_names_follow_hg() {
        assert_eq!(undo_name(b"journal"), b"undo");
        assert_eq!(undo_name(b"journal.desc"), b"undo.desc");
        assert_eq!(
            undo_name(b"data/journal.backup.foo.i.bck"),
            b"data/undo.backup.foo.i.bck"
        );
    }
}
