//! Changeset dates: seconds since the epoch plus the committer's offset
//! (seconds *west* of UTC, as hg stores it), and hg's display formats.

/// A changeset date as stored: `seconds` UTC and `offset` seconds west.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct HgDate {
    pub seconds: i64,
    pub offset: i32,
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Broken-down local time of a date (in its own offset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Monday.
    pub weekday: usize,
}

impl HgDate {
    /// The wall-clock time the committer saw.
    pub fn civil(&self) -> Civil {
        let local = self.seconds - i64::from(self.offset);
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
            second: (secs % 60) as u32,
            // 1970-01-01 was a Thursday (index 3).
            weekday: (days + 3).rem_euclid(7) as usize,
        }
    }

    /// The `+HHMM` / `-HHMM` zone as hg prints it (east is `+`).
    pub fn zone(&self, separator: &str) -> String {
        let sign = if self.offset > 0 { '-' } else { '+' };
        let minutes = i64::from(self.offset).abs() / 60;
        format!("{sign}{:02}{separator}{:02}", minutes / 60, minutes % 60)
    }

    /// hg's default format: `Thu Jan 01 00:00:00 1970 +0000`.
    pub fn display(&self) -> String {
        let c = self.civil();
        format!(
            "{} {} {:02} {:02}:{:02}:{:02} {} {}",
            WEEKDAYS[c.weekday],
            MONTHS[(c.month - 1) as usize],
            c.day,
            c.hour,
            c.minute,
            c.second,
            c.year,
            self.zone("")
        )
    }
}

/// Proleptic Gregorian (year, month, day) of a day count from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_hg() {
        let d = |seconds, offset| HgDate { seconds, offset }.display();
        assert_eq!(d(0, 0), "Thu Jan 01 00:00:00 1970 +0000");
        assert_eq!(d(1_000_000, -3600), "Mon Jan 12 14:46:40 1970 +0100");
        assert_eq!(d(2_000_000, 19_800), "Fri Jan 23 22:03:20 1970 -0530");
        assert_eq!(d(951_782_400, 0), "Tue Feb 29 00:00:00 2000 +0000");
        assert_eq!(d(-86_400, 0), "Wed Dec 31 00:00:00 1969 +0000");
    }
}
