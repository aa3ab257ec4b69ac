//! The state every part of the host shares: store, event hub, counters, faults, plugin, trigger ids, supervisor.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::bundle::PluginDir;
use crate::counters::Counters;
use crate::events::EventHub;
use crate::faults::Faults;
use crate::ids::new_id;
use crate::store::Store;
use crate::supervisor::Supervisor;

/// How long a trigger id stays usable. Mattermost allows 3 s; the dev host is generous for slow debug builds.
pub const TRIGGER_TTL: Duration = Duration::from_secs(15);

/// The plugin lifecycle state shown on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PluginState {
    Starting,
    Active,
    Failed,
    Stopped,
}

/// `/dev/api/state`'s `plugin` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginStatus {
    pub id: String,
    pub version: String,
    pub state: PluginState,
    pub message: String,
    pub nodes: usize,
}

/// Who a trigger id was issued to, and where.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub issued: Instant,
}

/// Why a trigger id was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TriggerError {
    #[error("unknown trigger id {0}")]
    Unknown(String),
    #[error("trigger id {0} has expired")]
    Expired(String),
}

#[derive(Debug)]
pub struct Shared {
    pub store: Store,
    pub events: EventHub,
    pub counters: Counters,
    /// Faults injected into the PluginAPI (dev and tests only).
    pub faults: Faults,
    pub site_url: String,
    pub page_dir: PathBuf,
    pub plugin: OnceLock<PluginDir>,
    pub sup: Supervisor,
    triggers: Mutex<HashMap<String, Trigger>>,
}

impl Shared {
    pub fn new(store: Store, site_url: String, page_dir: PathBuf, sup: Supervisor) -> Self {
        Self {
            store,
            events: EventHub::default(),
            counters: Counters::default(),
            faults: Faults::default(),
            site_url,
            page_dir,
            plugin: OnceLock::new(),
            sup,
            triggers: Mutex::new(HashMap::new()),
        }
    }

    /// The loaded plugin's id, or "" when the bundle could not be loaded.
    pub fn plugin_id(&self) -> &str {
        self.plugin.get().map(|p| p.manifest.id.as_str()).unwrap_or("")
    }

    /// Issues a fresh trigger id for a command run or an action click.
    pub fn issue_trigger(&self, user_id: &str, channel_id: &str, team_id: &str) -> String {
        let id = new_id();
        let mut map = self.triggers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, t| t.issued.elapsed() < TRIGGER_TTL);
        map.insert(
            id.clone(),
            Trigger {
                user_id: user_id.to_string(),
                channel_id: channel_id.to_string(),
                team_id: team_id.to_string(),
                issued: Instant::now(),
            },
        );
        id
    }

    /// The user a live trigger id belongs to.
    pub fn resolve_trigger(&self, trigger_id: &str) -> Result<Trigger, TriggerError> {
        let map = self.triggers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = map.get(trigger_id).ok_or_else(|| TriggerError::Unknown(trigger_id.to_string()))?;
        if t.issued.elapsed() >= TRIGGER_TTL {
            return Err(TriggerError::Expired(trigger_id.to_string()));
        }
        Ok(t.clone())
    }

    /// The plugin's settings: `settings_schema` defaults overlaid with stored overrides.
    pub fn plugin_settings(&self) -> Map<String, Value> {
        let Some(plugin) = self.plugin.get() else { return Map::new() };
        let mut settings = plugin.manifest.default_settings();
        match self.store.plugin_settings(&plugin.manifest.id) {
            Ok(overrides) => settings.extend(overrides),
            Err(e) => tracing::error!(error = %e, "could not read plugin settings"),
        }
        settings
    }
}
