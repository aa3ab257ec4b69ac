//! The incident store: records with compare-and-set, sequential numbers, channel and sharded team indexes.
//!
//! Every write is a compare-and-set on the exact bytes that were read. Small records (indexes, counters) are updated
//! here with a bounded retry loop ([`MAX_ATTEMPTS`]); incident records are saved with [`Store::save`], and the caller
//! (the app) re-loads and re-decides on [`StoreError::Conflict`], so two nodes changing one incident both land.

use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use incident_core::{ChannelId, Incident, IncidentId, TeamId};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::keys;
use crate::kv::{Expect, Kv, KvError};
use crate::record::{self, Counter, IdList, RecordError};

/// How many times a compare-and-set is tried before giving up with [`StoreError::Busy`].
pub const MAX_ATTEMPTS: u32 = 5;

/// The largest incident record written. A compare-and-set sends the old and the new value in one PluginAPI request,
/// and a gRPC message holds at most 4 MiB, so each may take just under half of that.
pub const MAX_RECORD_BYTES: usize = 2_000_000;

/// How many records the activation rebuild reads at once.
const REBUILD_CONCURRENCY: usize = 64;

/// Why the store could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The KV store failed.
    #[error(transparent)]
    Kv(#[from] KvError),
    /// A stored value is unreadable or too new.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Someone else wrote the record since it was read: re-load, re-decide, retry.
    #[error("the record changed since it was read")]
    Conflict,
    /// Compare-and-set kept losing after [`MAX_ATTEMPTS`] tries.
    #[error("{0} kept changing under concurrent writes")]
    Busy(String),
    /// The record would be larger than [`MAX_RECORD_BYTES`]: refused before any write.
    #[error("{key} would take {bytes} bytes, more than the {MAX_RECORD_BYTES} a record may")]
    TooLarge {
        /// The record's key.
        key: String,
        /// Its encoded size.
        bytes: usize,
    },
}

/// A value with the exact bytes it was read from, which the next compare-and-set expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored<T> {
    /// The decoded value.
    pub value: T,
    raw: Vec<u8>,
}

/// The incident store over a [`Kv`].
#[derive(Clone)]
pub struct Store {
    kv: Arc<dyn Kv>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl Store {
    /// A store over `kv`.
    pub fn new(kv: Arc<dyn Kv>) -> Self {
        Store { kv }
    }

    /// The KV store underneath (other record kinds, like playbooks, share it).
    pub fn kv(&self) -> Arc<dyn Kv> {
        self.kv.clone()
    }

    /// The incident, or None if there is no record.
    pub async fn load(&self, id: &IncidentId) -> Result<Option<Stored<Incident>>, StoreError> {
        let key = keys::incident(id);
        let Some(raw) = self.kv.get(&key).await? else {
            return Ok(None);
        };
        let value = record::decode(&key, &raw)?;
        Ok(Some(Stored { value, raw }))
    }

    /// Writes a new incident; Conflict if the id is taken.
    pub async fn create(&self, incident: &Incident) -> Result<Stored<Incident>, StoreError> {
        let (key, raw) = encode_incident(incident)?;
        if self.kv.set(&key, &raw, Expect::Absent, None).await? {
            Ok(Stored { value: incident.clone(), raw })
        } else {
            Err(StoreError::Conflict)
        }
    }

    /// Replaces `prev` with `next`; Conflict if the record changed since `prev` was read.
    pub async fn save(&self, prev: &Stored<Incident>, next: Incident) -> Result<Stored<Incident>, StoreError> {
        let (key, raw) = encode_incident(&next)?;
        if self.kv.set(&key, &raw, Expect::Bytes(&prev.raw), None).await? {
            Ok(Stored { value: next, raw })
        } else {
            Err(StoreError::Conflict)
        }
    }

    /// Removes a record (compensation of a failed start only).
    pub async fn delete(&self, id: &IncidentId) -> Result<(), StoreError> {
        Ok(self.kv.delete(&keys::incident(id)).await?)
    }

    /// Adds `id` to the channel's index. The channel is usually brand new, so the index usually is too.
    pub async fn index_channel(&self, channel: &ChannelId, id: &IncidentId) -> Result<(), StoreError> {
        self.add_first_id(&keys::channel_index(channel), id).await
    }

    /// Removes `id` from the channel's index.
    pub async fn unindex_channel(&self, channel: &ChannelId, id: &IncidentId) -> Result<(), StoreError> {
        self.remove_id(&keys::channel_index(channel), id).await
    }

    /// Adds `id` (numbered `number`) to its team index shard. The first number of a shard usually finds it absent.
    pub async fn index_team(&self, team: &TeamId, number: u64, id: &IncidentId) -> Result<(), StoreError> {
        let key = keys::team_shard(team, number);
        if number == (keys::shard_of(number) * keys::SHARD_SIZE).max(1) {
            return self.add_first_id(&key, id).await;
        }
        self.add_id(&key, id).await
    }

    /// Removes `id` from its team index shard.
    pub async fn unindex_team(&self, team: &TeamId, number: u64, id: &IncidentId) -> Result<(), StoreError> {
        self.remove_id(&keys::team_shard(team, number), id).await
    }

    /// The ids in a channel's index (entries whose record is missing are a failed start: callers skip them).
    pub async fn channel_incidents(&self, channel: &ChannelId) -> Result<Vec<IncidentId>, StoreError> {
        let key = keys::channel_index(channel);
        Ok(self.read::<IdList<IncidentId>>(&key).await?.map(|s| s.value.ids).unwrap_or_default())
    }

    /// The ids of every incident of `team`: the counter says how many shards to read.
    pub async fn team_incidents(&self, team: &TeamId) -> Result<Vec<IncidentId>, StoreError> {
        let last = self.last_number(team).await?;
        let mut ids = Vec::new();
        for shard in 0..=keys::shard_of(last) {
            let key = keys::team_shard_at(team, shard);
            if let Some(list) = self.read::<IdList<IncidentId>>(&key).await? {
                ids.extend(list.value.ids);
            }
        }
        Ok(ids)
    }

    /// Every incident reachable from the team indexes, read with bounded concurrency (activation rebuild).
    /// Index entries without a record (a start that failed half-way) are skipped.
    pub async fn load_all(&self) -> Result<Vec<Incident>, StoreError> {
        let mut ids = Vec::new();
        for team in self.teams().await? {
            ids.extend(self.team_incidents(&team).await?);
        }
        let loaded: Vec<Option<Stored<Incident>>> = futures::stream::iter(ids)
            .map(|id| async move { self.load(&id).await })
            .buffer_unordered(REBUILD_CONCURRENCY)
            .try_collect()
            .await?;
        let mut incidents: Vec<Incident> = loaded.into_iter().flatten().map(|s| s.value).collect();
        incidents.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(incidents)
    }

    /// Counts one more message in the incident channel; returns the new count.
    pub async fn count_message(&self, id: &IncidentId) -> Result<u64, StoreError> {
        let key = keys::message_count(id);
        self.update(&key, |c: &mut Counter| {
            c.value += 1;
            Some(c.value)
        })
        .await
        .map(|n| n.unwrap_or_default())
    }

    /// How many messages were posted in the incident channel.
    pub async fn message_count(&self, id: &IncidentId) -> Result<u64, StoreError> {
        Ok(self.read::<Counter>(&keys::message_count(id)).await?.map_or(0, |s| s.value.value))
    }

    async fn add_id(&self, key: &str, id: &IncidentId) -> Result<(), StoreError> {
        self.update(key, |list: &mut IdList<IncidentId>| {
            if list.ids.contains(id) {
                return None;
            }
            list.ids.push(id.clone());
            Some(())
        })
        .await
        .map(|_| ())
    }

    /// Adds `id` to an index that is probably new: written without reading first (one call); when the index exists
    /// after all (another start got there first), the read-modify-CAS loop.
    async fn add_first_id(&self, key: &str, id: &IncidentId) -> Result<(), StoreError> {
        let fresh = record::encode(&IdList { ids: vec![id.clone()] });
        if self.kv.set(key, &fresh, Expect::Absent, None).await? {
            return Ok(());
        }
        self.add_id(key, id).await
    }

    async fn remove_id(&self, key: &str, id: &IncidentId) -> Result<(), StoreError> {
        self.update(key, |list: &mut IdList<IncidentId>| {
            let before = list.ids.len();
            list.ids.retain(|i| i != id);
            (list.ids.len() != before).then_some(())
        })
        .await
        .map(|_| ())
    }

    /// A record and the exact bytes it was read from.
    pub(crate) async fn read_raw<T: DeserializeOwned>(&self, key: &str) -> Result<Option<(T, Vec<u8>)>, StoreError> {
        Ok(self.read::<T>(key).await?.map(|s| (s.value, s.raw)))
    }

    async fn read<T: DeserializeOwned>(&self, key: &str) -> Result<Option<Stored<T>>, StoreError> {
        let Some(raw) = self.kv.get(key).await? else {
            return Ok(None);
        };
        Ok(Some(Stored { value: record::decode(key, &raw)?, raw }))
    }

    /// Compare-and-set loop on a small record: `change` edits the value (default when absent) and returns Some to
    /// write, None when there is nothing to do. Returns what `change` returned on the winning attempt.
    pub(crate) async fn update<T, R>(
        &self,
        key: &str,
        mut change: impl FnMut(&mut T) -> Option<R>,
    ) -> Result<Option<R>, StoreError>
    where
        T: Serialize + DeserializeOwned + Default,
    {
        for _ in 0..MAX_ATTEMPTS {
            let (mut value, raw) = match self.read::<T>(key).await? {
                Some(s) => (s.value, Some(s.raw)),
                None => (T::default(), None),
            };
            let expect = raw.as_deref().map_or(Expect::Absent, Expect::Bytes);
            let Some(result) = change(&mut value) else {
                return Ok(None);
            };
            if self.kv.set(key, &record::encode(&value), expect, None).await? {
                return Ok(Some(result));
            }
        }
        Err(StoreError::Busy(key.to_owned()))
    }
}

/// The key and bytes of an incident record, refused when too large to write.
fn encode_incident(incident: &Incident) -> Result<(String, Vec<u8>), StoreError> {
    let (key, raw) = (keys::incident(&incident.id), record::encode(incident));
    if raw.len() > MAX_RECORD_BYTES {
        return Err(StoreError::TooLarge { key, bytes: raw.len() });
    }
    Ok((key, raw))
}

#[cfg(test)]
mod tests;
