use super::model::{attach_company_suffix, constraint_masks, labels_to_spans, propagate_names, spans_to_labels, storm_names, strip_honorifics, valid};
use super::*;
use std::path::PathBuf;

const CONLL: &str = "-DOCSTART- -X- O O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O
. . O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
I-PER NNP I-NP B-PER

-DOCSTART- -X- O O

BRUSSELS NNP I-NP I-LOC
1996-08-22 CD I-NP O
";

fn span(start: usize, end: usize, kind: CoarseType) -> TypedSpan {
    TypedSpan { start, end, kind }
}

#[test]
fn reads_conll_iob1_with_conlleval_chunks() {
    let docs = read_conll2003(CONLL).expect("valid CoNLL");
    assert_eq!(docs.len(), 2);
    let s = &docs[0].sentences;
    assert_eq!(s[0].spans, vec![span(0, 1, CoarseType::Org), span(2, 3, CoarseType::Misc)]);
    // B- starts a new chunk of the same type.
    assert_eq!(s[1].spans, vec![span(0, 2, CoarseType::Per), span(2, 3, CoarseType::Per)]);
    assert_eq!(docs[1].sentences[0].spans, vec![span(0, 1, CoarseType::Loc)]);
    assert!(read_conll2003("word POS CHUNK X-FOO\n").is_err());
}

#[test]
fn reads_uner_iob2() {
    let text = "# newdoc id = a\n# sent_id = a-1\n1\tIn\tO\t-\t-\n2\tNew\tB-LOC\t-\t-\n3\tYork\tI-LOC\t-\t-\n\n# newdoc id = b\n1\tBob\tB-PER\t-\t-\n";
    let docs = read_iob2(text).expect("valid IOB2");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].sentences[0].spans, vec![span(1, 3, CoarseType::Loc)]);
    assert_eq!(docs[1].sentences[0].spans, vec![span(0, 1, CoarseType::Per)]);
}

#[test]
fn scores_exact_spans() {
    let gold = vec![vec![span(0, 2, CoarseType::Per), span(3, 4, CoarseType::Loc)]];
    let pred = vec![vec![span(0, 2, CoarseType::Per), span(3, 4, CoarseType::Org), span(5, 6, CoarseType::Misc)]];
    let s = score_spans(&gold, &pred, &CoarseType::ALL);
    assert_eq!((s.overall.n_gold, s.overall.n_pred, s.overall.n_correct), (2, 3, 1));
    assert!((s.overall.f1 - 0.4).abs() < 1e-9);
    let u = score_spans(&gold, &pred, &[CoarseType::Per, CoarseType::Org, CoarseType::Loc]);
    assert_eq!((u.overall.n_gold, u.overall.n_pred, u.overall.n_correct), (2, 2, 1));
}

#[test]
fn bilou_round_trip_and_transitions() {
    let spans = vec![span(0, 1, CoarseType::Misc), span(2, 5, CoarseType::Org), span(5, 7, CoarseType::Per)];
    let labels = spans_to_labels(8, &spans);
    assert_eq!(labels_to_spans(&labels), spans);
    let mut prev = 0;
    for &l in &labels {
        assert!(valid(prev, l), "{prev} -> {l}");
        prev = l;
    }
    // B-ORG may not be followed by O or by I-PER.
    assert!(!valid(5, 0));
    assert!(!valid(5, 2));
}

#[test]
fn constraint_masks_leave_every_prefix_completable() {
    // Outside forbids entity labels, inside forbids O, and an entity may neither stay open
    // before an outside word or the end, nor continue after an outside word or the start.
    use Constraint::*;
    let cons = [Inside, Outside, Free, Inside, Free, OutsideOrMisc, Free, Outside, Inside];
    let masks = constraint_masks(&cons);
    let allowed = |i: usize, l: u8| masks[i] >> l & 1 == 1;
    for (i, c) in cons.iter().enumerate() {
        for l in 0..17u8 {
            match c {
                Outside => assert_eq!(allowed(i, l), l == 0, "word {i} label {l}"),
                OutsideOrMisc => assert_eq!(allowed(i, l), l == 0 || l >= 13, "word {i} label {l}"),
                Inside => assert!(!allowed(i, 0), "word {i}"),
                Free => {}
            }
        }
    }
    // Word 6 (free, after a word that can only be O or MISC, before an outside word):
    // of PER, ORG and LOC only U (no continuation, nothing left open); MISC may close.
    assert!((1..13u8).all(|l| allowed(6, l) == ((l - 1) % 4 == 3)));
    assert!(allowed(6, 15) && !allowed(6, 13) && !allowed(6, 14));
    // The last word (inside, at the end, after an outside word): only U labels.
    assert!((1..17u8).all(|l| allowed(8, l) == ((l - 1) % 4 == 3)));
    // Word 0 (inside, before an outside word, at the start): only U labels.
    assert!((1..17u8).all(|l| allowed(0, l) == ((l - 1) % 4 == 3)));
    // Exhaustive check: from any allowed prefix some allowed label follows.
    let n = cons.len();
    for i in 0..n {
        for p in 0..17u8 {
            let reachable = if i == 0 { p == 0 } else { allowed(i - 1, p) };
            if reachable {
                assert!((0..17u8).any(|l| allowed(i, l) && valid(p, l)), "stuck at word {i} after label {p}");
            }
        }
    }
}

#[test]
fn constrained_tagging_obeys_the_constraints() {
    let docs = tiny_corpus();
    let lex = Lexicon::from_tsv(String::new(), "city\tParis\n".into());
    let cfg = TrainConfig { epochs: 5, caps_fraction: 0.0, ..TrainConfig::default() };
    let (ner, _) = train(&docs, &[], lex, &cfg);
    let words: Vec<&str> = "Peter Blackburn visited Paris on Monday .".split(' ').collect();
    let doc = std::slice::from_ref(&words);
    let free = ner.tag_words_constrained(doc, &[vec![Constraint::Free; words.len()]]);
    assert_eq!(free, ner.tag_words(doc), "no constraints: the plain labelling");
    assert!(free[0].iter().any(|s| s.start == 3), "the model tags Paris: {free:?}");
    // Paris forced outside, Monday forced inside.
    let mut cons = vec![Constraint::Free; words.len()];
    cons[3] = Constraint::Outside;
    cons[5] = Constraint::Inside;
    let got = ner.tag_words_constrained(doc, &[cons]);
    assert!(got[0].iter().all(|s| !(s.start..s.end).contains(&3)), "{got:?}");
    assert!(got[0].iter().any(|s| (s.start..s.end).contains(&5)), "{got:?}");
    // Missing constraints leave words free rather than failing.
    let short = ner.tag_words_constrained(doc, &[vec![Constraint::Outside]]);
    assert!(short[0].iter().all(|s| s.start > 0) && short[0].iter().any(|s| s.start == 3), "{short:?}");
    assert_eq!(ner.tag_words_constrained(doc, &[]), free);
}

type Gold<'a> = (&'a str, &'a [(usize, usize, CoarseType)]);

fn tiny_corpus() -> Vec<NerDocument> {
    let sents: &[Gold] = &[
        ("Peter Blackburn visited Paris on Monday .", &[(0, 2, CoarseType::Per), (3, 4, CoarseType::Loc)]),
        ("The European Commission said on Thursday it disagreed .", &[(1, 3, CoarseType::Org)]),
        ("Germany 's representative to the European Union met Peter .", &[(0, 1, CoarseType::Loc), (5, 7, CoarseType::Org), (8, 9, CoarseType::Per)]),
        ("Russian troops entered Belarus .", &[(0, 1, CoarseType::Misc), (3, 4, CoarseType::Loc)]),
    ];
    let sentences = sents
        .iter()
        .map(|(t, sp)| NerSentence {
            words: t.split(' ').map(str::to_string).collect(),
            spans: sp.iter().map(|&(a, b, k)| span(a, b, k)).collect(),
        })
        .collect();
    vec![NerDocument { sentences }]
}

#[test]
fn tiny_model_saves_and_loads_with_same_predictions() {
    let docs = tiny_corpus();
    let lex = Lexicon::from_tsv("Paris\t1\t2\t3\t4\nBerlin\t1\t2\t3\t5\n".into(), "country\tGermany\ncity\tParis\ndemonym\tRussian\n".into());
    let cfg = TrainConfig { epochs: 5, ..TrainConfig::default() };
    let (ner, logs) = train(&docs, &[], lex, &cfg);
    assert_eq!(logs.len(), 5);
    let scores = evaluate_conll(&ner, &docs);
    assert!(scores.overall.f1 > 0.9, "fits its training data: {scores:?}");
    let bytes = ner.to_bytes().expect("serialises");
    let back = Ner::from_bytes(&bytes).expect("loads");
    assert_eq!(predict(&ner, &docs), predict(&back, &docs));
    assert!(Ner::from_bytes(b"not a model").is_err());
    // Runtime path over our own tokens.
    let text = "Peter Blackburn visited Paris.";
    let toks = crate::tokenize(text, 0..text.len());
    for e in back.recognize(text, &toks) {
        assert!(e.start_byte < e.end_byte && e.end_byte <= text.len());
        assert!(e.start_token < e.end_token && e.end_token <= toks.len());
    }
}

#[test]
fn two_stage_tiny_model_saves_and_loads_with_same_predictions() {
    // Two documents, so that each of the two folds has one to label.
    let one = tiny_corpus().remove(0);
    let (a, b) = one.sentences.split_at(2);
    let docs = vec![NerDocument { sentences: a.to_vec() }, NerDocument { sentences: b.to_vec() }];
    let lex = Lexicon::from_tsv("Paris\t1\t2\t3\t4\n".into(), "country\tGermany\ncity\tParis\n".into());
    let cfg = TrainConfig { epochs: 4, folds: 2, caps_fraction: 0.0, ..TrainConfig::default() };
    let (ner, logs) = train(&docs, &docs, lex, &cfg);
    assert!(ner.has_second_stage());
    assert_eq!(logs.len(), 8, "both stages log their epochs");
    let bytes = ner.to_bytes().expect("serialises");
    let back = Ner::from_bytes(&bytes).expect("loads");
    assert!(back.has_second_stage());
    assert_eq!(predict(&ner, &docs), predict(&back, &docs));
    assert!(evaluate_conll(&back, &docs).overall.f1 > 0.5);
}

#[test]
fn averaged_seeds_score_as_the_mean_of_their_scores() {
    let one = tiny_corpus().remove(0);
    let (a, b) = one.sentences.split_at(2);
    let docs = vec![NerDocument { sentences: a.to_vec() }, NerDocument { sentences: b.to_vec() }];
    let lex = || Lexicon::from_tsv("Paris\t1\t2\t3\t4\n".into(), "country\tGermany\ncity\tParis\n".into());
    let seed = |seed| {
        let cfg = TrainConfig { epochs: 4, folds: 2, caps_fraction: 0.0, seed, ..TrainConfig::default() };
        train(&docs, &docs, lex(), &cfg).0
    };
    let (x, y) = (seed(1), seed(2));
    // A model averaged with itself is itself.
    let same = Ner::average(&[x.clone(), x.clone()]).expect("averages");
    assert_eq!(predict(&same, &docs), predict(&x, &docs));
    let mean = Ner::average(&[x.clone(), y]).expect("averages");
    assert!(mean.has_second_stage());
    let back = Ner::from_bytes(&mean.to_bytes().expect("serialises")).expect("loads");
    assert_eq!(predict(&mean, &docs), predict(&back, &docs));
    assert!(evaluate_conll(&back, &docs).overall.f1 > 0.5);
    assert!(Ner::average(&[]).is_err());
    assert!(Ner::average(&[x.clone(), x.first_stage_only()]).is_err(), "stages must agree");
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The committed model, or `None` (with a note) when it is absent.
fn committed_model() -> Option<Ner> {
    let p = workspace().join("models/ner.bin.zst");
    if !p.exists() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{} is missing", p.display());
        eprintln!("skip: {} not found", p.display());
        return None;
    }
    Some(Ner::load(&p).expect("the committed NER model loads"))
}

fn entities(ner: &Ner, text: &str) -> Vec<(String, EntityType)> {
    let toks = crate::tokenize(text, 0..text.len());
    let sents = crate::sentence_token_ranges(text, &toks);
    ner.recognize_document(text, &toks, &sents).into_iter().map(|e| (text[e.start_byte..e.end_byte].to_string(), e.label)).collect()
}

#[test]
fn committed_model_reads_headlines_titles_possessives_and_types() {
    let Some(ner) = committed_model() else { return };
    let head = entities(&ner, "WHAT WE KNOW ABOUT THE PENTAGON LEAKS");
    assert!(head.len() <= 1, "headline in capitals: {head:?}");
    for (t, _) in &head {
        for w in ["WHAT", "WE", "KNOW", "ABOUT", "THE", "LEAKS"] {
            assert!(!t.split(' ').any(|x| x == w), "headline in capitals: {head:?}");
        }
    }
    let e = entities(&ner, "Defense Minister Sergei Shoigu said the Wagner Group's fighters had left Russian territory for Belarus.");
    assert!(e.contains(&("Sergei Shoigu".to_string(), EntityType::Person)), "{e:?}");
    assert!(e.iter().any(|(t, l)| t == "Wagner Group" && *l == EntityType::Org), "{e:?}");
    assert!(e.contains(&("Russian".to_string(), EntityType::Norp)), "{e:?}");
    assert!(e.contains(&("Belarus".to_string(), EntityType::Gpe)), "{e:?}");
    assert!(!e.iter().any(|(t, _)| t.contains("Minister") || t.contains("'s")), "{e:?}");
    let e = entities(&ner, "Ships in the Black Sea were seen from the Middle East, officials in Kyiv said.");
    assert!(e.contains(&("Black Sea".to_string(), EntityType::Loc)), "{e:?}");
    assert!(e.contains(&("Middle East".to_string(), EntityType::Loc)), "{e:?}");
    assert!(e.contains(&("Kyiv".to_string(), EntityType::Gpe)), "{e:?}");
}

/// Every required PERSON of `../shared/gold/seeds.gold.json` is found, typed PERSON, in each of
/// its seed documents.
#[test]
fn committed_model_finds_every_seed_person() {
    let shared = workspace().join("../shared");
    if !shared.join("seeds").exists() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{} is missing", shared.display());
        eprintln!("skip: {} not found", shared.display());
        return;
    }
    let Some(ner) = committed_model() else { return };
    let gold = std::fs::read_to_string(shared.join("gold/seeds.gold.json")).expect("seeds gold");
    let people = gold_people(&gold);
    assert!(!people.is_empty(), "no PERSON in the gold file");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(shared.join("seeds")).expect("seeds dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    let mut missing = Vec::new();
    for (name, aliases, docs) in &people {
        for d in docs {
            let Some(f) = files.iter().find(|f| f.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{d}_")))) else {
                continue;
            };
            let text = std::fs::read_to_string(f).expect("seed text");
            let found = entities(&ner, &text);
            let ok = found.iter().any(|(t, l)| *l == EntityType::Person && aliases.iter().any(|a| a.to_lowercase() == t.to_lowercase()));
            if !ok {
                let near: Vec<_> = found.iter().filter(|(t, _)| aliases.iter().any(|a| a.contains(t.as_str()) || t.contains(a.as_str()))).collect();
                missing.push(format!("{name} in {d}: {near:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "seed persons not found as PERSON:\n{}", missing.join("\n"));
}

/// (name, aliases, docs) of the gold PERSON entities, read with a tiny JSON scanner
/// (the crate has no JSON dependency).
fn gold_people(json: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let Some(start) = json.find("\"entities\"") else { return out };
    let body = &json[start..];
    for obj in body.split("{\"id\"").skip(1) {
        let obj = obj.split('}').next().unwrap_or("");
        if !obj.contains("\"type\": \"PERSON\"") && !obj.contains("\"type\":\"PERSON\"") {
            continue;
        }
        if obj.contains("\"required\": false") || obj.contains("\"required\":false") {
            continue;
        }
        let list = |key: &str| -> Vec<String> {
            let Some(i) = obj.find(&format!("\"{key}\"")) else { return Vec::new() };
            let rest = &obj[i..];
            let (Some(a), Some(b)) = (rest.find('['), rest.find(']')) else { return Vec::new() };
            rest[a + 1..b].split(',').map(|s| s.trim().trim_matches('"').to_string()).filter(|s| !s.is_empty()).collect()
        };
        let aliases = list("aliases");
        let name = aliases.first().cloned().unwrap_or_default();
        out.push((name, aliases, list("docs")));
    }
    out
}

#[test]
fn honorifics_stay_out_of_person_spans() {
    let words = ["Dr.", "Jane", "Moore", "met", "Mr", "Li", "and", "Sir", "Kensington", "Dr"];
    let mut spans = vec![
        span(0, 3, CoarseType::Per),
        span(4, 6, CoarseType::Per),
        span(7, 9, CoarseType::Org),
        span(9, 10, CoarseType::Per),
    ];
    strip_honorifics(&mut spans, &words);
    assert_eq!(spans[0], span(1, 3, CoarseType::Per));
    assert_eq!(spans[1], span(5, 6, CoarseType::Per));
    // Only persons, and never down to nothing.
    assert_eq!(spans[2], span(7, 9, CoarseType::Org));
    assert_eq!(spans[3], span(9, 10, CoarseType::Per));
}

#[test]
fn company_suffix_after_a_comma_joins_the_organisation() {
    let words = ["CCNG", ",", "Inc.", "and", "Google", ",", "Inc.", "of", "Acme", ",", "Inc", "Bob", ",", "Ltd"];
    let mut spans = vec![
        span(0, 1, CoarseType::Org),
        span(2, 3, CoarseType::Org), // the legal form alone: absorbed
        span(4, 5, CoarseType::Org),
        span(8, 9, CoarseType::Loc), // not an organisation: left alone
        span(11, 12, CoarseType::Per),
    ];
    attach_company_suffix(&mut spans, &words);
    assert_eq!(
        spans,
        vec![span(0, 3, CoarseType::Org), span(4, 7, CoarseType::Org), span(8, 9, CoarseType::Loc), span(11, 12, CoarseType::Per)]
    );
    // At the end of the sentence, and with nothing after the comma.
    let words = ["Acme", ",", "LLC"];
    let mut spans = vec![span(0, 1, CoarseType::Org)];
    attach_company_suffix(&mut spans, &words);
    assert_eq!(spans, vec![span(0, 3, CoarseType::Org)]);
    let words = ["Acme", ","];
    let mut spans = vec![span(0, 1, CoarseType::Org)];
    attach_company_suffix(&mut spans, &words);
    assert_eq!(spans, vec![span(0, 1, CoarseType::Org)]);
}

#[test]
fn storm_names_are_no_persons() {
    let words = ["after", "Hurricane", "Katrina", "hit", ",", "Katrina", "Smith", "left", "Hurricane", "Dolly"];
    let mut spans = vec![span(2, 3, CoarseType::Per), span(5, 7, CoarseType::Per), span(8, 10, CoarseType::Per)];
    storm_names(&mut spans, &words);
    assert_eq!(spans, vec![span(2, 3, CoarseType::Misc), span(5, 7, CoarseType::Per), span(8, 10, CoarseType::Misc)]);
}

#[test]
fn names_tagged_alike_elsewhere_in_the_document_are_tagged_where_missed() {
    let s: Vec<Vec<&str>> = vec![
        vec!["Google", "hired", "Ben", "Goodger", "."],
        vec!["Ben", "joined", "Google", "and", "Jordan", "left", "."],
        vec!["Jordan", "went", "to", "Jordan", "with", "Ben", "Goodger", "and", "google", "."],
    ];
    let mut spans = vec![
        vec![span(0, 1, CoarseType::Org), span(2, 4, CoarseType::Per)],
        vec![span(4, 5, CoarseType::Per)],
        vec![span(3, 4, CoarseType::Loc)],
    ];
    propagate_names(&mut spans, &s);
    // "Google" (always ORG) is added where it was missed; "Ben" alone was never tagged,
    // "Jordan" has two types, "google" is not capitalised: left alone. "Ben Goodger"
    // is found whole, and only where no span covers its words.
    assert_eq!(spans[0], vec![span(0, 1, CoarseType::Org), span(2, 4, CoarseType::Per)]);
    assert_eq!(spans[1], vec![span(2, 3, CoarseType::Org), span(4, 5, CoarseType::Per)]);
    assert_eq!(spans[2], vec![span(3, 4, CoarseType::Loc), span(5, 7, CoarseType::Per)]);
}
