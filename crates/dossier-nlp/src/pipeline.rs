//! The whole English pipeline over one document: tokens, sentences, tags, lemmas,
//! dependency trees, named entities and values, in one [`Annotation`].
//!
//! Like spaCy's `Doc`, one object carries every layer, and every layer points into
//! the original text by byte offsets. [`Models`] is loaded once and shared; it is
//! `Sync`, so documents can be annotated on several threads.

use crate::ner::{Entity, Ner};
use crate::neural::NeuralParser;
use crate::parser::{SyntaxModels, NEURAL_FILE};
use crate::perceptron::ModelError;
use crate::tagger::Tagger;
use crate::lemma::Lemmatizer;
use crate::parser::Parser;
use crate::values::{self, DocDate, Value};
use crate::{sentence_token_ranges, tokenize, Token};
use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

/// Every model the pipeline needs.
#[derive(Debug, Clone)]
pub struct Models {
    /// Tagger, lemmatizer, parser.
    pub syntax: SyntaxModels,
    /// Named-entity recognizer.
    pub ner: Ner,
}

/// The model files in a models directory, by name.
pub const MODEL_FILES: [&str; 4] = ["tagger.bin.zst", "lemma.bin.zst", "parser.bin.zst", "ner.bin.zst"];

impl Models {
    /// Loads the four model files ([`MODEL_FILES`]) from `dir` (the neural tagger and
    /// parser are added by [`Models::with_neural`]).
    pub fn load_dir(dir: &Path) -> Result<Models, ModelError> {
        let read = |name: &str| {
            std::fs::read(dir.join(name)).map_err(|e| ModelError(format!("{}: {e}", dir.join(name).display())))
        };
        Models::from_bytes(&read(MODEL_FILES[0])?, &read(MODEL_FILES[1])?, &read(MODEL_FILES[2])?, &read(MODEL_FILES[3])?)
    }

    /// Builds the models from the bytes of the four files.
    pub fn from_bytes(tagger: &[u8], lemma: &[u8], parser: &[u8], ner: &[u8]) -> Result<Models, ModelError> {
        fn named(name: &'static str) -> impl Fn(ModelError) -> ModelError {
            move |e| ModelError(format!("{name}: {}", e.0))
        }
        Ok(Models {
            syntax: SyntaxModels {
                tagger: Tagger::from_bytes(tagger).map_err(named("tagger"))?,
                lemmatizer: Lemmatizer::from_bytes(lemma).map_err(named("lemmatizer"))?,
                parser: Parser::from_bytes(parser).map_err(named("parser"))?,
                neural: None,
            },
            ner: Ner::from_bytes(ner).map_err(|e| ModelError(format!("ner: {e}")))?,
        })
    }

    /// Adds the neural tagger and parser (the bytes of `neural.bin.zst`): it then tags and
    /// parses instead of the perceptron tagger and parser.
    pub fn with_neural(mut self, bytes: &[u8]) -> Result<Models, ModelError> {
        self.syntax.neural = Some(NeuralParser::from_bytes(bytes).map_err(|e| ModelError(format!("{NEURAL_FILE}: {}", e.0)))?);
        Ok(self)
    }

    /// Annotates the parts `ranges` of `text` (e.g. a document minus its furniture).
    /// Sentences never cross a range boundary. `doc_date` resolves relative dates.
    pub fn annotate<'a>(&'a self, text: &'a str, ranges: &[Range<usize>], doc_date: Option<DocDate>) -> Annotation<'a> {
        let mut tokens: Vec<Token> = Vec::new();
        let mut sentences: Vec<Range<usize>> = Vec::new();
        let mut values = Vec::new();
        for r in ranges {
            let Some(part) = text.get(r.clone()) else { continue };
            if part.trim().is_empty() {
                continue;
            }
            let toks = tokenize(text, r.clone());
            let base = tokens.len();
            sentences.extend(sentence_token_ranges(text, &toks).into_iter().map(|s| s.start + base..s.end + base));
            tokens.extend(toks);
            values.extend(values::extract(text, r.clone(), doc_date));
        }
        let mut words = Vec::with_capacity(tokens.len());
        let forms: Vec<Vec<&str>> = sentences.iter().map(|s| tokens[s.clone()].iter().map(|t| t.norm(text)).collect()).collect();
        let refs: Vec<&[&str]> = forms.iter().map(|f| f.as_slice()).collect();
        for (s, analysis) in sentences.iter().zip(self.syntax.analyze_batch(&refs)) {
            for (t, a) in tokens[s.clone()].iter().zip(analysis) {
                words.push(Word { token: *t, upos: a.upos, xpos: a.xpos, lemma: own_lemma(a.lemma, t, text), head: a.head, deprel: a.deprel });
            }
        }
        let entities = self.ner.recognize_document(text, &tokens, &sentences);
        Annotation { text, words, sentences, entities, values }
    }
}

/// A lemma borrowed from the text where it is the token itself, else owned.
fn own_lemma<'a>(lemma: Cow<'_, str>, t: &Token, text: &'a str) -> Cow<'a, str> {
    let surface = &text[t.start..t.end];
    if lemma == surface {
        Cow::Borrowed(surface)
    } else {
        Cow::Owned(lemma.into_owned())
    }
}

/// One syntactic word with its analysis.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// The token (byte span in the text).
    pub token: Token,
    /// Universal POS tag.
    pub upos: &'a str,
    /// Penn Treebank tag.
    pub xpos: &'a str,
    /// Lemma.
    pub lemma: Cow<'a, str>,
    /// Head within the sentence, 1-based; 0 is the root.
    pub head: usize,
    /// Dependency relation (UD, with subtypes).
    pub deprel: &'a str,
}

/// Everything the pipeline read from one document.
#[derive(Debug, Clone)]
pub struct Annotation<'a> {
    /// The text every span points into.
    pub text: &'a str,
    /// All words of all sentences, in order.
    pub words: Vec<Word<'a>>,
    /// Sentences as ranges of `words`.
    pub sentences: Vec<Range<usize>>,
    /// Named entities; `start_token`/`end_token` index `words`.
    pub entities: Vec<Entity>,
    /// Dates, money, quantities, numbers.
    pub values: Vec<Value>,
}

impl Annotation<'_> {
    /// The byte span of sentence `i`.
    pub fn sentence_span(&self, i: usize) -> Range<usize> {
        let s = &self.sentences[i];
        self.words[s.start].token.start..self.words[s.end - 1].token.end
    }

    /// The text of word `i`.
    pub fn form(&self, i: usize) -> &str {
        &self.text[self.words[i].token.start..self.words[i].token.end]
    }

    /// Writes the annotation in a CoNLL-U-like form (one word a line, `# text = ...`
    /// per sentence, BIO entity tags in the MISC column), for eyeballing.
    pub fn to_conllu(&self) -> String {
        let mut ent_tag = vec![String::from("O"); self.words.len()];
        for e in &self.entities {
            for (k, i) in (e.start_token..e.end_token).enumerate() {
                if let Some(t) = ent_tag.get_mut(i) {
                    *t = format!("{}-{}", if k == 0 { "B" } else { "I" }, e.label.as_str());
                }
            }
        }
        let mut out = String::new();
        for (si, s) in self.sentences.iter().enumerate() {
            let span = self.sentence_span(si);
            out.push_str(&format!("# sent_id = {}\n# span = {}-{}\n# text = {}\n", si + 1, span.start, span.end, self.text[span.clone()].replace('\n', " ")));
            for (k, i) in s.clone().enumerate() {
                let w = &self.words[i];
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\tEntity={}|Span={}-{}\n",
                    k + 1,
                    self.form(i),
                    w.lemma,
                    w.upos,
                    w.xpos,
                    w.head,
                    w.deprel,
                    ent_tag[i],
                    w.token.start,
                    w.token.end
                ));
            }
            out.push('\n');
        }
        if !self.values.is_empty() {
            out.push_str("# values\n");
            for v in &self.values {
                out.push_str(&format!("# {}-{}\t{}\t{}\n", v.start, v.end, v.text(self.text), v.normalized));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn models_dir() -> Option<std::path::PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
        if MODEL_FILES.iter().all(|f| dir.join(f).exists()) {
            return Some(dir);
        }
        assert!(std::env::var("CI").as_deref() != Ok("true"), "model files missing in {} (CI=true)", dir.display());
        eprintln!("note: model files missing in {}; skipping", dir.display());
        None
    }

    #[test]
    fn the_neural_model_loads_fast_and_parses() {
        let Some(dir) = models_dir() else { return };
        let bytes = std::fs::read(dir.join(NEURAL_FILE)).expect("neural.bin.zst is committed");
        let t = std::time::Instant::now();
        let models = Models::load_dir(&dir).expect("models load").with_neural(&bytes).expect("neural loads");
        let secs = t.elapsed().as_secs_f64();
        // Loaded once per run; the issue asks for under a second (debug test builds of the
        // NLP crate are optimised, see the workspace manifest). Generous for a busy machine.
        assert!(secs < 5.0, "all models loaded in {secs:.2} s");
        let text = "Defense Minister Sergei Shoigu met Alexander Lukashenko in Minsk on Monday.";
        let a = models.annotate(text, &[0..text.len()], None);
        assert_eq!(a.words.iter().filter(|w| w.head == 0).count(), 1, "{}", a.to_conllu());
        let met = a.words.iter().position(|w| &text[w.token.start..w.token.end] == "met").expect("met");
        assert_eq!(a.words[met].head, 0, "{}", a.to_conllu());
        assert_eq!(a.words[met].xpos, "VBD", "{}", a.to_conllu());
        let alexander = a.words.iter().find(|w| &text[w.token.start..w.token.end] == "Alexander").expect("Alexander");
        assert_eq!((alexander.head, alexander.deprel), (met + 1, "obj"), "{}", a.to_conllu());
        assert!(a.words[..met].iter().any(|w| w.deprel == "nsubj" && w.head == met + 1), "{}", a.to_conllu());
        // Bad bytes are an error, not a panic.
        assert!(Models::load_dir(&dir).expect("models load").with_neural(b"not a model").is_err());
    }

    #[test]
    fn annotates_a_document_end_to_end() {
        let Some(dir) = models_dir() else { return };
        let models = Models::load_dir(&dir).expect("models load");
        let text = "Moscow, July 15 (EFE).- Defense Minister Sergei Shoigu met Alexander Lukashenko in Minsk.\n\nRelated Articles\n\nThe convoy of 60 vehicles left on Saturday.";
        let furniture = text.find("Related").unwrap();
        let ranges = [0..furniture, furniture + "Related Articles".len()..text.len()];
        let a = models.annotate(text, &ranges, DocDate::parse("2023-07-15"));
        assert_eq!(a.sentences.len(), 3, "{}", a.to_conllu());
        assert!(!a.words.iter().any(|w| &text[w.token.start..w.token.end] == "Related"));
        // Every sentence is a tree: exactly one root, heads in range.
        for s in &a.sentences {
            let n = s.len();
            assert_eq!(a.words[s.clone()].iter().filter(|w| w.head == 0).count(), 1, "{}", a.to_conllu());
            assert!(a.words[s.clone()].iter().all(|w| w.head <= n));
        }
        let ents: Vec<(&str, &str)> = a.entities.iter().map(|e| (&text[e.start_byte..e.end_byte], e.label.as_str())).collect();
        assert!(ents.contains(&("Sergei Shoigu", "PERSON")), "{ents:?}");
        assert!(ents.contains(&("Minsk", "GPE")), "{ents:?}");
        assert!(a.values.iter().any(|v| v.normalized.iso() == Some("2023-07-15")), "{}", a.to_conllu());
    }
}
