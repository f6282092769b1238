//! Dumps a model's predictions (all four types, after the post-rules) with the gold
//! spans on the development sets only: eng.testa and the odd UNER dev documents (those
//! `train_ner --uner-holdout` holds out), one sentence a line, for error analysis.
//!
//! Usage: `dump_ner_dev [--data DIR] [--model FILE] [--even]` (run from the workspace
//! root; `--even`: the even UNER dev documents instead, those `train_ner
//! --uner-holdout-even` holds out).
//! Line: `set<TAB>doc<TAB>words (0x1f-separated)<TAB>gold<TAB>pred`, spans as
//! `start,end,TYPE` joined by `;`.

use dossier_nlp::ner::{self, Ner, NerDocument, TypedSpan};
use std::path::PathBuf;

fn main() {
    let mut data = PathBuf::from("../shared/data");
    let mut model = PathBuf::from("models/ner.bin.zst");
    let mut even = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = args.next().unwrap_or_default().into(),
            "--model" => model = args.next().unwrap_or_default().into(),
            "--even" => even = true,
            _ => {
                eprintln!("usage: dump_ner_dev [--data DIR] [--model FILE] [--even]");
                std::process::exit(2)
            }
        }
    }
    let read = |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let ner = Ner::load(&model).unwrap_or_else(|e| panic!("{e}"));
    let testa = ner::read_conll2003(&read(data.join("conll2003/eng.testa"))).unwrap_or_else(|e| panic!("{e}"));
    let udev = ner::read_iob2(&read(data.join("uner-english-ewt/en_ewt-ud-dev.iob2"))).unwrap_or_else(|e| panic!("{e}"));
    let held: Vec<NerDocument> = dossier_nlp::train::ner::uner_dev_halves(udev, true, even).1;
    let fmt = |v: &[TypedSpan]| v.iter().map(|x| format!("{},{},{}", x.start, x.end, x.kind.as_str())).collect::<Vec<_>>().join(";");
    for (name, docs) in [("testa", &testa), ("udev", &held)] {
        let pred = ner::predict(&ner, docs);
        let mut it = pred.iter();
        for (di, d) in docs.iter().enumerate() {
            for s in &d.sentences {
                let p = it.next().map(Vec::as_slice).unwrap_or(&[]);
                println!("{name}\t{di}\t{}\t{}\t{}", s.words.join("\x1f"), fmt(&s.spans), fmt(p));
            }
        }
    }
}
