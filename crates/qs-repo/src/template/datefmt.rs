//! hg's `dateutil.datestr`: `strftime` in the committer's own offset, with
//! hg's `%1` (sign and hours of the offset) and `%2` (minutes), and the
//! age filter's relative wording.

use crate::dates::HgDate;

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats `(seconds, offset)` with a `strftime` format.
pub fn datestr(seconds: i64, offset: i32, format: &[u8]) -> Vec<u8> {
    let mut fmt = format.to_vec();
    if contains(&fmt, b"%1") || contains(&fmt, b"%2") || contains(&fmt, b"%z") {
        let sign = if offset > 0 { '-' } else { '+' };
        let minutes = i64::from(offset).abs() / 60;
        let (q, r) = (minutes / 60, minutes % 60);
        fmt = super::text::replace(&fmt, b"%z", b"%1%2");
        fmt = super::text::replace(&fmt, b"%1", format!("{sign}{q:02}").as_bytes());
        fmt = super::text::replace(&fmt, b"%2", format!("{r:02}").as_bytes());
    }
    let local = (seconds - i64::from(offset)).clamp(-0x8000_0000, 0x7FFF_FFFF);
    let c = HgDate {
        seconds: local,
        offset: 0,
    }
    .civil();
    let yday = day_of_year(c.year, c.month, c.day);
    let mut out = Vec::with_capacity(fmt.len() + 16);
    let mut i = 0;
    while i < fmt.len() {
        let b = fmt[i];
        if b != b'%' || i + 1 >= fmt.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let code = fmt[i + 1];
        i += 2;
        let s = match code {
            b'a' => WEEKDAYS[c.weekday][..3].to_string(),
            b'A' => WEEKDAYS[c.weekday].to_string(),
            b'b' | b'h' => MONTHS[(c.month - 1) as usize][..3].to_string(),
            b'B' => MONTHS[(c.month - 1) as usize].to_string(),
            b'c' => format!(
                "{} {} {:>2} {:02}:{:02}:{:02} {}",
                &WEEKDAYS[c.weekday][..3],
                &MONTHS[(c.month - 1) as usize][..3],
                c.day,
                c.hour,
                c.minute,
                c.second,
                c.year
            ),
            b'd' => format!("{:02}", c.day),
            b'e' => format!("{:>2}", c.day),
            b'H' => format!("{:02}", c.hour),
            b'I' => format!("{:02}", (c.hour + 11) % 12 + 1),
            b'j' => format!("{yday:03}"),
            b'm' => format!("{:02}", c.month),
            b'M' => format!("{:02}", c.minute),
            b'p' => if c.hour < 12 { "AM" } else { "PM" }.to_string(),
            b'S' => format!("{:02}", c.second),
            b'y' => format!("{:02}", c.year.rem_euclid(100)),
            b'Y' => c.year.to_string(),
            b'w' => ((c.weekday + 1) % 7).to_string(),
            b'u' => (c.weekday + 1).to_string(),
            b'D' => format!("{:02}/{:02}/{:02}", c.month, c.day, c.year.rem_euclid(100)),
            b'F' => format!("{}-{:02}-{:02}", c.year, c.month, c.day),
            b'T' => format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second),
            b'R' => format!("{:02}:{:02}", c.hour, c.minute),
            b'x' => format!("{:02}/{:02}/{:02}", c.month, c.day, c.year.rem_euclid(100)),
            b'X' => format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second),
            b's' => local.to_string(),
            b'n' => "\n".to_string(),
            b't' => "\t".to_string(),
            b'Z' => String::new(),
            b'%' => "%".to_string(),
            other => {
                out.push(b'%');
                out.push(other);
                continue;
            }
        };
        out.extend_from_slice(s.as_bytes());
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    super::text::find(hay, needle).is_some()
}

fn day_of_year(year: i64, month: u32, day: u32) -> u32 {
    const CUM: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    CUM[(month - 1) as usize] + day + u32::from(leap && month > 2)
}

/// hg's default date format.
pub fn default(seconds: i64, offset: i32) -> Vec<u8> {
    datestr(seconds, offset, b"%a %b %d %H:%M:%S %Y %1%2")
}

/// hg's `age` filter relative to `now` (seconds since the epoch).
pub fn age(seconds: i64, offset: i32, now: i64) -> Vec<u8> {
    const SCALES: [(&str, i64); 7] = [
        ("year", 3600 * 24 * 365),
        ("month", 3600 * 24 * 30),
        ("week", 3600 * 24 * 7),
        ("day", 3600 * 24),
        ("hour", 3600),
        ("minute", 60),
        ("second", 1),
    ];
    let future = seconds > now;
    let delta = if future {
        let d = (seconds - now).max(1);
        if d > SCALES[0].1 * 30 {
            return b"in the distant future".to_vec();
        }
        d
    } else {
        let d = (now - seconds).max(1);
        if d > SCALES[0].1 * 2 {
            return datestr(seconds, offset, b"%Y-%m-%d");
        }
        d
    };
    for (name, size) in SCALES {
        let n = delta / size;
        if n >= 2 || size == 1 {
            let unit = if n == 1 {
                name.to_string()
            } else {
                format!("{name}s")
            };
            return if future {
                format!("{n} {unit} from now").into_bytes()
            } else {
                format!("{n} {unit} ago").into_bytes()
            };
        }
    }
    Vec::new()
}

/// Parses a date given as text the way hg's `parsedate` reads its
/// internal form `"UNIXTIME OFFSET"` (other date formats are not
/// supported yet and read as invalid).
pub fn parse_simple(text: &[u8]) -> Option<(i64, i32)> {
    let s = std::str::from_utf8(super::text::strip(text, None)).ok()?;
    let mut parts = s.split(' ');
    let when = py_int(parts.next()?)?;
    let offset = py_int(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some((when, i32::try_from(offset).ok()?))
}

/// Python's `int()` of a decimal string (surrounding whitespace allowed).
fn py_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// hg's `parsetimezone` for the forms `+HHMM`, `-HHMM`, `+HH:MM`, `Z`,
/// `UTC`, `GMT`; `None` otherwise.
pub fn parse_timezone(s: &[u8]) -> Option<i32> {
    let s = std::str::from_utf8(s).ok()?;
    let s = s.trim_end();
    if s.ends_with("GMT") || s.ends_with("UTC") || s == "Z" {
        return if s.len() == 3 || s == "Z" {
            Some(0)
        } else {
            None
        };
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (-1, &s[1..]),
        b'-' => (1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    Some(sign * (h * 60 + m) * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_hg() {
        assert_eq!(default(0, 0), b"Thu Jan 01 00:00:00 1970 +0000");
        assert_eq!(
            datestr(1_000_000, -3600, b"%Y-%m-%d %H:%M %1%2"),
            b"1970-01-12 14:46 +0100"
        );
        assert_eq!(
            datestr(0, 19800, b"%Y-%m-%dT%H:%M:%S%1:%2"),
            b"1969-12-31T18:30:00-05:30"
        );
        assert_eq!(age(0, 0, 100), b"100 seconds ago");
        assert_eq!(age(0, 0, 150), b"2 minutes ago");
    }
}
