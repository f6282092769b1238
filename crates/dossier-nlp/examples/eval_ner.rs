//! Scores a trained NER model on CoNLL-2003 testa/testb and UNER EWT test, and
//! measures its speed.
//!
//! Usage: `eval_ner [--data DIR] [--model FILE] [--errors N] [--bench] [--beam K] [--beam2 K] [--stage1] [--dev]` (run from the
//! workspace root; defaults `../shared/data`, `models/ner.bin.zst`). Prints one JSON
//! line with the scores; `--errors N` prints N sentences with mistakes (testb, UNER)
//! to stderr; `--bench` times tagging eng.testb (words/s, one thread); `--stage1` drops
//! the second stage; `--dev` scores only eng.testa and the odd UNER dev documents (held
//! out by `train_ner --uner-holdout`), for choosing settings without the test sets.

use dossier_nlp::ner::{self, CoarseType, Ner, NerDocument, TypedSpan};
use std::path::PathBuf;
use std::time::Instant;

fn die(msg: String) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}

fn show_errors(ner: &Ner, docs: &[NerDocument], n: usize, uner: bool) {
    let pred = ner::predict(ner, docs);
    let mut shown = 0;
    for (s, p) in docs.iter().flat_map(|d| &d.sentences).zip(&pred) {
        let p: Vec<TypedSpan> = p.iter().copied().filter(|x| !uner || x.kind != CoarseType::Misc).collect();
        if p != s.spans && shown < n {
            shown += 1;
            let fmt = |v: &[TypedSpan]| {
                v.iter().map(|x| format!("[{} {}]", x.kind.as_str(), s.words[x.start..x.end].join(" "))).collect::<Vec<_>>().join(" ")
            };
            eprintln!("{}\n  gold: {}\n  pred: {}", s.words.join(" "), fmt(&s.spans), fmt(&p));
        }
    }
}

/// CPU time of this thread (user + system), from /proc (Linux; 0 elsewhere).
fn thread_cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else { return 0.0 };
    // Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let mut data = PathBuf::from("../shared/data");
    let mut model = PathBuf::from("models/ner.bin.zst");
    let mut errors = 0usize;
    let mut bench = false;
    let (mut stage1, mut dev) = (false, false);
    let mut beam = ner::DEFAULT_BEAM;
    let mut beam2 = ner::DEFAULT_BEAM2;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = args.next().unwrap_or_default().into(),
            "--model" => model = args.next().unwrap_or_default().into(),
            "--errors" => errors = args.next().and_then(|v| v.parse().ok()).unwrap_or(30),
            "--bench" => bench = true,
            "--stage1" => stage1 = true,
            "--beam2" => beam2 = args.next().and_then(|v| v.parse().ok()).unwrap_or(beam2),
            "--dev" => dev = true,
            "--beam" => beam = args.next().and_then(|v| v.parse().ok()).unwrap_or(beam),
            _ => die("usage: eval_ner [--data DIR] [--model FILE] [--errors N] [--bench] [--beam K]".into()),
        }
    }
    let t = Instant::now();
    let cpu_load = thread_cpu_secs();
    let ner = Ner::load(&model).unwrap_or_else(|e| die(e.to_string())).with_beam(beam).with_beam2(beam2);
    let load_secs = t.elapsed().as_secs_f64();
    eprintln!("loaded in {load_secs:.3} s ({:.2} s of thread CPU time)", thread_cpu_secs() - cpu_load);
    let ner = if stage1 { ner.first_stage_only() } else { ner };
    let read = |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| die(format!("{}: {e}", p.display())));
    if dev {
        // Development scores only: eng.testa and the odd UNER dev documents (those
        // `train_ner --uner-holdout` holds out). No test set is read.
        let testa = ner::read_conll2003(&read(data.join("conll2003/eng.testa"))).unwrap_or_else(|e| die(e.to_string()));
        let udev = ner::read_iob2(&read(data.join("uner-english-ewt/en_ewt-ud-dev.iob2"))).unwrap_or_else(|e| die(e.to_string()));
        let held: Vec<NerDocument> = udev.into_iter().enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, d)| d).collect();
        let a = ner::evaluate_conll(&ner, &testa);
        let u = ner::evaluate_uner(&ner, &held);
        for (name, s) in [("testa", &a), ("uner-dev-odd", &u)] {
            for (k, p) in &s.per_type {
                eprintln!("{name} {}: P {:.4} R {:.4} F1 {:.4} ({} gold, {} pred)", k.as_str(), p.precision, p.recall, p.f1, p.n_gold, p.n_pred);
            }
        }
        if errors > 0 {
            show_errors(&ner, &held, errors, true);
        }
        println!("{{\"testa_f1\": {:.4}, \"uner_dev_odd_f1\": {:.4}}}", a.overall.f1, u.overall.f1);
        return;
    }
    let conll = |n: &str| ner::read_conll2003(&read(data.join("conll2003").join(n))).unwrap_or_else(|e| die(e.to_string()));
    let (testa, testb) = (conll("eng.testa"), conll("eng.testb"));
    let uner = ner::read_iob2(&read(data.join("uner-english-ewt/en_ewt-ud-test.iob2"))).unwrap_or_else(|e| die(e.to_string()));
    let a = ner::evaluate_conll(&ner, &testa);
    let b = ner::evaluate_conll(&ner, &testb);
    let u = ner::evaluate_uner(&ner, &uner);
    for (name, s) in [("testb", &b), ("uner", &u)] {
        for (k, p) in &s.per_type {
            eprintln!("{name} {}: P {:.4} R {:.4} F1 {:.4} ({} gold, {} pred)", k.as_str(), p.precision, p.recall, p.f1, p.n_gold, p.n_pred);
        }
    }
    if errors > 0 {
        show_errors(&ner, &testb, errors, false);
        show_errors(&ner, &uner, errors, true);
    }
    let mut wps = 0.0;
    if bench {
        let words: usize = testb.iter().flat_map(|d| &d.sentences).map(|s| s.words.len()).sum();
        let docs: Vec<Vec<Vec<&str>>> =
            testb.iter().map(|d| d.sentences.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect()).collect();
        let t = Instant::now();
        let cpu0 = thread_cpu_secs();
        let mut n = 0usize;
        let mut reps = 0;
        while t.elapsed().as_secs_f64() < 3.0 {
            for d in &docs {
                n += ner.tag_words(d).iter().map(Vec::len).sum::<usize>();
            }
            reps += 1;
        }
        wps = (words * reps) as f64 / t.elapsed().as_secs_f64();
        let cpu = thread_cpu_secs() - cpu0;
        eprintln!("{reps} passes, {n} entities; {:.0} words per CPU-second ({cpu:.2} s of thread CPU time)", (words * reps) as f64 / cpu);
    }
    println!(
        "{{\"ner_conll_testa_f1\": {:.4}, \"ner_conll_test_f1\": {:.4}, \"ner_conll_test_precision\": {:.4}, \"ner_conll_test_recall\": {:.4}, \"ner_uner_ewt_test_f1\": {:.4}, \"ner_uner_ewt_test_precision\": {:.4}, \"ner_uner_ewt_test_recall\": {:.4}, \"words_per_sec\": {:.0}, \"load_secs\": {:.3}}}",
        a.overall.f1, b.overall.f1, b.overall.precision, b.overall.recall, u.overall.f1, u.overall.precision, u.overall.recall, wps, load_secs
    );
}
