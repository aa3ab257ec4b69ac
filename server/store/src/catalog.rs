//! The per-node read model: one small row per incident, indexed by team and channel, for list, filter, sort and
//! page without reading records. Rebuilt from KV at activation and kept fresh by the node's own writes and by
//! cluster events from the other nodes.

use std::collections::{BTreeMap, BTreeSet};

use incident_core::incident::EventKind;
use incident_core::{
    ChannelId, Incident, IncidentId, IncidentRef, PlaybookId, Status, TeamId, Timestamp, UserId, Visibility,
};

/// What lists show and filter on, derived from one incident record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Incident id.
    pub id: IncidentId,
    /// Team-sequential number.
    pub number: u64,
    /// Team.
    pub team: TeamId,
    /// Incident channel.
    pub channel: ChannelId,
    /// Name.
    pub name: String,
    /// Active or ended.
    pub status: Status,
    /// Public or private.
    pub visibility: Visibility,
    /// Commander.
    pub commander: UserId,
    /// Reporter.
    pub reporter: UserId,
    /// People the record knows to be in the channel: reporter, commander, grants, joins minus leaves. A hint for the
    /// "member" filter and for private rows; the edge confirms real membership for the rows it shows.
    pub participants: BTreeSet<UserId>,
    /// Private incidents: users holding a grant.
    pub invited: BTreeSet<UserId>,
    /// Private incidents: users whose access was revoked.
    pub revoked: BTreeSet<UserId>,
    /// Start time.
    pub created_at: Timestamp,
    /// End time.
    pub ended_at: Option<Timestamp>,
    /// Checked tasks.
    pub tasks_done: usize,
    /// All tasks.
    pub tasks_total: usize,
    /// Record version, so an older event never overwrites a newer row.
    pub version: u64,
    /// `Incident::next_deadline`: when the scheduler must call `tick` (reminder or grant expiry).
    pub deadline: Option<Timestamp>,
    /// The playbook it started from (stats per playbook).
    pub playbook: Option<PlaybookId>,
}

impl Row {
    /// The row for `incident`.
    pub fn of(incident: &Incident) -> Row {
        let mut participants: BTreeSet<UserId> = [incident.reporter.clone(), incident.commander.clone()].into();
        participants.extend(incident.access.invited.iter().map(|g| g.user.clone()));
        for e in &incident.timeline {
            match (e.kind, &e.actor) {
                (EventKind::MemberJoined, Some(user)) => {
                    participants.insert(user.clone());
                }
                (EventKind::MemberLeft, Some(user)) => {
                    participants.remove(user);
                }
                (EventKind::CommanderChanged, _) => participants.extend(e.subject.clone()),
                _ => {}
            }
        }
        let (tasks_done, tasks_total) = incident.progress();
        Row {
            id: incident.id.clone(),
            number: incident.number,
            team: incident.team.clone(),
            channel: incident.channel.clone(),
            name: incident.name.clone(),
            status: incident.status,
            visibility: incident.visibility,
            commander: incident.commander.clone(),
            reporter: incident.reporter.clone(),
            participants,
            invited: incident.access.invited.iter().map(|g| g.user.clone()).collect(),
            revoked: incident.access.revoked.iter().cloned().collect(),
            created_at: incident.created_at,
            ended_at: incident.ended_at,
            tasks_done,
            tasks_total,
            version: incident.version,
            deadline: incident.next_deadline(),
            playbook: incident.playbook.clone(),
        }
    }

    /// `INC-00042`.
    pub fn reference(&self) -> String {
        format!("INC-{:05}", self.number)
    }

    /// Whether the row answers to `r` (same rule as `IncidentRef::matches`).
    pub fn matches(&self, r: &IncidentRef) -> bool {
        r.matches_parts(self.number, &self.id, &self.name)
    }
}

/// Orders of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Newest first (default).
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// By name, then number.
    Name,
}

/// A list request. Empty filters match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Only this team.
    pub team: Option<TeamId>,
    /// Only this channel.
    pub channel: Option<ChannelId>,
    /// Only this status.
    pub status: Option<Status>,
    /// Only incidents this user commands.
    pub commander: Option<UserId>,
    /// Only incidents this user takes part in.
    pub participant: Option<UserId>,
    /// Case-insensitive text in the name or the reference.
    pub text: Option<String>,
    /// Order.
    pub sort: Sort,
    /// Zero-based page.
    pub page: usize,
    /// Rows per page (at least 1).
    pub per_page: usize,
    /// Whether private incidents are listed at all (the "show private incidents" filter; off by default). Who may
    /// see which of them is still the caller's `visible` rule.
    pub include_private: bool,
}

/// One page of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The rows of the page.
    pub rows: Vec<Row>,
    /// How many rows matched in all.
    pub total: usize,
}

/// The read model.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    rows: BTreeMap<IncidentId, Row>,
    by_team: BTreeMap<TeamId, BTreeSet<IncidentId>>,
    by_channel: BTreeMap<ChannelId, BTreeSet<IncidentId>>,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Self::default()
    }

    /// A catalog of `incidents`.
    pub fn of<'a>(incidents: impl IntoIterator<Item = &'a Incident>) -> Self {
        let mut c = Catalog::new();
        for i in incidents {
            c.upsert(i);
        }
        c
    }

    /// How many incidents it holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds or refreshes an incident's row; ignored (false) when the row is already at a newer version.
    pub fn upsert(&mut self, incident: &Incident) -> bool {
        if self.rows.get(&incident.id).is_some_and(|r| r.version > incident.version) {
            return false;
        }
        self.remove(&incident.id);
        let row = Row::of(incident);
        self.by_team.entry(row.team.clone()).or_default().insert(row.id.clone());
        self.by_channel.entry(row.channel.clone()).or_default().insert(row.id.clone());
        self.rows.insert(row.id.clone(), row);
        true
    }

    /// Takes every row of `other` that is newer than (or missing from) this catalog: the changes that landed in the
    /// live catalog while this one was being rebuilt from KV.
    pub fn merge_newer(&mut self, other: &Catalog) {
        for row in other.rows.values() {
            if self.rows.get(&row.id).is_none_or(|mine| mine.version < row.version) {
                self.remove(&row.id);
                self.by_team.entry(row.team.clone()).or_default().insert(row.id.clone());
                self.by_channel.entry(row.channel.clone()).or_default().insert(row.id.clone());
                self.rows.insert(row.id.clone(), row.clone());
            }
        }
    }

    /// Drops an incident's row.
    pub fn remove(&mut self, id: &IncidentId) {
        if let Some(old) = self.rows.remove(id) {
            if let Some(set) = self.by_team.get_mut(&old.team) {
                set.remove(id);
            }
            if let Some(set) = self.by_channel.get_mut(&old.channel) {
                set.remove(id);
            }
        }
    }

    /// The row of `id`.
    pub fn get(&self, id: &IncidentId) -> Option<&Row> {
        self.rows.get(id)
    }

    /// The version the catalog holds for `id`.
    pub fn version(&self, id: &IncidentId) -> Option<u64> {
        self.rows.get(id).map(|r| r.version)
    }

    /// The incidents of a channel.
    pub fn in_channel(&self, channel: &ChannelId) -> Vec<IncidentId> {
        self.by_channel.get(channel).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    /// Whether the channel holds an incident.
    pub fn is_incident_channel(&self, channel: &ChannelId) -> bool {
        self.by_channel.get(channel).is_some_and(|s| !s.is_empty())
    }

    /// The rows of `team` answering to `r`.
    pub fn find(&self, team: &TeamId, r: &IncidentRef) -> Vec<&Row> {
        self.team_rows(team).filter(|row| row.matches(r)).collect()
    }

    /// Filters, sorts and pages; `visible` is the access rule for the asking user, applied before paging so totals
    /// and pages never count what the user may not see.
    pub fn query(&self, q: &Query, visible: impl Fn(&Row) -> bool) -> Page {
        let text = q.text.as_ref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
        let candidates: Box<dyn Iterator<Item = &Row>> = match (&q.channel, &q.team) {
            (Some(channel), _) => Box::new(self.ids_rows(self.by_channel.get(channel))),
            (None, Some(team)) => Box::new(self.team_rows(team)),
            (None, None) => Box::new(self.rows.values()),
        };
        let mut hits: Vec<&Row> = candidates
            .filter(|r| q.team.as_ref().is_none_or(|t| *t == r.team))
            .filter(|r| q.status.is_none_or(|s| s == r.status))
            .filter(|r| q.commander.as_ref().is_none_or(|c| *c == r.commander))
            .filter(|r| q.participant.as_ref().is_none_or(|u| r.participants.contains(u)))
            .filter(|r| q.include_private || r.visibility == Visibility::Public)
            .filter(|r| {
                text.as_ref()
                    .is_none_or(|t| r.name.to_lowercase().contains(t) || r.reference().to_lowercase().contains(t))
            })
            .filter(|r| visible(r))
            .collect();
        match q.sort {
            Sort::Newest => hits.sort_by(|a, b| (b.created_at, b.number, &b.id).cmp(&(a.created_at, a.number, &a.id))),
            Sort::Oldest => hits.sort_by(|a, b| (a.created_at, a.number, &a.id).cmp(&(b.created_at, b.number, &b.id))),
            Sort::Name => hits.sort_by_key(|r| (r.name.to_lowercase(), r.number)),
        }
        let per_page = q.per_page.max(1);
        let total = hits.len();
        let rows = hits.into_iter().skip(q.page.saturating_mul(per_page)).take(per_page).cloned().collect();
        Page { rows, total }
    }

    fn team_rows<'a>(&'a self, team: &TeamId) -> impl Iterator<Item = &'a Row> + 'a {
        self.ids_rows(self.by_team.get(team))
    }

    fn ids_rows<'a>(&'a self, ids: Option<&'a BTreeSet<IncidentId>>) -> impl Iterator<Item = &'a Row> + 'a {
        ids.into_iter().flatten().filter_map(|id| self.rows.get(id))
    }
}

mod deadlines;

#[cfg(test)]
mod tests;
