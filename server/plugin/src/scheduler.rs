//! The node's reminder scheduler: `incident_scheduler::Scheduler` over the app, on the wall clock, started at
//! activation (after the read model is rebuilt from KV, so reminders that fell due while no node ran go out now)
//! and stopped at deactivation. Every node runs one; the compare-and-set claim in `App::tick` makes exactly one of
//! them post each reminder.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use incident_app::App;
use incident_core::Timestamp;
use incident_scheduler::{Deadlines, Scheduler, SystemClock, Wake};
use tokio::sync::watch;

/// The app as the scheduler sees it.
struct AppDeadlines(Arc<App>);

#[async_trait]
impl Deadlines for AppDeadlines {
    fn next_deadline(&self) -> Option<Timestamp> {
        self.0.next_deadline()
    }

    async fn tick(&self, now: Timestamp) -> usize {
        self.0.tick(now).await
    }
}

/// Starts and stops the scheduler task.
pub struct Reminders {
    app: Arc<App>,
    wake: Wake,
    stop: Mutex<Option<watch::Sender<bool>>>,
}

impl Reminders {
    /// Hooks the app's read-model changes to the scheduler's wake-up (once, at construction).
    pub fn new(app: Arc<App>) -> Self {
        let wake = Wake::new();
        let w = wake.clone();
        app.on_deadlines_changed(move || w.wake());
        Reminders { app, wake, stop: Mutex::new(None) }
    }

    /// Starts the loop (replacing a running one).
    pub fn start(&self) {
        let (tx, rx) = watch::channel(false);
        let scheduler =
            Scheduler::new(Arc::new(SystemClock), Arc::new(AppDeadlines(self.app.clone())), self.wake.clone());
        tokio::spawn(scheduler.run(rx));
        if let Some(old) = self.stop.lock().unwrap_or_else(|p| p.into_inner()).replace(tx) {
            let _ = old.send(true);
        }
        tracing::info!(next = ?self.app.next_deadline().map(Timestamp::millis), "reminder scheduler started");
    }

    /// Stops the loop.
    pub fn stop(&self) {
        if let Some(tx) = self.stop.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = tx.send(true);
        }
    }
}
