//! Values: DATE, TIME, DURATION, MONEY, PERCENT, QUANTITY, CARDINAL and
//! ORDINAL expressions, found in English text and normalised.
//!
//! [`extract`] scans a byte range of a text and returns [`Value`]s: byte spans
//! into the original text (never copied or edited) with a [`Normalized`]
//! reading:
//!
//! - dates as ISO 8601 (`2023-07-15`, `2023-02`, `2015`, `2023-W28`,
//!   `2023-SU`, `2023-Q1`, decade `199`, month-day without a year `--07-15`),
//!   intervals as `start/end` with `..` for an open end (`2013/2014`,
//!   `2009/..`), each with a [`Precision`] and an optional [`Qualifier`]
//!   ("early", "since", "mid", ...);
//! - relative expressions ("last month", "on Friday", "yesterday", "in
//!   January", "two weeks ago", "in the last 10 years") resolved against the
//!   document date when one is given, and left unresolved (value `None`,
//!   precision unknown, the span still reported) when it is not. A weekday or
//!   a month without a year resolves to the most recent one on or before the
//!   document date by default (news reports the past); [`Tense`] in
//!   [`Options`] changes that;
//! - money as an amount and an ISO 4217 code (`$2bn` -> 2e9 USD), percentages,
//!   quantities with a canonical unit (`230 km`), durations as ISO 8601
//!   durations (`14-month` -> `P14M`), cardinals with their qualifier ("at
//!   least two", "more than 16,000", "tens of thousands") and the counted noun
//!   ("99 phone calls" -> "phone calls"), ordinals.
//!
//! [`count_for`] finds the count tied to a noun phrase, for the fact stage.
//!
//! Method: a handful of regular expressions (compiled once, ASCII word
//! boundaries so the lazy DFA never falls back on non-ASCII text) find date,
//! time, number and ordinal candidates; a number is then classified by what
//! surrounds it (currency symbol or word, scale, "%", unit, time unit, "ago",
//! year cue words); overlapping candidates are resolved longest first; a last
//! pass joins intervals ("between 2013 and 2014") and date qualifiers ("early
//! February", "since 2009").
//!
//! Speed: 14 to 18 MB/s of news text on one core in release mode (the seed
//! articles repeated to 12 MB; `cargo run --release -p dossier-nlp --example
//! values_demo -- --bench`).
//!
//! The functions never panic: any byte range is clamped to the text and to
//! character boundaries, and every number is checked before use.

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

mod calendar;
mod numbers;
#[cfg(test)]
mod tests;

use calendar::*;
use numbers::{ordinal_word, parse_digits, parse_words, scale_suffix, Parsed};

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// The publication date of a document, as precise as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocDate {
    /// The year.
    pub year: i32,
    /// The month, 1..=12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (ignored without a month).
    pub day: Option<u8>,
}

impl DocDate {
    /// A full date.
    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        DocDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// A year and month.
    pub fn ym(year: i32, month: u8) -> Self {
        DocDate {
            year,
            month: Some(month),
            day: None,
        }
    }

    /// A year only.
    pub fn y(year: i32) -> Self {
        DocDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (anything after the date, such
    /// as `T10:00:00Z`, is ignored). `None` if it is not a valid date.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let date = s.split(['T', ' ']).next().unwrap_or("");
        let mut parts = date.split('-');
        let y: i32 = parts.next()?.parse().ok()?;
        let m: Option<u8> = match parts.next() {
            Some(p) => Some(p.parse().ok()?),
            None => None,
        };
        let d: Option<u8> = match parts.next() {
            Some(p) => Some(p.parse().ok()?),
            None => None,
        };
        let dd = DocDate {
            year: y,
            month: m,
            day: d,
        };
        dd.anchor().map(|_| dd)
    }

    /// The internal anchor; `None` when the date is invalid.
    fn anchor(&self) -> Option<Anchor> {
        let year = i64::from(self.year);
        if !year_ok(year) {
            return None;
        }
        let month = match self.month {
            Some(m) if (1..=12).contains(&m) => Some(u32::from(m)),
            Some(_) => return None,
            None => None,
        };
        let day = match (month, self.day) {
            (Some(m), Some(d)) if valid_ymd(year, m, u32::from(d)) => Some(u32::from(d)),
            (Some(_), Some(_)) => return None,
            _ => None,
        };
        Some(Anchor { year, month, day })
    }
}

/// Which way an underspecified date ("Friday", "July 15", "in January") is
/// resolved from the document date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tense {
    /// The most recent such date on or before the document date (news
    /// convention; the default).
    #[default]
    Past,
    /// The first such date on or after the document date.
    Future,
    /// The nearest such date (ties go to the past).
    Unknown,
}

/// Options for [`extract_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The document's publication date, if known.
    pub doc_date: Option<DocDate>,
    /// How to resolve underspecified dates.
    pub tense: Tense,
}

/// The kind of a value (an ONTOLOGY.md value type, plus TIME and DURATION).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// A date or a date interval.
    Date,
    /// A clock time.
    Time,
    /// A length of time ("two weeks", "14-month").
    Duration,
    /// An amount of money.
    Money,
    /// A percentage.
    Percent,
    /// A measured quantity with a unit.
    Quantity,
    /// A count.
    Cardinal,
    /// A rank.
    Ordinal,
}

impl ValueKind {
    /// Upper-case name: `DATE`, `MONEY`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Date => "DATE",
            ValueKind::Time => "TIME",
            ValueKind::Duration => "DURATION",
            ValueKind::Money => "MONEY",
            ValueKind::Percent => "PERCENT",
            ValueKind::Quantity => "QUANTITY",
            ValueKind::Cardinal => "CARDINAL",
            ValueKind::Ordinal => "ORDINAL",
        }
    }
}

/// How precise a normalised date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// Not resolved.
    Unknown,
    /// A century (`19`).
    Century,
    /// A decade (`199`).
    Decade,
    /// A year.
    Year,
    /// A half year (`2023-H1`).
    Half,
    /// A quarter (`2023-Q1`).
    Quarter,
    /// A season (`2023-SU`).
    Season,
    /// A month.
    Month,
    /// An ISO week (`2023-W28`).
    Week,
    /// A day.
    Day,
}

impl Precision {
    /// Lower-case name as used in ONTOLOGY.md (`day`, `month`, `year`, `unknown`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Unknown => "unknown",
            Precision::Century => "century",
            Precision::Decade => "decade",
            Precision::Year => "year",
            Precision::Half => "half",
            Precision::Quarter => "quarter",
            Precision::Season => "season",
            Precision::Month => "month",
            Precision::Week => "week",
            Precision::Day => "day",
        }
    }
}

/// A word or phrase that bounds or blurs a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// "at least", "no fewer than".
    AtLeast,
    /// "more than", "over", "upwards of".
    MoreThan,
    /// "at most", "no more than".
    AtMost,
    /// "less than", "fewer than", "under".
    LessThan,
    /// "about", "around", "approximately", "some".
    About,
    /// "nearly", "almost", "close to".
    Nearly,
    /// "up to", "as many as".
    UpTo,
    /// "exactly".
    Exactly,
    /// "an estimated".
    Estimated,
    /// "within" (durations).
    Within,
    /// "early" (dates).
    Early,
    /// "mid", "the middle of" (dates).
    Mid,
    /// "late" (dates).
    Late,
    /// "the beginning of", "the start of" (dates).
    Start,
    /// "the end of" (dates).
    End,
    /// "since" (dates; the value is an open interval `X/..`).
    Since,
    /// "until", "till" (dates; the value is `../X`).
    Until,
    /// "before" (dates).
    Before,
    /// "after" (dates).
    After,
    /// "by" (dates).
    By,
}

impl Qualifier {
    /// The canonical phrase: "at least", "early", ...
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "at least",
            Qualifier::MoreThan => "more than",
            Qualifier::AtMost => "at most",
            Qualifier::LessThan => "less than",
            Qualifier::About => "about",
            Qualifier::Nearly => "nearly",
            Qualifier::UpTo => "up to",
            Qualifier::Exactly => "exactly",
            Qualifier::Estimated => "estimated",
            Qualifier::Within => "within",
            Qualifier::Early => "early",
            Qualifier::Mid => "mid",
            Qualifier::Late => "late",
            Qualifier::Start => "start",
            Qualifier::End => "end",
            Qualifier::Since => "since",
            Qualifier::Until => "until",
            Qualifier::Before => "before",
            Qualifier::After => "after",
            Qualifier::By => "by",
        }
    }
}

/// Units of time for durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
    /// Decades.
    Decade,
    /// Centuries.
    Century,
}

impl TimeUnit {
    fn from_word(w: &str) -> Option<TimeUnit> {
        let w = w.to_ascii_lowercase();
        let w = w.trim_end_matches('s');
        Some(match w {
            "second" | "sec" => TimeUnit::Second,
            "minute" | "min" => TimeUnit::Minute,
            "hour" | "hr" => TimeUnit::Hour,
            "day" => TimeUnit::Day,
            "week" => TimeUnit::Week,
            "month" => TimeUnit::Month,
            "year" | "yr" => TimeUnit::Year,
            "decade" => TimeUnit::Decade,
            "century" | "centurie" => TimeUnit::Century,
            _ => return None,
        })
    }

    /// ISO 8601 duration of `n` of this unit: `P14M`, `PT3H`, `P10Y`.
    pub fn iso(self, n: f64) -> String {
        let (t, k, letter) = match self {
            TimeUnit::Second => ("T", 1.0, 'S'),
            TimeUnit::Minute => ("T", 1.0, 'M'),
            TimeUnit::Hour => ("T", 1.0, 'H'),
            TimeUnit::Day => ("", 1.0, 'D'),
            TimeUnit::Week => ("", 1.0, 'W'),
            TimeUnit::Month => ("", 1.0, 'M'),
            TimeUnit::Year => ("", 1.0, 'Y'),
            TimeUnit::Decade => ("", 10.0, 'Y'),
            TimeUnit::Century => ("", 100.0, 'Y'),
        };
        format!("P{t}{}{letter}", fmt_num(n * k))
    }
}

/// The normalised reading of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Normalized {
    /// A date or interval.
    Date {
        /// ISO 8601 date (`2023-07-15`, `2023-02`, `2015`, `--07-15`,
        /// `2023-W28`) or interval (`2013/2014`, `2009/..`); `None` when a
        /// relative expression cannot be resolved.
        value: Option<String>,
        /// How precise `value` is ([`Precision::Unknown`] when `None`).
        precision: Precision,
        /// "early", "since", ... when present.
        qualifier: Option<Qualifier>,
    },
    /// A clock time.
    Time {
        /// ISO 8601 time (`T15:00`) or date-time (`2023-07-15T10:30`).
        value: Option<String>,
    },
    /// A length of time.
    Duration {
        /// How many units.
        value: f64,
        /// The unit.
        unit: TimeUnit,
        /// ISO 8601 duration (`P14M`).
        iso: String,
        /// "within", "more than", ... when present.
        qualifier: Option<Qualifier>,
    },
    /// Money.
    Money {
        /// The amount, scale applied (`$2bn` -> 2e9).
        amount: f64,
        /// ISO 4217 code (`USD`, `GBP`, `EUR`, `RUB`, ...).
        currency: &'static str,
        /// "more than", ... when present.
        qualifier: Option<Qualifier>,
    },
    /// A percentage (12 for "12%").
    Percent {
        /// The percentage.
        value: f64,
        /// "more than", ... when present.
        qualifier: Option<Qualifier>,
    },
    /// A measured quantity.
    Quantity {
        /// The amount.
        value: f64,
        /// Canonical unit symbol (`km`, `t`, `kg`, `bbl`, `MW`, ...).
        unit: &'static str,
        /// "about", ... when present.
        qualifier: Option<Qualifier>,
    },
    /// A count.
    Cardinal {
        /// The number (a lower bound for vague amounts: "hundreds" -> 100).
        value: f64,
        /// "at least", "more than", ... when present; vague plurals ("tens of
        /// thousands") get [`Qualifier::AtLeast`].
        qualifier: Option<Qualifier>,
        /// A vague amount ("hundreds", "several thousand", "dozens").
        approximate: bool,
        /// Byte span of the counted noun phrase when one follows ("99 phone
        /// calls" -> "phone calls").
        noun: Option<Range<usize>>,
    },
    /// A rank ("first", "3rd", "twenty-first").
    Ordinal(u32),
}

impl Normalized {
    /// The kind of value.
    pub fn kind(&self) -> ValueKind {
        match self {
            Normalized::Date { .. } => ValueKind::Date,
            Normalized::Time { .. } => ValueKind::Time,
            Normalized::Duration { .. } => ValueKind::Duration,
            Normalized::Money { .. } => ValueKind::Money,
            Normalized::Percent { .. } => ValueKind::Percent,
            Normalized::Quantity { .. } => ValueKind::Quantity,
            Normalized::Cardinal { .. } => ValueKind::Cardinal,
            Normalized::Ordinal(_) => ValueKind::Ordinal,
        }
    }

    /// The ISO 8601 string of a date, time or duration, if resolved.
    pub fn iso(&self) -> Option<&str> {
        match self {
            Normalized::Date { value, .. } | Normalized::Time { value } => value.as_deref(),
            Normalized::Duration { iso, .. } => Some(iso),
            _ => None,
        }
    }

    /// The date precision (`Unknown` for non-dates).
    pub fn precision(&self) -> Precision {
        match self {
            Normalized::Date { precision, .. } => *precision,
            _ => Precision::Unknown,
        }
    }

    /// The qualifier, if any.
    pub fn qualifier(&self) -> Option<Qualifier> {
        match self {
            Normalized::Date { qualifier, .. }
            | Normalized::Duration { qualifier, .. }
            | Normalized::Money { qualifier, .. }
            | Normalized::Percent { qualifier, .. }
            | Normalized::Quantity { qualifier, .. }
            | Normalized::Cardinal { qualifier, .. } => *qualifier,
            _ => None,
        }
    }

    /// The number of a cardinal, quantity, money, percent or ordinal value.
    pub fn number(&self) -> Option<f64> {
        match self {
            Normalized::Cardinal { value, .. }
            | Normalized::Quantity { value, .. }
            | Normalized::Percent { value, .. }
            | Normalized::Duration { value, .. } => Some(*value),
            Normalized::Money { amount, .. } => Some(*amount),
            Normalized::Ordinal(n) => Some(f64::from(*n)),
            _ => None,
        }
    }
}

/// Formats a number without a trailing `.0` for integers.
fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

impl fmt::Display for Normalized {
    /// Compact form: `date:2023-02/month [early]`, `money:2000000000 USD`,
    /// `cardinal:2 [at least]`, `cardinal:10000 [at least] approx`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Normalized::Date {
                value, precision, ..
            } => write!(
                f,
                "date:{}/{}",
                value.as_deref().unwrap_or("?"),
                precision.as_str()
            )?,
            Normalized::Time { value } => write!(f, "time:{}", value.as_deref().unwrap_or("?"))?,
            Normalized::Duration { iso, .. } => write!(f, "duration:{iso}")?,
            Normalized::Money {
                amount, currency, ..
            } => write!(f, "money:{} {currency}", fmt_num(*amount))?,
            Normalized::Percent { value, .. } => write!(f, "percent:{}", fmt_num(*value))?,
            Normalized::Quantity { value, unit, .. } => {
                write!(f, "quantity:{} {unit}", fmt_num(*value))?
            }
            Normalized::Cardinal { value, .. } => write!(f, "cardinal:{}", fmt_num(*value))?,
            Normalized::Ordinal(n) => write!(f, "ordinal:{n}")?,
        }
        if let Some(q) = self.qualifier() {
            write!(f, " [{}]", q.as_str())?;
        }
        if let Normalized::Cardinal {
            approximate: true, ..
        } = self
        {
            write!(f, " approx")?;
        }
        Ok(())
    }
}

/// One value found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The kind (same as `normalized.kind()`).
    pub kind: ValueKind,
    /// The normalised reading.
    pub normalized: Normalized,
}

impl Value {
    /// The span as written (empty if `text` is not the text it came from).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// The count of a cardinal value.
    pub fn count(&self) -> Option<f64> {
        match &self.normalized {
            Normalized::Cardinal { value, .. } => Some(*value),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/// Finds the values in `text[range]`, resolving relative dates against
/// `doc_date` (past-tense convention, see [`Tense::Past`]). Spans are byte
/// offsets into `text`, sorted and non-overlapping. The range is clamped to
/// the text and to character boundaries.
pub fn extract(text: &str, range: Range<usize>, doc_date: Option<DocDate>) -> Vec<Value> {
    extract_with(
        text,
        range,
        &Options {
            doc_date,
            tense: Tense::Past,
        },
    )
}

/// [`extract`] with explicit [`Options`].
pub fn extract_with(text: &str, range: Range<usize>, opts: &Options) -> Vec<Value> {
    let mut hi = range.end.min(text.len());
    while hi > 0 && !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let mut lo = range.start.min(hi);
    while lo < hi && !text.is_char_boundary(lo) {
        lo += 1;
    }
    let ctx = Ctx {
        text,
        lo,
        hi,
        anchor: opts.doc_date.and_then(|d| d.anchor()),
        tense: opts.tense,
    };
    let mut cands = Vec::new();
    ctx.dates(&mut cands);
    ctx.times(&mut cands);
    ctx.numbers(&mut cands);
    ctx.ordinals(&mut cands);
    let mut chosen = resolve_overlaps(cands);
    ctx.join_intervals(&mut chosen);
    ctx.date_qualifiers(&mut chosen);
    ctx.attach_nouns(&mut chosen);
    chosen
        .into_iter()
        .map(|c| Value {
            start: c.start,
            end: c.end,
            kind: c.norm.kind(),
            normalized: c.norm,
        })
        .collect()
}

/// The count tied to a noun phrase at byte span `np` of `text`, among
/// `values` (as returned by [`extract`] on the same text): a cardinal whose
/// counted noun overlaps `np` ("99 phone calls" for the phrase "phone
/// calls"), else a cardinal inside `np`, else a cardinal right before it
/// (only white space or "of" between). `None` when there is none.
pub fn count_for<'v>(text: &str, values: &'v [Value], np: Range<usize>) -> Option<&'v Value> {
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    let cardinals = || values.iter().filter(|v| v.kind == ValueKind::Cardinal);
    if let Some(v) = cardinals().find(|v| match &v.normalized {
        Normalized::Cardinal { noun: Some(n), .. } => overlaps(n, &np),
        _ => false,
    }) {
        return Some(v);
    }
    if let Some(v) = cardinals().find(|v| v.start >= np.start && v.end <= np.end) {
        return Some(v);
    }
    cardinals().rev().find(|v| v.end <= np.start).filter(|v| {
        text.get(v.end..np.start).is_some_and(|gap| {
            let g = gap.trim();
            g.is_empty() || g.eq_ignore_ascii_case("of")
        })
    })
}

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Anchor {
    year: i64,
    month: Option<u32>,
    day: Option<u32>,
}

impl Anchor {
    fn days(&self) -> Option<i64> {
        Some(days_from_civil(self.year, self.month?, self.day?))
    }
}

#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    norm: Normalized,
    prio: u8,
}

fn prio(n: &Normalized) -> u8 {
    match n.kind() {
        ValueKind::Date => 7,
        ValueKind::Money => 6,
        ValueKind::Time | ValueKind::Percent => 5,
        ValueKind::Quantity | ValueKind::Duration => 4,
        ValueKind::Ordinal => 3,
        ValueKind::Cardinal => 2,
    }
}

/// Keeps the longest candidates (then the higher priority, then the earlier)
/// among overlapping ones.
fn resolve_overlaps(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.retain(|c| c.start < c.end);
    cands.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out = Vec::with_capacity(cands.len());
    let mut i = 0;
    while i < cands.len() {
        // One cluster of transitively overlapping candidates.
        let mut j = i + 1;
        let mut max_end = cands[i].end;
        while j < cands.len() && cands[j].start < max_end {
            max_end = max_end.max(cands[j].end);
            j += 1;
        }
        if j == i + 1 {
            out.push(cands[i].clone());
        } else {
            let mut cluster: Vec<&Cand> = cands[i..j].iter().collect();
            cluster.sort_by(|a, b| {
                (b.end - b.start)
                    .cmp(&(a.end - a.start))
                    .then(b.prio.cmp(&a.prio))
                    .then(a.start.cmp(&b.start))
            });
            let mut kept: Vec<&Cand> = Vec::new();
            for c in cluster {
                if kept.iter().all(|k| c.end <= k.start || k.end <= c.start) {
                    kept.push(c);
                }
            }
            kept.sort_by_key(|c| c.start);
            out.extend(kept.into_iter().cloned());
        }
        i = j;
    }
    out
}

struct Ctx<'a> {
    text: &'a str,
    lo: usize,
    hi: usize,
    anchor: Option<Anchor>,
    tense: Tense,
}

fn date(value: Option<String>, precision: Precision) -> Normalized {
    let precision = if value.is_some() {
        precision
    } else {
        Precision::Unknown
    };
    Normalized::Date {
        value,
        precision,
        qualifier: None,
    }
}

fn cand(start: usize, end: usize, norm: Normalized) -> Cand {
    let prio = prio(&norm);
    Cand {
        start,
        end,
        norm,
        prio,
    }
}

/// Builds a regex: case-insensitive, `\b` as an ASCII word boundary (so the
/// lazy DFA handles non-ASCII text), `\d` as ASCII digits, `%NAME%`
/// placeholders expanded.
fn re(p: &str) -> Regex {
    let p = p
        .replace("%MONTH%", MONTH)
        .replace("%MONTHFULL%", MONTH_FULL)
        .replace("%WEEKDAY%", WEEKDAY)
        .replace("%NUMW%", NUM_WORDS)
        .replace("%BASIC%", BASIC)
        .replace("%DIGITS%", DIGITS)
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\d", "[0-9]");
    #[allow(clippy::expect_used)]
    Regex::new(&format!("(?i){p}")).expect("values: static regex must compile")
}

const MONTH_FULL: &str =
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)";
const MONTH: &str = r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?)";
const WEEKDAY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const BASIC: &str = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-‐ ](?:one|two|three|four|five|six|seven|eight|nine)\b)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b";
const NUM_WORDS: &str = r"(?:(?:tens|hundreds|dozens)\s+of\s+(?:thousands|millions|billions)\b|half\s+an?\s+(?:dozen|million|billion)\b|(?:several|a\s+few|a\s+couple\s+of)\s+(?:hundred|thousand|million|billion|dozen)\b|an?\s+(?:hundred|thousand|million|billion|dozen)\b(?:[\s-]+(?:and\s+)?(?:%BASIC%|(?:hundred|thousand|million|billion)\b))*|%BASIC%(?:[\s-]+(?:and\s+)?(?:%BASIC%|(?:hundred|thousand|million|billion)\b))*|(?:dozens|scores|hundreds|thousands|millions|billions)\b)";
const DIGITS: &str = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)";

fn month_num(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.');
    let k = s.get(..3)?.to_ascii_lowercase();
    Some(match k.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

fn weekday_num(s: &str) -> Option<u32> {
    let k = s.get(..3)?.to_ascii_lowercase();
    Some(match k.as_str() {
        "mon" => 0,
        "tue" => 1,
        "wed" => 2,
        "thu" => 3,
        "fri" => 4,
        "sat" => 5,
        "sun" => 6,
        _ => return None,
    })
}

/// Month names must be capitalised ("may" is a verb, "march" a noun).
fn month_capitalised(s: &str) -> bool {
    s.as_bytes().first().is_some_and(|b| b.is_ascii_uppercase())
}

fn num_of(s: &str) -> Option<f64> {
    parse_digits(s).or_else(|| parse_words(s).map(|p| p.value))
}

fn small_int(v: f64) -> Option<i64> {
    (v.fract() == 0.0 && (0.0..=100_000.0).contains(&v)).then_some(v as i64)
}

const DATE_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("the end of", Qualifier::End),
    ("the beginning of", Qualifier::Start),
    ("the start of", Qualifier::Start),
    ("the middle of", Qualifier::Mid),
    ("end of", Qualifier::End),
    ("beginning of", Qualifier::Start),
    ("start of", Qualifier::Start),
    ("early", Qualifier::Early),
    ("mid", Qualifier::Mid),
    ("late", Qualifier::Late),
    ("since", Qualifier::Since),
    ("until", Qualifier::Until),
    ("till", Qualifier::Until),
    ("before", Qualifier::Before),
    ("after", Qualifier::After),
    ("by", Qualifier::By),
    ("around", Qualifier::About),
    ("circa", Qualifier::About),
];

const NUM_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("no fewer than", Qualifier::AtLeast),
    ("no less than", Qualifier::AtLeast),
    ("not less than", Qualifier::AtLeast),
    ("a minimum of", Qualifier::AtLeast),
    ("no more than", Qualifier::AtMost),
    ("not more than", Qualifier::AtMost),
    ("a maximum of", Qualifier::AtMost),
    ("in excess of", Qualifier::MoreThan),
    ("as many as", Qualifier::UpTo),
    ("as much as", Qualifier::UpTo),
    ("as few as", Qualifier::AtMost),
    ("at least", Qualifier::AtLeast),
    ("at most", Qualifier::AtMost),
    ("more than", Qualifier::MoreThan),
    ("well over", Qualifier::MoreThan),
    ("just over", Qualifier::MoreThan),
    ("upwards of", Qualifier::MoreThan),
    ("less than", Qualifier::LessThan),
    ("fewer than", Qualifier::LessThan),
    ("just under", Qualifier::LessThan),
    ("close to", Qualifier::Nearly),
    ("up to", Qualifier::UpTo),
    ("an estimated", Qualifier::Estimated),
    ("over", Qualifier::MoreThan),
    ("above", Qualifier::MoreThan),
    ("under", Qualifier::LessThan),
    ("below", Qualifier::LessThan),
    ("about", Qualifier::About),
    ("around", Qualifier::About),
    ("approximately", Qualifier::About),
    ("approx", Qualifier::About),
    ("roughly", Qualifier::About),
    ("some", Qualifier::About),
    ("circa", Qualifier::About),
    ("nearly", Qualifier::Nearly),
    ("almost", Qualifier::Nearly),
    ("exactly", Qualifier::Exactly),
    ("precisely", Qualifier::Exactly),
    ("estimated", Qualifier::Estimated),
    ("within", Qualifier::Within),
];

/// Words before a year that make a bare four-digit number a year.
const YEAR_CUES: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "from",
    "to",
    "through",
    "during",
    "before",
    "after",
    "between",
    "of",
    "circa",
    "early",
    "mid",
    "late",
    "year",
    "around",
    "throughout",
    "and",
    "or",
    "fiscal",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
];

/// Words before a bare month name that make it a date.
const MONTH_CUES: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "from",
    "to",
    "through",
    "during",
    "before",
    "after",
    "between",
    "of",
    "early",
    "mid",
    "late",
    "throughout",
    "and",
    "or",
    "around",
    "last",
    "this",
    "next",
];

/// Nouns after a four-digit number that make it a count, not a year.
const COUNT_NOUNS: &[&str] = &[
    "people",
    "police",
    "personnel",
    "staff",
    "men",
    "women",
    "children",
    "troops",
    "soldiers",
    "of",
    "more",
    "new",
    "other",
    "additional",
    "extra",
];

/// A noun phrase never starts with, and stops before, these words.
const NOUN_STOP: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "from", "with", "by", "and", "or",
    "but", "as", "than", "that", "which", "who", "whom", "whose", "were", "was", "is", "are", "be",
    "been", "being", "had", "has", "have", "will", "would", "could", "should", "may", "might",
    "can", "did", "do", "does", "said", "says", "say", "more", "less", "per", "each", "ago",
    "later", "earlier", "before", "after", "since", "until", "into", "over", "under", "about",
    "between", "during", "while", "when", "where", "if", "it", "its", "their", "his", "her",
    "they", "he", "she", "we", "you", "i", "them", "this", "these", "those", "there", "here",
    "not", "no", "so", "such", "also", "only", "just", "all", "both", "other", "others", "out",
    "up", "down", "off", "then", "against", "across", "through", "within", "without", "among",
    "along", "around", "toward", "towards", "via", "percent", "times", "got", "get", "made",
    "make", "took", "take",
];

/// Plural nouns that do not end in "s".
const IRREGULAR_PLURALS: &[&str] = &[
    "people",
    "men",
    "women",
    "children",
    "police",
    "personnel",
    "staff",
    "cattle",
    "aircraft",
    "feet",
    "teeth",
    "mice",
    "data",
    "media",
    "crew",
    "militia",
    "livestock",
    "sheep",
    "fish",
];

fn ieq_any(w: &str, list: &[&str]) -> bool {
    list.iter().any(|k| k.eq_ignore_ascii_case(w))
}

impl<'a> Ctx<'a> {
    fn slice(&self) -> &'a str {
        self.text.get(self.lo..self.hi).unwrap_or("")
    }

    /// Up to `n` words (ASCII letters, apostrophes) before `pos`, nearest
    /// first, as byte spans. Words are separated by white space or one hyphen
    /// ("mid-2022"); any other character stops the scan.
    fn words_before(&self, pos: usize, n: usize) -> Vec<(usize, usize)> {
        let b = self.text.as_bytes();
        let mut out = Vec::with_capacity(n);
        let mut p = pos.min(self.hi);
        while out.len() < n && p > self.lo {
            // separator
            let sep_end = p;
            loop {
                if p > self.lo && matches!(b[p - 1], b' ' | b'\t' | b'\n' | b'\r') {
                    p -= 1;
                } else if p >= self.lo + 2 && b[p - 2] == 0xC2 && b[p - 1] == 0xA0 {
                    p -= 2;
                } else {
                    break;
                }
            }
            if p == sep_end && !out.is_empty() {
                break;
            }
            if p == sep_end && p > self.lo && (b[p - 1] == b'-') && out.is_empty() {
                p -= 1;
            }
            let end = p;
            while p > self.lo && (b[p - 1].is_ascii_alphabetic() || b[p - 1] == b'\'') {
                p -= 1;
            }
            if p == end {
                break;
            }
            out.push((p, end));
        }
        out
    }

    /// Up to `n` words after `pos`, nearest first, separated by white space
    /// only.
    fn words_after(&self, pos: usize, n: usize) -> Vec<(usize, usize)> {
        let b = self.text.as_bytes();
        let mut out = Vec::with_capacity(n);
        let mut p = pos;
        while out.len() < n && p < self.hi {
            let sep_start = p;
            loop {
                if p < self.hi && matches!(b[p], b' ' | b'\t' | b'\n' | b'\r') {
                    p += 1;
                } else if p + 1 < self.hi && b[p] == 0xC2 && b[p + 1] == 0xA0 {
                    p += 2;
                } else {
                    break;
                }
            }
            if p == sep_start {
                break;
            }
            let start = p;
            while p < self.hi && (b[p].is_ascii_alphabetic() || b[p] == b'-' || b[p] == b'\'') {
                p += 1;
            }
            // trailing hyphens/apostrophes are punctuation
            let mut end = p;
            while end > start && matches!(b[end - 1], b'-' | b'\'') {
                end -= 1;
            }
            if end == start {
                break;
            }
            out.push((start, end));
            if end != p {
                break;
            }
        }
        out
    }

    fn word(&self, w: (usize, usize)) -> &'a str {
        self.text.get(w.0..w.1).unwrap_or("")
    }

    /// The longest phrase of `table` ending right before `pos`: its start and
    /// qualifier.
    fn qualifier_before(
        &self,
        pos: usize,
        table: &[(&str, Qualifier)],
    ) -> Option<(usize, Qualifier)> {
        let words = self.words_before(pos, 4);
        if words.is_empty() {
            return None;
        }
        let nearest = self.word(words[0]);
        let mut best: Option<(usize, usize, Qualifier)> = None;
        for &(phrase, q) in table {
            if !phrase
                .rsplit(' ')
                .next()
                .is_some_and(|l| l.eq_ignore_ascii_case(nearest))
            {
                continue;
            }
            let pw: Vec<&str> = phrase.split(' ').collect();
            if pw.len() > words.len() {
                continue;
            }
            let ok = pw
                .iter()
                .rev()
                .zip(words.iter())
                .all(|(p, &w)| p.eq_ignore_ascii_case(self.word(w)));
            let longer = match best {
                Some((n, _, _)) => pw.len() > n,
                None => true,
            };
            if ok && longer {
                best = Some((pw.len(), words[pw.len() - 1].0, q));
            }
        }
        best.map(|(_, s, q)| (s, q))
    }

    fn prev_word_is(&self, pos: usize, list: &[&str]) -> bool {
        self.words_before(pos, 1)
            .first()
            .is_some_and(|&w| ieq_any(self.word(w), list))
    }

    // ---------------- date resolution helpers ----------------

    /// The year of an underspecified month(-day), following the tense.
    fn pick_year(&self, m: u32, d: Option<u32>, tense: Tense) -> Option<i64> {
        let a = self.anchor?;
        let Some(am) = a.month else {
            return Some(a.year);
        };
        let (cand, doc) = match (d, a.day) {
            (Some(d), Some(ad)) => (m * 32 + d, am * 32 + ad),
            _ => (m * 32, am * 32),
        };
        let diff = i64::from(cand) - i64::from(doc);
        Some(match tense {
            Tense::Past if diff > 0 => a.year - 1,
            Tense::Future if diff < 0 => a.year + 1,
            Tense::Unknown if diff > 6 * 32 => a.year - 1,
            Tense::Unknown if diff < -6 * 32 => a.year + 1,
            _ => a.year,
        })
    }

    fn month_day(&self, m: u32, d: u32, year: Option<i64>) -> Normalized {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(2000, m) {
            return date(None, Precision::Unknown);
        }
        let y = year.or_else(|| self.pick_year(m, Some(d), self.tense));
        match y {
            Some(y) if valid_ymd(y, m, d) => {
                date(fmt_day(days_from_civil(y, m, d)), Precision::Day)
            }
            Some(_) => date(None, Precision::Unknown),
            None => date(Some(format!("--{m:02}-{d:02}")), Precision::Day),
        }
    }

    fn doc_days(&self) -> Option<i64> {
        self.anchor.and_then(|a| a.days())
    }

    fn day_offset(&self, delta: i64) -> Normalized {
        let v = self
            .doc_days()
            .filter(|_| delta.abs() < MAX_DAYS)
            .and_then(|d| fmt_day(d + delta));
        date(v, Precision::Day)
    }

    fn week_offset(&self, weeks: i64) -> Normalized {
        let v = self
            .doc_days()
            .filter(|_| weeks.abs() < MAX_DAYS / 7)
            .and_then(|d| fmt_week(d + 7 * weeks));
        date(v, Precision::Week)
    }

    fn month_offset(&self, delta: i64) -> Normalized {
        let v = self.anchor.and_then(|a| {
            let m = a.month?;
            let (y, m) = add_months(a.year, m, delta);
            fmt_month(y, m)
        });
        date(v, Precision::Month)
    }

    fn year_offset(&self, delta: i64) -> Normalized {
        date(
            self.anchor.and_then(|a| fmt_year(a.year + delta)),
            Precision::Year,
        )
    }

    // ---------------- dates ----------------

    fn dates(&self, out: &mut Vec<Cand>) {
        static MDY: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<wd>%WEEKDAY%),?\s+)?(?P<mon>%MONTH%)\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?",
            )
        });
        static DMY: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<wd>%WEEKDAY%),?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>%MONTH%)(?:,?\s+(?P<year>\d{4})\b)?",
            )
        });
        static MY: LazyLock<Regex> =
            LazyLock::new(|| re(r"\b(?P<mon>%MONTH%),?\s+(?:of\s+)?(?P<year>\d{4})\b"));
        static ISO: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b",
            )
        });
        static SLASH: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})[/.](?P<y>\d{4})|(?P<y2>\d{4})/(?P<m2>\d{1,2})/(?P<d2>\d{1,2}))\b",
            )
        });
        static BARE_MONTH: LazyLock<Regex> = LazyLock::new(|| {
            re(r"\b(?:(?P<rel>last|this|next|past|coming)\s+)?(?P<mon>%MONTHFULL%)\b")
        });
        static WEEKDAY_RE: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<rel>last|this|next|on|past|previous|coming)\s+)?(?P<wd>%WEEKDAY%)(?:\s+(?:morning|afternoon|evening|night))?\b",
            )
        });
        static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<simple>today|tonight|yesterday|tomorrow)|(?P<dp>this|last)\s+(?P<part>morning|afternoon|evening|night)|(?:(?P<el>earlier|later)\s+)?(?P<rel>this|last|next|previous|coming)\s+(?P<unit>week|weekend|month|year|summer|winter|spring|autumn|fall|quarter)|the\s+(?:previous|following|next)\s+(?:day|week|month|year)|the\s+day\s+(?:before|after)|recent\s+(?:days|weeks|months|years))\b",
            )
        });
        static AGO: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?P<n>%DIGITS%|%BASIC%|an?)\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+ago\b",
            )
        });
        static LASTN: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\bthe\s+(?P<dir>last|past|previous|next|coming)\s+(?:(?P<n>%DIGITS%|%BASIC%|few|several|couple\s+of)\s+)?(?P<unit>days?|weeks?|months?|years?|decades?)\b",
            )
        });
        static DECADE: LazyLock<Regex> =
            LazyLock::new(|| re(r"(?:\b(?P<c>1\d|20)(?P<d>\d)0s\b|['’](?P<d2>\d)0s\b)"));
        static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<q>Q[1-4])\s+(?P<y1>\d{4})|(?P<qo>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(?P<y2>\d{4})|(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<y3>\d{4})|(?P<half>first|second)\s+half\s+(?:of\s+)?(?P<y4>\d{4}))\b",
            )
        });
        static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
            re(r"\b(?P<a>1\d{3}|20\d{2})\s?[-–—/]\s?(?P<b>1\d{3}|20\d{2}|\d{2})\b")
        });

        let s = self.slice();
        let off = self.lo;
        fn g<'h>(c: &Captures<'h>, n: &str) -> Option<&'h str> {
            c.name(n).map(|m| m.as_str())
        }

        for c in MDY.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let (Some(mon), Some(day)) = (g(&c, "mon"), g(&c, "day")) else {
                continue;
            };
            if !month_capitalised(mon) {
                continue;
            }
            let (Some(m), Some(d)) = (month_num(mon), day.parse::<u32>().ok()) else {
                continue;
            };
            let year = g(&c, "year").and_then(|y| y.parse::<i64>().ok());
            let n = self.month_day(m, d, year);
            if matches!(&n, Normalized::Date { value: None, .. }) && year.is_some() {
                continue; // "Feb 30, 2023": not a date
            }
            if d == 0 || d > 31 {
                continue;
            }
            out.push(cand(off + all.start(), off + all.end(), n));
        }
        for c in DMY.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let (Some(mon), Some(day)) = (g(&c, "mon"), g(&c, "day")) else {
                continue;
            };
            if !month_capitalised(mon) {
                continue;
            }
            let (Some(m), Some(d)) = (month_num(mon), day.parse::<u32>().ok()) else {
                continue;
            };
            if d == 0 || d > 31 {
                continue;
            }
            let year = g(&c, "year").and_then(|y| y.parse::<i64>().ok());
            out.push(cand(
                off + all.start(),
                off + all.end(),
                self.month_day(m, d, year),
            ));
        }
        for c in MY.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let (Some(mon), Some(year)) = (g(&c, "mon"), g(&c, "year")) else {
                continue;
            };
            if !month_capitalised(mon) {
                continue;
            }
            let (Some(m), Some(y)) = (month_num(mon), year.parse::<i64>().ok()) else {
                continue;
            };
            out.push(cand(
                off + all.start(),
                off + all.end(),
                date(fmt_month(y, m), Precision::Month),
            ));
        }
        for c in ISO.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let num = |n: &str| g(&c, n).and_then(|v| v.parse::<u32>().ok());
            let (Some(y), Some(m), Some(d)) = (num("y"), num("m"), num("d")) else {
                continue;
            };
            let y = i64::from(y);
            if !valid_ymd(y, m, d) {
                continue;
            }
            let Some(day) = fmt_day(days_from_civil(y, m, d)) else {
                continue;
            };
            let norm = match (num("hh"), num("mm")) {
                (Some(hh), Some(mm)) if hh < 24 && mm < 60 => Normalized::Time {
                    value: Some(format!("{day}T{hh:02}:{mm:02}")),
                },
                _ => date(Some(day), Precision::Day),
            };
            out.push(cand(off + all.start(), off + all.end(), norm));
        }
        for c in SLASH.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let num = |n: &str| g(&c, n).and_then(|v| v.parse::<u32>().ok());
            let norm = if let (Some(y), Some(m), Some(d)) = (num("y2"), num("m2"), num("d2")) {
                let y = i64::from(y);
                if !valid_ymd(y, m, d) {
                    continue;
                }
                date(fmt_day(days_from_civil(y, m, d)), Precision::Day)
            } else if let (Some(a), Some(b), Some(y)) = (num("a"), num("b"), num("y")) {
                let y = i64::from(y);
                let dm = valid_ymd(y, b, a); // day/month
                let md = valid_ymd(y, a, b); // month/day
                match (dm, md) {
                    (true, true) if a != b => date(fmt_year(y), Precision::Year),
                    (true, _) => date(fmt_day(days_from_civil(y, b, a)), Precision::Day),
                    (false, true) => date(fmt_day(days_from_civil(y, a, b)), Precision::Day),
                    (false, false) => continue,
                }
            } else {
                continue;
            };
            out.push(cand(off + all.start(), off + all.end(), norm));
        }
        for c in BARE_MONTH.captures_iter(s) {
            let (Some(all), Some(mon)) = (c.get(0), c.name("mon")) else {
                continue;
            };
            if !month_capitalised(mon.as_str()) {
                continue;
            }
            let Some(m) = month_num(mon.as_str()) else {
                continue;
            };
            let rel = g(&c, "rel").map(|r| r.to_ascii_lowercase());
            if rel.is_none() {
                let cue = self
                    .words_before(off + mon.start(), 1)
                    .first()
                    .map(|&w| self.word(w));
                let ok = cue.is_some_and(|w| {
                    ieq_any(w, MONTH_CUES) && !(m == 5 && (ieq_any(w, &["and", "or", "to", "by"])))
                });
                // "from March to May": "May" after a list word counts only
                // when another month name comes just before.
                let ok = ok
                    || (m == 5
                        && self.prev_word_is(
                            off + mon.start(),
                            &["and", "or", "to", "through", "until"],
                        )
                        && self
                            .words_before(off + mon.start(), 3)
                            .iter()
                            .skip(1)
                            .any(|&w| {
                                let w = self.word(w);
                                w.len() >= 3
                                    && month_num(w).is_some()
                                    && MONTH_FULL.contains(&w.to_ascii_lowercase())
                            }));
                if !ok {
                    continue;
                }
            }
            let norm = match rel.as_deref() {
                None => match self.pick_year(m, None, self.tense) {
                    Some(y) => date(fmt_month(y, m), Precision::Month),
                    None if self.anchor.is_none() => {
                        date(Some(format!("--{m:02}")), Precision::Month)
                    }
                    None => date(None, Precision::Unknown),
                },
                Some(r) => {
                    let y = self.anchor.and_then(|a| match (r, a.month) {
                        ("this", _) => Some(a.year),
                        ("last" | "past", Some(am)) => {
                            Some(if m < am { a.year } else { a.year - 1 })
                        }
                        ("next" | "coming", Some(am)) => {
                            Some(if m > am { a.year } else { a.year + 1 })
                        }
                        _ => None,
                    });
                    date(y.and_then(|y| fmt_month(y, m)), Precision::Month)
                }
            };
            out.push(cand(off + all.start(), off + all.end(), norm));
        }
        for c in WEEKDAY_RE.captures_iter(s) {
            let (Some(all), Some(wd)) = (c.get(0), c.name("wd")) else {
                continue;
            };
            let Some(target) = weekday_num(wd.as_str()) else {
                continue;
            };
            let rel = g(&c, "rel").map(|r| r.to_ascii_lowercase());
            let start = if rel.as_deref() == Some("on") {
                wd.start()
            } else {
                all.start()
            };
            let v = self.doc_days().and_then(|doc| {
                let dw = weekday(doc);
                let back = i64::from((dw + 7 - target) % 7);
                let fwd = i64::from((target + 7 - dw) % 7);
                let delta = match rel.as_deref() {
                    Some("last" | "past" | "previous") => -(if back == 0 { 7 } else { back }),
                    Some("next" | "coming") => {
                        if fwd == 0 {
                            7
                        } else {
                            fwd
                        }
                    }
                    _ => match self.tense {
                        Tense::Past => -back,
                        Tense::Future => fwd,
                        Tense::Unknown => {
                            if back <= fwd {
                                -back
                            } else {
                                fwd
                            }
                        }
                    },
                };
                fmt_day(doc + delta)
            });
            out.push(cand(off + start, off + all.end(), date(v, Precision::Day)));
        }
        for c in RELATIVE.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let norm = if let Some(w) = g(&c, "simple") {
                match w.to_ascii_lowercase().as_str() {
                    "yesterday" => self.day_offset(-1),
                    "tomorrow" => self.day_offset(1),
                    _ => self.day_offset(0),
                }
            } else if let Some(dp) = g(&c, "dp") {
                let last_night = dp.eq_ignore_ascii_case("last")
                    && g(&c, "part").is_some_and(|p| p.eq_ignore_ascii_case("night"));
                if !last_night && dp.eq_ignore_ascii_case("last") {
                    date(None, Precision::Unknown)
                } else {
                    self.day_offset(if last_night { -1 } else { 0 })
                }
            } else if let (Some(rel), Some(unit)) = (g(&c, "rel"), g(&c, "unit")) {
                let delta: i64 = match rel.to_ascii_lowercase().as_str() {
                    "last" | "previous" => -1,
                    "next" | "coming" => 1,
                    _ => 0,
                };
                let unit = unit.to_ascii_lowercase();
                match unit.as_str() {
                    "week" => self.week_offset(delta),
                    "weekend" => {
                        let mut n = self.week_offset(delta);
                        if let Normalized::Date { value: Some(v), .. } = &mut n {
                            v.push_str("-WE");
                        }
                        n
                    }
                    "month" => self.month_offset(delta),
                    "year" => self.year_offset(delta),
                    "quarter" => {
                        let v = self.anchor.and_then(|a| {
                            let q = (i64::from(a.month?) - 1) / 3 + delta;
                            let (y, q) = (a.year + q.div_euclid(4), q.rem_euclid(4) + 1);
                            year_ok(y).then(|| format!("{y:04}-Q{q}"))
                        });
                        date(v, Precision::Quarter)
                    }
                    season => {
                        let (code, end_month) = match season {
                            "spring" => ("SP", 5),
                            "summer" => ("SU", 8),
                            "autumn" | "fall" => ("FA", 11),
                            _ => ("WI", 2),
                        };
                        let v = self.anchor.and_then(|a| {
                            let y = match (delta, a.month) {
                                (-1, Some(am)) if end_month < am && code != "WI" => a.year,
                                _ => a.year + delta,
                            };
                            year_ok(y).then(|| format!("{y:04}-{code}"))
                        });
                        date(v, Precision::Season)
                    }
                }
            } else {
                // "the previous day", "the day before": anaphoric, not resolved.
                date(None, Precision::Unknown)
            };
            out.push(cand(off + all.start(), off + all.end(), norm));
        }
        for c in AGO.captures_iter(s) {
            let (Some(all), Some(n), Some(unit)) = (c.get(0), g(&c, "n"), g(&c, "unit")) else {
                continue;
            };
            let n = if n.eq_ignore_ascii_case("a") || n.eq_ignore_ascii_case("an") {
                Some(1.0)
            } else {
                num_of(n)
            };
            let (Some(n), Some(unit)) = (n.and_then(small_int), TimeUnit::from_word(unit)) else {
                continue;
            };
            let norm = match unit {
                TimeUnit::Day => self.day_offset(-n),
                TimeUnit::Week => self.week_offset(-n),
                TimeUnit::Month => self.month_offset(-n),
                TimeUnit::Year => self.year_offset(-n),
                TimeUnit::Decade => self.year_offset(-10 * n),
                _ => continue,
            };
            out.push(cand(off + all.start(), off + all.end(), norm));
        }
        for c in LASTN.captures_iter(s) {
            let (Some(all), Some(dir), Some(unit)) = (c.get(0), g(&c, "dir"), g(&c, "unit")) else {
                continue;
            };
            let Some(unit) = TimeUnit::from_word(unit) else {
                continue;
            };
            let n = match g(&c, "n") {
                None => Some(1),
                Some(w) => num_of(w).and_then(small_int),
            };
            let fwd = matches!(dir.to_ascii_lowercase().as_str(), "next" | "coming");
            let v = n.zip(self.anchor).and_then(|(n, a)| {
                let n = if fwd { n } else { -n };
                let pair = |x: Option<String>, y: Option<String>| -> Option<String> {
                    let (x, y) = (x?, y?);
                    Some(if fwd {
                        format!("{y}/{x}")
                    } else {
                        format!("{x}/{y}")
                    })
                };
                match unit {
                    TimeUnit::Day | TimeUnit::Week => {
                        let k = if unit == TimeUnit::Week { 7 } else { 1 };
                        let d = a.days()?;
                        Some((pair(fmt_day(d + k * n), fmt_day(d))?, Precision::Day))
                    }
                    TimeUnit::Month => {
                        let m = a.month?;
                        let (y2, m2) = add_months(a.year, m, n);
                        Some((
                            pair(fmt_month(y2, m2), fmt_month(a.year, m))?,
                            Precision::Month,
                        ))
                    }
                    TimeUnit::Year | TimeUnit::Decade => {
                        let k = if unit == TimeUnit::Decade { 10 } else { 1 };
                        Some((
                            pair(fmt_year(a.year + k * n), fmt_year(a.year))?,
                            Precision::Year,
                        ))
                    }
                    _ => None,
                }
            });
            let norm = match v {
                Some((v, p)) => date(Some(v), p),
                None => date(None, Precision::Unknown),
            };
            out.push(cand(off + all.start(), off + all.end(), norm));
        }
        for c in DECADE.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let v = if let (Some(cc), Some(d)) = (g(&c, "c"), g(&c, "d")) {
                format!("{cc}{d}")
            } else if let Some(d) = g(&c, "d2") {
                let century = if d.parse::<u32>().is_ok_and(|d| d <= 2) {
                    "20"
                } else {
                    "19"
                };
                format!("{century}{d}")
            } else {
                continue;
            };
            out.push(cand(
                off + all.start(),
                off + all.end(),
                date(Some(v), Precision::Decade),
            ));
        }
        for c in PERIOD.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let year = ["y1", "y2", "y3", "y4"]
                .iter()
                .find_map(|n| g(&c, n))
                .and_then(|y| y.parse::<i64>().ok());
            let Some(y) = year.filter(|&y| year_ok(y)) else {
                continue;
            };
            let (code, p) = if let Some(q) = g(&c, "q") {
                (q.to_ascii_uppercase(), Precision::Quarter)
            } else if let Some(q) = g(&c, "qo") {
                let n = match q.get(..1).unwrap_or("").to_ascii_lowercase().as_str() {
                    "f" if q.len() > 3 && q.to_ascii_lowercase().starts_with("fo") => 4,
                    "f" | "1" => 1,
                    "s" | "2" => 2,
                    "t" | "3" => 3,
                    _ => 4,
                };
                (format!("Q{n}"), Precision::Quarter)
            } else if let Some(sn) = g(&c, "season") {
                let code = match sn.to_ascii_lowercase().as_str() {
                    "spring" => "SP",
                    "summer" => "SU",
                    "autumn" | "fall" => "FA",
                    _ => "WI",
                };
                (code.to_string(), Precision::Season)
            } else if let Some(h) = g(&c, "half") {
                (
                    if h.eq_ignore_ascii_case("first") {
                        "H1"
                    } else {
                        "H2"
                    }
                    .to_string(),
                    Precision::Half,
                )
            } else {
                continue;
            };
            out.push(cand(
                off + all.start(),
                off + all.end(),
                date(Some(format!("{y:04}-{code}")), p),
            ));
        }
        for c in YEAR_RANGE.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let (Some(a), Some(b)) = (g(&c, "a"), g(&c, "b")) else {
                continue;
            };
            let (Ok(ya), Ok(yb)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                continue;
            };
            let yb = if b.len() == 2 { ya - ya % 100 + yb } else { yb };
            if yb <= ya || yb - ya > 200 {
                continue;
            }
            out.push(cand(
                off + all.start(),
                off + all.end(),
                date(Some(format!("{ya:04}/{yb:04}")), Precision::Year),
            ));
        }
    }

    // ---------------- times ----------------

    fn times(&self, out: &mut Vec<Cand>) {
        static TIME: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s?(?P<ap>[ap]\.m\.|[ap]m\b|[ap]\.m\b)|(?P<h2>\d{1,2}):(?P<m2>\d{2})\b(?:\s+(?:GMT|UTC)\b)?|(?P<w>noon|midnight)\b)",
            )
        });
        let s = self.slice();
        for c in TIME.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let num = |n: &str| c.name(n).and_then(|v| v.as_str().parse::<u32>().ok());
            let (h, m) = if let Some(w) = c.name("w") {
                (
                    if w.as_str().eq_ignore_ascii_case("noon") {
                        12
                    } else {
                        0
                    },
                    0,
                )
            } else if let Some(h) = num("h") {
                let pm = c
                    .name("ap")
                    .is_some_and(|a| a.as_str().starts_with(['p', 'P']));
                if !(1..=12).contains(&h) {
                    continue;
                }
                let h = match (pm, h) {
                    (true, 12) => 12,
                    (true, h) => h + 12,
                    (false, 12) => 0,
                    (false, h) => h,
                };
                (h, num("m").unwrap_or(0))
            } else if let (Some(h), Some(m)) = (num("h2"), num("m2")) {
                (h, m)
            } else {
                continue;
            };
            if h > 23 || m > 59 {
                continue;
            }
            out.push(cand(
                self.lo + all.start(),
                self.lo + all.end(),
                Normalized::Time {
                    value: Some(format!("T{h:02}:{m:02}")),
                },
            ));
        }
    }

    // ---------------- numbers ----------------

    fn numbers(&self, out: &mut Vec<Cand>) {
        static NUMBER: LazyLock<Regex> =
            LazyLock::new(|| re(r"\b(?:(?P<d>%DIGITS%)|(?P<w>%NUMW%))"));
        static SCALE: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"^(?:\s?(?P<w>hundred|thousand|million|billion|trillion|bn|mn|mln|bln|tn|trn)\b|(?P<s>m|k|b)\b)",
            )
        });
        static PERCENT: LazyLock<Regex> =
            LazyLock::new(|| re(r"^(?:\s?%|\s?(?:percent|per\s+cent|pct)\b|-percent\b)"));
        static PERCENT_POINTS: LazyLock<Regex> =
            LazyLock::new(|| re(r"^\s?(?:percentage|%)\s+points?\b"));
        static CURRENCY: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"^\s+(?:(?P<adj>US|U\.S\.|American|Canadian|Australian|Hong\s+Kong|New\s+Zealand|Singapore|Taiwan(?:ese)?|Zimbabwean?|Russian|Ukrainian|Turkish|Indian|Chinese|Japanese|Swiss|Swedish|Norwegian|Danish|Egyptian|Syrian|Lebanese|Iranian|Saudi|Mexican|Brazilian|South\s+Korean|North\s+Korean|Korean)\s+)?(?P<c>dollars?|euros?|pounds?\s+sterling|sterling|pounds?|rubles?|roubles?|yuan|renminbi|yen|rupees?|hryvnias?|lira|liras|lire|francs?|won|pesos?|riyals?|rials?|dirhams?|shekels?|zlotys?|kronor|kronas?|kroner|krone|naira|reais|usd|eur|gbp|rub|cny|rmb|jpy|inr|uah|chf|bitcoins?|btc)\b",
            )
        });
        static TIME_UNIT: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"^(?:\s+|-)(?P<u>seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?|centuries|century)\b(?P<old>-old\b|\s+old\b)?(?P<ago>\s+ago\b)?",
            )
        });
        static UNIT: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"^(?:\s?|-)(?P<u>square\s+kilomet(?:er|re)s?|square\s+miles?|sq\.?\s*km|sq\.?\s*mi(?:les?)?|km2|km²|kilomet(?:er|re)s?\s+per\s+hour|km/h|kph|mph|miles?\s+per\s+hour|kilomet(?:er|re)s?|km|nautical\s+miles?|miles?|metres?|meters?|centimet(?:er|re)s?|cm|millimet(?:er|re)s?|mm|feet|foot|ft|inches|inch|yards?|knots?|kilograms?|kgs?|grams?|tonnes?|tons?|pounds|lbs?|ounces?|oz|litres?|liters?|gallons?|barrels?\s+(?:a|per)\s+day|barrels?|bpd|cubic\s+met(?:er|re)s?|bcm|hectares?|acres?|megawatts?|gigawatts?|kilowatts?|kwh|mwh|gwh|twh|mw|gw|kw|degrees?\s+(?:celsius|fahrenheit)|degrees?)\b",
            )
        });
        let s = self.slice();
        let text = self.text;
        let b = text.as_bytes();
        for c in NUMBER.captures_iter(s) {
            let Some(all) = c.get(0) else { continue };
            let (mut start, num_end) = (self.lo + all.start(), self.lo + all.end());
            let is_digits = c.name("d").is_some();
            // Numbers glued to words ("F-16", "COVID-19", "Su-25", "MH17") are names.
            if is_digits
                && start >= self.lo + 2
                && b[start - 1] == b'-'
                && b[start - 2].is_ascii_alphanumeric()
            {
                let mut p = start - 1;
                while p > self.lo && b[p - 1].is_ascii_alphabetic() {
                    p -= 1;
                }
                let prefix = text.get(p..start - 1).unwrap_or("");
                if !ieq_any(prefix, &["mid", "early", "late", "pre", "post"]) {
                    continue;
                }
            }
            if is_digits
                && start > self.lo
                && matches!(b[start - 1], b'.' | b',' | b':' | b'/' | b'#')
            {
                continue;
            }
            let parsed = if is_digits {
                match parse_digits(all.as_str()) {
                    Some(v) => Parsed {
                        value: v,
                        approximate: false,
                        at_least: false,
                    },
                    None => continue,
                }
            } else {
                match parse_words(all.as_str()) {
                    Some(p) => p,
                    None => continue,
                }
            };
            let mut value = parsed.value;
            let mut end = num_end;
            let rest = |from: usize| -> &str {
                let mut e = (from + 48).min(self.hi);
                while e > from && !text.is_char_boundary(e) {
                    e -= 1;
                }
                text.get(from..e).unwrap_or("")
            };

            // currency symbol or code right before
            let mut currency: Option<&'static str> = None;
            if is_digits {
                if let Some((cs, code)) = self.currency_before(start) {
                    currency = Some(code);
                    start = cs;
                }
            }
            // scale
            let mut scaled = false;
            if is_digits {
                if let Some(m) = SCALE.captures(rest(end)) {
                    let word = m.name("w").or_else(|| m.name("s"));
                    let glued_short = m.name("s").is_some();
                    if let (Some(w), Some(all_m)) = (word, m.get(0)) {
                        if !glued_short
                            || currency.is_some()
                            || !w.as_str().eq_ignore_ascii_case("b")
                        {
                            if let Some(k) = scale_suffix(w.as_str()) {
                                value *= k;
                                end += all_m.end();
                                scaled = true;
                            }
                        }
                    }
                }
            }
            if !value.is_finite() {
                continue;
            }
            let after = rest(end);
            // A number glued to letters we do not know ("3rd", "1990s", "5G") is not ours.
            if is_digits
                && !scaled
                && after
                    .as_bytes()
                    .first()
                    .is_some_and(|c| c.is_ascii_alphabetic())
            {
                let unit_glued = UNIT.find(after).is_some() || PERCENT.find(after).is_some();
                if !unit_glued {
                    continue;
                }
            }

            let with_q = |start: usize| -> (usize, Option<Qualifier>) {
                match self.qualifier_before(start, NUM_QUALIFIERS) {
                    Some((qs, q)) => (qs, Some(q)),
                    None => (start, None),
                }
            };

            // percentages
            if let Some(m) = PERCENT_POINTS.find(after) {
                let (qs, q) = with_q(start);
                out.push(cand(
                    qs,
                    end + m.end(),
                    Normalized::Quantity {
                        value,
                        unit: "pp",
                        qualifier: q,
                    },
                ));
                continue;
            }
            if let Some(m) = PERCENT.find(after) {
                let (qs, q) = with_q(start);
                out.push(cand(
                    qs,
                    end + m.end(),
                    Normalized::Percent {
                        value,
                        qualifier: q,
                    },
                ));
                continue;
            }
            // currency words after
            if let Some(m) = CURRENCY.captures(after) {
                if let (Some(cw), Some(all_m)) = (m.name("c"), m.get(0)) {
                    let adj = m.name("adj").map(|a| a.as_str());
                    let code = currency_code(cw.as_str(), adj, scaled || currency.is_some());
                    if let Some(code) = code {
                        let (qs, q) = with_q(start);
                        let code = currency.filter(|_| code == "USD").unwrap_or(code);
                        out.push(cand(
                            qs,
                            end + all_m.end(),
                            Normalized::Money {
                                amount: value,
                                currency: code,
                                qualifier: q,
                            },
                        ));
                        continue;
                    }
                }
            }
            if let Some(code) = currency {
                let (qs, q) = with_q(start);
                out.push(cand(
                    qs,
                    end,
                    Normalized::Money {
                        amount: value,
                        currency: code,
                        qualifier: q,
                    },
                ));
                continue;
            }
            // time units: durations, ages, "ago" (handled by the date pass)
            if let Some(m) = TIME_UNIT.captures(after) {
                if let (Some(u), Some(all_m)) = (m.name("u"), m.get(0)) {
                    if m.name("ago").is_some() {
                        continue;
                    }
                    if let Some(unit) = TimeUnit::from_word(u.as_str()) {
                        if m.name("old").is_some() {
                            out.push(cand(
                                start,
                                end + all_m.end(),
                                Normalized::Quantity {
                                    value,
                                    unit: "years of age",
                                    qualifier: None,
                                },
                            ));
                            continue;
                        }
                        let (qs, q) = with_q(start);
                        out.push(cand(
                            qs,
                            end + all_m.end(),
                            Normalized::Duration {
                                value,
                                unit,
                                iso: unit.iso(value),
                                qualifier: q,
                            },
                        ));
                        continue;
                    }
                }
            }
            // measured quantities
            if let Some(m) = UNIT.captures(after) {
                if let (Some(u), Some(all_m)) = (m.name("u"), m.get(0)) {
                    let unit = canonical_unit(u.as_str(), scaled);
                    if let Some(unit) = unit {
                        let (qs, q) = with_q(start);
                        out.push(cand(
                            qs,
                            end + all_m.end(),
                            Normalized::Quantity {
                                value,
                                unit,
                                qualifier: q,
                            },
                        ));
                        continue;
                    }
                }
            }
            // years
            if is_digits && !scaled && all.as_str().len() == 4 && value.fract() == 0.0 {
                let y = value as i64;
                let cue = self.prev_word_is(start, YEAR_CUES);
                let next = self.words_after(end, 1).first().map(|&w| self.word(w));
                let counted = next.is_some_and(|w| {
                    ieq_any(w, COUNT_NOUNS)
                        || (w.len() > 3
                            && w.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase())
                            && w.ends_with('s')
                            && !w.ends_with("ss")
                            && !ieq_any(
                                w,
                                &["elections", "olympics", "games", "polls", "midterms"],
                            ))
                });
                let is_year = if cue {
                    (1000..=2100).contains(&y)
                } else {
                    (1800..=2100).contains(&y) && !counted
                };
                if is_year && !(start > self.lo && b[start - 1] == b'$') {
                    out.push(cand(start, end, date(fmt_year(y), Precision::Year)));
                    continue;
                }
            }
            // plain counts
            let word = all.as_str();
            if !is_digits && word.eq_ignore_ascii_case("one") && self.pronoun_one(start, end) {
                continue;
            }
            let (qs, mut q) = with_q(start);
            if parsed.at_least && q.is_none() {
                q = Some(Qualifier::AtLeast);
            }
            let approximate = parsed.approximate;
            out.push(cand(
                qs,
                end,
                Normalized::Cardinal {
                    value,
                    qualifier: q,
                    approximate,
                    noun: None,
                },
            ));
        }
    }

    /// "one of", "no one", "the one who": a pronoun, not a count.
    fn pronoun_one(&self, start: usize, end: usize) -> bool {
        let before = self.words_before(start, 1);
        if before.first().is_some_and(|&w| {
            ieq_any(
                self.word(w),
                &[
                    "no", "any", "every", "each", "the", "this", "that", "which", "someone",
                    "anyone", "everyone", "no-one",
                ],
            )
        }) {
            return true;
        }
        let after = self.words_after(end, 1);
        let rest = self.text.get(end..self.hi).unwrap_or("");
        rest.starts_with(['\'', '’'])
            || after.first().is_some_and(|&w| {
                ieq_any(
                    self.word(w),
                    &["another", "who", "that", "which", "day", "of"],
                )
            })
    }

    /// A currency symbol or code right before `pos` (at most one space between).
    fn currency_before(&self, pos: usize) -> Option<(usize, &'static str)> {
        const SYMBOLS: &[(&str, &str)] = &[
            ("U.S.$", "USD"),
            ("US$", "USD"),
            ("AU$", "AUD"),
            ("A$", "AUD"),
            ("CA$", "CAD"),
            ("C$", "CAD"),
            ("HK$", "HKD"),
            ("NZ$", "NZD"),
            ("S$", "SGD"),
            ("R$", "BRL"),
            ("$", "USD"),
            ("€", "EUR"),
            ("£", "GBP"),
            ("¥", "JPY"),
            ("₹", "INR"),
            ("₽", "RUB"),
            ("₴", "UAH"),
            ("₺", "TRY"),
            ("₩", "KRW"),
            ("Rs.", "INR"),
            ("Rs", "INR"),
            ("USD", "USD"),
            ("EUR", "EUR"),
            ("GBP", "GBP"),
            ("RUB", "RUB"),
            ("CNY", "CNY"),
            ("RMB", "CNY"),
            ("JPY", "JPY"),
            ("INR", "INR"),
            ("UAH", "UAH"),
            ("CHF", "CHF"),
        ];
        let before = self.text.get(self.lo..pos)?;
        let trimmed = before
            .strip_suffix(' ')
            .or_else(|| before.strip_suffix('\u{a0}'))
            .unwrap_or(before);
        for &(sym, code) in SYMBOLS {
            if let Some(rest) = trimmed.strip_suffix(sym) {
                let alpha = sym
                    .as_bytes()
                    .first()
                    .is_some_and(|c| c.is_ascii_alphabetic());
                if alpha
                    && rest
                        .as_bytes()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    continue;
                }
                if sym == "$"
                    && rest
                        .as_bytes()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphabetic())
                {
                    continue; // "XY$": an unknown dollar; keep USD only for a bare "$"
                }
                return Some((self.lo + rest.len(), code));
            }
        }
        None
    }

    // ---------------- ordinals ----------------

    fn ordinals(&self, out: &mut Vec<Cand>) {
        static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\b(?:(?P<d>\d+)(?:st|nd|rd|th)|(?P<w>(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-‐ ]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth|thousandth|millionth))\b",
            )
        });
        for c in ORDINAL.captures_iter(self.slice()) {
            let Some(all) = c.get(0) else { continue };
            let (start, end) = (self.lo + all.start(), self.lo + all.end());
            let n = if let Some(d) = c.name("d") {
                d.as_str().parse::<u32>().ok()
            } else {
                let w = all.as_str();
                if w.eq_ignore_ascii_case("second") {
                    // "a second", "per second", "split second": the time unit
                    let prev = self.words_before(start, 1).first().map(|&x| self.word(x));
                    let next = self.words_after(end, 1);
                    if prev.is_some_and(|p| ieq_any(p, &["per", "split", "one", "a"]))
                        && next.is_empty()
                    {
                        continue;
                    }
                }
                ordinal_word(w)
            };
            let Some(n) = n else { continue };
            out.push(cand(start, end, Normalized::Ordinal(n)));
        }
    }

    // ---------------- post passes ----------------

    /// "between 2013 and 2014", "from May 1 to May 5", "2013 to 2014" after "from".
    fn join_intervals(&self, vals: &mut Vec<Cand>) {
        let mut out: Vec<Cand> = Vec::with_capacity(vals.len());
        let mut it = std::mem::take(vals).into_iter().peekable();
        while let Some(a) = it.next() {
            let joined = it.peek().and_then(|b| self.join_pair(&a, b));
            match joined {
                Some(c) => {
                    it.next();
                    out.push(c);
                }
                None => out.push(a),
            }
        }
        *vals = out;
    }

    fn join_pair(&self, a: &Cand, b: &Cand) -> Option<Cand> {
        let (va, vb, p) = match (&a.norm, &b.norm) {
            (
                Normalized::Date {
                    value: Some(va),
                    precision: pa,
                    qualifier: None,
                },
                Normalized::Date {
                    value: Some(vb),
                    precision: pb,
                    qualifier: None,
                },
            ) if !va.contains('/')
                && !vb.contains('/')
                && !va.starts_with("--")
                && !vb.starts_with("--") =>
            {
                (va, vb, (*pa).min(*pb))
            }
            _ => return None,
        };
        let gap = self.text.get(a.end..b.start)?.trim();
        if gap.len() > 8 {
            return None;
        }
        let gap = gap.to_ascii_lowercase();
        let intro = self
            .words_before(a.start, 1)
            .first()
            .map(|&w| (w.0, self.word(w).to_ascii_lowercase()))?;
        let ok = matches!(
            (intro.1.as_str(), gap.as_str()),
            ("between", "and")
                | (
                    "from",
                    "to" | "until" | "till" | "through" | "-" | "–" | "—"
                )
        );
        (ok && va < vb).then(|| cand(intro.0, b.end, date(Some(format!("{va}/{vb}")), p)))
    }

    /// "early February", "mid-2022", "since 2009", "until March".
    fn date_qualifiers(&self, vals: &mut [Cand]) {
        let mut prev_end = self.lo;
        for c in vals.iter_mut() {
            if let Normalized::Date {
                value,
                qualifier: q @ None,
                ..
            } = &mut c.norm
            {
                if let Some((qs, qual)) = self.qualifier_before(c.start, DATE_QUALIFIERS) {
                    if qs >= prev_end {
                        c.start = qs;
                        *q = Some(qual);
                        if let Some(v) = value.as_mut() {
                            if !v.contains('/') {
                                match qual {
                                    Qualifier::Since => v.push_str("/.."),
                                    Qualifier::Until => *v = format!("../{v}"),
                                    _ => {}
                                }
                            }
                        }
                    }
                }
            }
            prev_end = c.end;
        }
    }

    /// The counted noun after each cardinal ("99 phone calls").
    fn attach_nouns(&self, vals: &mut [Cand]) {
        for i in 0..vals.len() {
            let next_start = vals.get(i + 1).map_or(self.hi, |n| n.start);
            let end = vals[i].end;
            let Normalized::Cardinal {
                noun, approximate, ..
            } = &mut vals[i].norm
            else {
                continue;
            };
            let words = self.words_after(end, 4);
            let mut it = words.iter().copied().peekable();
            if *approximate {
                if let Some(&w) = it.peek() {
                    if self.word(w).eq_ignore_ascii_case("of") {
                        it.next();
                    }
                }
            }
            let mut span: Option<(usize, usize)> = None;
            for (k, w) in it.enumerate() {
                if k >= 3 || w.1 > next_start {
                    break;
                }
                let word = self.word(w);
                if ieq_any(word, NOUN_STOP) && !(k == 0 && word.eq_ignore_ascii_case("times")) {
                    break;
                }
                if word.len() > 2 && word.to_ascii_lowercase().ends_with("ly") && span.is_none() {
                    break;
                }
                span = Some((span.map_or(w.0, |s| s.0), w.1));
                let lw = word.to_ascii_lowercase();
                let plural = (lw.len() > 3
                    && lw.ends_with('s')
                    && !lw.ends_with("ss")
                    && !lw.ends_with("us")
                    && !lw.ends_with("is"))
                    || ieq_any(&lw, IRREGULAR_PLURALS);
                if plural {
                    break;
                }
            }
            *noun = span.map(|(s, e)| s..e);
        }
    }
}

/// ISO 4217 code of a currency word. "pounds" alone is a weight unless scaled
/// ("3 million pounds") or qualified ("pounds sterling").
fn currency_code(word: &str, adj: Option<&str>, scaled: bool) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    let adj = adj.map(|a| a.to_ascii_lowercase());
    let adj = adj.as_deref();
    Some(match w.as_str() {
        "dollar" | "dollars" => match adj {
            Some("canadian") => "CAD",
            Some("australian") => "AUD",
            Some(a) if a.starts_with("hong") => "HKD",
            Some(a) if a.starts_with("new") => "NZD",
            Some("singapore") => "SGD",
            Some(a) if a.starts_with("taiwan") => "TWD",
            Some(a) if a.starts_with("zimbabwe") => "ZWL",
            _ => "USD",
        },
        "euro" | "euros" | "eur" => "EUR",
        "sterling" => "GBP",
        w if w.starts_with("pound")
            && (w.contains("sterling")
                || scaled
                || adj.is_some_and(|a| {
                    a.contains("egypt") || a.contains("syria") || a.contains("leban")
                })) =>
        {
            match adj {
                Some(a) if a.contains("egypt") => "EGP",
                Some(a) if a.contains("syria") => "SYP",
                Some(a) if a.contains("leban") => "LBP",
                _ => "GBP",
            }
        }
        "ruble" | "rubles" | "rouble" | "roubles" | "rub" => "RUB",
        "yuan" | "renminbi" | "cny" | "rmb" => "CNY",
        "yen" | "jpy" => "JPY",
        "rupee" | "rupees" | "inr" => "INR",
        "hryvnia" | "hryvnias" | "uah" => "UAH",
        "lira" | "liras" | "lire" | "try" => "TRY",
        "franc" | "francs" | "chf" => "CHF",
        "won" => match adj {
            Some(a) if a.contains("north") => "KPW",
            Some(a) if a.contains("korean") => "KRW",
            _ => return None,
        },
        "peso" | "pesos" => "MXN",
        "riyal" | "riyals" => "SAR",
        "rial" | "rials" => "IRR",
        "dirham" | "dirhams" => "AED",
        "shekel" | "shekels" => "ILS",
        "zloty" | "zlotys" => "PLN",
        "kronor" | "krona" | "kronas" => "SEK",
        "kroner" | "krone" => match adj {
            Some("danish") => "DKK",
            _ => "NOK",
        },
        "rand" => "ZAR",
        "naira" => "NGN",
        "reais" | "real" | "reals" => "BRL",
        "usd" => "USD",
        "gbp" => "GBP",
        "bitcoin" | "bitcoins" | "btc" => "XBT",
        _ => return None,
    })
}

/// Canonical symbol of a unit word.
fn canonical_unit(u: &str, _scaled: bool) -> Option<&'static str> {
    let l = u.to_ascii_lowercase();
    let l: String = l.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match l.as_str() {
        s if s.starts_with("square kilomet")
            || s.starts_with("sq km")
            || s.starts_with("sq. km")
            || s == "sq.km"
            || s == "sqkm"
            || s == "km2"
            || s == "km²" =>
        {
            "km2"
        }
        s if s.starts_with("square mile")
            || s.starts_with("sq mi")
            || s.starts_with("sq. mi")
            || s.starts_with("sqmi")
            || s.starts_with("sq.mi") =>
        {
            "mi2"
        }
        s if s.contains("per hour") && s.starts_with("kilomet") => "km/h",
        "km/h" | "kph" => "km/h",
        s if s.contains("per hour") || s == "mph" => "mph",
        s if s.starts_with("kilomet") || s == "km" => "km",
        s if s.starts_with("nautical") => "nmi",
        "mile" | "miles" => "mi",
        s if s.starts_with("metre") || s.starts_with("meter") => "m",
        s if s.starts_with("centimet") || s == "cm" => "cm",
        s if s.starts_with("millimet") || s == "mm" => "mm",
        "feet" | "foot" | "ft" => "ft",
        "inches" | "inch" => "in",
        "yard" | "yards" => "yd",
        "knot" | "knots" => "kn",
        s if s.starts_with("kilogram") || s == "kg" || s == "kgs" => "kg",
        "gram" | "grams" => "g",
        "tonne" | "tonnes" | "ton" | "tons" => "t",
        "pounds" | "lb" | "lbs" => "lb",
        "ounce" | "ounces" | "oz" => "oz",
        s if s.starts_with("litre") || s.starts_with("liter") => "l",
        "gallon" | "gallons" => "gal",
        s if s.starts_with("barrel") && s.ends_with("day") => "bbl/d",
        "bpd" => "bbl/d",
        "barrel" | "barrels" => "bbl",
        s if s.starts_with("cubic") => "m3",
        "bcm" => "bcm",
        "hectare" | "hectares" => "ha",
        "acre" | "acres" => "acre",
        s if s.starts_with("megawatt") || s == "mw" => "MW",
        s if s.starts_with("gigawatt") || s == "gw" => "GW",
        s if s.starts_with("kilowatt") || s == "kw" => "kW",
        "kwh" => "kWh",
        "mwh" => "MWh",
        "gwh" => "GWh",
        "twh" => "TWh",
        s if s.starts_with("degree") && s.ends_with("celsius") => "degC",
        s if s.starts_with("degree") && s.ends_with("fahrenheit") => "degF",
        s if s.starts_with("degree") => "deg",
        _ => return None,
    })
}
