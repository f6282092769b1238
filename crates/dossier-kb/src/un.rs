//! The UN Security Council consolidated list XML.
//!
//! Pulled event by event (quick-xml), one `INDIVIDUAL` or `ENTITY` at a time. Kept:
//!
//! - id: REFERENCE_NUMBER (DATAID when it is missing); type: INDIVIDUAL -> Person,
//!   ENTITY -> Organization;
//! - name: FIRST_NAME .. FOURTH_NAME joined, as written (the list's order and case);
//! - aliases: every non-empty ALIAS_NAME (all qualities: Good, Low, a.k.a., f.k.a.)
//!   and NAME_ORIGINAL_SCRIPT;
//! - roles: each DESIGNATION value (no dates: the list gives none);
//! - countries: NATIONALITY values; for entities also the ENTITY_ADDRESS countries;
//! - programs: UN_LIST_TYPE; notes: "Listed on <LISTED_ON>." and COMMENTS1.
//!
//! Dates of birth, documents and addresses of individuals are not kept.

use std::io::{BufRead, Read};

use quick_xml::events::Event;

use crate::text::squash;
use crate::{push_unique, DatedRole, EntityType, KbError, WatchlistEntry};

pub(crate) const SOURCE: &str = "un-sc";

/// Gives up after this many XML errors in a row without a record in between.
const MAX_ERRORS_IN_A_ROW: u32 = 20;

/// A `BufRead` that counts the newlines consumed, so that errors can name a line.
pub(crate) struct LineCounter<R> {
    inner: R,
    newlines: u64,
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let amt = amt.min(buf.len());
            self.newlines += buf[..amt].iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.inner.consume(amt);
    }
}

pub(crate) struct UnReader<R: BufRead> {
    file: String,
    xml: quick_xml::Reader<LineCounter<R>>,
    buf: Vec<u8>,
    /// The record being read, with the line it starts on.
    record: Option<Partial>,
    n_records: u64,
    errors_in_a_row: u32,
    done: bool,
}

#[derive(Default)]
struct Partial {
    line: u64,
    person: bool,
    /// Element names below the record element.
    path: Vec<String>,
    text: String,
    names: [String; 4],
    reference: String,
    data_id: String,
    alias_names: Vec<String>,
    designations: Vec<String>,
    nationalities: Vec<String>,
    address_countries: Vec<String>,
    list_type: String,
    listed_on: String,
    comments: String,
}

impl<R: BufRead> UnReader<R> {
    pub(crate) fn new(reader: R, file: &str) -> UnReader<R> {
        let mut xml = quick_xml::Reader::from_reader(LineCounter {
            inner: reader,
            newlines: 0,
        });
        xml.config_mut().expand_empty_elements = true;
        UnReader {
            file: file.to_string(),
            xml,
            buf: Vec::new(),
            record: None,
            n_records: 0,
            errors_in_a_row: 0,
            done: false,
        }
    }

    fn error(&self, line: u64, message: impl Into<String>) -> KbError {
        let record = self.record.as_ref().map(|r| self.describe(r));
        KbError::invalid(&self.file, Some(line), record, message)
    }

    fn describe(&self, r: &Partial) -> String {
        let kind = if r.person { "INDIVIDUAL" } else { "ENTITY" };
        match (r.reference.trim(), r.data_id.trim()) {
            ("", "") => format!("{kind} #{}", self.n_records),
            ("", id) => format!("{kind} DATAID {id}"),
            (reference, _) => format!("{kind} {reference}"),
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<WatchlistEntry, KbError>> {
        while !self.done {
            self.buf.clear();
            let event = self.xml.read_event_into(&mut self.buf);
            let line = self.xml.get_ref().newlines + 1;
            match event {
                Err(e) => {
                    self.errors_in_a_row += 1;
                    let err = self.error(line, format!("XML error: {e}"));
                    // The record in progress cannot be trusted any more.
                    self.record = None;
                    if self.errors_in_a_row >= MAX_ERRORS_IN_A_ROW {
                        self.done = true;
                    }
                    return Some(Err(err));
                }
                Ok(Event::Eof) => {
                    self.done = true;
                    if let Some(r) = &self.record {
                        let what = self.describe(r);
                        return Some(Err(KbError::invalid(
                            &self.file,
                            Some(r.line),
                            Some(what),
                            "file ends inside this record (truncated?)",
                        )));
                    }
                }
                Ok(Event::Start(start)) => {
                    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                    match &mut self.record {
                        Some(r) => {
                            r.path.push(name);
                            r.text.clear();
                        }
                        None if name == "INDIVIDUAL" || name == "ENTITY" => {
                            self.n_records += 1;
                            self.record = Some(Partial {
                                line,
                                person: name == "INDIVIDUAL",
                                ..Partial::default()
                            });
                        }
                        None => {}
                    }
                }
                Ok(Event::Text(t)) => {
                    if let Some(r) = &mut self.record {
                        match t.unescape() {
                            Ok(s) => r.text.push_str(&s),
                            Err(e) => {
                                let msg = format!("bad text: {e}");
                                return Some(Err(self.error(line, msg)));
                            }
                        }
                    }
                }
                Ok(Event::CData(t)) => {
                    if let Some(r) = &mut self.record {
                        r.text.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                Ok(Event::End(_)) => {
                    let Some(r) = &mut self.record else { continue };
                    if r.path.is_empty() {
                        // The record element itself closes.
                        let r = self.record.take()?;
                        let what = self.describe(&r);
                        self.errors_in_a_row = 0;
                        return Some(finish(r).map_err(|msg| {
                            KbError::invalid(&self.file, Some(line), Some(what), msg)
                        }));
                    }
                    let text = squash(&std::mem::take(&mut r.text));
                    r.store(&text);
                    r.path.pop();
                }
                Ok(_) => {}
            }
        }
        None
    }
}

impl Partial {
    /// Files the text of the element that just closed (the last of `path`).
    fn store(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let leaf = self.path.last().map(String::as_str).unwrap_or_default();
        let parent = self
            .path
            .len()
            .checked_sub(2)
            .and_then(|i| self.path.get(i))
            .map(String::as_str);
        match (parent, leaf) {
            (None, "FIRST_NAME") => self.names[0] = text.to_string(),
            (None, "SECOND_NAME") => self.names[1] = text.to_string(),
            (None, "THIRD_NAME") => self.names[2] = text.to_string(),
            (None, "FOURTH_NAME") => self.names[3] = text.to_string(),
            (None, "REFERENCE_NUMBER") => self.reference = text.to_string(),
            (None, "DATAID") => self.data_id = text.to_string(),
            (None, "UN_LIST_TYPE") => self.list_type = text.to_string(),
            (None, "LISTED_ON") => self.listed_on = text.to_string(),
            (None, "COMMENTS1") => self.comments = text.to_string(),
            (None, "NAME_ORIGINAL_SCRIPT") => self.alias_names.push(text.to_string()),
            (Some("INDIVIDUAL_ALIAS" | "ENTITY_ALIAS"), "ALIAS_NAME") => {
                self.alias_names.push(text.to_string())
            }
            (Some("DESIGNATION"), "VALUE") => self.designations.push(text.to_string()),
            (Some("NATIONALITY"), "VALUE") => self.nationalities.push(text.to_string()),
            (Some("ENTITY_ADDRESS"), "COUNTRY") => self.address_countries.push(text.to_string()),
            _ => {}
        }
    }
}

fn finish(r: Partial) -> Result<WatchlistEntry, String> {
    let name = squash(&r.names.join(" "));
    let id = if r.reference.trim().is_empty() {
        r.data_id.trim()
    } else {
        r.reference.trim()
    };
    if id.is_empty() {
        return Err("record without REFERENCE_NUMBER or DATAID".to_string());
    }
    if name.is_empty() {
        return Err("record without a name (FIRST_NAME .. FOURTH_NAME empty)".to_string());
    }
    let etype = if r.person {
        EntityType::Person
    } else {
        EntityType::Organization
    };
    let mut e = WatchlistEntry::new(SOURCE, id, etype, name);
    for a in &r.alias_names {
        e.push_alias(a);
    }
    e.roles = r.designations.iter().map(DatedRole::undated).collect();
    for c in r.nationalities.iter().chain(if r.person {
        &[][..]
    } else {
        &r.address_countries[..]
    }) {
        push_unique(&mut e.countries, c);
    }
    push_unique(&mut e.programs, &r.list_type);
    let mut notes = String::new();
    if !r.listed_on.is_empty() {
        notes.push_str(&format!("Listed on {}.", r.listed_on));
    }
    if !r.comments.is_empty() {
        if !notes.is_empty() {
            notes.push(' ');
        }
        notes.push_str(&r.comments);
    }
    e.notes = (!notes.is_empty()).then_some(notes);
    e.tidy();
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_from, Format};

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2022-09-15">
    <INDIVIDUALS>
        <INDIVIDUAL><DATAID>6908555</DATAID><FIRST_NAME> RI </FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME><THIRD_NAME/><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.033</REFERENCE_NUMBER><LISTED_ON>2016-11-30</LISTED_ON><COMMENTS1>Ri Won Ho is an official &amp; more.
</COMMENTS1><DESIGNATION><VALUE>DPRK Ministry of State Security Official</VALUE></DESIGNATION><NATIONALITY><VALUE>Democratic People's Republic of Korea</VALUE></NATIONALITY><LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE><INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ri Wonho</ALIAS_NAME></INDIVIDUAL_ALIAS><INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS><INDIVIDUAL_ADDRESS><COUNTRY>Syria</COUNTRY></INDIVIDUAL_ADDRESS></INDIVIDUAL>
    </INDIVIDUALS>
    <ENTITIES>
<ENTITY><DATAID>6908629</DATAID><FIRST_NAME> PROPAGANDA AND AGITATION DEPARTMENT (PAD)</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.053 </REFERENCE_NUMBER><LISTED_ON>2017-09-11</LISTED_ON><COMMENTS1/><ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>PAD</ALIAS_NAME></ENTITY_ALIAS><ENTITY_ADDRESS><CITY>Pyongyang</CITY><COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS></ENTITY>
    </ENTITIES>
</CONSOLIDATED_LIST>"#;

    fn read_all(data: &str) -> Vec<Result<WatchlistEntry, KbError>> {
        read_from(data.as_bytes(), "un.xml", Format::UnSc).collect()
    }

    #[test]
    fn reads_individual_and_entity() {
        let out: Vec<_> = read_all(SAMPLE)
            .into_iter()
            .map(|r| r.expect("valid record"))
            .collect();
        assert_eq!(out.len(), 2);
        let p = &out[0];
        assert_eq!(
            (p.source.as_str(), p.id.as_str(), p.etype),
            ("un-sc", "KPi.033", EntityType::Person)
        );
        assert_eq!(p.name, "RI WON HO");
        assert_eq!(p.aliases, ["Ri Wonho"]);
        assert_eq!(
            p.roles,
            [DatedRole::undated(
                "DPRK Ministry of State Security Official"
            )]
        );
        assert_eq!(p.countries, ["Democratic People's Republic of Korea"]);
        assert_eq!(p.programs, ["DPRK"]);
        assert_eq!(
            p.notes.as_deref(),
            Some("Listed on 2016-11-30. Ri Won Ho is an official & more.")
        );
        let o = &out[1];
        assert_eq!(
            (o.id.as_str(), o.etype),
            ("KPe.053", EntityType::Organization)
        );
        assert_eq!(o.name, "PROPAGANDA AND AGITATION DEPARTMENT (PAD)");
        assert_eq!(o.aliases, ["PAD"]);
        assert_eq!(o.countries, ["Democratic People's Republic of Korea"]);
    }

    #[test]
    fn truncated_file_reports_the_record() {
        let cut = SAMPLE.find("<ENTITY_ALIAS>").expect("sample has an alias");
        let out = read_all(&SAMPLE[..cut]);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].is_ok());
        let err = out[1]
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert_eq!(
            err,
            "un.xml:line 7 (ENTITY KPe.053): file ends inside this record (truncated?)"
        );
    }

    #[test]
    fn mismatched_tags_and_missing_names_are_reported() {
        let data = r#"<CONSOLIDATED_LIST><INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER></INDIVIDUAL>
<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>BROKEN</SECOND_NAME></INDIVIDUAL>
<INDIVIDUAL><DATAID>3</DATAID><FIRST_NAME>GOOD</FIRST_NAME><REFERENCE_NUMBER>QDi.3</REFERENCE_NUMBER></INDIVIDUAL>
</INDIVIDUALS></CONSOLIDATED_LIST>"#;
        let out = read_all(data);
        let shown: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(e) => format!("ok {} {}", e.id, e.name),
                Err(e) => format!("err {e}"),
            })
            .collect();
        assert_eq!(shown[0], "err un.xml:line 2 (INDIVIDUAL QDi.1): record without a name (FIRST_NAME .. FOURTH_NAME empty)");
        assert!(
            shown[1].starts_with("err un.xml:line 3 (INDIVIDUAL DATAID 2): XML error"),
            "{shown:?}"
        );
        assert_eq!(
            shown.last().map(String::as_str),
            Some("ok QDi.3 GOOD"),
            "{shown:?}"
        );
    }
}
