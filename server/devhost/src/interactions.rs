//! Slash commands, post action buttons/menus and dialog submissions: what the server does between page and plugin.

use std::sync::Arc;

use bytes::Bytes;
use mm::pb::v1 as pb;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::api::convert::{ApiError, ensure_action_ids, struct_to_json};
use crate::context::Shared;
use crate::effects;
use crate::events::post_json;
use crate::servehttp::{PluginRequest, PluginResponse, serve_http};
use crate::store::{Post, Scope};

/// A dialog submission from the page (`POST /api/v4/actions/dialogs/submit`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DialogSubmission {
    pub url: String,
    #[serde(default)]
    pub callback_id: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub submission: Map<String, Value>,
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub channel_id: String,
    #[serde(default)]
    pub team_id: String,
}

/// The plugin path of an integration URL (`/plugins/<id>/…` or `<SiteURL>/plugins/<id>/…`), if it is one.
pub fn plugin_path(shared: &Shared, url: &str) -> Option<String> {
    let site = shared.site_url.trim_end_matches('/');
    let path = url.strip_prefix(site).unwrap_or(url);
    let prefix = format!("/plugins/{}/", shared.plugin_id());
    (!shared.plugin_id().is_empty() && path.starts_with(&prefix)).then(|| path.to_string())
}

fn not_plugin_url(url: &str) -> ApiError {
    ApiError::bad_request(
        "api.post.do_action.action_integration.app_error",
        format!(
            "integration URL {url:?} is not a /plugins/<plugin id>/ URL; the dev host only routes integrations into the plugin"
        ),
    )
}

async fn post_json_to_plugin(shared: &Shared, user_id: &str, path: String, body: &Value) -> PluginResponse {
    serve_http(
        shared,
        PluginRequest {
            method: "POST".into(),
            uri: path,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Bytes::from(body.to_string()),
            user_id: Some(user_id.to_string()),
            remote_addr: "127.0.0.1".into(),
        },
    )
    .await
}

/// Runs a slash command as `user_id` in a channel: finds the registered trigger, calls `ExecuteCommand`,
/// then posts the reply (ephemeral, pushed over the websocket, or in the channel). Returns the CommandResponse JSON.
pub async fn execute_command(
    shared: &Arc<Shared>,
    user_id: &str,
    channel_id: &str,
    text: &str,
) -> Result<Value, ApiError> {
    let text = text.trim_start();
    let Some(rest) = text.strip_prefix('/') else {
        return Err(ApiError::bad_request(
            "api.command.execute_command.start.app_error",
            "a command must start with '/'",
        ));
    };
    let trigger = rest.split_whitespace().next().unwrap_or_default().to_lowercase();
    shared.store.get_user(user_id)?;
    let channel = shared.store.get_channel(channel_id)?;
    if !shared.store.has_permission(user_id, Scope::Channel(channel_id), "use_slash_commands") {
        return Err(ApiError::new(403, "api.context.permissions.app_error", "you cannot run commands in this channel"));
    }
    let command = shared
        .store
        .commands_for_team(&channel.team_id)?
        .into_iter()
        .find(|c| c.trigger == trigger && c.plugin_id == shared.plugin_id())
        .ok_or_else(|| {
            ApiError::new(
                404,
                "api.command.execute_command.not_found.app_error",
                format!("Command with a trigger of '/{trigger}' not found. To send a message beginning with \"/\", try adding an empty space at the beginning of the message."),
            )
        })?;
    let trigger_id = shared.issue_trigger(user_id, channel_id, &channel.team_id);
    let args = pb::CommandArgs {
        user_id: user_id.to_string(),
        channel_id: channel_id.to_string(),
        team_id: channel.team_id.clone(),
        trigger_id,
        command: text.to_string(),
        site_url: shared.site_url.trim_end_matches('/').to_string(),
        ..Default::default()
    };
    let answer = crate::hooks::execute_command(shared, args).await.map_err(|e| {
        ApiError::new(500, "plugin.grpc.execute_command.error", format!("/{} failed: {e}", command.trigger))
    })?;
    if let Some(e) = answer.error.filter(|e| !e.id.is_empty()) {
        let status = u16::try_from(e.status_code).ok().filter(|s| (400..600).contains(s)).unwrap_or(500);
        let message = if e.detailed_error.is_empty() { e.message } else { e.detailed_error };
        return Err(ApiError { status, id: e.id, message });
    }
    let resp = answer.response.unwrap_or_default();
    let props = resp.props.as_ref().map(struct_to_json).unwrap_or_default();
    let reply_channel = if resp.channel_id.is_empty() { channel_id.to_string() } else { resp.channel_id.clone() };
    let has_content = !resp.text.is_empty() || props.contains_key("attachments");
    if has_content {
        let mut post_props = props.clone();
        ensure_action_ids(&mut post_props);
        let post = Post {
            channel_id: reply_channel,
            user_id: user_id.to_string(),
            message: resp.text.clone(),
            props: post_props,
            ..Post::default()
        };
        if resp.response_type == "in_channel" {
            let stored = shared.store.create_post(post)?;
            effects::post_created(shared, &stored);
        } else {
            effects::send_ephemeral(shared, user_id, post);
        }
    }
    Ok(json!({
        "response_type": if resp.response_type.is_empty() { "ephemeral" } else { resp.response_type.as_str() },
        "text": resp.text, "username": resp.username, "channel_id": resp.channel_id, "icon_url": resp.icon_url,
        "goto_location": resp.goto_location, "trigger_id": resp.trigger_id,
        "skip_slack_parsing": resp.skip_slack_parsing, "props": props,
    }))
}

fn find_action<'a>(post: &'a Post, action_id: &str) -> Option<&'a Map<String, Value>> {
    post.props
        .get("attachments")?
        .as_array()?
        .iter()
        .filter_map(|a| a.get("actions")?.as_array())
        .flatten()
        .filter_map(Value::as_object)
        .find(|a| a.get("id").and_then(Value::as_str) == Some(action_id))
}

/// A click on an attachment button or menu: POSTs a PostActionIntegrationRequest into the plugin as the clicker,
/// applies `update`, sends `ephemeral_text`. Returns `{update?, ephemeral_text?, goto_location?}`.
pub async fn post_action(
    shared: &Arc<Shared>,
    user_id: &str,
    post_id: &str,
    action_id: &str,
    selected_option: Option<&str>,
) -> Result<Value, ApiError> {
    let user = shared.store.get_user(user_id)?;
    let post = shared.store.get_post(post_id)?;
    if !shared.store.has_permission(user_id, Scope::Channel(&post.channel_id), "read_channel") {
        return Err(ApiError::new(403, "api.context.permissions.app_error", "you cannot see this post"));
    }
    let action = find_action(&post, action_id).ok_or_else(|| {
        ApiError::new(
            404,
            "api.post.do_action.action_id.app_error",
            format!("post {post_id} has no action {action_id}"),
        )
    })?;
    let integration = action.get("integration").cloned().unwrap_or(Value::Null);
    let url = integration.get("url").and_then(Value::as_str).unwrap_or_default().to_string();
    let path = plugin_path(shared, &url).ok_or_else(|| not_plugin_url(&url))?;
    let mut context = integration.get("context").and_then(Value::as_object).cloned().unwrap_or_default();
    if let Some(option) = selected_option {
        context.insert("selected_option".into(), json!(option));
    }
    let channel = shared.store.get_channel(&post.channel_id)?;
    let team = shared.store.get_team(&channel.team_id)?;
    let trigger_id = shared.issue_trigger(user_id, &channel.id, &team.id);
    let request = json!({
        "user_id": user.id, "user_name": user.username, "channel_id": channel.id, "channel_name": channel.name,
        "team_id": team.id, "team_domain": team.name, "post_id": post.id, "trigger_id": trigger_id,
        "type": action.get("type").cloned().unwrap_or(json!("button")),
        "data_source": action.get("data_source").cloned().unwrap_or(json!("")),
        "context": context,
    });
    let answer = post_json_to_plugin(shared, user_id, path, &request).await;
    if answer.status != 200 {
        return Err(ApiError::bad_request(
            "api.post.do_action.action_integration.app_error",
            format!(
                "the plugin answered the action with HTTP {}: {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ),
        ));
    }
    let body = answer.json().map_err(|e| {
        ApiError::bad_request(
            "api.post.do_action.action_integration.app_error",
            format!("the plugin's answer is not JSON: {e}"),
        )
    })?;
    let mut out = Map::new();
    if let Some(update) = body.get("update").filter(|u| u.is_object()) {
        let mut updated = post.clone();
        updated.message = update.get("message").and_then(Value::as_str).unwrap_or_default().to_string();
        updated.props = update.get("props").and_then(Value::as_object).cloned().unwrap_or_default();
        ensure_action_ids(&mut updated.props);
        let stored = shared.store.update_post(&updated)?;
        effects::post_updated(shared, &stored);
        out.insert("update".into(), post_json(&stored));
    }
    if let Some(text) = body.get("ephemeral_text").and_then(Value::as_str).filter(|t| !t.is_empty()) {
        let eph = Post {
            channel_id: post.channel_id.clone(),
            user_id: user_id.to_string(),
            message: text.to_string(),
            ..Post::default()
        };
        effects::send_ephemeral(shared, user_id, eph);
        out.insert("ephemeral_text".into(), json!(text));
    }
    if let Some(goto) = body.get("goto_location").and_then(Value::as_str).filter(|g| !g.is_empty()) {
        out.insert("goto_location".into(), json!(goto));
    }
    Ok(Value::Object(out))
}

/// A dialog submission: POSTs a SubmitDialogRequest into the plugin as the user. Returns the plugin's
/// SubmitDialogResponse and whether it reports errors (the page answers 400 then).
pub async fn submit_dialog(
    shared: &Arc<Shared>,
    user_id: &str,
    s: &DialogSubmission,
) -> Result<(Value, bool), ApiError> {
    shared.store.get_user(user_id)?;
    let path = plugin_path(shared, &s.url).ok_or_else(|| not_plugin_url(&s.url))?;
    let request = json!({
        "type": "dialog_submission", "url": s.url, "callback_id": s.callback_id, "state": s.state,
        "user_id": user_id, "channel_id": s.channel_id, "team_id": s.team_id,
        "submission": s.submission, "cancelled": s.cancelled,
    });
    let answer = post_json_to_plugin(shared, user_id, path, &request).await;
    if answer.status >= 400 {
        return Err(ApiError::new(
            answer.status,
            "api.dialog.submit.app_error",
            format!(
                "the plugin answered the dialog with HTTP {}: {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ),
        ));
    }
    let body = answer.json().map_err(|e| {
        ApiError::new(500, "api.dialog.submit.app_error", format!("the plugin's answer is not JSON: {e}"))
    })?;
    let has_errors = body.get("error").and_then(Value::as_str).is_some_and(|e| !e.is_empty())
        || body.get("errors").and_then(Value::as_object).is_some_and(|e| !e.is_empty());
    Ok((body, has_errors))
}
