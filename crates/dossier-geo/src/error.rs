//! The crate's one error type.

use std::path::PathBuf;

/// Why a gazetteer could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not a zstd stream of UTF-8 text.
    #[error("cannot decompress the {file} table: {reason}")]
    Decompress {
        /// Which table ("places", "countries").
        file: &'static str,
        /// The cause.
        reason: String,
    },
    /// A row does not have the expected fields.
    #[error("{file} table, line {line}: {reason}")]
    Row {
        /// Which table ("places", "countries").
        file: &'static str,
        /// 1-based line number, the header being line 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}
