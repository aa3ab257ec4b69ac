//! Fault injection (dev and tests only): chosen PluginAPI RPCs fail, look unreachable or answer late.
//!
//! A [`Faults`] registry lives on the host; every RPC of the PluginAPI server consults it first (see
//! `api::plugin_api!`). Set it with `DevHost::inject_fault` or `POST /dev/api/faults` (PAGE-API.md, "Dev only").

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::api::convert::ApiError;

/// The error id of an injected AppError, so logs and replies show where it came from.
pub const FAULT_ERROR_ID: &str = "devhost.fault.injected.app_error";
/// Longest delay accepted (a little over the server's 30 s hook deadline, so timeouts can be exercised).
pub const MAX_DELAY: Duration = Duration::from_secs(60);

/// What an affected call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum FaultMode {
    /// Answers an AppError with this HTTP status in the RPC's own error style (body field or gRPC status).
    Error { status: u16 },
    /// Answers gRPC `Unavailable`: the server did not answer (a transport failure, not a refusal).
    Unavailable,
    /// Sleeps this long, then answers normally.
    Delay {
        #[serde(rename = "delay_ms", serialize_with = "millis")]
        delay: Duration,
    },
    /// Does the work at once, then sleeps this long before answering: the server acted, the answer is late (a
    /// plugin that dies meanwhile leaves what the call did behind).
    Late {
        #[serde(rename = "delay_ms", serialize_with = "millis")]
        delay: Duration,
    },
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A fault on one RPC: its mode and how many more calls it affects (None: until cleared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fault {
    #[serde(flatten)]
    pub mode: FaultMode,
    pub times: Option<u32>,
}

impl Fault {
    /// An AppError with `status` (e.g. 500) on every call until cleared.
    pub fn error(status: u16) -> Self {
        Self { mode: FaultMode::Error { status }, times: None }
    }
    /// gRPC `Unavailable` on every call until cleared.
    pub fn unavailable() -> Self {
        Self { mode: FaultMode::Unavailable, times: None }
    }
    /// A real-time delay before every answer until cleared.
    pub fn delay(delay: Duration) -> Self {
        Self { mode: FaultMode::Delay { delay }, times: None }
    }
    /// The call's work at once, its answer after `delay`, on every call until cleared.
    pub fn late(delay: Duration) -> Self {
        Self { mode: FaultMode::Late { delay }, times: None }
    }
    /// Only the next `n` calls are affected; then the fault clears itself.
    pub fn times(self, n: u32) -> Self {
        Self { times: Some(n), ..self }
    }
}

/// Why a fault was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    #[error("{0:?} is not a PluginAPI call of the dev host (names as in Mattermost's API, like \"KVSetWithOptions\")")]
    UnknownRpc(String),
    #[error("unknown fault mode {0:?}: use \"error\", \"unavailable\", \"delay\" or \"late\"")]
    UnknownMode(String),
    #[error("status {0} is not an HTTP error status (400..=599)")]
    BadStatus(u16),
    #[error("delay_ms must be between 1 and {} ms", MAX_DELAY.as_millis())]
    BadDelay,
    #[error("times must be at least 1 (omit it for a fault that lasts until cleared)")]
    BadTimes,
}

/// The `POST /dev/api/faults` body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub rpc: String,
    pub mode: String,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub times: Option<u32>,
}

impl FaultSpec {
    /// The validated fault (status defaults to 500).
    pub fn to_fault(&self) -> Result<Fault, FaultError> {
        let mode = match self.mode.as_str() {
            "error" => FaultMode::Error { status: self.status.unwrap_or(500) },
            "unavailable" => FaultMode::Unavailable,
            "delay" => FaultMode::Delay { delay: Duration::from_millis(self.delay_ms.unwrap_or(0)) },
            "late" => FaultMode::Late { delay: Duration::from_millis(self.delay_ms.unwrap_or(0)) },
            other => return Err(FaultError::UnknownMode(other.to_string())),
        };
        Ok(Fault { mode, times: self.times })
    }
}

/// What the PluginAPI server does instead of (or before) answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injected {
    Fail(ApiError),
    Unavailable(String),
    Delay(Duration),
    Late(Duration),
}

/// Active faults by RPC name.
#[derive(Debug, Default)]
pub struct Faults {
    active: Mutex<BTreeMap<String, Fault>>,
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Fault>> {
        self.active.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sets (or replaces) the fault on `rpc`, a name from [`crate::api::RPC_NAMES`].
    pub fn inject(&self, rpc: &str, fault: Fault) -> Result<(), FaultError> {
        if !crate::api::RPC_NAMES.contains(&rpc) {
            return Err(FaultError::UnknownRpc(rpc.to_string()));
        }
        match fault.mode {
            FaultMode::Error { status } if !(400..=599).contains(&status) => return Err(FaultError::BadStatus(status)),
            FaultMode::Delay { delay } | FaultMode::Late { delay } if delay.is_zero() || delay > MAX_DELAY => {
                return Err(FaultError::BadDelay);
            }
            _ => {}
        }
        if fault.times == Some(0) {
            return Err(FaultError::BadTimes);
        }
        self.lock().insert(rpc.to_string(), fault);
        Ok(())
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The active faults, by RPC name.
    pub fn list(&self) -> BTreeMap<String, Fault> {
        self.lock().clone()
    }

    /// Called by each RPC: what to do for this call, counting it against `times`.
    pub fn take(&self, rpc: &str) -> Option<Injected> {
        let mut active = self.lock();
        let fault = active.get_mut(rpc)?;
        let mode = fault.mode;
        match &mut fault.times {
            Some(1) => {
                active.remove(rpc);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        let text = format!("fault injected by the dev host into {rpc}");
        Some(match mode {
            FaultMode::Error { status } => Injected::Fail(ApiError::new(status, FAULT_ERROR_ID, text)),
            FaultMode::Unavailable => Injected::Unavailable(format!("{text}: the server is unavailable")),
            FaultMode::Delay { delay } => Injected::Delay(delay),
            FaultMode::Late { delay } => Injected::Late(delay),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_bounds_the_affected_calls_then_clears() {
        let faults = Faults::default();
        faults.inject("KVGet", Fault::unavailable().times(2)).unwrap();
        assert!(matches!(faults.take("KVGet"), Some(Injected::Unavailable(_))));
        assert_eq!(faults.list()["KVGet"].times, Some(1));
        assert!(matches!(faults.take("KVGet"), Some(Injected::Unavailable(_))));
        assert_eq!(faults.take("KVGet"), None);
        assert!(faults.list().is_empty());
        assert_eq!(faults.take("KVSet"), None, "other RPCs are untouched");
    }

    #[test]
    fn bad_faults_are_refused_with_a_reason() {
        let faults = Faults::default();
        assert_eq!(faults.inject("KvGet", Fault::error(500)), Err(FaultError::UnknownRpc("KvGet".into())));
        assert_eq!(faults.inject("KVGet", Fault::error(200)), Err(FaultError::BadStatus(200)));
        assert_eq!(faults.inject("KVGet", Fault::delay(Duration::ZERO)), Err(FaultError::BadDelay));
        assert_eq!(faults.inject("KVGet", Fault::error(500).times(0)), Err(FaultError::BadTimes));
        let spec = FaultSpec { rpc: "KVGet".into(), mode: "explode".into(), ..Default::default() };
        assert_eq!(spec.to_fault(), Err(FaultError::UnknownMode("explode".into())));
        assert!(faults.list().is_empty());
    }

    #[test]
    fn faults_serialize_as_the_rest_body_names_them() {
        let json = serde_json::to_value(Fault::delay(Duration::from_millis(250)).times(3)).unwrap();
        assert_eq!(json, serde_json::json!({ "mode": "delay", "delay_ms": 250, "times": 3 }));
        let json = serde_json::to_value(Fault::error(503)).unwrap();
        assert_eq!(json, serde_json::json!({ "mode": "error", "status": 503, "times": null }));
    }
}
