//! Questions about the working directory that read commands ask: its
//! branch, whether it has uncommitted changes, which files it tracks.

use qs_store::StoreError;

use crate::error::RepoResult;
use crate::repo::Repo;

/// The working directory's branch (`.hg/branch`, `default` when absent).
pub fn branch(repo: &Repo) -> RepoResult<Vec<u8>> {
    let path = repo.dot_hg().join("branch");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let name = bytes
                .split(|&b| b == b'\n')
                .next()
                .unwrap_or(b"")
                .trim_ascii();
            Ok(if name.is_empty() {
                b"default".to_vec()
            } else {
                name.to_vec()
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(b"default".to_vec()),
        Err(e) => Err(StoreError::io(path, e).into()),
    }
}

/// One dirstate-v1 entry (interim reader until `qs-dirstate` lands).
struct Entry {
    state: u8,
    mode: i32,
    size: i32,
    mtime: i32,
    path: Vec<u8>,
}

/// Reads the dirstate-v1 entries (none if there is no dirstate).
fn read_entries(repo: &Repo) -> RepoResult<Vec<Entry>> {
    let path = repo.dot_hg().join("dirstate");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io(path, e).into()),
    };
    if bytes.starts_with(b"dirstate-v2\n") {
        return read_v2_entries(repo, &bytes);
    }
    let corrupt = || StoreError::corrupt(&path, "truncated dirstate entry");
    let mut entries = Vec::new();
    let mut pos = 40.min(bytes.len());
    while pos < bytes.len() {
        let header = bytes.get(pos..pos + 17).ok_or_else(corrupt)?;
        let int =
            |i: usize| i32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
        let (state, mode, size, mtime, len) = (header[0], int(1), int(5), int(9), int(13));
        let len = usize::try_from(len).map_err(|_| corrupt())?;
        let name = bytes.get(pos + 17..pos + 17 + len).ok_or_else(corrupt)?;
        let path = name.split(|&b| b == 0).next().unwrap_or(b"").to_vec();
        entries.push(Entry {
            state,
            mode,
            size,
            mtime,
            path,
        });
        pos += 17 + len;
    }
    Ok(entries)
}

/// Files tracked in the working directory (not removed), sorted.
pub fn tracked_files(repo: &Repo) -> RepoResult<Vec<Vec<u8>>> {
    let mut files: Vec<Vec<u8>> = read_entries(repo)?
        .into_iter()
        .filter(|e| e.state != b'r')
        .map(|e| e.path)
        .collect();
    files.sort();
    Ok(files)
}

/// True if any tracked file is added, removed, missing or modified.
pub fn is_dirty(repo: &Repo) -> RepoResult<bool> {
    use rayon::prelude::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let entries = read_entries(repo)?;
    if entries.iter().any(|e| e.state != b'n' || e.size == -2) {
        return Ok(true);
    }
    let root = repo.root();
    // First pass: stat only (hg's rule: same type, mode, size and mtime as
    // recorded means clean); the manifest is read only for the rest.
    let verdicts: Vec<Option<bool>> = entries
        .par_iter()
        .map(|e| {
            let Ok(meta) = std::fs::symlink_metadata(root.join(bytes_path(&e.path))) else {
                return Some(true);
            };
            let is_link = meta.file_type().is_symlink();
            let recorded_link = e.mode & 0o170_000 == 0o120_000;
            if e.size >= 0 && is_link != recorded_link {
                return Some(true);
            }
            let exec_changed = !is_link && (meta.mode() & 0o100) as i32 != e.mode & 0o100;
            if e.size >= 0 && (exec_changed || (!is_link && meta.len() != e.size as u64)) {
                return Some(true);
            }
            if e.size >= 0 && e.mtime >= 0 && meta.mtime() as i32 == e.mtime {
                return Some(false);
            }
            None
        })
        .collect();
    if verdicts.contains(&Some(true)) {
        return Ok(true);
    }
    let lookups: Vec<&Entry> = entries
        .iter()
        .zip(&verdicts)
        .filter(|(_, v)| v.is_none())
        .map(|(e, _)| e)
        .collect();
    if lookups.is_empty() {
        return Ok(false);
    }
    let manifest = repo.manifest_of(repo.working_parent()?)?;
    let dirty = lookups.par_iter().map(|e| -> RepoResult<bool> {
        let file = root.join(bytes_path(&e.path));
        let Ok(meta) = std::fs::symlink_metadata(&file) else {
            return Ok(true);
        };
        let Some((node, flags)) = manifest.get(&e.path) else {
            return Ok(true);
        };
        let is_link = meta.file_type().is_symlink();
        let is_exec = !is_link && meta.permissions().mode() & 0o100 != 0;
        if is_link != (flags == b"l") || is_exec != (flags == b"x") {
            return Ok(true);
        }
        let actual = if is_link {
            use std::os::unix::ffi::OsStrExt;
            std::fs::read_link(&file)
                .map(|t| t.as_os_str().as_bytes().to_vec())
                .unwrap_or_default()
        } else {
            std::fs::read(&file).unwrap_or_default()
        };
        Ok(actual != repo.file_content(&e.path, &node)?)
    });
    let results: Vec<bool> = dirty.collect::<RepoResult<Vec<bool>>>()?;
    Ok(results.into_iter().any(|d| d))
}

fn bytes_path(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// Reads the entries of a dirstate-v2 docket and its data file
/// (`internals/dirstate-v2.txt`): a tree of 44-byte nodes.
fn read_v2_entries(repo: &Repo, docket: &[u8]) -> RepoResult<Vec<Entry>> {
    let docket_path = repo.dot_hg().join("dirstate");
    let corrupt = |what: &str| StoreError::corrupt(&docket_path, format!("dirstate-v2: {what}"));
    let u32_at = |b: &[u8], at: usize| -> Option<u32> {
        b.get(at..at + 4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    };
    let u16_at = |b: &[u8], at: usize| -> Option<u16> {
        b.get(at..at + 2).map(|s| u16::from_be_bytes([s[0], s[1]]))
    };
    let root_start = u32_at(docket, 76).ok_or_else(|| corrupt("short docket"))? as usize;
    let root_count = u32_at(docket, 80).ok_or_else(|| corrupt("short docket"))? as usize;
    let data_size = u32_at(docket, 120).ok_or_else(|| corrupt("short docket"))? as usize;
    let id_len = *docket.get(124).ok_or_else(|| corrupt("short docket"))? as usize;
    let id = docket
        .get(125..125 + id_len)
        .ok_or_else(|| corrupt("short docket"))?;
    let data_path = repo
        .dot_hg()
        .join(format!("dirstate.{}", String::from_utf8_lossy(id)));
    let data = std::fs::read(&data_path).map_err(|e| StoreError::io(&data_path, e))?;
    let data = data
        .get(..data_size)
        .ok_or_else(|| corrupt("data file too short"))?;
    const NODE: usize = 44;
    let mut entries = Vec::new();
    let mut stack = vec![(root_start, root_count)];
    let mut visited = 0usize;
    while let Some((start, count)) = stack.pop() {
        for i in 0..count {
            visited += 1;
            if visited > data.len() / NODE + 1 {
                return Err(corrupt("node tree has a cycle").into());
            }
            let at = start + i * NODE;
            let node = data
                .get(at..at + NODE)
                .ok_or_else(|| corrupt("node out of bounds"))?;
            let bad = || corrupt("malformed node");
            let path_at = u32_at(node, 0).ok_or_else(bad)? as usize;
            let path_len = u16_at(node, 4).ok_or_else(bad)? as usize;
            let children_at = u32_at(node, 14).ok_or_else(bad)? as usize;
            let children = u32_at(node, 18).ok_or_else(bad)? as usize;
            let flags = u16_at(node, 30).ok_or_else(bad)?;
            let size = u32_at(node, 32).ok_or_else(bad)?;
            let mtime = u32_at(node, 36).ok_or_else(bad)?;
            if children > 0 {
                stack.push((children_at, children));
            }
            let (wdir, p1, p2) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0);
            if !(wdir || p1 || p2) {
                continue;
            }
            let path = data
                .get(path_at..path_at + path_len)
                .ok_or_else(|| corrupt("path out of bounds"))?
                .to_vec();
            let state = if !wdir {
                b'r'
            } else if p2 {
                b'm'
            } else if !p1 {
                b'a'
            } else {
                b'n'
            };
            let has_size = flags & (1 << 10) != 0;
            let has_mtime = flags & (1 << 11) != 0 && flags & (1 << 12) == 0;
            let exec = if flags & (1 << 3) != 0 { 0o755 } else { 0o644 };
            let kind = if flags & (1 << 4) != 0 {
                0o120_000
            } else {
                0o100_000
            };
            entries.push(Entry {
                state,
                mode: kind | exec,
                size: if has_size {
                    (size & 0x7fff_ffff) as i32
                } else {
                    -1
                },
                mtime: if has_mtime && has_size {
                    (mtime & 0x7fff_ffff) as i32
                } else {
                    -1
                },
                path,
            });
        }
    }
    Ok(entries)
}
