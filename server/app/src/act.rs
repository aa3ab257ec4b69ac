//! The write path: decide on the state as read, save with compare-and-set, and on conflict re-load and re-decide
//! (bounded), then carry out the effects. Nothing is executed before the state is saved.

use incident_core::render;
use incident_core::{Action, Author, DomainError, Effect, Incident, UserId, decide};
use incident_store::StoreError;

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::ports::AccessQuestion;
use crate::select::Chosen;

/// How many times a decision is re-made on a fresh read before the user is asked to try again.
pub const SAVE_ATTEMPTS: u32 = 10;

/// The pause before re-reading after a lost compare-and-set: random (so racing writers spread out) and growing,
/// up to 5 ms × 2^attempt, at most 100 ms.
fn backoff(attempt: u32) -> std::time::Duration {
    use std::hash::{BuildHasher, Hasher};
    let cap_us = (5_000u64 << attempt.min(5)).min(100_000);
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    std::time::Duration::from_micros(random % (cap_us + 1))
}

/// What a saved decision produced for the person who asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    /// Texts for the actor (ephemeral messages, posts they cannot see from where they are).
    pub(crate) replies: Vec<String>,
    /// Effects that failed after the state was saved.
    pub(crate) warnings: Vec<String>,
}

impl Report {
    /// The reply: the actor's texts, then warnings.
    pub(crate) fn text(&self) -> String {
        self.replies.iter().chain(&self.warnings).cloned().collect::<Vec<_>>().join("\n\n")
    }
}

impl App {
    /// Applies `action` to the chosen incident with compare-and-set, retrying on conflict with a fresh read.
    pub(crate) async fn apply(
        &self,
        ctx: &Ctx,
        chosen: Chosen,
        action: Action,
        names: &mut Names,
    ) -> Result<(Incident, Report), AppError> {
        let Chosen { mut stored, actor } = chosen;
        for attempt in 0..SAVE_ATTEMPTS {
            let decision = decide(&stored.value, &actor, action.clone(), ctx.now)?;
            match self.store.save(&stored, decision.incident).await {
                Ok(saved) => {
                    self.saved(&saved.value).await;
                    let report = self.run_effects(ctx, &saved.value, decision.effects, names).await;
                    return Ok((saved.value, report));
                }
                Err(StoreError::Conflict) => {
                    tokio::time::sleep(backoff(attempt)).await;
                    let id = stored.value.id.clone();
                    stored = self.store.load(&id).await?.ok_or(AppError::Domain(DomainError::NotFound))?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Busy)
    }

    /// Carries out effects after a save. Failures become warnings: the state is already saved and stays.
    pub(crate) async fn run_effects(
        &self,
        ctx: &Ctx,
        incident: &Incident,
        effects: Vec<Effect>,
        names: &mut Names,
    ) -> Report {
        let mut report = Report::default();
        let mut mentioned: Vec<UserId> = Vec::new();
        for e in &effects {
            match e {
                Effect::Post { message, .. } | Effect::Ephemeral { message, .. } => {
                    mentioned.extend(message.mentions().into_iter().cloned());
                }
                Effect::AddChannelMember { user, .. } | Effect::RemoveChannelMember { user, .. } => {
                    mentioned.push(user.clone());
                }
                _ => {}
            }
        }
        mentioned.extend(Names::people_of(incident).into_iter().cloned());
        if let Err(e) = names.ensure(&*self.people, &mentioned).await {
            tracing::warn!(error = %e, "looking up usernames failed; posts name people as \"someone\"");
        }
        let announces = effects
            .iter()
            .any(|e| matches!(e, Effect::Post { message: incident_core::Message::Announcement { .. }, .. }));
        if announces
            && !names.channels.contains_key(&incident.channel)
            && let Ok(Some(info)) = self.chat.channel(&incident.channel).await
        {
            names.channels.insert(info.id, info.name);
        }
        for effect in effects {
            self.run_effect(ctx, incident, effect, names, &mut report).await;
        }
        report
    }

    async fn run_effect(&self, ctx: &Ctx, incident: &Incident, effect: Effect, names: &Names, report: &mut Report) {
        let who =
            |user: &UserId| names.users.get(user).map_or_else(|| "someone".to_owned(), |p| format!("@{}", p.username));
        match effect {
            Effect::Post { channel, author, message } => {
                let text = render::message(&message, incident, ctx.now, names);
                let author = match author {
                    Author::Bot => None,
                    Author::User(user) => Some(user),
                };
                let posted = match (&message, &author) {
                    (incident_core::Message::AccessRequested { requester }, None) => {
                        let question = AccessQuestion::Request { requester: requester.clone() };
                        self.chat.post_access_question(&channel, &incident.id, question, &text).await
                    }
                    (incident_core::Message::AskRemoveAccess { user }, None) => {
                        let question = AccessQuestion::LeftChannel { user: user.clone() };
                        self.chat.post_access_question(&channel, &incident.id, question, &text).await
                    }
                    _ => self.chat.post(&channel, author.as_ref(), &text).await,
                };
                match posted {
                    Err(e) => report.warnings.push(format!("Saved, but posting in the channel failed: {e}.")),
                    Ok(()) if channel == incident.channel && ctx.channel.as_ref() != Some(&channel) => {
                        report.replies.push(text);
                    }
                    Ok(()) => {}
                }
            }
            Effect::Ephemeral { user, channel, message } => {
                let text = render::message(&message, incident, ctx.now, names);
                // A welcome goes out from a channel hook, where there is no reply to carry it.
                if user == ctx.user && message != incident_core::Message::Welcome {
                    report.replies.push(text);
                } else if let Err(e) = self.chat.ephemeral(&user, &channel, &text).await {
                    tracing::warn!(error = %e, "an ephemeral message could not be sent");
                }
            }
            Effect::Publish { audience, delta } => {
                if let Err(e) = self.events.publish(&audience, &delta).await {
                    tracing::warn!(error = %e, "publishing a websocket event failed");
                }
            }
            Effect::AddChannelMember { channel, user } => {
                if let Err(e) = self.chat.add_member(&channel, &user).await {
                    report.warnings.push(format!("Could not add {} to the incident channel: {e}.", who(&user)));
                }
            }
            Effect::RemoveChannelMember { channel, user } => {
                if let Err(e) = self.chat.remove_member(&channel, &user).await {
                    report.warnings.push(format!(
                        "Could not remove {} from the incident channel ({e}); they stay listed as still having access.",
                        who(&user)
                    ));
                }
            }
            Effect::SetChannelPrivacy { channel, private } => {
                if let Err(e) = self.chat.set_channel_privacy(&channel, private).await {
                    report.warnings.push(format!("Saved, but changing the channel's privacy failed: {e}."));
                }
            }
            Effect::ScheduleDeadline { incident, at } => {
                tracing::debug!(%incident, at = at.millis(), "deadline moved (picked up by the scheduler from the record)");
            }
            Effect::CancelDeadline { incident } => tracing::debug!(%incident, "deadline cleared"),
            Effect::Webhook { event, url } => self.queue_webhook(incident, event, url, names),
            Effect::RunSlashCommand { command, .. } => report.warnings.push(format!(
                "The plugin API of this server cannot run slash commands for you; run `{command}` yourself."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_is_random_within_a_growing_cap() {
        for attempt in 0..12 {
            let cap = Duration::from_micros((5_000u64 << attempt.min(5)).min(100_000));
            let samples: Vec<Duration> = (0..200).map(|_| backoff(attempt)).collect();
            assert!(samples.iter().all(|d| *d <= cap), "attempt {attempt}: over {cap:?}");
            assert!(samples.iter().any(|d| *d != samples[0]), "attempt {attempt}: not random");
        }
    }
}
