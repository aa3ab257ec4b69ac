//! Playbooks: create, edit, archive (never delete) and list per team; start an incident from one; and broadcast
//! each status update to the playbook's broadcast channels (a failing broadcast never fails the update).
//!
//! Who may do what: every member of the playbook's team may list, use and edit its playbooks; archived playbooks
//! are listed only on request and cannot start incidents.

use incident_core::{ChannelId, Incident, PlaybookId, TeamId, Visibility};
use incident_store::{Playbook, PlaybookChecklist, PlaybookTask, Playbooks};
use serde::Deserialize;

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::start::{StartRequest, Started};

/// Longest playbook title.
pub const MAX_TITLE: usize = 64;
/// Most checklists in a playbook, and most tasks in one checklist.
pub const MAX_CHECKLISTS: usize = 20;
/// Most tasks in one checklist.
pub const MAX_TASKS: usize = 100;
/// Most broadcast channels.
pub const MAX_BROADCAST: usize = 5;
/// Shortest and longest default reminder (1 minute, 7 days).
pub const REMINDER_RANGE_MS: (u64, u64) = (60_000, 7 * 24 * 3_600_000);

/// What a client sends to create or replace a playbook (unknown fields are refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookInput {
    /// Title.
    pub title: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// Checklists of tasks.
    #[serde(default)]
    pub checklists: Vec<ChecklistInput>,
    /// Default first reminder in seconds (None or 0: none).
    #[serde(default)]
    pub reminder_seconds: Option<u64>,
    /// Broadcast channel ids.
    #[serde(default)]
    pub broadcast_channel_ids: Vec<String>,
    /// Incidents started from it are always private.
    #[serde(default)]
    pub always_private: bool,
}

/// A checklist as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistInput {
    /// Heading.
    pub title: String,
    /// Tasks.
    #[serde(default)]
    pub items: Vec<TaskInput>,
}

/// A task as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// Title.
    pub title: String,
    /// Markdown details.
    #[serde(default)]
    pub description: String,
}

fn invalid(text: impl Into<String>) -> AppError {
    AppError::Invalid(text.into())
}

fn not_found() -> AppError {
    AppError::PlaybookNotFound
}

/// The validated content of an input (everything but channels, which need the server).
fn validated(input: &PlaybookInput) -> Result<(String, Vec<PlaybookChecklist>, Option<u64>), AppError> {
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        return Err(invalid("Give the playbook a title."));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(invalid(format!("A playbook title has at most {MAX_TITLE} characters.")));
    }
    if input.checklists.len() > MAX_CHECKLISTS {
        return Err(invalid(format!("A playbook has at most {MAX_CHECKLISTS} checklists.")));
    }
    let mut checklists = Vec::with_capacity(input.checklists.len());
    for (i, c) in input.checklists.iter().enumerate() {
        let title = c.title.trim();
        if title.is_empty() {
            return Err(invalid(format!("Checklist {} needs a title.", i + 1)));
        }
        if c.items.len() > MAX_TASKS {
            return Err(invalid(format!("Checklist “{title}” has more than {MAX_TASKS} tasks.")));
        }
        let mut items = Vec::with_capacity(c.items.len());
        for (j, t) in c.items.iter().enumerate() {
            let task = t.title.trim();
            if task.is_empty() {
                return Err(invalid(format!("Task {}.{} needs a title.", i + 1, j + 1)));
            }
            items.push(PlaybookTask { title: task.to_owned(), description: t.description.clone() });
        }
        checklists.push(PlaybookChecklist { title: title.to_owned(), items });
    }
    let reminder_ms = match input.reminder_seconds {
        None | Some(0) => None,
        Some(s) => {
            let ms = s.saturating_mul(1000);
            let (min, max) = REMINDER_RANGE_MS;
            if !(min..=max).contains(&ms) {
                return Err(invalid("The default reminder must be between 60 seconds and 7 days (604800 seconds)."));
            }
            Some(ms)
        }
    };
    Ok((title, checklists, reminder_ms))
}

impl App {
    /// Follows the System Console's "private incidents" setting (on unless told otherwise): while it is off,
    /// "always private" playbooks cannot start incidents.
    pub fn set_private_incidents(&self, enabled: bool) {
        self.private_incidents.store(enabled, std::sync::atomic::Ordering::Relaxed);
    }

    /// The playbook store (it shares the incidents' KV store).
    fn playbook_store(&self) -> Playbooks {
        Playbooks::new(self.store.kv())
    }

    async fn require_team_member(&self, ctx: &Ctx, team: &TeamId) -> Result<(), AppError> {
        if self.people.is_team_member(team, &ctx.user).await? { Ok(()) } else { Err(AppError::NotTeamMember) }
    }

    /// Checks broadcast channels: real channels of `team` the user can post in, at most [`MAX_BROADCAST`].
    async fn broadcast_channels(&self, ctx: &Ctx, team: &TeamId, ids: &[String]) -> Result<Vec<ChannelId>, AppError> {
        let mut out: Vec<ChannelId> = Vec::new();
        for raw in ids {
            let id = ChannelId::try_from(raw.clone()).map_err(|_| AppError::UnknownChannel(raw.clone()))?;
            if out.contains(&id) {
                continue;
            }
            let info = self.chat.channel(&id).await?.ok_or_else(|| AppError::UnknownChannel(raw.clone()))?;
            if info.team != *team {
                return Err(AppError::UnknownChannel(info.name));
            }
            if !self.people.can_post(&ctx.user, &id).await? {
                return Err(AppError::CannotPost(info.name));
            }
            out.push(id);
        }
        if out.len() > MAX_BROADCAST {
            return Err(invalid(format!("A playbook broadcasts to at most {MAX_BROADCAST} channels.")));
        }
        Ok(out)
    }

    async fn title_taken(&self, team: &TeamId, title: &str, except: Option<&PlaybookId>) -> Result<bool, AppError> {
        let all = self.playbook_store().of_team(team).await?;
        Ok(all.iter().any(|p| !p.archived && Some(&p.id) != except && p.title.to_lowercase() == title.to_lowercase()))
    }

    /// Creates a playbook in `team`.
    pub async fn create_playbook(&self, ctx: &Ctx, team: &TeamId, input: PlaybookInput) -> Result<Playbook, AppError> {
        self.require_team_member(ctx, team).await?;
        let (title, checklists, reminder_ms) = validated(&input)?;
        let broadcast_channels = self.broadcast_channels(ctx, team, &input.broadcast_channel_ids).await?;
        if self.title_taken(team, &title, None).await? {
            return Err(invalid(format!("This team already has a playbook named “{title}”.")));
        }
        let id = PlaybookId::try_from(self.ids.new_id()).map_err(|e| AppError::Unavailable(e.to_string()))?;
        let playbook = Playbook {
            id,
            team: team.clone(),
            title,
            description: input.description,
            checklists,
            reminder_ms,
            broadcast_channels,
            always_private: input.always_private,
            archived: false,
            created_by: ctx.user.clone(),
            created_at: ctx.now,
            updated_at: ctx.now,
        };
        self.playbook_store().create(&playbook).await?;
        Ok(playbook)
    }

    /// One playbook, if the user is in its team (otherwise NotFound, as for a missing id).
    pub async fn playbook(&self, ctx: &Ctx, id: &PlaybookId) -> Result<Playbook, AppError> {
        let playbook = self.playbook_store().load(id).await?.ok_or_else(not_found)?;
        if !self.people.is_team_member(&playbook.team, &ctx.user).await? {
            return Err(not_found());
        }
        Ok(playbook)
    }

    /// The team's playbooks by title; archived ones only if asked.
    pub async fn playbooks(&self, ctx: &Ctx, team: &TeamId, archived: bool) -> Result<Vec<Playbook>, AppError> {
        self.require_team_member(ctx, team).await?;
        let mut all: Vec<Playbook> =
            self.playbook_store().of_team(team).await?.into_iter().filter(|p| archived || !p.archived).collect();
        all.sort_by_key(|p| p.title.to_lowercase());
        Ok(all)
    }

    /// Replaces a playbook's content (title, checklists, preferences); incidents already started keep theirs.
    pub async fn update_playbook(
        &self,
        ctx: &Ctx,
        id: &PlaybookId,
        input: PlaybookInput,
    ) -> Result<Playbook, AppError> {
        let current = self.playbook(ctx, id).await?;
        if current.archived {
            return Err(invalid("This playbook is archived; archived playbooks cannot be changed."));
        }
        let (title, checklists, reminder_ms) = validated(&input)?;
        let broadcast_channels = self.broadcast_channels(ctx, &current.team, &input.broadcast_channel_ids).await?;
        if self.title_taken(&current.team, &title, Some(id)).await? {
            return Err(invalid(format!("This team already has a playbook named “{title}”.")));
        }
        let now = ctx.now;
        let saved = self
            .playbook_store()
            .update(id, |p| {
                p.title.clone_from(&title);
                p.description.clone_from(&input.description);
                p.checklists.clone_from(&checklists);
                p.reminder_ms = reminder_ms;
                p.broadcast_channels.clone_from(&broadcast_channels);
                p.always_private = input.always_private;
                p.updated_at = now;
                Ok::<(), AppError>(())
            })
            .await?;
        saved.ok_or_else(not_found)?
    }

    /// Archives a playbook (kept for the incidents that used it; hidden from lists and from starting).
    pub async fn archive_playbook(&self, ctx: &Ctx, id: &PlaybookId) -> Result<Playbook, AppError> {
        self.playbook(ctx, id).await?;
        let now = ctx.now;
        let saved = self
            .playbook_store()
            .update(id, |p| {
                p.archived = true;
                p.updated_at = now;
                Ok::<(), AppError>(())
            })
            .await?;
        saved.ok_or_else(not_found)?
    }

    /// Finds an active playbook of `team` by id or (case-insensitive) title.
    pub async fn find_playbook(&self, ctx: &Ctx, team: &TeamId, name: &str) -> Result<Playbook, AppError> {
        let wanted = name.trim().to_lowercase();
        let all = self.playbooks(ctx, team, false).await?;
        if let Some(found) = all.iter().find(|p| p.id.as_str() == wanted || p.title.to_lowercase() == wanted) {
            return Ok(found.clone());
        }
        let titles: Vec<&str> = all.iter().map(|p| p.title.as_str()).collect();
        let known = if titles.is_empty() {
            "This team has no playbooks yet.".to_owned()
        } else {
            format!("Its playbooks: {}.", titles.join(", "))
        };
        Err(invalid(format!("There is no playbook “{}” in this team. {known}", name.trim())))
    }

    /// Starts an incident from a playbook: its checklists and first reminder; private if it says so.
    pub async fn start_with_playbook(
        &self,
        ctx: &Ctx,
        mut req: StartRequest,
        playbook: &PlaybookId,
    ) -> Result<Started, AppError> {
        let playbook = self.playbook(ctx, playbook).await?;
        if playbook.team != req.team {
            return Err(not_found());
        }
        if playbook.archived {
            return Err(invalid(format!("The playbook “{}” is archived and cannot start incidents.", playbook.title)));
        }
        if playbook.always_private {
            if !self.private_incidents.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(invalid(format!(
                    "The playbook “{}” starts private incidents, and private incidents are turned off. A system admin \
                     can enable them in the System Console.",
                    playbook.title
                )));
            }
            req.visibility = Visibility::Private;
        }
        self.start_from(ctx, req, Some(&playbook)).await
    }

    /// `/incident start <name> --playbook <title>`: splits off the playbook, if any, and starts.
    pub(crate) async fn start_named(&self, ctx: &Ctx, team: TeamId, text: &str) -> Result<Started, AppError> {
        match text.split_once("--playbook") {
            None => self.start(ctx, StartRequest::named(team, text)).await,
            Some((name, playbook)) => {
                let playbook = playbook.trim().trim_matches('"');
                if playbook.is_empty() {
                    return Err(invalid("Name the playbook after `--playbook`, like `--playbook Outage`."));
                }
                let found = self.find_playbook(ctx, &team, playbook).await?;
                self.start_with_playbook(ctx, StartRequest::named(team, name.trim()), &found.id).await
            }
        }
    }

    /// Posts a saved status update to the playbook's broadcast channels. Returns what failed, as text for the
    /// author; the update itself is already saved and posted.
    pub(crate) async fn broadcast_update(&self, incident: &Incident, names: &Names) -> Vec<String> {
        let Some(playbook_id) = &incident.playbook else { return Vec::new() };
        let playbook = match self.playbook_store().load(playbook_id).await {
            Ok(Some(p)) => p,
            Ok(None) => return Vec::new(),
            Err(e) => return vec![format!("The update was not broadcast: the playbook could not be read ({e}).")],
        };
        if playbook.broadcast_channels.is_empty() {
            return Vec::new();
        }
        if incident.is_private() {
            return vec!["This incident is private, so the update was not broadcast outside its channel.".into()];
        }
        let Some(update) = incident.status_updates.last() else { return Vec::new() };
        let author =
            names.users.get(&update.author).map_or_else(|| "someone".to_owned(), |p| format!("@{}", p.username));
        let text = format!(
            "**Status update** for **{}** (INC-{:05}) by {author}:\n\n{}",
            incident.name, incident.number, update.message
        );
        let mut failed = Vec::new();
        for channel in &playbook.broadcast_channels {
            if let Err(e) = self.chat.post(channel, None, &text).await {
                let name = match self.chat.channel(channel).await {
                    Ok(Some(info)) => format!("~{}", info.name),
                    _ => format!("channel {channel}"),
                };
                failed.push(format!("Broadcasting the update to {name} failed: {e}."));
            }
        }
        failed
    }
}
