//! Training the tagger, lemmatizer and parser on a UD treebank (English EWT).

use super::{write_file, TrainError};
use crate::conllu::{self, Sentence};
use crate::lemma::{self, Lemmatizer};
use crate::parser::{self, Parser, ParserConfig, SyntaxModels, SyntaxScores};
use crate::tagger::{self, Clusters, Tagger, TaggerConfig};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of [`train_tagger`] and [`train_parser`].
#[derive(Debug, Clone)]
pub struct SyntaxTrainOptions {
    /// A folder holding `*train.conllu`, `*dev.conllu` and optionally
    /// `*test.conllu`, directly or in a `ud-english-ewt/` subfolder.
    pub data: PathBuf,
    /// Where `tagger.bin.zst`, `lemma.bin.zst` and `parser.bin.zst` are written.
    pub out: PathBuf,
    /// Seed of the shuffling (and of the parser's exploration).
    pub seed: u64,
    /// Tagger epochs (the best on dev is kept); also those of the jackknife taggers.
    pub tagger_epochs: usize,
    /// Parser epochs (the best dev LAS is kept).
    pub parser_epochs: usize,
    /// Folds of the jackknife that tags the parser's training data.
    pub folds: usize,
    /// Parser beam width (1: greedy).
    pub beam: usize,
    /// Parser beam margin (0: none; see [`Parser::with_margin`]).
    pub margin: f32,
    /// Parsers trained with seeds `seed..seed + seeds`, averaged into one.
    pub seeds: usize,
    /// Parser feature set (see [`ParserConfig::features`]).
    pub features: u8,
    /// Projectivise non-projective training trees instead of skipping them.
    pub projectivize: bool,
    /// Weights with `|w| <=` this are dropped before writing.
    pub prune: f32,
    /// Word clusters (`ner-clusters.tsv.zst`); `None` trains without.
    pub clusters: Option<PathBuf>,
    /// Keeps the jackknifed training tags here (read if present, else written).
    pub jk_cache: Option<PathBuf>,
    /// The tagger that tags the parser's dev and test data; `None`: `out/tagger.bin.zst`.
    pub tagger: Option<PathBuf>,
    /// One line per epoch on stderr.
    pub verbose: bool,
}

impl Default for SyntaxTrainOptions {
    fn default() -> Self {
        SyntaxTrainOptions {
            data: PathBuf::from("../shared/data"),
            out: PathBuf::from("models"),
            seed: 1,
            tagger_epochs: 8,
            parser_epochs: 15,
            folds: 5,
            beam: 1,
            margin: 0.0,
            seeds: 1,
            features: 1,
            projectivize: true,
            prune: 1.0,
            clusters: Some(PathBuf::from("models/ner-clusters.tsv.zst")),
            jk_cache: None,
            tagger: None,
            verbose: false,
        }
    }
}

/// What a training run produced.
#[derive(Debug, Clone)]
pub struct SyntaxReport {
    /// Scores on the dev set.
    pub dev: SyntaxScores,
    /// Scores on the test set, when there is one (reported, never used to choose).
    pub test: Option<SyntaxScores>,
    /// Whether `uas` and `las` were measured (a parser was available).
    pub parsed: bool,
    /// The files written and their sizes in bytes.
    pub files: Vec<(PathBuf, u64)>,
    /// Named durations in seconds.
    pub seconds: Vec<(&'static str, f64)>,
}

/// The treebank's splits.
pub(crate) struct Treebank {
    pub(crate) train: Vec<Sentence>,
    pub(crate) dev: Vec<Sentence>,
    pub(crate) test: Option<Vec<Sentence>>,
}

/// The file in `dir` whose name ends with `suffix` (the first by name).
fn find_split(dir: &Path, suffix: &str) -> Result<Option<PathBuf>, TrainError> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(TrainError::io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        })
        .collect();
    names.sort();
    Ok(names.into_iter().next())
}

pub(crate) fn read_treebank(data: &Path) -> Result<Treebank, TrainError> {
    let sub = data.join("ud-english-ewt");
    let dir = if sub.is_dir() {
        sub
    } else {
        data.to_path_buf()
    };
    let read = |p: &Path| -> Result<Vec<Sentence>, TrainError> {
        conllu::parse(&super::read_text(p)?).map_err(TrainError::data(p))
    };
    let need = |suffix: &str| -> Result<PathBuf, TrainError> {
        find_split(&dir, suffix)?.ok_or_else(|| TrainError::Data {
            path: dir.clone(),
            message: format!("no *{suffix} file"),
        })
    };
    let train = read(&need("train.conllu")?)?;
    let dev = read(&need("dev.conllu")?)?;
    let test = match find_split(&dir, "test.conllu")? {
        Some(p) => Some(read(&p)?),
        None => None,
    };
    if train.is_empty() || dev.is_empty() {
        return Err(TrainError::Invalid(format!(
            "{}: the train and dev sets must hold sentences",
            dir.display()
        )));
    }
    Ok(Treebank { train, dev, test })
}

fn clusters(opts: &SyntaxTrainOptions) -> Result<Clusters, TrainError> {
    match &opts.clusters {
        None => Ok(Clusters::default()),
        Some(p) => Clusters::from_tsv_zst(p).map_err(TrainError::data(p)),
    }
}

fn tagger_config(opts: &SyntaxTrainOptions, clusters: Clusters) -> TaggerConfig {
    TaggerConfig {
        epochs: opts.tagger_epochs,
        seed: opts.seed,
        min_abs: 0.0,
        verbose: opts.verbose,
        clusters,
    }
}

/// UPOS, XPOS and lemma accuracy (no parse) of `tagger` and `lemmatizer`.
fn tag_scores(gold: &[Sentence], tagger: &Tagger, lemmatizer: &Lemmatizer) -> SyntaxScores {
    let (mut n, mut upos, mut xpos, mut lemma) = (0usize, 0usize, 0usize, 0usize);
    for s in gold {
        let forms = s.forms();
        for ((t, w), f) in tagger.tag(&forms).iter().zip(&s.words).zip(&forms) {
            n += 1;
            upos += (t.upos == w.upos) as usize;
            xpos += (t.xpos == w.xpos) as usize;
            lemma += (lemmatizer.lemma(f, t.xpos) == w.lemma) as usize;
        }
    }
    let r = |k: usize| k as f64 / n.max(1) as f64;
    SyntaxScores {
        words: n,
        upos: r(upos),
        xpos: r(xpos),
        lemma: r(lemma),
        uas: 0.0,
        las: 0.0,
    }
}

/// Trains the tagger (best dev epoch, pruned) and the lemmatizer on the
/// treebank in `opts.data`, writes `tagger.bin.zst` and `lemma.bin.zst` into
/// `opts.out`, and scores them (with `out/parser.bin.zst` too, when it loads).
pub fn train_tagger(opts: &SyntaxTrainOptions) -> Result<SyntaxReport, TrainError> {
    let tb = read_treebank(&opts.data)?;
    let cfg = tagger_config(opts, clusters(opts)?);
    let t0 = Instant::now();
    let tagger = tagger::train(&tb.train, &tb.dev, &cfg).pruned(opts.prune);
    let tagger_s = t0.elapsed().as_secs_f64();
    let lemmatizer = lemma::train(&tb.train);
    let mut files = Vec::new();
    for (name, bytes) in [
        ("tagger.bin.zst", tagger.to_bytes()),
        ("lemma.bin.zst", lemmatizer.to_bytes()),
    ] {
        let path = opts.out.join(name);
        let bytes = bytes.map_err(TrainError::data(&path))?;
        files.push((path.clone(), write_file(&path, &bytes)?));
    }
    let parser = Parser::load(&opts.out.join("parser.bin.zst")).ok();
    let parsed = parser.is_some();
    let score = |gold: &[Sentence]| match &parser {
        Some(p) => parser::evaluate(
            gold,
            &SyntaxModels {
                tagger: tagger.clone(),
                lemmatizer: lemmatizer.clone(),
                parser: p.clone(),
                neural: None,
            },
        ),
        None => tag_scores(gold, &tagger, &lemmatizer),
    };
    Ok(SyntaxReport {
        dev: score(&tb.dev),
        test: tb.test.as_deref().map(score),
        parsed,
        files,
        seconds: vec![("tagger", tagger_s)],
    })
}

/// Trains the parser on the treebank in `opts.data`: the training sentences
/// get jackknifed tags (`opts.folds` taggers, each trained on the other
/// folds), dev and test the tags of `opts.tagger`; the epoch with the best dev
/// LAS is kept (with `opts.seeds` > 1, one parser per seed from `opts.seed` on,
/// averaged by [`Parser::mean`]), pruned and written to `opts.out/parser.bin.zst`, and scored
/// together with the tagger and `out/lemma.bin.zst` (a lemmatizer trained on
/// the spot when that is missing).
pub fn train_parser(opts: &SyntaxTrainOptions) -> Result<SyntaxReport, TrainError> {
    let tb = read_treebank(&opts.data)?;
    let clusters = clusters(opts)?;
    let tagger_path = opts
        .tagger
        .clone()
        .unwrap_or_else(|| opts.out.join("tagger.bin.zst"));
    let tagger = Tagger::load(&tagger_path).map_err(TrainError::data(&tagger_path))?;
    let mut seconds = Vec::new();
    let t0 = Instant::now();
    let tcfg = tagger_config(opts, clusters.clone());
    let jk = match &opts.jk_cache {
        Some(p) if p.exists() => {
            conllu::parse(&super::read_text(p)?).map_err(TrainError::data(p))?
        }
        Some(p) => {
            let jk = tagger::jackknife(&tb.train, opts.folds, &tcfg);
            write_file(p, conllu::write(&jk).as_bytes())?;
            jk
        }
        None => tagger::jackknife(&tb.train, opts.folds, &tcfg),
    };
    seconds.push(("jackknife", t0.elapsed().as_secs_f64()));
    let mut dev_tagged = tb.dev.clone();
    tagger.retag(&mut dev_tagged);
    let t0 = Instant::now();
    let pcfg = ParserConfig {
        epochs: opts.parser_epochs,
        seed: opts.seed,
        verbose: opts.verbose,
        clusters,
        beam: opts.beam.max(1),
        margin: opts.margin,
        features: opts.features,
        projectivize: opts.projectivize,
        ..Default::default()
    };
    let parsers: Vec<Parser> = (0..opts.seeds.max(1) as u64)
        .map(|k| {
            let cfg = ParserConfig {
                seed: opts.seed + k,
                ..pcfg.clone()
            };
            parser::train(&jk, &dev_tagged, &cfg)
        })
        .collect();
    let parser = Parser::mean(&parsers.iter().collect::<Vec<_>>())
        .ok_or_else(|| TrainError::Invalid("the seeds' parsers differ".into()))?
        .pruned(opts.prune);
    seconds.push(("parser", t0.elapsed().as_secs_f64()));
    let path = opts.out.join("parser.bin.zst");
    let bytes = parser.to_bytes().map_err(TrainError::data(&path))?;
    let files = vec![(path.clone(), write_file(&path, &bytes)?)];
    let lemmatizer = Lemmatizer::load(&opts.out.join("lemma.bin.zst"))
        .unwrap_or_else(|_| lemma::train(&tb.train));
    let models = SyntaxModels {
        tagger,
        lemmatizer,
        parser,
        neural: None,
    };
    Ok(SyntaxReport {
        dev: parser::evaluate(&tb.dev, &models),
        test: tb.test.as_deref().map(|t| parser::evaluate(t, &models)),
        parsed: true,
        files,
        seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trains_tagger_then_parser_on_a_toy_treebank() {
        let dir = std::env::temp_dir().join(format!("dossier-train-syntax-{}", std::process::id()));
        let data = dir.join("data");
        std::fs::create_dir_all(&data).expect("temp dir");
        for split in ["train", "dev"] {
            std::fs::write(
                data.join(format!("toy-ud-{split}.conllu")),
                crate::tagger::tests::TOY,
            )
            .expect("write toy");
        }
        let opts = SyntaxTrainOptions {
            data: data.clone(),
            out: dir.join("out"),
            tagger_epochs: 2,
            parser_epochs: 2,
            folds: 2,
            prune: 0.0,
            clusters: None,
            ..Default::default()
        };
        let tagged = train_tagger(&opts).expect("tagger trains");
        assert!(!tagged.parsed && tagged.test.is_none());
        assert_eq!(tagged.dev.words, 14);
        let parsed = train_parser(&opts).expect("parser trains");
        assert!(parsed.parsed);
        assert!(parsed.dev.uas > 0.0);
        let models = SyntaxModels::load_dir(&opts.out).expect("models load");
        assert_eq!(models.analyze(&["The", "dog", "runs", "."]).len(), 4);
        // A missing treebank is an error naming the folder.
        let missing = SyntaxTrainOptions {
            data: dir.join("nowhere"),
            ..opts
        };
        let err = train_tagger(&missing).expect_err("no data");
        assert!(err.to_string().contains("nowhere"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
