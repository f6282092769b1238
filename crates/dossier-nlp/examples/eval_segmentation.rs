//! Scores the tokenizer and sentence splitter on a CoNLL-U file.
//!
//! Usage: `eval_segmentation [--wrapped] [--errors N] [--bench] FILE.conllu`
//!
//! Prints one JSON line `{"tokens_f1":..,"words_f1":..,"sentences_f1":..}`.
//! `--wrapped` rebuilds the raw text wrapped at 80 columns like the CoNLL
//! 2018 shared task; `--errors N` prints N token and sentence differences to
//! stderr; `--bench` prints throughput to stderr.

use dossier_nlp::eval::{gold_from_conllu, score, sentence_errors, token_errors, RawStyle};
use std::time::Instant;

fn main() {
    let mut style = RawStyle::Paragraphs;
    let mut errors = 0usize;
    let mut bench = false;
    let mut path = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--wrapped" => style = RawStyle::Wrapped80,
            "--bench" => bench = true,
            "--errors" => errors = args.next().and_then(|n| n.parse().ok()).unwrap_or(50),
            _ => path = Some(a),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: eval_segmentation [--wrapped] [--errors N] [--bench] FILE.conllu");
        std::process::exit(2);
    };
    let conllu = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let gold = gold_from_conllu(&conllu, style);
    let s = score(&gold);
    println!(
        "{{\"tokens_f1\":{:.4},\"words_f1\":{:.4},\"sentences_f1\":{:.4}}}",
        s.tokens.f1(),
        s.words.f1(),
        s.sentences.f1()
    );
    if errors > 0 {
        for (g, sy) in token_errors(&gold, errors) {
            eprintln!("TOK gold [{g}]  sys [{sy}]");
        }
        for (g, sy) in sentence_errors(&gold, errors) {
            eprintln!("SENT gold: {g}\n     sys:  {sy}");
        }
    }
    if bench {
        let text = &gold.text;
        let chars = text.chars().count() as f64;
        let reps = 5;
        let t0 = Instant::now();
        let mut n = 0;
        for _ in 0..reps {
            n += dossier_nlp::tokenize(text, 0..text.len()).len();
        }
        let tok = t0.elapsed().as_secs_f64() / reps as f64;
        let t0 = Instant::now();
        for _ in 0..reps {
            n += dossier_nlp::split_sentences(text, 0..text.len()).len();
        }
        let sen = t0.elapsed().as_secs_f64() / reps as f64;
        eprintln!(
            "{} chars; tokenize {:.1} M chars/s; split_sentences (incl. tokenize) {:.1} M chars/s ({n})",
            chars,
            chars / tok / 1e6,
            chars / sen / 1e6
        );
    }
}
