//! `qs_repo::merge::simplemerge` must produce exactly what hg's internal
//! 3-way merge (`simplemerge` in `merge` mode with two labels) produces:
//! the merged text, its conflict markers and whether it conflicts, on
//! thousands of generated base/local/other triples sent to the pinned
//! hg's Python in one batch. Needs `QS_HG`; fails without it.

#![allow(clippy::unwrap_used)]

mod textgen;

use std::io::Write;
use std::process::{Command, Stdio};

use qs_repo::merge::simplemerge::{merge, Labels};
use textgen::{edit, hex, text, Rng};

const SCRIPT: &str = "import sys
from mercurial import simplemerge, context
class F:
    def __init__(self, d): self.d = d
    def decodeddata(self): return self.d
    def path(self): return b'f'
for line in sys.stdin:
    b, l, o = (bytes.fromhex(x) for x in line.strip().split(','))
    local = simplemerge.MergeInput(F(l), b'local')
    other = simplemerge.MergeInput(F(o), b'other')
    base = simplemerge.MergeInput(F(b), b'base')
    text, conflicts = simplemerge.simplemerge(local, base, other, allow_binary=True)
    print('%d,%s' % (int(conflicts), text.hex()))
";

#[test]
fn merges_equal_hgs_on_generated_texts() {
    let hg = std::env::var("QS_HG").expect("QS_HG is not set: run through scripts/test.sh");
    let python = std::path::Path::new(&hg).with_file_name("python");
    assert!(python.is_file(), "no python beside QS_HG={hg}");
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut triples = Vec::new();
    for i in 0..2000u64 {
        let alphabet = [2, 3, 6, 30][(i % 4) as usize];
        let n = rng.below(30);
        let base = text(&mut rng, n, alphabet);
        let local = edit(&mut rng, &base, alphabet);
        let other = if rng.below(5) == 0 {
            local.clone()
        } else {
            edit(&mut rng, &base, alphabet)
        };
        triples.push((base, local, other));
    }
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for (b, l, o) in &triples {
        input.push_str(&format!("{},{},{}\n", hex(b), hex(l), hex(o)));
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(output.status.success(), "hg's python failed");
    let expected = String::from_utf8(output.stdout).unwrap();
    assert_eq!(expected.lines().count(), triples.len());
    let labels = Labels {
        local: Some(b"local".to_vec()),
        other: Some(b"other".to_vec()),
    };
    let mut failures = 0;
    for ((b, l, o), want) in triples.iter().zip(expected.lines()) {
        let (merged, conflicts) = merge(b, l, o, &labels);
        let got = format!("{},{}", u8::from(conflicts), hex(&merged));
        if got != want {
            failures += 1;
            if failures < 4 {
                eprintln!(
                    "base={:?}\nlocal={:?}\nother={:?}\nqs: {got}\nhg: {want}\n",
                    String::from_utf8_lossy(b),
                    String::from_utf8_lossy(l),
                    String::from_utf8_lossy(o)
                );
            }
        }
    }
    assert_eq!(failures, 0, "{failures} of {} merges differ", triples.len());
}
