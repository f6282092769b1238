//! Proleptic Gregorian calendar arithmetic on day numbers (days since
//! 1970-01-01), after Howard Hinnant's `days_from_civil` algorithms, and ISO
//! 8601 formatting. Everything is total: out-of-range input gives `None`, never
//! a panic or an overflow.

/// Days since 1970-01-01 of a civil date. `m` is 1..=12, `d` 1..=31 (not
/// checked here; see [`valid_ymd`]).
pub(super) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Whether `y` is a leap year.
pub(super) fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` of year `y` (0 for an invalid month).
pub(super) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether y-m-d is a real date.
pub(super) fn valid_ymd(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

/// ISO weekday of a day number: 0 = Monday .. 6 = Sunday.
pub(super) fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday.
    (days + 3).rem_euclid(7) as u32
}

/// ISO 8601 week-numbering year and week of a day number.
pub(super) fn iso_week(days: i64) -> (i64, u32) {
    let thursday = days - i64::from(weekday(days)) + 3;
    let (y, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
    (y, week as u32)
}

/// Years we are willing to print as four ISO digits.
pub(super) fn year_ok(y: i64) -> bool {
    (0..=9999).contains(&y)
}

/// `YYYY`.
pub(super) fn fmt_year(y: i64) -> Option<String> {
    year_ok(y).then(|| format!("{y:04}"))
}

/// `YYYY-MM`.
pub(super) fn fmt_month(y: i64, m: u32) -> Option<String> {
    (year_ok(y) && (1..=12).contains(&m)).then(|| format!("{y:04}-{m:02}"))
}

/// `YYYY-MM-DD` of a day number.
pub(super) fn fmt_day(days: i64) -> Option<String> {
    let (y, m, d) = civil_from_days(days);
    year_ok(y).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `YYYY-Www` of a day number.
pub(super) fn fmt_week(days: i64) -> Option<String> {
    let (y, w) = iso_week(days);
    year_ok(y).then(|| format!("{y:04}-W{w:02}"))
}

/// Adds `delta` months to (y, m).
pub(super) fn add_months(y: i64, m: u32, delta: i64) -> (i64, u32) {
    let idx = y * 12 + i64::from(m) - 1 + delta;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// Day numbers this far from the epoch (about +-27,000 years) keep every
/// computation far from overflow.
pub(super) const MAX_DAYS: i64 = 10_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_weekdays() {
        for z in [-1_000_000i64, -1, 0, 1, 19_000, 19_553, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        let z = days_from_civil(2023, 7, 15);
        assert_eq!(fmt_day(z).as_deref(), Some("2023-07-15"));
        assert_eq!(weekday(z), 5); // Saturday
        assert_eq!(iso_week(z), (2023, 28));
        assert_eq!(iso_week(days_from_civil(2021, 1, 1)), (2020, 53));
        assert_eq!(add_months(2023, 1, -1), (2022, 12));
        assert!(!valid_ymd(2023, 2, 29) && valid_ymd(2024, 2, 29));
    }
}
