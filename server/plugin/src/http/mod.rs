//! The plugin's HTTP API, served through ServeHTTP: an axum router answered in-process. Every error is JSON
//! `{"error": code, "detail": text}`; the acting user is the `Mattermost-User-Id` header set by the server.

pub mod access;
pub(crate) mod actions;
mod incidents;
mod interactive;
pub mod playbooks;
pub mod reminders;
mod review;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use bytes::Bytes;
use http::StatusCode;
use http::request::Parts;
use http_body_util::BodyExt;
use incident_app::{App, AppError, ErrorKind};
use incident_core::{DomainError, UserId};
use mm::{HttpRequest, HttpResponse, Manifest};
use serde::de::DeserializeOwned;
use serde_json::json;
use tower::ServiceExt;

use crate::ports::MmPorts;

/// Largest JSON body the API reads.
pub const MAX_JSON_BODY: usize = 256 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct State {
    pub manifest: Manifest,
    pub app: Arc<App>,
    pub ports: Arc<MmPorts>,
}

pub fn router(state: State) -> Router {
    Router::new()
        .route("/api/v0/health", get(health))
        .route("/api/v0/incidents", get(incidents::list).post(incidents::create))
        .route("/api/v0/incidents/dialog", post(incidents::from_post))
        .route("/api/v0/incidents/{id}", get(incidents::one))
        .route("/api/v0/incidents/{id}/tasks", post(actions::add_task))
        .route("/api/v0/incidents/{id}/tasks/toggle", post(actions::toggle_task))
        .route("/api/v0/incidents/{id}/tasks/assign", post(actions::assign_task))
        .route("/api/v0/incidents/{id}/tasks/{checklist}/{item}", delete(actions::remove_task))
        .route("/api/v0/incidents/{id}/commander", post(actions::commander))
        .route("/api/v0/incidents/{id}/end", post(actions::end))
        .route("/api/v0/incidents/{id}/restart", post(actions::restart))
        .route("/api/v0/incidents/{id}/status", post(actions::status))
        .route("/api/v0/incidents/{id}/timeline", get(actions::timeline).post(actions::add_post))
        .route(crate::dialogs::START_PATH, post(interactive::start_dialog))
        .route(crate::dialogs::UPDATE_PATH, post(interactive::update_dialog))
        .route(crate::dialogs::END_PATH, post(interactive::end_action))
        .merge(access::routes())
        .merge(reminders::routes())
        .merge(playbooks::routes())
        .merge(review::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

async fn health(axum::extract::State(state): axum::extract::State<State>) -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "id": state.manifest.id, "version": state.manifest.version }))
}

async fn not_found(uri: http::Uri) -> ApiErr {
    ApiErr::new(StatusCode::NOT_FOUND, "not_found", format!("no such endpoint: {}", uri.path()))
}

/// A JSON error answer.
#[derive(Debug)]
pub struct ApiErr {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiErr {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiErr { status, code, message: message.into() }
    }

    /// The one answer for a missing incident and for one the user may not see.
    pub fn incident_not_found() -> Self {
        AppError::Domain(DomainError::NotFound).into()
    }
}

impl From<AppError> for ApiErr {
    fn from(e: AppError) -> Self {
        let status = match e.kind() {
            ErrorKind::Invalid => StatusCode::BAD_REQUEST,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        };
        ApiErr::new(status, e.code(), e.to_string())
    }
}

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.code, "detail": self.message }))).into_response()
    }
}

/// The signed-in user, from `Mattermost-User-Id`; absent or malformed → 401.
pub struct User(pub UserId);

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiErr> {
        let header = parts.headers.get("Mattermost-User-Id").and_then(|v| v.to_str().ok()).unwrap_or_default();
        UserId::try_from(header).map(User).map_err(|_| {
            ApiErr::new(StatusCode::UNAUTHORIZED, "unauthorized", "Sign in to Mattermost to use this API.")
        })
    }
}

/// Parses a JSON body, with clear errors for oversized and malformed bodies.
pub fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiErr> {
    if body.len() > MAX_JSON_BODY {
        return Err(ApiErr::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("The request body has {} bytes; the limit is {MAX_JSON_BODY}.", body.len()),
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiErr::new(StatusCode::BAD_REQUEST, "invalid", format!("The request body is not valid JSON: {e}."))
    })
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
