//! Private incidents over REST: request access, the Allow / Deny and Remove / Keep buttons, grant, revoke,
//! visibility, "who has access", and joining the channel from the incident page.
//!
//! Existence never leaks: an incident the user may not read answers exactly as a missing id (404, same body), and
//! `request-access` answers identically whether or not the id exists (the 15-minute limit is taken *before* the
//! incident is looked up, so it behaves the same for real and made-up ids, and the lookup and post run after the
//! answer, so its timing says nothing either); it only really posts when the incident exists, is private and the
//! user is in its team without access.

use std::sync::OnceLock;

use axum::extract::{Path, State as Ext};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use http::StatusCode;
use incident_app::{AccessQuestion, AppError, Ctx};
use incident_core::{ChannelId, IncidentId, TeamId, UserId, Visibility};
use mm::model::KvSetOptions;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiErr, State, User, json_body};
use crate::dialogs::ActionRequest;
use crate::dto::{AccessList, AccessPerson, Settings};
use crate::ids;

/// Where the Allow / Deny buttons post, below `/plugins/<id>`.
pub const ANSWER_PATH: &str = "/api/v0/actions/access";
/// Seconds between two access requests of one user for one incident.
pub const REQUEST_INTERVAL_SECONDS: i64 = 15 * 60;

/// The routes of this module: (method, path). Part of the privacy matrix's route list.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v0/incidents/{id}/request-access"),
    ("GET", "/api/v0/incidents/{id}/access"),
    ("POST", "/api/v0/incidents/{id}/access/grant"),
    ("POST", "/api/v0/incidents/{id}/access/revoke"),
    ("POST", "/api/v0/incidents/{id}/visibility"),
    ("POST", ANSWER_PATH),
    ("GET", "/api/v0/settings"),
    ("POST", "/api/v0/incidents/{id}/join"),
];

static PLUGIN_ID: OnceLock<String> = OnceLock::new();

/// Remembers the plugin id for the buttons' URLs (set once at start).
pub fn set_plugin_id(id: &str) {
    let _ = PLUGIN_ID.set(id.to_owned());
}

/// The routes, merged into the main router.
pub fn routes() -> Router<State> {
    Router::new()
        .route(ROUTES[0].1, post(request_access))
        .route(ROUTES[1].1, get(who_has_access))
        .route(ROUTES[2].1, post(grant))
        .route(ROUTES[3].1, post(revoke))
        .route(ROUTES[4].1, post(visibility))
        .route(ANSWER_PATH, post(answer))
        .route(ROUTES[6].1, get(settings))
        .route(ROUTES[7].1, post(join))
}

#[derive(Debug, Deserialize)]
struct SettingsQuery {
    #[serde(default)]
    team_id: String,
}

/// `GET /api/v0/settings?team_id=` → what the System Console settings mean for the signed-in user in that team:
/// `{private_incidents, enabled_in_team, can_create_playbooks, default_reminder_ms}`.
async fn settings(
    Ext(state): Ext<State>,
    User(user): User,
    axum::extract::Query(q): axum::extract::Query<SettingsQuery>,
) -> Json<Settings> {
    let config = crate::config::current();
    let api = state.ports.api();
    let team = TeamId::try_from(q.team_id).ok();
    let (enabled, playbooks) = match &team {
        Some(t) => (
            crate::permissions::team_enabled(api, t.as_str()).await,
            crate::permissions::may_create_playbooks(api, user.as_str(), t.as_str()).await,
        ),
        None => (false, false),
    };
    Json(Settings {
        private_incidents: config.private_incidents,
        enabled_in_team: enabled,
        can_create_playbooks: playbooks,
        default_reminder_ms: config.default_reminder_ms(),
    })
}

/// The post props of an access question: two buttons carrying the incident, the person asked about and the answer.
pub fn question_buttons(incident: &IncidentId, question: &AccessQuestion) -> Map<String, Value> {
    let url = format!("/plugins/{}{ANSWER_PATH}", PLUGIN_ID.get().map_or("", String::as_str));
    let (user, text, buttons) = match question {
        AccessQuestion::Request { requester } => (
            requester,
            "Only members of this channel can answer. Denying does not tell the requester.",
            [("allowaccess", "Allow", "primary", "allow"), ("denyaccess", "Deny", "danger", "deny")],
        ),
        AccessQuestion::LeftChannel { user } => (
            user,
            "Only members of this channel can answer. Keeping access lets them rejoin from the incident page.",
            [("removeaccess", "Remove access", "danger", "remove"), ("keepaccess", "Keep access", "default", "keep")],
        ),
    };
    let button = |(id, name, style, decision): (&str, &str, &str, &str)| {
        json!({
            "id": id, "name": name, "type": "button", "style": style,
            "integration": { "url": url, "context": { "incident_id": incident, "user": user, "decision": decision } },
        })
    };
    let attachment = json!({ "text": text, "actions": buttons.map(button) });
    let mut props = Map::new();
    props.insert("attachments".into(), Value::Array(vec![attachment]));
    props
}

/// The one answer to `request-access`, whatever happened behind it.
pub const REQUESTED: &str = "If this incident exists and is private, its members were asked to let you in. \
You will be added to its channel if they allow it.";
/// The answer when the same user asked about the same id within 15 minutes.
pub const TOO_SOON: &str = "You can ask for access to an incident once every 15 minutes.";

/// `POST /api/v0/incidents/{id}/request-access` → 202 `{status, message}` (or 429 within 15 minutes), the same for
/// a real, missing, public or already accessible incident.
async fn request_access(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Value>), ApiErr> {
    // The limit is keyed by the id as given, before any lookup: real and made-up ids behave alike.
    let key: String =
        format!("accessreq_{user}_{}", id.chars().filter(char::is_ascii_alphanumeric).take(32).collect::<String>());
    let options = KvSetOptions { atomic: true, old_value: None, expire_in_seconds: REQUEST_INTERVAL_SECONDS };
    match state.ports.api().kv_set_with_options(&key, b"1", options).await {
        Ok(true) => {}
        Ok(false) => return Err(ApiErr::new(StatusCode::TOO_MANY_REQUESTS, "too_soon", TOO_SOON)),
        Err(e) => {
            tracing::warn!(error = %e, "recording an access request failed");
            return Err(ApiErr::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Please try again."));
        }
    }
    if let Ok(id) = IncidentId::try_from(id) {
        // Looked up and posted after answering: the response time says nothing about whether the incident exists.
        let ctx = Ctx { user, team: None, channel: None, now: ids::now() };
        tokio::spawn(async move {
            if let Err(e) = state.app.request_access(&ctx, &id).await {
                // Not told to the requester: it would say whether the incident exists or what they may see.
                tracing::debug!(error = %e, "an access request was not posted");
            }
        });
    }
    Ok((StatusCode::ACCEPTED, Json(json!({ "status": "requested", "message": REQUESTED }))))
}

/// `POST /api/v0/incidents/{id}/join` → 200 `{message}`: puts the user in the incident channel if they may read the
/// incident (a team member for a public one, someone with access for a private one: they can rejoin after leaving).
async fn join(Ext(state): Ext<State>, User(user): User, Path(id): Path<String>) -> Result<Json<Value>, ApiErr> {
    let id = incident_id(id)?;
    let ctx = Ctx { user, team: None, channel: None, now: ids::now() };
    let message = state.app.join_channel(&ctx, &id).await?;
    Ok(Json(json!({ "message": message })))
}

fn incident_id(id: String) -> Result<IncidentId, ApiErr> {
    IncidentId::try_from(id).map_err(|_| ApiErr::incident_not_found())
}

/// `GET /api/v0/incidents/{id}/access` → `{people: [{user_id, username, state: member|invited|revoked}]}`.
async fn who_has_access(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiErr> {
    let people = state.app.access_list(&user, &incident_id(id)?).await?;
    Ok(Json(json!(AccessList { people: people.iter().map(AccessPerson::of).collect() })))
}

#[derive(Debug, Deserialize)]
struct PersonBody {
    username: String,
    /// Time-boxed grant: minutes until the access expires (grant only).
    #[serde(default)]
    expires_in_minutes: Option<u64>,
}

/// `POST /api/v0/incidents/{id}/access/grant` `{username, expires_in_minutes?}` → 200 `{message}`.
async fn grant(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiErr> {
    let id = incident_id(id)?;
    let body: PersonBody = json_body(&body)?;
    let ctx = Ctx { user, team: None, channel: None, now: ids::now() };
    let for_ms = match body.expires_in_minutes {
        Some(0) => {
            return Err(ApiErr::new(StatusCode::BAD_REQUEST, "invalid", "`expires_in_minutes` must be at least 1."));
        }
        Some(m) if m > 30 * 24 * 60 => {
            return Err(ApiErr::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                "`expires_in_minutes` is at most 43200 (30 days).",
            ));
        }
        m => m.map(|m| m * 60_000),
    };
    let message = state.app.grant_access(&ctx, &id, &body.username, for_ms).await?;
    Ok(Json(json!({ "message": message })))
}

/// `POST /api/v0/incidents/{id}/access/revoke` `{username}` → 200 `{message}`.
async fn revoke(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiErr> {
    let id = incident_id(id)?;
    let body: PersonBody = json_body(&body)?;
    let ctx = Ctx { user, team: None, channel: None, now: ids::now() };
    let message = state.app.revoke_access(&ctx, &id, &body.username).await?;
    Ok(Json(json!({ "message": message })))
}

#[derive(Debug, Deserialize)]
struct VisibilityBody {
    visibility: String,
    #[serde(default)]
    confirmed: bool,
}

/// `POST /api/v0/incidents/{id}/visibility` `{visibility: public|private, confirmed?}` → 200; public unconfirmed → 409.
async fn visibility(
    Ext(state): Ext<State>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiErr> {
    let id = incident_id(id)?;
    let body: VisibilityBody = json_body(&body)?;
    let to = match body.visibility.as_str() {
        "public" => Visibility::Public,
        "private" => Visibility::Private,
        other => {
            return Err(ApiErr::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                format!("`visibility` must be `public` or `private`, not `{other}`."),
            ));
        }
    };
    if to == Visibility::Private && !crate::config::current().private_incidents {
        return Err(ApiErr::new(StatusCode::BAD_REQUEST, "invalid", crate::permissions::PRIVATE_DISABLED));
    }
    let ctx = Ctx { user, team: None, channel: None, now: ids::now() };
    let message = state.app.set_visibility(&ctx, &id, to, body.confirmed).await?;
    Ok(Json(json!({ "message": message })))
}

/// The buttons of an access question (Allow / Deny, Remove / Keep): on success the buttons are replaced by who
/// answered; a non-member or a second click gets a refusal as an ephemeral text.
async fn answer(Ext(state): Ext<State>, User(user): User, body: Bytes) -> Result<Json<Value>, ApiErr> {
    let a: ActionRequest = json_body(&body)?;
    let field = |k: &str| a.context.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    // Posts made before the Remove / Keep question existed carry `requester` instead of `user`.
    let person = Some(field("user")).filter(|u| !u.is_empty()).unwrap_or_else(|| field("requester"));
    let (Ok(id), Ok(person)) = (IncidentId::try_from(field("incident_id")), UserId::try_from(person)) else {
        return Ok(Json(
            json!({ "ephemeral_text": AppError::Domain(incident_core::DomainError::NotFound).to_string() }),
        ));
    };
    let ctx = Ctx {
        user,
        team: TeamId::try_from(a.team_id).ok(),
        channel: ChannelId::try_from(a.channel_id).ok(),
        now: ids::now(),
    };
    let decision = field("decision");
    let done = match decision.as_str() {
        "allow" => state.app.answer_access_request(&ctx, &id, &person, true).await,
        "deny" => state.app.answer_access_request(&ctx, &id, &person, false).await,
        "remove" => state.app.answer_left_channel(&ctx, &id, &person, true).await,
        "keep" => state.app.answer_left_channel(&ctx, &id, &person, false).await,
        _ => return Ok(Json(json!({ "ephemeral_text": "Unknown answer." }))),
    };
    match done {
        Ok(text) => {
            let verb = match decision.as_str() {
                "allow" => "allowed",
                "deny" => "denied",
                "remove" => "access removed",
                _ => "access kept",
            };
            let outcome = format!("Answered by @{}: {verb}.", a.user_name);
            Ok(Json(super::reminders::answered(&state, &a.post_id, &outcome, &text).await))
        }
        Err(e) => Ok(Json(json!({ "ephemeral_text": e.to_string() }))),
    }
}
