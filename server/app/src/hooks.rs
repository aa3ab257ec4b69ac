//! Channel hooks: membership changes go on the timeline; posts are counted (never stored) for the review.

use incident_core::{Action, Actor, ChannelId};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::select::Chosen;

impl App {
    /// `user` joined (true) or left `channel`: recorded on every incident of the channel. Only the read model is
    /// consulted, so hooks in ordinary channels cost no PluginAPI call.
    pub async fn membership_changed(&self, ctx: &Ctx, channel: &ChannelId, joined: bool) -> Result<(), AppError> {
        let ids: Vec<_> = {
            let catalog = self.catalog();
            let known =
                |id: &incident_core::IncidentId| catalog.get(id).is_some_and(|r| r.participants.contains(&ctx.user));
            // A join of someone already known to be in the channel (the reporter and commander the start added)
            // is not news: skip it without a call.
            catalog.in_channel(channel).into_iter().filter(|id| !(joined && known(id))).collect()
        };
        for id in ids {
            let Some(stored) = self.store.load(&id).await? else { continue };
            // Hooks record facts and reveal nothing, so decide() checks no access for them.
            let actor =
                Actor { id: ctx.user.clone(), is_system_admin: false, is_team_member: true, is_channel_member: joined };
            let action = if joined { Action::MemberJoined } else { Action::MemberLeft };
            let hook_ctx = Ctx { channel: Some(channel.clone()), ..ctx.clone() };
            self.apply(&hook_ctx, Chosen { stored, actor }, action, &mut Names::default()).await?;
        }
        Ok(())
    }

    /// A (non-bot) message was posted in `channel`: counts it for each incident of the channel.
    pub async fn message_posted(&self, channel: &ChannelId) -> Result<(), AppError> {
        let ids = self.catalog().in_channel(channel);
        for id in ids {
            self.store.count_message(&id).await?;
        }
        Ok(())
    }

    /// How many messages were posted in the incident's channel since it started.
    pub async fn message_count(&self, id: &incident_core::IncidentId) -> Result<u64, AppError> {
        Ok(self.store.message_count(id).await?)
    }
}
