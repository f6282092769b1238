//! Test and benchmark data for `dossier serve`, written through the store's API:
//! a small database with a hostile document, a synthetic graph of any size, and
//! co-occurrence facts over an ingested corpus (for the UI until the fact stage fills
//! facts). Shared by `tests/api.rs` and `examples/synth.rs`.
#![allow(dead_code)]

use dossier_store::{Evidence, Fact, Geo, NewDocument, NewEntity, PutOutcome, Store, StoreError, When};
use dossier_text::{read_document, Format, ReadLimits};

/// The hostile text of the XSS fixture.
pub const XSS_TEXT: &str = "Breaking: <script>alert(1)</script> was posted by Ivan <img src=x onerror=alert(1)> & co.\n\n\
Ivan Petrov met Wagner Group commanders in Minsk on 15 July 2023.\n\n\
Related Articles\n";

/// Stores one plain-text document; returns its id.
pub fn put_text(store: &mut Store, key: &str, text: &str) -> Result<String, StoreError> {
    let doc = read_document(text.as_bytes(), Format::Text, ReadLimits::default()).expect("readable text");
    let sentences = doc.content_spans();
    let new = NewDocument { source_key: key, path: key, line: None, doc: &doc, sentences: &sentences, mentions: &[], claims: &[] };
    Ok(match store.put_document(&new)? {
        PutOutcome::Inserted { id } | PutOutcome::Replaced { id, .. } | PutOutcome::Unchanged { id } | PutOutcome::Duplicate { id, .. } => id,
    })
}

fn entity(id: &str, etype: &str, name: &str, aliases: &[&str], place: Option<(f64, f64)>) -> NewEntity {
    NewEntity {
        id: id.into(),
        etype: etype.into(),
        name: name.into(),
        kind: None,
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        mentions: Vec::new(),
        place: place.map(|(lat, lon)| Geo { lat, lon, country: None }),
        attributes: serde_json::json!({}),
    }
}

/// Character offsets of `needle` in `text`.
fn char_span(text: &str, needle: &str) -> (u64, u64) {
    let b = text.find(needle).expect("needle in text");
    let s = text[..b].chars().count() as u64;
    (s, s + needle.chars().count() as u64)
}

/// A small database: one hostile document (markup in its text and in an entity's
/// name), four entities, three facts (asserted, alleged, denied). Returns the document id.
pub fn small(store: &mut Store) -> Result<String, StoreError> {
    let doc = put_text(store, "xss.txt", XSS_TEXT)?;
    store.replace_entities(&[
        entity("e1", "PERSON", "Ivan Petrov", &["Ivan Petrov", "Ivan", "Petrov"], None),
        entity("e2", "ORG", "Wagner Group", &["Wagner Group", "Wagner"], None),
        entity("e3", "GPE", "Minsk", &["Minsk"], Some((53.9, 27.567))),
        entity("e4", "PERSON", "<img src=x onerror=alert(1)>", &["<img src=x onerror=alert(1)>"], None),
    ])?;
    let sent = "Ivan Petrov met Wagner Group commanders in Minsk on 15 July 2023.";
    let (s, e) = char_span(XSS_TEXT, sent);
    let (ts, te) = char_span(XSS_TEXT, "met");
    let xss = "Breaking: <script>alert(1)</script> was posted by Ivan <img src=x onerror=alert(1)> & co.";
    let (xs, xe) = char_span(XSS_TEXT, xss);
    let ev = |start, end, text: &str, modality: &str, source: Option<&str>| Evidence {
        doc_id: doc.clone(),
        start,
        end,
        text: text.into(),
        modality: modality.into(),
        source: source.map(String::from),
        trigger: (start == s).then_some((ts, te)),
        confidence: 0.8,
        when_value: Some("2023-07-15".into()),
    };
    let when = Some(When { value: "2023-07-15".into(), text: "15 July 2023".into(), precision: "day".into() });
    let fact = |id: &str, subj: &str, pred: &str, obj: Option<&str>, evidence: Vec<Evidence>| Fact {
        id: id.into(),
        subject: subj.into(),
        predicate: pred.into(),
        object: obj.map(String::from),
        mode: None,
        role: None,
        when: when.clone(),
        place: Some("e3".into()),
        count: None,
        confidence: 0.8,
        evidence,
    };
    store.replace_facts(&[
        fact("f1", "e1", "CONSULT", Some("e2"), vec![ev(s, e, sent, "asserted", None)]),
        fact("f2", "e4", "ACCUSE", Some("e1"), vec![ev(xs, xe, xss, "alleged", Some("e2"))]),
        fact("f3", "e2", "operates_in", Some("e3"), vec![ev(s, e, sent, "denied", None)]),
    ])?;
    Ok(doc)
}

/// A small deterministic random number generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Skewed to small values: a few hubs, a long tail (`n * u^3`).
    pub fn skewed(&mut self, n: u64) -> u64 {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64) * u * u * u) as u64 % n.max(1)
    }
}

const PREDICATES: &[&str] = &[
    "CONSULT", "COOPERATE", "AID", "ASSAULT", "ACCUSE", "THREATEN", "SUPPORT", "MOBILIZE", "leads", "member_of",
    "operates_in", "funds", "affiliated_with", "holds_position",
];
const MODALITIES: &[&str] = &["asserted", "asserted", "asserted", "alleged", "denied", "planned", "possible"];
const TYPES: &[&str] = &["PERSON", "ORG", "ORG", "GPE", "PERSON", "LOC", "FAC"];

/// A synthetic graph: `n_entities` entities (every 7th a place with coordinates),
/// `n_facts` facts between them (subjects and objects skewed, so a few hubs have tens
/// of thousands of facts), each with one or two evidence sentences in `n_docs` documents.
pub fn synthetic(store: &mut Store, n_entities: u64, n_facts: u64, n_docs: u64, seed: u64) -> Result<(), StoreError> {
    let mut rng = Rng::new(seed);
    let mut docs = Vec::new();
    let sentence = "Synthetic actor A met synthetic actor B somewhere on some day, a source said.";
    for d in 0..n_docs {
        let text: String = (0..50).map(|i| format!("{sentence} ({d}.{i})\n\n")).collect();
        docs.push(put_text(store, &format!("synthetic/{d:05}.txt"), &text)?);
    }
    let entities: Vec<NewEntity> = (0..n_entities)
        .map(|i| {
            let etype = TYPES[(i % TYPES.len() as u64) as usize];
            let name = format!("{} {i}", if etype == "PERSON" { "Person" } else if etype == "ORG" { "Org" } else { "Place" });
            let place = matches!(etype, "GPE" | "LOC" | "FAC")
                .then(|| (rng.below(140) as f64 - 60.0 + 0.5, rng.below(340) as f64 - 170.0 + 0.5));
            let mut e = entity(&format!("e{i}"), etype, &name, &[&name], place);
            e.kind = (etype == "ORG").then(|| "armed_group".into());
            e
        })
        .collect();
    store.replace_entities(&entities)?;
    let sent_len = sentence.chars().count() as u64 + 2;
    let mut facts = Vec::with_capacity(n_facts as usize);
    for i in 0..n_facts {
        let s = rng.skewed(n_entities);
        let mut o = rng.skewed(n_entities);
        if o == s {
            o = (o + 1) % n_entities;
        }
        let object = (rng.below(20) != 0).then(|| format!("e{o}"));
        let year = 2014 + rng.below(10);
        let month = 1 + rng.below(12);
        let when = (rng.below(4) != 0).then(|| When { value: format!("{year}-{month:02}"), text: format!("{year}-{month:02}"), precision: "month".into() });
        let n_ev = 1 + rng.below(2) as usize;
        let evidence = (0..n_ev)
            .map(|_| {
                let d = rng.below(n_docs) as usize;
                let k = rng.below(50);
                let start = k * (sent_len + 6);
                Evidence {
                    doc_id: docs[d].clone(),
                    start,
                    end: start + sent_len - 2,
                    text: sentence.into(),
                    modality: MODALITIES[rng.below(MODALITIES.len() as u64) as usize].into(),
                    source: (rng.below(3) == 0).then(|| format!("e{}", rng.skewed(n_entities))),
                    trigger: None,
                    confidence: 0.7,
                    when_value: when.as_ref().map(|w| w.value.clone()),
                }
            })
            .collect();
        facts.push(Fact {
            id: format!("f{i}"),
            subject: format!("e{s}"),
            predicate: PREDICATES[rng.below(PREDICATES.len() as u64) as usize].into(),
            object,
            mode: None,
            role: None,
            when,
            place: None,
            count: None,
            confidence: 0.7,
            evidence,
        });
    }
    store.replace_facts(&facts)
}

/// Co-occurrence facts over an ingested corpus: for every sentence that mentions two or
/// more entities, one fact from the first to each other (predicate and modality
/// picked deterministically, time from the document's date). Stand-in data for the UI
/// and its browser test until the fact stage fills facts. Returns how many facts.
pub fn cooccurrence(store: &mut Store) -> Result<usize, StoreError> {
    // Mentions by document: (start, end, entity id).
    let mut by_doc: std::collections::BTreeMap<String, Vec<(u64, u64, String)>> = Default::default();
    store.for_each_entity(|e| {
        for (doc, s, end, _) in &e.mentions {
            by_doc.entry(doc.clone()).or_default().push((*s, *end, e.id.clone()));
        }
        Ok(())
    })?;
    let mut facts: std::collections::BTreeMap<(String, String, String), Fact> = Default::default();
    for (doc, mut ments) in by_doc {
        ments.sort();
        let published = store.find_document(&doc)?.and_then(|d| d.published).filter(|p| p.len() >= 4 && !p.starts_with('-'));
        for sent in store.sentences(&doc)? {
            let mut ids: Vec<&String> = Vec::new();
            for (s, _, id) in &ments {
                if *s >= sent.start && *s < sent.end && !ids.contains(&id) {
                    ids.push(id);
                }
            }
            let Some((subject, objects)) = ids.split_first() else { continue };
            for (k, object) in objects.iter().enumerate() {
                let h = (sent.start as usize + k * 7 + subject.len() * 3 + object.len()) % 97;
                let predicate = PREDICATES[h % PREDICATES.len()];
                let key = ((*subject).clone(), predicate.to_string(), (*object).clone());
                let n = facts.len();
                let fact = facts.entry(key).or_insert_with(|| Fact {
                    id: format!("fx{n:05}"),
                    subject: (*subject).clone(),
                    predicate: predicate.into(),
                    object: Some((*object).clone()),
                    mode: None,
                    role: (predicate == "holds_position").then(|| "commander".into()),
                    when: published.clone().map(|p| When { value: p.clone(), text: p, precision: "day".into() }),
                    place: None,
                    count: None,
                    confidence: 0.5,
                    evidence: Vec::new(),
                });
                fact.evidence.push(Evidence {
                    doc_id: doc.clone(),
                    start: sent.start,
                    end: sent.end,
                    text: sent.text.clone(),
                    modality: MODALITIES[h % MODALITIES.len()].into(),
                    source: None,
                    trigger: None,
                    confidence: 0.5,
                    when_value: fact.when.as_ref().map(|w| w.value.clone()),
                });
            }
        }
    }
    let facts: Vec<Fact> = facts.into_values().collect();
    locate(store)?;
    store.replace_facts(&facts)?;
    Ok(facts.len())
}

/// Approximate points of places the seed corpus names: stand-in coordinates for the map
/// until the gazetteer stage stores them. (Name, latitude, longitude.)
const PLACES: &[(&str, f64, f64)] = &[
    ("Africa", 2.0, 17.0), ("Ankara", 39.93, 32.86), ("Belarus", 53.7, 27.95), ("Black Sea", 43.0, 34.0),
    ("Central African Republic", 6.6, 20.9), ("Donetsk", 48.0, 37.8), ("Kyiv", 50.45, 30.52), ("Libya", 27.0, 17.0),
    ("Luhansk", 48.57, 39.3), ("Mali", 17.5, -4.0), ("Middle East", 29.0, 45.0), ("Minsk", 53.9, 27.57),
    ("Moscow", 55.75, 37.62), ("Osipovichi", 53.3, 28.64), ("Rostov", 47.24, 39.7), ("Russia", 55.75, 37.62),
    ("Sochi", 43.6, 39.73), ("Sudan", 15.5, 32.5), ("Syria", 33.5, 36.3), ("Turkey", 39.93, 32.86),
    ("Ukraine", 50.45, 30.52), ("United States", 38.9, -77.04), ("Washington", 38.9, -77.04),
];

/// Gives the places of [`PLACES`] their coordinates (entities are stored anew with the
/// same ids, aliases and mentions).
fn locate(store: &mut Store) -> Result<(), StoreError> {
    let mut mention_ids: std::collections::HashMap<(String, u64, u64), i64> = Default::default();
    for d in store.corpus_mentions()? {
        for m in d.mentions {
            mention_ids.insert((d.doc_id.clone(), m.start, m.end), m.id);
        }
    }
    let mut entities = Vec::new();
    store.for_each_entity(|e| {
        let place = PLACES
            .iter()
            .find(|(n, _, _)| *n == e.name && matches!(e.etype.as_str(), "GPE" | "LOC" | "FAC"))
            .map(|&(_, lat, lon)| Geo { lat, lon, country: None })
            .or(e.place.clone());
        entities.push(NewEntity {
            mentions: e.mentions.iter().filter_map(|(d, s, end, _)| mention_ids.get(&(d.clone(), *s, *end)).copied()).collect(),
            id: e.id,
            etype: e.etype,
            name: e.name,
            kind: e.kind,
            aliases: e.aliases,
            place,
            attributes: e.attributes,
        });
        Ok(())
    })?;
    store.replace_entities(&entities)
}
