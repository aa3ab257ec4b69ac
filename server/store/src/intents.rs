//! Team counters and the start journal they carry, and the registry of teams with incidents.
//!
//! A start takes its number and notes the channel name it is about to create in one compare-and-set on the team
//! counter `tno_<team>` (its `starts`), and removes the note after the commit. A node that dies in between leaves the
//! note behind; the activation sweep ([`Store::start_intents`], then the app's recovery) retires that channel, so a
//! crash never leaves a channel without its incident. The registry `teams` names every team with a counter, so
//! activation finds the counters (and the team indexes) by reading keys it knows, never by listing the whole store.

use incident_core::{IncidentId, TeamId, Timestamp};
use serde::{Deserialize, Serialize};

use crate::keys;
use crate::kv::Expect;
use crate::record;
use crate::store::{MAX_ATTEMPTS, Store, StoreError};

/// A start in progress (or abandoned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartIntent {
    /// The incident being started.
    pub incident: IncidentId,
    /// The team.
    pub team: TeamId,
    /// The incident number it was given.
    pub number: u64,
    /// The channel name being created.
    pub slug: String,
    /// When the start began.
    pub at: Timestamp,
}

/// The team counter record: the last number allocated and the starts not yet committed. Older versions stored only
/// `value`, which reads as a counter without starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamCounter {
    /// The last allocated incident number.
    pub value: u64,
    /// Starts that took a number and have not committed (or were abandoned by a dead node).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts: Vec<StartIntent>,
}

/// The registry of teams with incidents. `listed` says it is known complete: set once the counters of a store
/// written before the registry existed were listed and merged in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRegistry {
    /// The teams, in the order they got their first incident.
    pub ids: Vec<TeamId>,
    /// Whether every team with a counter is in `ids`.
    #[serde(default)]
    pub listed: bool,
}

/// A start's hold on its journal note: its number and the counter bytes it last wrote, so the note's next change
/// usually needs no read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTicket {
    /// The incident number allocated.
    pub number: u64,
    written: Vec<u8>,
}

impl Store {
    /// Allocates the next number of `intent.team` and notes the start in the journal, in one compare-and-set (the
    /// `number` in `intent` is filled in). A team's first start registers the team first.
    pub async fn begin_start(&self, intent: StartIntent) -> Result<StartTicket, StoreError> {
        let team = intent.team.clone();
        self.bump_counter(&team, Some(intent)).await
    }

    /// Allocates the next incident number in `team` without a journal note (imports, seeding). A number whose start
    /// fails later is skipped, never reused.
    pub async fn allocate_number(&self, team: &TeamId) -> Result<u64, StoreError> {
        Ok(self.bump_counter(team, None).await?.number)
    }

    async fn bump_counter(&self, team: &TeamId, intent: Option<StartIntent>) -> Result<StartTicket, StoreError> {
        let key = keys::team_counter(team);
        for _ in 0..MAX_ATTEMPTS {
            let (mut counter, raw) = match self.read_raw::<TeamCounter>(&key).await? {
                Some((value, raw)) => (value, Some(raw)),
                None => {
                    // Registered before the counter exists: a crash in between leaves a registered team without
                    // incidents, never incidents the rebuild cannot find.
                    self.register_team(team).await?;
                    (TeamCounter::default(), None)
                }
            };
            counter.value += 1;
            if let Some(intent) = &intent {
                counter.starts.push(StartIntent { number: counter.value, ..intent.clone() });
            }
            let written = record::encode(&counter);
            let expect = raw.as_deref().map_or(Expect::Absent, Expect::Bytes);
            if self.kv().set(&key, &written, expect, None).await? {
                return Ok(StartTicket { number: counter.value, written });
            }
        }
        Err(StoreError::Busy(key))
    }

    /// The start of `incident` moves on to channel name `slug` (the previous one was taken).
    pub async fn rename_start(
        &self,
        team: &TeamId,
        incident: &IncidentId,
        slug: &str,
        ticket: &mut StartTicket,
    ) -> Result<(), StoreError> {
        self.change_starts(team, ticket, |starts| {
            let note = starts.iter_mut().find(|s| s.incident == *incident)?;
            note.slug = slug.to_owned();
            Some(())
        })
        .await
    }

    /// The start of `incident` committed or was compensated: forget it. Tries the bytes the start last wrote first
    /// (one call when no other start in the team came in between).
    pub async fn finish_start(
        &self,
        team: &TeamId,
        incident: &IncidentId,
        ticket: &mut StartTicket,
    ) -> Result<(), StoreError> {
        self.change_starts(team, ticket, |starts| {
            let before = starts.len();
            starts.retain(|s| s.incident != *incident);
            (starts.len() != before).then_some(())
        })
        .await
    }

    /// Removes `incident`'s note found by the sweep (no ticket: the start's node is gone).
    pub async fn clear_start_intent(&self, team: &TeamId, incident: &IncidentId) -> Result<(), StoreError> {
        let mut ticket = StartTicket { number: 0, written: Vec::new() };
        self.finish_start(team, incident, &mut ticket).await
    }

    /// Compare-and-set on the counter's journal: first on the ticket's bytes, then read-modify-write. `change`
    /// returns None when there is nothing to do.
    async fn change_starts(
        &self,
        team: &TeamId,
        ticket: &mut StartTicket,
        mut change: impl FnMut(&mut Vec<StartIntent>) -> Option<()>,
    ) -> Result<(), StoreError> {
        let key = keys::team_counter(team);
        let mut known = (!ticket.written.is_empty())
            .then(|| record::decode::<TeamCounter>(&key, &ticket.written).ok().map(|c| (c, ticket.written.clone())))
            .flatten();
        for _ in 0..MAX_ATTEMPTS {
            let (mut counter, raw) = match known.take() {
                Some(hint) => hint,
                None => match self.read_raw::<TeamCounter>(&key).await? {
                    Some(found) => found,
                    None => return Ok(()),
                },
            };
            if change(&mut counter.starts).is_none() {
                return Ok(());
            }
            let written = record::encode(&counter);
            if self.kv().set(&key, &written, Expect::Bytes(&raw), None).await? {
                ticket.written = written;
                return Ok(());
            }
        }
        Err(StoreError::Busy(key))
    }

    /// Every start in the journal of every registered team (activation).
    pub async fn start_intents(&self) -> Result<Vec<StartIntent>, StoreError> {
        let mut out = Vec::new();
        for team in self.teams().await? {
            if let Some((counter, _)) = self.read_raw::<TeamCounter>(&keys::team_counter(&team)).await? {
                out.extend(counter.starts);
            }
        }
        Ok(out)
    }

    /// The last number allocated in `team` (0: none).
    pub async fn last_number(&self, team: &TeamId) -> Result<u64, StoreError> {
        let counter = self.read_raw::<TeamCounter>(&keys::team_counter(team)).await?;
        Ok(counter.map_or(0, |(c, _)| c.value))
    }

    /// Every team with incidents, from the registry. A store written before the registry existed lacks some: its
    /// teams are found once by listing the counters (the only listing of the whole store), merged in and the registry
    /// marked complete.
    pub async fn teams(&self) -> Result<Vec<TeamId>, StoreError> {
        if let Some((registry, _)) = self.read_raw::<TeamRegistry>(keys::TEAM_REGISTRY).await?
            && registry.listed
        {
            return Ok(registry.ids);
        }
        let listed: Vec<TeamId> =
            self.kv().list(keys::TEAM_COUNTER_PREFIX).await?.iter().filter_map(|k| keys::team_of_counter(k)).collect();
        let merged = self
            .update(keys::TEAM_REGISTRY, |registry: &mut TeamRegistry| {
                for team in &listed {
                    if !registry.ids.contains(team) {
                        registry.ids.push(team.clone());
                    }
                }
                registry.listed = true;
                Some(registry.ids.clone())
            })
            .await?;
        Ok(merged.unwrap_or(listed))
    }

    async fn register_team(&self, team: &TeamId) -> Result<(), StoreError> {
        self.update(keys::TEAM_REGISTRY, |registry: &mut TeamRegistry| {
            if registry.ids.contains(team) {
                return None;
            }
            registry.ids.push(team.clone());
            Some(())
        })
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests;
