//! Read-model behaviour: rows, filters, sort, paging, access-before-paging and version ordering.

use incident_core::incident::{EventKind, Task, TaskState, TimelineEvent};
use incident_core::{IncidentRef, Status, Timestamp, UserId, Visibility};

use super::*;
use crate::test_support::{incident, pad};

fn many() -> Vec<Incident> {
    (1..=30)
        .map(|n| {
            let mut i = incident(&format!("i{n:04}x"), if n % 3 == 0 { "team2" } else { "team1" }, "chan1", n);
            i.created_at = Timestamp(n as i64 * 1000);
            i.channel = pad(&format!("c{n:04}x"));
            i.status = if n % 2 == 0 { Status::Ended } else { Status::Active };
            i.commander = pad(if n % 5 == 0 { "bob" } else { "alice" });
            if n == 7 {
                i.name = "Database down".into();
            }
            i
        })
        .collect()
}

#[test]
fn rows_summarise_records() {
    let mut i = incident("inc1", "team1", "chan1", 3);
    i.checklists[0].items.push(Task::new("x"));
    i.checklists[0].items[0].state = TaskState::Done;
    let carol: UserId = pad("carol");
    let dave: UserId = pad("dave");
    for (kind, who) in
        [(EventKind::MemberJoined, &carol), (EventKind::MemberJoined, &dave), (EventKind::MemberLeft, &dave)]
    {
        i.timeline.push(TimelineEvent {
            at: Timestamp(5),
            actor: Some(who.clone()),
            kind,
            subject: None,
            summary: String::new(),
        });
    }
    let row = Row::of(&i);
    assert_eq!((row.tasks_done, row.tasks_total), (1, 2));
    assert_eq!(row.reference(), "INC-00003");
    assert!(row.participants.contains(&carol) && !row.participants.contains(&dave));
    assert!(row.participants.contains(&i.reporter));
    assert!(row.matches(&IncidentRef::Number(3)) && row.matches(&IncidentRef::Text("incident 3".into())));
}

#[test]
fn query_filters_sorts_and_pages() {
    let all = many();
    let c = Catalog::of(&all);
    assert_eq!(c.len(), 30);
    let q = Query { team: Some(pad("team1")), status: Some(Status::Active), per_page: 4, ..Query::default() };
    let page = c.query(&q, |_| true);
    // team1 = n not divisible by 3; active = odd: 1,5,7,11,13,17,19,23,25,29 → 10
    assert_eq!(page.total, 10);
    let numbers: Vec<u64> = page.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [29, 25, 23, 19], "newest first");
    let last = c.query(&Query { page: 2, ..q.clone() }, |_| true);
    assert_eq!(last.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [5, 1]);
    let oldest = c.query(&Query { sort: Sort::Oldest, ..q.clone() }, |_| true);
    assert_eq!(oldest.rows[0].number, 1);

    let bob = c.query(&Query { commander: Some(pad("bob")), per_page: 50, ..Query::default() }, |_| true);
    assert_eq!(bob.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [30, 25, 20, 15, 10, 5]);
    let text = c.query(&Query { text: Some("DATABASE".into()), per_page: 5, ..Query::default() }, |_| true);
    assert_eq!(text.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [7]);
    let by_ref = c.query(&Query { text: Some("inc-00012".into()), per_page: 5, ..Query::default() }, |_| true);
    assert_eq!(by_ref.total, 1);
    let named = c.query(&Query { sort: Sort::Name, per_page: 1, ..Query::default() }, |_| true);
    assert_eq!(named.rows[0].name, "Database down");
    let in_channel = c.query(&Query { channel: Some(pad("c0009x")), per_page: 5, ..Query::default() }, |_| true);
    assert_eq!(in_channel.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [9]);
}

#[test]
fn access_is_applied_before_paging() {
    let mut all = many();
    for i in all.iter_mut().filter(|i| i.number > 20) {
        i.visibility = Visibility::Private;
    }
    let c = Catalog::of(&all);
    let q = Query { per_page: 100, ..Query::default() };
    let page = c.query(&q, |r| r.visibility == Visibility::Public);
    assert_eq!(page.total, 20, "hidden rows are not even counted");
    assert!(page.rows.iter().all(|r| r.number <= 20));
}

#[test]
fn older_versions_never_overwrite_and_rows_move_channels() {
    let mut i = incident("inc1", "team1", "chan1", 1);
    i.version = 5;
    let mut c = Catalog::of([&i]);
    let mut old = i.clone();
    old.version = 4;
    old.name = "stale".into();
    assert!(!c.upsert(&old));
    assert_eq!(c.get(&i.id).unwrap().name, i.name);
    let mut moved = i.clone();
    moved.version = 6;
    moved.channel = pad("chan2");
    assert!(c.upsert(&moved));
    assert!(!c.is_incident_channel(&pad("chan1")));
    assert_eq!(c.in_channel(&pad("chan2")), [i.id.clone()]);
    assert_eq!(c.find(&pad("team1"), &IncidentRef::Number(1)).len(), 1);
    c.remove(&i.id);
    assert!(c.is_empty());
}

#[test]
fn a_rebuilt_catalog_keeps_changes_that_landed_while_it_was_read() {
    let old = incident("a", "t", "c", 1);
    let mut newer = old.clone();
    newer.version += 3;
    newer.name = "Renamed while rebuilding".into();
    let elsewhere = incident("b", "t", "d", 2);
    // The live catalog saw a save of `a` and a new incident `b`; the rebuild read `a` before the save.
    let live = Catalog::of([&newer, &elsewhere]);
    let mut rebuilt = Catalog::of([&old]);
    rebuilt.merge_newer(&live);
    assert_eq!(rebuilt.len(), 2);
    assert_eq!(rebuilt.version(&old.id), Some(newer.version));
    assert_eq!(rebuilt.get(&old.id).unwrap().name, "Renamed while rebuilding");
    assert_eq!(rebuilt.in_channel(&elsewhere.channel), vec![elsewhere.id.clone()]);
    // An older live row never replaces what the rebuild read.
    let mut rebuilt_newer = Catalog::of([&newer]);
    rebuilt_newer.merge_newer(&Catalog::of([&old]));
    assert_eq!(rebuilt_newer.version(&old.id), Some(newer.version));
}
