//! Calling the plugin's hooks: only implemented ones, 30 s deadline, API-call attribution, fire-and-forget events.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use mm::pb::v1::plugin_hooks_client::PluginHooksClient;
use mm::pb::v1::{
    ChannelMember, CommandArgs, ExecuteCommandRequest, MessageHasBeenPostedRequest, OnConfigurationChangeRequest,
    OnPluginClusterEventRequest, PluginClusterEvent, User, UserHasJoinedChannelRequest, UserHasLeftChannelRequest,
};
use tonic::transport::Channel;

use crate::context::Shared;
use crate::supervisor::{Conn, Node, NodeState};

/// The server's deadline for unary hooks (`defaultGRPCTimeout`).
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a hook call produced no answer.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("the plugin is not active on any node")]
    NoActiveNode,
    #[error("the plugin does not implement {0}")]
    NotImplemented(&'static str),
    #[error("{0} did not answer within 30 s")]
    Timeout(&'static str),
    #[error("gRPC {hook} call failed: {code}: {message}")]
    Transport { hook: &'static str, code: tonic::Code, message: String },
}

/// A request carrying the hook deadline in its `grpc-timeout` header.
pub fn deadline<T>(message: T) -> tonic::Request<T> {
    let mut r = tonic::Request::new(message);
    r.set_timeout(HOOK_TIMEOUT);
    r
}

/// Calls one hook on one node if implemented, under the deadline, attributing the node's API calls to it.
pub async fn call<T, F, Fut>(
    shared: &Shared,
    node: &Node,
    conn: &Conn,
    hook: &'static str,
    f: F,
) -> Result<T, HookError>
where
    F: FnOnce(PluginHooksClient<Channel>) -> Fut,
    Fut: Future<Output = Result<tonic::Response<T>, tonic::Status>>,
{
    if !conn.implemented.contains(hook) {
        return Err(HookError::NotImplemented(hook));
    }
    let before = node.api_calls.load(Ordering::SeqCst);
    let result = tokio::time::timeout(HOOK_TIMEOUT, f(conn.hooks.clone())).await;
    let after = node.api_calls.load(Ordering::SeqCst);
    shared.counters.record_hook(hook, after.saturating_sub(before));
    match result {
        Err(_) => Err(HookError::Timeout(hook)),
        Ok(Err(s)) => Err(HookError::Transport { hook, code: s.code(), message: s.message().to_string() }),
        Ok(Ok(r)) => Ok(r.into_inner()),
    }
}

/// `ExecuteCommand` on the next active node.
pub async fn execute_command(shared: &Shared, args: CommandArgs) -> Result<ExecuteCommandResponse, HookError> {
    let (node, conn) = shared.sup.pick().ok_or(HookError::NoActiveNode)?;
    call(shared, &node, &conn, "ExecuteCommand", |mut h| async move {
        h.execute_command(deadline(ExecuteCommandRequest { args: Some(args), ..Default::default() })).await
    })
    .await
}

pub use mm::pb::v1::ExecuteCommandResponse;

fn log_void(hook: &str, r: Result<impl Sized, HookError>) {
    match r {
        Ok(_) | Err(HookError::NotImplemented(_) | HookError::NoActiveNode) => {}
        Err(e) => tracing::warn!("{hook}: {e}"),
    }
}

/// Hook-direction posts lose `props` and `metadata`, exactly as the server's converter does.
fn hook_post(mut post: mm::pb::v1::Post) -> mm::pb::v1::Post {
    post.props = None;
    post.metadata = None;
    post
}

/// Fires `MessageHasBeenPosted` in the background.
pub fn message_posted(shared: &Arc<Shared>, post: mm::pb::v1::Post) {
    let Some((node, conn)) = shared.sup.pick() else { return };
    if !conn.implemented.contains("MessageHasBeenPosted") {
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        let r = call(&shared, &node, &conn, "MessageHasBeenPosted", |mut h| async move {
            h.message_has_been_posted(deadline(MessageHasBeenPostedRequest {
                post: Some(hook_post(post)),
                ..Default::default()
            }))
            .await
        })
        .await;
        log_void("MessageHasBeenPosted", r);
    });
}

/// Fires `UserHasJoinedChannel` (joined = true) or `UserHasLeftChannel` in the background.
pub fn membership_changed(shared: &Arc<Shared>, joined: bool, member: ChannelMember, actor: Option<User>) {
    let Some((node, conn)) = shared.sup.pick() else { return };
    let hook = if joined { "UserHasJoinedChannel" } else { "UserHasLeftChannel" };
    if !conn.implemented.contains(hook) {
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        let r = if joined {
            call(&shared, &node, &conn, hook, |mut h| async move {
                h.user_has_joined_channel(deadline(UserHasJoinedChannelRequest {
                    channel_member: Some(member),
                    actor,
                    ..Default::default()
                }))
                .await
            })
            .await
            .map(|_| ())
        } else {
            call(&shared, &node, &conn, hook, |mut h| async move {
                h.user_has_left_channel(deadline(UserHasLeftChannelRequest {
                    channel_member: Some(member),
                    actor,
                    ..Default::default()
                }))
                .await
            })
            .await
            .map(|_| ())
        };
        log_void(hook, r);
    });
}

/// The System Console's save for the plugin: `settings` are stored, then every active node gets
/// `OnConfigurationChange` (returns once all answered).
pub async fn save_plugin_settings(
    shared: &Shared,
    settings: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), crate::store::StoreError> {
    let id = shared.plugin_id();
    for (key, value) in settings {
        shared.store.set_plugin_setting(id, key, value)?;
    }
    configuration_changed(shared).await;
    Ok(())
}

/// `OnConfigurationChange` on every active node, as the server does after the System Console saves; waits for all.
async fn configuration_changed(shared: &Shared) {
    for node in shared.sup.nodes() {
        let Some(conn) = node.conn().filter(|_| node.state() == NodeState::Active) else { continue };
        let r = call(shared, &node, &conn, "OnConfigurationChange", |mut h| async move {
            h.on_configuration_change(deadline(OnConfigurationChangeRequest::default())).await
        })
        .await;
        log_void("OnConfigurationChange", r);
    }
}

/// Delivers a cluster event to every other active node (or the one named by `target`), in the background.
pub fn cluster_event(shared: &Arc<Shared>, from: usize, event: PluginClusterEvent, target: &str) {
    for node in shared.sup.nodes() {
        if node.index == from || node.state() != NodeState::Active {
            continue;
        }
        if !target.is_empty() && target != node_id(node.index) {
            continue;
        }
        let Some(conn) = node.conn() else { continue };
        if !conn.implemented.contains("OnPluginClusterEvent") {
            continue;
        }
        let shared = Arc::clone(shared);
        let event = event.clone();
        tokio::spawn(async move {
            let r = call(&shared, &node, &conn, "OnPluginClusterEvent", |mut h| async move {
                h.on_plugin_cluster_event(deadline(OnPluginClusterEventRequest {
                    event: Some(event),
                    ..Default::default()
                }))
                .await
            })
            .await;
            log_void("OnPluginClusterEvent", r);
        });
    }
}

/// The cluster node id of node `index` (what `PluginClusterEventSendOptions.target_id` names).
pub fn node_id(index: usize) -> String {
    format!("devhost-node-{index}")
}
