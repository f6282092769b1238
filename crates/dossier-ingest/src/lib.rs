//! Ingestion: documents in, stored and split into sentences.
//!
//! Key design decisions:
//! - **Bad input never loses the batch.** Every input that cannot be read becomes a
//!   [`Failure`] naming the file (and JSONL line); the others are stored. Only a
//!   store error stops the run.
//! - **Parallel reading, sequential commits, in input order.** Inputs are walked in a
//!   fixed order (directories sorted by name), read and analysed in batches on a
//!   thread pool, and committed one document per transaction in that same order, so
//!   the store is identical whatever `jobs` is.
//! - **Bounded memory.** Files over [`ReadLimits::max_bytes`] are refused before they
//!   are read; JSONL is streamed line by line; at most one batch is in memory.
#![deny(missing_docs)]

mod walk;

use dossier_nlp::pipeline::{Annotation, Models};
use dossier_nlp::values::DocDate;
use dossier_store::{NewClaim, NewDocument, NewMention, PutOutcome, Store, StoreError, When};
use dossier_text::{jsonl, read_document, Document, Format, ReadError, ReadLimits, Span};
use rayon::prelude::*;

pub use actors::{relink_watchlists, resolve_actors, ActorSummary};
pub use facts::{build_facts, FactSummary};
pub use walk::{Input, Unit};

mod actors;
mod facts;

/// How to ingest.
#[derive(Debug, Clone, Copy)]
pub struct IngestConfig<'m> {
    /// Worker threads for reading and analysis (commits are always sequential).
    pub jobs: usize,
    /// Size limits.
    pub limits: ReadLimits,
    /// The NLP models; without them only documents and sentences are stored.
    pub models: Option<&'m Models>,
}

impl Default for IngestConfig<'_> {
    fn default() -> Self {
        IngestConfig { jobs: 1, limits: ReadLimits::default(), models: None }
    }
}

/// Where one document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path as the user gave it ("-" for stdin).
    pub path: String,
    /// 1-based JSONL line.
    pub line: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.path, l),
            None => write!(f, "{}", self.path),
        }
    }
}

/// One input that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Where.
    pub origin: Origin,
    /// Why, in one line.
    pub message: String,
}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored (or found unchanged, or a duplicate).
    Stored(PutOutcome),
    /// Not readable.
    Failed(String),
}

/// Hooks for progress display; called from the committing thread, in input order.
pub trait Observer {
    /// Called once, before any work, with the number of files found.
    fn start(&self, files: u64) {
        let _ = files;
    }
    /// Called after each document is committed or has failed.
    fn document(&self, origin: &Origin, outcome: &Outcome) {
        let _ = (origin, outcome);
    }
    /// Called when all documents of one file are done.
    fn file_done(&self) {}
}

/// An observer that does nothing.
pub struct Quiet;
impl Observer for Quiet {}

/// Totals of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// New documents.
    pub inserted: u64,
    /// Documents that replaced an older version of the same source.
    pub replaced: u64,
    /// Sources already stored with the same text.
    pub unchanged: u64,
    /// Texts already stored from another source.
    pub duplicates: u64,
    /// Inputs that could not be read.
    pub failures: Vec<Failure>,
}

/// The only errors that stop a run.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The store failed; what was committed before stays.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The thread pool could not start.
    #[error("cannot start {jobs} worker threads: {message}")]
    Pool {
        /// Threads asked for.
        jobs: usize,
        /// Why not.
        message: String,
    },
}

/// A document read and analysed, ready to commit.
pub struct Analyzed {
    /// The document.
    pub doc: Document,
    /// Sentence spans, skipping furniture.
    pub sentences: Vec<Span>,
    /// Named-entity mentions: span and type label.
    pub mentions: Vec<(Span, &'static str)>,
    /// Claims read by the fact stage (their mentions index `mentions`).
    pub claims: Vec<NewClaim>,
}

/// Reads one unit and runs the analysis stages built so far: sentences, and with
/// `models`, for English documents, the NLP pipeline's named entities.
pub fn analyze(unit: &Unit, limits: ReadLimits, models: Option<&Models>) -> Result<Analyzed, ReadError> {
    let doc = match unit {
        Unit::File { fs_path, format, .. } => {
            let bytes = walk::read_capped(fs_path, limits)?;
            read_document(&bytes, *format, limits)?
        }
        Unit::Bytes { bytes, format, .. } => read_document(bytes, *format, limits)?,
        Unit::Line { text, line, .. } => jsonl::parse_line(text.as_ref().map_err(Clone::clone)?, *line as usize)?,
    };
    let (sentences, mentions, claims) = match models {
        Some(m) if doc.is_english() => annotate(&doc, m),
        _ => (sentences(&doc), Vec::new(), Vec::new()),
    };
    Ok(Analyzed { doc, sentences, mentions, claims })
}

/// Sentences, mentions and claims from the NLP pipeline and the fact stage (furniture is skipped).
fn annotate(doc: &Document, models: &Models) -> (Vec<Span>, Vec<(Span, &'static str)>, Vec<NewClaim>) {
    let ranges: Vec<_> = doc.content_spans().iter().map(|s| s.start()..s.end()).collect();
    let date = doc.meta.published.and_then(|d| DocDate::parse(&d.to_string()));
    let a = models.annotate(&doc.text, &ranges, date);
    let sentences = (0..a.sentences.len()).map(|i| a.sentence_span(i)).map(|r| Span::new(r.start, r.end)).collect();
    let mut mentions: Vec<(Span, &'static str)> = a
        .entities
        .iter()
        .filter(|e| e.label.as_str() != "MISC")
        .map(|e| (Span::new(e.start_byte, e.end_byte), e.label.as_str()))
        .collect();
    let variants = spelling_variants(&a, &mut mentions);
    mentions.extend(variants);
    mentions.sort_by_key(|(s, _)| s.start());
    let texts: Vec<&str> = mentions.iter().map(|(s, _)| &doc.text[s.start()..s.end()]).collect();
    let mut types: Vec<&str> = mentions.iter().map(|(_, t)| *t).collect();
    harmonize_short_forms(&texts, &mut types);
    let inputs: Vec<dossier_facts::MentionIn> =
        mentions.iter().zip(&types).map(|((s, _), t)| dossier_facts::MentionIn { span: s.start()..s.end(), etype: t }).collect();
    let claims = dossier_facts::extract(&a, &inputs)
        .into_iter()
        .map(|c| NewClaim {
            subject: c.subject,
            predicate: c.predicate.to_string(),
            object: c.object,
            mode: c.mode,
            role: c.role,
            when: c.when.map(|w| When { value: w.value, text: w.text, precision: w.precision }),
            place: c.place,
            count: c.count,
            modality: c.modality.to_string(),
            source: c.source,
            source_text: c.source_text,
            evidence: Span::new(c.evidence.start, c.evidence.end),
            trigger: c.trigger.map(|t| Span::new(t.start, t.end)),
            confidence: c.confidence,
        })
        .collect();
    (sentences, mentions, claims)
}

/// Spelling variants: a capitalised proper noun of five letters or more that is one edit
/// away from the key word of a name the document uses at least twice (an organisation's
/// first word, a person's surname: "Vagner" beside "Wagner Group", "Prigozhyn" beside
/// "Yevgeny Prigozhin") is a mention of that name's type, which actor resolution then
/// links like any other short form. Words the NER left out are returned as new mentions;
/// one-word PERSON or ORG mentions of the other type are retyped in place when the name
/// they vary is the more frequent.
pub fn spelling_variants(a: &Annotation<'_>, mentions: &mut [(Span, &'static str)]) -> Vec<(Span, &'static str)> {
    let mut keys: std::collections::HashMap<String, (&'static str, usize)> = std::collections::HashMap::new();
    for (span, t) in mentions.iter() {
        let Some(key) = name_key(&a.text[span.start()..span.end()], t).map(|k| k.trim_end_matches("'s").trim_end_matches("’s")) else { continue };
        if key.chars().count() < 5 || !key.chars().all(char::is_alphabetic) {
            continue;
        }
        let e = keys.entry(key.to_lowercase()).or_insert((t, 0));
        if e.0 != *t {
            e.0 = "";
        }
        e.1 += 1;
    }
    let counts: std::collections::HashMap<String, usize> = keys.iter().map(|(k, (_, n))| (k.clone(), *n)).collect();
    keys.retain(|_, (t, n)| !t.is_empty() && *n >= 2);
    if keys.is_empty() {
        return Vec::new();
    }
    for (span, t) in mentions.iter_mut() {
        let text = &a.text[span.start()..span.end()];
        if !matches!(*t, "PERSON" | "ORG") || text.contains(char::is_whitespace) || text.chars().count() < 5 {
            continue;
        }
        let lower = text.to_lowercase();
        let own = counts.get(&lower).copied().unwrap_or(1);
        let near: Vec<&'static str> = keys.iter().filter(|(k, (_, n))| *n > own && one_edit(k, &lower)).map(|(_, (t, _))| *t).collect();
        if let [other] = near.as_slice() {
            *t = other;
        }
    }
    let covered = |start: usize, end: usize| mentions.iter().any(|(s, _)| s.start() < end && start < s.end());
    let mut out = Vec::new();
    for w in &a.words {
        let form = &a.text[w.token.start..w.token.end];
        if w.upos != "PROPN" || form.chars().count() < 5 || !form.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        if !form.chars().all(char::is_alphabetic) || form.chars().skip(1).all(char::is_uppercase) || covered(w.token.start, w.token.end) {
            continue;
        }
        let lower = form.to_lowercase();
        if keys.contains_key(&lower) {
            continue;
        }
        let near: Vec<&'static str> = keys.iter().filter(|(k, _)| one_edit(k, &lower)).map(|(_, (t, _))| *t).collect();
        if let [t] = near.as_slice() {
            out.push((Span::new(w.token.start, w.token.end), *t));
        }
    }
    out
}

/// Whether two words are exactly one substitution, insertion or deletion apart (the
/// actor resolver's edit test, without equality).
fn one_edit(a: &str, b: &str) -> bool {
    a != b && dossier_actors::within_one_edit(a, b)
}

/// The word a name is known by in short: an organisation's first, a person's last.
fn name_key<'t>(text: &'t str, etype: &str) -> Option<&'t str> {
    match etype {
        "ORG" => text.split_whitespace().next(),
        "PERSON" => text.split_whitespace().next_back(),
        _ => None,
    }
}

/// Within one document, a one-word PERSON or ORG mention that is the short form of
/// exactly one longer name of the other type takes that type ("Wagner" beside "Wagner
/// Group"); the actor phase applies the same rule to the stored mentions.
pub fn harmonize_short_forms(texts: &[&str], types: &mut [&str]) {
    let mut short_of: std::collections::HashMap<String, Vec<&str>> = std::collections::HashMap::new();
    for (text, t) in texts.iter().zip(types.iter()) {
        if text.split_whitespace().nth(1).is_none() {
            continue;
        }
        let Some(key) = name_key(text, t) else { continue };
        let v = short_of.entry(key.to_lowercase()).or_default();
        if !v.contains(t) {
            v.push(t);
        }
    }
    for (text, t) in texts.iter().zip(types.iter_mut()) {
        if !matches!(*t, "PERSON" | "ORG") || text.split_whitespace().count() != 1 {
            continue;
        }
        if let Some([only]) = short_of.get(&text.to_lowercase()).map(Vec::as_slice) {
            *t = only;
        }
    }
}

/// The mentions and claims the pipeline reads in one plain text (for evaluation and
/// for library users without a store). Empty when the text is not readable English.
pub fn read_claims(text: &str, models: &Models) -> (Vec<(Span, &'static str)>, Vec<NewClaim>) {
    match read_document(text.as_bytes(), Format::Text, ReadLimits::default()) {
        Ok(doc) => {
            let (_, mentions, claims) = annotate(&doc, models);
            (mentions, claims)
        }
        Err(_) => (Vec::new(), Vec::new()),
    }
}

/// Sentence spans of a document's content (furniture is skipped).
pub fn sentences(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    for part in doc.content_spans() {
        for r in dossier_nlp::split_sentences(&doc.text, part.start()..part.end()) {
            out.push(Span::new(r.start, r.end));
        }
    }
    out
}

/// Ingests `inputs` (files, directories, "-" for stdin) into `store`.
pub fn ingest(store: &mut Store, inputs: &[Input], config: IngestConfig, observer: &dyn Observer) -> Result<Summary, IngestError> {
    let jobs = config.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| IngestError::Pool { jobs, message: e.to_string() })?;
    let mut summary = Summary::default();
    let (files, walk_failures) = walk::expand(inputs);
    observer.start(files.len() as u64);
    for f in walk_failures {
        let outcome = Outcome::Failed(f.message.clone());
        observer.document(&f.origin, &outcome);
        summary.failures.push(f);
    }
    let batch_size = 16 * jobs;
    let mut units = walk::units(files, config.limits);
    loop {
        let batch: Vec<walk::Item> = units.by_ref().take(batch_size).collect();
        if batch.is_empty() {
            break;
        }
        let analyzed: Vec<Option<Result<Analyzed, ReadError>>> = pool.install(|| {
            batch
                .par_iter()
                .map(|item| match item {
                    walk::Item::Unit(u) => Some(analyze(u, config.limits, config.models)),
                    walk::Item::FileDone => None,
                })
                .collect()
        });
        for (item, result) in batch.iter().zip(analyzed) {
            let (unit, result) = match (item, result) {
                (walk::Item::Unit(u), Some(r)) => (u, r),
                _ => {
                    observer.file_done();
                    continue;
                }
            };
            let origin = unit.origin();
            let outcome = match result {
                Ok(a) => {
                    let mentions: Vec<NewMention> = a.mentions.iter().map(|&(span, etype)| NewMention { span, etype }).collect();
                    let put = store.put_document(&NewDocument {
                        source_key: unit.source_key(),
                        path: &origin.path,
                        line: origin.line,
                        doc: &a.doc,
                        sentences: &a.sentences,
                        mentions: &mentions,
                        claims: &a.claims,
                    })?;
                    match &put {
                        PutOutcome::Inserted { .. } => summary.inserted += 1,
                        PutOutcome::Replaced { .. } => summary.replaced += 1,
                        PutOutcome::Unchanged { .. } => summary.unchanged += 1,
                        PutOutcome::Duplicate { .. } => summary.duplicates += 1,
                    }
                    Outcome::Stored(put)
                }
                Err(e) => {
                    summary.failures.push(Failure { origin: origin.clone(), message: e.to_string() });
                    Outcome::Failed(e.to_string())
                }
            };
            observer.document(&origin, &outcome);
        }
    }
    Ok(summary)
}

/// Formats known by extension or content; re-exported for callers that want to say.
pub fn format_name(f: Format) -> &'static str {
    f.name()
}

#[cfg(test)]
mod tests;
