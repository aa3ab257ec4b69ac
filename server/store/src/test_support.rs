//! Fixtures for the store's unit tests: readable ids and small incidents.

use incident_core::incident::{AccessList, Checklist, Reminder, SCHEMA, Task};
use incident_core::{Incident, Status, Timestamp, Visibility};

/// Pads a readable name to a valid 26-character id.
pub fn pad<T: TryFrom<String>>(name: &str) -> T
where
    T::Error: std::fmt::Debug,
{
    let mut s: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    while s.len() < 26 {
        s.push('0');
    }
    T::try_from(s).expect("fixture id")
}

/// An active public incident numbered `number`, with one checklist of one task.
pub fn incident(id: &str, team: &str, channel: &str, number: u64) -> Incident {
    Incident {
        schema: SCHEMA,
        id: pad(id),
        number,
        team: pad(team),
        channel: pad(channel),
        name: format!("Incident {number}"),
        description: String::new(),
        commander: pad("alice"),
        reporter: pad("alice"),
        status: Status::Active,
        visibility: Visibility::Public,
        playbook: None,
        checklists: vec![Checklist { title: "Tasks".into(), items: vec![Task::new("First")] }],
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
