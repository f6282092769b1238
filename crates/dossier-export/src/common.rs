//! What the formats share: streaming over the store with our own error type, the
//! entity index facts are written against, dates as intervals, XML escaping.

use std::collections::HashMap;

use dossier_store::{EntityRow, Fact, Store};

use crate::ExportError;

/// Calls `f` on every entity (ordered by type, name, id); the first error `f` returns
/// stops the work and is returned.
pub(crate) fn each_entity(store: &Store, mut f: impl FnMut(EntityRow) -> Result<(), ExportError>) -> Result<(), ExportError> {
    let mut err = None;
    store.for_each_entity(|e| {
        if err.is_none() {
            if let Err(e) = f(e) {
                err = Some(e);
            }
        }
        Ok(())
    })?;
    err.map_or(Ok(()), Err)
}

/// Calls `f` on every fact (ordered by id); the first error `f` returns stops the work
/// and is returned.
pub(crate) fn each_fact(store: &Store, mut f: impl FnMut(Fact) -> Result<(), ExportError>) -> Result<(), ExportError> {
    let mut err = None;
    store.for_each_fact(|x| {
        if err.is_none() {
            if let Err(e) = f(x) {
                err = Some(e);
            }
        }
        Ok(())
    })?;
    err.map_or(Ok(()), Err)
}

/// What a fact needs to know of an entity it names.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) name: String,
    pub(crate) etype: String,
    /// Valid WGS 84 coordinates, `(lat, lon)`.
    pub(crate) coords: Option<(f64, f64)>,
}

/// Every entity by id: what the formats look names and places up in while they stream
/// the facts. Only lookups, never iterated, so output order never depends on it.
#[derive(Debug, Default)]
pub(crate) struct Index {
    nodes: HashMap<String, Node>,
}

impl Index {
    pub(crate) fn load(store: &Store) -> Result<Index, ExportError> {
        let mut index = Index::default();
        each_entity(store, |e| {
            index.insert(&e);
            Ok(())
        })?;
        Ok(index)
    }

    pub(crate) fn insert(&mut self, e: &EntityRow) {
        let coords = e.place.as_ref().and_then(|p| valid_coords(p.lat, p.lon));
        self.nodes.insert(e.id.clone(), Node { name: e.name.clone(), etype: e.etype.clone(), coords });
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Node> {
        self.nodes.get(id)
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.nodes.contains_key(id)
    }

    /// The entity's name, or its id when the store does not know it.
    pub(crate) fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.nodes.get(id).map_or(id, |n| n.name.as_str())
    }
}

/// `(lat, lon)` when both are finite and in range.
pub(crate) fn valid_coords(lat: f64, lon: f64) -> Option<(f64, f64)> {
    (lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// GPE, LOC and FAC: the place types of the ontology.
pub(crate) fn is_place(etype: &str) -> bool {
    matches!(etype, "GPE" | "LOC" | "FAC")
}

/// PLOVER event types are the uppercase predicates; standing relations are lowercase.
pub(crate) fn is_event(predicate: &str) -> bool {
    !predicate.is_empty() && predicate.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

/// Which entity places a fact on a map: its `where`, else its object when that is a
/// place with coordinates, else its subject when that is. Returns the entity id, the
/// node and `(lat, lon)`.
pub(crate) fn located<'a>(f: &'a Fact, index: &'a Index) -> Option<(&'a str, &'a Node, (f64, f64))> {
    let place = |id: Option<&'a str>, must_be_place: bool| {
        let id = id?;
        let n = index.get(id)?;
        if must_be_place && !is_place(&n.etype) {
            return None;
        }
        Some((id, n, n.coords?))
    };
    place(f.place.as_deref(), false).or_else(|| place(f.object.as_deref(), true)).or_else(|| place(Some(&f.subject), true))
}

/// The fact's confidence, rounded as the JSONL export rounds it.
pub(crate) fn confidence(f: &Fact) -> f64 {
    (f.confidence * 1000.0).round() / 1000.0
}

/// The distinct values, in order of first appearance.
pub(crate) fn distinct<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The distinct modalities of a fact's evidence, in evidence order.
pub(crate) fn modalities(f: &Fact) -> Vec<&str> {
    distinct(f.evidence.iter().map(|e| e.modality.as_str()))
}

/// The distinct names of the sources of a fact's evidence, in evidence order.
pub(crate) fn source_names<'a>(f: &'a Fact, index: &'a Index) -> Vec<&'a str> {
    distinct(f.evidence.iter().filter_map(|e| e.source.as_deref()).map(|s| index.name(s)))
}

/// Whitespace runs (newlines included) as one space and other control characters
/// dropped, for one-line formats.
pub(crate) fn one_line(s: &str) -> String {
    let words: Vec<String> = s.split_whitespace().map(|w| w.chars().filter(|c| !c.is_control()).collect()).filter(|w: &String| !w.is_empty()).collect();
    words.join(" ")
}

/// The first and last day an ISO 8601 date or interval covers: `2023` is
/// `2023-01-01`..`2023-12-31`, `2023-02` ends on the 28th, `2013/2014` runs from
/// `2013-01-01` to `2014-12-31`, a time of day is dropped. `None` for what has no
/// calendar date (`--07-15`, weeks, empty).
pub(crate) fn date_bounds(value: &str) -> Option<(String, String)> {
    let value = value.trim();
    if let Some((a, b)) = value.split_once('/') {
        let (a, b) = (day_bounds(a), day_bounds(b));
        return match (a, b) {
            (Some((s, _)), Some((_, e))) if s <= e => Some((s, e)),
            (Some(x), Some(_)) => Some(x),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        };
    }
    day_bounds(value)
}

/// The calendar prefix of `value` (`2023`, `2023-07`, `2023-07-15`) when it is one.
pub(crate) fn calendar_prefix(value: &str) -> Option<&str> {
    let value = value.trim();
    let date = value.split('T').next().unwrap_or(value);
    day_bounds(date).map(|_| date)
}

/// The precision a date value has: day, month, year or unknown.
pub(crate) fn precision_of(value: &str) -> &'static str {
    let first = value.split('/').next().unwrap_or(value);
    match calendar_prefix(first).map(str::len) {
        Some(4) => "year",
        Some(7) => "month",
        Some(10) => "day",
        _ => "unknown",
    }
}

fn day_bounds(v: &str) -> Option<(String, String)> {
    let v = v.trim();
    let v = v.split('T').next().unwrap_or(v);
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str, len: usize| -> Option<u32> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let year = num(parts.first()?, 4)?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in = |m: u32| match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    match parts.len() {
        1 => Some((format!("{year:04}-01-01"), format!("{year:04}-12-31"))),
        2 => {
            let m = num(parts[1], 2).filter(|m| (1..=12).contains(m))?;
            Some((format!("{year:04}-{m:02}-01"), format!("{year:04}-{m:02}-{:02}", days_in(m))))
        }
        3 => {
            let m = num(parts[1], 2).filter(|m| (1..=12).contains(m))?;
            let d = num(parts[2], 2).filter(|d| (1..=days_in(m)).contains(d))?;
            let day = format!("{year:04}-{m:02}-{d:02}");
            Some((day.clone(), day))
        }
        _ => None,
    }
}

/// Whether XML 1.0 allows `c` in a document at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `s` escaped for XML text and attribute values alike: markup characters and quotes
/// as entities, tab and line ends as character references (so that attribute value
/// normalisation keeps them), characters XML 1.0 forbids dropped.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// `s` with the characters XML 1.0 forbids dropped: what a reader of our XML gets back.
#[cfg(test)]
pub(crate) fn xml_clean(s: &str) -> String {
    s.chars().filter(|&c| xml_char(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_intervals() {
        let b = |v: &str| date_bounds(v).map(|(s, e)| format!("{s}..{e}"));
        assert_eq!(b("2023").as_deref(), Some("2023-01-01..2023-12-31"));
        assert_eq!(b("2024-02").as_deref(), Some("2024-02-01..2024-02-29"));
        assert_eq!(b("2023-02").as_deref(), Some("2023-02-01..2023-02-28"));
        assert_eq!(b("2023-07-15").as_deref(), Some("2023-07-15..2023-07-15"));
        assert_eq!(b("2023-07-15T10:00").as_deref(), Some("2023-07-15..2023-07-15"));
        assert_eq!(b("2013/2014").as_deref(), Some("2013-01-01..2014-12-31"));
        assert_eq!(b("2023-06/..").as_deref(), Some("2023-06-01..2023-06-30"));
        for bad in ["--07-15", "", "2023-13", "2023-02-30", "20x3", "2023-W28", "12023"] {
            assert_eq!(b(bad), None, "{bad}");
        }
        assert_eq!(precision_of("2023-07"), "month");
        assert_eq!(precision_of("2013/2014"), "year");
        assert_eq!(precision_of("--07-15"), "unknown");
    }

    #[test]
    fn xml_escape_covers_markup_quotes_and_forbidden_chars() {
        assert_eq!(xml_escape("a<b>&\"c'\u{0}\u{1b}\u{FFFE}\td\r\n"), "a&lt;b&gt;&amp;&quot;c&apos;&#9;d&#13;&#10;");
        assert_eq!(xml_escape("Nicolás 🙂"), "Nicolás 🙂");
    }
}
