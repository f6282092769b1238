//! The browser UI and the OpenAPI document, built into the binary: nothing is
//! fetched at run time.

use axum::http::header;
use axum::response::IntoResponse;

/// The UI's page.
pub const INDEX_HTML: &str = include_str!("../assets/index.html");
/// The UI's code: plain JavaScript, no bundler, no libraries.
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The UI's style sheet.
pub const STYLE_CSS: &str = include_str!("../assets/style.css");
/// World outline for the map (from world-atlas, Natural Earth; see scripts/make_world.mjs).
pub const WORLD_JSON: &str = include_str!("../assets/world.json");
/// The OpenAPI 3.1 description of every route.
pub const OPENAPI_JSON: &str = include_str!("../assets/openapi.json");

pub async fn index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX_HTML)
}

pub async fn app_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], APP_JS)
}

pub async fn style_css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE_CSS)
}

pub async fn world_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "max-age=86400")], WORLD_JSON)
}

pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
