//! Store behaviour on the in-memory KV: records, CAS conflicts, numbers, indexes and the rebuild.

use std::sync::Arc;

use incident_core::{Incident, IncidentId, TeamId};

use super::*;
use crate::memory::MemoryKv;
use crate::test_support::{incident, pad};

fn store() -> (Arc<MemoryKv>, Store) {
    let kv = Arc::new(MemoryKv::new());
    (kv.clone(), Store::new(kv))
}

#[tokio::test]
async fn create_load_save_with_compare_and_set() {
    let (_, store) = store();
    let first = incident("inc1", "team1", "chan1", 1);
    let stored = store.create(&first).await.unwrap();
    assert_eq!(store.create(&first).await.unwrap_err(), StoreError::Conflict, "ids are never overwritten");
    let loaded = store.load(&first.id).await.unwrap().unwrap();
    assert_eq!(loaded.value, first);

    let mut a = first.clone();
    a.name = "A".into();
    let mut b = first.clone();
    b.name = "B".into();
    store.save(&stored, a.clone()).await.unwrap();
    assert_eq!(store.save(&loaded, b).await.unwrap_err(), StoreError::Conflict, "stale read loses");
    assert_eq!(store.load(&first.id).await.unwrap().unwrap().value.name, "A");
    assert_eq!(store.load(&pad::<IncidentId>("nope")).await.unwrap(), None);
}

#[tokio::test]
async fn records_are_versioned_envelopes() {
    let (kv, store) = store();
    let i = incident("inc1", "team1", "chan1", 1);
    store.create(&i).await.unwrap();
    let raw: serde_json::Value = serde_json::from_slice(&kv.peek(&keys::incident(&i.id)).unwrap()).unwrap();
    assert_eq!(raw["v"], 1);
    assert_eq!(raw["data"]["name"], "Incident 1");
}

#[tokio::test]
async fn numbers_are_sequential_per_team() {
    let (_, store) = store();
    let (t1, t2) = (pad::<TeamId>("team1"), pad::<TeamId>("team2"));
    assert_eq!(store.allocate_number(&t1).await.unwrap(), 1);
    assert_eq!(store.allocate_number(&t1).await.unwrap(), 2);
    assert_eq!(store.allocate_number(&t2).await.unwrap(), 1);
    assert_eq!(store.last_number(&t1).await.unwrap(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_number_allocation_never_repeats() {
    let (kv, store) = store();
    let team = pad::<TeamId>("team1");
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (store, team) = (store.clone(), team.clone());
            tokio::spawn(async move {
                let mut got = Vec::new();
                for _ in 0..10 {
                    loop {
                        match store.allocate_number(&team).await {
                            Ok(n) => break got.push(n),
                            Err(StoreError::Busy(_)) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
                got
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    assert_eq!(all, (1..=40).collect::<Vec<u64>>());
    let _ = kv.calls().conflicts; // conflicts happen or not depending on scheduling; uniqueness is what matters
}

#[tokio::test]
async fn channel_and_sharded_team_indexes() {
    let (kv, store) = store();
    let team = pad::<TeamId>("team1");
    let a = incident("inca", "team1", "chan1", 1);
    let b = incident("incb", "team1", "chan1", 1500);
    for i in [&a, &b] {
        store.index_channel(&i.channel, &i.id).await.unwrap();
        store.index_channel(&i.channel, &i.id).await.unwrap(); // idempotent
        store.index_team(&team, i.number, &i.id).await.unwrap();
    }
    assert_eq!(store.channel_incidents(&a.channel).await.unwrap(), [a.id.clone(), b.id.clone()]);
    assert!(kv.peek(&keys::team_shard_at(&team, 0)).is_some());
    assert!(kv.peek(&keys::team_shard_at(&team, 1)).is_some(), "incident 1500 lives in shard 1");
    // The counter tells how many shards exist.
    for _ in 0..1500 {
        store.allocate_number(&team).await.unwrap();
    }
    assert_eq!(store.team_incidents(&team).await.unwrap(), [a.id.clone(), b.id.clone()]);
    store.unindex_channel(&a.channel, &a.id).await.unwrap();
    store.unindex_team(&team, b.number, &b.id).await.unwrap();
    assert_eq!(store.channel_incidents(&a.channel).await.unwrap(), std::slice::from_ref(&b.id));
    assert_eq!(store.team_incidents(&team).await.unwrap(), std::slice::from_ref(&a.id));
}

#[tokio::test]
async fn a_shards_first_number_is_indexed_in_one_call_unless_another_start_got_there_first() {
    let (kv, store) = store();
    let team = pad::<TeamId>("team1");
    let (one, two, thousand) = (pad::<IncidentId>("one"), pad::<IncidentId>("two"), pad::<IncidentId>("thousand"));
    let before = kv.calls();
    store.index_team(&team, 1000, &thousand).await.unwrap();
    let after = kv.calls();
    assert_eq!((after.gets - before.gets, after.sets - before.sets), (0, 1), "no read for a new shard");
    // Incident 2 indexes before incident 1: 1's blind write loses and falls back to adding itself.
    store.index_team(&team, 2, &two).await.unwrap();
    store.index_team(&team, 1, &one).await.unwrap();
    store.allocate_number(&team).await.unwrap();
    for _ in 0..1000 {
        store.allocate_number(&team).await.unwrap();
    }
    assert_eq!(store.team_incidents(&team).await.unwrap(), [two, one, thousand]);
}

#[tokio::test]
async fn rebuild_reads_indexed_records_and_skips_dangling_entries() {
    let (kv, store) = store();
    let mut expected: Vec<Incident> = Vec::new();
    for (n, team) in [(1, "team1"), (2, "team1"), (1, "team2")] {
        let team_id = pad::<TeamId>(team);
        let number = store.allocate_number(&team_id).await.unwrap();
        assert_eq!(number, n);
        let i = incident(&format!("inc{team}{n}"), team, "chan1", number);
        store.index_team(&team_id, number, &i.id).await.unwrap();
        store.create(&i).await.unwrap();
        expected.push(i);
    }
    // A start that died after indexing: dangling entry, no record.
    let team = pad::<TeamId>("team1");
    let n = store.allocate_number(&team).await.unwrap();
    store.index_team(&team, n, &pad("ghost")).await.unwrap();
    // A record that was never indexed (not reachable) is not listed either.
    store.create(&incident("orphan", "team1", "chan1", 99)).await.unwrap();

    let before = kv.calls();
    let mut all = store.load_all().await.unwrap();
    all.sort_by_key(|i| (i.team.clone(), i.number));
    expected.sort_by_key(|i| (i.team.clone(), i.number));
    assert_eq!(all, expected);
    assert_eq!(kv.calls().lists - before.lists, 1, "one key listing, for the team counters");
}

#[tokio::test]
async fn message_counts_and_busy_after_bounded_retries() {
    let (kv, store) = store();
    let id = pad::<IncidentId>("inc1");
    assert_eq!(store.count_message(&id).await.unwrap(), 1);
    assert_eq!(store.count_message(&id).await.unwrap(), 2);
    assert_eq!(store.message_count(&id).await.unwrap(), 2);
    kv.fail_writes("msg_", 1);
    assert!(matches!(store.count_message(&id).await, Err(StoreError::Kv(_))));
    assert_eq!(store.message_count(&id).await.unwrap(), 2, "a failed write changes nothing");
}

/// A KV whose compare-and-set on team counters always loses, as under a write storm.
struct AlwaysConflict(MemoryKv);

#[async_trait::async_trait]
impl Kv for AlwaysConflict {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.0.get(key).await
    }
    async fn set(&self, key: &str, value: &[u8], expect: Expect<'_>, ttl: Option<u64>) -> Result<bool, KvError> {
        if !key.starts_with(keys::TEAM_COUNTER_PREFIX) {
            return self.0.set(key, value, expect, ttl).await;
        }
        self.0.set(key, b"{\"v\":1,\"data\":{\"value\":0}}", Expect::Anything, None).await?;
        Ok(false)
    }
    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.0.delete(key).await
    }
    async fn list(&self, prefix: &str) -> Result<Vec<String>, KvError> {
        self.0.list(prefix).await
    }
}

#[tokio::test]
async fn a_conflict_storm_ends_in_busy_after_bounded_attempts() {
    let kv = Arc::new(AlwaysConflict(MemoryKv::new()));
    let store = Store::new(kv.clone());
    let err = store.allocate_number(&pad("team1")).await.unwrap_err();
    assert_eq!(err, StoreError::Busy(keys::team_counter(&pad("team1"))));
    // The team's first start registers it (one write), then every counter attempt loses.
    assert_eq!(kv.0.calls().sets, 1 + u64::from(MAX_ATTEMPTS));
}

/// `n` task-check events like the ones a toggle adds.
fn with_events(n: usize, summary: &str) -> Incident {
    let mut i = incident("big", "team1", "chan1", 1);
    let actor: incident_core::UserId = pad("alice");
    i.timeline = (0..n)
        .map(|k| incident_core::incident::TimelineEvent {
            at: incident_core::Timestamp(1_700_000_000_000 + k as i64),
            actor: Some(actor.clone()),
            kind: incident_core::incident::EventKind::TaskChecked,
            subject: None,
            summary: summary.to_owned(),
        })
        .collect();
    i
}

#[tokio::test]
async fn a_record_too_large_for_one_kv_write_is_refused_before_writing() {
    let (kv, store) = store();
    // A long incident fits: 5,000 task toggles with everyday titles stay well under the limit.
    let long = with_events(5_000, "Fail over to the replica in eu-west-1");
    let stored = store.create(&long).await.unwrap();
    let per_event = record::encode(&long).len() / 5_000;
    assert!(per_event < 200, "a toggle costs {per_event} bytes of record");
    // One that would cross it is refused with its size, and the stored record is untouched.
    let mut huge = with_events(5_000, &"x".repeat(400));
    huge.version = stored.value.version + 1;
    let sets = kv.calls().sets;
    let err = store.save(&stored, huge).await.unwrap_err();
    let StoreError::TooLarge { key, bytes } = err else { panic!("{err:?}") };
    assert_eq!(key, keys::incident(&long.id));
    assert!(bytes > MAX_RECORD_BYTES);
    assert_eq!(kv.calls().sets, sets, "nothing was sent");
    assert_eq!(store.load(&long.id).await.unwrap().unwrap().value, long);
}
