//! Incident Collaboration's persistence on the Mattermost plugin KV store, built for many nodes.
//!
//! - [`Kv`]: the 4-method port (get, set with compare-and-set and expiry, delete, list by prefix); the plugin
//!   implements it over the PluginAPI, [`MemoryKv`] in memory for tests.
//! - [`keys`]: the whole key schema. [`record`]: versioned JSON envelopes with an upgrade path.
//! - [`Store`]: incident records (CAS on the bytes read), team-sequential numbers, the per-channel index and the
//!   team index sharded by number. No key lists every incident.
//! - [`Catalog`]: the per-node read model for list, filter, sort and page, rebuilt with [`Store::load_all`].

pub mod catalog;
mod intents;
pub mod keys;
pub mod kv;
pub mod memory;
pub mod playbooks;
pub mod record;
mod store;

#[cfg(test)]
mod test_support;

pub use catalog::{Catalog, Page, Query, Row, Sort};
pub use intents::{StartIntent, StartTicket, TeamCounter, TeamRegistry};
pub use kv::{Expect, Kv, KvError};
pub use memory::{KvCalls, MemoryKv};
pub use playbooks::{Playbook, PlaybookAutomation, PlaybookChecklist, PlaybookTask, PlaybookTemplates, Playbooks};
pub use store::{MAX_ATTEMPTS, MAX_RECORD_BYTES, Store, StoreError, Stored};
