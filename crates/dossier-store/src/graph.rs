//! Graph reads for the edges that explore the store (`dossier serve`): one entity with
//! its roles and facts, the ego network around it, shortest paths, a timeline, the
//! places on a map, and a document with the evidence spans of its facts.
//!
//! Every query is bounded: callers pass limits, and a neighbourhood or path search
//! stops (and says so) when it reaches them. A fact's modality lives on its evidence;
//! the graph shows the modality most of its evidence has (ties: alphabetical).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};

use crate::{DocumentRow, Geo, Result, Store, When};

/// An entity in a list or a graph: enough to draw and label it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRow {
    /// Stable id.
    pub id: String,
    /// Type label.
    pub etype: String,
    /// Canonical name.
    pub name: String,
    /// ORG kind.
    pub kind: Option<String>,
    /// Hops from the centre of a neighbourhood (0 for the centre); 0 elsewhere.
    pub depth: u32,
}

/// One entity with what an entity page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySummary {
    /// The entity.
    pub node: NodeRow,
    /// Where a place is.
    pub place: Option<Geo>,
    /// Other attributes (a JSON object).
    pub attributes: serde_json::Value,
    /// Aliases, sorted.
    pub aliases: Vec<String>,
    /// Watchlist entries: (source, list id, entry name, matched name), sorted.
    pub links: Vec<(String, String, String, String)>,
    /// Mentions in the corpus.
    pub n_mentions: u64,
    /// Documents that mention it.
    pub n_documents: u64,
    /// Facts it is the subject or object of.
    pub n_facts: u64,
    /// Its `holds_position` facts (subject = this entity).
    pub roles: Vec<FactRow>,
    /// Its facts (subject or object), most evidence first, at most the limit asked.
    pub facts: Vec<FactRow>,
}

/// A fact as lists show it: names resolved, its dominant modality and first evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    /// Stable id.
    pub id: String,
    /// Subject entity.
    pub subject: NodeRow,
    /// Predicate.
    pub predicate: String,
    /// Object entity.
    pub object: Option<NodeRow>,
    /// Mode.
    pub mode: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// When.
    pub when: Option<When>,
    /// Where: a place entity.
    pub place: Option<NodeRow>,
    /// Count.
    pub count: Option<i64>,
    /// 0..1.
    pub confidence: f64,
    /// Number of evidence sentences.
    pub n_evidence: u64,
    /// The modality most of its evidence has.
    pub modality: String,
    /// Its first evidence (by document path and position).
    pub evidence: Option<EvidenceRow>,
}

/// One evidence sentence, with its document and source named.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRow {
    /// Document id.
    pub doc_id: String,
    /// Document title.
    pub title: Option<String>,
    /// Document path.
    pub path: String,
    /// Sentence start (chars).
    pub start: u64,
    /// Sentence end (chars, exclusive).
    pub end: u64,
    /// The sentence.
    pub text: String,
    /// asserted, alleged, denied, ...
    pub modality: String,
    /// Who says it.
    pub source: Option<NodeRow>,
    /// The trigger words (chars in the document).
    pub trigger: Option<(u64, u64)>,
    /// 0..1.
    pub confidence: f64,
}

/// A fact with all its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct FactDetail {
    /// The fact (its `evidence` is the first of `all_evidence`).
    pub fact: FactRow,
    /// Every evidence, by document path and position, at most the limit asked.
    pub all_evidence: Vec<EvidenceRow>,
}

/// An edge of the graph: a fact with an object.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow {
    /// Fact id.
    pub id: String,
    /// Subject entity id.
    pub subject: String,
    /// Object entity id.
    pub object: String,
    /// Predicate.
    pub predicate: String,
    /// Mode.
    pub mode: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// When (ISO 8601 value).
    pub when_value: Option<String>,
    /// The modality most of its evidence has.
    pub modality: String,
    /// Evidence sentences.
    pub n_evidence: u64,
    /// 0..1.
    pub confidence: f64,
}

/// Which facts a graph query follows. Empty lists and `None` mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphFilter {
    /// Predicates to keep.
    pub predicates: Vec<String>,
    /// Keep facts whose time is at or after this ISO 8601 prefix (undated facts go).
    pub from: Option<String>,
    /// Keep facts whose time starts at or before this ISO 8601 prefix (undated facts go).
    pub to: Option<String>,
    /// Keep facts with at least one evidence of one of these modalities.
    pub modalities: Vec<String>,
    /// Keep facts with at least one evidence said by this entity.
    pub source: Option<String>,
}

/// An ego network.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbourhood {
    /// The centre first, then by depth, then name, then id.
    pub nodes: Vec<NodeRow>,
    /// Edges between them, by id.
    pub edges: Vec<EdgeRow>,
    /// Whether a limit cut the walk short.
    pub truncated: bool,
}

/// Shortest paths between two entities.
#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    /// Each path as its nodes, from the first entity to the second.
    pub paths: Vec<Vec<NodeRow>>,
    /// For each path, the edge joining each pair of consecutive nodes.
    pub edges: Vec<Vec<EdgeRow>>,
    /// Whether the search stopped at its bounds before finding every shortest path.
    pub truncated: bool,
}

/// A place with coordinates and how many facts involve it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    /// The entity.
    pub node: NodeRow,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// ISO country code.
    pub country: Option<String>,
    /// Facts with it as subject, object or place.
    pub n_facts: u64,
}

/// Where one fact's evidence lies in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanRow {
    /// Sentence start (chars).
    pub start: u64,
    /// Sentence end (chars, exclusive).
    pub end: u64,
    /// Trigger (chars).
    pub trigger: Option<(u64, u64)>,
    /// Modality in this sentence.
    pub modality: String,
    /// Source entity.
    pub source: Option<NodeRow>,
    /// Fact id.
    pub fact_id: String,
    /// Predicate.
    pub predicate: String,
    /// Subject.
    pub subject: NodeRow,
    /// Object.
    pub object: Option<NodeRow>,
}

/// A document as the document view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentView {
    /// Metadata and furniture.
    pub doc: DocumentRow,
    /// The text.
    pub text: String,
    /// Evidence spans of facts, by start.
    pub spans: Vec<SpanRow>,
    /// Mentions linked to entities: (start, end, entity id), by start.
    pub mentions: Vec<(u64, u64, String)>,
}

/// Bounds of a shortest-path search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathLimits {
    /// Longest path, in edges.
    pub max_depth: u32,
    /// Most paths returned.
    pub max_paths: usize,
    /// Most nodes visited before giving up.
    pub max_visited: usize,
}

const MODALITY_SQL: &str = "(SELECT e.modality FROM evidence e WHERE e.fact_id = f.id
      GROUP BY e.modality ORDER BY count(*) DESC, e.modality LIMIT 1)";

/// The SQL condition and parameters of a filter, over facts aliased `f`.
fn filter_sql(filter: &GraphFilter, params: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    let list = |sql: &mut String, params: &mut Vec<Value>, items: &[String]| {
        let marks: Vec<&str> = items.iter().map(|_| "?").collect();
        sql.push_str(&marks.join(", "));
        params.extend(items.iter().map(|p| Value::Text(p.clone())));
    };
    if !filter.predicates.is_empty() {
        sql.push_str(" AND f.predicate IN (");
        list(&mut sql, params, &filter.predicates);
        sql.push(')');
    }
    if let Some(from) = &filter.from {
        sql.push_str(" AND f.when_value IS NOT NULL AND substr(f.when_value, 1, length(?)) >= ?");
        params.push(Value::Text(from.clone()));
        params.push(Value::Text(from.clone()));
    }
    if let Some(to) = &filter.to {
        sql.push_str(" AND f.when_value IS NOT NULL AND substr(f.when_value, 1, length(?)) <= ?");
        params.push(Value::Text(to.clone()));
        params.push(Value::Text(to.clone()));
    }
    if !filter.modalities.is_empty() {
        sql.push_str(" AND EXISTS (SELECT 1 FROM evidence e WHERE e.fact_id = f.id AND e.modality IN (");
        list(&mut sql, params, &filter.modalities);
        sql.push_str("))");
    }
    if let Some(source) = &filter.source {
        sql.push_str(" AND EXISTS (SELECT 1 FROM evidence e WHERE e.fact_id = f.id AND e.source_id = ?)");
        params.push(Value::Text(source.clone()));
    }
    sql
}

fn edge_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EdgeRow> {
    Ok(EdgeRow {
        id: r.get(0)?,
        subject: r.get(1)?,
        object: r.get(2)?,
        predicate: r.get(3)?,
        mode: r.get(4)?,
        role: r.get(5)?,
        when_value: r.get(6)?,
        n_evidence: r.get::<_, i64>(7)? as u64,
        confidence: r.get(8)?,
        modality: r.get::<_, Option<String>>(9)?.unwrap_or_else(|| "asserted".into()),
    })
}

const EDGE_COLUMNS: &str = "f.id, f.subject, f.object, f.predicate, f.mode, f.role, f.when_value, f.n_evidence, f.confidence";

fn when_of(value: Option<String>, text: Option<String>, precision: Option<String>) -> Option<When> {
    let value = value?;
    Some(When { text: text.unwrap_or_default(), precision: precision.unwrap_or_else(|| "unknown".into()), value })
}

/// Escapes LIKE wildcards (with `\` as the escape character).
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    /// Tunes this connection for many small reads, as a server makes them: the file is
    /// memory-mapped (up to 1 GiB) and the page cache holds 32 MiB, so that a warm
    /// ego network costs no system calls.
    pub fn tune_for_reads(&self) -> Result<()> {
        self.conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        self.conn.pragma_update(None, "cache_size", -32768i64)?;
        Ok(())
    }

    /// Entities whose name or an alias contains `query` (case-insensitive): exact
    /// matches first, then prefixes, then the most mentioned; at most `limit`.
    pub fn search_entities(&self, query: &str, limit: usize) -> Result<Vec<(NodeRow, u64)>> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "WITH hits AS (
                 SELECT entity_id AS id, norm AS n FROM aliases WHERE norm LIKE '%' || ?1 || '%' ESCAPE '\\'
                 UNION ALL
                 SELECT id, lower(name) FROM entities WHERE lower(name) LIKE '%' || ?1 || '%' ESCAPE '\\'
             ), ranked AS (
                 SELECT id, min(CASE WHEN n = ?2 THEN 0 WHEN n LIKE ?1 || '%' ESCAPE '\\' THEN 1 ELSE 2 END) AS rank
                 FROM hits GROUP BY id
             )
             SELECT e.id, e.type, e.name, e.kind, r.rank,
                    (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS n
             FROM ranked r JOIN entities e ON e.id = r.id
             ORDER BY r.rank, n DESC, e.name, e.id LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![like_escape(&q), q, limit as i64], |r| {
            Ok((
                NodeRow { id: r.get(0)?, etype: r.get(1)?, name: r.get(2)?, kind: r.get(3)?, depth: 0 },
                r.get::<_, i64>(5)? as u64,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The nodes for `ids` (unknown ids are left out), in the order asked.
    pub fn nodes(&self, ids: &[String]) -> Result<Vec<NodeRow>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, type, name, kind FROM entities WHERE id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(n) = stmt
                .query_row([id], |r| Ok(NodeRow { id: r.get(0)?, etype: r.get(1)?, name: r.get(2)?, kind: r.get(3)?, depth: 0 }))
                .optional()?
            {
                out.push(n);
            }
        }
        Ok(out)
    }

    fn node(&self, id: &str) -> Result<Option<NodeRow>> {
        Ok(self.nodes(&[id.to_string()])?.into_iter().next())
    }

    /// One entity with its aliases, watchlist links, counts, roles and at most
    /// `max_facts` facts (most evidence first).
    pub fn entity_summary(&self, id: &str, max_facts: usize) -> Result<Option<EntitySummary>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, type, name, kind, lat, lon, country, attributes FROM entities WHERE id = ?1",
                [id],
                |r| {
                    let place = match (r.get::<_, Option<f64>>(4)?, r.get::<_, Option<f64>>(5)?) {
                        (Some(lat), Some(lon)) => Some(Geo { lat, lon, country: r.get(6)? }),
                        _ => None,
                    };
                    Ok((
                        NodeRow { id: r.get(0)?, etype: r.get(1)?, name: r.get(2)?, kind: r.get(3)?, depth: 0 },
                        place,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((node, place, attributes)) = row else { return Ok(None) };
        let mut aliases = self.conn.prepare_cached("SELECT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias")?;
        let aliases: Vec<String> = aliases.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut links = self.conn.prepare_cached(
            "SELECT l.source, l.list_id, coalesce(w.name, ''), l.matched FROM entity_links l
             LEFT JOIN watchlist w ON w.source = l.source AND w.list_id = l.list_id
             WHERE l.entity_id = ?1 ORDER BY l.source, l.list_id",
        )?;
        let links = links
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let (n_mentions, n_documents): (i64, i64) = self.conn.query_row(
            "SELECT count(*), count(DISTINCT doc_id) FROM mentions WHERE entity_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let n_facts: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM facts WHERE subject = ?1) + (SELECT count(*) FROM facts WHERE object = ?1 AND subject <> ?1)",
            [id],
            |r| r.get(0),
        )?;
        let roles = self.fact_rows(
            "WHERE f.subject = ?1 AND f.predicate = 'holds_position' ORDER BY f.n_evidence DESC, f.id LIMIT ?2",
            &[Value::Text(id.into()), Value::Integer(max_facts as i64)],
        )?;
        let fact_ids = self.fact_ids_of(id, &GraphFilter::default(), max_facts, false)?;
        let mut facts = Vec::with_capacity(fact_ids.len());
        for fid in &fact_ids {
            facts.extend(self.fact_rows("WHERE f.id = ?1", &[Value::Text(fid.clone())])?);
        }
        Ok(Some(EntitySummary {
            node,
            place,
            attributes: serde_json::from_str(&attributes).unwrap_or_else(|_| serde_json::json!({})),
            aliases,
            links,
            n_mentions: n_mentions as u64,
            n_documents: n_documents as u64,
            n_facts: n_facts as u64,
            roles,
            facts,
        }))
    }

    /// Ids of facts with `id` as subject or object that pass `filter`, most evidence
    /// first, then by id; at most `limit`. `with_object` keeps only facts with an object.
    fn fact_ids_of(&self, id: &str, filter: &GraphFilter, limit: usize, with_object: bool) -> Result<Vec<String>> {
        let mut found: Vec<(i64, String)> = Vec::new();
        for side in ["subject", "object"] {
            let mut params = vec![Value::Text(id.to_string())];
            let cond = filter_sql(filter, &mut params);
            params.push(Value::Integer(limit as i64));
            let extra = match (side, with_object) {
                ("object", _) => " AND f.subject <> ?1",
                (_, true) => " AND f.object IS NOT NULL",
                _ => "",
            };
            let sql = format!(
                "SELECT f.n_evidence, f.id FROM facts f WHERE f.{side} = ?1{extra}{cond} ORDER BY f.n_evidence DESC LIMIT ?"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(params), |r| Ok((r.get(0)?, r.get(1)?)))?;
            for row in rows {
                found.push(row?);
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        found.truncate(limit);
        Ok(found.into_iter().map(|(_, id)| id).collect())
    }

    /// Facts as [`FactRow`]s; `tail` is the SQL after `FROM facts f` (WHERE, ORDER, LIMIT).
    fn fact_rows(&self, tail: &str, params: &[Value]) -> Result<Vec<FactRow>> {
        let sql = format!(
            "SELECT f.id, f.subject, s.type, s.name, s.kind, f.predicate, f.object, o.type, o.name, o.kind,
                    f.mode, f.role, f.when_value, f.when_text, f.when_precision,
                    f.where_id, p.type, p.name, p.kind, f.count, f.confidence, f.n_evidence, {MODALITY_SQL}
             FROM facts f JOIN entities s ON s.id = f.subject
             LEFT JOIN entities o ON o.id = f.object LEFT JOIN entities p ON p.id = f.where_id {tail}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
            let node_at = |i: usize| -> rusqlite::Result<Option<NodeRow>> {
                let id: Option<String> = r.get(i)?;
                let name: Option<String> = r.get(i + 2)?;
                Ok(match (id, name) {
                    (Some(id), Some(name)) => {
                        Some(NodeRow { id, etype: r.get(i + 1)?, name, kind: r.get(i + 3)?, depth: 0 })
                    }
                    _ => None,
                })
            };
            Ok(FactRow {
                id: r.get(0)?,
                subject: NodeRow { id: r.get(1)?, etype: r.get(2)?, name: r.get(3)?, kind: r.get(4)?, depth: 0 },
                predicate: r.get(5)?,
                object: node_at(6)?,
                mode: r.get(10)?,
                role: r.get(11)?,
                when: when_of(r.get(12)?, r.get(13)?, r.get(14)?),
                place: node_at(15)?,
                count: r.get(19)?,
                confidence: r.get(20)?,
                n_evidence: r.get::<_, i64>(21)? as u64,
                modality: r.get::<_, Option<String>>(22)?.unwrap_or_else(|| "asserted".into()),
                evidence: None,
            })
        })?;
        let mut out: Vec<FactRow> = rows.collect::<rusqlite::Result<_>>()?;
        for f in &mut out {
            f.evidence = self.evidence_rows(&f.id, 1)?.into_iter().next();
        }
        Ok(out)
    }

    /// The evidence of a fact with documents and sources named, at most `limit`.
    fn evidence_rows(&self, fact_id: &str, limit: usize) -> Result<Vec<EvidenceRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.doc_id, d.title, d.path, e.start, e.end, e.text, e.modality, e.source_id, s.type, s.name, s.kind,
                    e.trigger_start, e.trigger_end, coalesce(e.confidence, 0.5)
             FROM evidence e JOIN documents d ON d.id = e.doc_id LEFT JOIN entities s ON s.id = e.source_id
             WHERE e.fact_id = ?1 ORDER BY d.path, d.line, e.start, e.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![fact_id, limit as i64], |r| {
            let source = match (r.get::<_, Option<String>>(7)?, r.get::<_, Option<String>>(9)?) {
                (Some(id), Some(name)) => Some(NodeRow { id, etype: r.get(8)?, name, kind: r.get(10)?, depth: 0 }),
                _ => None,
            };
            Ok(EvidenceRow {
                doc_id: r.get(0)?,
                title: r.get(1)?,
                path: r.get(2)?,
                start: r.get::<_, i64>(3)? as u64,
                end: r.get::<_, i64>(4)? as u64,
                text: r.get(5)?,
                modality: r.get(6)?,
                source,
                trigger: match (r.get::<_, Option<i64>>(11)?, r.get::<_, Option<i64>>(12)?) {
                    (Some(s), Some(e)) => Some((s as u64, e as u64)),
                    _ => None,
                },
                confidence: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One fact with names and at most `max_evidence` evidence sentences.
    pub fn fact_detail(&self, id: &str, max_evidence: usize) -> Result<Option<FactDetail>> {
        let Some(mut fact) = self.fact_rows("WHERE f.id = ?1", &[Value::Text(id.into())])?.into_iter().next() else {
            return Ok(None);
        };
        let all_evidence = self.evidence_rows(id, max_evidence)?;
        fact.evidence = all_evidence.first().cloned();
        Ok(Some(FactDetail { fact, all_evidence }))
    }

    /// The ego network of `id`: facts with an object that pass `filter`, walked
    /// breadth-first to `depth` hops, at most `max_edges` edges in all (the facts
    /// with most evidence first at each node). `None` when the entity does not exist.
    pub fn neighbourhood(
        &self,
        id: &str,
        depth: u32,
        filter: &GraphFilter,
        max_edges: usize,
    ) -> Result<Option<Neighbourhood>> {
        let Some(centre) = self.node(id)? else { return Ok(None) };
        let mut depth_of: HashMap<String, u32> = HashMap::from([(id.to_string(), 0)]);
        let mut edges: BTreeMap<String, EdgeRow> = BTreeMap::new();
        let mut queue: VecDeque<String> = VecDeque::from([id.to_string()]);
        let mut truncated = false;
        let mut params = Vec::new();
        let cond = filter_sql(filter, &mut params);
        'walk: while let Some(node) = queue.pop_front() {
            let d = depth_of[&node];
            if d >= depth {
                continue;
            }
            let room = max_edges.saturating_sub(edges.len());
            // One more than there is room for tells whether this node was cut.
            let mut found: Vec<EdgeRow> = Vec::new();
            for side in ["subject", "object"] {
                // The modality is read below, for the edges kept only.
                let sql = format!(
                    "SELECT {EDGE_COLUMNS}, NULL FROM facts f
                     WHERE f.{side} = ? AND f.object IS NOT NULL{cond} ORDER BY f.n_evidence DESC LIMIT ?"
                );
                let mut p = vec![Value::Text(node.clone())];
                p.extend(params.iter().cloned());
                p.push(Value::Integer(room as i64 + 1));
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let rows = stmt.query_map(params_from_iter(p), edge_row)?;
                for r in rows {
                    found.push(r?);
                }
            }
            found.sort_by(|a, b| b.n_evidence.cmp(&a.n_evidence).then_with(|| a.id.cmp(&b.id)));
            found.dedup_by(|a, b| a.id == b.id);
            for e in found {
                if edges.contains_key(&e.id) {
                    continue;
                }
                if edges.len() >= max_edges {
                    truncated = true;
                    break 'walk;
                }
                for end in [&e.subject, &e.object] {
                    if !depth_of.contains_key(end) {
                        depth_of.insert(end.clone(), d + 1);
                        queue.push_back(end.clone());
                    }
                }
                edges.insert(e.id.clone(), e);
            }
        }
        let mut modalities = self.conn.prepare_cached("SELECT modality FROM evidence WHERE fact_id = ?1")?;
        for e in edges.values_mut() {
            let mut counts: BTreeMap<String, u32> = BTreeMap::new();
            for m in modalities.query_map([&e.id], |r| r.get::<_, String>(0))? {
                *counts.entry(m?).or_default() += 1;
            }
            // Most evidence first; ties go to the first name alphabetically (BTreeMap order).
            let best = counts.iter().fold(None::<(&String, u32)>, |best, (m, &n)| match best {
                Some((_, bn)) if bn >= n => best,
                _ => Some((m, n)),
            });
            if let Some((m, _)) = best {
                e.modality = m.clone();
            }
        }
        let ids: Vec<String> = depth_of.keys().filter(|k| k.as_str() != id).cloned().collect();
        let mut nodes = self.nodes(&ids)?;
        for n in &mut nodes {
            n.depth = depth_of[&n.id];
        }
        nodes.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.name.cmp(&b.name)).then_with(|| a.id.cmp(&b.id)));
        nodes.insert(0, centre);
        Ok(Some(Neighbourhood { nodes, edges: edges.into_values().collect(), truncated }))
    }

    /// Entities joined to `id` by a fact with an object (either direction), sorted.
    fn adjacent(&self, id: &str) -> Result<BTreeSet<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT object FROM facts WHERE subject = ?1 AND object IS NOT NULL
             UNION SELECT subject FROM facts WHERE object = ?1",
        )?;
        let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The edge between `a` and `b` with most evidence (either direction).
    fn best_edge(&self, a: &str, b: &str) -> Result<Option<EdgeRow>> {
        let sql = format!(
            "SELECT {EDGE_COLUMNS}, {MODALITY_SQL} FROM facts f
             WHERE (f.subject = ?1 AND f.object = ?2) OR (f.subject = ?2 AND f.object = ?1)
             ORDER BY f.n_evidence DESC, f.id LIMIT 1"
        );
        Ok(self.conn.prepare_cached(&sql)?.query_row([a, b], edge_row).optional()?)
    }

    /// Shortest paths from `from` to `to` over facts in either direction, by a
    /// breadth-first search from both ends. `None` when either entity does not exist.
    pub fn shortest_paths(&self, from: &str, to: &str, limits: PathLimits) -> Result<Option<Paths>> {
        let (Some(a), Some(_)) = (self.node(from)?, self.node(to)?) else { return Ok(None) };
        if from == to {
            return Ok(Some(Paths { paths: vec![vec![a]], edges: vec![Vec::new()], truncated: false }));
        }
        // parents[side][node] = the nodes one step closer to that side's start.
        let mut parents: [HashMap<String, Vec<String>>; 2] =
            [HashMap::from([(from.to_string(), Vec::new())]), HashMap::from([(to.to_string(), Vec::new())])];
        let mut frontier: [Vec<String>; 2] = [vec![from.to_string()], vec![to.to_string()]];
        let mut depth = 0;
        let mut truncated = false;
        let mut meet: Vec<String> = Vec::new();
        while depth < limits.max_depth && meet.is_empty() {
            if frontier[0].is_empty() || frontier[1].is_empty() {
                break;
            }
            if parents[0].len() + parents[1].len() > limits.max_visited {
                truncated = true;
                break;
            }
            let side = if frontier[0].len() <= frontier[1].len() { 0 } else { 1 };
            let mut next: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for node in &frontier[side] {
                for n in self.adjacent(node)? {
                    if !parents[side].contains_key(&n) {
                        next.entry(n).or_default().push(node.clone());
                    }
                }
            }
            depth += 1;
            for (n, ps) in &next {
                if parents[1 - side].contains_key(n) {
                    meet.push(n.clone());
                }
                parents[side].insert(n.clone(), ps.clone());
            }
            frontier[side] = next.into_keys().collect();
        }
        // Each meeting node gives every path through it: walk parents to both ends.
        fn walks(parents: &HashMap<String, Vec<String>>, node: &str, cap: usize) -> Vec<Vec<String>> {
            let ps = parents.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if ps.is_empty() {
                return vec![vec![node.to_string()]];
            }
            let mut out = Vec::new();
            for p in ps {
                for mut w in walks(parents, p, cap) {
                    w.push(node.to_string());
                    out.push(w);
                    if out.len() >= cap {
                        return out;
                    }
                }
            }
            out
        }
        let mut id_paths: Vec<Vec<String>> = Vec::new();
        'meet: for m in &meet {
            for left in walks(&parents[0], m, limits.max_paths) {
                for right in walks(&parents[1], m, limits.max_paths) {
                    let mut p = left.clone();
                    p.extend(right.into_iter().rev().skip(1));
                    id_paths.push(p);
                    if id_paths.len() > limits.max_paths {
                        truncated = true;
                        break 'meet;
                    }
                }
            }
        }
        id_paths.sort();
        id_paths.dedup();
        id_paths.truncate(limits.max_paths);
        let mut paths = Vec::new();
        let mut edges = Vec::new();
        for p in id_paths {
            let mut es = Vec::new();
            for w in p.windows(2) {
                es.extend(self.best_edge(&w[0], &w[1])?);
            }
            let mut nodes = self.nodes(&p)?;
            for (i, n) in nodes.iter_mut().enumerate() {
                n.depth = i as u32;
            }
            paths.push(nodes);
            edges.push(es);
        }
        Ok(Some(Paths { paths, edges, truncated }))
    }

    /// Dated facts in time order (then by id): of one entity (subject or object) when
    /// `entity` is given, else of the whole corpus; at most `limit`.
    pub fn timeline(&self, entity: Option<&str>, filter: &GraphFilter, limit: usize) -> Result<Vec<FactRow>> {
        let mut params = Vec::new();
        let cond = filter_sql(filter, &mut params);
        let mut out = Vec::new();
        match entity {
            Some(id) => {
                for side in ["subject", "object"] {
                    let mut p = vec![Value::Text(id.to_string())];
                    p.extend(params.iter().cloned());
                    p.push(Value::Integer(limit as i64));
                    let extra = if side == "object" { " AND f.subject <> ?1" } else { "" };
                    out.extend(self.fact_rows(
                        &format!(
                            "WHERE f.{side} = ?1{extra} AND f.when_value IS NOT NULL{cond} ORDER BY f.when_value, f.id LIMIT ?"
                        ),
                        &p,
                    )?);
                }
            }
            None => {
                params.push(Value::Integer(limit as i64));
                out = self.fact_rows(
                    &format!("WHERE f.when_value IS NOT NULL{cond} ORDER BY f.when_value, f.id LIMIT ?"),
                    &params,
                )?;
            }
        }
        out.sort_by(|a, b| {
            let w = |f: &FactRow| f.when.as_ref().map(|w| w.value.clone()).unwrap_or_default();
            w(a).cmp(&w(b)).then_with(|| a.id.cmp(&b.id))
        });
        out.truncate(limit);
        Ok(out)
    }

    /// Entities with coordinates, most facts first (then name, id); at most `limit`.
    pub fn places(&self, limit: usize) -> Result<Vec<PlaceRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, e.type, e.name, e.kind, e.lat, e.lon, e.country,
                    (SELECT count(*) FROM facts f WHERE f.subject = e.id)
                  + (SELECT count(*) FROM facts f WHERE f.object = e.id AND f.subject <> e.id)
                  + (SELECT count(*) FROM facts f WHERE f.where_id = e.id) AS n
             FROM entities e WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL
             ORDER BY n DESC, e.name, e.id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(PlaceRow {
                node: NodeRow { id: r.get(0)?, etype: r.get(1)?, name: r.get(2)?, kind: r.get(3)?, depth: 0 },
                lat: r.get(4)?,
                lon: r.get(5)?,
                country: r.get(6)?,
                n_facts: r.get::<_, i64>(7)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A document by exact id with its text, furniture, linked mentions and the
    /// evidence spans of its facts (at most `max_spans`).
    pub fn document_view(&self, id: &str, max_spans: usize) -> Result<Option<DocumentView>> {
        let Some(doc) = self.find_document(id)?.filter(|d| d.id == id) else { return Ok(None) };
        let text = self.document_text(id)?.unwrap_or_default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.start, e.end, e.trigger_start, e.trigger_end, e.modality, e.source_id, src.type, src.name, src.kind,
                    f.id, f.predicate, f.subject, s.type, s.name, s.kind, f.object, o.type, o.name, o.kind
             FROM evidence e JOIN facts f ON f.id = e.fact_id JOIN entities s ON s.id = f.subject
             LEFT JOIN entities o ON o.id = f.object LEFT JOIN entities src ON src.id = e.source_id
             WHERE e.doc_id = ?1 ORDER BY e.start, e.end, f.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![id, max_spans as i64], |r| {
            let node_at = |i: usize| -> rusqlite::Result<Option<NodeRow>> {
                Ok(match (r.get::<_, Option<String>>(i)?, r.get::<_, Option<String>>(i + 2)?) {
                    (Some(id), Some(name)) => {
                        Some(NodeRow { id, etype: r.get(i + 1)?, name, kind: r.get(i + 3)?, depth: 0 })
                    }
                    _ => None,
                })
            };
            Ok(SpanRow {
                start: r.get::<_, i64>(0)? as u64,
                end: r.get::<_, i64>(1)? as u64,
                trigger: match (r.get::<_, Option<i64>>(2)?, r.get::<_, Option<i64>>(3)?) {
                    (Some(s), Some(e)) => Some((s as u64, e as u64)),
                    _ => None,
                },
                modality: r.get(4)?,
                source: node_at(5)?,
                fact_id: r.get(9)?,
                predicate: r.get(10)?,
                subject: NodeRow { id: r.get(11)?, etype: r.get(12)?, name: r.get(13)?, kind: r.get(14)?, depth: 0 },
                object: node_at(15)?,
            })
        })?;
        let spans = rows.collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT start, end, entity_id FROM mentions WHERE doc_id = ?1 AND entity_id IS NOT NULL ORDER BY start, end, id",
        )?;
        let mentions = stmt
            .query_map([id], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(DocumentView { doc, text, spans, mentions }))
    }
}
