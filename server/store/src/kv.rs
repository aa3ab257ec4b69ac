//! The one port the store needs: a key-value store with compare-and-set, expiry, delete and list-by-prefix.

use async_trait::async_trait;

/// What a write expects to find under its key (the compare of compare-and-set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect<'a> {
    /// Write whatever is there (used only for keys nobody else writes, like expiring markers).
    Anything,
    /// Write only if the key is absent.
    Absent,
    /// Write only if the key holds exactly these bytes.
    Bytes(&'a [u8]),
}

/// Why the KV store could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KvError {
    /// The store is unreachable or refused the call; the caller may retry later.
    #[error("the key-value store is unavailable: {0}")]
    Unavailable(String),
}

/// The plugin KV store as the incident store needs it. Implemented over Mattermost's PluginAPI in the plugin and in
/// memory (with real CAS semantics) for tests.
#[async_trait]
pub trait Kv: Send + Sync {
    /// The value under `key`, or None.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError>;
    /// Writes `value` if the key matches `expect`; returns false when the compare failed. `ttl_secs` makes the key
    /// expire.
    async fn set(&self, key: &str, value: &[u8], expect: Expect<'_>, ttl_secs: Option<u64>) -> Result<bool, KvError>;
    /// Removes `key` (no error when absent).
    async fn delete(&self, key: &str) -> Result<(), KvError>;
    /// Every key starting with `prefix`. Mattermost pages through *all* keys to answer this, so only the activation
    /// rebuild calls it.
    async fn list(&self, prefix: &str) -> Result<Vec<String>, KvError>;
}
