//! Private incidents' access use cases: request, allow/deny, grant, revoke, visibility, and "who has access".
//!
//! Existence never leaks: everything that reaches an incident the user may not read answers
//! `DomainError::NotFound`, exactly as for a missing id ([`App::readable`]); `decide` checks access again.

use incident_core::{Action, DomainError, Incident, IncidentId, Member, Operation, UserId, Visibility, access};
use serde::Serialize;

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::select::{Chosen, Facts};

/// One person in "who has access".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    /// The user.
    pub user_id: UserId,
    /// Username (empty if the user no longer exists).
    pub username: String,
    /// `member` (in the channel), `invited` (granted, not in the channel) or `revoked` (listed greyed out).
    pub state: AccessState,
    /// End of a time-boxed grant, in ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// Where a person stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessState {
    /// In the incident channel.
    Member,
    /// Granted access, not (yet) in the channel.
    Invited,
    /// Access revoked.
    Revoked,
}

impl App {
    /// "Request access": the actor asks to be let into a private incident. Every refusal the requester may not
    /// learn about (missing, not visible) is `NotFound`; the edge answers all outcomes alike.
    pub async fn request_access(&self, ctx: &Ctx, id: &IncidentId) -> Result<(), AppError> {
        let not_found = || AppError::Domain(DomainError::NotFound);
        let stored = self.store.load(id).await?.ok_or_else(not_found)?;
        let mut names = Names::default();
        names.ensure(&*self.people, std::iter::once(&ctx.user).chain(Names::people_of(&stored.value))).await?;
        let actor = self.actor(&ctx.user, &stored.value, &names, &mut Facts::default()).await?;
        // Outside the team: not visible at all (no request can reach the channel).
        if !actor.is_team_member && !actor.is_system_admin {
            return Err(not_found());
        }
        let chosen = crate::select::Chosen { stored, actor };
        self.apply(ctx, chosen, Action::RequestAccess, &mut names).await.map(|_| ())
    }

    /// Allow (`allow`) or Deny on a request, by a channel member. A second click answers "already answered".
    pub async fn answer_access_request(
        &self,
        ctx: &Ctx,
        id: &IncidentId,
        requester: &UserId,
        allow: bool,
    ) -> Result<String, AppError> {
        let mut names = Names::default();
        let (chosen, member) = self.question_about(ctx, id, requester, &mut names).await?;
        let pending = chosen.stored.value.access.requests.iter().any(|r| &r.user == requester && r.pending);
        if !pending {
            return Err(DomainError::NoPendingRequest(member.username).into());
        }
        let username = member.username.clone();
        let action = if allow {
            Action::GrantAccess { to: member, expires_at: None }
        } else {
            Action::DenyAccess { requester: member }
        };
        let (_, report) = self.apply(ctx, chosen, action, &mut names).await?;
        let done = if allow { format!("You allowed @{username} in.") } else { "You denied the request.".into() };
        Ok(answered(done, report.text()))
    }

    /// Remove (`remove`) or Keep on "@x left the channel; remove their access?", by a channel member. A second
    /// click (or one after they rejoined) answers "already decided".
    pub async fn answer_left_channel(
        &self,
        ctx: &Ctx,
        id: &IncidentId,
        user: &UserId,
        remove: bool,
    ) -> Result<String, AppError> {
        let mut names = Names::default();
        let (chosen, member) = self.question_about(ctx, id, user, &mut names).await?;
        let username = member.username.clone();
        let (_, report) =
            self.apply(ctx, chosen, Action::AnswerLeftChannel { user: member, remove }, &mut names).await?;
        let done = if remove {
            format!("You removed @{username}'s access.")
        } else {
            format!("@{username} keeps access and can rejoin from the incident page.")
        };
        Ok(answered(done, report.text()))
    }

    /// The common start of an answer to an access question: the incident, if the clicker may read it and is in its
    /// channel (system admins too only when they are in it), and the person the question is about.
    async fn question_about(
        &self,
        ctx: &Ctx,
        id: &IncidentId,
        person: &UserId,
        names: &mut Names,
    ) -> Result<(Chosen, Member), AppError> {
        let chosen = self.readable(&ctx.user, id, names).await?;
        if !chosen.actor.is_channel_member {
            return Err(DomainError::Denied(incident_core::DenyReason::NotChannelMember).into());
        }
        names.ensure(&*self.people, std::iter::once(person)).await?;
        let username = names.users.get(person).map(|p| p.username.clone()).unwrap_or_else(|| "someone".into());
        let is_channel_member = self.people.is_channel_member(&chosen.stored.value.channel, person).await?;
        Ok((chosen, Member { id: person.clone(), username, is_channel_member }))
    }

    /// "Join channel" on the incident page: anyone who may read the incident (team members for a public one,
    /// people with access for a private one) is added to its channel.
    pub async fn join_channel(&self, ctx: &Ctx, id: &IncidentId) -> Result<String, AppError> {
        let chosen = self.readable(&ctx.user, id, &mut Names::default()).await?;
        let i = &chosen.stored.value;
        if chosen.actor.is_channel_member {
            return Ok(format!("You are already in the channel of {}.", i.reference()));
        }
        self.chat.add_member(&i.channel, &ctx.user).await?;
        Ok(format!("You joined the channel of {}.", i.reference()))
    }

    /// Grants `username` access (adds them to the channel); `for_ms` makes it a time-boxed grant.
    pub async fn grant_access(
        &self,
        ctx: &Ctx,
        id: &IncidentId,
        username: &str,
        for_ms: Option<u64>,
    ) -> Result<String, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let to = self.member_of(&chosen.stored.value, username).await?;
        let expires_at = for_ms.map(|ms| ctx.now.saturating_add_ms(ms));
        let (_, report) = self.apply(ctx, chosen, Action::GrantAccess { to, expires_at }, &mut names).await?;
        Ok(non_empty(report.text(), format!("@{} now has access.", username.trim_start_matches('@'))))
    }

    /// Revokes `username`'s access (removes them from the channel; the last member cannot be revoked).
    pub async fn revoke_access(&self, ctx: &Ctx, id: &IncidentId, username: &str) -> Result<String, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let user = self.member_of(&chosen.stored.value, username).await?;
        let channel_members = self.people.channel_members(&chosen.stored.value.channel).await?.len();
        let (_, report) = self.apply(ctx, chosen, Action::RevokeAccess { user, channel_members }, &mut names).await?;
        Ok(non_empty(report.text(), format!("@{}'s access was revoked.", username.trim_start_matches('@'))))
    }

    /// Public ⇄ private, by a channel member; going public needs `confirmed`. Recorded on the timeline.
    pub async fn set_visibility(
        &self,
        ctx: &Ctx,
        id: &IncidentId,
        to: Visibility,
        confirmed: bool,
    ) -> Result<String, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let (_, report) = self.apply(ctx, chosen, Action::SetVisibility { to, confirmed }, &mut names).await?;
        Ok(report.text())
    }

    /// "Who has access": channel members, invited and revoked people. Readers of the incident only.
    pub async fn access_list(&self, user: &UserId, id: &IncidentId) -> Result<Vec<AccessEntry>, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(user, id, &mut names).await?;
        let i = &chosen.stored.value;
        let members = self.people.channel_members(&i.channel).await?;
        let mut entries: Vec<(UserId, AccessState, Option<i64>)> = Vec::new();
        for m in &members {
            // Everyone in the channel can read it, so they are listed as members even when revoked (removing them
            // failed: revoking again retries).
            // A member through a time-boxed grant shows when it ends.
            let until = i.access.invited.iter().find(|g| &g.user == m).and_then(|g| g.expires_at);
            entries.push((m.clone(), AccessState::Member, until.map(|t| t.millis())));
        }
        for g in &i.access.invited {
            if !members.contains(&g.user) && !i.access.is_revoked(&g.user) {
                entries.push((g.user.clone(), AccessState::Invited, g.expires_at.map(|t| t.millis())));
            }
        }
        for r in i.access.revoked.iter().filter(|r| !members.contains(r)) {
            entries.push((r.clone(), AccessState::Revoked, None));
        }
        names.ensure(&*self.people, entries.iter().map(|(u, _, _)| u)).await?;
        let mut out: Vec<AccessEntry> = entries
            .into_iter()
            .map(|(user_id, state, expires_at)| AccessEntry {
                username: names.users.get(&user_id).map(|p| p.username.clone()).unwrap_or_default(),
                user_id,
                state,
                expires_at,
            })
            .collect();
        out.sort_by(|a, b| (a.state, &a.username).cmp(&(b.state, &b.username)));
        Ok(out)
    }

    /// Whether `user` may manage access of `id` (a channel member who can read it); NotFound when unreadable.
    pub async fn may_manage_access(&self, user: &UserId, id: &IncidentId) -> Result<bool, AppError> {
        let chosen = self.readable(user, id, &mut Names::default()).await?;
        Ok(access::check(&chosen.actor, Operation::ManageAccess, &chosen.stored.value)
            == incident_core::Access::Allowed)
    }

    async fn member_of(&self, incident: &Incident, username: &str) -> Result<Member, AppError> {
        let username = username.trim().trim_start_matches('@');
        let person = self.people.by_username(username).await?.ok_or_else(|| AppError::UnknownUser(username.into()))?;
        let is_channel_member = self.people.is_channel_member(&incident.channel, &person.id).await?;
        Ok(Member { id: person.id, username: person.username, is_channel_member })
    }
}

/// What the clicker is told: what they did, then any warnings.
fn answered(done: String, report: String) -> String {
    [done, report].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n\n")
}

fn non_empty(text: String, fallback: String) -> String {
    if text.is_empty() { fallback } else { text }
}

/// Usage of `/incident access …`.
pub const ACCESS_USAGE: &str = "Usage: `/incident access list`, `/incident access grant @username`, \
`/incident access revoke @username`, `/incident access private`, `/incident access public confirm` \
(run it in the incident's channel).";

impl App {
    /// `/incident access list|grant @u|revoke @u|private|public confirm` for the incident of the current channel.
    pub async fn access_command(&self, ctx: &Ctx, args: &str) -> Result<String, AppError> {
        let words: Vec<&str> = args.split_whitespace().collect();
        let usage = || AppError::Invalid(ACCESS_USAGE.into());
        let mut names = Names::default();
        let id = self.choose(ctx, None, &mut names).await?.stored.value.id;
        match words.as_slice() {
            ["list"] | [] => {
                let people = self.access_list(&ctx.user, &id).await?;
                let line = |e: &AccessEntry| {
                    let state = match e.state {
                        AccessState::Member => "member",
                        AccessState::Invited => "invited",
                        AccessState::Revoked => "~~revoked~~",
                    };
                    format!("- @{} ({state})", e.username)
                };
                Ok(format!("**Who has access**\n{}", people.iter().map(line).collect::<Vec<_>>().join("\n")))
            }
            ["grant", user] => self.grant_access(ctx, &id, user, None).await,
            ["revoke", user] => self.revoke_access(ctx, &id, user).await,
            ["private"] => self.set_visibility(ctx, &id, Visibility::Private, false).await,
            ["public"] => self.set_visibility(ctx, &id, Visibility::Public, false).await,
            ["public", "confirm"] => self.set_visibility(ctx, &id, Visibility::Public, true).await,
            _ => Err(usage()),
        }
    }
}
