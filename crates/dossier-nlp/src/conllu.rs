//! A CoNLL-U reader and writer (the Universal Dependencies file format).
//!
//! A [`Sentence`] holds its comment lines, its syntactic words ([`Word`], ids
//! 1..=n in order) and its multiword tokens ([`MultiwordToken`], lines such as
//! `3-4  don't`). Empty nodes (`8.1`, enhanced dependencies only) are skipped.
//! Malformed lines are reported as a [`ConlluError`] naming the line; the reader
//! never panics on its input.

use std::fmt;
use std::fmt::Write as _;

/// One syntactic word (a CoNLL-U line with an integer id).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The word form.
    pub form: String,
    /// The lemma (`_` when absent).
    pub lemma: String,
    /// Universal part-of-speech tag.
    pub upos: String,
    /// Language-specific tag (Penn Treebank for EWT).
    pub xpos: String,
    /// Morphological features, `_` when absent.
    pub feats: String,
    /// Head word index, 1-based; 0 is the root.
    pub head: usize,
    /// Dependency relation, with its subtype (`nmod:poss`).
    pub deprel: String,
    /// Enhanced dependencies, kept verbatim.
    pub deps: String,
    /// The MISC column, kept verbatim.
    pub misc: String,
}

impl Word {
    /// The universal part of the relation: `nmod:poss` gives `nmod`.
    pub fn universal_deprel(&self) -> &str {
        universal_deprel(&self.deprel)
    }
}

/// The universal part of a relation label: `nmod:poss` gives `nmod`.
pub fn universal_deprel(deprel: &str) -> &str {
    deprel.split(':').next().unwrap_or(deprel)
}

/// A multiword token (`3-4  don't`): a surface token that spans words `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiwordToken {
    /// First word id (1-based).
    pub first: usize,
    /// Last word id (1-based, inclusive).
    pub last: usize,
    /// The surface form.
    pub form: String,
    /// The MISC column.
    pub misc: String,
}

/// One sentence of a CoNLL-U file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    /// Comment lines, without the leading `#`.
    pub comments: Vec<String>,
    /// The syntactic words; `words[i]` has id `i + 1`.
    pub words: Vec<Word>,
    /// The multiword tokens, in order.
    pub multiwords: Vec<MultiwordToken>,
}

impl Sentence {
    /// The word forms.
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }

    /// Whether the tree is projective (no crossing arcs).
    pub fn is_projective(&self) -> bool {
        let heads: Vec<usize> = self.words.iter().map(|w| w.head).collect();
        is_projective(&heads)
    }
}

/// Whether a tree given by 1-based `heads` (0 = root) has no crossing arcs.
pub fn is_projective(heads: &[usize]) -> bool {
    let arcs: Vec<(usize, usize)> = heads
        .iter()
        .enumerate()
        .map(|(i, &h)| {
            let d = i + 1;
            (h.min(d), h.max(d))
        })
        .collect();
    for (i, &(a, b)) in arcs.iter().enumerate() {
        for &(c, d) in &arcs[i + 1..] {
            if (a < c && c < b && b < d) || (c < a && a < d && d < b) {
                return false;
            }
        }
    }
    true
}

/// A malformed CoNLL-U line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConlluError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConlluError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CoNLL-U line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ConlluError {}

/// Parses a whole CoNLL-U document.
pub fn parse(text: &str) -> Result<Vec<Sentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                finish(&mut cur, line_no)?;
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            cur.comments.push(c.trim_start().to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let err = |message: String| ConlluError {
            line: line_no,
            message,
        };
        if cols.len() != 10 {
            return Err(err(format!(
                "expected 10 tab-separated columns, found {}",
                cols.len()
            )));
        }
        let id = cols[0];
        if id.contains('.') {
            continue; // empty node
        }
        if let Some((a, b)) = id.split_once('-') {
            let first = a.parse().map_err(|_| err(format!("bad range id {id:?}")))?;
            let last = b.parse().map_err(|_| err(format!("bad range id {id:?}")))?;
            cur.multiwords.push(MultiwordToken {
                first,
                last,
                form: cols[1].to_string(),
                misc: cols[9].to_string(),
            });
            continue;
        }
        let n: usize = id.parse().map_err(|_| err(format!("bad word id {id:?}")))?;
        if n != cur.words.len() + 1 {
            return Err(err(format!("word id {n} out of sequence")));
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6]
                .parse()
                .map_err(|_| err(format!("bad head {:?}", cols[6])))?
        };
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        finish(&mut cur, text.lines().count())?;
        out.push(cur);
    }
    Ok(out)
}

fn finish(s: &mut Sentence, line: usize) -> Result<(), ConlluError> {
    let n = s.words.len();
    if let Some(w) = s.words.iter().find(|w| w.head > n) {
        return Err(ConlluError {
            line,
            message: format!("head {} beyond sentence length {n}", w.head),
        });
    }
    Ok(())
}

/// Reads and parses a CoNLL-U file.
pub fn read_file(
    path: &std::path::Path,
) -> Result<Vec<Sentence>, Box<dyn std::error::Error + Send + Sync>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(parse(&text).map_err(|e| format!("{}: {e}", path.display()))?)
}

/// Writes sentences back as CoNLL-U (one blank line after each sentence).
pub fn write(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        for c in &s.comments {
            let _ = writeln!(out, "# {c}");
        }
        let mut mw = s.multiwords.iter().peekable();
        for (i, w) in s.words.iter().enumerate() {
            let id = i + 1;
            while let Some(m) = mw.peek() {
                if m.first > id {
                    break;
                }
                let _ = writeln!(
                    out,
                    "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}",
                    m.first, m.last, m.form, m.misc
                );
                mw.next();
            }
            let _ = writeln!(
                out,
                "{id}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                w.form, w.lemma, w.upos, w.xpos, w.feats, w.head, w.deprel, w.deps, w.misc
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# sent_id = a\n# text = I don't.\n1\tI\tI\tPRON\tPRP\tCase=Nom\t3\tnsubj\t3:nsubj\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\tSpaceAfter=No\n3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

    #[test]
    fn round_trip() {
        let s = parse(DOC).expect("parses");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 4);
        assert_eq!(s[0].multiwords.len(), 1);
        assert_eq!(s[0].words[3].head, 3);
        assert!(s[0].is_projective());
        let again = parse(&write(&s)).expect("parses");
        assert_eq!(s, again);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("1\ta\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(!is_projective(&[3, 4, 0, 3]));
        assert_eq!(universal_deprel("nmod:poss"), "nmod");
    }
}
