//! The writer and transactions in process, without hg: what an abort, a
//! drop and a commit leave on disk, index entries read back by the reader,
//! dedupe of known nodes, the refusal to start over an abandoned journal.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use proptest::prelude::*;
use qs_store::lock::{try_acquire, Lock};
use qs_store::path_encoding::Encoding;
use qs_store::revlog::{
    encode_index_entry, IndexEntry, Revlog, RevlogKind, RevlogOptions, RevlogWriter, WriterConfig,
    MAX_INLINE,
};
use qs_store::transaction::{recover, Location, StoreVfs, Transaction, TransactionOptions};
use qs_store::{Node, Revision, StoreError, NULL_REVISION};

fn setup(dir: &Path) -> (StoreVfs, Lock) {
    let dot_hg = dir.join(".hg");
    std::fs::create_dir_all(dot_hg.join("store")).unwrap();
    let lock = try_acquire(&dot_hg.join("store/lock"), "repository test").unwrap();
    (
        StoreVfs::new(&dot_hg, dot_hg.join("store"), Encoding::FncacheDotencode),
        lock,
    )
}

fn options(vfs: &StoreVfs) -> TransactionOptions {
    TransactionOptions {
        vfs: vfs.clone(),
        fncache: true,
        description: "test".into(),
        changelog_len: 0,
    }
}

fn config() -> WriterConfig {
    WriterConfig {
        compression: qs_store::revlog::Compression::Zstd { level: 3 },
        generaldelta: true,
        sparse_revlog: true,
        max_chain_len: Some(1000),
        max_deltachain_span: -1,
        delta_both_parents: true,
        file_max_comp_ratio: 10,
    }
}

fn texts(n: usize) -> Vec<Vec<u8>> {
    let mut text: Vec<String> = (0..200).map(|i| format!("line {i}\n")).collect();
    (0..n)
        .map(|r| {
            text[(r * 7) % 200] = format!("changed in {r}\n");
            text.concat().into_bytes()
        })
        .collect()
}

fn write_linear(tr: &mut Transaction<'_>, radix: &[u8], texts: &[Vec<u8>]) -> RevlogWriter {
    let mut writer = RevlogWriter::open(tr, RevlogKind::Filelog, radix, &config()).unwrap();
    for (r, text) in texts.iter().enumerate() {
        let p1 = Revision(r as i32 - 1);
        let rev = writer
            .add(tr, text, p1, NULL_REVISION, Revision(r as i32))
            .unwrap();
        assert_eq!(rev, Revision(r as i32));
    }
    writer
}

#[test]
fn committed_revisions_read_back_and_leave_undo_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (vfs, lock) = setup(tmp.path());
    let all = texts(30);
    let mut tr = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).unwrap();
    let mut writer = write_linear(&mut tr, b"data/Some File.txt", &all);
    // The same text with the same parents is the same node: not added again.
    let again = writer
        .add(&mut tr, &all[3], Revision(2), NULL_REVISION, Revision(99))
        .unwrap();
    assert_eq!(again, Revision(3));
    assert_eq!(writer.text(Revision(17)).unwrap(), all[17]);
    tr.commit().unwrap();

    let revlog = Revlog::open(
        &vfs.store_file(b"data/Some File.txt.i"),
        RevlogOptions::default(),
    )
    .unwrap();
    assert_eq!(revlog.len(), 30);
    assert!(revlog.is_inline());
    for (r, text) in all.iter().enumerate() {
        assert_eq!(&revlog.data(Revision(r as i32)).unwrap(), text);
    }
    assert!(revlog.delta_parent(Revision(5)).unwrap().is_some());
    let store = vfs.store();
    assert!(store.join("data/_some _file.txt.i").exists());
    assert_eq!(
        std::fs::read(store.join("fncache")).unwrap(),
        b"data/Some File.txt.i\n"
    );
    assert_eq!(
        std::fs::read(store.join("undo")).unwrap(),
        b"data/Some File.txt.i\x000\n"
    );
    assert_eq!(
        std::fs::read(store.join("undo.backupfiles")).unwrap(),
        b"2\n\x00fncache\x00\x000\n"
    );
    assert_eq!(
        std::fs::read(vfs.dot_hg().join("undo.desc")).unwrap(),
        b"0\ntest\n"
    );
    assert!(!store.join("journal").exists());
    assert!(!store.join("journal.backupfiles").exists());
}

#[test]
fn dropped_transaction_restores_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let (vfs, lock) = setup(tmp.path());
    let first = texts(5);
    let mut tr = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).unwrap();
    write_linear(&mut tr, b"data/a", &first);
    tr.commit().unwrap();
    let index = vfs.store_file(b"data/a.i");
    let before = std::fs::read(&index).unwrap();
    std::fs::write(vfs.store_file(b"phaseroots"), b"old\n").unwrap();

    let messages = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = messages.clone();
    let mut tr = Transaction::begin(
        &lock,
        options(&vfs),
        Box::new(move |m| sink.lock().unwrap().push_str(m)),
    )
    .unwrap();
    let mut writer =
        RevlogWriter::open(&mut tr, RevlogKind::Filelog, b"data/a", &config()).unwrap();
    // Enough data to split the revlog mid-transaction.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let big: Vec<u8> = (0..MAX_INLINE as usize * 2)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    writer
        .add(&mut tr, &big, Revision(4), NULL_REVISION, Revision(5))
        .unwrap();
    assert!(!writer.is_inline());
    let mut other = RevlogWriter::open(&mut tr, RevlogKind::Filelog, b"data/b", &config()).unwrap();
    other
        .add(
            &mut tr,
            b"new file\n",
            NULL_REVISION,
            NULL_REVISION,
            Revision(5),
        )
        .unwrap();
    let twice = RevlogWriter::open(&mut tr, RevlogKind::Filelog, b"data/b", &config());
    assert!(matches!(twice, Err(StoreError::UnsupportedWrite { .. })));
    tr.add_backup(Location::Store, b"phaseroots").unwrap();
    std::fs::write(vfs.store_file(b"phaseroots"), b"new\n").unwrap();
    drop(tr);

    assert_eq!(
        messages.lock().unwrap().as_str(),
        "transaction abort!\nrollback completed\n"
    );
    assert_eq!(std::fs::read(&index).unwrap(), before);
    assert!(!vfs.store_file(b"data/a.d").exists());
    assert!(!vfs.store_file(b"data-s/a.i").exists());
    assert!(!vfs.store_file(b"data/b.i").exists());
    assert_eq!(
        std::fs::read(vfs.store_file(b"phaseroots")).unwrap(),
        b"old\n"
    );
    assert_eq!(
        std::fs::read(vfs.store_file(b"fncache")).unwrap(),
        b"data/a.i\n"
    );
    assert!(!vfs.store_file(b"journal").exists());
    // Nothing left to recover.
    assert!(!recover(&lock, &vfs, &mut |_| {}).unwrap());
}

#[test]
fn abandoned_journal_blocks_new_transactions_until_recovered() {
    let tmp = tempfile::tempdir().unwrap();
    let (vfs, lock) = setup(tmp.path());
    let mut tr = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).unwrap();
    write_linear(&mut tr, b"data/a", &texts(3));
    // Simulate a crash: the journal stays on disk.
    std::mem::forget(tr);
    let err = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).err();
    assert_eq!(
        err.as_ref().map(ToString::to_string).as_deref(),
        Some("abandoned transaction found")
    );
    assert!(matches!(err, Some(StoreError::AbandonedTransaction)));
    assert!(recover(&lock, &vfs, &mut |_| {}).unwrap());
    assert!(!vfs.store_file(b"data/a.i").exists());
    let tr = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).unwrap();
    tr.commit().unwrap();
}

#[test]
fn changelog_entries_are_hidden_until_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let (vfs, lock) = setup(tmp.path());
    for round in 0..2 {
        let mut tr = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).unwrap();
        let mut cl =
            RevlogWriter::open(&mut tr, RevlogKind::Changelog, b"00changelog", &config()).unwrap();
        let base = cl.len() as i32;
        assert_eq!(base, 4 * round);
        for r in 0..3 {
            let text = format!("changeset {round} {r}\n");
            cl.add(
                &mut tr,
                text.as_bytes(),
                Revision(base + r - 1),
                NULL_REVISION,
                Revision(base + r),
            )
            .unwrap();
        }
        let visible = Revlog::open(&vfs.store_file(b"00changelog.i"), RevlogOptions::default())
            .unwrap()
            .len();
        assert_eq!(visible, base as usize, "entries visible before commit");
        // Hooks see the pending state in `00changelog.i.a`.
        assert!(cl.write_pending(&mut tr).unwrap());
        cl.add(
            &mut tr,
            format!("after pending {round}\n").as_bytes(),
            Revision(base + 2),
            NULL_REVISION,
            Revision(base + 3),
        )
        .unwrap();
        let pending = Revlog::open(
            &vfs.store_file(b"00changelog.i.a"),
            RevlogOptions::default(),
        )
        .unwrap();
        assert_eq!(pending.len(), base as usize + 4);
        let visible = Revlog::open(&vfs.store_file(b"00changelog.i"), RevlogOptions::default())
            .unwrap()
            .len();
        assert_eq!(visible, base as usize);
        tr.commit().unwrap();
        let revlog =
            Revlog::open(&vfs.store_file(b"00changelog.i"), RevlogOptions::default()).unwrap();
        assert_eq!(revlog.len(), base as usize + 4);
        assert!(!revlog.is_inline() && !revlog.is_generaldelta());
        assert!(!vfs.store_file(b"00changelog.i.a").exists());
    }
}

proptest! {
    #[test]
    fn index_entries_round_trip_through_the_reader(
        fields in proptest::collection::vec(
            (0u32..1000, 0i32..100_000, any::<u16>(), any::<[u8; 20]>()), 1..20),
        inline in any::<bool>(),
    ) {
        let header = 1u32 | (1 << 17) | if inline { 1 << 16 } else { 0 };
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        let mut offset = 0u64;
        for (r, (len, ulen, link, node)) in fields.iter().enumerate() {
            let rev = Revision(r as i32);
            let entry = IndexEntry {
                offset,
                flags: 0,
                compressed_len: *len,
                uncompressed_len: *ulen,
                base_rev: rev,
                link_rev: Revision(i32::from(*link)),
                p1: Revision(r as i32 - 1),
                p2: NULL_REVISION,
                node: Node(*node),
            };
            bytes.extend_from_slice(&encode_index_entry(&entry, (r == 0).then_some(header)));
            if inline {
                bytes.extend(std::iter::repeat_n(b'u', *len as usize));
            }
            offset += u64::from(*len);
            expected.push(entry);
        }
        let revlog = Revlog::from_bytes(Path::new("x.i"), bytes, None).unwrap();
        prop_assert_eq!(revlog.header(), header);
        for (r, entry) in expected.iter().enumerate() {
            prop_assert_eq!(&revlog.entry(Revision(r as i32)).unwrap(), entry);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random DAGs of random edits, in every format, read back by the
    /// reader (which checks every node hash).
    #[test]
    fn random_histories_read_back(
        steps in proptest::collection::vec(
            (any::<u16>(), any::<u16>(), 0usize..6, proptest::collection::vec("[a-e]{0,6}\n", 0..4)),
            1..40),
        generaldelta in any::<bool>(),
        sparse in any::<bool>(),
        zlib in any::<bool>(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let (vfs, lock) = setup(tmp.path());
        let mut cfg = config();
        cfg.generaldelta = generaldelta;
        cfg.sparse_revlog = sparse && generaldelta;
        if zlib {
            cfg.compression = qs_store::revlog::Compression::Zlib { level: None };
        }
        let mut tr = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).unwrap();
        let mut writer = RevlogWriter::open(&mut tr, RevlogKind::Manifest, b"00manifest", &cfg).unwrap();
        let mut stored: Vec<Vec<u8>> = Vec::new();
        for (r, (a, b, kind, lines)) in steps.iter().enumerate() {
            let n = stored.len() as i32;
            let p1 = if n == 0 { NULL_REVISION } else { Revision(i32::from(*a) % n) };
            let p2 = if n < 2 || *kind != 0 {
                NULL_REVISION
            } else {
                Revision(i32::from(*b) % n)
            };
            let mut text = if p1.is_null() { Vec::new() } else { stored[p1.0 as usize].clone() };
            let at = if text.is_empty() { 0 } else { usize::from(*b) % text.len() };
            let cut = text.len().min(at + usize::from(*a % 40));
            text.splice(at..cut, lines.concat().into_bytes());
            let rev = writer.add(&mut tr, &text, p1, p2, Revision(r as i32)).unwrap();
            if rev.0 as usize == stored.len() {
                stored.push(text);
            }
        }
        drop(writer);
        tr.commit().unwrap();
        let revlog = Revlog::open(&vfs.store_file(b"00manifest.i"), RevlogOptions::default()).unwrap();
        prop_assert_eq!(revlog.len(), stored.len());
        for (r, text) in stored.iter().enumerate() {
            prop_assert_eq!(&revlog.data(Revision(r as i32)).unwrap(), text);
        }
    }
}

/// An inline changelog (written by old hg versions) is split before the
/// first delayed write; a rollback restores it.
#[test]
fn legacy_inline_changelog_is_split_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (vfs, lock) = setup(tmp.path());
    let mut inline = Vec::new();
    let mut offset = 0u64;
    let mut nodes = vec![qs_store::NULL_NODE];
    for r in 0..3i32 {
        let text = format!("old changeset {r}\n").into_bytes();
        let p1 = Revision(r - 1);
        let node = qs_store::revlog::revision_hash(&nodes[r as usize], &qs_store::NULL_NODE, &text);
        nodes.push(node);
        let chunk = [&b"u"[..], &text].concat();
        let entry = IndexEntry {
            offset,
            flags: 0,
            compressed_len: chunk.len() as u32,
            uncompressed_len: text.len() as i32,
            base_rev: Revision(r),
            link_rev: Revision(r),
            p1,
            p2: NULL_REVISION,
            node,
        };
        inline.extend_from_slice(&encode_index_entry(&entry, (r == 0).then_some(1 | 1 << 16)));
        inline.extend_from_slice(&chunk);
        offset += chunk.len() as u64;
    }
    let index = vfs.store_file(b"00changelog.i");
    std::fs::write(&index, &inline).unwrap();

    for commit in [false, true] {
        let mut tr = Transaction::begin(&lock, options(&vfs), Box::new(|_| {})).unwrap();
        let mut cl =
            RevlogWriter::open(&mut tr, RevlogKind::Changelog, b"00changelog", &config()).unwrap();
        assert!(!cl.is_inline());
        cl.add(
            &mut tr,
            b"new changeset\n",
            Revision(2),
            NULL_REVISION,
            Revision(3),
        )
        .unwrap();
        drop(cl);
        if commit {
            tr.commit().unwrap();
        } else {
            drop(tr);
            assert_eq!(std::fs::read(&index).unwrap(), inline);
            assert!(!vfs.store_file(b"00changelog.d").exists());
        }
    }
    let revlog = Revlog::open(&index, RevlogOptions::default()).unwrap();
    assert!(!revlog.is_inline());
    assert_eq!(revlog.len(), 4);
    for r in 0..4 {
        revlog.data(Revision(r)).unwrap();
    }
    assert!(!vfs.store_file(b"00changelog.i.s").exists());
}
