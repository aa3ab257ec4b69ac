//! Test fixtures shared by the unit tests: readable ids and a small incident.

use crate::ids::{ChannelId, IncidentId, TeamId, UserId};
use crate::incident::{AccessList, Checklist, Incident, Reminder, SCHEMA, Status, Task, Visibility};
use crate::time::Timestamp;

/// Pads a readable name to a valid 26-character id: `id("alice")` → `alice000000000000000000000`.
pub fn id<T: TryFrom<String>>(name: &str) -> T
where
    T::Error: std::fmt::Debug,
{
    let mut s = name.to_owned();
    while s.len() < crate::ids::ID_LEN {
        s.push('0');
    }
    T::try_from(s).expect("fixture id")
}

/// A user id from a readable name.
pub fn user(name: &str) -> UserId {
    id(name)
}

/// An active public incident at t=1000 with commander `alice`, two checklists and three tasks.
pub fn incident() -> Incident {
    Incident {
        schema: SCHEMA,
        id: id::<IncidentId>("inc1"),
        number: 42,
        team: id::<TeamId>("team1"),
        channel: id::<ChannelId>("chan1"),
        name: "Database down".into(),
        description: "Primary is unreachable".into(),
        commander: user("alice"),
        reporter: user("alice"),
        status: Status::Active,
        visibility: Visibility::Public,
        playbook: None,
        checklists: vec![
            Checklist { title: "Triage".into(), items: vec![Task::new("Page the DBA"), Task::new("Open a bridge")] },
            Checklist { title: "Resolve".into(), items: vec![Task::new("Fail over")] },
        ],
        status_updates: vec![],
        reminder: Reminder::default(),
        timeline: vec![],
        access: AccessList::default(),
        automation: Default::default(),
        created_at: Timestamp(1_000),
        ended_at: None,
        version: 1,
    }
}
