//! Mattermost's data types as the plugin sees them, free of any wire format (gRPC today, net/rpc later).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A Mattermost application error: what the server or the plugin reports as a failed operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{id}: {message}{}", if detailed_error.is_empty() { String::new() } else { format!(" ({detailed_error})") })]
pub struct AppError {
    /// A stable, readable identifier; the server translates it, so it is also the fallback text.
    pub id: String,
    pub message: String,
    pub detailed_error: String,
    /// HTTP-style status (400, 403, 404, 409, 500, …).
    pub status_code: i32,
    /// Where it happened (function or hook name).
    pub r#where: String,
}

impl AppError {
    pub fn new(id: impl Into<String>, message: impl Into<String>, status_code: i32) -> Self {
        let message = message.into();
        Self { id: id.into(), detailed_error: message.clone(), message, status_code, r#where: String::new() }
    }
}

/// The arguments of a slash command invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandArgs {
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub root_id: String,
    pub trigger_id: String,
    /// The full text, e.g. `/incident start Database down`.
    pub command: String,
    pub site_url: String,
}

/// Whether a command reply is seen by its author only or by the channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    #[default]
    Ephemeral,
    InChannel,
}

/// The answer to a slash command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommandResponse {
    pub response_type: ResponseType,
    pub text: String,
    pub goto_location: String,
    pub props: Map<String, Value>,
}

impl CommandResponse {
    /// A reply only the invoking user sees.
    pub fn ephemeral(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }
}

/// A slash command registration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// Without the leading slash.
    pub trigger: String,
    pub team_id: String,
    pub display_name: String,
    pub description: String,
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
}

/// A post (message) in a channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub message: String,
    pub r#type: String,
    pub props: Map<String, Value>,
}

/// A page of posts, newest first in `order`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PostList {
    pub order: Vec<String>,
    pub posts: std::collections::BTreeMap<String, Post>,
}

/// Channel kinds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelType {
    #[default]
    Open,
    Private,
    Direct,
    Group,
}

/// A channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: String,
    pub team_id: String,
    pub name: String,
    pub display_name: String,
    pub r#type: ChannelType,
    pub header: String,
    pub purpose: String,
    pub creator_id: String,
    pub create_at: i64,
    pub delete_at: i64,
}

/// A user's membership of a channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelMember {
    pub channel_id: String,
    pub user_id: String,
    pub roles: String,
}

/// A user account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub nickname: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: String,
    pub locale: String,
    pub is_bot: bool,
    pub delete_at: i64,
}

/// A team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub delete_at: i64,
}

/// A user's membership of a team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub team_id: String,
    pub user_id: String,
    pub roles: String,
    pub delete_at: i64,
}

/// A bot account the plugin posts as.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bot {
    pub username: String,
    pub display_name: String,
    pub description: String,
}

/// Options of a conditional KV write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KvSetOptions {
    /// Compare-and-set: write only if the current value equals `old_value` (`None`: only if absent).
    pub atomic: bool,
    pub old_value: Option<Vec<u8>>,
    /// Seconds until the key expires; 0 keeps it.
    pub expire_in_seconds: i64,
}

/// Who receives a websocket event; all empty means everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broadcast {
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub omit_users: Vec<String>,
}

/// A message between the copies of this plugin on the nodes of a cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterEvent {
    pub id: String,
    pub data: Vec<u8>,
}

/// An interactive dialog to open for the user holding `trigger_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDialog {
    pub trigger_id: String,
    /// Where the submission is posted (`/plugins/<id>/…`).
    pub url: String,
    pub dialog: Dialog,
}

/// The dialog's form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialog {
    pub callback_id: String,
    pub title: String,
    pub introduction_text: String,
    pub elements: Vec<DialogElement>,
    pub submit_label: String,
    pub notify_on_cancel: bool,
    pub state: String,
}

/// One field of a dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogElement {
    pub display_name: String,
    pub name: String,
    /// `text`, `textarea`, `select`, `bool`, `radio`.
    pub r#type: String,
    pub subtype: String,
    pub default: String,
    pub placeholder: String,
    pub help_text: String,
    pub optional: bool,
    pub min_length: i32,
    pub max_length: i32,
    /// `users`, `channels`, or empty for `options`.
    pub data_source: String,
    pub options: Vec<DialogOption>,
}

/// A choice in a select or radio element.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogOption {
    pub text: String,
    pub value: String,
}

/// Log levels of the server log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}
