//! The gRPC transport: the PluginAPI client, the PluginHooks server and the ServeHTTP bridge.

pub mod api_client;
pub mod convert;
pub mod hooks_server;
pub mod http_bridge;

pub use api_client::{GrpcApi, MAX_MESSAGE_BYTES};
pub use hooks_server::HooksService;
