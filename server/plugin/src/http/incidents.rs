//! `/api/v0/incidents`: list (read model), one by id (404 alike for missing and hidden), start, start from a post.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State as Ext};
use bytes::Bytes;
use http::StatusCode;
use incident_app::{Ctx, Query as ListQuery, Sort, StartRequest};
use incident_core::{ChannelId, IncidentId, PostId, Status, TeamId, UserId, Visibility};
use serde::Deserialize;

use super::{ApiErr, State, User, json_body};
use crate::dto::{Detail, Item, List};
use crate::ids;

/// Largest page.
const MAX_PER_PAGE: usize = 200;

fn bad(message: impl Into<String>) -> ApiErr {
    ApiErr::new(StatusCode::BAD_REQUEST, "invalid", message)
}

fn id_param<T: TryFrom<String>>(params: &BTreeMap<String, String>, name: &str) -> Result<Option<T>, ApiErr> {
    match params.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => T::try_from(v.clone()).map(Some).map_err(|_| bad(format!("`{name}` is not a valid id."))),
    }
}

fn number_param(params: &BTreeMap<String, String>, name: &str, default: usize) -> Result<usize, ApiErr> {
    match params.get(name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| bad(format!("`{name}` must be a non-negative number."))),
    }
}

/// `GET /api/v0/incidents?team_id=&channel_id=&status=&commander_id=&member_id=&q=&sort=&page=&per_page=&include_private=`.
pub async fn list(
    Ext(state): Ext<State>,
    User(user): User,
    params: Result<Query<BTreeMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<List>, ApiErr> {
    let Query(params) = params.map_err(|e| bad(format!("The query string is invalid: {e}.")))?;
    let status = match params.get("status").map(String::as_str) {
        None | Some("" | "all") => None,
        Some("active") => Some(Status::Active),
        Some("ended") => Some(Status::Ended),
        Some(other) => return Err(bad(format!("`status` must be `active`, `ended` or `all`, not `{other}`."))),
    };
    let sort = match params.get("sort").map(String::as_str) {
        None | Some("" | "newest") => Sort::Newest,
        Some("oldest") => Sort::Oldest,
        Some("name") => Sort::Name,
        Some(other) => return Err(bad(format!("`sort` must be `newest`, `oldest` or `name`, not `{other}`."))),
    };
    let per_page = number_param(&params, "per_page", 50)?;
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(bad(format!("`per_page` must be between 1 and {MAX_PER_PAGE}.")));
    }
    let channel = id_param::<ChannelId>(&params, "channel_id")?;
    // The "show private incidents" filter: off unless asked for, except in one channel (the RHS there shows the
    // channel's incidents, private or not, to those who may see them).
    let include_private = match params.get("include_private").map(String::as_str) {
        None | Some("") => channel.is_some(),
        Some("true") => true,
        Some("false") => false,
        Some(other) => return Err(bad(format!("`include_private` must be `true` or `false`, not `{other}`."))),
    };
    let query = ListQuery {
        team: id_param::<TeamId>(&params, "team_id")?,
        channel,
        include_private,
        status,
        commander: id_param::<UserId>(&params, "commander_id")?,
        participant: id_param::<UserId>(&params, "member_id")?,
        text: params.get("q").cloned(),
        sort,
        page: number_param(&params, "page", 0)?,
        per_page,
    };
    let page = state.app.list(&user, query).await?;
    Ok(Json(List { items: page.rows.iter().map(Item::of_row).collect(), total: page.total }))
}

/// `GET /api/v0/incidents/{id}`.
pub async fn one(Ext(state): Ext<State>, User(user): User, Path(id): Path<String>) -> Result<Json<Detail>, ApiErr> {
    let id = IncidentId::try_from(id).map_err(|_| ApiErr::incident_not_found())?;
    let incident = state.app.get(&user, &id).await?;
    Ok(Json(Detail::of(&incident)))
}

#[derive(Debug, Deserialize)]
struct CreateBody {
    name: String,
    team_id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    commander_id: Option<String>,
    #[serde(default)]
    visibility: Option<String>,
    /// Start from this playbook (its checklists, first reminder, broadcast channels; private if it says so).
    #[serde(default)]
    playbook_id: Option<String>,
}

/// `POST /api/v0/incidents` `{name, team_id, description?, commander_id?, visibility?: "public"|"private",
/// playbook_id?}` → 201.
pub async fn create(
    Ext(state): Ext<State>,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Detail>), ApiErr> {
    let body: CreateBody = json_body(&body)?;
    let team = TeamId::try_from(body.team_id).map_err(|_| bad("`team_id` is not a valid id."))?;
    let commander = match body.commander_id.filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(UserId::try_from(c).map_err(|_| bad("`commander_id` is not a valid id."))?),
    };
    let visibility = match body.visibility.as_deref() {
        None | Some("" | "public") => Visibility::Public,
        Some("private") => Visibility::Private,
        Some(other) => return Err(bad(format!("`visibility` must be `public` or `private`, not `{other}`."))),
    };
    if visibility == Visibility::Private && !crate::config::current().private_incidents {
        return Err(bad(crate::permissions::PRIVATE_DISABLED));
    }
    if !crate::permissions::team_enabled(state.ports.api(), team.as_str()).await {
        return Err(ApiErr::new(StatusCode::FORBIDDEN, "team_disabled", crate::permissions::TEAM_DISABLED));
    }
    let ctx = Ctx { user, team: Some(team.clone()), channel: None, now: ids::now() };
    let request = StartRequest { team, name: body.name, description: body.description, commander, visibility };
    let started = match body.playbook_id.filter(|p| !p.is_empty()) {
        None => state.app.start(&ctx, request).await?,
        Some(p) => {
            let playbook =
                incident_core::PlaybookId::try_from(p).map_err(|_| incident_app::AppError::PlaybookNotFound)?;
            state.app.start_with_playbook(&ctx, request, &playbook).await?
        }
    };
    Ok((StatusCode::CREATED, Json(Detail::of(&started.incident))))
}

#[derive(Debug, Deserialize)]
struct FromPostBody {
    post_id: String,
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    team_id: String,
}

/// `POST /api/v0/incidents/dialog` `{post_id, channel_id, team_id}`: the post menu's "Start incident from this
/// message". The request carries no trigger id, so no dialog can be opened: the incident starts directly, named
/// after the message's first line, with the message (and a link to it) as description → 201 with the incident.
pub async fn from_post(
    Ext(state): Ext<State>,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Detail>), ApiErr> {
    let body: FromPostBody = json_body(&body)?;
    let post = PostId::try_from(body.post_id).map_err(|_| bad("`post_id` is not a valid id."))?;
    let ctx = Ctx {
        user,
        team: TeamId::try_from(body.team_id).ok(),
        channel: ChannelId::try_from(body.channel_id).ok(),
        now: ids::now(),
    };
    let started = state.app.start_from_post(&ctx, &post).await?;
    if let Some(channel) = &ctx.channel {
        use incident_app::Chat;
        let _ = state.ports.ephemeral(&ctx.user, channel, &started.reply()).await;
    }
    Ok((StatusCode::CREATED, Json(Detail::of(&started.incident))))
}
