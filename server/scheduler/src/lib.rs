//! The one place in Incident Collaboration that waits for time to pass.
//!
//! [`Scheduler::run`] loops: ask the [`Deadlines`] (the app) for the earliest deadline of any incident, sleep on the
//! [`Clock`] until then — or until a [`Wake`] says a decision or another node moved a deadline — and call
//! [`Deadlines::tick`] with the clock's `now`. The deadlines themselves live in the incident records; the app claims
//! each due one with the compare-and-set save of `incident_core::tick`'s decision, so when every node wakes for the
//! same reminder only the node whose write wins posts it. Nothing is kept here across restarts: the app rebuilds its
//! read model (and with it the queue) from KV at activation.
//!
//! Time comes from a [`Clock`]: [`SystemClock`] in the plugin, [`ManualClock`] in tests (no real sleeps).

pub mod retry;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use incident_core::Timestamp;
use tokio::sync::{Notify, watch};

/// Longest single sleep: a safety net against wall-clock jumps and lost wake-ups; waking finds nothing due.
pub const MAX_SLEEP_MS: i64 = 60_000;
/// Pause after a tick that left something due (the KV store failed, say) before trying again.
pub const RETRY_MS: i64 = 5_000;

/// Where time comes from.
#[async_trait]
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;
    /// Returns once `now() >= at` (or a little earlier; the caller re-checks).
    async fn sleep_until(&self, at: Timestamp);
}

/// What the scheduler drives: the app.
#[async_trait]
pub trait Deadlines: Send + Sync {
    /// The earliest deadline of any incident this node knows (None: nothing to wait for).
    fn next_deadline(&self) -> Option<Timestamp>;
    /// Handles everything due at `now`; returns how many incidents this node claimed.
    async fn tick(&self, now: Timestamp) -> usize;
}

/// The wall clock, sleeping with tokio's timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Timestamp(ms)
    }

    async fn sleep_until(&self, at: Timestamp) {
        let ms = at.millis().saturating_sub(self.now().millis()).max(0);
        tokio::time::sleep(Duration::from_millis(u64::try_from(ms).unwrap_or(0))).await;
    }
}

/// A clock that moves only when told to, for tests.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<i64>,
    tx: watch::Sender<i64>,
}

impl ManualClock {
    /// A clock at `start` ms.
    pub fn new(start: i64) -> Arc<Self> {
        Arc::new(ManualClock { now: Mutex::new(start), tx: watch::Sender::new(start) })
    }

    /// Moves the clock forward by `ms`, waking the sleepers whose time came.
    pub fn advance(&self, ms: i64) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        *now += ms;
        self.tx.send_replace(*now);
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(*self.now.lock().unwrap_or_else(|p| p.into_inner()))
    }

    async fn sleep_until(&self, at: Timestamp) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(|now| *now >= at.millis()).await;
    }
}

/// Wakes the scheduler early: a decision scheduled an earlier deadline, or another node changed an incident.
#[derive(Debug, Clone, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    /// A new handle.
    pub fn new() -> Self {
        Wake::default()
    }

    /// Makes the scheduler re-read the next deadline (coalesced: many calls before it looks count once).
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// The loop; one per node.
pub struct Scheduler {
    clock: Arc<dyn Clock>,
    deadlines: Arc<dyn Deadlines>,
    wake: Wake,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler").field("next_deadline", &self.deadlines.next_deadline()).finish()
    }
}

impl Scheduler {
    /// A scheduler over `deadlines`, woken early by `wake`.
    pub fn new(clock: Arc<dyn Clock>, deadlines: Arc<dyn Deadlines>, wake: Wake) -> Self {
        Scheduler { clock, deadlines, wake }
    }

    /// Handles what is due now; returns when to look again.
    pub async fn step(&self) -> Timestamp {
        let now = self.clock.now();
        if self.deadlines.next_deadline().is_some_and(|d| d <= now) {
            let claimed = self.deadlines.tick(now).await;
            tracing::debug!(claimed, at = now.millis(), "scheduler tick");
            if self.deadlines.next_deadline().is_some_and(|d| d <= now) {
                // Still due after a tick: the store failed. Try again later instead of spinning.
                return now.saturating_add_ms(RETRY_MS.unsigned_abs());
            }
        }
        let cap = self.clock.now().saturating_add_ms(MAX_SLEEP_MS.unsigned_abs());
        self.deadlines.next_deadline().map_or(cap, |d| d.min(cap))
    }

    /// Runs until `stop` turns true (or its sender is dropped).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            let until = self.step().await;
            tokio::select! {
                () = self.clock.sleep_until(until) => {}
                () = self.wake.0.notified() => {}
                r = stop.changed() => if r.is_err() { return },
            }
        }
    }
}
