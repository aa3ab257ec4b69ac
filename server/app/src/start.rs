//! Starting an incident: number, channel, record — in an order where a failure leaves nothing half-written.
//!
//! 1. validate and check the team (no side effect yet);
//! 2. allocate the team number (CAS; a failed start skips it, numbers are never reused);
//! 3. note the channel name in the start journal, then create the channel (next name on conflict, noted first);
//! 4. index the channel and the team shard (entries without a record are ignored by every reader);
//! 5. write the record with CAS-if-absent: the commit point;
//! 6. read model, cluster event, effects (members, overview post, websocket).
//!
//! If 4 or 5 fails, the channel is retired (renamed: the PluginAPI subset cannot archive), the index entries are
//! removed, and the user is told so. If the node dies between 3 and 5, nothing runs that compensation: the journal
//! entry outlives it, and the activation sweep (`recovery.rs`) retires the channel later. After 5 (or a
//! compensation) the journal entry is removed. When the node lives but the entry stays (CreateChannel's answer was
//! lost, or the compensation failed), the node sweeps by itself once the entry has timed out.

use incident_core::incident::Checklist;
use incident_core::{
    ChannelId, Incident, IncidentId, StartIds, StartParams, TeamId, UserId, Visibility, channel_name, start,
    validate_name,
};
use incident_store::{StartIntent, StartTicket};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::ports::{ChatError, NewChannel};

/// How an incident channel's purpose starts (`Incident INC-00042:`): the start writes it, and the crash sweep
/// recognises the channel of an unfinished start by it.
pub(crate) fn purpose_prefix(number: u64) -> String {
    format!("Incident {}:", incident_core::incident::reference(number))
}

/// How many channel names (`name`, `name-2`, …) are tried before giving up.
const CHANNEL_NAME_ATTEMPTS: u32 = 20;

/// What to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartRequest {
    /// The team.
    pub team: TeamId,
    /// The name as typed.
    pub name: String,
    /// Markdown description.
    pub description: String,
    /// The commander (None: the reporter).
    pub commander: Option<UserId>,
    /// Public or private.
    pub visibility: Visibility,
}

impl StartRequest {
    /// A public incident named `name` with defaults.
    pub fn named(team: TeamId, name: impl Into<String>) -> Self {
        StartRequest {
            team,
            name: name.into(),
            description: String::new(),
            commander: None,
            visibility: Visibility::Public,
        }
    }
}

/// A started incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    /// The incident as saved.
    pub incident: Incident,
    /// Its channel's URL name.
    pub channel_name: String,
    /// Effects that failed after the incident was saved.
    pub warnings: Vec<String>,
}

impl Started {
    /// The reply to the reporter.
    pub fn reply(&self) -> String {
        let mut text =
            format!("Started **{}** ({}) in ~{}.", self.incident.name, self.incident.reference(), self.channel_name);
        for w in &self.warnings {
            text.push_str("\n\n");
            text.push_str(w);
        }
        text
    }
}

/// The default checklist of an incident started without a playbook: one empty list to `checkadd` to.
fn default_checklists() -> Vec<Checklist> {
    vec![Checklist { title: "Tasks".into(), items: Vec::new() }]
}

impl App {
    /// Starts an incident for `ctx.user`.
    pub async fn start(&self, ctx: &Ctx, req: StartRequest) -> Result<Started, AppError> {
        self.start_from(ctx, req, None).await
    }

    /// Starts an incident, from `playbook` if given (its checklists, first reminder and id; see `playbooks.rs`).
    pub(crate) async fn start_from(
        &self,
        ctx: &Ctx,
        req: StartRequest,
        playbook: Option<&incident_store::Playbook>,
    ) -> Result<Started, AppError> {
        let name = validate_name(&req.name)?;
        if !self.people.is_team_member(&req.team, &ctx.user).await? {
            return Err(AppError::NotTeamMember);
        }
        let mut names = Names::default();
        let mut warnings = Vec::new();
        let mut req = req;
        let mut invite = Vec::new();
        if let Some(p) = playbook {
            self.apply_playbook(ctx, p, &mut req, &mut invite, &mut names, &mut warnings).await?;
        }
        if let Some(commander) = req.commander.as_ref().filter(|c| **c != ctx.user) {
            names.ensure(&*self.people, [commander]).await?;
            let username = names.users.get(commander).map(|p| p.username.clone());
            let Some(username) = username else {
                return Err(AppError::UnknownUser(commander.to_string()));
            };
            if !self.people.is_team_member(&req.team, commander).await? {
                return Err(AppError::UserNotInTeam(username));
            }
        }
        let id = self.new_incident_id()?;
        // The number and the journal note in one write: from here a dead node's start is found by the sweep.
        let note = StartIntent {
            incident: id.clone(),
            team: req.team.clone(),
            number: 0,
            slug: channel_name(&name, 0),
            at: ctx.now,
        };
        let mut ticket = self.store.begin_start(note).await?;
        let number = ticket.number;
        let private_channel = playbook.is_some_and(|p| p.private_channel);
        let (channel, slug) = self.create_channel(ctx, &req, &name, (&id, &mut ticket), private_channel).await?;
        let automation = playbook.map(|p| &p.automation);
        let params = StartParams {
            name,
            description: req.description.clone(),
            team: req.team.clone(),
            reporter: ctx.user.clone(),
            commander: req.commander.clone(),
            visibility: req.visibility,
            playbook: playbook.map(|p| p.id.clone()),
            checklists: playbook
                .map(|p| p.incident_checklists(ctx.now))
                .filter(|c| !c.is_empty())
                .unwrap_or_else(default_checklists),
            invite,
            reminder_ms: playbook.and_then(|p| p.reminder_ms),
            announce_in: automation.and_then(|a| a.announce_channel.clone()),
            create_webhook: automation.and_then(|a| a.create_webhook.clone()),
            automation: incident_core::incident::Automation {
                welcome_message: automation.map(|a| a.welcome_message.clone()).unwrap_or_default(),
                update_webhook: automation.and_then(|a| a.update_webhook.clone()),
                update_template: playbook.map(|p| p.templates.status_update.clone()).unwrap_or_default(),
            },
        };
        let ids = StartIds { incident: id.clone(), channel: channel.clone(), number };
        let decision = match start(params, ids, ctx.now) {
            Ok(d) => d,
            Err(e) => {
                return Err(self
                    .retire(ctx, &mut ticket, &req.team, (&id, &channel, &slug), None, e.to_string())
                    .await);
            }
        };
        let incident = decision.incident;
        if let Err(e) = self.commit(&incident).await {
            let reason = e.to_string();
            return Err(self
                .retire(ctx, &mut ticket, &req.team, (&id, &channel, &slug), Some(&incident), reason)
                .await);
        }
        if let Err(e) = self.store.finish_start(&req.team, &incident.id, &mut ticket).await {
            // Harmless: the sweep finds the record and only removes the entry.
            tracing::warn!(error = %e, incident = %incident.id, "clearing the start journal failed");
        }
        self.saved(&incident).await;
        let report = self.run_effects(ctx, &incident, decision.effects, &mut names).await;
        warnings.extend(report.warnings);
        Ok(Started { incident, channel_name: slug, warnings })
    }

    async fn create_channel(
        &self,
        ctx: &Ctx,
        req: &StartRequest,
        name: &str,
        (id, ticket): (&IncidentId, &mut StartTicket),
        private_channel: bool,
    ) -> Result<(ChannelId, String), AppError> {
        let number = ticket.number;
        for attempt in 0..CHANNEL_NAME_ATTEMPTS {
            let slug = channel_name(name, attempt);
            if attempt > 0 {
                self.store.rename_start(&req.team, id, &slug, ticket).await?;
            }
            let spec = NewChannel {
                team: req.team.clone(),
                name: slug.clone(),
                display_name: name.to_owned(),
                private: private_channel || req.visibility == Visibility::Private,
                purpose: format!("{} {name}", purpose_prefix(number)),
                creator: ctx.user.clone(),
            };
            match self.chat.create_channel(&spec).await {
                Ok(channel) => return Ok((channel, slug)),
                Err(ChatError::NameTaken) => continue,
                Err(e @ ChatError::Unavailable(_)) => {
                    // The server may have made the channel before the answer was lost: the note stays, and the
                    // sweep retires such a channel (or only drops the note) once the start is surely dead.
                    self.sweep_journal_later(ctx.now);
                    return Err(e.into());
                }
                Err(e) => {
                    let _ = self.store.finish_start(&req.team, id, ticket).await;
                    return Err(e.into());
                }
            }
        }
        let _ = self.store.finish_start(&req.team, id, ticket).await;
        Err(AppError::Invalid(format!(
            "Every channel name for “{name}” is taken (tried {CHANNEL_NAME_ATTEMPTS}). Choose another incident name."
        )))
    }

    /// What a playbook changes in a start request: the default commander (when none was named), the overview
    /// template (when no description was written) and who is invited. People who left the team are skipped with a
    /// warning: a stale playbook never blocks a start.
    async fn apply_playbook(
        &self,
        ctx: &Ctx,
        playbook: &incident_store::Playbook,
        req: &mut StartRequest,
        invite: &mut Vec<UserId>,
        names: &mut Names,
        warnings: &mut Vec<String>,
    ) -> Result<(), AppError> {
        let wanted: Vec<UserId> =
            playbook.invitees().into_iter().chain(playbook.automation.default_commander.clone()).collect();
        names.ensure(&*self.people, &wanted).await?;
        for user in &wanted {
            let in_team = names.users.contains_key(user) && self.people.is_team_member(&req.team, user).await?;
            let is_commander = playbook.automation.default_commander.as_ref() == Some(user);
            if in_team {
                if is_commander && req.commander.is_none() {
                    req.commander = Some(user.clone());
                }
                if !invite.contains(user) && *user != ctx.user {
                    invite.push(user.clone());
                }
            } else {
                let who = names.users.get(user).map_or_else(|| format!("user {user}"), |p| format!("@{}", p.username));
                let role = if is_commander { "default commander" } else { "invitee" };
                warnings.push(format!("The playbook's {role} {who} is not in this team, so they were left out."));
            }
        }
        if req.description.trim().is_empty() {
            req.description.clone_from(&playbook.templates.overview);
        }
        Ok(())
    }

    /// Indexes then writes the record (the commit point).
    async fn commit(&self, incident: &Incident) -> Result<(), incident_store::StoreError> {
        self.store.index_channel(&incident.channel, &incident.id).await?;
        self.store.index_team(&incident.team, incident.number, &incident.id).await?;
        self.store.create(incident).await?;
        Ok(())
    }

    /// Compensates a start that failed after its channel was created, and says what happened. The journal entry
    /// stays when the channel could not be retired, so a later sweep (this node's, or the next activation's) tries
    /// again.
    async fn retire(
        &self,
        ctx: &Ctx,
        ticket: &mut StartTicket,
        team: &TeamId,
        (id, channel, slug): (&IncidentId, &ChannelId, &str),
        incident: Option<&Incident>,
        reason: String,
    ) -> AppError {
        if let Some(i) = incident {
            // Best effort: readers already ignore index entries without a record.
            let _ = self.store.delete(&i.id).await;
            let _ = self.store.unindex_channel(&i.channel, &i.id).await;
            let _ = self.store.unindex_team(&i.team, i.number, &i.id).await;
        }
        match self.retire_channel(channel, slug).await {
            Ok(retired) => {
                let _ = self.store.finish_start(team, id, ticket).await;
                AppError::StartFailed { reason, channel: Some(retired) }
            }
            Err(e) => {
                tracing::error!(error = %e, %channel, "retiring the channel of a failed start failed");
                self.sweep_journal_later(ctx.now);
                AppError::StartFailed { reason, channel: None }
            }
        }
    }

    /// Renames the channel of a start that did not commit to `failed-<slug>` (the PluginAPI subset cannot archive);
    /// returns the new name.
    pub(crate) async fn retire_channel(&self, channel: &ChannelId, slug: &str) -> Result<String, ChatError> {
        let mut retired = format!("failed-{slug}");
        retired.truncate(incident_core::start::MAX_CHANNEL_NAME);
        let retired = retired.trim_end_matches('-').to_owned();
        self.chat.retire_channel(channel, &retired, "Failed incident (not saved)").await.map(|()| retired)
    }
}
