//! Playbook automation after the start: outgoing webhooks are queued on the [`Outbox`] (never awaited on the request
//! path) with a JSON payload built here, and their outcome comes back as a timeline event through
//! [`App::record_webhook`], saved with the same compare-and-set as every other change.

use std::sync::Arc;

use incident_core::{Action, Actor, Incident, IncidentId, WebhookEvent};
use serde_json::{Value, json};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::ports::{Outbox, WebhookJob};
use crate::select::Chosen;

/// The person fields of a payload.
fn person(names: &Names, user: &incident_core::UserId) -> Value {
    json!({ "id": user, "username": names.users.get(user).map(|p| p.username.clone()) })
}

/// The body of a webhook about `incident` (links are added by the shell, which knows the site URL).
pub fn payload(incident: &Incident, event: WebhookEvent, names: &Names) -> Value {
    let (done, total) = incident.progress();
    let mut body = json!({
        "event": event.name(),
        "incident": {
            "id": incident.id,
            "reference": incident.reference(),
            "name": incident.name,
            "description": incident.description,
            "status": incident.status,
            "team_id": incident.team,
            "channel_id": incident.channel,
            "commander": person(names, &incident.commander),
            "reporter": person(names, &incident.reporter),
            "playbook_id": incident.playbook,
            "created_at": incident.created_at.millis(),
            "ended_at": incident.ended_at.map(|t| t.millis()),
            "tasks_done": done,
            "tasks_total": total,
        },
    });
    if event == WebhookEvent::StatusUpdated
        && let Some(update) = incident.status_updates.last()
    {
        body["status_update"] =
            json!({ "author": person(names, &update.author), "at": update.at.millis(), "message": update.message });
    }
    body
}

impl App {
    /// Where webhooks go; set once by the shell at activation (later calls are ignored).
    pub fn set_outbox(&self, outbox: Arc<dyn Outbox>) {
        let _ = self.outbox.set(outbox);
    }

    /// Queues one webhook of a saved decision. Private incidents never reach here (the core emits none for them);
    /// the check is repeated so a leak needs two mistakes.
    pub(crate) fn queue_webhook(&self, incident: &Incident, event: WebhookEvent, url: String, names: &Names) {
        if incident.is_private() {
            tracing::error!(incident = %incident.id, "refused a webhook for a private incident");
            return;
        }
        let Some(outbox) = self.outbox.get() else {
            tracing::warn!(incident = %incident.id, "no webhook sender is configured; the webhook was dropped");
            return;
        };
        outbox.send(WebhookJob { incident: incident.id.clone(), event, url, payload: payload(incident, event, names) });
    }

    /// Records a webhook's final outcome on the incident's timeline. `ctx.user` is the plugin's bot.
    pub async fn record_webhook(
        &self,
        ctx: &Ctx,
        incident: &IncidentId,
        event: WebhookEvent,
        delivered: bool,
        detail: String,
    ) -> Result<(), AppError> {
        let Some(stored) = self.store.load(incident).await? else { return Ok(()) };
        let actor =
            Actor { id: ctx.user.clone(), is_system_admin: false, is_team_member: true, is_channel_member: false };
        let action = Action::RecordWebhook { event, delivered, detail };
        self.apply(ctx, Chosen { stored, actor }, action, &mut Names::default()).await?;
        Ok(())
    }
}
