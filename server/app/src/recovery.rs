//! Crash recovery of starts. A node killed between creating an incident's channel and committing its record leaves
//! a start journal entry (`incident_store::StartIntent`) behind. At activation every node sweeps the journal:
//! entries older than [`START_TIMEOUT_MS`] whose record exists lost only their cleanup; the others had their channel
//! created (or not) but never committed: the channel, found by the name the entry noted and recognised by the
//! purpose the start gave it, is retired like any failed start, and index entries are removed. Idempotent, so
//! several nodes sweeping at once do no harm. A node whose own start left its note behind (the server's answer to
//! CreateChannel was lost, or the compensation failed) does not wait for the next activation: the sweep becomes one
//! of its scheduler's deadlines, [`START_TIMEOUT_MS`] after the failure.

use incident_core::Timestamp;
use incident_core::time::MINUTE_MS;

use crate::app::App;
use crate::error::AppError;

/// A start still in the journal after this long is dead (a live one takes seconds; hooks time out in 30 s).
pub const START_TIMEOUT_MS: u64 = 5 * MINUTE_MS;

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Channels of abandoned starts retired.
    pub retired: usize,
    /// Entries removed without anything to undo (committed, or no channel was made).
    pub cleared: usize,
}

/// How long a node waits before sweeping again after a sweep failed.
const SWEEP_RETRY_MS: u64 = MINUTE_MS;

impl App {
    /// A start of this node failed at `now` and left its journal note: sweeps the journal once the note has timed out.
    pub(crate) fn sweep_journal_later(&self, now: Timestamp) {
        self.sweep_journal_at(now.saturating_add_ms(START_TIMEOUT_MS));
    }

    /// Makes `at` this node's next journal sweep, unless one is due earlier, and wakes the scheduler.
    fn sweep_journal_at(&self, at: Timestamp) {
        {
            let mut due = self.lock_journal_sweep();
            *due = Some(due.map_or(at, |d| d.min(at)));
        }
        self.deadlines_changed();
    }

    /// The node's next journal sweep, locked (a panic elsewhere while holding it leaves a usable value).
    fn lock_journal_sweep(&self) -> std::sync::MutexGuard<'_, Option<Timestamp>> {
        self.journal_sweep.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// When this node sweeps the start journal next, if a start of its own left a note.
    pub(crate) fn journal_sweep_due(&self) -> Option<Timestamp> {
        *self.lock_journal_sweep()
    }

    /// Sweeps the journal if the sweep a failed start asked for is due at `now`; a failed sweep is tried again a
    /// minute later.
    pub(crate) async fn sweep_journal_if_due(&self, now: Timestamp) {
        {
            let mut due = self.lock_journal_sweep();
            match *due {
                Some(at) if at <= now => *due = None,
                _ => return,
            }
        }
        match self.recover_abandoned_starts(now).await {
            Ok(r) => {
                tracing::info!(retired = r.retired, cleared = r.cleared, "start journal swept after a failed start")
            }
            Err(e) => {
                tracing::warn!(error = %e, "sweeping the start journal failed; trying again in a minute");
                self.sweep_journal_at(now.saturating_add_ms(SWEEP_RETRY_MS));
            }
        }
    }

    /// Sweeps the start journal at `now` (activation, after the rebuild).
    pub async fn recover_abandoned_starts(&self, now: Timestamp) -> Result<Recovered, AppError> {
        let mut done = Recovered::default();
        for intent in self.store.start_intents().await? {
            let id = &intent.incident;
            if now.since(intent.at) < START_TIMEOUT_MS {
                continue;
            }
            if self.store.load(id).await?.is_none() {
                let marker = crate::start::purpose_prefix(intent.number);
                let channel = self.chat.channel_by_name(&intent.team, &intent.slug).await?;
                if let Some(channel) = channel.filter(|c| c.purpose.starts_with(&marker)) {
                    self.store.unindex_channel(&channel.id, id).await?;
                    self.store.unindex_team(&intent.team, intent.number, id).await?;
                    let retired = self.retire_channel(&channel.id, &intent.slug).await?;
                    tracing::warn!(incident = %id, channel = %channel.id, %retired, "retired the channel of a start a node did not finish");
                    done.retired += 1;
                    self.store.clear_start_intent(&intent.team, id).await?;
                    continue;
                }
            }
            self.store.clear_start_intent(&intent.team, id).await?;
            done.cleared += 1;
        }
        Ok(done)
    }
}
