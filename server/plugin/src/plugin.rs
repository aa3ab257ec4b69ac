//! The composition root: builds the store, the app and its ports over the PluginAPI, and serves the hooks.

use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use incident_app::{App, Ctx, Ports};
use incident_core::{ChannelId, IncidentId, UserId};
use incident_store::Store;
use mm::model::{AppError, Bot, ChannelMember, ClusterEvent, CommandArgs, CommandResponse, Post, User};
use mm::{Api, Hook, Hooks, HttpRequest, HttpResponse, Manifest};
use serde::Deserialize;

use crate::ports::{CLUSTER_EVENT, MmKv, MmPorts};
use crate::{command, http, ids};

/// How long activation waits for the read-model rebuild before leaving it to the background.
const REBUILD_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The plugin's state for the life of the process.
pub struct IncidentPlugin {
    api: Api,
    manifest: Manifest,
    bot_user_id: Arc<OnceLock<String>>,
    app: Arc<App>,
    router: axum::Router,
    reminders: Arc<crate::scheduler::Reminders>,
    webhooks: Arc<crate::webhooks::Webhooks>,
}

impl IncidentPlugin {
    pub fn new(plugin: mm::Plugin) -> Self {
        let bot_user_id = Arc::new(OnceLock::new());
        http::access::set_plugin_id(&plugin.manifest.id);
        let _ = http::reminders::PLUGIN_ID.set(plugin.manifest.id.clone());
        let ports = Arc::new(MmPorts::new(plugin.api.clone(), bot_user_id.clone()));
        let store = Store::new(Arc::new(MmKv(plugin.api.clone())));
        let app_ports = Ports {
            chat: ports.clone(),
            people: ports.clone(),
            events: ports.clone(),
            ids: Arc::new(ids::RandomIds::new()),
        };
        let app = Arc::new(App::new(store, app_ports));
        let webhooks = Arc::new(crate::webhooks::Webhooks::default());
        app.set_outbox(webhooks.clone());
        let router = http::router(http::State { manifest: plugin.manifest.clone(), app: app.clone(), ports });
        let reminders = Arc::new(crate::scheduler::Reminders::new(app.clone()));
        Self { api: plugin.api, manifest: plugin.manifest, bot_user_id, app, router, reminders, webhooks }
    }

    fn is_bot(&self, user_id: &str) -> bool {
        self.bot_user_id.get().is_some_and(|b| b == user_id)
    }

    /// A hook's context: the user and channel it is about, now.
    fn hook_ctx(user: &str, channel: &str) -> Option<(Ctx, ChannelId)> {
        let user = UserId::try_from(user).ok()?;
        let channel = ChannelId::try_from(channel).ok()?;
        Some((Ctx { user, team: None, channel: Some(channel.clone()), now: ids::now() }, channel))
    }

    /// Reads the System Console settings into [`crate::config`] (invalid → one log line, previous config kept).
    async fn load_configuration(&self) {
        match self.api.load_plugin_configuration().await {
            Ok(settings) => {
                let _ = crate::config::apply(&settings);
                self.app.set_private_incidents(crate::config::current().private_incidents);
            }
            Err(e) => tracing::error!(error = %e, "loading the plugin configuration failed; keeping the previous one"),
        }
    }

    async fn membership(&self, member: ChannelMember, joined: bool) {
        if self.is_bot(&member.user_id) {
            return;
        }
        let Some((ctx, channel)) = Self::hook_ctx(&member.user_id, &member.channel_id) else { return };
        if let Err(e) = self.app.membership_changed(&ctx, &channel, joined).await {
            tracing::warn!(error = %e, %channel, joined, "recording a membership change failed");
        }
    }
}

/// The payload of [`CLUSTER_EVENT`].
#[derive(Debug, Deserialize)]
struct Changed {
    incident_id: IncidentId,
    version: u64,
}

#[async_trait]
impl Hooks for IncidentPlugin {
    fn implemented(&self) -> &'static [Hook] {
        &[
            Hook::OnActivate,
            Hook::OnDeactivate,
            Hook::ExecuteCommand,
            Hook::ServeHttp,
            Hook::MessageHasBeenPosted,
            Hook::UserHasJoinedChannel,
            Hook::UserHasLeftChannel,
            Hook::OnPluginClusterEvent,
            Hook::OnConfigurationChange,
        ]
    }

    async fn on_activate(&self) -> Result<(), AppError> {
        let activation = |what: &str, e: mm::ApiError| {
            AppError::new("incident.activate.failed", format!("activation failed while {what}: {e}"), 500)
        };
        // The settings are read here too: net/rpc calls OnConfigurationChange first, gRPC may not.
        self.load_configuration().await;
        let bot = Bot {
            username: "incident".into(),
            display_name: crate::config::current().bot_display_name.clone(),
            description: "Posts incident updates, reminders and timelines.".into(),
        };
        let bot_id = self.api.ensure_bot_user(bot).await.map_err(|e| activation("creating the bot", e))?;
        let _ = self.bot_user_id.set(bot_id);
        self.webhooks.start(self.app.clone(), self.api.clone(), self.bot_user_id.clone(), self.manifest.id.clone());
        self.api.register_command(command::registration()).await.map_err(|e| activation("registering /incident", e))?;
        // The read model is rebuilt before activation ends when that is quick; with very many incidents it would
        // outlast the server's 30 s activation deadline, so after REBUILD_WAIT it goes on in the background (commands
        // find incidents through the channel index meanwhile, and lists fill in when it finishes).
        let (app, reminders) = (self.app.clone(), self.reminders.clone());
        let rebuild = tokio::spawn(async move {
            match app.rebuild().await {
                Ok(n) => tracing::info!(incidents = n, "read model rebuilt from the KV store"),
                Err(e) => {
                    tracing::error!(error = %e, "rebuilding the read model failed; lists fill as incidents change")
                }
            }
            // After the rebuild: reminders that fell due while no node ran go out now, claimed once across nodes.
            reminders.start();
            // Then starts a dead node left half-done (channel made, record not written) are undone.
            match app.recover_abandoned_starts(crate::ids::now()).await {
                Ok(r) if r == incident_app::Recovered::default() => {}
                Ok(r) => tracing::info!(retired = r.retired, cleared = r.cleared, "start journal swept"),
                Err(e) => tracing::warn!(error = %e, "sweeping the start journal failed; the next activation retries"),
            }
        });
        if tokio::time::timeout(REBUILD_WAIT, rebuild).await.is_err() {
            tracing::warn!("the read model is still being rebuilt; activation goes on and lists fill in when it ends");
        }
        tracing::info!(version = %self.manifest.version, "incident plugin activated");
        Ok(())
    }

    async fn on_configuration_change(&self) -> Result<(), AppError> {
        // An invalid change is logged and the previous valid config stays; the console change itself is not refused.
        self.load_configuration().await;
        Ok(())
    }

    async fn on_deactivate(&self) -> Result<(), AppError> {
        self.reminders.stop();
        tracing::info!("incident plugin deactivated");
        Ok(())
    }

    async fn execute_command(&self, args: CommandArgs) -> Result<CommandResponse, AppError> {
        Ok(command::execute(&self.app, &self.api, &self.manifest.id, args).await)
    }

    async fn serve_http(&self, request: HttpRequest) -> HttpResponse {
        http::serve(&self.router, request).await
    }

    async fn message_has_been_posted(&self, post: Post) {
        // System messages (joins, header changes) and the bot's own posts are not conversation.
        if !post.r#type.is_empty() || self.is_bot(&post.user_id) {
            return;
        }
        let Ok(channel) = ChannelId::try_from(post.channel_id) else { return };
        if let Err(e) = self.app.message_posted(&channel).await {
            tracing::warn!(error = %e, %channel, "counting a message failed");
        }
    }

    async fn user_has_joined_channel(&self, member: ChannelMember, _actor: Option<User>) {
        self.membership(member, true).await;
    }

    async fn user_has_left_channel(&self, member: ChannelMember, _actor: Option<User>) {
        self.membership(member, false).await;
    }

    async fn on_plugin_cluster_event(&self, event: ClusterEvent) {
        if event.id != CLUSTER_EVENT {
            return;
        }
        match serde_json::from_slice::<Changed>(&event.data) {
            Ok(c) => {
                if let Err(e) = self.app.incident_changed_elsewhere(&c.incident_id, c.version).await {
                    tracing::warn!(error = %e, incident = %c.incident_id, "refreshing after a cluster event failed");
                }
            }
            Err(e) => tracing::warn!(error = %e, "ignoring a malformed cluster event"),
        }
    }
}
