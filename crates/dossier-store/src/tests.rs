use super::*;
use dossier_text::{read_document, Format, ReadLimits};

fn doc(text: &str) -> Document {
    read_document(text.as_bytes(), Format::Text, ReadLimits::default()).expect("readable")
}

fn put(store: &mut Store, key: &str, d: &Document) -> PutOutcome {
    let sentences: Vec<Span> = d.content_spans();
    store.put_document(&NewDocument { source_key: key, path: key, line: None, doc: d, sentences: &sentences, mentions: &[] }).unwrap()
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
    s.put_document(&NewDocument { source_key: "a", path: "a", line: None, doc: &d, sentences: &sentences, mentions: &mentions })
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
