//! decide() driven by a manual clock: each test is a short scenario of actions and the state/effects it yields.

mod access;
mod lifecycle;

use super::*;
use crate::effect::{Audience, Change, Delta};
use crate::fixtures::{self, user};
use crate::ids::ChannelId;
use crate::incident::{TaskAt, TaskState};

/// A manual clock: time only moves when the test says so.
pub(super) struct Clock(i64);

impl Clock {
    pub(super) fn now(&self) -> Timestamp {
        Timestamp(self.0)
    }
    pub(super) fn advance_ms(&mut self, ms: i64) -> Timestamp {
        self.0 += ms;
        self.now()
    }
}

pub(super) fn member(name: &str) -> Actor {
    Actor { id: user(name), is_system_admin: false, is_team_member: true, is_channel_member: true }
}

pub(super) fn outsider(name: &str) -> Actor {
    Actor { is_channel_member: false, ..member(name) }
}

pub(super) fn who(name: &str, in_channel: bool) -> Member {
    Member { id: user(name), username: name.into(), is_channel_member: in_channel }
}

pub(super) fn at(c: usize, i: usize) -> TaskAt {
    TaskAt::from_ordinals(c, i).unwrap()
}

pub(super) fn private() -> Incident {
    let mut i = fixtures::incident();
    i.visibility = Visibility::Private;
    i
}

pub(super) fn posts(d: &Decision) -> Vec<&Message> {
    d.effects
        .iter()
        .filter_map(|e| match e {
            Effect::Post { message, .. } => Some(message),
            _ => None,
        })
        .collect()
}

pub(super) fn err(incident: &Incident, actor: &Actor, action: Action) -> String {
    decide(incident, actor, action, Timestamp(0)).unwrap_err().to_string()
}
