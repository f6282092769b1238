//! Training the neural tagger and parser ([`crate::neural`]) on UD English EWT.

use super::syntax::read_treebank;
use super::{write_file, TrainError};
use crate::neural::train::{self, Scores, TrainConfig};
use crate::neural::{NeuralParser, Vectors};
use crate::parser::NEURAL_FILE;
use std::path::PathBuf;
use std::time::Instant;

/// Options of [`train_neural`].
#[derive(Debug, Clone)]
pub struct NeuralTrainOptions {
    /// A folder holding `*train.conllu`, `*dev.conllu` and optionally `*test.conllu`,
    /// directly or in a `ud-english-ewt/` subfolder.
    pub data: PathBuf,
    /// Where `neural.bin.zst` is written.
    pub out: PathBuf,
    /// The fixed word vectors (`DVEC` file of `scripts/make_vectors.py`, zstd-compressed).
    pub vectors: PathBuf,
    /// The clusters file whose last column maps words to vector rows.
    pub clusters: PathBuf,
    /// Network and training settings.
    pub config: TrainConfig,
}

impl Default for NeuralTrainOptions {
    fn default() -> Self {
        NeuralTrainOptions {
            data: PathBuf::from("../shared/data"),
            out: PathBuf::from("models"),
            vectors: PathBuf::from("models/nn-vectors.bin.zst"),
            clusters: PathBuf::from("models/ner-clusters.tsv.zst"),
            config: TrainConfig::default(),
        }
    }
}

/// What [`train_neural`] did.
#[derive(Debug, Clone)]
pub struct NeuralReport {
    /// Dev scores of the kept epoch (the model as trained, f32).
    pub dev: Scores,
    /// Dev and test scores of the written model, decoded as at run time (int8 where the
    /// processor has AVX-512 VNNI).
    pub dev_written: Scores,
    /// Test scores of the written model.
    pub test: Option<Scores>,
    /// The file written and its size.
    pub file: (PathBuf, u64),
    /// Training seconds.
    pub seconds: f64,
}

/// Trains on the treebank's train split (the best dev LAS epoch is kept), writes
/// `out/neural.bin.zst`, and scores the written model on dev and test.
pub fn train_neural(opts: &NeuralTrainOptions) -> Result<NeuralReport, TrainError> {
    let tb = read_treebank(&opts.data)?;
    let dvec = zstd::decode_all(&std::fs::read(&opts.vectors).map_err(TrainError::io(&opts.vectors))?[..])
        .map_err(TrainError::io(&opts.vectors))?;
    let tsv = super::read_zst_text(&opts.clusters)?;
    let vectors = Vectors::from_parts(&dvec, &tsv).map_err(|e| TrainError::Data { path: opts.vectors.clone(), message: e.0 })?;
    let start = Instant::now();
    let (model, dev) = train::train(&tb.train, &tb.dev, vectors, &opts.config);
    let seconds = start.elapsed().as_secs_f64();
    let path = opts.out.join(NEURAL_FILE);
    let bytes = model.to_bytes().map_err(TrainError::data(&path))?;
    let size = write_file(&path, &bytes)?;
    let written = NeuralParser::from_bytes(&bytes).map_err(TrainError::data(&path))?;
    Ok(NeuralReport {
        dev,
        dev_written: train::evaluate(&written, &tb.dev),
        test: tb.test.as_deref().map(|t| train::evaluate(&written, t)),
        file: (path, size),
        seconds,
    })
}
