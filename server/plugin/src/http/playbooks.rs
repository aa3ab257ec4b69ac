//! `/api/v0/playbooks`: list, create, read, replace and archive a team's playbooks (never delete: incidents keep
//! naming the playbook they started from). Every team member may list and use the team's playbooks; creating,
//! editing and archiving follow the System Console's "who may create playbooks" (system admins always may), and an
//! "always private" playbook needs private incidents to be enabled.
//!
//! - `GET  /api/v0/playbooks?team_id=…[&archived=true][&page=&per_page=]` → 200 `{items: [...], total}`, by title
//! - `POST /api/v0/playbooks?team_id=…` `PlaybookInput` → 201 playbook
//! - `GET  /api/v0/playbooks/{id}` → 200 playbook (404 outside the user's teams)
//! - `PUT  /api/v0/playbooks/{id}` `PlaybookInput` → 200 playbook
//! - `POST /api/v0/playbooks/{id}/archive` → 200 playbook
//! - `POST /api/v0/playbooks/{id}/duplicate` → 201 the copy ("Copy of …", the caller its creator)
//! - `GET  /api/v0/playbooks/{id}/export` → 200 a playbook file (attachment)
//! - `POST /api/v0/playbooks/import?team_id=…` playbook file → 201 `{playbook, warnings}`
//!
//! Playbooks are private to their members: anyone else gets the same 404 as for a missing id.

use axum::extract::{Path, Query, State as Ext};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use http::StatusCode;
use incident_app::Ctx;
use incident_app::playbooks::PlaybookInput;
use incident_core::{PlaybookId, TeamId};
use incident_store::Playbook;
use serde::{Deserialize, Serialize};

use super::{ApiErr, State, User, json_body};
use crate::ids;

/// The routes, for the router and the privacy matrix.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET POST", "/api/v0/playbooks"),
    ("GET PUT", "/api/v0/playbooks/{id}"),
    ("POST", "/api/v0/playbooks/{id}/archive"),
    ("POST", "/api/v0/playbooks/{id}/duplicate"),
    ("GET", "/api/v0/playbooks/{id}/export"),
    ("POST", "/api/v0/playbooks/import"),
];

pub fn routes() -> Router<State> {
    Router::new()
        .route(ROUTES[0].1, get(list).post(create))
        .route(ROUTES[1].1, get(one).put(replace))
        .route(ROUTES[2].1, post(archive))
        .route(ROUTES[3].1, post(duplicate))
        .route(ROUTES[4].1, get(export))
        .route(ROUTES[5].1, post(import))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamQuery {
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    archived: bool,
    /// 0-based page of the list.
    #[serde(default)]
    page: usize,
    /// Playbooks per page (1 to [`MAX_PER_PAGE`]).
    #[serde(default = "default_per_page")]
    per_page: usize,
}

/// Largest page of playbooks.
const MAX_PER_PAGE: usize = 200;

fn default_per_page() -> usize {
    50
}

#[derive(Debug, Serialize)]
struct List {
    items: Vec<Playbook>,
    /// Playbooks on all pages.
    total: usize,
}

fn ctx(user: incident_core::UserId, team: Option<TeamId>) -> Ctx {
    Ctx { user, team, channel: None, now: ids::now() }
}

fn team(q: &TeamQuery) -> Result<TeamId, ApiErr> {
    TeamId::try_from(q.team_id.clone())
        .map_err(|_| ApiErr::new(StatusCode::BAD_REQUEST, "invalid", "Give a valid `team_id` query parameter."))
}

fn playbook_id(raw: String) -> Result<PlaybookId, ApiErr> {
    PlaybookId::try_from(raw).map_err(|_| incident_app::AppError::PlaybookNotFound.into())
}

/// Refuses managing playbooks in `team` when the settings say so, and "always private" while private incidents
/// are off.
async fn may_manage(
    state: &State,
    user: &incident_core::UserId,
    team: &TeamId,
    input: Option<&PlaybookInput>,
) -> Result<(), ApiErr> {
    if !crate::permissions::may_create_playbooks(state.ports.api(), user.as_str(), team.as_str()).await {
        return Err(ApiErr::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "You may not create or change playbooks in this team. A system admin can change who may in the System Console.",
        ));
    }
    if input.is_some_and(|i| i.always_private) && !crate::config::current().private_incidents {
        return Err(ApiErr::new(StatusCode::BAD_REQUEST, "invalid", crate::permissions::PRIVATE_DISABLED));
    }
    Ok(())
}

fn query(q: Result<Query<TeamQuery>, axum::extract::rejection::QueryRejection>) -> Result<TeamQuery, ApiErr> {
    q.map(|Query(q)| q).map_err(|e| {
        ApiErr::new(StatusCode::BAD_REQUEST, "invalid", format!("Bad query parameters: {}.", e.body_text()))
    })
}

async fn list(
    Ext(state): Ext<State>,
    User(user): User,
    q: Result<Query<TeamQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<List>, ApiErr> {
    let q = query(q)?;
    let team = team(&q)?;
    if q.per_page == 0 || q.per_page > MAX_PER_PAGE {
        return Err(ApiErr::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("`per_page` must be between 1 and {MAX_PER_PAGE}."),
        ));
    }
    let all = state.app.playbooks(&ctx(user, Some(team.clone())), &team, q.archived).await?;
    let total = all.len();
    let items = all.into_iter().skip(q.page.saturating_mul(q.per_page)).take(q.per_page).collect();
    Ok(Json(List { items, total }))
}

async fn create(
    Ext(state): Ext<State>,
    User(user): User,
    q: Result<Query<TeamQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Result<(StatusCode, Json<Playbook>), ApiErr> {
    let team = team(&query(q)?)?;
    let input: PlaybookInput = json_body(&body)?;
    may_manage(&state, &user, &team, Some(&input)).await?;
    let created = state.app.create_playbook(&ctx(user, Some(team.clone())), &team, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn one(Ext(state): Ext<State>, User(user): User, Path(id): Path<String>) -> Result<Json<Playbook>, ApiErr> {
    let id = playbook_id(id)?;
    Ok(Json(state.app.playbook(&ctx(user, None), &id).await?))
}

async fn replace(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Playbook>, ApiErr> {
    let id = playbook_id(id)?;
    let input: PlaybookInput = json_body(&body)?;
    let current = state.app.playbook(&ctx(user.clone(), None), &id).await?;
    may_manage(&state, &user, &current.team, Some(&input)).await?;
    Ok(Json(state.app.update_playbook(&ctx(user, None), &id, input).await?))
}

async fn archive(Ext(state): Ext<State>, User(user): User, Path(id): Path<String>) -> Result<Json<Playbook>, ApiErr> {
    let id = playbook_id(id)?;
    let current = state.app.playbook(&ctx(user.clone(), None), &id).await?;
    may_manage(&state, &user, &current.team, None).await?;
    Ok(Json(state.app.archive_playbook(&ctx(user, None), &id).await?))
}

async fn duplicate(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Playbook>), ApiErr> {
    let id = playbook_id(id)?;
    let current = state.app.playbook(&ctx(user.clone(), None), &id).await?;
    may_manage(&state, &user, &current.team, None).await?;
    Ok((StatusCode::CREATED, Json(state.app.duplicate_playbook(&ctx(user, None), &id).await?)))
}

async fn export(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiErr> {
    use axum::response::IntoResponse;
    let id = playbook_id(id)?;
    let file = state.app.export_playbook(&ctx(user, None), &id).await?;
    let slug = incident_core::channel_name(&file.playbook.title, 0);
    let disposition = format!("attachment; filename=\"playbook-{slug}.json\"");
    Ok(([(http::header::CONTENT_DISPOSITION, disposition)], Json(file)).into_response())
}

async fn import(
    Ext(state): Ext<State>,
    User(user): User,
    q: Result<Query<TeamQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Result<(StatusCode, Json<incident_app::playbooks::Imported>), ApiErr> {
    let team = team(&query(q)?)?;
    let file: incident_app::playbooks::PlaybookFile = json_body(&body)?;
    may_manage(&state, &user, &team, Some(&file.playbook)).await?;
    let imported = state.app.import_playbook(&ctx(user, Some(team.clone())), &team, file).await?;
    Ok((StatusCode::CREATED, Json(imported)))
}

/// The start dialog with a "Playbook" select of the active playbooks the user may use (none: the select is left out).
pub async fn start_dialog(app: &incident_app::App, ctx: &Ctx, mut dialog: mm::model::Dialog) -> mm::model::Dialog {
    let Some(team) = ctx.team.clone() else { return dialog };
    let playbooks = match app.playbooks(ctx, &team, false).await {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => return dialog,
        Err(e) => {
            tracing::warn!(error = %e, "listing playbooks for the start dialog failed; offering none");
            return dialog;
        }
    };
    let options =
        playbooks.iter().map(|p| mm::model::DialogOption { text: p.title.clone(), value: p.id.to_string() }).collect();
    dialog.elements.push(mm::model::DialogElement {
        name: "playbook".into(),
        display_name: "Playbook".into(),
        r#type: "select".into(),
        optional: true,
        help_text: "Its checklists, first reminder and broadcast channels come with the incident.".into(),
        options,
        ..mm::model::DialogElement::default()
    });
    dialog
}

/// The playbook chosen in the start dialog: None for none; an error text for the `playbook` field otherwise.
pub async fn chosen(state: &State, ctx: &Ctx, field: &str) -> Result<Option<PlaybookId>, String> {
    if field.is_empty() {
        return Ok(None);
    }
    let id =
        PlaybookId::try_from(field.to_owned()).map_err(|_| incident_app::AppError::PlaybookNotFound.to_string())?;
    let playbook = state.app.playbook(ctx, &id).await.map_err(|e| e.to_string())?;
    if playbook.always_private && !crate::config::current().private_incidents {
        return Err(crate::permissions::PRIVATE_DISABLED.into());
    }
    Ok(Some(id))
}
