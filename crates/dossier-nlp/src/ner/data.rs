//! NER corpora (CoNLL-2003, UNER IOB2) and conlleval-style scoring.

use super::CoarseType;

/// A span of words `[start, end)` with a coarse type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TypedSpan {
    /// First word.
    pub start: usize,
    /// One past the last word.
    pub end: usize,
    /// CoNLL type.
    pub kind: CoarseType,
}

/// One sentence: words and gold entity spans.
#[derive(Clone, Debug, Default)]
pub struct NerSentence {
    /// The words.
    pub words: Vec<String>,
    /// Gold entities, ordered, not overlapping.
    pub spans: Vec<TypedSpan>,
}

/// One document (a CoNLL `-DOCSTART-` block, a UNER `# newdoc`).
#[derive(Clone, Debug, Default)]
pub struct NerDocument {
    /// The sentences, in order.
    pub sentences: Vec<NerSentence>,
}

/// A line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NerDataError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for NerDataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
impl std::error::Error for NerDataError {}

fn parse_tag(tag: &str, line: usize) -> Result<Option<(char, CoarseType)>, NerDataError> {
    if tag == "O" {
        return Ok(None);
    }
    let err = || NerDataError { line, message: format!("bad NER tag {tag:?}") };
    let (bio, ty) = tag.split_once('-').ok_or_else(err)?;
    let kind = CoarseType::from_conll(ty).ok_or_else(err)?;
    match bio {
        "B" | "I" | "E" | "S" => Ok(Some((bio.chars().next().unwrap_or('I'), kind))),
        _ => Err(err()),
    }
}

/// Chunks from IOB1/IOB2 tags with conlleval's rules: a chunk starts at `B-X`, or at
/// `I-X` after `O` or after a different type; it ends before `O`, `B-` or a type change.
pub fn chunks(tags: &[Option<(char, CoarseType)>]) -> Vec<TypedSpan> {
    let mut out = Vec::new();
    let mut open: Option<(usize, CoarseType)> = None;
    for (i, t) in tags.iter().enumerate() {
        match *t {
            None => {
                if let Some((s, k)) = open.take() {
                    out.push(TypedSpan { start: s, end: i, kind: k });
                }
            }
            Some((bio, k)) => {
                let continues = matches!(open, Some((_, ok)) if ok == k) && (bio == 'I' || bio == 'E');
                if !continues {
                    if let Some((s, ok)) = open.take() {
                        out.push(TypedSpan { start: s, end: i, kind: ok });
                    }
                    open = Some((i, k));
                }
                if bio == 'E' || bio == 'S' {
                    if let Some((s, ok)) = open.take() {
                        out.push(TypedSpan { start: s, end: i + 1, kind: ok });
                    }
                }
            }
        }
    }
    if let Some((s, k)) = open {
        out.push(TypedSpan { start: s, end: tags.len(), kind: k });
    }
    out
}

struct Builder {
    docs: Vec<NerDocument>,
    words: Vec<String>,
    tags: Vec<Option<(char, CoarseType)>>,
}

impl Builder {
    fn end_sentence(&mut self) {
        if self.words.is_empty() {
            return;
        }
        let spans = chunks(&self.tags);
        self.tags.clear();
        if self.docs.is_empty() {
            self.docs.push(NerDocument::default());
        }
        let words = std::mem::take(&mut self.words);
        if let Some(d) = self.docs.last_mut() {
            d.sentences.push(NerSentence { words, spans });
        }
    }
    fn new_doc(&mut self) {
        self.end_sentence();
        if self.docs.last().is_none_or(|d| !d.sentences.is_empty()) {
            self.docs.push(NerDocument::default());
        }
    }
}

/// Reads CoNLL-2003 (`word POS chunk NER` per line, space separated, IOB1,
/// `-DOCSTART-` lines between documents).
pub fn read_conll2003(text: &str) -> Result<Vec<NerDocument>, NerDataError> {
    let mut b = Builder { docs: Vec::new(), words: Vec::new(), tags: Vec::new() };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            b.new_doc();
            continue;
        }
        if line.is_empty() {
            b.end_sentence();
            continue;
        }
        let cols: Vec<&str> = line.split(' ').collect();
        let (Some(w), Some(tag)) = (cols.first(), cols.last()) else { continue };
        if cols.len() < 2 {
            return Err(NerDataError { line: n + 1, message: "expected at least 2 columns".into() });
        }
        b.words.push((*w).to_string());
        b.tags.push(parse_tag(tag, n + 1)?);
    }
    b.end_sentence();
    b.docs.retain(|d| !d.sentences.is_empty());
    Ok(b.docs)
}

/// Reads UNER IOB2 files (`idx<TAB>word<TAB>tag<TAB>...`, `# newdoc` comments start
/// documents). The tag `OTH` (if any) is read as `O`.
pub fn read_iob2(text: &str) -> Result<Vec<NerDocument>, NerDataError> {
    let mut b = Builder { docs: Vec::new(), words: Vec::new(), tags: Vec::new() };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.starts_with("# newdoc") {
            b.new_doc();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            b.end_sentence();
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(NerDataError { line: n + 1, message: "expected at least 3 tab-separated columns".into() });
        }
        b.words.push(cols[1].to_string());
        let tag = if cols[2].ends_with("OTH") { "O" } else { cols[2] };
        b.tags.push(parse_tag(tag, n + 1)?);
    }
    b.end_sentence();
    b.docs.retain(|d| !d.sentences.is_empty());
    Ok(b.docs)
}

/// Precision, recall, F1 and counts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    /// Correct / predicted.
    pub precision: f64,
    /// Correct / gold.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
    /// Gold spans.
    pub n_gold: usize,
    /// Predicted spans.
    pub n_pred: usize,
    /// Exactly right spans (bounds and type).
    pub n_correct: usize,
}

impl Prf {
    /// Computes the ratios from counts.
    pub fn from_counts(n_gold: usize, n_pred: usize, n_correct: usize) -> Prf {
        let p = if n_pred == 0 { 0.0 } else { n_correct as f64 / n_pred as f64 };
        let r = if n_gold == 0 { 0.0 } else { n_correct as f64 / n_gold as f64 };
        let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        Prf { precision: p, recall: r, f1: f, n_gold, n_pred, n_correct }
    }
}

/// Exact-span scores, overall and per CoNLL type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NerScores {
    /// All types together.
    pub overall: Prf,
    /// Per type, in [`CoarseType::ALL`] order (types not scored have zero counts).
    pub per_type: Vec<(CoarseType, Prf)>,
}

/// Scores predicted spans against gold spans, sentence by sentence; only types in
/// `types` are counted.
pub fn score_spans(gold: &[Vec<TypedSpan>], pred: &[Vec<TypedSpan>], types: &[CoarseType]) -> NerScores {
    let mut counts = [[0usize; 3]; 4];
    for (g, p) in gold.iter().zip(pred) {
        for s in g.iter().filter(|s| types.contains(&s.kind)) {
            counts[s.kind as usize][0] += 1;
        }
        for s in p.iter().filter(|s| types.contains(&s.kind)) {
            counts[s.kind as usize][1] += 1;
            if g.contains(s) {
                counts[s.kind as usize][2] += 1;
            }
        }
    }
    let tot = counts.iter().fold([0; 3], |a, c| [a[0] + c[0], a[1] + c[1], a[2] + c[2]]);
    NerScores {
        overall: Prf::from_counts(tot[0], tot[1], tot[2]),
        per_type: CoarseType::ALL.iter().map(|&k| (k, Prf::from_counts(counts[k as usize][0], counts[k as usize][1], counts[k as usize][2]))).collect(),
    }
}
