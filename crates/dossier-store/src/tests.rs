use super::*;
use dossier_text::{read_document, Format, ReadLimits};

fn doc(text: &str) -> Document {
    read_document(text.as_bytes(), Format::Text, ReadLimits::default()).expect("readable")
}

fn put(store: &mut Store, key: &str, d: &Document) -> PutOutcome {
    let sentences: Vec<Span> = d.content_spans();
    store.put_document(&NewDocument { source_key: key, path: key, line: None, doc: d, sentences: &sentences, mentions: &[], claims: &[] }).unwrap()
}

#[test]
fn insert_unchanged_replace_duplicate() {
    let mut s = Store::open_in_memory().unwrap();
    let a = doc("Café owners met in Minsk.\n\nRelated Articles\n");
    let PutOutcome::Inserted { id } = put(&mut s, "a.txt", &a) else { panic!("not inserted") };
    assert_eq!(put(&mut s, "a.txt", &a), PutOutcome::Unchanged { id: id.clone() });
    assert!(matches!(put(&mut s, "b.txt", &a), PutOutcome::Duplicate { .. }));
    let a2 = doc("Café owners met in Vitebsk instead.\n");
    let PutOutcome::Replaced { old, .. } = put(&mut s, "a.txt", &a2) else { panic!("not replaced") };
    assert_eq!(old, id);
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.furniture, st.sentences), (1, 0, 1));
    // The old text is gone from the index too.
    assert!(s.search("Minsk", false, 10, "[", "]").unwrap().is_empty());
    assert_eq!(s.search("vitebsk", false, 10, "[", "]").unwrap().len(), 2);
}

#[test]
fn offsets_are_characters() {
    let mut s = Store::open_in_memory().unwrap();
    let d = doc("Nicolás Maduro spoke.\n\nRelated Articles\n");
    let PutOutcome::Inserted { id } = put(&mut s, "m.txt", &d) else { panic!() };
    let row = s.find_document(&id).unwrap().unwrap();
    let text = s.document_text(&id).unwrap().unwrap();
    let chars: Vec<char> = text.chars().collect();
    let (fs, fe) = row.furniture[0];
    assert_eq!(chars[fs as usize..fe as usize].iter().collect::<String>(), "Related Articles");
    for sent in s.sentences(&id).unwrap() {
        assert_eq!(chars[sent.start as usize..sent.end as usize].iter().collect::<String>(), sent.text);
    }
}

#[test]
fn search_ranks_and_quotes() {
    let mut s = Store::open_in_memory().unwrap();
    put(&mut s, "1.txt", &doc("Wagner Group trains troops near Osipovichi.\n"));
    put(&mut s, "2.txt", &doc("A note on Wagner's operas and Wagner festivals in Bayreuth.\n"));
    let hits = s.search("wagn", false, 10, "[", "]").unwrap();
    assert_eq!(hits.iter().filter(|h| h.kind == HitKind::Document).count(), 2);
    let hits = s.search("osipovichi", false, 10, "[", "]").unwrap();
    assert!(hits[0].snippet.contains("[Osipovichi]"), "{:?}", hits[0]);
    // Syntax characters in a plain query are literal; a bad raw query is a clear error.
    assert!(s.search("\"AND (", false, 10, "[", "]").is_ok());
    let r = s.search("\"unclosed", true, 10, "[", "]");
    assert!(matches!(r, Err(StoreError::Query { .. })), "{r:?}");
}

#[test]
fn reopen_keeps_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut s = Store::open(&path).unwrap();
        put(&mut s, "a.txt", &doc("Some text here.\n"));
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(s.stats().unwrap().documents, 1);
}

#[test]
fn mentions_and_entities_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    let d = doc("Café owner Sergei Shoigu said that he was the one who had met Shoigu at the station.\n");
    assert!(d.is_english());
    let sentences = d.content_spans();
    let a = d.text.find("Sergei").unwrap();
    let b = d.text.rfind("Shoigu").unwrap();
    let mentions = [
        NewMention { span: Span::new(a, a + "Sergei Shoigu".len()), etype: "PERSON" },
        NewMention { span: Span::new(b, b + 6), etype: "PERSON" },
    ];
    s.put_document(&NewDocument { source_key: "a", path: "a", line: None, doc: &d, sentences: &sentences, mentions: &mentions, claims: &[] })
        .unwrap();
    let corpus = s.corpus_mentions().unwrap();
    assert_eq!(corpus.len(), 1);
    let m = &corpus[0].mentions;
    assert_eq!((m[0].start, m[0].end, m[0].text.as_str()), (11, 24, "Sergei Shoigu"));
    let e = NewEntity {
        id: "e1".into(),
        etype: "PERSON".into(),
        name: "Sergei Shoigu".into(),
        kind: None,
        aliases: vec!["Shoigu".into(), "Sergei Shoigu".into()],
        mentions: m.iter().map(|m| m.id).collect(),
        place: None,
        attributes: serde_json::json!({}),
    };
    s.replace_entities(&[e.clone()]).unwrap();
    s.replace_entities(&[e]).unwrap();
    let mut rows = Vec::new();
    s.for_each_entity(|r| {
        rows.push(r);
        Ok(())
    })
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].aliases, vec!["Sergei Shoigu", "Shoigu"]);
    assert_eq!(rows[0].mentions.len(), 2);
}

#[test]
fn claims_resolve_to_entities_and_facts_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    let d = doc("Émile Zola met Anton Vayno in Minsk, officials said.\n");
    let sentences = d.content_spans();
    let at = |w: &str| {
        let i = d.text.find(w).unwrap();
        Span::new(i, i + w.len())
    };
    let mentions = [
        NewMention { span: at("Émile Zola"), etype: "PERSON" },
        NewMention { span: at("Anton Vayno"), etype: "PERSON" },
        NewMention { span: at("Minsk"), etype: "GPE" },
    ];
    let claim = NewClaim {
        subject: 0,
        predicate: "CONSULT".into(),
        object: Some(1),
        mode: Some("meeting".into()),
        role: None,
        when: None,
        place: Some(2),
        count: Some(2),
        modality: "asserted".into(),
        source: None,
        source_text: Some("officials".into()),
        evidence: sentences[0],
        trigger: Some(at("met")),
        confidence: 0.7,
    };
    let bad = NewClaim { object: Some(7), ..claim.clone() };
    let put = |s: &mut Store, claims: &[NewClaim]| {
        s.put_document(&NewDocument { source_key: "a", path: "a", line: None, doc: &d, sentences: &sentences, mentions: &mentions, claims })
    };
    assert!(matches!(put(&mut s, &[bad]), Err(StoreError::BadMention { index: 7, .. })));
    put(&mut s, &[claim]).unwrap();
    let m = s.corpus_mentions().unwrap().remove(0).mentions;
    let ent = |id: &str, t: &str, m: &MentionRow| NewEntity {
        id: id.into(),
        etype: t.into(),
        name: m.text.clone(),
        kind: None,
        aliases: vec![m.text.clone()],
        mentions: vec![m.id],
        place: None,
        attributes: serde_json::json!({}),
    };
    s.replace_entities(&[ent("e1", "PERSON", &m[0]), ent("e2", "PERSON", &m[1]), ent("e3", "GPE", &m[2])]).unwrap();
    let claims = s.claims().unwrap();
    assert_eq!(claims.len(), 1);
    let c = &claims[0];
    assert_eq!((c.subject.as_deref(), c.object.as_deref(), c.place.as_deref()), (Some("e1"), Some("e2"), Some("e3")));
    // Offsets are characters: "Émile" is 5 chars, 6 bytes.
    assert_eq!(c.trigger, Some((11, 14)));
    assert_eq!(c.text.trim_end(), "Émile Zola met Anton Vayno in Minsk, officials said.");
    let fact = Fact {
        id: "f1".into(),
        subject: "e1".into(),
        predicate: c.predicate.clone(),
        object: c.object.clone(),
        mode: c.mode.clone(),
        role: None,
        when: Some(When { value: "2023-07".into(), text: "in July".into(), precision: "month".into() }),
        place: c.place.clone(),
        count: c.count,
        confidence: 0.7,
        evidence: vec![Evidence {
            doc_id: c.doc_id.clone(),
            start: c.start,
            end: c.end,
            text: c.text.clone(),
            modality: c.modality.clone(),
            source: None,
            trigger: c.trigger,
            confidence: 0.7,
            when_value: None,
        }],
    };
    s.replace_facts(&[fact.clone()]).unwrap();
    assert_eq!(s.fact("f1").unwrap(), Some(fact.clone()));
    let mut all = Vec::new();
    s.for_each_fact(|f| {
        all.push(f);
        Ok(())
    })
    .unwrap();
    assert_eq!(all, vec![fact]);
    // Removing the document removes its claims and evidence.
    let d2 = doc("Something else entirely, said nobody.\n");
    s.put_document(&NewDocument { source_key: "a", path: "a", line: None, doc: &d2, sentences: &[], mentions: &[], claims: &[] })
        .unwrap();
    assert!(s.claims().unwrap().is_empty());
    assert!(s.fact("f1").unwrap().unwrap().evidence.is_empty());
}
