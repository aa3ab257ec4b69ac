//! Reminders with a manual clock: due, snoozed, dismissed, none, a restart in between, and two nodes on one KV
//! store waking for the same reminder. The scheduler loop runs for real; only time is fake (no real sleeps).

use std::sync::Arc;

use async_trait::async_trait;
use incident_app::fakes::{self, FakeServer};
use incident_app::{App, Ctx, StartRequest};
use incident_core::{IncidentId, Timestamp};
use incident_scheduler::{Clock, Deadlines, ManualClock, Scheduler, Wake};
use incident_store::MemoryKv;
use tokio::sync::watch;

const MIN: i64 = 60_000;
const START: i64 = 1_700_000_000_000;

/// The app as the scheduler sees it (the plugin has the same adapter).
struct Node(Arc<App>);

#[async_trait]
impl Deadlines for Node {
    fn next_deadline(&self) -> Option<Timestamp> {
        self.0.next_deadline()
    }
    async fn tick(&self, now: Timestamp) -> usize {
        self.0.tick(now).await
    }
}

/// One node: an app with its scheduler running on `clock`.
struct Running {
    app: Arc<App>,
    _stop: watch::Sender<bool>,
}

async fn node(kv: &Arc<MemoryKv>, server: &Arc<FakeServer>, clock: &Arc<ManualClock>) -> Running {
    let app = Arc::new(fakes::app(kv.clone(), server.clone()));
    let wake = Wake::new();
    let w = wake.clone();
    app.on_deadlines_changed(move || w.wake());
    app.rebuild().await.unwrap();
    let (stop, rx) = watch::channel(false);
    let scheduler = Scheduler::new(clock.clone(), Arc::new(Node(app.clone())), wake);
    tokio::spawn(scheduler.run(rx));
    settle().await;
    Running { app, _stop: stop }
}

/// Lets the spawned schedulers run until they wait again (the fakes never block).
async fn settle() {
    for _ in 0..200 {
        tokio::task::yield_now().await;
    }
}

fn ctx(clock: &ManualClock, user: &str) -> Ctx {
    Ctx { user: fakes::id(user), team: Some(fakes::team()), channel: None, now: clock.now() }
}

fn reminders(server: &FakeServer) -> usize {
    server.world().posts.iter().filter(|p| p.author.is_none() && p.text.contains("is due")).count()
}

async fn incident_with_update(app: &App, clock: &ManualClock, reminder_ms: Option<u64>) -> IncidentId {
    let started = app.start(&ctx(clock, "alice"), StartRequest::named(fakes::team(), "Database down")).await.unwrap();
    let id = started.incident.id.clone();
    app.post_update(&ctx(clock, "alice"), &id, "Failing over.".into(), reminder_ms).await.unwrap();
    id
}

struct World {
    kv: Arc<MemoryKv>,
    server: Arc<FakeServer>,
    clock: Arc<ManualClock>,
}

fn world() -> World {
    World { kv: Arc::new(MemoryKv::new()), server: FakeServer::seeded(), clock: ManualClock::new(START) }
}

impl World {
    async fn advance(&self, ms: i64) {
        self.clock.advance(ms);
        self.kv.set_now(self.clock.now().millis());
        settle().await;
    }
}

#[tokio::test]
async fn a_due_reminder_is_posted_once_mentioning_the_commander() {
    let w = world();
    let n = node(&w.kv, &w.server, &w.clock).await;
    let id = incident_with_update(&n.app, &w.clock, Some(15 * MIN as u64)).await;
    w.advance(15 * MIN - 1).await;
    assert_eq!(reminders(&w.server), 0, "not yet due");
    w.advance(1).await;
    assert_eq!(reminders(&w.server), 1);
    let text = w.server.world().posts.last().unwrap().text.clone();
    assert!(text.starts_with("@alice, a status update for"), "{text}");
    w.advance(24 * 60 * MIN).await;
    assert_eq!(reminders(&w.server), 1, "claimed: never again without a new update or snooze");
    let incident = n.app.get(&fakes::id("alice"), &id).await.unwrap();
    assert!(!incident.update_overdue(w.clock.now()), "the claim cleared the deadline");
}

#[tokio::test]
async fn a_snoozed_reminder_comes_back_after_the_snooze() {
    let w = world();
    let n = node(&w.kv, &w.server, &w.clock).await;
    let id = incident_with_update(&n.app, &w.clock, Some(15 * MIN as u64)).await;
    w.advance(15 * MIN).await;
    assert_eq!(reminders(&w.server), 1);
    let text = n.app.snooze_reminder(&ctx(&w.clock, "alice"), &id, 30 * MIN as u64).await.unwrap();
    assert_eq!(text, "Snoozed by @alice: the next reminder comes in 30m.");
    settle().await;
    w.advance(30 * MIN - 1).await;
    assert_eq!(reminders(&w.server), 1);
    w.advance(1).await;
    assert_eq!(reminders(&w.server), 2);
    let err = n.app.snooze_reminder(&ctx(&w.clock, "alice"), &id, 1_000).await.unwrap_err();
    assert_eq!(err.to_string(), "A reminder needs an interval of at least one minute.");
}

#[tokio::test]
async fn a_dismissed_reminder_does_not_come_back() {
    let w = world();
    let n = node(&w.kv, &w.server, &w.clock).await;
    let id = incident_with_update(&n.app, &w.clock, Some(60 * MIN as u64)).await;
    w.advance(60 * MIN).await;
    assert_eq!(reminders(&w.server), 1);
    let text = n.app.dismiss_reminder(&ctx(&w.clock, "alice"), &id).await.unwrap();
    assert_eq!(text, "Reminder dismissed by @alice.");
    w.advance(7 * 24 * 60 * MIN).await;
    assert_eq!(reminders(&w.server), 1);
    // Someone outside the team cannot dismiss (or learn that the incident exists).
    let err = n.app.dismiss_reminder(&ctx(&w.clock, "dave"), &id).await.unwrap_err();
    assert_eq!(err.kind(), incident_app::ErrorKind::NotFound);
}

#[tokio::test]
async fn no_reminder_means_no_post() {
    let w = world();
    let n = node(&w.kv, &w.server, &w.clock).await;
    incident_with_update(&n.app, &w.clock, None).await;
    assert_eq!(n.app.next_deadline(), None);
    w.advance(7 * 24 * 60 * MIN).await;
    assert_eq!(reminders(&w.server), 0);
}

#[tokio::test]
async fn an_update_replaces_the_pending_reminder() {
    let w = world();
    let n = node(&w.kv, &w.server, &w.clock).await;
    let id = incident_with_update(&n.app, &w.clock, Some(15 * MIN as u64)).await;
    w.advance(10 * MIN).await;
    n.app.post_update(&ctx(&w.clock, "alice"), &id, "Still failing over.".into(), Some(60 * MIN as u64)).await.unwrap();
    settle().await;
    w.advance(10 * MIN).await;
    assert_eq!(reminders(&w.server), 0, "the 15-minute reminder was replaced");
    w.advance(50 * MIN).await;
    assert_eq!(reminders(&w.server), 1);
}

#[tokio::test]
async fn a_reminder_due_during_a_restart_is_posted_once_after_it() {
    let w = world();
    let first = node(&w.kv, &w.server, &w.clock).await;
    incident_with_update(&first.app, &w.clock, Some(15 * MIN as u64)).await;
    drop(first); // the node stops; the deadline stays in the record
    settle().await;
    w.advance(20 * MIN).await;
    assert_eq!(reminders(&w.server), 0, "nobody is running");
    let _second = node(&w.kv, &w.server, &w.clock).await; // rebuilds from KV and finds it overdue
    assert_eq!(reminders(&w.server), 1);
    let _third = node(&w.kv, &w.server, &w.clock).await;
    w.advance(60 * MIN).await;
    assert_eq!(reminders(&w.server), 1, "a later restart does not repeat it");
}

#[tokio::test]
async fn three_nodes_waking_for_one_reminder_post_it_once() {
    let w = world();
    let a = node(&w.kv, &w.server, &w.clock).await;
    incident_with_update(&a.app, &w.clock, Some(15 * MIN as u64)).await;
    // The other nodes learn about the incident as at activation (the fakes do not deliver cluster events).
    let _b = node(&w.kv, &w.server, &w.clock).await;
    let _c = node(&w.kv, &w.server, &w.clock).await;
    w.advance(15 * MIN).await;
    assert_eq!(reminders(&w.server), 1);
    w.advance(60 * MIN).await;
    assert_eq!(reminders(&w.server), 1);
}
