//! Reading and writing `.hg/dirstate` (v1 or v2 docket) and the v2 data
//! file, with hg's v2 write modes: append the new tree to the current data
//! file, or write a new data file under a new id and remove the old one.

use std::collections::HashMap;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use crate::error::{DirstateError, DirstateResult};
use crate::map::DirstateMap;
use crate::v2::{new_uuid, Docket};
use crate::v2_tree::{self, DirectoryInfo};

/// Above this share of unreachable bytes, `Auto` writes a new data file
/// (the threshold of hg's Rust implementation).
pub const ACCEPTABLE_UNREACHABLE_RATIO: f64 = 0.5;

/// How to write a v2 data file (hg's `devel.dirstate.v2.data_update_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteMode {
    /// Append unless too much of the file would be unreachable.
    #[default]
    Auto,
    /// Always append (when there is a data file).
    ForceAppend,
    /// Always write a new data file (what hg without its Rust extension does).
    ForceNew,
}

/// A dirstate read from disk.
#[derive(Debug, Clone, Default)]
pub struct Dirstate {
    /// Parents, entries, copies.
    pub map: DirstateMap,
    /// The v2 docket this came from (`None` for v1).
    pub docket: Option<Docket>,
    /// v2 directory nodes (empty for v1).
    pub directories: HashMap<Vec<u8>, DirectoryInfo>,
}

fn read_optional(path: &Path) -> DirstateResult<Vec<u8>> {
    match std::fs::read(path) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(DirstateError::io(path, e)),
    }
}

/// Reads the dirstate of the repository whose `.hg` is `dot_hg`; `v2`
/// says whether `.hg/requires` has `dirstate-v2`. A missing file is an
/// empty dirstate.
pub fn read(dot_hg: &Path, v2: bool) -> DirstateResult<Dirstate> {
    let bytes = read_optional(&dot_hg.join("dirstate"))?;
    if !v2 {
        return Ok(Dirstate {
            map: crate::v1::parse(&bytes)?,
            ..Dirstate::default()
        });
    }
    let docket = Docket::parse(&bytes)?;
    let Some(name) = docket.data_filename() else {
        return Ok(Dirstate {
            map: DirstateMap::new(docket.parents),
            docket: Some(docket),
            directories: HashMap::new(),
        });
    };
    let data_path = dot_hg.join(name);
    let data = std::fs::read(&data_path).map_err(|e| DirstateError::io(&data_path, e))?;
    let parsed = v2_tree::parse(&docket, &data)?;
    Ok(Dirstate {
        map: parsed.map,
        docket: Some(docket),
        directories: parsed.directories,
    })
}

/// What a v2 write produces: the new docket, and the data bytes to write
/// either at `append_at` in the current data file or as a new file.
#[derive(Debug, Clone)]
pub struct V2Output {
    /// The docket to write.
    pub docket: Docket,
    /// Data bytes (the whole file, or the part to append).
    pub data: Vec<u8>,
    /// `Some(offset)` when appending to the current data file.
    pub append_at: Option<u32>,
}

/// Computes a v2 write of `map`, given the current docket (if any).
pub fn v2_output(
    map: &DirstateMap,
    old: Option<&Docket>,
    mode: WriteMode,
) -> DirstateResult<V2Output> {
    let appendable = old.filter(|d| d.uuid.is_some());
    let append = match (mode, appendable) {
        (_, None) | (WriteMode::ForceNew, _) => None,
        (WriteMode::ForceAppend, Some(d)) => Some(d),
        (WriteMode::Auto, Some(d)) => {
            // Appending a whole new tree leaves the old one unreachable.
            let unreachable = f64::from(d.tree_metadata.unreachable_bytes) + f64::from(d.data_size);
            let (data, _) = v2_tree::serialize_tree(map, d.data_size as usize)?;
            let total = f64::from(d.data_size) + data.len() as f64;
            (total == 0.0 || unreachable / total <= ACCEPTABLE_UNREACHABLE_RATIO).then_some(d)
        }
    };
    match append {
        Some(d) => {
            let (data, mut meta) = v2_tree::serialize_tree(map, d.data_size as usize)?;
            meta.unreachable_bytes = d
                .tree_metadata
                .unreachable_bytes
                .saturating_add(d.data_size);
            let size = d.data_size as usize + data.len();
            Ok(V2Output {
                docket: Docket {
                    parents: map.parents,
                    tree_metadata: meta,
                    data_size: u32::try_from(size).map_err(|_| {
                        DirstateError::Unrepresentable("dirstate-v2 data too large".into())
                    })?,
                    uuid: d.uuid.clone(),
                },
                data,
                append_at: Some(d.data_size),
            })
        }
        None => {
            let (data, meta) = v2_tree::serialize_tree(map, 0)?;
            let mut uuid = new_uuid();
            while old.and_then(|d| d.uuid.as_ref()) == Some(&uuid) {
                uuid = new_uuid();
            }
            Ok(V2Output {
                docket: Docket {
                    parents: map.parents,
                    tree_metadata: meta,
                    data_size: data.len() as u32,
                    uuid: Some(uuid),
                },
                data,
                append_at: None,
            })
        }
    }
}

fn atomic_write(path: &Path, bytes: &[u8]) -> DirstateResult<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!("{name}-qs{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| DirstateError::io(path, e))
}

/// Writes `map` as dirstate-v1 (atomically replacing `.hg/dirstate`).
/// The caller holds the wlock.
pub fn write_v1(dot_hg: &Path, map: &DirstateMap) -> DirstateResult<()> {
    atomic_write(&dot_hg.join("dirstate"), &crate::v1::serialize(map)?)
}

/// Writes `map` as dirstate-v2: data first, then the docket; a replaced
/// data file is removed afterwards. Returns the new docket. The caller
/// holds the wlock.
pub fn write_v2(
    dot_hg: &Path,
    map: &DirstateMap,
    old: Option<&Docket>,
    mode: WriteMode,
) -> DirstateResult<Docket> {
    let out = v2_output(map, old, mode)?;
    let name = out.docket.data_filename().unwrap_or_default();
    let data_path = dot_hg.join(&name);
    match out.append_at {
        Some(at) => {
            let io = |e| DirstateError::io(&data_path, e);
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&data_path)
                .map_err(io)?;
            f.seek(SeekFrom::Start(u64::from(at))).map_err(io)?;
            f.write_all(&out.data).map_err(io)?;
            f.set_len(u64::from(at) + out.data.len() as u64)
                .map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        None => atomic_write(&data_path, &out.data)?,
    }
    atomic_write(&dot_hg.join("dirstate"), &out.docket.serialize()?)?;
    if out.append_at.is_none() {
        if let Some(old_name) = old.and_then(Docket::data_filename) {
            if old_name != name {
                let _ = std::fs::remove_file(dot_hg.join(old_name));
            }
        }
    }
    Ok(out.docket)
}
