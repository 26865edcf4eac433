//! A calendar date: just enough for birth dates and ages, without chrono (every byte ships).
//!
//! Checks that need "today" take it as an argument, so they stay pure and work in the browser,
//! where the system clock is not reachable from Rust: the wasm glue passes the date from JS.
//! [`Date::today`] (UTC, from the system clock) exists only off wasm32.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A valid Gregorian date. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists (`Date::new(2023, 2, 29)` is `None`). Years 1..=9999.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// ```
    /// use beian_rules::date::Date;
    /// assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
    /// assert_eq!(Date::parse("2023-02-29"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(digits(&b[0..4])? as u16, digits(&b[5..7])? as u8, digits(&b[8..10])? as u8)
    }

    /// Reads `YYYYMMDD` (as in an ID number); `None` if not digits or not a real date.
    pub fn from_yyyymmdd(b: &[u8]) -> Option<Date> {
        if b.len() != 8 {
            return None;
        }
        Date::new(digits(&b[0..4])? as u16, digits(&b[4..6])? as u8, digits(&b[6..8])? as u8)
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Whole years from `self` (a birth date) to `on`; 0 if `on` is earlier.
    pub fn years_until(self, on: Date) -> u16 {
        if on < self {
            return 0;
        }
        let birthday_passed = (on.month, on.day) >= (self.month, self.day);
        on.year - self.year - u16::from(!birthday_passed)
    }

    /// Today's date in UTC from the system clock (not on wasm32: pass the date from JS there).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil-from-days), clamped to 1..=9999.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days.clamp(-719_162, 2_932_896) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity() {
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2024, 4, 31).is_none());
        assert!(Date::new(2024, 13, 1).is_none());
        assert!(Date::new(0, 1, 1).is_none());
        assert!(Date::from_yyyymmdd(b"19491231").is_some());
        assert!(Date::from_yyyymmdd(b"1949123a").is_none());
    }

    #[test]
    fn ages() {
        let birth = Date::new(2008, 6, 15).unwrap();
        assert_eq!(birth.years_until(Date::new(2026, 6, 14).unwrap()), 17);
        assert_eq!(birth.years_until(Date::new(2026, 6, 15).unwrap()), 18);
        assert_eq!(birth.years_until(Date::new(2000, 1, 1).unwrap()), 0);
    }

    #[test]
    fn days_since_epoch() {
        assert_eq!(Date::from_days_since_epoch(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(Date::from_days_since_epoch(19_782), Date::new(2024, 2, 29).unwrap());
        assert_eq!(Date::from_days_since_epoch(20_415), Date::new(2025, 11, 23).unwrap());
    }
}
