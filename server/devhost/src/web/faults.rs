//! `/dev/api/faults` (dev only): inject, list and clear PluginAPI faults from a browser or a script.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method};
use axum::routing::get;
use serde_json::{Value, json};

use super::{WebError, WebResult, auth, parse_json};
use crate::api::convert::ApiError;
use crate::context::Shared;
use crate::faults::FaultSpec;

type S = State<Arc<Shared>>;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/dev/api/faults", get(list).post(inject).delete(clear))
}

fn active(shared: &Shared) -> Json<Value> {
    Json(json!({ "faults": shared.faults.list() }))
}

/// Same rule as the other non-GET dev endpoints: `X-Requested-With` or a matching `X-CSRF-Token`.
fn require_csrf(headers: &HeaderMap, method: &Method) -> WebResult<()> {
    if auth(headers, method).csrf_ok {
        return Ok(());
    }
    Err(WebError(ApiError::new(
        401,
        "api.context.session_expired.app_error",
        "missing X-Requested-With or X-CSRF-Token",
    )))
}

async fn list(State(shared): S) -> Json<Value> {
    active(&shared)
}

async fn inject(State(shared): S, headers: HeaderMap, body: Bytes) -> WebResult<Json<Value>> {
    require_csrf(&headers, &Method::POST)?;
    let spec: FaultSpec = parse_json(&body)?;
    let bad = |e: crate::faults::FaultError| {
        WebError(ApiError::bad_request("api.dev.faults.invalid.app_error", e.to_string()))
    };
    let fault = spec.to_fault().map_err(bad)?;
    shared.faults.inject(&spec.rpc, fault).map_err(bad)?;
    tracing::warn!(rpc = %spec.rpc, ?fault, "fault injected into the PluginAPI");
    Ok(active(&shared))
}

async fn clear(State(shared): S, headers: HeaderMap) -> WebResult<Json<Value>> {
    require_csrf(&headers, &Method::DELETE)?;
    shared.faults.clear();
    tracing::info!("PluginAPI faults cleared");
    Ok(active(&shared))
}
