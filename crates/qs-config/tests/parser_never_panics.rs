//! hgrc files are user input: any bytes must parse or give a
//! `ConfigError`, never a panic; `--config` arguments likewise.

use proptest::prelude::*;
use qs_config::{parser, Config, Environment};

fn hgrc_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            Just(b'\n'),
            Just(b'\r'),
            Just(b' '),
            Just(b'\t'),
            Just(b'['),
            Just(b']'),
            Just(b'='),
            Just(b'#'),
            Just(b';'),
            Just(b'%'),
            b'a'..=b'z',
            any::<u8>(),
        ],
        0..300,
    )
}

proptest! {
    #[test]
    fn any_bytes_parse_or_fail_cleanly(data in hgrc_like()) {
        let mut config = Config::default();
        let _ = parser::parse_into(&mut config, &data, "fuzz", None, &Environment::default(), 0);
        let _ = qs_config::render::render_config(&config, &[], true);
    }

    #[test]
    fn any_override_is_accepted_or_refused(arg in ".{0,40}") {
        let mut config = Config::default();
        let _ = config.apply_overrides(&[arg]);
    }
}

#[test]
fn include_cycles_terminate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.rc");
    let b = dir.path().join("b.rc");
    std::fs::write(&a, "[x]\na = 1\n%include b.rc\n").expect("write");
    std::fs::write(&b, "[x]\nb = 2\n%include a.rc\n").expect("write");
    let mut config = Config::default();
    parser::read_file(&mut config, &a, &Environment::default()).expect("reads");
    assert_eq!(config.get(b"x", b"b").as_deref(), Some(&b"2"[..]));
}
