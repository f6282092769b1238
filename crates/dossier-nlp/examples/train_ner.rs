//! Trains the NER on CoNLL-2003 eng.train, picks the epoch on eng.testa, reports
//! eng.testb and UNER EWT test, and writes the model.
//!
//! Usage: `train_ner [--data DIR] [--models DIR] [--out FILE] [--epochs N] [--seed N] [--caps F]
//! [--lower F] [--folds K] [--stage2-epochs N] [--cache FILE] [--uner-dev] [--uner-dev-times N] [--uner-holdout]
//! [--no-names] [--no-clusters] [--no-gazetteer] [--average FILE,FILE,...] [--train-testa]`
//! (`--uner-dev` adds UNER EWT dev to the training data; `--uner-holdout` adds only its
//! even-numbered documents and reports F1 on the odd ones, for choosing settings without
//! touching UNER test; `--lower F` adds a share F of the sentences in lowercase; the
//! `--no-*` flags are for ablations; `--folds K` trains a second stage on K-fold
//! cross-validated first-stage labels; `--cache FILE` keeps the first stage and those
//! labels for reuse by runs with the same data and first-stage settings; `--average`
//! trains nothing: it writes the mean of the weights of the given models, trained alike
//! with different seeds, and scores it as a trained model is scored; `--train-testa`
//! also trains on eng.testa, for a final model whose settings were chosen on eng.testa
//! before: nothing is then chosen on it, each stage keeps its last epoch, so give
//! `--epochs` and `--stage2-epochs`, and its testa score is no dev score).
//!
//! Name words: person and organisation names are read from ../shared data at training
//! time (PETRARCH2/Phoenix actor dictionaries, the OFAC SDN list) and only the hashes of
//! their lowercased words, with first / last / organisation bits, go into the model.
//! (`DIR` defaults to `../shared/data`, models to `models`; run from the workspace root).

use dossier_nlp::ner::{self, Lexicon, TrainConfig};
use std::path::PathBuf;
use std::time::Instant;

fn read(p: &PathBuf) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| {
        eprintln!("{}: {e}", p.display());
        std::process::exit(2)
    })
}

fn read_zst(p: &PathBuf) -> String {
    let bytes = std::fs::read(p).unwrap_or_else(|e| {
        eprintln!("{}: {e}", p.display());
        std::process::exit(2)
    });
    let raw = zstd::decode_all(&bytes[..]).unwrap_or_else(|e| {
        eprintln!("{}: {e}", p.display());
        std::process::exit(2)
    });
    String::from_utf8(raw).unwrap_or_else(|e| {
        eprintln!("{}: {e}", p.display());
        std::process::exit(2)
    })
}

fn main() {
    let mut data = PathBuf::from("../shared/data");
    let mut models = PathBuf::from("models");
    let mut out = None;
    let mut cfg = TrainConfig { verbose: true, ..TrainConfig::default() };
    let (mut no_clusters, mut no_gaz, mut uner_dev, mut uner_times) = (false, false, false, 1usize);
    let (mut uner_holdout, mut no_names, mut train_testa) = (false, false, false);
    let mut average: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--uner-dev" {
            uner_dev = true;
            continue;
        }
        if a == "--uner-dev-times" {
            uner_times = args.next().and_then(|v| v.parse().ok()).unwrap_or(1);
            uner_dev = true;
            continue;
        }
        if a == "--uner-holdout" {
            uner_holdout = true;
            uner_dev = true;
            continue;
        }
        if a == "--train-testa" {
            train_testa = true;
            continue;
        }
        if a == "--no-names" {
            no_names = true;
            continue;
        }
        if a == "--no-clusters" || a == "--no-gazetteer" {
            no_clusters |= a == "--no-clusters";
            no_gaz |= a == "--no-gazetteer";
            continue;
        }
        let v = args.next().unwrap_or_default();
        match a.as_str() {
            "--data" => data = v.into(),
            "--models" => models = v.into(),
            "--out" => out = Some(PathBuf::from(v)),
            "--epochs" => cfg.epochs = v.parse().unwrap_or(cfg.epochs),
            "--seed" => cfg.seed = v.parse().unwrap_or(cfg.seed),
            "--caps" => cfg.caps_fraction = v.parse().unwrap_or(cfg.caps_fraction),
            "--lower" => cfg.lower_fraction = v.parse().unwrap_or(cfg.lower_fraction),
            "--folds" => cfg.folds = v.parse().unwrap_or(cfg.folds),
            "--stage2-epochs" => cfg.stage2_epochs = v.parse().unwrap_or(cfg.stage2_epochs),
            "--cache" => cfg.cache = Some(PathBuf::from(v)),
            "--average" => average = v.split(',').filter(|p| !p.is_empty()).map(PathBuf::from).collect(),
            _ => {
                eprintln!("usage: train_ner [--data DIR] [--models DIR] [--out FILE] [--epochs N] [--seed N] [--caps F]");
                std::process::exit(2);
            }
        }
    }
    let out = out.unwrap_or_else(|| models.join("ner.bin.zst"));
    let conll = data.join("conll2003");
    let parse = |name: &str| {
        ner::read_conll2003(&read(&conll.join(name))).unwrap_or_else(|e| {
            eprintln!("{name}: {e}");
            std::process::exit(2)
        })
    };
    let (mut train, testa, testb) = (parse("eng.train"), parse("eng.testa"), parse("eng.testb"));
    let mut uner_held = Vec::new();
    if uner_dev {
        // UNER EWT dev (PER/ORG/LOC only; web text) as extra training documents.
        let dev = ner::read_iob2(&read(&data.join("uner-english-ewt/en_ewt-ud-dev.iob2"))).unwrap_or_else(|e| {
            eprintln!("uner dev: {e}");
            std::process::exit(2)
        });
        let (mut keep, mut held) = (Vec::new(), Vec::new());
        for (i, d) in dev.into_iter().enumerate() {
            if uner_holdout && i % 2 == 1 {
                held.push(d);
            } else {
                keep.push(d);
            }
        }
        for _ in 0..uner_times {
            train.extend(keep.iter().cloned());
        }
        uner_held = held;
    }
    let uner = ner::read_iob2(&read(&data.join("uner-english-ewt/en_ewt-ud-test.iob2"))).unwrap_or_else(|e| {
        eprintln!("uner: {e}");
        std::process::exit(2)
    });
    if !average.is_empty() {
        let models: Vec<ner::Ner> = average
            .iter()
            .map(|p| {
                ner::Ner::load(p).unwrap_or_else(|e| {
                    eprintln!("{e}");
                    std::process::exit(2)
                })
            })
            .collect();
        let model = ner::Ner::average(&models).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        });
        eprintln!("averaged {} models, {} features", models.len(), model.n_features());
        write_and_score(&model, &out, &testa, &testb, &uner_held, &uner);
        return;
    }
    let t = Instant::now();
    let clusters = if no_clusters { String::new() } else { read_zst(&models.join("ner-clusters.tsv.zst")) };
    let gazetteer = if no_gaz { String::new() } else { read_zst(&models.join("ner-gazetteer.tsv.zst")) };
    let mut lex = Lexicon::from_tsv(clusters, gazetteer);
    if !no_names {
        let (people, orgs) = names::read_all(&data);
        eprintln!("names: {} people, {} organisations", people.len(), orgs.len());
        lex = lex.with_names(&people, &orgs);
    }
    eprintln!("lexicon {:?} in {:.2}s", lex.sizes(), t.elapsed().as_secs_f64());
    let t = Instant::now();
    let (model, _) = if train_testa {
        train.extend(testa.iter().cloned());
        ner::train(&train, &[], lex, &cfg)
    } else {
        ner::train(&train, &testa, lex, &cfg)
    };
    eprintln!("trained in {:.1}s, {} features", t.elapsed().as_secs_f64(), model.n_features());
    write_and_score(&model, &out, &testa, &testb, &uner_held, &uner);
}

/// Writes the model to `out` and prints its scores.
fn write_and_score(model: &ner::Ner, out: &PathBuf, testa: &[ner::NerDocument], testb: &[ner::NerDocument], uner_held: &[ner::NerDocument], uner: &[ner::NerDocument]) {
    let bytes = model.to_bytes().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    if let Err(e) = std::fs::write(out, &bytes) {
        eprintln!("{}: {e}", out.display());
        std::process::exit(2);
    }
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    for (name, docs) in [("testa", testa), ("testb", testb)] {
        let s = ner::evaluate_conll(model, docs);
        println!("{name}: P {:.4} R {:.4} F1 {:.4}", s.overall.precision, s.overall.recall, s.overall.f1);
        for (k, p) in &s.per_type {
            println!("  {}: P {:.4} R {:.4} F1 {:.4} ({} gold)", k.as_str(), p.precision, p.recall, p.f1, p.n_gold);
        }
    }
    if !uner_held.is_empty() {
        let u = ner::evaluate_uner(model, uner_held);
        println!("uner dev held-out: P {:.4} R {:.4} F1 {:.4}", u.overall.precision, u.overall.recall, u.overall.f1);
    }
    let u = ner::evaluate_uner(model, uner);
    println!("uner test: P {:.4} R {:.4} F1 {:.4}", u.overall.precision, u.overall.recall, u.overall.f1);
}

/// Person and organisation names from ../shared data, as word lists (training time only).
mod names {
    use std::path::Path;

    /// Title and role words dropped from synonym lines ("PRESIDENT_PUTIN").
    const TITLES: &[&str] = &[
        "PRESIDENT", "PRIME", "MINISTER", "KING", "QUEEN", "PRINCE", "PRINCESS", "GENERAL", "GEN.", "COLONEL", "COL.",
        "SECRETARY", "CHAIRMAN", "LEADER", "AMBASSADOR", "SENATOR", "SEN.", "GOVERNOR", "MR.", "MRS.", "DR.", "SHEIKH",
        "SHEIK", "EMIR", "SULTAN", "AYATOLLAH", "FORMER", "FOREIGN", "DEFENSE", "DEFENCE", "INTERIOR", "VICE", "DEPUTY",
        "CHIEF", "OF", "THE", "AND", "SPEAKER", "MAYOR", "JUDGE", "JUSTICE", "CHANCELLOR", "POPE", "CARDINAL", "BISHOP",
        "ARCHBISHOP", "REV.", "LT.", "MAJOR", "MARSHAL", "ADMIRAL", "COMMANDER", "PREMIER", "DICTATOR", "MONARCH",
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
        if ws.is_empty() || ws.len() > 6 || ws.iter().any(|w| TITLES.contains(&w.to_uppercase().as_str())) {
            return;
        }
        if ws.iter().any(|w| w.contains('-')) {
            let split: Vec<String> = ws.iter().flat_map(|w| w.split('-').filter(|p| !p.is_empty()).map(str::to_string)).collect();
            out.push(split);
        }
        out.push(ws);
    }

    /// Phoenix actor files: `NAME_ # comment` primary lines, `+SYNONYM` lines, code lines.
    fn phoenix(path: &Path, people: &mut Vec<Vec<String>>, orgs: &mut Vec<Vec<String>>, persons_by_comment: bool) {
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skip {}", path.display());
            return;
        };
        let mut current_is_person = false;
        for line in text.lines() {
            if line.is_empty() || line.starts_with('#') || line.starts_with(char::is_whitespace) || line.starts_with('[') {
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
    fn ofac(path: &Path, people: &mut Vec<Vec<String>>, orgs: &mut Vec<Vec<String>>) {
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skip {}", path.display());
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
    pub fn read_all(data: &Path) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let (mut people, mut orgs) = (Vec::new(), Vec::new());
        let d = data.join("petrarch2-phoenix/dictionaries");
        phoenix(&d.join("Phoenix.Countries.actors.txt"), &mut people, &mut orgs, true);
        phoenix(&d.join("Phoenix.International.actors.txt"), &mut people, &mut orgs, false);
        phoenix(&d.join("Phoenix.MilNonState.actors.txt"), &mut people, &mut orgs, false);
        ofac(&data.join("sanctions/ofac_sdn_2024-05-03.csv"), &mut people, &mut orgs);
        (people, orgs)
    }
}
