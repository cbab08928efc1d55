//! hg's date specifications (`hg help dates`): parsing a date the user
//! typed into `(unixtime, offset)` as hg's `parsedate` does, with every
//! format it accepts (`2006-02-01 13:00:30 -0500`, `Dec 6`, `12:00`,
//! `today`, `now`, `UNIXTIME OFFSET`, ...), and the date ranges of
//! `-d`/`date()` (`<DATE`, `>DATE`, `DATE to DATE`, `-DAYS`, or a date
//! matched to the accuracy given) as `matchdate` does.
//!
//! Nothing here reads the clock or the environment: the current time and
//! the local time zone come in a [`Clock`] the caller builds.

use std::fmt;
use std::sync::Arc;

use crate::dates::HgDate;

/// The local time zone, as the C library's `localtime`/`mktime` see it.
/// Offsets are seconds *west* of UTC, as hg stores them.
pub trait LocalZone: Send + Sync + fmt::Debug {
    /// The offset in force at the instant `unixtime`.
    fn offset_at(&self, unixtime: i64) -> i32;
    /// The offset `mktime` picks for the wall-clock time `local` (seconds
    /// since the epoch as if the wall clock were UTC).
    fn offset_for_local(&self, local: i64) -> i32;
}

/// A zone with one offset all year round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedZone(pub i32);

impl LocalZone for FixedZone {
    fn offset_at(&self, _unixtime: i64) -> i32 {
        self.0
    }
    fn offset_for_local(&self, _local: i64) -> i32 {
        self.0
    }
}

/// The current time and local zone a date is read against.
#[derive(Clone, Debug)]
pub struct Clock {
    /// Seconds since the epoch, now.
    pub now: i64,
    pub zone: Arc<dyn LocalZone>,
}

impl Clock {
    pub fn new(now: i64, zone: Arc<dyn LocalZone>) -> Clock {
        Clock { now, zone }
    }

    /// A clock in UTC.
    pub fn utc(now: i64) -> Clock {
        Clock::new(now, Arc::new(FixedZone(0)))
    }

    /// hg's `makedate()`: now with the local offset.
    pub fn makedate(&self) -> (i64, i32) {
        (self.now, self.zone.offset_at(self.now))
    }
}

/// Why a date or date range was refused, worded as hg words it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// hg's parse error `invalid date: 'TEXT'` (shown as `hg: parse error`).
    #[error("invalid date: {}", py_bytes_repr(.0))]
    Invalid(Vec<u8>),
    /// A parse error: the time does not fit in 32 bits.
    #[error("date exceeds 32 bits: {0}")]
    Exceeds32Bits(i64),
    /// A parse error: an offset outside UTC-12..UTC+14.
    #[error("impossible time zone offset: {0}")]
    ImpossibleOffset(i64),
    /// A bad range (`abort: MESSAGE`, not a parse error).
    #[error("{0}")]
    BadRange(String),
}

impl DateError {
    /// Whether hg reports it as `hg: parse error: ...` (else `abort: ...`).
    pub fn is_parse_error(&self) -> bool {
        !matches!(self, DateError::BadRange(_))
    }
}

/// Which list of formats to try (hg's `defaultdateformats` or
/// `extendeddateformats`, the latter adding `%Y`, `%Y-%m`, `%b`, `%b %Y`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formats {
    Default,
    Extended,
}

const DEFAULT_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H%M%S",
    "%Y-%m-%dT%H%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H%M%S",
    "%Y-%m-%d %H%M",
    "%Y-%m-%d %I:%M:%S%p",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %I:%M%p",
    "%Y-%m-%d",
    "%m-%d",
    "%m/%d",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%a %b %d %H:%M:%S %Y",
    "%a %b %d %I:%M:%S%p %Y",
    "%a, %d %b %Y %H:%M:%S",
    "%b %d %H:%M:%S %Y",
    "%b %d %I:%M:%S%p %Y",
    "%b %d %H:%M:%S",
    "%b %d %I:%M:%S%p",
    "%b %d %H:%M",
    "%b %d %I:%M%p",
    "%b %d %Y",
    "%b %d",
    "%H:%M:%S",
    "%I:%M:%S%p",
    "%H:%M",
    "%I:%M%p",
];

const EXTENDED_ONLY: &[&str] = &["%Y", "%Y-%m", "%b", "%b %Y"];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Rounding of the elements a date leaves out (hg's `bias`): the value
/// used for each part when nothing more specific was given.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bias {
    pub day: Option<&'static str>,
    pub month: Option<&'static str>,
    pub hour: Option<&'static str>,
    pub minute: Option<&'static str>,
    pub second: Option<&'static str>,
}

/// The date parts in hg's order of decreasing specificity: the format
/// letters that give each, and the letter a default is appended with.
const PARTS: [(&str, char); 6] = [
    ("S", 'S'),
    ("M", 'M'),
    ("HI", 'H'),
    ("d", 'd'),
    ("mb", 'm'),
    ("yY", 'y'),
];

/// hg's `parsedate(text, formats, bias)`.
pub fn parse_date(
    text: &[u8],
    formats: Formats,
    bias: &Bias,
    clock: &Clock,
) -> Result<(i64, i32), DateError> {
    if text.is_empty() {
        return Ok((0, 0));
    }
    let mut date = text.trim_ascii().to_vec();
    let now_local = HgDate {
        seconds: clock.now,
        offset: clock.zone.offset_at(clock.now),
    };
    if date == b"now" {
        return Ok(clock.makedate());
    }
    if date == b"today" || date == b"yesterday" {
        let mut day = now_local.seconds - i64::from(now_local.offset);
        if date == b"yesterday" {
            day -= 86_400;
        }
        let c = HgDate {
            seconds: day,
            offset: 0,
        }
        .civil();
        let month = MONTHS[(c.month - 1) as usize];
        date = format!("{}{} {:02}", month[..1].to_uppercase(), &month[1..], c.day).into_bytes();
    }
    let (when, offset) = match unix_pair(&date) {
        Some(pair) => pair,
        None => {
            let c = now_local.civil();
            let now_parts = [
                format!("{:02}", c.second),
                format!("{:02}", c.minute),
                format!("{:02}", c.hour),
                format!("{:02}", c.day),
                format!("{:02}", c.month),
                format!("{:02}", c.year.rem_euclid(100)),
            ];
            let biased = [
                bias.second.unwrap_or("00"),
                bias.minute.unwrap_or("00"),
                bias.hour.unwrap_or("00"),
                bias.day.unwrap_or("1"),
                bias.month.unwrap_or("1"),
                "1",
            ];
            let extra: &[&str] = match formats {
                Formats::Default => &[],
                Formats::Extended => EXTENDED_ONLY,
            };
            DEFAULT_FORMATS
                .iter()
                .chain(extra)
                .find_map(|format| strdate(&date, format, &biased, &now_parts, clock.zone.as_ref()))
                .ok_or_else(|| DateError::Invalid(date.clone()))?
        }
    };
    if !(-0x8000_0000..=0x7FFF_FFFF).contains(&when) {
        return Err(DateError::Exceeds32Bits(when));
    }
    if !(-50_400..=43_200).contains(&offset) {
        return Err(DateError::ImpossibleOffset(offset));
    }
    Ok((when, offset as i32))
}

/// `UNIXTIME OFFSET`: exactly two integers separated by one space.
fn unix_pair(date: &[u8]) -> Option<(i64, i64)> {
    let mut parts = date.split(|b| *b == b' ');
    let when = py_int(parts.next()?)?;
    let offset = py_int(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some((when, offset))
}

/// Python's `int(bytes)`: surrounding whitespace, a sign, and digits
/// possibly grouped by single underscores.
fn py_int(text: &[u8]) -> Option<i64> {
    let text = text.trim_ascii();
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty()
        || !digits.first()?.is_ascii_digit()
        || !digits.last()?.is_ascii_digit()
        || digits.windows(2).any(|w| w == b"__")
    {
        return None;
    }
    let mut value: i64 = 0;
    for &b in digits {
        match b {
            b'_' => {}
            b'0'..=b'9' => {
                value = value.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
            }
            _ => return None,
        }
    }
    Some(if negative { -value } else { value })
}

/// hg's `parsetimezone`: a trailing zone and what precedes it.
fn parse_timezone(s: &[u8]) -> (Option<i64>, &[u8]) {
    if s.ends_with(b"GMT") || s.ends_with(b"UTC") {
        return (Some(0), s[..s.len() - 3].trim_ascii_end());
    }
    let n = s.len();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    let num = |r: &[u8]| r.iter().fold(0i64, |a, b| a * 10 + i64::from(b - b'0'));
    if n >= 5 && matches!(s[n - 5], b'+' | b'-') && digits(&s[n - 4..]) {
        let sign = if s[n - 5] == b'+' { 1 } else { -1 };
        let minutes = num(&s[n - 4..n - 2]) * 60 + num(&s[n - 2..]);
        return (Some(-sign * minutes * 60), s[..n - 5].trim_ascii_end());
    }
    if n >= 2 && s[n - 1] == b'Z' && s[n - 2].is_ascii_digit() {
        return (Some(0), &s[..n - 1]);
    }
    if n >= 6
        && matches!(s[n - 6], b'+' | b'-')
        && s[n - 3] == b':'
        && digits(&s[n - 5..n - 3])
        && digits(&s[n - 2..])
    {
        let sign = if s[n - 6] == b'+' { 1 } else { -1 };
        let minutes = num(&s[n - 5..n - 3]) * 60 + num(&s[n - 2..]);
        return (Some(-sign * minutes * 60), &s[..n - 6]);
    }
    (None, s)
}

/// hg's `strdate`: one format tried on `text`, the missing parts filled
/// from `biased` (before any part is found) or `now` (after).
fn strdate(
    text: &[u8],
    format: &str,
    biased: &[&str; 6],
    now: &[String; 6],
    zone: &dyn LocalZone,
) -> Option<(i64, i64)> {
    let (offset, rest) = parse_timezone(text);
    let mut date = rest.to_vec();
    let mut format = format.to_string();
    let mut use_now = false;
    for (i, (letters, default_letter)) in PARTS.iter().enumerate() {
        let found = letters.chars().any(|l| format.contains(&format!("%{l}")));
        if found {
            use_now = true;
        } else {
            date.push(b'@');
            date.extend_from_slice(if use_now {
                now[i].as_bytes()
            } else {
                biased[i].as_bytes()
            });
            format.push_str(&format!("@%{default_letter}"));
        }
    }
    let fields = strptime(&date, &format)?;
    let local = fields.local_seconds()?;
    match offset {
        Some(offset) => Some((local + offset, offset)),
        None => {
            let offset = i64::from(zone.offset_for_local(local));
            Some((local + offset, offset))
        }
    }
}

/// What `time.strptime` read.
#[derive(Default)]
struct Fields {
    year: Option<i64>,
    short_year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    hour: Option<i64>,
    hour12: Option<i64>,
    pm: Option<bool>,
    minute: Option<i64>,
    second: Option<i64>,
}

impl Fields {
    /// `calendar.timegm` of the fields, `None` for an impossible day.
    fn local_seconds(&self) -> Option<i64> {
        let year = match (self.year, self.short_year) {
            (Some(y), _) => y,
            (None, Some(y)) if y <= 68 => y + 2000,
            (None, Some(y)) => y + 1900,
            (None, None) => 1900,
        };
        let month = self.month.unwrap_or(1);
        let day = self.day.unwrap_or(1);
        let hour = match self.hour12 {
            Some(h) => match self.pm {
                Some(true) if h != 12 => h + 12,
                Some(true) => h,
                _ if h == 12 => 0,
                _ => h,
            },
            None => self.hour.unwrap_or(0),
        };
        if !(1..=9999).contains(&year) || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(days * 86_400 + hour * 3600 + self.minute.unwrap_or(0) * 60 + self.second.unwrap_or(0))
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One piece of a compiled format.
#[derive(Clone, Copy)]
enum Piece {
    Literal(u8),
    Space,
    Directive(u8),
}

/// Python's `time.strptime` for the directives hg's formats use, in the C
/// locale: the format becomes a regular expression (whitespace runs match
/// `\s+`, letters ignore case) whose *first* match must cover the text.
fn strptime(text: &[u8], format: &str) -> Option<Fields> {
    let mut pieces = Vec::new();
    let mut bytes = format.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            pieces.push(Piece::Directive(bytes.next()?));
        } else if is_py_space(b) {
            while bytes.peek().is_some_and(|b| is_py_space(*b)) {
                bytes.next();
            }
            pieces.push(Piece::Space);
        } else {
            pieces.push(Piece::Literal(b));
        }
    }
    let mut captures = Vec::new();
    let end = first_match(text, 0, &pieces, &mut captures)?;
    if end != text.len() {
        return None;
    }
    let mut fields = Fields::default();
    for (directive, value) in captures {
        let number = || {
            value
                .iter()
                .filter(|b| b.is_ascii_digit())
                .fold(0i64, |a, b| a * 10 + i64::from(b - b'0'))
        };
        match directive {
            b'Y' => fields.year = Some(number()),
            b'y' => fields.short_year = Some(number()),
            b'm' => fields.month = Some(number()),
            b'd' => fields.day = Some(number()),
            b'H' => fields.hour = Some(number()),
            b'I' => fields.hour12 = Some(number()),
            b'M' => fields.minute = Some(number()),
            b'S' => fields.second = Some(number()),
            b'p' => fields.pm = Some(value.eq_ignore_ascii_case(b"pm")),
            b'b' => {
                let name = value.to_ascii_lowercase();
                fields.month = MONTHS
                    .iter()
                    .position(|m| m.as_bytes() == name.as_slice())
                    .map(|i| i as i64 + 1);
            }
            _ => {}
        }
    }
    Some(fields)
}

/// Python's `\s` on text: ASCII whitespace and the separators 0x1c-0x1f.
fn is_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f)
}

/// Backtracking match of `pieces` at `pos`, alternatives tried in the
/// regular expression's order; returns where the first match ends.
fn first_match<'t>(
    text: &'t [u8],
    pos: usize,
    pieces: &[Piece],
    captures: &mut Vec<(u8, &'t [u8])>,
) -> Option<usize> {
    let Some((piece, rest)) = pieces.split_first() else {
        return Some(pos);
    };
    let here = &text[pos..];
    match *piece {
        Piece::Literal(b) => {
            if here.first().is_some_and(|c| c.eq_ignore_ascii_case(&b)) {
                first_match(text, pos + 1, rest, captures)
            } else {
                None
            }
        }
        Piece::Space => {
            let run = here.iter().take_while(|b| is_py_space(**b)).count();
            (1..=run)
                .rev()
                .find_map(|n| first_match(text, pos + n, rest, captures))
        }
        Piece::Directive(d) => {
            for len in alternatives(d, here) {
                captures.push((d, &here[..len]));
                if let Some(end) = first_match(text, pos + len, rest, captures) {
                    return Some(end);
                }
                captures.pop();
            }
            None
        }
    }
}

/// The lengths a directive can match at the start of `s`, in the order
/// of `_strptime`'s alternatives.
fn alternatives(directive: u8, s: &[u8]) -> Vec<usize> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let digit = |i: usize| at(i).is_ascii_digit();
    let within = |i: usize, lo: u8, hi: u8| (lo..=hi).contains(&at(i));
    let mut out = Vec::new();
    let mut alt = |ok: bool, len: usize| {
        if ok {
            out.push(len);
        }
    };
    match directive {
        b'Y' => alt((0..4).all(digit), 4),
        b'y' => alt(digit(0) && digit(1), 2),
        b'm' | b'I' => {
            alt(at(0) == b'1' && within(1, b'0', b'2'), 2);
            alt(at(0) == b'0' && within(1, b'1', b'9'), 2);
            alt(within(0, b'1', b'9'), 1);
        }
        b'd' => {
            alt(at(0) == b'3' && within(1, b'0', b'1'), 2);
            alt(within(0, b'1', b'2') && digit(1), 2);
            alt(at(0) == b'0' && within(1, b'1', b'9'), 2);
            alt(within(0, b'1', b'9'), 1);
            alt(at(0) == b' ' && within(1, b'1', b'9'), 2);
        }
        b'H' => {
            alt(at(0) == b'2' && within(1, b'0', b'3'), 2);
            alt(within(0, b'0', b'1') && digit(1), 2);
            alt(digit(0), 1);
        }
        b'M' => {
            alt(within(0, b'0', b'5') && digit(1), 2);
            alt(digit(0), 1);
        }
        b'S' => {
            alt(at(0) == b'6' && within(1, b'0', b'1'), 2);
            alt(within(0, b'0', b'5') && digit(1), 2);
            alt(digit(0), 1);
        }
        b'p' => {
            let word = s.get(..2).map(<[u8]>::to_ascii_lowercase);
            alt(word.as_deref() == Some(b"am"), 2);
            alt(word.as_deref() == Some(b"pm"), 2);
        }
        b'a' | b'b' => {
            let names: &[&str] = if directive == b'a' {
                &WEEKDAYS
            } else {
                &MONTHS
            };
            let word = s.get(..3).map(<[u8]>::to_ascii_lowercase);
            alt(
                names.iter().any(|n| word.as_deref() == Some(n.as_bytes())),
                3,
            );
        }
        _ => {}
    }
    out
}

/// A date range a changeset date is tested against (hg's `matchdate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateRange {
    /// On or before.
    Until(i64),
    /// On or after.
    Since(i64),
    /// Between, both ends included.
    Between(i64, i64),
}

impl DateRange {
    /// Whether `unixtime` is in the range.
    pub fn matches(&self, unixtime: i64) -> bool {
        match *self {
            DateRange::Until(t) => unixtime <= t,
            DateRange::Since(t) => unixtime >= t,
            DateRange::Between(a, b) => unixtime >= a && unixtime <= b,
        }
    }
}

/// The earliest moment `text` can mean.
fn lower_bound(text: &[u8], clock: &Clock) -> Result<i64, DateError> {
    let bias = Bias {
        month: Some("1"),
        day: Some("1"),
        ..Bias::default()
    };
    Ok(parse_date(text, Formats::Extended, &bias, clock)?.0)
}

/// The latest moment `text` can mean (the last day of a month found by
/// trying 31, 30, 29 then 28).
fn upper_bound(text: &[u8], clock: &Clock) -> Result<i64, DateError> {
    let mut bias = Bias {
        month: Some("12"),
        hour: Some("23"),
        minute: Some("59"),
        second: Some("59"),
        day: None,
    };
    for day in ["31", "30", "29"] {
        bias.day = Some(day);
        if let Ok((when, _)) = parse_date(text, Formats::Extended, &bias, clock) {
            return Ok(when);
        }
    }
    bias.day = Some("28");
    Ok(parse_date(text, Formats::Extended, &bias, clock)?.0)
}

/// hg's `matchdate(spec)`: the range a date specification stands for.
pub fn match_date(spec: &[u8], clock: &Clock) -> Result<DateRange, DateError> {
    let spec = spec.trim_ascii();
    let bad = |m: String| DateError::BadRange(m);
    match spec.split_first() {
        None => Err(bad(
            "dates cannot consist entirely of whitespace".to_string()
        )),
        Some((b'<', rest)) => {
            if rest.is_empty() {
                return Err(bad("invalid day spec, use '<DATE'".to_string()));
            }
            Ok(DateRange::Until(upper_bound(rest, clock)?))
        }
        Some((b'>', rest)) => {
            if rest.is_empty() {
                return Err(bad("invalid day spec, use '>DATE'".to_string()));
            }
            Ok(DateRange::Since(lower_bound(rest, clock)?))
        }
        Some((b'-', rest)) => {
            let shown = String::from_utf8_lossy(rest);
            let days = py_int(rest).ok_or_else(|| bad(format!("invalid day spec: {shown}")))?;
            if days < 0 {
                return Err(bad(format!(
                    "{shown} must be nonnegative (see 'hg help dates')"
                )));
            }
            Ok(DateRange::Since(
                clock.now.saturating_sub(days.saturating_mul(86_400)),
            ))
        }
        Some(_) => {
            let separator = b" to ";
            let positions: Vec<usize> = spec
                .windows(separator.len())
                .enumerate()
                .filter(|(_, w)| *w == separator)
                .map(|(i, _)| i)
                .collect();
            match positions.as_slice() {
                [] => Ok(DateRange::Between(
                    lower_bound(spec, clock)?,
                    upper_bound(spec, clock)?,
                )),
                [at] => Ok(DateRange::Between(
                    lower_bound(&spec[..*at], clock)?,
                    upper_bound(&spec[at + separator.len()..], clock)?,
                )),
                // hg fails with a Python traceback here.
                _ => Err(bad(format!(
                    "invalid date range: {}",
                    String::from_utf8_lossy(spec)
                ))),
            }
        }
    }
}

/// Python's `repr` of a byte string without its `b` prefix, as hg shows
/// the text of a bad date.
pub fn py_bytes_repr(bytes: &[u8]) -> String {
    qs_store::pyrepr::python_repr(bytes)
}

/// hg's `datestr` default rendering, with its clamping to 32 bits.
pub fn datestr(when: i64, offset: i32) -> String {
    let local = (when - i64::from(offset)).clamp(-0x8000_0000, 0x7FFF_FFFF);
    HgDate {
        seconds: local + i64::from(offset),
        offset,
    }
    .display()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// 2026-11-23 13:30:00 UTC.
    const NOW: i64 = 1_795_440_600;

    fn parse(text: &str) -> Result<(i64, i32), DateError> {
        parse_date(
            text.as_bytes(),
            Formats::Default,
            &Bias::default(),
            &Clock::utc(NOW),
        )
    }

    fn ext(text: &str) -> Result<(i64, i32), DateError> {
        parse_date(
            text.as_bytes(),
            Formats::Extended,
            &Bias::default(),
            &Clock::utc(NOW),
        )
    }

    #[test]
    fn parses_hg_formats() {
        assert_eq!(
            parse("2006-02-01 13:00:30 -0500"),
            Ok((1_138_816_830, 18_000))
        );
        assert_eq!(parse("2006-02-01T13:00:30Z"), Ok((1_138_798_830, 0)));
        assert_eq!(parse("Dec 6"), Ok((1_796_515_200, 0)));
        assert_eq!(parse("Dec  6"), Ok((1_796_515_200, 0)));
        assert_eq!(parse("Dec 6 1:00PM"), Ok((1_796_562_000, 0)));
        assert_eq!(parse("12:00 +0100"), Ok((1_795_431_600, -3600)));
        assert_eq!(parse(" 1165432709 0"), Ok((1_165_432_709, 0)));
        assert_eq!(parse("1_000 0"), Ok((1000, 0)));
        assert_eq!(parse("+5 -0"), Ok((5, 0)));
        assert_eq!(parse(""), Ok((0, 0)));
        assert_eq!(parse("now"), Ok((NOW, 0)));
        assert_eq!(parse("today"), Ok((1_795_392_000, 0)));
        assert_eq!(parse("yesterday"), Ok((1_795_305_600, 0)));
        assert_eq!(ext("2000 UTC"), Ok((946_684_800, 0)));
    }

    #[test]
    fn refuses_like_hg() {
        let invalid = |s: &str| parse(s).unwrap_err().to_string();
        assert_eq!(invalid("dec 6 1pm"), "invalid date: 'dec 6 1pm'");
        assert_eq!(invalid("2006-02-29"), "invalid date: '2006-02-29'");
        assert_eq!(invalid("it's"), "invalid date: \"it's\"");
        assert_eq!(invalid("tab\tx"), "invalid date: 'tab\\tx'");
        assert_eq!(invalid("é"), "invalid date: '\\xc3\\xa9'");
        assert_eq!(
            invalid("2006-02-01 25:00"),
            "invalid date: '2006-02-01 25:00'"
        );
        assert_eq!(
            invalid("99999999999 0"),
            "date exceeds 32 bits: 99999999999"
        );
        assert_eq!(invalid("0 99999"), "impossible time zone offset: 99999");
    }

    #[test]
    fn ranges() {
        let clock = Clock::utc(NOW);
        let range = |s: &str| match_date(s.as_bytes(), &clock);
        let feb = range("2006-02").unwrap();
        assert!(feb.matches(1_138_752_000));
        assert!(feb.matches(1_141_171_199));
        assert!(!feb.matches(1_141_171_200));
        assert_eq!(range("<2006"), Ok(DateRange::Until(1_167_609_599)));
        assert_eq!(range("-1"), Ok(DateRange::Since(NOW - 86_400)));
        assert_eq!(
            range("--1").unwrap_err().to_string(),
            "-1 must be nonnegative (see 'hg help dates')"
        );
        assert_eq!(range("-x").unwrap_err().to_string(), "invalid day spec: x");
        assert_eq!(
            range("<").unwrap_err().to_string(),
            "invalid day spec, use '<DATE'"
        );
        assert_eq!(
            range("  ").unwrap_err().to_string(),
            "dates cannot consist entirely of whitespace"
        );
    }
}
