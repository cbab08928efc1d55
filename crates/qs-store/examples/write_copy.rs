//! Re-adds the whole history of one repository into another (an empty one
//! made by `hg init` with the same format) with qs-store's writer: every
//! filelog, then the manifest log, then the changelog, in revision order,
//! inside one transaction under the store lock. The write tests use it as a
//! child process they can kill at any moment.
//!
//! Usage: `write_copy SOURCE DEST [PAUSE_MICROS]` (repository roots);
//! `PAUSE_MICROS` sleeps after each revision, to spread a copy over time.
//! `write_copy --recover DEST` rolls back an interrupted transaction.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use qs_store::lock::{store_lock, LockWait};
use qs_store::path_encoding;
use qs_store::requirements::Requirements;
use qs_store::revlog::{Revlog, RevlogKind, RevlogOptions, RevlogWriter, WriterConfig};
use qs_store::transaction::{recover, Location, StoreVfs, Transaction, TransactionOptions};
use qs_store::{Revision, StoreError, StoreResult};

fn encoded(requirements: &Requirements, logical: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path_encoding::encode(logical, requirements.path_encoding());
    requirements
        .store_path()
        .join(std::ffi::OsStr::from_bytes(&bytes))
}

/// The filelogs of a store, from its fncache, as radixes (`data/<path>`).
fn filelog_radixes(requirements: &Requirements) -> StoreResult<Vec<Vec<u8>>> {
    let path = requirements.store_path().join("fncache");
    let bytes = std::fs::read(&path).map_err(|e| StoreError::io(&path, e))?;
    let mut radixes: Vec<Vec<u8>> = bytes
        .split(|&b| b == b'\n')
        .map(qs_store::fncache::decode_dir)
        .filter_map(|e| e.strip_suffix(b".i").map(<[u8]>::to_vec))
        .collect();
    radixes.sort();
    Ok(radixes)
}

fn copy_revlog(
    tr: &mut Transaction<'_>,
    source: &Revlog,
    kind: RevlogKind,
    radix: &[u8],
    config: &WriterConfig,
    pause: Duration,
) -> StoreResult<()> {
    let mut writer = RevlogWriter::open(tr, kind, radix, config)?;
    for r in 0..source.len() {
        let rev = Revision(r as i32);
        let entry = source.entry(rev)?;
        let text = source.data(rev)?;
        let added = writer.add(tr, &text, entry.p1, entry.p2, entry.link_rev)?;
        if added != rev {
            return Err(StoreError::corrupt(
                source.index_path(),
                format!("revision {rev} was stored as {added}"),
            ));
        }
        if !pause.is_zero() {
            std::thread::sleep(pause);
        }
    }
    Ok(())
}

fn copy(source_root: &Path, dest_root: &Path, pause: Duration) -> StoreResult<()> {
    let source = Requirements::load(&source_root.join(".hg"))?;
    let dest_dot_hg = dest_root.join(".hg");
    let dest = Requirements::load(&dest_dot_hg)?;
    let lock = store_lock(
        &dest.store_path(),
        dest_root,
        LockWait::default(),
        &mut |m| eprint!("{m}"),
    )?;
    let vfs = StoreVfs::from_requirements(&dest_dot_hg, &dest);
    let changelog_len =
        Revlog::open(&vfs.store_file(b"00changelog.i"), RevlogOptions::default())?.len();
    let options = TransactionOptions {
        vfs,
        fncache: dest.has("fncache"),
        description: "copy".to_string(),
        changelog_len,
    };
    let mut tr = Transaction::begin(&lock, options, Box::new(|m| eprint!("{m}")))?;
    let config = WriterConfig::from_requirements(&dest);
    for radix in filelog_radixes(&source)? {
        let log = Revlog::open(
            &encoded(&source, &[&radix[..], b".i"].concat()),
            RevlogOptions::default(),
        )?;
        copy_revlog(&mut tr, &log, RevlogKind::Filelog, &radix, &config, pause)?;
    }
    for (kind, radix) in [
        (RevlogKind::Manifest, &b"00manifest"[..]),
        (RevlogKind::Changelog, b"00changelog"),
    ] {
        let log = Revlog::open(
            &encoded(&source, &[radix, b".i"].concat()),
            RevlogOptions::default(),
        )?;
        copy_revlog(&mut tr, &log, kind, radix, &config, pause)?;
    }
    copy_phaseroots(&mut tr, &source)?;
    tr.commit()
}

/// Replaces the destination's phaseroots with the source's, through the
/// transaction (backup, then atomic replacement).
fn copy_phaseroots(tr: &mut Transaction<'_>, source: &Requirements) -> StoreResult<()> {
    let from = source.store_path().join("phaseroots");
    let content = match std::fs::read(&from) {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::io(&from, e)),
    };
    tr.add_backup(Location::Store, b"phaseroots")?;
    let to = tr.vfs().store_file(b"phaseroots");
    let temp = to.with_extension("qs-tmp");
    std::fs::write(&temp, &content).map_err(|e| StoreError::io(&temp, e))?;
    std::fs::rename(&temp, &to).map_err(|e| StoreError::io(&to, e))
}

fn run_recover(root: &Path) -> StoreResult<bool> {
    let dot_hg = root.join(".hg");
    let requirements = Requirements::load(&dot_hg)?;
    let lock = store_lock(
        &requirements.store_path(),
        root,
        LockWait::default(),
        &mut |m| eprint!("{m}"),
    )?;
    let vfs = StoreVfs::from_requirements(&dot_hg, &requirements);
    recover(&lock, &vfs, &mut |m| eprint!("{m}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, root] if flag == "--recover" => run_recover(Path::new(root)).map(|found| {
            if found {
                println!("rolling back interrupted transaction");
            } else {
                println!("no interrupted transaction available");
            }
        }),
        [source, dest] => copy(Path::new(source), Path::new(dest), Duration::ZERO),
        [source, dest, pause] => {
            let micros = pause.parse().unwrap_or(0);
            copy(
                Path::new(source),
                Path::new(dest),
                Duration::from_micros(micros),
            )
        }
        _ => {
            eprintln!("usage: write_copy SOURCE DEST [PAUSE_MICROS] | write_copy --recover DEST");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("abort: {e}");
            ExitCode::from(255)
        }
    }
}
