//! A measurement, not a check (ignored by default): rebuilding a text from
//! a long delta chain by folding the deltas first versus applying them one
//! after the other. Run with
//! `cargo test --release -p qs-store --test revlog_bench -- --ignored --nocapture`.

use std::time::Instant;

use qs_store::mdiff::{apply_delta, apply_deltas};

fn encode(hunks: &[(usize, usize, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (s, e, d) in hunks {
        for v in [*s, *e, d.len()] {
            out.extend_from_slice(&(v as u32).to_be_bytes());
        }
        out.extend_from_slice(d);
    }
    out
}

/// A manifest-like base text and `n` deltas each rewriting a few lines.
fn manifest_chain(lines: usize, n: usize) -> (Vec<u8>, Vec<Vec<u8>>) {
    let line = |i: usize, v: usize| format!("dir{}/file{i:06}.rs\0{v:040x}\n", i % 97).into_bytes();
    let mut current: Vec<Vec<u8>> = (0..lines).map(|i| line(i, 0)).collect();
    let base = current.concat();
    let mut state = 0x1234_5678_9abc_def1u64;
    let mut rand = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    let mut deltas = Vec::with_capacity(n);
    for v in 1..=n {
        let mut picks: Vec<usize> = (0..3).map(|_| rand(lines)).collect();
        picks.sort_unstable();
        picks.dedup();
        let mut hunks = Vec::new();
        for &p in &picks {
            let start: usize = current[..p].iter().map(Vec::len).sum();
            let end = start + current[p].len();
            let new = line(p, v);
            hunks.push((start, end, new.clone()));
            current[p] = new;
        }
        deltas.push(encode(&hunks));
    }
    (base, deltas)
}

#[test]
#[ignore = "benchmark; run explicitly with --ignored --nocapture"]
fn fold_versus_sequential_application() {
    for (lines, n) in [(2_000, 50), (20_000, 1_000), (20_000, 100), (200, 1_000)] {
        let (base, deltas) = manifest_chain(lines, n);
        let refs: Vec<&[u8]> = deltas.iter().map(Vec::as_slice).collect();

        let t = Instant::now();
        let mut text = base.clone();
        for d in &refs {
            text = apply_delta(&text, d).expect("valid delta");
        }
        let sequential = t.elapsed();

        let t = Instant::now();
        let folded = apply_deltas(&base, &refs).expect("valid chain");
        let fold = t.elapsed();

        assert_eq!(folded, text);
        println!(
            "{} KiB text, chain of {n}: sequential {sequential:?}, fold {fold:?}",
            base.len() / 1024
        );
    }
}
