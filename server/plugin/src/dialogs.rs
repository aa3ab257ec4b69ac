//! The interactive dialogs (start, status update) and the submissions Mattermost posts back (PROTOCOL §5).

use std::collections::BTreeMap;

use incident_app::UpdatePrefill;
use mm::model::{Dialog, DialogElement, DialogOption};
use serde::Deserialize;
use serde_json::Value;

/// Where the start dialog posts, below `/plugins/<id>`.
pub const START_PATH: &str = "/api/v0/dialogs/start";
/// Where the update dialog posts.
pub const UPDATE_PATH: &str = "/api/v0/dialogs/update";
/// Where the "End anyway" button posts.
pub const END_PATH: &str = "/api/v0/actions/end";

/// Reminder choices of the update dialog: (label, ms).
pub const REMINDERS: &[(&str, u64)] = &[
    ("No reminder", 0),
    ("15 minutes", 15 * 60_000),
    ("30 minutes", 30 * 60_000),
    ("1 hour", 60 * 60_000),
    ("4 hours", 4 * 60 * 60_000),
    ("1 day", 24 * 60 * 60_000),
];

fn element(name: &str, label: &str, kind: &str) -> DialogElement {
    DialogElement { name: name.into(), display_name: label.into(), r#type: kind.into(), ..DialogElement::default() }
}

/// The start dialog (name, commander, description, visibility). Playbooks come with their own issue.
pub fn start(description: &str) -> Dialog {
    let name = DialogElement {
        max_length: 64,
        placeholder: "Database down".into(),
        ..element("name", "Incident name", "text")
    };
    let commander = DialogElement {
        data_source: "users".into(),
        optional: true,
        help_text: "Defaults to you.".into(),
        ..element("commander", "Commander", "select")
    };
    let description = DialogElement {
        optional: true,
        default: description.into(),
        max_length: 4000,
        ..element("description", "Description", "textarea")
    };
    let visibility = DialogElement {
        default: "public".into(),
        options: vec![
            DialogOption { text: "Everyone in the team".into(), value: "public".into() },
            DialogOption { text: "Only invited users (private)".into(), value: "private".into() },
        ],
        ..element("visibility", "Who should be able to see this incident?", "radio")
    };
    Dialog {
        callback_id: "start".into(),
        title: "Start incident".into(),
        // The visibility choice exists only while private incidents are enabled in the System Console.
        elements: if crate::config::current().private_incidents {
            vec![name, commander, description, visibility]
        } else {
            vec![name, commander, description]
        },
        submit_label: "Start".into(),
        ..Dialog::default()
    }
}

/// The status-update dialog, prefilled with the last update; `state` carries the incident id.
pub fn update(prefill: &UpdatePrefill) -> Dialog {
    let message = DialogElement {
        default: prefill.message.clone(),
        max_length: 16_000,
        ..element("message", "Update", "textarea")
    };
    let reminder = DialogElement {
        default: REMINDERS.iter().find(|(_, ms)| *ms == prefill.reminder_ms).map_or(0, |(_, ms)| *ms).to_string(),
        optional: true,
        options: REMINDERS
            .iter()
            .map(|(text, ms)| DialogOption { text: (*text).into(), value: ms.to_string() })
            .collect(),
        ..element("reminder", "Next update in", "select")
    };
    Dialog {
        callback_id: "update".into(),
        title: format!("Status update · {}", prefill.title).chars().take(60).collect(),
        elements: vec![message, reminder, crate::http::reminders::custom_element(prefill.reminder_ms)],
        submit_label: "Post".into(),
        state: prefill.incident.to_string(),
        ..Dialog::default()
    }
}

/// Mattermost's `SubmitDialogRequest`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Submission {
    pub r#type: String,
    pub callback_id: String,
    pub state: String,
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub submission: BTreeMap<String, Value>,
    pub cancelled: bool,
}

impl Submission {
    /// A submitted field as text ("" when absent; numbers and booleans as written).
    pub fn field(&self, name: &str) -> String {
        match self.submission.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }
}

/// Mattermost's `PostActionIntegrationRequest` (the parts we read).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionRequest {
    pub user_id: String,
    pub user_name: String,
    pub post_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub context: BTreeMap<String, Value>,
}
