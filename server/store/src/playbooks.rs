//! Playbooks on the KV store: one record per playbook (`pbk_<id>`), and one id list per team (`pbx_<team>`).
//! Playbooks are never deleted, only archived, so incidents started from one can always name it. Every write is a
//! compare-and-set on the bytes read.

use std::sync::Arc;

use incident_core::incident::{Checklist, Task};
use incident_core::{ChannelId, PlaybookId, TeamId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::keys;
use crate::kv::{Expect, Kv};
use crate::record::{self, IdList};
use crate::store::{MAX_ATTEMPTS, StoreError};

/// A playbook: the template incidents start from.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playbook {
    /// Id.
    #[cfg_attr(feature = "ts-types", ts(type = "string"))]
    pub id: PlaybookId,
    /// The team it belongs to.
    #[cfg_attr(feature = "ts-types", ts(type = "string"))]
    pub team: TeamId,
    /// Title (unique among the team's active playbooks, case-insensitively).
    pub title: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// Checklists copied into each incident.
    #[serde(default)]
    pub checklists: Vec<PlaybookChecklist>,
    /// First status-update reminder of a new incident, in ms (None: none).
    #[serde(default)]
    pub reminder_ms: Option<u64>,
    /// Channels every status update is also posted to.
    #[serde(default)]
    #[cfg_attr(feature = "ts-types", ts(type = "Array<string>"))]
    pub broadcast_channels: Vec<ChannelId>,
    /// Incidents from this playbook are always private.
    #[serde(default)]
    pub always_private: bool,
    /// Incident channels are private even when the incident is public (only channel members can join).
    #[serde(default)]
    pub private_channel: bool,
    /// Who may see, use and edit it besides system admins (the creator is always one).
    #[serde(default)]
    #[cfg_attr(feature = "ts-types", ts(type = "Array<string>"))]
    pub members: Vec<UserId>,
    /// What runs when an incident starts from it, and after.
    #[serde(default)]
    pub automation: PlaybookAutomation,
    /// Text templates.
    #[serde(default)]
    pub templates: PlaybookTemplates,
    /// Archived playbooks are hidden from lists and cannot start incidents.
    #[serde(default)]
    pub archived: bool,
    /// Who created it.
    #[cfg_attr(feature = "ts-types", ts(type = "string"))]
    pub created_by: UserId,
    /// When.
    #[cfg_attr(feature = "ts-types", ts(type = "number"))]
    pub created_at: Timestamp,
    /// Last change.
    #[cfg_attr(feature = "ts-types", ts(type = "number"))]
    pub updated_at: Timestamp,
}

/// What a playbook automates. Private incidents skip the announcement and both webhooks.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlaybookAutomation {
    /// Users added to the incident channel at start.
    #[serde(default)]
    #[cfg_attr(feature = "ts-types", ts(type = "Array<string>"))]
    pub invite: Vec<UserId>,
    /// The commander when the starter names none.
    #[serde(default)]
    #[cfg_attr(feature = "ts-types", ts(type = "string | null"))]
    pub default_commander: Option<UserId>,
    /// Channel where each new incident is announced.
    #[serde(default)]
    #[cfg_attr(feature = "ts-types", ts(type = "string | null"))]
    pub announce_channel: Option<ChannelId>,
    /// URL that receives a signed POST when an incident starts.
    #[serde(default)]
    pub create_webhook: Option<String>,
    /// URL that receives a signed POST on each status update.
    #[serde(default)]
    pub update_webhook: Option<String>,
    /// Shown to each user who joins the incident channel (empty: none).
    #[serde(default)]
    pub welcome_message: String,
}

/// A playbook's text templates.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlaybookTemplates {
    /// The incident description when the starter writes none.
    #[serde(default)]
    pub overview: String,
    /// Prefill of the first status update.
    #[serde(default)]
    pub status_update: String,
}

/// A checklist template.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookChecklist {
    /// Heading.
    pub title: String,
    /// Tasks.
    #[serde(default)]
    pub items: Vec<PlaybookTask>,
}

/// A task template.
#[cfg_attr(feature = "ts-types", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookTask {
    /// Short text.
    pub title: String,
    /// Markdown details.
    #[serde(default)]
    pub description: String,
    /// Default assignees: the first owns the task, all are invited to the channel.
    #[serde(default)]
    #[cfg_attr(feature = "ts-types", ts(type = "Array<string>"))]
    pub assignees: Vec<UserId>,
    /// A slash command members can run from the task.
    #[serde(default)]
    pub command: Option<String>,
    /// The task is due this long after the incident starts.
    #[serde(default)]
    pub due_after_ms: Option<u64>,
}

impl PlaybookTask {
    /// A task template with only a title.
    pub fn titled(title: impl Into<String>) -> Self {
        PlaybookTask {
            title: title.into(),
            description: String::new(),
            assignees: Vec::new(),
            command: None,
            due_after_ms: None,
        }
    }
}

impl Playbook {
    /// The incident checklists this playbook starts with at `now` (all tasks open, owners and due times set).
    pub fn incident_checklists(&self, now: Timestamp) -> Vec<Checklist> {
        self.checklists
            .iter()
            .map(|c| Checklist {
                title: c.title.clone(),
                items: c
                    .items
                    .iter()
                    .map(|t| Task {
                        description: t.description.clone(),
                        assignee: t.assignees.first().cloned(),
                        command: t.command.clone(),
                        due_at: t.due_after_ms.map(|ms| now.saturating_add_ms(ms)),
                        ..Task::new(&t.title)
                    })
                    .collect(),
            })
            .collect()
    }

    /// Everyone the playbook brings into a new incident: invitees and task default assignees, once each.
    pub fn invitees(&self) -> Vec<UserId> {
        let mut out: Vec<UserId> = Vec::new();
        let assignees = self.checklists.iter().flat_map(|c| &c.items).flat_map(|t| &t.assignees);
        for user in self.automation.invite.iter().chain(assignees) {
            if !out.contains(user) {
                out.push(user.clone());
            }
        }
        out
    }

    /// Whether `user` is one of its members (system admins are checked by the caller).
    pub fn has_member(&self, user: &UserId) -> bool {
        self.created_by == *user || self.members.contains(user)
    }
}

/// The playbook store.
#[derive(Clone)]
pub struct Playbooks {
    kv: Arc<dyn Kv>,
}

impl std::fmt::Debug for Playbooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Playbooks")
    }
}

impl Playbooks {
    /// Over `kv`.
    pub fn new(kv: Arc<dyn Kv>) -> Self {
        Playbooks { kv }
    }

    /// One playbook.
    pub async fn load(&self, id: &PlaybookId) -> Result<Option<Playbook>, StoreError> {
        let key = keys::playbook(id);
        match self.kv.get(&key).await? {
            Some(raw) => Ok(Some(record::decode(&key, &raw)?)),
            None => Ok(None),
        }
    }

    /// Writes a new playbook and lists it in its team; Conflict if the id is taken.
    pub async fn create(&self, playbook: &Playbook) -> Result<(), StoreError> {
        let key = keys::team_playbooks(&playbook.team);
        for _ in 0..MAX_ATTEMPTS {
            let raw = self.kv.get(&key).await?;
            let mut list: IdList<PlaybookId> = match &raw {
                Some(bytes) => record::decode(&key, bytes)?,
                None => IdList::default(),
            };
            if !list.ids.contains(&playbook.id) {
                list.ids.push(playbook.id.clone());
            }
            let expect = raw.as_deref().map_or(Expect::Absent, Expect::Bytes);
            if self.kv.set(&key, &record::encode(&list), expect, None).await? {
                let written =
                    self.kv.set(&keys::playbook(&playbook.id), &record::encode(playbook), Expect::Absent, None).await?;
                return if written { Ok(()) } else { Err(StoreError::Conflict) };
            }
        }
        Err(StoreError::Busy(key))
    }

    /// Changes a playbook with compare-and-set: `change` edits a fresh copy (Err stops without writing).
    /// Returns the saved playbook, or None if there is none with that id.
    pub async fn update<E>(
        &self,
        id: &PlaybookId,
        mut change: impl FnMut(&mut Playbook) -> Result<(), E>,
    ) -> Result<Option<Result<Playbook, E>>, StoreError> {
        let key = keys::playbook(id);
        for _ in 0..MAX_ATTEMPTS {
            let Some(raw) = self.kv.get(&key).await? else { return Ok(None) };
            let mut playbook: Playbook = record::decode(&key, &raw)?;
            if let Err(e) = change(&mut playbook) {
                return Ok(Some(Err(e)));
            }
            if self.kv.set(&key, &record::encode(&playbook), Expect::Bytes(&raw), None).await? {
                return Ok(Some(Ok(playbook)));
            }
        }
        Err(StoreError::Busy(key))
    }

    /// Every playbook of `team`, archived ones included, oldest first.
    pub async fn of_team(&self, team: &TeamId) -> Result<Vec<Playbook>, StoreError> {
        let key = keys::team_playbooks(team);
        let Some(raw) = self.kv.get(&key).await? else { return Ok(Vec::new()) };
        let list: IdList<PlaybookId> = record::decode(&key, &raw)?;
        let mut out = Vec::with_capacity(list.ids.len());
        for id in &list.ids {
            out.extend(self.load(id).await?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryKv;
    use crate::test_support::pad;

    fn playbook(id: &str, title: &str) -> Playbook {
        Playbook {
            id: pad(id),
            team: pad("team"),
            title: title.into(),
            description: String::new(),
            checklists: vec![PlaybookChecklist {
                title: "Triage".into(),
                items: vec![PlaybookTask { description: "Call them".into(), ..PlaybookTask::titled("Page the DBA") }],
            }],
            reminder_ms: Some(900_000),
            broadcast_channels: vec![],
            always_private: false,
            private_channel: false,
            members: vec![pad("alice")],
            automation: PlaybookAutomation::default(),
            templates: PlaybookTemplates::default(),
            archived: false,
            created_by: pad("alice"),
            created_at: Timestamp(1),
            updated_at: Timestamp(1),
        }
    }

    #[tokio::test]
    async fn create_list_update_archive() {
        let store = Playbooks::new(Arc::new(MemoryKv::new()));
        store.create(&playbook("a", "Outage")).await.unwrap();
        store.create(&playbook("b", "Security")).await.unwrap();
        assert_eq!(store.create(&playbook("a", "Again")).await, Err(StoreError::Conflict));
        let titles: Vec<String> = store.of_team(&pad("team")).await.unwrap().into_iter().map(|p| p.title).collect();
        assert_eq!(titles, ["Outage", "Security"]);
        let archived = store
            .update(&pad("a"), |p| {
                p.archived = true;
                Ok::<(), ()>(())
            })
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert!(archived.archived);
        assert!(store.load(&pad("a")).await.unwrap().unwrap().archived, "kept, not deleted");
        assert_eq!(store.update(&pad("zzz"), |_| Ok::<(), ()>(())).await.unwrap(), None);
        let checklists = playbook("a", "x").incident_checklists(Timestamp(0));
        assert_eq!(checklists[0].items[0].title, "Page the DBA");
        assert_eq!(checklists[0].items[0].description, "Call them");
    }
}
