//! Time-driven decisions, the scheduler's entry points: the earliest deadline, `tick` at a deadline (claimed with
//! compare-and-set so exactly one node posts a reminder, confirmed once posted, taken over by another node when the
//! claimant died), and the reminder buttons (snooze, dismiss).

use incident_core::{
    Action, Decision, Effect, HumanDuration, Incident, IncidentId, Message, Timestamp, is_take_over, reminder_posted,
    render, tick,
};
use incident_store::{MAX_ATTEMPTS, StoreError, Stored};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;

/// What a scheduler decision came to.
enum Settled {
    /// Saved: the record as it was just before, the saved one, and the decision's effects to run.
    Saved { before: Box<Incident>, saved: Stored<Incident>, effects: Vec<Effect> },
    /// Nothing to do on the freshest read.
    Nothing(Stored<Incident>),
    /// The record is gone.
    Gone,
}

impl App {
    /// Calls `listener` whenever the read model changed (own saves, cluster events, rebuild), so the scheduler
    /// re-reads [`App::next_deadline`]. Set once, by the composition root.
    pub fn on_deadlines_changed(&self, listener: impl Fn() + Send + Sync + 'static) {
        if self.deadline_listener.set(Box::new(listener)).is_err() {
            tracing::warn!("a deadline listener was already set; keeping the first");
        }
    }

    pub(crate) fn deadlines_changed(&self) {
        if let Some(listener) = self.deadline_listener.get() {
            listener();
        }
    }

    /// The earliest deadline: a reminder or grant expiry of any incident in the read model, or this node's sweep of
    /// the start journal after a failed start.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        let incidents = self.catalog().next_deadline();
        [incidents, self.journal_sweep_due()].into_iter().flatten().min()
    }

    /// Handles every incident due at `now`; returns how many this node claimed (and so carried out). Failures are
    /// logged; the deadline stays in the record and the scheduler comes back.
    pub async fn tick(&self, now: Timestamp) -> usize {
        self.sweep_journal_if_due(now).await;
        let due = self.catalog().due(now);
        let mut claimed = 0;
        for id in due {
            match self.tick_one(&id, now).await {
                Ok(true) => claimed += 1,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, incident = %id, "handling a deadline failed; retrying later"),
            }
        }
        claimed
    }

    /// Claims one incident's due work: `tick` on a fresh read, saved with CAS. Only the winner runs the effects.
    async fn tick_one(&self, id: &IncidentId, now: Timestamp) -> Result<bool, AppError> {
        let Some(stored) = self.store.load(id).await? else {
            self.catalog_mut().remove(id);
            self.deadlines_changed();
            return Ok(false);
        };
        match self.settle(stored, |incident| tick(incident, now)).await? {
            Settled::Saved { before, saved, effects } => {
                let take_over = is_take_over(&before, &saved.value);
                self.run_tick_effects(saved, effects, now, take_over).await;
                Ok(true)
            }
            Settled::Nothing(stored) => {
                // Another node claimed it (its cluster event may still be on the way), or our row was stale.
                self.catalog_mut().upsert(&stored.value);
                self.deadlines_changed();
                Ok(false)
            }
            Settled::Gone => Ok(false),
        }
    }

    /// Makes the scheduler's decision `decide` (no actor: claims, take-overs, confirmations) on `stored` and saves it
    /// with compare-and-set, re-reading and re-deciding after a conflict; a saved decision is recorded in the read
    /// model and told to the other nodes.
    async fn settle(
        &self,
        mut stored: Stored<Incident>,
        decide: impl Fn(&Incident) -> Option<Decision>,
    ) -> Result<Settled, AppError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(decision) = decide(&stored.value) else { return Ok(Settled::Nothing(stored)) };
            match self.store.save(&stored, decision.incident).await {
                Ok(saved) => {
                    self.saved(&saved.value).await;
                    return Ok(Settled::Saved { before: Box::new(stored.value), saved, effects: decision.effects });
                }
                Err(StoreError::Conflict) => match self.store.load(&stored.value.id).await? {
                    Some(fresh) => stored = fresh,
                    None => return Ok(Settled::Gone),
                },
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Busy)
    }

    /// The effects of a claimed tick; the reminder itself goes out with its buttons, unless this node took the claim
    /// over and finds the dead claimant's post, and is then confirmed.
    async fn run_tick_effects(&self, saved: Stored<Incident>, effects: Vec<Effect>, now: Timestamp, take_over: bool) {
        let incident = &saved.value;
        let ctx = Ctx { user: incident.commander.clone(), team: Some(incident.team.clone()), channel: None, now };
        let (reminders, rest): (Vec<Effect>, Vec<Effect>) =
            effects.into_iter().partition(|e| matches!(e, Effect::Post { message: Message::ReminderDue, .. }));
        let mut names = Names::default();
        let report = self.run_effects(&ctx, incident, rest, &mut names).await;
        for warning in report.warnings {
            tracing::warn!(incident = %incident.id, "{warning}");
        }
        if let Err(e) = names.ensure(&*self.people, [&incident.commander]).await {
            tracing::warn!(error = %e, "looking up the commander failed; the reminder names them as \"someone\"");
        }
        let Some(due) = incident.reminder.posting.map(|p| p.due) else { return };
        for effect in reminders {
            if let Effect::Post { channel, message, .. } = effect {
                let text = render::message(&message, incident, now, &names);
                let found =
                    if take_over { self.chat.has_reminder(&channel, &incident.id, due).await } else { Ok(false) };
                let posted = match found {
                    Ok(true) => Ok(()),
                    Ok(false) => self.chat.post_reminder(&channel, &incident.id, due, &text).await,
                    Err(e) => Err(e),
                };
                match posted {
                    Ok(()) => self.confirm_reminder(saved.clone(), due, now).await,
                    // The claim stays: when its lease ends, a node takes it over and tries again.
                    Err(e) => tracing::warn!(error = %e, incident = %incident.id, "posting a due reminder failed"),
                }
            }
        }
    }

    /// Clears the claim of the reminder due at `due`, now posted (a CAS write; re-read on conflict). A failure only
    /// means a later take-over finds the post and confirms it then.
    async fn confirm_reminder(&self, stored: Stored<Incident>, due: Timestamp, now: Timestamp) {
        if let Err(e) = self.settle(stored, |incident| reminder_posted(incident, due, now)).await {
            tracing::warn!(error = %e, "confirming a posted reminder failed");
        }
    }

    /// "Snooze" on a reminder: the next one comes `ms` from now (at least a minute). Returns the text that
    /// replaces the reminder's buttons.
    pub async fn snooze_reminder(&self, ctx: &Ctx, id: &IncidentId, ms: u64) -> Result<String, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        self.apply(ctx, chosen, Action::SnoozeReminder { ms }, &mut names).await?;
        let who = names.users.get(&ctx.user).map_or_else(|| "someone".to_owned(), |p| format!("@{}", p.username));
        Ok(format!("Snoozed by {who}: the next reminder comes in {}.", HumanDuration(ms)))
    }

    /// "Dismiss" on a reminder: recorded on the timeline; no next reminder is set (the due one was already
    /// claimed). Returns the text that replaces the buttons.
    pub async fn dismiss_reminder(&self, ctx: &Ctx, id: &IncidentId) -> Result<String, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        self.apply(ctx, chosen, Action::DismissReminder, &mut names).await?;
        let who = names.users.get(&ctx.user).map_or_else(|| "someone".to_owned(), |p| format!("@{}", p.username));
        Ok(format!("Reminder dismissed by {who}."))
    }
}
