//! dossier's HTTP edge: a JSON API over the store (`/api/...`, described by
//! `/openapi.json`) and the browser UI (graph, timeline, map, evidence) served from
//! assets built into the binary.
//!
//! Key design decisions:
//! - **Read-only and bounded.** Every endpoint reads; every list has a limit the
//!   caller may lower but not lift past a maximum, and a value out of range is a 400,
//!   not silently clamped.
//! - **Safe by default.** It listens on a loopback address unless given a token; with a
//!   token every request must carry it (`Authorization: Bearer T`, or the cookie the UI
//!   gets from its first `/?token=T` load). Data from the store is JSON (with `<`, `>`
//!   and `&` escaped as `\u003c`...) and the UI renders it as text only; a strict
//!   Content-Security-Policy forbids inline and foreign scripts.
//! - **SQLite is synchronous**: each request borrows a connection from a small pool
//!   inside `spawn_blocking`.
#![deny(missing_docs)]

mod api;
mod assets;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use dossier_store::{Store, StoreError};

pub use api::ApiError;

/// What can stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address was asked for without a token.
    #[error(
        "refusing to listen on {0} without a token: anyone who can reach it could read the database; \
         pass --token T (or set DOSSIER_TOKEN), or bind a loopback address such as 127.0.0.1"
    )]
    NeedsToken(SocketAddr),
    /// The token is empty or has characters a header cannot carry.
    #[error("the token must be 8 to 256 visible ASCII characters (no spaces)")]
    BadToken,
    /// No database at the path.
    #[error("no database at {0} (run `dossier --db {0} ingest PATH...` first)")]
    NoDatabase(PathBuf),
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database file.
    pub db: PathBuf,
    /// Address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// Required on every request when set; required to bind a non-loopback address.
    pub token: Option<String>,
}

/// Checks that `bind` may be used with `token`: a non-loopback address needs one.
pub fn check_bind(bind: SocketAddr, token: Option<&str>) -> Result<(), ServeError> {
    if let Some(t) = token {
        if t.len() < 8 || t.len() > 256 || !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ServeError::BadToken);
        }
    }
    if !bind.ip().is_loopback() && token.is_none() {
        return Err(ServeError::NeedsToken(bind));
    }
    Ok(())
}

/// Idle connections kept for reuse.
const POOL_SIZE: usize = 8;

/// A few open stores, handed out to one blocking task at a time.
struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Pool {
    fn with<T>(&self, f: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let taken = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let store = match taken {
            Some(s) => s,
            None => {
                let s = Store::open(&self.path)?;
                s.tune_for_reads()?;
                s
            }
        };
        let out = f(&store);
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < POOL_SIZE {
                idle.push(store);
            }
        }
        out
    }
}

/// The shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pool: Arc<Pool>,
    token: Option<Arc<str>>,
}

impl AppState {
    /// Opens the store at `db` (which must exist; its schema is brought up to date).
    pub fn open(db: &Path, token: Option<String>) -> Result<AppState, ServeError> {
        if !db.is_file() {
            return Err(ServeError::NoDatabase(db.to_path_buf()));
        }
        let store = Store::open(db)?;
        store.tune_for_reads()?;
        let pool = Pool { path: db.to_path_buf(), idle: Mutex::new(vec![store]) };
        Ok(AppState { pool: Arc::new(pool), token: token.map(Arc::from) })
    }

    /// Runs `f` on a pooled store on the blocking thread pool.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let pool = self.pool.clone();
        match tokio::task::spawn_blocking(move || pool.with(f)).await {
            Ok(r) => r.map_err(ApiError::from),
            Err(e) => {
                tracing::error!(error = %e, "request task failed");
                Err(ApiError::internal())
            }
        }
    }
}

/// Every route the server answers, with its handler. `/openapi.json` lists exactly
/// these paths (a test checks both ways).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/", get(assets::index)),
        ("/app.js", get(assets::app_js)),
        ("/style.css", get(assets::style_css)),
        ("/world.json", get(assets::world_json)),
        ("/openapi.json", get(assets::openapi)),
        ("/api/search", get(api::search)),
        ("/api/entities/{id}", get(api::entity)),
        ("/api/neighbourhood/{id}", get(api::neighbourhood)),
        ("/api/paths", get(api::paths)),
        ("/api/timeline", get(api::timeline)),
        ("/api/places", get(api::places)),
        ("/api/documents/{id}", get(api::document)),
        ("/api/facts/{id}", get(api::fact)),
    ]
}

/// Longest request target accepted (path and query), in bytes.
const MAX_URI: usize = 2048;
/// Largest request body accepted (the API takes none).
const MAX_BODY: usize = 16 * 1024;

/// The whole application: routes, auth, limits and security headers.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new();
    for (path, route) in routes() {
        app = app.route(path, route);
    }
    app.fallback(api::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// The cookie the UI carries the token in.
const COOKIE: &str = "dossier_token";

/// Equal, in time that depends only on the lengths.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Limits the request's size and checks its token.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_len > MAX_URI {
        return ApiError::new(StatusCode::URI_TOO_LONG, "uri_too_long", format!("request target over {MAX_URI} bytes"))
            .into_response();
    }
    let too_big = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_BODY);
    if too_big {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("request body over {MAX_BODY} bytes"))
            .into_response();
    }
    let Some(token) = state.token.clone() else { return next.run(req).await };
    let token = token.as_bytes();
    let headers = req.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| same(t.trim().as_bytes(), token));
    let cookie = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(';').filter_map(|c| c.trim().split_once('=')).any(|(k, val)| k == COOKIE && same(val.as_bytes(), token))
    });
    if bearer || cookie {
        return next.run(req).await;
    }
    // The UI's first load: `/?token=T` sets the cookie and drops the token from the address bar.
    if req.uri().path() == "/" {
        let given = req
            .uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "token").map(|(_, v)| v));
        if given.is_some_and(|t| same(t.as_bytes(), token)) {
            let cookie = format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict", String::from_utf8_lossy(token));
            let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            return resp;
        }
    }
    let mut resp = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this server needs its token: send `Authorization: Bearer TOKEN`, or open /?token=TOKEN in a browser",
    )
    .into_response();
    resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    resp
}

/// Headers on every response: no sniffing, no framing, scripts and styles from this origin only.
async fn security_headers(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if is_api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// A server bound to its address, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Router,
}

impl Server {
    /// Checks the configuration, opens the store and binds the address.
    pub async fn bind(config: Config) -> Result<Server, ServeError> {
        check_bind(config.bind, config.token.as_deref())?;
        let state = AppState::open(&config.db, config.token)?;
        let listener = tokio::net::TcpListener::bind(config.bind).await?;
        Ok(Server { listener, app: router(state) })
    }

    /// The address it listens on (useful with port 0).
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until Ctrl-C (or SIGTERM on Unix).
    pub async fn run(self) -> Result<(), ServeError> {
        tracing::info!(addr = ?self.listener.local_addr().ok(), "serving");
        axum::serve(self.listener, self.app).with_graceful_shutdown(shutdown()).await?;
        Ok(())
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Binds and serves `config` until interrupted.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    Server::bind(config).await?.run().await
}

