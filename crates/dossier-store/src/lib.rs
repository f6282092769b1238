//! dossier's store: one SQLite file that users can open with `sqlite3` or Datasette.
//!
//! Key design decisions:
//! - **One document, one transaction.** [`Store::put_document`] replaces a source's
//!   old version and everything derived from it, or inserts a new one, atomically.
//!   With WAL and `synchronous=NORMAL`, a crash or `kill -9` mid-run loses nothing
//!   already committed and never leaves half a document.
//! - **Offsets in the database count characters**, as SQLite's `substr()` and
//!   Python do; the library takes byte [`Span`]s and converts on the way in.
//! - The schema and its migrations live here and nowhere else (`PRAGMA user_version`
//!   is the schema number). `rusqlite` is used by no other crate.
#![deny(missing_docs)]

mod search;

use dossier_text::{CharIndex, Document, Span};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::path::Path;

pub use search::{Hit, HitKind};

/// Migrations, in order; migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_watchlists.sql"),
    include_str!("migrations/0003_judgements.sql"),
    include_str!("migrations/0004_claims.sql"),
    include_str!("migrations/0005_graph.sql"),
];

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite said no.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file holds a newer schema than this build knows.
    #[error("database schema {found} is newer than this dossier understands ({known}); upgrade dossier")]
    TooNew {
        /// Schema in the file.
        found: i64,
        /// Newest schema this build knows.
        known: i64,
    },
    /// A search query FTS5 could not parse.
    #[error("bad search query {query:?}: {message}")]
    Query {
        /// The query as given.
        query: String,
        /// FTS5's complaint.
        message: String,
    },
    /// A span did not fit its document's text.
    #[error("span {start}..{end} is outside document {doc} or not on a character boundary")]
    BadSpan {
        /// Document being stored.
        doc: String,
        /// Span start (bytes).
        start: usize,
        /// Span end (bytes).
        end: usize,
    },
    /// A claim named a mention the document does not have.
    #[error("claim in document {doc} names mention {index}, which does not exist")]
    BadMention {
        /// Document being stored.
        doc: String,
        /// The mention index.
        index: usize,
    },
}

type Result<T> = std::result::Result<T, StoreError>;

/// A handle on the store.
pub struct Store {
    conn: Connection,
}

/// A document to store, with what the pipeline has read from it so far.
pub struct NewDocument<'a> {
    /// Identity of the source: a re-ingest of the same key replaces its old version.
    pub source_key: &'a str,
    /// The path as the user gave it.
    pub path: &'a str,
    /// 1-based JSONL line.
    pub line: Option<u64>,
    /// The document.
    pub doc: &'a Document,
    /// Sentence spans (bytes), in order.
    pub sentences: &'a [Span],
    /// Named-entity mentions found by the NLP stage.
    pub mentions: &'a [NewMention<'a>],
    /// Claims read by the fact stage; their mentions index `mentions`.
    pub claims: &'a [NewClaim],
}

/// A mention to store with its document.
#[derive(Debug, Clone, Copy)]
pub struct NewMention<'a> {
    /// Byte span in the document's text.
    pub span: Span,
    /// Entity type label (PERSON, ORG, GPE, LOC, FAC, NORP, PRODUCT).
    pub etype: &'a str,
}

/// One stored mention, as the actor stage reads it. Offsets are characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRow {
    /// Row id.
    pub id: i64,
    /// Start (chars).
    pub start: u64,
    /// End (chars, exclusive).
    pub end: u64,
    /// Surface text.
    pub text: String,
    /// Entity type label.
    pub etype: String,
    /// Index of the sentence holding the mention's start.
    pub sentence: u64,
}

/// An English document's text and mentions, for corpus-level actor resolution.
#[derive(Debug, Clone)]
pub struct DocMentions {
    /// Document id.
    pub doc_id: String,
    /// The text.
    pub text: String,
    /// Its mentions, ordered by start.
    pub mentions: Vec<MentionRow>,
}

/// An entity to store (the actor stage's output).
#[derive(Debug, Clone)]
pub struct NewEntity {
    /// Stable id.
    pub id: String,
    /// Type label.
    pub etype: String,
    /// Canonical name.
    pub name: String,
    /// ORG kind, if known.
    pub kind: Option<String>,
    /// Every alias seen.
    pub aliases: Vec<String>,
    /// Ids of the mentions ([`MentionRow::id`]) that refer to it.
    pub mentions: Vec<i64>,
    /// Where a place is on the map.
    pub place: Option<Geo>,
    /// Other attributes, a JSON object (roles, nationality of, ...); `{}` when none.
    pub attributes: serde_json::Value,
}

/// A place's point and country.
#[derive(Debug, Clone, PartialEq)]
pub struct Geo {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
}

/// One watchlist entry, as stored by `dossier kb import`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchlistRow {
    /// Which list.
    pub source: String,
    /// The list's own id.
    pub list_id: String,
    /// person, organization, vessel, aircraft, place, other.
    pub etype: String,
    /// Main name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Dated roles: (role, from, to).
    pub roles: Vec<(String, Option<String>, Option<String>)>,
    /// Countries.
    pub countries: Vec<String>,
    /// Sanctions programmes.
    pub programs: Vec<String>,
    /// Free text.
    pub notes: Option<String>,
}

/// A link from an entity to a watchlist entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityLink {
    /// The entity.
    pub entity_id: String,
    /// The list.
    pub source: String,
    /// The entry's id in the list.
    pub list_id: String,
    /// The entity's name or alias that matched.
    pub matched: String,
}

/// One stored entity, as the edges read it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow {
    /// Stable id.
    pub id: String,
    /// Type label.
    pub etype: String,
    /// Canonical name.
    pub name: String,
    /// ORG kind.
    pub kind: Option<String>,
    /// Aliases, sorted.
    pub aliases: Vec<String>,
    /// Mentions: (document id, start char, end char, text), ordered by document path and start.
    pub mentions: Vec<(String, u64, u64, String)>,
    /// Watchlist entries it is linked to: (source, list id, entry name), sorted.
    pub links: Vec<(String, String, String)>,
    /// Where a place is on the map.
    pub place: Option<Geo>,
    /// Other attributes (a JSON object).
    pub attributes: serde_json::Value,
}

/// What [`Store::put_document`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    /// A new document.
    Inserted {
        /// Its id.
        id: String,
    },
    /// The source's previous version (`old`) was replaced by `id`.
    Replaced {
        /// New id.
        id: String,
        /// The id that was removed, with everything derived from it.
        old: String,
    },
    /// The source was already stored with this exact text: nothing changed.
    Unchanged {
        /// Its id.
        id: String,
    },
    /// The same text is already stored from another source; nothing was added.
    Duplicate {
        /// The stored document's id.
        id: String,
        /// The stored document's path.
        path: String,
    },
}

/// One stored document, as the edges (export, show) read it. Offsets are characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// Stable id.
    pub id: String,
    /// Path as given.
    pub path: String,
    /// JSONL line.
    pub line: Option<u64>,
    /// Format name.
    pub format: String,
    /// Title.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Publication date (ISO 8601, maybe partial).
    pub published: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Language code.
    pub lang: Option<String>,
    /// Length in characters.
    pub n_chars: u64,
    /// Furniture spans, in characters.
    pub furniture: Vec<(u64, u64)>,
}

/// One stored sentence. Offsets are characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceRow {
    /// Order in the document.
    pub idx: u64,
    /// Start (chars).
    pub start: u64,
    /// End (chars, exclusive).
    pub end: u64,
    /// The sentence.
    pub text: String,
}

/// Counts for `dossier stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Documents stored.
    pub documents: u64,
    /// Documents by language code ("?" for unknown), most first.
    pub by_lang: Vec<(String, u64)>,
    /// Documents by format, most first.
    pub by_format: Vec<(String, u64)>,
    /// Characters of text.
    pub chars: u64,
    /// Furniture spans.
    pub furniture: u64,
    /// Sentences.
    pub sentences: u64,
    /// Mentions.
    pub mentions: u64,
    /// Entities.
    pub entities: u64,
    /// Facts.
    pub facts: u64,
    /// Evidence rows.
    pub evidence: u64,
}

/// The stable id of a document text: 'd' and 12 hex digits of its SHA-256.
pub fn document_id(sha256_hex: &str) -> String {
    format!("d{}", &sha256_hex[..12])
}

fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::init(Connection::open(path)?)
    }

    /// A store in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
            tracing::info!(version = i + 1, "migrated store schema");
        }
        Ok(())
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Stores one document and its sentences in one transaction (see [`PutOutcome`]).
    pub fn put_document(&mut self, new: &NewDocument<'_>) -> Result<PutOutcome> {
        let doc = new.doc;
        let sha = sha256_hex(&doc.text);
        let id = document_id(&sha);
        let tx = self.conn.transaction()?;
        let existing: Option<(String, String)> = tx
            .query_row("SELECT id, sha256 FROM documents WHERE source_key = ?1", [new.source_key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((old_id, old_sha)) = &existing {
            if *old_sha == sha {
                return Ok(PutOutcome::Unchanged { id: old_id.clone() });
            }
        }
        let same_text: Option<(String, String)> = tx
            .query_row("SELECT id, path FROM documents WHERE id = ?1", [&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((dup_id, dup_path)) = same_text {
            return Ok(PutOutcome::Duplicate { id: dup_id, path: dup_path });
        }
        if let Some((old_id, _)) = &existing {
            delete_document(&tx, old_id)?;
        }

        let chars = CharIndex::new(&doc.text);
        let check = |s: Span| -> Result<(i64, i64)> {
            if s.slice(&doc.text).is_none() {
                return Err(StoreError::BadSpan { doc: id.clone(), start: s.start(), end: s.end() });
            }
            Ok((chars.char_offset(s.start()) as i64, chars.char_offset(s.end()) as i64))
        };
        let m = &doc.meta;
        tx.execute(
            "INSERT INTO documents (id, source_key, path, line, format, sha256, title, outlet, published, url, lang, is_english, n_chars, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                id,
                new.source_key,
                new.path,
                new.line.map(|l| l as i64),
                doc.format.name(),
                sha,
                m.title,
                m.outlet,
                m.published.map(|d| d.to_string()),
                m.url,
                m.lang,
                doc.is_english(),
                chars.char_offset(doc.text.len()) as i64,
                doc.text,
            ],
        )?;
        {
            let mut ins = tx.prepare_cached("INSERT INTO furniture (doc_id, start, end) VALUES (?1, ?2, ?3)")?;
            for &f in &doc.furniture {
                let (s, e) = check(f)?;
                ins.execute(params![id, s, e])?;
            }
            let mut ins =
                tx.prepare_cached("INSERT INTO sentences (doc_id, idx, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for (i, &sent) in new.sentences.iter().enumerate() {
                let (s, e) = check(sent)?;
                ins.execute(params![id, i as i64, s, e, &doc.text[sent.start()..sent.end()]])?;
            }
            let mut ins =
                tx.prepare_cached("INSERT INTO mentions (doc_id, start, end, text, type) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            let mut mention_ids = Vec::with_capacity(new.mentions.len());
            for m in new.mentions {
                let (s, e) = check(m.span)?;
                ins.execute(params![id, s, e, &doc.text[m.span.start()..m.span.end()], m.etype])?;
                mention_ids.push(tx.last_insert_rowid());
            }
            let mention = |i: usize| -> Result<i64> {
                mention_ids.get(i).copied().ok_or(StoreError::BadMention { doc: id.clone(), index: i })
            };
            let mut ins = tx.prepare_cached(
                "INSERT INTO claims (doc_id, subject, predicate, object, mode, role, when_value, when_text, when_precision,
                                     place, count, modality, source, source_text, start, end, trigger_start, trigger_end, confidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )?;
            for c in new.claims {
                let (s, e) = check(c.evidence)?;
                let trigger = c.trigger.map(check).transpose()?;
                let w = c.when.as_ref();
                ins.execute(params![
                    id,
                    mention(c.subject)?,
                    c.predicate,
                    c.object.map(mention).transpose()?,
                    c.mode,
                    c.role,
                    w.map(|w| &w.value),
                    w.map(|w| &w.text),
                    w.map(|w| &w.precision),
                    c.place.map(mention).transpose()?,
                    c.count,
                    c.modality,
                    c.source.map(mention).transpose()?,
                    c.source_text,
                    s,
                    e,
                    trigger.map(|t| t.0),
                    trigger.map(|t| t.1),
                    c.confidence as f64,
                ])?;
            }
        }
        tx.commit()?;
        Ok(match existing {
            Some((old, _)) => PutOutcome::Replaced { id, old },
            None => PutOutcome::Inserted { id },
        })
    }

    /// Calls `f` on every document, ordered by path, then JSONL line, then id.
    pub fn for_each_document(&self, mut f: impl FnMut(DocumentRow) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT id, path, line, format, title, outlet, published, url, lang, n_chars FROM documents ORDER BY path, line, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut row = document_row(r)?;
            row.furniture = self.furniture(&row.id)?;
            f(row)?;
        }
        Ok(())
    }

    /// Finds a document by id, exact path, or unique id prefix.
    pub fn find_document(&self, key: &str) -> Result<Option<DocumentRow>> {
        let sql = "SELECT id, path, line, format, title, outlet, published, url, lang, n_chars FROM documents
                   WHERE id = ?1 OR path = ?1 OR source_key = ?1 OR (length(?1) >= 4 AND id LIKE ?1 || '%')
                   ORDER BY path, line, id LIMIT 2";
        let mut stmt = self.conn.prepare(sql)?;
        let rows: Vec<DocumentRow> = stmt.query_map([key], document_row)?.collect::<rusqlite::Result<_>>()?;
        let Some(mut row) = (rows.len() == 1).then(|| rows.into_iter().next()).flatten() else {
            return Ok(None);
        };
        row.furniture = self.furniture(&row.id)?;
        Ok(Some(row))
    }

    /// The furniture spans (chars) of a document, in order.
    fn furniture(&self, doc_id: &str) -> Result<Vec<(u64, u64)>> {
        let mut stmt = self.conn.prepare_cached("SELECT start, end FROM furniture WHERE doc_id = ?1 ORDER BY start")?;
        let rows = stmt.query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The full text of a document.
    pub fn document_text(&self, id: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT text FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// The sentences of a document, in order.
    pub fn sentences(&self, doc_id: &str) -> Result<Vec<SentenceRow>> {
        let mut stmt = self.conn.prepare_cached("SELECT idx, start, end, text FROM sentences WHERE doc_id = ?1 ORDER BY idx")?;
        let rows = stmt
            .query_map([doc_id], |r| Ok(SentenceRow { idx: r.get(0)?, start: r.get(1)?, end: r.get(2)?, text: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every English document with its mentions, ordered by path, line, id.
    pub fn corpus_mentions(&self) -> Result<Vec<DocMentions>> {
        let mut docs = self.conn.prepare("SELECT id, text FROM documents WHERE is_english ORDER BY path, line, id")?;
        let mut ments = self.conn.prepare_cached(
            "SELECT m.id, m.start, m.end, m.text, m.type,
                    coalesce((SELECT max(s.idx) FROM sentences s WHERE s.doc_id = m.doc_id AND s.start <= m.start), 0)
             FROM mentions m WHERE m.doc_id = ?1 ORDER BY m.start, m.end, m.id",
        )?;
        let rows: Vec<(String, String)> = docs.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (doc_id, text) in rows {
            let mentions = ments
                .query_map([&doc_id], |r| {
                    Ok(MentionRow {
                        id: r.get(0)?,
                        start: r.get::<_, i64>(1)? as u64,
                        end: r.get::<_, i64>(2)? as u64,
                        text: r.get(3)?,
                        etype: r.get(4)?,
                        sentence: r.get::<_, i64>(5)? as u64,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.push(DocMentions { doc_id, text, mentions });
        }
        Ok(out)
    }

    /// Replaces every entity (and alias, and mention link) with `entities`, in one transaction.
    pub fn replace_entities(&mut self, entities: &[NewEntity]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE mentions SET entity_id = NULL", [])?;
        tx.execute("DELETE FROM aliases", [])?;
        tx.execute("DELETE FROM entities", [])?;
        {
            let mut ins_e = tx.prepare(
                "INSERT INTO entities (id, type, name, kind, lat, lon, country, attributes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut ins_a = tx.prepare("INSERT OR IGNORE INTO aliases (entity_id, alias, norm) VALUES (?1, ?2, ?3)")?;
            let mut link = tx.prepare("UPDATE mentions SET entity_id = ?1 WHERE id = ?2")?;
            for e in entities {
                let attributes = if e.attributes.is_null() { "{}".to_string() } else { e.attributes.to_string() };
                let p = e.place.as_ref();
                ins_e.execute(params![
                    e.id,
                    e.etype,
                    e.name,
                    e.kind,
                    p.map(|p| p.lat),
                    p.map(|p| p.lon),
                    p.and_then(|p| p.country.as_deref()),
                    attributes
                ])?;
                for a in &e.aliases {
                    ins_a.execute(params![e.id, a, a.to_lowercase()])?;
                }
                for m in &e.mentions {
                    link.execute(params![e.id, m])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Calls `f` on every entity, ordered by type, name, id.
    pub fn for_each_entity(&self, mut f: impl FnMut(EntityRow) -> Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, type, name, kind, lat, lon, country, attributes FROM entities ORDER BY type, name, id")?;
        let mut aliases = self.conn.prepare_cached("SELECT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias")?;
        let mut ments = self.conn.prepare_cached(
            "SELECT m.doc_id, m.start, m.end, m.text FROM mentions m JOIN documents d ON d.id = m.doc_id
             WHERE m.entity_id = ?1 ORDER BY d.path, d.line, m.start, m.end",
        )?;
        let mut links = self.conn.prepare_cached(
            "SELECT l.source, l.list_id, coalesce(w.name, '') FROM entity_links l
             LEFT JOIN watchlist w ON w.source = l.source AND w.list_id = l.list_id
             WHERE l.entity_id = ?1 ORDER BY l.source, l.list_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let row = EntityRow {
                links: links.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?,
                aliases: aliases.query_map([&id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?,
                mentions: ments
                    .query_map([&id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64, r.get(3)?)))?
                    .collect::<rusqlite::Result<_>>()?,
                etype: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                place: match (r.get::<_, Option<f64>>(4)?, r.get::<_, Option<f64>>(5)?) {
                    (Some(lat), Some(lon)) => Some(Geo { lat, lon, country: r.get(6)? }),
                    _ => None,
                },
                attributes: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_else(|_| serde_json::json!({})),
                id,
            };
            f(row)?;
        }
        Ok(())
    }

    /// Replaces every entry of `source` with `entries`, in one transaction. Returns how many were stored.
    pub fn replace_watchlist(&mut self, source: &str, entries: &[WatchlistRow]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM entity_links WHERE source = ?1", [source])?;
        tx.execute("DELETE FROM watchlist WHERE source = ?1", [source])?;
        let mut n = 0;
        {
            let mut ins = tx.prepare(
                "INSERT OR REPLACE INTO watchlist (source, list_id, type, name, aliases, roles, countries, programs, notes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for e in entries {
                let roles: Vec<serde_json::Value> =
                    e.roles.iter().map(|(role, from, to)| serde_json::json!({"role": role, "from": from, "to": to})).collect();
                n += ins.execute(params![
                    source,
                    e.list_id,
                    e.etype,
                    e.name,
                    serde_json::Value::from(e.aliases.clone()).to_string(),
                    serde_json::Value::from(roles).to_string(),
                    serde_json::Value::from(e.countries.clone()).to_string(),
                    serde_json::Value::from(e.programs.clone()).to_string(),
                    e.notes,
                ])?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// Every stored watchlist entry, ordered by source and id.
    pub fn watchlist(&self) -> Result<Vec<WatchlistRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT source, list_id, type, name, aliases, roles, countries, programs, notes FROM watchlist ORDER BY source, list_id",
        )?;
        let strings = |s: String| -> Vec<String> { serde_json::from_str(&s).unwrap_or_default() };
        let rows = stmt.query_map([], |r| {
            let roles: Vec<serde_json::Value> = serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default();
            let field = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
            Ok(WatchlistRow {
                source: r.get(0)?,
                list_id: r.get(1)?,
                etype: r.get(2)?,
                name: r.get(3)?,
                aliases: strings(r.get(4)?),
                roles: roles.iter().map(|v| (field(v, "role").unwrap_or_default(), field(v, "from"), field(v, "to"))).collect(),
                countries: strings(r.get(6)?),
                programs: strings(r.get(7)?),
                notes: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a judgement (`action` is merge, split or distinct); a repeat is a no-op.
    /// Returns whether it was new.
    pub fn add_judgement(&mut self, action: &str, a: &str, b: &str) -> Result<bool> {
        Ok(self.conn.execute("INSERT OR IGNORE INTO judgements (action, a, b) VALUES (?1, ?2, ?3)", params![action, a, b])? > 0)
    }

    /// Every judgement, in the order made: (action, a, b).
    pub fn judgements(&self) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn.prepare("SELECT action, a, b FROM judgements ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces every entity-to-watchlist link with `links`, in one transaction.
    pub fn replace_links(&mut self, links: &[EntityLink]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM entity_links", [])?;
        {
            let mut ins =
                tx.prepare("INSERT OR IGNORE INTO entity_links (entity_id, source, list_id, matched) VALUES (?1, ?2, ?3, ?4)")?;
            for l in links {
                ins.execute(params![l.entity_id, l.source, l.list_id, l.matched])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Counts for `dossier stats`.
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let group = |sql: &str| -> Result<Vec<(String, u64)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Stats {
            documents: count("SELECT count(*) FROM documents")?,
            by_lang: group(
                "SELECT coalesce(lang, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
            by_format: group("SELECT format, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1")?,
            chars: count("SELECT coalesce(sum(n_chars), 0) FROM documents")?,
            furniture: count("SELECT count(*) FROM furniture")?,
            sentences: count("SELECT count(*) FROM sentences")?,
            mentions: count("SELECT count(*) FROM mentions")?,
            entities: count("SELECT count(*) FROM entities")?,
            facts: count("SELECT count(*) FROM facts")?,
            evidence: count("SELECT count(*) FROM evidence")?,
        })
    }
}

fn document_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: r.get(0)?,
        path: r.get(1)?,
        line: r.get::<_, Option<i64>>(2)?.map(|l| l as u64),
        format: r.get(3)?,
        title: r.get(4)?,
        outlet: r.get(5)?,
        published: r.get(6)?,
        url: r.get(7)?,
        lang: r.get(8)?,
        n_chars: r.get::<_, i64>(9)? as u64,
        furniture: Vec::new(),
    })
}

/// Removes a document and everything read from it. Sentences go first, explicitly,
/// so that their FTS rows go with them.
fn delete_document(tx: &rusqlite::Transaction<'_>, id: &str) -> Result<()> {
    tx.execute("DELETE FROM evidence WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM claims WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM mentions WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM sentences WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM furniture WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
    Ok(())
}

mod facts;
pub use facts::{ClaimRow, Evidence, Fact, NewClaim, When};

mod graph;
pub use graph::{
    DocumentView, EdgeRow, EntitySummary, EvidenceRow, FactDetail, FactRow, GraphFilter, Neighbourhood, NodeRow, PathLimits,
    Paths, PlaceRow, SpanRow,
};

#[cfg(test)]
mod tests;
