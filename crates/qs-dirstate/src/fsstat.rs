//! `lstat` of many working-directory files, relative to open directory
//! handles: each file costs one path component to resolve instead of the
//! whole path from `/`, which is most of the kernel's work when status or
//! `identify` stats tens of thousands of tracked files.

use std::collections::HashMap;
use std::io;
use std::os::fd::OwnedFd;
use std::path::Path;

use rayon::prelude::*;
use rustix::fs::{AtFlags, Mode, OFlags, CWD};

use crate::status::FileStat;
use crate::timestamp::TruncatedTimestamp;

/// An open directory that files are looked up in.
pub struct DirHandle {
    fd: OwnedFd,
}

impl DirHandle {
    /// Opens `path` (a directory) for lookups only.
    pub fn open(path: &Path) -> io::Result<DirHandle> {
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(CWD, path, flags, Mode::empty())?;
        Ok(DirHandle { fd })
    }

    /// Opens `path` (a directory) for listing as well as lookups.
    pub fn open_listable(path: &Path) -> io::Result<DirHandle> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(CWD, path, flags, Mode::empty())?;
        Ok(DirHandle { fd })
    }

    /// The directory's entries (without `.` and `..`) with the kind the
    /// directory itself records, read with `getdents` on this handle
    /// (opened with [`DirHandle::open_listable`]).
    pub fn entries(&self) -> io::Result<Vec<(Vec<u8>, EntryKind)>> {
        use rustix::fs::FileType;
        let mut buf = Vec::with_capacity(32 * 1024);
        let mut dir = rustix::fs::RawDir::new(&self.fd, buf.spare_capacity_mut());
        let mut out = Vec::new();
        while let Some(entry) = dir.next() {
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Directory => EntryKind::Directory,
                FileType::RegularFile | FileType::Symlink => EntryKind::FileOrLink,
                FileType::Unknown => EntryKind::Unknown,
                _ => EntryKind::Other,
            };
            out.push((name.to_vec(), kind));
        }
        Ok(out)
    }

    /// `lstat` of the entry `name` (one path component, or a relative path).
    pub fn lstat(&self, name: &[u8]) -> io::Result<FileStat> {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(name);
        let st = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)?;
        let nanos = u32::try_from(st.st_mtime_nsec).unwrap_or(0);
        Ok(FileStat {
            mode: st.st_mode,
            size: u64::try_from(st.st_size).unwrap_or(0),
            mtime: TruncatedTimestamp::new(st.st_mtime, nanos, false),
        })
    }
}

/// What a directory entry is, as `getdents` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Directory,
    /// A regular file or a symbolic link: what status stats.
    FileOrLink,
    /// A fifo, socket or device.
    Other,
    /// The filesystem does not say: `lstat` to know.
    Unknown,
}

/// `lstat` of each repository-relative path under `root`, in the order
/// given. Paths are grouped by directory, each directory opened once, and
/// the groups are stat'ed in parallel.
pub fn lstat_many(root: &Path, paths: &[&[u8]]) -> Vec<io::Result<FileStat>> {
    let mut groups: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, path) in paths.iter().enumerate() {
        let dir = path
            .iter()
            .rposition(|&b| b == b'/')
            .map_or(&path[..0], |slash| &path[..slash]);
        groups.entry(dir).or_default().push(i);
    }
    let groups: Vec<(&[u8], Vec<usize>)> = groups.into_iter().collect();
    let stats: Vec<Vec<(usize, io::Result<FileStat>)>> = groups
        .par_iter()
        .map(|(dir, members)| {
            use std::os::unix::ffi::OsStrExt;
            let handle = DirHandle::open(&root.join(std::ffi::OsStr::from_bytes(dir)));
            members
                .iter()
                .map(|&i| {
                    let name = &paths[i][if dir.is_empty() { 0 } else { dir.len() + 1 }..];
                    let stat = match &handle {
                        Ok(handle) => handle.lstat(name),
                        Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
                    };
                    (i, stat)
                })
                .collect()
        })
        .collect();
    let mut out: Vec<Option<io::Result<FileStat>>> = paths.iter().map(|_| None).collect();
    for (i, stat) in stats.into_iter().flatten() {
        out[i] = Some(stat);
    }
    out.into_iter()
        .map(|s| s.unwrap_or_else(|| Err(io::ErrorKind::NotFound.into())))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn stats_like_symlink_metadata() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("top"), b"1").unwrap();
        std::fs::write(dir.path().join("a/b/deep"), b"four").unwrap();
        std::os::unix::fs::symlink("top", dir.path().join("a/link")).unwrap();
        let paths: Vec<&[u8]> = vec![b"a/b/deep", b"top", b"missing", b"a/link", b"nodir/x"];
        let stats = lstat_many(dir.path(), &paths);
        for (path, stat) in paths.iter().zip(&stats) {
            let full = dir.path().join(std::str::from_utf8(path).unwrap());
            match std::fs::symlink_metadata(&full) {
                Ok(m) => {
                    let st = stat.as_ref().unwrap();
                    assert_eq!((st.mode, st.size), (m.mode(), m.size()));
                    assert_eq!(st.mtime, TruncatedTimestamp::mtime_of(&m));
                }
                Err(_) => assert!(stat.is_err()),
            }
        }
    }
}
