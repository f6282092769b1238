//! Parser experiments on cached jackknifed tags (dev scores per epoch only).
//!
//! ```text
//! cargo run --release -p dossier-nlp --example exp_parser -- --jk /tmp/syntax/jk.conllu \
//!     --out DIR [--epochs 15] [--seed 1] [--features 1] [--projectivize 1] [--beam 1] [--prune 1]
//! ```
//! Writes DIR/parser.bin.zst (pruned) next to copies of models/tagger.bin.zst and lemma.bin.zst.
use dossier_nlp::conllu;
use dossier_nlp::parser::{self, ParserConfig};
use dossier_nlp::tagger::{Clusters, Tagger};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let num = |name: &str, d: f64| opt(name).map_or(d, |s| s.parse().expect(name));
    // `--load-time FILE`: seconds to load one parser file.
    if let Some(f) = opt("--load-time") {
        let t0 = std::time::Instant::now();
        let p = parser::Parser::load(&PathBuf::from(f))?;
        println!(
            "load {:.3} s, {} weights, beam {} margin {}",
            t0.elapsed().as_secs_f64(),
            p.n_weights(),
            p.beam(),
            p.margin()
        );
        return Ok(());
    }
    // `--merge DIR,DIR,... --out DIR`: the mean of those parsers.
    if let Some(dirs) = opt("--merge") {
        let ps: Vec<parser::Parser> = dirs
            .split(',')
            .map(|d| parser::Parser::load(&PathBuf::from(d).join("parser.bin.zst")))
            .collect::<Result<_, _>>()?;
        let refs: Vec<&parser::Parser> = ps.iter().collect();
        let m = parser::Parser::mean(&refs).ok_or("parsers differ")?;
        let out = PathBuf::from(opt("--out").expect("--out"));
        std::fs::create_dir_all(&out)?;
        for f in ["tagger.bin.zst", "lemma.bin.zst"] {
            std::fs::copy(PathBuf::from("models").join(f), out.join(f))?;
        }
        m.pruned(num("--prune", 0.0) as f32)
            .save(&out.join("parser.bin.zst"))?;
        return Ok(());
    }
    let jk = conllu::read_file(&PathBuf::from(opt("--jk").expect("--jk")))?;
    let out = PathBuf::from(opt("--out").expect("--out"));
    std::fs::create_dir_all(&out)?;
    let models = PathBuf::from("models");
    for f in ["tagger.bin.zst", "lemma.bin.zst"] {
        std::fs::copy(models.join(f), out.join(f))?;
    }
    let tagger = Tagger::load(&models.join("tagger.bin.zst"))?;
    let mut dev = conllu::read_file(&PathBuf::from(
        "../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu",
    ))?;
    tagger.retag(&mut dev);
    let cfg = ParserConfig {
        epochs: num("--epochs", 15.0) as usize,
        seed: num("--seed", 1.0) as u64,
        verbose: true,
        clusters: Clusters::from_tsv_zst(&models.join("ner-clusters.tsv.zst"))?,
        beam: num("--beam", 1.0) as usize,
        features: num("--features", 1.0) as u8,
        projectivize: num("--projectivize", 1.0) != 0.0,
        explore_p: num("--explore-p", 0.9),
        margin: num("--margin", 0.0) as f32,
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let p = parser::train(&jk, &dev, &cfg).pruned(num("--prune", 1.0) as f32);
    p.save(&out.join("parser.bin.zst"))?;
    eprintln!("trained in {:.0} s", t0.elapsed().as_secs_f64());
    Ok(())
}
