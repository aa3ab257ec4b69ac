//! The buttons of a due reminder (PROTOCOL §5 post actions): **Update** opens the status-update dialog,
//! **Snooze** (a menu: 15 minutes … 1 day) sets the next reminder, **Dismiss** acknowledges it. Snooze and Dismiss
//! replace the buttons with what happened, so a reminder is answered once for everyone.

use std::sync::OnceLock;

use axum::extract::State as Ext;
use axum::routing::post;
use axum::{Json, Router};
use bytes::Bytes;
use incident_app::{AppError, Ctx, Outcome};
use incident_core::{ChannelId, DomainError, IncidentId, TeamId};
use mm::model::OpenDialog;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiErr, State, User, json_body};
use crate::{dialogs, ids};

/// Where the reminder's buttons post, below `/plugins/<id>`.
pub const REMINDER_PATH: &str = "/api/v0/actions/reminder";

/// Snooze choices: (label, ms).
pub const SNOOZE: &[(&str, u64)] = &[
    ("15 minutes", 15 * 60_000),
    ("30 minutes", 30 * 60_000),
    ("1 hour", 60 * 60_000),
    ("4 hours", 4 * 60 * 60_000),
    ("1 day", 24 * 60 * 60_000),
];

/// The plugin id, for the buttons' URLs (set once by the composition root).
pub static PLUGIN_ID: OnceLock<String> = OnceLock::new();

pub fn routes() -> Router<State> {
    Router::new().route(REMINDER_PATH, post(reminder_action))
}

/// The `props` of a reminder post: one attachment with Update, Snooze (menu) and Dismiss.
pub fn buttons(incident: &IncidentId) -> Map<String, Value> {
    let url = format!("/plugins/{}{REMINDER_PATH}", PLUGIN_ID.get().map_or("", String::as_str));
    let context = |action: &str| json!({ "incident_id": incident, "action": action });
    let options: Vec<Value> =
        SNOOZE.iter().map(|(text, ms)| json!({ "text": text, "value": ms.to_string() })).collect();
    let attachment = json!({
        "actions": [
            { "id": "reminderupdate", "name": "Update", "type": "button", "style": "primary",
              "integration": { "url": url, "context": context("update") } },
            { "id": "remindersnooze", "name": "Snooze", "type": "select", "options": options,
              "integration": { "url": url, "context": context("snooze") } },
            { "id": "reminderdismiss", "name": "Dismiss", "type": "button",
              "integration": { "url": url, "context": context("dismiss") } },
        ],
    });
    let mut props = Map::new();
    props.insert("attachments".into(), Value::Array(vec![attachment]));
    props
}

/// Mattermost's `PostActionIntegrationRequest`, the parts this handler reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Click {
    channel_id: String,
    team_id: String,
    post_id: String,
    trigger_id: String,
    context: Map<String, Value>,
}

fn text(e: &AppError) -> Json<Value> {
    Json(json!({ "ephemeral_text": e.to_string() }))
}

/// `POST /api/v0/actions/reminder` (context `incident_id`, `action`, and `selected_option` for snooze).
async fn reminder_action(Ext(state): Ext<State>, User(user): User, body: Bytes) -> Result<Json<Value>, ApiErr> {
    let click: Click = json_body(&body)?;
    let field = |name: &str| click.context.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let incident = IncidentId::try_from(field("incident_id")).map_err(|_| ApiErr::incident_not_found())?;
    let ctx = Ctx {
        user: user.clone(),
        team: TeamId::try_from(click.team_id.clone()).ok(),
        channel: ChannelId::try_from(click.channel_id.clone()).ok(),
        now: ids::now(),
    };
    let done = match field("action").as_str() {
        "update" => return Ok(open_update(&state, &ctx, &incident, &click.trigger_id).await),
        "snooze" => {
            let choice = field("selected_option");
            match SNOOZE.iter().find(|(_, ms)| ms.to_string() == choice) {
                Some((_, ms)) => state.app.snooze_reminder(&ctx, &incident, *ms).await,
                None => {
                    let valid: Vec<&str> = SNOOZE.iter().map(|(t, _)| *t).collect();
                    return Ok(text(&AppError::Invalid(format!("Pick how long to snooze: {}.", valid.join(", ")))));
                }
            }
        }
        "dismiss" => state.app.dismiss_reminder(&ctx, &incident).await,
        other => Err(AppError::Invalid(format!("Unknown reminder action `{other}`."))),
    };
    match done {
        Ok(outcome) => Ok(Json(answered(&state, &click.post_id, &outcome, &outcome).await)),
        Err(e) => Ok(text(&e)),
    }
}

/// Replaces the buttons of an interactive post with `outcome` (keeping its text, so nobody clicks twice) and tells
/// the clicker `ephemeral`.
pub(super) async fn answered(state: &State, post_id: &str, outcome: &str, ephemeral: &str) -> Value {
    let message = match state.ports.api().get_post(post_id).await {
        Ok(post) => post.message,
        Err(e) => {
            tracing::warn!(error = %e, post_id, "reading the answered post failed; answering in an ephemeral");
            return json!({ "ephemeral_text": ephemeral });
        }
    };
    json!({
        "update": { "message": message, "props": { "attachments": [{ "text": outcome }] } },
        "ephemeral_text": ephemeral,
    })
}

/// The Update button: the status-update dialog, exactly as `/incident update` opens it.
async fn open_update(state: &State, ctx: &Ctx, incident: &IncidentId, trigger_id: &str) -> Json<Value> {
    if ctx.team.is_none() {
        return text(&AppError::NoContext);
    }
    let prefill = match state.app.command(ctx, &format!("/incident update --incident {incident}")).await {
        Ok(Outcome::UpdateDialog(prefill)) => prefill,
        Ok(Outcome::Reply(reply)) => return Json(json!({ "ephemeral_text": reply })),
        Ok(_) => return text(&AppError::Domain(DomainError::NotFound)),
        Err(e) => return text(&e),
    };
    let url = format!("/plugins/{}{}", state.manifest.id, dialogs::UPDATE_PATH);
    let request = OpenDialog { trigger_id: trigger_id.to_owned(), url, dialog: dialogs::update(&prefill) };
    match state.ports.api().open_interactive_dialog(request).await {
        Ok(()) => Json(json!({})),
        Err(e) => Json(json!({ "ephemeral_text": format!("The update dialog could not be opened: {e}.") })),
    }
}

/// Longest custom reminder, in minutes (7 days).
pub const MAX_CUSTOM_MINUTES: u64 = 7 * 24 * 60;

/// The update dialog's "or in minutes" field (overrides the select when filled), prefilled with the last interval
/// when that was not one of the offered choices.
pub fn custom_element(last_ms: u64) -> mm::model::DialogElement {
    let offered = dialogs::REMINDERS.iter().any(|(_, ms)| *ms == last_ms);
    mm::model::DialogElement {
        default: if offered || last_ms == 0 { String::new() } else { (last_ms / 60_000).to_string() },
        name: "reminder_custom".into(),
        display_name: "Or next update in (minutes)".into(),
        r#type: "text".into(),
        subtype: "number".into(),
        optional: true,
        help_text: format!("1 to {MAX_CUSTOM_MINUTES} (7 days); overrides the choice above."),
        ..mm::model::DialogElement::default()
    }
}

/// The next reminder chosen in the update dialog: a custom number of minutes if given, else one of the offered
/// choices (`""`/`0`: none). Anything else is refused with (field, text): no arbitrary intervals.
pub fn chosen(select: &str, custom: &str) -> Result<Option<u64>, (&'static str, String)> {
    let custom = custom.trim();
    if !custom.is_empty() {
        return match custom.parse::<u64>() {
            Ok(m) if (1..=MAX_CUSTOM_MINUTES).contains(&m) => Ok(Some(m * 60_000)),
            _ => Err((
                "reminder_custom",
                format!("Give a whole number of minutes from 1 to {MAX_CUSTOM_MINUTES}, or leave it empty."),
            )),
        };
    }
    match select.trim() {
        "" | "0" => Ok(None),
        value => match dialogs::REMINDERS.iter().find(|(_, ms)| ms.to_string() == value) {
            Some((_, ms)) => Ok(Some(*ms)),
            None => Err(("reminder", "Pick one of the offered reminder times.".into())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::chosen;

    #[test]
    fn reminder_choices_are_the_offered_ones_or_whole_minutes() {
        assert_eq!(chosen("", ""), Ok(None));
        assert_eq!(chosen("0", ""), Ok(None));
        assert_eq!(chosen("900000", ""), Ok(Some(900_000)));
        assert_eq!(chosen("900000", "90"), Ok(Some(5_400_000)));
        assert_eq!(chosen("1", "").unwrap_err().0, "reminder");
        for bad in ["0", "-5", "1.5", "x", "10081"] {
            assert_eq!(chosen("", bad).unwrap_err().0, "reminder_custom", "{bad}");
        }
    }
}
