//! Lifecycle, tasks, commander, updates and announcements through decide().

use super::*;
use crate::fixtures::{self, id, user};

#[test]
fn end_needs_confirmation_with_open_tasks_then_restart() {
    let mut clock = Clock(10_000);
    let alice = member("alice");
    let mut incident = fixtures::incident();
    incident.reminder.next_due = Some(Timestamp(50_000));

    let e = decide(&incident, &alice, Action::End { confirmed: false }, clock.now());
    assert_eq!(e.unwrap_err(), DomainError::OpenTasks { open: 3 });

    let now = clock.advance_ms(5_000);
    let d = decide(&incident, &alice, Action::End { confirmed: true }, now).unwrap();
    let ended = d.incident.clone();
    assert_eq!(ended.status, Status::Ended);
    assert_eq!(ended.ended_at, Some(Timestamp(15_000)));
    assert_eq!(ended.version, incident.version + 1);
    assert_eq!(ended.timeline.last().unwrap().kind, EventKind::IncidentEnded);
    assert_eq!(posts(&d), [&Message::Ended { by: user("alice") }]);
    assert!(d.effects.contains(&Effect::CancelDeadline { incident: incident.id.clone() }));
    assert!(d.effects.contains(&Effect::Publish {
        audience: Audience::Team(incident.team.clone()),
        delta: Delta { incident: incident.id.clone(), version: ended.version, change: Change::Status },
    }));

    assert_eq!(
        err(&ended, &alice, Action::End { confirmed: true }),
        "This incident has already ended. Use `/incident restart` to reopen it."
    );
    let d = decide(&ended, &alice, Action::Restart, clock.advance_ms(1)).unwrap();
    assert!(d.incident.is_active());
    assert_eq!(d.incident.ended_at, None);
    assert_eq!(
        err(&d.incident, &alice, Action::Restart),
        "This incident is still active, so there is nothing to restart."
    );
}

#[test]
fn end_without_open_tasks_needs_no_confirmation() {
    let mut incident = fixtures::incident();
    incident.checklists.clear();
    assert!(decide(&incident, &member("bob"), Action::End { confirmed: false }, Timestamp(1)).is_ok());
}

#[test]
fn toggling_a_task_records_who_and_when() {
    let mut clock = Clock(0);
    let bob = member("bob");
    let incident = fixtures::incident();
    let d = decide(&incident, &bob, Action::ToggleTask { at: at(1, 2) }, clock.advance_ms(7)).unwrap();
    let task = d.incident.task(at(1, 2)).unwrap();
    assert_eq!(task.state, TaskState::Done);
    assert_eq!(task.done_by, Some(user("bob")));
    assert_eq!(task.done_at, Some(Timestamp(7)));
    assert_eq!(d.incident.progress(), (1, 3));
    assert_eq!(posts(&d), [&Message::TaskChecked { by: user("bob"), title: "Open a bridge".into(), done: true }]);

    let d = decide(&d.incident, &bob, Action::ToggleTask { at: at(1, 2) }, clock.advance_ms(1)).unwrap();
    let task = d.incident.task(at(1, 2)).unwrap();
    assert_eq!((task.state, task.done_by.clone(), task.done_at), (TaskState::Open, None, None));
    let kinds: Vec<_> = d.incident.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::TaskChecked, EventKind::TaskUnchecked]);
}

#[test]
fn explicit_set_is_refused_when_already_in_state() {
    let incident = fixtures::incident();
    let bob = member("bob");
    assert_eq!(err(&incident, &bob, Action::SetTask { at: at(2, 1), done: false }), "Task 2.1 is already unchecked.");
    let d = decide(&incident, &bob, Action::SetTask { at: at(2, 1), done: true }, Timestamp(1)).unwrap();
    assert_eq!(err(&d.incident, &bob, Action::SetTask { at: at(2, 1), done: true }), "Task 2.1 is already checked.");
}

#[test]
fn task_positions_out_of_range_say_what_exists() {
    let incident = fixtures::incident();
    let bob = member("bob");
    assert_eq!(
        err(&incident, &bob, Action::ToggleTask { at: at(3, 1) }),
        "There is no checklist 3; this incident has 2."
    );
    assert_eq!(
        err(&incident, &bob, Action::RemoveTask { at: at(2, 4) }),
        "There is no task 2.4; checklist 2 has 1 task."
    );
    assert_eq!(
        err(&incident, &bob, Action::AddTask { checklist: 5, title: "x".into() }),
        "There is no checklist 6; this incident has 2."
    );
}

#[test]
fn add_and_remove_tasks() {
    let bob = member("bob");
    let incident = fixtures::incident();
    let d = decide(&incident, &bob, Action::AddTask { checklist: 1, title: "  Verify replicas ".into() }, Timestamp(1))
        .unwrap();
    assert_eq!(d.incident.checklists[1].items[1].title, "Verify replicas");
    assert!(matches!(&d.effects[0], Effect::Ephemeral { user, .. } if *user == bob.id));
    let d = decide(&d.incident, &bob, Action::RemoveTask { at: at(1, 1) }, Timestamp(2)).unwrap();
    assert_eq!(d.incident.checklists[0].items.len(), 1);
    assert_eq!(d.incident.timeline.last().unwrap().summary, "Page the DBA");
    assert_eq!(
        err(&incident, &bob, Action::AddTask { checklist: 0, title: " ".into() }),
        "A task needs some text, like `/incident checkadd 1 Restore the backup`."
    );
}

#[test]
fn assign_needs_a_channel_member() {
    let alice = member("alice");
    let incident = fixtures::incident();
    assert_eq!(
        err(&incident, &alice, Action::Assign { at: at(1, 1), to: who("eve", false) }),
        "@eve is not a member of the incident channel. Add them to the channel first."
    );
    let d = decide(&incident, &alice, Action::Assign { at: at(1, 1), to: who("bob", true) }, Timestamp(1)).unwrap();
    assert_eq!(d.incident.task(at(1, 1)).unwrap().assignee, Some(user("bob")));
    assert_eq!(d.incident.timeline.last().unwrap().subject, Some(user("bob")));
    let d = decide(&d.incident, &alice, Action::Unassign { at: at(1, 1) }, Timestamp(2)).unwrap();
    assert_eq!(d.incident.task(at(1, 1)).unwrap().assignee, None);
    assert_eq!(err(&d.incident, &alice, Action::Unassign { at: at(1, 1) }), "Task 1.1 has no assignee.");
}

#[test]
fn run_task_command_records_and_runs() {
    let alice = member("alice");
    let mut incident = fixtures::incident();
    assert_eq!(
        err(&incident, &alice, Action::RunTaskCommand { at: at(1, 1) }),
        "Task 1.1 has no slash command to run."
    );
    incident.checklists[0].items[0].command = Some("/zoom start".into());
    let d = decide(&incident, &alice, Action::RunTaskCommand { at: at(1, 1) }, Timestamp(1)).unwrap();
    assert!(d.effects.contains(&Effect::RunSlashCommand {
        channel: incident.channel.clone(),
        user: user("alice"),
        command: "/zoom start".into(),
    }));
    assert_eq!(d.incident.timeline.last().unwrap().kind, EventKind::TaskCommandRun);
}

#[test]
fn commander_changes_only_to_another_member() {
    let bob = member("bob");
    let incident = fixtures::incident();
    assert_eq!(
        err(&incident, &bob, Action::ChangeCommander { to: who("alice", true) }),
        "@alice is already the commander."
    );
    assert_eq!(
        err(&incident, &bob, Action::ChangeCommander { to: who("zed", false) }),
        "@zed is not a member of the incident channel. Add them to the channel first."
    );
    let d = decide(&incident, &bob, Action::ChangeCommander { to: who("bob", true) }, Timestamp(3)).unwrap();
    assert_eq!(d.incident.commander, user("bob"));
    assert_eq!(posts(&d), [&Message::CommanderChanged { by: user("bob"), from: user("alice"), to: user("bob") }]);
}

#[test]
fn status_updates_set_and_clear_the_reminder() {
    let mut clock = Clock(1_000);
    let alice = member("alice");
    let incident = fixtures::incident();
    let update = |message: &str, reminder_ms| Action::PostStatusUpdate { message: message.into(), reminder_ms };
    let d = decide(&incident, &alice, update(" All hands ", Some(30 * MINUTE_MS)), clock.advance_ms(1_000)).unwrap();
    assert_eq!(d.incident.last_update().unwrap().message, "All hands");
    assert_eq!(d.incident.reminder.next_due, Some(Timestamp(2_000 + 1_800_000)));
    assert_eq!(d.incident.reminder.interval_ms, 1_800_000);
    assert!(d.effects.contains(&Effect::Post {
        channel: incident.channel.clone(),
        author: Author::User(user("alice")),
        message: Message::StatusUpdate,
    }));
    assert!(d.effects.contains(&Effect::ScheduleDeadline { incident: incident.id.clone(), at: Timestamp(1_802_000) }));
    assert!(!d.incident.update_overdue(clock.advance_ms(1_799_999)));
    assert!(d.incident.update_overdue(clock.advance_ms(1)));

    let d = decide(&d.incident, &alice, update("Fixed", None), clock.advance_ms(1)).unwrap();
    assert_eq!(d.incident.reminder.next_due, None);
    assert!(d.effects.contains(&Effect::CancelDeadline { incident: incident.id.clone() }));
    assert_eq!(err(&incident, &alice, update("  ", None)), "A status update needs a message.");
    assert_eq!(err(&incident, &alice, update("x", Some(0))), "A reminder needs an interval of at least one minute.");
}

#[test]
fn announce_posts_once_per_other_channel_and_never_for_private() {
    let alice = member("alice");
    let incident = fixtures::incident();
    let channels = vec![id("town"), id("ops"), id("town"), incident.channel.clone()];
    let d = decide(&incident, &alice, Action::Announce { channels: channels.clone() }, Timestamp(1)).unwrap();
    let targets: Vec<_> = d
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Post { channel, .. } => Some(channel.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(targets, [id::<ChannelId>("ops"), id("town")]);
    assert_eq!(
        err(&private(), &alice, Action::Announce { channels }),
        "Private incidents are never announced in other channels."
    );
    assert_eq!(
        err(&incident, &alice, Action::Announce { channels: vec![incident.channel.clone()] }),
        "Name at least one channel to announce in, like `/incident announce ~town-square`."
    );
}

#[test]
fn every_decision_bumps_the_version_once() {
    let alice = member("alice");
    let mut incident = fixtures::incident();
    for (n, action) in
        [Action::ToggleTask { at: at(1, 1) }, Action::ToggleTask { at: at(1, 2) }, Action::End { confirmed: true }]
            .into_iter()
            .enumerate()
    {
        incident = decide(&incident, &alice, action, Timestamp(n as i64)).unwrap().incident;
    }
    assert_eq!(incident.version, 4);
}

#[test]
fn incidents_and_decisions_round_trip_through_json() {
    let alice = member("alice");
    let mut incident = private();
    for action in [
        Action::PostStatusUpdate { message: "Investigating".into(), reminder_ms: Some(15 * MINUTE_MS) },
        Action::ToggleTask { at: at(1, 1) },
        Action::GrantAccess { to: who("dave", false), expires_at: Some(Timestamp(999_999)) },
        Action::Assign { at: at(2, 1), to: who("bob", true) },
    ] {
        let d = decide(&incident, &alice, action, Timestamp(100)).unwrap();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), d);
        incident = d.incident;
    }
    let json = serde_json::to_value(&incident).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["visibility"], "private");
    assert_eq!(json["checklists"][0]["items"][0]["state"], "done");
    assert_eq!(serde_json::from_value::<Incident>(json).unwrap(), incident);
}

#[test]
fn old_records_without_optional_fields_still_load() {
    let full = serde_json::to_value(fixtures::incident()).unwrap();
    let mut minimal = full.as_object().unwrap().clone();
    for key in ["description", "playbook", "checklists", "status_updates", "reminder", "timeline", "access", "ended_at"]
    {
        minimal.remove(key);
    }
    let loaded: Incident = serde_json::from_value(minimal.into()).unwrap();
    assert!(loaded.checklists.is_empty());
    assert_eq!(loaded.name, "Database down");
}

#[test]
fn snooze_sets_the_next_reminder_without_an_update() {
    let alice = member("alice");
    let incident = fixtures::incident();
    let d = decide(&incident, &alice, Action::SnoozeReminder { ms: 30 * 60_000 }, Timestamp(1_000)).unwrap();
    assert_eq!(d.incident.reminder.next_due, Some(Timestamp(1_000 + 30 * 60_000)));
    assert_eq!(d.incident.status_updates, incident.status_updates, "no status update");
    assert!(posts(&d).is_empty());
    assert!(d.effects.contains(&Effect::ScheduleDeadline { incident: incident.id.clone(), at: Timestamp(1_801_000) }));
    let last = d.incident.timeline.last().unwrap();
    assert_eq!((last.kind, last.summary.as_str()), (EventKind::ReminderSnoozed, "30m"));
    let short = Action::SnoozeReminder { ms: 59_999 };
    assert_eq!(err(&incident, &alice, short), "A reminder needs an interval of at least one minute.");
    let mut ended = incident.clone();
    ended.status = Status::Ended;
    assert_eq!(
        decide(&ended, &alice, Action::SnoozeReminder { ms: 60_000 }, Timestamp(0)).unwrap_err(),
        DomainError::AlreadyEnded
    );
}

#[test]
fn dismiss_records_the_acknowledgement_and_sets_no_reminder() {
    let alice = member("alice");
    let incident = fixtures::incident();
    let d = decide(&incident, &alice, Action::DismissReminder, Timestamp(5_000)).unwrap();
    assert_eq!(d.incident.reminder, incident.reminder, "the reminder settings are untouched");
    assert!(posts(&d).is_empty());
    let last = d.incident.timeline.last().unwrap();
    assert_eq!(
        (last.kind, last.at, last.actor.as_ref()),
        (EventKind::ReminderDismissed, Timestamp(5_000), Some(&alice.id))
    );
    let mut ended = incident.clone();
    ended.status = Status::Ended;
    assert_eq!(decide(&ended, &alice, Action::DismissReminder, Timestamp(0)).unwrap_err(), DomainError::AlreadyEnded);
}

#[test]
fn a_message_added_to_the_timeline_keeps_an_excerpt_and_its_author() {
    let alice = member("alice");
    let add = |message: &str| Action::AddPostToTimeline { author: Some(user("bob")), message: message.into() };
    let d = decide(&fixtures::incident(), &alice, add("  Replica lag\n is 40 s  "), Timestamp(7)).unwrap();
    let e = d.incident.timeline.last().unwrap();
    assert_eq!(
        (e.kind, e.actor.clone(), e.subject.clone()),
        (EventKind::PostAdded, Some(user("alice")), Some(user("bob")))
    );
    assert_eq!(e.summary, "Replica lag is 40 s");
    assert!(posts(&d).is_empty(), "nothing is posted");
    let long = "x".repeat(POST_EXCERPT_CHARS + 50);
    let d = decide(&fixtures::incident(), &alice, add(&long), Timestamp(7)).unwrap();
    assert_eq!(d.incident.timeline.last().unwrap().summary.chars().count(), POST_EXCERPT_CHARS + 1);
    assert_eq!(err(&fixtures::incident(), &alice, add(" \n ")), "That message has no text to add to the timeline.");
    assert_eq!(decide(&private(), &outsider("eve"), add("hi"), Timestamp(7)).unwrap_err(), DomainError::NotFound);
}

#[test]
fn an_update_snooze_dismiss_or_end_settles_a_pending_reminder() {
    let alice = member("alice");
    let mut incident = fixtures::incident();
    let claim = crate::incident::ReminderClaim { due: Timestamp(1_000), claimed_at: Timestamp(1_000) };
    incident.reminder.posting = Some(claim);
    let update = Action::PostStatusUpdate { message: "Mitigated".into(), reminder_ms: None };
    let snooze = Action::SnoozeReminder { ms: 60_000 };
    let end = Action::End { confirmed: true };
    for action in [update, snooze, Action::DismissReminder, end] {
        let d = decide(&incident, &alice, action.clone(), Timestamp(2_000)).unwrap();
        assert_eq!(d.incident.reminder.posting, None, "{action:?} leaves no reminder owed");
    }
    // Anything else leaves the claim to its node.
    let d = decide(&incident, &alice, Action::AddTask { checklist: 0, title: "x".into() }, Timestamp(2_000)).unwrap();
    assert_eq!(d.incident.reminder.posting, Some(claim));
}
