//! Metadata read from a document's own text: title, dateline, copyright line,
//! "Published ..." line.

use crate::date::{month_from_name, PartialDate};
use crate::{Meta, Span};
use regex::Regex;
use std::sync::LazyLock;

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

/// "Moscow, July 15 (EFE).-", "KYIV, Ukraine, March 3, 2022 (Reuters) -", "WASHINGTON (AP) —",
/// "Moscow, July 15 -".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<place>[\p{{Lu}}][\p{{L}}.'’ -]{{1,40}}?)(?:,\s+[\p{{Lu}}][\p{{L}}.'’ -]{{1,30}}?)?(?:,\s+(?P<mon>{MONTH})\.?\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?)?\s*(?:\((?P<outlet>[\p{{L}}][\p{{L}}\d .&/-]{{0,40}})\))?\s*[.:,]?\s*[-–—]+\s*"
    ))
    .expect("dateline regex")
});

/// "© 2023 Washington Examiner", "(c) 2021, The Daily Planet. All rights reserved.", "Copyright 2020 Example Media Ltd".
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)))?\s*(?P<year>\d{4})?(?:\s*[-–]\s*\d{4})?[,\s]*(?P<outlet>[\p{L}\d][\p{L}\d &.'’-]{1,60}?)?[\s.,]*(?:all\s+rights\s+reserved\.?)?\s*$",
    )
    .expect("copyright regex")
});

/// "Published: July 15, 2023", "Updated 15 July 2023", "Posted on 2023-07-15".
static PUBLISHED_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:published|posted|first\s+published|date)\s*(?:on|:)?\s*(?:\p{L}+day,?\s+)?(?P<date>.{6,40})$")
        .expect("published regex")
});

/// Parses a written date, as [`crate::date::parse_written`] does (one parser serves
/// text lines, JSONL fields and HTML meta tags).
pub fn parse_date(s: &str) -> Option<PartialDate> {
    crate::date::parse_written(s)
}

/// What a dateline says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The agency or outlet in brackets, if any.
    pub outlet: Option<String>,
    /// The date, if any (no year unless written).
    pub date: Option<PartialDate>,
}

/// Reads a dateline at the start of `line`. A dateline needs a date or an outlet.
pub fn dateline(line: &str) -> Option<Dateline> {
    let c = DATELINE.captures(line)?;
    let outlet = c.name("outlet").map(|m| m.as_str().trim().to_string()).filter(|s| !s.is_empty());
    let date = match (c.name("mon"), c.name("day")) {
        (Some(m), Some(d)) => PartialDate::new(
            c.name("year").and_then(|y| y.as_str().parse().ok()),
            month_from_name(m.as_str()),
            d.as_str().parse().ok(),
        ),
        _ => None,
    };
    if outlet.is_none() && date.is_none() {
        return None;
    }
    // "WASHINGTON (AP) —" style needs the place in capitals or a date: a sentence
    // like "Russia (and its allies) -" is not a dateline.
    if date.is_none() {
        let place = &c["place"];
        if place.chars().any(|ch| ch.is_lowercase()) {
            return None;
        }
    }
    Some(Dateline { outlet, date })
}

/// Reads a copyright line: (outlet, year).
pub fn copyright(line: &str) -> Option<(Option<String>, Option<PartialDate>)> {
    if line.len() > 200 {
        return None;
    }
    let c = COPYRIGHT.captures(line.trim())?;
    let year = c.name("year").and_then(|y| y.as_str().parse().ok()).and_then(|y| PartialDate::new(Some(y), None, None));
    let outlet = c
        .name("outlet")
        .map(|m| m.as_str().trim().trim_end_matches(['.', ',']).to_string())
        .filter(|s| s.chars().any(char::is_alphabetic) && !s.eq_ignore_ascii_case("all rights reserved"));
    if year.is_none() && outlet.is_none() {
        return None;
    }
    Some((outlet, year))
}

/// Metadata from plain text: the first non-furniture line as title, a dateline in the
/// first lines, a "Published ..." line, a copyright line anywhere.
pub fn from_text(text: &str, furniture: &[Span]) -> Meta {
    let mut meta = Meta::default();
    let mut pos = 0;
    let mut content_lines = 0;
    let mut copyright_meta: Option<(Option<String>, Option<PartialDate>)> = None;
    for raw in text.split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        let span = Span::new(start + lead, start + lead + line.len());
        let in_furniture = furniture.iter().any(|f| f.contains(span));
        if copyright_meta.is_none() {
            copyright_meta = copyright(line);
        }
        if in_furniture {
            continue;
        }
        content_lines += 1;
        if meta.title.is_none() {
            // A Markdown heading's "#"s are markup, not title.
            let title = line.trim_start_matches('#').trim_start();
            let title = if title.len() < line.len() && line.starts_with('#') && !title.is_empty() { title } else { line };
            meta.title = Some(clip(title, 300).to_string());
        }
        if content_lines <= 12 {
            if meta.outlet.is_none() && meta.published.is_none() {
                if let Some(d) = dateline(line) {
                    meta.outlet = d.outlet;
                    meta.published = d.date;
                }
            }
            if meta.published.is_none() {
                if let Some(c) = PUBLISHED_LINE.captures(line) {
                    meta.published = parse_date(&c["date"]);
                }
            }
        }
    }
    if let Some((outlet, year)) = copyright_meta {
        meta.outlet = meta.outlet.or(outlet);
        meta.published = meta.published.or(year);
    }
    meta
}

/// At most `max` bytes of `s`, cut on a char boundary (and a word boundary if one is near).
pub fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s[..end].rfind(' ') {
        Some(sp) if sp > max / 2 => &s[..sp],
        _ => &s[..end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let d = dateline("Moscow, July 15 (EFE).- Belarus’ defense ministry has unveiled a plan").unwrap();
        assert_eq!(d.outlet.as_deref(), Some("EFE"));
        assert_eq!(d.date.unwrap().to_string(), "--07-15");
        let d = dateline("KYIV, Ukraine, March 3, 2022 (Reuters) - Forces advanced").unwrap();
        assert_eq!((d.outlet.as_deref(), d.date.unwrap().to_string().as_str()), (Some("Reuters"), "2022-03-03"));
        let d = dateline("WASHINGTON (AP) — The Senate voted").unwrap();
        assert_eq!((d.outlet.as_deref(), d.date), (Some("AP"), None));
        assert_eq!(dateline("Russia (and its allies) - deny it"), None);
        assert_eq!(dateline("The convoy, consisting of approximately 60 vehicles, was heading"), None);
    }

    #[test]
    fn copyright_lines() {
        let (o, y) = copyright("© 2023 Washington Examiner").unwrap();
        assert_eq!((o.as_deref(), y.unwrap().to_string().as_str()), (Some("Washington Examiner"), "2023"));
        let (o, y) = copyright("(c) 2021, The Daily Planet. All rights reserved.").unwrap();
        assert_eq!((o.as_deref(), y.unwrap().to_string().as_str()), (Some("The Daily Planet"), "2021"));
        assert_eq!(copyright("Copyright holders met on Friday to discuss a long list of things that go on and on"), None);
    }

    #[test]
    fn text_meta() {
        let text = "Wagner joins forces\n\nMoscow, July 15 (EFE).- The ministry said so.\n\nRelated Articles\n";
        let m = from_text(text, &[]);
        assert_eq!(m.title.as_deref(), Some("Wagner joins forces"));
        assert_eq!(m.outlet.as_deref(), Some("EFE"));
        assert_eq!(m.published.unwrap().to_string(), "--07-15");
        let text = "Headline here\n\nBody text.\n\n© 2023 Washington Examiner\n";
        let m = from_text(text, &[]);
        assert_eq!((m.outlet.as_deref(), m.published.unwrap().to_string().as_str()), (Some("Washington Examiner"), "2023"));
        assert_eq!(from_text("## Second story\n\nText.", &[]).title.as_deref(), Some("Second story"));
        let m = from_text("Headline\nPublished: July 15, 2023\nText.", &[]);
        assert_eq!(m.published.unwrap().to_string(), "2023-07-15");
    }

    #[test]
    fn written_dates() {
        assert_eq!(parse_date("July 15, 2023").unwrap().to_string(), "2023-07-15");
        assert_eq!(parse_date("15 Sept. 2018").unwrap().to_string(), "2018-09-15");
        assert_eq!(parse_date("2023-07-15T08:00:00Z").unwrap().to_string(), "2023-07-15");
        assert_eq!(parse_date("yesterday"), None);
    }
}
