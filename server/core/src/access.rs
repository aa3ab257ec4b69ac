//! The single access rule: every read and write of an incident asks `check` first.
//!
//! A private incident is *not visible* (not merely denied) to people without access, so the edge can answer exactly
//! as for a missing id and existence does not leak. System admins are never restricted.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, TeamId, UserId};
use crate::incident::{Incident, Visibility};

/// The person acting, with the facts about them the shell looked up (membership is data, never a call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user.
    pub id: UserId,
    /// System admins are never restricted.
    pub is_system_admin: bool,
    /// Member of the incident's team.
    pub is_team_member: bool,
    /// Member of the incident's channel.
    pub is_channel_member: bool,
}

/// What the actor wants to do, as far as access is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    /// See anything about the incident (info, timeline, list row, websocket event, export, autocomplete).
    Read,
    /// Change its state (end, restart, tasks, commander, updates, announce).
    Write,
    /// Grant or revoke access, answer access requests, change visibility.
    ManageAccess,
    /// Ask to be let into a private incident.
    RequestAccess,
}

/// The answer of [`check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Go ahead.
    Allowed,
    /// The actor may see the incident but not do this; the reason is safe to show them.
    Denied(DenyReason),
    /// Behave exactly as if the incident did not exist.
    NotVisible,
}

/// Why a visible incident refuses an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DenyReason {
    /// Writes need channel membership.
    #[error("only members of the incident channel can change this incident; join the channel first")]
    NotChannelMember,
    /// Access requests are for people without access.
    #[error("you already have access to this incident")]
    AlreadyHasAccess,
    /// Public incidents need no access request.
    #[error("this incident is public: join its channel to take part")]
    NotPrivate,
}

/// Whether `actor` may perform `op` on `incident`.
pub fn check(actor: &Actor, op: Operation, incident: &Incident) -> Access {
    if actor.is_system_admin {
        return match op {
            Operation::RequestAccess => Access::Denied(DenyReason::AlreadyHasAccess),
            _ => Access::Allowed,
        };
    }
    if !actor.is_team_member {
        return Access::NotVisible;
    }
    let can_read = match incident.visibility {
        Visibility::Public => true,
        Visibility::Private => {
            !incident.access.is_revoked(&actor.id) && (actor.is_channel_member || incident.access.is_invited(&actor.id))
        }
    };
    match op {
        Operation::Read if can_read => Access::Allowed,
        Operation::Read => Access::NotVisible,
        Operation::Write | Operation::ManageAccess if !can_read => Access::NotVisible,
        Operation::Write | Operation::ManageAccess if actor.is_channel_member => Access::Allowed,
        Operation::Write | Operation::ManageAccess => Access::Denied(DenyReason::NotChannelMember),
        Operation::RequestAccess => match incident.visibility {
            Visibility::Public => Access::Denied(DenyReason::NotPrivate),
            Visibility::Private if can_read => Access::Denied(DenyReason::AlreadyHasAccess),
            Visibility::Private => Access::Allowed,
        },
    }
}

/// A user looking at many incidents at once (lists, search, stats): their memberships as data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Viewer {
    /// The user.
    pub id: Option<UserId>,
    /// System admins see everything.
    pub is_system_admin: bool,
    /// Teams the user belongs to.
    pub teams: BTreeSet<TeamId>,
    /// Channels the user belongs to.
    pub channels: BTreeSet<ChannelId>,
}

impl Viewer {
    /// The [`Actor`] this viewer is for one incident (None for an anonymous viewer).
    pub fn actor_for(&self, incident: &Incident) -> Option<Actor> {
        Some(Actor {
            id: self.id.clone()?,
            is_system_admin: self.is_system_admin,
            is_team_member: self.teams.contains(&incident.team),
            is_channel_member: self.channels.contains(&incident.channel),
        })
    }

    /// Whether the viewer may read `incident`.
    pub fn can_read(&self, incident: &Incident) -> bool {
        self.actor_for(incident).is_some_and(|a| check(&a, Operation::Read, incident) == Access::Allowed)
    }

    /// The incidents the viewer may read, in the given order.
    pub fn filter<'a>(&self, incidents: impl IntoIterator<Item = &'a Incident>) -> Vec<&'a Incident> {
        incidents.into_iter().filter(|i| self.can_read(i)).collect()
    }
}

#[cfg(test)]
mod tests;
