//! Use cases for the REST API the webapp calls: one action on one incident named by id, with the same rules as the
//! slash commands (hidden incidents read as NotFound), returning the saved incident so the caller can show it.
//! The request counts as coming from the incident's channel: what the channel gets posted is not echoed back.

use incident_core::{Action, ChannelId, DomainError, Incident, IncidentId, Member, TaskAt, UserId};

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

    /// Posts a status update on `id`, then broadcasts it to the playbook's channels as `/incident update` does; a
    /// failed broadcast is told in `reply`, never an error.
    pub async fn post_update_on(
        &self,
        ctx: &Ctx,
        id: &IncidentId,
        message: String,
        reminder_ms: Option<u64>,
    ) -> Result<Acted, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let ctx = Ctx { channel: Some(chosen.stored.value.channel.clone()), ..ctx.clone() };
        let action = Action::PostStatusUpdate { message, reminder_ms };
        let (incident, report) = self.apply(&ctx, chosen, action, &mut names).await?;
        let failed = self.broadcast_update(&incident, &names).await;
        let reply = std::iter::once(report.text()).chain(failed).filter(|t| !t.is_empty()).collect::<Vec<_>>();
        Ok(Acted { incident, reply: reply.join("\n\n") })
    }

    /// Makes the user `to` (by id) the commander of `id`, with the same membership rule as `/incident commander`.
    pub async fn change_commander_to(&self, ctx: &Ctx, id: &IncidentId, to: &UserId) -> Result<Acted, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let to = self.member_by_id(&chosen.stored.value.channel, to).await?;
        let ctx = Ctx { channel: Some(chosen.stored.value.channel.clone()), ..ctx.clone() };
        let (incident, report) = self.apply(&ctx, chosen, Action::ChangeCommander { to }, &mut names).await?;
        Ok(Acted { incident, reply: report.text() })
    }

    /// Gives the task `at` of `id` to the user `to` (by id; a channel member, as `/incident assign`), or clears its
    /// assignee when `to` is None.
    pub async fn assign_to(
        &self,
        ctx: &Ctx,
        id: &IncidentId,
        at: TaskAt,
        to: Option<&UserId>,
    ) -> Result<Acted, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let action = match to {
            Some(to) => Action::Assign { at, to: self.member_by_id(&chosen.stored.value.channel, to).await? },
            None => Action::Unassign { at },
        };
        let ctx = Ctx { channel: Some(chosen.stored.value.channel.clone()), ..ctx.clone() };
        let (incident, report) = self.apply(&ctx, chosen, action, &mut names).await?;
        Ok(Acted { incident, reply: report.text() })
    }

    /// A user named by id, with whether they are in `channel`.
    async fn member_by_id(&self, channel: &ChannelId, user: &UserId) -> Result<Member, AppError> {
        let person = self
            .people
            .users(std::slice::from_ref(user))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::UnknownUser(user.to_string()))?;
        let is_channel_member = self.people.is_channel_member(channel, &person.id).await?;
        Ok(Member { id: person.id, username: person.username, is_channel_member })
    }
}

/// Whether an error is the "open tasks, confirm first" refusal of ending an incident.
pub fn needs_confirmation(e: &AppError) -> bool {
    matches!(e, AppError::Domain(DomainError::OpenTasks { .. }))
}
