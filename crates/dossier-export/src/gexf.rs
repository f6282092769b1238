//! GEXF 1.3, dynamic: the graph of [`crate::write_graphml`] with time spells on the
//! edges, for Gephi's timeline.
//!
//! An edge's spells are the days its evidence and its `when` cover (`timeformat="date"`):
//! a partial date spans its whole month or year (`2023-07` is `2023-07-01`..`2023-07-31`),
//! an interval `2013/2014` runs from the first day of its start to the last of its end;
//! dates without a year (`--07-15`) give no spell. An edge without spells is present at
//! all times, and so are the nodes. The edge `kind` is the predicate, so Gephi keeps
//! facts of different predicates between the same two actors apart.

use std::io::Write;

use dossier_store::{Fact, Store};

use crate::common::{confidence, date_bounds, distinct, each_entity, each_fact, modalities, source_names, xml_escape, Index};
use crate::{ExportError, Written};

/// `(id = title, type)` of the node attributes, then of the edge attributes.
const NODE_ATTRS: &[(&str, &str)] = &[
    ("type", "string"),
    ("kind", "string"),
    ("aliases", "string"),
    ("lat", "double"),
    ("lon", "double"),
    ("country", "string"),
    ("mentions", "integer"),
    ("documents", "integer"),
];
const EDGE_ATTRS: &[(&str, &str)] = &[
    ("fact", "string"),
    ("predicate", "string"),
    ("mode", "string"),
    ("role", "string"),
    ("modality", "string"),
    ("source", "string"),
    ("when", "string"),
    ("when_text", "string"),
    ("precision", "string"),
    ("place", "string"),
    ("count", "long"),
    ("confidence", "double"),
    ("evidence", "string"),
    ("documents", "string"),
];

fn attvalues(out: &mut dyn Write, values: &[(&str, String)]) -> std::io::Result<()> {
    out.write_all(b"        <attvalues>\n")?;
    for (k, v) in values {
        writeln!(out, "          <attvalue for=\"{k}\" value=\"{}\"/>", xml_escape(v))?;
    }
    out.write_all(b"        </attvalues>\n")
}

/// The distinct `(start, end)` day spans of a fact, sorted.
fn spells(f: &Fact) -> Vec<(String, String)> {
    let values = f.evidence.iter().filter_map(|e| e.when_value.as_deref()).chain(f.when.as_ref().map(|w| w.value.as_str()));
    let mut spells: Vec<(String, String)> = values.filter_map(date_bounds).collect();
    spells.sort();
    spells.dedup();
    spells
}

/// Writes the store as one GEXF 1.3 document (dynamic, `timeformat="date"`): nodes
/// ordered by type, name, id, then edges ordered by fact id. Facts without object are
/// left out. `Written` counts nodes as entities and edges as facts.
pub fn write_gexf(store: &Store, out: &mut dyn Write) -> Result<Written, ExportError> {
    let mut written = Written::default();
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n\
  <meta>\n    <creator>dossier</creator>\n    <description>Actors and the facts between them, with evidence</description>\n  </meta>\n\
  <graph mode=\"dynamic\" defaultedgetype=\"directed\" timeformat=\"date\" timerepresentation=\"interval\">\n",
    )?;
    for (class, attrs) in [("node", NODE_ATTRS), ("edge", EDGE_ATTRS)] {
        writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">")?;
        for (id, ty) in attrs {
            writeln!(out, "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>")?;
        }
        out.write_all(b"    </attributes>\n")?;
    }
    out.write_all(b"    <nodes>\n")?;
    let mut index = Index::default();
    each_entity(store, |e| {
        index.insert(&e);
        writeln!(out, "      <node id=\"{}\" label=\"{}\">", xml_escape(&e.id), xml_escape(&e.name))?;
        let mut values = vec![("type", e.etype.clone())];
        if let Some(k) = &e.kind {
            values.push(("kind", k.clone()));
        }
        values.push(("aliases", e.aliases.join("; ")));
        if let Some((lat, lon)) = index.get(&e.id).and_then(|n| n.coords) {
            values.push(("lat", lat.to_string()));
            values.push(("lon", lon.to_string()));
        }
        if let Some(c) = e.place.as_ref().and_then(|p| p.country.clone()) {
            values.push(("country", c));
        }
        values.push(("mentions", e.mentions.len().to_string()));
        values.push(("documents", distinct(e.mentions.iter().map(|m| m.0.as_str())).len().to_string()));
        attvalues(out, &values)?;
        out.write_all(b"      </node>\n")?;
        written.entities += 1;
        Ok(())
    })?;
    out.write_all(b"    </nodes>\n    <edges>\n")?;
    each_fact(store, |f| {
        let Some(object) = f.object.as_deref() else { return Ok(()) };
        if !index.contains(&f.subject) || !index.contains(object) {
            return Ok(());
        }
        writeln!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{}\" kind=\"{}\" weight=\"{}\">",
            xml_escape(&f.id),
            xml_escape(&f.subject),
            xml_escape(object),
            xml_escape(&f.predicate),
            xml_escape(&f.predicate),
            f.evidence.len().max(1)
        )?;
        let mut values = vec![("fact", f.id.clone()), ("predicate", f.predicate.clone())];
        if let Some(m) = &f.mode {
            values.push(("mode", m.clone()));
        }
        if let Some(r) = &f.role {
            values.push(("role", r.clone()));
        }
        values.push(("modality", modalities(&f).join("; ")));
        let sources = source_names(&f, &index);
        if !sources.is_empty() {
            values.push(("source", sources.join("; ")));
        }
        if let Some(w) = &f.when {
            values.push(("when", w.value.clone()));
            values.push(("when_text", w.text.clone()));
            values.push(("precision", w.precision.clone()));
        }
        if let Some(p) = &f.place {
            values.push(("place", index.name(p).to_string()));
        }
        if let Some(c) = f.count {
            values.push(("count", c.to_string()));
        }
        values.push(("confidence", confidence(&f).to_string()));
        values.push(("evidence", f.evidence.iter().map(|e| e.text.trim()).collect::<Vec<_>>().join("\n")));
        values.push(("documents", f.evidence.iter().map(|e| format!("{}:{}-{}", e.doc_id, e.start, e.end)).collect::<Vec<_>>().join("; ")));
        attvalues(out, &values)?;
        let spells = spells(&f);
        if !spells.is_empty() {
            out.write_all(b"        <spells>\n")?;
            for (start, end) in spells {
                writeln!(out, "          <spell start=\"{start}\" end=\"{end}\"/>")?;
            }
            out.write_all(b"        </spells>\n")?;
        }
        out.write_all(b"      </edge>\n")?;
        written.facts += 1;
        Ok(())
    })?;
    out.write_all(b"    </edges>\n  </graph>\n</gexf>\n")?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::xml_clean;
    use crate::testdata::{self, NASTY_EVIDENCE, NASTY_NAME};
    use std::collections::{HashMap, HashSet};

    const NS: &str = "http://gexf.net/1.3";

    fn is_date(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 10 && b[4] == b'-' && b[7] == b'-' && s.bytes().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    }

    #[test]
    fn gexf_parses_back_with_spells_and_known_endpoints() {
        let (store, _, _) = testdata::store();
        let mut out = Vec::new();
        let n = write_gexf(&store, &mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert!(root.has_tag_name((NS, "gexf")));
        assert_eq!(root.attribute("version"), Some("1.3"));
        let graph = root.children().find(|c| c.has_tag_name((NS, "graph"))).unwrap();
        assert_eq!(graph.attribute("mode"), Some("dynamic"));
        assert_eq!(graph.attribute("timeformat"), Some("date"));

        // Attributes are declared per class before nodes and edges use them.
        let mut declared: HashMap<(String, String), String> = HashMap::new();
        let mut order = Vec::new();
        for c in graph.children().filter(|c| c.is_element()) {
            order.push(c.tag_name().name().to_string());
            if c.has_tag_name((NS, "attributes")) {
                let class = c.attribute("class").unwrap().to_string();
                for a in c.children().filter(|a| a.has_tag_name((NS, "attribute"))) {
                    let ty = a.attribute("type").unwrap();
                    assert!(["integer", "long", "double", "float", "boolean", "string", "liststring", "date", "anyURI"].contains(&ty));
                    assert!(declared.insert((class.clone(), a.attribute("id").unwrap().into()), ty.into()).is_none());
                }
            }
        }
        assert_eq!(order, ["attributes", "attributes", "nodes", "edges"]);
        let values = |el: roxmltree::Node, class: &str| -> HashMap<String, String> {
            let Some(av) = el.children().find(|c| c.has_tag_name((NS, "attvalues"))) else { return HashMap::new() };
            av.children()
                .filter(|c| c.has_tag_name((NS, "attvalue")))
                .map(|v| {
                    let key = v.attribute("for").unwrap().to_string();
                    let ty = declared.get(&(class.to_string(), key.clone())).unwrap_or_else(|| panic!("undeclared {class} attribute {key}"));
                    let value = v.attribute("value").unwrap().to_string();
                    match ty.as_str() {
                        "integer" | "long" => assert!(value.parse::<i64>().is_ok()),
                        "double" => assert!(value.parse::<f64>().is_ok()),
                        _ => {}
                    }
                    (key, value)
                })
                .collect()
        };
        let nodes_el = graph.children().find(|c| c.has_tag_name((NS, "nodes"))).unwrap();
        let mut nodes: HashMap<String, (String, HashMap<String, String>)> = HashMap::new();
        for nd in nodes_el.children().filter(|c| c.is_element()) {
            assert!(nd.has_tag_name((NS, "node")));
            let id = nd.attribute("id").unwrap().to_string();
            assert!(nodes.insert(id, (nd.attribute("label").unwrap().into(), values(nd, "node"))).is_none());
        }
        let edges_el = graph.children().find(|c| c.has_tag_name((NS, "edges"))).unwrap();
        let mut edges = HashMap::new();
        let mut edge_ids = HashSet::new();
        for e in edges_el.children().filter(|c| c.is_element()) {
            assert!(e.has_tag_name((NS, "edge")));
            let id = e.attribute("id").unwrap().to_string();
            assert!(edge_ids.insert(id.clone()));
            for end in ["source", "target"] {
                assert!(nodes.contains_key(e.attribute(end).unwrap()), "edge {id}: unknown {end}");
            }
            assert!(e.attribute("weight").unwrap().parse::<f64>().unwrap() >= 1.0);
            let spells: Vec<(String, String)> = e
                .children()
                .filter(|c| c.has_tag_name((NS, "spells")))
                .flat_map(|s| s.children().filter(|c| c.has_tag_name((NS, "spell"))))
                .map(|s| (s.attribute("start").unwrap().to_string(), s.attribute("end").unwrap().to_string()))
                .collect();
            for (s, t) in &spells {
                assert!(is_date(s) && is_date(t) && s <= t, "{id}: {s}..{t}");
            }
            edges.insert(id, (e.attribute("label").unwrap().to_string(), values(e, "edge"), spells));
        }
        assert_eq!((nodes.len() as u64, edges.len() as u64), (n.entities, n.facts));
        assert_eq!(nodes["e4"].0, xml_clean(NASTY_NAME));
        let (label, f1, spells) = &edges["f1"];
        assert_eq!(label, "CONSULT");
        assert_eq!(f1["modality"], "asserted; alleged");
        assert!(f1["evidence"].starts_with(&xml_clean(NASTY_EVIDENCE)));
        let sp = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(spells, &vec![sp("2023-07-15", "2023-07-15"), sp("2023-08-01", "2023-08-31")]);
        assert_eq!(edges["f7"].2, vec![sp("2023-07-01", "2023-07-31")]);
        // A date without year gives no spell.
        assert!(edges["f12"].2.is_empty());
        assert!(!edges.contains_key("f6"));

        let mut again = Vec::new();
        write_gexf(&store, &mut again).unwrap();
        assert_eq!(out, again);
    }
}
