//! Reads revlogs written by the real Mercurial (found through `QS_HG`) and
//! checks every index field and every revision's text against what hg
//! itself reports: inline and split revlogs, zstd and zlib, generaldelta
//! and legacy delta chains, merges, long chains, corruption.

use std::path::{Path, PathBuf};
use std::process::Command;

use qs_store::node::{Node, NodePrefix};
use qs_store::revlog::{LastText, Revlog, RevlogOptions};
use qs_store::{Revision, StoreError, NULL_REVISION};

fn hg_binary() -> PathBuf {
    match std::env::var_os("QS_HG") {
        Some(p) => PathBuf::from(p),
        None => panic!(
            "QS_HG is not set: these tests need the real Mercurial, \
             e.g. QS_HG=/tmp/hgvenv-probe/bin/hg cargo test -p qs-store"
        ),
    }
}

/// Runs hg in `dir` and returns its stdout; panics if it fails.
fn hg(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(hg_binary())
        .args(args)
        .current_dir(dir)
        .env("HGPLAIN", "1")
        .env("HGRCPATH", "")
        .env("HGUSER", "test <test@example.com>")
        .env("HGENCODING", "utf-8")
        .env("TZ", "UTC")
        .output()
        .expect("running hg");
    assert!(
        out.status.success(),
        "hg {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn init(dir: &Path, config: &[&str]) {
    let mut args = vec!["init"];
    for c in config {
        args.push("--config");
        args.push(c);
    }
    args.push(".");
    hg(dir, &args);
}

fn commit(dir: &Path, files: &[(&str, &[u8])], message: &str) {
    for (name, content) in files {
        std::fs::write(dir.join(name), content).expect("write file");
    }
    hg(dir, &["commit", "-q", "-A", "-m", message, "-d", "0 0"]);
}

/// Deterministic pseudo-random bytes (poorly compressible).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn open(path: &Path) -> Revlog {
    Revlog::open(path, RevlogOptions { use_mmap: true }).expect("open revlog")
}

/// One row of `hg debugindex --debug`.
#[derive(Debug)]
struct HgEntry {
    rev: i32,
    linkrev: i32,
    node: Node,
    p1: i32,
    p2: i32,
    full_size: i32,
    delta_base: i32,
    flags: u16,
    offset: u64,
    chunk_size: u32,
}

fn debugindex(dir: &Path, which: &[&str]) -> Vec<HgEntry> {
    let mut args = vec!["debugindex", "--debug"];
    args.extend_from_slice(which);
    let out = String::from_utf8(hg(dir, &args)).expect("utf-8");
    out.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let int = |i: usize| f[i].parse::<i64>().expect("number");
            HgEntry {
                rev: int(0) as i32,
                linkrev: int(2) as i32,
                node: Node::from_hex(f[3].as_bytes()).expect("node"),
                p1: int(4) as i32,
                p2: int(6) as i32,
                full_size: int(8) as i32,
                delta_base: int(9) as i32,
                flags: int(10) as u16,
                offset: int(12) as u64,
                chunk_size: int(13) as u32,
            }
        })
        .collect()
}

/// Checks every index field and every text (hash-verified) of a revlog.
fn check_against_hg(dir: &Path, revlog: &Revlog, which: &[&str]) {
    let expected = debugindex(dir, which);
    assert_eq!(revlog.len(), expected.len(), "revision count of {which:?}");
    for e in &expected {
        let rev = Revision(e.rev);
        let entry = revlog.entry(rev).expect("entry");
        assert_eq!(entry.node, e.node, "node of {which:?}@{rev}");
        assert_eq!(revlog.node(rev).expect("node"), e.node);
        assert_eq!(entry.link_rev, Revision(e.linkrev));
        assert_eq!(revlog.link_rev(rev).expect("linkrev"), Revision(e.linkrev));
        assert_eq!(
            revlog.parents(rev).expect("parents"),
            [Revision(e.p1), Revision(e.p2)]
        );
        assert_eq!(entry.uncompressed_len, e.full_size);
        assert_eq!(entry.base_rev, Revision(e.delta_base), "base of {rev}");
        assert_eq!(entry.flags, e.flags);
        assert_eq!(entry.offset, e.offset, "offset of {rev}");
        assert_eq!(entry.compressed_len, e.chunk_size);
        let text = revlog
            .data(rev)
            .unwrap_or_else(|err| panic!("data({rev}) of {which:?}: {err}"));
        assert_eq!(text.len() as i32, e.full_size);
        assert_eq!(revlog.rev_of_node(&e.node).expect("lookup"), Some(rev));
    }
}

#[test]
fn small_inline_zstd_filelog_matches_hg() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir, &[]);
    let mut text = String::new();
    for i in 0..12 {
        text.push_str(&format!("line {i}\n"));
        if i % 3 == 0 {
            text = text.replace("line 1\n", "LINE one\n");
        }
        commit(dir, &[("a.txt", text.as_bytes())], &format!("commit {i}"));
    }
    let store = dir.join(".hg/store");
    let filelog = open(&store.join("data/a.txt.i"));
    assert!(filelog.is_inline());
    assert!(filelog.is_generaldelta());
    check_against_hg(dir, &filelog, &["a.txt"]);
    for rev in [0, 5, 11] {
        let expected = hg(dir, &["cat", "-r", &rev.to_string(), "a.txt"]);
        assert_eq!(filelog.data(Revision(rev)).expect("data"), expected);
    }
    check_against_hg(dir, &open(&store.join("00changelog.i")), &["-c"]);
    check_against_hg(dir, &open(&store.join("00manifest.i")), &["-m"]);
    assert_eq!(filelog.data(NULL_REVISION).expect("null"), Vec::<u8>::new());
    assert!(matches!(
        filelog.data(Revision(12)),
        Err(StoreError::NoSuchRevision { rev: 12, .. })
    ));
}

#[test]
fn split_revlog_with_data_file_matches_hg() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir, &[]);
    let mut content = noise(1, 150_000);
    for i in 0..4u8 {
        let at = usize::from(i) * 20_000;
        content[at..at + 1000].copy_from_slice(&noise(u64::from(i) + 10, 1000));
        content.extend_from_slice(&noise(u64::from(i) + 100, 5000));
        commit(dir, &[("big.bin", &content)], &format!("big {i}"));
    }
    let store = dir.join(".hg/store");
    assert!(
        store.join("data/big.bin.d").exists(),
        "hg should have split"
    );
    let filelog = open(&store.join("data/big.bin.i"));
    assert!(!filelog.is_inline());
    check_against_hg(dir, &filelog, &["big.bin"]);
    assert_eq!(filelog.data(Revision(3)).expect("data"), content);
    // Without maps: positional reads of the data file.
    let unmapped = Revlog::open(
        &store.join("data/big.bin.i"),
        RevlogOptions { use_mmap: false },
    )
    .expect("open");
    assert_eq!(unmapped.data(Revision(3)).expect("data"), content);
}

#[test]
fn zlib_compressed_revlogs_match_hg() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir, &["format.revlog-compression=zlib"]);
    let requires = std::fs::read_to_string(dir.join(".hg/store/requires")).unwrap_or_default();
    assert!(!requires.contains("zstd"), "{requires}");
    let mut text = String::new();
    for i in 0..8 {
        text.push_str(&"compressible text, repeated. ".repeat(20 + i));
        text.push('\n');
        commit(dir, &[("z.txt", text.as_bytes())], &format!("z {i}"));
    }
    let filelog = open(&dir.join(".hg/store/data/z.txt.i"));
    check_against_hg(dir, &filelog, &["z.txt"]);
    let raw = std::fs::read(dir.join(".hg/store/data/z.txt.i")).expect("read");
    assert_eq!(raw[64], b'x', "first chunk should be zlib");
    assert_eq!(
        filelog.data(Revision(7)).expect("data"),
        hg(dir, &["cat", "-r", "7", "z.txt"])
    );
}

#[test]
fn legacy_non_generaldelta_chains_match_hg() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(
        dir,
        &["format.usegeneraldelta=no", "format.sparse-revlog=no"],
    );
    hg(
        dir,
        &[
            "debugbuilddag",
            "--mergeable-file",
            "--overwritten-file",
            "+10:a +15 *a +5 /a +40",
        ],
    );
    let filelog = open(&dir.join(".hg/store/data/mf.i"));
    assert!(!filelog.is_generaldelta());
    check_against_hg(dir, &filelog, &["mf"]);
    check_against_hg(dir, &open(&dir.join(".hg/store/00manifest.i")), &["-m"]);
}

#[test]
fn long_generaldelta_chains_with_merges_match_hg() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir, &[]);
    hg(
        dir,
        &[
            "debugbuilddag",
            "--mergeable-file",
            "--overwritten-file",
            "+20:a +30 *a +10 /a +250",
        ],
    );
    let store = dir.join(".hg/store");
    let filelog = open(&store.join("data/mf.i"));
    assert!(filelog.is_generaldelta());
    check_against_hg(dir, &filelog, &["mf"]);
    assert!(filelog.delta_chain(Revision(300)).expect("chain").len() > 1);
    let changelog = open(&store.join("00changelog.i"));
    let merges = (0..changelog.len() as i32)
        .filter(|&r| !changelog.parents(Revision(r)).expect("parents")[1].is_null())
        .count();
    assert!(merges >= 1, "the DAG has merges");
    check_against_hg(dir, &changelog, &["-c"]);
    check_against_hg(dir, &open(&store.join("00manifest.i")), &["-m"]);
    assert_eq!(
        filelog.data(Revision(311)).expect("data"),
        hg(dir, &["cat", "-r", "311", "mf"])
    );
    // Sequential reads (starting from the previous text when it is on the
    // chain) give the same texts, in order and in any other order.
    for log in [&filelog, &open(&store.join("00manifest.i"))] {
        let mut last = LastText::default();
        let revs = (0..log.len() as i32)
            .chain((0..log.len() as i32).rev())
            .chain((0..log.len() as i32).map(|r| (r * 7919) % log.len() as i32));
        for r in revs {
            let expected = log.data(Revision(r)).expect("data");
            let got = log.data_sequential(Revision(r), &mut last).expect("seq");
            assert_eq!(got, &expected[..], "revision {r}");
        }
    }

    // Node lookups, prefixes and shortest prefixes on the changelog.
    let out = String::from_utf8(hg(
        dir,
        &["log", "-T", "{rev} {node} {shortest(node, 1)}\n"],
    ))
    .expect("utf-8");
    for line in out.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let rev = Revision(f[0].parse().expect("rev"));
        let node = Node::from_hex(f[1].as_bytes()).expect("node");
        let hg_short = f[2];
        let len = changelog
            .shortest_unique_prefix(&node, 1)
            .expect("shortest");
        let ours = &f[1][..len];
        // hg also lengthens prefixes that read as revision numbers.
        if ours.bytes().all(|b| b.is_ascii_digit()) {
            assert!(
                hg_short.len() >= len && hg_short.starts_with(ours),
                "{line}"
            );
        } else {
            assert_eq!(ours, hg_short, "{line}");
        }
        let prefix = NodePrefix::from_hex(ours.as_bytes()).expect("prefix");
        assert_eq!(changelog.rev_of_prefix(&prefix).expect("unique"), Some(rev));
        // (An all-`f` prefix is lengthened for the working directory's
        // id, not because another node shares it.)
        if len > 1 && !ours[..len - 1].bytes().all(|b| b == b'f') {
            let shorter = NodePrefix::from_hex(&ours.as_bytes()[..len - 1]).expect("prefix");
            assert!(
                matches!(
                    changelog.rev_of_prefix(&shorter),
                    Err(StoreError::AmbiguousPrefix)
                ),
                "{line}"
            );
        }
        assert_eq!(changelog.rev_of_node(&node).expect("lookup"), Some(rev));
        assert_eq!(
            changelog.shortest_unique_prefix(&node, 12).expect("min"),
            12
        );
    }
    let absent = Node([0x5a; 20]);
    assert_eq!(changelog.rev_of_node(&absent).expect("lookup"), None);
    assert!(changelog.shortest_unique_prefix(&absent, 1).is_err());
}

#[test]
fn missing_index_is_an_empty_revlog() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let revlog = open(&tmp.path().join("nothing.i"));
    assert!(revlog.is_empty());
    assert!(revlog.entry(Revision(0)).is_err());
    assert_eq!(
        revlog.node(NULL_REVISION).expect("null"),
        qs_store::NULL_NODE
    );
    assert_eq!(
        revlog.rev_of_node(&qs_store::NULL_NODE).expect("null"),
        Some(NULL_REVISION)
    );
    let zero = NodePrefix::from_hex(b"000").expect("prefix");
    assert_eq!(
        revlog.rev_of_prefix(&zero).expect("null"),
        Some(NULL_REVISION)
    );
}

/// Builds a repository with one inline and one split filelog.
fn corruptible_repo(dir: &Path) {
    init(dir, &[]);
    let mut big = noise(7, 150_000);
    commit(
        dir,
        &[("big.bin", &big), ("small.txt", b"hello\nworld\n")],
        "one",
    );
    big[1000..1100].copy_from_slice(&noise(8, 100));
    commit(
        dir,
        &[("big.bin", &big), ("small.txt", b"hello\nthere\nworld\n")],
        "two",
    );
}

#[test]
fn corruption_is_reported_not_panicked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    corruptible_repo(dir);
    let data = dir.join(".hg/store/data");

    // A flipped byte inside the data of a split revlog.
    let d_path = data.join("big.bin.d");
    let mut d = std::fs::read(&d_path).expect("read .d");
    d[5000] ^= 0x55;
    std::fs::write(&d_path, &d).expect("write .d");
    let big = open(&data.join("big.bin.i"));
    let err = big.data(Revision(0)).expect_err("corrupted");
    assert!(
        matches!(
            err,
            StoreError::IntegrityCheck { rev: 0, .. } | StoreError::Corrupt { .. }
        ),
        "{err}"
    );

    // A truncated data file: the chunk lies past its end.
    std::fs::write(&d_path, &d[..d.len() / 2]).expect("truncate .d");
    let err = open(&data.join("big.bin.i"))
        .data(Revision(1))
        .expect_err("truncated");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");

    // A missing data file.
    std::fs::remove_file(&d_path).expect("remove .d");
    let err = open(&data.join("big.bin.i"))
        .data(Revision(0))
        .expect_err("missing .d");
    assert!(matches!(err, StoreError::Io { .. }), "{err}");

    // A flipped byte in the text of an inline revision.
    let i_path = data.join("small.txt.i");
    let mut i = std::fs::read(&i_path).expect("read .i");
    let pos = i
        .windows(5)
        .position(|w| w == b"hello")
        .expect("text stored uncompressed");
    i[pos] = b'j';
    std::fs::write(&i_path, &i).expect("write .i");
    let err = open(&i_path).data(Revision(0)).expect_err("corrupted");
    assert!(
        matches!(err, StoreError::IntegrityCheck { rev: 0, .. }),
        "{err}"
    );
    let mut last = LastText::default();
    let err = open(&i_path)
        .data_sequential(Revision(0), &mut last)
        .expect_err("corrupted");
    assert!(
        matches!(err, StoreError::IntegrityCheck { rev: 0, .. }),
        "{err}"
    );

    // A truncated index.
    std::fs::write(&i_path, &i[..i.len() - 3]).expect("truncate .i");
    assert!(matches!(
        Revlog::open(&i_path, RevlogOptions::default()),
        Err(StoreError::Corrupt { .. })
    ));
}

#[test]
fn hostile_index_fields_are_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    corruptible_repo(dir);
    let i_path = dir.join(".hg/store/data/small.txt.i");
    let original = std::fs::read(&i_path).expect("read .i");
    let second =
        64 + u32::from_be_bytes([original[8], original[9], original[10], original[11]]) as usize;
    let patch_field = |entry: usize, at: usize, value: i32| {
        let mut bytes = original.clone();
        bytes[entry + at..entry + at + 4].copy_from_slice(&value.to_be_bytes());
        std::fs::write(&i_path, &bytes).expect("write .i");
        open(&i_path)
    };
    // Delta base after the revision itself.
    let r = patch_field(second, 16, 5);
    assert!(matches!(
        r.data(Revision(1)),
        Err(StoreError::Corrupt { .. })
    ));
    // Negative delta base.
    let r = patch_field(second, 16, -7);
    assert!(matches!(
        r.data(Revision(1)),
        Err(StoreError::Corrupt { .. })
    ));
    // Uncompressed length that disagrees with the data.
    let r = patch_field(0, 12, 3);
    assert!(matches!(
        r.data(Revision(0)),
        Err(StoreError::Corrupt { .. })
    ));
    let r = patch_field(0, 12, -1);
    assert!(matches!(
        r.data(Revision(0)),
        Err(StoreError::Corrupt { .. })
    ));
    // A parent that is not an earlier revision.
    let r = patch_field(second, 24, 1);
    assert!(matches!(
        r.parents(Revision(1)),
        Err(StoreError::Corrupt { .. })
    ));
    // Censored and unknown revision flags.
    let mut bytes = original.clone();
    bytes[6] = 0x80;
    std::fs::write(&i_path, &bytes).expect("write .i");
    let err = open(&i_path).data(Revision(0)).expect_err("censored");
    assert!(err.to_string().contains("censored"), "{err}");
    bytes[6] = 0;
    bytes[7] = 0x01;
    std::fs::write(&i_path, &bytes).expect("write .i");
    let err = open(&i_path).data(Revision(0)).expect_err("unknown flag");
    assert!(err.to_string().contains("unknown flags"), "{err}");
    // An unknown revlog version.
    let mut bytes = original.clone();
    bytes[3] = 7;
    std::fs::write(&i_path, &bytes).expect("write .i");
    assert!(matches!(
        Revlog::open(&i_path, RevlogOptions::default()),
        Err(StoreError::Corrupt { .. })
    ));
}
