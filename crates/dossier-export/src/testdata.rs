//! One small store every format's tests export: people, organisations of several
//! kinds, places with and without coordinates, a NORP, standing relations and events,
//! facts without object, several pieces of evidence, and names and evidence holding
//! markup, quotes, `;`, line breaks and control characters.

use dossier_store::{Evidence, Fact, Geo, NewDocument, NewEntity, NewMention, Store, When};
use dossier_text::{read_document, Format, ReadLimits, Span};

pub(crate) const DOC_A: &str = "Yevgeny Prigozhin met Alexander Lukashenko in Minsk, CNN said.\nWagner mobilised in Russia.\n";
pub(crate) const DOC_B: &str = "Sergei Shoigu, Russia's Defense Minister, said on Monday that the army of the country would stay where it is and that there was no reason for any of the troops to leave.\n";

/// A name with everything XML and CSV writers must get right.
pub(crate) const NASTY_NAME: &str = "Wagner <Group> & \"Co\"; 'PMC'\u{1}\nLtd";
/// Evidence text with markup, a control character, `;` and a line break.
pub(crate) const NASTY_EVIDENCE: &str = "Prigozhin met Lukashenko; \"talks\" <b>went</b> well & long.\u{7}\r\nOfficials said so.";

fn evidence(doc_id: &str, text: &str, modality: &str, source: Option<&str>, when_value: Option<&str>) -> Evidence {
    Evidence {
        doc_id: doc_id.into(),
        start: 0,
        end: text.chars().count() as u64,
        text: text.into(),
        modality: modality.into(),
        source: source.map(Into::into),
        trigger: None,
        confidence: 0.7,
        when_value: when_value.map(Into::into),
    }
}

fn fact(id: &str, s: &str, p: &str, o: Option<&str>, ev: Vec<Evidence>) -> Fact {
    Fact {
        id: id.into(),
        subject: s.into(),
        predicate: p.into(),
        object: o.map(Into::into),
        mode: None,
        role: None,
        when: None,
        place: None,
        count: None,
        confidence: 0.6667,
        evidence: ev,
    }
}

/// The fixture store, and the ids of its two documents (a.txt, b.txt).
pub(crate) fn store() -> (Store, String, String) {
    let mut store = Store::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for (path, text, names) in [
        ("a.txt", DOC_A, &[("Yevgeny Prigozhin", "PERSON"), ("Alexander Lukashenko", "PERSON"), ("Minsk", "GPE"), ("CNN", "ORG"), ("Wagner", "ORG"), ("Russia", "GPE")][..]),
        ("b.txt", DOC_B, &[("Sergei Shoigu", "PERSON"), ("Russia", "GPE")][..]),
    ] {
        let doc = read_document(text.as_bytes(), Format::Text, ReadLimits::default()).unwrap();
        let mentions: Vec<NewMention> = names
            .iter()
            .map(|&(n, etype)| {
                let i = doc.text.find(n).unwrap();
                NewMention { span: Span::new(i, i + n.len()), etype }
            })
            .collect();
        let sentences = doc.content_spans();
        let out = store
            .put_document(&NewDocument { source_key: path, path, line: None, doc: &doc, sentences: &sentences, mentions: &mentions, claims: &[] })
            .unwrap();
        let id = match out {
            dossier_store::PutOutcome::Inserted { id } => id,
            other => panic!("{other:?}"),
        };
        ids.push(id);
    }
    let (da, db) = (ids[0].clone(), ids[1].clone());
    let corpus = store.corpus_mentions().unwrap();
    let mention = |doc: &str, text: &str| -> Vec<i64> {
        corpus.iter().filter(|d| d.doc_id == doc).flat_map(|d| d.mentions.iter()).filter(|m| m.text == text).map(|m| m.id).collect()
    };
    let ent = |id: &str, etype: &str, name: &str, kind: Option<&str>, mentions: Vec<i64>, place: Option<Geo>| NewEntity {
        id: id.into(),
        etype: etype.into(),
        name: name.into(),
        kind: kind.map(Into::into),
        aliases: vec![name.into()],
        mentions,
        place,
        attributes: serde_json::json!({}),
    };
    let geo = |lat: f64, lon: f64, c: &str| Some(Geo { lat, lon, country: Some(c.into()) });
    let mut prigozhin = ent("e1", "PERSON", "Yevgeny Prigozhin", None, mention(&da, "Yevgeny Prigozhin"), None);
    prigozhin.aliases = vec!["Yevgeny Prigozhin".into(), "Putin's chef".into(), "Prigozhin; Y.".into()];
    let mut russia_mentions = mention(&da, "Russia");
    russia_mentions.extend(mention(&db, "Russia"));
    store
        .replace_entities(&[
            prigozhin,
            ent("e2", "PERSON", "Alexander Lukashenko", None, mention(&da, "Alexander Lukashenko"), None),
            ent("e3", "GPE", "Minsk", None, mention(&da, "Minsk"), geo(53.9, 27.5667, "by")),
            ent("e4", "ORG", NASTY_NAME, Some("armed_group"), mention(&da, "Wagner"), None),
            ent("e5", "ORG", "Concord", Some("company"), vec![], None),
            ent("e6", "PERSON", "Sergei Shoigu", None, mention(&db, "Sergei Shoigu"), None),
            ent("e7", "ORG", "Russian defense ministry", Some("government"), vec![], None),
            ent("e8", "GPE", "Russia", None, russia_mentions, geo(61.5, 105.3, "ru")),
            ent("e9", "NORP", "Russian", None, vec![], None),
            ent("e10", "ORG", "CNN", Some("media"), mention(&da, "CNN"), None),
            ent("e11", "LOC", "Nowhere", None, vec![], None),
            ent("e12", "GPE", "Broken coords", None, vec![], Some(Geo { lat: 95.0, lon: 10.0, country: None })),
        ])
        .unwrap();
    let mut f1 = fact(
        "f1",
        "e1",
        "CONSULT",
        Some("e2"),
        vec![
            evidence(&da, NASTY_EVIDENCE, "asserted", Some("e10"), Some("2023-07-15")),
            evidence(&db, "They met again.", "alleged", None, Some("2023-08")),
        ],
    );
    f1.mode = Some("meeting".into());
    f1.when = Some(When { value: "2023-07-15".into(), text: "on July 15".into(), precision: "day".into() });
    f1.place = Some("e3".into());
    f1.count = Some(2);
    let mut f3 = fact("f3", "e6", "holds_position", Some("e7"), vec![evidence(&db, DOC_B.trim(), "asserted", None, None)]);
    f3.role = Some("Defense Minister".into());
    let mut f6 = fact("f6", "e4", "MOBILIZE", None, vec![evidence(&da, "Wagner mobilised in Russia.", "asserted", None, None)]);
    f6.when = Some(When { value: "2013/2014".into(), text: "between 2013 and 2014".into(), precision: "year".into() });
    f6.place = Some("e8".into());
    let mut f11 = fact("f11", "e1", "holds_position", None, vec![evidence(&da, "Prigozhin, the founder, spoke.", "asserted", None, None)]);
    f11.role = Some("founder & <chief>".into());
    let mut f12 = fact("f12", "e8", "ACCUSE", Some("e4"), vec![evidence(&da, "Russia accused Wagner.", "denied", Some("e10"), Some("--07-15"))]);
    f12.when = Some(When { value: "--07-15".into(), text: "on July 15".into(), precision: "day".into() });
    store
        .replace_facts(&[
            f1,
            fact("f2", "e1", "leads", Some("e4"), vec![evidence(&da, "Prigozhin leads Wagner.", "asserted", None, None)]),
            f3,
            fact("f4", "e1", "owns", Some("e5"), vec![evidence(&da, "Prigozhin owns Concord.", "alleged", None, None)]),
            fact("f5", "e4", "member_of", Some("e7"), vec![evidence(&da, "Wagner is part of the ministry.", "possible", None, None)]),
            f6,
            fact("f7", "e4", "ASSAULT", Some("e3"), vec![evidence(&da, "Wagner attacked Minsk.", "planned", None, Some("2023-07"))]),
            fact("f8", "e9", "nationality_of", Some("e8"), vec![evidence(&db, "Russian troops.", "asserted", None, None)]),
            fact("f9", "e4", "operates_in", Some("e11"), vec![evidence(&da, "Wagner operates in Nowhere.", "asserted", None, None)]),
            fact("f10", "e6", "affiliated_with", Some("e1"), vec![evidence(&db, "Shoigu and Prigozhin are close.", "asserted", None, None)]),
            f11,
            f12,
            fact("f13", "e1", "owns", Some("e4"), vec![evidence(&da, "Prigozhin owns Wagner.", "alleged", None, None)]),
        ])
        .unwrap();
    (store, da, db)
}
