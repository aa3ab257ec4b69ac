//! The JSON the HTTP API speaks: list rows (the webapp's `Incident` type) and the single-incident view.

use incident_app::Row;
use incident_core::{Incident, Status, Visibility};
use serde::Serialize;

/// One row of `GET /api/v0/incidents` (webapp `types.ts` `Incident`, plus number and reference).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct Item {
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "ts-types", ts(type = "\"active\" | \"ended\""))]
    pub status: &'static str,
    pub commander_id: String,
    pub channel_id: String,
    pub is_private: bool,
    pub created_at: i64,
    pub tasks_done: usize,
    pub tasks_total: usize,
    pub number: u64,
    pub reference: String,
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Ended => "ended",
    }
}

impl Item {
    pub fn of_row(r: &Row) -> Self {
        Item {
            id: r.id.to_string(),
            name: r.name.clone(),
            status: status(r.status),
            commander_id: r.commander.to_string(),
            channel_id: r.channel.to_string(),
            is_private: r.visibility == Visibility::Private,
            created_at: r.created_at.millis(),
            tasks_done: r.tasks_done,
            tasks_total: r.tasks_total,
            number: r.number,
            reference: r.reference(),
        }
    }

    pub fn of(i: &Incident) -> Self {
        Item::of_row(&Row::of(i))
    }
}

/// `{items, total}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct List {
    pub items: Vec<Item>,
    pub total: usize,
}

/// `GET /api/v0/incidents/{id}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct Detail {
    #[serde(flatten)]
    pub item: Item,
    pub team_id: String,
    pub reporter_id: String,
    pub description: String,
    pub ended_at: Option<i64>,
    pub checklists: Vec<ChecklistDto>,
    pub last_update: Option<UpdateDto>,
    pub timeline_events: usize,
    /// The record's version; websocket deltas carry the version after their change.
    pub version: u64,
    /// When the next status update is due (ms), if a reminder is set.
    pub update_due_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct ChecklistDto {
    pub title: String,
    pub items: Vec<TaskDto>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct TaskDto {
    pub title: String,
    /// Markdown details from the playbook (empty: none).
    pub description: String,
    pub done: bool,
    pub assignee_id: Option<String>,
    /// The slash command members can run for it, if any.
    pub command: Option<String>,
    /// When it should be done (ms), if the playbook gave it a due offset.
    pub due_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct UpdateDto {
    pub author_id: String,
    pub at: i64,
    pub message: String,
}

impl Detail {
    pub fn of(i: &Incident) -> Self {
        Detail {
            item: Item::of(i),
            team_id: i.team.to_string(),
            reporter_id: i.reporter.to_string(),
            description: i.description.clone(),
            ended_at: i.ended_at.map(|t| t.millis()),
            checklists: i
                .checklists
                .iter()
                .map(|c| ChecklistDto {
                    title: c.title.clone(),
                    items: c
                        .items
                        .iter()
                        .map(|t| TaskDto {
                            title: t.title.clone(),
                            description: t.description.clone(),
                            done: t.is_done(),
                            assignee_id: t.assignee.as_ref().map(ToString::to_string),
                            command: t.command.clone(),
                            due_at: t.due_at.map(|d| d.millis()),
                        })
                        .collect(),
                })
                .collect(),
            last_update: i.last_update().map(|u| UpdateDto {
                author_id: u.author.to_string(),
                at: u.at.millis(),
                message: u.message.clone(),
            }),
            timeline_events: i.timeline.len(),
            version: i.version,
            update_due_at: i.reminder.next_due.map(|t| t.millis()),
        }
    }
}

/// One person in "who has access" (`GET /api/v0/incidents/{id}/access`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct AccessPerson {
    pub user_id: String,
    /// Empty when the user no longer exists.
    pub username: String,
    #[cfg_attr(feature = "ts-types", ts(type = "\"member\" | \"invited\" | \"revoked\""))]
    pub state: &'static str,
    /// End of a time-boxed grant, in ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts-types", ts(optional))]
    pub expires_at: Option<i64>,
}

impl AccessPerson {
    pub fn of(e: &incident_app::AccessEntry) -> Self {
        AccessPerson {
            user_id: e.user_id.to_string(),
            username: e.username.clone(),
            state: match e.state {
                incident_app::AccessState::Member => "member",
                incident_app::AccessState::Invited => "invited",
                incident_app::AccessState::Revoked => "revoked",
            },
            expires_at: e.expires_at,
        }
    }
}

/// `{people}`: "who has access".
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct AccessList {
    pub people: Vec<AccessPerson>,
}

/// Incident counts: overall or for one playbook.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct Counts {
    pub active: usize,
    pub ended: usize,
    /// Mean of end − start over the ended ones, in ms.
    pub mean_time_to_resolve_ms: Option<u64>,
}

impl Counts {
    pub fn of(c: &incident_app::review::Counts) -> Self {
        Counts { active: c.active, ended: c.ended, mean_time_to_resolve_ms: c.mean_time_to_resolve_ms }
    }
}

/// The counts of one playbook's incidents (`playbook_id` null: started without one).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct PlaybookCounts {
    pub playbook_id: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts-types", ts(flatten))]
    pub counts: Counts,
}

/// `GET /api/v0/stats?team_id=`: what the caller may see, overall and per playbook.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct Stats {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts-types", ts(flatten))]
    pub all: Counts,
    pub per_playbook: Vec<PlaybookCounts>,
}

/// `GET /api/v0/settings?team_id=`: what the System Console settings mean for the caller in that team.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
pub struct Settings {
    pub private_incidents: bool,
    pub enabled_in_team: bool,
    pub can_create_playbooks: bool,
    pub default_reminder_ms: u64,
}
