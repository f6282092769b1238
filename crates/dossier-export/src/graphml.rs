//! GraphML: entities as nodes, facts as directed edges, for Gephi, yEd, Cytoscape and
//! Maltego's GraphML import.
//!
//! One edge per fact (not per evidence): its modalities, sources and evidence texts
//! are joined, its `weight` is the number of pieces of evidence. A fact without object
//! (`Wagner -> MOBILIZE`) has no second end and is left out; the JSONL, FtM, GeoJSON and
//! events-csv exports carry those. Every attribute is declared with `attr.type` before
//! the graph; `label` and `weight` are the names Gephi maps to its own columns.

use std::io::Write;

use dossier_store::Store;

use crate::common::{confidence, distinct, each_entity, each_fact, modalities, source_names, xml_escape, Index};
use crate::{ExportError, Written};

/// `(id, for, attr.name, attr.type)` of every key, in the order written.
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("n_label", "node", "label", "string"),
    ("n_type", "node", "type", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_aliases", "node", "aliases", "string"),
    ("n_lat", "node", "lat", "double"),
    ("n_lon", "node", "lon", "double"),
    ("n_country", "node", "country", "string"),
    ("n_mentions", "node", "mentions", "int"),
    ("n_documents", "node", "documents", "int"),
    ("n_watchlists", "node", "watchlists", "string"),
    ("e_label", "edge", "label", "string"),
    ("e_fact", "edge", "fact", "string"),
    ("e_predicate", "edge", "predicate", "string"),
    ("e_mode", "edge", "mode", "string"),
    ("e_role", "edge", "role", "string"),
    ("e_modality", "edge", "modality", "string"),
    ("e_source", "edge", "source", "string"),
    ("e_when", "edge", "when", "string"),
    ("e_when_text", "edge", "when_text", "string"),
    ("e_precision", "edge", "precision", "string"),
    ("e_place", "edge", "place", "string"),
    ("e_count", "edge", "count", "long"),
    ("e_confidence", "edge", "confidence", "double"),
    ("e_weight", "edge", "weight", "double"),
    ("e_evidence", "edge", "evidence", "string"),
    ("e_documents", "edge", "documents", "string"),
];

fn data(out: &mut dyn Write, key: &str, value: &str) -> std::io::Result<()> {
    writeln!(out, "      <data key=\"{key}\">{}</data>", xml_escape(value))
}

/// Writes the store as one GraphML document: nodes ordered by type, name, id, then
/// edges ordered by fact id. `Written` counts nodes as entities and edges as facts.
pub fn write_graphml(store: &Store, out: &mut dyn Write) -> Result<Written, ExportError> {
    let mut written = Written::default();
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    )?;
    for (id, domain, name, ty) in KEYS {
        writeln!(out, "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>")?;
    }
    out.write_all(b"  <graph id=\"dossier\" edgedefault=\"directed\">\n")?;
    let mut index = Index::default();
    each_entity(store, |e| {
        index.insert(&e);
        writeln!(out, "    <node id=\"{}\">", xml_escape(&e.id))?;
        data(out, "n_label", &e.name)?;
        data(out, "n_type", &e.etype)?;
        if let Some(k) = &e.kind {
            data(out, "n_kind", k)?;
        }
        data(out, "n_aliases", &e.aliases.join("; "))?;
        if let Some((lat, lon)) = index.get(&e.id).and_then(|n| n.coords) {
            data(out, "n_lat", &lat.to_string())?;
            data(out, "n_lon", &lon.to_string())?;
        }
        if let Some(c) = e.place.as_ref().and_then(|p| p.country.as_deref()) {
            data(out, "n_country", c)?;
        }
        data(out, "n_mentions", &e.mentions.len().to_string())?;
        data(out, "n_documents", &distinct(e.mentions.iter().map(|m| m.0.as_str())).len().to_string())?;
        if !e.links.is_empty() {
            let links: Vec<String> = e.links.iter().map(|(source, id, name)| format!("{source}:{id} {name}")).collect();
            data(out, "n_watchlists", &links.join("; "))?;
        }
        out.write_all(b"    </node>\n")?;
        written.entities += 1;
        Ok(())
    })?;
    each_fact(store, |f| {
        let Some(object) = f.object.as_deref() else { return Ok(()) };
        if !index.contains(&f.subject) || !index.contains(object) {
            return Ok(());
        }
        writeln!(out, "    <edge id=\"{}\" source=\"{}\" target=\"{}\">", xml_escape(&f.id), xml_escape(&f.subject), xml_escape(object))?;
        data(out, "e_label", &f.predicate)?;
        data(out, "e_fact", &f.id)?;
        data(out, "e_predicate", &f.predicate)?;
        if let Some(m) = &f.mode {
            data(out, "e_mode", m)?;
        }
        if let Some(r) = &f.role {
            data(out, "e_role", r)?;
        }
        data(out, "e_modality", &modalities(&f).join("; "))?;
        let sources = source_names(&f, &index);
        if !sources.is_empty() {
            data(out, "e_source", &sources.join("; "))?;
        }
        if let Some(w) = &f.when {
            data(out, "e_when", &w.value)?;
            data(out, "e_when_text", &w.text)?;
            data(out, "e_precision", &w.precision)?;
        }
        if let Some(p) = &f.place {
            data(out, "e_place", index.name(p))?;
        }
        if let Some(c) = f.count {
            data(out, "e_count", &c.to_string())?;
        }
        data(out, "e_confidence", &confidence(&f).to_string())?;
        data(out, "e_weight", &f.evidence.len().max(1).to_string())?;
        let texts: Vec<&str> = f.evidence.iter().map(|e| e.text.trim()).collect();
        data(out, "e_evidence", &texts.join("\n"))?;
        let spans: Vec<String> = f.evidence.iter().map(|e| format!("{}:{}-{}", e.doc_id, e.start, e.end)).collect();
        data(out, "e_documents", &spans.join("; "))?;
        out.write_all(b"    </edge>\n")?;
        written.facts += 1;
        Ok(())
    })?;
    out.write_all(b"  </graph>\n</graphml>\n")?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::xml_clean;
    use crate::testdata::{self, NASTY_EVIDENCE, NASTY_NAME};
    use std::collections::{HashMap, HashSet};

    const NS: &str = "http://graphml.graphdrawing.org/xmlns";

    #[test]
    fn graphml_parses_back_with_declared_keys_and_known_endpoints() {
        let (store, da, db) = testdata::store();
        let mut out = Vec::new();
        let n = write_graphml(&store, &mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(NS), "graphml"));

        // Keys: declared once, before the graph, with a GraphML attr.type.
        let mut keys: HashMap<String, (String, String)> = HashMap::new();
        let mut seen_graph = false;
        for child in root.children().filter(|c| c.is_element()) {
            match child.tag_name().name() {
                "key" => {
                    assert!(!seen_graph, "key after graph");
                    let ty = child.attribute("attr.type").unwrap();
                    assert!(["boolean", "int", "long", "float", "double", "string"].contains(&ty));
                    let id = child.attribute("id").unwrap().to_string();
                    let prev = keys.insert(id.clone(), (child.attribute("for").unwrap().into(), ty.into()));
                    assert!(prev.is_none(), "key {id} declared twice");
                }
                "graph" => seen_graph = true,
                other => panic!("unexpected {other}"),
            }
        }
        let graph = root.children().find(|c| c.has_tag_name((NS, "graph"))).unwrap();
        assert_eq!(graph.attribute("edgedefault"), Some("directed"));

        let datas = |node: roxmltree::Node, domain: &str| -> HashMap<String, String> {
            node.children()
                .filter(|c| c.has_tag_name((NS, "data")))
                .map(|d| {
                    let key = d.attribute("key").unwrap();
                    let (for_, ty) = keys.get(key).unwrap_or_else(|| panic!("undeclared key {key}"));
                    assert_eq!(for_, domain);
                    let v = d.text().unwrap_or("").to_string();
                    match ty.as_str() {
                        "int" | "long" => assert!(v.parse::<i64>().is_ok(), "{key}={v}"),
                        "double" => assert!(v.parse::<f64>().is_ok(), "{key}={v}"),
                        _ => {}
                    }
                    (keys[key].0.clone() + ":" + &key[2..], v)
                })
                .collect()
        };
        let mut nodes: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut edges: HashMap<String, (String, String, HashMap<String, String>)> = HashMap::new();
        for c in graph.children().filter(|c| c.is_element()) {
            let id = c.attribute("id").unwrap().to_string();
            match c.tag_name().name() {
                "node" => {
                    assert!(edges.is_empty(), "node after an edge");
                    assert!(nodes.insert(id, datas(c, "node")).is_none());
                }
                "edge" => {
                    let (s, t) = (c.attribute("source").unwrap(), c.attribute("target").unwrap());
                    assert!(nodes.contains_key(s) && nodes.contains_key(t), "edge {id} has an unknown end");
                    assert!(edges.insert(id, (s.into(), t.into(), datas(c, "edge"))).is_none());
                }
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!((nodes.len() as u64, edges.len() as u64), (n.entities, n.facts));
        assert_eq!(nodes.len(), 12);
        // Facts without object (f6, f11) are not edges.
        let ids: HashSet<&str> = edges.keys().map(String::as_str).collect();
        assert!(!ids.contains("f6") && !ids.contains("f11") && ids.contains("f12"));

        // The nasty name and evidence come back as written, less what XML forbids.
        assert_eq!(nodes["e4"]["node:label"], xml_clean(NASTY_NAME));
        assert_eq!(nodes["e3"]["node:lat"], "53.9");
        assert!(!nodes["e12"].contains_key("node:lat"), "out-of-range coordinates are dropped");
        assert_eq!(nodes["e1"]["node:aliases"], "Prigozhin; Y.; Putin's chef; Yevgeny Prigozhin");
        let (s, t, f1) = &edges["f1"];
        assert_eq!((s.as_str(), t.as_str()), ("e1", "e2"));
        assert_eq!(f1["edge:predicate"], "CONSULT");
        assert_eq!(f1["edge:mode"], "meeting");
        assert_eq!(f1["edge:modality"], "asserted; alleged");
        assert_eq!(f1["edge:source"], "CNN");
        assert_eq!(f1["edge:when"], "2023-07-15");
        assert_eq!(f1["edge:precision"], "day");
        assert_eq!(f1["edge:place"], "Minsk");
        assert_eq!(f1["edge:count"], "2");
        assert_eq!(f1["edge:confidence"], "0.667");
        assert_eq!(f1["edge:weight"], "2");
        assert_eq!(f1["edge:evidence"], format!("{}\nThey met again.", xml_clean(NASTY_EVIDENCE)));
        assert_eq!(f1["edge:documents"], format!("{da}:0-{}; {db}:0-15", NASTY_EVIDENCE.chars().count()));
        assert_eq!(edges["f3"].2["edge:role"], "Defense Minister");

        // Deterministic.
        let mut again = Vec::new();
        write_graphml(&store, &mut again).unwrap();
        assert_eq!(out, again);
    }

    #[test]
    fn empty_store_is_a_valid_graph() {
        let store = Store::open_in_memory().unwrap();
        let mut out = Vec::new();
        assert_eq!(write_graphml(&store, &mut out).unwrap(), Written::default());
        roxmltree::Document::parse(std::str::from_utf8(&out).unwrap()).unwrap();
    }
}
