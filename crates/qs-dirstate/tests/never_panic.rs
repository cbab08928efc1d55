//! Property tests: parsing arbitrary bytes as dirstate v1, v2 docket or
//! v2 data never panics, and v1 / v2 writes read back the same map.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use qs_dirstate::entry::{Entry, V1State};
use qs_dirstate::v2::Docket;
use qs_dirstate::{v1, v2_tree, DirstateMap, TruncatedTimestamp};
use qs_store::Node;

fn path() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            Just(b"a".to_vec()),
            Just(b"b".to_vec()),
            Just(b"dir".to_vec()),
            Just(b"x.y".to_vec())
        ],
        1..4,
    )
    .prop_map(|parts| parts.join(&b'/'))
}

fn entry() -> impl Strategy<Value = Entry> {
    (0u8..4, any::<bool>(), 0i32..1000, 1i32..i32::MAX).prop_map(|(state, exec, size, mtime)| {
        let state = [
            V1State::Normal,
            V1State::Added,
            V1State::Removed,
            V1State::Merged,
        ][state as usize];
        let mode = if exec { 0o100755 } else { 0o100644 };
        Entry::from_v1(state, mode, size, mtime)
    })
}

fn map() -> impl Strategy<Value = DirstateMap> {
    proptest::collection::vec((path(), entry(), proptest::option::of(path())), 0..12).prop_map(
        |items| {
            let mut m = DirstateMap::new((Node([1; 20]), Node([0; 20])));
            for (p, e, copy) in items {
                m.insert(p.clone(), e);
                if m.contains(&p) {
                    m.set_copy_source(p, copy);
                }
            }
            m
        },
    )
}

/// `(path, v1 fields, copy source)` rows, sorted.
type Described = Vec<(Vec<u8>, (Option<u8>, i32, i32, i32), Option<Vec<u8>>)>;

fn describe(m: &DirstateMap) -> Described {
    let mut v: Vec<_> = m
        .iter()
        .map(|(p, e)| {
            (
                p.to_vec(),
                (
                    e.v1_state().map(V1State::byte),
                    e.v1_mode(),
                    e.v1_size(),
                    e.v1_mtime(),
                ),
                m.copy_source(p).map(<[u8]>::to_vec),
            )
        })
        .collect();
    v.sort();
    v
}

proptest! {
    #[test]
    fn v1_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = v1::parse(&bytes);
    }

    #[test]
    fn v2_docket_and_data_parse_never_panic(
        docket in proptest::collection::vec(any::<u8>(), 0..200),
        data in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let _ = Docket::parse(&docket);
        let mut d = Docket::parse(&[]).expect("empty docket");
        if let Ok(meta) = qs_dirstate::v2::TreeMetadata::parse(&docket) {
            d.tree_metadata = meta;
        }
        d.data_size = data.len() as u32;
        let _ = v2_tree::parse(&d, &data);
    }

    #[test]
    fn v1_write_read_round_trips(m in map()) {
        let bytes = v1::serialize(&m).expect("serialize");
        let back = v1::parse(&bytes).expect("parse");
        prop_assert_eq!(v1::serialize(&back).expect("serialize"), bytes);
        prop_assert_eq!(describe(&back), describe(&m));
    }

    #[test]
    fn v2_write_read_keeps_entries(m in map()) {
        let (data, meta) = v2_tree::serialize_tree(&m, 0).expect("tree");
        let docket = Docket { parents: m.parents, tree_metadata: meta, data_size: data.len() as u32, uuid: Some(b"00000001".to_vec()) };
        let back = v2_tree::parse(&docket, &data).expect("parse").map;
        prop_assert_eq!(describe(&back), describe(&m));
    }
}

#[test]
fn v2_keeps_nanoseconds_and_ambiguity() {
    let mut m = DirstateMap::default();
    m.insert(
        b"f".to_vec(),
        Entry::new_clean(0o100644, 3, TruncatedTimestamp::new(100, 5, true)),
    );
    let (data, meta) = v2_tree::serialize_tree(&m, 0).expect("tree");
    let docket = Docket {
        parents: m.parents,
        tree_metadata: meta,
        data_size: data.len() as u32,
        uuid: None,
    };
    let back = v2_tree::parse(&docket, &data).expect("parse").map;
    assert_eq!(back.get(b"f"), m.get(b"f"));
}
