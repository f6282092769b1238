//! GeoJSON (RFC 7946): one FeatureCollection holding the places with coordinates
//! (`"kind": "place"`) and the located facts (`"kind": "fact"`), each a Point
//! `[longitude, latitude]` in WGS 84.
//!
//! A fact is located by its `where`, else by its object when that is a place with
//! coordinates, else by its subject when that is; `located_by` says which. Places and
//! facts whose coordinates are not finite or out of range are left out.

use std::io::Write;

use dossier_store::Store;
use serde::Serialize;

use crate::common::{confidence, each_entity, each_fact, located, modalities, source_names, Index};
use crate::{ExportError, Written};

#[derive(Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct Feature<'a, P: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Point,
    properties: P,
}

#[derive(Serialize)]
struct PlaceProps<'a> {
    kind: &'static str,
    entity: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    etype: &'a str,
    country: Option<&'a str>,
    aliases: &'a [String],
    mentions: usize,
}

#[derive(Serialize)]
struct EvidenceProps<'a> {
    doc: &'a str,
    start: u64,
    end: u64,
    text: &'a str,
    modality: &'a str,
    source: Option<&'a str>,
    when: Option<&'a str>,
}

#[derive(Serialize)]
struct FactProps<'a> {
    kind: &'static str,
    fact: &'a str,
    predicate: &'a str,
    subject: &'a str,
    subject_name: &'a str,
    object: Option<&'a str>,
    object_name: Option<&'a str>,
    place: &'a str,
    place_name: &'a str,
    located_by: &'static str,
    mode: Option<&'a str>,
    role: Option<&'a str>,
    when: Option<&'a str>,
    when_text: Option<&'a str>,
    precision: Option<&'a str>,
    count: Option<i64>,
    modality: Vec<&'a str>,
    source: Vec<&'a str>,
    confidence: f64,
    evidence: Vec<EvidenceProps<'a>>,
}

fn point(lat: f64, lon: f64) -> Point {
    Point { kind: "Point", coordinates: [lon, lat] }
}

/// Writes one GeoJSON FeatureCollection, one feature a line: places ordered by type,
/// name, id, then located facts ordered by id. `Written` counts places as entities and
/// located facts as facts.
pub fn write_geojson(store: &Store, out: &mut dyn Write) -> Result<Written, ExportError> {
    let mut written = Written::default();
    let mut index = Index::default();
    let mut first = true;
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
    let mut sep = |out: &mut dyn Write| -> std::io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        Ok(())
    };
    each_entity(store, |e| {
        index.insert(&e);
        let Some((lat, lon)) = index.get(&e.id).and_then(|n| n.coords) else { return Ok(()) };
        sep(out)?;
        let feature = Feature {
            kind: "Feature",
            id: &e.id,
            geometry: point(lat, lon),
            properties: PlaceProps {
                kind: "place",
                entity: &e.id,
                name: &e.name,
                etype: &e.etype,
                country: e.place.as_ref().and_then(|p| p.country.as_deref()),
                aliases: &e.aliases,
                mentions: e.mentions.len(),
            },
        };
        serde_json::to_writer(&mut *out, &feature)?;
        written.entities += 1;
        Ok(())
    })?;
    each_fact(store, |f| {
        let Some((place, node, (lat, lon))) = located(&f, &index) else { return Ok(()) };
        let located_by = if f.place.as_deref() == Some(place) {
            "place"
        } else if f.object.as_deref() == Some(place) {
            "object"
        } else {
            "subject"
        };
        let w = f.when.as_ref();
        let props = FactProps {
            kind: "fact",
            fact: &f.id,
            predicate: &f.predicate,
            subject: &f.subject,
            subject_name: index.name(&f.subject),
            object: f.object.as_deref(),
            object_name: f.object.as_deref().map(|o| index.name(o)),
            place,
            place_name: &node.name,
            located_by,
            mode: f.mode.as_deref(),
            role: f.role.as_deref(),
            when: w.map(|w| w.value.as_str()),
            when_text: w.map(|w| w.text.as_str()),
            precision: w.map(|w| w.precision.as_str()),
            count: f.count,
            modality: modalities(&f),
            source: source_names(&f, &index),
            confidence: confidence(&f),
            evidence: f
                .evidence
                .iter()
                .map(|e| EvidenceProps {
                    doc: &e.doc_id,
                    start: e.start,
                    end: e.end,
                    text: &e.text,
                    modality: &e.modality,
                    source: e.source.as_deref(),
                    when: e.when_value.as_deref(),
                })
                .collect(),
        };
        sep(out)?;
        serde_json::to_writer(&mut *out, &Feature { kind: "Feature", id: &f.id, geometry: point(lat, lon), properties: props })?;
        written.facts += 1;
        Ok(())
    })?;
    out.write_all(b"\n]}\n")?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, NASTY_EVIDENCE};
    use serde_json::Value;

    #[test]
    fn geojson_is_an_rfc7946_feature_collection_of_places_and_located_facts() {
        let (store, _, _) = testdata::store();
        let mut out = Vec::new();
        let n = write_geojson(&store, &mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert!(v.get("crs").is_none(), "RFC 7946 has no crs member");
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len() as u64, n.entities + n.facts);
        for f in features {
            assert_eq!(f["type"], "Feature");
            assert!(f["id"].is_string());
            assert!(f["properties"].is_object());
            let g = &f["geometry"];
            assert_eq!(g["type"], "Point");
            let c = g["coordinates"].as_array().unwrap();
            assert_eq!(c.len(), 2);
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        }
        let by_id = |id: &str| features.iter().find(|f| f["id"] == id).unwrap_or_else(|| panic!("no feature {id}"));
        // Places: Minsk and Russia; not Nowhere (no coordinates) nor the out-of-range one.
        let places: Vec<&str> = features.iter().filter(|f| f["properties"]["kind"] == "place").map(|f| f["id"].as_str().unwrap()).collect();
        assert_eq!(places, ["e3", "e8"]);
        assert_eq!(by_id("e3")["geometry"]["coordinates"], serde_json::json!([27.5667, 53.9]));
        // Facts: f1 by its place, f6 by its place, f7 by its object, f8 and f12 by their object or subject.
        let facts: Vec<&str> = features.iter().filter(|f| f["properties"]["kind"] == "fact").map(|f| f["id"].as_str().unwrap()).collect();
        assert_eq!(facts, ["f1", "f12", "f6", "f7", "f8"]);
        let f1 = &by_id("f1")["properties"];
        assert_eq!(f1["located_by"], "place");
        assert_eq!(f1["place_name"], "Minsk");
        assert_eq!(f1["modality"], serde_json::json!(["asserted", "alleged"]));
        assert_eq!(f1["source"], serde_json::json!(["CNN"]));
        assert_eq!(f1["evidence"][0]["text"], NASTY_EVIDENCE);
        assert_eq!(by_id("f7")["properties"]["located_by"], "object");
        assert_eq!(by_id("f12")["properties"]["located_by"], "subject");
        assert_eq!(by_id("f6")["geometry"]["coordinates"], serde_json::json!([105.3, 61.5]));

        let mut again = Vec::new();
        write_geojson(&store, &mut again).unwrap();
        assert_eq!(out, again);
        let empty = Store::open_in_memory().unwrap();
        let mut out = Vec::new();
        write_geojson(&empty, &mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["features"], serde_json::json!([]));
    }
}
