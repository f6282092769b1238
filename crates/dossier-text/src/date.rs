//! Partial dates: as precise as the document says, and no more.

use std::fmt;

/// A calendar date of which any part may be unknown: "2023", "2023-07",
/// "2023-07-15", or "--07-15" (month and day without a year, as in a dateline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// Makes a date; `None` when nothing is known, a day is given without a month,
    /// or a part is out of range (month 1..=12, day 1..=31, year 1000..=2999).
    pub fn new(year: Option<i32>, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
        if year.is_none() && month.is_none() {
            return None;
        }
        if day.is_some() && month.is_none() {
            return None;
        }
        if year.is_some_and(|y| !(1000..=2999).contains(&y))
            || month.is_some_and(|m| !(1..=12).contains(&m))
            || day.is_some_and(|d| !(1..=days_in_month(year, month.unwrap_or(1))).contains(&d))
        {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// The year, if known.
    pub fn year(self) -> Option<i32> {
        self.year
    }
    /// The month (1..=12), if known.
    pub fn month(self) -> Option<u8> {
        self.month
    }
    /// The day of the month, if known.
    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// Parses ISO 8601 forms: `2023`, `2023-07`, `2023-07-15`, `--07-15`, and a
    /// date-time (`2023-07-15T10:00:00Z`, whose date part is kept).
    pub fn parse_iso(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("--") {
            let (m, d) = rest.split_once('-')?;
            return PartialDate::new(None, Some(num(m, 2)?), Some(num(d.get(..2)?, 2)?));
        }
        let date = s.split(['T', ' ']).next()?;
        let mut parts = date.split('-');
        let y: i32 = num(parts.next()?, 4)?;
        let m = match parts.next() {
            Some(p) => Some(num(p, 2)?),
            None => None,
        };
        let d = match parts.next() {
            Some(p) => Some(num(p, 2)?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        PartialDate::new(Some(y), m, d)
    }

    /// How precise the date is: "day", "month" or "year".
    pub fn precision(self) -> &'static str {
        match (self.month, self.day) {
            (_, Some(_)) => "day",
            (Some(_), None) => "month",
            _ => "year",
        }
    }
}

fn num<T: std::str::FromStr>(s: &str, width: usize) -> Option<T> {
    if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(year: Option<i32>, month: u8) -> u8 {
    match month {
        2 => match year {
            Some(y) if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            Some(_) => 28,
            None => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The month number of an English month name or abbreviation ("July", "Sept.", "feb").
pub fn month_from_name(name: &str) -> Option<u8> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ];
    if n.len() < 3 {
        return None;
    }
    if n == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == n || (n.len() == 3 && m.starts_with(&n)))
        .map(|i| i as u8 + 1)
}

/// Parses the date part of what pages put in date fields: ISO 8601 (`2024-03-05`,
/// with a time or not), `2024/03/05`, `20240305`, RFC 2822 (`Tue, 05 Mar 2024
/// 10:00:00 GMT`), `March 5, 2024`, `5 March 2024`. Numeric day/month orders that
/// cannot be told apart give the year only.
pub fn parse_written(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    let s = s.get(..s.len().min(100)).unwrap_or(s);
    if let Some(d) = PartialDate::parse_iso(s) {
        return Some(d);
    }
    let tokens: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let num = |t: &str| -> Option<u32> {
        (t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok()).flatten()
    };
    let first = *tokens.first()?;
    // 20240305, 20240305T101500Z
    if first.len() >= 8 && first.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
        let y = first[..4].parse().ok()?;
        let m = first[4..6].parse().ok()?;
        let d = first[6..8].parse().ok()?;
        return PartialDate::new(Some(y), Some(m), Some(d));
    }
    let year_at = tokens.iter().position(|t| t.len() == 4 && num(t).is_some_and(|y| (1000..=2999).contains(&y)))?;
    let year = num(tokens[year_at])? as i32;
    // 2024/03/05, 2024.3.5
    if year_at == 0 {
        if let (Some(m), Some(d)) = (tokens.get(1).and_then(|t| num(t)), tokens.get(2).and_then(|t| num(t))) {
            return PartialDate::new(Some(year), u8::try_from(m).ok(), u8::try_from(d).ok());
        }
    }
    // Month by name: "March 5, 2024", "5 March 2024", "Tue, 05 Mar 2024".
    let named = tokens.iter().position(|t| t.len() >= 3 && month_from_name(t).is_some());
    if let Some(mi) = named {
        let month = month_from_name(tokens[mi]);
        let day_of = |t: &str| num(t).filter(|d| t.len() <= 2 && (1..=31).contains(d));
        let after = tokens.get(mi + 1).and_then(|t| day_of(t));
        let before = mi.checked_sub(1).and_then(|j| tokens.get(j)).and_then(|t| day_of(t));
        let day = after.or(before).and_then(|d| u8::try_from(d).ok());
        return PartialDate::new(Some(year), month, day).or_else(|| PartialDate::new(Some(year), month, None));
    }
    // 05/03/2024: day and month only when the order is clear.
    if year_at == 2 {
        if let (Some(a), Some(b)) = (num(tokens[0]), num(tokens[1])) {
            let (m, d) = match (a, b) {
                (a, b) if a > 12 && b <= 12 => (b, a),
                (a, b) if b > 12 && a <= 12 => (a, b),
                _ => return PartialDate::new(Some(year), None, None),
            };
            return PartialDate::new(Some(year), u8::try_from(m).ok(), u8::try_from(d).ok());
        }
    }
    PartialDate::new(Some(year), None, None)
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => write!(f, "{y:04}-{m:02}-{d:02}"),
            (Some(y), Some(m), None) => write!(f, "{y:04}-{m:02}"),
            (Some(y), None, _) => write!(f, "{y:04}"),
            (None, Some(m), Some(d)) => write!(f, "--{m:02}-{d:02}"),
            (None, Some(m), None) => write!(f, "--{m:02}"),
            (None, None, _) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["2023", "2023-07", "2023-07-15", "--07-15", "2024-02-29"] {
            assert_eq!(PartialDate::parse_iso(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
        assert_eq!(PartialDate::parse_iso("2023-07-15T10:11:12+02:00").unwrap().to_string(), "2023-07-15");
        for bad in ["", "23", "2023-13", "2023-02-30", "--13-01", "2023-07-15-1", "abcd", "--07"] {
            assert_eq!(PartialDate::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn month_names() {
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("July"), Some(7));
        assert_eq!(month_from_name("feb"), Some(2));
        assert_eq!(month_from_name("Ma"), None);
        assert_eq!(month_from_name("Monday"), None);
    }
}
