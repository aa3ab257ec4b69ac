//! A recording fake of the server's PluginAPI, served over real gRPC on loopback.
//!
//! It answers the calls a plugin makes at activation and records every call; the rest answer
//! `Unimplemented`, as a server without that RPC would.

use mm::pb::v1 as pb;
use mm::pb::v1::plugin_api_server::{PluginApi, PluginApiServer};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use tonic::{Request, Response, Status};

/// What the fake saw.
#[derive(Default, Debug)]
pub struct Recorded {
    pub calls: Vec<&'static str>,
    pub commands: Vec<pb::Command>,
    pub bots: Vec<pb::Bot>,
}

#[derive(Clone, Default)]
pub struct FakeApi {
    pub recorded: Arc<Mutex<Recorded>>,
}

impl FakeApi {
    /// Serves the fake on 127.0.0.1:0 and returns its address.
    pub async fn serve(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let service = PluginApiServer::new(self.clone());
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(service)
                .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true))),
        );
        addr
    }

    fn record(&self, call: &'static str) {
        self.recorded.lock().unwrap().calls.push(call);
    }
}

type Answer<T> = Pin<Box<dyn Future<Output = Result<Response<T>, Status>> + Send + 'static>>;

/// Declares RPCs the fake does not serve: they record the call and answer Unimplemented.
macro_rules! unserved {
    ($($method:ident : $req:ident => $resp:ident,)*) => {$(
        fn $method<'life0, 'async_trait>(
            &'life0 self,
            _request: Request<pb::$req>,
        ) -> Pin<Box<dyn Future<Output = Result<Response<pb::$resp>, Status>> + Send + 'async_trait>>
        where
            'life0: 'async_trait,
            Self: 'async_trait,
        {
            self.record(stringify!($method));
            Box::pin(async { Err(Status::unimplemented(concat!("fake API does not serve ", stringify!($method)))) })
        }
    )*};
}

fn ok<T: Send + 'static>(value: T) -> Answer<T> {
    Box::pin(async move { Ok(Response::new(value)) })
}

#[tonic::async_trait]
impl PluginApi for FakeApi {
    async fn register_command(
        &self,
        request: Request<pb::RegisterCommandRequest>,
    ) -> Result<Response<pb::RegisterCommandResponse>, Status> {
        self.record("register_command");
        let command = request.into_inner().command.ok_or_else(|| Status::invalid_argument("no command"))?;
        self.recorded.lock().unwrap().commands.push(command);
        ok(pb::RegisterCommandResponse { error: None }).await
    }

    async fn ensure_bot_user(
        &self,
        request: Request<pb::EnsureBotUserRequest>,
    ) -> Result<Response<pb::EnsureBotUserResponse>, Status> {
        self.record("ensure_bot_user");
        let bot = request.into_inner().bot.ok_or_else(|| Status::invalid_argument("no bot"))?;
        self.recorded.lock().unwrap().bots.push(bot);
        ok(pb::EnsureBotUserResponse { error: None, bot_user_id: "botuserid0000000000000000a".into() }).await
    }

    async fn load_plugin_configuration(
        &self,
        _: Request<pb::LoadPluginConfigurationRequest>,
    ) -> Result<Response<pb::LoadPluginConfigurationResponse>, Status> {
        self.record("load_plugin_configuration");
        ok(pb::LoadPluginConfigurationResponse { error: None, config_json: b"{}".to_vec() }).await
    }

    async fn log_info(&self, _: Request<pb::LogInfoRequest>) -> Result<Response<pb::LogInfoResponse>, Status> {
        self.record("log_info");
        ok(pb::LogInfoResponse { error: None }).await
    }

    unserved! {
        kv_get: KvGetRequest => KvGetResponse,
        kv_set: KvSetRequest => KvSetResponse,
        kv_set_with_expiry: KvSetWithExpiryRequest => KvSetWithExpiryResponse,
        kv_set_with_options: KvSetWithOptionsRequest => KvSetWithOptionsResponse,
        kv_compare_and_set: KvCompareAndSetRequest => KvCompareAndSetResponse,
        kv_compare_and_delete: KvCompareAndDeleteRequest => KvCompareAndDeleteResponse,
        kv_delete: KvDeleteRequest => KvDeleteResponse,
        kv_list: KvListRequest => KvListResponse,
        create_post: CreatePostRequest => CreatePostResponse,
        update_post: UpdatePostRequest => UpdatePostResponse,
        get_post: GetPostRequest => GetPostResponse,
        delete_post: DeletePostRequest => DeletePostResponse,
        send_ephemeral_post: SendEphemeralPostRequest => SendEphemeralPostResponse,
        update_ephemeral_post: UpdateEphemeralPostRequest => UpdateEphemeralPostResponse,
        get_posts_for_channel: GetPostsForChannelRequest => GetPostsForChannelResponse,
        create_channel: CreateChannelRequest => CreateChannelResponse,
        get_channel: GetChannelRequest => GetChannelResponse,
        get_channel_by_name: GetChannelByNameRequest => GetChannelByNameResponse,
        update_channel: UpdateChannelRequest => UpdateChannelResponse,
        add_channel_member: AddChannelMemberRequest => AddChannelMemberResponse,
        add_user_to_channel: AddUserToChannelRequest => AddUserToChannelResponse,
        delete_channel_member: DeleteChannelMemberRequest => DeleteChannelMemberResponse,
        get_channel_member: GetChannelMemberRequest => GetChannelMemberResponse,
        get_channel_members: GetChannelMembersRequest => GetChannelMembersResponse,
        get_user: GetUserRequest => GetUserResponse,
        get_user_by_username: GetUserByUsernameRequest => GetUserByUsernameResponse,
        get_users_by_ids: GetUsersByIdsRequest => GetUsersByIdsResponse,
        get_users_in_channel: GetUsersInChannelRequest => GetUsersInChannelResponse,
        get_team: GetTeamRequest => GetTeamResponse,
        get_team_member: GetTeamMemberRequest => GetTeamMemberResponse,
        get_teams_for_user: GetTeamsForUserRequest => GetTeamsForUserResponse,
        unregister_command: UnregisterCommandRequest => UnregisterCommandResponse,
        open_interactive_dialog: OpenInteractiveDialogRequest => OpenInteractiveDialogResponse,
        publish_web_socket_event: PublishWebSocketEventRequest => PublishWebSocketEventResponse,
        publish_plugin_cluster_event: PublishPluginClusterEventRequest => PublishPluginClusterEventResponse,
        has_permission_to: HasPermissionToRequest => HasPermissionToResponse,
        has_permission_to_team: HasPermissionToTeamRequest => HasPermissionToTeamResponse,
        has_permission_to_channel: HasPermissionToChannelRequest => HasPermissionToChannelResponse,
        log_debug: LogDebugRequest => LogDebugResponse,
        log_warn: LogWarnRequest => LogWarnResponse,
        log_error: LogErrorRequest => LogErrorResponse,
        get_config: GetConfigRequest => GetConfigResponse,
    }
}
