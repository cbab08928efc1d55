//! Access to the bytes of revlog files: read into memory when small,
//! memory-mapped when large, or read piecewise with positional reads.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::mmap;

/// Files at least this large are mapped (when the caller allows maps).
pub const MMAP_THRESHOLD: u64 = 256 * 1024;

/// The whole content of a file, owned or mapped.
pub enum Bytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

/// Reads (or maps) a whole file. `Ok(None)` if it does not exist.
pub fn read_whole(path: &Path, use_mmap: bool) -> io::Result<Option<Bytes>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    if use_mmap && len >= MMAP_THRESHOLD {
        return Ok(Some(Bytes::Mapped(mmap::map(&file)?)));
    }
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.read_to_end(&mut buf)?;
    Ok(Some(Bytes::Owned(buf)))
}

/// A data (`.d`) file: whole in memory / mapped, or read on demand.
pub enum DataFile {
    Whole(Bytes),
    /// A large file read with positional reads, up to the length it had
    /// when opened (the snapshot).
    Positional {
        file: File,
        len: u64,
    },
}

impl DataFile {
    /// Opens a data file; large files are mapped or read on demand.
    pub fn open(path: &Path, use_mmap: bool) -> io::Result<DataFile> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        if len < MMAP_THRESHOLD {
            let mut file = file;
            let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            file.read_to_end(&mut buf)?;
            return Ok(DataFile::Whole(Bytes::Owned(buf)));
        }
        if use_mmap {
            return Ok(DataFile::Whole(Bytes::Mapped(mmap::map(&file)?)));
        }
        Ok(DataFile::Positional { file, len })
    }

    /// Length of the file (at open).
    pub fn len(&self) -> u64 {
        match self {
            DataFile::Whole(b) => b.len() as u64,
            DataFile::Positional { len, .. } => *len,
        }
    }

    /// Bytes `start..start+len`, or `Ok(None)` if that range is past the end.
    pub fn range(&self, start: u64, len: usize) -> io::Result<Option<Cow<'_, [u8]>>> {
        let Some(end) = start.checked_add(len as u64) else {
            return Ok(None);
        };
        if end > self.len() {
            return Ok(None);
        }
        match self {
            DataFile::Whole(b) => Ok(b.get(start as usize..end as usize).map(Cow::Borrowed)),
            DataFile::Positional { file, .. } => {
                let mut buf = vec![0u8; len];
                read_exact_at(file, &mut buf, start)?;
                Ok(Some(Cow::Owned(buf)))
            }
        }
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, buf, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}
