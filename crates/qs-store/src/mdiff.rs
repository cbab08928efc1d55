//! Binary deltas ("bdiff" patches): parsing, applying and folding chains of
//! them onto a base text.
//!
//! A patch is a sequence of hunks, each a 12-byte big-endian header
//! `start, end, length` followed by `length` bytes of data: "replace bytes
//! `start..end` of the source with `data`". Hunks are sorted and do not
//! overlap. See `docs/internals/revlog.md`.
//!
//! Rebuilding a revision from a long delta chain by applying every delta in
//! turn copies the whole text once per delta. Instead, [`fold`] combines the
//! chain into one patch against the base text (hunk data is borrowed from the
//! delta buffers, never copied) and [`Patch::apply`] then builds the result
//! with a single allocation of exactly the final size.

use std::fmt;

/// Size of a hunk header: three big-endian u32 (start, end, length).
pub const HUNK_HEADER_LEN: usize = 12;

/// Why a patch could not be parsed or applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatchError {
    /// The bytes end in the middle of a hunk header or its data.
    Truncated { at: usize },
    /// A hunk whose end is before its start.
    ReversedHunk { start: u64, end: u64 },
    /// A hunk that starts before the end of the previous one.
    Unsorted { start: u64, previous_end: u64 },
    /// A hunk that reaches beyond the end of the text it patches.
    OutOfBounds { end: u64, source_len: u64 },
    /// The patched text would not have the expected length.
    WrongLength { expected: u64, actual: u64 },
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatchError::Truncated { at } => write!(f, "patch truncated at byte {at}"),
            PatchError::ReversedHunk { start, end } => {
                write!(f, "patch hunk ends ({end}) before it starts ({start})")
            }
            PatchError::Unsorted {
                start,
                previous_end,
            } => write!(
                f,
                "patch hunk starts at {start}, before the previous hunk's end {previous_end}"
            ),
            PatchError::OutOfBounds { end, source_len } => write!(
                f,
                "patch hunk ends at {end}, past the end of its {source_len}-byte base"
            ),
            PatchError::WrongLength { expected, actual } => write!(
                f,
                "patched text has {actual} bytes where {expected} were expected"
            ),
        }
    }
}

impl std::error::Error for PatchError {}

/// One hunk: replace `start..end` of the source with `data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hunk<'a> {
    pub start: u64,
    pub end: u64,
    pub data: &'a [u8],
}

impl Hunk<'_> {
    /// Length change this hunk causes (output minus source).
    fn growth(&self) -> i64 {
        self.data.len() as i64 - (self.end - self.start) as i64
    }

    fn is_noop(&self) -> bool {
        self.start == self.end && self.data.is_empty()
    }
}

/// A parsed patch: sorted, non-overlapping hunks borrowing their data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Patch<'a> {
    hunks: Vec<Hunk<'a>>,
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let slice = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([slice[0], slice[1], slice[2], slice[3]]))
}

impl<'a> Patch<'a> {
    /// Parses a binary delta. Checks framing, `start <= end` and ordering;
    /// bounds against the source are checked when applying.
    pub fn parse(delta: &'a [u8]) -> Result<Patch<'a>, PatchError> {
        let mut hunks = Vec::new();
        let mut pos = 0usize;
        let mut previous_end = 0u64;
        while pos < delta.len() {
            let truncated = PatchError::Truncated { at: pos };
            let start = u64::from(be_u32(delta, pos).ok_or(truncated.clone())?);
            let end = u64::from(be_u32(delta, pos + 4).ok_or(truncated.clone())?);
            let len = be_u32(delta, pos + 8).ok_or(truncated.clone())? as usize;
            let data_start = pos + HUNK_HEADER_LEN;
            let data = data_start
                .checked_add(len)
                .and_then(|data_end| delta.get(data_start..data_end))
                .ok_or(truncated)?;
            if end < start {
                return Err(PatchError::ReversedHunk { start, end });
            }
            if start < previous_end {
                return Err(PatchError::Unsorted {
                    start,
                    previous_end,
                });
            }
            previous_end = end;
            let hunk = Hunk { start, end, data };
            if !hunk.is_noop() {
                hunks.push(hunk);
            }
            pos = data_start + len;
        }
        Ok(Patch { hunks })
    }

    /// Builds a patch from hunks, checking they are well formed and sorted.
    pub fn from_hunks(hunks: Vec<Hunk<'a>>) -> Result<Patch<'a>, PatchError> {
        let mut previous_end = 0u64;
        for h in &hunks {
            if h.end < h.start {
                return Err(PatchError::ReversedHunk {
                    start: h.start,
                    end: h.end,
                });
            }
            if h.start < previous_end {
                return Err(PatchError::Unsorted {
                    start: h.start,
                    previous_end,
                });
            }
            previous_end = h.end;
        }
        Ok(Patch { hunks })
    }

    /// The hunks, in order.
    pub fn hunks(&self) -> &[Hunk<'a>] {
        &self.hunks
    }

    /// True if the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.hunks.is_empty()
    }

    /// Serialises the patch back to the binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let size = self
            .hunks
            .iter()
            .map(|h| HUNK_HEADER_LEN + h.data.len())
            .sum();
        let mut out = Vec::with_capacity(size);
        for h in &self.hunks {
            // Hunks from `parse` or `fold` never exceed u32 positions on
            // well-formed input; saturate rather than panic otherwise.
            for v in [h.start, h.end, h.data.len() as u64] {
                out.extend_from_slice(&u32::try_from(v).unwrap_or(u32::MAX).to_be_bytes());
            }
            out.extend_from_slice(h.data);
        }
        out
    }

    /// Length of the text this patch produces from a source of
    /// `source_len` bytes, checking every hunk lies inside the source.
    pub fn output_len(&self, source_len: usize) -> Result<usize, PatchError> {
        let source_len = source_len as u64;
        let mut len = source_len as i64;
        for h in &self.hunks {
            if h.end > source_len {
                return Err(PatchError::OutOfBounds {
                    end: h.end,
                    source_len,
                });
            }
            len += h.growth();
        }
        // Hunks lie inside the source and do not overlap, so `len` >= 0.
        Ok(len.max(0) as usize)
    }

    /// Applies the patch to `source`, allocating exactly the result's size.
    pub fn apply(&self, source: &[u8]) -> Result<Vec<u8>, PatchError> {
        let len = self.output_len(source.len())?;
        let mut out = Vec::with_capacity(len);
        self.apply_into(source, &mut out);
        Ok(out)
    }

    /// Applies the patch to `source` if the result has `expected_len` bytes;
    /// checks the length before allocating anything.
    pub fn apply_expecting(
        &self,
        source: &[u8],
        expected_len: usize,
    ) -> Result<Vec<u8>, PatchError> {
        let len = self.output_len(source.len())?;
        if len != expected_len {
            return Err(PatchError::WrongLength {
                expected: expected_len as u64,
                actual: len as u64,
            });
        }
        let mut out = Vec::with_capacity(len);
        self.apply_into(source, &mut out);
        Ok(out)
    }

    /// Appends the patched text to `out`; hunks must already be checked
    /// against `source` by `output_len`.
    fn apply_into(&self, source: &[u8], out: &mut Vec<u8>) {
        let mut last = 0usize;
        for h in &self.hunks {
            let (start, end) = (h.start as usize, h.end as usize);
            out.extend_from_slice(source.get(last..start).unwrap_or_default());
            out.extend_from_slice(h.data);
            last = end;
        }
        out.extend_from_slice(source.get(last..).unwrap_or_default());
    }

    /// Combines `self` (source S to text T) with `next` (T to U) into one
    /// patch from S to U. Linear in the number of hunks of both.
    pub fn combine(&self, next: &Patch<'a>) -> Patch<'a> {
        let mut out: Vec<Hunk<'a>> = Vec::with_capacity(self.hunks.len() + next.hunks.len());
        let mut push = |h: Hunk<'a>| {
            if !h.is_noop() {
                out.push(h);
            }
        };
        // `offset` maps positions in T after every consumed hunk of `self`
        // back to S: s = t - offset.
        let mut offset: i64 = 0;
        let mut pending = self.hunks.iter().copied();
        let mut current: Option<Hunk<'a>> = pending.next();
        // Where hunk `p` of `self` lands in T.
        let t_start = |p: &Hunk<'a>, offset: i64| p.start as i64 + offset;

        for q in &next.hunks {
            let (qs, qe) = (q.start as i64, q.end as i64);
            // 1. Hunks of `self` wholly before q survive unchanged.
            while let Some(p) = current {
                let ts = t_start(&p, offset);
                if ts + p.data.len() as i64 > qs {
                    break;
                }
                push(p);
                offset += p.growth();
                current = pending.next();
            }
            // 2. A hunk straddling q's start keeps its data before qs; the
            //    rest becomes a pure insertion at its source end.
            if let Some(p) = current {
                let ts = t_start(&p, offset);
                if ts < qs {
                    let cut = (qs - ts) as usize;
                    let (front, back) = p.data.split_at(cut.min(p.data.len()));
                    let head = Hunk {
                        start: p.start,
                        end: p.end,
                        data: front,
                    };
                    push(head);
                    offset += head.growth();
                    current = Some(Hunk {
                        start: p.end,
                        end: p.end,
                        data: back,
                    });
                }
            }
            let r_start = qs - offset;
            // 3. Hunks of `self` wholly inside q's replaced range vanish.
            while let Some(p) = current {
                let ts = t_start(&p, offset);
                if ts + p.data.len() as i64 > qe {
                    break;
                }
                offset += p.growth();
                current = pending.next();
            }
            // 4. A hunk straddling q's end loses the data q replaces.
            if let Some(p) = current {
                let ts = t_start(&p, offset);
                if ts < qe {
                    let cut = ((qe - ts) as usize).min(p.data.len());
                    let (front, back) = p.data.split_at(cut);
                    offset += Hunk {
                        start: p.start,
                        end: p.end,
                        data: front,
                    }
                    .growth();
                    current = Some(Hunk {
                        start: p.end,
                        end: p.end,
                        data: back,
                    });
                }
            }
            let r_end = qe - offset;
            push(Hunk {
                start: r_start.max(0) as u64,
                end: r_end.max(r_start).max(0) as u64,
                data: q.data,
            });
        }
        if let Some(p) = current {
            push(p);
        }
        for p in pending {
            push(p);
        }
        Patch { hunks: out }
    }
}

/// Folds a chain of patches (each applying to the previous one's output)
/// into a single patch against the first one's source, by balanced pairwise
/// combination: O(total hunks × log(chain length)).
/// Long chains combine the pairs of each round in parallel.
pub fn fold<'a>(mut patches: Vec<Patch<'a>>) -> Patch<'a> {
    use rayon::prelude::*;
    /// Below this many patches a round is not worth spreading over threads.
    const PARALLEL_ROUND: usize = 16;
    while patches.len() > 1 {
        let combine_pair = |pair: &[Patch<'a>]| match pair {
            [first, second] => first.combine(second),
            [only] => only.clone(),
            _ => Patch::default(),
        };
        patches = if patches.len() >= PARALLEL_ROUND {
            patches.par_chunks(2).map(combine_pair).collect()
        } else {
            patches.chunks(2).map(combine_pair).collect()
        };
    }
    patches.pop().unwrap_or_default()
}

/// Applies one binary delta to `source`.
pub fn apply_delta(source: &[u8], delta: &[u8]) -> Result<Vec<u8>, PatchError> {
    Patch::parse(delta)?.apply(source)
}

/// Applies a chain of binary deltas to `base`, in order, by folding them
/// first (see [`fold`]).
pub fn apply_deltas(base: &[u8], deltas: &[&[u8]]) -> Result<Vec<u8>, PatchError> {
    let patches = deltas
        .iter()
        .map(|d| Patch::parse(d))
        .collect::<Result<Vec<_>, _>>()?;
    fold(patches).apply(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn delta(hunks: &[(u32, u32, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (s, e, d) in hunks {
            out.extend_from_slice(&s.to_be_bytes());
            out.extend_from_slice(&e.to_be_bytes());
            out.extend_from_slice(&(d.len() as u32).to_be_bytes());
            out.extend_from_slice(d);
        }
        out
    }

    #[test]
    fn applies_simple_hunks() {
        let d = delta(&[(0, 1, b"H"), (6, 11, b"there")]);
        assert_eq!(apply_delta(b"hello world", &d), Ok(b"Hello there".to_vec()));
        assert_eq!(apply_delta(b"abc", &[]), Ok(b"abc".to_vec()));
        let insert_at_end = delta(&[(3, 3, b"def")]);
        assert_eq!(apply_delta(b"abc", &insert_at_end), Ok(b"abcdef".to_vec()));
    }

    #[test]
    fn rejects_bad_patches() {
        assert!(matches!(
            Patch::parse(&[0, 0, 0]),
            Err(PatchError::Truncated { .. })
        ));
        let reversed = delta(&[(5, 2, b"")]);
        assert!(matches!(
            Patch::parse(&reversed),
            Err(PatchError::ReversedHunk { .. })
        ));
        let unsorted = delta(&[(4, 6, b"x"), (1, 2, b"y")]);
        assert!(matches!(
            Patch::parse(&unsorted),
            Err(PatchError::Unsorted { .. })
        ));
        let past_end = delta(&[(2, 9, b"x")]);
        assert!(matches!(
            apply_delta(b"abc", &past_end),
            Err(PatchError::OutOfBounds { .. })
        ));
        let mut short_data = delta(&[(0, 0, b"abcd")]);
        short_data.pop();
        assert!(matches!(
            Patch::parse(&short_data),
            Err(PatchError::Truncated { .. })
        ));
    }

    #[test]
    fn folds_a_chain() {
        let base = b"line1\nline2\nline3\n";
        let d1 = delta(&[(6, 12, b"LINE2\nextra\n")]);
        let t1 = apply_delta(base, &d1).expect("d1");
        let d2 = delta(&[(0, 6, b""), (12, 18, b"EXTRA\n")]);
        let t2 = apply_delta(&t1, &d2).expect("d2");
        let folded = apply_deltas(base, &[&d1, &d2]).expect("fold");
        assert_eq!(folded, t2);
        assert_eq!(folded, b"LINE2\nEXTRA\nline3\n".to_vec());
    }

    /// Random valid hunks for a source of `len` bytes.
    fn hunks_for(len: usize) -> impl Strategy<Value = Vec<(u32, u32, Vec<u8>)>> {
        proptest::collection::vec(
            (
                0..=len,
                0..=len,
                proptest::collection::vec(any::<u8>(), 0..6),
            ),
            0..6,
        )
        .prop_map(move |raw| {
            let mut points: Vec<(usize, usize, Vec<u8>)> = raw
                .into_iter()
                .map(|(a, b, d)| (a.min(b), a.max(b), d))
                .collect();
            points.sort_by_key(|p| (p.0, p.1));
            let mut out = Vec::new();
            let mut last = 0;
            for (s, e, d) in points {
                if s >= last {
                    out.push((s as u32, e as u32, d));
                    last = e;
                }
            }
            out
        })
    }

    fn encode(hunks: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
        let borrowed: Vec<(u32, u32, &[u8])> = hunks
            .iter()
            .map(|(s, e, d)| (*s, *e, d.as_slice()))
            .collect();
        delta(&borrowed)
    }

    /// A base text and a chain of 1..6 deltas valid against it in turn.
    fn chain() -> impl Strategy<Value = (Vec<u8>, Vec<Vec<u8>>)> {
        proptest::collection::vec(any::<u8>(), 0..24)
            .prop_flat_map(|base| {
                let len = base.len();
                (Just(base), hunks_for(len), 1usize..6, any::<u64>())
            })
            .prop_map(|(base, first, n, seed)| {
                // Further deltas are generated deterministically from `seed`
                // so each is valid for the previous text.
                let mut deltas = vec![encode(&first)];
                let mut text = apply_delta(&base, &deltas[0]).unwrap_or_default();
                let mut state = seed | 1;
                let mut rand = move |m: usize| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    if m == 0 {
                        0
                    } else {
                        (state % m as u64) as usize
                    }
                };
                for _ in 1..n {
                    let mut hunks = Vec::new();
                    let mut pos = 0;
                    while pos <= text.len() && hunks.len() < 4 {
                        let start = pos + rand(text.len() - pos + 1);
                        let end = start + rand(text.len() - start + 1);
                        let data: Vec<u8> = (0..rand(5)).map(|_| rand(256) as u8).collect();
                        hunks.push((start as u32, end as u32, data));
                        pos = end + 1;
                        if rand(3) == 0 {
                            break;
                        }
                    }
                    let d = encode(&hunks);
                    text = apply_delta(&text, &d).unwrap_or_default();
                    deltas.push(d);
                }
                (base, deltas)
            })
    }

    proptest! {
        #[test]
        fn parse_and_apply_never_panic(source in proptest::collection::vec(any::<u8>(), 0..64),
                                       bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            let _ = apply_delta(&source, &bytes);
            let _ = apply_deltas(&source, &[&bytes, &bytes]);
        }

        #[test]
        fn patch_round_trips_through_bytes(hunks in hunks_for(40)) {
            let bytes = encode(&hunks);
            let patch = Patch::parse(&bytes).expect("valid");
            let reparsed = patch.to_bytes();
            prop_assert_eq!(Patch::parse(&reparsed).expect("valid"), patch);
        }

        #[test]
        fn fold_matches_sequential_application((base, deltas) in chain()) {
            let mut text = base.clone();
            for d in &deltas {
                text = apply_delta(&text, d).expect("chain is valid");
            }
            let refs: Vec<&[u8]> = deltas.iter().map(Vec::as_slice).collect();
            prop_assert_eq!(apply_deltas(&base, &refs).expect("fold"), text);
        }
    }
}
