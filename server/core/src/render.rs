//! Markdown for people: info, timeline, list, status-update posts and every `Message` an effect carries.

use std::collections::BTreeMap;

use crate::effect::Message;
use crate::ids::{ChannelId, UserId};
use crate::incident::{EventKind, Incident, TimelineEvent, Visibility};
use crate::time::{HumanDuration, Timestamp};

/// Usernames and channel names the shell looked up before rendering (see `Message::mentions`).
pub trait Directory {
    /// A user's username, without `@`.
    fn username(&self, user: &UserId) -> Option<String>;
    /// A channel's name, without `~` (None: not shown).
    fn channel_name(&self, _channel: &ChannelId) -> Option<String> {
        None
    }
}

impl Directory for BTreeMap<UserId, String> {
    fn username(&self, user: &UserId) -> Option<String> {
        self.get(user).cloned()
    }
}

/// The banner shown on everything about a private incident.
pub const PRIVATE_BANNER: &str = "🔒 **Private incident**: only channel members and invited people can see it.";

fn at_user(dir: &dyn Directory, user: &UserId) -> String {
    match dir.username(user) {
        Some(name) => format!("@{name}"),
        None => "someone".to_owned(),
    }
}

fn who(dir: &dyn Directory, user: Option<&UserId>) -> String {
    user.map_or_else(|| "The plugin".to_owned(), |u| at_user(dir, u))
}

/// User text shown inline (names, titles): Markdown table/emphasis/link characters neutralised and mentions made
/// inert, so `**@channel**` in an incident name neither formats nor notifies anyone.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '|' | '*' | '_' | '`' | '[' | ']' | '#' | '<' | '>' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    quiet_mentions(&out)
}

/// Word joiner: invisible, and it breaks Mattermost's `@name` mention pattern.
const WORD_JOINER: char = '\u{2060}';

/// `@bob`, `@channel`, `@here` … → the same text that mentions nobody (a word joiner after each `@` that starts a
/// mention). For text the bot repeats elsewhere, where its author's mentions were not meant to go.
pub fn quiet_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let starts_word = previous.is_none_or(|p| !p.is_alphanumeric() && p != '@');
        if c == '@' && starts_word && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            out.push(WORD_JOINER);
        }
        previous = Some(c);
    }
    out
}

fn title_line(incident: &Incident) -> String {
    title(incident.is_private(), &incident.name, incident.number)
}

/// `🔒 **Name** · INC-00042` (the padlock only for private incidents).
fn title(private: bool, name: &str, number: u64) -> String {
    let lock = if private { "🔒 " } else { "" };
    format!("{lock}**{}** · {}", escape(name), crate::incident::reference(number))
}

/// The answer to `/incident info`.
pub fn info(incident: &Incident, now: Timestamp, dir: &dyn Directory) -> String {
    let (done, total) = incident.progress();
    let mut out = format!("#### {}\n", title_line(incident));
    if incident.is_private() {
        out.push_str(&format!("{PRIVATE_BANNER}\n\n"));
    }
    let duration = HumanDuration(incident.duration_ms(now));
    let state = match incident.ended_at {
        None => format!("Active for {duration}"),
        Some(_) => format!("Ended after {duration}"),
    };
    out.push_str(&format!("**Status:** {state}\n"));
    out.push_str(&format!("**Commander:** {}\n", at_user(dir, &incident.commander)));
    out.push_str(&format!("**Tasks:** {done}/{total} done\n"));
    out.push_str(&format!("**Last update:** {}\n", last_update(incident, now, dir)));
    out
}

fn last_update(incident: &Incident, now: Timestamp, dir: &dyn Directory) -> String {
    let mut out = match incident.last_update() {
        Some(u) => format!("{} ago by {}", HumanDuration(now.since(u.at)), at_user(dir, &u.author)),
        None => "none yet".to_owned(),
    };
    match incident.reminder.next_due.filter(|_| incident.is_active()) {
        Some(due) if due <= now => {
            out.push_str(&format!(" · **overdue by {}**", HumanDuration(now.since(due))));
        }
        Some(due) => out.push_str(&format!(" · next due in {}", HumanDuration(due.since(now)))),
        None => {}
    }
    out
}

/// One timeline event as a sentence (no trailing period).
pub fn event(e: &TimelineEvent, dir: &dyn Directory) -> String {
    let actor = who(dir, e.actor.as_ref());
    let subject = who(dir, e.subject.as_ref());
    let task = format!("“{}”", escape(&e.summary));
    match e.kind {
        EventKind::IncidentCreated => format!("{actor} started the incident"),
        EventKind::IncidentEnded => format!("{actor} ended the incident"),
        EventKind::IncidentRestarted => format!("{actor} restarted the incident"),
        EventKind::CommanderChanged => format!("{actor} made {subject} the commander"),
        EventKind::TaskChecked => format!("{actor} checked {task}"),
        EventKind::TaskUnchecked => format!("{actor} unchecked {task}"),
        EventKind::TaskAdded => format!("{actor} added the task {task}"),
        EventKind::TaskRemoved => format!("{actor} removed the task {task}"),
        EventKind::TaskAssigned => format!("{actor} assigned {task} to {subject}"),
        EventKind::TaskUnassigned => format!("{actor} took {task} away from {subject}"),
        EventKind::TaskCommandRun => format!("{actor} ran `{}`", e.summary.replace('`', "'")),
        EventKind::StatusUpdated => format!("{actor} posted a status update"),
        EventKind::Announced => format!("{actor} announced the incident in {}", e.summary),
        EventKind::AccessGranted => format!("{actor} gave {subject} access"),
        EventKind::AccessRevoked => format!("{actor} revoked {subject}'s access"),
        EventKind::AccessExpired => format!("{subject}'s time-boxed access expired"),
        EventKind::AccessKept => format!("{actor} kept {subject}'s access after they left the channel"),
        EventKind::AccessRequested => format!("{actor} asked for access"),
        EventKind::AccessDenied => format!("{actor} denied {subject}'s access request"),
        EventKind::VisibilityChanged => format!("{actor} made the incident {}", e.summary),
        EventKind::PostAdded => format!("{actor} added a message from {subject}: “{}”", escape(&e.summary)),
        EventKind::MemberJoined => format!("{actor} joined the channel"),
        EventKind::MemberLeft => format!("{actor} left the channel"),
        EventKind::WebhookDelivered => format!("Webhook sent: {}", escape(&e.summary)),
        EventKind::WebhookFailed => format!("**Webhook failed**: {}", escape(&e.summary)),
        EventKind::ReminderSnoozed => format!("{actor} snoozed the reminder for {}", escape(&e.summary)),
        EventKind::ReminderDismissed => format!("{actor} dismissed the reminder"),
    }
}

/// The answer to `/incident timeline`: one line per event, timed from the start.
pub fn timeline(incident: &Incident, dir: &dyn Directory) -> String {
    let mut out = format!("#### Timeline of {}\n", title_line(incident));
    if incident.timeline.is_empty() {
        out.push_str("Nothing has happened yet.\n");
    }
    for e in &incident.timeline {
        let offset = HumanDuration(e.at.since(incident.created_at));
        out.push_str(&format!("- `+{offset}` {}\n", event(e, dir)));
    }
    out
}

/// The answer to `/incident list`. `incidents` is already filtered with `access::Viewer` and sorted.
pub fn list(lines: &[ListLine], now: Timestamp, dir: &dyn Directory) -> String {
    if lines.is_empty() {
        return "You have no active incidents in this team. Start one with `/incident start`.".into();
    }
    let mut out = String::from(
        "#### Your incidents\n\n| Incident | Commander | Running | Tasks | Update |\n|---|---|---|---|---|\n",
    );
    for line in lines {
        let (done, total) = line.tasks;
        let overdue = line.active && line.reminder_due.is_some_and(|due| due <= now);
        let update = if overdue { "**overdue**" } else { "ok" };
        let channel = dir.channel_name(&line.channel).map(|c| format!(" ~{c}")).unwrap_or_default();
        out.push_str(&format!(
            "| {}{channel} | {} | {} | {done}/{total} | {update} |\n",
            title(line.private, &line.name, line.number),
            at_user(dir, &line.commander),
            HumanDuration(line.ended_at.unwrap_or(now).since(line.created_at)),
        ));
    }
    out
}

/// What one line of `/incident list` shows: the shell builds it from its read model, without loading records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLine {
    /// Team-sequential number.
    pub number: u64,
    /// Name.
    pub name: String,
    /// Private incidents get a padlock.
    pub private: bool,
    /// Incident channel.
    pub channel: ChannelId,
    /// Commander.
    pub commander: UserId,
    /// Start time.
    pub created_at: Timestamp,
    /// End time.
    pub ended_at: Option<Timestamp>,
    /// Checked and all tasks.
    pub tasks: (usize, usize),
    /// When the next status update is due.
    pub reminder_due: Option<Timestamp>,
    /// Whether it is active (only active incidents are overdue).
    pub active: bool,
}

impl ListLine {
    /// The line of `incident`.
    pub fn of(incident: &Incident) -> ListLine {
        ListLine {
            number: incident.number,
            name: incident.name.clone(),
            private: incident.is_private(),
            channel: incident.channel.clone(),
            commander: incident.commander.clone(),
            created_at: incident.created_at,
            ended_at: incident.ended_at,
            tasks: incident.progress(),
            reminder_due: incident.reminder.next_due,
            active: incident.is_active(),
        }
    }
}

/// The status-update post for the latest update (posted as its author).
pub fn status_update(incident: &Incident, now: Timestamp) -> String {
    let Some(update) = incident.last_update() else {
        return String::new();
    };
    let (done, total) = incident.progress();
    let mut footer = format!("Tasks {done}/{total}");
    if let Some(due) = incident.reminder.next_due.filter(|_| incident.is_active()) {
        footer.push_str(&format!(" · next update in {}", HumanDuration(due.since(now))));
    }
    format!("#### Status update · {}\n\n{}\n\n_{footer}_", title_line(incident), update.message)
}

/// "Who has access" for a private incident: current channel members, invited people, and revoked people (shown
/// struck through, "revoked"). `members` are the channel's members as the shell knows them.
pub fn who_has_access(incident: &Incident, members: &[UserId], now: Timestamp, dir: &dyn Directory) -> String {
    let mut out = String::from("#### Who has access\n");
    if !incident.is_private() {
        out.push_str("Everyone in the team: this incident is public.\n");
        return out;
    }
    let access = &incident.access;
    let mut seen: Vec<&UserId> = Vec::new();
    for user in members.iter().filter(|u| !access.is_revoked(u)) {
        seen.push(user);
        out.push_str(&format!("- {} · member\n", at_user(dir, user)));
    }
    for grant in access.invited.iter().filter(|g| !seen.contains(&&g.user)) {
        let until = grant
            .expires_at
            .map(|t| format!(" (time-boxed, {} left)", HumanDuration(t.since(now))))
            .unwrap_or_default();
        out.push_str(&format!("- {} · invited{until}\n", at_user(dir, &grant.user)));
    }
    for user in &access.revoked {
        out.push_str(&format!("- ~~{}~~ · revoked\n", at_user(dir, user)));
    }
    out
}

/// The Markdown for a message carried by an `Effect`, rendered against the saved incident.
pub fn message(msg: &Message, incident: &Incident, now: Timestamp, dir: &dyn Directory) -> String {
    let u = |user: &UserId| at_user(dir, user);
    let quote = |t: &str| format!("“{}”", escape(t));
    match msg {
        Message::Created => {
            let mut out = format!("#### Incident started: {}\n", title_line(incident));
            if incident.is_private() {
                out.push_str(&format!("{PRIVATE_BANNER}\n"));
            }
            if !incident.description.is_empty() {
                out.push_str(&format!("\n{}\n\n", incident.description));
            }
            out.push_str(&format!(
                "**Commander:** {} · **Reported by:** {}",
                u(&incident.commander),
                u(&incident.reporter)
            ));
            out
        }
        Message::Ended { by } => {
            format!("{} ended the incident after {}.", u(by), HumanDuration(incident.duration_ms(now)))
        }
        Message::Restarted { by } => format!("{} restarted the incident.", u(by)),
        Message::CommanderChanged { by, from, to } => {
            format!("{} changed the commander from {} to {}.", u(by), u(from), u(to))
        }
        Message::TaskChecked { by, title, done } => {
            let verb = if *done { "checked" } else { "unchecked" };
            format!("{} {verb} {}.", u(by), quote(title))
        }
        Message::TaskAdded { title, checklist, .. } => format!("Added {} to {}.", quote(title), escape(checklist)),
        Message::TaskRemoved { title, .. } => format!("Removed {}.", quote(title)),
        Message::TaskAssigned { by, title, to } => match to {
            Some(to) => format!("{} assigned {} to {}.", u(by), quote(title), u(to)),
            None => format!("{} unassigned {}.", u(by), quote(title)),
        },
        Message::StatusUpdate => status_update(incident, now),
        Message::Announcement { by } => {
            let (done, total) = incident.progress();
            let channel =
                dir.channel_name(&incident.channel).map(|c| format!(" Join ~{c} to help.")).unwrap_or_default();
            format!(
                "{} announced an incident: {}\n**Commander:** {} · **Tasks:** {done}/{total}.{channel}",
                u(by),
                title_line(incident),
                u(&incident.commander)
            )
        }
        Message::ReminderDue => format!(
            "{}, a status update for {} is due. Post one with `/incident update`.",
            u(&incident.commander),
            title_line(incident)
        ),
        Message::AccessRequested { requester } => {
            format!("{} asks for access to this private incident. Members can allow or deny the request.", u(requester))
        }
        Message::AccessGranted { by, user, until } => {
            let span = until.map(|t| format!(" for {}", HumanDuration(t.since(now)))).unwrap_or_default();
            format!("{} gave {} access{span}.", u(by), u(user))
        }
        Message::AccessRevoked { by, user } => {
            format!("{} revoked {}'s access.", u(by), u(user))
        }
        Message::AccessExpired { user } => format!("{}'s time-boxed access expired.", u(user)),
        Message::AskRemoveAccess { user } => {
            format!("{} left the channel and can still see this private incident. Remove their access?", u(user))
        }
        Message::VisibilityChanged { by, to } => {
            let what = match to {
                Visibility::Public => "public: everyone in the team can now see it",
                Visibility::Private => "private: only members and invited people can see it",
            };
            format!("{} made this incident {what}.", u(by))
        }
        Message::TaskCommandRun { by, command } => {
            format!("{} ran `{}`.", u(by), command.replace('`', "'"))
        }
        Message::Welcome => {
            format!("#### Welcome to {}\n\n{}", title_line(incident), incident.automation.welcome_message.trim())
        }
    }
}

#[cfg(test)]
mod tests;
