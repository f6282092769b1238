//! FollowTheMoney: entities as JSON lines (`{"id", "schema", "properties": {name:
//! [values]}}`), as Aleph (`ftm`, `alephclient write-entities`) and OpenSanctions'
//! tools read them. Every id starts with `dossier-`.
//!
//! | dossier | FtM |
//! |---|---|
//! | document | `Article` (title, publisher, publishedAt, sourceUrl) |
//! | PERSON | `Person` |
//! | ORG | `Company` (kind company), `PublicBody` (government, military), else `Organization` |
//! | GPE, LOC, FAC | `Address` (full, latitude, longitude, country) |
//! | NORP, PRODUCT | nothing: FtM has no schema for a nationality or a product type |
//! | an entity named in a document | `Documentation` (document, entity, role "mentioned") |
//! | event (uppercase) | `Event`: name, date, involved, addressEntity/location, description = evidence |
//! | holds_position | `Position` (role at the object) and `Occupancy` (holder, post) |
//! | leads | `Directorship` (director, organization, role "leads") |
//! | member_of, part_of | `Membership` |
//! | owns | `Ownership` when the object is a `Company` (FtM's only asset among ours) |
//! | affiliated_with | `Associate` between two people |
//! | anything else, or a range that does not fit | `UnknownLink` (subject, object, role = predicate) |
//!
//! Relation records carry the fact id (`recordId`), the evidence sentences
//! (`description`), modality and sources (`summary`), time (`date` or
//! `startDate`/`endDate`), and the articles they were read from (`proof`, `sourceUrl`,
//! `publisher`). A relation without object, other than `holds_position`, has no
//! second party and is left out, as is one whose party is not an FtM entity.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;

use dossier_store::{Fact, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::common::{calendar_prefix, distinct, each_entity, each_fact, is_event, modalities, one_line, source_names, Index};
use crate::{ExportError, Written};

#[derive(Serialize)]
struct Entity {
    id: String,
    schema: &'static str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

impl Entity {
    fn new(id: String, schema: &'static str) -> Entity {
        Entity { id, schema, properties: BTreeMap::new() }
    }

    /// Adds a value, cleaned: control characters dropped, and whitespace runs made one
    /// space except in the free-text properties, which keep their line breaks (as
    /// `\n`). Empty and repeated values are skipped.
    fn add(&mut self, prop: &'static str, value: &str) {
        let value = if matches!(prop, "description" | "notes" | "summary") {
            let lines: Vec<String> = value.lines().map(one_line).collect();
            lines.join("\n").trim().to_string()
        } else {
            one_line(value)
        };
        if value.is_empty() {
            return;
        }
        let values = self.properties.entry(prop).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }

    fn write(&self, out: &mut dyn Write) -> Result<(), ExportError> {
        serde_json::to_writer(&mut *out, self)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

fn entity_id(id: &str) -> String {
    format!("dossier-ent-{id}")
}

fn doc_id(id: &str) -> String {
    format!("dossier-doc-{id}")
}

/// The FtM schema of an entity, `None` for types FtM has none for.
fn schema_of(etype: &str, kind: Option<&str>) -> Option<&'static str> {
    match (etype, kind) {
        ("PERSON", _) => Some("Person"),
        ("ORG", Some("company")) => Some("Company"),
        ("ORG", Some("government" | "military")) => Some("PublicBody"),
        ("ORG", _) => Some("Organization"),
        ("GPE" | "LOC" | "FAC", _) => Some("Address"),
        _ => None,
    }
}

/// Whether `schema` (one we emit) is `range` or descends from it.
fn is_a(schema: &str, range: &str) -> bool {
    match range {
        "Thing" => true,
        "LegalEntity" => matches!(schema, "Person" | "Organization" | "Company" | "PublicBody"),
        "Organization" => matches!(schema, "Organization" | "Company" | "PublicBody"),
        "Asset" => schema == "Company",
        _ => schema == range,
    }
}

/// An FtM country code: two ASCII letters, lower case.
fn country_code(c: Option<&str>) -> Option<String> {
    let c = c?.trim();
    (c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic())).then(|| c.to_ascii_lowercase())
}

struct DocInfo {
    ftm_id: String,
    url: Option<String>,
    outlet: Option<String>,
}

struct Party {
    schema: &'static str,
    country: Option<String>,
}

struct Ctx {
    index: Index,
    parties: HashMap<String, Party>,
    docs: HashMap<String, DocInfo>,
    positions: HashSet<String>,
}

impl Ctx {
    fn party(&self, id: &str) -> Option<&Party> {
        self.parties.get(id)
    }

    /// What every relation and event record carries: id, provenance, time, evidence.
    fn interval(&self, f: &Fact, schema: &'static str) -> Entity {
        let mut e = Entity::new(format!("dossier-fact-{}", f.id), schema);
        e.add("recordId", &f.id);
        for ev in &f.evidence {
            e.add("description", &ev.text);
            if let Some(d) = self.docs.get(&ev.doc_id) {
                e.add("proof", &d.ftm_id);
                if let Some(u) = &d.url {
                    e.add("sourceUrl", u);
                }
                if let Some(o) = &d.outlet {
                    e.add("publisher", o);
                }
            }
        }
        let mut summary = format!("modality: {}", modalities(f).join(", "));
        let sources = source_names(f, &self.index);
        if !sources.is_empty() {
            summary.push_str(&format!("; according to: {}", sources.join(", ")));
        }
        e.add("summary", &summary);
        if let Some(w) = &f.when {
            match w.value.split_once('/') {
                Some((a, b)) => {
                    if let Some(a) = calendar_prefix(a) {
                        e.add("startDate", a);
                    }
                    if let Some(b) = calendar_prefix(b) {
                        e.add("endDate", b);
                    }
                }
                None => {
                    if let Some(d) = calendar_prefix(&w.value) {
                        e.add("date", d);
                    }
                }
            }
        }
        e
    }

    fn event(&self, f: &Fact) -> Entity {
        let mut e = self.interval(f, "Event");
        let mut name = format!("{} {}", self.index.name(&f.subject), f.predicate);
        if let Some(o) = &f.object {
            name.push(' ');
            name.push_str(self.index.name(o));
        }
        e.add("name", &name);
        e.add("keywords", &f.predicate);
        if let Some(m) = &f.mode {
            e.add("keywords", m);
        }
        for id in std::iter::once(&f.subject).chain(f.object.as_ref()) {
            match self.party(id) {
                Some(p) if is_a(p.schema, "LegalEntity") => e.add("involved", &entity_id(id)),
                Some(_) => e.add("namesMentioned", self.index.name(id)),
                None => {}
            }
        }
        if let Some(place) = f.place.as_deref() {
            if let Some(p) = self.party(place).filter(|p| p.schema == "Address") {
                e.add("addressEntity", &entity_id(place));
                e.add("location", self.index.name(place));
                if let Some(c) = &p.country {
                    e.add("country", c);
                }
            }
        }
        e
    }

    /// The records of one standing relation: none, one link, or a Position and its
    /// Occupancy.
    fn relation(&mut self, f: &Fact) -> Vec<Entity> {
        let Some(s_schema) = self.party(&f.subject).map(|p| p.schema) else { return Vec::new() };
        let object = f.object.as_deref().and_then(|o| self.party(o).map(|p| (o, Party { schema: p.schema, country: p.country.clone() })));
        if f.object.is_some() && object.is_none() {
            return Vec::new();
        }
        let object = object.as_ref().map(|(o, p)| (*o, p));
        let s_id = entity_id(&f.subject);
        let link = |ctx: &Ctx, schema: &'static str, from: &'static str, to: &'static str, role: Option<&str>| {
            let mut e = ctx.interval(f, schema);
            e.add(from, &s_id);
            if let Some((o, _)) = object {
                e.add(to, &entity_id(o));
            }
            if let Some(r) = role {
                e.add(if schema == "Associate" { "relationship" } else { "role" }, r);
            }
            e
        };
        let o_schema = object.map(|(_, p)| p.schema);
        let fits = |range: &str| o_schema.is_some_and(|s| is_a(s, range));
        match f.predicate.as_str() {
            "holds_position" if s_schema == "Person" && (object.is_none() || fits("Organization") || o_schema == Some("Address")) => {
                let role = f.role.as_deref().map(str::trim).filter(|r| !r.is_empty()).unwrap_or("position");
                let name = match object {
                    Some((o, _)) => format!("{role}, {}", self.index.name(o)),
                    None => role.to_string(),
                };
                let key = format!("{}\u{0}{}", role.to_lowercase(), f.object.as_deref().unwrap_or(""));
                let hash = Sha256::digest(key.as_bytes());
                let pos_id = format!("dossier-pos-{}", hash.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>());
                let mut out = Vec::new();
                if self.positions.insert(pos_id.clone()) {
                    let mut pos = Entity::new(pos_id.clone(), "Position");
                    pos.add("name", &name);
                    if let Some((o, p)) = object {
                        if is_a(p.schema, "Organization") {
                            pos.add("organization", &entity_id(o));
                        }
                        if let Some(c) = &p.country {
                            pos.add("country", c);
                        }
                    }
                    out.push(pos);
                }
                let mut occ = self.interval(f, "Occupancy");
                occ.add("holder", &s_id);
                occ.add("post", &pos_id);
                out.push(occ);
                out
            }
            _ if object.is_none() => Vec::new(),
            "leads" if is_a(s_schema, "LegalEntity") && fits("Organization") => {
                vec![link(self, "Directorship", "director", "organization", Some("leads"))]
            }
            p @ ("member_of" | "part_of") if is_a(s_schema, "LegalEntity") && fits("Organization") => {
                vec![link(self, "Membership", "member", "organization", Some(if p == "member_of" { "member" } else { "part of" }))]
            }
            "owns" if is_a(s_schema, "LegalEntity") && fits("Asset") => vec![link(self, "Ownership", "owner", "asset", Some("owner"))],
            "affiliated_with" if s_schema == "Person" && o_schema == Some("Person") => {
                vec![link(self, "Associate", "person", "associate", Some("affiliated with"))]
            }
            p => vec![link(self, "UnknownLink", "subject", "object", Some(&p.replace('_', " ")))],
        }
    }
}

/// Writes FollowTheMoney entities, one JSON object a line: articles (documents by path),
/// then entities (by type, name, id) each followed by its `Documentation` records, then
/// the records of each fact (by id). `Written` counts articles as documents, persons,
/// organisations, addresses and positions as entities, and relation and event records as
/// facts.
pub fn write_ftm(store: &Store, out: &mut dyn Write) -> Result<Written, ExportError> {
    let mut written = Written::default();
    let mut ctx = Ctx { index: Index::default(), parties: HashMap::new(), docs: HashMap::new(), positions: HashSet::new() };
    let mut err = None;
    store.for_each_document(|d| {
        if err.is_some() {
            return Ok(());
        }
        let mut a = Entity::new(doc_id(&d.id), "Article");
        a.add("name", d.title.as_deref().unwrap_or(&d.path));
        if let Some(t) = &d.title {
            a.add("title", t);
        }
        a.add("fileName", &d.path);
        if let Some(o) = &d.outlet {
            a.add("publisher", o);
        }
        if let Some(p) = d.published.as_deref().and_then(calendar_prefix) {
            a.add("publishedAt", p);
        }
        let url = d.url.clone().filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        if let Some(u) = &url {
            a.add("sourceUrl", u);
        }
        match a.write(out) {
            Ok(()) => written.documents += 1,
            Err(e) => err = Some(e),
        }
        ctx.docs.insert(d.id.clone(), DocInfo { ftm_id: a.id, url, outlet: d.outlet });
        Ok(())
    })?;
    if let Some(e) = err {
        return Err(e);
    }
    each_entity(store, |e| {
        ctx.index.insert(&e);
        let Some(schema) = schema_of(&e.etype, e.kind.as_deref()) else { return Ok(()) };
        let country = country_code(e.place.as_ref().and_then(|p| p.country.as_deref()));
        let mut x = Entity::new(entity_id(&e.id), schema);
        x.add("name", &e.name);
        for a in &e.aliases {
            if a != &e.name {
                x.add("alias", a);
            }
        }
        if schema == "Address" {
            x.add("full", &e.name);
            if let Some((lat, lon)) = ctx.index.get(&e.id).and_then(|n| n.coords) {
                x.add("latitude", &lat.to_string());
                x.add("longitude", &lon.to_string());
            }
        }
        if let Some(c) = &country {
            x.add("country", c);
        }
        for (source, id, name) in &e.links {
            x.add("notes", &format!("Watchlist {source} {id}: {name}"));
        }
        x.write(out)?;
        written.entities += 1;
        for doc in distinct(e.mentions.iter().map(|m| m.0.as_str())) {
            let Some(d) = ctx.docs.get(doc) else { continue };
            let mut m = Entity::new(format!("dossier-mention-{}-{doc}", e.id), "Documentation");
            m.add("document", &d.ftm_id);
            m.add("entity", &x.id);
            m.add("role", "mentioned");
            let texts = distinct(e.mentions.iter().filter(|m| m.0 == doc).map(|m| m.3.as_str()));
            m.add("summary", &format!("mentioned as: {}", texts.join(", ")));
            m.write(out)?;
        }
        ctx.parties.insert(e.id.clone(), Party { schema, country });
        Ok(())
    })?;
    each_fact(store, |f| {
        if is_event(&f.predicate) {
            if ctx.party(&f.subject).is_some() || f.object.as_deref().is_some_and(|o| ctx.party(o).is_some()) {
                ctx.event(&f).write(out)?;
                written.facts += 1;
            }
            return Ok(());
        }
        for x in ctx.relation(&f) {
            x.write(out)?;
            if x.schema == "Position" {
                written.entities += 1;
            } else {
                written.facts += 1;
            }
        }
        Ok(())
    })?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, NASTY_NAME};
    use serde_json::Value;

    /// The real FtM schemata, made by scripts/make_ftm_schema.py.
    fn schemata() -> Value {
        let text = include_str!("../tests/fixtures/ftm_schema.json");
        let v: Value = serde_json::from_str(text).unwrap();
        v["schemata"].clone()
    }

    fn export() -> Vec<Value> {
        let (store, _, _) = testdata::store();
        let mut out = Vec::new();
        write_ftm(&store, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    fn is_ftm_date(s: &str) -> bool {
        calendar_prefix(s) == Some(s)
    }

    #[test]
    fn ftm_entities_follow_the_real_schemata() {
        let schemata = schemata();
        let lines = export();
        let mut schema_of: HashMap<String, String> = HashMap::new();
        for l in &lines {
            let obj = l.as_object().unwrap();
            let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
            assert_eq!(keys, ["id", "properties", "schema"]);
            let id = l["id"].as_str().unwrap();
            assert!(id.starts_with("dossier-"), "{id}");
            assert!(schema_of.insert(id.to_string(), l["schema"].as_str().unwrap().to_string()).is_none(), "{id} twice");
        }
        for l in &lines {
            let (id, schema) = (l["id"].as_str().unwrap(), l["schema"].as_str().unwrap());
            let s = &schemata[schema];
            assert!(s.is_object(), "{id}: no schema {schema}");
            assert_eq!(s["abstract"], false, "{id}: {schema} is abstract");
            for (prop, values) in l["properties"].as_object().unwrap() {
                let ty = s["properties"][prop].as_str().unwrap_or_else(|| panic!("{id}: {schema} has no property {prop}"));
                let values = values.as_array().unwrap();
                assert!(!values.is_empty(), "{id}.{prop}: empty list");
                for v in values {
                    let v = v.as_str().unwrap_or_else(|| panic!("{id}.{prop}: values are strings"));
                    assert!(!v.is_empty() && v.trim() == v, "{id}.{prop}: {v:?}");
                    if let Some(range) = ty.strip_prefix("entity:") {
                        let target = schema_of.get(v).unwrap_or_else(|| panic!("{id}.{prop} -> {v}: not emitted"));
                        let ancestors = schemata[target.as_str()]["ancestors"].as_array().unwrap();
                        assert!(ancestors.iter().any(|a| a == range), "{id}.{prop} -> {v}: {target} is not a {range}");
                        continue;
                    }
                    match ty {
                        "date" => assert!(is_ftm_date(v), "{id}.{prop}: date {v}"),
                        "country" => assert!(v.len() == 2 && v.bytes().all(|b| b.is_ascii_lowercase()), "{id}.{prop}: {v}"),
                        "number" => assert!(v.parse::<f64>().is_ok(), "{id}.{prop}: {v}"),
                        "url" => assert!(v.starts_with("http"), "{id}.{prop}: {v}"),
                        _ => {}
                    }
                }
            }
        }
    }

    #[test]
    fn ftm_maps_the_ontology() {
        let lines = export();
        let get = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap_or_else(|| panic!("no {id}"));
        let prop = |id: &str, p: &str| -> Vec<String> {
            get(id)["properties"][p].as_array().map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect()).unwrap_or_default()
        };
        let schemas: Vec<(&str, &str)> = lines.iter().map(|l| (l["id"].as_str().unwrap(), l["schema"].as_str().unwrap())).collect();
        let schema = |id: &str| schemas.iter().find(|s| s.0 == id).map(|s| s.1);
        assert_eq!(schema("dossier-ent-e1"), Some("Person"));
        assert_eq!(schema("dossier-ent-e4"), Some("Organization"));
        assert_eq!(schema("dossier-ent-e5"), Some("Company"));
        assert_eq!(schema("dossier-ent-e7"), Some("PublicBody"));
        assert_eq!(schema("dossier-ent-e3"), Some("Address"));
        assert_eq!(schema("dossier-ent-e9"), None, "NORP has no FtM schema");
        assert_eq!(prop("dossier-ent-e4", "name"), [one_line(NASTY_NAME)]);
        assert_eq!(prop("dossier-ent-e1", "alias"), ["Prigozhin; Y.", "Putin's chef"]);
        assert_eq!((prop("dossier-ent-e3", "latitude"), prop("dossier-ent-e3", "country")), (vec!["53.9".into()], vec!["by".into()]));
        assert_eq!(schema("dossier-fact-f1"), Some("Event"));
        assert_eq!(prop("dossier-fact-f1", "involved"), ["dossier-ent-e1", "dossier-ent-e2"]);
        assert_eq!(prop("dossier-fact-f1", "addressEntity"), ["dossier-ent-e3"]);
        assert_eq!(prop("dossier-fact-f1", "date"), ["2023-07-15"]);
        assert_eq!(
            prop("dossier-fact-f1", "description"),
            ["Prigozhin met Lukashenko; \"talks\" <b>went</b> well & long.\nOfficials said so.", "They met again."]
        );
        assert_eq!(prop("dossier-fact-f1", "summary"), ["modality: asserted, alleged; according to: CNN"]);
        assert_eq!(prop("dossier-fact-f1", "proof").len(), 2);
        assert_eq!((prop("dossier-fact-f6", "startDate"), prop("dossier-fact-f6", "endDate")), (vec!["2013".into()], vec!["2014".into()]));
        // A place as actor is named, not involved (Event.involved takes legal entities).
        assert_eq!(prop("dossier-fact-f12", "involved"), ["dossier-ent-e4"]);
        assert_eq!(prop("dossier-fact-f12", "namesMentioned"), ["Russia"]);
        assert!(prop("dossier-fact-f12", "date").is_empty(), "--07-15 is no FtM date");
        assert_eq!(schema("dossier-fact-f2"), Some("Directorship"));
        assert_eq!(schema("dossier-fact-f3"), Some("Occupancy"));
        let post = prop("dossier-fact-f3", "post");
        assert_eq!(schema(&post[0]), Some("Position"));
        assert_eq!(prop(&post[0], "name"), ["Defense Minister, Russian defense ministry"]);
        assert_eq!(prop(&post[0], "organization"), ["dossier-ent-e7"]);
        assert_eq!(schema("dossier-fact-f4"), Some("Ownership"));
        assert_eq!(schema("dossier-fact-f13"), Some("UnknownLink"), "an Organization is no Asset");
        assert_eq!(schema("dossier-fact-f5"), Some("Membership"));
        assert_eq!(schema("dossier-fact-f8"), None, "NORP subject");
        assert_eq!(schema("dossier-fact-f9"), Some("UnknownLink"));
        assert_eq!(prop("dossier-fact-f9", "role"), ["operates in"]);
        assert_eq!(schema("dossier-fact-f10"), Some("Associate"));
        assert_eq!(schema("dossier-fact-f11"), Some("Occupancy"));
        assert_eq!(prop(&prop("dossier-fact-f11", "post")[0], "name"), ["founder & <chief>"]);
        let docs = lines.iter().filter(|l| l["schema"] == "Documentation").count();
        assert_eq!(docs, 8, "one per entity and document naming it");
    }

    #[test]
    fn ftm_is_deterministic() {
        let (store, _, _) = testdata::store();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let n = write_ftm(&store, &mut a).unwrap();
        write_ftm(&store, &mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(n.documents, 2);
    }
}
