//! A plain CSV list: a header row, then one entry a row.
//!
//! Columns, matched by header name case-insensitively, in any order: `name`
//! (required), `type` (`person`, `org`, `vessel`, `aircraft`, `place`, ...; see
//! [`EntityType::parse_loose`]), `aliases` (separated by `;` or `|`), and optionally
//! `id` (else the entry's id is `line:<n>`), `country` (separated by `;` or `|`),
//! `kind`, `notes`, `roles`, `programs`, `links`. Other columns are ignored. The
//! entries' source is `csv:<file name>`.

use std::io::BufRead;

use crate::text::{csv_error, squash, LineOf, LineTracker};
use crate::{push_unique, DatedRole, EntityType, KbError, WatchlistEntry};

pub(crate) struct CsvReader<R: BufRead> {
    file: String,
    source: String,
    rows: csv::StringRecordsIntoIter<LineTracker<R>>,
    lines: LineOf,
    columns: Option<Columns>,
    done: bool,
}

#[derive(Default)]
struct Columns {
    name: usize,
    etype: Option<usize>,
    aliases: Option<usize>,
    id: Option<usize>,
    country: Option<usize>,
    kind: Option<usize>,
    notes: Option<usize>,
    roles: Option<usize>,
    programs: Option<usize>,
    links: Option<usize>,
}

impl<R: BufRead> CsvReader<R> {
    pub(crate) fn new(reader: R, file: &str) -> CsvReader<R> {
        let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let (reader, lines) = LineTracker::new(reader);
        let rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader)
            .into_records();
        CsvReader {
            file: file.to_string(),
            source: format!("csv:{base}"),
            rows,
            lines,
            columns: None,
            done: false,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<WatchlistEntry, KbError>> {
        while !self.done {
            let row = match self.rows.next()? {
                Ok(row) => row,
                Err(e) => return Some(Err(csv_error(e, &self.lines, &self.file, &mut self.done))),
            };
            let line = row
                .position()
                .map(|p| self.lines.line(p.byte()))
                .unwrap_or_default();
            if row.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let Some(columns) = &self.columns else {
                match header(&row) {
                    Ok(c) => {
                        self.columns = Some(c);
                        continue;
                    }
                    Err(msg) => {
                        // Without a name column no row can be read.
                        self.done = true;
                        return Some(Err(KbError::invalid(&self.file, Some(line), None, msg)));
                    }
                }
            };
            return Some(
                entry(&row, columns, &self.source, line)
                    .map_err(|(rec, msg)| KbError::invalid(&self.file, Some(line), rec, msg)),
            );
        }
        None
    }
}

fn header(row: &csv::StringRecord) -> Result<Columns, String> {
    let find = |names: &[&str]| {
        row.iter().position(|h| {
            let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
            names.contains(&h.as_str())
        })
    };
    let Some(name) = find(&["name"]) else {
        return Err("header has no \"name\" column".to_string());
    };
    Ok(Columns {
        name,
        etype: find(&["type", "etype", "schema"]),
        aliases: find(&["aliases", "alias"]),
        id: find(&["id"]),
        country: find(&["country", "countries"]),
        kind: find(&["kind"]),
        notes: find(&["notes", "note"]),
        roles: find(&["roles", "role", "position"]),
        programs: find(&["programs", "program"]),
        links: find(&["links", "link"]),
    })
}

fn entry(
    row: &csv::StringRecord,
    c: &Columns,
    source: &str,
    line: u64,
) -> Result<WatchlistEntry, (Option<String>, String)> {
    let get = |idx: Option<usize>| {
        idx.and_then(|i| row.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let id = get(c.id)
        .map(str::to_string)
        .unwrap_or_else(|| format!("line:{line}"));
    let Some(name) = get(Some(c.name)).map(squash) else {
        let msg = if row.len() <= c.name {
            format!("row has {} fields, no name", row.len())
        } else {
            "empty name".into()
        };
        return Err((Some(id), msg));
    };
    if name.contains('\n') || get(Some(c.name)).is_some_and(|n| n.contains('\n')) {
        return Err((
            Some(id),
            "name spans several lines (unclosed quote?)".into(),
        ));
    }
    let etype = get(c.etype)
        .map(EntityType::parse_loose)
        .unwrap_or(EntityType::Other);
    let mut e = WatchlistEntry::new(source, id, etype, name);
    let split = |s: &str| {
        s.split([';', '|'])
            .map(squash)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
    };
    for a in get(c.aliases).map(split).unwrap_or_default() {
        e.push_alias(&a);
    }
    for v in get(c.country).map(split).unwrap_or_default() {
        push_unique(&mut e.countries, &v);
    }
    for v in get(c.programs).map(split).unwrap_or_default() {
        push_unique(&mut e.programs, &v);
    }
    for v in get(c.links).map(split).unwrap_or_default() {
        push_unique(&mut e.links, &v);
    }
    e.roles = get(c.roles)
        .map(split)
        .unwrap_or_default()
        .into_iter()
        .map(DatedRole::undated)
        .collect();
    e.kind = get(c.kind).map(|k| k.to_lowercase());
    e.notes = get(c.notes).map(str::to_string);
    e.tidy();
    Ok(e)
}

/// A header line naming a `name` column.
pub(crate) fn looks_like(first_line: &str) -> bool {
    first_line
        .trim_start_matches('\u{feff}')
        .split(',')
        .any(|h| h.trim().trim_matches('"').eq_ignore_ascii_case("name"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_from, Format};

    fn read_all(data: &str) -> Vec<Result<WatchlistEntry, KbError>> {
        read_from(
            data.as_bytes(),
            "lists/analyst watchlist.csv",
            Format::PlainCsv,
        )
        .collect()
    }

    #[test]
    fn reads_rows() {
        let data = "\u{feff}name,type,aliases,id,country,kind,notes,extra\n\
Wagner Group,org,PMC Wagner;Vagner|ЧВК «Вагнер»,W1,Russia|Central African Republic,armed_group,\"Private military company, Russia\",x\n\
Yevgeny Prigozhin,person,\"Putin's chef\",,,,,\n\
\n\
Osipovichi,GPE,,,Belarus,,,\n";
        let out: Vec<_> = read_all(data)
            .into_iter()
            .map(|r| r.expect("valid row"))
            .collect();
        assert_eq!(out.len(), 3);
        let w = &out[0];
        assert_eq!(
            (w.source.as_str(), w.id.as_str(), w.etype),
            ("csv:analyst watchlist.csv", "W1", EntityType::Organization)
        );
        assert_eq!(w.aliases, ["PMC Wagner", "Vagner", "ЧВК «Вагнер»"]);
        assert_eq!(w.countries, ["Russia", "Central African Republic"]);
        assert_eq!(w.kind.as_deref(), Some("armed_group"));
        assert_eq!(w.notes.as_deref(), Some("Private military company, Russia"));
        let p = &out[1];
        assert_eq!(
            (p.id.as_str(), p.etype, p.name.as_str()),
            ("line:3", EntityType::Person, "Yevgeny Prigozhin")
        );
        assert_eq!(p.aliases, ["Putin's chef"]);
        assert_eq!(
            (out[2].id.as_str(), out[2].etype),
            ("line:5", EntityType::Place)
        );
    }

    #[test]
    fn bad_rows_are_reported_and_skipped() {
        let data = "id,name,type,aliases\n1,Good One,person,\n2\n3,,org,\n4,\"Unclosed,org,x\n5,Next,org,\n";
        let shown: Vec<String> = read_all(data)
            .iter()
            .map(|r| match r {
                Ok(e) => format!("ok {}", e.name),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "ok Good One",
                "lists/analyst watchlist.csv:line 3 (2): row has 1 fields, no name",
                "lists/analyst watchlist.csv:line 4 (3): empty name",
                "lists/analyst watchlist.csv:line 5 (4): name spans several lines (unclosed quote?)",
            ]
        );
    }

    #[test]
    fn header_without_name_stops() {
        let out = read_all("title,type\nfoo,person\n");
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].as_ref().err().map(ToString::to_string).as_deref(),
            Some("lists/analyst watchlist.csv:line 1: header has no \"name\" column")
        );
    }
}
