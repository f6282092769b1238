//! `dossier nlp ...`: annotate, evaluate and benchmark the NLP pipeline.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use dossier_nlp::pipeline::Models;
use dossier_nlp::values::DocDate;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Subcommand)]
pub enum NlpCommand {
    /// Annotate one document and print tokens, lemmas, tags, heads, relations and entities (CoNLL-U-like).
    Annotate {
        /// A document in any format `ingest` reads.
        file: PathBuf,
    },
    /// Score the models on the public test sets (CoNLL-2003 testb, UNER EWT test, UD EWT test).
    Eval {
        /// Folder holding conll2003/, uner-english-ewt/, ud-english-ewt/.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Words per second of the whole pipeline (tokens, sentences, tags, lemmas, parse, NER, values) on one thread.
    Bench {
        /// Texts to repeat until they hold this many words (whitespace-separated).
        #[arg(long, default_value_t = 200_000)]
        words: usize,
        /// Text files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// The models: from `dir` when given (or `$DOSSIER_MODELS`), else the ones built into the binary.
pub fn load_models(dir: Option<&Path>) -> Result<Models> {
    let t = Instant::now();
    let models = match dir {
        Some(d) => Models::load_dir(d).with_context(|| format!("cannot load models from {}", d.display()))?,
        None => Models::from_bytes(
            include_bytes!("../../../models/tagger.bin.zst"),
            include_bytes!("../../../models/lemma.bin.zst"),
            include_bytes!("../../../models/parser.bin.zst"),
            include_bytes!("../../../models/ner.bin.zst"),
        )
        .context("the built-in models are damaged")?,
    };
    tracing::info!("models loaded in {:.2} s", t.elapsed().as_secs_f64());
    Ok(models)
}

fn doc_date(published: Option<dossier_text::PartialDate>) -> Option<DocDate> {
    published.and_then(|d| DocDate::parse(&d.to_string()))
}

pub fn run(cmd: NlpCommand, models_dir: Option<&Path>) -> Result<()> {
    match cmd {
        NlpCommand::Annotate { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.to_string_lossy();
            let format = dossier_text::sniff_format(&name, &bytes);
            let doc = dossier_text::read_document(&bytes, format, dossier_text::ReadLimits::default())
                .with_context(|| format!("{name}"))?;
            let models = load_models(models_dir)?;
            let ranges: Vec<_> = doc.content_spans().iter().map(|s| s.start()..s.end()).collect();
            let a = models.annotate(&doc.text, &ranges, doc_date(doc.meta.published));
            print!("{}", a.to_conllu());
        }
        NlpCommand::Bench { words, files } => {
            let texts: Vec<String> = files
                .iter()
                .map(|f| std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display())))
                .collect::<Result<_>>()?;
            let per: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
            if per == 0 {
                bail!("the files hold no words");
            }
            // Same corpus as the peer harness: the files repeated until `words`.
            let reps = (words / per).max(1);
            let t_load = Instant::now();
            let models = load_models(models_dir)?;
            let load_s = t_load.elapsed().as_secs_f64();
            for t in texts.iter().take(2) {
                models.annotate(t, &[0..t.len()], None);
            }
            // The fact stage runs on every annotation too, timed on its own, so the
            // words/s are those of the whole reading (NLP + facts).
            let t0 = Instant::now();
            let (mut n_ents, mut n_words, mut n_claims) = (0usize, 0usize, 0usize);
            let mut facts_s = 0.0;
            for _ in 0..reps {
                for t in &texts {
                    let a = models.annotate(t, &[0..t.len()], None);
                    n_ents += a.entities.len();
                    n_words += a.words.len();
                    let tf = Instant::now();
                    let mentions: Vec<dossier_facts::MentionIn> = a
                        .entities
                        .iter()
                        .filter(|e| e.label.as_str() != "MISC")
                        .map(|e| dossier_facts::MentionIn { span: e.start_byte..e.end_byte, etype: e.label.as_str() })
                        .collect();
                    n_claims += dossier_facts::extract(&a, &mentions).len();
                    facts_s += tf.elapsed().as_secs_f64();
                }
            }
            let secs = t0.elapsed().as_secs_f64();
            let total = per * reps;
            let ms = |x: f64| (x * 1000.0).round() / 1000.0;
            println!(
                "{}",
                serde_json::json!({
                    "pipeline": "dossier", "words": total, "secs": ms(secs),
                    "words_per_sec": (total as f64 / secs).round(), "entities": n_ents, "tokens": n_words,
                    "claims": n_claims, "facts_secs": ms(facts_s), "nlp_secs": ms(secs - facts_s),
                    "facts_overhead": ((facts_s / (secs - facts_s).max(1e-9)) * 1000.0).round() / 1000.0,
                    "load_secs": ms(load_s),
                })
            );
        }
        NlpCommand::Eval { data, json } => {
            let read = |p: PathBuf| std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()));
            let models = load_models(models_dir)?;
            let ewt_test = read(data.join("ud-english-ewt/en_ewt-ud-test.conllu"))?;
            let seg = dossier_nlp::eval::evaluate_conllu(&ewt_test, dossier_nlp::eval::RawStyle::Paragraphs);
            let gold = dossier_nlp::conllu::parse(&ewt_test).context("EWT test")?;
            let syn = dossier_nlp::parser::evaluate(&gold, &models.syntax);
            let testb = dossier_nlp::ner::read_conll2003(&read(data.join("conll2003/eng.testb"))?).context("eng.testb")?;
            let conll = dossier_nlp::ner::evaluate_conll(&models.ner, &testb);
            let uner = dossier_nlp::ner::read_iob2(&read(data.join("uner-english-ewt/en_ewt-ud-test.iob2"))?).context("UNER test")?;
            let uner = dossier_nlp::ner::evaluate_uner(&models.ner, &uner);
            let r = |x: f64| (x * 10000.0).round() / 10000.0;
            let obj = serde_json::json!({
                "ner_conll_test_f1": r(conll.overall.f1),
                "ner_conll_test_precision": r(conll.overall.precision),
                "ner_conll_test_recall": r(conll.overall.recall),
                "ner_uner_ewt_test_f1": r(uner.overall.f1),
                "upos": r(syn.upos), "xpos": r(syn.xpos), "uas": r(syn.uas), "las": r(syn.las), "lemma": r(syn.lemma),
                "tokens_f1": r(seg.tokens.f1()), "words_f1": r(seg.words.f1()), "sentences_f1": r(seg.sentences.f1()),
            });
            if json {
                println!("{obj}");
            } else if let Some(map) = obj.as_object() {
                for (k, v) in map {
                    println!("{k:<26} {v}");
                }
            }
        }
    }
    Ok(())
}
