//! A claimed reminder is posted exactly once even when its claimant fails: a failed post is retried by whichever
//! node takes the claim over when its lease ends, and a post whose confirmation was lost is found in the channel
//! and not posted again.

mod support;

use incident_core::incident::{REMINDER_LEASE_MS, ReminderClaim};
use incident_core::{Incident, Timestamp};
use incident_store::Store;
use support::World;

/// Starts an incident whose reminder falls due at `due`; returns it.
async fn incident_due_at(w: &World, due: i64) -> Incident {
    w.run("alice", "town-square", "/incident start DB").await;
    let store = Store::new(w.kv.clone());
    let id = w.app.catalog().in_channel(&w.channel("db"))[0].clone();
    let stored = store.load(&id).await.unwrap().unwrap();
    let mut next = stored.value.clone();
    next.reminder.next_due = Some(Timestamp(due));
    next.version += 1;
    let saved = store.save(&stored, next).await.unwrap().value;
    w.app.rebuild().await.unwrap();
    saved
}

fn reminder_posts(w: &World) -> usize {
    w.server.world().posts.iter().filter(|p| p.reminder.is_some()).count()
}

async fn record(w: &World, incident: &Incident) -> Incident {
    Store::new(w.kv.clone()).load(&incident.id).await.unwrap().unwrap().value
}

#[tokio::test]
async fn a_failed_reminder_post_is_retried_once_the_claims_lease_ends() {
    let w = World::seeded();
    let due = w.now + 60_000;
    let incident = incident_due_at(&w, due).await;
    w.server.fail("post_reminder", true);
    assert_eq!(w.app.tick(Timestamp(due)).await, 1, "claimed");
    assert_eq!(reminder_posts(&w), 0);
    let claim = ReminderClaim { due: Timestamp(due), claimed_at: Timestamp(due) };
    assert_eq!(record(&w, &incident).await.reminder.posting, Some(claim), "the claim waits in the outbox");
    w.server.fail("post_reminder", false);

    let lease_end = due + REMINDER_LEASE_MS as i64;
    assert_eq!(w.app.next_deadline(), Some(Timestamp(lease_end)), "the scheduler comes back at the lease's end");
    assert_eq!(w.app.tick(Timestamp(lease_end - 1)).await, 0, "the claimant still has time");
    // Another node takes it over: it looks in the channel, finds nothing, posts, and confirms.
    let other = w.node();
    other.rebuild().await.unwrap();
    assert_eq!(other.tick(Timestamp(lease_end)).await, 1);
    assert_eq!(reminder_posts(&w), 1);
    assert_eq!(record(&w, &incident).await.reminder.posting, None, "confirmed");
    assert_eq!(other.next_deadline(), None);
    assert_eq!(w.app.tick(Timestamp(lease_end + REMINDER_LEASE_MS as i64)).await, 0);
    assert_eq!(reminder_posts(&w), 1, "exactly once");
}

#[tokio::test]
async fn a_posted_reminder_whose_confirmation_was_lost_is_not_posted_again() {
    let w = World::seeded();
    let due = w.now + 60_000;
    let incident = incident_due_at(&w, due).await;
    assert_eq!(w.app.tick(Timestamp(due)).await, 1);
    assert_eq!(reminder_posts(&w), 1);
    assert_eq!(record(&w, &incident).await.reminder.posting, None, "posted and confirmed");

    // As if the claimant died between the post and the confirmation: the claim is back in the record.
    let store = Store::new(w.kv.clone());
    let stored = store.load(&incident.id).await.unwrap().unwrap();
    let mut unconfirmed = stored.value.clone();
    unconfirmed.reminder.posting = Some(ReminderClaim { due: Timestamp(due), claimed_at: Timestamp(due) });
    unconfirmed.version += 1;
    store.save(&stored, unconfirmed).await.unwrap();
    let other = w.node();
    other.rebuild().await.unwrap();
    let lease_end = due + REMINDER_LEASE_MS as i64;
    assert_eq!(other.tick(Timestamp(lease_end)).await, 1, "taken over");
    assert_eq!(reminder_posts(&w), 1, "found in the channel, not posted twice");
    assert!(w.server.world().calls.contains(&"has_reminder"));
    assert_eq!(record(&w, &incident).await.reminder.posting, None, "confirmed by the node that took over");
}

#[tokio::test]
async fn a_status_update_settles_a_reminder_still_owed() {
    let w = World::seeded();
    let due = w.now + 60_000;
    let incident = incident_due_at(&w, due).await;
    w.server.fail("post_reminder", true);
    w.app.tick(Timestamp(due)).await;
    w.server.fail("post_reminder", false);
    let ctx = w.ctx("alice", "db");
    let ctx = incident_app::Ctx { now: Timestamp(due + 1_000), ..ctx };
    w.app.post_update_on(&ctx, &incident.id, "Mitigated".into(), None).await.unwrap();
    assert_eq!(record(&w, &incident).await.reminder.posting, None);
    assert_eq!(w.app.tick(Timestamp(due + 10 * REMINDER_LEASE_MS as i64)).await, 0);
    assert_eq!(reminder_posts(&w), 0, "the update was what the reminder asked for");
}
