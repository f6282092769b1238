//! `dossier nlp ...`: annotate, evaluate and benchmark the NLP pipeline.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use dossier_nlp::pipeline::Models;
use dossier_nlp::train::{self, ner::NerTrainOptions, syntax::SyntaxReport, syntax::SyntaxTrainOptions};
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
    /// Train a model on the public corpora and write it; prints a JSON report (dev and test scores, files).
    Train {
        #[command(subcommand)]
        what: TrainCommand,
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

/// What `dossier nlp train` trains.
#[derive(Subcommand)]
pub enum TrainCommand {
    /// The tagger and lemmatizer, on UD English EWT (writes tagger.bin.zst, lemma.bin.zst).
    Tagger {
        #[command(flatten)]
        common: TrainArgs,
        #[command(flatten)]
        syntax: SyntaxArgs,
        /// Passes over the training data (the best dev epoch is kept).
        #[arg(long, default_value_t = 8)]
        epochs: usize,
    },
    /// The parser, on UD English EWT with jackknifed tags (writes parser.bin.zst; the tagger in --out tags dev and test).
    Parser {
        #[command(flatten)]
        common: TrainArgs,
        #[command(flatten)]
        syntax: SyntaxArgs,
        /// Passes over the training data (the best dev LAS is kept).
        #[arg(long, default_value_t = 15)]
        epochs: usize,
        /// Epochs of the jackknife taggers.
        #[arg(long, default_value_t = 8)]
        tagger_epochs: usize,
        /// Folds of the jackknife.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Beam width (1: greedy with a dynamic oracle).
        #[arg(long, default_value_t = 1)]
        beam: usize,
        /// Beam margin stored in the model: items scoring more than this below the best are dropped (0: none).
        #[arg(long, default_value_t = 0.0)]
        margin: f32,
        /// Train with seeds SEED..SEED+N and average the parsers' weights into one.
        #[arg(long, default_value_t = 1)]
        seeds: usize,
        /// Feature set: 0, the 72 templates of the committed greedy model; 1, 94 templates.
        #[arg(long, default_value_t = 1)]
        features: u8,
        /// Projectivise non-projective training trees (false: skip them, as the committed greedy model did).
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        projectivize: bool,
        /// Keep the jackknifed training tags in this file (read when present).
        #[arg(long)]
        jk_cache: Option<PathBuf>,
        /// The tagger for dev and test (default: OUT/tagger.bin.zst).
        #[arg(long)]
        tagger: Option<PathBuf>,
    },
    /// The neural tagger and parser (BiLSTM + biaffine), on UD English EWT; writes neural.bin.zst,
    /// which then tags and parses instead of tagger.bin.zst and parser.bin.zst.
    Neural {
        #[command(flatten)]
        common: TrainArgs,
        /// Passes over the training data (the best dev LAS is kept). The defaults are the
        /// committed model's settings.
        #[arg(long, default_value_t = 45)]
        epochs: usize,
        /// Fixed word vectors (scripts/make_vectors.py, zstd-compressed).
        #[arg(long, default_value = "models/nn-vectors.bin.zst")]
        vectors: PathBuf,
        /// The word -> vector row index (last column of the clusters file).
        #[arg(long, default_value = "models/ner-clusters.tsv.zst")]
        clusters: PathBuf,
        /// Hidden units of each LSTM direction.
        #[arg(long, default_value_t = 64)]
        hidden: usize,
        /// BiLSTM layers.
        #[arg(long, default_value_t = 2)]
        layers: usize,
        /// Sentences per update.
        #[arg(long, default_value_t = 32)]
        batch: usize,
        /// Adam learning rate.
        #[arg(long, default_value_t = 2e-3)]
        lr: f32,
    },
    /// The named-entity recogniser, on CoNLL-2003 (+ UNER EWT dev, + silver UD EWT train); writes
    /// ner.bin.zst (one seed; the committed model averages three, see models/MODELS.md).
    Ner {
        #[command(flatten)]
        common: TrainArgs,
        /// Passes over the training data (the best eng.testa epoch is kept).
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        /// Folder holding the inputs ner-clusters.tsv.zst and ner-gazetteer.tsv.zst.
        #[arg(long, default_value = "models")]
        inputs: PathBuf,
        /// Share of sentences also added in capitals.
        #[arg(long, default_value_t = 0.1)]
        caps: f64,
        /// Share of sentences also added in lowercase.
        #[arg(long, default_value_t = 0.0)]
        lower: f64,
        /// Folds of the jackknifed second stage (0: one stage).
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Second-stage epochs (0: as many as --epochs).
        #[arg(long, default_value_t = 0)]
        stage2_epochs: usize,
        /// Keep the first stage and its jackknifed labels here.
        #[arg(long)]
        cache: Option<PathBuf>,
        /// Add UNER EWT dev to the training documents.
        #[arg(long)]
        uner_dev: bool,
        /// Add only the even UNER dev documents and score the odd ones.
        #[arg(long)]
        uner_holdout: bool,
        /// With --uner-holdout: add the odd documents and score the even ones instead.
        #[arg(long, requires = "uner_holdout")]
        uner_holdout_even: bool,
        /// Add UD EWT train (web text), labelled by this NER model under constraints
        /// from its gold part-of-speech tags (silver data; see models/MODELS.md).
        #[arg(long, value_name = "MODEL")]
        silver_ewt: Option<PathBuf>,
        /// Share of the UD EWT train documents --silver-ewt adds.
        #[arg(long, default_value_t = 0.5, requires = "silver_ewt")]
        silver_share: f64,
        /// Train without the name words.
        #[arg(long)]
        no_names: bool,
    },
}

/// Options every `nlp train` command takes.
#[derive(clap::Args)]
pub struct TrainArgs {
    /// Folder of the corpora (ud-english-ewt/ or *train.conllu and *dev.conllu; conll2003/, uner-english-ewt/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Folder the model files are written to.
    #[arg(long, default_value = "models")]
    out: PathBuf,
    /// Seed of the shuffling.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// One line per epoch on stderr.
    #[arg(long)]
    progress: bool,
}

/// Options of the tagger and the parser.
#[derive(clap::Args)]
pub struct SyntaxArgs {
    /// Word clusters (`none`: train without).
    #[arg(long, default_value = "models/ner-clusters.tsv.zst")]
    clusters: String,
    /// Drop weights with |w| <= this before writing.
    #[arg(long, default_value_t = 1.0)]
    prune: f32,
}

fn syntax_options(common: TrainArgs, syntax: SyntaxArgs) -> SyntaxTrainOptions {
    SyntaxTrainOptions {
        data: common.data,
        out: common.out,
        seed: common.seed,
        prune: syntax.prune,
        clusters: (syntax.clusters != "none").then(|| PathBuf::from(syntax.clusters)),
        verbose: common.progress,
        ..Default::default()
    }
}

fn syntax_json(r: &SyntaxReport) -> serde_json::Value {
    let scores = |s: &dossier_nlp::SyntaxScores| {
        let x = |v: f64| (v * 10000.0).round() / 10000.0;
        let mut o = serde_json::json!({"words": s.words, "upos": x(s.upos), "xpos": x(s.xpos), "lemma": x(s.lemma)});
        if r.parsed {
            o["uas"] = x(s.uas).into();
            o["las"] = x(s.las).into();
        }
        o
    };
    serde_json::json!({
        "dev": scores(&r.dev),
        "test": r.test.as_ref().map(scores),
        "files": r.files.iter().map(|(p, n)| serde_json::json!({"path": p.display().to_string(), "bytes": n})).collect::<Vec<_>>(),
        "seconds": r.seconds.iter().map(|(k, v)| (k.to_string(), serde_json::json!((v * 10.0).round() / 10.0))).collect::<serde_json::Map<_, _>>(),
    })
}

fn train(what: TrainCommand) -> Result<serde_json::Value> {
    Ok(match what {
        TrainCommand::Tagger { common, syntax, epochs } => {
            let opts = SyntaxTrainOptions { tagger_epochs: epochs, ..syntax_options(common, syntax) };
            syntax_json(&train::syntax::train_tagger(&opts)?)
        }
        TrainCommand::Parser { common, syntax, epochs, tagger_epochs, folds, beam, margin, seeds, features, projectivize, jk_cache, tagger } => {
            let opts = SyntaxTrainOptions {
                parser_epochs: epochs,
                tagger_epochs,
                folds,
                beam,
                margin,
                seeds,
                features,
                projectivize,
                jk_cache,
                tagger,
                ..syntax_options(common, syntax)
            };
            syntax_json(&train::syntax::train_parser(&opts)?)
        }
        TrainCommand::Neural { common, epochs, vectors, clusters, hidden, layers, batch, lr } => {
            let d = dossier_nlp::neural::train::TrainConfig::default();
            let opts = train::neural::NeuralTrainOptions {
                data: common.data,
                out: common.out,
                vectors,
                clusters,
                config: dossier_nlp::neural::train::TrainConfig {
                    net: dossier_nlp::neural::NetConfig { hidden, layers, ..d.net },
                    epochs,
                    batch,
                    lr,
                    seed: common.seed,
                    verbose: common.progress,
                    ..d
                },
            };
            let r = train::neural::train_neural(&opts)?;
            let sc = |s: &dossier_nlp::neural::train::Scores| {
                let x = |v: f64| (v * 10000.0).round() / 10000.0;
                serde_json::json!({"uas": x(s.uas), "las": x(s.las), "upos": x(s.upos), "xpos": x(s.xpos)})
            };
            serde_json::json!({
                "dev_in_training": sc(&r.dev), "dev": sc(&r.dev_written), "test": r.test.as_ref().map(sc),
                "files": [{"path": r.file.0.display().to_string(), "bytes": r.file.1}],
                "seconds": {"train": (r.seconds * 10.0).round() / 10.0},
            })
        }
        TrainCommand::Ner {
            common,
            epochs,
            inputs,
            caps,
            lower,
            folds,
            stage2_epochs,
            cache,
            uner_dev,
            uner_holdout,
            uner_holdout_even,
            silver_ewt,
            silver_share,
            no_names,
        } => {
            let opts = NerTrainOptions {
                data: common.data,
                models: inputs,
                out: common.out.join("ner.bin.zst"),
                config: dossier_nlp::ner::TrainConfig {
                    epochs,
                    seed: common.seed,
                    caps_fraction: caps,
                    lower_fraction: lower,
                    folds,
                    stage2_epochs,
                    cache,
                    verbose: common.progress,
                },
                uner_dev,
                uner_holdout,
                uner_holdout_even,
                silver_ewt,
                silver_share,
                no_names,
                ..Default::default()
            };
            let r = train::ner::train_ner(&opts)?;
            let prf = |s: &dossier_nlp::ner::NerScores| {
                let x = |v: f64| (v * 10000.0).round() / 10000.0;
                serde_json::json!({"precision": x(s.overall.precision), "recall": x(s.overall.recall), "f1": x(s.overall.f1)})
            };
            serde_json::json!({
                "conll_testa": prf(&r.testa), "conll_testb": prf(&r.testb),
                "uner_heldout": r.uner_heldout.as_ref().map(prf), "uner_test": prf(&r.uner_test),
                "features": r.n_features,
                "silver": r.silver.map(|(d, s, e)| serde_json::json!({"documents": d, "sentences": s, "entities": e})),
                "files": [{"path": r.file.0.display().to_string(), "bytes": r.file.1}],
                "seconds": {"train": (r.seconds * 10.0).round() / 10.0},
            })
        }
    })
}

/// Which tagger and parser the pipeline runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ParserChoice {
    /// The averaged-perceptron tagger and greedy parser (tagger.bin.zst, parser.bin.zst).
    Perceptron,
    /// The BiLSTM + biaffine tagger and parser (neural.bin.zst).
    Neural,
}

/// The models: from `dir` when given (or `$DOSSIER_MODELS`), else the ones built into the binary.
pub fn load_models(dir: Option<&Path>, parser: ParserChoice) -> Result<Models> {
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
    let models = match (parser, dir) {
        (ParserChoice::Perceptron, _) => models,
        (ParserChoice::Neural, Some(d)) => {
            let path = d.join(dossier_nlp::parser::NEURAL_FILE);
            let bytes = std::fs::read(&path).with_context(|| {
                format!("--parser neural (the default): cannot read {}; `--parser perceptron` runs the folder's own tagger and parser", path.display())
            })?;
            models.with_neural(&bytes).with_context(|| format!("cannot load {}", path.display()))?
        }
        (ParserChoice::Neural, None) => models
            .with_neural(include_bytes!("../../../models/neural.bin.zst"))
            .context("the built-in neural model is damaged")?,
    };
    tracing::info!("models loaded in {:.2} s", t.elapsed().as_secs_f64());
    Ok(models)
}

fn doc_date(published: Option<dossier_text::PartialDate>) -> Option<DocDate> {
    published.and_then(|d| DocDate::parse(&d.to_string()))
}

pub fn run(cmd: NlpCommand, models_dir: Option<&Path>, parser: ParserChoice) -> Result<()> {
    match cmd {
        NlpCommand::Annotate { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.to_string_lossy();
            let format = dossier_text::sniff_format(&name, &bytes);
            let doc = dossier_text::read_document(&bytes, format, dossier_text::ReadLimits::default())
                .with_context(|| format!("{name}"))?;
            let models = load_models(models_dir, parser)?;
            let ranges: Vec<_> = doc.content_spans().iter().map(|s| s.start()..s.end()).collect();
            let a = models.annotate(&doc.text, &ranges, doc_date(doc.meta.published));
            print!("{}", a.to_conllu());
        }
        NlpCommand::Train { what } => {
            println!("{}", train(what)?);
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
            let models = load_models(models_dir, parser)?;
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
            let models = load_models(models_dir, parser)?;
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
