//! Dev host: a local stand-in for the Mattermost server that runs a gRPC plugin bundle against SQLite.

pub mod api;
pub mod bundle;
pub mod context;
pub mod counters;
pub mod effects;
pub mod events;
pub mod faults;
pub mod hooks;
pub mod host;
pub mod ids;
pub mod interactions;
pub mod launch;
pub mod manifest;
pub mod servehttp;
pub mod store;
pub mod supervisor;
pub mod web;
pub use context::{PluginState, PluginStatus};
pub use counters::{ApiCalls, HookCalls};
pub use faults::{Fault, FaultError, FaultMode};
pub use host::{DevHost, DevHostConfig, DevHostError};
pub use interactions::DialogSubmission;
pub use servehttp::PluginResponse;
