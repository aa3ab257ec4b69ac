//! The PluginAPI gRPC server: one per plugin process, counting every call, in Mattermost's two error styles.

pub mod convert;
mod directory;
mod kv_posts;
pub mod platform;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use mm::pb::v1 as pb;
use mm::pb::v1::plugin_api_server::{PluginApi, PluginApiServer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

use crate::context::Shared;
use crate::faults::Injected;

/// Largest request the API server accepts (a default `grpc.NewServer()`: 4 MiB).
pub const MAX_API_REQUEST: usize = 4 * 1024 * 1024;

/// The PluginAPI of one node.
#[derive(Debug, Clone)]
pub struct ApiService {
    shared: Arc<Shared>,
    node: usize,
}

impl ApiService {
    fn pid(&self) -> &str {
        self.shared.plugin_id()
    }

    fn count(&self, rpc: &str) {
        self.shared.counters.record_rpc(rpc);
        if let Some(node) = self.shared.sup.nodes().get(self.node) {
            node.api_calls.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// How an injected fault answers instead of the RPC.
enum Refusal {
    App(convert::ApiError),
    Transport(Status),
}

impl ApiService {
    /// Applies the fault injected on `rpc`, if any: sleeps for a delay, or says how to refuse the call. Ok(Some(d)):
    /// do the work, then wait `d` before answering.
    async fn injected(&self, rpc: &str) -> Result<Option<Duration>, Refusal> {
        match self.shared.faults.take(rpc) {
            None => Ok(None),
            Some(Injected::Delay(d)) => {
                tokio::time::sleep(d).await;
                Ok(None)
            }
            Some(Injected::Late(d)) => Ok(Some(d)),
            Some(Injected::Fail(e)) => Err(Refusal::App(e)),
            Some(Injected::Unavailable(message)) => Err(Refusal::Transport(Status::unavailable(message))),
        }
    }
}

/// Binds 127.0.0.1:0 and serves the PluginAPI for node `node` until the returned sender fires.
pub async fn serve(shared: Arc<Shared>, node: usize) -> std::io::Result<(SocketAddr, oneshot::Sender<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let service = PluginApiServer::new(ApiService { shared, node })
        .max_decoding_message_size(MAX_API_REQUEST)
        .max_encoding_message_size(crate::supervisor::MAX_MESSAGE);
    tokio::spawn(async move {
        let result = tonic::transport::Server::builder()
            .add_service(service)
            // Without TCP_NODELAY every small answer waits out the peer's delayed ACK (~40 ms per call).
            .serve_with_incoming_shutdown(TcpIncoming::from(listener).with_nodelay(Some(true)), async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = result {
            tracing::error!(node, "PluginAPI server stopped: {e}");
        }
    });
    Ok((addr, tx))
}

macro_rules! plugin_api {
    ($($style:ident $method:ident($req:ident) -> $resp:ident = $rpc:literal;)*) => {
        /// Every PluginAPI call the dev host serves, by its Mattermost name (fault injection checks names here).
        pub const RPC_NAMES: &[&str] = &[$($rpc),*];

        #[tonic::async_trait]
        #[allow(clippy::needless_update)]
        impl PluginApi for ApiService {
            $(
                async fn $method(&self, request: Request<pb::$req>) -> Result<Response<pb::$resp>, Status> {
                    self.count($rpc);
                    let result = match self.injected($rpc).await {
                        Ok(late) => {
                            let result = ApiService::$method(self, request.into_inner());
                            if let Some(d) = late {
                                tokio::time::sleep(d).await;
                            }
                            result
                        }
                        Err(Refusal::App(e)) => Err(e),
                        Err(Refusal::Transport(status)) => return Err(status),
                    };
                    plugin_api!(@$style result, $resp, $rpc)
                }
            )*
        }
    };
    (@F $result:ident, $resp:ident, $rpc:literal) => {
        Ok(Response::new(match $result {
            Ok(v) => v,
            Err(e) => pb::$resp { error: Some(e.to_app_error($rpc)), ..Default::default() },
        }))
    };
    (@S $result:ident, $resp:ident, $rpc:literal) => {
        $result.map(Response::new).map_err(|e| e.to_status())
    };
}

plugin_api! {
    F kv_get(KvGetRequest) -> KvGetResponse = "KVGet";
    F kv_set(KvSetRequest) -> KvSetResponse = "KVSet";
    F kv_set_with_expiry(KvSetWithExpiryRequest) -> KvSetWithExpiryResponse = "KVSetWithExpiry";
    F kv_set_with_options(KvSetWithOptionsRequest) -> KvSetWithOptionsResponse = "KVSetWithOptions";
    F kv_compare_and_set(KvCompareAndSetRequest) -> KvCompareAndSetResponse = "KVCompareAndSet";
    F kv_compare_and_delete(KvCompareAndDeleteRequest) -> KvCompareAndDeleteResponse = "KVCompareAndDelete";
    F kv_delete(KvDeleteRequest) -> KvDeleteResponse = "KVDelete";
    F kv_list(KvListRequest) -> KvListResponse = "KVList";
    F create_post(CreatePostRequest) -> CreatePostResponse = "CreatePost";
    F update_post(UpdatePostRequest) -> UpdatePostResponse = "UpdatePost";
    F get_post(GetPostRequest) -> GetPostResponse = "GetPost";
    F delete_post(DeletePostRequest) -> DeletePostResponse = "DeletePost";
    F send_ephemeral_post(SendEphemeralPostRequest) -> SendEphemeralPostResponse = "SendEphemeralPost";
    F update_ephemeral_post(UpdateEphemeralPostRequest) -> UpdateEphemeralPostResponse = "UpdateEphemeralPost";
    F get_posts_for_channel(GetPostsForChannelRequest) -> GetPostsForChannelResponse = "GetPostsForChannel";
    S create_channel(CreateChannelRequest) -> CreateChannelResponse = "CreateChannel";
    S get_channel(GetChannelRequest) -> GetChannelResponse = "GetChannel";
    S get_channel_by_name(GetChannelByNameRequest) -> GetChannelByNameResponse = "GetChannelByName";
    S update_channel(UpdateChannelRequest) -> UpdateChannelResponse = "UpdateChannel";
    S add_channel_member(AddChannelMemberRequest) -> AddChannelMemberResponse = "AddChannelMember";
    S add_user_to_channel(AddUserToChannelRequest) -> AddUserToChannelResponse = "AddUserToChannel";
    S delete_channel_member(DeleteChannelMemberRequest) -> DeleteChannelMemberResponse = "DeleteChannelMember";
    S get_channel_member(GetChannelMemberRequest) -> GetChannelMemberResponse = "GetChannelMember";
    S get_channel_members(GetChannelMembersRequest) -> GetChannelMembersResponse = "GetChannelMembers";
    S get_user(GetUserRequest) -> GetUserResponse = "GetUser";
    S get_user_by_username(GetUserByUsernameRequest) -> GetUserByUsernameResponse = "GetUserByUsername";
    S get_users_by_ids(GetUsersByIdsRequest) -> GetUsersByIdsResponse = "GetUsersByIds";
    S get_users_in_channel(GetUsersInChannelRequest) -> GetUsersInChannelResponse = "GetUsersInChannel";
    S get_team(GetTeamRequest) -> GetTeamResponse = "GetTeam";
    S get_team_member(GetTeamMemberRequest) -> GetTeamMemberResponse = "GetTeamMember";
    S get_teams_for_user(GetTeamsForUserRequest) -> GetTeamsForUserResponse = "GetTeamsForUser";
    S register_command(RegisterCommandRequest) -> RegisterCommandResponse = "RegisterCommand";
    S unregister_command(UnregisterCommandRequest) -> UnregisterCommandResponse = "UnregisterCommand";
    S open_interactive_dialog(OpenInteractiveDialogRequest) -> OpenInteractiveDialogResponse = "OpenInteractiveDialog";
    S publish_web_socket_event(PublishWebSocketEventRequest) -> PublishWebSocketEventResponse = "PublishWebSocketEvent";
    S publish_plugin_cluster_event(PublishPluginClusterEventRequest) -> PublishPluginClusterEventResponse = "PublishPluginClusterEvent";
    S has_permission_to(HasPermissionToRequest) -> HasPermissionToResponse = "HasPermissionTo";
    S has_permission_to_team(HasPermissionToTeamRequest) -> HasPermissionToTeamResponse = "HasPermissionToTeam";
    S has_permission_to_channel(HasPermissionToChannelRequest) -> HasPermissionToChannelResponse = "HasPermissionToChannel";
    S ensure_bot_user(EnsureBotUserRequest) -> EnsureBotUserResponse = "EnsureBotUser";
    S log_debug(LogDebugRequest) -> LogDebugResponse = "LogDebug";
    S log_info(LogInfoRequest) -> LogInfoResponse = "LogInfo";
    S log_warn(LogWarnRequest) -> LogWarnResponse = "LogWarn";
    S log_error(LogErrorRequest) -> LogErrorResponse = "LogError";
    S load_plugin_configuration(LoadPluginConfigurationRequest) -> LoadPluginConfigurationResponse = "LoadPluginConfiguration";
    S get_config(GetConfigRequest) -> GetConfigResponse = "GetConfig";
}
