//! `PluginApi` over gRPC: calls `mattermost.pluginapi.v1.PluginAPI` at `MATTERMOST_PLUGIN_API_TARGET`.
//!
//! The server reports failures in two styles (PROTOCOL §4.2): an `AppError` in the response body, or a
//! non-OK gRPC status. Both become `ApiError::App` when the server refused, `ApiError::Transport` when it
//! could not answer.

use super::convert::*;
use crate::api::{ApiError, ApiResult, PluginApi};
use crate::model::{self, AppError, LogLevel};
use crate::pb::v1 as pb;
use crate::pb::v1::plugin_api_client::PluginApiClient;
use async_trait::async_trait;
use serde_json::{Map, Value};
use tonic::transport::{Channel, Endpoint};

/// Large hook and API payloads (posts with metadata, channel exports) must fit.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// The gRPC PluginAPI client. Cheap to clone.
#[derive(Clone)]
pub struct GrpcApi {
    client: PluginApiClient<Channel>,
}

impl GrpcApi {
    /// Connects lazily to `target` (`host:port`); the first call opens the connection.
    pub fn connect_lazy(target: &str) -> Result<Self, tonic::transport::Error> {
        let channel = Endpoint::from_shared(format!("http://{target}"))?
            .tcp_nodelay(true)
            .connect_timeout(std::time::Duration::from_secs(5))
            .connect_lazy();
        let client = PluginApiClient::new(channel)
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES);
        Ok(Self { client })
    }

    fn c(&self) -> PluginApiClient<Channel> {
        self.client.clone()
    }
}

/// Maps a non-OK status to an error, telling refusals (mapped from AppError HTTP codes) from transport failures.
pub fn status_to_error(call: &'static str, status: tonic::Status) -> ApiError {
    use tonic::Code;
    let http = match status.code() {
        Code::InvalidArgument => 400,
        Code::Unauthenticated => 401,
        Code::PermissionDenied => 403,
        Code::NotFound => 404,
        Code::AlreadyExists => 409,
        Code::ResourceExhausted => 413,
        Code::Unimplemented => 501,
        // The server formats refusals as "<app error id>: <message>"; anything else is the transport.
        Code::Internal if status.message().contains(": ") => 500,
        _ => return ApiError::Transport { call, message: status.to_string() },
    };
    let (id, message) = status.message().split_once(": ").unwrap_or(("", status.message()));
    ApiError::App {
        call,
        error: AppError {
            id: id.to_owned(),
            message: message.to_owned(),
            detailed_error: String::new(),
            status_code: http,
            r#where: call.to_owned(),
        },
    }
}

fn body_error(call: &'static str, error: Option<pb::AppError>) -> ApiResult<()> {
    match error {
        Some(e) if !e.id.is_empty() || e.status_code >= 400 => {
            let mut error = app_error_from_pb(e);
            if error.status_code == 0 {
                error.status_code = 500;
            }
            Err(ApiError::App { call, error })
        }
        _ => Ok(()),
    }
}

/// Calls one RPC and checks both error styles; evaluates to the response message.
macro_rules! rpc {
    ($self:ident . $method:ident ( $req:expr ), $name:literal) => {{
        let mut response = $self.c().$method($req).await.map_err(|s| status_to_error($name, s))?.into_inner();
        body_error($name, response.error.take())?;
        response
    }};
}

fn missing(call: &'static str, what: &str) -> ApiError {
    ApiError::Transport { call, message: format!("the answer has no {what}") }
}

#[async_trait]
impl PluginApi for GrpcApi {
    async fn kv_get(&self, key: &str) -> ApiResult<Option<Vec<u8>>> {
        let r = rpc!(self.kv_get(pb::KvGetRequest { key: key.into() }), "KVGet");
        Ok(if r.value.is_empty() { None } else { Some(r.value) })
    }

    async fn kv_set(&self, key: &str, value: &[u8]) -> ApiResult<()> {
        rpc!(self.kv_set(pb::KvSetRequest { key: key.into(), value: value.to_vec() }), "KVSet");
        Ok(())
    }

    async fn kv_set_with_expiry(&self, key: &str, value: &[u8], expire_in_seconds: i64) -> ApiResult<()> {
        let req = pb::KvSetWithExpiryRequest { key: key.into(), value: value.to_vec(), expire_in_seconds };
        rpc!(self.kv_set_with_expiry(req), "KVSetWithExpiry");
        Ok(())
    }

    async fn kv_set_with_options(&self, key: &str, value: &[u8], o: model::KvSetOptions) -> ApiResult<bool> {
        let options = pb::PluginKvSetOptions {
            atomic: o.atomic,
            old_value: o.old_value.unwrap_or_default(),
            expire_in_seconds: o.expire_in_seconds,
        };
        let req = pb::KvSetWithOptionsRequest { key: key.into(), value: value.to_vec(), options: Some(options) };
        Ok(rpc!(self.kv_set_with_options(req), "KVSetWithOptions").success)
    }

    async fn kv_compare_and_set(&self, key: &str, old: Option<&[u8]>, new: &[u8]) -> ApiResult<bool> {
        let req = pb::KvCompareAndSetRequest {
            key: key.into(),
            old_value: old.map(<[u8]>::to_vec).unwrap_or_default(),
            new_value: new.to_vec(),
        };
        Ok(rpc!(self.kv_compare_and_set(req), "KVCompareAndSet").success)
    }

    async fn kv_compare_and_delete(&self, key: &str, old: &[u8]) -> ApiResult<bool> {
        let req = pb::KvCompareAndDeleteRequest { key: key.into(), old_value: old.to_vec() };
        Ok(rpc!(self.kv_compare_and_delete(req), "KVCompareAndDelete").success)
    }

    async fn kv_delete(&self, key: &str) -> ApiResult<()> {
        rpc!(self.kv_delete(pb::KvDeleteRequest { key: key.into() }), "KVDelete");
        Ok(())
    }

    async fn kv_list(&self, page: i32, per_page: i32) -> ApiResult<Vec<String>> {
        Ok(rpc!(self.kv_list(pb::KvListRequest { page, per_page }), "KVList").keys)
    }

    async fn create_post(&self, post: model::Post) -> ApiResult<model::Post> {
        let r = rpc!(self.create_post(pb::CreatePostRequest { post: Some(post_to_pb(post)) }), "CreatePost");
        r.post.map(post_from_pb).ok_or_else(|| missing("CreatePost", "post"))
    }

    async fn update_post(&self, post: model::Post) -> ApiResult<model::Post> {
        let r = rpc!(self.update_post(pb::UpdatePostRequest { post: Some(post_to_pb(post)) }), "UpdatePost");
        r.post.map(post_from_pb).ok_or_else(|| missing("UpdatePost", "post"))
    }

    async fn get_post(&self, post_id: &str) -> ApiResult<model::Post> {
        let r = rpc!(self.get_post(pb::GetPostRequest { post_id: post_id.into() }), "GetPost");
        r.post.map(post_from_pb).ok_or_else(|| missing("GetPost", "post"))
    }

    async fn delete_post(&self, post_id: &str) -> ApiResult<()> {
        rpc!(self.delete_post(pb::DeletePostRequest { post_id: post_id.into() }), "DeletePost");
        Ok(())
    }

    async fn send_ephemeral_post(&self, user_id: &str, post: model::Post) -> ApiResult<model::Post> {
        let req = pb::SendEphemeralPostRequest { user_id: user_id.into(), post: Some(post_to_pb(post)) };
        let r = rpc!(self.send_ephemeral_post(req), "SendEphemeralPost");
        Ok(r.post.map(post_from_pb).unwrap_or_default())
    }

    async fn update_ephemeral_post(&self, user_id: &str, post: model::Post) -> ApiResult<model::Post> {
        let req = pb::UpdateEphemeralPostRequest { user_id: user_id.into(), post: Some(post_to_pb(post)) };
        let r = rpc!(self.update_ephemeral_post(req), "UpdateEphemeralPost");
        Ok(r.post.map(post_from_pb).unwrap_or_default())
    }

    async fn get_posts_for_channel(&self, channel_id: &str, page: i32, per_page: i32) -> ApiResult<model::PostList> {
        let req = pb::GetPostsForChannelRequest { channel_id: channel_id.into(), page, per_page };
        let list = rpc!(self.get_posts_for_channel(req), "GetPostsForChannel").post_list.unwrap_or_default();
        Ok(model::PostList {
            order: list.order,
            posts: list.posts.into_iter().map(|(k, p)| (k, post_from_pb(p))).collect(),
        })
    }

    async fn create_channel(&self, channel: model::Channel) -> ApiResult<model::Channel> {
        let req = pb::CreateChannelRequest { channel: Some(channel_to_pb(channel)) };
        let r = rpc!(self.create_channel(req), "CreateChannel");
        r.channel.map(channel_from_pb).ok_or_else(|| missing("CreateChannel", "channel"))
    }

    async fn get_channel(&self, channel_id: &str) -> ApiResult<model::Channel> {
        let r = rpc!(self.get_channel(pb::GetChannelRequest { channel_id: channel_id.into() }), "GetChannel");
        r.channel.map(channel_from_pb).ok_or_else(|| missing("GetChannel", "channel"))
    }

    async fn get_channel_by_name(&self, team_id: &str, name: &str, include_deleted: bool) -> ApiResult<model::Channel> {
        let req = pb::GetChannelByNameRequest { team_id: team_id.into(), name: name.into(), include_deleted };
        let r = rpc!(self.get_channel_by_name(req), "GetChannelByName");
        r.channel.map(channel_from_pb).ok_or_else(|| missing("GetChannelByName", "channel"))
    }

    async fn update_channel(&self, channel: model::Channel) -> ApiResult<model::Channel> {
        let req = pb::UpdateChannelRequest { channel: Some(channel_to_pb(channel)) };
        let r = rpc!(self.update_channel(req), "UpdateChannel");
        r.channel.map(channel_from_pb).ok_or_else(|| missing("UpdateChannel", "channel"))
    }

    async fn add_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<model::ChannelMember> {
        let req = pb::AddChannelMemberRequest { channel_id: channel_id.into(), user_id: user_id.into() };
        let r = rpc!(self.add_channel_member(req), "AddChannelMember");
        r.channel_member.map(member_from_pb).ok_or_else(|| missing("AddChannelMember", "member"))
    }

    async fn add_user_to_channel(
        &self,
        channel_id: &str,
        user_id: &str,
        as_user_id: &str,
    ) -> ApiResult<model::ChannelMember> {
        let req = pb::AddUserToChannelRequest {
            channel_id: channel_id.into(),
            user_id: user_id.into(),
            as_user_id: as_user_id.into(),
        };
        let r = rpc!(self.add_user_to_channel(req), "AddUserToChannel");
        r.channel_member.map(member_from_pb).ok_or_else(|| missing("AddUserToChannel", "member"))
    }

    async fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<()> {
        let req = pb::DeleteChannelMemberRequest { channel_id: channel_id.into(), user_id: user_id.into() };
        rpc!(self.delete_channel_member(req), "DeleteChannelMember");
        Ok(())
    }

    async fn get_channel_member(&self, channel_id: &str, user_id: &str) -> ApiResult<model::ChannelMember> {
        let req = pb::GetChannelMemberRequest { channel_id: channel_id.into(), user_id: user_id.into() };
        let r = rpc!(self.get_channel_member(req), "GetChannelMember");
        r.channel_member.map(member_from_pb).ok_or_else(|| missing("GetChannelMember", "member"))
    }

    async fn get_channel_members(
        &self,
        channel_id: &str,
        page: i32,
        per_page: i32,
    ) -> ApiResult<Vec<model::ChannelMember>> {
        let req = pb::GetChannelMembersRequest { channel_id: channel_id.into(), page, per_page };
        Ok(rpc!(self.get_channel_members(req), "GetChannelMembers")
            .channel_members
            .into_iter()
            .map(member_from_pb)
            .collect())
    }

    async fn get_user(&self, user_id: &str) -> ApiResult<model::User> {
        let r = rpc!(self.get_user(pb::GetUserRequest { user_id: user_id.into() }), "GetUser");
        r.user.map(user_from_pb).ok_or_else(|| missing("GetUser", "user"))
    }

    async fn get_user_by_username(&self, username: &str) -> ApiResult<model::User> {
        let req = pb::GetUserByUsernameRequest { name: username.into() };
        let r = rpc!(self.get_user_by_username(req), "GetUserByUsername");
        r.user.map(user_from_pb).ok_or_else(|| missing("GetUserByUsername", "user"))
    }

    async fn get_users_by_ids(&self, user_ids: &[String]) -> ApiResult<Vec<model::User>> {
        let req = pb::GetUsersByIdsRequest { user_ids: user_ids.to_vec() };
        Ok(rpc!(self.get_users_by_ids(req), "GetUsersByIds").users.into_iter().map(user_from_pb).collect())
    }

    async fn get_users_in_channel(&self, channel_id: &str, page: i32, per_page: i32) -> ApiResult<Vec<model::User>> {
        let req =
            pb::GetUsersInChannelRequest { channel_id: channel_id.into(), sort_by: "username".into(), page, per_page };
        Ok(rpc!(self.get_users_in_channel(req), "GetUsersInChannel").users.into_iter().map(user_from_pb).collect())
    }

    async fn get_team(&self, team_id: &str) -> ApiResult<model::Team> {
        let r = rpc!(self.get_team(pb::GetTeamRequest { team_id: team_id.into() }), "GetTeam");
        r.team.map(team_from_pb).ok_or_else(|| missing("GetTeam", "team"))
    }

    async fn get_team_member(&self, team_id: &str, user_id: &str) -> ApiResult<model::TeamMember> {
        let req = pb::GetTeamMemberRequest { team_id: team_id.into(), user_id: user_id.into() };
        let r = rpc!(self.get_team_member(req), "GetTeamMember");
        r.team_member.map(team_member_from_pb).ok_or_else(|| missing("GetTeamMember", "member"))
    }

    async fn get_teams_for_user(&self, user_id: &str) -> ApiResult<Vec<model::Team>> {
        let req = pb::GetTeamsForUserRequest { user_id: user_id.into() };
        Ok(rpc!(self.get_teams_for_user(req), "GetTeamsForUser").teams.into_iter().map(team_from_pb).collect())
    }

    async fn has_permission_to(&self, user_id: &str, permission: &str) -> ApiResult<bool> {
        let req = pb::HasPermissionToRequest { user_id: user_id.into(), permission_id: permission.into() };
        Ok(rpc!(self.has_permission_to(req), "HasPermissionTo").has_permission)
    }

    async fn has_permission_to_team(&self, user_id: &str, team_id: &str, permission: &str) -> ApiResult<bool> {
        let req = pb::HasPermissionToTeamRequest {
            user_id: user_id.into(),
            team_id: team_id.into(),
            permission_id: permission.into(),
        };
        Ok(rpc!(self.has_permission_to_team(req), "HasPermissionToTeam").has_permission)
    }

    async fn has_permission_to_channel(&self, user_id: &str, channel_id: &str, permission: &str) -> ApiResult<bool> {
        let req = pb::HasPermissionToChannelRequest {
            user_id: user_id.into(),
            channel_id: channel_id.into(),
            permission_id: permission.into(),
        };
        Ok(rpc!(self.has_permission_to_channel(req), "HasPermissionToChannel").has_permission)
    }

    async fn register_command(&self, command: model::Command) -> ApiResult<()> {
        rpc!(
            self.register_command(pb::RegisterCommandRequest { command: Some(command_to_pb(command)) }),
            "RegisterCommand"
        );
        Ok(())
    }

    async fn unregister_command(&self, team_id: &str, trigger: &str) -> ApiResult<()> {
        let req = pb::UnregisterCommandRequest { team_id: team_id.into(), trigger: trigger.into() };
        rpc!(self.unregister_command(req), "UnregisterCommand");
        Ok(())
    }

    async fn open_interactive_dialog(&self, dialog: model::OpenDialog) -> ApiResult<()> {
        let req = pb::OpenInteractiveDialogRequest { dialog: Some(dialog_to_pb(dialog)) };
        rpc!(self.open_interactive_dialog(req), "OpenInteractiveDialog");
        Ok(())
    }

    async fn publish_websocket_event(
        &self,
        event: &str,
        payload: Map<String, Value>,
        broadcast: model::Broadcast,
    ) -> ApiResult<()> {
        let req = pb::PublishWebSocketEventRequest {
            event: event.into(),
            payload: Some(json_to_struct(payload).unwrap_or_default()),
            broadcast: Some(broadcast_to_pb(broadcast)),
        };
        rpc!(self.publish_web_socket_event(req), "PublishWebSocketEvent");
        Ok(())
    }

    async fn publish_plugin_cluster_event(&self, event: model::ClusterEvent) -> ApiResult<()> {
        let req = pb::PublishPluginClusterEventRequest {
            event: Some(pb::PluginClusterEvent { id: event.id, data: event.data }),
            opts: Some(pb::PluginClusterEventSendOptions::default()),
        };
        rpc!(self.publish_plugin_cluster_event(req), "PublishPluginClusterEvent");
        Ok(())
    }

    async fn ensure_bot_user(&self, bot: model::Bot) -> ApiResult<String> {
        let bot = pb::Bot {
            username: bot.username,
            display_name: bot.display_name,
            description: bot.description,
            ..Default::default()
        };
        Ok(rpc!(self.ensure_bot_user(pb::EnsureBotUserRequest { bot: Some(bot) }), "EnsureBotUser").bot_user_id)
    }

    async fn log(&self, level: LogLevel, message: &str, fields: Map<String, Value>) -> ApiResult<()> {
        let msg = message.to_owned();
        let key_value_pairs: Vec<pb::KeyValuePair> =
            fields.into_iter().map(|(key, v)| pb::KeyValuePair { key, value: Some(json_to_value(v)) }).collect();
        match level {
            LogLevel::Debug => drop(rpc!(self.log_debug(pb::LogDebugRequest { msg, key_value_pairs }), "LogDebug")),
            LogLevel::Info => drop(rpc!(self.log_info(pb::LogInfoRequest { msg, key_value_pairs }), "LogInfo")),
            LogLevel::Warn => drop(rpc!(self.log_warn(pb::LogWarnRequest { msg, key_value_pairs }), "LogWarn")),
            LogLevel::Error => drop(rpc!(self.log_error(pb::LogErrorRequest { msg, key_value_pairs }), "LogError")),
        }
        Ok(())
    }

    async fn load_plugin_configuration(&self) -> ApiResult<Value> {
        let r = rpc!(self.load_plugin_configuration(pb::LoadPluginConfigurationRequest {}), "LoadPluginConfiguration");
        parse_json("LoadPluginConfiguration", &r.config_json)
    }

    async fn get_config(&self) -> ApiResult<Value> {
        let r = rpc!(self.get_config(pb::GetConfigRequest {}), "GetConfig");
        parse_json("GetConfig", &r.config_json)
    }
}

fn parse_json(call: &'static str, bytes: &[u8]) -> ApiResult<Value> {
    if bytes.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(bytes).map_err(|e| ApiError::Transport { call, message: format!("invalid JSON: {e}") })
}
