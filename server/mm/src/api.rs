//! The PluginAPI as a transport-neutral async trait: what a plugin may ask of the Mattermost server.

use crate::model::{
    Bot, Broadcast, Channel, ChannelMember, ClusterEvent, Command, KvSetOptions, LogLevel, OpenDialog, Post, PostList,
    Team, TeamMember, User,
};
use async_trait::async_trait;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Why a PluginAPI call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server answered and refused: not found, forbidden, invalid, conflict, … (an AppError).
    #[error("{call}: {error}")]
    App { call: &'static str, error: crate::model::AppError },
    /// The server could not be reached or did not answer (connection, deadline, internal transport error).
    #[error("{call}: the Mattermost server did not answer ({message})")]
    Transport { call: &'static str, message: String },
}

impl ApiError {
    /// The HTTP-style status of an app error; transport failures have none.
    pub fn status(&self) -> Option<i32> {
        match self {
            ApiError::App { error, .. } => Some(error.status_code),
            ApiError::Transport { .. } => None,
        }
    }

    /// "Does not exist", the usual answer of a lookup.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The PluginAPI. One implementation per transport; plugins hold an `Arc<dyn PluginApi>`.
#[async_trait]
pub trait PluginApi: Send + Sync + 'static {
    // KV store. A missing key reads as `None`.
    async fn kv_get(&self, key: &str) -> ApiResult<Option<Vec<u8>>>;
    async fn kv_set(&self, key: &str, value: &[u8]) -> ApiResult<()>;
    async fn kv_set_with_expiry(&self, key: &str, value: &[u8], expire_in_seconds: i64) -> ApiResult<()>;
    /// Returns false when an atomic write lost its compare.
    async fn kv_set_with_options(&self, key: &str, value: &[u8], options: KvSetOptions) -> ApiResult<bool>;
    async fn kv_compare_and_set(&self, key: &str, old: Option<&[u8]>, new: &[u8]) -> ApiResult<bool>;
    async fn kv_compare_and_delete(&self, key: &str, old: &[u8]) -> ApiResult<bool>;
    async fn kv_delete(&self, key: &str) -> ApiResult<()>;
    async fn kv_list(&self, page: i32, per_page: i32) -> ApiResult<Vec<String>>;

    // Posts.
    async fn create_post(&self, post: Post) -> ApiResult<Post>;
    async fn update_post(&self, post: Post) -> ApiResult<Post>;
    async fn get_post(&self, post_id: &str) -> ApiResult<Post>;
    async fn delete_post(&self, post_id: &str) -> ApiResult<()>;
    async fn send_ephemeral_post(&self, user_id: &str, post: Post) -> ApiResult<Post>;
    async fn update_ephemeral_post(&self, user_id: &str, post: Post) -> ApiResult<Post>;
    async fn get_posts_for_channel(&self, channel_id: &str, page: i32, per_page: i32) -> ApiResult<PostList>;

    // Channels and members.
    async fn create_channel(&self, channel: Channel) -> ApiResult<Channel>;
    async fn get_channel(&self, channel_id: &str) -> ApiResult<Channel>;
    async fn get_channel_by_name(&self, team_id: &str, name: &str, include_deleted: bool) -> ApiResult<Channel>;
    async fn update_channel(&self, channel: Channel) -> ApiResult<Channel>;
    async fn add_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<ChannelMember>;
    async fn add_user_to_channel(&self, channel_id: &str, user_id: &str, as_user_id: &str) -> ApiResult<ChannelMember>;
    async fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<()>;
    async fn get_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<ChannelMember>;
    async fn get_channel_members(&self, channel_id: &str, page: i32, per_page: i32) -> ApiResult<Vec<ChannelMember>>;

    // Users and teams.
    async fn get_user(&self, user_id: &str) -> ApiResult<User>;
    async fn get_user_by_username(&self, username: &str) -> ApiResult<User>;
    async fn get_users_by_ids(&self, user_ids: &[String]) -> ApiResult<Vec<User>>;
    async fn get_users_in_channel(&self, channel_id: &str, page: i32, per_page: i32) -> ApiResult<Vec<User>>;
    async fn get_team(&self, team_id: &str) -> ApiResult<Team>;
    async fn get_team_member(&self, team_id: &str, user_id: &str) -> ApiResult<TeamMember>;
    async fn get_teams_for_user(&self, user_id: &str) -> ApiResult<Vec<Team>>;

    // Permissions: never an error, false when unknown.
    async fn has_permission_to(&self, user_id: &str, permission: &str) -> ApiResult<bool>;
    async fn has_permission_to_team(&self, user_id: &str, team_id: &str, permission: &str) -> ApiResult<bool>;
    async fn has_permission_to_channel(&self, user_id: &str, channel_id: &str, permission: &str) -> ApiResult<bool>;

    // Commands, dialogs, events.
    async fn register_command(&self, command: Command) -> ApiResult<()>;
    async fn unregister_command(&self, team_id: &str, trigger: &str) -> ApiResult<()>;
    async fn open_interactive_dialog(&self, dialog: OpenDialog) -> ApiResult<()>;
    /// Web clients receive `custom_<plugin id>_<event>` with `payload` as data.
    async fn publish_websocket_event(
        &self,
        event: &str,
        payload: Map<String, Value>,
        broadcast: Broadcast,
    ) -> ApiResult<()>;
    /// Delivered to this plugin's `on_plugin_cluster_event` on the other nodes.
    async fn publish_plugin_cluster_event(&self, event: ClusterEvent) -> ApiResult<()>;

    // Bots, logging, configuration.
    /// Creates the bot if needed; returns its user id.
    async fn ensure_bot_user(&self, bot: Bot) -> ApiResult<String>;
    async fn log(&self, level: LogLevel, message: &str, fields: Map<String, Value>) -> ApiResult<()>;
    /// This plugin's settings (System Console) as JSON.
    async fn load_plugin_configuration(&self) -> ApiResult<Value>;
    /// The server configuration as JSON (e.g. `ServiceSettings.SiteURL`).
    async fn get_config(&self) -> ApiResult<Value>;
}

/// The handle plugins keep.
pub type Api = Arc<dyn PluginApi>;
