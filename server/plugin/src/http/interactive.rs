//! Dialog submissions and button clicks, routed by the server into ServeHTTP (PROTOCOL §5). Answers are
//! `SubmitDialogResponse` (`{}` closes the dialog, `errors` marks fields) and `PostActionIntegrationResponse`.

use axum::Json;
use axum::extract::State as Ext;
use bytes::Bytes;
use incident_app::{AppError, Chat, Ctx, StartRequest};
use incident_core::{ChannelId, DomainError, IncidentId, TeamId, UserId, Visibility};
use serde_json::{Value, json};

use super::{ApiErr, State, User, json_body};
use crate::dialogs::{ActionRequest, Submission};
use crate::ids;

/// A dialog answer: close (`{}`), a field error, or a general error.
fn dialog_error(e: &AppError, field: Option<&str>) -> Json<Value> {
    match field {
        Some(field) => Json(json!({ "errors": { field: e.to_string() } })),
        None => Json(json!({ "error": e.to_string() })),
    }
}

/// Tells the user in the channel they submitted from (dialogs cannot show a success text).
async fn tell(state: &State, user: &UserId, channel: Option<&ChannelId>, text: &str) {
    if let (Some(channel), false) = (channel, text.is_empty()) {
        let _ = state.ports.ephemeral(user, channel, text).await;
    }
}

/// `POST /api/v0/dialogs/start`.
pub async fn start_dialog(Ext(state): Ext<State>, User(user): User, body: Bytes) -> Result<Json<Value>, ApiErr> {
    let s: Submission = json_body(&body)?;
    if s.cancelled {
        return Ok(Json(json!({})));
    }
    let Ok(team) = TeamId::try_from(s.team_id.clone()) else {
        return Ok(dialog_error(&AppError::NoContext, None));
    };
    let channel = ChannelId::try_from(s.channel_id.clone()).ok();
    let commander = match s.field("commander") {
        c if c.is_empty() => None,
        c => match UserId::try_from(c.clone()) {
            Ok(id) => Some(id),
            Err(_) => return Ok(dialog_error(&AppError::UnknownUser(c), Some("commander"))),
        },
    };
    let visibility = if s.field("visibility") == "private" { Visibility::Private } else { Visibility::Public };
    if visibility == Visibility::Private && !crate::config::current().private_incidents {
        return Ok(Json(json!({ "errors": { "visibility": crate::permissions::PRIVATE_DISABLED } })));
    }
    if !crate::permissions::team_enabled(state.ports.api(), team.as_str()).await {
        return Ok(Json(json!({ "error": crate::permissions::TEAM_DISABLED })));
    }
    let ctx = Ctx { user: user.clone(), team: Some(team.clone()), channel: channel.clone(), now: ids::now() };
    let request =
        StartRequest { team, name: s.field("name"), description: s.field("description"), commander, visibility };
    let started = match super::playbooks::chosen(&state, &ctx, &s.field("playbook")).await {
        Ok(None) => state.app.start(&ctx, request).await,
        Ok(Some(playbook)) => state.app.start_with_playbook(&ctx, request, &playbook).await,
        Err(text) => return Ok(Json(json!({ "errors": { "playbook": text } }))),
    };
    match started {
        Ok(started) => {
            tell(&state, &user, channel.as_ref(), &started.reply()).await;
            Ok(Json(json!({})))
        }
        Err(e @ AppError::Domain(DomainError::EmptyName | DomainError::NameTooLong(_))) => {
            Ok(dialog_error(&e, Some("name")))
        }
        Err(e @ (AppError::UnknownUser(_) | AppError::UserNotInTeam(_))) => Ok(dialog_error(&e, Some("commander"))),
        Err(e) => Ok(dialog_error(&e, None)),
    }
}

/// `POST /api/v0/dialogs/update` (`state` is the incident id).
pub async fn update_dialog(Ext(state): Ext<State>, User(user): User, body: Bytes) -> Result<Json<Value>, ApiErr> {
    let s: Submission = json_body(&body)?;
    if s.cancelled {
        return Ok(Json(json!({})));
    }
    let Ok(incident) = IncidentId::try_from(s.state.clone()) else {
        return Ok(dialog_error(&AppError::Domain(DomainError::NotFound), None));
    };
    let reminder_ms = match super::reminders::chosen(&s.field("reminder"), &s.field("reminder_custom")) {
        Ok(ms) => ms,
        Err((field, text)) => return Ok(Json(json!({ "errors": { field: text } }))),
    };
    let channel = ChannelId::try_from(s.channel_id.clone()).ok();
    let ctx = Ctx {
        user: user.clone(),
        team: TeamId::try_from(s.team_id.clone()).ok(),
        channel: channel.clone(),
        now: ids::now(),
    };
    match state.app.post_update(&ctx, &incident, s.field("message"), reminder_ms).await {
        Ok(text) => {
            tell(&state, &user, channel.as_ref(), &text).await;
            Ok(Json(json!({})))
        }
        Err(e @ AppError::Domain(DomainError::EmptyUpdate | DomainError::UpdateTooLong(_))) => {
            Ok(dialog_error(&e, Some("message")))
        }
        Err(e) => Ok(dialog_error(&e, None)),
    }
}

/// `POST /api/v0/actions/end`: the "End incident" button of the confirmation (context `incident_id`).
pub async fn end_action(Ext(state): Ext<State>, User(user): User, body: Bytes) -> Result<Json<Value>, ApiErr> {
    let a: ActionRequest = json_body(&body)?;
    let incident = a
        .context
        .get("incident_id")
        .and_then(Value::as_str)
        .and_then(|s| IncidentId::try_from(s).ok())
        .ok_or_else(ApiErr::incident_not_found)?;
    let ctx = Ctx {
        user,
        team: TeamId::try_from(a.team_id).ok(),
        channel: ChannelId::try_from(a.channel_id).ok(),
        now: ids::now(),
    };
    let text = match state.app.end_confirmed(&ctx, &incident).await {
        Ok(text) => text,
        Err(e) => e.to_string(),
    };
    Ok(Json(json!({ "ephemeral_text": text })))
}
