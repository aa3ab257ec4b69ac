//! PluginAPI: commands, dialogs, websocket and cluster events, permissions, bots, logging, configuration.

use mm::pb::v1 as pb;
use serde_json::{Map, Value, json};

use super::ApiService;
use super::convert::{ApiError, struct_to_json, value_to_json};
use crate::context::TriggerError;
use crate::events::Broadcast;
use crate::store::{Command, Scope};

const DIALOG_ELEMENT_TYPES: [&str; 5] = ["text", "textarea", "select", "bool", "radio"];

/// The `open_dialog` payload the page renders.
pub fn dialog_json(req: &pb::OpenDialogRequest, dialog: &pb::Dialog) -> Value {
    let elements: Vec<Value> = dialog
        .elements
        .iter()
        .map(|e| {
            json!({
                "display_name": e.display_name, "name": e.name, "type": e.r#type, "subtype": e.subtype,
                "default": e.r#default, "placeholder": e.placeholder, "help_text": e.help_text, "optional": e.optional,
                "min_length": e.min_length, "max_length": e.max_length, "data_source": e.data_source,
                "options": e.options.iter().map(|o| json!({ "text": o.text, "value": o.value })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "trigger_id": req.trigger_id,
        "url": req.url,
        "dialog": {
            "callback_id": dialog.callback_id, "title": dialog.title, "introduction_text": dialog.introduction_text,
            "elements": elements, "submit_label": dialog.submit_label, "notify_on_cancel": dialog.notify_on_cancel,
            "state": dialog.state, "icon_url": dialog.icon_url,
        }
    })
}

fn validate_dialog(req: &pb::OpenDialogRequest) -> Result<&pb::Dialog, ApiError> {
    let bad = |m: String| ApiError::bad_request("app.interactive_dialog.is_valid.app_error", m);
    if req.url.is_empty() {
        return Err(bad("the dialog url is required".into()));
    }
    let dialog = req.dialog.as_ref().ok_or_else(|| bad("the dialog is required".into()))?;
    if dialog.title.trim().is_empty() {
        return Err(bad("the dialog title is required".into()));
    }
    for e in &dialog.elements {
        if e.name.is_empty() || e.display_name.is_empty() {
            return Err(bad("every dialog element needs a name and a display_name".into()));
        }
        if !DIALOG_ELEMENT_TYPES.contains(&e.r#type.as_str()) {
            return Err(bad(format!("dialog element {} has unknown type {:?}", e.name, e.r#type)));
        }
        if matches!(e.r#type.as_str(), "select" | "radio") && e.options.is_empty() && e.data_source.is_empty() {
            return Err(bad(format!("dialog element {} needs options or a data_source", e.name)));
        }
    }
    Ok(dialog)
}

fn log_fields(pairs: &[pb::KeyValuePair]) -> String {
    pairs
        .iter()
        .map(|kv| format!(" {}={}", kv.key, kv.value.as_ref().map(value_to_json).unwrap_or(Value::Null)))
        .collect()
}

impl ApiService {
    pub(super) fn register_command(
        &self,
        r: pb::RegisterCommandRequest,
    ) -> Result<pb::RegisterCommandResponse, ApiError> {
        let c = r
            .command
            .ok_or_else(|| ApiError::bad_request("api.context.invalid_body_param.app_error", "command is required"))?;
        let cmd = Command {
            plugin_id: self.pid().to_string(),
            team_id: c.team_id,
            trigger: c.trigger,
            display_name: c.display_name,
            description: c.description,
            auto_complete: c.auto_complete,
            auto_complete_desc: c.auto_complete_desc,
            auto_complete_hint: c.auto_complete_hint,
            username: c.username,
            icon_url: c.icon_url,
            create_at: 0,
        };
        self.shared.store.register_command(&cmd)?;
        Ok(pb::RegisterCommandResponse::default())
    }

    pub(super) fn unregister_command(
        &self,
        r: pb::UnregisterCommandRequest,
    ) -> Result<pb::UnregisterCommandResponse, ApiError> {
        self.shared.store.unregister_command(self.pid(), &r.team_id, &r.trigger)?;
        Ok(pb::UnregisterCommandResponse::default())
    }

    pub(super) fn open_interactive_dialog(
        &self,
        r: pb::OpenInteractiveDialogRequest,
    ) -> Result<pb::OpenInteractiveDialogResponse, ApiError> {
        let req = r
            .dialog
            .ok_or_else(|| ApiError::bad_request("api.context.invalid_body_param.app_error", "dialog is required"))?;
        let trigger = self.shared.resolve_trigger(&req.trigger_id).map_err(|e| match e {
            TriggerError::Unknown(_) => {
                ApiError::bad_request("interactive_message.decode_trigger_id.signature_decode_failed", e.to_string())
            }
            TriggerError::Expired(_) => {
                ApiError::bad_request("interactive_message.decode_trigger_id.expired", e.to_string())
            }
        })?;
        let dialog = validate_dialog(&req)?;
        let payload = dialog_json(&req, dialog);
        self.shared.events.publish(
            "open_dialog",
            json!({ "dialog": payload.to_string() }),
            Broadcast::user(&trigger.user_id),
        );
        Ok(pb::OpenInteractiveDialogResponse::default())
    }

    pub(super) fn publish_web_socket_event(
        &self,
        r: pb::PublishWebSocketEventRequest,
    ) -> Result<pb::PublishWebSocketEventResponse, ApiError> {
        let data = r.payload.as_ref().map(struct_to_json).unwrap_or_default();
        let b = r.broadcast.unwrap_or_default();
        let audience =
            Broadcast { user_id: b.user_id, channel_id: b.channel_id, team_id: b.team_id, omit_users: b.omit_users };
        self.shared.events.publish(format!("custom_{}_{}", self.pid(), r.event), Value::Object(data), audience);
        Ok(pb::PublishWebSocketEventResponse::default())
    }

    pub(super) fn publish_plugin_cluster_event(
        &self,
        r: pb::PublishPluginClusterEventRequest,
    ) -> Result<pb::PublishPluginClusterEventResponse, ApiError> {
        let event = r
            .event
            .ok_or_else(|| ApiError::bad_request("api.context.invalid_body_param.app_error", "event is required"))?;
        if event.id.is_empty() {
            return Err(ApiError::bad_request(
                "plugin.api.publish_cluster_event.id.app_error",
                "the event id is required",
            ));
        }
        let target = r.opts.map(|o| o.target_id).unwrap_or_default();
        crate::hooks::cluster_event(&self.shared, self.node, event, &target);
        Ok(pb::PublishPluginClusterEventResponse::default())
    }

    pub(super) fn has_permission_to(
        &self,
        r: pb::HasPermissionToRequest,
    ) -> Result<pb::HasPermissionToResponse, ApiError> {
        let has_permission = self.shared.store.has_permission(&r.user_id, Scope::System, &r.permission_id);
        Ok(pb::HasPermissionToResponse { error: None, has_permission })
    }

    pub(super) fn has_permission_to_team(
        &self,
        r: pb::HasPermissionToTeamRequest,
    ) -> Result<pb::HasPermissionToTeamResponse, ApiError> {
        let has_permission = self.shared.store.has_permission(&r.user_id, Scope::Team(&r.team_id), &r.permission_id);
        Ok(pb::HasPermissionToTeamResponse { error: None, has_permission })
    }

    pub(super) fn has_permission_to_channel(
        &self,
        r: pb::HasPermissionToChannelRequest,
    ) -> Result<pb::HasPermissionToChannelResponse, ApiError> {
        let has_permission =
            self.shared.store.has_permission(&r.user_id, Scope::Channel(&r.channel_id), &r.permission_id);
        Ok(pb::HasPermissionToChannelResponse { error: None, has_permission })
    }

    pub(super) fn ensure_bot_user(&self, r: pb::EnsureBotUserRequest) -> Result<pb::EnsureBotUserResponse, ApiError> {
        let bot = r
            .bot
            .ok_or_else(|| ApiError::bad_request("api.context.invalid_body_param.app_error", "bot is required"))?;
        let id = self.shared.store.ensure_bot(self.pid(), &bot.username, &bot.display_name, &bot.description)?;
        Ok(pb::EnsureBotUserResponse { error: None, bot_user_id: id })
    }

    pub(super) fn log_debug(&self, r: pb::LogDebugRequest) -> Result<pb::LogDebugResponse, ApiError> {
        tracing::debug!(plugin_id = self.pid(), "{}{}", r.msg, log_fields(&r.key_value_pairs));
        Ok(pb::LogDebugResponse::default())
    }

    pub(super) fn log_info(&self, r: pb::LogInfoRequest) -> Result<pb::LogInfoResponse, ApiError> {
        tracing::info!(plugin_id = self.pid(), "{}{}", r.msg, log_fields(&r.key_value_pairs));
        Ok(pb::LogInfoResponse::default())
    }

    pub(super) fn log_warn(&self, r: pb::LogWarnRequest) -> Result<pb::LogWarnResponse, ApiError> {
        tracing::warn!(plugin_id = self.pid(), "{}{}", r.msg, log_fields(&r.key_value_pairs));
        Ok(pb::LogWarnResponse::default())
    }

    pub(super) fn log_error(&self, r: pb::LogErrorRequest) -> Result<pb::LogErrorResponse, ApiError> {
        tracing::error!(plugin_id = self.pid(), "{}{}", r.msg, log_fields(&r.key_value_pairs));
        Ok(pb::LogErrorResponse::default())
    }

    pub(super) fn load_plugin_configuration(
        &self,
        _r: pb::LoadPluginConfigurationRequest,
    ) -> Result<pb::LoadPluginConfigurationResponse, ApiError> {
        let json = serde_json::to_vec(&Value::Object(self.shared.plugin_settings()))
            .map_err(|e| ApiError::new(500, "app.plugin.config.app_error", e.to_string()))?;
        Ok(pb::LoadPluginConfigurationResponse { error: None, config_json: json })
    }

    pub(super) fn get_config(&self, _r: pb::GetConfigRequest) -> Result<pb::GetConfigResponse, ApiError> {
        let mut plugins = Map::new();
        plugins.insert(self.pid().to_string(), Value::Object(self.shared.plugin_settings()));
        let config = json!({
            "ServiceSettings": {
                "SiteURL": self.shared.site_url.trim_end_matches('/'),
                "EnableCommands": true,
                "EnablePostUsernameOverride": false,
                "EnablePostIconOverride": false,
                "ExperimentalStrictCSRFEnforcement": false,
                "OutgoingIntegrationRequestsTimeout": 30,
            },
            "TeamSettings": { "SiteName": "Mattermost Dev Host", "MaxUsersPerTeam": 50 },
            "PluginSettings": { "Enable": true, "EnableUploads": false, "Plugins": plugins },
        });
        Ok(pb::GetConfigResponse { error: None, config_json: config.to_string().into_bytes() })
    }
}
