//! Sentence splitter (placeholder: newline and ". X" breaks; being replaced).

/// Splits `text[range]` into sentences, returned as byte ranges into `text`,
/// trimmed of surrounding whitespace, in order, never empty.
pub fn split_sentences(text: &str, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = range.start;
    let mut i = range.start;
    let push = |s: usize, e: usize, out: &mut Vec<std::ops::Range<usize>>| {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if s + lead < e - trail {
            out.push(s + lead..e - trail);
        }
    };
    while i < range.end {
        let b = bytes[i];
        if b == b'\n' {
            push(start, i, &mut out);
            start = i + 1;
        } else if matches!(b, b'.' | b'!' | b'?') && i + 2 < range.end && bytes[i + 1] == b' ' && bytes[i + 2].is_ascii_uppercase() {
            push(start, i + 1, &mut out);
            start = i + 1;
        }
        i += 1;
    }
    push(start, range.end, &mut out);
    out
}
