//! The plugin's HTTP API, served through ServeHTTP: an axum router answered in-process.

use axum::routing::get;
use axum::{Json, Router};
use bytes::Bytes;
use http_body_util::BodyExt;
use mm::{HttpRequest, HttpResponse, Manifest};
use serde_json::json;
use tower::ServiceExt;

/// What the handlers share.
#[derive(Clone)]
pub struct State {
    pub manifest: Manifest,
}

pub fn router(state: State) -> Router {
    Router::new().route("/api/v0/health", get(health)).fallback(not_found).with_state(state)
}

async fn health(axum::extract::State(state): axum::extract::State<State>) -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "id": state.manifest.id, "version": state.manifest.version }))
}

async fn not_found(uri: http::Uri) -> (http::StatusCode, Json<serde_json::Value>) {
    (http::StatusCode::NOT_FOUND, Json(json!({ "error": format!("no such endpoint: {}", uri.path()) })))
}

/// Answers one request with the router and collects the body.
pub async fn serve(router: &Router, request: HttpRequest) -> HttpResponse {
    let response = match router.clone().oneshot(request.map(axum::body::Body::from)).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            tracing::error!(error = %e, "reading a response body failed");
            Bytes::new()
        }
    };
    HttpResponse::from_parts(parts, bytes)
}
