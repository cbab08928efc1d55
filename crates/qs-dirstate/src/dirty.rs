//! A fast answer to "do tracked files have uncommitted changes?" — hg's
//! `dirty(missing=True)` as `identify` asks it — without building a
//! [`DirstateMap`](crate::DirstateMap) or any result list.
//!
//! The dirstate records are read in place, anything added, removed,
//! merged or copied settles the question at once, and the remaining files
//! are `lstat`ed in parallel relative to their directory's handle (with no
//! path audit: hg does not audit here either), judged
//! by the same rule as the full status walk
//! ([`crate::status`]'s `classify_tracked`). The first change found ends
//! the search. When metadata cannot decide (a file whose content must be
//! compared with the parent), the answer is [`Dirtiness::Undecided`] and
//! the caller runs the full status.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rayon::prelude::*;

use crate::entry::{Entry, V1State};
use crate::error::{DirstateError, DirstateResult};
use crate::fsstat::DirHandle;
use crate::status::{classify_tracked, FileStat, StatusOptions, TrackedVerdict};
use crate::timestamp::{filesystem_now, TruncatedTimestamp, RANGE_MASK};

/// The answer of [`tracked_dirtiness`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dirtiness {
    /// Something tracked is modified, added, removed or missing.
    Dirty,
    /// Every tracked file is clean.
    Clean,
    /// Only a content comparison can tell: run the full status.
    Undecided,
}

/// One dirstate entry as the check needs it.
struct Tracked<'a> {
    path: &'a [u8],
    entry: Entry,
}

/// Mtimes at most this many seconds before the clock (or after it) are
/// checked against the filesystem's own "now" (hg's mtime boundary)
/// before a file is believed clean.
const RECENT_SECONDS: i64 = 5;

/// Whether the tracked files of the working directory at `root` have
/// changes. `dot_hg` holds the dirstate (`v2` when the repository requires
/// dirstate-v2); `now` is the caller's clock, used only to spot mtimes too
/// recent to trust without asking the filesystem.
pub fn tracked_dirtiness(
    root: &Path,
    dot_hg: &Path,
    v2: bool,
    now: std::time::SystemTime,
) -> DirstateResult<Dirtiness> {
    if v2 {
        let map = crate::disk::read(dot_hg, true)?.map;
        if map.copies_len() > 0
            && map
                .iter()
                .any(|(p, e)| e.wc_tracked && map.copy_source(p).is_some())
        {
            return Ok(Dirtiness::Dirty);
        }
        let tracked: Vec<Tracked<'_>> = map
            .iter()
            .map(|(path, e)| Tracked { path, entry: *e })
            .collect();
        return Ok(judge(root, dot_hg, &tracked, now));
    }
    let path = dot_hg.join("dirstate");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Dirtiness::Clean),
        Err(e) => return Err(DirstateError::io(&path, e)),
    };
    crate::v1::parse_parents(&bytes)?;
    // Every record is read (and so validated) before any answer.
    let mut copied = false;
    let mut tracked = Vec::new();
    for record in crate::v1::records(&bytes) {
        let r = record?;
        let state = V1State::from_byte(r.state).ok_or_else(|| {
            DirstateError::corrupt(format!("unknown dirstate state: {}", r.state as char))
        })?;
        let entry = Entry::from_v1(state, r.mode, r.size, r.mtime);
        copied |= r.copy_source.is_some() && entry.wc_tracked;
        tracked.push(Tracked {
            path: r.path,
            entry,
        });
    }
    if copied {
        return Ok(Dirtiness::Dirty);
    }
    Ok(judge(root, dot_hg, &tracked, now))
}

/// What one file's metadata says, for the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileAnswer {
    Changed,
    Clean,
    /// Clean by its recorded mtime, which is recent enough to need hg's
    /// boundary check.
    Recent(Entry, FileStat),
    Unsure,
}

fn judge(
    root: &Path,
    dot_hg: &Path,
    tracked: &[Tracked<'_>],
    now: std::time::SystemTime,
) -> Dirtiness {
    let options = StatusOptions {
        list_clean: true,
        list_unknown: false,
        list_ignored: false,
        check_exec: true,
        mtime_boundary: None,
    };
    // Entries whose state alone answers.
    let mut to_stat: Vec<&Tracked<'_>> = Vec::with_capacity(tracked.len());
    for t in tracked {
        if !t.entry.wc_tracked {
            if t.entry.removed() {
                return Dirtiness::Dirty;
            }
        } else if t.entry.added() || t.entry.from_p2_or_merged() {
            return Dirtiness::Dirty;
        } else {
            to_stat.push(t);
        }
    }
    let now_seconds = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // Runs of consecutive entries in one directory (hg writes a directory's
    // files together), each run stat'ed through one directory handle.
    let mut runs: Vec<(&[u8], &[&Tracked<'_>])> = Vec::new();
    let mut start = 0;
    for i in 1..=to_stat.len() {
        if i == to_stat.len() || parent_dir(to_stat[i].path) != parent_dir(to_stat[start].path) {
            runs.push((parent_dir(to_stat[start].path), &to_stat[start..i]));
            start = i;
        }
    }
    let answers: Option<Vec<Vec<FileAnswer>>> = runs
        .par_iter()
        .map(|(dir, members)| {
            let handle = DirHandle::open(&root.join(std::ffi::OsStr::from_bytes(dir)));
            let mut out = Vec::with_capacity(members.len());
            for t in members.iter() {
                let name = &t.path[if dir.is_empty() { 0 } else { dir.len() + 1 }..];
                let stat = handle
                    .as_ref()
                    .ok()
                    .and_then(|h| h.lstat(name).ok())
                    .filter(|st| matches!(st.mode & 0o170_000, 0o100_000 | 0o120_000));
                let answer = match classify_tracked(&t.entry, false, stat, &options) {
                    TrackedVerdict::Clean => match stat {
                        Some(st) if is_recent(st.mtime, now_seconds) => {
                            FileAnswer::Recent(t.entry, st)
                        }
                        Some(_) => FileAnswer::Clean,
                        None => FileAnswer::Changed,
                    },
                    TrackedVerdict::Unsure(_) => FileAnswer::Unsure,
                    TrackedVerdict::Nothing => continue,
                    _ => return None,
                };
                out.push(answer);
            }
            Some(out)
        })
        .collect();
    let Some(answers) = answers else {
        return Dirtiness::Dirty;
    };
    let mut undecided = false;
    let mut recent = Vec::new();
    for answer in answers.iter().flatten() {
        match answer {
            FileAnswer::Changed => return Dirtiness::Dirty,
            FileAnswer::Unsure => undecided = true,
            FileAnswer::Recent(entry, st) => recent.push((*entry, *st)),
            FileAnswer::Clean => {}
        }
    }
    if undecided {
        return Dirtiness::Undecided;
    }
    // Believed clean, but the mtime is too close to "now" for the recorded
    // one to be trusted unless hg's boundary rule allows it.
    if !recent.is_empty() {
        if let Ok(boundary) = filesystem_now(dot_hg) {
            let options = StatusOptions {
                mtime_boundary: Some(boundary),
                ..options
            };
            let trusted = recent.iter().all(|(entry, st)| {
                classify_tracked(entry, false, Some(*st), &options) == TrackedVerdict::Clean
            });
            if !trusted {
                return Dirtiness::Undecided;
            }
        }
    }
    Dirtiness::Clean
}

/// Whether `mtime` (31-bit seconds) lies within [`RECENT_SECONDS`] before
/// `now` or anywhere in the following day.
fn is_recent(mtime: TruncatedTimestamp, now: i64) -> bool {
    let delta = (i64::from(mtime.seconds) - (now & RANGE_MASK) + RECENT_SECONDS) & RANGE_MASK;
    delta <= RECENT_SECONDS + 24 * 3600 + 1
}

fn parent_dir(path: &[u8]) -> &[u8] {
    path.iter()
        .rposition(|&b| b == b'/')
        .map_or(&path[..0], |slash| &path[..slash])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::map::DirstateMap;
    use std::os::unix::fs::MetadataExt;

    const OLD: u64 = 1_000_000_000;

    fn set_old(path: &Path, secs: u64) {
        let f = std::fs::File::open(path).unwrap();
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
            .unwrap();
    }

    /// A working directory with two files recorded clean in a v1 dirstate.
    fn setup() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".hg")).unwrap();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        let mut map = DirstateMap::new((qs_store::NULL_NODE, qs_store::NULL_NODE));
        for (name, content) in [("top", &b"top\n"[..]), ("sub/file", b"file\n")] {
            let path = root.join(name);
            std::fs::write(&path, content).unwrap();
            set_old(&path, OLD);
            let m = std::fs::symlink_metadata(&path).unwrap();
            map.insert(
                name.as_bytes().to_vec(),
                Entry::new_clean(
                    m.mode() as i32,
                    m.size() as i32,
                    TruncatedTimestamp::new(OLD as i64, 0, false),
                ),
            );
        }
        std::fs::write(
            root.join(".hg/dirstate"),
            crate::v1::serialize(&map).unwrap(),
        )
        .unwrap();
        dir
    }

    fn check(dir: &tempfile::TempDir) -> Dirtiness {
        let root = dir.path();
        tracked_dirtiness(root, &root.join(".hg"), false, std::time::SystemTime::now()).unwrap()
    }

    #[test]
    fn metadata_decides_without_content() {
        let dir = setup();
        assert_eq!(check(&dir), Dirtiness::Clean);
        std::fs::write(dir.path().join("unknown"), b"x").unwrap();
        assert_eq!(check(&dir), Dirtiness::Clean, "unknown files do not count");

        let dir = setup();
        std::fs::write(dir.path().join("sub/file"), b"longer content\n").unwrap();
        assert_eq!(check(&dir), Dirtiness::Dirty);

        let dir = setup();
        std::fs::remove_file(dir.path().join("top")).unwrap();
        assert_eq!(check(&dir), Dirtiness::Dirty);

        let dir = setup();
        use std::os::unix::fs::PermissionsExt;
        let exec = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(dir.path().join("top"), exec).unwrap();
        assert_eq!(check(&dir), Dirtiness::Dirty);

        let dir = setup();
        set_old(&dir.path().join("top"), OLD + 60);
        assert_eq!(
            check(&dir),
            Dirtiness::Undecided,
            "a new mtime needs content"
        );
    }

    #[test]
    fn states_and_copies_decide_at_once() {
        let dir = setup();
        let root = dir.path();
        let bytes = std::fs::read(root.join(".hg/dirstate")).unwrap();
        let mut map = crate::v1::parse(&bytes).unwrap();
        map.set_copy_source(b"top".to_vec(), Some(b"sub/file".to_vec()));
        std::fs::write(
            root.join(".hg/dirstate"),
            crate::v1::serialize(&map).unwrap(),
        )
        .unwrap();
        assert_eq!(check(&dir), Dirtiness::Dirty);

        let dir = setup();
        let root = dir.path();
        let mut map = crate::v1::parse(&std::fs::read(root.join(".hg/dirstate")).unwrap()).unwrap();
        map.insert(b"new".to_vec(), Entry::new_added());
        std::fs::write(
            root.join(".hg/dirstate"),
            crate::v1::serialize(&map).unwrap(),
        )
        .unwrap();
        assert_eq!(check(&dir), Dirtiness::Dirty);
    }

    #[test]
    fn corrupt_dirstate_is_an_error_not_a_panic() {
        let dir = setup();
        let path = dir.path().join(".hg/dirstate");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 3);
        std::fs::write(&path, bytes).unwrap();
        let root = dir.path();
        let now = std::time::SystemTime::now();
        assert!(tracked_dirtiness(root, &root.join(".hg"), false, now).is_err());

        // A record that alone would mean "dirty", then damage: still an error.
        let mut map = DirstateMap::new((qs_store::NULL_NODE, qs_store::NULL_NODE));
        map.insert(b"new".to_vec(), Entry::new_added());
        let mut bytes = crate::v1::serialize(&map).unwrap();
        bytes.extend_from_slice(b"n\0\0");
        std::fs::write(&path, bytes).unwrap();
        assert!(tracked_dirtiness(root, &root.join(".hg"), false, now).is_err());
    }

    #[test]
    fn recent_mtimes_are_detected_around_the_clock() {
        let now = 1_700_000_000;
        let at = |s: i64| TruncatedTimestamp::new(s, 0, false);
        assert!(is_recent(at(now), now));
        assert!(is_recent(at(now - 3), now));
        assert!(is_recent(at(now + 3600), now));
        assert!(!is_recent(at(now - 3600), now));
        assert!(!is_recent(at(now + 3 * 24 * 3600), now));
    }
}
