//! Starting an incident: name rules, the channel name, and the first state with its effects.

use serde::{Deserialize, Serialize};

use crate::decide::{Decision, Step};
use crate::effect::{Author, Change, Effect, Message, WebhookEvent};
use crate::error::{DomainError, MAX_NAME_CHARS};
use crate::ids::{ChannelId, IncidentId, PlaybookId, TeamId, UserId};
use crate::incident::{
    AccessList, Automation, Checklist, EventKind, Grant, Incident, Reminder, SCHEMA, Status, Visibility,
};
use crate::time::Timestamp;

/// Longest Mattermost channel name.
pub const MAX_CHANNEL_NAME: usize = 64;

/// What the user (dialog, slash command, post menu or REST) asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartParams {
    /// The name as typed; trimmed and checked by [`validate_name`].
    pub name: String,
    /// Markdown description (the post's message when started from the post menu).
    pub description: String,
    /// The team.
    pub team: TeamId,
    /// Who starts it.
    pub reporter: UserId,
    /// The commander (None: the reporter).
    pub commander: Option<UserId>,
    /// Public or private.
    pub visibility: Visibility,
    /// The playbook used, if any.
    pub playbook: Option<PlaybookId>,
    /// Checklists copied from the playbook.
    pub checklists: Vec<Checklist>,
    /// Users the playbook invites.
    pub invite: Vec<UserId>,
    /// First status-update reminder, in ms (None: none).
    pub reminder_ms: Option<u64>,
    /// Channel to announce the new incident in (ignored for private incidents).
    pub announce_in: Option<ChannelId>,
    /// Webhook URL told about the new incident (ignored for private incidents).
    #[serde(default)]
    pub create_webhook: Option<String>,
    /// Welcome message, status-update webhook and template, kept in the record.
    #[serde(default)]
    pub automation: Automation,
}

/// The ids the shell allocated: the incident id, the created channel and the team-sequential number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartIds {
    /// The new incident's id.
    pub incident: IncidentId,
    /// The channel the shell created (named with [`channel_name`]).
    pub channel: ChannelId,
    /// The team-sequential number.
    pub number: u64,
}

/// Trims the name and checks it has 1..=64 characters.
pub fn validate_name(raw: &str) -> Result<String, DomainError> {
    let name = raw.trim();
    let len = name.chars().count();
    if len == 0 {
        return Err(DomainError::EmptyName);
    }
    if len > MAX_NAME_CHARS {
        return Err(DomainError::NameTooLong(len));
    }
    Ok(name.to_owned())
}

/// The channel name for `name`: a lowercase `[a-z0-9-]` slug of at most 64 characters. `attempt` 0 is the plain
/// slug; when the shell finds it taken it retries with 1, 2, … which append `-2`, `-3`, … within the length limit.
pub fn channel_name(name: &str, attempt: u32) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    if slug.len() < 2 {
        slug = if slug.is_empty() { "incident".to_owned() } else { format!("incident-{slug}") };
    }
    let suffix = match attempt {
        0 => String::new(),
        n => format!("-{}", u64::from(n) + 1),
    };
    slug.truncate(MAX_CHANNEL_NAME - suffix.len());
    let slug = slug.trim_end_matches('-');
    format!("{slug}{suffix}")
}

/// Builds a new incident in its first state, with the effects that set up its channel.
pub fn start(params: StartParams, ids: StartIds, now: Timestamp) -> Result<Decision, DomainError> {
    let name = validate_name(&params.name)?;
    if params.reminder_ms == Some(0) {
        return Err(DomainError::BadReminder);
    }
    let commander = params.commander.unwrap_or_else(|| params.reporter.clone());
    let mut invite: Vec<UserId> = Vec::new();
    for user in std::iter::once(&commander).chain(&params.invite) {
        if *user != params.reporter && !invite.contains(user) {
            invite.push(user.clone());
        }
    }
    let private = params.visibility == Visibility::Private;
    let grants = if private {
        invite
            .iter()
            .map(|user| Grant { user: user.clone(), by: params.reporter.clone(), at: now, expires_at: None })
            .collect()
    } else {
        Vec::new()
    };
    let blank = Incident {
        schema: SCHEMA,
        id: ids.incident,
        number: ids.number,
        team: params.team,
        channel: ids.channel,
        name,
        description: params.description.trim().to_owned(),
        commander,
        reporter: params.reporter.clone(),
        status: Status::Active,
        visibility: params.visibility,
        playbook: params.playbook,
        checklists: params.checklists,
        status_updates: Vec::new(),
        reminder: Reminder {
            next_due: params.reminder_ms.map(|ms| now.saturating_add_ms(ms)),
            interval_ms: params.reminder_ms.unwrap_or(0),
            posting: None,
        },
        timeline: Vec::new(),
        access: AccessList { invited: grants, ..AccessList::default() },
        automation: params.automation,
        created_at: now,
        ended_at: None,
        version: 0,
    };
    // `before` has no deadline, so `finish` schedules the first reminder if there is one.
    let mut before = blank.clone();
    before.reminder.next_due = None;
    let mut s = Step::new(&blank, Some(params.reporter.clone()), now);
    for user in std::iter::once(&params.reporter).chain(&invite) {
        s.effects.push(Effect::AddChannelMember { channel: s.next.channel.clone(), user: user.clone() });
    }
    s.record(EventKind::IncidentCreated, None, String::new());
    s.post(Message::Created);
    if let Some(channel) = params.announce_in.filter(|_| !private) {
        s.effects.push(Effect::Post {
            channel,
            author: Author::Bot,
            message: Message::Announcement { by: params.reporter },
        });
    }
    if let Some(url) = params.create_webhook.filter(|_| !private) {
        s.effects.push(Effect::Webhook { event: WebhookEvent::IncidentCreated, url });
    }
    s.publish(Change::Created);
    Ok(s.finish(&before))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::Audience;
    use crate::fixtures::{id, user};

    fn params() -> StartParams {
        StartParams {
            name: "  Database down ".into(),
            description: "Primary unreachable".into(),
            team: id("team1"),
            reporter: user("alice"),
            commander: None,
            visibility: Visibility::Public,
            playbook: None,
            checklists: vec![],
            invite: vec![],
            reminder_ms: None,
            announce_in: None,
            create_webhook: None,
            automation: Automation::default(),
        }
    }

    fn ids() -> StartIds {
        StartIds { incident: id("inc1"), channel: id("chan1"), number: 7 }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(validate_name("  x ").unwrap(), "x");
        assert_eq!(validate_name(" \t").unwrap_err(), DomainError::EmptyName);
        let long = "é".repeat(65);
        assert_eq!(
            validate_name(&long).unwrap_err().to_string(),
            "Incident names can be at most 64 characters; this one has 65."
        );
        assert!(validate_name(&"é".repeat(64)).is_ok());
    }

    #[test]
    fn channel_names_are_slugs() {
        let cases = [
            ("Database down", 0, "database-down"),
            ("  DB: down!!  (EU) ", 0, "db-down-eu"),
            ("Ünïcode ☃ outage", 0, "n-code-outage"),
            ("☃", 0, "incident"),
            ("x", 0, "incident-x"),
            ("Database down", 1, "database-down-2"),
            ("Database down", 9, "database-down-10"),
        ];
        for (name, attempt, want) in cases {
            assert_eq!(channel_name(name, attempt), want, "{name:?} #{attempt}");
        }
        let long = "a".repeat(100);
        assert_eq!(channel_name(&long, 0).len(), 64);
        let with_suffix = channel_name(&long, 11);
        assert_eq!(with_suffix.len(), 64);
        assert!(with_suffix.ends_with("a-12"));
        assert_eq!(channel_name(&format!("{}-b", "a".repeat(62)), 0), "a".repeat(62) + "-b");
    }

    #[test]
    fn start_builds_the_first_state_and_its_effects() {
        let mut p = params();
        p.commander = Some(user("bob"));
        p.invite = vec![user("carol"), user("bob"), user("alice")];
        p.reminder_ms = Some(60_000);
        p.announce_in = Some(id("town"));
        p.create_webhook = Some("http://hooks.example/new".into());
        let d = start(p, ids(), Timestamp(5_000)).unwrap();
        let i = &d.incident;
        assert_eq!(i.name, "Database down");
        assert_eq!(i.commander, user("bob"));
        assert_eq!(i.reporter, user("alice"));
        assert_eq!(i.version, 1);
        assert_eq!(i.reference(), "INC-00007");
        assert_eq!(i.reminder.next_due, Some(Timestamp(65_000)));
        assert_eq!(i.timeline.len(), 1);
        assert!(i.access.invited.is_empty(), "public incidents keep no grants");
        let added: Vec<_> = d
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::AddChannelMember { user, .. } => Some(user.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(added, [user("alice"), user("bob"), user("carol")]);
        assert!(d.effects.contains(&Effect::Post {
            channel: id("town"),
            author: Author::Bot,
            message: Message::Announcement { by: user("alice") },
        }));
        assert!(d.effects.contains(&Effect::ScheduleDeadline { incident: id("inc1"), at: Timestamp(65_000) }));
        assert!(d.effects.contains(&Effect::Webhook {
            event: WebhookEvent::IncidentCreated,
            url: "http://hooks.example/new".into()
        }));
    }

    #[test]
    fn private_start_grants_invitees_and_never_announces() {
        let mut p = params();
        p.visibility = Visibility::Private;
        p.invite = vec![user("carol")];
        p.announce_in = Some(id("town"));
        p.create_webhook = Some("http://hooks.example/new".into());
        p.automation.update_webhook = Some("http://hooks.example/update".into());
        let d = start(p, ids(), Timestamp(0)).unwrap();
        assert!(!d.effects.iter().any(|e| matches!(e, Effect::Webhook { .. })), "private incidents send no webhook");
        assert_eq!(d.incident.access.invited.len(), 1);
        assert!(d.incident.access.is_invited(&user("carol")));
        for e in &d.effects {
            match e {
                Effect::Post { channel, .. } => assert_eq!(*channel, id::<ChannelId>("chan1")),
                Effect::Publish { audience, .. } => {
                    assert_eq!(*audience, Audience::Channel(id("chan1")))
                }
                _ => {}
            }
        }
    }

    #[test]
    fn start_rejects_bad_names() {
        let mut p = params();
        p.name = "   ".into();
        assert_eq!(start(p, ids(), Timestamp(0)).unwrap_err(), DomainError::EmptyName);
    }
}
