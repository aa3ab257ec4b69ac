//! The go-plugin **net/rpc** transport, which released Mattermost servers (v9–v11) speak.
//!
//! Layers, bottom up: a unix socket announced as `1|1|unix|<path>|netrpc|`; a [`yamux`] session on
//! which we are the server; the control stream (`Control`, `Dispenser`) and the idle synced
//! stdout/stderr streams; the [`broker`] for every later stream; Go's net/rpc framed with gob
//! ([`rpc`], [`codec`], via the `gobwire` crate); and Mattermost's glue: the hooks server, the API
//! client and ServeHTTP. See ARCHITECTURE.md, "net/rpc".

pub mod api_client;
pub mod broker;
pub mod calls;
pub mod codec;
pub mod dynamic;
#[cfg(test)]
mod fixtures_tests;
pub mod gomodel;
pub mod hooks_server;
pub mod http;
pub mod rpc;
pub mod serve;
pub mod yamux;

pub use api_client::NetRpcApi;
pub use serve::serve;
