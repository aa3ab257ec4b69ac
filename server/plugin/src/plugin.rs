//! The composition root: wires the Mattermost hooks to the command and HTTP handlers.

use crate::{command, http};
use async_trait::async_trait;
use mm::model::{AppError, Bot, CommandArgs, CommandResponse};
use mm::{Api, Hook, Hooks, HttpRequest, HttpResponse, Manifest};
use std::sync::OnceLock;

/// The plugin's state for the life of the process.
pub struct IncidentPlugin {
    api: Api,
    manifest: Manifest,
    bot_user_id: OnceLock<String>,
    router: axum::Router,
}

impl IncidentPlugin {
    pub fn new(plugin: mm::Plugin) -> Self {
        let router = http::router(http::State { manifest: plugin.manifest.clone() });
        Self { api: plugin.api, manifest: plugin.manifest, bot_user_id: OnceLock::new(), router }
    }
}

#[async_trait]
impl Hooks for IncidentPlugin {
    fn implemented(&self) -> &'static [Hook] {
        &[Hook::OnActivate, Hook::OnDeactivate, Hook::ExecuteCommand, Hook::ServeHttp]
    }

    async fn on_activate(&self) -> Result<(), AppError> {
        let activation = |what: &str, e: mm::ApiError| {
            AppError::new("incident.activate.failed", format!("activation failed while {what}: {e}"), 500)
        };
        let bot = Bot {
            username: "incident".into(),
            display_name: "Incident Collaboration".into(),
            description: "Posts incident updates, reminders and timelines.".into(),
        };
        let bot_id = self.api.ensure_bot_user(bot).await.map_err(|e| activation("creating the bot", e))?;
        let _ = self.bot_user_id.set(bot_id);
        self.api.register_command(command::registration()).await.map_err(|e| activation("registering /incident", e))?;
        tracing::info!(version = %self.manifest.version, "incident plugin activated");
        Ok(())
    }

    async fn on_deactivate(&self) -> Result<(), AppError> {
        tracing::info!("incident plugin deactivated");
        Ok(())
    }

    async fn execute_command(&self, args: CommandArgs) -> Result<CommandResponse, AppError> {
        Ok(command::execute(&args))
    }

    async fn serve_http(&self, request: HttpRequest) -> HttpResponse {
        http::serve(&self.router, request).await
    }
}
