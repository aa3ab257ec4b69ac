//! `/api/v0/incidents/{id}/…`: the RHS's actions on one incident, through the same use cases and rules as the slash
//! commands. The actor is `Mattermost-User-Id`; incidents the user may not see answer 404 like missing ones; every
//! answer is the saved incident (`{incident, message}`) so the caller shows it without refetching.

use axum::Json;
use axum::extract::{Path, State as Ext};
use bytes::Bytes;
use http::StatusCode;
use incident_app::{Acted, Ctx, needs_confirmation};
use incident_core::{Action, IncidentId, TaskAt, UserId};
use serde::{Deserialize, Serialize};

use super::{ApiErr, State, User, json_body};
use crate::dto::Detail;
use crate::ids;

/// What every action answers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct ActionResult {
    /// The incident as saved.
    pub incident: Detail,
    /// Text for the actor (warnings), usually empty.
    pub message: String,
}

/// One timeline row of `GET /api/v0/incidents/{id}/timeline`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct TimelineItem {
    pub at: i64,
    /// `incident_created`, `task_checked`, … (snake_case `EventKind`).
    pub kind: String,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub summary: String,
}

fn incident_id(id: String) -> Result<IncidentId, ApiErr> {
    IncidentId::try_from(id).map_err(|_| ApiErr::incident_not_found())
}

fn ctx(user: UserId) -> Ctx {
    Ctx { user, team: None, channel: None, now: ids::now() }
}

fn answer(acted: Acted) -> Json<ActionResult> {
    Json(ActionResult { incident: Detail::of(&acted.incident), message: acted.reply })
}

async fn run(state: &State, user: UserId, id: String, action: Action) -> Result<Json<ActionResult>, ApiErr> {
    let id = incident_id(id)?;
    Ok(answer(state.app.act_on(&ctx(user), &id, action).await?))
}

#[derive(Debug, Deserialize)]
struct TaskBody {
    checklist: usize,
    item: usize,
    #[serde(default)]
    done: Option<bool>,
}

/// `POST /api/v0/incidents/{id}/tasks/toggle` `{checklist, item, done?}` (zero-based): flips the task, or sets it
/// to `done` when given (409 if it already is).
pub async fn toggle_task(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ActionResult>, ApiErr> {
    let body: TaskBody = json_body(&body)?;
    let at = TaskAt { checklist: body.checklist, item: body.item };
    let action = match body.done {
        None => Action::ToggleTask { at },
        Some(done) => Action::SetTask { at, done },
    };
    run(&state, user, id, action).await
}

#[derive(Debug, Deserialize)]
struct AssignBody {
    checklist: usize,
    item: usize,
    #[serde(default)]
    user_id: Option<String>,
}

/// `POST /api/v0/incidents/{id}/tasks/assign` `{checklist, item, user_id}` (zero-based): gives the task to a channel
/// member; `user_id` null or empty clears the assignee.
pub async fn assign_task(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ActionResult>, ApiErr> {
    let body: AssignBody = json_body(&body)?;
    let id = incident_id(id)?;
    let to = match body.user_id.filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => Some(
            UserId::try_from(u)
                .map_err(|_| ApiErr::new(StatusCode::BAD_REQUEST, "invalid", "`user_id` is not a valid id."))?,
        ),
    };
    let at = TaskAt { checklist: body.checklist, item: body.item };
    Ok(answer(state.app.assign_to(&ctx(user), &id, at, to.as_ref()).await?))
}

#[derive(Debug, Deserialize)]
struct AddTaskBody {
    checklist: usize,
    title: String,
}

/// `POST /api/v0/incidents/{id}/tasks` `{checklist, title}` (zero-based checklist).
pub async fn add_task(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ActionResult>, ApiErr> {
    let body: AddTaskBody = json_body(&body)?;
    run(&state, user, id, Action::AddTask { checklist: body.checklist, title: body.title }).await
}

/// `DELETE /api/v0/incidents/{id}/tasks/{checklist}/{item}` (zero-based).
pub async fn remove_task(
    Ext(state): Ext<State>,
    User(user): User,
    Path((id, checklist, item)): Path<(String, usize, usize)>,
) -> Result<Json<ActionResult>, ApiErr> {
    run(&state, user, id, Action::RemoveTask { at: TaskAt { checklist, item } }).await
}

#[derive(Debug, Deserialize)]
struct CommanderBody {
    user_id: String,
}

/// `POST /api/v0/incidents/{id}/commander` `{user_id}`: the new commander must be in the incident channel.
pub async fn commander(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ActionResult>, ApiErr> {
    let body: CommanderBody = json_body(&body)?;
    let id = incident_id(id)?;
    let to = UserId::try_from(body.user_id)
        .map_err(|_| ApiErr::new(StatusCode::BAD_REQUEST, "invalid", "`user_id` is not a valid id."))?;
    Ok(answer(state.app.change_commander_to(&ctx(user), &id, &to).await?))
}

#[derive(Debug, Deserialize, Default)]
struct EndBody {
    #[serde(default)]
    confirm: bool,
}

/// `POST /api/v0/incidents/{id}/end` `{confirm?}`: with open tasks and without `confirm` → 409
/// `{"error": "confirm_required"}` and the question as message.
pub async fn end(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ActionResult>, ApiErr> {
    let body: EndBody = if body.is_empty() { EndBody::default() } else { json_body(&body)? };
    let id = incident_id(id)?;
    match state.app.act_on(&ctx(user), &id, Action::End { confirmed: body.confirm }).await {
        Ok(acted) => Ok(answer(acted)),
        Err(e) if needs_confirmation(&e) => Err(ApiErr::new(StatusCode::CONFLICT, "confirm_required", e.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// `POST /api/v0/incidents/{id}/restart`.
pub async fn restart(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<ActionResult>, ApiErr> {
    run(&state, user, id, Action::Restart).await
}

#[derive(Debug, Deserialize)]
struct StatusBody {
    message: String,
    #[serde(default)]
    reminder_ms: Option<u64>,
}

/// `POST /api/v0/incidents/{id}/status` `{message, reminder_ms?}`: posts a status update as the actor and
/// broadcasts it to the playbook's channels (what failed is in `message`).
pub async fn status(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ActionResult>, ApiErr> {
    let body: StatusBody = json_body(&body)?;
    let id = incident_id(id)?;
    let reminder_ms = body.reminder_ms.filter(|m| *m > 0);
    Ok(answer(state.app.post_update_on(&ctx(user), &id, body.message, reminder_ms).await?))
}

#[derive(Debug, Deserialize)]
struct AddPostBody {
    post_id: String,
}

/// `POST /api/v0/incidents/{id}/timeline` `{post_id}`: "Add to incident timeline" (post menu).
pub async fn add_post(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ActionResult>, ApiErr> {
    let body: AddPostBody = json_body(&body)?;
    let id = incident_id(id)?;
    let post = incident_core::PostId::try_from(body.post_id).map_err(|_| {
        ApiErr::new(StatusCode::BAD_REQUEST, "invalid", "`post_id` must be a Mattermost post id (26 characters).")
    })?;
    Ok(answer(state.app.add_post_to_timeline(&ctx(user), &id, &post).await?))
}

/// `GET /api/v0/incidents/{id}/timeline`: oldest first.
pub async fn timeline(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<Vec<TimelineItem>>, ApiErr> {
    let id = incident_id(id)?;
    let incident = state.app.get(&user, &id).await?;
    Ok(Json(
        incident
            .timeline
            .iter()
            .map(|e| TimelineItem {
                at: e.at.millis(),
                kind: serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
                actor_id: e.actor.as_ref().map(ToString::to_string),
                subject_id: e.subject.as_ref().map(ToString::to_string),
                summary: e.summary.clone(),
            })
            .collect(),
    ))
}
