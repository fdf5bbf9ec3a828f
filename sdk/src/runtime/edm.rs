//! Edm primitive types used by the generated models.
//!
//! Each type serialises to and from the JSON form Microsoft Graph uses and
//! round-trips it without loss. `Edm.Untyped` is [`serde_json::Value`]
//! ([`Untyped`]). `Edm.String`, `Edm.Boolean`, `Edm.Int32`, `Edm.Int16`,
//! `Edm.Byte`, `Edm.SByte` map to the Rust primitives.
//!
//! **Invalid values.** [`DateTimeOffset`] and [`Guid`] keep a value that is
//! not in their lexical form as received (module `received`): the rest of
//! the response still decodes, reading the value (`value()`) reports the
//! problem with the text, and writing it back sends the text unchanged.
//! Their `FromStr` stays strict: a value the caller builds must be valid.

#[macro_use]
mod received;

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;

use received::{Lexical, Received};

/// `Edm.Untyped`.
pub type Untyped = serde_json::Value;

/// The error returned when parsing the lexical form of an Edm value fails.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid Edm.{kind} value {value:?}: {reason}")]
pub struct EdmParseError {
    kind: &'static str,
    value: String,
    reason: String,
}

impl EdmParseError {
    fn new(kind: &'static str, value: &str, reason: impl fmt::Display) -> Self {
        Self {
            kind,
            value: value.chars().take(64).collect(),
            reason: reason.to_string(),
        }
    }
}

macro_rules! string_serde {
    ($ty:ty, $expecting:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

// ---------------------------------------------------------------------------
// DateTimeOffset

/// `Edm.DateTimeOffset`: an RFC 3339 timestamp (`2026-05-04T20:55:10.5427196Z`).
///
/// Reading also accepts a timestamp without offset (read as UTC), which some
/// services send. The instant, offset and sub-second precision (to the
/// nanosecond) are preserved; trailing zero fraction digits are not.
///
/// A received text that is no timestamp (`"2025-7-18T09:08:04.451Z"` in a
/// documented response) is kept: [`value`](Self::value) reports it, and it
/// is written back unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DateTimeOffset(Received<time::OffsetDateTime>);

impl DateTimeOffset {
    /// The current time in UTC.
    pub fn now_utc() -> Self {
        Self::from(time::OffsetDateTime::now_utc())
    }
}

received_api!(DateTimeOffset, time::OffsetDateTime, "timestamp");

impl Lexical for time::OffsetDateTime {
    const EXPECTING: &'static str = "an RFC 3339 date-time string";
    fn parse(s: &str) -> Result<Self, EdmParseError> {
        match time::OffsetDateTime::parse(s, &Rfc3339) {
            Ok(v) => Ok(v),
            Err(e) => {
                // No offset at all: read as UTC.
                let has_offset = s.ends_with(['Z', 'z'])
                    || s.get(s.len().saturating_sub(6)..).is_some_and(|t| {
                        t.starts_with(['+', '-']) && t.as_bytes().get(3) == Some(&b':')
                    });
                if !has_offset
                    && let Ok(v) = time::OffsetDateTime::parse(&format!("{s}Z"), &Rfc3339)
                {
                    return Ok(v);
                }
                Err(EdmParseError::new("DateTimeOffset", s, e))
            }
        }
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // RFC 3339 has no room for an offset with seconds (a historical
        // local mean time) or a year before 0: written in UTC instead, with
        // XML Schema's signed year. An error here would make `to_string`
        // panic.
        if let Ok(s) = self.format(&Rfc3339) {
            return f.write_str(&s);
        }
        // At the very ends of the range the UTC instant may have no date.
        let utc = self
            .checked_to_offset(time::UtcOffset::UTC)
            .unwrap_or(*self);
        if let Ok(s) = utc.format(&Rfc3339) {
            return f.write_str(&s);
        }
        let year = utc.year();
        let sign = if year < 0 { "-" } else { "" };
        write!(
            f,
            "{sign}{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            year.unsigned_abs(),
            u8::from(utc.month()),
            utc.day(),
            utc.hour(),
            utc.minute(),
            utc.second()
        )?;
        let nanos = utc.nanosecond();
        if nanos != 0 {
            let digits = format!("{nanos:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        let offset = utc.offset();
        if offset.is_utc() {
            return f.write_str("Z");
        }
        let (h, m, _) = offset.as_hms();
        let sign = if offset.is_negative() { '-' } else { '+' };
        write!(f, "{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
    }
}

// ---------------------------------------------------------------------------
// Guid

/// `Edm.Guid`, written in the hyphenated lowercase form.
///
/// A received text that is no GUID (`"3ef4e46d-13a3-4895-b6ea-a74a20hu728h"`
/// in a documented response) is kept: [`value`](Self::value) reports it,
/// and it is written back unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Guid(Received<uuid::Uuid>);

received_api!(Guid, uuid::Uuid, "GUID");

impl Lexical for uuid::Uuid {
    const EXPECTING: &'static str = "a GUID string";
    fn parse(s: &str) -> Result<Self, EdmParseError> {
        uuid::Uuid::parse_str(s).map_err(|e| EdmParseError::new("Guid", s, e))
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.hyphenated(), f)
    }
}

// ---------------------------------------------------------------------------
// Date

/// `Edm.Date`: `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl FromStr for Date {
    type Err = EdmParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        time::Date::parse(s, DATE_FORMAT)
            .map(Self)
            .map_err(|e| EdmParseError::new("Date", s, e))
    }
}
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.format(DATE_FORMAT).map_err(|_| fmt::Error)?;
        f.write_str(&s)
    }
}
impl From<time::Date> for Date {
    fn from(v: time::Date) -> Self {
        Self(v)
    }
}
string_serde!(Date, "a YYYY-MM-DD date string");

// ---------------------------------------------------------------------------
// TimeOfDay

/// `Edm.TimeOfDay`: `hh:mm[:ss[.fffffff]]`. The lexical form is kept so that a
/// value is written back exactly as read; equality compares the time only.
#[derive(Clone, Debug)]
pub struct TimeOfDay {
    time: time::Time,
    lexical: String,
}

impl TimeOfDay {
    /// The parsed time (fractions beyond nanoseconds are truncated).
    pub fn time(&self) -> time::Time {
        self.time
    }
    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.lexical
    }
}

impl From<time::Time> for TimeOfDay {
    fn from(t: time::Time) -> Self {
        let mut lexical = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
        if t.nanosecond() != 0 {
            let frac = format!("{:09}", t.nanosecond());
            lexical.push('.');
            lexical.push_str(frac.trim_end_matches('0'));
        }
        Self { time: t, lexical }
    }
}

fn two_digits(s: &str, max: u8) -> Option<u8> {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: u8 = s.parse().ok()?;
    (v <= max).then_some(v)
}

/// Parse up to 9 significant fraction digits into nanoseconds (more digits are
/// accepted and truncated).
fn fraction_nanos(frac: &str) -> Option<u32> {
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits: String = frac.chars().take(9).collect();
    while digits.len() < 9 {
        digits.push('0');
    }
    digits.parse().ok()
}

impl FromStr for TimeOfDay {
    type Err = EdmParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |r: &str| EdmParseError::new("TimeOfDay", s, r);
        let mut parts = s.splitn(3, ':');
        let h = parts
            .next()
            .and_then(|p| two_digits(p, 23))
            .ok_or_else(|| err("bad hour"))?;
        let m = parts
            .next()
            .and_then(|p| two_digits(p, 59))
            .ok_or_else(|| err("bad minute"))?;
        let (sec, nanos) = match parts.next() {
            None => (0, 0),
            Some(rest) => {
                let (sec, frac) = match rest.split_once('.') {
                    Some((a, b)) => (a, Some(b)),
                    None => (rest, None),
                };
                let sec = two_digits(sec, 59).ok_or_else(|| err("bad second"))?;
                let nanos = match frac {
                    None => 0,
                    Some(f) => fraction_nanos(f).ok_or_else(|| err("bad fraction"))?,
                };
                (sec, nanos)
            }
        };
        let time = time::Time::from_hms_nano(h, m, sec, nanos).map_err(|e| err(&e.to_string()))?;
        Ok(Self {
            time,
            lexical: s.to_string(),
        })
    }
}
impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lexical)
    }
}
impl PartialEq for TimeOfDay {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time
    }
}
impl Eq for TimeOfDay {}
impl std::hash::Hash for TimeOfDay {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.time.hash(state)
    }
}
string_serde!(TimeOfDay, "an hh:mm:ss[.fffffff] time string");

// ---------------------------------------------------------------------------
// Duration

/// `Edm.Duration`: an ISO 8601 day-time duration such as `P1DT2H3M4.5S` or
/// `-PT0.5S`. Holds the parsed value and the lexical form, which is written
/// back unchanged. Equality compares the value (`PT60S == PT1M`). Year and month
/// components are refused: they have no fixed length.
#[derive(Clone, Debug)]
pub struct Duration {
    value: time::Duration,
    lexical: String,
}

impl Duration {
    /// The parsed value (fractions beyond nanoseconds are truncated).
    pub fn value(&self) -> time::Duration {
        self.value
    }
    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.lexical
    }
    /// As a `std::time::Duration`, if not negative.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        std::time::Duration::try_from(self.value).ok()
    }
}

impl From<time::Duration> for Duration {
    fn from(value: time::Duration) -> Self {
        let neg = value.is_negative();
        let abs = value.abs();
        let total = abs.whole_seconds();
        let nanos = abs.subsec_nanoseconds().unsigned_abs();
        let (d, h, m, s) = (
            total / 86_400,
            (total % 86_400) / 3600,
            (total % 3600) / 60,
            total % 60,
        );
        let mut lexical = String::new();
        if neg {
            lexical.push('-');
        }
        lexical.push('P');
        if d != 0 {
            lexical.push_str(&format!("{d}D"));
        }
        if h != 0 || m != 0 || s != 0 || nanos != 0 || d == 0 {
            lexical.push('T');
            if h != 0 {
                lexical.push_str(&format!("{h}H"));
            }
            if m != 0 {
                lexical.push_str(&format!("{m}M"));
            }
            if s != 0 || nanos != 0 || (h == 0 && m == 0) {
                lexical.push_str(&s.to_string());
                if nanos != 0 {
                    let f = format!("{nanos:09}");
                    lexical.push('.');
                    lexical.push_str(f.trim_end_matches('0'));
                }
                lexical.push('S');
            }
        }
        Self { value, lexical }
    }
}

impl From<std::time::Duration> for Duration {
    fn from(v: std::time::Duration) -> Self {
        time::Duration::try_from(v)
            .unwrap_or(time::Duration::MAX)
            .into()
    }
}

impl FromStr for Duration {
    type Err = EdmParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |r: &str| EdmParseError::new("Duration", s, r);
        let (neg, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let rest = rest.strip_prefix('P').ok_or_else(|| err("missing 'P'"))?;
        let (date_part, time_part) = match rest.split_once('T') {
            Some((d, t)) => {
                if t.is_empty() {
                    return Err(err("empty time part after 'T'"));
                }
                (d, Some(t))
            }
            None => (rest, None),
        };
        let mut secs: i64 = 0;
        let mut nanos: u32 = 0;
        let mut any = false;
        // date part: only days
        if !date_part.is_empty() {
            let n = date_part
                .strip_suffix('D')
                .ok_or_else(|| err("only day components are allowed before 'T'"))?;
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("bad day count"));
            }
            let days: i64 = n.parse().map_err(|_| err("day count too large"))?;
            secs = days.checked_mul(86_400).ok_or_else(|| err("overflow"))?;
            any = true;
        }
        if let Some(mut t) = time_part {
            let mut last_rank = 0;
            while !t.is_empty() {
                let idx = t
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .ok_or_else(|| err("missing unit designator"))?;
                let (num, unit) = (&t[..idx], t.as_bytes()[idx]);
                // The unit is checked before `t` moves past it: a
                // multi-byte character there (`PT5µS`) is not one byte long.
                let (rank, mult) = match unit {
                    b'H' => (1, 3600),
                    b'M' => (2, 60),
                    b'S' => (3, 1),
                    _ => return Err(err("unknown unit designator")),
                };
                t = &t[idx + 1..];
                if rank <= last_rank {
                    return Err(err("components out of order"));
                }
                last_rank = rank;
                let (int, frac) = match num.split_once('.') {
                    Some((i, f)) if unit == b'S' => (i, Some(f)),
                    Some(_) => return Err(err("fractions only allowed on seconds")),
                    None => (num, None),
                };
                if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err("bad number"));
                }
                let v: i64 = int.parse().map_err(|_| err("number too large"))?;
                secs = v
                    .checked_mul(mult)
                    .and_then(|x| secs.checked_add(x))
                    .ok_or_else(|| err("overflow"))?;
                if let Some(f) = frac {
                    nanos = fraction_nanos(f).ok_or_else(|| err("bad fraction"))?;
                }
                any = true;
            }
        }
        if !any {
            return Err(err("no components"));
        }
        let mut value = time::Duration::new(secs, nanos as i32);
        if neg {
            value = -value;
        }
        Ok(Self {
            value,
            lexical: s.to_string(),
        })
    }
}
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lexical)
    }
}
impl PartialEq for Duration {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl Eq for Duration {}
impl std::hash::Hash for Duration {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}
string_serde!(Duration, "an ISO 8601 duration string");

// ---------------------------------------------------------------------------
// Double / Single

macro_rules! ieee_float {
    ($name:ident, $f:ty, $edm:literal) => {
        #[doc = concat!("`Edm.", $edm, "`: a JSON number, or one of the strings `\"NaN\"`, `\"INF\"`, `\"-INF\"`")]
        /// (written back as those strings when not finite). Numeric strings
        /// (IEEE754Compatible) are accepted too.
        #[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
        pub struct $name(pub $f);

        impl From<$f> for $name {
            fn from(v: $f) -> Self {
                Self(v)
            }
        }

        impl FromStr for $name {
            type Err = EdmParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    "NaN" => Ok(Self(<$f>::NAN)),
                    "INF" | "Infinity" | "+INF" => Ok(Self(<$f>::INFINITY)),
                    "-INF" | "-Infinity" => Ok(Self(<$f>::NEG_INFINITY)),
                    _ => {
                        let t = s.trim();
                        // refuse Rust-only spellings ("inf", "nan") and empty
                        if t.is_empty() || t.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') {
                            return Err(EdmParseError::new($edm, s, "not a number"));
                        }
                        let v = t.parse::<$f>().map_err(|e| EdmParseError::new($edm, s, e))?;
                        // A finite number too large for the type parses as
                        // infinity, which would be written back as "INF".
                        if v.is_infinite() {
                            return Err(EdmParseError::new($edm, s, "out of range"));
                        }
                        Ok(Self(v))
                    }
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if self.0.is_nan() {
                    f.write_str("NaN")
                } else if self.0 == <$f>::INFINITY {
                    f.write_str("INF")
                } else if self.0 == <$f>::NEG_INFINITY {
                    f.write_str("-INF")
                } else {
                    write!(f, "{}", self.0)
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if self.0.is_finite() {
                    Serialize::serialize(&self.0, s)
                } else {
                    s.collect_str(self)
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a number or \"NaN\", \"INF\", \"-INF\"")
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$name, E> {
                        // `3.5e38 as f32` is infinity: a number would come
                        // back as the string "INF".
                        let x = v as $f;
                        if v.is_finite() && x.is_infinite() {
                            return Err(E::custom(format!("{v} is out of range for Edm.{}", $edm)));
                        }
                        Ok($name(x))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        Ok($name(v as $f))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        Ok($name(v as $f))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
ieee_float!(Double, f64, "Double");
ieee_float!(Single, f32, "Single");

// ---------------------------------------------------------------------------
// Decimal

/// `Edm.Decimal`, kept in its lexical form (no precision is lost to `f64`).
///
/// Accepts a JSON number or a string. A value read from a string is written
/// back as that string; a value read from a number is written back as a number.
/// (JSON numbers pass through the JSON parser's `f64`; ask the service for
/// `IEEE754Compatible=true` to receive exact decimals as strings.) A value
/// built with [`Decimal::new`] is written as a number when that is exact, and
/// as a string otherwise.
#[derive(Clone, Debug)]
pub struct Decimal {
    lexical: String,
    as_string: bool,
}

fn is_decimal_lexical(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match b.find(['e', 'E']) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    digits(int)
        && frac.is_none_or(digits)
        && exp.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)))
}

impl Decimal {
    /// A decimal from its lexical form (`-12.345`, `1e-7`).
    pub fn new(lexical: impl Into<String>) -> Result<Self, EdmParseError> {
        let lexical = lexical.into();
        if !is_decimal_lexical(&lexical) {
            return Err(EdmParseError::new(
                "Decimal",
                &lexical,
                "not a decimal number",
            ));
        }
        let as_string = Self::number_form(&lexical).is_none();
        Ok(Self { lexical, as_string })
    }

    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.lexical
    }

    /// Whether this value is written as a JSON string.
    pub fn is_string_form(&self) -> bool {
        self.as_string
    }

    /// Lossy conversion to `f64`.
    pub fn to_f64(&self) -> f64 {
        self.lexical.parse().unwrap_or(f64::NAN)
    }

    /// A JSON number with exactly this lexical form, if there is one.
    fn number_form(lexical: &str) -> Option<serde_json::Number> {
        let n: serde_json::Number = serde_json::from_str(lexical).ok()?;
        (n.to_string() == lexical).then_some(n)
    }
}

impl FromStr for Decimal {
    type Err = EdmParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::new(s)
    }
}
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lexical)
    }
}
impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.lexical == other.lexical
    }
}
impl Eq for Decimal {}
impl std::hash::Hash for Decimal {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.lexical.hash(state)
    }
}
impl From<i64> for Decimal {
    fn from(v: i64) -> Self {
        Self {
            lexical: v.to_string(),
            as_string: false,
        }
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !self.as_string
            && let Some(n) = Self::number_form(&self.lexical)
        {
            return n.serialize(s);
        }
        s.serialize_str(&self.lexical)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number or string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal {
                    lexical: v.to_string(),
                    as_string: false,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal {
                    lexical: v.to_string(),
                    as_string: false,
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
                let n = serde_json::Number::from_f64(v)
                    .ok_or_else(|| E::custom("non-finite number is not a decimal"))?;
                Ok(Decimal {
                    lexical: n.to_string(),
                    as_string: false,
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                if !is_decimal_lexical(v) {
                    return Err(E::custom(EdmParseError::new(
                        "Decimal",
                        v,
                        "not a decimal number",
                    )));
                }
                Ok(Decimal {
                    lexical: v.to_string(),
                    as_string: true,
                })
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------
// Binary

/// `Edm.Binary`: written as standard base64 (with padding); reading accepts
/// standard and URL-safe alphabets, with or without padding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

const LENIENT: base64::engine::GeneralPurposeConfig = base64::engine::GeneralPurposeConfig::new()
    .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: base64::engine::GeneralPurpose =
    base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: base64::engine::GeneralPurpose =
    base64::engine::GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

impl FromStr for Binary {
    type Err = EdmParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        STANDARD_LENIENT
            .decode(s)
            .or_else(|_| URL_SAFE_LENIENT.decode(s))
            .map(Self)
            .map_err(|e| EdmParseError::new("Binary", s, e))
    }
}
impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}
impl From<Vec<u8>> for Binary {
    fn from(v: Vec<u8>) -> Self {
        Self(v)
    }
}
string_serde!(Binary, "a base64 string");

// ---------------------------------------------------------------------------
// Int64

/// `Edm.Int64`: written as a JSON number; reading accepts a number or a
/// numeric string (Graph sends strings under `IEEE754Compatible=true`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Int64(pub i64);

impl From<i64> for Int64 {
    fn from(v: i64) -> Self {
        Self(v)
    }
}
impl fmt::Display for Int64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl FromStr for Int64 {
    type Err = EdmParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse()
            .map(Self)
            .map_err(|e| EdmParseError::new("Int64", s, e))
    }
}
impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}
impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Int64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or an integer string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int64, E> {
                Ok(Int64(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int64, E> {
                i64::try_from(v)
                    .map(Int64)
                    .map_err(|_| E::custom("integer out of Int64 range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int64, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// serde helpers for a plain `u64` that may arrive as a number or string.
pub(crate) fn de_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Option::<Int64>::deserialize(d)?.map(|v| v.0.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rt<T: Serialize + for<'de> Deserialize<'de>>(v: serde_json::Value) -> serde_json::Value {
        let t: T = serde_json::from_value(v).unwrap();
        serde_json::to_value(&t).unwrap()
    }

    #[test]
    fn datetime() {
        for s in [
            "2026-05-04T20:55:10.5427196Z",
            "2026-05-04T20:55:10Z",
            "2024-08-31T16:00:00+02:00",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(rt::<DateTimeOffset>(json!(s)), json!(s));
        }
        let d: DateTimeOffset = "2024-08-31T16:00:00".parse().unwrap();
        assert_eq!(d.to_string(), "2024-08-31T16:00:00Z");
        assert!("nope".parse::<DateTimeOffset>().is_err());
    }

    #[test]
    fn invalid_values_are_kept_reported_and_written_back() {
        for (text, kind) in [
            ("2025-7-18T09:08:04.451Z", "DateTimeOffset"),
            ("3ef4e46d-13a3-4895-b6ea-a74a20hu728h", "Guid"),
        ] {
            let (err, written, kept) = if kind == "Guid" {
                let g: Guid = serde_json::from_value(json!(text)).unwrap();
                assert!(text.parse::<Guid>().is_err(), "FromStr stays strict");
                (
                    g.value().unwrap_err(),
                    serde_json::to_value(&g).unwrap(),
                    g.invalid_text().map(str::to_string),
                )
            } else {
                let d: DateTimeOffset = serde_json::from_value(json!(text)).unwrap();
                assert!(
                    text.parse::<DateTimeOffset>().is_err(),
                    "FromStr stays strict"
                );
                (
                    d.value().unwrap_err(),
                    serde_json::to_value(&d).unwrap(),
                    d.invalid_text().map(str::to_string),
                )
            };
            assert_eq!(kept.as_deref(), Some(text));
            assert_eq!(written, json!(text));
            let message = err.to_string();
            assert!(
                message.contains(kind) && message.contains(text),
                "{message}"
            );
        }
        let g: Guid =
            serde_json::from_value(json!("DA157A29-F793-4DD6-9C73-41D2C73C2546")).unwrap();
        assert_eq!(g.invalid_text(), None);
        assert_eq!(g.to_string(), "da157a29-f793-4dd6-9c73-41d2c73c2546");
        assert_eq!(uuid::Uuid::try_from(g.clone()).unwrap(), g.value().unwrap());
        // Not a string at all is still a decode error.
        assert!(serde_json::from_value::<Guid>(json!(42)).is_err());
        assert!(serde_json::from_value::<DateTimeOffset>(json!(true)).is_err());
    }

    #[test]
    fn date_and_time() {
        assert_eq!(rt::<Date>(json!("2025-11-02")), json!("2025-11-02"));
        assert!("2025-13-02".parse::<Date>().is_err());
        for s in ["12:00:00.0000000", "23:59:59", "07:05", "01:02:03.5"] {
            assert_eq!(rt::<TimeOfDay>(json!(s)), json!(s));
        }
        let t: TimeOfDay = "01:02:03.5".parse().unwrap();
        assert_eq!(t.time().nanosecond(), 500_000_000);
        assert!("24:00:00".parse::<TimeOfDay>().is_err());
    }

    #[test]
    fn duration() {
        let d: Duration = "P1DT2H3M4.5S".parse().unwrap();
        assert_eq!(
            d.value(),
            time::Duration::new(86_400 + 2 * 3600 + 3 * 60 + 4, 500_000_000)
        );
        assert_eq!(serde_json::to_value(&d).unwrap(), json!("P1DT2H3M4.5S"));
        let n: Duration = "-PT0.25S".parse().unwrap();
        assert_eq!(n.value(), -time::Duration::milliseconds(250));
        assert_eq!(
            "PT60S".parse::<Duration>().unwrap(),
            "PT1M".parse().unwrap()
        );
        assert_eq!(rt::<Duration>(json!("PT60S")), json!("PT60S"));
        for s in ["P", "PT", "P1Y", "P1M", "PT1S2M", "1D", "PT1.5M"] {
            assert!(s.parse::<Duration>().is_err(), "{s}");
        }
        let c = Duration::from(time::Duration::new(86_400 + 3600 + 4, 500_000_000));
        assert_eq!(c.as_str(), "P1DT1H4.5S");
        assert_eq!(c.as_str().parse::<Duration>().unwrap(), c);
        assert_eq!(Duration::from(time::Duration::ZERO).as_str(), "PT0S");
        assert_eq!(Duration::from(-time::Duration::days(2)).as_str(), "-P2D");
    }

    #[test]
    fn floats() {
        assert_eq!(rt::<Double>(json!(1.5)), json!(1.5));
        assert_eq!(rt::<Double>(json!("NaN")), json!("NaN"));
        assert_eq!(rt::<Double>(json!("INF")), json!("INF"));
        assert_eq!(rt::<Double>(json!("-INF")), json!("-INF"));
        assert_eq!(rt::<Double>(json!(0.1)), json!(0.1));
        assert_eq!(rt::<Single>(json!(0.1)), json!(0.1f32));
        assert_eq!(rt::<Single>(json!("-INF")), json!("-INF"));
        let d: Double = serde_json::from_value(json!("2.5")).unwrap();
        assert_eq!(d.0, 2.5);
        assert!(serde_json::from_value::<Double>(json!("inf")).is_err());
        // Too large for a Single: an error, not infinity written back as
        // the string "INF".
        let e = serde_json::from_value::<Single>(json!(3.5e38)).unwrap_err();
        assert!(e.to_string().contains("out of range for Edm.Single"), "{e}");
        assert!(serde_json::from_value::<Single>(json!("3.5e38")).is_err());
        assert!("1e400".parse::<Double>().is_err());
        assert_eq!(rt::<Single>(json!(3.4e38)), json!(3.4e38f32));
    }

    #[test]
    fn decimal_int64_binary() {
        assert_eq!(
            rt::<Decimal>(json!("12345678901234567890.123456789")),
            json!("12345678901234567890.123456789")
        );
        assert_eq!(rt::<Decimal>(json!(12.5)), json!(12.5));
        assert_eq!(rt::<Decimal>(json!(42)), json!(42));
        assert_eq!(
            serde_json::to_value(Decimal::new("0.10000000000000000000001").unwrap()).unwrap(),
            json!("0.10000000000000000000001")
        );
        assert_eq!(
            serde_json::to_value(Decimal::new("3.25").unwrap()).unwrap(),
            json!(3.25)
        );
        assert!(Decimal::new("1.2.3").is_err());
        let i: Int64 = serde_json::from_value(json!("9007199254740993")).unwrap();
        assert_eq!(i.0, 9_007_199_254_740_993);
        assert_eq!(rt::<Int64>(json!(-5)), json!(-5));
        let b: Binary = serde_json::from_value(json!("-_8=")).unwrap();
        assert_eq!(b.0, vec![0xfb, 0xff]);
        assert_eq!(serde_json::to_value(&b).unwrap(), json!("+/8="));
        assert_eq!(rt::<Binary>(json!("aGVsbG8=")), json!("aGVsbG8="));
    }
}
