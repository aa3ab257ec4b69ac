//! The incident record: the one piece of state every decision reads and produces.

use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, IncidentId, PlaybookId, TeamId, UserId};
use crate::time::Timestamp;

/// Current shape of [`Incident`] records; bump it and add an upgrade step when the shape changes.
pub const SCHEMA: u32 = 1;

/// An incident: its channel, people, tasks, updates, timeline and who may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// Record shape version, see [`SCHEMA`].
    pub schema: u32,
    /// Stable id (shell-generated).
    pub id: IncidentId,
    /// Sequential number within the team (shown as `INC-00042`), allocated by the store.
    pub number: u64,
    /// The team the incident belongs to.
    pub team: TeamId,
    /// The incident channel.
    pub channel: ChannelId,
    /// Display name, 1..=64 characters.
    pub name: String,
    /// Free-form Markdown description.
    #[serde(default)]
    pub description: String,
    /// Who drives the incident.
    pub commander: UserId,
    /// Who started it.
    pub reporter: UserId,
    /// Active or ended.
    pub status: Status,
    /// Public (team) or private (invited only).
    pub visibility: Visibility,
    /// The playbook it was started from, if any.
    #[serde(default)]
    pub playbook: Option<PlaybookId>,
    /// Task groups, in display order.
    #[serde(default)]
    pub checklists: Vec<Checklist>,
    /// Status updates, oldest first.
    #[serde(default)]
    pub status_updates: Vec<StatusUpdate>,
    /// When the next status update is due.
    #[serde(default)]
    pub reminder: Reminder,
    /// Everything that happened, oldest first.
    #[serde(default)]
    pub timeline: Vec<TimelineEvent>,
    /// Who was invited to or revoked from a private incident.
    #[serde(default)]
    pub access: AccessList,
    /// What the playbook automates for this incident, copied at start.
    #[serde(default)]
    pub automation: Automation,
    /// When it started.
    pub created_at: Timestamp,
    /// When it last ended (None while active).
    #[serde(default)]
    pub ended_at: Option<Timestamp>,
    /// Bumped by every decision; the store writes with compare-and-set on it.
    pub version: u64,
}

/// Whether the incident is ongoing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Ongoing.
    Active,
    /// Ended (can be restarted).
    Ended,
}

/// Who may see the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone in the team may read it.
    Public,
    /// Only channel members and invited users, minus revoked ones.
    Private,
}

/// A named group of tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// Heading shown above the tasks.
    pub title: String,
    /// Tasks in display order.
    #[serde(default)]
    pub items: Vec<Task>,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Short text.
    pub title: String,
    /// Optional Markdown details.
    #[serde(default)]
    pub description: String,
    /// Open or done.
    pub state: TaskState,
    /// Who owns it.
    #[serde(default)]
    pub assignee: Option<UserId>,
    /// A slash command members can run from the task.
    #[serde(default)]
    pub command: Option<String>,
    /// Who checked it (None while open).
    #[serde(default)]
    pub done_by: Option<UserId>,
    /// When it was checked (None while open).
    #[serde(default)]
    pub done_at: Option<Timestamp>,
    /// When it should be done (from the playbook's due offset), if ever.
    #[serde(default)]
    pub due_at: Option<Timestamp>,
}

impl Task {
    /// A new open, unassigned task.
    pub fn new(title: impl Into<String>) -> Self {
        Task {
            title: title.into(),
            description: String::new(),
            state: TaskState::Open,
            assignee: None,
            command: None,
            done_by: None,
            done_at: None,
            due_at: None,
        }
    }

    /// Whether the task is open past its due time.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        !self.is_done() && self.due_at.is_some_and(|due| due <= now)
    }

    /// Whether the task is checked.
    pub fn is_done(&self) -> bool {
        self.state == TaskState::Done
    }
}

/// Whether a task is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Not done yet.
    Open,
    /// Done.
    Done,
}

/// Where a task sits: zero-based checklist and item indexes (the UI shows them one-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskAt {
    /// Zero-based checklist index.
    pub checklist: usize,
    /// Zero-based item index within the checklist.
    pub item: usize,
}

impl TaskAt {
    /// From the one-based numbers people type (`/incident check 1 2`); None if either is 0.
    pub fn from_ordinals(checklist: usize, item: usize) -> Option<Self> {
        Some(TaskAt { checklist: checklist.checked_sub(1)?, item: item.checked_sub(1)? })
    }
}

impl std::fmt::Display for TaskAt {
    /// One-based, as the UI shows it: `1.2`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.checklist + 1, self.item + 1)
    }
}

/// A status update as written by a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// Who wrote it.
    pub author: UserId,
    /// When it was posted.
    pub at: Timestamp,
    /// Markdown text.
    pub message: String,
}

/// What a playbook automates for the incidents it starts, copied into the record at start so that later edits of
/// the playbook change only future incidents. Private incidents never fire webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Automation {
    /// Greeting shown (ephemerally) to each user who joins the incident channel; empty: none.
    #[serde(default)]
    pub welcome_message: String,
    /// Webhook URL that receives every status update.
    #[serde(default)]
    pub update_webhook: Option<String>,
    /// Prefill of the status-update dialog when the incident has no update yet.
    #[serde(default)]
    pub update_template: String,
}

/// The status-update reminder: the deadline lives in the record so any node can claim it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reminder {
    /// When the next update is due (None: no reminder).
    pub next_due: Option<Timestamp>,
    /// The last chosen interval, prefilled in the next update dialog (0: none).
    pub interval_ms: u64,
    /// A reminder claimed by a node whose post is not confirmed yet (the outbox). If the claimant dies, another
    /// node takes it over once [`REMINDER_LEASE_MS`] passed, and posts only if the channel does not hold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posting: Option<ReminderClaim>,
}

/// How people name incident `number` of a team: `INC-00042`.
pub fn reference(number: u64) -> String {
    format!("INC-{number:05}")
}

/// How long a node may take to post a claimed reminder before another node takes the claim over (far above the
/// 30 s a hook may run, so a slow claimant is never doubled).
pub const REMINDER_LEASE_MS: u64 = 2 * crate::time::MINUTE_MS;

/// A claimed reminder: which due time it is for and when it was (last) claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderClaim {
    /// The due time the reminder is for (also tagged on its post, so a take-over can find it).
    pub due: Timestamp,
    /// When the current claimant took it.
    pub claimed_at: Timestamp,
}

impl Reminder {
    /// When the claim on an unconfirmed reminder runs out.
    pub fn lease_end(&self) -> Option<Timestamp> {
        self.posting.map(|p| p.claimed_at.saturating_add_ms(REMINDER_LEASE_MS))
    }
}

/// A user's standing with a private incident.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccessList {
    /// Users granted access, with an optional expiry.
    #[serde(default)]
    pub invited: Vec<Grant>,
    /// Users whose access was revoked (still listed, greyed out).
    #[serde(default)]
    pub revoked: Vec<UserId>,
    /// Latest access request per user, for the one-per-15-minutes rule.
    #[serde(default)]
    pub requests: Vec<AccessRequest>,
}

impl AccessList {
    /// Whether `user` holds a grant (expired grants are removed by the scheduler tick).
    pub fn is_invited(&self, user: &UserId) -> bool {
        self.invited.iter().any(|g| &g.user == user)
    }

    /// Whether `user`'s access was revoked.
    pub fn is_revoked(&self, user: &UserId) -> bool {
        self.revoked.contains(user)
    }

    /// `user`'s latest access request.
    pub fn request(&self, user: &UserId) -> Option<&AccessRequest> {
        self.requests.iter().find(|r| &r.user == user)
    }
}

/// Access given to one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The user.
    pub user: UserId,
    /// Who granted it.
    pub by: UserId,
    /// When.
    pub at: Timestamp,
    /// When the grant lapses (time-boxed access); None: until revoked.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
}

/// The last time a user asked for access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    /// Who asked.
    pub user: UserId,
    /// When.
    pub at: Timestamp,
    /// Not yet allowed or denied.
    #[serde(default)]
    pub pending: bool,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// When it happened.
    pub at: Timestamp,
    /// Who did it (None: the plugin itself, e.g. an expired grant).
    pub actor: Option<UserId>,
    /// What happened.
    pub kind: EventKind,
    /// The user the event is about (new commander, assignee, invited user…), if any.
    #[serde(default)]
    pub subject: Option<UserId>,
    /// Name-free details (task title, channel list); renderers add the people.
    #[serde(default)]
    pub summary: String,
}

/// The closed vocabulary of timeline events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The incident was started.
    IncidentCreated,
    /// The incident was ended.
    IncidentEnded,
    /// An ended incident was restarted.
    IncidentRestarted,
    /// The commander changed (subject: the new commander).
    CommanderChanged,
    /// A task was checked.
    TaskChecked,
    /// A task was unchecked.
    TaskUnchecked,
    /// A task was added.
    TaskAdded,
    /// A task was removed.
    TaskRemoved,
    /// A task was assigned (subject: the assignee).
    TaskAssigned,
    /// A task's assignee was cleared.
    TaskUnassigned,
    /// A task's slash command was run.
    TaskCommandRun,
    /// A status update was posted.
    StatusUpdated,
    /// The incident was announced in other channels.
    Announced,
    /// A user was granted access (subject).
    AccessGranted,
    /// A user's access was revoked (subject).
    AccessRevoked,
    /// A user's time-boxed access lapsed (subject).
    AccessExpired,
    /// A member chose to keep the access of someone who left the channel (subject).
    AccessKept,
    /// A user asked for access.
    AccessRequested,
    /// A member denied an access request (the requester is not told).
    AccessDenied,
    /// Public ⇄ private.
    VisibilityChanged,
    /// A message was added to the timeline (subject: its author; summary: an excerpt).
    PostAdded,
    /// A user joined the incident channel.
    MemberJoined,
    /// A user left the incident channel.
    MemberLeft,
    /// An outgoing webhook was delivered (summary: event, host, status, attempts).
    WebhookDelivered,
    /// An outgoing webhook failed for good (summary: event, host, reason, attempts).
    WebhookFailed,
    /// The reminder was put off (summary: for how long).
    ReminderSnoozed,
    /// The reminder was acknowledged without an update; no next one is set.
    ReminderDismissed,
}

impl Incident {
    /// Whether the incident is ongoing.
    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }

    /// Whether only invited users may see it.
    pub fn is_private(&self) -> bool {
        self.visibility == Visibility::Private
    }

    /// `INC-00042`.
    pub fn reference(&self) -> String {
        reference(self.number)
    }

    /// The task at `at`, if it exists.
    pub fn task(&self, at: TaskAt) -> Option<&Task> {
        self.checklists.get(at.checklist)?.items.get(at.item)
    }

    /// `(done, total)` over all checklists.
    pub fn progress(&self) -> (usize, usize) {
        let all = self.checklists.iter().flat_map(|c| &c.items);
        let total = all.clone().count();
        (all.filter(|t| t.is_done()).count(), total)
    }

    /// How many tasks are still open.
    pub fn open_tasks(&self) -> usize {
        let (done, total) = self.progress();
        total - done
    }

    /// The latest status update.
    pub fn last_update(&self) -> Option<&StatusUpdate> {
        self.status_updates.last()
    }

    /// Whether a status update is overdue at `now`.
    pub fn update_overdue(&self, now: Timestamp) -> bool {
        self.is_active() && self.reminder.next_due.is_some_and(|due| due <= now)
    }

    /// How long it has run (until `now`, or until it ended).
    pub fn duration_ms(&self, now: Timestamp) -> u64 {
        self.ended_at.unwrap_or(now).since(self.created_at)
    }

    /// The earliest moment the scheduler must look at this incident again.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        let reminder = self.reminder.next_due.into_iter().chain(self.reminder.lease_end()).filter(|_| self.is_active());
        let grants = self.access.invited.iter().filter_map(|g| g.expires_at);
        reminder.chain(grants).min()
    }
}
