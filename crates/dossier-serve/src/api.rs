//! The JSON API: query parsing and validation, the store calls, and the JSON shapes
//! (built here, at the edge; the store's row types know nothing of JSON).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use dossier_store::{
    EdgeRow, EntitySummary, EvidenceRow, FactRow, GraphFilter, HitKind, NodeRow, PathLimits, StoreError, When,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::AppState;

/// An error answered as `{"error": {"status", "code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// An error with its HTTP status, a stable code and a message for people.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }

    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    fn not_found(what: &str, id: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no {what} with id {id:?}"))
    }

    pub(crate) fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; see the server's log")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Query { .. } => ApiError::bad(e.to_string()),
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"status": self.status.as_u16(), "code": self.code, "message": self.message}});
        (self.status, JsonBody(body)).into_response()
    }
}

/// A JSON response in which `<`, `>` and `&` are written as `\u003c`, `\u003e` and
/// `\u0026`: the same value to any JSON parser, and never markup to anything that
/// mistakes the body for HTML. Keys are sorted (serde_json's map is ordered).
pub struct JsonBody(pub Value);

impl IntoResponse for JsonBody {
    fn into_response(self) -> Response {
        match serde_json::to_string(&self.0) {
            Ok(s) => {
                let mut out = String::with_capacity(s.len() + 16);
                for c in s.chars() {
                    match c {
                        '<' => out.push_str("\\u003c"),
                        '>' => out.push_str("\\u003e"),
                        '&' => out.push_str("\\u0026"),
                        c => out.push(c),
                    }
                }
                ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], out).into_response()
            }
            Err(e) => {
                tracing::error!(error = %e, "JSON encoding failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }
}

type ApiResult = Result<JsonBody, ApiError>;

/// Unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route; see /openapi.json")
}

fn query<T: DeserializeOwned>(raw: Option<String>) -> Result<T, ApiError> {
    let raw = raw.unwrap_or_default();
    serde_urlencoded::from_str(&raw).map_err(|e| ApiError::bad(format!("bad query string: {e}")))
}

/// Checks an entity, fact or document id: 1 to 64 of `A-Z a-z 0-9 _ - . :`.
fn id_param(what: &str, id: &str) -> Result<(), ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad(format!("{what} must be 1 to 64 characters of A-Z a-z 0-9 _ - . :")))
    }
}

fn path_id(what: &str, p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) = p.map_err(|e| ApiError::bad(format!("bad path: {e}")))?;
    id_param(what, &id)?;
    Ok(id)
}

/// `value` or `default`, refused outside `1..=max`.
fn limit(name: &str, value: Option<usize>, default: usize, max: usize) -> Result<usize, ApiError> {
    let v = value.unwrap_or(default);
    if v == 0 || v > max {
        return Err(ApiError::bad(format!("{name} must be between 1 and {max}")));
    }
    Ok(v)
}

/// The modalities of ONTOLOGY.md.
pub const MODALITIES: &[&str] = &["asserted", "alleged", "denied", "planned", "attempted", "possible", "negated"];

/// An ISO 8601 prefix: YYYY, YYYY-MM or YYYY-MM-DD.
fn date_param(name: &str, v: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(v) = v.filter(|v| !v.is_empty()) else { return Ok(None) };
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let ok = match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    };
    if !ok {
        return Err(ApiError::bad(format!("{name} must be a date: YYYY, YYYY-MM or YYYY-MM-DD")));
    }
    Ok(Some(v))
}

/// Comma-separated list items, trimmed, empty ones dropped.
fn list(v: Option<&str>) -> Vec<String> {
    v.unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

#[derive(Deserialize)]
struct FilterParams {
    predicate: Option<String>,
    from: Option<String>,
    to: Option<String>,
    modality: Option<String>,
    source: Option<String>,
}

impl FilterParams {
    fn filter(self) -> Result<GraphFilter, ApiError> {
        let predicates = list(self.predicate.as_deref());
        if predicates.len() > 32
            || predicates.iter().any(|p| p.len() > 40 || !p.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_'))
        {
            return Err(ApiError::bad("predicate must be a comma-separated list of at most 32 names (letters and _)"));
        }
        let modalities = list(self.modality.as_deref());
        if let Some(m) = modalities.iter().find(|m| !MODALITIES.contains(&m.as_str())) {
            return Err(ApiError::bad(format!("unknown modality {m:?}; one of {}", MODALITIES.join(", "))));
        }
        let source = self.source.filter(|s| !s.is_empty());
        if let Some(s) = &source {
            id_param("source", s)?;
        }
        Ok(GraphFilter {
            predicates,
            from: date_param("from", self.from)?,
            to: date_param("to", self.to)?,
            modalities,
            source,
        })
    }
}

fn node_json(n: &NodeRow) -> Value {
    json!({"id": n.id, "type": n.etype, "name": n.name, "kind": n.kind})
}

fn when_json(w: &Option<When>) -> Value {
    match w {
        Some(w) => json!({"value": w.value, "text": w.text, "precision": w.precision}),
        None => Value::Null,
    }
}

fn span_json(s: Option<(u64, u64)>) -> Value {
    match s {
        Some((start, end)) => json!({"start": start, "end": end}),
        None => Value::Null,
    }
}

fn evidence_json(e: &EvidenceRow) -> Value {
    json!({
        "doc": e.doc_id, "title": e.title, "path": e.path, "start": e.start, "end": e.end, "text": e.text,
        "modality": e.modality, "source": e.source.as_ref().map(node_json), "trigger": span_json(e.trigger),
        "confidence": e.confidence,
    })
}

fn fact_json(f: &FactRow) -> Value {
    json!({
        "id": f.id, "subject": node_json(&f.subject), "predicate": f.predicate, "object": f.object.as_ref().map(node_json),
        "mode": f.mode, "role": f.role, "when": when_json(&f.when), "where": f.place.as_ref().map(node_json),
        "count": f.count, "confidence": f.confidence, "n_evidence": f.n_evidence, "modality": f.modality,
        "evidence": f.evidence.as_ref().map(evidence_json),
    })
}

fn edge_json(e: &EdgeRow) -> Value {
    json!({
        "id": e.id, "subject": e.subject, "object": e.object, "predicate": e.predicate, "mode": e.mode, "role": e.role,
        "when": e.when_value, "modality": e.modality, "n_evidence": e.n_evidence, "confidence": e.confidence,
    })
}

fn entity_json(e: &EntitySummary) -> Value {
    json!({
        "id": e.node.id, "type": e.node.etype, "name": e.node.name, "kind": e.node.kind,
        "place": e.place.as_ref().map(|p| json!({"lat": p.lat, "lon": p.lon, "country": p.country})),
        "attributes": e.attributes,
        "aliases": e.aliases,
        "watchlists": e.links.iter().map(|(source, list_id, name, matched)| {
            json!({"source": source, "list_id": list_id, "name": name, "matched": matched})
        }).collect::<Vec<_>>(),
        "n_mentions": e.n_mentions, "n_documents": e.n_documents, "n_facts": e.n_facts,
        "roles": e.roles.iter().map(fact_json).collect::<Vec<_>>(),
        "facts": e.facts.iter().map(fact_json).collect::<Vec<_>>(),
    })
}

/// Markers around matches in search snippets: U+0002 opens, U+0003 closes.
const OPEN: &str = "\u{2}";
const CLOSE: &str = "\u{3}";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    limit: Option<usize>,
    raw: Option<bool>,
}

/// `GET /api/search?q=...`: entities by name or alias, documents and sentences by BM25.
pub async fn search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let p: SearchParams = query(raw)?;
    let q = p.q.unwrap_or_default();
    let q = q.trim().to_string();
    if q.is_empty() || q.chars().count() > 200 {
        return Err(ApiError::bad("q must be 1 to 200 characters"));
    }
    let kind = p.kind.unwrap_or_else(|| "all".into());
    if !["all", "entities", "documents", "sentences"].contains(&kind.as_str()) {
        return Err(ApiError::bad("kind must be one of all, entities, documents, sentences"));
    }
    let n = limit("limit", p.limit, 20, 100)?;
    let raw_fts = p.raw.unwrap_or(false);
    let v = st
        .run(move |s| {
            let entities = if kind == "all" || kind == "entities" { s.search_entities(&q, n)? } else { Vec::new() };
            let hits = if kind == "entities" { Vec::new() } else { s.search(&q, raw_fts, n, OPEN, CLOSE)? };
            let hit = |h: &dossier_store::Hit| {
                json!({"doc": h.doc_id, "path": h.path, "title": h.title, "span": span_json(h.span),
                       "snippet": h.snippet, "score": h.score})
            };
            let docs: Vec<Value> = hits
                .iter()
                .filter(|h| h.kind == HitKind::Document && (kind == "all" || kind == "documents"))
                .map(hit)
                .collect();
            let sents: Vec<Value> = hits
                .iter()
                .filter(|h| h.kind == HitKind::Sentence && (kind == "all" || kind == "sentences"))
                .map(hit)
                .collect();
            Ok(json!({
                "query": q,
                "entities": entities.iter().map(|(n, m)| {
                    let mut v = node_json(n);
                    v["n_mentions"] = json!(m);
                    v
                }).collect::<Vec<_>>(),
                "documents": docs,
                "sentences": sents,
            }))
        })
        .await?;
    Ok(JsonBody(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityParams {
    facts: Option<usize>,
}

/// `GET /api/entities/{id}`.
pub async fn entity(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let id = path_id("id", id)?;
    let p: EntityParams = query(raw)?;
    let n = limit("facts", p.facts, 100, 1000)?;
    let key = id.clone();
    let e = st.run(move |s| s.entity_summary(&key, n)).await?;
    e.map(|e| JsonBody(entity_json(&e))).ok_or_else(|| ApiError::not_found("entity", &id))
}

#[derive(Deserialize)]
struct NeighbourhoodParams {
    depth: Option<u32>,
    limit: Option<usize>,
    #[serde(flatten)]
    filter: FilterParams,
}

/// `GET /api/neighbourhood/{id}`.
pub async fn neighbourhood(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let id = path_id("id", id)?;
    let p: NeighbourhoodParams =
        query_flat(raw, &["depth", "limit", "predicate", "from", "to", "modality", "source"])?;
    let depth = p.depth.unwrap_or(1);
    if !(1..=3).contains(&depth) {
        return Err(ApiError::bad("depth must be between 1 and 3"));
    }
    let n = limit("limit", p.limit, 200, 2000)?;
    let filter = p.filter.filter()?;
    let key = id.clone();
    let g = st.run(move |s| s.neighbourhood(&key, depth, &filter, n)).await?;
    let g = g.ok_or_else(|| ApiError::not_found("entity", &id))?;
    Ok(JsonBody(json!({
        "centre": id,
        "nodes": g.nodes.iter().map(|n| {
            let mut v = node_json(n);
            v["depth"] = json!(n.depth);
            v
        }).collect::<Vec<_>>(),
        "edges": g.edges.iter().map(edge_json).collect::<Vec<_>>(),
        "truncated": g.truncated,
    })))
}

/// Like [`query`], for structs with a flattened part: serde's `flatten` hands every
/// value over as a string, so numbers are parsed here, and unknown keys are refused
/// by listing the known ones.
fn query_flat<T: DeserializeOwned>(raw: Option<String>, known: &[&str]) -> Result<T, ApiError> {
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&raw).map_err(|e| ApiError::bad(format!("bad query string: {e}")))?;
    let mut obj = serde_json::Map::new();
    for (k, v) in pairs {
        if !known.contains(&k.as_str()) {
            return Err(ApiError::bad(format!("unknown parameter {k:?}; known: {}", known.join(", "))));
        }
        let value = if k == "depth" || k == "limit" {
            let n: u64 = v.parse().map_err(|_| ApiError::bad(format!("{k} must be a whole number")))?;
            json!(n)
        } else {
            json!(v)
        };
        if obj.insert(k.clone(), value).is_some() {
            return Err(ApiError::bad(format!("{k} given twice")));
        }
    }
    serde_json::from_value(Value::Object(obj)).map_err(|e| ApiError::bad(format!("bad query string: {e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathParams {
    from: Option<String>,
    to: Option<String>,
    max_depth: Option<u32>,
    limit: Option<usize>,
}

/// `GET /api/paths?from=A&to=B`.
pub async fn paths(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let p: PathParams = query(raw)?;
    let (Some(from), Some(to)) = (p.from, p.to) else { return Err(ApiError::bad("from and to (entity ids) are required")) };
    id_param("from", &from)?;
    id_param("to", &to)?;
    let max_depth = p.max_depth.unwrap_or(4);
    if !(1..=6).contains(&max_depth) {
        return Err(ApiError::bad("max_depth must be between 1 and 6"));
    }
    let max_paths = limit("limit", p.limit, 5, 20)?;
    let limits = PathLimits { max_depth, max_paths, max_visited: 20_000 };
    let (a, b) = (from.clone(), to.clone());
    let r = st.run(move |s| s.shortest_paths(&a, &b, limits)).await?;
    let r = r.ok_or_else(|| ApiError::not_found("entity", &format!("{from} or {to}")))?;
    Ok(JsonBody(json!({
        "from": from, "to": to,
        "paths": r.paths.iter().zip(&r.edges).map(|(nodes, edges)| json!({
            "nodes": nodes.iter().map(node_json).collect::<Vec<_>>(),
            "edges": edges.iter().map(edge_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "truncated": r.truncated,
    })))
}

#[derive(Deserialize)]
struct TimelineParams {
    entity: Option<String>,
    limit: Option<usize>,
    #[serde(flatten)]
    filter: FilterParams,
}

/// `GET /api/timeline[?entity=ID]`.
pub async fn timeline(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let p: TimelineParams = query_flat(raw, &["entity", "limit", "predicate", "from", "to", "modality", "source"])?;
    let entity = p.entity.filter(|e| !e.is_empty());
    if let Some(e) = &entity {
        id_param("entity", e)?;
    }
    let n = limit("limit", p.limit, 500, 5000)?;
    let filter = p.filter.filter()?;
    let key = entity.clone();
    let facts = st
        .run(move |s| {
            if let Some(e) = &key {
                if s.nodes(std::slice::from_ref(e))?.is_empty() {
                    return Ok(None);
                }
            }
            s.timeline(key.as_deref(), &filter, n).map(Some)
        })
        .await?;
    let facts = facts.ok_or_else(|| ApiError::not_found("entity", entity.as_deref().unwrap_or("")))?;
    Ok(JsonBody(json!({"entity": entity, "facts": facts.iter().map(fact_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesParams {
    limit: Option<usize>,
}

/// `GET /api/places`.
pub async fn places(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let p: PlacesParams = query(raw)?;
    let n = limit("limit", p.limit, 1000, 5000)?;
    let places = st.run(move |s| s.places(n)).await?;
    Ok(JsonBody(json!({
        "places": places.iter().map(|p| {
            let mut v = node_json(&p.node);
            v["lat"] = json!(p.lat);
            v["lon"] = json!(p.lon);
            v["country"] = json!(p.country);
            v["n_facts"] = json!(p.n_facts);
            v
        }).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentParams {
    spans: Option<usize>,
}

/// `GET /api/documents/{id}`.
pub async fn document(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let id = path_id("id", id)?;
    let p: DocumentParams = query(raw)?;
    let n = limit("spans", p.spans, 5000, 20000)?;
    let key = id.clone();
    let d = st.run(move |s| s.document_view(&key, n)).await?;
    let d = d.ok_or_else(|| ApiError::not_found("document", &id))?;
    let doc = &d.doc;
    Ok(JsonBody(json!({
        "id": doc.id, "path": doc.path, "line": doc.line, "format": doc.format, "title": doc.title,
        "outlet": doc.outlet, "published": doc.published, "url": doc.url, "lang": doc.lang, "n_chars": doc.n_chars,
        "text": d.text,
        "furniture": doc.furniture.iter().map(|&(s, e)| json!({"start": s, "end": e})).collect::<Vec<_>>(),
        "spans": d.spans.iter().map(|s| json!({
            "start": s.start, "end": s.end, "trigger": span_json(s.trigger), "modality": s.modality,
            "source": s.source.as_ref().map(node_json), "fact": s.fact_id, "predicate": s.predicate,
            "subject": node_json(&s.subject), "object": s.object.as_ref().map(node_json),
        })).collect::<Vec<_>>(),
        "mentions": d.mentions.iter().map(|(s, e, ent)| json!({"start": s, "end": e, "entity": ent})).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactParams {
    evidence: Option<usize>,
}

/// `GET /api/facts/{id}`.
pub async fn fact(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let id = path_id("id", id)?;
    let p: FactParams = query(raw)?;
    let n = limit("evidence", p.evidence, 100, 1000)?;
    let key = id.clone();
    let f = st.run(move |s| s.fact_detail(&key, n)).await?;
    let f = f.ok_or_else(|| ApiError::not_found("fact", &id))?;
    let mut v = fact_json(&f.fact);
    v["all_evidence"] = json!(f.all_evidence.iter().map(evidence_json).collect::<Vec<_>>());
    Ok(JsonBody(v))
}
