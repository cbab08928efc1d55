//! Modification times as the dirstate records them, and hg's rules for
//! when a file's mtime can be trusted ("mtime boundary").
//!
//! A file whose mtime falls in the same clock tick as the moment status
//! ran could still be modified within that tick without its mtime
//! changing, so such an mtime must never be recorded as "clean". hg takes
//! the "present" time from the filesystem itself (the mtime of a fresh
//! temporary file in `.hg/`) and compares; see [`reliable_mtime`].

use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;

/// Seconds are stored modulo 2³¹ (the low 31 bits).
pub const RANGE_MASK: i64 = 0x7FFF_FFFF;

/// A modification time: seconds truncated to 31 bits, nanoseconds within
/// the second (0 = unknown precision), and whether the seconds alone are
/// untrustworthy (only a comparison with nanoseconds may be believed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TruncatedTimestamp {
    /// Seconds since the epoch (truncated to 31 bits when made from a
    /// clock; raw as read from disk otherwise).
    pub seconds: i32,
    /// Nanoseconds in the second, `< 1_000_000_000`; 0 means unknown.
    pub nanoseconds: u32,
    /// Set when this mtime is only reliable with its nanoseconds.
    pub second_ambiguous: bool,
}

impl TruncatedTimestamp {
    /// A timestamp from full-precision seconds and nanoseconds.
    pub fn new(seconds: i64, nanoseconds: u32, second_ambiguous: bool) -> Self {
        TruncatedTimestamp {
            seconds: (seconds & RANGE_MASK) as i32,
            nanoseconds,
            second_ambiguous,
        }
    }

    /// The mtime of a `symlink_metadata` result.
    pub fn mtime_of(metadata: &Metadata) -> Self {
        let nanos = u32::try_from(metadata.mtime_nsec()).unwrap_or(0);
        Self::new(metadata.mtime(), nanos, false)
    }

    /// hg's "likely equal" test between a recorded mtime (`self`) and one
    /// observed now: different seconds never match; when either side lacks
    /// nanoseconds, the seconds decide unless the recorded one is
    /// second-ambiguous; otherwise nanoseconds must agree.
    pub fn likely_equal(&self, observed: &TruncatedTimestamp) -> bool {
        if self.seconds != observed.seconds {
            false
        } else if self.nanoseconds == 0 || observed.nanoseconds == 0 {
            !self.second_ambiguous
        } else {
            self.nanoseconds == observed.nanoseconds
        }
    }
}

/// The rule hg applies before recording a file's mtime as clean, given the
/// "present" time `boundary` (taken from the filesystem when status began):
///
/// - same second as the boundary: unreliable (`None`), except when both have
///   nanoseconds and the file's are strictly older — then it is kept but
///   marked second-ambiguous;
/// - up to a day in the future: unreliable (a concurrent write could share
///   that mtime);
/// - otherwise (older, or far in the future): reliable as is.
pub fn make_reliable(
    file: TruncatedTimestamp,
    boundary: TruncatedTimestamp,
) -> Option<TruncatedTimestamp> {
    let (file_s, boundary_s) = (i64::from(file.seconds), i64::from(boundary.seconds));
    if file_s == boundary_s {
        if file.nanoseconds != 0
            && boundary.nanoseconds != 0
            && file.nanoseconds < boundary.nanoseconds
        {
            return Some(TruncatedTimestamp {
                second_ambiguous: true,
                ..file
            });
        }
        None
    } else if boundary_s < file_s && file_s < 3600 * 24 + boundary_s {
        None
    } else {
        Some(file)
    }
}

/// [`make_reliable`] applied to a file's metadata.
pub fn reliable_mtime(
    metadata: &Metadata,
    boundary: TruncatedTimestamp,
) -> Option<TruncatedTimestamp> {
    make_reliable(TruncatedTimestamp::mtime_of(metadata), boundary)
}

/// The filesystem's "now" as hg measures it: the mtime of a new temporary
/// file created (then removed) in `dir` (normally `.hg/`).
pub fn filesystem_now(dir: &std::path::Path) -> std::io::Result<TruncatedTimestamp> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut attempt = 0;
    loop {
        let name = format!(
            "tmp-qs-fsnow-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                let result = file.metadata().map(|m| TruncatedTimestamp::mtime_of(&m));
                drop(file);
                let _ = std::fs::remove_file(&path);
                return result;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: i64, ns: u32) -> TruncatedTimestamp {
        TruncatedTimestamp::new(s, ns, false)
    }

    #[test]
    fn same_second_without_nanos_is_unreliable() {
        assert_eq!(make_reliable(ts(100, 0), ts(100, 0)), None);
        assert_eq!(make_reliable(ts(100, 5), ts(100, 0)), None);
        assert_eq!(make_reliable(ts(100, 0), ts(100, 5)), None);
    }

    #[test]
    fn same_second_older_nanos_is_second_ambiguous() {
        let r = make_reliable(ts(100, 5), ts(100, 9)).expect("kept");
        assert!(r.second_ambiguous);
        assert_eq!(make_reliable(ts(100, 9), ts(100, 9)), None);
        assert_eq!(make_reliable(ts(100, 10), ts(100, 9)), None);
    }

    #[test]
    fn near_future_is_unreliable_far_future_and_past_are_reliable() {
        assert_eq!(make_reliable(ts(101, 0), ts(100, 0)), None);
        assert_eq!(make_reliable(ts(100 + 86_399, 0), ts(100, 0)), None);
        assert!(make_reliable(ts(100 + 86_400, 0), ts(100, 0)).is_some());
        assert_eq!(make_reliable(ts(99, 0), ts(100, 0)), Some(ts(99, 0)));
    }

    #[test]
    fn likely_equal_rules() {
        assert!(ts(5, 0).likely_equal(&ts(5, 7)));
        assert!(ts(5, 7).likely_equal(&ts(5, 7)));
        assert!(!ts(5, 7).likely_equal(&ts(5, 8)));
        assert!(!ts(5, 7).likely_equal(&ts(6, 7)));
        let ambiguous = TruncatedTimestamp::new(5, 7, true);
        assert!(!ambiguous.likely_equal(&ts(5, 0)));
        assert!(ambiguous.likely_equal(&ts(5, 7)));
    }

    #[test]
    fn seconds_are_truncated_to_31_bits() {
        assert_eq!(TruncatedTimestamp::new(1 << 31, 0, false).seconds, 0);
        assert_eq!(TruncatedTimestamp::new((1 << 31) + 3, 0, false).seconds, 3);
    }

    #[test]
    fn filesystem_now_reads_a_clock() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = filesystem_now(dir.path()).expect("now");
        assert!(now.seconds > 0);
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }
}
