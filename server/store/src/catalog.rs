//! The per-node read model: one small row per incident, indexed by team and channel, for list, filter, sort and
//! page without reading records. Rebuilt from KV at activation and kept fresh by the node's own writes and by
//! cluster events from the other nodes.

use std::collections::{BTreeSet, HashMap};

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
    /// When the next status update is due (lists mark it overdue).
    pub reminder_due: Option<Timestamp>,
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
            reminder_due: incident.reminder.next_due,
            playbook: incident.playbook.clone(),
        }
    }

    /// `INC-00042`.
    pub fn reference(&self) -> String {
        incident_core::incident::reference(self.number)
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

/// Where a row sits in its team's order: by start time, then number (unique in a team), then slot.
type TeamOrder = (Timestamp, u64, Slot);

/// Index of a row in the catalog's slab.
type Slot = u32;

/// The read model: rows in a slab, each team's rows kept in start order, so the common list (one team, newest
/// first) walks one ordered set without comparing ids or sorting, and the other indexes hold slot numbers.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    slots: Vec<Option<Row>>,
    free: Vec<Slot>,
    by_id: HashMap<IncidentId, Slot>,
    by_team: HashMap<TeamId, BTreeSet<TeamOrder>>,
    by_channel: HashMap<ChannelId, BTreeSet<Slot>>,
    /// Rows with a deadline, earliest first (the scheduler's question, asked after every save).
    deadlines: BTreeSet<(Timestamp, Slot)>,
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
        self.by_id.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Adds or refreshes an incident's row; ignored (false) when the row is already at a newer version.
    pub fn upsert(&mut self, incident: &Incident) -> bool {
        if self.get(&incident.id).is_some_and(|r| r.version > incident.version) {
            return false;
        }
        self.put(Row::of(incident));
        true
    }

    /// Takes every row of `other` that is newer than (or missing from) this catalog: the changes that landed in the
    /// live catalog while this one was being rebuilt from KV.
    pub fn merge_newer(&mut self, other: &Catalog) {
        for row in other.rows() {
            if self.version(&row.id).is_none_or(|mine| mine < row.version) {
                self.put(row.clone());
            }
        }
    }

    /// Drops an incident's row.
    pub fn remove(&mut self, id: &IncidentId) {
        let Some(slot) = self.by_id.remove(id) else { return };
        let Some(old) = self.slots.get_mut(slot as usize).and_then(Option::take) else { return };
        if let Some(set) = self.by_team.get_mut(&old.team) {
            set.remove(&(old.created_at, old.number, slot));
            if set.is_empty() {
                self.by_team.remove(&old.team);
            }
        }
        if let Some(set) = self.by_channel.get_mut(&old.channel) {
            set.remove(&slot);
            if set.is_empty() {
                self.by_channel.remove(&old.channel);
            }
        }
        if let Some(deadline) = old.deadline {
            self.deadlines.remove(&(deadline, slot));
        }
        self.free.push(slot);
    }

    /// Replaces (or adds) the row of `row.id`, keeping every index in step.
    fn put(&mut self, row: Row) {
        self.remove(&row.id);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                Slot::try_from(self.slots.len() - 1).expect("fewer than 4 billion incidents")
            }
        };
        self.by_id.insert(row.id.clone(), slot);
        self.by_team.entry(row.team.clone()).or_default().insert((row.created_at, row.number, slot));
        self.by_channel.entry(row.channel.clone()).or_default().insert(slot);
        if let Some(deadline) = row.deadline {
            self.deadlines.insert((deadline, slot));
        }
        self.slots[slot as usize] = Some(row);
    }

    fn at(&self, slot: Slot) -> Option<&Row> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    fn rows(&self) -> impl Iterator<Item = &Row> {
        self.slots.iter().flatten()
    }

    /// The row of `id`.
    pub fn get(&self, id: &IncidentId) -> Option<&Row> {
        self.by_id.get(id).and_then(|slot| self.at(*slot))
    }

    /// The version the catalog holds for `id`.
    pub fn version(&self, id: &IncidentId) -> Option<u64> {
        self.get(id).map(|r| r.version)
    }

    /// The incidents of a channel, by id.
    pub fn in_channel(&self, channel: &ChannelId) -> Vec<IncidentId> {
        let mut ids: Vec<IncidentId> = self.channel_rows(channel).map(|r| r.id.clone()).collect();
        ids.sort();
        ids
    }

    /// Whether the channel holds an incident.
    pub fn is_incident_channel(&self, channel: &ChannelId) -> bool {
        self.by_channel.contains_key(channel)
    }

    /// The rows of `team` answering to `r`, oldest first.
    pub fn find(&self, team: &TeamId, r: &IncidentRef) -> Vec<&Row> {
        self.team_rows(team).filter(|row| row.matches(r)).collect()
    }

    /// Filters, sorts and pages; `visible` is the access rule for the asking user, applied before paging so totals
    /// and pages never count what the user may not see.
    pub fn query(&self, q: &Query, visible: impl Fn(&Row) -> bool) -> Page {
        let text = q.text.as_ref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
        let wanted = |r: &&Row| {
            q.status.is_none_or(|s| s == r.status)
                && q.commander.as_ref().is_none_or(|c| *c == r.commander)
                && q.participant.as_ref().is_none_or(|u| r.participants.contains(u))
                && (q.include_private || r.visibility == Visibility::Public)
                && text.as_ref().is_none_or(|t| r.mentions(t))
                && visible(r)
        };
        let paging = Paging::new(q.page, q.per_page);
        match (&q.channel, &q.team, q.sort) {
            // One team in start order: the team's ordered set walked forwards or backwards, nothing sorted.
            (None, Some(team), Sort::Newest) => paging.take(self.team_rows(team).rev().filter(wanted)),
            (None, Some(team), Sort::Oldest) => paging.take(self.team_rows(team).filter(wanted)),
            (channel, team, sort) => {
                let candidates: Box<dyn Iterator<Item = &Row>> = match (channel, team) {
                    (Some(channel), _) => Box::new(self.channel_rows(channel)),
                    (None, Some(team)) => Box::new(self.team_rows(team)),
                    (None, None) => Box::new(self.rows()),
                };
                let mut hits: Vec<&Row> =
                    candidates.filter(|r| team.as_ref().is_none_or(|t| *t == r.team)).filter(wanted).collect();
                match sort {
                    Sort::Newest => hits.sort_by(|a, b| b.start_order().cmp(&a.start_order())),
                    Sort::Oldest => hits.sort_by(|a, b| a.start_order().cmp(&b.start_order())),
                    Sort::Name => hits.sort_by_cached_key(|r| (r.name.to_lowercase(), r.number, r.id.clone())),
                }
                paging.take(hits.into_iter())
            }
        }
    }

    /// The rows of `team`, oldest first.
    fn team_rows<'a>(&'a self, team: &TeamId) -> impl DoubleEndedIterator<Item = &'a Row> + 'a {
        self.by_team.get(team).into_iter().flatten().filter_map(|(_, _, slot)| self.at(*slot))
    }

    fn channel_rows<'a>(&'a self, channel: &ChannelId) -> impl Iterator<Item = &'a Row> + 'a {
        self.by_channel.get(channel).into_iter().flatten().filter_map(|slot| self.at(*slot))
    }
}

/// One page out of an ordered run of matches, counting them all.
struct Paging {
    skip: usize,
    per_page: usize,
}

impl Paging {
    fn new(page: usize, per_page: usize) -> Self {
        let per_page = per_page.max(1);
        Paging { skip: page.saturating_mul(per_page), per_page }
    }

    fn take<'a>(&self, hits: impl Iterator<Item = &'a Row>) -> Page {
        let mut page = Page::default();
        for row in hits {
            if page.total >= self.skip && page.rows.len() < self.per_page {
                page.rows.push(row.clone());
            }
            page.total += 1;
        }
        page
    }
}

impl Row {
    /// The order of "newest" and "oldest" across teams.
    fn start_order(&self) -> (Timestamp, u64, &IncidentId) {
        (self.created_at, self.number, &self.id)
    }

    /// Whether the name or the reference contains `text` (already lower case), ignoring case. Names are mostly
    /// ASCII, so the common case compares bytes in place instead of lowering a copy of every name.
    fn mentions(&self, text: &str) -> bool {
        let in_name = if self.name.is_ascii() && text.is_ascii() {
            let (name, text) = (self.name.as_bytes(), text.as_bytes());
            name.windows(text.len()).any(|w| w.iter().zip(text).all(|(a, b)| a.to_ascii_lowercase() == *b))
        } else {
            self.name.to_lowercase().contains(text)
        };
        // `inc-00042`: only text made of those characters can be part of a reference.
        in_name
            || (text.bytes().all(|b| b"inc-0123456789".contains(&b))
                && self.reference().to_ascii_lowercase().contains(text))
    }
}

mod deadlines;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
