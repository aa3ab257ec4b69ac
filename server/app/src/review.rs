//! Review and export: one incident's review numbers and its export (record + channel transcript read through the
//! chat port), the CSV of a team's incident list (never private incidents), and a team's stats (active/ended,
//! mean time to resolve, per playbook; only what the caller may see).

use std::collections::BTreeMap;

use incident_core::review::{self, Review, TranscriptLine};
use incident_core::{Incident, IncidentId, PlaybookId, Status, TeamId, Timestamp, UserId};
use incident_store::{Query, Row};

use crate::app::{App, Names};
use crate::error::AppError;

/// Most channel messages an export carries (the newest ones).
pub const MAX_TRANSCRIPT: usize = 10_000;
/// Most rows a CSV export or a stats computation reads.
pub const MAX_ROWS: usize = 10_000;

/// One incident ready to export.
#[derive(Debug, Clone)]
pub struct Export {
    /// The record.
    pub incident: Incident,
    /// Its review numbers.
    pub review: Review,
    /// The channel's messages, oldest first.
    pub transcript: Vec<TranscriptLine>,
    /// Whether older messages were left out.
    pub truncated: bool,
    /// Usernames of everyone named.
    pub usernames: BTreeMap<UserId, String>,
    /// The Markdown rendering.
    pub markdown: String,
}

/// Counts for one playbook (None: started without one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Active incidents.
    pub active: usize,
    /// Ended incidents.
    pub ended: usize,
    /// Mean of end − start over the ended ones, in ms.
    pub mean_time_to_resolve_ms: Option<u64>,
}

/// A team's stats.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// All incidents the caller may see.
    pub all: Counts,
    /// Per playbook.
    pub per_playbook: BTreeMap<Option<PlaybookId>, Counts>,
}

fn counts<'a>(rows: impl Iterator<Item = &'a Row>) -> Counts {
    let mut c = Counts::default();
    let mut total_ms: u128 = 0;
    for row in rows {
        match (row.status, row.ended_at) {
            (Status::Ended, Some(end)) => {
                c.ended += 1;
                total_ms += u128::from(end.since(row.created_at));
            }
            (Status::Ended, None) => c.ended += 1,
            (Status::Active, _) => c.active += 1,
        }
    }
    if c.ended > 0 {
        c.mean_time_to_resolve_ms = u64::try_from(total_ms / c.ended as u128).ok();
    }
    c
}

/// A CSV cell: quoted, quotes doubled, and a leading formula character neutralised for spreadsheets.
fn cell(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if risky { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", text.replace('"', "\"\""))
}

impl App {
    /// The export of `id` for `user` (NotFound, as for a missing id, without access).
    pub async fn export(&self, user: &UserId, id: &IncidentId, now: Timestamp) -> Result<Export, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(user, id, &mut names).await?;
        let incident = chosen.stored.value;
        let messages = self.store.message_count(&incident.id).await?;
        let (transcript, truncated) = self.chat.transcript(&incident.channel, MAX_TRANSCRIPT).await?;
        let review = review::review(&incident, messages, now);
        let mut people = Names::people_of(&incident);
        people.extend(transcript.iter().filter_map(|l| l.author.as_ref()));
        people.extend(incident.status_updates.iter().map(|u| &u.author));
        people.extend(
            incident.checklists.iter().flat_map(|c| &c.items).flat_map(|t| t.assignee.iter().chain(&t.done_by)),
        );
        names.ensure(&*self.people, people).await?;
        let markdown = review::markdown(&incident, &review, &transcript, truncated, now, &names);
        let usernames = names.users.iter().map(|(id, p)| (id.clone(), p.username.clone())).collect();
        Ok(Export { incident, review, transcript, truncated, usernames, markdown })
    }

    /// The review numbers of `id` for `user` (NotFound without access), without reading the transcript.
    pub async fn review(&self, user: &UserId, id: &IncidentId, now: Timestamp) -> Result<Review, AppError> {
        let mut names = Names::default();
        let chosen = self.readable(user, id, &mut names).await?;
        let messages = self.store.message_count(id).await?;
        Ok(review::review(&chosen.stored.value, messages, now))
    }

    /// Every public incident of `team` the caller may see, newest first (at most [`MAX_ROWS`]).
    async fn public_rows(&self, user: &UserId, team: &TeamId) -> Result<Vec<Row>, AppError> {
        let query = Query { team: Some(team.clone()), per_page: MAX_ROWS, include_private: false, ..Query::default() };
        Ok(self.list(user, query).await?.rows)
    }

    /// The CSV of `team`'s incident list. Private incidents are never in it, whoever asks.
    pub async fn incidents_csv(&self, user: &UserId, team: &TeamId) -> Result<String, AppError> {
        self.team_member(user, team).await?;
        let rows = self.public_rows(user, team).await?;
        let mut names = Names::default();
        names.ensure(&*self.people, rows.iter().map(|r| &r.commander)).await?;
        let mut out = String::from(
            "reference,name,status,commander,created_at,ended_at,duration_minutes,tasks_done,tasks_total\r\n",
        );
        for r in &rows {
            let commander = names.users.get(&r.commander).map_or_else(String::new, |p| p.username.clone());
            let ended = r.ended_at.map(review::utc).unwrap_or_default();
            let minutes = r.ended_at.map(|e| (e.since(r.created_at) / 60_000).to_string()).unwrap_or_default();
            let status = if r.status == Status::Active { "active" } else { "ended" };
            out.push_str(&format!(
                "{},{},{status},{},{},{},{minutes},{},{}\r\n",
                cell(&r.reference()),
                cell(&r.name),
                cell(&commander),
                cell(&review::utc(r.created_at)),
                cell(&ended),
                r.tasks_done,
                r.tasks_total,
            ));
        }
        Ok(out)
    }

    /// `team`'s stats over what the caller may see (private incidents count only for those with access).
    pub async fn stats(&self, user: &UserId, team: &TeamId) -> Result<Stats, AppError> {
        self.team_member(user, team).await?;
        let query = Query { team: Some(team.clone()), per_page: MAX_ROWS, include_private: true, ..Query::default() };
        let rows = self.list(user, query).await?.rows;
        let mut by: BTreeMap<Option<PlaybookId>, Vec<&Row>> = BTreeMap::new();
        for row in &rows {
            by.entry(row.playbook.clone()).or_default().push(row);
        }
        Ok(Stats {
            all: counts(rows.iter()),
            per_playbook: by.into_iter().map(|(k, v)| (k, counts(v.into_iter()))).collect(),
        })
    }

    /// Forbidden unless `user` is in `team` (or a system admin).
    async fn team_member(&self, user: &UserId, team: &TeamId) -> Result<(), AppError> {
        let mut names = Names::default();
        names.ensure(&*self.people, [user]).await?;
        if names.is_admin(user) || self.people.is_team_member(team, user).await? {
            Ok(())
        } else {
            Err(AppError::NotTeamMember)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("DB \"primary\" down"), "\"DB \"\"primary\"\" down\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1+2"), "\"'-1+2\"");
        assert_eq!(cell("@bob"), "\"'@bob\"");
        assert_eq!(cell("plain"), "\"plain\"");
    }
}
