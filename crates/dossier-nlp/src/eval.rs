//! Evaluation of the tokenizer and sentence splitter against a CoNLL-U
//! treebank, scored the way the CoNLL 2018 shared task scorer
//! (`conll18_ud_eval.py`) does.
//!
//! The raw text is rebuilt like UD's `conllu_to_text.pl`: token forms joined
//! by a space unless `SpaceAfter=No`, sentences of a paragraph one after the
//! other, a blank line before each `# newpar` / `# newdoc` (and before a
//! token marked `NewPar=Yes`). With [`RawStyle::Wrapped80`] lines are also
//! broken at the last space before column 80, exactly as the script does (the
//! raw input of the shared task); [`RawStyle::Paragraphs`] leaves each
//! paragraph on one line, which is how our news texts arrive.
//!
//! Scoring: spans are counted in characters of the text with white space
//! removed. *Tokens* are surface tokens (an EWT multiword token such as
//! "don't" is one token), *Words* are syntactic words aligned as the scorer
//! aligns them (by span outside multiword tokens, by a longest common
//! subsequence of lower-cased forms inside them), *Sentences* are the spans
//! from a sentence's first to its last token. F1 = 2 * correct / (gold + system).

use crate::sentences::sentence_token_ranges;
use crate::tokenize::{tokenize, Token};
use std::ops::Range;

/// How the raw text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawStyle {
    /// One line per paragraph, a blank line between paragraphs.
    Paragraphs,
    /// Like `conllu_to_text.pl`: also wrapped at 80 characters.
    Wrapped80,
}

/// A gold syntactic word.
#[derive(Debug, Clone)]
pub struct GoldWord {
    /// Byte span in the raw text: its surface token's span.
    pub span: Range<usize>,
    /// The word form.
    pub form: String,
    /// Part of a multiword token.
    pub multiword: bool,
}

/// A treebank turned into raw text plus gold segmentation (byte offsets into `text`).
#[derive(Debug, Clone, Default)]
pub struct Gold {
    /// The rebuilt raw text.
    pub text: String,
    /// Surface tokens.
    pub tokens: Vec<Range<usize>>,
    /// Syntactic words.
    pub words: Vec<GoldWord>,
    /// Sentences, first token start to last token end.
    pub sentences: Vec<Range<usize>>,
}

/// Precision, recall and F1 of one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    /// Units in the gold data.
    pub gold: usize,
    /// Units produced.
    pub system: usize,
    /// Units matched.
    pub correct: usize,
}

impl Prf {
    /// correct / system.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.system)
    }
    /// correct / gold.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    /// 2 * correct / (gold + system).
    pub fn f1(&self) -> f64 {
        ratio(2 * self.correct, self.gold + self.system)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The three scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Surface tokens.
    pub tokens: Prf,
    /// Syntactic words.
    pub words: Prf,
    /// Sentences.
    pub sentences: Prf,
}

struct SurfaceTok {
    form: String,
    space_after: bool,
    new_par: bool,
    words: Vec<String>,
}

/// Rebuilds the raw text of a CoNLL-U file and the gold spans.
pub fn gold_from_conllu(conllu: &str, style: RawStyle) -> Gold {
    let mut g = Gold::default();
    let mut wrapper = Wrapper::default();
    let mut started = false;
    let mut newpar = false;
    let mut sent: Vec<SurfaceTok> = Vec::new();
    let mut mwt_last = 0usize;
    for line in conllu.lines().chain(std::iter::once("")) {
        let line = line.trim_end_matches('\r');
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim_start();
            if c.starts_with("newpar") || c.starts_with("newdoc") {
                newpar = true;
            }
            continue;
        }
        if line.trim().is_empty() {
            if sent.is_empty() {
                continue;
            }
            // Emit the sentence.
            let mut first = None;
            let mut last = 0;
            for (k, t) in sent.drain(..).enumerate() {
                if started && (t.new_par || (k == 0 && newpar)) {
                    wrapper.wrap(&mut g.text, style, false);
                    wrapper.flush(&mut g.text, style);
                    g.text.push('\n');
                    g.text.push('\n');
                }
                started = true;
                let s = g.text.len();
                g.text.push_str(&t.form);
                let e = g.text.len();
                wrapper.add(s, e, &g.text, !t.space_after, style);
                if t.space_after {
                    g.text.push(' ');
                }
                g.tokens.push(s..e);
                let multi = t.words.len() > 1;
                for w in t.words {
                    g.words.push(GoldWord { span: s..e, form: w, multiword: multi });
                }
                first.get_or_insert(s);
                last = e;
            }
            newpar = false;
            if let Some(f) = first {
                g.sentences.push(f..last);
            }
            wrapper.wrap(&mut g.text, style, false);
            mwt_last = 0;
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 10 {
            continue;
        }
        let id = cols[0];
        let misc = cols[9];
        let space_after = !misc.split('|').any(|m| m == "SpaceAfter=No");
        let new_par = misc.split('|').any(|m| m == "NewPar=Yes");
        if let Some((a, b)) = id.split_once('-') {
            let (_, b): (usize, usize) = (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
            mwt_last = b;
            sent.push(SurfaceTok { form: cols[1].to_string(), space_after, new_par, words: Vec::new() });
        } else if id.contains('.') {
            continue;
        } else {
            let i: usize = id.parse().unwrap_or(0);
            if i <= mwt_last {
                if let Some(t) = sent.last_mut() {
                    t.words.push(cols[1].to_string());
                }
            } else {
                sent.push(SurfaceTok { form: cols[1].to_string(), space_after, new_par, words: vec![cols[1].to_string()] });
            }
        }
    }
    wrapper.flush(&mut g.text, style);
    g
}

/// Replays `conllu_to_text.pl`'s line wrapping: the buffer holds the current
/// paragraph's unprinted characters; a space in it may become a newline.
#[derive(Default)]
struct Wrapper {
    /// Byte offsets (into the text) of the buffer's chars, and whether each is white space.
    buf: Vec<(usize, bool)>,
    nobreak: bool,
}

impl Wrapper {
    fn add(&mut self, s: usize, e: usize, text: &str, nobreak: bool, style: RawStyle) {
        if style != RawStyle::Wrapped80 {
            return;
        }
        for (k, c) in text[s..e].char_indices() {
            self.buf.push((s + k, c.is_whitespace()));
        }
        if !nobreak {
            self.buf.push((e, true)); // the space pushed right after
        }
        self.nobreak = nobreak;
    }

    fn wrap(&mut self, text: &mut String, style: RawStyle, _final: bool) {
        if style != RawStyle::Wrapped80 {
            return;
        }
        let limit = 80;
        while self.buf.len() >= limit {
            let mut last_space = None;
            for (i, &(_, ws)) in self.buf.iter().enumerate() {
                if i > limit && last_space.is_some() {
                    break;
                }
                if ws {
                    last_space = Some(i);
                }
            }
            match last_space {
                Some(i) if i > 0 => {
                    let off = self.buf[i].0;
                    // Same byte length: a space becomes a newline.
                    if off < text.len() && text.as_bytes()[off] == b' ' {
                        text.replace_range(off..off + 1, "\n");
                    }
                    self.buf.drain(..=i);
                }
                _ => {
                    if self.nobreak {
                        break;
                    }
                    self.buf.clear();
                }
            }
        }
    }

    fn flush(&mut self, _text: &mut String, _style: RawStyle) {
        self.buf.clear();
    }
}

/// Maps byte offsets of `text` to counts of non-white-space chars before them.
struct NonSpaceIndex(Vec<u32>);

impl NonSpaceIndex {
    fn new(text: &str) -> Self {
        let mut v = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (i, c) in text.char_indices() {
            for slot in &mut v[i..i + c.len_utf8()] {
                *slot = n;
            }
            if !c.is_whitespace() {
                n += 1;
            }
        }
        v[text.len()] = n;
        NonSpaceIndex(v)
    }
    fn span(&self, r: &Range<usize>) -> (u32, u32) {
        (self.0[r.start], self.0[r.end])
    }
}

fn match_spans(gold: &[(u32, u32)], system: &[(u32, u32)]) -> Prf {
    let (mut gi, mut si, mut correct) = (0, 0, 0);
    while gi < gold.len() && si < system.len() {
        let (g, s) = (gold[gi], system[si]);
        if g == s {
            correct += 1;
            gi += 1;
            si += 1;
        } else if g.0 < s.0 || (g.0 == s.0 && g.1 < s.1) {
            gi += 1;
        } else {
            si += 1;
        }
    }
    Prf { gold: gold.len(), system: system.len(), correct }
}

#[derive(Debug, Clone)]
struct ScoredWord {
    span: (u32, u32),
    form: String,
    multiword: bool,
}

/// Runs the tokenizer and splitter on `gold.text` and scores them.
pub fn score(gold: &Gold) -> Scores {
    let text = &gold.text;
    let idx = NonSpaceIndex::new(text);
    let tokens = tokenize(text, 0..text.len());
    let sents = sentence_token_ranges(text, &tokens);
    score_with(gold, &idx, &tokens, &sents)
}

fn score_with(gold: &Gold, idx: &NonSpaceIndex, tokens: &[Token], sents: &[Range<usize>]) -> Scores {
    let text = &gold.text;
    let surface = crate::tokenize::surface_tokens(tokens);
    let g_tok: Vec<_> = gold.tokens.iter().map(|r| idx.span(r)).collect();
    let s_tok: Vec<_> = surface.iter().map(|r| idx.span(r)).collect();
    let g_sent: Vec<_> = gold.sentences.iter().map(|r| idx.span(r)).collect();
    let s_sent: Vec<_> = sents.iter().map(|r| idx.span(&(tokens[r.start].start..tokens[r.end - 1].end))).collect();

    let g_words: Vec<ScoredWord> = gold
        .words
        .iter()
        .map(|w| ScoredWord { span: idx.span(&w.span), form: w.form.to_lowercase(), multiword: w.multiword })
        .collect();
    let mut s_words = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i + 1;
        while j < tokens.len() && tokens[j].fused {
            j += 1;
        }
        let span = idx.span(&(tokens[i].start..tokens[j - 1].end));
        for t in &tokens[i..j] {
            s_words.push(ScoredWord { span, form: t.text(text).to_lowercase(), multiword: j - i > 1 });
        }
        i = j;
    }
    let aligned = align_words(&g_words, &s_words);
    Scores {
        tokens: match_spans(&g_tok, &s_tok),
        words: Prf { gold: g_words.len(), system: s_words.len(), correct: aligned },
        sentences: match_spans(&g_sent, &s_sent),
    }
}

/// Number of aligned words, as in `conll18_ud_eval.py`'s `align_words`.
fn align_words(gold: &[ScoredWord], system: &[ScoredWord]) -> usize {
    let (mut gi, mut si, mut aligned) = (0, 0, 0);
    while gi < gold.len() && si < system.len() {
        if gold[gi].multiword || system[si].multiword {
            let (gs, ss, ge, se) = find_multiword_span(gold, system, gi, si);
            gi = ge;
            si = se;
            if se > ss && ge > gs {
                aligned += lcs_align(&gold[gs..ge], &system[ss..se]);
            }
        } else if gold[gi].span == system[si].span {
            aligned += 1;
            gi += 1;
            si += 1;
        } else if gold[gi].span.0 <= system[si].span.0 {
            gi += 1;
        } else {
            si += 1;
        }
    }
    aligned
}

fn beyond_end(words: &[ScoredWord], i: usize, end: u32) -> bool {
    if i >= words.len() {
        return true;
    }
    if words[i].multiword {
        words[i].span.0 >= end
    } else {
        words[i].span.1 > end
    }
}

fn extend_end(w: &ScoredWord, end: u32) -> u32 {
    if w.multiword && w.span.1 > end {
        w.span.1
    } else {
        end
    }
}

fn find_multiword_span(gold: &[ScoredWord], system: &[ScoredWord], mut gi: usize, mut si: usize) -> (usize, usize, usize, usize) {
    let mut end;
    if gold[gi].multiword {
        end = gold[gi].span.1;
        if !system[si].multiword && system[si].span.0 < gold[gi].span.0 {
            si += 1;
        }
    } else {
        end = system[si].span.1;
        if !gold[gi].multiword && gold[gi].span.0 < system[si].span.0 {
            gi += 1;
        }
    }
    let (gs, ss) = (gi, si);
    while !beyond_end(gold, gi, end) || !beyond_end(system, si, end) {
        if gi < gold.len() && (si >= system.len() || gold[gi].span.0 <= system[si].span.0) {
            end = extend_end(&gold[gi], end);
            gi += 1;
        } else {
            end = extend_end(&system[si], end);
            si += 1;
        }
    }
    (gs, ss, gi, si)
}

fn lcs_align(g: &[ScoredWord], s: &[ScoredWord]) -> usize {
    let (n, m) = (g.len(), s.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for a in (0..n).rev() {
        for b in (0..m).rev() {
            let mut v = if g[a].form == s[b].form { 1 + lcs[a + 1][b + 1] } else { 0 };
            v = v.max(lcs[a + 1][b]).max(lcs[a][b + 1]);
            lcs[a][b] = v;
        }
    }
    let (mut a, mut b, mut aligned) = (0, 0, 0);
    while a < n && b < m {
        if g[a].form == s[b].form {
            aligned += 1;
            a += 1;
            b += 1;
        } else if lcs[a][b] == lcs[a + 1][b] {
            a += 1;
        } else {
            b += 1;
        }
    }
    aligned
}

/// Rebuilds the raw text of `conllu`, runs the tokenizer and splitter, and scores them.
pub fn evaluate_conllu(conllu: &str, style: RawStyle) -> Scores {
    score(&gold_from_conllu(conllu, style))
}

/// A list of differences for error analysis: (gold, system) token strings
/// around each mismatch, at most `limit` of them.
pub fn token_errors(gold: &Gold, limit: usize) -> Vec<(String, String)> {
    let text = &gold.text;
    let idx = NonSpaceIndex::new(text);
    let tokens = tokenize(text, 0..text.len());
    let surface = crate::tokenize::surface_tokens(&tokens);
    let g: Vec<_> = gold.tokens.iter().map(|r| (idx.span(r), r.clone())).collect();
    let s: Vec<_> = surface.iter().map(|r| (idx.span(r), r.clone())).collect();
    let mut out = Vec::new();
    let (mut gi, mut si) = (0, 0);
    while gi < g.len() && si < s.len() && out.len() < limit {
        if g[gi].0 == s[si].0 {
            gi += 1;
            si += 1;
            continue;
        }
        // Collect the mismatching region until spans realign at an end.
        let (g0, s0) = (gi, si);
        loop {
            let ge = g[gi].0 .1;
            let se = s[si].0 .1;
            if ge == se {
                gi += 1;
                si += 1;
                break;
            } else if ge < se {
                gi += 1;
            } else {
                si += 1;
            }
            if gi >= g.len() || si >= s.len() {
                break;
            }
        }
        let join = |v: &[(_, Range<usize>)]| v.iter().map(|(_, r)| &text[r.clone()]).collect::<Vec<_>>().join(" | ");
        out.push((join(&g[g0..gi.min(g.len())]), join(&s[s0..si.min(s.len())])));
    }
    out
}

/// Sentence boundary errors for error analysis: up to `limit` (gold sentence, system sentence) pairs that differ.
pub fn sentence_errors(gold: &Gold, limit: usize) -> Vec<(String, String)> {
    let text = &gold.text;
    let idx = NonSpaceIndex::new(text);
    let tokens = tokenize(text, 0..text.len());
    let sents: Vec<Range<usize>> = sentence_token_ranges(text, &tokens)
        .into_iter()
        .map(|r| tokens[r.start].start..tokens[r.end - 1].end)
        .collect();
    let mut out = Vec::new();
    let (mut gi, mut si) = (0, 0);
    while gi < gold.sentences.len() && si < sents.len() && out.len() < limit {
        let (g, s) = (idx.span(&gold.sentences[gi]), idx.span(&sents[si]));
        if g == s {
            gi += 1;
            si += 1;
            continue;
        }
        out.push((text[gold.sentences[gi].clone()].to_string(), text[sents[si].clone()].to_string()));
        if g.1 < s.1 {
            gi += 1;
        } else if s.1 < g.1 {
            si += 1;
        } else {
            gi += 1;
            si += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const TINY: &str = "# newdoc id = d1\n# newpar id = p1\n# sent_id = 1\n# text = I don't know U.S. law.\n\
1\tI\tI\tPRON\t_\t_\t0\troot\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\t_\t_\t0\troot\t_\t_\n\
3\tn't\tnot\tPART\t_\t_\t0\troot\t_\t_\n\
4\tknow\tknow\tVERB\t_\t_\t0\troot\t_\t_\n\
5\tU.S.\tU.S.\tPROPN\t_\t_\t0\troot\t_\t_\n\
6\tlaw\tlaw\tNOUN\t_\t_\t0\troot\t_\tSpaceAfter=No\n\
7\t.\t.\tPUNCT\t_\t_\t0\troot\t_\t_\n\n";

    #[test]
    fn tiny_treebank_round_trip() {
        let gold = gold_from_conllu(TINY, RawStyle::Paragraphs);
        assert_eq!(gold.text.trim_end(), "I don't know U.S. law.");
        let forms: Vec<_> = gold.tokens.iter().map(|r| &gold.text[r.clone()]).collect();
        assert_eq!(forms, ["I", "don't", "know", "U.S.", "law", "."]);
        assert_eq!(gold.words.len(), 7);
        let s = score(&gold);
        assert_eq!((s.tokens.correct, s.tokens.gold, s.tokens.system), (6, 6, 6));
        assert_eq!(s.words.correct, 7);
        assert_eq!(s.sentences.f1(), 1.0);
    }

    /// EWT test set: the bars of the segmentation brief. The data lives in
    /// `shared/data` beside the checkout and is never copied into the repo.
    #[test]
    fn ewt_test_bars() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ud-english-ewt");
        let path = dir.join("en_ewt-ud-test.conllu");
        let Ok(conllu) = std::fs::read_to_string(&path) else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("EWT test data missing at {} (CI=true)", path.display());
            }
            eprintln!("skip: EWT data not found at {}", path.display());
            return;
        };
        let s = evaluate_conllu(&conllu, RawStyle::Paragraphs);
        eprintln!(
            "EWT test: tokens F1 {:.4}, words F1 {:.4}, sentences F1 {:.4}",
            s.tokens.f1(),
            s.words.f1(),
            s.sentences.f1()
        );
        assert!(s.tokens.f1() >= 0.985, "tokens F1 {:.4} < 0.985", s.tokens.f1());
        assert!(s.sentences.f1() >= 0.80, "sentences F1 {:.4} < 0.80", s.sentences.f1());
        let w = evaluate_conllu(&conllu, RawStyle::Wrapped80);
        assert!(w.sentences.f1() >= 0.80, "wrapped sentences F1 {:.4} < 0.80", w.sentences.f1());
    }
}
