//! The one state machine: (incident, actor, action, now) → next incident + effects, or a user-facing refusal.

use serde::{Deserialize, Serialize};

use crate::access::{self, Access, Actor};
pub use crate::action::{Action, Member};
use crate::effect::{Audience, Author, Change, Effect, Message, WebhookEvent};
use crate::error::{DomainError, MAX_TASK_CHARS, MAX_UPDATE_CHARS};
use crate::ids::UserId;
use crate::incident::{AccessRequest, EventKind, Grant, Incident, Status, Task, Visibility};
pub(crate) use crate::step::Step;
use crate::time::{HumanDuration, MINUTE_MS, Timestamp};

/// How much of a message "Add to incident timeline" keeps (characters).
pub const POST_EXCERPT_CHARS: usize = 300;

/// One user can ask for access to one incident once per this many milliseconds.
pub const ACCESS_REQUEST_INTERVAL_MS: u64 = 15 * MINUTE_MS;

/// The result of a decision: the state to save (with CAS on the previous version) and what to do after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The next state; its `version` is one more than before.
    pub incident: Incident,
    /// What the shell must do once the state is saved.
    pub effects: Vec<Effect>,
}

/// Decides `action` by `actor` on `incident` at `now`. Access is checked here too, so a shell bug alone leaks nothing.
pub fn decide(incident: &Incident, actor: &Actor, action: Action, now: Timestamp) -> Result<Decision, DomainError> {
    if let Some(op) = action.operation() {
        match access::check(actor, op, incident) {
            Access::Allowed => {}
            Access::Denied(reason) => return Err(reason.into()),
            Access::NotVisible => return Err(DomainError::NotFound),
        }
    }
    // Facts the plugin itself records (webhook outcomes) have no human actor.
    let by = (!matches!(action, Action::RecordWebhook { .. })).then(|| actor.id.clone());
    let mut s = Step::new(incident, by, now);
    let me = actor.id.clone();
    match action {
        Action::End { confirmed } => {
            if !s.next.is_active() {
                return Err(DomainError::AlreadyEnded);
            }
            let open = s.next.open_tasks();
            if open > 0 && !confirmed {
                return Err(DomainError::OpenTasks { open });
            }
            s.next.status = Status::Ended;
            s.next.ended_at = Some(now);
            s.next.reminder.next_due = None;
            s.next.reminder.posting = None;
            s.record(EventKind::IncidentEnded, None, String::new());
            s.post(Message::Ended { by: me });
            s.publish(Change::Status);
        }
        Action::Restart => {
            if s.next.is_active() {
                return Err(DomainError::NotEnded);
            }
            s.next.status = Status::Active;
            s.next.ended_at = None;
            s.record(EventKind::IncidentRestarted, None, String::new());
            s.post(Message::Restarted { by: me });
            s.publish(Change::Status);
        }
        Action::ToggleTask { at } => {
            let done = !s.task(at)?.is_done();
            s.set_task(at, done);
        }
        Action::SetTask { at, done } => {
            if s.task(at)?.is_done() == done {
                return Err(DomainError::TaskAlreadyInState { at, done });
            }
            s.set_task(at, done);
        }
        Action::AddTask { checklist, title } => {
            let title = task_title(&title)?;
            let count = s.next.checklists.len();
            let list = s.next.checklists.get_mut(checklist).ok_or(DomainError::NoSuchChecklist { checklist, count })?;
            list.items.push(Task::new(title.clone()));
            let list_title = list.title.clone();
            s.record(EventKind::TaskAdded, None, title.clone());
            s.reply(Message::TaskAdded { by: me, title, checklist: list_title });
            s.publish(Change::Checklists);
        }
        Action::RemoveTask { at } => {
            s.task(at)?;
            let task = s.next.checklists[at.checklist].items.remove(at.item);
            s.record(EventKind::TaskRemoved, None, task.title.clone());
            s.reply(Message::TaskRemoved { by: me, title: task.title });
            s.publish(Change::Checklists);
        }
        Action::Assign { at, to } => {
            s.task(at)?;
            s.require_participant(&to)?;
            let task = s.task_mut(at);
            task.assignee = Some(to.id.clone());
            let title = task.title.clone();
            s.record(EventKind::TaskAssigned, Some(to.id.clone()), title.clone());
            s.post(Message::TaskAssigned { by: me, title, to: Some(to.id) });
            s.publish(Change::Task(at));
        }
        Action::Unassign { at } => {
            let task = s.task(at)?;
            let Some(old) = task.assignee.clone() else {
                return Err(DomainError::NotAssigned(at));
            };
            let task = s.task_mut(at);
            task.assignee = None;
            let title = task.title.clone();
            s.record(EventKind::TaskUnassigned, Some(old), title.clone());
            s.post(Message::TaskAssigned { by: me, title, to: None });
            s.publish(Change::Task(at));
        }
        Action::RunTaskCommand { at } => {
            let command = s.task(at)?.command.clone();
            let Some(command) = command.filter(|c| !c.trim().is_empty()) else {
                return Err(DomainError::NoTaskCommand(at));
            };
            s.record(EventKind::TaskCommandRun, None, command.clone());
            s.effects.push(Effect::RunSlashCommand { channel: s.next.channel.clone(), user: me, command });
            s.publish(Change::Timeline);
        }
        Action::ChangeCommander { to } => {
            if to.id == s.next.commander {
                return Err(DomainError::AlreadyCommander(to.username));
            }
            s.require_participant(&to)?;
            let from = std::mem::replace(&mut s.next.commander, to.id.clone());
            s.record(EventKind::CommanderChanged, Some(to.id.clone()), String::new());
            s.post(Message::CommanderChanged { by: me, from, to: to.id });
            s.publish(Change::Commander);
        }
        Action::PostStatusUpdate { message, reminder_ms } => {
            let message = message.trim().to_owned();
            let len = message.chars().count();
            if len == 0 {
                return Err(DomainError::EmptyUpdate);
            }
            if len > MAX_UPDATE_CHARS {
                return Err(DomainError::UpdateTooLong(len));
            }
            if reminder_ms == Some(0) {
                return Err(DomainError::BadReminder);
            }
            s.next.status_updates.push(crate::incident::StatusUpdate { author: me.clone(), at: now, message });
            s.next.reminder.interval_ms = reminder_ms.unwrap_or(0);
            s.next.reminder.next_due = reminder_ms.filter(|_| s.next.is_active()).map(|ms| now.saturating_add_ms(ms));
            // The update is what a pending reminder asked for: it is no longer owed.
            s.next.reminder.posting = None;
            s.record(EventKind::StatusUpdated, None, String::new());
            s.effects.push(Effect::Post {
                channel: s.next.channel.clone(),
                author: Author::User(me),
                message: Message::StatusUpdate,
            });
            if let Some(url) = s.next.automation.update_webhook.clone().filter(|_| !s.next.is_private()) {
                s.effects.push(Effect::Webhook { event: WebhookEvent::StatusUpdated, url });
            }
            s.publish(Change::StatusUpdate);
        }
        Action::SnoozeReminder { ms } => {
            if !s.next.is_active() {
                return Err(DomainError::AlreadyEnded);
            }
            if ms < 60_000 {
                return Err(DomainError::BadReminder);
            }
            s.next.reminder.next_due = Some(now.saturating_add_ms(ms));
            // Answered from the reminder's own buttons, so it was posted.
            s.next.reminder.posting = None;
            s.record(EventKind::ReminderSnoozed, None, HumanDuration(ms).to_string());
            s.publish(Change::StatusUpdate);
        }
        Action::DismissReminder => {
            if !s.next.is_active() {
                return Err(DomainError::AlreadyEnded);
            }
            s.next.reminder.posting = None;
            s.record(EventKind::ReminderDismissed, None, String::new());
            s.publish(Change::Timeline);
        }
        Action::Announce { mut channels } => {
            if s.next.is_private() {
                return Err(DomainError::PrivateNotAnnounced);
            }
            channels.sort();
            channels.dedup();
            channels.retain(|c| *c != s.next.channel);
            if channels.is_empty() {
                return Err(DomainError::NoChannels);
            }
            let summary = format!("{} channel(s)", channels.len());
            for channel in channels {
                s.effects.push(Effect::Post {
                    channel,
                    author: Author::Bot,
                    message: Message::Announcement { by: me.clone() },
                });
            }
            s.record(EventKind::Announced, None, summary);
            s.publish(Change::Timeline);
        }
        Action::GrantAccess { to, expires_at } => {
            s.require_private()?;
            if expires_at.is_some_and(|t| t <= now) {
                return Err(DomainError::ExpiryInPast);
            }
            let access = &s.next.access;
            let has = !access.is_revoked(&to.id) && (to.is_channel_member || access.is_invited(&to.id));
            if has && expires_at.is_none() {
                return Err(DomainError::AlreadyHasAccess(to.username));
            }
            let access = &mut s.next.access;
            access.revoked.retain(|u| *u != to.id);
            access.invited.retain(|g| g.user != to.id);
            access.invited.push(Grant { user: to.id.clone(), by: me.clone(), at: now, expires_at });
            answer_request(&mut s.next, &to.id);
            if !to.is_channel_member {
                s.effects.push(Effect::AddChannelMember { channel: s.next.channel.clone(), user: to.id.clone() });
            }
            s.record(EventKind::AccessGranted, Some(to.id.clone()), String::new());
            s.post(Message::AccessGranted { by: me, user: to.id, until: expires_at });
            s.publish(Change::Access);
        }
        Action::RevokeAccess { user, channel_members } => revoke(&mut s, me, user, channel_members)?,
        Action::AnswerLeftChannel { user, remove } => {
            s.require_private()?;
            let access = &s.next.access;
            let open = !user.is_channel_member
                && !access.is_revoked(&user.id)
                && access.invited.iter().any(|g| g.user == user.id && g.by == user.id);
            if !open {
                return Err(DomainError::LeftChannelAnswered(user.username));
            }
            if remove {
                revoke(&mut s, me, user, 0)?;
            } else {
                if let Some(grant) = s.next.access.invited.iter_mut().find(|g| g.user == user.id) {
                    grant.by = me;
                }
                s.record(EventKind::AccessKept, Some(user.id), String::new());
                s.publish(Change::Access);
            }
        }
        Action::DenyAccess { requester } => {
            if !answer_request(&mut s.next, &requester.id) {
                return Err(DomainError::NoPendingRequest(requester.username));
            }
            s.record(EventKind::AccessDenied, Some(requester.id), String::new());
            s.publish(Change::Access);
        }
        Action::RequestAccess => {
            if let Some(last) = s.next.access.request(&me) {
                let waited = now.since(last.at);
                if waited < ACCESS_REQUEST_INTERVAL_MS {
                    let left = ACCESS_REQUEST_INTERVAL_MS - waited;
                    return Err(DomainError::RequestTooSoon(HumanDuration(left)));
                }
            }
            let requests = &mut s.next.access.requests;
            requests.retain(|r| r.user != me);
            requests.push(AccessRequest { user: me.clone(), at: now, pending: true });
            s.record(EventKind::AccessRequested, None, String::new());
            s.post(Message::AccessRequested { requester: me });
            s.publish(Change::Access);
        }
        Action::SetVisibility { to, confirmed } => {
            if s.next.visibility == to {
                return Err(DomainError::VisibilityUnchanged(match to {
                    Visibility::Public => "public",
                    Visibility::Private => "private",
                }));
            }
            if to == Visibility::Public && !confirmed {
                return Err(DomainError::ConfirmPublic);
            }
            s.next.visibility = to;
            s.effects.push(Effect::SetChannelPrivacy {
                channel: s.next.channel.clone(),
                private: to == Visibility::Private,
            });
            let summary = match to {
                Visibility::Public => "public",
                Visibility::Private => "private",
            };
            s.record(EventKind::VisibilityChanged, None, summary.into());
            s.post(Message::VisibilityChanged { by: me, to });
            // Those who could see it before learn that it changed (and their views drop it if now private).
            s.publish_to(Audience::Team(s.next.team.clone()), Change::Visibility);
        }
        Action::AddPostToTimeline { author, message } => {
            let text = message.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                return Err(DomainError::EmptyPost);
            }
            let mut excerpt: String = text.chars().take(POST_EXCERPT_CHARS).collect();
            if text.chars().count() > POST_EXCERPT_CHARS {
                excerpt.push('…');
            }
            s.record(EventKind::PostAdded, author, excerpt);
            s.publish(Change::Timeline);
        }
        Action::MemberJoined => {
            s.record(EventKind::MemberJoined, None, String::new());
            if !s.next.automation.welcome_message.trim().is_empty() {
                s.reply(Message::Welcome);
            }
            s.publish(Change::Timeline);
        }
        Action::MemberLeft => {
            s.record(EventKind::MemberLeft, None, String::new());
            if s.next.is_private() && !s.next.access.is_revoked(&me) {
                // Leaving keeps access (they may rejoin from the incident page) until a member removes it. The
                // grant becomes their own (keeping any end date): that marks the channel's question as open.
                let access = &mut s.next.access;
                let expires_at = access.invited.iter().find(|g| g.user == me).and_then(|g| g.expires_at);
                access.invited.retain(|g| g.user != me);
                access.invited.push(Grant { user: me.clone(), by: me.clone(), at: now, expires_at });
                s.post(Message::AskRemoveAccess { user: me });
            }
            s.publish(Change::Timeline);
        }
        Action::RecordWebhook { event, delivered, detail } => {
            let kind = if delivered { EventKind::WebhookDelivered } else { EventKind::WebhookFailed };
            s.record(kind, None, format!("{}: {detail}", event.name()));
            s.publish(Change::Timeline);
        }
    }
    Ok(s.finish(incident))
}

/// Takes `user`'s access away: off the invited list, onto the revoked one, out of the channel.
fn revoke(s: &mut Step, me: UserId, user: Member, channel_members: usize) -> Result<(), DomainError> {
    s.require_private()?;
    let access = &s.next.access;
    // Revoked but still in the channel (removing them failed): revoking again retries the removal.
    let revoked = access.is_revoked(&user.id) && !user.is_channel_member;
    if revoked || !(user.is_channel_member || access.is_invited(&user.id)) {
        return Err(DomainError::NothingToRevoke(user.username));
    }
    if user.id == s.next.commander {
        return Err(DomainError::RevokeCommander(user.username));
    }
    if user.is_channel_member && channel_members <= 1 {
        return Err(DomainError::LastMember(user.username));
    }
    s.next.access.invited.retain(|g| g.user != user.id);
    if !s.next.access.is_revoked(&user.id) {
        s.next.access.revoked.push(user.id.clone());
    }
    if user.is_channel_member {
        s.effects.push(Effect::RemoveChannelMember { channel: s.next.channel.clone(), user: user.id.clone() });
    }
    s.record(EventKind::AccessRevoked, Some(user.id.clone()), String::new());
    s.post(Message::AccessRevoked { by: me, user: user.id });
    s.publish(Change::Access);
    Ok(())
}

/// Marks `user`'s pending request answered; false if there was none.
fn answer_request(incident: &mut Incident, user: &UserId) -> bool {
    match incident.access.requests.iter_mut().find(|r| &r.user == user && r.pending) {
        Some(r) => {
            r.pending = false;
            true
        }
        None => false,
    }
}

fn task_title(raw: &str) -> Result<String, DomainError> {
    let title = raw.trim();
    let len = title.chars().count();
    if len == 0 {
        return Err(DomainError::EmptyTaskTitle);
    }
    if len > MAX_TASK_CHARS {
        return Err(DomainError::TaskTitleTooLong(len));
    }
    Ok(title.to_owned())
}

#[cfg(test)]
mod tests;
