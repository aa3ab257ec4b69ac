//! The start journal in the team counter and the team registry: notes written with the number, cleared in one call
//! when nobody else wrote the counter, kept apart under concurrent starts, old counters read and upgraded, and the
//! whole store listed at most once.

use std::sync::Arc;

use incident_core::{IncidentId, TeamId, Timestamp};

use super::*;
use crate::memory::MemoryKv;
use crate::test_support::pad;

fn store() -> (Arc<MemoryKv>, Store) {
    let kv = Arc::new(MemoryKv::new());
    (kv.clone(), Store::new(kv))
}

fn note(incident: &str, team: &TeamId, slug: &str) -> StartIntent {
    StartIntent { incident: pad(incident), team: team.clone(), number: 0, slug: slug.into(), at: Timestamp(1_000) }
}

fn counter(kv: &MemoryKv, team: &TeamId) -> TeamCounter {
    record::decode(&keys::team_counter(team), &kv.peek(&keys::team_counter(team)).unwrap()).unwrap()
}

#[tokio::test]
async fn a_start_notes_itself_with_its_number_and_clears_in_one_call() {
    let (kv, store) = store();
    let team: TeamId = pad("team1");
    let mut ticket = store.begin_start(note("a", &team, "db")).await.unwrap();
    assert_eq!(ticket.number, 1);
    let noted = counter(&kv, &team);
    assert_eq!((noted.value, noted.starts.len()), (1, 1));
    assert_eq!((noted.starts[0].number, noted.starts[0].slug.as_str()), (1, "db"));
    assert_eq!(store.teams().await.unwrap(), std::slice::from_ref(&team), "the team's first start registered it");

    store.rename_start(&team, &pad("a"), "db-2", &mut ticket).await.unwrap();
    assert_eq!(counter(&kv, &team).starts[0].slug, "db-2");
    let before = kv.calls();
    store.finish_start(&team, &pad("a"), &mut ticket).await.unwrap();
    let after = kv.calls();
    assert_eq!((after.gets - before.gets, after.sets - before.sets), (0, 1), "no read when nobody else wrote");
    assert_eq!(counter(&kv, &team), TeamCounter { value: 1, starts: vec![] });
    let raw: serde_json::Value = serde_json::from_slice(&kv.peek(&keys::team_counter(&team)).unwrap()).unwrap();
    assert_eq!(raw["data"], serde_json::json!({ "value": 1 }), "an empty journal is not written");
}

#[tokio::test]
async fn concurrent_starts_keep_each_others_notes() {
    let (kv, store) = store();
    let team: TeamId = pad("team1");
    let mut a = store.begin_start(note("a", &team, "a")).await.unwrap();
    let mut b = store.begin_start(note("b", &team, "b")).await.unwrap();
    assert_eq!((a.number, b.number), (1, 2));
    // `a`'s bytes are stale: its clear falls back to reading, and leaves `b`'s note.
    store.finish_start(&team, &pad("a"), &mut a).await.unwrap();
    let left: Vec<IncidentId> = counter(&kv, &team).starts.into_iter().map(|s| s.incident).collect();
    assert_eq!(left, [pad::<IncidentId>("b")]);
    let swept = store.start_intents().await.unwrap();
    assert_eq!((swept.len(), swept[0].number), (1, 2));
    store.finish_start(&team, &pad("b"), &mut b).await.unwrap();
    assert!(store.start_intents().await.unwrap().is_empty());
    // Clearing what is not there writes nothing.
    let before = kv.calls().sets;
    store.clear_start_intent(&team, &pad("b")).await.unwrap();
    assert_eq!(kv.calls().sets, before);
    assert_eq!(store.allocate_number(&team).await.unwrap(), 3, "numbers go on after the journal");
}

#[tokio::test]
async fn old_counters_are_read_and_their_teams_listed_once() {
    let (kv, store) = store();
    let (old1, old2, new): (TeamId, TeamId, TeamId) = (pad("old1"), pad("old2"), pad("new"));
    // A store written before the journal and the registry: bare counters.
    for (team, value) in [(&old1, 7), (&old2, 3)] {
        kv.put(&keys::team_counter(team), &record::encode(&crate::record::Counter { value }));
    }
    assert_eq!(store.last_number(&old1).await.unwrap(), 7);
    // A start in a new team lands before any activation listed the old ones.
    let mut ticket = store.begin_start(note("n", &new, "n")).await.unwrap();
    store.finish_start(&new, &pad("n"), &mut ticket).await.unwrap();
    let ticket = store.begin_start(note("o", &old1, "o")).await.unwrap();
    assert_eq!(ticket.number, 8, "an old counter goes on from its value");

    let lists = kv.calls().lists;
    let mut teams = store.teams().await.unwrap();
    teams.sort();
    let mut expected = vec![new.clone(), old1.clone(), old2.clone()];
    expected.sort();
    assert_eq!(teams, expected, "listed once and merged with the registered one");
    assert_eq!(kv.calls().lists, lists + 1);
    assert_eq!(store.teams().await.unwrap().len(), 3);
    assert_eq!(kv.calls().lists, lists + 1, "the registry is complete now: no more listing");
    let fourth: TeamId = pad("fourth");
    store.allocate_number(&fourth).await.unwrap();
    assert!(store.teams().await.unwrap().contains(&fourth));
    assert_eq!(kv.calls().lists, lists + 1);
}
