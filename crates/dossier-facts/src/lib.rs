//! Facts: standing relations (`holds_position`, `leads`, `member_of`, `operates_in`, ...)
//! and the 16 PLOVER event types, read from one document's parse, mentions and values,
//! each with its when, where, count, modality, source and evidence sentence.
//!
//! Key design decisions:
//! - **Claims, then facts.** [`extract`] reads one document and returns [`Claim`]s whose
//!   actors are indexes into that document's mentions; it knows nothing of the corpus.
//!   The ingest stage turns claims whose mentions the actor stage has resolved into
//!   corpus-level facts: one edge per (subject, predicate, object, mode/role, time),
//!   with every sentence that says it as a piece of evidence, each with its own source
//!   and modality. A merge or split of actors therefore moves facts without re-reading
//!   text.
//! - **Dependency patterns over a lexicon.** Event triggers come from the CAMEO verb
//!   dictionary mapped onto PLOVER (`data/triggers.tsv.zst`, built by
//!   `scripts/make_triggers.py`) and the codebook's nominal triggers; arguments come
//!   from the parse (subject, object, passive agent, prepositional objects, control
//!   and coordination), with group nouns ("Wagner soldiers", "Russian forces") standing
//!   for the actor that modifies them and pronouns resolved to the last salient actor.
//! - **Modality and source are scoped.** A cue counts only when it governs the trigger
//!   in the parse (or modifies it, or the argument), not when it is merely in the
//!   sentence; "according to X" and a reporting verb's subject give the source.
//! - **Furniture never speaks.** The pipeline annotates only a document's content
//!   spans, so no claim is read from page furniture.
#![deny(missing_docs)]

mod extract;
pub mod lexicon;

pub use extract::extract;

use std::ops::Range;

/// A mention the fact stage may use as an actor, place or source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionIn<'a> {
    /// Byte span in the text.
    pub span: Range<usize>,
    /// Entity type (PERSON, ORG, GPE, LOC, FAC, NORP, PRODUCT).
    pub etype: &'a str,
}

/// A normalised time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhenOut {
    /// ISO 8601 value.
    pub value: String,
    /// As written.
    pub text: String,
    /// day, month, year, unknown.
    pub precision: String,
}

/// What one sentence says: actors are indexes into the document's mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Subject mention.
    pub subject: usize,
    /// Predicate.
    pub predicate: &'static str,
    /// Object mention.
    pub object: Option<usize>,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// Role text (holds_position).
    pub role: Option<String>,
    /// When.
    pub when: Option<WhenOut>,
    /// Where: a place mention.
    pub place: Option<usize>,
    /// A number tied to the fact.
    pub count: Option<i64>,
    /// asserted, alleged, denied, planned, attempted, possible, negated.
    pub modality: &'static str,
    /// Source mention.
    pub source: Option<usize>,
    /// Source as written when it is no mention.
    pub source_text: Option<String>,
    /// The sentence (bytes).
    pub evidence: Range<usize>,
    /// The trigger words (bytes).
    pub trigger: Option<Range<usize>>,
    /// 0..1.
    pub confidence: f32,
}
