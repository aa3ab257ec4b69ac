//! The application object: ports, store and read model, plus the per-request context and the name directory.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use incident_core::{ChannelId, Incident, IncidentId, TeamId, Timestamp, UserId, render};
use incident_store::{Catalog, Store};

use crate::error::AppError;
use crate::ports::{Chat, Events, Ids, Outbox, People, Person};

/// Who asks, where, and when (the clock is read once, at the edge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctx {
    /// The acting user.
    pub user: UserId,
    /// The team the request came from, if any.
    pub team: Option<TeamId>,
    /// The channel the request came from, if any.
    pub channel: Option<ChannelId>,
    /// Now.
    pub now: Timestamp,
}

/// The ports the use cases run on.
#[derive(Clone)]
pub struct Ports {
    /// Channels and posts.
    pub chat: Arc<dyn Chat>,
    /// Users and memberships.
    pub people: Arc<dyn People>,
    /// Websocket and cluster events.
    pub events: Arc<dyn Events>,
    /// Fresh ids.
    pub ids: Arc<dyn Ids>,
}

/// The use cases of Incident Collaboration.
pub struct App {
    pub(crate) store: Store,
    pub(crate) chat: Arc<dyn Chat>,
    pub(crate) people: Arc<dyn People>,
    pub(crate) events: Arc<dyn Events>,
    pub(crate) ids: Arc<dyn Ids>,
    catalog: RwLock<Catalog>,
    /// Called whenever the read model changed, so the scheduler re-reads the next deadline (`reminders.rs`).
    pub(crate) deadline_listener: OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// Whether private incidents are enabled (System Console); "always private" playbooks need it (`playbooks.rs`).
    pub(crate) private_incidents: std::sync::atomic::AtomicBool,
    /// Where webhooks go (`automation.rs`); unset: webhooks are dropped with a warning.
    pub(crate) outbox: OnceLock<Arc<dyn Outbox>>,
    /// When this node sweeps the start journal again, because one of its starts left a note behind
    /// (`recovery.rs`); a deadline like the incidents' own.
    pub(crate) journal_sweep: std::sync::Mutex<Option<Timestamp>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("incidents", &self.catalog().len()).finish()
    }
}

impl App {
    /// An app over `store` and `ports`, with an empty read model (call [`App::rebuild`]).
    pub fn new(store: Store, ports: Ports) -> Self {
        App {
            store,
            chat: ports.chat,
            people: ports.people,
            events: ports.events,
            ids: ports.ids,
            catalog: RwLock::new(Catalog::new()),
            deadline_listener: OnceLock::new(),
            private_incidents: std::sync::atomic::AtomicBool::new(true),
            outbox: OnceLock::new(),
            journal_sweep: std::sync::Mutex::new(None),
        }
    }

    /// Rebuilds the read model from KV (activation). Returns how many incidents it holds.
    pub async fn rebuild(&self) -> Result<usize, AppError> {
        let incidents = self.store.load_all().await?;
        let mut catalog = Catalog::of(&incidents);
        let n = {
            let mut live = self.catalog_mut();
            // Saves and cluster events that landed while we read are newer than what we read: keep them.
            catalog.merge_newer(&live);
            *live = catalog;
            live.len()
        };
        self.deadlines_changed();
        Ok(n)
    }

    /// Another node changed `incident` (cluster event): refresh its row unless we already have that version.
    pub async fn incident_changed_elsewhere(&self, incident: &IncidentId, version: u64) -> Result<(), AppError> {
        if self.catalog().version(incident).is_some_and(|v| v >= version) {
            return Ok(());
        }
        match self.store.load(incident).await? {
            Some(stored) => {
                self.catalog_mut().upsert(&stored.value);
            }
            None => self.catalog_mut().remove(incident),
        }
        self.deadlines_changed();
        Ok(())
    }

    /// The read model (never held across an await).
    pub fn catalog(&self) -> RwLockReadGuard<'_, Catalog> {
        self.catalog.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn catalog_mut(&self) -> RwLockWriteGuard<'_, Catalog> {
        self.catalog.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Records a saved incident in the read model and tells the other nodes.
    pub(crate) async fn saved(&self, incident: &Incident) {
        self.catalog_mut().upsert(incident);
        self.deadlines_changed();
        if let Err(e) = self.events.incident_changed(&incident.id, incident.version).await {
            tracing::warn!(error = %e, incident = %incident.id, "telling the other nodes about a change failed");
        }
    }

    /// A fresh incident id.
    pub(crate) fn new_incident_id(&self) -> Result<IncidentId, AppError> {
        IncidentId::try_from(self.ids.new_id()).map_err(|e| AppError::Unavailable(e.to_string()))
    }
}

/// Usernames and channel names looked up during one request, fetched in as few calls as possible.
#[derive(Debug, Default)]
pub(crate) struct Names {
    pub(crate) users: BTreeMap<UserId, Person>,
    pub(crate) channels: BTreeMap<ChannelId, String>,
}

impl Names {
    /// Fetches the users among `ids` not known yet, in one call.
    pub(crate) async fn ensure<'a>(
        &mut self,
        people: &dyn People,
        ids: impl IntoIterator<Item = &'a UserId>,
    ) -> Result<(), AppError> {
        let mut missing: Vec<UserId> = ids.into_iter().filter(|id| !self.users.contains_key(*id)).cloned().collect();
        missing.sort();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        for person in people.users(&missing).await? {
            self.users.insert(person.id.clone(), person);
        }
        Ok(())
    }

    /// Whether `user` is a system admin (false when unknown).
    pub(crate) fn is_admin(&self, user: &UserId) -> bool {
        self.users.get(user).is_some_and(|p| p.is_system_admin)
    }

    /// Every user an incident's rendering may name.
    pub(crate) fn people_of(incident: &Incident) -> Vec<&UserId> {
        let mut ids = vec![&incident.commander, &incident.reporter];
        ids.extend(incident.status_updates.last().map(|u| &u.author));
        for e in &incident.timeline {
            ids.extend(e.actor.iter());
            ids.extend(e.subject.iter());
        }
        ids
    }
}

impl render::Directory for Names {
    fn username(&self, user: &UserId) -> Option<String> {
        self.users.get(user).map(|p| p.username.clone())
    }

    fn channel_name(&self, channel: &ChannelId) -> Option<String> {
        self.channels.get(channel).cloned()
    }
}
