//! The corpus-level fact phase: claims whose mentions the actor phase resolved become
//! facts, one edge per (subject, predicate, object, mode or role, time), each with every
//! sentence that says it as evidence.

use dossier_store::{ClaimRow, Evidence, Fact, Store, StoreError};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What [`build_facts`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactSummary {
    /// Claims read.
    pub claims: usize,
    /// Facts stored.
    pub facts: usize,
    /// Evidence rows stored.
    pub evidence: usize,
}

/// The country a nationality word names, among the corpus's GPE entities: "Russian" ->
/// "Russia", "Belarusian" -> "Belarus", "Ukrainian" -> "Ukraine", "Turkish" -> "Turkey".
/// Exactly one GPE must fit; otherwise the NORP stays unlinked.
pub fn nationality_map(norps: &[(String, String)], gpes: &[(String, String)]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (nid, name) in norps {
        let n = name.to_lowercase();
        let n = n.trim_end_matches('s'); // "Russians"
        let mut stems: Vec<&str> = vec![n];
        for suf in ["ian", "ean", "an", "n", "ish", "ese", "i", "ic"] {
            if let Some(st) = n.strip_suffix(suf) {
                if st.chars().count() >= 3 {
                    stems.push(st);
                }
            }
        }
        let fits: Vec<&String> = gpes
            .iter()
            .filter(|(_, g)| {
                let g = g.to_lowercase();
                g.chars().count() >= 4 && !g.contains(' ') && stems.iter().any(|st| g == *st || (st.chars().count() >= 4 && g.starts_with(st) && g.len() <= st.len() + 3))
            })
            .map(|(id, _)| id)
            .collect();
        if let [one] = fits.as_slice() {
            out.insert(nid.clone(), (*one).clone());
        }
    }
    out
}

/// A stable fact id from its key.
fn fact_id(key: &str) -> String {
    let d = Sha256::digest(key.as_bytes());
    let hex: String = d.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("f{hex}")
}

/// Rebuilds every fact from the stored claims and the current entities (call after
/// every actor resolution). `nationality` maps NORP entities to their GPE; `sites` are
/// places that are no actor (towns, seas, regions), which a mobilisation moves to but
/// does not target.
pub fn facts_from_claims(claims: &[ClaimRow], nationality: &HashMap<String, String>, sites: &HashSet<String>) -> Vec<Fact> {
    let country = |e: Option<&String>| -> Option<String> { e.map(|id| nationality.get(id).cloned().unwrap_or_else(|| id.clone())) };
    let mut by_key: BTreeMap<String, Fact> = BTreeMap::new();
    for c in claims {
        let Some(subject) = country(c.subject.as_ref()) else { continue };
        if c.object_mention && c.object.is_none() {
            continue;
        }
        let mut object = country(c.object.as_ref());
        let mut place = c.place.clone();
        // "The convoy was heading towards Osipovichi": the town is where, not whom.
        if c.predicate == "MOBILIZE" && object.as_ref().is_some_and(|o| sites.contains(o)) {
            place = place.or(object.take());
        }
        if object.as_deref() == Some(subject.as_str()) {
            continue;
        }
        let source = country(c.source.as_ref()).filter(|s| *s != subject);
        let event = c.predicate.chars().next().is_some_and(|ch| ch.is_ascii_uppercase());
        let role_key = c.role.as_deref().map(str::to_lowercase).unwrap_or_default();
        let when_key = if event { c.when.as_ref().map(|w| w.value.clone()).unwrap_or_default() } else { String::new() };
        let key = format!(
            "{subject}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{role_key}\u{1f}{when_key}",
            c.predicate,
            object.as_deref().unwrap_or(""),
            c.mode.as_deref().unwrap_or("")
        );
        let ev = Evidence {
            doc_id: c.doc_id.clone(),
            start: c.start,
            end: c.end,
            text: c.text.trim_end().to_string(),
            modality: c.modality.clone(),
            source,
            trigger: c.trigger,
            confidence: c.confidence,
            when_value: c.when.as_ref().map(|w| w.value.clone()),
        };
        let f = by_key.entry(key.clone()).or_insert_with(|| Fact {
            id: fact_id(&key),
            subject: subject.clone(),
            predicate: c.predicate.clone(),
            object: object.clone(),
            mode: c.mode.clone(),
            role: c.role.clone(),
            when: None,
            place: None,
            count: None,
            confidence: 0.0,
            evidence: Vec::new(),
        });
        if f.when.is_none() {
            f.when = c.when.clone();
        }
        if f.place.is_none() {
            f.place = place;
        }
        if f.count.is_none() {
            f.count = c.count;
        }
        if !f.evidence.iter().any(|e| e.doc_id == ev.doc_id && e.start == ev.start) {
            f.evidence.push(ev);
        }
    }
    let mut facts: Vec<Fact> = by_key.into_values().collect();
    for f in &mut facts {
        // Independent pieces of evidence: 1 - prod(1 - c).
        let miss: f64 = f.evidence.iter().map(|e| 1.0 - e.confidence.clamp(0.0, 1.0)).product();
        f.confidence = ((1.0 - miss) * 1000.0).round() / 1000.0;
    }
    facts.sort_by(|a, b| a.id.cmp(&b.id));
    facts
}

/// Rebuilds the stored facts from the stored claims and entities.
pub fn build_facts(store: &mut Store) -> Result<FactSummary, StoreError> {
    let claims = store.claims()?;
    // One pass over the entities: NORPs' countries, buildings, and places that are no
    // actor (a town, a sea or a region, not a country or a province).
    let (mut nationality, mut fac, mut sites) = (HashMap::new(), HashSet::new(), HashSet::new());
    store.for_each_entity(|e| {
        if let Some(g) = e.attributes.get("nationality_of").and_then(|g| g.as_str()) {
            nationality.insert(e.id.clone(), g.to_string());
        }
        if e.attributes.get("place_kind").and_then(|k| k.as_str()).is_some_and(|k| !matches!(k, "country" | "admin1")) {
            sites.insert(e.id.clone());
        }
        if e.etype == "FAC" {
            fac.insert(e.id);
        }
        Ok(())
    })?;
    // A building that acts, speaks or employs ("the Kremlin said", "Kremlin spokesperson")
    // stands for the institution it houses: FAC becomes ORG.
    let mut acting = std::collections::BTreeSet::new();
    for c in &claims {
        let title_object = if c.predicate == "holds_position" { c.object.as_ref() } else { None };
        for id in [c.subject.as_ref(), c.source.as_ref(), title_object].into_iter().flatten() {
            if fac.contains(id) {
                acting.insert(id.clone());
            }
        }
    }
    for id in &acting {
        store.retype_entity(id, "ORG")?;
    }
    let facts = facts_from_claims(&claims, &nationality, &sites);
    store.replace_facts(&facts)?;
    Ok(FactSummary { claims: claims.len(), facts: facts.len(), evidence: facts.iter().map(|f| f.evidence.len()).sum() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn nationalities_find_their_country() {
        let norps = pairs(&[("n1", "Russian"), ("n2", "Belarusian"), ("n3", "Ukrainian"), ("n4", "Turkish"), ("n5", "Martian")]);
        let gpes = pairs(&[("g1", "Russia"), ("g2", "Belarus"), ("g3", "Ukraine"), ("g4", "Turkey"), ("g5", "Minsk")]);
        let m = nationality_map(&norps, &gpes);
        assert_eq!(m.get("n1").map(String::as_str), Some("g1"));
        assert_eq!(m.get("n2").map(String::as_str), Some("g2"));
        assert_eq!(m.get("n3").map(String::as_str), Some("g3"));
        assert_eq!(m.get("n4").map(String::as_str), Some("g4"));
        assert_eq!(m.get("n5"), None);
    }

    fn claim(doc: &str, s: &str, p: &str, o: Option<&str>, start: u64, conf: f64) -> ClaimRow {
        ClaimRow {
            id: 0,
            doc_id: doc.into(),
            subject: Some(s.into()),
            predicate: p.into(),
            object: o.map(String::from),
            object_mention: o.is_some(),
            mode: None,
            role: None,
            when: None,
            place: None,
            count: None,
            modality: "asserted".into(),
            source: None,
            source_text: None,
            start,
            end: start + 10,
            text: "x".into(),
            trigger: None,
            confidence: conf,
        }
    }

    #[test]
    fn the_same_fact_in_two_documents_is_one_edge_with_two_evidences() {
        let mut a = claim("d1", "e1", "REJECT", Some("e2"), 0, 0.5);
        a.modality = "denied".into();
        let mut b = claim("d2", "e1", "REJECT", Some("e2"), 40, 0.5);
        b.modality = "alleged".into();
        let c = claim("d2", "n1", "MOBILIZE", None, 80, 0.6);
        let unresolved = ClaimRow { object: None, ..claim("d2", "e1", "AID", Some("x"), 90, 0.6) };
        let nat: HashMap<String, String> = [("n1".to_string(), "g1".to_string())].into();
        let facts = facts_from_claims(&[a, b, c, unresolved], &nat, &HashSet::new());
        assert_eq!(facts.len(), 2);
        let reject = facts.iter().find(|f| f.predicate == "REJECT").unwrap();
        assert_eq!(reject.evidence.len(), 2);
        assert_eq!(reject.confidence, 0.75);
        let mods: Vec<&str> = reject.evidence.iter().map(|e| e.modality.as_str()).collect();
        assert_eq!(mods, ["denied", "alleged"]);
        let mobilize = facts.iter().find(|f| f.predicate == "MOBILIZE").unwrap();
        assert_eq!(mobilize.subject, "g1", "a nationality stands for its country");
        // Ids are stable.
        assert_eq!(facts_from_claims(&[claim("d1", "e1", "REJECT", Some("e2"), 0, 0.5)], &nat, &HashSet::new())[0].id, reject.id);
    }

    #[test]
    fn a_mobilisation_towards_a_town_has_the_town_as_where() {
        let sites: HashSet<String> = ["town".to_string()].into();
        let nat = HashMap::new();
        let to_town = claim("d1", "e1", "MOBILIZE", Some("town"), 0, 0.5);
        let to_country = claim("d1", "e1", "MOBILIZE", Some("country"), 20, 0.5);
        let facts = facts_from_claims(&[to_town, to_country], &nat, &sites);
        assert!(facts.iter().any(|f| f.object.is_none() && f.place.as_deref() == Some("town")), "{facts:?}");
        assert!(facts.iter().any(|f| f.object.as_deref() == Some("country")), "{facts:?}");
        // Other events keep their object.
        let assault = claim("d1", "e1", "ASSAULT", Some("town"), 40, 0.5);
        assert_eq!(facts_from_claims(&[assault], &nat, &sites)[0].object.as_deref(), Some("town"));
    }
}
