//! Rolling a transaction back from its journal, for an abort in process and
//! for `recover` after an interruption; the on-disk formats hg uses:
//!
//! - `journal`: one line per store file appended to, `path\0offset\n`
//!   (logical path, length before the transaction; 0 for a new file);
//! - `journal.backupfiles`: a version line `2\n`, then one line per backup
//!   `location\0path\0backup\0cache\n` (`location` empty for the store,
//!   `plain` for `.hg`; `backup` empty when the file did not exist; `path`
//!   empty for a temporary file to delete; `cache` `0` or `1`).
//!
//! Playback, as hg's `_playback`: files appended to are truncated to their
//! recorded length (or deleted if new), restoring a backup first when the
//! file also has one; other backups are copied back; files that had no
//! backup, and temporary files, are deleted; then the journal files and
//! the used backups are removed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::OpenOptions;
use std::io;

use super::vfs::{copy_atomic, remove_if_exists, Location, StoreVfs};
use crate::error::{StoreError, StoreResult};

/// Version line of `journal.backupfiles`.
pub const BACKUP_FILES_VERSION: &[u8] = b"2";

/// One line of `journal.backupfiles`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BackupEntry {
    /// The raw location key (`""`, `plain`, `store`...).
    pub location: Vec<u8>,
    /// The file backed up; empty for a temporary file.
    pub path: Vec<u8>,
    /// The backup's name; empty when the file did not exist.
    pub backup: Vec<u8>,
    /// hg's "cache" flag: failures on this entry are not fatal. hg reads
    /// it back with `bool(field)`, so any non-empty field (even `0`) is
    /// true once parsed; we do the same.
    pub cache: bool,
}

impl BackupEntry {
    /// The line written to `journal.backupfiles`.
    pub fn to_line(&self) -> Vec<u8> {
        let mut line = Vec::new();
        for part in [&self.location, &self.path, &self.backup] {
            line.extend_from_slice(part);
            line.push(0);
        }
        line.push(if self.cache { b'1' } else { b'0' });
        line.push(b'\n');
        line
    }
}

/// Parses the lines of a `journal` file; unreadable lines are reported
/// (hg's wording) and skipped.
pub fn parse_journal(bytes: &[u8], report: &mut dyn FnMut(&str)) -> Vec<(Vec<u8>, u64)> {
    let mut entries = Vec::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let mut parts = body.split(|&b| b == 0);
        let parsed = match (parts.next(), parts.next(), parts.next()) {
            (Some(path), Some(offset), None) => std::str::from_utf8(offset)
                .ok()
                .and_then(|o| o.trim().parse::<u64>().ok())
                .map(|o| (path.to_vec(), o)),
            _ => None,
        };
        match parsed {
            Some(entry) => entries.push(entry),
            None => report(&format!(
                "couldn't read journal entry {}!\n",
                python_bytes_repr(line)
            )),
        }
    }
    entries
}

/// Parses a `journal.backupfiles` / `undo.backupfiles` file. A wrong
/// version is reported and yields no entries, as in hg.
pub fn parse_backup_files(bytes: &[u8], report: &mut dyn FnMut(&str)) -> Vec<BackupEntry> {
    let mut lines = bytes.split_inclusive(|&b| b == b'\n');
    let Some(first) = lines.next() else {
        return Vec::new();
    };
    if first.strip_suffix(b"\n").unwrap_or(first) != BACKUP_FILES_VERSION {
        report("journal was created by a different version of Mercurial\n");
        return Vec::new();
    }
    let mut entries = Vec::new();
    for line in lines {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        if body.is_empty() {
            continue;
        }
        let parts: Vec<&[u8]> = body.split(|&b| b == 0).collect();
        if let [location, path, backup, cache] = parts[..] {
            entries.push(BackupEntry {
                location: location.to_vec(),
                path: path.to_vec(),
                backup: backup.to_vec(),
                cache: !cache.is_empty(),
            });
        } else {
            report(&format!(
                "couldn't read backup entry {}!\n",
                python_bytes_repr(line)
            ));
        }
    }
    entries
}

/// Python's `repr()` of bytes, `b` prefix included, as hg quotes bad
/// journal lines.
fn python_bytes_repr(bytes: &[u8]) -> String {
    format!("b{}", crate::pyrepr::python_repr(bytes))
}

/// Truncates `path` to `offset` bytes, refusing to grow it.
fn truncate(vfs: &StoreVfs, logical: &[u8], offset: u64) -> StoreResult<()> {
    let path = vfs.store_file(logical);
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .map_err(|e| StoreError::io(&path, e))?;
    let len = file.metadata().map_err(|e| StoreError::io(&path, e))?.len();
    if len < offset {
        return Err(StoreError::corrupt(
            &path,
            format!(
                "attempted to truncate {} to {offset} bytes, but it was already {len} bytes",
                String::from_utf8_lossy(logical)
            ),
        ));
    }
    file.set_len(offset).map_err(|e| StoreError::io(&path, e))
}

/// Rolls back: see the module documentation. `journal` is the journal's
/// logical name in the store (`journal`).
pub fn playback(
    vfs: &StoreVfs,
    journal: &[u8],
    entries: &[(Vec<u8>, u64)],
    backups: &[BackupEntry],
    report: &mut dyn FnMut(&str),
) -> StoreResult<()> {
    let mut restored: Vec<(Location, Vec<u8>)> = Vec::new();
    let mut restore = |location: Location,
                       entry: &BackupEntry,
                       report: &mut dyn FnMut(&str)|
     -> StoreResult<()> {
        let from = vfs.join(location, &entry.backup);
        let to = vfs.join(location, &entry.path);
        copy_atomic(&from, &to).inspect_err(|e| {
            report(&format!(
                "failed to recover {} ({e})\n",
                String::from_utf8_lossy(&entry.path)
            ));
        })?;
        restored.push((location, entry.backup.clone()));
        Ok(())
    };

    let store_backups: HashMap<&[u8], &BackupEntry> = backups
        .iter()
        .filter(|e| {
            Location::from_key(&e.location) == Some(Location::Store)
                && !e.path.is_empty()
                && !e.backup.is_empty()
        })
        .map(|e| (e.path.as_slice(), e))
        .collect();
    let mut done: HashSet<&BackupEntry> = HashSet::new();

    // The last offset recorded for a file wins, as in hg's `dict(entries)`.
    let offsets: BTreeMap<&[u8], u64> = entries.iter().map(|(f, o)| (f.as_slice(), *o)).collect();
    for (file, offset) in offsets {
        if let Some(entry) = store_backups.get(file) {
            restore(Location::Store, entry, report)?;
            done.insert(entry);
        }
        if offset > 0 {
            truncate(vfs, file, offset).inspect_err(|_| {
                report(&format!(
                    "failed to truncate {}\n",
                    String::from_utf8_lossy(file)
                ));
            })?;
        } else {
            vfs.remove_if_exists(Location::Store, file)?;
        }
    }

    for entry in backups {
        if done.contains(entry) {
            continue;
        }
        let Some(location) = Location::from_key(&entry.location) else {
            if entry.cache {
                report(&format!(
                    "couldn't handle {}: unknown cache location {}\n",
                    String::from_utf8_lossy(&entry.backup),
                    String::from_utf8_lossy(&entry.location)
                ));
                continue;
            }
            return Err(StoreError::corrupt(
                vfs.store_file(journal),
                format!(
                    "unknown location {} in backup list",
                    String::from_utf8_lossy(&entry.location)
                ),
            ));
        };
        let result = if !entry.path.is_empty() && !entry.backup.is_empty() {
            restore(location, entry, report)
        } else {
            let target = if entry.path.is_empty() {
                &entry.backup
            } else {
                &entry.path
            };
            vfs.remove_if_exists(location, target)
        };
        if let Err(e) = result {
            if !entry.cache {
                return Err(e);
            }
        }
    }

    let mut backup_list = journal.to_vec();
    backup_list.extend_from_slice(b".backupfiles");
    vfs.remove_if_exists(Location::Store, &backup_list)?;
    let journal_path = vfs.store_file(journal);
    std::fs::remove_file(&journal_path).map_err(|e| StoreError::io(&journal_path, e))?;
    for (location, backup) in restored {
        let _ = remove_if_exists(&vfs.join(location, &backup));
    }
    Ok(())
}

/// Reads a file of the store, `Ok(None)` if it does not exist.
pub(crate) fn read_optional(vfs: &StoreVfs, logical: &[u8]) -> StoreResult<Option<Vec<u8>>> {
    let path = vfs.store_file(logical);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(&path, e)),
    }
}

/// Rolls back the transaction left in the store's `journal` by an
/// interrupted process (qs or hg), like `hg recover`. Returns `Ok(false)`
/// when there is none (hg then says "no interrupted transaction
/// available"); the caller prints "rolling back interrupted transaction"
/// when it returns `Ok(true)`. The store lock must be held: pass it.
pub fn recover(
    _lock: &crate::lock::Lock,
    vfs: &StoreVfs,
    report: &mut dyn FnMut(&str),
) -> StoreResult<bool> {
    let Some(journal) = read_optional(vfs, b"journal")? else {
        return Ok(false);
    };
    let entries = parse_journal(&journal, report);
    let backups = match read_optional(vfs, b"journal.backupfiles")? {
        Some(bytes) => parse_backup_files(&bytes, report),
        None => Vec::new(),
    };
    playback(vfs, b"journal", &entries, &backups, report)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_journal_lines() {
        let mut reports = Vec::new();
        let entries = parse_journal(b"data/a.i\x000\n00changelog.d\x00123\nbad\n", &mut |m| {
            reports.push(m.to_string())
        });
        assert_eq!(
            entries,
            vec![(b"data/a.i".to_vec(), 0), (b"00changelog.d".to_vec(), 123)]
        );
        assert_eq!(reports, vec!["couldn't read journal entry b'bad\\n'!\n"]);
    }

    #[test]
    fn parses_backup_lines() {
        let text = b"2\nplain\x00branch\x00undo.backup.branch.bck\x000\n\x00fncache\x00\x000\n";
        let entries = parse_backup_files(text, &mut |_| {});
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].location, b"plain");
        assert!(entries[1].backup.is_empty());
        // hg parses the flag with `bool(b"0")`, which is true.
        assert!(entries[1].cache);
        let mut reports = Vec::new();
        assert!(parse_backup_files(b"1\n", &mut |m| reports.push(m.to_string())).is_empty());
        assert_eq!(reports.len(), 1);
    }
}
