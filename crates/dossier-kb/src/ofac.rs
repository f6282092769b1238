//! The OFAC SDN list, `sdn.csv` layout.
//!
//! Twelve columns, no header: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
//! Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks. `-0-` means empty. The
//! file is Latin-1 (read as UTF-8 where a field is valid UTF-8). Kept:
//!
//! - id: ent_num; type: `individual` -> Person, `vessel`, `aircraft`, empty -> Organization;
//! - name: SDN_Name, for individuals turned into natural order ("PRIGOZHIN, Yevgeniy
//!   Viktorovich" -> "Yevgeniy Viktorovich Prigozhin") with the original kept as alias;
//! - aliases: every `a.k.a. '...'`, `f.k.a. '...'` and `n.k.a. '...'` of Remarks (for
//!   individuals also in natural order);
//! - roles: Title; programs: Program split on `] [`;
//! - countries: `nationality X`, `citizen X` (and `alt.` forms) of Remarks, Vess_flag;
//! - links: every `Linked To: X` of Remarks, Vess_owner;
//! - notes: Remarks as written, plus the vessel columns.
//!
//! DOB, POB, passports and other identifiers stay in `notes`.

use std::io::BufRead;

use crate::text::{csv_error, decode, natural_order, squash, LineOf, LineTracker};
use crate::{push_unique, DatedRole, EntityType, KbError, WatchlistEntry};

pub(crate) const SOURCE: &str = "ofac-sdn";

pub(crate) struct OfacReader<R: BufRead> {
    file: String,
    rows: csv::ByteRecordsIntoIter<LineTracker<R>>,
    lines: LineOf,
    done: bool,
}

impl<R: BufRead> OfacReader<R> {
    pub(crate) fn new(reader: R, file: &str) -> OfacReader<R> {
        let (reader, lines) = LineTracker::new(reader);
        let rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader)
            .into_byte_records();
        OfacReader {
            file: file.to_string(),
            rows,
            lines,
            done: false,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<WatchlistEntry, KbError>> {
        while !self.done {
            let row = match self.rows.next()? {
                Ok(row) => row,
                Err(e) => return Some(Err(csv_error(e, &self.lines, &self.file, &mut self.done))),
            };
            let line = row.position().map(|p| self.lines.line(p.byte()));
            let fields: Vec<String> = row.iter().map(|f| decode(f).into_owned()).collect();
            // The DOS end-of-file mark (0x1A) some copies end with, or a blank line.
            if fields.iter().all(|f| {
                f.trim_matches(|c: char| c.is_whitespace() || c == '\u{1a}')
                    .is_empty()
            }) {
                continue;
            }
            return Some(
                parse_row(&fields)
                    .map_err(|(record, msg)| KbError::invalid(&self.file, line, record, msg)),
            );
        }
        None
    }
}

/// The first line of an SDN file: a number, then a quoted name, and 12 fields.
pub(crate) fn looks_like(first_line: &str) -> bool {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(first_line.as_bytes());
    match rd.records().next() {
        Some(Ok(rec)) => {
            rec.len() == 12
                && rec
                    .get(0)
                    .is_some_and(|f| !f.is_empty() && f.trim().bytes().all(|b| b.is_ascii_digit()))
                && rec.iter().any(|f| f.trim() == "-0-")
        }
        _ => false,
    }
}

fn field(fields: &[String], idx: usize) -> Option<&str> {
    let f = fields.get(idx)?.trim();
    (!f.is_empty() && f != "-0-").then_some(f)
}

fn parse_row(fields: &[String]) -> Result<WatchlistEntry, (Option<String>, String)> {
    let id = field(fields, 0).map(str::to_string);
    if fields.len() != 12 {
        let record = id.map(|id| format!("ent_num {id}"));
        return Err((
            record,
            format!("expected 12 fields, found {}", fields.len()),
        ));
    }
    let Some(id) = id else {
        return Err((None, "empty ent_num".to_string()));
    };
    let record = Some(format!("ent_num {id}"));
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err((record, format!("ent_num is not a number: {id:?}")));
    }
    let Some(raw_name) = field(fields, 1).map(squash) else {
        return Err((record, "empty SDN_Name".to_string()));
    };
    let etype = match field(fields, 2).map(str::to_ascii_lowercase).as_deref() {
        None => EntityType::Organization,
        Some("individual") => EntityType::Person,
        Some("vessel") => EntityType::Vessel,
        Some("aircraft") => EntityType::Aircraft,
        Some(other) => return Err((record, format!("unknown SDN_Type {other:?}"))),
    };
    let person = etype == EntityType::Person;
    let name = if person {
        natural_order(&raw_name).unwrap_or_else(|| raw_name.clone())
    } else {
        raw_name.clone()
    };
    let mut e = WatchlistEntry::new(SOURCE, id, etype, name);
    e.push_alias(&raw_name);
    if let Some(programs) = field(fields, 3) {
        for p in programs.split("] [") {
            push_unique(
                &mut e.programs,
                p.trim_matches(|c| c == '[' || c == ']' || c == ' '),
            );
        }
    }
    if let Some(title) = field(fields, 4) {
        e.roles.push(DatedRole::undated(squash(title)));
    }
    let mut vessel = Vec::new();
    for (idx, label) in [
        (5, "call sign"),
        (6, "vessel type"),
        (7, "tonnage"),
        (8, "GRT"),
        (9, "flag"),
        (10, "owner"),
    ] {
        if let Some(v) = field(fields, idx) {
            vessel.push(format!("{label} {v}"));
        }
    }
    if let Some(flag) = field(fields, 9) {
        push_unique(&mut e.countries, flag);
    }
    if let Some(owner) = field(fields, 10) {
        push_unique(&mut e.links, owner);
    }
    let remarks = field(fields, 11).map(squash);
    if let Some(remarks) = &remarks {
        read_remarks(remarks, &mut e);
    }
    let mut notes = remarks.unwrap_or_default();
    if !vessel.is_empty() {
        if !notes.is_empty() {
            notes.push(' ');
        }
        notes.push_str(&format!("[{}]", vessel.join("; ")));
    }
    e.notes = (!notes.is_empty()).then_some(notes);
    e.tidy();
    Ok(e)
}

/// Aliases, links and countries out of the Remarks column: clauses split on `;`.
fn read_remarks(remarks: &str, e: &mut WatchlistEntry) {
    let person = e.etype == EntityType::Person;
    for clause in remarks.split(';') {
        let clause = clause.trim().trim_end_matches('.').trim();
        let body = clause.strip_prefix("alt. ").unwrap_or(clause);
        if let Some(rest) = ["a.k.a.", "f.k.a.", "n.k.a."]
            .iter()
            .find_map(|p| body.strip_prefix(p))
        {
            let rest = rest.trim();
            // The alias runs from the first quote to the last: names may hold quotes
            // ('AL-QA'IDA'), and a few aliases carry a trailing period.
            let alias = match (rest.find('\''), rest.rfind('\'')) {
                (Some(a), Some(b)) if b > a => &rest[a + 1..b],
                _ => rest.trim_matches('\''),
            };
            let alias = squash(alias);
            if alias.is_empty() {
                continue;
            }
            e.push_alias(&alias);
            if person {
                if let Some(natural) = natural_order(&alias) {
                    e.push_alias(&natural);
                }
            }
        } else if let Some(link) = body.strip_prefix("Linked To:") {
            push_unique(&mut e.links, link.trim());
        } else if let Some(c) = body
            .strip_prefix("nationality ")
            .or_else(|| body.strip_prefix("citizen "))
        {
            push_unique(&mut e.countries, c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_from, Format};

    fn read_all(data: &str) -> Vec<Result<WatchlistEntry, KbError>> {
        read_from(data.as_bytes(), "sdn.csv", Format::OfacSdn).collect()
    }

    const SAMPLE: &str = concat!(
        "21171,\"PRIGOZHIN, Yevgeniy Viktorovich\",\"individual\",\"UKRAINE-EO13661] [CYBER2] [RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 01 Jun 1961; POB Leningrad, Russia; nationality Russia; Gender Male; a.k.a. 'PRIGOZHIN, Evgeny'; Linked To: INTERNET RESEARCH AGENCY LLC.\"\r\n",
        "22543,\"PRIVATE MILITARY COMPANY 'WAGNER'\",-0- ,\"TCO] [UKRAINE-EO13660\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'AL-QA'IDA'; f.k.a. 'OLD NAME'.\"\r\n",
        "9999,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9KLX\",\"Tanker\",\"1000\",-0- ,\"Panama\",\"SOME SHIPPING CO\",\"Vessel Registration Identification IMO 1234567.\"\r\n",
        "\u{1a}\r\n",
    );

    #[test]
    fn reads_individual_entity_vessel() {
        let out: Vec<_> = read_all(SAMPLE)
            .into_iter()
            .map(|r| r.expect("valid row"))
            .collect();
        assert_eq!(out.len(), 3);
        let p = &out[0];
        assert_eq!(
            (p.source.as_str(), p.id.as_str(), p.etype),
            ("ofac-sdn", "21171", EntityType::Person)
        );
        assert_eq!(p.name, "Yevgeniy Viktorovich Prigozhin");
        assert_eq!(
            p.aliases,
            [
                "PRIGOZHIN, Yevgeniy Viktorovich",
                "PRIGOZHIN, Evgeny",
                "Evgeny Prigozhin"
            ]
        );
        assert_eq!(p.programs, ["UKRAINE-EO13661", "CYBER2", "RUSSIA-EO14024"]);
        assert_eq!(p.countries, ["Russia"]);
        assert_eq!(p.links, ["INTERNET RESEARCH AGENCY LLC"]);
        assert!(p
            .notes
            .as_deref()
            .is_some_and(|n| n.starts_with("DOB 01 Jun 1961")));

        let w = &out[1];
        assert_eq!(
            (w.etype, w.name.as_str()),
            (
                EntityType::Organization,
                "PRIVATE MILITARY COMPANY 'WAGNER'"
            )
        );
        assert_eq!(w.aliases, ["AL-QA'IDA", "OLD NAME"]);
        assert_eq!(w.programs, ["TCO", "UKRAINE-EO13660"]);

        let v = &out[2];
        assert_eq!(v.etype, EntityType::Vessel);
        assert_eq!(v.countries, ["Panama"]);
        assert_eq!(v.links, ["SOME SHIPPING CO"]);
        assert!(v
            .notes
            .as_deref()
            .is_some_and(|n| n.contains("[call sign 9KLX; vessel type Tanker")));
    }

    #[test]
    fn bad_rows_are_reported_and_skipped() {
        let data = concat!(
            "1,\"GOOD ONE\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
            "2,\"TOO SHORT\",-0- \n",
            "x3,\"BAD ID\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
            "4,-0- ,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
            "5,\"GOOD TWO\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
        );
        let out = read_all(data);
        assert_eq!(out.len(), 5);
        assert_eq!(
            out[0].as_ref().map(|e| e.name.as_str()).ok(),
            Some("GOOD ONE")
        );
        let errs: Vec<String> = out[1..4]
            .iter()
            .map(|r| {
                r.as_ref()
                    .err()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            errs[0],
            "sdn.csv:line 2 (ent_num 2): expected 12 fields, found 3"
        );
        assert_eq!(
            errs[1],
            "sdn.csv:line 3 (ent_num x3): ent_num is not a number: \"x3\""
        );
        assert_eq!(errs[2], "sdn.csv:line 4 (ent_num 4): empty SDN_Name");
        assert_eq!(
            out[4].as_ref().map(|e| e.name.as_str()).ok(),
            Some("GOOD TWO")
        );
    }

    #[test]
    fn latin1_names() {
        let data =
            b"7,\"CAF\xc9 NACIONAL\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
        let out: Vec<_> = read_from(&data[..], "sdn.csv", Format::OfacSdn).collect();
        assert_eq!(
            out[0].as_ref().map(|e| e.name.as_str()).ok(),
            Some("CAFÉ NACIONAL")
        );
    }

    #[test]
    fn sniffs_first_line() {
        assert!(looks_like(
            "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
        ));
        assert!(!looks_like("name,type,aliases"));
    }
}
