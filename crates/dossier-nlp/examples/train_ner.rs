//! Trains the NER on CoNLL-2003 eng.train, picks the epoch on eng.testa, reports
//! eng.testb and UNER EWT test, and writes the model: a command line over
//! `dossier_nlp::train::ner::train_ner` (as `dossier nlp train ner` is) and, for the
//! averaging of seeds, `average_ner`.
//!
//! Usage: `train_ner [--data DIR] [--models DIR] [--out FILE] [--epochs N] [--seed N] [--caps F]
//! [--lower F] [--folds K] [--stage2-epochs N] [--cache FILE] [--uner-dev] [--uner-dev-times N] [--uner-holdout]
//! [--uner-holdout-even] [--silver-ewt MODEL] [--silver-share F]
//! [--no-names] [--no-clusters] [--no-gazetteer] [--average FILE,FILE,...] [--train-testa]`
//! (`--uner-dev` adds UNER EWT dev to the training data; `--uner-holdout` adds only its
//! even-numbered documents and reports F1 on the odd ones, for choosing settings without
//! touching UNER test, and `--uner-holdout-even` the other way round (the two halves
//! together: two-fold cross-validation on UNER dev); `--silver-ewt MODEL` adds UD EWT
//! train (web text) labelled by MODEL under constraints from its gold part-of-speech tags
//! (`dossier_nlp::train::ner::silver`), `--silver-share F` only a share F of its
//! documents; `--lower F` adds a share F of the sentences in lowercase; the `--no-*`
//! flags are for ablations; `--folds K` trains a second stage on K-fold cross-validated
//! first-stage labels; `--cache FILE` keeps the first stage and those labels for reuse by
//! runs with the same data and first-stage settings; `--average` trains nothing: it
//! writes the mean of the weights of the given models, trained alike with different
//! seeds, and scores it as a trained model is scored; `--train-testa` also trains on
//! eng.testa, for a final model whose settings were chosen on eng.testa before: nothing
//! is then chosen on it, each stage keeps its last epoch, so give `--epochs` and
//! `--stage2-epochs`, and its testa score is no dev score).
//!
//! (`DIR` defaults to `../shared/data`, models to `models`; run from the workspace root.)

use dossier_nlp::ner::{NerScores, TrainConfig};
use dossier_nlp::train::ner::{average_ner, train_ner, NerTrainOptions};
use std::path::PathBuf;

fn die(msg: impl std::fmt::Display) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}

fn main() {
    let mut o = NerTrainOptions { config: TrainConfig { verbose: true, ..TrainConfig::default() }, ..NerTrainOptions::default() };
    let mut out = None;
    let mut average: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--uner-dev" => o.uner_dev = true,
            "--uner-holdout" | "--uner-holdout-even" => {
                o.uner_holdout = true;
                o.uner_holdout_even = a == "--uner-holdout-even";
            }
            "--train-testa" => o.train_testa = true,
            "--no-names" => o.no_names = true,
            "--no-clusters" => o.no_clusters = true,
            "--no-gazetteer" => o.no_gazetteer = true,
            _ => {
                let v = args.next().unwrap_or_default();
                let int = || v.parse::<usize>().unwrap_or_else(|_| die(format!("{a}: not a whole number: {v:?}")));
                let real = || v.parse::<f64>().unwrap_or_else(|_| die(format!("{a}: not a number: {v:?}")));
                let c = &mut o.config;
                match a.as_str() {
                    "--data" => o.data = v.into(),
                    "--models" => o.models = v.into(),
                    "--out" => out = Some(PathBuf::from(v)),
                    "--epochs" => c.epochs = int(),
                    "--seed" => c.seed = v.parse().unwrap_or_else(|_| die(format!("--seed: not a whole number: {v:?}"))),
                    "--caps" => c.caps_fraction = real(),
                    "--lower" => c.lower_fraction = real(),
                    "--folds" => c.folds = int(),
                    "--stage2-epochs" => c.stage2_epochs = int(),
                    "--cache" => c.cache = Some(PathBuf::from(v)),
                    "--uner-dev-times" => {
                        o.uner_dev_times = int();
                        o.uner_dev = true;
                    }
                    "--silver-ewt" => o.silver_ewt = Some(PathBuf::from(v)),
                    "--silver-share" => o.silver_share = real(),
                    "--average" => average = v.split(',').filter(|p| !p.is_empty()).map(PathBuf::from).collect(),
                    _ => die(format!("unknown option {a}; see the usage at the top of examples/train_ner.rs")),
                }
            }
        }
    }
    o.out = out.unwrap_or_else(|| o.models.join("ner.bin.zst"));
    let r = if average.is_empty() {
        let r = train_ner(&o).unwrap_or_else(|e| die(e));
        eprintln!("trained in {:.1}s, {} features", r.seconds, r.n_features);
        r
    } else {
        let r = average_ner(&o, &average).unwrap_or_else(|e| die(e));
        eprintln!("averaged {} models, {} features", average.len(), r.n_features);
        r
    };
    eprintln!("wrote {} ({} bytes)", r.file.0.display(), r.file.1);
    print_scores(&r.testa, &r.testb, r.uner_heldout.as_ref(), &r.uner_test);
}

fn print_scores(testa: &NerScores, testb: &NerScores, held: Option<&NerScores>, uner: &NerScores) {
    for (name, s) in [("testa", testa), ("testb", testb)] {
        println!("{name}: P {:.4} R {:.4} F1 {:.4}", s.overall.precision, s.overall.recall, s.overall.f1);
        for (k, p) in &s.per_type {
            println!("  {}: P {:.4} R {:.4} F1 {:.4} ({} gold)", k.as_str(), p.precision, p.recall, p.f1, p.n_gold);
        }
    }
    if let Some(u) = held {
        println!("uner dev held-out: P {:.4} R {:.4} F1 {:.4}", u.overall.precision, u.overall.recall, u.overall.f1);
    }
    println!("uner test: P {:.4} R {:.4} F1 {:.4}", uner.overall.precision, uner.overall.recall, uner.overall.f1);
}
