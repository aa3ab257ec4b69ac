//! The start journal: while an incident is being started, `sti_<incident id>` says which channel name the start is
//! creating. A node that dies between creating the channel and committing the record leaves the entry behind; the
//! activation sweep ([`Store::start_intents`], then the app's recovery) retires that channel, so a crash never
//! leaves a channel without its incident.

use incident_core::{IncidentId, TeamId, Timestamp};
use serde::{Deserialize, Serialize};

use crate::keys;
use crate::kv::Expect;
use crate::record;
use crate::store::{Store, StoreError};

/// A start in progress (or abandoned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartIntent {
    /// The team.
    pub team: TeamId,
    /// The incident number it was given.
    pub number: u64,
    /// The channel name being created.
    pub slug: String,
    /// When the start began.
    pub at: Timestamp,
}

impl Store {
    /// Notes that `id` is about to create channel `intent.slug` (written before every CreateChannel attempt).
    pub async fn record_start_intent(&self, id: &IncidentId, intent: &StartIntent) -> Result<(), StoreError> {
        let key = keys::start_intent(id);
        self.kv().set(&key, &record::encode(intent), Expect::Anything, None).await?;
        Ok(())
    }

    /// The start of `id` committed or was compensated: forget it.
    pub async fn clear_start_intent(&self, id: &IncidentId) -> Result<(), StoreError> {
        self.kv().delete(&keys::start_intent(id)).await?;
        Ok(())
    }

    /// Every start in the journal. Pages through all keys on Mattermost: activation only.
    pub async fn start_intents(&self) -> Result<Vec<(IncidentId, StartIntent)>, StoreError> {
        let mut out = Vec::new();
        for key in self.kv().list(keys::START_INTENT_PREFIX).await? {
            let Some(id) = keys::incident_of_start_intent(&key) else { continue };
            let Some(raw) = self.kv().get(&key).await? else { continue };
            out.push((id, record::decode(&key, &raw)?));
        }
        Ok(out)
    }
}
