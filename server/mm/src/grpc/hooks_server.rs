//! Serves `mattermost.pluginapi.v1.PluginHooks` by calling a [`Hooks`] implementation.
//!
//! Hooks the plugin does not list in `implemented()` answer `Unimplemented` and never reach it.

use super::convert::*;
use super::http_bridge;
use crate::hooks::{Hook, Hooks};
use crate::pb::v1 as pb;
use crate::pb::v1::plugin_hooks_server::PluginHooks;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

/// The tonic service around a plugin's hooks.
pub struct HooksService<H> {
    hooks: Arc<H>,
    implemented: &'static [Hook],
    /// Set to true when the host deactivated the plugin; the runtime exits on it.
    stop: watch::Sender<bool>,
    max_body: usize,
}

impl<H: Hooks> HooksService<H> {
    pub fn new(hooks: Arc<H>, stop: watch::Sender<bool>, max_body: usize) -> Self {
        let implemented = hooks.implemented();
        Self { hooks, implemented, stop, max_body }
    }

    fn require(&self, hook: Hook) -> Result<(), Status> {
        if self.implemented.contains(&hook) {
            Ok(())
        } else {
            Err(Status::unimplemented(format!("this plugin does not implement {}", hook.name())))
        }
    }
}

type HttpStream = Pin<Box<dyn Stream<Item = Result<pb::ServeHttpResponse, Status>> + Send>>;

#[tonic::async_trait]
impl<H: Hooks> PluginHooks for HooksService<H> {
    async fn implemented(
        &self,
        _: Request<pb::ImplementedRequest>,
    ) -> Result<Response<pb::ImplementedResponse>, Status> {
        let hooks = self.implemented.iter().map(|h| h.name().to_owned()).collect();
        Ok(Response::new(pb::ImplementedResponse { error: None, hooks }))
    }

    async fn on_activate(&self, _: Request<pb::OnActivateRequest>) -> Result<Response<pb::OnActivateResponse>, Status> {
        self.require(Hook::OnActivate)?;
        let error = self.hooks.on_activate().await.err().map(app_error_to_pb);
        Ok(Response::new(pb::OnActivateResponse { error }))
    }

    async fn on_deactivate(
        &self,
        _: Request<pb::OnDeactivateRequest>,
    ) -> Result<Response<pb::OnDeactivateResponse>, Status> {
        self.require(Hook::OnDeactivate)?;
        let error = self.hooks.on_deactivate().await.err().map(app_error_to_pb);
        // The host kills us 2 s after deactivation; leave on our own once the answer is out.
        let _ = self.stop.send(true);
        Ok(Response::new(pb::OnDeactivateResponse { error }))
    }

    async fn on_configuration_change(
        &self,
        _: Request<pb::OnConfigurationChangeRequest>,
    ) -> Result<Response<pb::OnConfigurationChangeResponse>, Status> {
        self.require(Hook::OnConfigurationChange)?;
        let error = self.hooks.on_configuration_change().await.err().map(app_error_to_pb);
        Ok(Response::new(pb::OnConfigurationChangeResponse { error }))
    }

    async fn execute_command(
        &self,
        request: Request<pb::ExecuteCommandRequest>,
    ) -> Result<Response<pb::ExecuteCommandResponse>, Status> {
        self.require(Hook::ExecuteCommand)?;
        let args = request.into_inner().args.ok_or_else(|| Status::invalid_argument("ExecuteCommand without args"))?;
        let reply = match self.hooks.execute_command(command_args_from_pb(args)).await {
            Ok(r) => pb::ExecuteCommandResponse { error: None, response: Some(command_response_to_pb(r)) },
            Err(e) => pb::ExecuteCommandResponse { error: Some(app_error_to_pb(e)), response: None },
        };
        Ok(Response::new(reply))
    }

    type ServeHTTPStream = HttpStream;

    async fn serve_http(
        &self,
        request: Request<tonic::Streaming<pb::ServeHttpRequest>>,
    ) -> Result<Response<Self::ServeHTTPStream>, Status> {
        self.require(Hook::ServeHttp)?;
        let response = match http_bridge::read_request(request.into_inner(), self.max_body).await? {
            http_bridge::Inbound::Request(req) => self.hooks.serve_http(req).await,
            http_bridge::Inbound::Refused(refusal) => refusal,
        };
        let messages = http_bridge::response_messages(response);
        Ok(Response::new(Box::pin(tokio_stream::iter(messages.into_iter().map(Ok)))))
    }

    async fn message_has_been_posted(
        &self,
        request: Request<pb::MessageHasBeenPostedRequest>,
    ) -> Result<Response<pb::MessageHasBeenPostedResponse>, Status> {
        self.require(Hook::MessageHasBeenPosted)?;
        if let Some(post) = request.into_inner().post {
            self.hooks.message_has_been_posted(post_from_pb(post)).await;
        }
        Ok(Response::new(pb::MessageHasBeenPostedResponse {}))
    }

    async fn user_has_joined_channel(
        &self,
        request: Request<pb::UserHasJoinedChannelRequest>,
    ) -> Result<Response<pb::UserHasJoinedChannelResponse>, Status> {
        self.require(Hook::UserHasJoinedChannel)?;
        let r = request.into_inner();
        if let Some(member) = r.channel_member {
            self.hooks.user_has_joined_channel(member_from_pb(member), r.actor.map(user_from_pb)).await;
        }
        Ok(Response::new(pb::UserHasJoinedChannelResponse {}))
    }

    async fn user_has_left_channel(
        &self,
        request: Request<pb::UserHasLeftChannelRequest>,
    ) -> Result<Response<pb::UserHasLeftChannelResponse>, Status> {
        self.require(Hook::UserHasLeftChannel)?;
        let r = request.into_inner();
        if let Some(member) = r.channel_member {
            self.hooks.user_has_left_channel(member_from_pb(member), r.actor.map(user_from_pb)).await;
        }
        Ok(Response::new(pb::UserHasLeftChannelResponse {}))
    }

    async fn on_plugin_cluster_event(
        &self,
        request: Request<pb::OnPluginClusterEventRequest>,
    ) -> Result<Response<pb::OnPluginClusterEventResponse>, Status> {
        self.require(Hook::OnPluginClusterEvent)?;
        if let Some(e) = request.into_inner().event {
            self.hooks.on_plugin_cluster_event(crate::model::ClusterEvent { id: e.id, data: e.data }).await;
        }
        Ok(Response::new(pb::OnPluginClusterEventResponse {}))
    }
}
