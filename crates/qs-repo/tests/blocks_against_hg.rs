//! `qs_repo::diff::blocks` must find exactly the matching blocks hg's C
//! `bdiff.blocks` finds (hunks depend on them). Thousands of generated
//! text pairs (few distinct lines, so ties, repeats and popular lines are
//! frequent; missing final newlines; large texts past the popularity and
//! window thresholds) are sent to the pinned hg's Python in one batch.
//! Needs `QS_HG` (scripts/test.sh exports it); fails without it.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

mod textgen;

use textgen::{edit, hex, text, Rng};

#[test]
fn blocks_equal_hgs_on_generated_texts() {
    let hg = std::env::var("QS_HG").expect("QS_HG is not set: run through scripts/test.sh");
    let python = std::path::Path::new(&hg).with_file_name("python");
    assert!(python.is_file(), "no python beside QS_HG={hg}");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut pairs = Vec::new();
    for i in 0..3000u64 {
        let alphabet = [2, 3, 5, 20][(i % 4) as usize];
        let n = rng.below(40);
        let a = text(&mut rng, n, alphabet);
        let b = if rng.below(3) == 0 {
            let m = rng.below(40);
            text(&mut rng, m, alphabet)
        } else {
            edit(&mut rng, &a, alphabet)
        };
        pairs.push((a, b));
    }
    // Popular lines (more than 1000000 / (n + 1) occurrences) and a big
    // region (over 30000 lines: the search window).
    for (lines, alphabet) in [(2000u64, 3u64), (33000, 40)] {
        let a = text(&mut rng, lines, alphabet);
        let b = edit(&mut rng, &a, alphabet);
        pairs.push((a, b));
    }
    let script = "import sys\nfrom mercurial import mdiff\nfor line in sys.stdin:\n    a, b = (bytes.fromhex(x) for x in line.split(','))\n    print(';'.join('%d %d %d %d' % t for t in mdiff.blocks(a, b)))\n";
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for (a, b) in &pairs {
        input.push_str(&format!("{},{}\n", hex(a), hex(b)));
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(output.status.success(), "hg's python failed");
    let expected = String::from_utf8(output.stdout).unwrap();
    let mut failures = 0;
    for ((a, b), want) in pairs.iter().zip(expected.lines()) {
        let got: Vec<String> = qs_repo::diff::blocks::blocks(a, b)
            .iter()
            .map(|k| format!("{} {} {} {}", k.a1, k.a2, k.b1, k.b2))
            .collect();
        let got = got.join(";");
        if got != want {
            failures += 1;
            if failures < 5 {
                eprintln!(
                    "a={:?}\nb={:?}\nqs: {got}\nhg: {want}\n",
                    String::from_utf8_lossy(a),
                    String::from_utf8_lossy(b)
                );
            }
        }
    }
    assert_eq!(expected.lines().count(), pairs.len());
    assert_eq!(failures, 0, "{failures} of {} pairs differ", pairs.len());
}
