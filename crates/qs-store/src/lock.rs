//! hg's repository locks: `.hg/wlock` (working directory: dirstate,
//! bookmarks' working state...) and `.hg/store/lock` (the store). Always
//! take the wlock first when both are needed, as hg does.
//!
//! Format and protocol (`mercurial/lock.py`, `util.makelock`): a lock is a
//! symlink created atomically whose target is `HOST:PID`, falling back to
//! an `O_EXCL` regular file holding the same text where symlinks are not
//! possible. On Linux `HOST` is the host name followed by
//! `/<pid namespace inode in hex>`, so that pids are compared only within
//! the same namespace. A lock whose owner has the same `HOST` and a pid
//! that no longer exists is stale: it is broken while holding
//! `<lock>.break` (a lock of its own), after checking again.
//!
//! [`acquire`] waits like hg's `trylock`: it tries once a second up to the
//! timeout (`ui.timeout`, 600 s by default), reporting hg's messages
//! through a callback ("waiting for lock on ... held by process '123' on
//! host '...'" immediately, or after `ui.timeout.warn` seconds; "got lock
//! after N seconds" at the end if a warning was shown). Giving up is
//! [`StoreError::LockHeld`], whose text is hg's abort message without the
//! `abort: ` prefix. The lock is released when the [`Lock`] is dropped.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{StoreError, StoreResult};

/// How long and how patiently to wait for a lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockWait {
    /// Seconds to wait before giving up (`ui.timeout`); 0 gives up at once.
    pub timeout: u64,
    /// Seconds after which the "waiting for lock" warning is shown
    /// (`ui.timeout.warn`); 0 shows it at once.
    pub warn_after: u64,
}

impl Default for LockWait {
    fn default() -> Self {
        LockWait {
            timeout: 600,
            warn_after: 0,
        }
    }
}

/// A held lock; released (the file removed) on drop.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    desc: String,
    pid: u32,
    /// Seconds spent waiting.
    waited: u64,
}

impl Lock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the lock protects, as hg names it in messages.
    pub fn description(&self) -> &str {
        &self.desc
    }

    /// Seconds spent waiting for the lock.
    pub fn waited(&self) -> u64 {
        self.waited
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // A forked child must not release its parent's lock.
        if std::process::id() == self.pid {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The host part of this process's lock text (hg's `_getlockprefix`).
pub fn lock_prefix() -> String {
    let mut host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim_end_matches('\n').to_string())
        .unwrap_or_else(|_| "localhost".to_string());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = std::fs::metadata("/proc/self/ns/pid") {
            host.push_str(&format!("/{:x}", meta.ino()));
        }
    }
    host
}

/// The text of this process's locks: `HOST:PID`.
pub fn lock_text() -> String {
    format!("{}:{}", lock_prefix(), std::process::id())
}

/// Reads who holds the lock at `path`: `Ok(None)` if it is free.
pub fn read_locker(path: &Path) -> io::Result<Option<String>> {
    match std::fs::read_link(path) {
        Ok(target) => return Ok(Some(target.to_string_lossy().into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {}
        Err(e) => return Err(e),
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Creates the lock file atomically.
fn make_lock(text: &str, path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        match std::os::unix::fs::symlink(text, path) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
            Err(_) => {}
        }
    }
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// True if a process with this pid exists (hg's `testpid`).
fn pid_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// True if `locker` is a lock of this host's pid namespace whose process
/// is gone.
fn should_break(locker: &str, prefix: &str) -> bool {
    let Some((host, pid)) = locker.split_once(':') else {
        return false;
    };
    if host != prefix {
        return false;
    }
    match pid.parse::<u32>() {
        Ok(pid) => !pid_alive(pid),
        Err(_) => false,
    }
}

/// Outcome of one attempt.
enum Attempt {
    Got(Lock),
    Held(String),
}

fn break_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".break");
    PathBuf::from(name)
}

/// hg's `_testlock`: breaks a stale lock, returns the live locker if any.
fn test_lock(path: &Path, locker: String, prefix: &str) -> io::Result<Option<String>> {
    if !should_break(&locker, prefix) {
        return Ok(Some(locker));
    }
    let breaker = break_path(path);
    match try_once(&breaker, "", false)? {
        Attempt::Got(_guard) => {
            let current = read_locker(path)?;
            match current {
                Some(l) if !should_break(&l, prefix) => Ok(Some(l)),
                Some(_) => {
                    match std::fs::remove_file(path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => return Err(e),
                    }
                    Ok(None)
                }
                None => Ok(None),
            }
        }
        Attempt::Held(_) => Ok(Some(locker)),
    }
}

/// One attempt (with hg's five retries on races), no waiting.
fn try_once(path: &Path, desc: &str, break_stale: bool) -> io::Result<Attempt> {
    let prefix = lock_prefix();
    let text = format!("{prefix}:{}", std::process::id());
    for _ in 0..5 {
        match make_lock(&text, path) {
            Ok(()) => {
                return Ok(Attempt::Got(Lock {
                    path: path.to_path_buf(),
                    desc: desc.to_string(),
                    pid: std::process::id(),
                    waited: 0,
                }))
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let Some(locker) = read_locker(path)? else {
                    continue;
                };
                let live = if break_stale {
                    test_lock(path, locker, &prefix)?
                } else {
                    Some(locker)
                };
                if let Some(locker) = live {
                    return Ok(Attempt::Held(locker));
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Attempt::Held(String::new()))
}

/// hg's "waiting for lock" line for `locker`.
fn waiting_message(desc: &str, locker: &str) -> String {
    match locker.split_once(':') {
        Some((host, pid)) => format!(
            "waiting for lock on {desc} held by process {} on host {}\n",
            python_str_repr(pid),
            python_str_repr(host)
        ),
        None => format!(
            "waiting for lock on {desc} held by {}\n",
            python_str_repr(locker)
        ),
    }
}

/// Python's `repr()` of a (text) string.
pub(crate) fn python_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Takes the lock at `path`, waiting as `wait` says; `desc` names what it
/// protects in messages (see [`store_lock`], [`working_lock`]); `warn`
/// receives hg's warnings.
pub fn acquire(
    path: &Path,
    desc: &str,
    wait: LockWait,
    warn: &mut dyn FnMut(&str),
) -> StoreResult<Lock> {
    let warning_at = if wait.timeout == 0 {
        None
    } else {
        Some(wait.warn_after)
    };
    let mut delay = 0u64;
    loop {
        match try_once(path, desc, true).map_err(|e| StoreError::io(path, e))? {
            Attempt::Got(mut lock) => {
                lock.waited = delay;
                if delay > 0 && warning_at.is_some_and(|w| w <= delay) {
                    warn(&format!("got lock after {delay} seconds\n"));
                }
                return Ok(lock);
            }
            Attempt::Held(locker) => {
                if warning_at == Some(delay) {
                    warn(&waiting_message(desc, &locker));
                }
                if wait.timeout <= delay {
                    return Err(StoreError::LockHeld {
                        desc: desc.to_string(),
                        locker,
                        timed_out: true,
                    });
                }
                std::thread::sleep(Duration::from_secs(1));
                delay += 1;
            }
        }
    }
}

/// Takes the lock at `path` if it is free (or stale), without waiting.
pub fn try_acquire(path: &Path, desc: &str) -> StoreResult<Lock> {
    match try_once(path, desc, true).map_err(|e| StoreError::io(path, e))? {
        Attempt::Got(lock) => Ok(lock),
        Attempt::Held(locker) => Err(StoreError::LockHeld {
            desc: desc.to_string(),
            locker,
            timed_out: false,
        }),
    }
}

/// Takes `.hg/store/lock` (`store` is the store directory) of the
/// repository rooted at `root`, described as hg does ("repository ROOT").
pub fn store_lock(
    store: &Path,
    root: &Path,
    wait: LockWait,
    warn: &mut dyn FnMut(&str),
) -> StoreResult<Lock> {
    let desc = format!("repository {}", root.display());
    acquire(&store.join("lock"), &desc, wait, warn)
}

/// Takes `.hg/wlock` of the repository rooted at `root` ("working
/// directory of ROOT"). Take it before the store lock.
pub fn working_lock(
    dot_hg: &Path,
    root: &Path,
    wait: LockWait,
    warn: &mut dyn FnMut(&str),
) -> StoreResult<Lock> {
    let desc = format!("working directory of {}", root.display());
    acquire(&dot_hg.join("wlock"), &desc, wait, warn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_a_symlink_to_host_and_pid_and_released_on_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        let lock = try_acquire(&path, "repository x").expect("free lock");
        let text = read_locker(&path).expect("readable").expect("held");
        assert_eq!(text, lock_text());
        assert!(std::fs::symlink_metadata(&path)
            .expect("exists")
            .file_type()
            .is_symlink());
        let err = try_acquire(&path, "repository x").expect_err("held");
        assert!(err.to_string().starts_with("repository x: lock held by"));
        drop(lock);
        assert!(read_locker(&path).expect("readable").is_none());
    }

    #[test]
    fn stale_lock_of_a_dead_process_is_broken() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        // Pids are below 2^22 on Linux: this one cannot exist.
        let stale = format!("{}:{}", lock_prefix(), 999_999_999u32);
        std::os::unix::fs::symlink(&stale, &path).expect("symlink");
        let lock = try_acquire(&path, "repository x").expect("stale lock broken");
        assert_eq!(read_locker(&path).expect("read"), Some(lock_text()));
        assert!(!break_path(&path).exists());
        drop(lock);
    }

    #[test]
    fn foreign_host_lock_is_respected_and_times_out_with_hg_messages() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        std::os::unix::fs::symlink("otherhost:1", &path).expect("symlink");
        let mut messages = Vec::new();
        let err = acquire(
            &path,
            "repository /r",
            LockWait {
                timeout: 1,
                warn_after: 0,
            },
            &mut |m| messages.push(m.to_string()),
        )
        .expect_err("held");
        assert_eq!(
            messages,
            vec!["waiting for lock on repository /r held by process '1' on host 'otherhost'\n"]
        );
        assert_eq!(
            err.to_string(),
            "repository /r: timed out waiting for lock held by 'otherhost:1'"
        );
    }

    #[test]
    fn regular_file_locks_are_read_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        std::fs::write(&path, "h:12").expect("write");
        assert_eq!(read_locker(&path).expect("read"), Some("h:12".to_string()));
    }
}
