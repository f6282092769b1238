//! FollowTheMoney entities, one JSON object a line (OpenSanctions exports).
//!
//! `{"id", "schema", "properties": {prop: [values]}, "datasets": [...]}`. Only actor
//! schemas become entries: `Person`; `Organization`, `Company`, `PublicBody` ->
//! Organization; `LegalEntity` -> Other (FtM uses it when it does not know person from
//! organisation); `Vessel`; `Airplane` -> Aircraft. Other schemas (Sanction,
//! Ownership, Address, Position, ...) are skipped without an error: in the flat
//! export they are separate lines this streaming reader does not join. Kept:
//!
//! - name: the first `name` (else firstName .. lastName); aliases: the other names,
//!   `alias`, `weakAlias`, `previousName`, `abbreviation`;
//! - roles: `position` (undated), and in nested exports each `positionOccupancies`
//!   Occupancy with its post and start/end dates;
//! - countries: `country`, `nationality`, `citizenship`, `jurisdiction`, `mainCountry`,
//!   `flag`; programs: `program`, `programId`, and nested Sanction `program`s;
//! - links: names (else ids) of entities nested in other properties;
//! - notes: `notes`, `summary`, `description`, then the datasets and topics.

use std::io::{BufRead, Read};

use serde_json::{Map, Value};

use crate::text::squash;
use crate::{push_unique, DatedRole, EntityType, KbError, WatchlistEntry};

pub(crate) const SOURCE: &str = "ftm";

/// A line longer than this is refused without being parsed.
const MAX_LINE_BYTES: usize = 16 << 20;

pub(crate) struct FtmReader<R: BufRead> {
    file: String,
    reader: R,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> FtmReader<R> {
    pub(crate) fn new(reader: R, file: &str) -> FtmReader<R> {
        FtmReader {
            file: file.to_string(),
            reader,
            line_no: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<WatchlistEntry, KbError>> {
        while !self.done {
            self.buf.clear();
            let n = match Read::take(&mut self.reader, MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.buf)
            {
                Ok(n) => n,
                Err(source) => {
                    self.done = true;
                    return Some(Err(KbError::Io {
                        file: self.file.clone(),
                        source,
                    }));
                }
            };
            if n == 0 {
                self.done = true;
                break;
            }
            self.line_no += 1;
            let line = Some(self.line_no);
            if self.buf.len() > MAX_LINE_BYTES && !self.buf.ends_with(b"\n") {
                // Skip the rest of the over-long line.
                let mut sink = Vec::new();
                loop {
                    sink.clear();
                    match Read::take(&mut self.reader, 1 << 20).read_until(b'\n', &mut sink) {
                        Ok(0) => break,
                        Ok(_) if sink.ends_with(b"\n") => break,
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
                return Some(Err(KbError::invalid(
                    &self.file,
                    line,
                    None,
                    "line longer than 16 MiB",
                )));
            }
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t.trim(),
                Err(e) => {
                    return Some(Err(KbError::invalid(
                        &self.file,
                        line,
                        None,
                        format!("not UTF-8: {e}"),
                    )))
                }
            };
            if text.is_empty() {
                continue;
            }
            let value: Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => {
                    return Some(Err(KbError::invalid(
                        &self.file,
                        line,
                        None,
                        format!("bad JSON: {e}"),
                    )))
                }
            };
            match parse_entity(&value) {
                Ok(Some(e)) => return Some(Ok(e)),
                Ok(None) => continue,
                Err((record, msg)) => {
                    return Some(Err(KbError::invalid(&self.file, line, record, msg)))
                }
            }
        }
        None
    }
}

fn schema_type(schema: &str) -> Option<EntityType> {
    Some(match schema {
        "Person" => EntityType::Person,
        "Organization" | "Company" | "PublicBody" => EntityType::Organization,
        "LegalEntity" => EntityType::Other,
        "Vessel" => EntityType::Vessel,
        "Airplane" => EntityType::Aircraft,
        _ => return None,
    })
}

/// The string values of a property (a list of strings, or one string); nested
/// entities and other values are left out.
fn strings<'a>(props: &'a Map<String, Value>, key: &str) -> Vec<&'a str> {
    match props.get(key) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The nested entities (objects) of a property.
fn objects<'a>(props: &'a Map<String, Value>, key: &str) -> Vec<&'a Map<String, Value>> {
    match props.get(key) {
        Some(Value::Object(o)) => vec![o],
        Some(Value::Array(values)) => values.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

fn caption(entity: &Map<String, Value>) -> Option<String> {
    let props = entity.get("properties").and_then(Value::as_object);
    props
        .and_then(|p| strings(p, "name").first().map(|s| squash(s)))
        .or_else(|| entity.get("caption").and_then(Value::as_str).map(squash))
        .or_else(|| entity.get("id").and_then(Value::as_str).map(str::to_string))
        .filter(|s| !s.is_empty())
}

const NAME_PROPS: [&str; 5] = ["name", "alias", "weakAlias", "previousName", "abbreviation"];
const COUNTRY_PROPS: [&str; 6] = [
    "country",
    "nationality",
    "citizenship",
    "jurisdiction",
    "mainCountry",
    "flag",
];
const NOTE_PROPS: [&str; 3] = ["notes", "summary", "description"];

type Failure = (Option<String>, String);

fn parse_entity(value: &Value) -> Result<Option<WatchlistEntry>, Failure> {
    let Some(obj) = value.as_object() else {
        return Err((None, "not a JSON object".to_string()));
    };
    let id = match obj.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_string(),
        _ => return Err((None, "missing \"id\"".to_string())),
    };
    let record = Some(id.clone());
    let Some(schema) = obj.get("schema").and_then(Value::as_str) else {
        return Err((record, "missing \"schema\"".to_string()));
    };
    let Some(etype) = schema_type(schema) else {
        return Ok(None);
    };
    let empty = Map::new();
    let props = match obj.get("properties") {
        Some(Value::Object(p)) => p,
        None | Some(Value::Null) => &empty,
        Some(_) => return Err((record, "\"properties\" is not an object".to_string())),
    };
    let mut names: Vec<String> = strings(props, "name")
        .into_iter()
        .map(squash)
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        let parts: Vec<&str> = [
            "firstName",
            "secondName",
            "middleName",
            "fatherName",
            "lastName",
        ]
        .iter()
        .filter_map(|k| strings(props, k).first().copied())
        .collect();
        let joined = squash(&parts.join(" "));
        if !joined.is_empty() {
            names.push(joined);
        } else if let Some(c) = obj
            .get("caption")
            .and_then(Value::as_str)
            .map(squash)
            .filter(|c| !c.is_empty())
        {
            names.push(c);
        }
    }
    let Some(name) = names.first().cloned() else {
        return Err((record, format!("{schema} without a name")));
    };
    let mut e = WatchlistEntry::new(SOURCE, id.clone(), etype, name);
    for key in NAME_PROPS {
        for n in strings(props, key) {
            e.push_alias(&squash(n));
        }
    }
    for p in strings(props, "position") {
        e.roles.push(DatedRole::undated(squash(p)));
    }
    for key in COUNTRY_PROPS {
        for c in strings(props, key) {
            push_unique(&mut e.countries, c);
        }
    }
    for key in ["program", "programId"] {
        for p in strings(props, key) {
            push_unique(&mut e.programs, p);
        }
    }
    // Nested exports: sanctions, occupancies and relations inline.
    for values in props.values() {
        let Value::Array(values) = values else {
            continue;
        };
        for nested in values.iter().filter_map(Value::as_object) {
            let nested_schema = nested
                .get("schema")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let Some(np) = nested.get("properties").and_then(Value::as_object) else {
                continue;
            };
            match nested_schema {
                "Sanction" => {
                    for p in strings(np, "program")
                        .into_iter()
                        .chain(strings(np, "programId"))
                    {
                        push_unique(&mut e.programs, p);
                    }
                }
                "Occupancy" => {
                    let posts: Vec<String> = objects(np, "post")
                        .into_iter()
                        .filter_map(caption)
                        .chain(strings(np, "post").into_iter().map(squash))
                        .collect();
                    let from = strings(np, "startDate").first().map(|s| s.to_string());
                    let to = strings(np, "endDate").first().map(|s| s.to_string());
                    for post in posts {
                        e.roles.push(DatedRole {
                            role: post,
                            from: from.clone(),
                            to: to.clone(),
                        });
                    }
                }
                _ => {
                    // A relation (Ownership, Family, ...): link every entity in it
                    // other than this one.
                    for (_, inner) in np {
                        let Value::Array(inner) = inner else { continue };
                        for other in inner.iter().filter_map(Value::as_object) {
                            if other.get("id").and_then(Value::as_str) == Some(id.as_str()) {
                                continue;
                            }
                            if other
                                .get("schema")
                                .and_then(Value::as_str)
                                .and_then(schema_type)
                                .is_some()
                            {
                                if let Some(c) = caption(other) {
                                    push_unique(&mut e.links, &c);
                                }
                            }
                        }
                    }
                    if schema_type(nested_schema).is_some() {
                        if let Some(c) = caption(nested) {
                            push_unique(&mut e.links, &c);
                        }
                    }
                }
            }
        }
    }
    let mut notes: Vec<String> = NOTE_PROPS
        .iter()
        .flat_map(|k| strings(props, k))
        .map(squash)
        .collect();
    let list = |key: &str| -> Vec<&str> {
        match obj.get(key) {
            Some(Value::Array(v)) => v.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    };
    let datasets = list("datasets");
    if !datasets.is_empty() {
        notes.push(format!("datasets: {}", datasets.join(", ")));
    }
    let topics = strings(props, "topics");
    if !topics.is_empty() {
        notes.push(format!("topics: {}", topics.join(", ")));
    }
    notes.retain(|n| !n.is_empty());
    e.notes = (!notes.is_empty()).then(|| notes.join(" | "));
    e.tidy();
    Ok(Some(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_from, Format};

    fn read_all(data: &str) -> Vec<Result<WatchlistEntry, KbError>> {
        read_from(data.as_bytes(), "targets.jsonl", Format::Ftm).collect()
    }

    const FLAT: &str = r#"{"id": "NK-prigozhin", "schema": "Person", "properties": {"name": ["Yevgeniy Viktorovich Prigozhin"], "alias": ["Евгений Викторович Пригожин", "Evgeny Prigozhin"], "weakAlias": ["Putin's chef"], "position": ["Founder of the Wagner Group"], "nationality": ["ru"], "birthDate": ["1961-06-01"], "topics": ["sanction"], "notes": ["Russian oligarch."]}, "datasets": ["us_ofac_sdn", "eu_fsf"], "referents": ["ofac-21171"]}
{"id": "NK-wagner", "schema": "Organization", "properties": {"name": ["PMC Wagner", "Wagner Group"], "alias": ["ЧВК Вагнер"], "country": ["ru"], "program": ["RUSSIA-EO14024"]}, "datasets": ["us_ofac_sdn"]}
{"id": "NK-sanction-1", "schema": "Sanction", "properties": {"entity": ["NK-wagner"], "program": ["TCO"]}}

{"id": "NK-vessel", "schema": "Vessel", "properties": {"name": ["SEA STAR"], "flag": ["pa"]}}
{"id": "NK-le", "schema": "LegalEntity", "properties": {"name": ["Concord Management and Consulting"]}}
"#;

    #[test]
    fn reads_flat_entities() {
        let out: Vec<_> = read_all(FLAT)
            .into_iter()
            .map(|r| r.expect("valid line"))
            .collect();
        let ids: Vec<_> = out.iter().map(|e| (e.id.as_str(), e.etype)).collect();
        assert_eq!(
            ids,
            [
                ("NK-prigozhin", EntityType::Person),
                ("NK-wagner", EntityType::Organization),
                ("NK-vessel", EntityType::Vessel),
                ("NK-le", EntityType::Other)
            ]
        );
        let p = &out[0];
        assert_eq!(p.source, "ftm");
        assert_eq!(p.name, "Yevgeniy Viktorovich Prigozhin");
        assert_eq!(
            p.aliases,
            [
                "Евгений Викторович Пригожин",
                "Evgeny Prigozhin",
                "Putin's chef"
            ]
        );
        assert_eq!(p.roles, [DatedRole::undated("Founder of the Wagner Group")]);
        assert_eq!(p.countries, ["ru"]);
        assert_eq!(
            p.notes.as_deref(),
            Some("Russian oligarch. | datasets: us_ofac_sdn, eu_fsf | topics: sanction")
        );
        let w = &out[1];
        assert_eq!(w.name, "PMC Wagner");
        assert_eq!(w.aliases, ["Wagner Group", "ЧВК Вагнер"]);
        assert_eq!(w.programs, ["RUSSIA-EO14024"]);
        assert_eq!(out[2].countries, ["pa"]);
    }

    #[test]
    fn reads_nested_entities() {
        let line = r#"{"id": "Q1", "schema": "Person", "properties": {"firstName": ["Sergei"], "lastName": ["Shoigu"],
          "sanctions": [{"id": "s1", "schema": "Sanction", "properties": {"program": ["EU Russia"]}}],
          "positionOccupancies": [{"id": "o1", "schema": "Occupancy", "properties": {"startDate": ["2012-11-06"], "endDate": ["2024-05-12"],
             "post": [{"id": "p1", "schema": "Position", "properties": {"name": ["Minister of Defence of Russia"]}}]}}],
          "familyPerson": [{"id": "f1", "schema": "Family", "properties": {"person": [{"id": "Q1", "schema": "Person", "properties": {"name": ["Sergei Shoigu"]}}],
             "relative": [{"id": "Q2", "schema": "Person", "properties": {"name": ["Ksenia Shoigu"]}}]}}]}}"#
            .replace('\n', " ");
        let out = read_all(&line);
        let e = out[0].as_ref().expect("valid nested line");
        assert_eq!(e.name, "Sergei Shoigu");
        assert_eq!(e.programs, ["EU Russia"]);
        assert_eq!(
            e.roles,
            [DatedRole {
                role: "Minister of Defence of Russia".into(),
                from: Some("2012-11-06".into()),
                to: Some("2024-05-12".into())
            }]
        );
        assert_eq!(e.links, ["Ksenia Shoigu"]);
    }

    #[test]
    fn bad_lines_are_reported_and_skipped() {
        let data = concat!(
            "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Good One\"]}}\n",
            "{\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Cut\n",
            "[1, 2]\n",
            "{\"schema\": \"Person\"}\n",
            "{\"id\": \"c\", \"schema\": \"Company\", \"properties\": {}}\n",
            "{\"id\": \"d\", \"schema\": \"Company\", \"properties\": {\"name\": \"Good Two\"}}\n",
        );
        let shown: Vec<String> = read_all(data)
            .iter()
            .map(|r| match r {
                Ok(e) => format!("ok {}", e.name),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(shown[0], "ok Good One");
        assert!(
            shown[1].starts_with("targets.jsonl:line 2: bad JSON"),
            "{shown:?}"
        );
        assert_eq!(shown[2], "targets.jsonl:line 3: not a JSON object");
        assert_eq!(shown[3], "targets.jsonl:line 4: missing \"id\"");
        assert_eq!(shown[4], "targets.jsonl:line 5 (c): Company without a name");
        assert_eq!(shown[5], "ok Good Two");
        assert_eq!(shown.len(), 6);
    }
}
