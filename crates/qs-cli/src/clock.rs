//! The current time and local time zone for date specifications (`-d`,
//! `date()`): read here, at the edge, and handed down in a
//! [`qs_repo::datespec::Clock`].
//!
//! The zone comes from `TZ` in its POSIX form (`UTC`, `EST5`, `<+0530>-5:30`,
//! `JST-9`); daylight-saving rules after the standard part and zone names
//! (`Europe/Paris`, `/etc/localtime`) are not read yet: their standard offset
//! is unknown here and UTC is used.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use qs_repo::datespec::{Clock, FixedZone};

/// The clock of this process: the system time and `TZ` from `env`.
pub fn from_env(env: &HashMap<String, String>) -> Clock {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let offset = env.get("TZ").and_then(|tz| posix_offset(tz)).unwrap_or(0);
    Clock::new(now, Arc::new(FixedZone(offset)))
}

/// The standard offset (seconds west of UTC) of a POSIX `TZ` value.
fn posix_offset(tz: &str) -> Option<i32> {
    let rest = if let Some(quoted) = tz.strip_prefix('<') {
        &quoted[quoted.find('>')? + 1..]
    } else {
        let name_len = tz.bytes().take_while(u8::is_ascii_alphabetic).count();
        if name_len < 3 {
            return None;
        }
        &tz[name_len..]
    };
    if rest.is_empty() {
        // A bare name (`UTC`, `GMT`) is UTC.
        return Some(0);
    }
    let (sign, rest) = match rest.as_bytes()[0] {
        b'-' => (-1, &rest[1..]),
        b'+' => (1, &rest[1..]),
        _ => (1, rest),
    };
    let end = rest
        .bytes()
        .position(|b| !(b.is_ascii_digit() || b == b':'))
        .unwrap_or(rest.len());
    let mut fields = rest[..end].split(':');
    let hours: i32 = fields.next()?.parse().ok()?;
    let minutes: i32 = fields.next().map_or(Some(0), |m| m.parse().ok())?;
    let seconds: i32 = fields.next().map_or(Some(0), |s| s.parse().ok())?;
    if hours > 24 || minutes > 59 || seconds > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

#[cfg(test)]
mod tests {
    use super::posix_offset;

    #[test]
    fn reads_posix_standard_offsets() {
        assert_eq!(posix_offset("UTC"), Some(0));
        assert_eq!(posix_offset("EST5"), Some(18_000));
        assert_eq!(posix_offset("EST5EDT,M3.2.0,M11.1.0"), Some(18_000));
        assert_eq!(posix_offset("JST-9"), Some(-32_400));
        assert_eq!(posix_offset("<+0530>-5:30"), Some(-19_800));
        assert_eq!(posix_offset("Europe/Paris"), None);
    }
}
