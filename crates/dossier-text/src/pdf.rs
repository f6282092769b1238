//! PDF: the text layer, as paragraphs.
//!
//! (Being written.)

use crate::ReadError;

/// Extracts the text layer of a PDF: paragraphs separated by a blank line, lines
/// of one paragraph joined by a space.
pub fn extract(_bytes: &[u8]) -> Result<String, ReadError> {
    Err(ReadError::Pdf("PDF reader not built yet".into()))
}
