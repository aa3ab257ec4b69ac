//! What can be asked of an existing incident: the closed `Action` vocabulary and the people it names.

use serde::{Deserialize, Serialize};

use crate::access::Operation;
use crate::effect::WebhookEvent;
use crate::ids::{ChannelId, UserId};
use crate::incident::{TaskAt, Visibility};
use crate::time::Timestamp;

/// Another user an action is about, with the facts the shell looked up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The user.
    pub id: UserId,
    /// Their username (for error texts).
    pub username: String,
    /// Whether they are in the incident channel now.
    pub is_channel_member: bool,
}

/// Everything a user (or a channel hook on their behalf) can do to an existing incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// End the incident; with open tasks only when `confirmed`.
    End {
        /// The user confirmed ending with open tasks.
        confirmed: bool,
    },
    /// Reopen an ended incident.
    Restart,
    /// Flip a task (the `check` command).
    ToggleTask {
        /// Which task.
        at: TaskAt,
    },
    /// Set a task's state (a checkbox click); refused if already so.
    SetTask {
        /// Which task.
        at: TaskAt,
        /// Checked or not.
        done: bool,
    },
    /// Append a task to a checklist.
    AddTask {
        /// Zero-based checklist index.
        checklist: usize,
        /// Title.
        title: String,
    },
    /// Delete a task.
    RemoveTask {
        /// Which task.
        at: TaskAt,
    },
    /// Give a task to a channel member.
    Assign {
        /// Which task.
        at: TaskAt,
        /// The assignee.
        to: Member,
    },
    /// Clear a task's assignee.
    Unassign {
        /// Which task.
        at: TaskAt,
    },
    /// Run a task's slash command and record it.
    RunTaskCommand {
        /// Which task.
        at: TaskAt,
    },
    /// Make a channel member the commander.
    ChangeCommander {
        /// The new commander.
        to: Member,
    },
    /// Post a status update and set (or clear) the next reminder.
    PostStatusUpdate {
        /// Markdown message.
        message: String,
        /// Milliseconds until the next update is due (None: no reminder).
        reminder_ms: Option<u64>,
    },
    /// "Snooze" on a due reminder: the next reminder comes `ms` from now, without a status update.
    SnoozeReminder {
        /// Milliseconds until the reminder comes again (more than 0).
        ms: u64,
    },
    /// "Dismiss" on a due reminder: acknowledged, recorded, no next reminder.
    DismissReminder,
    /// Post the summary in other channels (the shell checked the actor may post there).
    Announce {
        /// Target channels.
        channels: Vec<ChannelId>,
    },
    /// Let a user into a private incident (also "Allow" on a request).
    GrantAccess {
        /// Who.
        to: Member,
        /// Optional end of a time-boxed grant.
        expires_at: Option<Timestamp>,
    },
    /// Take a user's access away.
    RevokeAccess {
        /// Who.
        user: Member,
        /// How many users are in the incident channel now.
        channel_members: usize,
    },
    /// "Deny" on an access request; the requester is not told.
    DenyAccess {
        /// Who asked.
        requester: Member,
    },
    /// Ask to be let in (the actor is the requester).
    RequestAccess,
    /// A channel member answers "remove their access?" after `user` left a private incident's channel.
    AnswerLeftChannel {
        /// Who left.
        user: Member,
        /// Remove (true) or keep (false) their access.
        remove: bool,
    },
    /// Public ⇄ private; going public needs `confirmed`.
    SetVisibility {
        /// The new visibility.
        to: Visibility,
        /// The user confirmed.
        confirmed: bool,
    },
    /// "Add to incident timeline" on a message the actor can read (the shell looked it up).
    AddPostToTimeline {
        /// Who wrote the message (None: a system message).
        author: Option<UserId>,
        /// Its text.
        message: String,
    },
    /// Hook: the actor joined the incident channel.
    MemberJoined,
    /// Hook: the actor left the incident channel.
    MemberLeft,
    /// The outcome of an outgoing webhook, recorded on the timeline (the actor is the plugin).
    RecordWebhook {
        /// What was sent.
        event: WebhookEvent,
        /// Delivered (true) or given up (false).
        delivered: bool,
        /// Host, status or reason, attempts.
        detail: String,
    },
}

impl Action {
    /// The access operation this action needs; None for channel hooks, which record facts and reveal nothing.
    pub fn operation(&self) -> Option<Operation> {
        Some(match self {
            Action::GrantAccess { .. }
            | Action::RevokeAccess { .. }
            | Action::DenyAccess { .. }
            | Action::AnswerLeftChannel { .. }
            | Action::SetVisibility { .. } => Operation::ManageAccess,
            Action::RequestAccess => Operation::RequestAccess,
            Action::MemberJoined | Action::MemberLeft | Action::RecordWebhook { .. } => return None,
            _ => Operation::Write,
        })
    }
}
