//! The HTTP API end to end, in process (no socket): routes against the OpenAPI
//! document, validation, limits, the token, and hostile text staying inert.

mod common;

use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::fixture;
use dossier_serve::{check_bind, router, routes, AppState, ServeError};
use dossier_store::Store;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    app: axum::Router,
    doc: String,
}

fn fixture_with(token: Option<&str>) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).expect("open store");
    let doc = fixture::small(&mut store).expect("fixture");
    drop(store);
    let state = AppState::open(&db, token.map(String::from)).expect("state");
    Fixture { _dir: dir, app: router(state), doc }
}

fn fixture() -> Fixture {
    fixture_with(None)
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Reply { status, headers, body: String::from_utf8(bytes.to_vec()).expect("utf-8 body") }
}

async fn get(app: &axum::Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// A 4xx with the JSON error shape and a message.
fn assert_error(r: &Reply, status: StatusCode) -> String {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error"]["status"], status.as_u16(), "{}", r.body);
    let msg = v["error"]["message"].as_str().expect("message").to_string();
    assert!(!msg.is_empty());
    msg
}

#[test]
fn openapi_lists_exactly_the_routes() {
    let doc: Value = serde_json::from_str(include_str!("../assets/openapi.json")).expect("openapi.json is JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: std::collections::BTreeSet<String> =
        doc["paths"].as_object().expect("paths").keys().cloned().collect();
    let served: std::collections::BTreeSet<String> = routes().into_iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(documented, served, "routes and /openapi.json disagree");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let methods: Vec<&String> = item.as_object().expect("path item").keys().collect();
        assert_eq!(methods, vec!["get"], "{path}: every route is GET only");
        // Path parameters are declared.
        if path.contains("{id}") {
            let params = item["get"]["parameters"].as_array().expect("parameters");
            assert!(params.iter().any(|p| p["in"] == "path" && p["name"] == "id"), "{path}");
        }
    }
    // Every $ref resolves.
    let text = include_str!("../assets/openapi.json");
    for r in text.split("\"$ref\": \"#/components/").skip(1) {
        let name = &r[..r.find('"').expect("ref end")];
        let (kind, key) = name.split_once('/').expect("kind/key");
        assert!(doc["components"][kind][key].is_object(), "dangling $ref {name}");
    }
}

#[tokio::test]
async fn openapi_is_served_and_every_documented_route_answers() {
    let f = fixture();
    let r = get(&f.app, "/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    for path in doc["paths"].as_object().expect("paths").keys() {
        let uri = match path.as_str() {
            "/api/search" => "/api/search?q=wagner".to_string(),
            "/api/paths" => "/api/paths?from=e1&to=e3".to_string(),
            p if p.starts_with("/api/documents/") => format!("/api/documents/{}", f.doc),
            p if p.starts_with("/api/facts/") => "/api/facts/f1".to_string(),
            p => p.replace("{id}", "e2"),
        };
        let r = get(&f.app, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    }
}

#[tokio::test]
async fn hostile_document_comes_back_escaped_and_equal() {
    let f = fixture();
    let r = get(&f.app, &format!("/api/documents/{}", f.doc)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("script-src 'self'"));
    // No markup survives in the bytes on the wire...
    for bad in ["<script", "</script", "<img", "onerror=alert(1)>"] {
        assert!(!r.body.contains(bad), "{bad} in {}", r.body);
    }
    assert!(r.body.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"), "{}", r.body);
    // ...and the text a client parses is exactly what was stored.
    let v = r.json();
    assert_eq!(v["text"], fixture::XSS_TEXT);
    assert_eq!(v["furniture"].as_array().unwrap().len(), 1);
    let spans = v["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 3);
    let chars: Vec<char> = fixture::XSS_TEXT.chars().collect();
    for s in spans {
        let (a, b) = (s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
        let piece: String = chars[a..b].iter().collect();
        assert!(piece.ends_with('.'), "{piece:?}");
    }
    // A name holding markup is a name.
    let r = get(&f.app, "/api/entities/e4").await;
    assert!(!r.body.contains("<img"));
    assert_eq!(r.json()["name"], "<img src=x onerror=alert(1)>");
}

#[test]
fn ui_has_no_html_sinks() {
    let js = include_str!("../assets/app.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "srcdoc",
        "DOMParser",
        "createContextualFragment",
        "javascript:",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}: data must go through createTextNode/textContent");
    }
    // setAttribute never receives an event handler name (el() refuses "on..." keys too).
    assert!(js.contains("event handlers go through addEventListener"));
    let html = include_str!("../assets/index.html");
    assert!(!html.contains("<script>"), "no inline script: the CSP forbids it");
    for asset in [html, js, include_str!("../assets/style.css")] {
        assert!(!asset.contains("http://") || asset.contains("http://www.w3.org/2000/svg"), "nothing fetched from elsewhere");
        assert!(!asset.contains("https://"), "nothing fetched from elsewhere");
    }
}

#[tokio::test]
async fn ui_and_assets_are_served() {
    let f = fixture();
    for (uri, ctype) in [("/", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css"), ("/world.json", "application/json")] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with(ctype), "{uri}");
        assert!(r.headers.contains_key(header::CONTENT_SECURITY_POLICY), "{uri}");
    }
    let world: Value = serde_json::from_str(&get(&f.app, "/world.json").await.body).unwrap();
    assert!(world["lines"].as_array().unwrap().len() > 100);
    assert!(world["source"].as_str().unwrap().contains("Natural Earth"));
}

#[tokio::test]
async fn search_entities_documents_sentences() {
    let f = fixture();
    let v = get(&f.app, "/api/search?q=Wagner").await.json();
    assert_eq!(v["entities"][0]["id"], "e2", "{v}");
    assert_eq!(v["entities"][0]["name"], "Wagner Group");
    assert!(!v["sentences"].as_array().unwrap().is_empty());
    let snippet = v["sentences"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("\u{2}Wagner\u{3}"), "{snippet:?}");
    let v = get(&f.app, "/api/search?q=minsk&kind=entities").await.json();
    assert_eq!(v["entities"][0]["id"], "e3");
    assert!(v["documents"].as_array().unwrap().is_empty());
    // A LIKE wildcard is literal.
    let v = get(&f.app, "/api/search?q=%25&kind=entities").await.json();
    assert!(v["entities"].as_array().unwrap().is_empty(), "{v}");
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx() {
    let f = fixture();
    let cases = [
        ("/api/search", "q must be"),
        ("/api/search?q=", "q must be"),
        ("/api/search?q=x&kind=people", "kind must be"),
        ("/api/search?q=x&limit=0", "limit must be between 1 and 100"),
        ("/api/search?q=x&limit=101", "limit must be between 1 and 100"),
        ("/api/search?q=x&limit=ten", "bad query string"),
        ("/api/search?q=x&color=red", "unknown field"),
        ("/api/search?q=%22unclosed&raw=true", "bad search query"),
        ("/api/entities/a%20b", "id must be"),
        ("/api/entities/e2?facts=5000", "facts must be between"),
        ("/api/neighbourhood/e2?depth=9", "depth must be between 1 and 3"),
        ("/api/neighbourhood/e2?modality=rumoured", "unknown modality"),
        ("/api/neighbourhood/e2?from=July", "from must be a date"),
        ("/api/neighbourhood/e2?predicate=x%3Cy", "predicate must be"),
        ("/api/neighbourhood/e2?colour=red", "unknown parameter"),
        ("/api/neighbourhood/e2?limit=1&limit=2", "given twice"),
        ("/api/neighbourhood/e2?limit=-1", "whole number"),
        ("/api/paths?from=e1", "from and to"),
        ("/api/paths?from=e1&to=e2&max_depth=7", "max_depth"),
        ("/api/timeline?limit=6000", "limit must be between 1 and 5000"),
        ("/api/places?limit=0", "limit must be"),
        ("/api/facts/f1?evidence=0", "evidence must be"),
    ];
    for (uri, want) in cases {
        let r = get(&f.app, uri).await;
        let msg = assert_error(&r, StatusCode::BAD_REQUEST);
        assert!(msg.contains(want), "{uri}: {msg:?} lacks {want:?}");
    }
    for uri in ["/api/entities/nobody", "/api/neighbourhood/nobody", "/api/facts/f99", "/api/documents/d000000000000", "/api/nothing", "/nothing", "/api/timeline?entity=nobody", "/api/paths?from=e1&to=nobody"] {
        assert_error(&get(&f.app, uri).await, StatusCode::NOT_FOUND);
    }
    let long = format!("/api/search?q={}", "a".repeat(3000));
    assert_error(&get(&f.app, &long).await, StatusCode::URI_TOO_LONG);
    let req = Request::get("/api/search?q=x").header(header::CONTENT_LENGTH, "1000000").body(Body::empty()).unwrap();
    assert_error(&send(&f.app, req).await, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn entity_page_data() {
    let f = fixture();
    let v = get(&f.app, "/api/entities/e2").await.json();
    assert_eq!(v["type"], "ORG");
    assert_eq!(v["aliases"], serde_json::json!(["Wagner", "Wagner Group"]));
    // f1 (object) and f3 (subject); f2 only cites Wagner as its source.
    assert_eq!(v["n_facts"], 2);
    let facts = v["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 2);
    let f3 = facts.iter().find(|f| f["id"] == "f3").unwrap();
    assert_eq!(f3["modality"], "denied");
    assert_eq!(f3["where"]["name"], "Minsk");
    assert_eq!(f3["when"]["value"], "2023-07-15");
    assert!(f3["evidence"]["text"].as_str().unwrap().starts_with("Ivan Petrov met"));
    let v = get(&f.app, "/api/entities/e3").await.json();
    assert_eq!(v["place"]["lat"], 53.9);
}

#[tokio::test]
async fn neighbourhood_filters_and_depth() {
    let f = fixture();
    let v = get(&f.app, "/api/neighbourhood/e2").await.json();
    let ids = |v: &Value, k: &str| -> Vec<String> {
        v[k].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&v, "nodes"), ["e2", "e1", "e3"]);
    assert_eq!(ids(&v, "edges"), ["f1", "f3"]);
    assert_eq!(v["truncated"], false);
    let v = get(&f.app, "/api/neighbourhood/e2?depth=2").await.json();
    assert_eq!(ids(&v, "nodes"), ["e2", "e1", "e3", "e4"]);
    assert_eq!(v["nodes"][3]["depth"], 2);
    let v = get(&f.app, "/api/neighbourhood/e2?modality=denied").await.json();
    assert_eq!(ids(&v, "edges"), ["f3"]);
    assert_eq!(v["edges"][0]["modality"], "denied");
    let v = get(&f.app, "/api/neighbourhood/e2?predicate=CONSULT,ACCUSE&depth=2").await.json();
    assert_eq!(ids(&v, "edges"), ["f1", "f2"]);
    let v = get(&f.app, "/api/neighbourhood/e1?source=e2").await.json();
    assert_eq!(ids(&v, "edges"), ["f2"]);
    let v = get(&f.app, "/api/neighbourhood/e2?from=2023-07&to=2023").await.json();
    assert_eq!(ids(&v, "edges"), ["f1", "f3"]);
    let v = get(&f.app, "/api/neighbourhood/e2?from=2024").await.json();
    assert!(ids(&v, "edges").is_empty());
    let v = get(&f.app, "/api/neighbourhood/e2?limit=1").await.json();
    assert_eq!(ids(&v, "edges").len(), 1);
    assert_eq!(v["truncated"], true);
}

#[tokio::test]
async fn paths_timeline_places_fact() {
    let f = fixture();
    let v = get(&f.app, "/api/paths?from=e4&to=e3").await.json();
    let path: Vec<&str> = v["paths"][0]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(path, ["e4", "e1", "e2", "e3"]);
    assert_eq!(v["paths"][0]["edges"].as_array().unwrap().len(), 3);
    let v = get(&f.app, "/api/paths?from=e4&to=e3&max_depth=2").await.json();
    assert!(v["paths"].as_array().unwrap().is_empty());
    let v = get(&f.app, "/api/timeline?entity=e1").await.json();
    let ids: Vec<&str> = v["facts"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["f1", "f2"]);
    let v = get(&f.app, "/api/timeline").await.json();
    assert_eq!(v["facts"].as_array().unwrap().len(), 3);
    let v = get(&f.app, "/api/places").await.json();
    assert_eq!(v["places"][0]["id"], "e3");
    assert_eq!(v["places"][0]["n_facts"], 4, "object of f3, place of all three");
    let v = get(&f.app, "/api/facts/f2").await.json();
    assert_eq!(v["all_evidence"][0]["source"]["name"], "Wagner Group");
    assert_eq!(v["all_evidence"][0]["modality"], "alleged");
    let v = get(&f.app, "/api/facts/f1").await.json();
    let ev = &v["all_evidence"][0];
    assert_eq!(ev["trigger"]["end"].as_u64().unwrap() - ev["trigger"]["start"].as_u64().unwrap(), 3);
}

#[tokio::test]
async fn token_is_required_everywhere_when_set() {
    let token = "s3cret-token";
    let f = fixture_with(Some(token));
    for uri in ["/", "/app.js", "/api/search?q=wagner", "/openapi.json", "/nothing"] {
        let r = get(&f.app, uri).await;
        assert_error(&r, StatusCode::UNAUTHORIZED);
        assert_eq!(r.headers[header::WWW_AUTHENTICATE], "Bearer");
    }
    let req = |auth: &str| Request::get("/api/search?q=wagner").header(header::AUTHORIZATION, auth).body(Body::empty()).unwrap();
    assert_eq!(send(&f.app, req("Bearer s3cret-token")).await.status, StatusCode::OK);
    assert_eq!(send(&f.app, req("Bearer s3cret-tokeN")).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(send(&f.app, req("Basic s3cret-token")).await.status, StatusCode::UNAUTHORIZED);
    // The UI's first load trades ?token= for a cookie, and the cookie then works.
    assert_eq!(get(&f.app, "/api/search?q=wagner&token=s3cret-token").await.status, StatusCode::UNAUTHORIZED);
    let r = get(&f.app, "/?token=s3cret-token").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/");
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let pair = cookie.split(';').next().unwrap();
    let req = Request::get("/api/entities/e2").header(header::COOKIE, pair).body(Body::empty()).unwrap();
    assert_eq!(send(&f.app, req).await.status, StatusCode::OK);
    assert_eq!(get(&f.app, "/?token=wrong").await.status, StatusCode::UNAUTHORIZED);
}

#[test]
fn non_loopback_bind_needs_a_token() {
    let any: std::net::SocketAddr = "0.0.0.0:8080".parse().unwrap();
    assert!(matches!(check_bind(any, None), Err(ServeError::NeedsToken(_))));
    let msg = check_bind(any, None).unwrap_err().to_string();
    assert!(msg.contains("--token") && msg.contains("DOSSIER_TOKEN"), "{msg}");
    assert!(check_bind(any, Some("long-enough-token")).is_ok());
    assert!(matches!(check_bind(any, Some("short")), Err(ServeError::BadToken)));
    assert!(matches!(check_bind(any, Some("has space in it")), Err(ServeError::BadToken)));
    assert!(check_bind("127.0.0.1:0".parse().unwrap(), None).is_ok());
    assert!(check_bind("[::1]:8080".parse().unwrap(), None).is_ok());
    assert!(matches!(check_bind("192.168.1.5:80".parse().unwrap(), None), Err(ServeError::NeedsToken(_))));
}

#[test]
fn missing_database_is_an_error() {
    let r = AppState::open(Path::new("/nonexistent/dossier.db"), None);
    assert!(matches!(r, Err(ServeError::NoDatabase(_))));
}

#[tokio::test]
async fn synthetic_graph_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut store = Store::open(&db).unwrap();
    fixture::synthetic(&mut store, 500, 5000, 3, 7).unwrap();
    drop(store);
    let app = router(AppState::open(&db, None).unwrap());
    // e0 is the biggest hub: its ego network is cut at the limit, best first.
    let v = get(&app, "/api/neighbourhood/e0?limit=50").await.json();
    assert_eq!(v["edges"].as_array().unwrap().len(), 50);
    assert_eq!(v["truncated"], true);
    let n: Vec<u64> = v["edges"].as_array().unwrap().iter().map(|e| e["n_evidence"].as_u64().unwrap()).collect();
    assert!(n.iter().all(|&k| k == 2), "best-evidenced edges first: {n:?}");
    let v = get(&app, "/api/neighbourhood/e400?depth=3&limit=300").await.json();
    assert!(v["edges"].as_array().unwrap().len() <= 300);
    let v = get(&app, "/api/paths?from=e499&to=e498").await.json();
    assert!(!v["paths"].as_array().unwrap().is_empty(), "{v}");
    // The same request gives the same bytes.
    let a = get(&app, "/api/neighbourhood/e3?depth=2").await.body;
    let b = get(&app, "/api/neighbourhood/e3?depth=2").await.body;
    assert_eq!(a, b);
}
