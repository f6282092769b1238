//! Claims (what one sentence says, stored with its document) and facts (corpus-level
//! edges between entities, rebuilt from the claims after every actor resolution).

use rusqlite::{params, OptionalExtension};

use crate::{Result, Store};

/// A normalised time, as written and with its precision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// ISO 8601 date or interval (`2023-07-15`, `2023-02`, `2013/2014`, `--07-15`).
    pub value: String,
    /// As written.
    pub text: String,
    /// day, month, year or unknown.
    pub precision: String,
}

/// A claim read from one sentence, stored with its document. Mentions are indexes into
/// [`crate::NewDocument::mentions`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewClaim {
    /// Subject mention.
    pub subject: usize,
    /// Predicate: a standing relation (lowercase) or a PLOVER event type (uppercase).
    pub predicate: String,
    /// Object mention, if any.
    pub object: Option<usize>,
    /// PLOVER mode (phone, meeting, military...).
    pub mode: Option<String>,
    /// Role text for `holds_position`.
    pub role: Option<String>,
    /// When.
    pub when: Option<When>,
    /// Where: a place mention.
    pub place: Option<usize>,
    /// A number tied to the fact.
    pub count: Option<i64>,
    /// asserted, alleged, denied, planned, attempted, possible, negated.
    pub modality: String,
    /// Who says it: a mention.
    pub source: Option<usize>,
    /// Who says it, as written, when it is not a mention ("the report").
    pub source_text: Option<String>,
    /// The sentence (bytes).
    pub evidence: dossier_text::Span,
    /// The trigger words (bytes).
    pub trigger: Option<dossier_text::Span>,
    /// 0..1.
    pub confidence: f32,
}

/// A stored claim with its mentions resolved to entities, as the fact builder reads it.
/// Offsets are characters.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    /// Row id.
    pub id: i64,
    /// Document id.
    pub doc_id: String,
    /// Subject entity (None when its mention has no entity).
    pub subject: Option<String>,
    /// Predicate.
    pub predicate: String,
    /// Object entity; `object_mention` tells whether the claim had an object at all.
    pub object: Option<String>,
    /// Whether the claim names an object mention.
    pub object_mention: bool,
    /// Mode.
    pub mode: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// When.
    pub when: Option<When>,
    /// Where: entity.
    pub place: Option<String>,
    /// Count.
    pub count: Option<i64>,
    /// Modality.
    pub modality: String,
    /// Source entity.
    pub source: Option<String>,
    /// Source as written.
    pub source_text: Option<String>,
    /// Evidence sentence start (chars).
    pub start: u64,
    /// Evidence sentence end (chars, exclusive).
    pub end: u64,
    /// Evidence text.
    pub text: String,
    /// Trigger span (chars).
    pub trigger: Option<(u64, u64)>,
    /// Confidence.
    pub confidence: f64,
}

/// One piece of evidence for a fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Document id.
    pub doc_id: String,
    /// Sentence start (chars).
    pub start: u64,
    /// Sentence end (chars, exclusive).
    pub end: u64,
    /// Sentence text.
    pub text: String,
    /// Modality in this sentence.
    pub modality: String,
    /// Source entity in this sentence.
    pub source: Option<String>,
    /// Trigger span (chars).
    pub trigger: Option<(u64, u64)>,
    /// This evidence's confidence.
    pub confidence: f64,
    /// The time this sentence gives.
    pub when_value: Option<String>,
}

/// A corpus-level fact: one edge, with every evidence for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Stable id.
    pub id: String,
    /// Subject entity.
    pub subject: String,
    /// Predicate.
    pub predicate: String,
    /// Object entity.
    pub object: Option<String>,
    /// Mode.
    pub mode: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// When.
    pub when: Option<When>,
    /// Where: entity.
    pub place: Option<String>,
    /// Count.
    pub count: Option<i64>,
    /// 0..1, from all evidence.
    pub confidence: f64,
    /// Evidence, ordered by document path and position.
    pub evidence: Vec<Evidence>,
}

impl Store {
    /// Every claim of the English documents, with mentions resolved to their entities,
    /// ordered by document path, line, id, then position.
    pub fn claims(&self) -> Result<Vec<ClaimRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.doc_id, ms.entity_id, c.predicate, mo.entity_id, c.object IS NOT NULL, c.mode, c.role,
                    c.when_value, c.when_text, c.when_precision, mp.entity_id, c.count, c.modality, msrc.entity_id,
                    c.source_text, c.start, c.end, substr(d.text, c.start + 1, c.end - c.start),
                    c.trigger_start, c.trigger_end, c.confidence
             FROM claims c JOIN documents d ON d.id = c.doc_id
             JOIN mentions ms ON ms.id = c.subject
             LEFT JOIN mentions mo ON mo.id = c.object
             LEFT JOIN mentions mp ON mp.id = c.place
             LEFT JOIN mentions msrc ON msrc.id = c.source
             WHERE d.is_english
             ORDER BY d.path, d.line, d.id, c.start, c.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ClaimRow {
                id: r.get(0)?,
                doc_id: r.get(1)?,
                subject: r.get(2)?,
                predicate: r.get(3)?,
                object: r.get(4)?,
                object_mention: r.get(5)?,
                mode: r.get(6)?,
                role: r.get(7)?,
                when: when_of(r.get(8)?, r.get(9)?, r.get(10)?),
                place: r.get(11)?,
                count: r.get(12)?,
                modality: r.get(13)?,
                source: r.get(14)?,
                source_text: r.get(15)?,
                start: r.get::<_, i64>(16)? as u64,
                end: r.get::<_, i64>(17)? as u64,
                text: r.get(18)?,
                trigger: span_of(r.get(19)?, r.get(20)?),
                confidence: r.get(21)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes an entity's type (the fact stage retypes a building used as an institution,
    /// "the Kremlin said", from FAC to ORG).
    pub fn retype_entity(&mut self, id: &str, etype: &str) -> Result<()> {
        self.conn.execute("UPDATE entities SET type = ?2 WHERE id = ?1", params![id, etype])?;
        Ok(())
    }

    /// Replaces every fact and its evidence with `facts`, in one transaction.
    pub fn replace_facts(&mut self, facts: &[Fact]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM evidence", [])?;
        tx.execute("DELETE FROM facts", [])?;
        {
            let mut ins_f = tx.prepare(
                "INSERT INTO facts (id, subject, predicate, object, mode, role, when_value, when_text, when_precision,
                                    where_id, count, confidence, n_evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            let mut ins_e = tx.prepare(
                "INSERT INTO evidence (fact_id, doc_id, start, end, text, modality, source_id, trigger_start, trigger_end,
                                       confidence, when_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for f in facts {
                let w = f.when.as_ref();
                ins_f.execute(params![
                    f.id,
                    f.subject,
                    f.predicate,
                    f.object,
                    f.mode,
                    f.role,
                    w.map(|w| &w.value),
                    w.map(|w| &w.text),
                    w.map(|w| &w.precision),
                    f.place,
                    f.count,
                    f.confidence,
                    f.evidence.len() as i64,
                ])?;
                for e in &f.evidence {
                    ins_e.execute(params![
                        f.id,
                        e.doc_id,
                        e.start as i64,
                        e.end as i64,
                        e.text,
                        e.modality,
                        e.source,
                        e.trigger.map(|t| t.0 as i64),
                        e.trigger.map(|t| t.1 as i64),
                        e.confidence,
                        e.when_value,
                    ])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Calls `f` on every fact with its evidence, ordered by id.
    pub fn for_each_fact(&self, mut f: impl FnMut(Fact) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT id, subject, predicate, object, mode, role, when_value, when_text, when_precision, where_id, count, confidence
             FROM facts ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let evidence = self.evidence(&id)?;
            f(Fact {
                subject: r.get(1)?,
                predicate: r.get(2)?,
                object: r.get(3)?,
                mode: r.get(4)?,
                role: r.get(5)?,
                when: when_of(r.get(6)?, r.get(7)?, r.get(8)?),
                place: r.get(9)?,
                count: r.get(10)?,
                confidence: r.get(11)?,
                evidence,
                id,
            })?;
        }
        Ok(())
    }

    /// One fact by id.
    pub fn fact(&self, id: &str) -> Result<Option<Fact>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, subject, predicate, object, mode, role, when_value, when_text, when_precision, where_id, count, confidence
                 FROM facts WHERE id = ?1",
                [id],
                |r| {
                    Ok(Fact {
                        id: r.get(0)?,
                        subject: r.get(1)?,
                        predicate: r.get(2)?,
                        object: r.get(3)?,
                        mode: r.get(4)?,
                        role: r.get(5)?,
                        when: when_of(r.get(6)?, r.get(7)?, r.get(8)?),
                        place: r.get(9)?,
                        count: r.get(10)?,
                        confidence: r.get(11)?,
                        evidence: Vec::new(),
                    })
                },
            )
            .optional()?;
        match row {
            Some(mut f) => {
                f.evidence = self.evidence(&f.id)?;
                Ok(Some(f))
            }
            None => Ok(None),
        }
    }

    /// The evidence of one fact, ordered by document path and position.
    pub fn evidence(&self, fact_id: &str) -> Result<Vec<Evidence>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.doc_id, e.start, e.end, e.text, e.modality, e.source_id, e.trigger_start, e.trigger_end,
                    coalesce(e.confidence, 0.5), e.when_value
             FROM evidence e JOIN documents d ON d.id = e.doc_id
             WHERE e.fact_id = ?1 ORDER BY d.path, d.line, e.start, e.id",
        )?;
        let rows = stmt.query_map([fact_id], |r| {
            Ok(Evidence {
                doc_id: r.get(0)?,
                start: r.get::<_, i64>(1)? as u64,
                end: r.get::<_, i64>(2)? as u64,
                text: r.get(3)?,
                modality: r.get(4)?,
                source: r.get(5)?,
                trigger: span_of(r.get(6)?, r.get(7)?),
                confidence: r.get(8)?,
                when_value: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn when_of(value: Option<String>, text: Option<String>, precision: Option<String>) -> Option<When> {
    let value = value?;
    Some(When { text: text.unwrap_or_default(), precision: precision.unwrap_or_else(|| "unknown".into()), value })
}

fn span_of(start: Option<i64>, end: Option<i64>) -> Option<(u64, u64)> {
    Some((start? as u64, end? as u64))
}
