//! Generated texts for the tests that compare with hg's Python: few
//! distinct lines (so ties, repeats and popular lines are frequent),
//! missing final newlines, edits of a base text.
#![allow(dead_code)]

/// A small deterministic generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn text(rng: &mut Rng, lines: u64, alphabet: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..lines {
        let word = rng.below(alphabet);
        out.extend_from_slice(format!("l{word}\n").as_bytes());
    }
    if rng.below(4) == 0 {
        out.pop();
    }
    out
}

pub fn edit(rng: &mut Rng, base: &[u8], alphabet: u64) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = base
        .split_inclusive(|&c| c == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    for _ in 0..rng.below(8) {
        let at = rng.below(lines.len() as u64 + 1) as usize;
        match rng.below(3) {
            0 if at < lines.len() => {
                lines.remove(at);
            }
            _ => lines.insert(at, format!("l{}\n", rng.below(alphabet)).into_bytes()),
        }
    }
    lines.concat()
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
