//! Trains the tagger, lemmatizer and parser on UD English EWT and prints one
//! JSON object with dev and test scores.
//!
//! ```text
//! cargo run --release -p dossier-nlp --example train_syntax -- \
//!     [--data ../shared/data] [--out models] [--only tagger|lemma|parser] \
//!     [--tagger-epochs 10] [--parser-epochs 15] [--folds 5] [--seed 1] \
//!     [--clusters models/ner-clusters.tsv.zst|none] [--jk-cache FILE]
//! ```
//! `--only parser` reuses `OUT/tagger.bin.zst` for the dev/test tags;
//! `--jk-cache FILE` keeps the jackknifed training tags between runs.
use dossier_nlp::conllu::{self, Sentence};
use dossier_nlp::lemma;
use dossier_nlp::parser::{self, ParserConfig, SyntaxModels};
use dossier_nlp::tagger::{self, Tagger, TaggerConfig};
use std::path::PathBuf;
use std::time::Instant;

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
    let out = PathBuf::from(opt("--out").unwrap_or_else(|| "models".into()));
    let only = opt("--only");
    let seed: u64 = opt("--seed").map_or(Ok(1), |s| s.parse())?;
    let tagger_epochs: usize = opt("--tagger-epochs").map_or(Ok(10), |s| s.parse())?;
    let parser_epochs: usize = opt("--parser-epochs").map_or(Ok(15), |s| s.parse())?;
    let folds: usize = opt("--folds").map_or(Ok(5), |s| s.parse())?;
    let min_abs: f32 = opt("--min-abs").map_or(Ok(0.0), |s| s.parse())?;
    std::fs::create_dir_all(&out)?;
    // Word clusters (see models/MODELS.md); `--clusters none` trains without.
    let clusters_path = opt("--clusters").unwrap_or_else(|| "models/ner-clusters.tsv.zst".into());
    let clusters = if clusters_path == "none" {
        dossier_nlp::tagger::Clusters::default()
    } else {
        dossier_nlp::tagger::Clusters::from_tsv_zst(std::path::Path::new(&clusters_path))?
    };
    let read = |split: &str| conllu::read_file(&data.join(format!("en_ewt-ud-{split}.conllu")));
    let (train, dev, test) = (read("train")?, read("dev")?, read("test")?);
    let run = |stage: &str| only.as_deref().map(|o| o == stage).unwrap_or(true);
    let mut timings = Vec::new();

    let tcfg = TaggerConfig {
        epochs: tagger_epochs,
        seed,
        min_abs,
        verbose: true,
        clusters: clusters.clone(),
    };
    let tagger_path = out.join("tagger.bin.zst");
    let tagger = if run("tagger") {
        let t0 = Instant::now();
        let t = tagger::train(&train, &dev, &tcfg);
        t.save(&tagger_path)?;
        timings.push(("tagger_train_s", t0.elapsed().as_secs_f64()));
        t
    } else {
        Tagger::load(&tagger_path)?
    };
    let lemma_path = out.join("lemma.bin.zst");
    if run("lemma") {
        let t0 = Instant::now();
        lemma::train(&train).save(&lemma_path)?;
        timings.push(("lemma_train_s", t0.elapsed().as_secs_f64()));
    }
    let parser_path = out.join("parser.bin.zst");
    if run("parser") {
        let t0 = Instant::now();
        // `--jk-cache FILE`: reuse (or write) the jackknifed training tags.
        let jk = match opt("--jk-cache").map(PathBuf::from) {
            Some(p) if p.exists() => conllu::read_file(&p)?,
            Some(p) => {
                let jk = tagger::jackknife(&train, folds, &tcfg);
                std::fs::write(&p, conllu::write(&jk))?;
                jk
            }
            None => tagger::jackknife(&train, folds, &tcfg),
        };
        timings.push(("jackknife_s", t0.elapsed().as_secs_f64()));
        let mut dev_tagged: Vec<Sentence> = dev.clone();
        tagger.retag(&mut dev_tagged);
        let t0 = Instant::now();
        let pcfg = ParserConfig {
            epochs: parser_epochs,
            seed,
            min_abs,
            verbose: true,
            clusters,
            ..Default::default()
        };
        let p = parser::train(&jk, &dev_tagged, &pcfg);
        p.save(&parser_path)?;
        timings.push(("parser_train_s", t0.elapsed().as_secs_f64()));
    }
    let models = SyntaxModels::load_dir(&out)?;
    let d = parser::evaluate(&dev, &models);
    let t = parser::evaluate(&test, &models);
    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut json = format!(
        "{{\"seed\": {seed}, \"tagger_epochs\": {tagger_epochs}, \"parser_epochs\": {parser_epochs}, \"folds\": {folds}, \
         \"dev\": {{\"upos\": {:.4}, \"xpos\": {:.4}, \"lemma\": {:.4}, \"uas\": {:.4}, \"las\": {:.4}}}, \
         \"test\": {{\"upos\": {:.4}, \"xpos\": {:.4}, \"lemma\": {:.4}, \"uas\": {:.4}, \"las\": {:.4}}}, \
         \"bytes\": {{\"tagger\": {}, \"lemma\": {}, \"parser\": {}}}",
        d.upos, d.xpos, d.lemma, d.uas, d.las, t.upos, t.xpos, t.lemma, t.uas, t.las,
        size(&tagger_path), size(&lemma_path), size(&parser_path)
    );
    for (k, v) in timings {
        json.push_str(&format!(", \"{k}\": {v:.1}"));
    }
    json.push('}');
    println!("{json}");
    Ok(())
}
