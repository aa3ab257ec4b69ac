//! A Rust SDK for Mattermost server plugins: go-plugin net/rpc (released servers) and gRPC (development line).
//!
//! Plugins implement [`Hooks`] and call the server through [`PluginApi`]; both are transport-neutral.
//! [`run`] does the rest: environment checks, the go-plugin handshake, health, logging to stderr,
//! and shutdown. Nothing here knows about incidents.

pub mod api;
pub mod grpc;
pub mod hooks;
pub mod log;
pub mod manifest;
pub mod model;
pub mod netrpc;
pub mod pb;
mod runtime;

pub use api::{Api, ApiError, ApiResult, PluginApi};
pub use hooks::{Hook, Hooks, HttpRequest, HttpResponse};
pub use manifest::Manifest;
pub use runtime::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, Plugin, StartError, Transport, run};
