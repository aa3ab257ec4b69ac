//! Counts PluginAPI calls per RPC and attributes them to the hook invocation in flight on the node.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

/// Calls attributed to one hook.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct HookCalls {
    /// How many times the host invoked the hook.
    pub invocations: u64,
    /// PluginAPI calls made on the node while those invocations were in flight.
    pub api_calls: u64,
    /// PluginAPI calls during the most recent invocation.
    pub last_api_calls: u64,
}

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ApiCalls {
    /// All PluginAPI calls received, by RPC name (`KVGet`, `CreatePost`, …).
    pub per_rpc: BTreeMap<String, u64>,
    /// Per hook (`ExecuteCommand`, `ServeHTTP`, …).
    pub per_hook: BTreeMap<String, HookCalls>,
    /// Sum of `per_rpc`.
    pub total: u64,
}

#[derive(Debug, Default)]
pub struct Counters {
    inner: Mutex<ApiCalls>,
}

impl Counters {
    fn lock(&self) -> std::sync::MutexGuard<'_, ApiCalls> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn record_rpc(&self, rpc: &str) {
        let mut c = self.lock();
        *c.per_rpc.entry(rpc.to_string()).or_default() += 1;
        c.total += 1;
    }

    pub fn record_hook(&self, hook: &str, api_calls: u64) {
        let mut c = self.lock();
        let h = c.per_hook.entry(hook.to_string()).or_default();
        h.invocations += 1;
        h.api_calls += api_calls;
        h.last_api_calls = api_calls;
    }

    pub fn snapshot(&self) -> ApiCalls {
        self.lock().clone()
    }

    pub fn reset(&self) {
        *self.lock() = ApiCalls::default();
    }
}
