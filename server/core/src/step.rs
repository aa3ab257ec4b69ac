//! A decision in progress: the next state plus the effects, with the helpers every transition shares.

use crate::action::Member;
use crate::decide::Decision;
use crate::effect::{Audience, Author, Change, Delta, Effect, Message};
use crate::error::DomainError;
use crate::ids::UserId;
use crate::incident::{EventKind, Incident, Task, TaskAt, TaskState, TimelineEvent, Visibility};
use crate::time::Timestamp;

/// A decision in progress: the next state and the effects gathered so far.
pub(crate) struct Step {
    pub(crate) next: Incident,
    pub(crate) effects: Vec<Effect>,
    actor: Option<UserId>,
    now: Timestamp,
}

impl Step {
    pub(crate) fn new(incident: &Incident, actor: Option<UserId>, now: Timestamp) -> Self {
        let mut next = incident.clone();
        next.version = incident.version + 1;
        Step { next, effects: Vec::new(), actor, now }
    }

    pub(crate) fn record(&mut self, kind: EventKind, subject: Option<UserId>, summary: String) {
        self.next.timeline.push(TimelineEvent { at: self.now, actor: self.actor.clone(), kind, subject, summary });
    }

    /// A bot post in the incident channel.
    pub(crate) fn post(&mut self, message: Message) {
        self.effects.push(Effect::Post { channel: self.next.channel.clone(), author: Author::Bot, message });
    }

    /// An ephemeral reply to the actor in the incident channel.
    pub(crate) fn reply(&mut self, message: Message) {
        if let Some(user) = self.actor.clone() {
            self.effects.push(Effect::Ephemeral { user, channel: self.next.channel.clone(), message });
        }
    }

    /// A websocket delta to everyone who may read the incident.
    pub(crate) fn publish(&mut self, change: Change) {
        let audience = match self.next.visibility {
            Visibility::Public => Audience::Team(self.next.team.clone()),
            Visibility::Private => Audience::Channel(self.next.channel.clone()),
        };
        self.publish_to(audience, change);
    }

    pub(crate) fn publish_to(&mut self, audience: Audience, change: Change) {
        self.effects.push(Effect::Publish {
            audience,
            delta: Delta { incident: self.next.id.clone(), version: self.next.version, change },
        });
    }

    pub(crate) fn task(&self, at: TaskAt) -> Result<&Task, DomainError> {
        let count = self.next.checklists.len();
        let list = self
            .next
            .checklists
            .get(at.checklist)
            .ok_or(DomainError::NoSuchChecklist { checklist: at.checklist, count })?;
        list.items.get(at.item).ok_or(DomainError::NoSuchTask { at, count: list.items.len() })
    }

    /// Only after `task(at)` succeeded.
    pub(crate) fn task_mut(&mut self, at: TaskAt) -> &mut Task {
        &mut self.next.checklists[at.checklist].items[at.item]
    }

    pub(crate) fn set_task(&mut self, at: TaskAt, done: bool) {
        let (actor, now) = (self.actor.clone(), self.now);
        let task = self.task_mut(at);
        task.state = if done { TaskState::Done } else { TaskState::Open };
        task.done_by = if done { actor.clone() } else { None };
        task.done_at = done.then_some(now);
        let title = task.title.clone();
        let kind = if done { EventKind::TaskChecked } else { EventKind::TaskUnchecked };
        self.record(kind, None, title.clone());
        if let Some(by) = actor {
            self.post(Message::TaskChecked { by, title, done });
        }
        self.publish(Change::Task(at));
    }

    pub(crate) fn require_participant(&self, who: &Member) -> Result<(), DomainError> {
        if !who.is_channel_member {
            return Err(DomainError::NotAMember(who.username.clone()));
        }
        if self.next.is_private() && self.next.access.is_revoked(&who.id) {
            return Err(DomainError::NoAccess(who.username.clone()));
        }
        Ok(())
    }

    pub(crate) fn require_private(&self) -> Result<(), DomainError> {
        if self.next.is_private() { Ok(()) } else { Err(DomainError::NotPrivate) }
    }

    /// Adds the deadline effect if the next deadline moved, and returns the decision.
    pub(crate) fn finish(mut self, before: &Incident) -> Decision {
        let (old, new) = (before.next_deadline(), self.next.next_deadline());
        if old != new {
            let incident = self.next.id.clone();
            self.effects.push(match new {
                Some(at) => Effect::ScheduleDeadline { incident, at },
                None => Effect::CancelDeadline { incident },
            });
        }
        Decision { incident: self.next, effects: self.effects }
    }
}
