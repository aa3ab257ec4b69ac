//! Reads: the list (read model, access applied before paging, private rows of the page confirmed), one incident by
//! id, and starting from a message.

use std::collections::BTreeMap;

use incident_core::render::ListLine;
use incident_core::{Action, Incident, IncidentId, PostId, Status, TeamId, UserId, Visibility, render};
use incident_store::{Page, Query, Row};

use crate::app::{App, Ctx, Names};
use crate::error::AppError;
use crate::rest::Acted;
use crate::start::{StartRequest, Started};

/// Rows of `/incident list`.
const LIST_LIMIT: usize = 50;

impl App {
    /// Lists incidents for `user`: filters from `query`, only what the user may see, one page.
    ///
    /// Two independent checks guard private incidents: the read model's row rule (participants and grants, minus
    /// revocations) before paging, then real channel membership for each private row of the page.
    pub async fn list(&self, user: &UserId, query: Query) -> Result<Page, AppError> {
        let teams: Vec<TeamId> = match (&query.team, &query.channel) {
            (Some(team), _) => vec![team.clone()],
            (None, Some(channel)) => {
                let catalog = self.catalog();
                let mut teams: Vec<TeamId> = catalog
                    .in_channel(channel)
                    .iter()
                    .filter_map(|id| catalog.get(id))
                    .map(|r| r.team.clone())
                    .collect();
                teams.sort();
                teams.dedup();
                teams
            }
            (None, None) => return Err(AppError::Invalid("Give a `team_id` or a `channel_id`.".into())),
        };
        let mut names = Names::default();
        names.ensure(&*self.people, [user]).await?;
        let admin = names.is_admin(user);
        let mut member_of: BTreeMap<TeamId, bool> = BTreeMap::new();
        for team in teams {
            let is_member = admin || self.people.is_team_member(&team, user).await?;
            member_of.insert(team, is_member);
        }
        let visible = |row: &Row| {
            admin
                || (member_of.get(&row.team).copied().unwrap_or(false)
                    && match row.visibility {
                        Visibility::Public => true,
                        Visibility::Private => {
                            !row.revoked.contains(user)
                                && (row.participants.contains(user) || row.invited.contains(user))
                        }
                    })
        };
        let page = self.catalog().query(&query, visible);
        let mut rows = Vec::with_capacity(page.rows.len());
        let mut dropped = 0;
        for row in page.rows {
            let confirmed = admin
                || row.visibility == Visibility::Public
                || row.invited.contains(user)
                || self.people.is_channel_member(&row.channel, user).await?;
            if confirmed {
                rows.push(row);
            } else {
                dropped += 1;
            }
        }
        Ok(Page { rows, total: page.total - dropped })
    }

    /// `/incident list`: the user's active incidents in this team, with their records for rendering.
    pub(crate) async fn list_text(&self, ctx: &Ctx) -> Result<String, AppError> {
        let team = ctx.team.clone().ok_or(AppError::NoContext)?;
        let query = Query {
            team: Some(team),
            status: Some(Status::Active),
            participant: Some(ctx.user.clone()),
            per_page: LIST_LIMIT,
            // The user's own incidents: their private ones are theirs to see (each marked with a padlock).
            include_private: true,
            ..Query::default()
        };
        let page = self.list(&ctx.user, query).await?;
        // Drawn from the read model: no record is read, whatever the page size.
        let lines: Vec<ListLine> = page
            .rows
            .iter()
            .map(|row| ListLine {
                number: row.number,
                name: row.name.clone(),
                private: row.visibility == Visibility::Private,
                channel: row.channel.clone(),
                commander: row.commander.clone(),
                created_at: row.created_at,
                ended_at: row.ended_at,
                tasks: (row.tasks_done, row.tasks_total),
                reminder_due: row.reminder_due,
                active: row.status == Status::Active,
            })
            .collect();
        let mut names = Names::default();
        names.ensure(&*self.people, lines.iter().map(|l| &l.commander)).await?;
        let mut text = render::list(&lines, ctx.now, &names);
        if page.total > page.rows.len() {
            text.push_str(&format!("\n_Showing the newest {} of {}._", page.rows.len(), page.total));
        }
        Ok(text)
    }

    /// One incident by id if `user` may read it; NotFound otherwise, exactly as for a missing id.
    pub async fn get(&self, user: &UserId, id: &IncidentId) -> Result<Incident, AppError> {
        Ok(self.readable(user, id, &mut Names::default()).await?.stored.value)
    }

    /// "Add to incident timeline": an excerpt of a message the user can see, with its author, on `id`'s timeline
    /// (the user must be in the incident channel, or a system admin).
    pub async fn add_post_to_timeline(&self, ctx: &Ctx, id: &IncidentId, post: &PostId) -> Result<Acted, AppError> {
        // The incident first: one the user may not see reads as missing whatever the message.
        let mut names = Names::default();
        let chosen = self.readable(&ctx.user, id, &mut names).await?;
        let missing = || AppError::Invalid("That message does not exist or you cannot see it.".into());
        let info = self.chat.post_info(post).await?.ok_or_else(missing)?;
        if !self.people.is_channel_member(&info.channel, &ctx.user).await? {
            return Err(missing());
        }
        names.ensure(&*self.people, info.author.iter()).await?;
        let ctx = Ctx { channel: Some(chosen.stored.value.channel.clone()), ..ctx.clone() };
        let action = Action::AddPostToTimeline { author: info.author, message: info.message };
        let (incident, report) = self.apply(&ctx, chosen, action, &mut names).await?;
        let reply = Some(report.text()).filter(|t| !t.is_empty());
        let reply = reply.unwrap_or_else(|| format!("Added to the timeline of {}.", incident.reference()));
        Ok(Acted { incident, reply })
    }

    /// Starts an incident from a message: its first line names it, the message (with a link) describes it.
    pub async fn start_from_post(&self, ctx: &Ctx, post: &PostId) -> Result<Started, AppError> {
        let missing = || AppError::Invalid("That message does not exist or you cannot see it.".into());
        let info = self.chat.post_info(post).await?.ok_or_else(missing)?;
        if !self.people.is_channel_member(&info.channel, &ctx.user).await? {
            return Err(missing());
        }
        let team = match &ctx.team {
            Some(team) => team.clone(),
            None => self.chat.channel(&info.channel).await?.ok_or_else(missing)?.team,
        };
        let description = format!("{}\n\n[Original message](/_redirect/pl/{})", info.message.trim(), info.id);
        self.start(ctx, StartRequest { description, ..StartRequest::named(team, name_from_message(&info.message)) })
            .await
    }
}

/// The first non-empty line of a message, without Markdown heading marks, cut to 64 characters.
pub fn name_from_message(message: &str) -> String {
    let line = message.lines().map(|l| l.trim().trim_start_matches('#').trim()).find(|l| !l.is_empty());
    match line {
        Some(line) => line.chars().take(incident_core::error::MAX_NAME_CHARS).collect::<String>().trim().to_owned(),
        None => "Incident from a message".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::name_from_message;

    #[test]
    fn names_come_from_the_first_line() {
        assert_eq!(name_from_message("\n## DB is down\nmore"), "DB is down");
        assert_eq!(name_from_message("   "), "Incident from a message");
        assert_eq!(name_from_message(&"x".repeat(100)).len(), 64);
    }
}
