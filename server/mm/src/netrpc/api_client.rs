//! `PluginApi` over net/rpc: calls `Plugin.<Name>` on the API stream the host named in OnActivate.
//!
//! The handle exists from process start (plugins keep it), but it can only call once OnActivate has
//! dialled the host's API server; earlier calls fail as transport errors.

use super::calls::{Z0, Z1, Z2, Z3, Z4};
use super::dynamic::dynamic_to_json;
use super::gomodel::*;
use super::rpc::{Client, RpcError};
use crate::api::{ApiError, ApiResult, PluginApi};
use crate::model::{self, LogLevel};
use async_trait::async_trait;
use gobwire::{Decode, Dynamic, Encode, Interface};
use serde_json::{Map, Value};
use std::sync::{Arc, RwLock};

/// The net/rpc PluginAPI client.
#[derive(Default)]
pub struct NetRpcApi {
    client: RwLock<Option<Arc<Client>>>,
}

type AppErr = Option<GoAppError>;
type ErrIface = Option<Interface>;

impl NetRpcApi {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// Installs the client for the host's API stream (OnActivate).
    pub fn connect(&self, client: Arc<Client>) {
        *self.client.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(client);
    }

    async fn call<R: Decode + Default + Send + 'static>(
        &self,
        name: &'static str,
        args: &(dyn Encode + Sync),
    ) -> ApiResult<R> {
        let client = self.client.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let Some(client) = client else {
            return Err(ApiError::Transport { call: name, message: "the plugin is not activated yet".into() });
        };
        client.call::<R>(&format!("Plugin.{name}"), args).await.map_err(|e| rpc_error(name, e))
    }
}

/// A refusal by the host's glue (`API X called but not implemented.` on older servers) is an app error;
/// a broken stream is a transport error.
fn rpc_error(call: &'static str, e: RpcError) -> ApiError {
    match e {
        RpcError::Remote(message) => {
            let status = if message.contains("not implemented") { 501 } else { 500 };
            ApiError::App { call, error: model::AppError::new("plugin.api.rpc_error", message, status) }
        }
        other => ApiError::Transport { call, message: other.to_string() },
    }
}

fn check(call: &'static str, error: AppErr) -> ApiResult<()> {
    match error {
        Some(e) => {
            let mut error = model::AppError::from(e);
            if error.status_code == 0 {
                error.status_code = 500;
            }
            Err(ApiError::App { call, error })
        }
        None => Ok(()),
    }
}

fn check_iface(call: &'static str, error: ErrIface) -> ApiResult<()> {
    match error {
        Some(e) => Err(ApiError::App { call, error: error_from_interface(&e) }),
        None => Ok(()),
    }
}

fn some<T>(call: &'static str, value: Option<T>) -> ApiResult<T> {
    value.ok_or_else(|| ApiError::Transport { call, message: "the answer is empty".into() })
}

fn s(v: &str) -> String {
    v.to_owned()
}

fn permission(id: &str) -> Option<GoPermission> {
    Some(GoPermission { id: id.to_owned() })
}

#[async_trait]
impl PluginApi for NetRpcApi {
    async fn kv_get(&self, key: &str) -> ApiResult<Option<Vec<u8>>> {
        let r: Z2<Vec<u8>, AppErr> = self.call("KVGet", &Z1 { a: s(key) }).await?;
        check("KVGet", r.b)?;
        Ok(if r.a.is_empty() { None } else { Some(r.a) })
    }

    async fn kv_set(&self, key: &str, value: &[u8]) -> ApiResult<()> {
        let r: Z1<AppErr> = self.call("KVSet", &Z2 { a: s(key), b: value.to_vec() }).await?;
        check("KVSet", r.a)
    }

    async fn kv_set_with_expiry(&self, key: &str, value: &[u8], expire_in_seconds: i64) -> ApiResult<()> {
        let args = Z3 { a: s(key), b: value.to_vec(), c: expire_in_seconds };
        let r: Z1<AppErr> = self.call("KVSetWithExpiry", &args).await?;
        check("KVSetWithExpiry", r.a)
    }

    async fn kv_set_with_options(&self, key: &str, value: &[u8], o: model::KvSetOptions) -> ApiResult<bool> {
        let options = GoKvSetOptions {
            atomic: o.atomic,
            old_value: o.old_value.unwrap_or_default(),
            expire_in_seconds: o.expire_in_seconds,
        };
        let r: Z2<bool, AppErr> =
            self.call("KVSetWithOptions", &Z3 { a: s(key), b: value.to_vec(), c: options }).await?;
        check("KVSetWithOptions", r.b)?;
        Ok(r.a)
    }

    async fn kv_compare_and_set(&self, key: &str, old: Option<&[u8]>, new: &[u8]) -> ApiResult<bool> {
        let args = Z3 { a: s(key), b: old.map(<[u8]>::to_vec).unwrap_or_default(), c: new.to_vec() };
        let r: Z2<bool, AppErr> = self.call("KVCompareAndSet", &args).await?;
        check("KVCompareAndSet", r.b)?;
        Ok(r.a)
    }

    async fn kv_compare_and_delete(&self, key: &str, old: &[u8]) -> ApiResult<bool> {
        let r: Z2<bool, AppErr> = self.call("KVCompareAndDelete", &Z2 { a: s(key), b: old.to_vec() }).await?;
        check("KVCompareAndDelete", r.b)?;
        Ok(r.a)
    }

    async fn kv_delete(&self, key: &str) -> ApiResult<()> {
        let r: Z1<AppErr> = self.call("KVDelete", &Z1 { a: s(key) }).await?;
        check("KVDelete", r.a)
    }

    async fn kv_list(&self, page: i32, per_page: i32) -> ApiResult<Vec<String>> {
        let r: Z2<Vec<String>, AppErr> =
            self.call("KVList", &Z2 { a: i64::from(page), b: i64::from(per_page) }).await?;
        check("KVList", r.b)?;
        Ok(r.a)
    }

    async fn create_post(&self, post: model::Post) -> ApiResult<model::Post> {
        let r: Z2<Option<GoPost>, AppErr> = self.call("CreatePost", &Z1 { a: Some(GoPost::from(post)) }).await?;
        check("CreatePost", r.b)?;
        some("CreatePost", r.a).map(Into::into)
    }

    async fn update_post(&self, post: model::Post) -> ApiResult<model::Post> {
        let r: Z2<Option<GoPost>, AppErr> = self.call("UpdatePost", &Z1 { a: Some(GoPost::from(post)) }).await?;
        check("UpdatePost", r.b)?;
        some("UpdatePost", r.a).map(Into::into)
    }

    async fn get_post(&self, post_id: &str) -> ApiResult<model::Post> {
        let r: Z2<Option<GoPost>, AppErr> = self.call("GetPost", &Z1 { a: s(post_id) }).await?;
        check("GetPost", r.b)?;
        some("GetPost", r.a).map(Into::into)
    }

    async fn delete_post(&self, post_id: &str) -> ApiResult<()> {
        let r: Z1<AppErr> = self.call("DeletePost", &Z1 { a: s(post_id) }).await?;
        check("DeletePost", r.a)
    }

    async fn send_ephemeral_post(&self, user_id: &str, post: model::Post) -> ApiResult<model::Post> {
        let r: Z1<Option<GoPost>> =
            self.call("SendEphemeralPost", &Z2 { a: s(user_id), b: Some(GoPost::from(post)) }).await?;
        some("SendEphemeralPost", r.a).map(Into::into)
    }

    async fn update_ephemeral_post(&self, user_id: &str, post: model::Post) -> ApiResult<model::Post> {
        let r: Z1<Option<GoPost>> =
            self.call("UpdateEphemeralPost", &Z2 { a: s(user_id), b: Some(GoPost::from(post)) }).await?;
        some("UpdateEphemeralPost", r.a).map(Into::into)
    }

    async fn get_posts_for_channel(&self, channel_id: &str, page: i32, per_page: i32) -> ApiResult<model::PostList> {
        let args = Z3 { a: s(channel_id), b: i64::from(page), c: i64::from(per_page) };
        let r: Z2<Option<GoPostList>, AppErr> = self.call("GetPostsForChannel", &args).await?;
        check("GetPostsForChannel", r.b)?;
        Ok(r.a.map(Into::into).unwrap_or_default())
    }

    async fn create_channel(&self, channel: model::Channel) -> ApiResult<model::Channel> {
        let r: Z2<Option<GoChannel>, AppErr> =
            self.call("CreateChannel", &Z1 { a: Some(GoChannel::from(channel)) }).await?;
        check("CreateChannel", r.b)?;
        some("CreateChannel", r.a).map(Into::into)
    }

    async fn get_channel(&self, channel_id: &str) -> ApiResult<model::Channel> {
        let r: Z2<Option<GoChannel>, AppErr> = self.call("GetChannel", &Z1 { a: s(channel_id) }).await?;
        check("GetChannel", r.b)?;
        some("GetChannel", r.a).map(Into::into)
    }

    async fn get_channel_by_name(&self, team_id: &str, name: &str, include_deleted: bool) -> ApiResult<model::Channel> {
        let args = Z3 { a: s(team_id), b: s(name), c: include_deleted };
        let r: Z2<Option<GoChannel>, AppErr> = self.call("GetChannelByName", &args).await?;
        check("GetChannelByName", r.b)?;
        some("GetChannelByName", r.a).map(Into::into)
    }

    async fn update_channel(&self, channel: model::Channel) -> ApiResult<model::Channel> {
        let r: Z2<Option<GoChannel>, AppErr> =
            self.call("UpdateChannel", &Z1 { a: Some(GoChannel::from(channel)) }).await?;
        check("UpdateChannel", r.b)?;
        some("UpdateChannel", r.a).map(Into::into)
    }

    async fn add_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<model::ChannelMember> {
        let r: Z2<Option<GoChannelMember>, AppErr> =
            self.call("AddChannelMember", &Z2 { a: s(channel_id), b: s(user_id) }).await?;
        check("AddChannelMember", r.b)?;
        some("AddChannelMember", r.a).map(Into::into)
    }

    async fn add_user_to_channel(
        &self,
        channel_id: &str,
        user_id: &str,
        as_user: &str,
    ) -> ApiResult<model::ChannelMember> {
        let args = Z3 { a: s(channel_id), b: s(user_id), c: s(as_user) };
        let r: Z2<Option<GoChannelMember>, AppErr> = self.call("AddUserToChannel", &args).await?;
        check("AddUserToChannel", r.b)?;
        some("AddUserToChannel", r.a).map(Into::into)
    }

    async fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<()> {
        let r: Z1<AppErr> = self.call("DeleteChannelMember", &Z2 { a: s(channel_id), b: s(user_id) }).await?;
        check("DeleteChannelMember", r.a)
    }

    async fn get_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<model::ChannelMember> {
        let r: Z2<Option<GoChannelMember>, AppErr> =
            self.call("GetChannelMember", &Z2 { a: s(channel_id), b: s(user_id) }).await?;
        check("GetChannelMember", r.b)?;
        some("GetChannelMember", r.a).map(Into::into)
    }

    async fn get_channel_members(
        &self,
        channel_id: &str,
        page: i32,
        per_page: i32,
    ) -> ApiResult<Vec<model::ChannelMember>> {
        let args = Z3 { a: s(channel_id), b: i64::from(page), c: i64::from(per_page) };
        let r: Z2<Vec<GoChannelMember>, AppErr> = self.call("GetChannelMembers", &args).await?;
        check("GetChannelMembers", r.b)?;
        Ok(r.a.into_iter().map(Into::into).collect())
    }

    async fn get_user(&self, user_id: &str) -> ApiResult<model::User> {
        let r: Z2<Option<GoUser>, AppErr> = self.call("GetUser", &Z1 { a: s(user_id) }).await?;
        check("GetUser", r.b)?;
        some("GetUser", r.a).map(Into::into)
    }

    async fn get_user_by_username(&self, username: &str) -> ApiResult<model::User> {
        let r: Z2<Option<GoUser>, AppErr> = self.call("GetUserByUsername", &Z1 { a: s(username) }).await?;
        check("GetUserByUsername", r.b)?;
        some("GetUserByUsername", r.a).map(Into::into)
    }

    async fn get_users_by_ids(&self, user_ids: &[String]) -> ApiResult<Vec<model::User>> {
        let r: Z2<Vec<Option<GoUser>>, AppErr> = self.call("GetUsersByIds", &Z1 { a: user_ids.to_vec() }).await?;
        check("GetUsersByIds", r.b)?;
        Ok(r.a.into_iter().flatten().map(Into::into).collect())
    }

    async fn get_users_in_channel(&self, channel_id: &str, page: i32, per_page: i32) -> ApiResult<Vec<model::User>> {
        let args = Z4 { a: s(channel_id), b: s("username"), c: i64::from(page), d: i64::from(per_page) };
        let r: Z2<Vec<Option<GoUser>>, AppErr> = self.call("GetUsersInChannel", &args).await?;
        check("GetUsersInChannel", r.b)?;
        Ok(r.a.into_iter().flatten().map(Into::into).collect())
    }

    async fn get_team(&self, team_id: &str) -> ApiResult<model::Team> {
        let r: Z2<Option<GoTeam>, AppErr> = self.call("GetTeam", &Z1 { a: s(team_id) }).await?;
        check("GetTeam", r.b)?;
        some("GetTeam", r.a).map(Into::into)
    }

    async fn get_team_member(&self, team_id: &str, user_id: &str) -> ApiResult<model::TeamMember> {
        let r: Z2<Option<GoTeamMember>, AppErr> =
            self.call("GetTeamMember", &Z2 { a: s(team_id), b: s(user_id) }).await?;
        check("GetTeamMember", r.b)?;
        some("GetTeamMember", r.a).map(Into::into)
    }

    async fn get_teams_for_user(&self, user_id: &str) -> ApiResult<Vec<model::Team>> {
        let r: Z2<Vec<Option<GoTeam>>, AppErr> = self.call("GetTeamsForUser", &Z1 { a: s(user_id) }).await?;
        check("GetTeamsForUser", r.b)?;
        Ok(r.a.into_iter().flatten().map(Into::into).collect())
    }

    async fn has_permission_to(&self, user_id: &str, permission_id: &str) -> ApiResult<bool> {
        let r: Z1<bool> = self.call("HasPermissionTo", &Z2 { a: s(user_id), b: permission(permission_id) }).await?;
        Ok(r.a)
    }

    async fn has_permission_to_team(&self, user_id: &str, team_id: &str, permission_id: &str) -> ApiResult<bool> {
        let args = Z3 { a: s(user_id), b: s(team_id), c: permission(permission_id) };
        Ok(self.call::<Z1<bool>>("HasPermissionToTeam", &args).await?.a)
    }

    async fn has_permission_to_channel(&self, user_id: &str, channel_id: &str, permission_id: &str) -> ApiResult<bool> {
        let args = Z3 { a: s(user_id), b: s(channel_id), c: permission(permission_id) };
        Ok(self.call::<Z1<bool>>("HasPermissionToChannel", &args).await?.a)
    }

    async fn register_command(&self, command: model::Command) -> ApiResult<()> {
        let r: Z1<ErrIface> = self.call("RegisterCommand", &Z1 { a: Some(GoCommand::from(command)) }).await?;
        check_iface("RegisterCommand", r.a)
    }

    async fn unregister_command(&self, team_id: &str, trigger: &str) -> ApiResult<()> {
        let r: Z1<ErrIface> = self.call("UnregisterCommand", &Z2 { a: s(team_id), b: s(trigger) }).await?;
        check_iface("UnregisterCommand", r.a)
    }

    async fn open_interactive_dialog(&self, dialog: model::OpenDialog) -> ApiResult<()> {
        let r: Z1<AppErr> = self.call("OpenInteractiveDialog", &Z1 { a: GoOpenDialog::from(dialog) }).await?;
        check("OpenInteractiveDialog", r.a)
    }

    async fn publish_websocket_event(
        &self,
        event: &str,
        payload: Map<String, Value>,
        b: model::Broadcast,
    ) -> ApiResult<()> {
        let broadcast = GoBroadcast {
            omit_users: b.omit_users.into_iter().map(|u| (u, true)).collect(),
            user_id: b.user_id,
            channel_id: b.channel_id,
            team_id: b.team_id,
        };
        let args = Z3 { a: s(event), b: props_to_go(payload), c: Some(broadcast) };
        self.call::<Z0>("PublishWebSocketEvent", &args).await.map(drop)
    }

    async fn publish_plugin_cluster_event(&self, event: model::ClusterEvent) -> ApiResult<()> {
        let args = Z2 {
            a: GoClusterEvent { id: event.id, data: event.data },
            b: GoClusterSendOptions { send_type: "reliable".into(), target_id: String::new() },
        };
        let r: Z1<ErrIface> = self.call("PublishPluginClusterEvent", &args).await?;
        check_iface("PublishPluginClusterEvent", r.a)
    }

    async fn ensure_bot_user(&self, bot: model::Bot) -> ApiResult<String> {
        let bot = GoBot {
            user_id: String::new(),
            username: bot.username,
            display_name: bot.display_name,
            description: bot.description,
        };
        let r: Z2<String, ErrIface> = self.call("EnsureBotUser", &Z1 { a: Some(bot) }).await?;
        check_iface("EnsureBotUser", r.b)?;
        Ok(r.a)
    }

    async fn log(&self, level: LogLevel, message: &str, fields: Map<String, Value>) -> ApiResult<()> {
        let name = match level {
            LogLevel::Debug => "LogDebug",
            LogLevel::Info => "LogInfo",
            LogLevel::Warn => "LogWarn",
            LogLevel::Error => "LogError",
        };
        // Go's `keyValuePairs ...any`: key, value, key, value; the server stringifies them.
        let mut pairs: Vec<Option<Interface>> = Vec::with_capacity(fields.len() * 2);
        for (k, v) in fields {
            pairs.push(Some(Interface::string(k)));
            pairs.push(Some(Interface::string(match v {
                Value::String(text) => text,
                other => other.to_string(),
            })));
        }
        self.call::<Z0>(name, &Z2 { a: s(message), b: pairs }).await.map(drop)
    }

    async fn load_plugin_configuration(&self) -> ApiResult<Value> {
        let r: Z1<Vec<u8>> = self.call("LoadPluginConfiguration", &Z0 {}).await?;
        if r.a.is_empty() {
            return Ok(Value::Object(Map::new()));
        }
        serde_json::from_slice(&r.a).map_err(|e| ApiError::Transport {
            call: "LoadPluginConfiguration",
            message: format!("the configuration is not JSON: {e}"),
        })
    }

    async fn get_config(&self) -> ApiResult<Value> {
        let r: Z1<Dynamic> = self.call("GetConfig", &Z0 {}).await?;
        Ok(dynamic_to_json(&r.a))
    }
}
