//! Training the named-entity recogniser ([`crate::ner`]) on CoNLL-2003
//! eng.train (plus, optionally, UNER English EWT dev), choosing the epoch on
//! eng.testa. The orchestration of `examples/train_ner.rs`, calling the `ner`
//! module's public API only.
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
    /// Add only the even UNER dev documents and score the odd ones.
    pub uner_holdout: bool,
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
    /// The held-out odd UNER dev documents, with `uner_holdout`.
    pub uner_heldout: Option<NerScores>,
    /// UNER EWT test (reported, never used to choose).
    pub uner_test: NerScores,
    /// The model's features.
    pub n_features: usize,
    /// The file written and its size in bytes.
    pub file: (PathBuf, u64),
    /// Training time in seconds.
    pub seconds: f64,
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
        let dev = iob2(&opts.data.join("uner-english-ewt/en_ewt-ud-dev.iob2"))?;
        let (mut keep, mut held) = (Vec::new(), Vec::new());
        for (i, d) in dev.into_iter().enumerate() {
            if opts.uner_holdout && i % 2 == 1 {
                held.push(d);
            } else {
                keep.push(d);
            }
        }
        for _ in 0..opts.uner_dev_times.max(1) {
            train.extend(keep.iter().cloned());
        }
        uner_held = held;
    }
    let uner = iob2(&opts.data.join("uner-english-ewt/en_ewt-ud-test.iob2"))?;
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
    let (model, _) = ner::train(&train, &testa, lex, &opts.config);
    let seconds = t.elapsed().as_secs_f64();
    let bytes = model.to_bytes().map_err(TrainError::data(&opts.out))?;
    let size = write_file(&opts.out, &bytes)?;
    Ok(NerReport {
        testa: ner::evaluate_conll(&model, &testa),
        testb: ner::evaluate_conll(&model, &testb),
        uner_heldout: (!uner_held.is_empty()).then(|| ner::evaluate_uner(&model, &uner_held)),
        uner_test: ner::evaluate_uner(&model, &uner),
        n_features: model.n_features(),
        file: (opts.out.clone(), size),
        seconds,
    })
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
