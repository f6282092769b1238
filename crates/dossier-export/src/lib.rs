//! Exports: the store, written in the formats analysts' tools read: the JSONL
//! contract ([`write_jsonl`]), FollowTheMoney entities ([`write_ftm`]), GraphML
//! ([`write_graphml`]), GEXF with time spells ([`write_gexf`]), Neo4j import CSVs
//! ([`write_neo4j`]), one CSV row per event ([`write_events_csv`]) and GeoJSON
//! ([`write_geojson`]).
//!
//! Key design decision: **export types are this crate's own.** Rows come from
//! `dossier-store`; each format has its own serialisable structs here, so the wire
//! contract (ONTOLOGY.md, "The export contract") is written down in one place and
//! changes only on purpose. Output is deterministic: the same store gives the same
//! bytes.
#![deny(missing_docs)]

use dossier_store::{DocumentRow, EntityRow, Fact, Store, StoreError};
use serde::Serialize;
use std::io::Write;

mod common;
mod events_csv;
mod ftm;
mod geojson;
mod gexf;
mod graphml;
mod neo4j;
#[cfg(test)]
mod testdata;

pub use events_csv::write_events_csv;
pub use ftm::write_ftm;
pub use geojson::write_geojson;
pub use gexf::write_gexf;
pub use graphml::write_graphml;
pub use neo4j::write_neo4j;

/// What can go wrong while exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the output failed.
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
    /// Serialising failed.
    #[error("serialise: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing CSV failed.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// Writing a file of a directory export failed.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// Counts of what an export wrote. What a record is depends on the format; each
/// `write_*` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Document records.
    pub documents: u64,
    /// Entity records (nodes, places, FtM entities).
    pub entities: u64,
    /// Fact records (JSONL: one per piece of evidence; graphs: edges; events-csv: rows).
    pub facts: u64,
}

#[derive(Serialize)]
struct MentionOut<'a> {
    doc: &'a str,
    start: u64,
    end: u64,
    text: &'a str,
}

#[derive(Serialize)]
struct EntityOut<'a> {
    kind: &'static str,
    id: &'a str,
    #[serde(rename = "type")]
    etype: &'a str,
    name: &'a str,
    aliases: &'a [String],
    mentions: Vec<MentionOut<'a>>,
    attributes: serde_json::Map<String, serde_json::Value>,
}

impl<'a> From<&'a EntityRow> for EntityOut<'a> {
    fn from(e: &'a EntityRow) -> Self {
        let mut attributes = match &e.attributes {
            serde_json::Value::Object(m) => m.clone(),
            _ => serde_json::Map::new(),
        };
        if let Some(p) = &e.place {
            attributes.insert("lat".into(), p.lat.into());
            attributes.insert("lon".into(), p.lon.into());
            if let Some(c) = &p.country {
                attributes.insert("country".into(), c.clone().into());
            }
        }
        if let Some(k) = &e.kind {
            attributes.insert("kind".into(), k.clone().into());
        }
        if !e.links.is_empty() {
            let links: Vec<serde_json::Value> = e
                .links
                .iter()
                .map(|(source, id, name)| serde_json::json!({"source": source, "id": id, "name": name}))
                .collect();
            attributes.insert("watchlists".into(), links.into());
        }
        EntityOut {
            kind: "entity",
            id: &e.id,
            etype: &e.etype,
            name: &e.name,
            aliases: &e.aliases,
            mentions: e.mentions.iter().map(|(doc, start, end, text)| MentionOut { doc, start: *start, end: *end, text }).collect(),
            attributes,
        }
    }
}

#[derive(Serialize)]
struct SpanOut {
    start: u64,
    end: u64,
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    kind: &'static str,
    id: &'a str,
    path: &'a str,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    published: Option<&'a str>,
    lang: Option<&'a str>,
    furniture: Vec<SpanOut>,
}

impl<'a> From<&'a DocumentRow> for DocumentOut<'a> {
    fn from(d: &'a DocumentRow) -> Self {
        DocumentOut {
            kind: "document",
            id: &d.id,
            path: &d.path,
            title: d.title.as_deref(),
            outlet: d.outlet.as_deref(),
            published: d.published.as_deref(),
            lang: d.lang.as_deref(),
            furniture: d.furniture.iter().map(|&(start, end)| SpanOut { start, end }).collect(),
        }
    }
}

#[derive(Serialize)]
struct WhenOut<'a> {
    value: &'a str,
    text: &'a str,
    precision: &'a str,
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    doc: &'a str,
    start: u64,
    end: u64,
    text: &'a str,
}

#[derive(Serialize)]
struct FactOut<'a> {
    kind: &'static str,
    id: &'a str,
    subject: &'a str,
    predicate: &'a str,
    object: Option<&'a str>,
    mode: Option<&'a str>,
    role: Option<&'a str>,
    when: Option<WhenOut<'a>>,
    #[serde(rename = "where")]
    place: Option<&'a str>,
    count: Option<i64>,
    modality: &'a str,
    source: Option<&'a str>,
    evidence: EvidenceOut<'a>,
    confidence: f64,
}

/// The contract's fact records for one fact: one line per piece of evidence, each with
/// the fact's id, that sentence's modality, source and time, and the fact's confidence.
fn fact_lines(f: &Fact) -> impl Iterator<Item = FactOut<'_>> {
    f.evidence.iter().map(move |e| {
        let when = f.when.as_ref().map(|w| WhenOut { value: &w.value, text: &w.text, precision: &w.precision });
        FactOut {
            kind: "fact",
            id: &f.id,
            subject: &f.subject,
            predicate: &f.predicate,
            object: f.object.as_deref(),
            mode: f.mode.as_deref(),
            role: f.role.as_deref(),
            when,
            place: f.place.as_deref(),
            count: f.count,
            modality: &e.modality,
            source: e.source.as_deref(),
            evidence: EvidenceOut { doc: &e.doc_id, start: e.start, end: e.end, text: &e.text },
            confidence: (f.confidence * 1000.0).round() / 1000.0,
        }
    })
}

/// Writes the JSONL export: one JSON object per line, documents ordered by path,
/// then entities ordered by type, name, id, then facts ordered by id (a fact with
/// several pieces of evidence is written once per evidence, with the same id), then
/// the human judgements (`kind: "judgement"`) in the order made.
pub fn write_jsonl(store: &Store, out: &mut dyn Write) -> Result<Written, ExportError> {
    let mut written = Written::default();
    let mut io_err: Option<ExportError> = None;
    store.for_each_document(|d| {
        let line = DocumentOut::from(&d);
        let res = serde_json::to_writer(&mut *out, &line).map_err(ExportError::from).and_then(|()| {
            out.write_all(b"\n")?;
            Ok(())
        });
        if let Err(e) = res {
            io_err.get_or_insert(e);
        } else {
            written.documents += 1;
        }
        Ok(())
    })?;
    if io_err.is_none() {
        // Linked watchlist entries carry their aliases, dated roles and programmes.
        let lists: std::collections::HashMap<(String, String), dossier_store::WatchlistRow> =
            store.watchlist()?.into_iter().map(|w| ((w.source.clone(), w.list_id.clone()), w)).collect();
        store.for_each_entity(|e| {
            let mut line = EntityOut::from(&e);
            if let Some(serde_json::Value::Array(links)) = line.attributes.get_mut("watchlists") {
                for l in links.iter_mut() {
                    let key = (l["source"].as_str().unwrap_or("").to_string(), l["id"].as_str().unwrap_or("").to_string());
                    if let (Some(w), Some(obj)) = (lists.get(&key), l.as_object_mut()) {
                        obj.insert("aliases".into(), w.aliases.clone().into());
                        let roles: Vec<serde_json::Value> =
                            w.roles.iter().map(|(role, from, to)| serde_json::json!({"role": role, "from": from, "to": to})).collect();
                        obj.insert("roles".into(), roles.into());
                        obj.insert("programs".into(), w.programs.clone().into());
                    }
                }
            }
            let res = serde_json::to_writer(&mut *out, &line).map_err(ExportError::from).and_then(|()| {
                out.write_all(b"\n")?;
                Ok(())
            });
            match res {
                Ok(()) => written.entities += 1,
                Err(e) => {
                    io_err.get_or_insert(e);
                }
            }
            Ok(())
        })?;
    }
    if io_err.is_none() {
        store.for_each_fact(|f| {
            for line in fact_lines(&f) {
                let res = serde_json::to_writer(&mut *out, &line).map_err(ExportError::from).and_then(|()| {
                    out.write_all(b"\n")?;
                    Ok(())
                });
                match res {
                    Ok(()) => written.facts += 1,
                    Err(e) => {
                        io_err.get_or_insert(e);
                        break;
                    }
                }
            }
            Ok(())
        })?;
    }
    if io_err.is_none() {
        for (action, a, b) in store.judgements()? {
            let line = serde_json::json!({"kind": "judgement", "action": action, "a": a, "b": b});
            if let Err(e) = serde_json::to_writer(&mut *out, &line).map_err(ExportError::from).and_then(|()| {
                out.write_all(b"\n")?;
                Ok(())
            }) {
                io_err.get_or_insert(e);
                break;
            }
        }
    }
    match io_err {
        Some(e) => Err(e),
        None => Ok(written),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_store::NewDocument;
    use dossier_text::{read_document, Format, ReadLimits};

    #[test]
    fn jsonl_documents_follow_the_contract() {
        let mut store = Store::open_in_memory().unwrap();
        for (path, text) in [("b.txt", "Zed story\n\nIt ran.\n\nRelated Articles\n"), ("a.txt", "Moscow, July 15 (EFE).- Café news.\n")] {
            let doc = read_document(text.as_bytes(), Format::Text, ReadLimits::default()).unwrap();
            store.put_document(&NewDocument { source_key: path, path, line: None, doc: &doc, sentences: &[], mentions: &[], claims: &[] }).unwrap();
        }
        let mut out = Vec::new();
        let n = write_jsonl(&store, &mut out).unwrap();
        assert_eq!(n.documents, 2);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines[0]["path"], "a.txt");
        assert_eq!(lines[0]["outlet"], "EFE");
        assert_eq!(lines[0]["published"], "--07-15");
        assert_eq!(lines[1]["kind"], "document");
        assert_eq!(lines[1]["furniture"][0]["start"], 20);
        assert_eq!(lines[1]["furniture"][0]["end"], 36);
        let keys: Vec<&str> = lines[1].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 8);
    }
}
