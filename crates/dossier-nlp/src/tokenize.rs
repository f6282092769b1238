//! Tokenizer (placeholder: whitespace and punctuation; being replaced by the EWT-style one).

/// One token: a byte range `[start, end)` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Splits `text[range]` into tokens; offsets are into `text`.
pub fn tokenize(text: &str, range: std::ops::Range<usize>) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[range.clone()].char_indices() {
        let i = i + range.start;
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else {
            if let Some(s) = start.take() {
                out.push(Token { start: s, end: i });
            }
            if !c.is_whitespace() {
                out.push(Token { start: i, end: i + c.len_utf8() });
            }
        }
    }
    if let Some(s) = start {
        out.push(Token { start: s, end: range.end });
    }
    out
}
