//! [`LegalDate`]: a date with the precision the source gives it.
//!
//! | form | text (`Display`/`FromStr`) | JSON |
//! |---|---|---|
//! | a day | `2025-07-24` | `"2025-07-24"` |
//! | a month | `2025-07` | `"2025-07"` |
//! | a year | `2025` | `"2025"` |
//! | a span of days (a visit) | `2025-04-03..2025-04-06` | `{"from":"2025-04-03","to":"2025-04-06"}` |
//! | a bounded unknown day | `[2025-04-03, 2025-07-24]`, `[?, 2025-04-03]` | `{"not_before":"2025-04-03","not_after":"2025-07-24"}` (either member may be omitted, not both) |
//! | unknown | `unknown` | `"unknown"` |
//!
//! Days are proleptic Gregorian, years 1000 to 9999. A span's `to` is after its `from`; a
//! bound's `not_after` is after its `not_before` (a one-day span or bound is written as the
//! day). Order between dates is three-valued ([`DateOrder`]): one date is *before* another only
//! if every day it may denote precedes every day the other may denote.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;

/// A date with its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegalDate {
    /// A day.
    Day(NaiveDate),
    /// A month of a year.
    Month {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
    },
    /// A year.
    Year(i32),
    /// Every day from `from` to `to` (a visit, a session).
    Span {
        /// The first day.
        from: NaiveDate,
        /// The last day (after `from`).
        to: NaiveDate,
    },
    /// One day, not known exactly, within bounds (an undated seizure).
    Bounded {
        /// The earliest possible day.
        not_before: Option<NaiveDate>,
        /// The latest possible day.
        not_after: Option<NaiveDate>,
    },
    /// Not known at all.
    Unknown,
}

/// How two [`LegalDate`]s are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// Every day the first may denote is before every day the second may denote.
    Before,
    /// Every day the first may denote is after every day the second may denote.
    After,
    /// They may denote the same day, overlap, or one is not known well enough. Two events on
    /// the same day are indeterminate too: the day says nothing about their order.
    Indeterminate,
}

/// Why a string or JSON value is not a [`LegalDate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateError(String);

const DATE_EXPECTED: &str = "a date: YYYY-MM-DD, YYYY-MM, YYYY, FROM..TO, [NOT_BEFORE, NOT_AFTER] \
     (either may be ?), or unknown";

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn year(s: &str) -> Option<i32> {
    digits(s, 4)
        .filter(|y| *y >= 1000)
        .and_then(|y| i32::try_from(y).ok())
}

/// Parses a day `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Result<NaiveDate, DateError> {
    let bad = || {
        DateError(format!(
            "`{s}` is not a day: expected YYYY-MM-DD, a real calendar day"
        ))
    };
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let (Some(y), Some(m), Some(d)) = (year(&s[..4]), digits(&s[5..7], 2), digits(&s[8..], 2))
    else {
        return Err(bad());
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)
}

fn fmt_day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl LegalDate {
    /// The earliest day this date may denote (`None`: unbounded).
    pub fn earliest(&self) -> Option<NaiveDate> {
        match *self {
            LegalDate::Day(d) => Some(d),
            LegalDate::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
            LegalDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            LegalDate::Span { from, .. } => Some(from),
            LegalDate::Bounded { not_before, .. } => not_before,
            LegalDate::Unknown => None,
        }
    }

    /// The latest day this date may denote (`None`: unbounded).
    pub fn latest(&self) -> Option<NaiveDate> {
        match *self {
            LegalDate::Day(d) => Some(d),
            LegalDate::Month { year, month } => {
                let (ny, nm) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
            }
            LegalDate::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            LegalDate::Span { to, .. } => Some(to),
            LegalDate::Bounded { not_after, .. } => not_after,
            LegalDate::Unknown => None,
        }
    }

    /// The exact day, if this is a day.
    pub fn day(&self) -> Option<NaiveDate> {
        match *self {
            LegalDate::Day(d) => Some(d),
            _ => None,
        }
    }

    /// How `self` is ordered relative to `other` (see [`DateOrder`]). For a span, "before"
    /// means its last day precedes the other's first.
    pub fn compare(&self, other: &LegalDate) -> DateOrder {
        if let (Some(a), Some(b)) = (self.latest(), other.earliest())
            && a < b
        {
            return DateOrder::Before;
        }
        if let (Some(a), Some(b)) = (self.earliest(), other.latest())
            && a > b
        {
            return DateOrder::After;
        }
        DateOrder::Indeterminate
    }

    /// How `self` is ordered relative to one day.
    pub fn compare_day(&self, day: NaiveDate) -> DateOrder {
        self.compare(&LegalDate::Day(day))
    }

    /// A key that sorts dates chronologically by their latest possible day, unbounded last
    /// (the convention of seed-events.md: "sorted at its latest possible date").
    pub fn sort_key(&self) -> (bool, Option<NaiveDate>) {
        let l = self.latest();
        (l.is_none(), l)
    }

    fn span(from: NaiveDate, to: NaiveDate) -> Result<LegalDate, DateError> {
        if to <= from {
            return Err(DateError(format!(
                "a span's last day must be after its first day ({}); a one-day span is written as the day",
                fmt_day(from)
            )));
        }
        Ok(LegalDate::Span { from, to })
    }

    fn bounded(
        not_before: Option<NaiveDate>,
        not_after: Option<NaiveDate>,
    ) -> Result<LegalDate, DateError> {
        match (not_before, not_after) {
            (None, None) => Err(DateError(
                "a bounded date needs at least one bound; a date without any is \"unknown\"".into(),
            )),
            (Some(a), Some(b)) if b <= a => Err(DateError(format!(
                "not_after must be after not_before ({}); equal bounds are written as the day",
                fmt_day(a)
            ))),
            _ => Ok(LegalDate::Bounded {
                not_before,
                not_after,
            }),
        }
    }
}

impl FromStr for LegalDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<LegalDate, DateError> {
        if s == "unknown" {
            return Ok(LegalDate::Unknown);
        }
        if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            let Some((a, b)) = inner.split_once(", ") else {
                return Err(DateError(DATE_EXPECTED.into()));
            };
            let bound = |x: &str| {
                if x == "?" {
                    Ok(None)
                } else {
                    parse_day(x).map(Some)
                }
            };
            return LegalDate::bounded(bound(a)?, bound(b)?);
        }
        if let Some((a, b)) = s.split_once("..") {
            return LegalDate::span(parse_day(a)?, parse_day(b)?);
        }
        match s.len() {
            10 => parse_day(s).map(LegalDate::Day),
            7 if s.as_bytes()[4] == b'-' => match (year(&s[..4]), digits(&s[5..], 2)) {
                (Some(year), Some(month)) if (1..=12).contains(&month) => {
                    Ok(LegalDate::Month { year, month })
                }
                _ => Err(DateError(format!("`{s}` is not a month: expected YYYY-MM"))),
            },
            4 => year(s).map(LegalDate::Year).ok_or_else(|| {
                DateError(format!("`{s}` is not a year: expected YYYY (1000-9999)"))
            }),
            _ => Err(DateError(format!("`{s}` is not {DATE_EXPECTED}"))),
        }
    }
}

impl fmt::Display for LegalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |d: Option<NaiveDate>| d.map_or_else(|| "?".to_owned(), fmt_day);
        match *self {
            LegalDate::Day(d) => f.write_str(&fmt_day(d)),
            LegalDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            LegalDate::Year(y) => write!(f, "{y:04}"),
            LegalDate::Span { from, to } => write!(f, "{}..{}", fmt_day(from), fmt_day(to)),
            LegalDate::Bounded {
                not_before,
                not_after,
            } => {
                write!(f, "[{}, {}]", opt(not_before), opt(not_after))
            }
            LegalDate::Unknown => f.write_str("unknown"),
        }
    }
}

impl serde::Serialize for LegalDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            LegalDate::Span { from, to } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("from", &fmt_day(from))?;
                m.serialize_entry("to", &fmt_day(to))?;
                m.end()
            }
            LegalDate::Bounded {
                not_before,
                not_after,
            } => {
                let n = usize::from(not_before.is_some()) + usize::from(not_after.is_some());
                let mut m = s.serialize_map(Some(n))?;
                if let Some(d) = not_after {
                    m.serialize_entry("not_after", &fmt_day(d))?;
                }
                if let Some(d) = not_before {
                    m.serialize_entry("not_before", &fmt_day(d))?;
                }
                m.end()
            }
            _ => s.collect_str(self),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Member {
    From,
    To,
    NotBefore,
    NotAfter,
}

const MEMBERS: &[&str] = &["from", "to", "not_before", "not_after"];

impl<'de> de::Deserialize<'de> for Member {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Member, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("from, to, not_before or not_after")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Member, E> {
                match s {
                    "from" => Ok(Member::From),
                    "to" => Ok(Member::To),
                    "not_before" => Ok(Member::NotBefore),
                    "not_after" => Ok(Member::NotAfter),
                    _ => Err(E::unknown_field(s, MEMBERS)),
                }
            }
        }
        d.deserialize_identifier(V)
    }
}

/// A day member of a date object; if the member it must follow (or precede) was already read,
/// the order is checked here, so that the error names this member.
struct DaySeed {
    /// The counterpart already read, and whether this member must be after it.
    counterpart: Option<(NaiveDate, bool, &'static str)>,
}

impl<'de> DeserializeSeed<'de> for DaySeed {
    type Value = NaiveDate;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<NaiveDate, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NaiveDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a day YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<NaiveDate, E> {
                parse_day(s).map_err(E::custom)
            }
        }
        let day = d.deserialize_str(V)?;
        if let Some((other, must_be_after, name)) = self.counterpart {
            if must_be_after && day <= other {
                return Err(de::Error::custom(format!(
                    "must be after {name} ({}); a single day is written as the day itself",
                    fmt_day(other)
                )));
            }
            if !must_be_after && day >= other {
                return Err(de::Error::custom(format!(
                    "must be before {name} ({}); a single day is written as the day itself",
                    fmt_day(other)
                )));
            }
        }
        Ok(day)
    }
}

impl<'de> de::Deserialize<'de> for LegalDate {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<LegalDate, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LegalDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a date: \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\", \"unknown\", \
                     {\"from\":…,\"to\":…} or {\"not_before\":…,\"not_after\":…}",
                )
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<LegalDate, E> {
                if s.contains("..") || s.starts_with('[') {
                    return Err(E::custom(
                        "spans and bounded dates are JSON objects: {\"from\":…,\"to\":…} or \
                         {\"not_before\":…,\"not_after\":…}",
                    ));
                }
                s.parse().map_err(E::custom)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LegalDate, A::Error> {
                let (mut from, mut to, mut nb, mut na) = (None, None, None, None);
                while let Some(member) = map.next_key::<Member>()? {
                    let (slot, counterpart) = match member {
                        Member::From => (&mut from, to.map(|t| (t, false, "to"))),
                        Member::To => (&mut to, from.map(|f| (f, true, "from"))),
                        Member::NotBefore => (&mut nb, na.map(|a| (a, false, "not_after"))),
                        Member::NotAfter => (&mut na, nb.map(|b| (b, true, "not_before"))),
                    };
                    if slot.is_some() {
                        return Err(de::Error::custom("a date member is given twice"));
                    }
                    *slot = Some(map.next_value_seed(DaySeed { counterpart })?);
                }
                let span = from.is_some() || to.is_some();
                let bounded = nb.is_some() || na.is_some();
                match (span, bounded) {
                    (true, true) => Err(de::Error::custom(
                        "a date object is a span {from, to} or a bounded date \
                         {not_before, not_after}, not both",
                    )),
                    (true, false) => match (from, to) {
                        (Some(f), Some(t)) => LegalDate::span(f, t).map_err(de::Error::custom),
                        (None, _) => Err(de::Error::missing_field("from")),
                        (_, None) => Err(de::Error::missing_field("to")),
                    },
                    (false, true) => LegalDate::bounded(nb, na).map_err(de::Error::custom),
                    (false, false) => Err(de::Error::custom(
                        "an empty date object: give {from, to}, {not_before, not_after}, or \"unknown\"",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The year of a date, if it has exactly one.
pub fn year_of(d: &LegalDate) -> Option<i32> {
    match (d.earliest(), d.latest()) {
        (Some(a), Some(b)) if a.year() == b.year() => Some(a.year()),
        _ => None,
    }
}
