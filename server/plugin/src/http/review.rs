//! Review and export over REST:
//! - `GET /api/v0/incidents/{id}/review` → `{duration_ms, member_ids, messages}`
//! - `GET /api/v0/incidents/{id}/export?format=markdown|json` → a download (404 alike for missing and hidden)
//! - `GET /api/v0/exports/incidents.csv?team_id=` → the team's incident list as CSV (never private incidents)
//! - `GET /api/v0/stats?team_id=` → active/ended counts and mean time to resolve, overall and per playbook

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State as Ext};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{StatusCode, header};
use incident_app::review::Export;
use incident_core::{IncidentId, TeamId};
use serde_json::{Value, json};

use super::{ApiErr, State, User};
use crate::dto::{Counts, PlaybookCounts, Stats};
use crate::ids;

/// The routes of this module, for the router and the route checks.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v0/incidents/{id}/review"),
    ("GET", "/api/v0/incidents/{id}/export"),
    ("GET", "/api/v0/exports/incidents.csv"),
    ("GET", "/api/v0/stats"),
];

pub fn routes() -> Router<State> {
    Router::new()
        .route(ROUTES[0].1, get(review))
        .route(ROUTES[1].1, get(export))
        .route(ROUTES[2].1, get(csv))
        .route(ROUTES[3].1, get(stats))
}

type Params = Result<Query<BTreeMap<String, String>>, axum::extract::rejection::QueryRejection>;

fn params(q: Params) -> Result<BTreeMap<String, String>, ApiErr> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiErr::new(StatusCode::BAD_REQUEST, "invalid", format!("The query string is invalid: {e}.")))
}

fn team(p: &BTreeMap<String, String>) -> Result<TeamId, ApiErr> {
    p.get("team_id")
        .and_then(|t| TeamId::try_from(t.clone()).ok())
        .ok_or_else(|| ApiErr::new(StatusCode::BAD_REQUEST, "invalid", "Give a valid `team_id` query parameter."))
}

fn incident_id(id: String) -> Result<IncidentId, ApiErr> {
    IncidentId::try_from(id).map_err(|_| ApiErr::incident_not_found())
}

async fn review(Ext(state): Ext<State>, User(user): User, Path(id): Path<String>) -> Result<Json<Value>, ApiErr> {
    let r = state.app.review(&user, &incident_id(id)?, ids::now()).await?;
    Ok(Json(json!({ "duration_ms": r.duration_ms, "member_ids": r.members, "messages": r.messages })))
}

/// A file to download.
fn download(content_type: &str, filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response()
}

fn export_json(e: &Export) -> Value {
    let name = |u: &incident_core::UserId| e.usernames.get(u).cloned();
    json!({
        "format": "incident-collaboration-export",
        "version": 1,
        "incident": e.incident,
        "review": { "duration_ms": e.review.duration_ms, "member_ids": e.review.members, "messages": e.review.messages },
        "usernames": e.usernames,
        "transcript": e.transcript.iter().map(|l| json!({
            "at": l.at.millis(),
            "user_id": l.author,
            "username": l.author.as_ref().and_then(name),
            "message": l.message,
        })).collect::<Vec<_>>(),
        "transcript_truncated": e.truncated,
    })
}

async fn export(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    q: Params,
) -> Result<Response, ApiErr> {
    let p = params(q)?;
    let id = incident_id(id)?;
    let format = p.get("format").map_or("markdown", String::as_str);
    if !matches!(format, "markdown" | "json") {
        return Err(ApiErr::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("`format` must be `markdown` or `json`, not `{format}`."),
        ));
    }
    let e = state.app.export(&user, &id, ids::now()).await?;
    let base = e.incident.reference();
    Ok(match format {
        "json" => download(
            "application/json",
            &format!("{base}.json"),
            serde_json::to_string_pretty(&export_json(&e)).unwrap_or_default(),
        ),
        _ => download("text/markdown; charset=utf-8", &format!("{base}.md"), e.markdown),
    })
}

async fn csv(Ext(state): Ext<State>, User(user): User, q: Params) -> Result<Response, ApiErr> {
    let team = team(&params(q)?)?;
    let body = state.app.incidents_csv(&user, &team).await?;
    Ok(download("text/csv; charset=utf-8", "incidents.csv", body))
}

async fn stats(Ext(state): Ext<State>, User(user): User, q: Params) -> Result<Json<Stats>, ApiErr> {
    let team = team(&params(q)?)?;
    let s = state.app.stats(&user, &team).await?;
    let per_playbook = s
        .per_playbook
        .iter()
        .map(|(pb, c)| PlaybookCounts { playbook_id: pb.as_ref().map(ToString::to_string), counts: Counts::of(c) })
        .collect();
    Ok(Json(Stats { all: Counts::of(&s.all), per_playbook }))
}
