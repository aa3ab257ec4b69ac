//! The closed list of things the shell must do after a decision; the core never does them itself.

use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, IncidentId, TeamId, UserId};
use crate::incident::{TaskAt, Visibility};
use crate::time::Timestamp;

/// One instruction for the shell, executed after the new state was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Post `message` (rendered by `render::message`) in `channel`.
    Post {
        /// Where.
        channel: ChannelId,
        /// As whom.
        author: Author,
        /// What.
        message: Message,
    },
    /// Reply to one user only (ephemeral post).
    Ephemeral {
        /// Who sees it.
        user: UserId,
        /// In which channel.
        channel: ChannelId,
        /// What.
        message: Message,
    },
    /// Push a websocket event so open views refresh.
    Publish {
        /// Who may receive it (never wider than who may read the incident).
        audience: Audience,
        /// What changed.
        delta: Delta,
    },
    /// The incident's next deadline (`Incident::next_deadline`: reminder or grant expiry) moved: wake the
    /// scheduler at `at`, replacing any earlier wake-up. The deadline itself lives in the saved record.
    ScheduleDeadline {
        /// The incident.
        incident: IncidentId,
        /// When to call `tick`.
        at: Timestamp,
    },
    /// The incident no longer has a deadline.
    CancelDeadline {
        /// The incident.
        incident: IncidentId,
    },
    /// Make the incident channel private (true) or public (false).
    SetChannelPrivacy {
        /// The channel.
        channel: ChannelId,
        /// Private or not.
        private: bool,
    },
    /// Add a user to a channel.
    AddChannelMember {
        /// The channel.
        channel: ChannelId,
        /// The user.
        user: UserId,
    },
    /// Remove a user from a channel (if this fails, tell the actor; the record still says revoked).
    RemoveChannelMember {
        /// The channel.
        channel: ChannelId,
        /// The user.
        user: UserId,
    },
    /// Send an outgoing webhook (off the request path, with retries); never emitted for private incidents.
    Webhook {
        /// What happened.
        event: WebhookEvent,
        /// Where to POST.
        url: String,
    },
    /// Run a task's slash command as `user` in `channel`.
    RunSlashCommand {
        /// Where.
        channel: ChannelId,
        /// As whom.
        user: UserId,
        /// The command text, starting with `/`.
        command: String,
    },
}

/// Why a webhook is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookEvent {
    /// The incident was started.
    IncidentCreated,
    /// A status update was posted.
    StatusUpdated,
}

impl WebhookEvent {
    /// The name sent in the payload's `event` field and shown on the timeline.
    pub fn name(self) -> &'static str {
        match self {
            WebhookEvent::IncidentCreated => "incident_created",
            WebhookEvent::StatusUpdated => "status_updated",
        }
    }
}

/// Who a post appears to come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    /// The plugin's bot.
    Bot,
    /// A user (status updates are posted as their author).
    User(UserId),
}

/// The receivers of a websocket event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Everyone in the team (public incidents).
    Team(TeamId),
    /// Only the members of the incident channel (private incidents).
    Channel(ChannelId),
}

/// A small "what changed" event; clients refetch what they show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delta {
    /// The incident.
    pub incident: IncidentId,
    /// Its version after the change.
    pub version: u64,
    /// What changed.
    pub change: Change,
}

/// The part of an incident that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A new incident.
    Created,
    /// Active ⇄ ended.
    Status,
    /// The commander.
    Commander,
    /// One task.
    Task(TaskAt),
    /// Tasks added or removed.
    Checklists,
    /// A new status update or reminder.
    StatusUpdate,
    /// Who has access.
    Access,
    /// Public ⇄ private.
    Visibility,
    /// Only the timeline.
    Timeline,
}

/// A post's content as data; `render::message` turns it into Markdown once names are known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "message", rename_all = "snake_case")]
pub enum Message {
    /// The overview posted when an incident starts.
    Created,
    /// `by` ended the incident.
    Ended {
        /// Who.
        by: UserId,
    },
    /// `by` restarted the incident.
    Restarted {
        /// Who.
        by: UserId,
    },
    /// The commander changed.
    CommanderChanged {
        /// Who changed it.
        by: UserId,
        /// The old commander.
        from: UserId,
        /// The new commander.
        to: UserId,
    },
    /// A task was checked or unchecked.
    TaskChecked {
        /// Who.
        by: UserId,
        /// The task title.
        title: String,
        /// Checked (true) or unchecked.
        done: bool,
    },
    /// A task was added.
    TaskAdded {
        /// Who.
        by: UserId,
        /// The task title.
        title: String,
        /// One-based checklist title.
        checklist: String,
    },
    /// A task was removed.
    TaskRemoved {
        /// Who.
        by: UserId,
        /// The task title.
        title: String,
    },
    /// A task's assignee changed.
    TaskAssigned {
        /// Who.
        by: UserId,
        /// The task title.
        title: String,
        /// The new assignee (None: unassigned).
        to: Option<UserId>,
    },
    /// The status update itself (the latest in the record).
    StatusUpdate,
    /// The incident summary, for other channels.
    Announcement {
        /// Who announced.
        by: UserId,
    },
    /// A status update is due.
    ReminderDue,
    /// Someone asks for access; the shell renders Allow / Deny buttons for channel members.
    AccessRequested {
        /// Who asks.
        requester: UserId,
    },
    /// Access was granted.
    AccessGranted {
        /// Who granted.
        by: UserId,
        /// To whom.
        user: UserId,
        /// Until when, for a time-boxed grant.
        until: Option<Timestamp>,
    },
    /// Access was revoked.
    AccessRevoked {
        /// Who revoked.
        by: UserId,
        /// From whom.
        user: UserId,
    },
    /// A time-boxed grant lapsed.
    AccessExpired {
        /// Whose.
        user: UserId,
    },
    /// A member left a private incident's channel: ask whether to remove their access.
    AskRemoveAccess {
        /// Who left.
        user: UserId,
    },
    /// Public ⇄ private.
    VisibilityChanged {
        /// Who.
        by: UserId,
        /// The new visibility.
        to: Visibility,
    },
    /// A task's slash command was run.
    TaskCommandRun {
        /// Who.
        by: UserId,
        /// The command.
        command: String,
    },
    /// The playbook's welcome message, to someone who just joined.
    Welcome,
}

impl Message {
    /// The users the message names, so the shell can look up their usernames before rendering.
    pub fn mentions(&self) -> Vec<&UserId> {
        use Message::*;
        match self {
            Created | StatusUpdate | ReminderDue | Welcome => vec![],
            Ended { by }
            | Restarted { by }
            | TaskChecked { by, .. }
            | TaskAdded { by, .. }
            | TaskRemoved { by, .. }
            | Announcement { by }
            | VisibilityChanged { by, .. }
            | TaskCommandRun { by, .. } => vec![by],
            CommanderChanged { by, from, to } => vec![by, from, to],
            TaskAssigned { by, to, .. } => std::iter::once(by).chain(to).collect(),
            AccessRequested { requester: user } | AccessExpired { user } | AskRemoveAccess { user } => vec![user],
            AccessGranted { by, user, .. } | AccessRevoked { by, user } => vec![by, user],
        }
    }
}
