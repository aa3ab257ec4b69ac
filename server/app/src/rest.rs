//! Use cases for the REST API the webapp calls: one action on one incident named by id, with the same rules as the
//! slash commands (hidden incidents read as NotFound), returning the saved incident so the caller can show it.
//! The request counts as coming from the incident's channel: what the channel gets posted is not echoed back.

use incident_core::{Action, DomainError, Incident, IncidentId, Member, UserId};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;

/// The saved incident after an action, and the texts meant for the actor (warnings, replies).
#[derive(Debug, Clone)]
pub struct Acted {
    /// The incident as saved.
    pub incident: Incident,
    /// Texts for the actor (empty when the channel post says it all).
    pub reply: String,
}

impl App {
    /// Applies `action` to the incident `id` for `ctx.user` if they may read it (NotFound otherwise, as for a
    /// missing id); the core's access rules decide whether they may change it.
    pub async fn act_on(&self, ctx: &Ctx, id: &IncidentId, action: Action) -> Result<Acted, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let ctx = Ctx { channel: Some(chosen.stored.value.channel.clone()), ..ctx.clone() };
        let (incident, report) = self.apply(&ctx, chosen, action, &mut names).await?;
        Ok(Acted { incident, reply: report.text() })
    }

    /// Makes the user `to` (by id) the commander of `id`, with the same membership rule as `/incident commander`.
    pub async fn change_commander_to(&self, ctx: &Ctx, id: &IncidentId, to: &UserId) -> Result<Acted, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let person = self
            .people
            .users(std::slice::from_ref(to))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::UnknownUser(to.to_string()))?;
        let is_channel_member = self.people.is_channel_member(&chosen.stored.value.channel, &person.id).await?;
        let member = Member { id: person.id, username: person.username, is_channel_member };
        let ctx = Ctx { channel: Some(chosen.stored.value.channel.clone()), ..ctx.clone() };
        let (incident, report) = self.apply(&ctx, chosen, Action::ChangeCommander { to: member }, &mut names).await?;
        Ok(Acted { incident, reply: report.text() })
    }
}

/// Whether an error is the "open tasks, confirm first" refusal of ending an incident.
pub fn needs_confirmation(e: &AppError) -> bool {
    matches!(e, AppError::Domain(DomainError::OpenTasks { .. }))
}
