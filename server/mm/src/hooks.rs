//! The hooks a plugin serves, as a transport-neutral async trait, and their canonical names.

use crate::model::{AppError, ChannelMember, ClusterEvent, CommandArgs, CommandResponse, Post, User};
use async_trait::async_trait;
use bytes::Bytes;

/// A hook of the Go `plugin.Hooks` interface that this SDK can serve; `name()` is the string the server expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hook {
    OnActivate,
    OnDeactivate,
    OnConfigurationChange,
    ExecuteCommand,
    ServeHttp,
    MessageHasBeenPosted,
    UserHasJoinedChannel,
    UserHasLeftChannel,
    OnPluginClusterEvent,
}

impl Hook {
    /// Every hook the SDK knows, in a stable order.
    pub const ALL: [Hook; 9] = [
        Hook::OnActivate,
        Hook::OnDeactivate,
        Hook::OnConfigurationChange,
        Hook::ExecuteCommand,
        Hook::ServeHttp,
        Hook::MessageHasBeenPosted,
        Hook::UserHasJoinedChannel,
        Hook::UserHasLeftChannel,
        Hook::OnPluginClusterEvent,
    ];

    /// The Go method name, which is what `Implemented` must list.
    pub fn name(self) -> &'static str {
        match self {
            Hook::OnActivate => "OnActivate",
            Hook::OnDeactivate => "OnDeactivate",
            Hook::OnConfigurationChange => "OnConfigurationChange",
            Hook::ExecuteCommand => "ExecuteCommand",
            Hook::ServeHttp => "ServeHTTP",
            Hook::MessageHasBeenPosted => "MessageHasBeenPosted",
            Hook::UserHasJoinedChannel => "UserHasJoinedChannel",
            Hook::UserHasLeftChannel => "UserHasLeftChannel",
            Hook::OnPluginClusterEvent => "OnPluginClusterEvent",
        }
    }
}

/// An HTTP request routed to the plugin (`/plugins/<id>` already stripped from the path).
/// The `Mattermost-User-Id` header, when present, names the authenticated user.
pub type HttpRequest = http::Request<Bytes>;
/// The plugin's HTTP answer.
pub type HttpResponse = http::Response<Bytes>;

/// The plugin's side of the protocol.
///
/// `implemented` is the single source of truth for which hooks the server calls: the SDK answers
/// `Implemented` from it and refuses calls to hooks not listed. Override exactly the methods listed;
/// the defaults of unlisted hooks are never reached through the SDK.
#[async_trait]
pub trait Hooks: Send + Sync + 'static {
    /// The hooks this plugin implements.
    fn implemented(&self) -> &'static [Hook];

    async fn on_activate(&self) -> Result<(), AppError> {
        Ok(())
    }
    async fn on_deactivate(&self) -> Result<(), AppError> {
        Ok(())
    }
    async fn on_configuration_change(&self) -> Result<(), AppError> {
        Ok(())
    }
    async fn execute_command(&self, args: CommandArgs) -> Result<CommandResponse, AppError> {
        let _ = args;
        Err(AppError::new("plugin.command.not_implemented", "this plugin has no slash commands", 501))
    }
    async fn serve_http(&self, request: HttpRequest) -> HttpResponse {
        let _ = request;
        let mut response = HttpResponse::new(Bytes::from_static(b"{\"error\":\"not found\"}"));
        *response.status_mut() = http::StatusCode::NOT_FOUND;
        response
    }
    async fn message_has_been_posted(&self, post: Post) {
        let _ = post;
    }
    async fn user_has_joined_channel(&self, member: ChannelMember, actor: Option<User>) {
        let _ = (member, actor);
    }
    async fn user_has_left_channel(&self, member: ChannelMember, actor: Option<User>) {
        let _ = (member, actor);
    }
    async fn on_plugin_cluster_event(&self, event: ClusterEvent) {
        let _ = event;
    }
}
