//! `/api/v4` and `/dev/api` JSON endpoints of PAGE-API.md.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{WebError, WebResult, auth, identity_cookies, parse_json, require_user, webapp_dir};
use crate::api::convert::{ApiError, ensure_action_ids};
use crate::context::{PluginState, Shared};
use crate::events::post_json;
use crate::interactions::{self, DialogSubmission};
use crate::store::{Post, Scope};
use crate::{effects, supervisor};

type S = State<Arc<Shared>>;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/dev/api/state", get(state))
        .route("/dev/api/switch-user", post(switch_user))
        .route("/dev/api/plugin-settings", post(plugin_settings))
        .route("/api/v4/users/me", get(me))
        .route("/api/v4/users", get(users))
        .route("/api/v4/plugins/webapp", get(webapp_plugins))
        .route("/api/v4/users/me/teams", get(my_teams))
        .route("/api/v4/users/me/teams/{team_id}/channels", get(my_channels))
        .route("/api/v4/teams/{team_id}/channels", get(team_channels))
        .route("/api/v4/channels/{channel_id}/members", post(join_channel))
        .route("/api/v4/channels/{channel_id}/members/{user_id}", delete(leave_channel))
        .route("/api/v4/channels/{channel_id}/posts", get(channel_posts))
        .route("/api/v4/posts", post(create_post))
        .route("/api/v4/commands/execute", post(execute_command))
        .route("/api/v4/teams/{team_id}/commands/autocomplete", get(autocomplete))
        .route("/api/v4/posts/{post_id}/actions/{action_id}", post(post_action))
        .route("/api/v4/actions/dialogs/submit", post(submit_dialog))
}

fn forbidden(message: &str) -> WebError {
    WebError(ApiError::new(403, "api.context.permissions.app_error", message))
}

async fn state(State(shared): S, headers: HeaderMap) -> WebResult<Json<Value>> {
    let me = auth(&headers, &Method::GET).user_id.and_then(|id| shared.store.get_user(&id).ok());
    let teams: Vec<Value> = match &me {
        Some(u) => shared.store.teams_for_user(&u.id)?.iter().map(|t| json!(t)).collect(),
        None => Vec::new(),
    };
    Ok(Json(json!({
        "plugin": supervisor::status(&shared),
        "users": shared.store.list_users()?,
        "teams": teams,
        "me": me,
    })))
}

#[derive(Deserialize)]
struct SwitchUser {
    user_id: String,
}

async fn switch_user(State(shared): S, headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    let a = auth(&headers, &Method::POST);
    if !a.csrf_ok {
        return Err(WebError(ApiError::new(
            401,
            "api.context.session_expired.app_error",
            "missing X-Requested-With or X-CSRF-Token",
        )));
    }
    let req: SwitchUser = parse_json(&body)?;
    let user = shared.store.get_user(&req.user_id)?;
    if user.is_bot {
        return Err(WebError(ApiError::bad_request(
            "api.user.login.bot_login_forbidden.app_error",
            "bots cannot log in",
        )));
    }
    Ok((identity_cookies(&user.id), Json(json!(user))).into_response())
}

#[derive(Deserialize)]
struct PluginSettings {
    settings: serde_json::Map<String, Value>,
}

/// `POST /dev/api/plugin-settings` `{"settings": {key: value}}`: the System Console's save for the plugin (system
/// admins only): the settings are stored and every node gets `OnConfigurationChange` before the answer.
async fn plugin_settings(State(shared): S, headers: HeaderMap, body: Bytes) -> WebResult<Json<Value>> {
    let me = require_user(&shared, &headers, &Method::POST)?;
    if !shared.store.has_permission(&me, Scope::System, "manage_system") {
        return Err(forbidden("only system admins can change plugin settings"));
    }
    let req: PluginSettings = parse_json(&body)?;
    crate::hooks::save_plugin_settings(&shared, &req.settings).await?;
    Ok(Json(json!({ "status": "OK", "saved": req.settings.len() })))
}

async fn me(State(shared): S, headers: HeaderMap) -> WebResult<Json<Value>> {
    let id = require_user(&shared, &headers, &Method::GET)?;
    Ok(Json(json!(shared.store.get_user(&id)?)))
}

async fn users(
    State(shared): S,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Json<Value>> {
    require_user(&shared, &headers, &Method::GET)?;
    let given = |name: &str| q.get(name).map(String::as_str).filter(|s| !s.is_empty());
    let users = if let Some(ids) = given("ids") {
        shared.store.get_users_by_ids(&ids.split(',').map(str::to_string).collect::<Vec<_>>())?
    } else if let Some(channel) = given("in_channel") {
        let ids = shared.store.channel_member_ids(channel)?;
        shared.store.get_users_by_ids(&ids)?
    } else if let Some(team) = given("in_team") {
        shared.store.users_in_team(team, given("active") == Some("true"))?
    } else {
        shared.store.list_users()?
    };
    Ok(Json(json!(users)))
}

async fn webapp_plugins(State(shared): S, headers: HeaderMap) -> WebResult<Json<Value>> {
    require_user(&shared, &headers, &Method::GET)?;
    let status = supervisor::status(&shared);
    let mut out = Vec::new();
    if let (Some(plugin), PluginState::Active) = (shared.plugin.get(), status.state)
        && let (Some(bundle), Some(dir)) = (plugin.manifest.webapp_bundle(), webapp_dir(&shared))
    {
        let file = std::path::Path::new(bundle).file_name().and_then(|f| f.to_str()).unwrap_or("main.js");
        if dir.join(file).is_file() {
            out.push(json!({
                "id": plugin.manifest.id,
                "version": plugin.manifest.version,
                "webapp": { "bundle_path": format!("/static/plugins/{}/{file}", plugin.manifest.id) },
            }));
        }
    }
    Ok(Json(Value::Array(out)))
}

async fn my_teams(State(shared): S, headers: HeaderMap) -> WebResult<Json<Value>> {
    let id = require_user(&shared, &headers, &Method::GET)?;
    Ok(Json(json!(shared.store.teams_for_user(&id)?)))
}

async fn my_channels(State(shared): S, headers: HeaderMap, Path(team_id): Path<String>) -> WebResult<Json<Value>> {
    let id = require_user(&shared, &headers, &Method::GET)?;
    if !shared.store.has_permission(&id, Scope::Team(&team_id), "view_team") {
        return Err(forbidden("you are not a member of this team"));
    }
    Ok(Json(json!(shared.store.channels_for_user(&team_id, &id)?)))
}

async fn team_channels(State(shared): S, headers: HeaderMap, Path(team_id): Path<String>) -> WebResult<Json<Value>> {
    let id = require_user(&shared, &headers, &Method::GET)?;
    if !shared.store.has_permission(&id, Scope::Team(&team_id), "list_team_channels") {
        return Err(forbidden("you cannot list this team's channels"));
    }
    Ok(Json(json!(shared.store.public_channels(&team_id)?)))
}

#[derive(Deserialize)]
struct Join {
    user_id: String,
}

async fn join_channel(
    State(shared): S,
    headers: HeaderMap,
    Path(channel_id): Path<String>,
    body: Bytes,
) -> WebResult<Response> {
    let me = require_user(&shared, &headers, &Method::POST)?;
    let req: Join = parse_json(&body)?;
    let channel = shared.store.get_channel(&channel_id)?;
    let allowed = if req.user_id == me && channel.kind == "O" {
        shared.store.has_permission(&me, Scope::Team(&channel.team_id), "join_public_channels")
    } else {
        let perm = if channel.kind == "O" { "manage_public_channel_members" } else { "manage_private_channel_members" };
        shared.store.has_permission(&me, Scope::Channel(&channel_id), perm)
    };
    if !allowed {
        return Err(forbidden("you cannot add this user to this channel"));
    }
    let (member, added) = shared.store.add_channel_member(&channel_id, &req.user_id)?;
    if added {
        effects::member_added(&shared, &member, Some(&me))?;
    }
    Ok((StatusCode::CREATED, Json(json!(member))).into_response())
}

/// `DELETE /api/v4/channels/{channel_id}/members/{user_id}`: leaving (yourself) or removing someone (with the
/// channel's manage-members permission).
async fn leave_channel(
    State(shared): S,
    headers: HeaderMap,
    Path((channel_id, user_id)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let me = require_user(&shared, &headers, &Method::DELETE)?;
    let channel = shared.store.get_channel(&channel_id)?;
    let perm = if channel.kind == "O" { "manage_public_channel_members" } else { "manage_private_channel_members" };
    if user_id != me && !shared.store.has_permission(&me, Scope::Channel(&channel_id), perm) {
        return Err(forbidden("you cannot remove this user from this channel"));
    }
    let member = shared.store.remove_channel_member(&channel_id, &user_id)?;
    effects::member_removed(&shared, &member);
    Ok(Json(json!({ "status": "OK" })))
}

async fn channel_posts(
    State(shared): S,
    headers: HeaderMap,
    Path(channel_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Json<Value>> {
    let me = require_user(&shared, &headers, &Method::GET)?;
    if !shared.store.has_permission(&me, Scope::Channel(&channel_id), "read_channel") {
        return Err(forbidden("you cannot read this channel"));
    }
    let num = |k: &str, d: i32| q.get(k).and_then(|v| v.parse::<i32>().ok()).unwrap_or(d);
    let posts = shared.store.posts_for_channel(&channel_id, num("page", 0), num("per_page", 60).clamp(1, 200))?;
    let mut map = Map::new();
    for p in &posts {
        map.insert(p.id.clone(), post_json(p));
    }
    Ok(Json(json!({ "order": posts.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), "posts": map })))
}

#[derive(Deserialize)]
struct NewPost {
    channel_id: String,
    message: String,
    #[serde(default)]
    root_id: String,
    #[serde(default)]
    props: Map<String, Value>,
}

async fn create_post(State(shared): S, headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    let me = require_user(&shared, &headers, &Method::POST)?;
    let req: NewPost = parse_json(&body)?;
    if !shared.store.has_permission(&me, Scope::Channel(&req.channel_id), "create_post") {
        return Err(forbidden("you cannot post in this channel"));
    }
    if req.message.trim().is_empty() {
        return Err(WebError(ApiError::bad_request("api.post.create_post.message.app_error", "the message is empty")));
    }
    let mut props = req.props;
    ensure_action_ids(&mut props);
    let post = Post {
        channel_id: req.channel_id,
        user_id: me,
        root_id: req.root_id,
        message: req.message,
        props,
        ..Post::default()
    };
    let stored = shared.store.create_post(post)?;
    effects::post_created(&shared, &stored);
    Ok((StatusCode::CREATED, Json(post_json(&stored))).into_response())
}

#[derive(Deserialize)]
struct Execute {
    channel_id: String,
    #[serde(default)]
    #[allow(dead_code)]
    team_id: String,
    command: String,
}

async fn execute_command(State(shared): S, headers: HeaderMap, body: Bytes) -> WebResult<Json<Value>> {
    let me = require_user(&shared, &headers, &Method::POST)?;
    let req: Execute = parse_json(&body)?;
    Ok(Json(interactions::execute_command(&shared, &me, &req.channel_id, &req.command).await?))
}

async fn autocomplete(State(shared): S, headers: HeaderMap, Path(team_id): Path<String>) -> WebResult<Json<Value>> {
    let me = require_user(&shared, &headers, &Method::GET)?;
    if !shared.store.has_permission(&me, Scope::Team(&team_id), "view_team") {
        return Err(forbidden("you are not a member of this team"));
    }
    let list: Vec<Value> = shared
        .store
        .commands_for_team(&team_id)?
        .into_iter()
        .filter(|c| c.auto_complete)
        .map(|c| {
            json!({ "trigger": c.trigger, "auto_complete_desc": c.auto_complete_desc,
                    "auto_complete_hint": c.auto_complete_hint, "display_name": c.display_name })
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

#[derive(Deserialize, Default)]
struct ActionBody {
    #[serde(default)]
    selected_option: Option<String>,
}

async fn post_action(
    State(shared): S,
    headers: HeaderMap,
    Path((post_id, action_id)): Path<(String, String)>,
    body: Bytes,
) -> WebResult<Json<Value>> {
    let me = require_user(&shared, &headers, &Method::POST)?;
    let req: ActionBody = if body.is_empty() { ActionBody::default() } else { parse_json(&body)? };
    let out = interactions::post_action(&shared, &me, &post_id, &action_id, req.selected_option.as_deref()).await?;
    Ok(Json(out))
}

async fn submit_dialog(State(shared): S, headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    let me = require_user(&shared, &headers, &Method::POST)?;
    let req: DialogSubmission = parse_json(&body)?;
    let (answer, has_errors) = interactions::submit_dialog(&shared, &me, &req).await?;
    let status = if has_errors { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok((status, Json(answer)).into_response())
}
