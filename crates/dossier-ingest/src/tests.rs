use super::*;
use std::fs;

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.txt"), "Headline one\n\nThe ministry said the convoy arrived. It had 60 vehicles.\n\nRelated Articles\n").unwrap();
    fs::create_dir(p.join("sub")).unwrap();
    fs::write(p.join("sub/b.md"), "# Second story\n\nTroops moved north on Monday.\n").unwrap();
    fs::write(p.join("c.jsonl"), "{\"text\":\"First line story. It is short.\",\"title\":\"One\"}\nnot json\n\n{\"text\":\"Third line story.\"}\n").unwrap();
    fs::write(p.join("bin.dat"), [0u8, 1, 2, 3, 0, 255]).unwrap();
    fs::write(p.join("bad.txt"), b"caf\xe9 au lait\n").unwrap();
    fs::write(p.join("empty.txt"), "").unwrap();
    fs::write(p.join(".hidden.txt"), "Never read this.").unwrap();
    dir
}

fn dump(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    store
        .for_each_document(|d| {
            let sents = store.sentences(&d.id)?;
            out.push(format!("{d:?} {sents:?}"));
            Ok(())
        })
        .unwrap();
    out
}

#[test]
fn bad_inputs_do_not_lose_the_batch() {
    let dir = corpus();
    let mut store = Store::open_in_memory().unwrap();
    let input = [Input::Path(dir.path().to_string_lossy().into_owned())];
    let s = ingest(&mut store, &input, IngestConfig::default(), &Quiet).unwrap();
    assert_eq!(s.inserted, 4, "{s:?}");
    let failed: Vec<String> = s.failures.iter().map(|f| f.origin.to_string().rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(failed, vec!["bad.txt", "bin.dat", "c.jsonl:2", "empty.txt"], "{:?}", s.failures);
    assert!(s.failures[0].message.contains("invalid UTF-8 at line 1"));
    // Second run: nothing changes.
    let before = dump(&store);
    let s2 = ingest(&mut store, &input, IngestConfig::default(), &Quiet).unwrap();
    assert_eq!((s2.inserted, s2.unchanged), (0, 4));
    assert_eq!(dump(&store), before);
}

#[test]
fn jobs_do_not_change_the_result() {
    let dir = corpus();
    let input = [Input::Path(dir.path().to_string_lossy().into_owned())];
    let mut one = Store::open_in_memory().unwrap();
    ingest(&mut one, &input, IngestConfig { jobs: 1, ..Default::default() }, &Quiet).unwrap();
    let mut two = Store::open_in_memory().unwrap();
    ingest(&mut two, &input, IngestConfig { jobs: 2, ..Default::default() }, &Quiet).unwrap();
    assert_eq!(dump(&one), dump(&two));
}

#[test]
fn changed_file_replaces_old_version() {
    let dir = corpus();
    let a = dir.path().join("a.txt");
    let input = [Input::Path(a.to_string_lossy().into_owned())];
    let mut store = Store::open_in_memory().unwrap();
    ingest(&mut store, &input, IngestConfig::default(), &Quiet).unwrap();
    fs::write(&a, "Headline one\n\nA new version of the story.\n").unwrap();
    let s = ingest(&mut store, &input, IngestConfig::default(), &Quiet).unwrap();
    assert_eq!(s.replaced, 1);
    assert_eq!(store.stats().unwrap().documents, 1);
    assert!(store.search("convoy", false, 5, "[", "]").unwrap().is_empty());
}

#[test]
fn limits_refuse_big_files_and_lines() {
    let dir = corpus();
    let limits = ReadLimits { max_bytes: 40 };
    let mut store = Store::open_in_memory().unwrap();
    let input = [Input::Path(dir.path().to_string_lossy().into_owned())];
    let s = ingest(&mut store, &input, IngestConfig { jobs: 2, limits, models: None }, &Quiet).unwrap();
    assert!(s.failures.iter().any(|f| f.origin.path.ends_with("a.txt") && f.message.contains("limit")), "{:?}", s.failures);
    assert!(s.failures.iter().any(|f| f.origin.line == Some(1) && f.message.contains("limit")), "{:?}", s.failures);
    // Documents under the limit still go in.
    assert_eq!(s.inserted, 1, "{s:?}");
}

#[test]
fn sentences_skip_furniture() {
    let d = dossier_text::read_document(
        b"Title line\n\nIt said so. Then it left.\n\nRelated Articles\n",
        Format::Text,
        ReadLimits::default(),
    )
    .unwrap();
    let texts: Vec<&str> = sentences(&d).iter().map(|s| &d.text[s.start()..s.end()]).collect();
    assert!(!texts.iter().any(|t| t.contains("Related")), "{texts:?}");
    assert!(texts.contains(&"It said so."), "{texts:?}");
}

#[test]
fn one_edit_is_one_substitution_insertion_or_deletion() {
    assert!(one_edit("wagner", "vagner"));
    assert!(one_edit("wagner", "wager"));
    assert!(one_edit("wager", "wagner"));
    assert!(!one_edit("wagner", "wagner"));
    assert!(!one_edit("wagner", "vagnar"));
    assert!(!one_edit("wagner", "wagnerite"));
}

#[test]
fn a_spelling_variant_takes_the_type_of_the_name_it_varies() {
    let models = Models::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")).expect("committed models load");
    let text = "The Kestrel Group sent fighters to Chad. Kestrel denied it. Kestrel is large.\n\nOfficials said Kestral seeks trucks from Chad.\n";
    let (mentions, _) = read_claims(text, &models);
    let at = text.find("Kestral").unwrap();
    let m = mentions.iter().find(|(s, _)| s.start() == at).expect("the variant is a mention");
    assert_eq!(m.1, "ORG", "{mentions:?}");
}
