//! Dispatch from bytes to a [`Document`], and the steps every reader shares.

use crate::{furniture, html, lang, meta, pdf, span::normalize, Document, Format, Meta, ReadError, Span};

/// Limits that keep one bad input from taking the machine down.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Largest document (or JSONL line) read, in bytes.
    pub max_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits { max_bytes: 64 * 1024 * 1024 }
    }
}

/// Guesses a file's format from its name, then from its first bytes.
pub fn sniff_format(name: &str, head: &[u8]) -> Format {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if let Some(f) = ext.as_deref().and_then(|e| match e {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "pdf" => Some(Format::Pdf),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        _ => None,
    }) {
        return f;
    }
    if head.starts_with(b"%PDF-") {
        return Format::Pdf;
    }
    let start = String::from_utf8_lossy(&head[..head.len().min(512)]).trim_start().to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<?xml") && start.contains("<html") {
        Format::Html
    } else if start.starts_with('{') {
        Format::Jsonl
    } else {
        Format::Text
    }
}

/// Reads one whole document. For [`Format::Jsonl`], whose lines are documents of
/// their own, use [`crate::jsonl::parse_line`] per line instead (this returns an error).
pub fn read_document(bytes: &[u8], format: Format, limits: ReadLimits) -> Result<Document, ReadError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit: limits.max_bytes });
    }
    match format {
        Format::Pdf => {
            let text = pdf::extract(bytes)?;
            finish(text, format, Meta::default(), Vec::new())
        }
        Format::Html => {
            let text = decode(bytes)?;
            let article = html::extract(&text)?;
            finish(article.text, format, article.meta, article.furniture)
        }
        Format::Text | Format::Markdown => finish(decode(bytes)?, format, Meta::default(), Vec::new()),
        Format::Jsonl => Err(ReadError::Jsonl { line: 0, message: "JSONL is read line by line".into() }),
    }
}

/// Bytes to text: refuses binary data and invalid UTF-8, with the place of the fault.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ReadError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ReadError::InvalidUtf8 { line, offset })
        }
    }
}

/// Line endings as Python's text mode reads them: "\r\n" and "\r" become "\n", so
/// that our character offsets agree with tools that open the file as text.
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The steps every reader shares: newline normalisation, furniture (the reader's
/// own plus the general line rules), metadata from the text, language.
pub(crate) fn finish(text: String, format: Format, hint: Meta, reader_furniture: Vec<Span>) -> Result<Document, ReadError> {
    // Readers that build their own text (HTML, PDF) emit "\n" already, so their
    // spans survive this step unchanged.
    let had_cr = text.contains('\r');
    let text = normalize_newlines(text);
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if let Some(offset) = text.find('\0') {
        return Err(ReadError::Binary { offset });
    }
    let reader_furniture = if had_cr { Vec::new() } else { reader_furniture };
    let mut spans = reader_furniture;
    spans.extend(furniture::detect(&text));
    let furniture = normalize(spans.into_iter().filter(|s| s.slice(&text).is_some()).collect());
    let from_text = meta::from_text(&text, &furniture);
    let mut meta = hint.or(from_text);
    if meta.lang.is_none() {
        let content: String = crate::span::complement(&furniture, text.len())
            .iter()
            .filter_map(|s| s.slice(&text))
            .take(64)
            .collect::<Vec<_>>()
            .join("\n");
        meta.lang = lang::detect(&content);
    }
    Ok(Document { text, format, meta, furniture })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        assert_eq!(sniff_format("a.TXT", b""), Format::Text);
        assert_eq!(sniff_format("a", b"%PDF-1.4"), Format::Pdf);
        assert_eq!(sniff_format("a", b"  <!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff_format("a", b"{\"text\":1}"), Format::Jsonl);
        assert_eq!(sniff_format("a.md", b"{"), Format::Markdown);
    }

    #[test]
    fn bad_bytes_are_errors() {
        let l = ReadLimits::default();
        assert_eq!(read_document(b"", Format::Text, l), Err(ReadError::Empty));
        assert_eq!(read_document(b" \n\t\n", Format::Text, l), Err(ReadError::Empty));
        assert_eq!(read_document(b"ab\0cd", Format::Text, l), Err(ReadError::Binary { offset: 2 }));
        assert_eq!(read_document(b"line\nline\n\xff\xfe", Format::Text, l), Err(ReadError::InvalidUtf8 { line: 3, offset: 10 }));
        assert!(matches!(read_document(b"abc", Format::Text, ReadLimits { max_bytes: 2 }), Err(ReadError::TooLarge { .. })));
    }

    #[test]
    fn crlf_becomes_lf() {
        let d = read_document(b"Title\r\n\r\nBody here.\r\n", Format::Text, ReadLimits::default()).unwrap();
        assert_eq!(d.text, "Title\n\nBody here.\n");
    }
}
