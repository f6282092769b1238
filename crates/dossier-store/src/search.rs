//! Full-text search (SQLite FTS5, BM25) over documents and sentences.

use crate::{Result, Store, StoreError};

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    /// A whole document (title and text).
    Document,
    /// One sentence.
    Sentence,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Document or sentence.
    pub kind: HitKind,
    /// The document's id.
    pub doc_id: String,
    /// The document's path.
    pub path: String,
    /// The document's title.
    pub title: Option<String>,
    /// For sentences: char offsets in the document.
    pub span: Option<(u64, u64)>,
    /// The matching text, with matches between `open` and `close` markers.
    pub snippet: String,
    /// BM25 score (higher is better).
    pub score: f64,
}

/// Turns what a user types into an FTS5 query: every word must appear (as a
/// prefix for the last one, so that "Wagn" finds Wagner). Quotes keep FTS5 syntax
/// characters literal.
pub fn plain_query(input: &str) -> Option<String> {
    let words: Vec<&str> = input.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let (last, rest) = words.split_last()?;
    let mut q: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
    q.push(format!("\"{last}\"*"));
    Some(q.join(" "))
}

impl Store {
    /// Searches documents and sentences. `raw` passes the query to FTS5 as written
    /// (its syntax: OR, NOT, "phrases", NEAR, prefix*); otherwise see [`plain_query`].
    /// Returns at most `limit` documents and `limit` sentences, best first.
    pub fn search(&self, query: &str, raw: bool, limit: usize, open: &str, close: &str) -> Result<Vec<Hit>> {
        let fts = if raw { Some(query.to_string()) } else { plain_query(query) };
        let Some(fts) = fts else { return Ok(Vec::new()) };
        let bad = |e: rusqlite::Error| match e {
            // Errors while running MATCH are the query's fault (SQLITE_ERROR).
            rusqlite::Error::SqliteFailure(e, Some(msg)) if e.code == rusqlite::ErrorCode::Unknown => {
                StoreError::Query { query: query.to_string(), message: msg }
            }
            other => StoreError::Sqlite(other),
        };
        let mut hits = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.path, d.title, snippet(documents_fts, 1, ?2, ?3, ' … ', 16), -bm25(documents_fts, 4.0, 1.0)
             FROM documents_fts JOIN documents d ON d.num = documents_fts.rowid
             WHERE documents_fts MATCH ?1 ORDER BY bm25(documents_fts, 4.0, 1.0), d.path LIMIT ?4",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![fts, open, close, limit as i64], |r| {
                Ok(Hit {
                    kind: HitKind::Document,
                    doc_id: r.get(0)?,
                    path: r.get(1)?,
                    title: r.get(2)?,
                    span: None,
                    snippet: r.get(3)?,
                    score: r.get(4)?,
                })
            })
            .map_err(bad)?;
        for h in rows {
            hits.push(h.map_err(bad)?);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.path, d.title, s.start, s.end, highlight(sentences_fts, 0, ?2, ?3), -bm25(sentences_fts)
             FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid JOIN documents d ON d.id = s.doc_id
             WHERE sentences_fts MATCH ?1 ORDER BY bm25(sentences_fts), d.path, s.idx LIMIT ?4",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![fts, open, close, limit as i64], |r| {
                Ok(Hit {
                    kind: HitKind::Sentence,
                    doc_id: r.get(0)?,
                    path: r.get(1)?,
                    title: r.get(2)?,
                    span: Some((r.get::<_, i64>(3)? as u64, r.get::<_, i64>(4)? as u64)),
                    snippet: r.get(5)?,
                    score: r.get(6)?,
                })
            })
            .map_err(bad)?;
        for h in rows {
            hits.push(h.map_err(bad)?);
        }
        Ok(hits)
    }
}
