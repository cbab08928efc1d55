//! One file's record in the dirstate, in hg's current model (tracked in
//! the working copy / in p1 / merge info from p2, plus the cached
//! mode, size and mtime of the last clean observation), and how it maps
//! to the frozen dirstate-v1 `state mode size mtime` fields.

use crate::timestamp::TruncatedTimestamp;

/// v1 `size` for a file that came from the second parent.
pub const SIZE_FROM_P2: i32 = -2;
/// v1 `size` for a file that must be compared (added, modified...).
pub const SIZE_NON_NORMAL: i32 = -1;
/// v1 `mtime` meaning "unknown, look at the file".
pub const MTIME_UNSET: i32 = -1;

/// `S_IFMT`, `S_IFLNK`, `S_IFREG` of the `st_mode` field.
pub const S_IFMT: i32 = 0o170_000;
/// Symbolic link file type.
pub const S_IFLNK: i32 = 0o120_000;
/// Regular file type.
pub const S_IFREG: i32 = 0o100_000;

/// A dirstate entry (hg's `DirstateItem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Entry {
    /// Tracked in the working copy (`hg add` sets, `hg rm` clears).
    pub wc_tracked: bool,
    /// Tracked in the first parent's manifest.
    pub p1_tracked: bool,
    /// Touched by a merge with the second parent.
    pub p2_info: bool,
    /// Expected `(st_mode, size)` from the last clean observation.
    pub mode_size: Option<(i32, i32)>,
    /// mtime of the last clean observation (only meaningful with
    /// `mode_size`).
    pub mtime: Option<TruncatedTimestamp>,
    /// Exec bit to assume where the filesystem cannot tell (v2 only).
    pub fallback_exec: Option<bool>,
    /// Symlink-ness to assume where the filesystem cannot tell (v2 only).
    pub fallback_symlink: Option<bool>,
}

/// The v1 state letter of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1State {
    /// `n`: normal.
    Normal,
    /// `a`: added.
    Added,
    /// `r`: removed.
    Removed,
    /// `m`: merged.
    Merged,
}

impl V1State {
    /// The letter on disk.
    pub fn byte(self) -> u8 {
        match self {
            V1State::Normal => b'n',
            V1State::Added => b'a',
            V1State::Removed => b'r',
            V1State::Merged => b'm',
        }
    }

    /// Parses a state letter.
    pub fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte {
            b'n' => V1State::Normal,
            b'a' => V1State::Added,
            b'r' => V1State::Removed,
            b'm' => V1State::Merged,
            _ => return None,
        })
    }
}

impl Entry {
    /// A freshly added file.
    pub fn new_added() -> Self {
        Entry {
            wc_tracked: true,
            ..Entry::default()
        }
    }

    /// A file tracked in p1 and the working copy, known clean with this
    /// mode, size and mtime (hg's `set_clean`).
    pub fn new_clean(mode: i32, size: i32, mtime: TruncatedTimestamp) -> Self {
        Entry {
            wc_tracked: true,
            p1_tracked: true,
            mode_size: Some((mode, size)),
            mtime: Some(mtime),
            ..Entry::default()
        }
    }

    /// Builds the entry a v1 record stands for (hg's `from_v1_data`).
    pub fn from_v1(state: V1State, mode: i32, size: i32, mtime: i32) -> Self {
        let base = Entry::default();
        match state {
            V1State::Merged => Entry {
                wc_tracked: true,
                p1_tracked: true,
                p2_info: true,
                ..base
            },
            V1State::Added => Entry::new_added(),
            V1State::Removed => {
                let (p1_tracked, p2_info) = match size {
                    SIZE_NON_NORMAL => (true, true),
                    SIZE_FROM_P2 => (false, true),
                    _ => (true, false),
                };
                Entry {
                    p1_tracked,
                    p2_info,
                    ..base
                }
            }
            V1State::Normal => match size {
                SIZE_FROM_P2 => Entry {
                    wc_tracked: true,
                    p2_info: true,
                    ..base
                },
                SIZE_NON_NORMAL => Entry {
                    wc_tracked: true,
                    p1_tracked: true,
                    ..base
                },
                _ => Entry {
                    wc_tracked: true,
                    p1_tracked: true,
                    mode_size: Some((mode, size)),
                    mtime: (mtime != MTIME_UNSET).then_some(TruncatedTimestamp {
                        seconds: mtime,
                        nanoseconds: 0,
                        second_ambiguous: false,
                    }),
                    ..base
                },
            },
        }
    }

    /// Tracked anywhere (working copy or a parent): entries that are not
    /// are dropped from the map.
    pub fn any_tracked(&self) -> bool {
        self.wc_tracked || self.p1_tracked || self.p2_info
    }

    /// Added: tracked in the working copy only.
    pub fn added(&self) -> bool {
        self.wc_tracked && !(self.p1_tracked || self.p2_info)
    }

    /// Removed: untracked in the working copy, tracked in a parent.
    pub fn removed(&self) -> bool {
        !self.wc_tracked && (self.p1_tracked || self.p2_info)
    }

    /// Merged (v1 state `m`).
    pub fn merged(&self) -> bool {
        self.wc_tracked && self.p1_tracked && self.p2_info
    }

    /// Tracked in the working copy with p2 information (shown modified).
    pub fn from_p2_or_merged(&self) -> bool {
        self.wc_tracked && self.p2_info
    }

    /// Could be clean: tracked here and in p1, no merge involvement.
    pub fn maybe_clean(&self) -> bool {
        self.wc_tracked && self.p1_tracked && !self.p2_info
    }

    /// The v1 state letter (`None` when tracked nowhere).
    pub fn v1_state(&self) -> Option<V1State> {
        if !self.any_tracked() {
            None
        } else if self.removed() {
            Some(V1State::Removed)
        } else if self.p1_tracked && self.p2_info {
            Some(V1State::Merged)
        } else if self.added() {
            Some(V1State::Added)
        } else {
            Some(V1State::Normal)
        }
    }

    /// The v1 `mode` field.
    pub fn v1_mode(&self) -> i32 {
        self.mode_size.map_or(0, |(mode, _)| mode)
    }

    /// The v1 `size` field.
    pub fn v1_size(&self) -> i32 {
        if self.removed() && self.p1_tracked && self.p2_info {
            SIZE_NON_NORMAL
        } else if self.p2_info {
            SIZE_FROM_P2
        } else if self.removed() {
            0
        } else if self.added() {
            SIZE_NON_NORMAL
        } else {
            self.mode_size.map_or(SIZE_NON_NORMAL, |(_, size)| size)
        }
    }

    /// The v1 `mtime` field.
    pub fn v1_mtime(&self) -> i32 {
        if self.removed() {
            return 0;
        }
        match self.mtime {
            None => MTIME_UNSET,
            Some(_) if self.p2_info || !self.p1_tracked => MTIME_UNSET,
            Some(t) if t.second_ambiguous => MTIME_UNSET,
            Some(t) => t.seconds,
        }
    }

    /// Forget the cached mtime: the next status must look at the file.
    pub fn set_possibly_dirty(&mut self) {
        self.mtime = None;
    }

    /// Record a clean observation.
    pub fn set_clean(&mut self, mode: i32, size: i32, mtime: TruncatedTimestamp) {
        self.wc_tracked = true;
        self.p1_tracked = true;
        self.mode_size = Some((mode, size));
        self.mtime = Some(mtime);
    }

    /// Mark tracked in the working copy (needs a lookup afterwards).
    pub fn set_tracked(&mut self) {
        self.wc_tracked = true;
        self.mtime = None;
    }

    /// Mark untracked in the working copy.
    pub fn set_untracked(&mut self) {
        self.wc_tracked = false;
        self.mode_size = None;
        self.mtime = None;
    }

    /// Drop merge information (when the second parent goes away).
    pub fn drop_merge_data(&mut self) {
        if self.p2_info {
            self.p2_info = false;
            self.mode_size = None;
            self.mtime = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v1(e: &Entry) -> (u8, i32, i32, i32) {
        (
            e.v1_state().map_or(b'?', V1State::byte),
            e.v1_mode(),
            e.v1_size(),
            e.v1_mtime(),
        )
    }

    #[test]
    fn v1_round_trips_for_the_states_hg_writes() {
        let cases = [
            (b'n', 0o100644, 12, 1_700_000_000),
            (b'n', 0o100755, 12, -1),
            (b'n', 0, -1, -1),
            (b'n', 0, -2, -1),
            (b'a', 0, -1, -1),
            (b'r', 0, 0, 0),
            (b'r', 0, -1, 0),
            (b'r', 0, -2, 0),
            (b'm', 0, -2, -1),
        ];
        for (state, mode, size, mtime) in cases {
            let s = V1State::from_byte(state).expect("state");
            let e = Entry::from_v1(s, mode, size, mtime);
            assert_eq!(v1(&e), (state, mode, size, mtime), "{}", state as char);
        }
    }

    #[test]
    fn second_ambiguous_mtime_is_unset_in_v1() {
        let e = Entry::new_clean(0o100644, 3, TruncatedTimestamp::new(10, 5, true));
        assert_eq!(e.v1_mtime(), MTIME_UNSET);
    }

    #[test]
    fn untracking_an_added_file_leaves_nothing() {
        let mut e = Entry::new_added();
        e.set_untracked();
        assert!(!e.any_tracked());
    }
}
