//! Playbooks: create, edit, duplicate, import/export, archive (never delete) and list per team; start an incident
//! from one; and broadcast each status update to the playbook's broadcast channels (a failing broadcast never fails
//! the update).
//!
//! Who may do what: a playbook is private to its members (its creator and the people it lists); system admins may
//! do everything. Anyone else, inside the team or not, gets the same "not found" as for a missing id. Archived
//! playbooks are listed only on request and cannot start incidents.

use incident_core::{ChannelId, Incident, PlaybookId, TeamId, UserId, Visibility};
use incident_store::{Playbook, PlaybookAutomation, Playbooks};
use serde::{Deserialize, Serialize};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
pub use crate::playbook_input::{
    AutomationInput, ChecklistInput, MAX_BROADCAST, MAX_CHECKLISTS, MAX_TASKS, MAX_TITLE, PlaybookInput,
    REMINDER_RANGE_MS, TaskInput, TemplatesInput,
};
use crate::playbook_input::{Checked, check};
use crate::start::{StartRequest, Started};

/// The `format` of an exported playbook file.
pub const EXPORT_FORMAT: &str = "incident-collaboration-playbook";

/// A playbook as a file: what `export` writes and `import` reads.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookFile {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    /// The file version (1).
    pub version: u32,
    /// The playbook.
    pub playbook: PlaybookInput,
}

/// An imported playbook and what was left out because it does not exist here.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    /// The new playbook.
    pub playbook: Playbook,
    /// Users and channels that were dropped.
    pub warnings: Vec<String>,
}

fn invalid(text: impl Into<String>) -> AppError {
    AppError::Invalid(text.into())
}

fn not_found() -> AppError {
    AppError::PlaybookNotFound
}

/// How strictly references to users and channels are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refs {
    /// Every named user and channel must exist in the team (create, update).
    Strict,
    /// Unknown ones are dropped with a warning (import from another server).
    Lenient,
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

    async fn is_system_admin(&self, user: &UserId) -> Result<bool, AppError> {
        let mut names = Names::default();
        names.ensure(&*self.people, [user]).await?;
        Ok(names.is_admin(user))
    }

    /// Whether `ctx.user` may see, use and edit `playbook`: a member in its team, or a system admin.
    async fn may_use(&self, ctx: &Ctx, playbook: &Playbook) -> Result<bool, AppError> {
        if playbook.has_member(&ctx.user) && self.people.is_team_member(&playbook.team, &ctx.user).await? {
            return Ok(true);
        }
        self.is_system_admin(&ctx.user).await
    }

    /// Checks the users and channels `checked` names against the server. Strict: the first bad one is an error;
    /// lenient: bad ones are dropped and described.
    async fn resolve(&self, ctx: &Ctx, team: &TeamId, c: &mut Checked, refs: Refs) -> Result<Vec<String>, AppError> {
        let mut warnings = Vec::new();
        let mut names = Names::default();
        names.ensure(&*self.people, &c.people()).await?;
        let mut bad: Vec<UserId> = Vec::new();
        for user in c.people() {
            let problem = match names.users.get(&user) {
                None => Some(AppError::UnknownUser(user.to_string())),
                Some(p) if !self.people.is_team_member(team, &user).await? => {
                    Some(AppError::UserNotInTeam(p.username.clone()))
                }
                Some(_) => None,
            };
            if let Some(e) = problem {
                match refs {
                    Refs::Strict => return Err(e),
                    Refs::Lenient => warnings.push(format!("Left out: {e}")),
                }
                bad.push(user);
            }
        }
        let keep = |list: &mut Vec<UserId>| list.retain(|u| !bad.contains(u));
        keep(&mut c.members);
        keep(&mut c.invite);
        for task in c.checklists.iter_mut().flat_map(|l| l.items.iter_mut()) {
            keep(&mut task.assignees);
        }
        if c.commander.as_ref().is_some_and(|u| bad.contains(u)) {
            c.commander = None;
        }
        if let Some(channel) = c.announce.clone() {
            match self.announce_channel(ctx, team, &channel).await {
                Ok(()) => {}
                Err(e) if refs == Refs::Strict => return Err(e),
                Err(e) => {
                    warnings.push(format!("Left out the announcement channel: {e}"));
                    c.announce = None;
                }
            }
        }
        Ok(warnings)
    }

    async fn announce_channel(&self, ctx: &Ctx, team: &TeamId, id: &ChannelId) -> Result<(), AppError> {
        let info = self.chat.channel(id).await?.ok_or_else(|| AppError::UnknownChannel(id.to_string()))?;
        if info.team != *team {
            return Err(AppError::UnknownChannel(info.name));
        }
        if !self.people.can_post(&ctx.user, id).await? {
            return Err(AppError::CannotPost(info.name));
        }
        Ok(())
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

    /// A title like `title` that no active playbook of `team` has: `title`, `title (2)`, …
    async fn free_title(&self, team: &TeamId, title: &str) -> Result<String, AppError> {
        let all = self.playbook_store().of_team(team).await?;
        let taken = |t: &str| all.iter().any(|p| !p.archived && p.title.to_lowercase() == t.to_lowercase());
        let mut candidate = title.to_owned();
        let mut n = 2;
        while taken(&candidate) {
            let suffix = format!(" ({n})");
            let room = MAX_TITLE.saturating_sub(suffix.chars().count());
            candidate = title.chars().take(room).collect::<String>().trim_end().to_owned() + &suffix;
            n += 1;
        }
        Ok(candidate)
    }

    /// Writes the fields of `c` into `p`.
    fn fill(p: &mut Playbook, c: Checked, broadcast: Vec<ChannelId>, always_private: bool, private_channel: bool) {
        p.title = c.title;
        p.description = c.description;
        p.checklists = c.checklists;
        p.reminder_ms = c.reminder_ms;
        p.broadcast_channels = broadcast;
        p.always_private = always_private;
        p.private_channel = private_channel;
        let creator = p.created_by.clone();
        p.members = std::iter::once(creator.clone()).chain(c.members.into_iter().filter(|m| *m != creator)).collect();
        p.automation = PlaybookAutomation {
            invite: c.invite,
            default_commander: c.commander,
            announce_channel: c.announce,
            create_webhook: c.create_webhook,
            update_webhook: c.update_webhook,
            welcome_message: c.welcome,
        };
        p.templates = c.templates;
    }

    async fn create_checked(
        &self,
        ctx: &Ctx,
        team: &TeamId,
        input: &PlaybookInput,
        refs: Refs,
    ) -> Result<(Playbook, Vec<String>), AppError> {
        self.require_team_member(ctx, team).await?;
        let mut checked = check(input)?;
        let mut warnings = self.resolve(ctx, team, &mut checked, refs).await?;
        let broadcast = match self.broadcast_channels(ctx, team, &checked.broadcast).await {
            Ok(b) => b,
            Err(e) if refs == Refs::Strict => return Err(e),
            Err(e) => {
                warnings.push(format!("Left out the broadcast channels: {e}"));
                Vec::new()
            }
        };
        if refs == Refs::Lenient {
            checked.title = self.free_title(team, &checked.title).await?;
        } else if self.title_taken(team, &checked.title, None).await? {
            return Err(invalid(format!("This team already has a playbook named “{}”.", checked.title)));
        }
        let id = PlaybookId::try_from(self.ids.new_id()).map_err(|e| AppError::Unavailable(e.to_string()))?;
        let mut playbook = Playbook {
            id,
            team: team.clone(),
            title: String::new(),
            description: String::new(),
            checklists: Vec::new(),
            reminder_ms: None,
            broadcast_channels: Vec::new(),
            always_private: false,
            private_channel: false,
            members: Vec::new(),
            automation: PlaybookAutomation::default(),
            templates: Default::default(),
            archived: false,
            created_by: ctx.user.clone(),
            created_at: ctx.now,
            updated_at: ctx.now,
        };
        Self::fill(&mut playbook, checked, broadcast, input.always_private, input.private_channel);
        self.playbook_store().create(&playbook).await?;
        Ok((playbook, warnings))
    }

    /// Creates a playbook in `team`; the creator is its first member.
    pub async fn create_playbook(&self, ctx: &Ctx, team: &TeamId, input: PlaybookInput) -> Result<Playbook, AppError> {
        Ok(self.create_checked(ctx, team, &input, Refs::Strict).await?.0)
    }

    /// Imports a playbook file into `team`. Users and channels that do not exist here are left out and listed; a
    /// title already in use gets a number.
    pub async fn import_playbook(&self, ctx: &Ctx, team: &TeamId, file: PlaybookFile) -> Result<Imported, AppError> {
        if file.format != EXPORT_FORMAT || file.version != 1 {
            return Err(invalid(format!(
                "This is not a playbook file this version can read (expected format “{EXPORT_FORMAT}” version 1)."
            )));
        }
        let (playbook, warnings) = self.create_checked(ctx, team, &file.playbook, Refs::Lenient).await?;
        Ok(Imported { playbook, warnings })
    }

    /// The file that [`App::import_playbook`] reads back.
    pub async fn export_playbook(&self, ctx: &Ctx, id: &PlaybookId) -> Result<PlaybookFile, AppError> {
        let playbook = self.playbook(ctx, id).await?;
        Ok(PlaybookFile { format: EXPORT_FORMAT.into(), version: 1, playbook: crate::playbook_input::of(&playbook) })
    }

    /// A copy of a playbook in its team, titled "Copy of …", with the caller as its creator.
    pub async fn duplicate_playbook(&self, ctx: &Ctx, id: &PlaybookId) -> Result<Playbook, AppError> {
        let original = self.playbook(ctx, id).await?;
        let mut input = crate::playbook_input::of(&original);
        let title: String = format!("Copy of {}", original.title).chars().take(MAX_TITLE).collect();
        input.title = self.free_title(&original.team, title.trim_end()).await?;
        if !input.member_ids.contains(&original.created_by.to_string()) {
            input.member_ids.push(original.created_by.to_string());
        }
        Ok(self.create_checked(ctx, &original.team, &input, Refs::Lenient).await?.0)
    }

    /// One playbook, if the user may use it (otherwise NotFound, as for a missing id).
    pub async fn playbook(&self, ctx: &Ctx, id: &PlaybookId) -> Result<Playbook, AppError> {
        let playbook = self.playbook_store().load(id).await?.ok_or_else(not_found)?;
        if !self.may_use(ctx, &playbook).await? {
            return Err(not_found());
        }
        Ok(playbook)
    }

    /// The team's playbooks the user may use, by title; archived ones only if asked.
    pub async fn playbooks(&self, ctx: &Ctx, team: &TeamId, archived: bool) -> Result<Vec<Playbook>, AppError> {
        let admin = self.is_system_admin(&ctx.user).await?;
        if !admin {
            self.require_team_member(ctx, team).await?;
        }
        let mut all: Vec<Playbook> = self
            .playbook_store()
            .of_team(team)
            .await?
            .into_iter()
            .filter(|p| (archived || !p.archived) && (admin || p.has_member(&ctx.user)))
            .collect();
        all.sort_by_key(|p| p.title.to_lowercase());
        Ok(all)
    }

    /// Replaces a playbook's content; incidents already started keep theirs.
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
        let mut checked = check(&input)?;
        self.resolve(ctx, &current.team, &mut checked, Refs::Strict).await?;
        let broadcast = self.broadcast_channels(ctx, &current.team, &checked.broadcast).await?;
        if self.title_taken(&current.team, &checked.title, Some(id)).await? {
            return Err(invalid(format!("This team already has a playbook named “{}”.", checked.title)));
        }
        let now = ctx.now;
        let saved = self
            .playbook_store()
            .update(id, |p| {
                Self::fill(p, checked.clone(), broadcast.clone(), input.always_private, input.private_channel);
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
        // Repeated by the bot in other channels: the author's mentions stay in the incident channel.
        let text = format!(
            "**Status update** for **{}** ({}) by {author}:\n\n{}",
            incident_core::render::escape(&incident.name),
            incident.reference(),
            incident_core::render::quiet_mentions(&update.message)
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
