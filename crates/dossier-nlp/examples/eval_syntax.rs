//! Scores the syntax models on EWT dev and test and measures their speed
//! (single thread), printing one JSON object.
//!
//! ```text
//! cargo run --release -p dossier-nlp --example eval_syntax -- \
//!     [--data ../shared/data] [--models models] [--repeat 3] [--beam K] [--margin M] [--prune W --write DIR] [--dev-only]
//! ```
//! `--prune W` drops the tagger and parser weights with `|w| <= W` first;
//! `--write DIR` saves the (pruned) models there; `--beam K` decodes with beam width K.
use dossier_nlp::conllu;
use dossier_nlp::parser::{self, SyntaxModels};
use std::path::PathBuf;
use std::time::Instant;

/// CPU time of this thread in seconds (Linux), to discount a busy machine.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let data = PathBuf::from(opt("--data").unwrap_or_else(|| "../shared/data".into()))
        .join("ud-english-ewt");
    let dir = PathBuf::from(opt("--models").unwrap_or_else(|| "models".into()));
    let repeat: usize = opt("--repeat").map_or(Ok(3), |s| s.parse())?;
    let t0 = Instant::now();
    let mut models = SyntaxModels::load_dir(&dir)?;
    let load_s = t0.elapsed().as_secs_f64();
    if let Some(w) = opt("--prune") {
        let w: f32 = w.parse()?;
        models.tagger = models.tagger.pruned(w);
        models.parser = models.parser.pruned(w);
    }
    if let Some(k) = opt("--beam") {
        models.parser = models.parser.with_beam(k.parse()?);
    }
    if let Some(m) = opt("--margin") {
        models.parser = models.parser.with_margin(m.parse()?);
    }
    if let Some(out) = opt("--write") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out)?;
        models.tagger.save(&out.join("tagger.bin.zst"))?;
        models.lemmatizer.save(&out.join("lemma.bin.zst"))?;
        models.parser.save(&out.join("parser.bin.zst"))?;
    }
    let dev = conllu::read_file(&data.join("en_ewt-ud-dev.conllu"))?;
    let test = conllu::read_file(&data.join("en_ewt-ud-test.conllu"))?;
    let d = parser::evaluate(&dev, &models);
    // `--dev-only`: no test scores (while choosing settings).
    let t = if args.iter().any(|a| a == "--dev-only") {
        parser::SyntaxScores::default()
    } else {
        parser::evaluate(&test, &models)
    };
    // Speed: tag, lemmatize and parse EWT test `repeat` times; the tagger alone too.
    let sents: Vec<Vec<&str>> = test.iter().map(|s| s.forms()).collect();
    let n_words: usize = sents.iter().map(|s| s.len()).sum::<usize>() * repeat;
    let mut check = 0usize;
    let mut time = |f: &mut dyn FnMut(&[&str]) -> usize| {
        let (t0, c0) = (Instant::now(), cpu_seconds());
        for _ in 0..repeat {
            for s in &sents {
                check += f(s);
            }
        }
        let wall = t0.elapsed().as_secs_f64();
        let cpu = match (c0, cpu_seconds()) {
            (Some(a), Some(b)) => b - a,
            _ => wall,
        };
        (n_words as f64 / wall, n_words as f64 / cpu)
    };
    let (all_wall, all_cpu) = time(&mut |s| models.analyze(s).iter().map(|a| a.head).sum());
    let (tag_wall, tag_cpu) = time(&mut |s| models.tagger.tag(s).len());
    println!(
        "{{\"dev\": {{\"upos\": {:.4}, \"xpos\": {:.4}, \"lemma\": {:.4}, \"uas\": {:.4}, \"las\": {:.4}}}, \
         \"test\": {{\"upos\": {:.4}, \"xpos\": {:.4}, \"lemma\": {:.4}, \"uas\": {:.4}, \"las\": {:.4}}}, \
         \"test_words\": {}, \"load_s\": {load_s:.3}, \"tagger_weights\": {}, \"parser_weights\": {}, \
         \"tag_lemma_parse_wps_wall\": {all_wall:.0}, \"tag_lemma_parse_wps_cpu\": {all_cpu:.0}, \
         \"tag_wps_wall\": {tag_wall:.0}, \"tag_wps_cpu\": {tag_cpu:.0}, \"check\": {check}}}",
        d.upos, d.xpos, d.lemma, d.uas, d.las, t.upos, t.xpos, t.lemma, t.uas, t.las, t.words,
        models.tagger.n_weights(), models.parser.n_weights()
    );
    Ok(())
}
