//! An in-memory `Kv` with real compare-and-set and expiry semantics, call counters and fault injection, for tests
//! and benchmarks.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use async_trait::async_trait;

use crate::kv::{Expect, Kv, KvError};

/// How many calls of each kind a [`MemoryKv`] answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KvCalls {
    /// `get`.
    pub gets: u64,
    /// `set` (including lost compares).
    pub sets: u64,
    /// `set` calls whose compare failed.
    pub conflicts: u64,
    /// `delete`.
    pub deletes: u64,
    /// `list`.
    pub lists: u64,
}

/// Key → (value, expiry in ms since the epoch).
type Entries = BTreeMap<String, (Vec<u8>, Option<i64>)>;

#[derive(Debug, Default)]
struct Counters {
    gets: AtomicU64,
    sets: AtomicU64,
    conflicts: AtomicU64,
    deletes: AtomicU64,
    lists: AtomicU64,
}

/// A shared in-memory KV store. Clone the `Arc` to give several "nodes" the same store.
#[derive(Debug, Default)]
pub struct MemoryKv {
    entries: Mutex<Entries>,
    now_ms: AtomicI64,
    counters: Counters,
    /// (key prefix, remaining failures): writes to matching keys fail with `Unavailable`.
    failing: Mutex<Vec<(String, u32)>>,
}

impl MemoryKv {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the store's clock (for expiry), in ms since the epoch.
    pub fn set_now(&self, ms: i64) {
        self.now_ms.store(ms, Ordering::SeqCst);
    }

    /// The calls answered so far.
    pub fn calls(&self) -> KvCalls {
        let c = &self.counters;
        KvCalls {
            gets: c.gets.load(Ordering::SeqCst),
            sets: c.sets.load(Ordering::SeqCst),
            conflicts: c.conflicts.load(Ordering::SeqCst),
            deletes: c.deletes.load(Ordering::SeqCst),
            lists: c.lists.load(Ordering::SeqCst),
        }
    }

    /// Makes the next `times` writes (set or delete) to keys starting with `prefix` fail.
    pub fn fail_writes(&self, prefix: &str, times: u32) {
        self.failing.lock().unwrap_or_else(|p| p.into_inner()).push((prefix.to_owned(), times));
    }

    /// Every live key, sorted.
    pub fn keys(&self) -> Vec<String> {
        let now = self.now_ms.load(Ordering::SeqCst);
        self.lock().iter().filter(|(_, (_, exp))| live(*exp, now)).map(|(k, _)| k.clone()).collect()
    }

    /// The raw bytes under `key` (without counting a call).
    pub fn peek(&self, key: &str) -> Option<Vec<u8>> {
        let now = self.now_ms.load(Ordering::SeqCst);
        self.lock().get(key).filter(|(_, exp)| live(*exp, now)).map(|(v, _)| v.clone())
    }

    /// Writes raw bytes (test setup), without counting a call.
    pub fn put(&self, key: &str, value: &[u8]) {
        self.lock().insert(key.to_owned(), (value.to_vec(), None));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn injected_failure(&self, key: &str) -> Result<(), KvError> {
        let mut failing = self.failing.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = failing.iter_mut().find(|(prefix, left)| *left > 0 && key.starts_with(prefix.as_str())) {
            entry.1 -= 1;
            return Err(KvError::Unavailable(format!("injected failure writing {key}")));
        }
        Ok(())
    }
}

fn live(expires: Option<i64>, now: i64) -> bool {
    expires.is_none_or(|t| t > now)
}

#[async_trait]
impl Kv for MemoryKv {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.counters.gets.fetch_add(1, Ordering::SeqCst);
        Ok(self.peek(key))
    }

    async fn set(&self, key: &str, value: &[u8], expect: Expect<'_>, ttl_secs: Option<u64>) -> Result<bool, KvError> {
        self.counters.sets.fetch_add(1, Ordering::SeqCst);
        self.injected_failure(key)?;
        let now = self.now_ms.load(Ordering::SeqCst);
        let mut entries = self.lock();
        let current = entries.get(key).filter(|(_, exp)| live(*exp, now)).map(|(v, _)| v.as_slice());
        let matches = match expect {
            Expect::Anything => true,
            Expect::Absent => current.is_none(),
            Expect::Bytes(old) => current == Some(old),
        };
        if !matches {
            self.counters.conflicts.fetch_add(1, Ordering::SeqCst);
            return Ok(false);
        }
        let expires = ttl_secs.map(|s| now.saturating_add(i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX)));
        entries.insert(key.to_owned(), (value.to_vec(), expires));
        Ok(true)
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.counters.deletes.fetch_add(1, Ordering::SeqCst);
        self.injected_failure(key)?;
        self.lock().remove(key);
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, KvError> {
        self.counters.lists.fetch_add(1, Ordering::SeqCst);
        Ok(self.keys().into_iter().filter(|k| k.starts_with(prefix)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn compare_and_set_semantics() {
        let kv = MemoryKv::new();
        assert!(kv.set("a", b"1", Expect::Absent, None).await.unwrap());
        assert!(!kv.set("a", b"2", Expect::Absent, None).await.unwrap(), "present");
        assert!(!kv.set("a", b"2", Expect::Bytes(b"0"), None).await.unwrap(), "stale");
        assert!(kv.set("a", b"2", Expect::Bytes(b"1"), None).await.unwrap());
        assert!(kv.set("a", b"3", Expect::Anything, None).await.unwrap());
        assert_eq!(kv.get("a").await.unwrap(), Some(b"3".to_vec()));
        assert_eq!(kv.calls().conflicts, 2);
    }

    #[tokio::test]
    async fn expiry_follows_the_store_clock() {
        let kv = MemoryKv::new();
        kv.set_now(1_000);
        kv.set("t", b"x", Expect::Absent, Some(2)).await.unwrap();
        kv.set_now(2_999);
        assert!(kv.get("t").await.unwrap().is_some());
        kv.set_now(3_000);
        assert_eq!(kv.get("t").await.unwrap(), None);
        assert!(kv.set("t", b"y", Expect::Absent, None).await.unwrap(), "an expired key counts as absent");
    }

    #[tokio::test]
    async fn list_and_injected_failures() {
        let kv = MemoryKv::new();
        for k in ["inc_a", "inc_b", "chx_a"] {
            kv.set(k, b"v", Expect::Anything, None).await.unwrap();
        }
        assert_eq!(kv.list("inc_").await.unwrap(), ["inc_a", "inc_b"]);
        kv.fail_writes("inc_", 1);
        assert!(kv.set("inc_c", b"v", Expect::Absent, None).await.is_err());
        assert!(kv.set("inc_c", b"v", Expect::Absent, None).await.unwrap());
        kv.delete("chx_a").await.unwrap();
        assert_eq!(kv.peek("chx_a"), None);
    }
}
