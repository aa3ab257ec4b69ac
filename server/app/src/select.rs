//! Finding the incident a request means and the facts about the actor that access rules need.

use std::collections::BTreeMap;

use incident_core::{Access, Actor, ChannelId, Incident, IncidentId, IncidentRef, Operation, TeamId, access, select};
use incident_store::Stored;

use crate::app::{App, Ctx, Names};
use crate::error::AppError;

/// The chosen incident, as read (for compare-and-set), and the actor's standing with it.
#[derive(Debug, Clone)]
pub(crate) struct Chosen {
    pub(crate) stored: Stored<Incident>,
    pub(crate) actor: Actor,
}

/// Membership answers gathered during one request.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    channels: BTreeMap<ChannelId, bool>,
    teams: BTreeMap<TeamId, bool>,
}

impl App {
    /// The incident a command means: the current channel's (without a reference) or the team's that matches
    /// `target`, among those the actor may read. Also loads the names its rendering needs.
    pub(crate) async fn choose(
        &self,
        ctx: &Ctx,
        target: Option<&IncidentRef>,
        names: &mut Names,
    ) -> Result<Chosen, AppError> {
        let ids = match target {
            None => self.channel_incident_ids(ctx.channel.as_ref().ok_or(AppError::NoContext)?).await?,
            Some(r) => {
                let team = ctx.team.as_ref().ok_or(AppError::NoContext)?;
                self.catalog().find(team, r).into_iter().map(|row| row.id.clone()).collect()
            }
        };
        let mut loaded = Vec::new();
        for id in &ids {
            if let Some(stored) = self.store.load(id).await? {
                loaded.push(stored);
            }
        }
        let mut facts = Facts::default();
        let mut candidates: Vec<Chosen> = Vec::new();
        names
            .ensure(
                &*self.people,
                std::iter::once(&ctx.user).chain(loaded.iter().flat_map(|s| Names::people_of(&s.value))),
            )
            .await?;
        for stored in loaded {
            let actor = self.actor(&ctx.user, &stored.value, names, &mut facts).await?;
            if access::check(&actor, Operation::Read, &stored.value) == Access::Allowed {
                candidates.push(Chosen { stored, actor });
            }
        }
        let refs: Vec<&Incident> = candidates.iter().map(|c| &c.stored.value).collect();
        let chosen = select(target, &refs)?.id.clone();
        candidates
            .into_iter()
            .find(|c| c.stored.value.id == chosen)
            .ok_or(AppError::Domain(incident_core::DomainError::NotFound))
    }

    /// One incident by id, if the actor may read it; otherwise NotFound exactly as for a missing id.
    pub(crate) async fn readable(
        &self,
        user: &incident_core::UserId,
        id: &IncidentId,
        names: &mut Names,
    ) -> Result<Chosen, AppError> {
        let not_found = AppError::Domain(incident_core::DomainError::NotFound);
        let stored = self.store.load(id).await?.ok_or(not_found.clone())?;
        names.ensure(&*self.people, std::iter::once(user).chain(Names::people_of(&stored.value))).await?;
        let actor = self.actor(user, &stored.value, names, &mut Facts::default()).await?;
        if access::check(&actor, Operation::Read, &stored.value) != Access::Allowed {
            return Err(not_found);
        }
        Ok(Chosen { stored, actor })
    }

    /// The actor's standing with `incident`: channel membership first (it implies team membership).
    pub(crate) async fn actor(
        &self,
        user: &incident_core::UserId,
        incident: &Incident,
        names: &Names,
        facts: &mut Facts,
    ) -> Result<Actor, AppError> {
        let is_system_admin = names.is_admin(user);
        let is_channel_member = match facts.channels.get(&incident.channel) {
            Some(known) => *known,
            None => {
                let known = self.people.is_channel_member(&incident.channel, user).await?;
                facts.channels.insert(incident.channel.clone(), known);
                known
            }
        };
        let is_team_member = if is_channel_member || is_system_admin {
            true
        } else if let Some(known) = facts.teams.get(&incident.team) {
            *known
        } else {
            let known = self.people.is_team_member(&incident.team, user).await?;
            facts.teams.insert(incident.team.clone(), known);
            known
        };
        Ok(Actor { id: user.clone(), is_system_admin, is_team_member, is_channel_member })
    }

    /// The incidents of a channel: from the read model, or from the channel index when the read model has none
    /// (a start on another node whose cluster event has not arrived yet).
    pub(crate) async fn channel_incident_ids(&self, channel: &ChannelId) -> Result<Vec<IncidentId>, AppError> {
        let ids = self.catalog().in_channel(channel);
        if !ids.is_empty() {
            return Ok(ids);
        }
        Ok(self.store.channel_incidents(channel).await?)
    }
}
