//! `hg debugstate` output: one line per entry
//! (`state mode size mtime path`) and `copy: source -> dest` lines.

use crate::map::DirstateMap;

/// How `debugstate` shows mtimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebugDates {
    /// `--nodates`: `set` / `unset`.
    Hidden,
    /// The date, formatted in UTC (what hg prints with `TZ=UTC`); the
    /// caller converts to local time if it must.
    Utc,
}

/// Options of `debugstate`.
#[derive(Debug, Clone, Copy)]
pub struct DebugStateOptions {
    /// Date display.
    pub dates: DebugDates,
    /// `--datesort`: order by (mtime, path) instead of path.
    pub date_sort: bool,
    /// The process umask (hg masks the printed permissions with it).
    pub umask: u32,
}

/// `YYYY-MM-DD HH:MM:SS` of a Unix time, in UTC.
pub fn format_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rem = seconds.rem_euclid(86_400);
    // Civil-from-days (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Renders `hg debugstate` for `map`.
pub fn debugstate(map: &DirstateMap, options: &DebugStateOptions) -> Vec<u8> {
    let mut rows: Vec<(&[u8], u8, i32, i32, i32)> = map
        .iter()
        .filter_map(|(path, e)| {
            let state = e.v1_state()?.byte();
            Some((path, state, e.v1_mode(), e.v1_size(), e.v1_mtime()))
        })
        .collect();
    if options.date_sort {
        rows.sort_by(|a, b| (a.4, a.0).cmp(&(b.4, b.0)));
    } else {
        rows.sort_by(|a, b| a.0.cmp(b.0));
    }
    let mut out = Vec::new();
    for (path, state, mode, size, mtime) in rows {
        let time = if mtime == -1 {
            "unset               ".to_string()
        } else {
            match options.dates {
                DebugDates::Hidden => "set                 ".to_string(),
                DebugDates::Utc => format!("{} ", format_utc(i64::from(mtime))),
            }
        };
        let mode = if mode & 0o20000 != 0 {
            "lnk".to_string()
        } else {
            format!("{:3o}", (mode as u32) & 0o777 & !options.umask)
        };
        out.push(state);
        out.extend_from_slice(format!(" {mode} {size:10} {time}").as_bytes());
        out.extend_from_slice(path);
        out.push(b'\n');
    }
    for (dest, source) in map.copies() {
        out.extend_from_slice(b"copy: ");
        out.extend_from_slice(source);
        out.extend_from_slice(b" -> ");
        out.extend_from_slice(dest);
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20");
    }
}
