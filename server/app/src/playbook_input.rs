//! What clients send to create, replace or import a playbook, and its validation. Shape checks (lengths, counts,
//! URLs) are pure and come first; references to users and channels are checked against the server afterwards.

use incident_core::{ChannelId, UserId};
use incident_store::{Playbook, PlaybookChecklist, PlaybookTask, PlaybookTemplates};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Longest playbook title.
pub const MAX_TITLE: usize = 64;
/// Most checklists in a playbook.
pub const MAX_CHECKLISTS: usize = 20;
/// Most tasks in one checklist.
pub const MAX_TASKS: usize = 100;
/// Most broadcast channels.
pub const MAX_BROADCAST: usize = 5;
/// Most members, invitees, or default assignees of one task.
pub const MAX_PEOPLE: usize = 100;
/// Longest template, description or welcome message.
pub const MAX_TEXT: usize = 10_000;
/// Longest webhook URL.
pub const MAX_URL: usize = 2_048;
/// Shortest and longest default reminder (1 minute, 7 days).
pub const REMINDER_RANGE_MS: (u64, u64) = (60_000, 7 * 24 * 3_600_000);
/// Latest a task can be due after the start (30 days).
pub const MAX_DUE_MS: u64 = 30 * 24 * 3_600_000;

/// A playbook as a client sends it (unknown fields are refused). Export writes the same shape.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookInput {
    /// Title.
    pub title: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// Checklists of tasks.
    #[serde(default)]
    pub checklists: Vec<ChecklistInput>,
    /// Default first reminder in seconds (None or 0: none).
    #[serde(default)]
    pub reminder_seconds: Option<u64>,
    /// Broadcast channel ids.
    #[serde(default)]
    pub broadcast_channel_ids: Vec<String>,
    /// Incidents started from it are always private.
    #[serde(default)]
    pub always_private: bool,
    /// Incident channels are private even for public incidents.
    #[serde(default)]
    pub private_channel: bool,
    /// Who may use and edit it besides its creator (and system admins).
    #[serde(default)]
    pub member_ids: Vec<String>,
    /// What happens automatically.
    #[serde(default)]
    pub automation: AutomationInput,
    /// Text templates.
    #[serde(default)]
    pub templates: TemplatesInput,
}

/// The automation tab.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutomationInput {
    /// Users invited to each incident channel.
    #[serde(default)]
    pub invite_user_ids: Vec<String>,
    /// The commander when the starter names none.
    #[serde(default)]
    pub default_commander_id: Option<String>,
    /// Channel each new incident is announced in.
    #[serde(default)]
    pub announce_channel_id: Option<String>,
    /// `http(s)://` URL told when an incident starts.
    #[serde(default)]
    pub create_webhook_url: Option<String>,
    /// `http(s)://` URL told about each status update.
    #[serde(default)]
    pub update_webhook_url: Option<String>,
    /// Greeting for each user who joins the incident channel.
    #[serde(default)]
    pub welcome_message: String,
}

/// The templates.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplatesInput {
    /// Incident description when none is written.
    #[serde(default)]
    pub overview: String,
    /// Prefill of the first status update.
    #[serde(default)]
    pub status_update: String,
}

/// A checklist as sent.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistInput {
    /// Heading.
    pub title: String,
    /// Tasks.
    #[serde(default)]
    pub items: Vec<TaskInput>,
}

/// A task as sent.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// Title.
    pub title: String,
    /// Markdown details.
    #[serde(default)]
    pub description: String,
    /// Default assignees (the first owns the task; all are invited).
    #[serde(default)]
    pub assignee_ids: Vec<String>,
    /// A slash command members can run from the task.
    #[serde(default)]
    pub command: Option<String>,
    /// Due this many seconds after the start.
    #[serde(default)]
    pub due_after_seconds: Option<u64>,
}

fn invalid(text: impl Into<String>) -> AppError {
    AppError::Invalid(text.into())
}

fn text(value: &str, what: &str) -> Result<String, AppError> {
    let n = value.chars().count();
    if n > MAX_TEXT {
        return Err(invalid(format!("{what} has {n} characters; the limit is {MAX_TEXT}.")));
    }
    Ok(value.trim().to_owned())
}

fn user_ids(raw: &[String], what: &str) -> Result<Vec<UserId>, AppError> {
    if raw.len() > MAX_PEOPLE {
        return Err(invalid(format!("{what} lists more than {MAX_PEOPLE} people.")));
    }
    let mut out: Vec<UserId> = Vec::new();
    for r in raw {
        let id = UserId::try_from(r.as_str()).map_err(|_| AppError::UnknownUser(r.clone()))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

fn webhook_url(raw: &Option<String>, what: &str) -> Result<Option<String>, AppError> {
    let Some(url) = raw.as_deref().map(str::trim).filter(|u| !u.is_empty()) else { return Ok(None) };
    if url.len() > MAX_URL {
        return Err(invalid(format!("The {what} URL is longer than {MAX_URL} characters.")));
    }
    let Ok(uri) = url.parse::<http::Uri>() else {
        return Err(invalid(format!("The {what} URL “{url}” is not a valid URL.")));
    };
    match (uri.scheme_str(), uri.host()) {
        (Some("http"), Some(_)) => Ok(Some(url.to_owned())),
        (Some("https"), Some(_)) => Err(invalid(format!(
            "The {what} URL uses https, which this version cannot send yet; use an http:// receiver (for example \
             a relay inside your network)."
        ))),
        _ => Err(invalid(format!(
            "The {what} URL must start with http:// and name a host, like http://hooks.internal/incidents."
        ))),
    }
}

/// A playbook's content after the shape checks; users and channels still need the server's word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) checklists: Vec<PlaybookChecklist>,
    pub(crate) reminder_ms: Option<u64>,
    pub(crate) broadcast: Vec<String>,
    pub(crate) members: Vec<UserId>,
    pub(crate) invite: Vec<UserId>,
    pub(crate) commander: Option<UserId>,
    pub(crate) announce: Option<ChannelId>,
    pub(crate) create_webhook: Option<String>,
    pub(crate) update_webhook: Option<String>,
    pub(crate) welcome: String,
    pub(crate) templates: PlaybookTemplates,
}

impl Checked {
    /// Everyone the playbook names, to look up at once.
    pub(crate) fn people(&self) -> Vec<UserId> {
        let mut all: Vec<UserId> = self.members.iter().chain(&self.invite).chain(&self.commander).cloned().collect();
        all.extend(self.checklists.iter().flat_map(|c| &c.items).flat_map(|t| t.assignees.iter().cloned()));
        all.sort();
        all.dedup();
        all
    }
}

/// The shape checks of an input.
pub fn check(input: &PlaybookInput) -> Result<Checked, AppError> {
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        return Err(invalid("Give the playbook a title."));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(invalid(format!("A playbook title has at most {MAX_TITLE} characters.")));
    }
    if input.checklists.len() > MAX_CHECKLISTS {
        return Err(invalid(format!("A playbook has at most {MAX_CHECKLISTS} checklists.")));
    }
    let mut checklists = Vec::with_capacity(input.checklists.len());
    for (i, c) in input.checklists.iter().enumerate() {
        let title = c.title.trim();
        if title.is_empty() {
            return Err(invalid(format!("Checklist {} needs a title.", i + 1)));
        }
        if c.items.len() > MAX_TASKS {
            return Err(invalid(format!("Checklist “{title}” has more than {MAX_TASKS} tasks.")));
        }
        let mut items = Vec::with_capacity(c.items.len());
        for (j, t) in c.items.iter().enumerate() {
            let at = format!("Task {}.{}", i + 1, j + 1);
            let task = t.title.trim();
            if task.is_empty() {
                return Err(invalid(format!("{at} needs a title.")));
            }
            if task.chars().count() > incident_core::error::MAX_TASK_CHARS {
                return Err(invalid(format!(
                    "{at}'s title is longer than {} characters.",
                    incident_core::error::MAX_TASK_CHARS
                )));
            }
            let command = t.command.as_deref().map(str::trim).filter(|c| !c.is_empty());
            if let Some(c) = command
                && (!c.starts_with('/') || c.len() < 2 || c.contains('\n') || c.chars().count() > 512)
            {
                return Err(invalid(format!(
                    "{at}'s command must be one line starting with `/`, like `/jira create`."
                )));
            }
            let due_after_ms = match t.due_after_seconds {
                None | Some(0) => None,
                Some(s) if s.saturating_mul(1000) > MAX_DUE_MS => {
                    return Err(invalid(format!("{at} can be due at most 30 days after the start.")));
                }
                Some(s) => Some(s * 1000),
            };
            items.push(PlaybookTask {
                title: task.to_owned(),
                description: text(&t.description, &format!("{at}'s description"))?,
                assignees: user_ids(&t.assignee_ids, &format!("{at}'s assignees"))?,
                command: command.map(str::to_owned),
                due_after_ms,
            });
        }
        checklists.push(PlaybookChecklist { title: title.to_owned(), items });
    }
    let reminder_ms = match input.reminder_seconds {
        None | Some(0) => None,
        Some(s) => {
            let ms = s.saturating_mul(1000);
            let (min, max) = REMINDER_RANGE_MS;
            if !(min..=max).contains(&ms) {
                return Err(invalid("The default reminder must be between 60 seconds and 7 days (604800 seconds)."));
            }
            Some(ms)
        }
    };
    if input.broadcast_channel_ids.len() > MAX_BROADCAST {
        return Err(invalid(format!("A playbook broadcasts to at most {MAX_BROADCAST} channels.")));
    }
    let a = &input.automation;
    let commander = match a.default_commander_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => Some(UserId::try_from(raw).map_err(|_| AppError::UnknownUser(raw.to_owned()))?),
    };
    let announce = match a.announce_channel_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => Some(ChannelId::try_from(raw).map_err(|_| AppError::UnknownChannel(raw.to_owned()))?),
    };
    Ok(Checked {
        title,
        description: text(&input.description, "The description")?,
        checklists,
        reminder_ms,
        broadcast: input.broadcast_channel_ids.clone(),
        members: user_ids(&input.member_ids, "The member list")?,
        invite: user_ids(&a.invite_user_ids, "The invite list")?,
        commander,
        announce,
        create_webhook: webhook_url(&a.create_webhook_url, "creation webhook")?,
        update_webhook: webhook_url(&a.update_webhook_url, "status-update webhook")?,
        welcome: text(&a.welcome_message, "The welcome message")?,
        templates: PlaybookTemplates {
            overview: text(&input.templates.overview, "The overview template")?,
            status_update: text(&input.templates.status_update, "The status-update template")?,
        },
    })
}

/// The input that recreates `playbook` (export, duplicate).
pub fn of(playbook: &Playbook) -> PlaybookInput {
    let ids = |users: &[UserId]| users.iter().map(ToString::to_string).collect::<Vec<_>>();
    PlaybookInput {
        title: playbook.title.clone(),
        description: playbook.description.clone(),
        checklists: playbook
            .checklists
            .iter()
            .map(|c| ChecklistInput {
                title: c.title.clone(),
                items: c
                    .items
                    .iter()
                    .map(|t| TaskInput {
                        title: t.title.clone(),
                        description: t.description.clone(),
                        assignee_ids: ids(&t.assignees),
                        command: t.command.clone(),
                        due_after_seconds: t.due_after_ms.map(|ms| ms / 1000),
                    })
                    .collect(),
            })
            .collect(),
        reminder_seconds: playbook.reminder_ms.map(|ms| ms / 1000),
        broadcast_channel_ids: playbook.broadcast_channels.iter().map(ToString::to_string).collect(),
        always_private: playbook.always_private,
        private_channel: playbook.private_channel,
        member_ids: ids(&playbook.members),
        automation: AutomationInput {
            invite_user_ids: ids(&playbook.automation.invite),
            default_commander_id: playbook.automation.default_commander.as_ref().map(ToString::to_string),
            announce_channel_id: playbook.automation.announce_channel.as_ref().map(ToString::to_string),
            create_webhook_url: playbook.automation.create_webhook.clone(),
            update_webhook_url: playbook.automation.update_webhook.clone(),
            welcome_message: playbook.automation.welcome_message.clone(),
        },
        templates: TemplatesInput {
            overview: playbook.templates.overview.clone(),
            status_update: playbook.templates.status_update.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> PlaybookInput {
        PlaybookInput { title: "Outage".into(), ..PlaybookInput::default() }
    }

    #[test]
    fn webhook_urls_must_be_plain_http_with_a_host() {
        let mut input = base();
        input.automation.create_webhook_url = Some(" http://hooks.internal:8080/x ".into());
        assert_eq!(check(&input).unwrap().create_webhook.as_deref(), Some("http://hooks.internal:8080/x"));
        for (url, says) in [
            ("https://hooks.example/x", "uses https"),
            ("ftp://hooks.example/x", "must start with http://"),
            ("/relative", "must start with http://"),
            ("http://exa mple", "is not a valid URL"),
        ] {
            input.automation.create_webhook_url = Some(url.into());
            let err = check(&input).unwrap_err().to_string();
            assert!(err.contains(says), "{url}: {err}");
        }
        input.automation.create_webhook_url = Some("  ".into());
        assert_eq!(check(&input).unwrap().create_webhook, None);
    }

    #[test]
    fn tasks_take_commands_assignees_and_due_offsets() {
        let mut input = base();
        let alice = "a".repeat(26);
        input.checklists = vec![ChecklistInput {
            title: "Triage".into(),
            items: vec![TaskInput {
                title: "Page".into(),
                assignee_ids: vec![alice.clone(), alice.clone()],
                command: Some(" /page dba ".into()),
                due_after_seconds: Some(600),
                ..TaskInput::default()
            }],
        }];
        let checked = check(&input).unwrap();
        let task = &checked.checklists[0].items[0];
        assert_eq!(task.assignees.len(), 1, "duplicates collapse");
        assert_eq!(task.command.as_deref(), Some("/page dba"));
        assert_eq!(task.due_after_ms, Some(600_000));
        assert_eq!(checked.people().len(), 1);

        input.checklists[0].items[0].command = Some("page dba".into());
        assert!(check(&input).unwrap_err().to_string().contains("starting with `/`"));
        input.checklists[0].items[0].command = None;
        input.checklists[0].items[0].due_after_seconds = Some(31 * 24 * 3600);
        assert!(check(&input).unwrap_err().to_string().contains("at most 30 days"));
        input.checklists[0].items[0].due_after_seconds = None;
        input.checklists[0].items[0].assignee_ids = vec!["not an id".into()];
        assert!(matches!(check(&input).unwrap_err(), AppError::UnknownUser(_)));
    }

    #[test]
    fn long_texts_are_refused_with_their_name() {
        let mut input = base();
        input.automation.welcome_message = "x".repeat(MAX_TEXT + 1);
        assert!(check(&input).unwrap_err().to_string().starts_with("The welcome message has 10001 characters"));
    }
}
