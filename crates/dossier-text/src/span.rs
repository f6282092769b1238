//! Byte spans into a document's text, and conversion to character offsets.

/// A byte range `[start, end)` into a document's original text.
///
/// Invariant: `start <= end`, checked on construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// Makes a span. Panics if `start > end`: that is a bug in the caller, not bad input.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "Span::new({start}, {end}): start > end");
        Span { start, end }
    }
    /// First byte.
    pub fn start(self) -> usize {
        self.start
    }
    /// One past the last byte.
    pub fn end(self) -> usize {
        self.end
    }
    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }
    /// Whether the span is empty.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// Whether `self` and `other` share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// Whether `other` lies inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The text under the span; `None` if out of range or not on char boundaries.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.start..self.end)
    }
}

/// Sorts and merges overlapping or touching spans.
pub fn normalize(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        if s.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The parts of `[0, len)` not covered by `spans` (sorted, non-overlapping).
pub fn complement(spans: &[Span], len: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    for s in spans {
        if s.start > pos {
            out.push(Span::new(pos, s.start));
        }
        pos = pos.max(s.end);
    }
    if pos < len {
        out.push(Span::new(pos, len));
    }
    out
}

/// Converts byte offsets of one text to character (Unicode scalar) offsets, as
/// Python indexes a string. Build once per text; each lookup is a binary search.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of every non-ASCII char; chars before a byte offset are the
    /// offset minus the extra bytes of the multibyte chars before it.
    multibyte: Vec<(usize, usize)>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> CharIndex {
        let mut multibyte = Vec::new();
        let mut extra = 0;
        for (i, c) in text.char_indices() {
            let n = c.len_utf8();
            if n > 1 {
                extra += n - 1;
                multibyte.push((i, extra));
            }
        }
        CharIndex { multibyte }
    }

    /// Character offset of byte offset `byte` (which must be a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        // Number of multibyte chars starting strictly before `byte`.
        let k = self.multibyte.partition_point(|&(b, _)| b < byte);
        let extra = if k == 0 { 0 } else { self.multibyte[k - 1].1 };
        byte - extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_python_indexing() {
        let text = "a’b — Nicolás 🙂 x";
        let idx = CharIndex::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_offset(bi), ci);
        }
        assert_eq!(idx.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn normalize_and_complement() {
        let s = normalize(vec![Span::new(5, 8), Span::new(0, 2), Span::new(7, 9), Span::new(3, 3)]);
        assert_eq!(s, vec![Span::new(0, 2), Span::new(5, 9)]);
        assert_eq!(complement(&s, 12), vec![Span::new(2, 5), Span::new(9, 12)]);
        assert_eq!(complement(&[], 0), vec![]);
    }
}
