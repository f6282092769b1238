//! Training orchestration: read the corpora from a data folder, train, score,
//! write the model files, and return a report. `dossier nlp train` and the
//! examples are thin wrappers over these functions.
//!
//! - [`syntax::train_tagger`]: tagger and lemmatizer on UD English EWT.
//! - [`syntax::train_parser`]: the parser on EWT with jackknifed tags.
//! - [`ner::train_ner`]: the named-entity recogniser on CoNLL-2003 (+ UNER EWT).
//! - [`neural::train_neural`]: the neural tagger and parser on EWT.
//!
//! Dev sets choose (epochs); test sets are scored for the report only.

pub mod ner;
pub mod neural;
pub mod syntax;

use std::path::{Path, PathBuf};

/// An error while training: a file that cannot be read or written, or bad data.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A corpus or model file is malformed.
    #[error("{}: {message}", path.display())]
    Data {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The training data holds nothing to learn from, or an option is invalid.
    #[error("{0}")]
    Invalid(String),
}

impl TrainError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TrainError + '_ {
        move |source| TrainError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    fn data<E: std::fmt::Display>(path: &Path) -> impl FnOnce(E) -> TrainError + '_ {
        move |e| TrainError::Data {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}

/// Reads a whole text file.
fn read_text(path: &Path) -> Result<String, TrainError> {
    std::fs::read_to_string(path).map_err(TrainError::io(path))
}

/// Reads a zstd-compressed text file.
fn read_zst_text(path: &Path) -> Result<String, TrainError> {
    let bytes = std::fs::read(path).map_err(TrainError::io(path))?;
    let raw = zstd::decode_all(&bytes[..]).map_err(TrainError::io(path))?;
    String::from_utf8(raw).map_err(TrainError::data(path))
}

/// Writes `bytes` to `path`, creating its folder; returns the size.
fn write_file(path: &Path, bytes: &[u8]) -> Result<u64, TrainError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(TrainError::io(dir))?;
    }
    std::fs::write(path, bytes).map_err(TrainError::io(path))?;
    Ok(bytes.len() as u64)
}
