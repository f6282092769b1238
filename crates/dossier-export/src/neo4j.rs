//! Neo4j: a directory of CSV files in `neo4j-admin database import` format, the
//! `import.sh` that runs that import, and a `load.cypher` that loads the same files
//! with `LOAD CSV` for those without neo4j-admin (or with a database to add to).
//!
//! | file | what |
//! |---|---|
//! | `entities.csv` | nodes `:Entity` plus `:Person`, `:Organization`, `:Place`, `:Group` or `:Product`, ID space `Entity` |
//! | `documents.csv` | nodes `:Document`, ID space `Document` |
//! | `facts.csv` | one relationship per fact with an object, typed by its predicate (`CONSULT`, `HOLDS_POSITION`) |
//! | `mentions.csv` | `MENTIONED_IN` from each entity to each document naming it, with a count |
//!
//! Arrays use `;` (neo4j-admin's default delimiter; a `;` inside an element becomes
//! `,`). Text is on one line, so no `--multiline-fields` is needed. Facts without object
//! are not relationships; the other exports carry them.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use dossier_store::Store;

use crate::common::{confidence, distinct, each_entity, each_fact, modalities, one_line, Index};
use crate::{ExportError, Written};

/// Node file headers.
const ENTITY_HEADER: &[&str] =
    &["id:ID(Entity)", "name", "type", "kind", ":LABEL", "aliases:string[]", "lat:float", "lon:float", "country", "mentions:int", "watchlists:string[]"];
const DOCUMENT_HEADER: &[&str] = &["id:ID(Document)", "path", "title", "outlet", "published", "url", "lang", ":LABEL"];
/// Relationship file headers.
const FACT_HEADER: &[&str] = &[
    ":START_ID(Entity)",
    ":END_ID(Entity)",
    ":TYPE",
    "id",
    "predicate",
    "mode",
    "role",
    "when",
    "when_text",
    "precision",
    "place",
    "place_name",
    "count:long",
    "confidence:float",
    "modality:string[]",
    "source:string[]",
    "documents:string[]",
    "n_evidence:int",
    "evidence",
];
const MENTION_HEADER: &[&str] = &[":START_ID(Entity)", ":END_ID(Document)", ":TYPE", "count:int"];

/// The label an entity type gets beside `Entity`.
fn label(etype: &str) -> &'static str {
    match etype {
        "PERSON" => "Person",
        "ORG" => "Organization",
        "GPE" | "LOC" | "FAC" => "Place",
        "NORP" => "Group",
        "PRODUCT" => "Product",
        _ => "Other",
    }
}

/// A predicate as a relationship type: upper case, `[A-Z0-9_]` only.
fn rel_type(predicate: &str) -> String {
    let t: String = predicate.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    if t.is_empty() {
        "RELATED".into()
    } else {
        t
    }
}

/// Array elements joined with `;`, a `;` inside one written as `,`.
fn array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().map(|s| one_line(s).replace(';', ",")).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(";")
}

struct CsvFile {
    path: PathBuf,
    w: csv::Writer<BufWriter<File>>,
}

impl CsvFile {
    fn create(dir: &Path, name: &str, header: &[&str]) -> Result<CsvFile, ExportError> {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|source| ExportError::File { path: path.clone(), source })?;
        let mut w = csv::Writer::from_writer(BufWriter::new(file));
        w.write_record(header)?;
        Ok(CsvFile { path, w })
    }

    fn row<I: AsRef<[u8]>>(&mut self, fields: impl IntoIterator<Item = I>) -> Result<(), ExportError> {
        Ok(self.w.write_record(fields)?)
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.w.flush().map_err(|source| ExportError::File { path: self.path.clone(), source })
    }
}

fn write_file(path: PathBuf, text: &str) -> Result<(), ExportError> {
    std::fs::write(&path, text).map_err(|source| ExportError::File { path, source })
}

/// Writes the Neo4j import directory `dir` (created if missing; our files in it are
/// replaced): documents, entities, facts with an object, mentions, `import.sh` and
/// `load.cypher`. Rows follow the store's order. `Written` counts document and entity
/// nodes and fact relationships.
pub fn write_neo4j(store: &Store, dir: &Path) -> Result<Written, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::File { path: dir.to_path_buf(), source })?;
    let mut written = Written::default();

    let mut docs = CsvFile::create(dir, "documents.csv", DOCUMENT_HEADER)?;
    let mut doc_ids = HashSet::new();
    let mut err = None;
    store.for_each_document(|d| {
        if err.is_some() {
            return Ok(());
        }
        let o = |s: &Option<String>| s.as_deref().map(one_line).unwrap_or_default();
        let res = docs.row([d.id.clone(), one_line(&d.path), o(&d.title), o(&d.outlet), o(&d.published), o(&d.url), o(&d.lang), "Document".into()]);
        match res {
            Ok(()) => {
                written.documents += 1;
                doc_ids.insert(d.id);
            }
            Err(e) => err = Some(e),
        }
        Ok(())
    })?;
    if let Some(e) = err {
        return Err(e);
    }
    docs.finish()?;

    let mut ents = CsvFile::create(dir, "entities.csv", ENTITY_HEADER)?;
    let mut ments = CsvFile::create(dir, "mentions.csv", MENTION_HEADER)?;
    let mut index = Index::default();
    each_entity(store, |e| {
        index.insert(&e);
        let coords = index.get(&e.id).and_then(|n| n.coords);
        let links: Vec<String> = e.links.iter().map(|(source, id, name)| format!("{source}:{id} {name}")).collect();
        ents.row([
            e.id.clone(),
            one_line(&e.name),
            e.etype.clone(),
            e.kind.as_deref().map(one_line).unwrap_or_default(),
            format!("Entity;{}", label(&e.etype)),
            array(e.aliases.iter().map(String::as_str)),
            coords.map(|c| c.0.to_string()).unwrap_or_default(),
            coords.map(|c| c.1.to_string()).unwrap_or_default(),
            e.place.as_ref().and_then(|p| p.country.as_deref()).map(one_line).unwrap_or_default(),
            e.mentions.len().to_string(),
            array(links.iter().map(String::as_str)),
        ])?;
        written.entities += 1;
        for doc in distinct(e.mentions.iter().map(|m| m.0.as_str())) {
            if doc_ids.contains(doc) {
                let n = e.mentions.iter().filter(|m| m.0 == doc).count();
                ments.row([e.id.as_str(), doc, "MENTIONED_IN", &n.to_string()])?;
            }
        }
        Ok(())
    })?;
    ents.finish()?;
    ments.finish()?;

    let mut facts = CsvFile::create(dir, "facts.csv", FACT_HEADER)?;
    let mut types = BTreeSet::new();
    each_fact(store, |f| {
        let Some(object) = f.object.as_deref() else { return Ok(()) };
        if !index.contains(&f.subject) || !index.contains(object) {
            return Ok(());
        }
        let ty = rel_type(&f.predicate);
        let w = f.when.as_ref();
        let o = |s: Option<&str>| s.map(one_line).unwrap_or_default();
        let sources: Vec<&str> = distinct(f.evidence.iter().filter_map(|e| e.source.as_deref()));
        let evidence: Vec<String> = f.evidence.iter().map(|e| one_line(&e.text)).collect();
        facts.row([
            f.subject.clone(),
            object.to_string(),
            ty.clone(),
            f.id.clone(),
            f.predicate.clone(),
            o(f.mode.as_deref()),
            o(f.role.as_deref()),
            o(w.map(|w| w.value.as_str())),
            o(w.map(|w| w.text.as_str())),
            o(w.map(|w| w.precision.as_str())),
            o(f.place.as_deref()),
            o(f.place.as_deref().map(|p| index.name(p))),
            f.count.map(|c| c.to_string()).unwrap_or_default(),
            confidence(&f).to_string(),
            array(modalities(&f)),
            array(sources.iter().map(|s| index.name(s))),
            array(distinct(f.evidence.iter().map(|e| e.doc_id.as_str()))),
            f.evidence.len().to_string(),
            evidence.join(" | "),
        ])?;
        types.insert(ty);
        written.facts += 1;
        Ok(())
    })?;
    facts.finish()?;

    write_file(dir.join("import.sh"), IMPORT_SH)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("import.sh");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(|source| ExportError::File { path, source })?;
    }
    write_file(dir.join("load.cypher"), &load_cypher(&types))?;
    Ok(written)
}

const IMPORT_SH: &str = r#"#!/bin/sh
# Builds a Neo4j database from this dossier export with neo4j-admin (Neo4j 5).
# The target database must be new or stopped; --overwrite-destination replaces it.
# Usage: ./import.sh [DATABASE]    (default: neo4j)
# Neo4j 4.x: neo4j-admin import --database=DATABASE with the same --nodes/--relationships.
set -eu
cd "$(dirname "$0")"
exec neo4j-admin database import full \
  --overwrite-destination=true \
  --array-delimiter=';' \
  --nodes=documents.csv \
  --nodes=entities.csv \
  --relationships=mentions.csv \
  --relationships=facts.csv \
  "${1:-neo4j}"
"#;

/// The Cypher script: constraints, then one `LOAD CSV` per file, one per relationship
/// type for the facts (Cypher cannot take a relationship type from a column).
fn load_cypher(types: &BTreeSet<String>) -> String {
    let mut s = String::from(
        "// Loads this dossier export into a running Neo4j 5 with LOAD CSV, no neo4j-admin needed:\n\
// copy the .csv files of this directory into Neo4j's import directory, then\n\
//   cypher-shell -u neo4j -p PASSWORD -f load.cypher\n\
// MERGE makes it safe to run again. For large exports prefer import.sh.\n\n\
CREATE CONSTRAINT dossier_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n\
CREATE CONSTRAINT dossier_document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;\n\n\
LOAD CSV WITH HEADERS FROM 'file:///documents.csv' AS row\n\
MERGE (d:Document {id: row.`id:ID(Document)`})\n\
SET d.path = row.path, d.title = row.title, d.outlet = row.outlet, d.published = row.published, d.url = row.url, d.lang = row.lang;\n\n\
LOAD CSV WITH HEADERS FROM 'file:///entities.csv' AS row\n\
MERGE (n:Entity {id: row.`id:ID(Entity)`})\n\
SET n.name = row.name, n.type = row.type, n.kind = row.kind, n.aliases = split(row.`aliases:string[]`, ';'),\n\
    n.lat = toFloat(row.`lat:float`), n.lon = toFloat(row.`lon:float`), n.country = row.country,\n\
    n.mentions = toInteger(row.`mentions:int`), n.watchlists = split(row.`watchlists:string[]`, ';')\n",
    );
    for l in ["Person", "Organization", "Place", "Group", "Product", "Other"] {
        s.push_str(&format!("FOREACH (_ IN CASE WHEN row.`:LABEL` = 'Entity;{l}' THEN [1] ELSE [] END | SET n:{l})\n"));
    }
    s.pop();
    s.push_str(";\n\n");
    s.push_str(
        "LOAD CSV WITH HEADERS FROM 'file:///mentions.csv' AS row\n\
MATCH (n:Entity {id: row.`:START_ID(Entity)`}), (d:Document {id: row.`:END_ID(Document)`})\n\
MERGE (n)-[r:MENTIONED_IN]->(d)\n\
SET r.count = toInteger(row.`count:int`);\n",
    );
    for t in types {
        s.push_str(&format!(
            "\nLOAD CSV WITH HEADERS FROM 'file:///facts.csv' AS row\n\
WITH row WHERE row.`:TYPE` = '{t}'\n\
MATCH (a:Entity {{id: row.`:START_ID(Entity)`}}), (b:Entity {{id: row.`:END_ID(Entity)`}})\n\
MERGE (a)-[r:{t} {{id: row.id}}]->(b)\n\
SET r.predicate = row.predicate, r.mode = row.mode, r.role = row.role, r.when = row.when, r.when_text = row.when_text,\n\
    r.precision = row.precision, r.place = row.place, r.place_name = row.place_name, r.count = toInteger(row.`count:long`),\n\
    r.confidence = toFloat(row.`confidence:float`), r.modality = split(row.`modality:string[]`, ';'),\n\
    r.source = split(row.`source:string[]`, ';'), r.documents = split(row.`documents:string[]`, ';'),\n\
    r.n_evidence = toInteger(row.`n_evidence:int`), r.evidence = row.evidence;\n"
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;
    use std::collections::HashMap;

    /// What neo4j-admin accepts after a `:` in a header field.
    const TYPES: &[&str] =
        &["int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date", "localtime", "time", "localdatetime", "datetime", "duration"];

    struct Parsed {
        header: Vec<String>,
        rows: Vec<HashMap<String, String>>,
    }

    fn parse(dir: &Path, name: &str) -> Parsed {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<HashMap<String, String>> = r
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                assert_eq!(rec.len(), header.len(), "{name}: ragged row");
                header.iter().cloned().zip(rec.iter().map(String::from)).collect()
            })
            .collect();
        // One record a line: no field holds a line break.
        assert_eq!(text.lines().count(), rows.len() + 1, "{name}");
        Parsed { header, rows }
    }

    /// Checks a header against neo4j-admin's rules; returns the ID spaces of its
    /// `:ID` (node file) or of `:START_ID` and `:END_ID` (relationship file).
    fn check_header(name: &str, header: &[String], node_file: bool) -> Vec<String> {
        let mut spaces = Vec::new();
        let mut seen = HashSet::new();
        for field in header {
            let (prop, ty) = field.split_once(':').unwrap_or((field, ""));
            if !prop.is_empty() {
                assert!(seen.insert(prop.to_string()), "{name}: property {prop} twice");
            }
            let base = ty.split('(').next().unwrap();
            match base {
                "ID" | "START_ID" | "END_ID" => {
                    assert_eq!(base == "ID", node_file, "{name}: {field}");
                    let space = ty.strip_prefix(base).unwrap().trim_start_matches('(').trim_end_matches(')');
                    spaces.push(space.to_string());
                }
                "LABEL" => assert!(node_file && prop.is_empty(), "{name}: {field}"),
                "TYPE" => assert!(!node_file && prop.is_empty(), "{name}: {field}"),
                "" => {}
                t => assert!(TYPES.contains(&t.trim_end_matches("[]")), "{name}: bad type in {field}"),
            }
        }
        let count = |t: &str| header.iter().filter(|f| f.contains(t)).count();
        if node_file {
            assert_eq!(count(":ID"), 1, "{name}: exactly one :ID");
        } else {
            assert_eq!((count(":START_ID"), count(":END_ID"), count(":TYPE")), (1, 1, 1), "{name}");
        }
        spaces
    }

    #[test]
    fn neo4j_files_follow_the_import_header_rules() {
        let (store, da, _) = testdata::store();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let n = write_neo4j(&store, &dir).unwrap();
        assert_eq!((n.documents, n.entities, n.facts), (2, 12, 11));
        let docs = parse(&dir, "documents.csv");
        let ents = parse(&dir, "entities.csv");
        let facts = parse(&dir, "facts.csv");
        let ments = parse(&dir, "mentions.csv");
        assert_eq!(check_header("documents.csv", &docs.header, true), ["Document"]);
        assert_eq!(check_header("entities.csv", &ents.header, true), ["Entity"]);
        assert_eq!(check_header("facts.csv", &facts.header, false), ["Entity", "Entity"]);
        assert_eq!(check_header("mentions.csv", &ments.header, false), ["Entity", "Document"]);

        let id_of = |p: &Parsed, col: &str| -> HashSet<String> { p.rows.iter().map(|r| r[col].clone()).collect() };
        let entity_ids = id_of(&ents, "id:ID(Entity)");
        let doc_ids = id_of(&docs, "id:ID(Document)");
        assert_eq!((entity_ids.len(), doc_ids.len()), (ents.rows.len(), docs.rows.len()), "unique ids");
        for r in &facts.rows {
            assert!(entity_ids.contains(&r[":START_ID(Entity)"]) && entity_ids.contains(&r[":END_ID(Entity)"]));
            assert!(r[":TYPE"].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
            assert!(r["confidence:float"].parse::<f64>().is_ok());
            assert!(r["n_evidence:int"].parse::<i64>().is_ok());
            assert!(r["count:long"].is_empty() || r["count:long"].parse::<i64>().is_ok());
        }
        for r in &ments.rows {
            assert!(entity_ids.contains(&r[":START_ID(Entity)"]) && doc_ids.contains(&r[":END_ID(Document)"]));
            assert_eq!(r[":TYPE"], "MENTIONED_IN");
        }
        for r in &ents.rows {
            assert!(r[":LABEL"].split(';').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric())));
            for c in ["lat:float", "lon:float"] {
                assert!(r[c].is_empty() || r[c].parse::<f64>().is_ok());
            }
        }
        let ent = |id: &str| ents.rows.iter().find(|r| r["id:ID(Entity)"] == id).unwrap();
        // Arrays split on ';' into the elements; a ';' inside one became ','.
        let aliases: Vec<&str> = ent("e1")["aliases:string[]"].split(';').collect();
        assert_eq!(aliases, ["Prigozhin, Y.", "Putin's chef", "Yevgeny Prigozhin"]);
        assert_eq!(ent("e4")["name"], one_line(testdata::NASTY_NAME));
        assert_eq!(ent("e4")[":LABEL"], "Entity;Organization");
        assert_eq!((ent("e3")["lat:float"].as_str(), ent("e3")["lon:float"].as_str()), ("53.9", "27.5667"));
        let f1 = facts.rows.iter().find(|r| r["id"] == "f1").unwrap();
        assert_eq!(f1[":TYPE"], "CONSULT");
        assert_eq!(f1["modality:string[]"], "asserted;alleged");
        assert_eq!(f1["source:string[]"], "CNN");
        assert_eq!(f1["evidence"], format!("{} | They met again.", one_line(testdata::NASTY_EVIDENCE)));
        let f3 = facts.rows.iter().find(|r| r["id"] == "f3").unwrap();
        assert_eq!((f3[":TYPE"].as_str(), f3["role"].as_str()), ("HOLDS_POSITION", "Defense Minister"));
        let russia = ments.rows.iter().filter(|r| r[":START_ID(Entity)"] == "e8").count();
        assert_eq!(russia, 2);
        assert!(ments.rows.iter().any(|r| r[":START_ID(Entity)"] == "e1" && r[":END_ID(Document)"] == da && r["count:int"] == "1"));

        // Quoting: the raw file quotes the fields holding quotes or the delimiter.
        let raw = std::fs::read_to_string(dir.join("entities.csv")).unwrap();
        assert!(raw.contains(r#""Wagner <Group> & ""Co""; 'PMC' Ltd""#), "{raw}");

        let script = std::fs::read_to_string(dir.join("import.sh")).unwrap();
        for f in ["--nodes=documents.csv", "--nodes=entities.csv", "--relationships=facts.csv", "--relationships=mentions.csv"] {
            assert!(script.contains(f));
        }
        let cypher = std::fs::read_to_string(dir.join("load.cypher")).unwrap();
        for t in ["CONSULT", "HOLDS_POSITION", "OWNS", "MEMBER_OF"] {
            assert!(cypher.contains(&format!("MERGE (a)-[r:{t} {{id: row.id}}]->(b)")), "{t}");
        }
        // Every column the script reads is in its file's header.
        for (file, p) in [("documents.csv", &docs), ("entities.csv", &ents), ("mentions.csv", &ments), ("facts.csv", &facts)] {
            for part in cypher.split(&format!("'file:///{file}' AS row")).skip(1) {
                let stmt = part.split(";\n").next().unwrap();
                for col in stmt.split("row.").skip(1) {
                    let col = if let Some(rest) = col.strip_prefix('`') { rest.split('`').next().unwrap() } else { col.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap() };
                    assert!(p.header.iter().any(|h| h == col), "{file}: load.cypher reads {col}");
                }
            }
        }

        // Deterministic.
        let again = tmp.path().join("again");
        write_neo4j(&store, &again).unwrap();
        for f in ["documents.csv", "entities.csv", "facts.csv", "mentions.csv", "import.sh", "load.cypher"] {
            assert_eq!(std::fs::read(dir.join(f)).unwrap(), std::fs::read(again.join(f)).unwrap(), "{f}");
        }
    }
}
