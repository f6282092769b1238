//! Documents in: the first stage of dossier's pipeline.
//!
//! This crate turns the bytes of one input (a plain-text or Markdown file, an HTML
//! page, a PDF, or one line of a crawler's JSONL) into a [`Document`]: the text we
//! keep, its [`Meta`]data (title, outlet, publication date, language) and the spans
//! of page furniture ("Related Articles", "Back to top", photo credits...).
//!
//! The key design decision: **the text a reader produces is the document's original
//! text, and nothing downstream edits it.** Furniture is not cut out but flagged by
//! [`Span`], so every offset any later stage reports points into the stored text.
//! Spans are byte ranges internally; character offsets are made only at the edges
//! (store, export) with [`CharIndex`].
//!
//! The crate does no file-system IO: callers hand it bytes. It never panics on
//! input data; a reader either returns a document or a [`ReadError`].
#![deny(missing_docs)]

pub mod date;
pub mod furniture;
pub mod html;
pub mod jsonl;
pub mod lang;
pub mod meta;
pub mod pdf;
mod read;
mod span;

pub use date::PartialDate;
pub use read::{read_document, sniff_format, ReadLimits};
pub use span::{CharIndex, Span};

/// The formats dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain UTF-8 text.
    Text,
    /// Markdown, kept as written (the markup stays in the text).
    Markdown,
    /// An HTML page; the article body is extracted.
    Html,
    /// A PDF; its text layer is extracted.
    Pdf,
    /// One JSON object per line, each a document (`{"text": ..., "title"?, ...}`).
    Jsonl,
}

impl Format {
    /// Short lowercase name, as stored and printed.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Jsonl => "jsonl",
        }
    }

    /// Parses [`Format::name`] back.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "text" | "txt" => Format::Text,
            "markdown" | "md" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "pdf" => Format::Pdf,
            "jsonl" | "ndjson" => Format::Jsonl,
            _ => return None,
        })
    }
}

/// What a document says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Headline: HTML title/h1, a JSONL `title`, or the first line of text.
    pub title: Option<String>,
    /// Publisher: HTML meta, a dateline's agency, a copyright line, a JSONL `outlet`.
    pub outlet: Option<String>,
    /// Publication date, as precise as the document says and no more.
    pub published: Option<PartialDate>,
    /// Where the document was published, if known.
    pub url: Option<String>,
    /// ISO 639-1 code ("en") or 639-3 where there is no 639-1 code; `None` if unsure.
    pub lang: Option<String>,
}

impl Meta {
    /// Fills every field of `self` that is empty from `other`.
    pub fn or(mut self, other: Meta) -> Meta {
        self.title = self.title.or(other.title);
        self.outlet = self.outlet.or(other.outlet);
        self.published = self.published.or(other.published);
        self.url = self.url.or(other.url);
        self.lang = self.lang.or(other.lang);
        self
    }
}

/// One document, ready for the NLP stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The text every span points into. Never edited after reading.
    pub text: String,
    /// The format it was read from.
    pub format: Format,
    /// Metadata read from the document itself.
    pub meta: Meta,
    /// Spans of page furniture, sorted, non-overlapping, on line boundaries.
    pub furniture: Vec<Span>,
}

impl Document {
    /// Whether the later (English-only) stages should read this document.
    pub fn is_english(&self) -> bool {
        self.meta.lang.as_deref() == Some("en")
    }

    /// The spans of `text` that are not furniture, in order.
    pub fn content_spans(&self) -> Vec<Span> {
        span::complement(&self.furniture, self.text.len())
    }
}

/// Why a document could not be read. Positions are 1-based lines where known.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// The input holds no text at all (empty or only whitespace).
    #[error("empty document")]
    Empty,
    /// The bytes look like a binary file, not a document.
    #[error("binary file (NUL byte at offset {offset}); not a text, HTML, PDF or JSONL document")]
    Binary {
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at line {line}, byte offset {offset}")]
    InvalidUtf8 {
        /// 1-based line of the bad byte.
        line: usize,
        /// Byte offset of the bad byte.
        offset: usize,
    },
    /// The input is larger than the configured limit.
    #[error("document is {size} bytes, over the {limit}-byte limit (raise it with --max-bytes)")]
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A JSONL line is not a JSON object with a string `text`. (The line number is
    /// not in the message: callers print it with the path, as `path:line: message`.)
    #[error("{message}")]
    Jsonl {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The HTML could not be turned into text.
    #[error("HTML: {0}")]
    Html(String),
    /// The file could not be read.
    #[error("{0}")]
    Io(String),
    /// The PDF could not be read (broken, truncated, encrypted, or no text layer).
    #[error("PDF: {0}")]
    Pdf(String),
}
