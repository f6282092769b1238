//! Training the named-entity recogniser ([`crate::ner`]) on CoNLL-2003
//! eng.train (plus, optionally, UNER English EWT dev and silver-labelled UD EWT train),
//! choosing the epoch on eng.testa. Used by `dossier nlp train ner` and
//! `examples/train_ner.rs`; calls the `ner` module's public API only.
//!
//! Name words: person and organisation names are read from the data folder at
//! training time (PETRARCH2/Phoenix actor dictionaries, the OFAC SDN list) and
//! only the hashes of their lowercased words go into the model.

use super::{read_text, read_zst_text, write_file, TrainError};
use crate::ner::{self, Lexicon, NerDocument, NerScores, TrainConfig};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of [`train_ner`].
#[derive(Debug, Clone)]
pub struct NerTrainOptions {
    /// The folder holding `conll2003/`, `uner-english-ewt/`, `petrarch2-phoenix/`, `sanctions/`.
    pub data: PathBuf,
    /// The folder holding the inputs `ner-clusters.tsv.zst` and `ner-gazetteer.tsv.zst`.
    pub models: PathBuf,
    /// The model file to write.
    pub out: PathBuf,
    /// The trainer's settings (epochs, seed, capitals, folds, cache, ...).
    pub config: TrainConfig,
    /// Add UNER EWT dev to the training documents.
    pub uner_dev: bool,
    /// How many times UNER EWT dev is added.
    pub uner_dev_times: usize,
    /// Add only half of the UNER dev documents and score the other half (two-fold
    /// cross-validation on UNER dev, for choosing settings without UNER test).
    pub uner_holdout: bool,
    /// Which half `uner_holdout` holds out: the odd documents (`false`, the default) or
    /// the even ones.
    pub uner_holdout_even: bool,
    /// Label UD EWT train (web text) with this model under constraints from its gold
    /// part-of-speech tags and add it to the training documents (see [`silver`]).
    pub silver_ewt: Option<PathBuf>,
    /// The share of the UD EWT train documents `silver_ewt` adds (1 = all).
    pub silver_share: f64,
    /// Also train on eng.testa, for a final model whose settings were chosen on it
    /// before: nothing is then chosen on it (each stage keeps its last epoch), and its
    /// testa score is no dev score.
    pub train_testa: bool,
    /// Train without the name words.
    pub no_names: bool,
    /// Train without word clusters.
    pub no_clusters: bool,
    /// Train without the gazetteer.
    pub no_gazetteer: bool,
}

impl Default for NerTrainOptions {
    fn default() -> Self {
        NerTrainOptions {
            data: PathBuf::from("../shared/data"),
            models: PathBuf::from("models"),
            out: PathBuf::from("models/ner.bin.zst"),
            config: TrainConfig::default(),
            uner_dev: false,
            uner_dev_times: 1,
            uner_holdout: false,
            uner_holdout_even: false,
            silver_ewt: None,
            silver_share: 1.0,
            train_testa: false,
            no_names: false,
            no_clusters: false,
            no_gazetteer: false,
        }
    }
}

/// What a training run produced.
#[derive(Debug, Clone)]
pub struct NerReport {
    /// eng.testa (the dev set that chose the epochs).
    pub testa: NerScores,
    /// eng.testb (reported, never used to choose).
    pub testb: NerScores,
    /// The held-out half of the UNER dev documents, with `uner_holdout`.
    pub uner_heldout: Option<NerScores>,
    /// UNER EWT test (reported, never used to choose).
    pub uner_test: NerScores,
    /// The model's features.
    pub n_features: usize,
    /// The file written and its size in bytes.
    pub file: (PathBuf, u64),
    /// Training time in seconds.
    pub seconds: f64,
    /// Silver documents, sentences and entities added (`silver_ewt`).
    pub silver: Option<(usize, usize, usize)>,
}

fn conll(path: &Path) -> Result<Vec<NerDocument>, TrainError> {
    ner::read_conll2003(&read_text(path)?).map_err(TrainError::data(path))
}

fn iob2(path: &Path) -> Result<Vec<NerDocument>, TrainError> {
    ner::read_iob2(&read_text(path)?).map_err(TrainError::data(path))
}

/// Trains the NER as `opts` says, writes `opts.out` and scores it.
pub fn train_ner(opts: &NerTrainOptions) -> Result<NerReport, TrainError> {
    let verbose = opts.config.verbose;
    let dir = opts.data.join("conll2003");
    let mut train = conll(&dir.join("eng.train"))?;
    let testa = conll(&dir.join("eng.testa"))?;
    let testb = conll(&dir.join("eng.testb"))?;
    let mut uner_held = Vec::new();
    if opts.uner_dev || opts.uner_holdout {
        // UNER EWT dev (PER/ORG/LOC only; web text) as extra training documents.
        let dev = iob2(&opts.data.join(UNER_DEV))?;
        let (keep, held) = uner_dev_halves(dev, opts.uner_holdout, opts.uner_holdout_even);
        for _ in 0..opts.uner_dev_times.max(1) {
            train.extend(keep.iter().cloned());
        }
        uner_held = held;
    }
    let uner = iob2(&opts.data.join(UNER_TEST))?;
    let mut silver_counts = None;
    if let Some(m) = &opts.silver_ewt {
        if !(opts.silver_share > 0.0 && opts.silver_share <= 1.0) {
            return Err(TrainError::Invalid(format!("the silver share must be in (0, 1], not {}", opts.silver_share)));
        }
        let t = Instant::now();
        let labeller = ner::Ner::load(m).map_err(TrainError::data(m))?;
        let path = opts.data.join("ud-english-ewt/en_ewt-ud-train.conllu");
        let sentences = crate::conllu::parse(&read_text(&path)?).map_err(TrainError::data(&path))?;
        let docs = silver::documents(&labeller, &sentences, opts.silver_share);
        let (ns, ne) = docs.iter().flat_map(|d| &d.sentences).fold((0, 0), |(a, b), s| (a + 1, b + s.spans.len()));
        if verbose {
            eprintln!("silver: {} documents, {ns} sentences, {ne} entities in {:.1}s", docs.len(), t.elapsed().as_secs_f64());
        }
        silver_counts = Some((docs.len(), ns, ne));
        train.extend(docs);
    }
    let t = Instant::now();
    let clusters = if opts.no_clusters {
        String::new()
    } else {
        read_zst_text(&opts.models.join("ner-clusters.tsv.zst"))?
    };
    let gazetteer = if opts.no_gazetteer {
        String::new()
    } else {
        read_zst_text(&opts.models.join("ner-gazetteer.tsv.zst"))?
    };
    let mut lex = Lexicon::from_tsv(clusters, gazetteer);
    if !opts.no_names {
        let (people, orgs) = names::read_all(&opts.data, verbose);
        if verbose {
            eprintln!(
                "names: {} people, {} organisations",
                people.len(),
                orgs.len()
            );
        }
        lex = lex.with_names(&people, &orgs);
    }
    if verbose {
        eprintln!(
            "lexicon {:?} in {:.2}s",
            lex.sizes(),
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let (model, _) = if opts.train_testa {
        train.extend(testa.iter().cloned());
        ner::train(&train, &[], lex, &opts.config)
    } else {
        ner::train(&train, &testa, lex, &opts.config)
    };
    let seconds = t.elapsed().as_secs_f64();
    let mut report = write_and_score(&model, &opts.out, &testa, &testb, &uner_held, &uner)?;
    report.seconds = seconds;
    report.silver = silver_counts;
    Ok(report)
}

/// UNER EWT dev and test, under the data folder.
const UNER_DEV: &str = "uner-english-ewt/en_ewt-ud-dev.iob2";
const UNER_TEST: &str = "uner-english-ewt/en_ewt-ud-test.iob2";

/// UNER EWT dev split for held-out scoring: (the documents to train on, the held-out
/// ones). With `holdout`, the odd-numbered documents are held out, or with `even` the
/// even-numbered ones; without it, nothing is.
pub fn uner_dev_halves(dev: Vec<NerDocument>, holdout: bool, even: bool) -> (Vec<NerDocument>, Vec<NerDocument>) {
    let held_parity = if even { 0 } else { 1 };
    let (mut keep, mut held) = (Vec::new(), Vec::new());
    for (i, d) in dev.into_iter().enumerate() {
        if holdout && i % 2 == held_parity {
            held.push(d);
        } else {
            keep.push(d);
        }
    }
    (keep, held)
}

/// Writes `model` to `out` and scores it (`seconds` and `silver` left empty).
fn write_and_score(model: &ner::Ner, out: &Path, testa: &[NerDocument], testb: &[NerDocument], uner_held: &[NerDocument], uner: &[NerDocument]) -> Result<NerReport, TrainError> {
    let bytes = model.to_bytes().map_err(TrainError::data(out))?;
    let size = write_file(out, &bytes)?;
    Ok(NerReport {
        testa: ner::evaluate_conll(model, testa),
        testb: ner::evaluate_conll(model, testb),
        uner_heldout: (!uner_held.is_empty()).then(|| ner::evaluate_uner(model, uner_held)),
        uner_test: ner::evaluate_uner(model, uner),
        n_features: model.n_features(),
        file: (out.to_path_buf(), size),
        seconds: 0.0,
        silver: None,
    })
}

/// Writes the mean of the weights of `models` (trained alike with different seeds, see
/// [`ner::Ner::average`]) to `opts.out` and scores it as [`train_ner`] scores a trained
/// model (the held-out UNER dev half with `opts.uner_holdout`).
pub fn average_ner(opts: &NerTrainOptions, models: &[PathBuf]) -> Result<NerReport, TrainError> {
    let loaded = models.iter().map(|p| ner::Ner::load(p).map_err(TrainError::data(p))).collect::<Result<Vec<_>, _>>()?;
    let model = ner::Ner::average(&loaded).map_err(|e| TrainError::Invalid(e.to_string()))?;
    let dir = opts.data.join("conll2003");
    let (testa, testb) = (conll(&dir.join("eng.testa"))?, conll(&dir.join("eng.testb"))?);
    let held = if opts.uner_holdout {
        uner_dev_halves(iob2(&opts.data.join(UNER_DEV))?, true, opts.uner_holdout_even).1
    } else {
        Vec::new()
    };
    let uner = iob2(&opts.data.join(UNER_TEST))?;
    write_and_score(&model, &opts.out, &testa, &testb, &held, &uner)
}

/// Silver web-text documents: UD EWT train (web text with gold part-of-speech tags but no
/// entities), labelled by a trained model under constraints from the gold tags: a word
/// that is not a proper noun and not beside one (nor a capitalised adjective, as
/// demonyms are, nor a connector or number inside a name: "Bank of America", "Route 66")
/// must be outside any person, organisation or location (a capitalised one may still be
/// MISC, as CoNLL-2003 types events, products and many capitalised nouns); proper nouns
/// and the words around them get whatever the model prefers. So the model's web-text
/// mistakes on capitalised common words ("Poor Service", "Deferred Phantom Stock Units")
/// are corrected, and its types are kept. (Variants measured on held-out UNER dev are in
/// models/MODELS.md: capitalised proper nouns forced inside an entity, capitalised
/// words forced outside MISC too, shares of the documents.)
pub mod silver {
    use crate::conllu::{Sentence, Word};
    use crate::ner::{Constraint, Ner, NerDocument, NerSentence};

    /// Words that may sit inside a name between proper nouns ("Bank of America").
    const CONNECTORS: &[&str] = &["of", "the", "and", "&", "de", "du", "la", "le", "del", "for", "'s", "-", "on", "at", "van", "von", "da"];

    fn capitalised(w: &str) -> bool {
        w.chars().next().is_some_and(char::is_uppercase)
    }

    /// Per-word constraints of one sentence (see the module doc).
    pub fn constraints(s: &[Word]) -> Vec<Constraint> {
        let propn: Vec<bool> = s.iter().map(|t| t.upos == "PROPN" && t.form.chars().any(char::is_alphabetic)).collect();
        let near = |i: usize| (i > 0 && propn[i - 1]) || propn.get(i + 1).copied().unwrap_or(false);
        let between = |i: usize| (i.saturating_sub(2)..i).any(|j| propn[j]) && (i + 1..(i + 3).min(s.len())).any(|j| propn[j]);
        (0..s.len())
            .map(|i| {
                let t = &s[i];
                let free = propn[i]
                    || capitalised(&t.form) && (t.upos == "ADJ" || near(i))
                    || (CONNECTORS.contains(&t.form.to_lowercase().as_str()) || t.upos == "NUM") && (near(i) || between(i));
                if free {
                    Constraint::Free
                } else if capitalised(&t.form) {
                    Constraint::OutsideOrMisc
                } else {
                    Constraint::Outside
                }
            })
            .collect()
    }

    /// The sentences of a CoNLL-U file ([`crate::conllu::parse`]) grouped into documents:
    /// a `# newdoc` comment starts one.
    pub fn by_document(sentences: &[Sentence]) -> Vec<&[Sentence]> {
        let mut docs = Vec::new();
        let mut start = 0;
        for (i, s) in sentences.iter().enumerate() {
            if i > start && s.comments.iter().any(|c| c.starts_with("newdoc")) {
                docs.push(&sentences[start..i]);
                start = i;
            }
        }
        if start < sentences.len() {
            docs.push(&sentences[start..]);
        }
        docs
    }

    /// The documents of a CoNLL-U corpus ([`by_document`]), a share of them kept (every
    /// document when `share` >= 1), labelled by `model` under the constraints.
    pub fn documents(model: &Ner, sentences: &[Sentence], share: f64) -> Vec<NerDocument> {
        let mut acc = 0.0;
        let mut out = Vec::new();
        for d in by_document(sentences) {
            acc += share;
            if acc < 1.0 {
                continue;
            }
            acc -= 1.0;
            let words: Vec<Vec<&str>> = d.iter().map(|s| s.forms()).collect();
            let cons: Vec<Vec<Constraint>> = d.iter().map(|s| constraints(&s.words)).collect();
            let spans = model.tag_words_constrained(&words, &cons);
            out.push(NerDocument {
                sentences: d
                    .iter()
                    .zip(spans)
                    .map(|(s, spans)| NerSentence { words: s.words.iter().map(|t| t.form.clone()).collect(), spans })
                    .collect(),
            });
        }
        out
    }
}

/// Person and organisation names from ../shared data, as word lists (training time only).
mod names {
    use std::path::Path;

    /// Title and role words dropped from synonym lines ("PRESIDENT_PUTIN").
    const TITLES: &[&str] = &[
        "PRESIDENT",
        "PRIME",
        "MINISTER",
        "KING",
        "QUEEN",
        "PRINCE",
        "PRINCESS",
        "GENERAL",
        "GEN.",
        "COLONEL",
        "COL.",
        "SECRETARY",
        "CHAIRMAN",
        "LEADER",
        "AMBASSADOR",
        "SENATOR",
        "SEN.",
        "GOVERNOR",
        "MR.",
        "MRS.",
        "DR.",
        "SHEIKH",
        "SHEIK",
        "EMIR",
        "SULTAN",
        "AYATOLLAH",
        "FORMER",
        "FOREIGN",
        "DEFENSE",
        "DEFENCE",
        "INTERIOR",
        "VICE",
        "DEPUTY",
        "CHIEF",
        "OF",
        "THE",
        "AND",
        "SPEAKER",
        "MAYOR",
        "JUDGE",
        "JUSTICE",
        "CHANCELLOR",
        "POPE",
        "CARDINAL",
        "BISHOP",
        "ARCHBISHOP",
        "REV.",
        "LT.",
        "MAJOR",
        "MARSHAL",
        "ADMIRAL",
        "COMMANDER",
        "PREMIER",
        "DICTATOR",
        "MONARCH",
    ];

    fn words(name: &str) -> Vec<String> {
        name.split(['_', ' '])
            .map(|w| w.trim_matches(|c: char| c == ',' || c == '(' || c == ')' || c == '"'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// A person name's words, with hyphenated words also split ("AL-ASSAD" -> also "ASSAD").
    fn person(ws: Vec<String>, out: &mut Vec<Vec<String>>) {
        if ws.is_empty()
            || ws.len() > 6
            || ws
                .iter()
                .any(|w| TITLES.contains(&w.to_uppercase().as_str()))
        {
            return;
        }
        if ws.iter().any(|w| w.contains('-')) {
            let split: Vec<String> = ws
                .iter()
                .flat_map(|w| w.split('-').filter(|p| !p.is_empty()).map(str::to_string))
                .collect();
            out.push(split);
        }
        out.push(ws);
    }

    /// Phoenix actor files: `NAME_ # comment` primary lines, `+SYNONYM` lines, code lines.
    fn phoenix(
        path: &Path,
        people: &mut Vec<Vec<String>>,
        orgs: &mut Vec<Vec<String>>,
        persons_by_comment: bool,
        verbose: bool,
    ) {
        let Ok(text) = std::fs::read_to_string(path) else {
            if verbose {
                eprintln!("skip {}", path.display());
            }
            return;
        };
        let mut current_is_person = false;
        for line in text.lines() {
            if line.is_empty()
                || line.starts_with('#')
                || line.starts_with(char::is_whitespace)
                || line.starts_with('[')
            {
                continue;
            }
            let (body, comment) = match line.split_once('#') {
                Some((b, c)) => (b, c),
                None => (line, ""),
            };
            let body = body.split('[').next().unwrap_or("").trim();
            let (syn, name) = match body.strip_prefix('+') {
                Some(n) => (true, n),
                None => (false, body),
            };
            if !syn {
                current_is_person = if persons_by_comment {
                    comment.contains("CountryInfo") || comment.contains("rulers")
                } else {
                    comment.contains("rulers")
                };
            }
            let ws = words(name);
            if ws.is_empty() {
                continue;
            }
            if current_is_person {
                person(ws, people);
            } else if !persons_by_comment {
                orgs.push(ws);
            }
        }
    }

    /// OFAC SDN CSV: `id,"NAME","type",...`; individuals are `SURNAME, Given Names`.
    fn ofac(
        path: &Path,
        people: &mut Vec<Vec<String>>,
        orgs: &mut Vec<Vec<String>>,
        verbose: bool,
    ) {
        let Ok(text) = std::fs::read_to_string(path) else {
            if verbose {
                eprintln!("skip {}", path.display());
            }
            return;
        };
        for line in text.lines() {
            let cols = csv_fields(line);
            if cols.len() < 3 {
                continue;
            }
            let (name, kind) = (cols[1].as_str(), cols[2].trim());
            match kind {
                "individual" => {
                    let (sur, given) = name.split_once(", ").unwrap_or((name, ""));
                    let mut ws = words(given);
                    ws.extend(words(sur));
                    person(ws, people);
                }
                "-0-" => orgs.push(words(name)),
                _ => {}
            }
        }
    }

    fn csv_fields(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        out.push(cur);
        out
    }

    /// (people, organisations), each a list of names as words.
    pub fn read_all(data: &Path, verbose: bool) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let (mut people, mut orgs) = (Vec::new(), Vec::new());
        let d = data.join("petrarch2-phoenix/dictionaries");
        phoenix(
            &d.join("Phoenix.Countries.actors.txt"),
            &mut people,
            &mut orgs,
            true,
            verbose,
        );
        phoenix(
            &d.join("Phoenix.International.actors.txt"),
            &mut people,
            &mut orgs,
            false,
            verbose,
        );
        phoenix(
            &d.join("Phoenix.MilNonState.actors.txt"),
            &mut people,
            &mut orgs,
            false,
            verbose,
        );
        ofac(
            &data.join("sanctions/ofac_sdn_2024-05-03.csv"),
            &mut people,
            &mut orgs,
            verbose,
        );
        (people, orgs)
    }
}

#[cfg(test)]
mod tests {
    use super::silver::{by_document, constraints};
    use crate::conllu::Word;
    use crate::ner::Constraint::{self, Free, Outside, OutsideOrMisc};

    fn cons(s: &str) -> Vec<Constraint> {
        let words: Vec<Word> = s
            .split(' ')
            .map(|wt| {
                let (w, t) = wt.rsplit_once('/').unwrap_or((wt, "X"));
                Word { form: w.to_string(), upos: t.to_string(), ..Word::default() }
            })
            .collect();
        constraints(&words)
    }

    #[test]
    fn silver_constraints_follow_the_proper_nouns() {
        // Capitalised common words may be MISC at most; lowercase ones are outside.
        assert_eq!(cons("Poor/ADJ Service/NOUN at/ADP the/DET hotel/NOUN"), vec![Free, OutsideOrMisc, Outside, Outside, Outside]);
        // A connector between proper nouns and a capitalised word beside one are free.
        assert_eq!(cons("I/PRON love/VERB Bank/PROPN of/ADP America/PROPN"), vec![OutsideOrMisc, Outside, Free, Free, Free]);
        // A number beside a name ("Windows 7") is free, a number elsewhere is not.
        assert_eq!(cons("Windows/PROPN 7/NUM costs/VERB 99/NUM"), vec![Free, Free, Outside, Outside]);
        // Punctuation-only proper nouns are no names.
        assert_eq!(cons("-/PROPN and/CCONJ more/ADJ"), vec![Outside, Outside, Outside]);
    }

    #[test]
    fn conllu_sentences_group_into_documents() {
        let text = "# newdoc id = a\n# sent_id = a-1\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n\n\
# sent_id = a-2\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n\
# newdoc id = b\n1\tParis\tParis\tPROPN\tNNP\t_\t0\troot\t_\t_\n";
        let sentences = crate::conllu::parse(text).expect("valid CoNLL-U");
        let docs = by_document(&sentences);
        assert_eq!(docs.iter().map(|d| d.len()).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(docs[0][0].forms(), ["do", "n't"], "syntactic words, not the multiword token");
        assert_eq!(docs[1][0].forms(), ["Paris"]);
        // Without any newdoc comment: one document.
        assert_eq!(by_document(&sentences[1..2]).len(), 1);
        assert!(by_document(&[]).is_empty());
    }
}
