//! Status rules that need no hg: a file written in the same second as the
//! status run is never reported clean, recordable mtimes follow the
//! boundary rule, unreadable directories become `bad` entries, and
//! non-UTF-8 names survive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use qs_dirstate::status::{status, StatusOptions};
use qs_dirstate::timestamp::TruncatedTimestamp;
use qs_dirstate::{DirstateMap, Entry, Matcher};

fn options(boundary: Option<TruncatedTimestamp>) -> StatusOptions {
    StatusOptions {
        list_clean: true,
        list_unknown: true,
        list_ignored: false,
        check_exec: true,
        mtime_boundary: boundary,
    }
}

fn recorded(root: &Path, name: &str, map: &mut DirstateMap, second_only: bool) {
    let meta = std::fs::symlink_metadata(root.join(name)).expect("stat");
    let mut mtime = TruncatedTimestamp::mtime_of(&meta);
    if second_only {
        mtime.nanoseconds = 0;
    }
    use std::os::unix::fs::MetadataExt;
    map.insert(
        name.as_bytes().to_vec(),
        Entry::new_clean(meta.mode() as i32, meta.size() as i32, mtime),
    );
}

#[test]
fn a_file_from_this_second_is_unsure_never_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir(root.join(".hg")).expect(".hg");
    std::fs::write(root.join("f"), "x\n").expect("write");
    let mut map = DirstateMap::default();
    recorded(root, "f", &mut map, true);
    // "Now" is the file's own mtime (a fresh filesystem_now could fall in
    // the next second and make the test depend on the clock).
    let meta = std::fs::symlink_metadata(root.join("f")).expect("stat");
    let now = TruncatedTimestamp::mtime_of(&meta);
    let st = status(
        root,
        &map,
        &Matcher::Always,
        &Matcher::Never,
        options(Some(now)),
    );
    assert!(st.clean.is_empty(), "{st:?}");
    assert_eq!(st.unsure.len(), 1);
    assert_eq!(st.unsure[0].reliable_mtime, None, "too recent to record");
    assert!(!st.unsure[0].record_clean(&mut map));

    // A day later the same mtime is reliable and matches: clean.
    let later = TruncatedTimestamp::new(i64::from(now.seconds) + 86_400 * 2, 0, false);
    let st = status(
        root,
        &map,
        &Matcher::Always,
        &Matcher::Never,
        options(Some(later)),
    );
    assert_eq!(st.clean, vec![b"f".to_vec()]);
}

#[test]
fn unsure_files_can_be_recorded_once_their_mtime_is_old() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("f"), "x\n").expect("write");
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_500_000_000);
    std::fs::File::options()
        .write(true)
        .open(root.join("f"))
        .expect("open")
        .set_modified(old)
        .expect("mtime");
    let mut map = DirstateMap::default();
    map.insert(
        b"f".to_vec(),
        Entry::from_v1(qs_dirstate::entry::V1State::Normal, 0o100644, 2, -1),
    );
    let boundary = TruncatedTimestamp::new(1_700_000_000, 0, false);
    let st = status(
        root,
        &map,
        &Matcher::Always,
        &Matcher::Never,
        options(Some(boundary)),
    );
    assert_eq!(st.unsure.len(), 1);
    assert!(st.unsure[0].record_clean(&mut map));
    let st = status(
        root,
        &map,
        &Matcher::Always,
        &Matcher::Never,
        options(Some(boundary)),
    );
    assert_eq!(st.clean, vec![b"f".to_vec()]);
    assert!(st.unsure.is_empty());
}

#[test]
fn exec_bit_and_size_changes_are_modified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("e"), "x\n").expect("write");
    std::fs::write(root.join("s"), "x\n").expect("write");
    let mut map = DirstateMap::default();
    recorded(root, "e", &mut map, false);
    recorded(root, "s", &mut map, false);
    std::fs::set_permissions(root.join("e"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    std::fs::write(root.join("s"), "longer\n").expect("write");
    let st = status(root, &map, &Matcher::Always, &Matcher::Never, options(None));
    assert_eq!(st.modified, vec![b"e".to_vec(), b"s".to_vec()]);
}

#[test]
fn non_utf8_names_and_unreadable_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join(std::ffi::OsStr::from_bytes(b"caf\xe9")), "x").expect("write");
    std::fs::create_dir(root.join("locked")).expect("mkdir");
    std::fs::write(root.join("locked/inner"), "x").expect("write");
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o000))
        .expect("chmod");
    let readable_anyway = std::fs::read_dir(root.join("locked")).is_ok(); // running as root
    let map = DirstateMap::default();
    let st = status(root, &map, &Matcher::Always, &Matcher::Never, options(None));
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    assert!(st.unknown.contains(&b"caf\xe9".to_vec()), "{st:?}");
    if readable_anyway {
        assert!(st.unknown.contains(&b"locked/inner".to_vec()));
    } else {
        assert_eq!(
            st.bad,
            vec![(b"locked".to_vec(), "Permission denied".to_string())]
        );
    }
}
