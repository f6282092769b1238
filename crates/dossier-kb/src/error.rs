//! The one error type of the crate.

use std::fmt;

/// Why a watchlist, or one record of it, could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// The file could not be opened or read.
    #[error("{file}: {source}")]
    Io {
        /// The file, as given.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// One record (row, line, XML element) is malformed; the reader skipped it, or
    /// kept what it could, and goes on.
    #[error("{file}:{}: {message}", Where(*line, record.as_deref()))]
    Invalid {
        /// The file, as given.
        file: String,
        /// 1-based line where the record starts (for XML: where the problem was
        /// noticed), where known.
        line: Option<u64>,
        /// The record's id, or its ordinal (`record 12`), where known.
        record: Option<String>,
        /// What is wrong, in words.
        message: String,
    },
}

impl KbError {
    pub(crate) fn invalid(
        file: &str,
        line: Option<u64>,
        record: Option<String>,
        message: impl Into<String>,
    ) -> KbError {
        KbError::Invalid {
            file: file.to_string(),
            line,
            record,
            message: message.into(),
        }
    }

    /// The line the error points at, where known.
    pub fn line(&self) -> Option<u64> {
        match self {
            KbError::Invalid { line, .. } => *line,
            KbError::Io { .. } => None,
        }
    }
}

struct Where<'a>(Option<u64>, Option<&'a str>);

impl fmt::Display for Where<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(line), Some(rec)) => write!(f, "line {line} ({rec})"),
            (Some(line), None) => write!(f, "line {line}"),
            (None, Some(rec)) => write!(f, "{rec}"),
            (None, None) => write!(f, "?"),
        }
    }
}
