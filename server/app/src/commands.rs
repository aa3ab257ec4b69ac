//! `/incident …`: parse, then one use case per subcommand. Returns what the edge should show or open.

use incident_core::{Access, Action, Command, DomainError, IncidentId, Member, Operation, access, parse, render, spec};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::select::Chosen;

/// What the edge does with a command's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Show this Markdown to the user (empty: nothing to show; the channel got a post).
    Reply(String),
    /// Ask before ending an incident with open tasks; on "yes" call [`App::end_confirmed`].
    ConfirmEnd {
        /// The question.
        text: String,
        /// Which incident.
        incident: IncidentId,
    },
    /// Open the start dialog.
    StartDialog {
        /// Prefilled description.
        description: String,
    },
    /// Open the status-update dialog for an incident.
    UpdateDialog(UpdatePrefill),
}

/// What the status-update dialog starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePrefill {
    /// Which incident.
    pub incident: IncidentId,
    /// `INC-00042 Name`, for the title.
    pub title: String,
    /// The last update's text (before the first: the playbook's status-update template, or empty).
    pub message: String,
    /// The last reminder interval in ms (0: none).
    pub reminder_ms: u64,
}

impl App {
    /// Runs `/incident …` for `ctx.user`.
    pub async fn command(&self, ctx: &Ctx, text: &str) -> Result<Outcome, AppError> {
        let invocation = parse(text)?;
        let target = invocation.target.as_ref();
        let mut names = Names::default();
        let reply = |s: String| Ok(Outcome::Reply(s));
        match invocation.command {
            Command::Help => reply(spec::help_markdown()),
            Command::Start { name: None } => Ok(Outcome::StartDialog { description: String::new() }),
            Command::Start { name: Some(name) } => {
                let team = ctx.team.clone().ok_or(AppError::NoContext)?;
                reply(self.start_named(ctx, team, &name).await?.reply())
            }
            Command::List => reply(self.list_text(ctx).await?),
            Command::Info => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                reply(render::info(&chosen.stored.value, ctx.now, &names))
            }
            Command::Timeline => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                reply(render::timeline(&chosen.stored.value, &names))
            }
            Command::Commander { username: None } => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                let i = &chosen.stored.value;
                let who = names.users.get(&i.commander).map_or("someone".to_owned(), |p| format!("@{}", p.username));
                reply(format!("The commander of **{}** ({}) is {who}.", i.name, i.reference()))
            }
            Command::Commander { username: Some(username) } => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                let to = self.member(&chosen, &username).await?;
                self.act(ctx, chosen, Action::ChangeCommander { to }, &mut names).await
            }
            Command::Assign { at, username } => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                let to = self.member(&chosen, &username).await?;
                self.act(ctx, chosen, Action::Assign { at, to }, &mut names).await
            }
            Command::Update => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                let i = &chosen.stored.value;
                match access::check(&chosen.actor, Operation::Write, i) {
                    Access::Allowed => {}
                    Access::Denied(reason) => return Err(DomainError::Denied(reason).into()),
                    Access::NotVisible => return Err(DomainError::NotFound.into()),
                }
                Ok(Outcome::UpdateDialog(UpdatePrefill {
                    incident: i.id.clone(),
                    title: format!("{} {}", i.reference(), i.name),
                    // The last update, or the playbook's template before the first one.
                    message: i
                        .last_update()
                        .map_or_else(|| i.automation.update_template.clone(), |u| u.message.clone()),
                    reminder_ms: i.reminder.interval_ms,
                }))
            }
            Command::Announce { channels } => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                let mut ids = Vec::new();
                for name in &channels {
                    let info = self
                        .chat
                        .channel_by_name(&chosen.stored.value.team, name)
                        .await?
                        .ok_or_else(|| AppError::UnknownChannel(name.clone()))?;
                    if !self.people.can_post(&ctx.user, &info.id).await? {
                        return Err(AppError::CannotPost(name.clone()));
                    }
                    ids.push(info.id);
                }
                let list = channels.iter().map(|c| format!("~{c}")).collect::<Vec<_>>().join(", ");
                match self.act(ctx, chosen, Action::Announce { channels: ids }, &mut names).await? {
                    Outcome::Reply(extra) if !extra.is_empty() => reply(format!("Announced in {list}.\n\n{extra}")),
                    _ => reply(format!("Announced in {list}.")),
                }
            }
            Command::End => {
                let chosen = self.choose(ctx, target, &mut names).await?;
                let id = chosen.stored.value.id.clone();
                match self.act(ctx, chosen, Action::End { confirmed: false }, &mut names).await {
                    Err(AppError::Domain(e @ DomainError::OpenTasks { .. })) => {
                        Ok(Outcome::ConfirmEnd { text: e.to_string(), incident: id })
                    }
                    other => other,
                }
            }
            command => {
                let action = command.action().ok_or(AppError::NoContext)?;
                let chosen = self.choose(ctx, target, &mut names).await?;
                self.act(ctx, chosen, action, &mut names).await
            }
        }
    }

    /// Ends an incident after the user confirmed (the button of [`Outcome::ConfirmEnd`]).
    pub async fn end_confirmed(&self, ctx: &Ctx, incident: &IncidentId) -> Result<String, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, incident, &mut names).await?;
        match self.act(ctx, chosen, Action::End { confirmed: true }, &mut names).await? {
            Outcome::Reply(text) if !text.is_empty() => Ok(text),
            _ => Ok("The incident has ended.".into()),
        }
    }

    /// Posts a status update (the update dialog's submission).
    pub async fn post_update(
        &self,
        ctx: &Ctx,
        incident: &IncidentId,
        message: String,
        reminder_ms: Option<u64>,
    ) -> Result<String, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, incident, &mut names).await?;
        let action = Action::PostStatusUpdate { message, reminder_ms };
        let (incident, report) = self.apply(ctx, chosen, action, &mut names).await?;
        // Broadcasting comes after the update is saved and posted; what fails is told, never fatal.
        let failed = self.broadcast_update(&incident, &names).await;
        Ok(std::iter::once(report.text()).chain(failed).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n"))
    }

    async fn act(&self, ctx: &Ctx, chosen: Chosen, action: Action, names: &mut Names) -> Result<Outcome, AppError> {
        let (_, report) = self.apply(ctx, chosen, action, names).await?;
        Ok(Outcome::Reply(report.text()))
    }

    /// A user named in a command, with whether they are in the incident channel.
    async fn member(&self, chosen: &Chosen, username: &str) -> Result<Member, AppError> {
        let person = self.people.by_username(username).await?.ok_or_else(|| AppError::UnknownUser(username.into()))?;
        let is_channel_member = self.people.is_channel_member(&chosen.stored.value.channel, &person.id).await?;
        Ok(Member { id: person.id, username: person.username, is_channel_member })
    }
}
