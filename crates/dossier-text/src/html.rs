//! HTML pages: the article body as text, with headings and paragraphs kept.
//!
//! (Being written.)

use crate::{Meta, ReadError, Span};

/// The article extracted from one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// Headings and paragraphs, one block per line, blocks separated by a blank line.
    pub text: String,
    /// Title, outlet, date, url read from `<head>` (meta tags, JSON-LD, `<title>`, `<h1>`).
    pub meta: Meta,
    /// Spans of `text` that the page's markup says are not article (figure captions, asides...).
    pub furniture: Vec<Span>,
}

/// Extracts the article of an HTML page.
pub fn extract(_html: &str) -> Result<HtmlArticle, ReadError> {
    Err(ReadError::Html("HTML reader not built yet".into()))
}
