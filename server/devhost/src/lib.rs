//! Dev host: a local stand-in for the Mattermost server that runs a gRPC plugin bundle against SQLite.

pub mod api;
pub mod bundle;
pub mod context;
pub mod counters;
pub mod effects;
pub mod events;
pub mod hooks;
pub mod ids;
pub mod launch;
pub mod manifest;
pub mod store;
pub mod supervisor;
