//! Neural (BiLSTM + biaffine) parser experiments: trains on EWT train, keeps the best dev
//! LAS epoch, prints dev and test scores and the parsing speed.
//!
//! ```text
//! cargo run --release -p dossier-nlp --example exp_neural -- --vectors /tmp/nn/vectors.bin \
//!     --out /tmp/nn/model.bin.zst [--epochs 30] [--hidden 128] [--layers 2] [--seed 1] ...
//! cargo run --release -p dossier-nlp --example exp_neural -- --eval /tmp/nn/model.bin.zst
//! ```
use dossier_nlp::conllu;
use dossier_nlp::neural::{train, NetConfig, NeuralParser, Vectors};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let num = |name: &str, d: f64| opt(name).map_or(d, |s| s.parse().expect(name));
    let data = PathBuf::from(opt("--data").unwrap_or_else(|| "../shared/data".into()));
    let ewt = data.join("ud-english-ewt");
    let dev = conllu::read_file(&ewt.join("en_ewt-ud-dev.conllu"))?;
    let test = conllu::read_file(&ewt.join("en_ewt-ud-test.conllu"))?;
    let model = if let Some(path) = opt("--eval") {
        let t0 = Instant::now();
        let m = NeuralParser::from_bytes(&std::fs::read(&path)?)?;
        eprintln!("loaded in {:.3} s", t0.elapsed().as_secs_f64());
        m
    } else {
        let train_set = conllu::read_file(&ewt.join("en_ewt-ud-train.conllu"))?;
        let dvec = std::fs::read(opt("--vectors").unwrap_or_else(|| "/tmp/nn/vectors.bin".into()))?;
        let clusters = opt("--clusters").unwrap_or_else(|| "models/ner-clusters.tsv.zst".into());
        let tsv = String::from_utf8(zstd::decode_all(&std::fs::read(&clusters)?[..])?)?;
        let vectors = Vectors::from_parts(&dvec, &tsv)?;
        let d = NetConfig::default();
        let net = NetConfig {
            hidden: num("--hidden", d.hidden as f64) as usize,
            layers: num("--layers", d.layers as f64) as usize,
            word_dim: num("--word-dim", d.word_dim as f64) as usize,
            suf_dim: num("--suf-dim", d.suf_dim as f64) as usize,
            shape_dim: num("--shape-dim", d.shape_dim as f64) as usize,
            arc_dim: num("--arc-dim", d.arc_dim as f64) as usize,
            lab_dim: num("--lab-dim", d.lab_dim as f64) as usize,
        };
        let td = train::TrainConfig::default();
        let cfg = train::TrainConfig {
            net,
            epochs: num("--epochs", td.epochs as f64) as usize,
            batch: num("--batch", td.batch as f64) as usize,
            lr: num("--lr", td.lr as f64) as f32,
            dropout: num("--dropout", td.dropout as f64) as f32,
            word_drop: num("--word-drop", td.word_drop as f64) as f32,
            min_count: num("--min-count", td.min_count as f64) as usize,
            tag_weight: num("--tag-weight", td.tag_weight as f64) as f32,
            seed: num("--seed", td.seed as f64) as u64,
            verbose: true,
        };
        eprintln!("{cfg:?}");
        let (m, sc) = train::train(&train_set, &dev, vectors, &cfg);
        eprintln!("best dev: {sc:?}");
        if let Some(out) = opt("--out") {
            let bytes = m.to_bytes()?;
            std::fs::write(&out, &bytes)?;
            eprintln!("wrote {out} ({} bytes)", bytes.len());
        }
        m
    };
    let d = train::evaluate(&model, &dev);
    let t = train::evaluate(&model, &test);
    // Speed: test words per second, one thread, batches of 32 sentences.
    let forms: Vec<Vec<&str>> = test.iter().map(|s| s.forms()).collect();
    let words: usize = forms.iter().map(|f| f.len()).sum();
    let batch = num("--batch-eval", 64.0) as usize;
    let c0 = thread_cpu_secs();
    for _ in 0..3 {
        for chunk in forms.chunks(batch) {
            let refs: Vec<&[&str]> = chunk.iter().map(|f| f.as_slice()).collect();
            std::hint::black_box(model.parse_batch(&refs));
        }
    }
    let secs = (thread_cpu_secs() - c0) / 3.0;
    println!(
        "{{\"dev_uas\":{:.4},\"dev_las\":{:.4},\"dev_upos\":{:.4},\"dev_xpos\":{:.4},\"test_uas\":{:.4},\"test_las\":{:.4},\"test_upos\":{:.4},\"test_xpos\":{:.4},\"words_per_sec\":{:.0}}}",
        d.uas, d.las, d.upos, d.xpos, t.uas, t.las, t.upos, t.xpos, words as f64 / secs
    );
    Ok(())
}

/// CPU time of this thread (user + system), from /proc (Linux; 0 elsewhere).
fn thread_cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else { return 0.0 };
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
